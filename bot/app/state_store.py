"""The state store the settings name, opened and migrated, or one clear line why not."""

from __future__ import annotations

import logging
import os
import socket

from bot import messages
from bot.config import DATABASE_URL, Settings
from bot.core.clock import utc_now
from bot.errors import ConfigError, InvalidUrl, StoreUnusable
from bot.schedule.store import Store

log = logging.getLogger("backupbot.slack")


def connect_store(settings: Settings) -> Store:
    """The state store the settings name (BACKUPBOT_DATABASE_URL, else BACKUPBOT_STATE)."""
    try:
        return Store.connect(settings.state_url())
    except InvalidUrl as error:
        raise ConfigError(
            messages.malformed(_state_variable(settings), error.said),
            error.hint or messages.SEE_THE_CONFIGURATION_TABLE,
        ) from None


def open_store(settings: Settings) -> Store:
    """The state store, migrated to the current schema (once, whatever the replicas)."""
    store = connect_store(settings)
    try:
        migration = store.migrate()
    except StoreUnusable as error:
        store.close()
        raise store_config_error(settings, store, error=error) from None
    if migration.before != migration.after:
        log.info("%s", migration.line(store.database))
    return store


def migrate(settings: Settings) -> str:
    """`backupbot migrate`: the schema brought up to date now, under the replicas' lock,
    and the store proven writable (a deploy step must not pass a store serve cannot
    write); the line saying what was done."""
    store = connect_store(settings)
    try:
        migration = store.migrate()
        prove_writable(store, purpose="migrate")
    except StoreUnusable as error:
        raise store_config_error(settings, store, error=error) from None
    finally:
        store.close()
    return migration.line(store.database)


def prove_writable(store: Store, *, purpose: str) -> None:
    """Write and delete one row, as `purpose` on this host; StorageError if it cannot."""
    store.replicas.probe(f"{purpose}:{socket.gethostname()}:{os.getpid()}", now=utc_now())


def store_config_error(settings: Settings, store: Store, *, error: StoreUnusable) -> ConfigError:
    """One line for a store that cannot be used at all, naming it (never its password);
    a refused migration says what to do, a database that failed is to be made writable
    (SQLite) or checked (a server)."""
    variable = _state_variable(settings)
    hint = error.hint or (
        messages.make_writable(variable)
        if store.engine.dialect.name == "sqlite"
        else messages.CHECK_THE_DATABASE_SERVER
    )
    problem = messages.cannot_be_used(
        variable=variable, database=store.database, reason=error.reason
    )
    return ConfigError(problem, hint)


def _state_variable(settings: Settings) -> str:
    return DATABASE_URL if settings.database_url is not None else "BACKUPBOT_STATE"
