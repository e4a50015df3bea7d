"""Settings and the TOML files beside the environment (bot/config, bot/tomlfile)."""

from __future__ import annotations

# --- settings, and the TOML files beside the environment (config, tomlfile) ------------------

SEE_THE_CONFIGURATION_TABLE = "see the configuration table in the README"
FIX_OR_UNSET = f"fix or unset it; {SEE_THE_CONFIGURATION_TABLE}"
CONTROL_CHARACTER = "contains a line break or another control character"
NOT_A_BOT_TOKEN = "must be a bot token starting with xoxb-"
NOT_AN_APP_TOKEN = "must be an app-level token starting with xapp-"
THIRTY_TWO_CHARACTERS = "must be 32 letters or digits"
NO_CREDENTIALS_IN_URL = "must not contain a user name or password"
URL_HOST_AND_PORT = "a valid host and a port from 1 to 65535"
URL_HOST = "a host"
URL_PORT = "a port from 1 to 65535"
FIX_THE_PATH = "fix the path or unset the variable"
NOT_UTF8_TEXT = "it is not UTF-8 text"


def malformed(variable: str, problem: object) -> str:
    return f"{variable} is malformed: {problem}"


def must_be_a_url(example: str, *, needs: str = "") -> str:
    return f"must be a URL such as {example}" + (f", with {needs}" if needs else "")


def file_missing(variable: str, path: str) -> str:
    return f"{variable} {path} does not exist"


def file_unreadable(variable: str, path: str, error: object) -> str:
    return f"{variable} {path} cannot be read: {error}"


def must_be_toml_with(shape: str) -> str:
    return f"it must be TOML with {shape}"
