"""Taking a backup by hand: the rules, the refusals, the confirmation and the channel's
message (core/backup_action, huawei/backup_job, schedule/backup_actions, slack)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _, ngettext

# --- the API's rules (core/backup_action) ----------------------------------------------

BACKUP_NAME_RULE = N_(
    "a backup name has 4 to 64 characters: letters, digits, - and _, starting with a letter"
)
DESCRIPTION_RULE = N_(
    "a description has at most 256 characters, none of > ! < \" & ' = and no line break"
)
DESCRIPTION_HAS_A_RETURN = N_("the description holds a carriage return, which the API refuses")
UNKNOWN_STATUS = N_("unknown")
TRY_WHEN_NORMAL = N_("take the backup once the instance is back to normal")
BACKUP_ALREADY_RUNNING = N_("a backup of this instance is already running")
ANOTHER_OPERATION = N_("another operation is being performed on this instance")
WAIT_FOR_IT = N_("wait until it ends, then ask again")
LOOKING_FOR_IT = N_("backupbot looks for the backup by its name, and never asks twice")
CANNOT_TAKE_BACKUPS = N_("backupbot cannot take backups with this cloud profile")
BACKUPBOT_ONLY_READS = N_("it only reads here: ask whoever runs backupbot")


def backup_name_refused(name: str) -> str:
    return _("the API would refuse the backup name {name}").format(name=name)


def description_has(character: str) -> str:
    return _("the description holds {character}, which the API refuses in a description").format(
        character=character
    )


def description_too_long(length: int, most: int) -> str:
    return ngettext(
        "the description has {length:,} character; the API takes at most {most:,}",
        "the description has {length:,} characters; the API takes at most {most:,}",
        length,
    ).format(length=length, most=most)


def instance_not_ready(status: str) -> str:
    return _("the instance is not normal (its status: {status}), so no backup can be taken").format(
        status=status
    )


def backup_running_by(who: str, since: str) -> str:
    return _("a backup of this instance is already running, started by {who} at {since}").format(
        who=who, since=since
    )


def slack_mention(user: str) -> str:
    """Slack's own token for a person (no words: Slack shows their name)."""
    return f"<@{user}>"


def on_the_command_line(login: str) -> str:
    return _("{login} (command line)").format(login=login)


def slack_user(user: str) -> str:
    return _("Slack user {user}").format(user=user)


def manual_backup_running_since(since: str) -> str:
    return _("a manual backup of this instance is already running, started at {since}").format(
        since=since
    )


def automated_backup_running_since(since: str) -> str:
    return _("an automated backup of this instance is already running, started at {since}").format(
        since=since
    )


JOB_UNREADABLE = N_("its job cannot be read: following the backup itself")
NEITHER_READABLE = N_("neither its job nor the backup can be read now: still trying")


def could_not_follow(name: str, minutes: int) -> str:
    return ngettext(
        "could not follow backup {name}: neither its job nor the backup could be read for "
        "{minutes} minute; check the console",
        "could not follow backup {name}: neither its job nor the backup could be read for "
        "{minutes} minutes; check the console",
        minutes,
    ).format(name=name, minutes=minutes)


def backup_lost_sight(instance: str, words: str) -> str:
    return _("Backup of {instance}: {words}").format(instance=instance, words=words)


def never_appeared(name: str) -> str:
    return _(
        "the API's answer was lost and no backup named {name} appeared since: it was not taken"
    ).format(name=name)


# --- asking and confirming (slack/backup_commands, cli) ----------------------------------

BACKUP_NEEDS_AN_INSTANCE = N_("say which instance to back up")
BACKUP_EXAMPLE_HINT = N_('for example: backup orders-prod "before the schema change"')
BACKUP_ONE_INSTANCE = N_("a backup is of one instance: name just one")
NOT_ALLOWED_TO_BACK_UP = N_("the access rules do not let you take backups here")
ASK_FOR_THE_BACKUP_RULE = N_('ask whoever runs backupbot for a rule with actions = ["backup"]')
TAKE_BACKUP = N_("Take backup")
CANCEL = N_("Cancel")
CONFIRMATION_EXPIRED = N_("this confirmation expired (after 10 minutes)")
ASK_AGAIN_FOR_A_BACKUP = N_("ask for the backup again")
NOT_YOUR_CONFIRMATION = N_("only the person who asked for this backup can confirm or cancel it")
ASK_FOR_YOUR_OWN = N_("ask for a backup yourself if you need one")
ALREADY_CONFIRMED = N_("this backup was confirmed already: its progress is in the channel")
ALREADY_CANCELLED = N_("this backup was cancelled")
NO_GOOD_BACKUP = N_("none in the last 14 days")
BACKING_UP_NOW = N_("taking the backup…")
CONFIRM_FOOTER = N_("Only you can confirm. This confirmation expires in 10 minutes.")
CANCELLED_NOTE = N_("Cancelled: no backup was taken.")
WAITING_FOR_THE_JOB = N_("waiting for its job to start")
LOOKING_FOR_THE_BACKUP = N_("the API's answer was lost: looking for the backup by its name")
ASKED_WITHOUT_CONFIRMING = N_("add --yes to take it: nothing was sent")
SEVERAL_NAMED = N_("several instances have this name")
NAME_IT_BY_ID = N_("name it by its id")


def normal_status(status: str) -> str:
    return _("normal ({status})").format(status=status)


def confirm_title(instance: str) -> str:
    return _("Take a backup of {instance} now?").format(instance=instance)


def instance_status_line(status: str) -> str:
    return _("Status: {status}").format(status=status)


def last_good_line(when: str) -> str:
    return _("Last good backup: {when}").format(when=when)


def last_good_at(when: str, size: str) -> str:
    return _("{when}, {size}").format(when=when, size=size)


def new_name_line(name: str) -> str:
    return _("New backup: {name}").format(name=name)


def description_line(description: str) -> str:
    return _("Description: {description}").format(description=description)


def backup_started_by(instance: str, who: str) -> str:
    return _("Backup of {instance} started by {who}").format(instance=instance, who=who)


def backup_running(process: str) -> str:
    return _("running: {process}").format(process=process)


def backup_completed(instance: str, duration: str, size: str) -> str:
    return _("Backup of {instance} completed in {duration}, {size}").format(
        instance=instance, duration=duration, size=size
    )


def backup_completed_size_unknown(instance: str, duration: str) -> str:
    return _("Backup of {instance} completed in {duration} (its size not known yet)").format(
        instance=instance, duration=duration
    )


def backup_failed(instance: str, reason: str) -> str:
    return _("Backup of {instance} failed: {reason}").format(instance=instance, reason=reason)


def backup_failed_without_reason(instance: str) -> str:
    return _("Backup of {instance} failed, without a reason given").format(instance=instance)


def list_backups_of(instance: str) -> str:
    return _("List {instance}'s backups").format(instance=instance)


def backup_job_started(name: str, instance: str, job: str) -> str:
    return _("backup {name} of {instance} started (job {job})").format(
        name=name, instance=instance, job=job
    )


def backup_outcome_unknown(name: str) -> str:
    return _("the API's answer was lost; backup {name} is being looked for").format(name=name)


def last_good_at_utc(when: str) -> str:
    """The last good backup's start, on the command line (which knows no reader's zone)."""
    return _("{when} UTC").format(when=when)
