"""The composition root's words: the terminal, `backupbot check`, start-up (bot/app, bot/demo)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _, ngettext

# --- the terminal: query, render, the demo, the simulator (app/local, demo) -------------------

SUBSCRIPTIONS_LIVE_IN_SLACK = N_("digests and watches live in Slack channels")
TYPE_IT_IN_THE_CHANNEL = N_("type it after /backups in the channel that should receive them")
DEMO_TOUR = N_(
    "backupbot demo: the Slack bot in your terminal, answering from the built-in "
    "TaurusDB\nsimulator (sixteen made-up instances, up to 60 days of backups). Type "
    "what you would\ntype after /backups in Slack. Four questions worth trying:\n\n  "
    "failed last 30d        what went wrong this month, failures first\n  orders-prod "
    "last 7d    one instance's week, with its size trend\n  legacy-crm             an "
    "instance that has gone days without a good backup\n  restore orders-prod 03:15 "
    "table shop.orders_archive\n                         can it be restored to 03:15, "
    "and the table dropped since?\n\nUnder an answer, the buttons "
    "are keys: n next, p previous, r refresh, f failed only,\na number for one "
    "backup's full record, b back. 'help' shows the whole language; q quits.\n'backup "
    "orders-prod' takes a backup on the simulator, once you say y, and follows it."
)
DEMO_TAKE_IT = N_("Take this backup now? [y/N] ")
DEMO_NOT_TAKEN = N_("not taken: nothing was sent")


def simulator_serving(*, port: int, backups: int, project: str) -> str:
    return _(
        "TaurusDB simulator on http://127.0.0.1:{port} ({backups} backups, project "
        "{project}).\nPoint backupbot at it with GAUSSDB_ENDPOINT=http://127.0.0.1:{port}; "
        "stop with Ctrl-C."
    ).format(port=port, backups=backups, project=project)


# --- `backupbot check`: one line per check (app/check) ----------------------------------------

CHECK_API = N_("TaurusDB API")
CHECK_INSTANCES = N_("TaurusDB instances")
CHECK_POLICIES = N_("TaurusDB policies")
CHECK_ACTIONS = N_("TaurusDB backups taken by hand")
CHECK_SLACK = N_("Slack")
CHECK_SLACK_MODES = N_("Slack modes")
CHECK_ACCESS = N_("access rules")
CHECK_DIGESTS = N_("digests file")
CHECK_STATE = N_("state")
IAM_TOKEN = N_("IAM token")
AK_SK_SIGNING = N_("AK/SK signing")
ANSWERED_WITHOUT_TOTAL = N_("answered, without a total_count")
NO_INSTANCE_FOR_POLICY = N_("not checked: no instance to read the policy of")
NO_AUTOMATED_BACKUPS = N_("no automated backups")
NO_SLACK_TOKEN = N_("SLACK_BOT_TOKEN is not set (needed by serve and socket)")
SOCKET_MODE = N_("Socket Mode (backupbot socket)")
HTTP_MODE = N_("HTTP mode (backupbot serve)")
SET_A_SLACK_MODE = N_("set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)")
NO_ACCESS_RULES = N_("not set: anyone in the workspace may ask")
NO_TABLES_YET = N_("no backupbot tables yet")
# Why Slack's auth.test refused the bot token, by its error code.
AUTH_TEST_ERRORS = {
    "invalid_auth": N_(
        "the token is not valid: copy SLACK_BOT_TOKEN again from OAuth & Permissions"
    ),
    "not_authed": N_("no token was sent: set SLACK_BOT_TOKEN"),
    "account_inactive": N_("the app was uninstalled or the token revoked: reinstall the app"),
    "token_revoked": N_("the token was revoked: reinstall the app and copy the new token"),
}


NO_TOTAL_GIVEN = N_("the API gave no total")


def instances_counted(count: int) -> str:
    return ngettext("{count} instance", "{count} instances", count).format(count=count)


def rules_counted(count: int) -> str:
    return ngettext("{count} rule", "{count} rules", count).format(count=count)


def digests_counted(count: int) -> str:
    return ngettext("{count} digest", "{count} digests", count).format(count=count)


def api_where(*, endpoint: str, project: str, auth: str) -> str:
    return _("{endpoint}, project {project}, {auth}").format(
        endpoint=endpoint, project=project, auth=auth
    )


def answered_backups(total: int) -> str:
    return _("answered: {total} backups").format(total=total)


def health_falls_back(threshold: str) -> str:
    return _("health falls back to the {threshold} threshold").format(threshold=threshold)


def may_not_list_instances(permission: str, fallback: str) -> str:
    return _(
        "may not list instances: {permission}; {fallback} and cannot see instances without backups"
    ).format(permission=permission, fallback=fallback)


def may_list_instances(count: str) -> str:
    return _("may list instances ({count})").format(count=count)


def may_not_read_policies(permission: str, fallback: str) -> str:
    return _("may not read backup policies: {permission}; {fallback}").format(
        permission=permission, fallback=fallback
    )


def may_read_policies(label: str, expects: str) -> str:
    return _("may read backup policies ({label}: {expects})").format(label=label, expects=expects)


def not_slack_check_url(url: str, code: str) -> str:
    return _("{url} is not Slack's Web API: auth.test answered {code}; check SLACK_API_URL").format(
        url=url, code=code
    )


def auth_test_refused(why: str) -> str:
    return _("auth.test refused: {why}").format(why=why)


def slack_did_not_answer(url: str, timeout: float) -> str:
    return _("{url} did not answer within {timeout:g} s (BACKUPBOT_SLACK_TIMEOUT)").format(
        url=url, timeout=timeout
    )


def could_not_reach(where: str, error: object) -> str:
    return _("could not reach {where}: {error}").format(where=where, error=error)


def connected_as(team: object, user: object) -> str:
    return _("connected to {team} as @{user}").format(team=team, user=user)


def found_in(count: str, path: str) -> str:
    return _("{count} in {path}").format(count=count, path=path)


def schema_named(revision: str) -> str:
    return _("schema {revision}").format(revision=revision)


def migrates_at_start(*, database: str, found: str, latest: str) -> str:
    return _(
        "{database}: {found}; backupbot migrates it to schema {latest} at start (or run "
        "backupbot migrate)"
    ).format(database=database, found=found, latest=latest)


def store_ready(database: str, latest: str) -> str:
    return _("{database} is ready (schema {latest}, writable)").format(
        database=database, latest=latest
    )


# --- start-up: the state store, listening, Slack's tokens (app/*) ----------------------------

CHECK_THE_DATABASE_SERVER = N_(
    "check that the database server is up and writable, and that its user may create "
    "tables and write to them"
)
GIVE_A_HOST = N_("give --host an address of this machine, such as 0.0.0.0 or 127.0.0.1")
CHOOSE_ANOTHER_PORT = N_("choose another --port, or stop what is using it")
COPY_THE_BOT_TOKEN = N_(
    "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page"
)
COPY_THE_SIGNING_SECRET = N_("copy the Signing Secret from the app's Basic Information page")
CREATE_AN_APP_TOKEN = N_(
    "create an app-level token (xapp-...) with connections:write under Basic Information"
)
DEMO_NEEDS_SLACK = N_(
    "demo --slack needs SLACK_BOT_TOKEN and either SLACK_APP_TOKEN (Socket Mode) or "
    "SLACK_SIGNING_SECRET (HTTP)"
)
CREATE_FROM_MANIFEST = N_(
    "create the app from manifest.yml as the README explains; no cloud account needed"
)


def cannot_be_used(*, variable: str, database: str, reason: object) -> str:
    return _("{variable}: {database} cannot be used: {reason}").format(
        variable=variable, database=database, reason=reason
    )


def make_writable(variable: str) -> str:
    return _(
        "make the file and its directory writable, with free disk space, or point "
        "{variable} elsewhere"
    ).format(variable=variable)


def cannot_listen_on(where: str, reason: object) -> str:
    return _("cannot listen on {where}: {reason}").format(where=where, reason=reason)


def listening_on(host: str, port: int) -> str:
    return _("backupbot listening on http://{host}:{port}/slack/events").format(
        host=host, port=port
    )


def actions_need(create: str, jobs: str) -> str:
    return _("need {create} and {jobs} (not tried: trying would take a backup)").format(
        create=create, jobs=jobs
    )


def pick_details(last: int) -> str:
    """The demo's key for a backup's record: a number from 1 to `last`."""
    return _("[1-{last}] details").format(last=last)


# --- `backupbot check`'s lines (app/check) --------------------------------------------------


def check_line(*, mark: str, subject: str, text: str) -> str:
    return _("{mark} {subject}: {text}").format(mark=mark, subject=subject, text=text)


def said_and_hint(said: str, hint: str | None) -> str:
    """What went wrong, and (in brackets) what to do."""
    if not hint:
        return said
    return _("{said} ({hint})").format(said=said, hint=hint)


def said_then_hint(said: str, hint: str | None, *, details: str = "") -> str:
    """What went wrong (with its details: codes, a request id), then what to do."""
    if details:
        text = _("{said} ({details}).").format(said=said, details=details)
    else:
        text = _("{said}.").format(said=said)
    return _("{said} {hint}").format(said=text, hint=hint) if hint else text
