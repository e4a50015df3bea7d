"""The command line's help and one-line errors (bot/cli)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _

# --- the command line: help and one-line errors (cli) -----------------------------------------

CLI_DESCRIPTION = N_("Answers 'what happened to our database backups?' for Huawei Cloud TaurusDB.")
SIMULATOR_HELP = N_("answer from the built-in simulator instead of the real API")
SIMULATOR_COMMAND_HELP = N_("serve the built-in TaurusDB API simulator")
SIMULATOR_PORT_HELP = N_("port on 127.0.0.1 (default 8700)")
LATENCY_HELP = N_("seconds added to each answer")
CLOCK_LAG_HELP = N_("seconds the server's clock lags behind")
UNIFORM_BACKUPS_HELP = N_("serve N uniform backups instead of the demo fleet")
ARCHIVE_BACKUPS_HELP = N_("serve one instance, bulk-archive, with N backups over the last 30 days")
QUERY_DESCRIPTION = N_("Answer a question, in the same language as /backups in Slack.")
ASK_THE_SIMULATOR_HELP = N_("ask the built-in simulator, not the real API")
PAGE_HELP = N_("which page of 10 backups")
QUERY_ZONE_HELP = N_("time zone for day words and times (default BACKUPBOT_TIMEZONE)")
SERVE_HELP = N_("run the Slack app in HTTP mode")
SERVE_PORT_HELP = N_("port to listen on (default 3000)")
SERVE_HOST_HELP = N_("address to bind (default 0.0.0.0)")
SOCKET_HELP = N_("run the Slack app over Socket Mode")
OPS_PORT_HELP = N_("/healthz and /metrics (3000)")
OPS_HOST_HELP = N_("address for them (0.0.0.0)")
CHECK_HELP = N_("check the configuration, the TaurusDB API and Slack, in words")
MIGRATE_HELP = N_(
    "bring the state database's schema up to date (serve and socket also do, at start)"
)
RENDER_HELP = N_("print the Block Kit JSON Slack would receive for a question")
BLOCKS_ONLY_HELP = N_("print only the list of blocks")
RENDER_ZONE_HELP = N_("time zone of day words (BACKUPBOT_TIMEZONE)")
DEMO_HELP = N_("try backupbot on the built-in simulator")
ONCE_HELP = N_("answer one question and exit")
DEMO_SLACK_HELP = N_("run in a real Slack workspace, on the simulator")
DEMO_HTTP_HELP = N_("with --slack in HTTP mode")


def version(number: str) -> str:
    return _("backupbot {number}").format(number=number)


def not_a_port(text: str) -> str:
    return _("'{text}' is not a port: use a number from 1 to 65535").format(text=text)


def not_a_page_number(text: str) -> str:
    return _("'{text}' is not a page number (1, 2, ...)").format(text=text)


def cli_error(message: str, hint: str = "") -> str:
    return _("backupbot: {message}").format(message=message) + (
        _("\n  hint: {hint}").format(hint=hint) if hint else ""
    )


def query_help(example: str) -> str:
    return _("answer a question about backups, e.g. '{example}'").format(example=example)


def question_help(example: str) -> str:
    return _("the question, e.g. {example}").format(example=example)


LANG_HELP = N_("the language to answer in: en or zh-CN (default BACKUPBOT_LANGUAGE)")


BACKUP_COMMAND_HELP = N_("take a backup of one instance now (shown first; sent only with --yes)")
BACKUP_INSTANCE_HELP = N_("the instance's name or id")
BACKUP_DESCRIPTION_HELP = N_("the backup's description (at most 256 characters)")
BACKUP_YES_HELP = N_("take it: without --yes, only show what would be done")
BACKUP_WAIT_HELP = N_("follow the backup until it ends, printing each change")
