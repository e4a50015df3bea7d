"""What a channel and App Home show: digests, health at a glance, watches' incidents,
subscription lists and confirmations (bot/slack/views)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _, ngettext

# --- the daily digest (slack/views/digests) --------------------------------------------------

EVERY_INSTANCE = N_("every instance")
OPEN_THE_LAST_DAY = N_("Open the last 24 h")
ON_REQUEST = N_("on request")
COULD_NOT_READ_BACKUPS = N_("could not read backups")


def and_more(count: int) -> str:
    return _("…and {count} more").format(count=count)


def in_a_day(backups: int) -> str:
    return _("{backups} in 24 h").format(backups=backups)


def running(count: int) -> str:
    return _(", {count} running").format(count=count)


def last_good_ago(age: str) -> str:
    return _("last good {age} ago").format(age=age)


def digest_title(scope: str) -> str:
    return _("Backup digest: {scope}").format(scope=scope)


def digest_subtitle(day: str, as_of: str) -> str:
    return _("{day} · last 24 h · as of {as_of}").format(day=day, as_of=as_of)


def digest_missed(days: str) -> str:
    return _(
        ":warning: Missed: the digest of {days} was not sent in time (backupbot was not running)."
    ).format(days=days)


def could_not_read_backups(problem: str) -> str:
    return _(":rotating_light: Could not read backups: {problem}").format(problem=problem)


def failed_in_the_last_day(count: int) -> str:
    return _("*:red_circle: {count} failed in the last 24 h*").format(count=count)


def digest_footer(number: int) -> str:
    return _("digest #{number} · `/backups digest list`").format(number=number)


def digest_summary(failed: int, alarming: int) -> str:
    return _("{failed} failed, {alarming} need attention").format(failed=failed, alarming=alarming)


def digest_headline(scope: str, summary: str) -> str:
    return _("Backup digest for {scope}: {summary}").format(scope=scope, summary=summary)


def more_all_fine(count: int) -> str:
    return _("*{count} more, all fine: their last 24 h*").format(count=count)


def more_instances_last_day(count: int) -> str:
    return _("…and {count} more instances: `/backups last 24h`").format(count=count)


# --- App Home (slack/views/home_tab) --------------------------------------------------------

HOME_COULD_NOT_READ = N_("_Could not read recent backups just now; try again in a minute._")
HOME_FAILURES = N_("Failures in the last 7 days")
HOME_NO_FAILURES = N_(":large_green_circle: No failed backups.")
HOME_SUBSCRIPTIONS = N_("Digests and watches")
HOME_NO_SUBSCRIPTIONS = N_(
    "None yet. In a channel, `/backups digest add` posts a daily summary and `/backups "
    "watch` posts each new failure."
)


def home_not_allowed(profile: str) -> str:
    return _(
        "_The access rules don't show you @{profile}'s failures here: ask with `/backups "
        "failed last 7d` where they let you._"
    ).format(profile=profile)


def home_intro(examples: str) -> str:
    return _(
        "Ask what happened to your TaurusDB backups, in words:\n{examples}\n`/backups "
        "help` shows the whole language. Mention @backupbot in a channel to answer in a "
        "thread, or write to me here."
    ).format(examples=examples)


def home_more_failures(count: int) -> str:
    return _("…and {count} more: `/backups failed last 7d`").format(count=count)


# --- health at a glance (slack/views/health) ---------------------------------------------------

NO_INSTANCES = N_("no instances")
NO_INSTANCES_TO_JUDGE = N_(":information_source: No instances to judge: none matched.")
NO_INSTANCE_NEEDS_ATTENTION = N_("*:large_green_circle: No instance needs attention*")
OVERDUE = N_(", overdue")
NONE = N_("none")
GRID_DATE = N_("date")
GRID_INSTANCE = N_("instance")
ALL_OK = N_(" (all ok)")


def nothing_needs_attention(counts: str) -> str:
    return _("no instance needs attention ({counts})").format(counts=counts)


def need_attention(alarming: int, total: int) -> str:
    """The plural of the instances follows `total`, the verb `alarming`."""
    if alarming == 1:
        text = ngettext(
            "{alarming:,} of {total:,} instance needs attention",
            "{alarming:,} of {total:,} instances needs attention",
            total,
        )
    else:
        text = ngettext(
            "{alarming:,} of {total:,} instance need attention",
            "{alarming:,} of {total:,} instances need attention",
            alarming,
        )
    return text.format(alarming=alarming, total=total)


def attention_title(attention: str) -> str:
    return _("*:warning: {attention}*").format(attention=attention)


def last_days(days: int, zone: str) -> str:
    return _("*Last {days} days* (days in {zone}) · ").format(days=days, zone=zone)


def judged_from(days: int) -> str:
    return _("policies and the last {days} days of backups").format(days=days)


def and_more_counted(count: int) -> str:
    return _("…and {count:,} more").format(count=count)


def grid_columns(date: str, dates: str) -> str:
    return _("{date} {dates}  last good  allowed  state").format(date=date, dates=dates)


def more_instances(count: int) -> str:
    return ngettext("…and {count:,} more instance", "…and {count:,} more instances", count).format(
        count=count
    )


# --- watches' incidents and turned-off notes (slack/views/alerts) -----------------------------


def resolved_at(mark: str, name: str, at: str, reason: str, was: str) -> str:
    return _("{mark} *{name}: resolved* at {at}: {reason}\n_was: {was}_").format(
        mark=mark, name=name, at=at, reason=reason, was=was
    )


def first_seen(at: str) -> str:
    return _("first seen {at}").format(at=at)


def last_change(at: str) -> str:
    return _(", last change {at}").format(at=at)


def resolved_notice(name: str, was: str) -> str:
    return _("{name}: resolved (was: {was})").format(name=name, was=was)


def no_longer_watched(*, mark: str, name: str, why: str, state: str, reason: str) -> str:
    return _("{mark} *{name}: no longer watched*: {why}.\n_last seen: {state}: {reason}_").format(
        mark=mark, name=name, why=why, state=state, reason=reason
    )


def no_longer_watched_notice(name: str) -> str:
    return _("{name}: no longer watched").format(name=name)


def watch_removed_by(number: int, user: str) -> str:
    return _("watch #{number} was removed by <@{user}>").format(number=number, user=user)


def watch_turned_off(number: int, reason: str) -> str:
    return _("watch #{number} was turned off: {reason}").format(number=number, reason=reason)


def resolved_reply(mark: str, reason: str) -> str:
    return _("{mark} *Resolved*: {reason}").format(mark=mark, reason=reason)


def resolved(name: str) -> str:
    return _("{name}: resolved").format(name=name)


def seen(at: str) -> str:
    return _("seen {at}").format(at=at)


def watch_footer(number: int) -> str:
    return _("times in UTC · watch #{number} · `/backups watch remove {number}` to stop").format(
        number=number
    )


# A subscription's kind (the command word, never translated) -> the thing, as people name it.
# What a command word names: a subscription's kind, or health (a command, never stored).
KIND_NAMES = {"digest": N_("digest"), "watch": N_("watch"), "health": N_("health")}


def kind_name(kind: str) -> str:
    """The subscription `kind` (digest, watch) named in the reader's language."""
    return _(KIND_NAMES.get(kind, kind))


def turned_off(*, kind: str, number: int, scope: str, channel: str, reason: str) -> str:
    return _(
        ":no_entry: I turned off {name} #{number} ({scope}) in <#{channel}>: {reason}. "
        "Invite me back with `/invite @backupbot` and add it again with `/backups {kind} "
        "add ...`."
    ).format(
        name=kind_name(kind), kind=kind, number=number, scope=scope, channel=channel,
        reason=reason,
    )  # fmt: skip


def turned_off_summary(kind: str, number: int, reason: str) -> str:
    return _("Your {name} #{number} was turned off: {reason}").format(
        name=kind_name(kind), number=number, reason=reason
    )


# --- digests and watches: lists and confirmations (slack/views/subscription_lines) ------------

# A subscription's kind (a command word, never translated) -> its plural as people read it.
PLURALS = {"digest": N_("digests"), "watch": N_("watches")}
THE_CONFIG_FILE = N_("the config file")
WATCHING = N_(" watching")


def turned_off_note(reason: str) -> str:
    return _(" · :no_entry: off: {reason}").format(reason=reason)


def at_time(schedule: str) -> str:
    return _(" at {schedule}").format(schedule=schedule)


def daily_at(schedule: str) -> str:
    return _(" daily at {schedule}").format(schedule=schedule)


def channel_line(*, number: int, scope: str, when: str, who: str, off: str) -> str:
    return _("#{number} {scope}{when} · by {who}{off}").format(
        number=number, scope=scope, when=when, who=who, off=off
    )


def home_line(*, kind: str, number: int, channel: str, scope: str, when: str, off: str) -> str:
    return _("{name} #{number} in <#{channel}>: {scope}{when}{off}").format(
        name=kind_name(kind), number=number, channel=channel, scope=scope, when=when, off=off
    )


def none_in_channel(plural: str, kind: str) -> str:
    return _(
        "No {plural} in this channel. Add one with `/backups {kind} add [TARGET ...]`."
    ).format(plural=plural, kind=kind)


def in_this_channel(kind: str) -> str:
    """`kind` is the command word: digest or watch."""
    if kind == "watch":
        return _("*Watches in this channel*\n")
    return _("*Digests in this channel*\n")


def digest_added(*, user: str, number: int, scope: str, at: str, zone: str, first: str) -> str:
    return _(
        ":calendar: <@{user}> set up digest #{number}: {scope} every day at {at} ({zone}). "
        "First one {first}."
    ).format(user=user, number=number, scope=scope, at=at, zone=zone, first=first)


def digest_added_notice(number: int) -> str:
    return _("Digest #{number} set up").format(number=number)


def watch_added(*, user: str, number: int, scope: str, every_minutes: int) -> str:
    return _(
        ":eyes: <@{user}> set up watch #{number} on {scope}: when an instance's backups go "
        "wrong (a failure, a missed window, too long without a good backup) I will post "
        "one message, follow it in that message's thread and mark it resolved when a good "
        "backup is back. Checked every {every_minutes} min."
    ).format(user=user, number=number, scope=scope, every_minutes=every_minutes)


def watch_added_notice(number: int) -> str:
    return _("Watch #{number} set up").format(number=number)


def removed(*, user: str, kind: str, number: int, scope: str) -> str:
    """`kind` is the command word: digest or watch."""
    if kind == "watch":
        text = _(":wastebasket: <@{user}> removed watch #{number} ({scope}).")
    else:
        text = _(":wastebasket: <@{user}> removed digest #{number} ({scope}).")
    return text.format(user=user, number=number, scope=scope)


def removed_notice(kind: str, number: int) -> str:
    if kind == "watch":
        return _("Watch #{number} removed").format(number=number)
    return _("Digest #{number} removed").format(number=number)
