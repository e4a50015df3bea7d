"""The state database, its migrations, declared digests and the rounds (bot/schedule)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _

# --- the state database and its migrations (schedule/database, schedule/migrate, store) -------

DATABASE_URL_EXAMPLES = N_(
    "postgresql://user@host/db, mysql://user@host/db or sqlite:///path/state.sqlite3"
)
UNENCODED_AT = N_("its password holds an @ that is not percent-encoded")
PERCENT_ENCODE_AT = N_("percent-encode @ in a password as %40")
SQLITE_NEEDS_A_FILE = N_("a SQLite URL needs a file: sqlite:///path/state.sqlite3")
EMPTY_STATE_FILE = N_("it is empty (0 bytes), so not a backupbot state file")
RESTORE_OR_DELETE = N_("restore it from a backup, or delete it to start afresh")
NOT_A_SQLITE_DATABASE = N_("it is not a SQLite database")
MOVE_IT_AWAY = N_("move it away (backupbot then makes a new one), or name another file")
IS_A_DIRECTORY = N_("it is a directory")
CREATE_THE_DIRECTORY = N_("create it, or name a file in a directory that exists")
MAKE_THE_DIRECTORY_WRITABLE = N_("make it writable, or name a file in another directory")
MIGRATIONS_GO_FORWARD = N_("run the backupbot that migrated it: migrations only go forward")
WAIT_FOR_THE_MIGRATION = N_("wait until its migration ends (its log says), then start again")
CORRECT_THAT_ROW = N_("correct or delete that row, then migrate again")


def name_a_file_in_it(example: str) -> str:
    return _("name a file in it, such as {example}").format(example=example)


def no_directory(directory: str) -> str:
    return _("its directory {directory} does not exist").format(directory=directory)


def directory_not_writable(directory: str) -> str:
    return _("its directory {directory} cannot be written").format(directory=directory)


def stores_state_in(backends: str, backend: str) -> str:
    return _("backupbot stores state in {backends}, not {backend}").format(
        backends=backends, backend=backend
    )


def name_the_database(backend: str) -> str:
    return _("name the database: {backend}://user@host/DATABASE").format(backend=backend)


def sqlite_file(path: object) -> str:
    return _("SQLite file {path}").format(path=path)


def up_to_date(database: str, revision: str) -> str:
    return _("{database} is up to date (schema {revision})").format(
        database=database, revision=revision
    )


def adopted(database: str, revision: str) -> str:
    return _("{database}: a backupbot 0.1 state file, migrated to schema {revision}").format(
        database=database, revision=revision
    )


def schema_created(database: str, revision: str) -> str:
    return _("{database}: schema {revision} created").format(database=database, revision=revision)


def migrated(*, database: str, before: str, after: str) -> str:
    return _("{database} migrated from schema {before} to {after}").format(
        database=database, before=before, after=after
    )


def unknown_legacy_version(version: int) -> str:
    return _("its schema_version is {version}; backupbot knows only 1").format(version=version)


def newer_schema(revision: str) -> str:
    return _("its schema {revision} comes from a newer backupbot").format(revision=revision)


def newer_schema_than(revision: str, known: str) -> str:
    return _("its schema {revision} comes from a newer backupbot (this one knows {known})").format(
        revision=revision, known=known
    )


def lock_held(seconds: int) -> str:
    return _("another replica has held the migration lock for {seconds} s").format(seconds=seconds)


# --- digests declared in a file, and the rounds (schedule/config_file, schedule/*_round) ------

WRITE_DIGEST_TABLES = N_("write [[digest]] per digest")
WRITE_KEY_VALUES = N_("write [[digest]] then key = value lines")
COPY_THE_CHANNEL_ID = N_("copy it from the channel's details in Slack")
ACCESS_NO_LONGER_ALLOWS = N_("the access rules no longer allow it")
TRY_AGAIN_TOMORROW = N_("backupbot will try again tomorrow")


def digest_not_a_list(path: str) -> str:
    return _("{path}: 'digest' must be a list of tables").format(path=path)


def declared_digest(path: str, number: int) -> str:
    return _("{path}, digest {number}").format(path=path, number=number)


def not_a_table(where: str) -> str:
    return _("{where} is not a table").format(where=where)


def not_a_channel_id(where: str) -> str:
    return _("{where}: channel must be a channel id like C0123456789").format(where=where)
