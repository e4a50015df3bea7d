"""The state database, its migrations, declared digests and the rounds (bot/schedule)."""

from __future__ import annotations

# --- the state database and its migrations (schedule/database, schedule/migrate, store) -------

DATABASE_URL_EXAMPLES = (
    "postgresql://user@host/db, mysql://user@host/db or sqlite:///path/state.sqlite3"
)
UNENCODED_AT = "its password holds an @ that is not percent-encoded"
PERCENT_ENCODE_AT = "percent-encode @ in a password as %40"
SQLITE_NEEDS_A_FILE = "a SQLite URL needs a file: sqlite:///path/state.sqlite3"
EMPTY_STATE_FILE = "it is empty (0 bytes), so not a backupbot state file"
RESTORE_OR_DELETE = "restore it from a backup, or delete it to start afresh"
NOT_A_SQLITE_DATABASE = "it is not a SQLite database"
MOVE_IT_AWAY = "move it away (backupbot then makes a new one), or name another file"
IS_A_DIRECTORY = "it is a directory"
CREATE_THE_DIRECTORY = "create it, or name a file in a directory that exists"
MAKE_THE_DIRECTORY_WRITABLE = "make it writable, or name a file in another directory"
MIGRATIONS_GO_FORWARD = "run the backupbot that migrated it: migrations only go forward"
WAIT_FOR_THE_MIGRATION = "wait until its migration ends (its log says), then start again"
CORRECT_THAT_ROW = "correct or delete that row, then migrate again"


def name_a_file_in_it(example: str) -> str:
    return f"name a file in it, such as {example}"


def no_directory(directory: str) -> str:
    return f"its directory {directory} does not exist"


def directory_not_writable(directory: str) -> str:
    return f"its directory {directory} cannot be written"


def stores_state_in(backends: str, backend: str) -> str:
    return f"backupbot stores state in {backends}, not {backend}"


def name_the_database(backend: str) -> str:
    return f"name the database: {backend}://user@host/DATABASE"


def sqlite_file(path: object) -> str:
    return f"SQLite file {path}"


def up_to_date(database: str, revision: str) -> str:
    return f"{database} is up to date (schema {revision})"


def adopted(database: str, revision: str) -> str:
    return f"{database}: a backupbot 0.1 state file, migrated to schema {revision}"


def schema_created(database: str, revision: str) -> str:
    return f"{database}: schema {revision} created"


def migrated(*, database: str, before: str, after: str) -> str:
    return f"{database} migrated from schema {before} to {after}"


def unknown_legacy_version(version: int) -> str:
    return f"its schema_version is {version}; backupbot knows only 1"


def newer_schema(revision: str) -> str:
    return f"its schema {revision} comes from a newer backupbot"


def newer_schema_than(revision: str, known: str) -> str:
    return f"{newer_schema(revision)} (this one knows {known})"


def lock_held(seconds: int) -> str:
    return f"another replica has held the migration lock for {seconds} s"


# --- digests declared in a file, and the rounds (schedule/config_file, schedule/*_round) ------

WRITE_DIGEST_TABLES = "write [[digest]] per digest"
WRITE_KEY_VALUES = "write [[digest]] then key = value lines"
COPY_THE_CHANNEL_ID = "copy it from the channel's details in Slack"
ACCESS_NO_LONGER_ALLOWS = "the access rules no longer allow it"
TRY_AGAIN_TOMORROW = "backupbot will try again tomorrow"


def digest_not_a_list(path: str) -> str:
    return f"{path}: 'digest' must be a list of tables"


def declared_digest(path: str, number: int) -> str:
    return f"{path}, digest {number}"


def not_a_table(where: str) -> str:
    return f"{where} is not a table"


def not_a_channel_id(where: str) -> str:
    return f"{where}: channel must be a channel id like C0123456789"
