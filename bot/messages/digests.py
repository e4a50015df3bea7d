"""What a channel and App Home show: digests, health at a glance, watches' incidents,
subscription lists and confirmations (bot/slack/views)."""

from __future__ import annotations

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


def no_longer_watched(*, mark: str, name: str, why: str, state: str, reason: str) -> str:
    return f"{mark} *{name}: no longer watched*: {why}.\n_last seen: {state}: {reason}_"


def no_longer_watched_notice(name: str) -> str:
    return f"{name}: no longer watched"


def watch_removed_by(number: int, user: str) -> str:
    return f"watch #{number} was removed by <@{user}>"


def watch_turned_off(number: int, reason: str) -> str:
    return f"watch #{number} was turned off: {reason}"


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
