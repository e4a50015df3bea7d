"""The composition root's words: the terminal, `backupbot check`, start-up (bot/app, bot/demo)."""

from __future__ import annotations

from bot.messages.slack import not_slack

# --- the terminal: query, render, the demo, the simulator (app/local, demo) -------------------

SUBSCRIPTIONS_LIVE_IN_SLACK = "digests and watches live in Slack channels"
TYPE_IT_IN_THE_CHANNEL = "type it after /backups in the channel that should receive them"
DEMO_TOUR = """\
backupbot demo: the Slack bot in your terminal, answering from the built-in TaurusDB
simulator (sixteen made-up instances, up to 60 days of backups). Type what you would
type after /backups in Slack. Four questions worth trying:

  failed last 30d        what went wrong this month, failures first
  orders-prod last 7d    one instance's week, with its size trend
  legacy-crm             an instance that has gone days without a good backup
  restore orders-prod 03:15 table shop.orders_archive
                         can it be restored to 03:15, and the table dropped since?

Under an answer, the buttons are keys: n next, p previous, r refresh, f failed only,
a number for one backup's full record, b back. 'help' shows the whole language; q quits.
'backup orders-prod' takes a backup on the simulator, once you say y, and follows it."""
DEMO_TAKE_IT = "Take this backup now? [y/N] "
DEMO_NOT_TAKEN = "not taken: nothing was sent"


def simulator_serving(*, port: int, backups: int, project: str) -> str:
    return (
        f"TaurusDB simulator on http://127.0.0.1:{port} "
        f"({backups} backups, project {project}).\n"
        f"Point backupbot at it with GAUSSDB_ENDPOINT=http://127.0.0.1:{port}; "
        "stop with Ctrl-C."
    )


# --- `backupbot check`: one line per check (app/check) ----------------------------------------

CHECK_API = "TaurusDB API"
CHECK_INSTANCES = "TaurusDB instances"
CHECK_POLICIES = "TaurusDB policies"
CHECK_ACTIONS = "TaurusDB backups taken by hand"
CHECK_SLACK = "Slack"
CHECK_SLACK_MODES = "Slack modes"
CHECK_ACCESS = "access rules"
CHECK_DIGESTS = "digests file"
CHECK_STATE = "state"
IAM_TOKEN = "IAM token"
AK_SK_SIGNING = "AK/SK signing"
ANSWERED_WITHOUT_TOTAL = "answered, without a total_count"
NO_INSTANCE_FOR_POLICY = "not checked: no instance to read the policy of"
NO_AUTOMATED_BACKUPS = "no automated backups"
NO_SLACK_TOKEN = "SLACK_BOT_TOKEN is not set (needed by serve and socket)"
SOCKET_MODE = "Socket Mode (backupbot socket)"
HTTP_MODE = "HTTP mode (backupbot serve)"
SET_A_SLACK_MODE = "set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)"
NO_ACCESS_RULES = "not set: anyone in the workspace may ask"
NO_TABLES_YET = "no backupbot tables yet"
# Why Slack's auth.test refused the bot token, by its error code.
AUTH_TEST_ERRORS = {
    "invalid_auth": "the token is not valid: copy SLACK_BOT_TOKEN again from OAuth & Permissions",
    "not_authed": "no token was sent: set SLACK_BOT_TOKEN",
    "account_inactive": "the app was uninstalled or the token revoked: reinstall the app",
    "token_revoked": "the token was revoked: reinstall the app and copy the new token",
}


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


NO_TOTAL_GIVEN = "the API gave no total"


def instances_counted(count: int) -> str:
    return _counted(count, "instance")


def rules_counted(count: int) -> str:
    return _counted(count, "rule")


def digests_counted(count: int) -> str:
    return _counted(count, "digest")


def api_where(*, endpoint: str, project: str, auth: str) -> str:
    return f"{endpoint}, project {project}, {auth}"


def answered_backups(total: int) -> str:
    return f"answered: {total} backups"


def health_falls_back(threshold: str) -> str:
    return f"health falls back to the {threshold} threshold"


def may_not_list_instances(permission: str, fallback: str) -> str:
    return (
        f"may not list instances: {permission}; {fallback} and cannot see instances without backups"
    )


def may_list_instances(count: str) -> str:
    return f"may list instances ({count})"


def may_not_read_policies(permission: str, fallback: str) -> str:
    return f"may not read backup policies: {permission}; {fallback}"


def may_read_policies(label: str, expects: str) -> str:
    return f"may read backup policies ({label}: {expects})"


def not_slack_check_url(url: str, code: str) -> str:
    return f"{not_slack(url, code)}; check SLACK_API_URL"


def auth_test_refused(why: str) -> str:
    return f"auth.test refused: {why}"


def slack_did_not_answer(url: str, timeout: float) -> str:
    return f"{url} did not answer within {timeout:g} s (BACKUPBOT_SLACK_TIMEOUT)"


def could_not_reach(where: str, error: object) -> str:
    return f"could not reach {where}: {error}"


def connected_as(team: object, user: object) -> str:
    return f"connected to {team} as @{user}"


def found_in(count: str, path: str) -> str:
    return f"{count} in {path}"


def schema_named(revision: str) -> str:
    return f"schema {revision}"


def migrates_at_start(*, database: str, found: str, latest: str) -> str:
    return (
        f"{database}: {found}; backupbot migrates it to schema {latest} at start "
        "(or run backupbot migrate)"
    )


def store_ready(database: str, latest: str) -> str:
    return f"{database} is ready (schema {latest}, writable)"


# --- start-up: the state store, listening, Slack's tokens (app/*) ----------------------------

CHECK_THE_DATABASE_SERVER = (
    "check that the database server is up and writable, and that its user may create tables"
    " and write to them"
)
GIVE_A_HOST = "give --host an address of this machine, such as 0.0.0.0 or 127.0.0.1"
CHOOSE_ANOTHER_PORT = "choose another --port, or stop what is using it"
COPY_THE_BOT_TOKEN = (
    "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page"
)
COPY_THE_SIGNING_SECRET = "copy the Signing Secret from the app's Basic Information page"
CREATE_AN_APP_TOKEN = (
    "create an app-level token (xapp-...) with connections:write under Basic Information"
)
DEMO_NEEDS_SLACK = (
    "demo --slack needs SLACK_BOT_TOKEN and either SLACK_APP_TOKEN (Socket Mode) "
    "or SLACK_SIGNING_SECRET (HTTP)"
)
CREATE_FROM_MANIFEST = (
    "create the app from manifest.yml as the README explains; no cloud account needed"
)


def cannot_be_used(*, variable: str, database: str, reason: object) -> str:
    return f"{variable}: {database} cannot be used: {reason}"


def make_writable(variable: str) -> str:
    return (
        f"make the file and its directory writable, with free disk space, or point {variable}"
        " elsewhere"
    )


def cannot_listen_on(where: str, reason: object) -> str:
    return f"cannot listen on {where}: {reason}"


def listening_on(host: str, port: int) -> str:
    return f"backupbot listening on http://{host}:{port}/slack/events"


def actions_need(create: str, jobs: str) -> str:
    return f"need {create} and {jobs} (not tried: trying would take a backup)"
