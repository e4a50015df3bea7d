"""Talking to Slack over HTTP: one timeout for every call, and Slack's errors in ours.

Slack's failures are translated here, once, into the delivery group of the error tree
(`slack_errors`): a refusal (SlackApiError) by its code, into ChannelGone, MessageGone
(when updating) or DeliveryFailed; no answer (aiohttp's errors, a timeout) into
PlatformUnreachable. No other module of the Slack room names a foreign error.

slack_sdk applies its own `timeout` only to sessions it creates itself; a session handed
to it keeps aiohttp's default of 300 s. So every session backupbot opens for Slack (the
Web API, response_url, Socket Mode) is opened here, with BACKUPBOT_SLACK_TIMEOUT.

A session's timeout bounds one request; a Web API call may be several (slack_sdk retries
a dropped connection, and we retry a 429). So each Web API call, its waits and retries
included, runs under one deadline, BACKUPBOT_SLACK_TIMEOUT after it started; a 429 is
retried only when its Retry-After ends before that deadline, otherwise the call fails
at once with Slack's `ratelimited`, and whoever made it retries later (a digest or an
incident post: after the claim lease, on whichever replica). slack_sdk's own handler
would sleep the whole Retry-After, three times over: past the lease, another replica
posts the same message.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot import messages
from bot.errors import ChannelGone, ConfigError, DeliveryFailed, MessageGone, PlatformUnreachable
from bot.support.error_words import words_of

RATE_LIMIT_RETRIES = 3
# chat.update's (and chat.delete's) errors for a message that was deleted or may no longer
# be edited.
UNCHANGEABLE = {"message_not_found", "cant_update_message", "edit_window_closed",
                "cant_delete_message"}  # fmt: skip
# When the Web API call under way must end (the event loop's clock); None outside one.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "backupbot_slack_deadline", default=None
)


class BoundedWebClient(AsyncWebClient):
    """The Web API client whose every call, retries and their waits included, ends within
    `budget` seconds (a TimeoutError past it)."""

    def __init__(self, *, budget: float, **options: Any) -> None:
        super().__init__(**options)
        self.budget = budget

    async def api_call(
        self,
        api_method: str,
        *,
        http_verb: str = "POST",
        files: dict[Any, Any] | None = None,
        data: dict[Any, Any] | aiohttp.FormData | None = None,
        params: dict[Any, Any] | None = None,
        json: dict[Any, Any] | None = None,
        headers: dict[Any, Any] | None = None,
        auth: dict[Any, Any] | None = None,
    ) -> AsyncSlackResponse:
        """slack_sdk's call, under one deadline for all its attempts."""
        deadline = asyncio.get_running_loop().time() + self.budget
        token = _deadline.set(deadline)
        try:
            async with asyncio.timeout_at(deadline):
                return await super().api_call(
                    api_method, http_verb=http_verb, files=files, data=data, params=params,
                    json=json, headers=headers, auth=auth,
                )  # fmt: skip
        finally:
            _deadline.reset(token)


class RateLimitRetry(AsyncRetryHandler):
    """Retries a 429 after its Retry-After, only if that ends before the call's deadline.

    A call without a deadline (one not made through BoundedWebClient) is not retried.
    """

    def __init__(
        self,
        *,
        max_retry_count: int = RATE_LIMIT_RETRIES,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        deadline = _deadline.get()
        if response is None or response.status_code != 429 or deadline is None:
            return False
        wait = retry_after(response)
        return wait is not None and asyncio.get_running_loop().time() + wait < deadline

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        await self._sleep((retry_after(response) if response is not None else None) or 0)
        state.increment_current_attempt()


def retry_after(response: HttpResponse) -> float | None:
    """Slack's Retry-After in seconds (1 if it sent none, as slack_sdk assumes); None if it
    is not a number of seconds."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            text = values[0] if isinstance(values, list) and values else str(values)
            try:
                seconds = float(text)
            except ValueError:
                return None
            return seconds if seconds >= 0 else None
    return 1.0


class RotatingTokenClient(BoundedWebClient):
    """A Web API client that reads its token at every call: a rotated token file
    (SLACK_BOT_TOKEN_FILE) is used from the next call on, without a restart."""

    def __init__(self, *, token: Callable[[], str], **options: Any) -> None:
        self._read_token = token
        super().__init__(token=token(), **options)

    @property
    def token(self) -> str:
        """The token as of now."""
        return self._read_token()

    @token.setter
    def token(self, value: str | None) -> None:
        """slack_sdk's constructor sets it: the token function stays the source."""


def web_client(*, token: Callable[[], str], base_url: str, timeout: float) -> AsyncWebClient:
    """The Slack Web API client: the given base URL, the token of the moment, every call
    (its retries included) within `timeout` seconds, and 429s retried after Retry-After
    when that fits in it.

    The client's own `timeout` covers only sessions slack_sdk opens itself; `connect`
    gives it a session with the same bound.
    """
    client = RotatingTokenClient(
        budget=timeout, token=token, base_url=base_url, timeout=max(1, round(timeout))
    )
    # slack_sdk does not retry rate-limited calls unless asked to.
    client.retry_handlers.append(RateLimitRetry())
    return client


def slack_session(timeout: float) -> aiohttp.ClientSession:
    """An HTTP session whose every request, connection included, ends within `timeout` s.

    A websocket opened on it is bounded only while connecting: aiohttp's total timeout
    ends with the handshake.
    """
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))


async def connect(client: AsyncWebClient, *, slack_timeout: float) -> str:
    """Open the HTTP session shared by every Slack call (one per call is slow), and learn
    which workspace installed the bot: its team id.

    If Slack cannot be asked, the session is closed again and a ConfigError says why.
    """
    if client.session is None or client.session.closed:
        client.session = slack_session(slack_timeout)
    try:
        identity = await client.auth_test()
    except SlackApiError as error:
        await client.session.close()
        raise _refused(error, client.base_url) from None
    except (aiohttp.ClientError, TimeoutError) as error:
        await client.session.close()
        raise ConfigError(
            messages.slack_unreachable_at(client.base_url, _reason(error, slack_timeout)),
            messages.CHECK_SLACK_SETTINGS,
        ) from None
    return str(identity.get("team_id", ""))


def _refused(error: SlackApiError, url: str) -> ConfigError:
    """Why auth.test failed at start-up, in words."""
    if answered_json(error):
        return ConfigError(
            messages.token_refused(error_code(error)),
            messages.COPY_THE_TOKEN,
        )
    return ConfigError(
        messages.not_slack(url, error_code(error)),
        messages.CHECK_SLACK_API_URL,
    )


def _reason(error: BaseException, timeout: float) -> str:
    if isinstance(error, TimeoutError):
        return messages.no_answer_within(timeout)
    return words_of(error)


@contextlib.contextmanager
def slack_errors(*, updating: bool = False) -> Iterator[None]:
    """Slack's failures in the block, translated once into the delivery group: a channel
    that is gone, a message that cannot be changed (`updating` a message only), a refusal
    worth retrying later (its code), or no answer at all."""
    try:
        yield
    except SlackApiError as error:
        code = error_code(error)
        gone = messages.CHANNEL_GONE
        if code in gone:
            raise ChannelGone(messages.channel_gone(gone[code], code), code=code) from error
        if updating and code in UNCHANGEABLE:
            raise MessageGone(code, code=code) from error
        raise DeliveryFailed(messages.slack_refused_message(code), code=code) from error
    except (aiohttp.ClientError, TimeoutError) as error:
        said = messages.slack_unreachable(error)
        raise PlatformUnreachable(said, code=type(error).__name__) from error


def error_code(error: SlackApiError) -> str:
    """Slack's `error` code, or the HTTP status when the answer was not Slack's JSON."""
    data = error.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {error.response.status_code}"


def answered_json(error: SlackApiError) -> bool:
    """Whether Slack itself refused (JSON with an error code), rather than something else
    at that address (a proxy's 404 page, a wrong SLACK_API_URL)."""
    return isinstance(error.response.data, dict)
