"""The command line's help and one-line errors (bot/cli)."""

from __future__ import annotations

# --- the command line: help and one-line errors (cli) -----------------------------------------

CLI_DESCRIPTION = "Answers 'what happened to our database backups?' for Huawei Cloud TaurusDB."
SIMULATOR_HELP = "answer from the built-in simulator instead of the real API"
SIMULATOR_COMMAND_HELP = "serve the built-in TaurusDB API simulator"
SIMULATOR_PORT_HELP = "port on 127.0.0.1 (default 8700)"
LATENCY_HELP = "seconds added to each answer"
CLOCK_LAG_HELP = "seconds the server's clock lags behind"
UNIFORM_BACKUPS_HELP = "serve N uniform backups instead of the demo fleet"
ARCHIVE_BACKUPS_HELP = "serve one instance, bulk-archive, with N backups over the last 30 days"
QUERY_DESCRIPTION = "Answer a question, in the same language as /backups in Slack."
ASK_THE_SIMULATOR_HELP = "ask the built-in simulator, not the real API"
PAGE_HELP = "which page of 10 backups"
QUERY_ZONE_HELP = "time zone for day words and times (default BACKUPBOT_TIMEZONE)"
SERVE_HELP = "run the Slack app in HTTP mode"
SERVE_PORT_HELP = "port to listen on (default 3000)"
SERVE_HOST_HELP = "address to bind (default 0.0.0.0)"
SOCKET_HELP = "run the Slack app over Socket Mode"
OPS_PORT_HELP = "/healthz and /metrics (3000)"
OPS_HOST_HELP = "address for them (0.0.0.0)"
CHECK_HELP = "check the configuration, the TaurusDB API and Slack, in words"
MIGRATE_HELP = "bring the state database's schema up to date (serve and socket also do, at start)"
RENDER_HELP = "print the Block Kit JSON Slack would receive for a question"
BLOCKS_ONLY_HELP = "print only the list of blocks"
RENDER_ZONE_HELP = "time zone of day words (BACKUPBOT_TIMEZONE)"
DEMO_HELP = "try backupbot on the built-in simulator"
ONCE_HELP = "answer one question and exit"
DEMO_SLACK_HELP = "run in a real Slack workspace, on the simulator"
DEMO_HTTP_HELP = "with --slack in HTTP mode"


def version(number: str) -> str:
    return f"backupbot {number}"


def not_a_port(text: str) -> str:
    return f"'{text}' is not a port: use a number from 1 to 65535"


def not_a_page_number(text: str) -> str:
    return f"'{text}' is not a page number (1, 2, ...)"


def cli_error(message: str, hint: str = "") -> str:
    return f"backupbot: {message}" + (f"\n  hint: {hint}" if hint else "")


def query_help(example: str) -> str:
    return f"answer a question about backups, e.g. '{example}'"


def question_help(example: str) -> str:
    return f"the question, e.g. {example}"


BACKUP_COMMAND_HELP = "take a backup of one instance now (shown first; sent only with --yes)"
BACKUP_INSTANCE_HELP = "the instance's name or id"
BACKUP_DESCRIPTION_HELP = "the backup's description (at most 256 characters)"
BACKUP_YES_HELP = "take it: without --yes, only show what would be done"
BACKUP_WAIT_HELP = "follow the backup until it ends, printing each change"
