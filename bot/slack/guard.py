"""The one place an error becomes a reply, an audit line and a metric.

Every command, mention, DM and click runs under `Guard.run`: whatever it raises, the asker
gets a short reply (never silence), the audit log one line, and the commands counter
one outcome. Anything unexpected is logged with a traceback and an incident id, which
the asker gets to quote.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from bot import messages
from bot.errors import (
    AccessDenied,
    DeliveryError,
    PlatformUnreachable,
    StorageError,
    UpstreamError,
    UserError,
)
from bot.messages.catalogue import set_reader
from bot.metrics import Metrics
from bot.slack.answers import Outcome
from bot.slack.asker import Asker
from bot.slack.blocks import View
from bot.slack.views.notices import apology_view, error_view, upstream_error_view

log = logging.getLogger("backupbot.slack")
audit = logging.getLogger("backupbot.audit")  # who, where, what, outcome: one line each
RATE_LIMITED = "ratelimited"  # Slack's error code for a 429
Reply = Callable[[View], Awaitable[None]]


def failure(error: Exception, asker: Asker) -> tuple[str, str | None, View]:
    """The outcome label, error code and reply for a failed request."""
    try:
        raise error
    except AccessDenied as denied:
        return "denied", None, error_view(denied.said, denied.hint)
    except UserError as mistake:
        return "user_error", type(mistake).__name__, error_view(mistake.said, mistake.hint)
    except UpstreamError as refused:
        code = refused.error_code or f"HTTP {refused.status}"
        return "upstream_error", code, upstream_error_view(refused)
    except StorageError as down:
        # The state store failed (read-only, full, down): the operator's to fix, not a bug.
        log.error("%s: %s", asker.kind, down)
        return "storage_error", type(down).__name__, error_view(*messages.STORE_DOWN)
    except PlatformUnreachable as unreachable:
        log.warning("could not reach Slack to deliver an answer: %s", unreachable.__cause__)
        view = error_view(messages.SLACK_UNREACHABLE, messages.PLEASE_ASK_AGAIN)
        return "slack_error", unreachable.code, view
    except DeliveryError as undelivered:
        # Slack refused to deliver (channel gone, bot removed...): ours to report, not a bug.
        code = undelivered.code
        log.warning("Slack refused to deliver an answer: %s", code)
        if code == RATE_LIMITED:  # its Retry-After did not fit in BACKUPBOT_SLACK_TIMEOUT
            return "slack_error", code, error_view(messages.SLACK_RATE_LIMITED, messages.ASK_LATER)
        view = error_view(messages.slack_refused_delivery(code), messages.INVITE_ME)
        return "slack_error", code, view
    except Exception:  # a bug
        incident = uuid.uuid4().hex[:10]
        log.error("unexpected error, incident %s", incident, exc_info=error)
        return "bug", incident, apology_view(incident)


class Guard:
    """Runs requests; turns any failure into a reply, and counts and audits every one."""

    def __init__(
        self, *, metrics: Metrics, language_of: Callable[[str], Awaitable[str]] | None = None
    ) -> None:
        self.metrics = metrics
        self._language_of = language_of

    async def run(self, work: Awaitable[Outcome | None], *, reply: Reply, asker: Asker) -> None:
        """Run `work` in the asker's language; turn any failure into a short reply, never into
        silence; log one line."""
        started = time.monotonic()
        outcome: Outcome | None = None
        label, code, view = "ok", None, None
        try:
            if self._language_of is not None:  # the reader's, for this request's task alone
                set_reader(await self._language_of(asker.user))
            outcome = await work
        except Exception as error:
            label, code, view = failure(error, asker)
        self.metrics.commands.labels(asker.kind, label).inc()
        answer = outcome.answer if outcome is not None else None
        audit.info(
            "%s by %s in %s: %s", asker.kind, asker.user, asker.channel, label,
            extra={
                "event": "command", "kind": asker.kind, "team": asker.team,
                "user": asker.user, "channel": asker.channel,
                "query": answer.text if answer is not None else asker.text[:200],
                "results": answer.matches if answer is not None else None,
                "cache_hit": answer.from_cache if answer is not None else None,
                "upstream_requests": answer.requests if answer is not None else 0,
                "latency_ms": round((time.monotonic() - started) * 1000, 1),
                "outcome": label, "error_code": code,
            },
        )  # fmt: skip
        if view is None:
            return
        try:
            await reply(view)
        except DeliveryError as error:
            log.warning("could not deliver the error reply either: %s", error)
        except Exception:
            log.exception("could not deliver an error reply")
