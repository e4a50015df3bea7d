"""Every sentence backupbot shows a person, in one place (as bolt-python's logger/messages.py).

Why: wording is reviewed here, side by side, and a translation replaces one module.
Fixed sentences are constants; sentences with values are functions taking those values.
Messages hold plain words: a view escapes what users typed or the API sent before passing
it in, as it always did, so escaping stays where the Block Kit is drawn.

A leaf: imports nothing of backupbot. `tests/test_messages.py` fails on a sentence left
outside and on a word here that nothing uses.
"""

from __future__ import annotations

# --- query errors and hints (core/parse) --------------------------------------------------

EXAMPLE_QUESTION = "orders-prod last 7d failed"
TRY_AN_EXAMPLE = f"try e.g. '{EXAMPLE_QUESTION}', or 'help' for the whole language"
KEEP_ONE_WINDOW = "keep one of them"
ONE_PROFILE_AT_A_TIME = "ask about one cloud account at a time"
ALL_AND_NAMES = "'all' means every instance, but instances were named too"
DROP_ALL_OR_NAMES = "drop 'all' or the names"
PROFILE_NAME_HINT = "profiles are named like @prod or @prod-ap (letters, digits, '-' and '_')"
INSTANCE_NAME_HINT = "names have 4-64 letters, digits, '-' or '_' and start with a letter"
ID_HINT = "ids are 32 letters or digits followed by in07 (instances) or br07 (backups)"


def too_long(length: int) -> str:
    return f"that command is too long ({length} characters)"


def keep_it_under(limit: int, targets: int) -> str:
    return f"keep it under {limit}: name at most {targets} instances"


def two_windows(first: str, second: str) -> str:
    return f"two windows: '{first}' and '{second}'"


def two_profiles(first: str, second: str) -> str:
    return f"two profiles: @{first} and @{second}"


def too_many_targets(count: int) -> str:
    return f"too many targets ({count})"


def at_most_targets(limit: int) -> str:
    return f"ask about at most {limit} at once"


def not_a_profile_name(word: str) -> str:
    return f"'{word}' is not a profile name"


def not_an_instance_name(word: str) -> str:
    return f"'{word}' is not an instance name"


def unknown_word(word: str) -> str:
    return f"unknown word '{word}'"


def did_you_mean_keyword(typo: str) -> str:
    return f"did you mean '{typo}'?"


def or_write_as_a_name(word: str, prefix: str) -> str:
    return f" For an instance named {word}, write {prefix}{word}"


def not_a_window_alone(word: str) -> str:
    return f"'{word}' on its own is not a window"


def write_since_or_from(word: str) -> str:
    return f"write since {word}, or from {word} to ..."


def write_last(amount: str) -> str:
    return f"write e.g. last {amount}d, last {amount}h or last {amount}w"


def not_an_id(word: str) -> str:
    return f"'{word}' is not an instance or backup id"


# --- windows (core/window_grammar, core/window, core/bounds) --------------------------------

DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2026-11-01"
DATETIME_HINT = "write e.g. 2026-11-01T09:00+08:00, or just the date 2026-11-01"
EMPTY_WINDOW_HINT = "use at least 1, e.g. last 1h"
FROM_TO_EXAMPLE = "from 2026-11-01 to 2026-11-03"
SINCE_EXAMPLE = "since 2026-11-01"
TO_NEEDS_FROM = "'to' needs a 'from' before it"
WRITE_FROM_TO = f"write {FROM_TO_EXAMPLE}"
SWAP_THE_DATES = "swap the two dates"
LAST_NIGHT_HINT = "write last night, or e.g. past 12h"
THIS_NEEDS_WEEK_OR_MONTH = "'this' needs week or month"
SINCE_HINT = "write since YYYY-MM-DD, since monday or since yesterday"
PICK_AN_EARLIER_START = "pick a start before now"
SWAP_THE_TIMES = "swap the two times"
STARTS_IN_THE_FUTURE = "starts in the future"
ENDS_BEFORE_IT_STARTS = "ends before it starts"
ENDS_AS_IT_STARTS = "ends as it starts"
ENDS_IN_THE_FUTURE = "ends in the future"


def empty_window(text: str) -> str:
    return f"'{text}' is an empty window"


def too_far_back(text: str) -> str:
    return f"'{text}' reaches too far back"


def longest_window(longest: str) -> str:
    return f"the longest window is {longest}; use 'since YYYY-MM-DD' for older"


def not_a_date(text: str) -> str:
    return f"'{text}' is not a date"


def not_a_datetime(text: str) -> str:
    return f"'{text}' is not a date-time"


def needs_an_offset(text: str) -> str:
    return f"'{text}' needs a UTC offset"


def write_with_offset(text: str, day: str) -> str:
    return f"write e.g. {text}+00:00, or just the date {day}"


def out_of_range(text: str) -> str:
    return f"'{text}' is out of range"


def date_between(earliest: int, latest: int) -> str:
    return f"use a date between {earliest} and {latest}"


def from_needs_an_end(start: str) -> str:
    return f"'from {start}' needs an end"


def write_from_to(start: str) -> str:
    return f"write from {start} to YYYY-MM-DD, or since {start}"


def start_after_end(start: str, end: str) -> str:
    return f"from {start} to {end}: the start is after the end"


def needs_a_date(keyword: str) -> str:
    return f"'{keyword}' needs a date"


def write_example(example: str) -> str:
    return f"write e.g. {example}"


def needs_an_amount(keyword: str) -> str:
    return f"'{keyword}' needs an amount"


def write_amounts(keyword: str) -> str:
    return f"write e.g. {keyword} 24h, {keyword} 7d or {keyword} 2w"


def not_a_window(words: str) -> str:
    return f"'{words}' is not a window"


def needs_a_unit(words: str) -> str:
    return f"'{words}' needs a unit"


def units_of(amount: str) -> str:
    return f"{amount}d, {amount}h, {amount}w or {amount}m"


def write_this(prefix: str) -> str:
    return f"write this week or this month; for an instance named this, write {prefix}this"


def starts_in_the_future(words: str) -> str:
    return f"'{words}' {STARTS_IN_THE_FUTURE}"


def ends_before_it_starts(words: str) -> str:
    return f"'{words}' {ENDS_BEFORE_IT_STARTS}"


# --- time zones (core/zones) ---------------------------------------------------------------

ZONE_HINT = "use an IANA name such as Europe/Paris"


def unknown_zone(name: str) -> str:
    return f"unknown time zone '{name}'"


# --- request parameters (core/params): the operator's words, before any request ------------

NAME_RULE = "4-64 letters, digits, '-' or '_', starting with a letter"
INSTANCE_ID_RULE = "an instance id is 32 letters or digits followed by in07"
BACKUP_ID_RULE = "a backup id is 32 letters or digits followed by br07"
NAME_IS = f"a name is {NAME_RULE}"
TIMES_NEED_AN_OFFSET = "times need a UTC offset"
CHECK_THE_VALUE = "check the value and try again"
START_IN_THE_FUTURE = "the start of the window is in the future"
PICK_AN_EARLIER_START_TIME = "pick a start time before now"
STARTS_AFTER_IT_ENDS = "the window starts after it ends"
SWAP_OR_WIDEN = "swap the two times or widen the window"
END_IN_THE_FUTURE = "the end of the window is in the future"
LEAVE_THE_END_OUT = "leave the end out to mean 'until now'"


def invalid_parameter(where: str, problem: str) -> str:
    return f"invalid {where}: {problem}"


# --- help and the language (core/commands) -------------------------------------------------

HELP_TEXT = """\
Ask about backups in words, in any order:  [TARGET ...] [WINDOW] [FILTER ...]

TARGET  an instance name (orders-prod), an instance id (32 letters/digits + in07)
        or a backup id (... + br07). Several are merged; none, or 'all', means
        every instance. For an instance named like a keyword: instance:NAME.
WINDOW  last 30m | last 24h | last 7d | last 2w (or past 3 days, past week),
        today, yesterday, since yesterday (its 00:00 to now),
        this week (since Monday 00:00), this month (since the 1st, 00:00),
        last night (yesterday 18:00 to today 09:00, or to now if earlier),
        since monday (any day, or mon..sun: since that day's 00:00, today if
        it is that day), since 2026-11-01, from 2026-11-01 to 2026-11-03,
        or one date (that whole day). Days and hours are in your time zone;
        ISO date-times carry an offset (2026-11-01T09:00+08:00).
        Without a window: last 7d (backup ids: any time).
FILTER  failed, building, completed, available, ok (= completed or available);
        auto or manual. Statuses are alternatives; a type narrows.
@NAME   another cloud account (a profile), e.g. @prod-ap; without it, the default.

Examples:
  orders-prod last 7d failed
  failed building today
  orders-prod payments-prod from 2026-11-01 to 2026-11-03 manual
  yesterday ok auto
  failed since monday

In a channel:
  digest add [TARGET ...] [at HH:MM] [tz Area/City]   a daily digest (default 09:00,
                                                     your time zone, every instance)
  digest list | digest remove ID | digest now [TARGET ...]
  watch [TARGET ...]     follow each instance's health: a failed or missed automated
                         backup, its retry, recovery (one message, changes in its thread)
  watch list | watch remove ID

Health, judged by each instance's backup policy, with 14 days at a glance:
  health [TARGET ...] [@NAME]   ok, running, failed (TaurusDB retries), failed after
                                retry, missed, no automated backups, no backups at all,
                                instance not normal; worst first"""

EXAMPLE_NAME = "orders-prod"
EXAMPLES = (EXAMPLE_QUESTION, "failed building today", "last 24h")
HOME_EXAMPLE = "failed last 7d"
DIGEST_NEEDS_A_COMMAND = "'digest' needs a command"
DIGEST_COMMANDS = (
    "use digest add [TARGET ...] [at HH:MM] [tz Area/City], digest list, "
    "digest remove ID or digest now"
)
AT_EXAMPLE = "at 08:30"
TZ_EXAMPLE = "tz Europe/Paris"
TIME_OF_DAY_HINT = "use HH:MM on a 24-hour clock, e.g. at 08:30"
HEALTH_TAKES_INSTANCES = "health takes only instances"
NAME_INSTANCES = "name instances"


def not_a_digest_command(action: str) -> str:
    return f"'digest {action}' is not a digest command"


def needs_a_value(word: str) -> str:
    return f"'{word}' needs a value"


def not_a_time_of_day(text: str) -> str:
    return f"'at {text}' is not a time of day"


def remove_needs_a_number(kind: str) -> str:
    return f"'{kind} remove' needs the number of a {kind}"


def see_the_numbers(kind: str) -> str:
    return f"see the numbers with '{kind} list', then e.g. {kind} remove 3"


def health_judges_now(example: str) -> str:
    return f"it always judges now, with the last 14 days; try 'health {example}'"


def takes_only_instances(kind: str) -> str:
    return f"a {kind} takes only instances"


def covers_the_last_day(kind: str, example: str) -> str:
    return f"it always covers every backup of the last 24 h; try '{kind} add {example}'"


def not_single_backups(kind: str) -> str:
    return f"{kind} is about instances, not single backups"


# --- targets and unknown names (core/targets, core/engine) ---------------------------------

CHECK_THE_BACKUP_ID = "check the id: it is shown in each backup's details"
CHECK_THE_INSTANCE_ID = "check the id, or ask by instance name"
NAMES_ARE_CASE_SENSITIVE = "names are case-sensitive; ask without a name to see every instance"


def no_backup_with_id(backup_id: str) -> str:
    return f"no backup with id {backup_id}"


def no_backups_for_instance_id(instance_id: str) -> str:
    return f"no backups for instance id {instance_id}"


def did_you_mean_names(names: list[str]) -> str:
    return "did you mean " + " or ".join(names) + "?"


def no_instance_named(name: str) -> str:
    return f"no instance named {name}"


def no_such_profile(name: str) -> str:
    return f"there is no profile @{name}"


def the_profiles_are(known: str) -> str:
    return f"the profiles are {known}"


# --- health: why a policy is unknown, and each state's reason (core/engine, core/assess) ---

LISTING_UNREADABLE = "the instance listing could not be read"
NOT_IN_THE_LISTING = "not in the instance listing"
NO_PERMISSION_TO_READ_IT = "no permission to read it"
MAY_NOT_LIST_INSTANCES = "list instances"
MAY_NOT_READ_POLICIES = "read backup policies"
INSTANCES_WITHOUT_BACKUPS_UNSEEN = ", and instances without backups are not shown"
KEEP_DAYS_ZERO = "keep_days 0"
NO_WINDOW_OR_DAYS = "no backup window or days"
FAILED_TOO = "failed too"
DID_NOT_SUCCEED = "did not succeed"
UNKNOWN_STATUS = "of unknown status"


def grant(action: str, legacy_action: str) -> str:
    return f"grant {action} (role/policy-based: {legacy_action})"


def judged_by_threshold(*, what: str, limit: str, unseen: str, action: str, legacy: str) -> str:
    return (
        f"backupbot may not {what}, so health is judged by the {limit} threshold"
        f"{unseen}: {grant(action, legacy)}"
    )


def not_understood(problem: str) -> str:
    return f"not understood: {problem}"


def policy_unknown(why: str) -> str:
    return f"policy unknown ({why})"


def automated_backups_off(why: str) -> str:
    return f"automated backups are off ({why})"


def expected(schedule: str) -> str:
    return f"expected {schedule}"


def no_backups_at_all_in(covered: str, expectation: str) -> str:
    return f"no backups at all in the last {covered}; {expectation}"


def instance_is(status: str, reason: str) -> str:
    return f"instance {status}; {reason}"


def no_good_backup_in(covered: str) -> str:
    return f"no good backup in the last {covered}"


def last_good_backup(age: str) -> str:
    return f"last good backup {age} ago"


def judged_by_the(expectation: str, limit: str) -> str:
    return f"{expectation}, judged by the {limit} threshold"


def new_instance(age: str, note: str) -> str:
    return f"new instance, created {age} ago; {note}"


def first_backup_due(window: str) -> str:
    return f"first backup due {window}"


def backed_up_at(at: str) -> str:
    return f"backed up at {at}"


def after_a_failure_at(at: str) -> str:
    return f", after a failure at {at}"


def backup_running_since(at: str) -> str:
    return f"backup running since {at}"


def retry_running_since(at: str, failed_at: str) -> str:
    return f"retry running since {at}, after a failure at {failed_at}"


def no_backup_started(window: str) -> str:
    return f"no backup started in the {window} window"


def backup_failed_at(at: str, said: str) -> str:
    return f"backup failed at {at}{said}"


def retries_at_about(first: str, at: str) -> str:
    return f"{first} — TaurusDB retries at about {at}"


def and_the_retry(first: str, at: str, verb: str) -> str:
    return f"{first}, and the retry at {at} {verb}"


def and_no_retry_by(first: str, deadline: str) -> str:
    return f"{first}, and no retry started by {deadline}"


# --- instances and policies as the API sends them (core/instances) -------------------------

# An instance's status (v3 and v3.1 listings, upper-cased) as a person would say it.
INSTANCE_STATUS_WORDS: dict[str, str] = {
    "BUILD": "being created",
    "CREATING": "being created",
    "FAILED": "creation failed",
    "CREATEFAIL": "creation failed",
    "ABNORMAL": "abnormal",
    "FROZEN": "frozen (account in arrears)",
    "MODIFYING": "being modified",
    "REBOOTING": "rebooting",
    "RESTORING": "being restored",
    "SWITCHOVER": "switching over",
    "MIGRATING": "migrating",
    "MODIFYING DATABASE PORT": "changing its port",
    "STORAGE FULL": "out of storage",
}


def in_status(status: str) -> str:
    return f"in status {status!r}"


def negative_keep_days(keep_days: int) -> str:
    return f"keep_days {keep_days} is negative"


def window_not_hh_mm(text: str) -> str:
    return f"backup window {text!r} is not hh:mm-HH:MM"


def window_not_a_time_range(text: str) -> str:
    return f"backup window {text!r} is not a valid time range"


def window_is_empty(text: str) -> str:
    return f"backup window {text!r} is empty"


def period_day_out_of_range(text: str) -> str:
    return f"backup period {text!r} has a day that is not 1-7"


# --- access denials and the access file (access) -------------------------------------------

OTHER_WORKSPACE = "backupbot answers only in the workspace that installed it"
ADD_THIS_WORKSPACE = "ask whoever runs it to add this workspace to BACKUPBOT_ACCESS_FILE"
RULES_DO_NOT_ALLOW = (
    "the access rules (BACKUPBOT_ACCESS_FILE) don't allow it for this channel or user; "
    "ask whoever runs backupbot"
)
ACCESS_FILE_HINT = "see the access example in the README"


def may_not_ask_about(profile: str) -> str:
    return f"sorry, you can't ask about @{profile} here"


def not_a_slack_id(value: str) -> str:
    return f"'{value}' is not a Slack id (like T0123, C0123, U0123, S0123)"


# --- the state store and permissions (errors) ----------------------------------------------

WRITTEN = "written"
READ = "read"


def store_failed(database: str, verb: str, reason: str) -> str:
    return f"the state store ({database}) could not be {verb}: {reason}"


def iam_user_needs(action: str, legacy_action: str) -> str:
    return f"The IAM user needs {action} (with role/policy-based authorization: {legacy_action})."


# --- upstream (Huawei) errors and what they mean (huawei/*) ----------------------------------

THROTTLING = "The API is throttling requests: wait a moment and ask again."
NO_SUCH_API = "No such API at this address: check HUAWEICLOUD_REGION or GAUSSDB_ENDPOINT."
REFUSED_PARAMETER = "The API refused a parameter of the query: check names, ids and dates."
# What the API's error codes mean to the person who has to fix them.
API_EXPLANATIONS: dict[str, str] = {
    "APIGW.0301": "The access key, secret key or token was refused: check CLOUD_SDK_AK/"
    "CLOUD_SDK_SK (or HUAWEICLOUD_AUTH_TOKEN) and HUAWEICLOUD_PROJECT_ID. Five failures in a "
    "row lock the key for 5 minutes.",
    "APIGW.0307": "The IAM token has expired: get a new one (tokens last 24 hours).",
    "APIGW.0308": THROTTLING,
    "APIGW.0101": NO_SUCH_API,
    "DBS.200001": REFUSED_PARAMETER,
    "DBS.200004": REFUSED_PARAMETER,
    "DBS.200021": "The instance name is not valid: 4-64 letters, digits, '-' or '_'.",
    "DBS.200022": "That instance does not exist in this project and region.",
}
API_STATUS_EXPLANATIONS: dict[int, str] = {
    401: "The credentials were refused: check the access key, secret key or token.",
    403: "The credentials lack permission: the IAM user needs gaussdbformysql:backup:list.",
    404: NO_SUCH_API,
    429: THROTTLING,
}
API_INTERNAL_PROBLEM = "The TaurusDB API had an internal problem: try again in a minute."
API_REFUSED = "The TaurusDB API refused the request"
API_PERMISSION_DENIED = "The TaurusDB API refused the request: permission denied"
API_GARBLED = "The TaurusDB API sent a garbled answer"
API_UNREADABLE = "The TaurusDB API sent an answer backupbot could not read"
TRY_AGAIN_IN_A_MINUTE = "Try again in a minute."
MAY_BE_OVERLOADED = "It may be overloaded: try again in a minute."
CHECK_THE_NETWORK = "Check the network, HUAWEICLOUD_REGION or GAUSSDB_ENDPOINT."
LISTING_TOO_LARGE = "The instance listing is too large to read"
BACKUP_LISTING_TOO_LARGE = "The listing is too large to read"
NARROW_THE_QUESTION = "Narrow the window or the target."


def api_timed_out(host: str, timeout: float) -> str:
    return f"The TaurusDB API at {host} did not answer within {timeout:g} s"


def api_unreachable(host: str) -> str:
    return f"Could not reach the TaurusDB API at {host}"


def unexpected_value_at(location: str) -> str:
    return f"Unexpected value at {location}."


def invalid_instance_page(offset: int, limit: int) -> str:
    return f"invalid instance page: offset {offset}, limit {limit}"


def instance_page_rule(most: int) -> str:
    return f"offset is 0 or more, limit 1 to {most}"


def invalid_instance_id(instance_id: str) -> str:
    return f"invalid instance id {instance_id!r}"


# --- profiles and credentials (huawei/profiles) ---------------------------------------------

PROJECT_ID_RULE = "project_id must be 32 letters or digits"
SET_THE_KEYS = (
    "set CLOUD_SDK_AK and CLOUD_SDK_SK (or HUAWEICLOUD_AUTH_TOKEN), "
    "or add --simulator to try the built-in simulator"
)
PROJECT_ID_NOT_SET = "HUAWEICLOUD_PROJECT_ID is not set"
COPY_THE_PROJECT_ID = (
    "copy the project id of your region from 'My Credentials' in the console, "
    "or name profiles in BACKUPBOT_PROFILES_FILE"
)
PROFILES_FILE_HINT = "see the profiles example in the README"
ADD_A_PROFILE = "add a [profiles.NAME] table"
PROFILE_NAME_RULE = "use letters, digits, - and _"
FIX_THE_DEFAULT = "fix 'default'"
GIVE_CREDENTIALS = "give access_key and secret_key, or auth_token"


def not_set(variable: str) -> str:
    return f"{variable} is not set"


def names_no_profiles(path: str) -> str:
    return f"{path} names no profiles"


def not_a_profile_name_in(path: str, name: str) -> str:
    return f"{path}: '{name}' is not a profile name"


def default_not_defined(path: str, default: str) -> str:
    return f"{path}: default profile '{default}' is not defined"


def in_profile(path: str, name: str, message: str) -> str:
    return f"{path}: profile {name}: {message}"


def profile_without_credentials(path: str, name: str) -> str:
    return f"{path}: profile {name} has no credentials"


# --- regions and their endpoints (huawei/regions) -------------------------------------------

SET_THE_REGION = "set it to your region, e.g. cn-north-4, or set GAUSSDB_ENDPOINT"


def no_known_endpoint(region: str) -> str:
    return f"HUAWEICLOUD_REGION '{region}' has no known TaurusDB endpoint"


def set_the_endpoint(regions: str) -> str:
    return (
        "set GAUSSDB_ENDPOINT to the endpoint from the Huawei Cloud console, "
        f"or use one of: {regions}"
    )


# --- answers: counts, notes and buttons (slack/views/results) --------------------------------
# Slack mrkdwn that belongs to a sentence (an emoji, *bold*) is part of its words; values come
# in already escaped (or `code`-formatted) by the view.

NO_BACKUPS = "No backups"
NO_BACKUPS_LOWER = "no backups"
DEFAULT_WINDOW = " (default)"
NO_DATA = "no data"
SIZE_UNKNOWN = "size unknown"
ALL_INSTANCES = "all instances"
ALL = "all"
NO_BACKUPS_MATCH = "_No backups match._"
SOMEONE = "someone"
DETAILS = "Details"
PREVIOUS = "Previous"
NEXT = "Next"
REFRESH = "Refresh"
FAILED_ONLY = "Failed only"
SHARE_IN_CHANNEL = "Share in channel"
BACK_TO_THE_LIST = "Back to the list"
OF_ANY_STATUS = "of any status "


def coverage_of_window(read: str) -> str:
    return f"counts cover the newest {read} backups of the window; narrow it to see all"


def coverage_of(read: str, total: str) -> str:
    return f"counts cover the newest {read} of {total} backups; narrow the window to see all"


def running_for(age: str) -> str:
    return f"running for {age}"


def and_more_instances(count: int) -> str:
    return f"…and {count} more instances"


def information(text: str) -> str:
    return f":information_source: {text}"


def unreadable_rows(count: int) -> str:
    rows = "1 row" if count == 1 else f"{count} rows"
    return (
        f":warning: {rows} the TaurusDB API sent could not be read and "
        f"{'is' if count == 1 else 'are'} left out of this answer "
        "(backupbot's log has them)"
    )


def warning(name: str, reason: str) -> str:
    return f":warning: {name}: {reason}"


def backup_not_of_type(target: str, kind: str) -> str:
    return f":information_source: backup {target} is not a {kind}backup"


def backup_outside_window(target: str, window: str, when: str) -> str:
    return (
        f":information_source: backup {target} is outside the window ({window}); it is from {when}"
    )


def no_backups_at_all_of(target: str, kind: str) -> str:
    return f":information_source: {target} has no {kind}backups at all"


def no_backups_in(
    *, target: str, kind: str, any_status: str, phrase: str, when: str, age: str
) -> str:
    return (
        f":information_source: {target} has no {kind}backups {any_status}"
        f"{phrase}; its newest {kind and kind + 'one '}is from {when} ({age} ago)"
    )


def backups_header(text: str) -> str:
    return f"Backups: {text}"


def of_good_backups(size: str) -> str:
    return f" · {size} of good backups"


def size_trend(name: str, line: str, size: str) -> str:
    return f"size trend {name} {line} {size}"


def details_of_backup(backup_id: str) -> str:
    return f"Details of backup {backup_id!r}"


def matches(count: int) -> str:
    return f"{count} match{'es' if count != 1 else ''}"


def page_of(page: int, pages: int) -> str:
    return f"page {page} of {pages}"


def as_of(when: str, age: str) -> str:
    return f"as of {when}, {age} ago"


def shared_by(mention: str) -> str:
    return f":mega: shared by {mention}"


def backup_title(name: str) -> str:
    return f"Backup {name}"


def started(when: str) -> str:
    return f"started {when}"


def ended(when: str) -> str:
    return f", ended {when}"


# --- help and our own failures (slack/views/notices) ----------------------------------------

STORE_DOWN = (
    "subscriptions are unavailable right now",
    "backupbot cannot use its state store; whoever runs it can see why in its logs",
)
HELP_TITLE = "Asking backupbot about backups"
HELP_SUMMARY = "How to ask backupbot about backups"
HELP_FOOTER = (
    "A slash command answers only you, with a *Share in channel* button; "
    "mention @backupbot to answer in a thread for everyone."
)


def try_examples(examples: str) -> str:
    return f"Try:\n{examples}"


def request_id(request: str) -> str:
    return f"request id {request}"


def apology(incident: str) -> str:
    return (
        ":x: Sorry, backupbot hit an unexpected problem answering that. Please try "
        f"again; if it keeps happening, give your admin this id: {incident}"
    )


def apology_summary(incident: str) -> str:
    return f"backupbot hit an unexpected problem (id {incident})"


# --- the daily digest (slack/views/digests) --------------------------------------------------

EVERY_INSTANCE = "every instance"
OPEN_THE_LAST_DAY = "Open the last 24 h"
ON_REQUEST = "on request"
COULD_NOT_READ_BACKUPS = "could not read backups"


def and_more(count: int) -> str:
    return f"…and {count} more"


def in_a_day(backups: int) -> str:
    return f"{backups} in 24 h"


def running(count: int) -> str:
    return f", {count} running"


def last_good_ago(age: str) -> str:
    return f"last good {age} ago"


def digest_title(scope: str) -> str:
    return f"Backup digest: {scope}"


def digest_subtitle(day: str, as_of: str) -> str:
    return f"{day} · last 24 h · as of {as_of}"


def digest_missed(days: str) -> str:
    return (
        f":warning: Missed: the digest of {days} was not sent in time (backupbot was not running)."
    )


def could_not_read_backups(problem: str) -> str:
    return f":rotating_light: Could not read backups: {problem}"


def failed_in_the_last_day(count: int) -> str:
    return f"*:red_circle: {count} failed in the last 24 h*"


def digest_footer(number: int) -> str:
    return f"digest #{number} · `/backups digest list`"


def digest_summary(failed: int, alarming: int) -> str:
    return f"{failed} failed, {alarming} need attention"


def digest_headline(scope: str, summary: str) -> str:
    return f"Backup digest for {scope}: {summary}"


def more_all_fine(count: int) -> str:
    return f"*{count} more, all fine: their last 24 h*"


def more_instances_last_day(count: int) -> str:
    return f"…and {count} more instances: `/backups last 24h`"


# --- App Home (slack/views/home_tab) --------------------------------------------------------

HOME_COULD_NOT_READ = "_Could not read recent backups just now; try again in a minute._"
HOME_FAILURES = "Failures in the last 7 days"
HOME_NO_FAILURES = ":large_green_circle: No failed backups."
HOME_SUBSCRIPTIONS = "Digests and watches"
HOME_NO_SUBSCRIPTIONS = (
    "None yet. In a channel, `/backups digest add` posts a daily summary and "
    "`/backups watch` posts each new failure."
)


def home_not_allowed(profile: str) -> str:
    return (
        f"_The access rules don't show you @{profile}'s failures here: "
        "ask with `/backups failed last 7d` where they let you._"
    )


def home_intro(examples: str) -> str:
    return (
        "Ask what happened to your TaurusDB backups, in words:\n"
        f"{examples}\n`/backups help` shows the whole language. "
        "Mention @backupbot in a channel to answer in a thread, or write to me here."
    )


def home_more_failures(count: int) -> str:
    return f"…and {count} more: `/backups failed last 7d`"


# --- health at a glance (slack/views/health) ---------------------------------------------------

NO_INSTANCES = "no instances"
NO_INSTANCES_TO_JUDGE = ":information_source: No instances to judge: none matched."
NO_INSTANCE_NEEDS_ATTENTION = "*:large_green_circle: No instance needs attention*"
OVERDUE = ", overdue"
NONE = "none"
GRID_DATE = "date"
GRID_INSTANCE = "instance"
ALL_OK = " (all ok)"


def nothing_needs_attention(counts: str) -> str:
    return f"no instance needs attention ({counts})"


def instances(count: int) -> str:
    return "1 instance" if count == 1 else f"{count:,} instances"


def need_attention(alarming: int, total: int) -> str:
    verb = "needs" if alarming == 1 else "need"
    return f"{alarming:,} of {instances(total)} {verb} attention"


def attention_title(attention: str) -> str:
    return f"*:warning: {attention}*"


def last_days(days: int, zone: str) -> str:
    return f"*Last {days} days* (days in {zone}) · "


def judged_from(days: int) -> str:
    return f"policies and the last {days} days of backups"


def and_more_counted(count: int) -> str:
    return f"…and {count:,} more"


def grid_columns(date: str, dates: str) -> str:
    return f"{date} {dates}  last good  allowed  state"


def more_instances(count: int) -> str:
    return f"…and {count:,} more instance{'s' if count > 1 else ''}"


# --- watches' incidents and turned-off notes (slack/views/alerts) -----------------------------


def resolved_at(mark: str, name: str, at: str, reason: str, was: str) -> str:
    return f"{mark} *{name}: resolved* at {at}: {reason}\n_was: {was}_"


def first_seen(at: str) -> str:
    return f"first seen {at}"


def last_change(at: str) -> str:
    return f", last change {at}"


def resolved_notice(name: str, was: str) -> str:
    return f"{name}: resolved (was: {was})"


def resolved_reply(mark: str, reason: str) -> str:
    return f"{mark} *Resolved*: {reason}"


def resolved(name: str) -> str:
    return f"{name}: resolved"


def seen(at: str) -> str:
    return f"seen {at}"


def watch_footer(number: int) -> str:
    return f"times in UTC · watch #{number} · `/backups watch remove {number}` to stop"


def turned_off(*, kind: str, number: int, scope: str, channel: str, reason: str) -> str:
    return (
        f":no_entry: I turned off {kind} #{number} ({scope}) "
        f"in <#{channel}>: "
        f"{reason}. Invite me back with `/invite @backupbot` and add it again with "
        f"`/backups {kind} add ...`."
    )


def turned_off_summary(kind: str, number: int, reason: str) -> str:
    return f"Your {kind} #{number} was turned off: {reason}"


# --- digests and watches: lists and confirmations (slack/views/subscription_lines) ------------

PLURALS = {"digest": "digests", "watch": "watches"}
THE_CONFIG_FILE = "the config file"
WATCHING = " watching"


def turned_off_note(reason: str) -> str:
    return f" · :no_entry: off: {reason}"


def at_time(schedule: str) -> str:
    return f" at {schedule}"


def daily_at(schedule: str) -> str:
    return f" daily at {schedule}"


def channel_line(*, number: int, scope: str, when: str, who: str, off: str) -> str:
    return f"#{number} {scope}{when} · by {who}{off}"


def home_line(*, kind: str, number: int, channel: str, scope: str, when: str, off: str) -> str:
    return f"{kind} #{number} in <#{channel}>: {scope}{when}{off}"


def none_in_channel(plural: str, kind: str) -> str:
    return f"No {plural} in this channel. Add one with `/backups {kind} add [TARGET ...]`."


def in_this_channel(plural: str) -> str:
    return f"*{plural.capitalize()} in this channel*\n"


def digest_added(*, user: str, number: int, scope: str, at: str, zone: str, first: str) -> str:
    return (
        f":calendar: <@{user}> set up digest #{number}: "
        f"{scope} every day at {at} ({zone}). "
        f"First one {first}."
    )


def digest_added_notice(number: int) -> str:
    return f"Digest #{number} set up"


def watch_added(*, user: str, number: int, scope: str, every_minutes: int) -> str:
    return (
        f":eyes: <@{user}> set up watch #{number} on "
        f"{scope}: when an instance's backups go wrong (a failure, a missed "
        f"window, too long without a good backup) I will post one message, follow it in "
        f"that message's thread and mark it resolved when a good backup is back. "
        f"Checked every {every_minutes} min."
    )


def watch_added_notice(number: int) -> str:
    return f"Watch #{number} set up"


def removed(*, user: str, kind: str, number: int, scope: str) -> str:
    return f":wastebasket: <@{user}> removed {kind} #{number} ({scope})."


def removed_notice(kind: str, number: int) -> str:
    return f"{kind.capitalize()} #{number} removed"


# --- Slack: the guard's replies, buttons, answers, subscriptions (slack/*) --------------------

SIMULATED_LABEL = ":test_tube: simulated data from the built-in TaurusDB simulator"
INVITE_ME = "if this is a private channel, invite me with /invite @backupbot"
SLACK_UNREACHABLE = "Slack could not be reached just now"
PLEASE_ASK_AGAIN = "please ask again"
STALE_BUTTON = "that button is from an older answer backupbot can no longer read"
ASK_AGAIN = "ask again with /backups"
SUBSCRIBE_BY_SLASH_COMMAND = "digests and watches are set up with the slash command"
TYPE_THE_SLASH_COMMAND = "type /backups digest ... or /backups watch ... in the channel"
BACKUP_NO_LONGER_LISTED = "that backup is no longer listed"
REFRESH_THE_LIST = "refresh the list"
INVITE_ME_AND_RETRY = "invite me with /invite @backupbot, then try again"
REMOVE_FROM_THE_FILE = "remove it there (BACKUPBOT_DIGESTS_FILE) and restart backupbot"
# Why Slack will not take a scheduled post, by its error code.
CHANNEL_GONE = {
    "channel_not_found": "the channel no longer exists or backupbot cannot see it",
    "not_in_channel": "backupbot is not a member of the channel",
    "is_archived": "the channel was archived",
}
NO_MESSAGE_YET = "the incident has no message yet"


def slack_refused_delivery(code: str) -> str:
    return f"Slack refused to deliver the answer ({code})"


def button_too_large(length: int, limit: int) -> str:
    return f"its value would be {length:,} characters, over Slack's {limit:,}"


def health_title(targets: str) -> str:
    return f"Backup health: {targets}"


def cannot_post_here(reason: str) -> str:
    return f"I cannot post in this channel: {reason}"


def no_such_subscription(kind: str, number: int) -> str:
    return f"there is no {kind} #{number} in this channel"


def see_the_subscriptions(kind: str) -> str:
    return f"see this channel's {kind}s with /backups {kind} list"


def declared_in_the_file(kind: str, number: int) -> str:
    return f"{kind} #{number} is declared in the config file"


def channel_gone(why: str, code: str) -> str:
    return f"{why} ({code})"


def slack_refused_message(code: str) -> str:
    return f"Slack refused the message: {code}"


def slack_unreachable(error: object) -> str:
    return f"could not reach Slack: {error}"


# --- Slack at start-up (slack/webapi) ----------------------------------------------------------

CHECK_SLACK_SETTINGS = "check the network, SLACK_API_URL and BACKUPBOT_SLACK_TIMEOUT"
COPY_THE_TOKEN = "copy SLACK_BOT_TOKEN again from the app's OAuth & Permissions page"
CHECK_SLACK_API_URL = "check SLACK_API_URL (default https://slack.com/api/)"


def slack_unreachable_at(url: str, reason: str) -> str:
    return f"could not reach Slack at {url} ({reason})"


def token_refused(code: str) -> str:
    return f"Slack refused the bot token ({code})"


def not_slack(url: str, code: str) -> str:
    return f"{url} is not Slack's Web API: auth.test answered {code}"


def no_answer_within(timeout: float) -> str:
    return f"no answer within {timeout:g} s"


# --- what the HTTP front door refuses (slack/intake, slack/http) ------------------------------

BODY_TOO_LARGE = "body too large"
BODY_NOT_UTF8 = "body is not UTF-8"
NO_CHALLENGE = "url_verification without a challenge"
NOT_AN_EVENT = "an Events API body needs type event_callback and an event"
EVENT_WITHOUT_TYPE = "the event has no type"
PAYLOAD_WITHOUT_TYPE = "payload has no type"
ACTIONS_WITHOUT_USER = "block_actions without actions or user"


def not_json(what: str) -> str:
    return f"{what} is not valid JSON"


def not_a_json_object(what: str) -> str:
    return f"{what} is not a JSON object"


def body_over(limit: int) -> str:
    return f"body over {limit} bytes"


def unsupported_content_type(kind: str) -> str:
    return f"unsupported content type {kind}"


def command_without(missing: str) -> str:
    return f"slash command without {missing}"


# --- the terminal: query, render, the demo, the simulator (app/local, demo) -------------------

SUBSCRIPTIONS_LIVE_IN_SLACK = "digests and watches live in Slack channels"
TYPE_IT_IN_THE_CHANNEL = "type it after /backups in the channel that should receive them"
DEMO_TOUR = """\
backupbot demo: the Slack bot in your terminal, answering from the built-in TaurusDB
simulator (sixteen made-up instances, up to 60 days of backups). Type what you would
type after /backups in Slack. Three questions worth trying:

  failed last 30d        what went wrong this month, failures first
  orders-prod last 7d    one instance's week, with its size trend
  legacy-crm             an instance that has gone days without a good backup

Under an answer, the buttons are keys: n next, p previous, r refresh, f failed only,
a number for one backup's full record, b back. 'help' shows the whole language; q quits."""


def simulator_serving(*, port: int, backups: int, project: str) -> str:
    return (
        f"TaurusDB simulator on http://127.0.0.1:{port} "
        f"({backups} backups, project {project}).\n"
        f"Point backupbot at it with GAUSSDB_ENDPOINT=http://127.0.0.1:{port}; "
        "stop with Ctrl-C."
    )


# --- the command line: help and one-line errors (cli) -----------------------------------------

CLI_DESCRIPTION = "Answers 'what happened to our database backups?' for Huawei Cloud TaurusDB."
SIMULATOR_HELP = "answer from the built-in simulator instead of the real API"
SIMULATOR_COMMAND_HELP = "serve the built-in TaurusDB API simulator"
SIMULATOR_PORT_HELP = "port on 127.0.0.1 (default 8700)"
LATENCY_HELP = "seconds added to each answer"
CLOCK_LAG_HELP = "seconds the server's clock lags behind"
UNIFORM_BACKUPS_HELP = "serve N uniform backups instead of the demo fleet"
QUERY_HELP = f"answer a question about backups, e.g. '{EXAMPLE_QUESTION}'"
QUERY_DESCRIPTION = "Answer a question, in the same language as /backups in Slack."
QUESTION_HELP = f"the question, e.g. {EXAMPLE_QUESTION}"
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


# --- `backupbot check`: one line per check (app/check) ----------------------------------------

CHECK_API = "TaurusDB API"
CHECK_INSTANCES = "TaurusDB instances"
CHECK_POLICIES = "TaurusDB policies"
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
    "check that the database server is up and that its user may create tables"
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


# --- the state database and its migrations (schedule/database, schedule/migrate, store) -------

DATABASE_URL_EXAMPLES = (
    "postgresql://user@host/db, mysql://user@host/db or sqlite:///path/state.sqlite3"
)
SQLITE_NEEDS_A_FILE = "a SQLite URL needs a file: sqlite:///path/state.sqlite3"
EMPTY_STATE_FILE = "it is empty (0 bytes), so not a backupbot state file"
RESTORE_OR_DELETE = "restore it from a backup, or delete it to start afresh"
MIGRATIONS_GO_FORWARD = "run the backupbot that migrated it: migrations only go forward"
WAIT_FOR_THE_MIGRATION = "wait until its migration ends (its log says), then start again"
CORRECT_THAT_ROW = "correct or delete that row, then migrate again"


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
