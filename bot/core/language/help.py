"""The help's own grammar: the syntax of each command and the examples, written as the
language reads them (never translated); the sentences around them are bot/messages'.

A property test parses every example here, so an example the language stopped reading
fails a test, not a user.
"""

from __future__ import annotations

from bot import messages

QUERY_SYNTAX = "[TARGET ...] [WINDOW] [FILTER ...]"
EXAMPLE_NAME = "orders-prod"
EXAMPLE_QUESTION = "orders-prod last 7d failed"
EXAMPLES = (
    EXAMPLE_QUESTION,
    "failed building today",
    "orders-prod payments-prod from 2026-11-01 to 2026-11-03 manual",
    "yesterday ok auto",
    "failed since monday",
)
# The few shown under the help and in App Home, each a tap away.
SHORT_EXAMPLES = (EXAMPLE_QUESTION, "failed building today", "last 24h")
# What App Home shows first: the recent failures.
HOME_QUESTION = "failed last 7d"
AT_EXAMPLE = "at 08:30"
TZ_EXAMPLE = "tz Europe/Paris"
LANG_EXAMPLE = "lang zh-CN"
DIGEST_ADD = "digest add [TARGET ...] [at HH:MM] [tz Area/City] [lang zh-CN]"
DIGEST_LIST, DIGEST_REMOVE, DIGEST_NOW = "digest list", "digest remove ID", "digest now"
DIGEST_OTHERS = f"{DIGEST_LIST} | {DIGEST_REMOVE} | {DIGEST_NOW} [TARGET ...]"
WATCH_ADD = "watch [TARGET ...] [lang zh-CN]"
WATCH_OTHERS = "watch list | watch remove ID"
HEALTH_SYNTAX = "health [TARGET ...] [@NAME]"
BACKUP_SYNTAX = 'backup INSTANCE [@NAME] ["description"]'
RESTORE_SYNTAX = "restore INSTANCE [TIME] [table DB.TABLE] [@NAME]"
RESTORE_EXAMPLE = "restore orders-prod 03:15"
RESTORE_TABLE_EXAMPLE = "restore orders-prod 03:15 table shop.orders"
RESTORE_EXAMPLES = (
    RESTORE_EXAMPLE,
    "restore orders-prod yesterday 23:40",
    "restore orders-prod 2026-12-06T03:15+08:00",
    RESTORE_TABLE_EXAMPLE,
    "restore orders-prod",
)


def help_sections() -> tuple[str, str]:
    """The help in two parts (each within one Slack section, translated and lengthened):
    asking and subscribing; then acting and restoring. In the reader's language around
    the language's own syntax."""
    general = messages.help_text(
        syntax=QUERY_SYNTAX,
        examples=EXAMPLES,
        digest_add=DIGEST_ADD,
        digest_others=DIGEST_OTHERS,
        watch=WATCH_ADD,
        watch_others=WATCH_OTHERS,
        health=HEALTH_SYNTAX,
    )
    backup = messages.backup_help(syntax=BACKUP_SYNTAX)
    restore = messages.restore_help(syntax=RESTORE_SYNTAX, examples=RESTORE_EXAMPLES)
    return general, f"{backup}\n\n{restore}"  # paragraphs, each whole


def help_text() -> str:
    """The whole help, its parts one after the other."""
    return "\n\n".join(help_sections())


def digest_commands() -> str:
    """What digest takes, said in the reader's language."""
    return messages.use_digest_commands(
        add=DIGEST_ADD, listing=DIGEST_LIST, remove=DIGEST_REMOVE, now=DIGEST_NOW
    )
