"""Settings and the TOML files beside the environment (bot/config, bot/tomlfile)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.messages.catalogue import N_, _, alternatives

# --- settings, and the TOML files beside the environment (config, tomlfile) ------------------

SEE_THE_CONFIGURATION_TABLE = N_("see the configuration table in the README")
FIX_OR_UNSET = N_("fix or unset it; see the configuration table in the README")
CONTROL_CHARACTER = N_("contains a line break or another control character")
NOT_A_BOT_TOKEN = N_("must be a bot token starting with xoxb-")
NOT_AN_APP_TOKEN = N_("must be an app-level token starting with xapp-")
THIRTY_TWO_CHARACTERS = N_("must be 32 letters or digits")
NO_CREDENTIALS_IN_URL = N_("must not contain a user name or password")
URL_HOST_AND_PORT = N_("a valid host and a port from 1 to 65535")
URL_HOST = N_("a host")
URL_PORT = N_("a port from 1 to 65535")
FIX_THE_PATH = N_("fix the path or unset the variable")
NOT_UTF8_TEXT = N_("it is not UTF-8 text")


def malformed(variable: str, problem: object) -> str:
    return _("{variable} is malformed: {problem}").format(variable=variable, problem=problem)


def must_be_a_url(example: str, *, needs: str = "") -> str:
    return _("must be a URL such as {example}").format(example=example) + (
        _(", with {needs}").format(needs=needs) if needs else ""
    )


def file_missing(variable: str, path: str) -> str:
    return _("{variable} {path} does not exist").format(variable=variable, path=path)


def file_unreadable(variable: str, path: str, error: object) -> str:
    return _("{variable} {path} cannot be read: {error}").format(
        variable=variable, path=path, error=error
    )


def must_be_toml_with(shape: str) -> str:
    return _("it must be TOML with {shape}").format(shape=shape)


def unknown_language(known: Sequence[str]) -> str:
    """Said of a setting's value without echoing it (values may be secrets)."""
    return _("not a language backupbot speaks: use {known}").format(known=alternatives(known))
