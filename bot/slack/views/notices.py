"""Short messages: the language's help, a mistake, the API's refusal, our own failure."""

from __future__ import annotations

from bot import messages
from bot.core.language.help import SHORT_EXAMPLES, help_sections
from bot.errors import UpstreamError
from bot.slack.blocks import (
    View,
    code,
    escape,
    escape_but_mentions,
    header,
    mrkdwn_section,
    text_context,
    truncate,
)

# What a user is told while the state store is down (the operator's logs say why).


def help_view() -> View:
    """The language, with examples."""
    examples = "\n".join(f"• `/backups {example}`" for example in SHORT_EXAMPLES)
    return View.of(
        blocks=[
            header(messages.HELP_TITLE),
            *(mrkdwn_section(f"```{escape(part)}```") for part in help_sections()),
            mrkdwn_section(messages.try_examples(examples)),
            text_context(messages.HELP_FOOTER),
        ],
        text=messages.HELP_SUMMARY,
    )


def error_view(message: str, hint: str = "") -> View:
    """A user mistake: one line, and what to do."""
    text = f":warning: {escape_but_mentions(message)}" + (f"\n{escape(hint)}" if hint else "")
    return View.of(blocks=[mrkdwn_section(text)], text=truncate(f"{message}. {hint}".strip(), 300))


def upstream_error_view(error: UpstreamError) -> View:
    """The API said no: what it said, its code and request id, and what to do."""
    details = [
        part
        for part in (
            f"HTTP {error.status}" if error.status is not None else "",
            code(error.error_code) if error.error_code else "",
            escape(error.error_msg) if error.error_msg else "",
            messages.request_id(code(error.request_id)) if error.request_id else "",
        )
        if part
    ]
    lines = [f":rotating_light: {escape(error.said)}"]
    if details:
        lines.append(" · ".join(details))
    if error.hint:
        lines.append(escape(error.hint))
    return View.of(blocks=[mrkdwn_section("\n".join(lines))], text=truncate(str(error), 300))


def apology_view(incident: str) -> View:
    """Something broke on our side: a generic apology and an id to find it in the logs."""
    return View.of(
        blocks=[
            mrkdwn_section(messages.apology(code(incident))),
        ],
        text=messages.apology_summary(incident),
    )
