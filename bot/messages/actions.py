"""Taking a backup by hand: the rules, the refusals, the confirmation and the channel's
message (core/backup_action, huawei/backup_job, schedule/backup_actions, slack)."""

from __future__ import annotations

# --- the API's rules (core/backup_action) ----------------------------------------------

BACKUP_NAME_RULE = (
    "a backup name has 4 to 64 characters: letters, digits, - and _, starting with a letter"
)
DESCRIPTION_RULE = (
    "a description has at most 256 characters, none of > ! < \" & ' = and no line break"
)
DESCRIPTION_HAS_A_RETURN = "the description holds a carriage return, which the API refuses"
UNKNOWN_STATUS = "unknown"
TRY_WHEN_NORMAL = "take the backup once the instance is back to normal"
BACKUP_ALREADY_RUNNING = "a backup of this instance is already running"
ANOTHER_OPERATION = "another operation is being performed on this instance"
WAIT_FOR_IT = "wait until it ends, then ask again"
LOOKING_FOR_IT = "backupbot looks for the backup by its name, and never asks twice"
CANNOT_TAKE_BACKUPS = "backupbot cannot take backups with this cloud profile"
BACKUPBOT_ONLY_READS = "it only reads here: ask whoever runs backupbot"


def backup_name_refused(name: str) -> str:
    return f"the API would refuse the backup name {name}"


def description_has(character: str) -> str:
    return f"the description holds {character}, which the API refuses in a description"


def description_too_long(length: int, most: int) -> str:
    return f"the description has {length} characters; the API takes at most {most}"


def instance_not_ready(status: str) -> str:
    return f"the instance is not normal (its status: {status}), so no backup can be taken"


def backup_running_by(who: str, since: str) -> str:
    return f"a backup of this instance is already running, started by {who} at {since}"


def slack_mention(user: str) -> str:
    return f"<@{user}>"


def on_the_command_line(login: str) -> str:
    return f"{login} (command line)"


def slack_user(user: str) -> str:
    return f"Slack user {user}"


def manual_backup_running_since(since: str) -> str:
    return f"a manual backup of this instance is already running, started at {since}"


def automated_backup_running_since(since: str) -> str:
    return f"an automated backup of this instance is already running, started at {since}"


JOB_UNREADABLE = "its job cannot be read: following the backup itself"
NEITHER_READABLE = "neither its job nor the backup can be read now: still trying"


def could_not_follow(name: str, minutes: int) -> str:
    return (
        f"could not follow backup {name}: neither its job nor the backup could be read for "
        f"{minutes} minutes; check the console"
    )


def backup_lost_sight(instance: str, words: str) -> str:
    return f"Backup of {instance}: {words}"


def never_appeared(name: str) -> str:
    return f"the API's answer was lost and no backup named {name} appeared since: it was not taken"


# --- asking and confirming (slack/backup_commands, cli) ----------------------------------

BACKUP_NEEDS_AN_INSTANCE = "say which instance to back up"
BACKUP_EXAMPLE_HINT = 'for example: backup orders-prod "before the schema change"'
BACKUP_ONE_INSTANCE = "a backup is of one instance: name just one"
NOT_ALLOWED_TO_BACK_UP = "the access rules do not let you take backups here"
ASK_FOR_THE_BACKUP_RULE = 'ask whoever runs backupbot for a rule with actions = ["backup"]'
TAKE_BACKUP = "Take backup"
CANCEL = "Cancel"
CONFIRMATION_EXPIRED = "this confirmation expired (after 10 minutes)"
ASK_AGAIN_FOR_A_BACKUP = "ask for the backup again"
NOT_YOUR_CONFIRMATION = "only the person who asked for this backup can confirm or cancel it"
ASK_FOR_YOUR_OWN = "ask for a backup yourself if you need one"
ALREADY_CONFIRMED = "this backup was confirmed already: its progress is in the channel"
ALREADY_CANCELLED = "this backup was cancelled"
NO_GOOD_BACKUP = "none in the last 14 days"
BACKING_UP_NOW = "taking the backup…"
CONFIRM_FOOTER = "Only you can confirm. This confirmation expires in 10 minutes."
CANCELLED_NOTE = "Cancelled: no backup was taken."
WAITING_FOR_THE_JOB = "waiting for its job to start"
LOOKING_FOR_THE_BACKUP = "the API's answer was lost: looking for the backup by its name"
ASKED_WITHOUT_CONFIRMING = "add --yes to take it: nothing was sent"
SEVERAL_NAMED = "several instances have this name"
NAME_IT_BY_ID = "name it by its id"


def normal_status(status: str) -> str:
    return f"normal ({status})"


def confirm_title(instance: str) -> str:
    return f"Take a backup of {instance} now?"


def instance_status_line(status: str) -> str:
    return f"Status: {status}"


def last_good_line(when: str) -> str:
    return f"Last good backup: {when}"


def last_good_at(when: str, size: str) -> str:
    return f"{when}, {size}"


def new_name_line(name: str) -> str:
    return f"New backup: {name}"


def description_line(description: str) -> str:
    return f"Description: {description}"


def backup_started_by(instance: str, who: str) -> str:
    return f"Backup of {instance} started by {who}"


def backup_running(process: str) -> str:
    return f"running: {process}"


def backup_completed(instance: str, duration: str, size: str) -> str:
    return f"Backup of {instance} completed in {duration}, {size}"


def backup_completed_size_unknown(instance: str, duration: str) -> str:
    return f"Backup of {instance} completed in {duration} (its size not known yet)"


def backup_failed(instance: str, reason: str) -> str:
    return f"Backup of {instance} failed: {reason}"


def backup_failed_without_reason(instance: str) -> str:
    return f"Backup of {instance} failed, without a reason given"


def list_backups_of(instance: str) -> str:
    return f"List {instance}'s backups"


def backup_job_started(name: str, instance: str, job: str) -> str:
    return f"backup {name} of {instance} started (job {job})"


def backup_outcome_unknown(name: str) -> str:
    return f"the API's answer was lost; backup {name} is being looked for"
