"""The ground floor: small helpers every room may use, importing only the error tree and
the words: TOML files (`tomlfile`), secrets that may change (`secretfile`), time zones by
name (`zones`), pydantic's verdict in words (`validation`) and a local server in a thread
(`serving`, for the simulator and tests)."""
