"""Serving HTTP with uvicorn, with a bound on how long a client may take to send a request.

uvicorn closes idle keep-alive connections, but not one that sends its headers a line
every few seconds, or its body a few bytes at a time: fifty such clients would hold fifty
connections forever. Slack sends a whole request at once, so a request that has not
fully arrived within BACKUPBOT_HTTP_READ_TIMEOUT seconds of its first byte (or of the
connection opening) is answered 408 and its connection closed.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot import messages
from bot.errors import ConfigError

log = logging.getLogger("backupbot.http")
REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 28\r\nconnection: close\r\n\r\nthe request took too long.\r\n"
)


class BoundedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for receiving each whole request."""

    read_timeout = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._deadline is None:
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        if self._request_received():
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _request_received(self) -> bool:
        """Whether the request under way has fully arrived (and nothing more is pending)."""
        state = self.conn.their_state
        if state is h11.IDLE:
            return not self.conn.trailing_data[0]
        return state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.read_timeout, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        log.info(
            "closed a connection from %s: its request took over %g s to arrive",
            self.client[0] if self.client else "?",
            self.read_timeout,
        )
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            self.transport.write(REQUEST_TIMEOUT)  # between requests: no app is involved
        else:
            if not cycle.response_started:
                self.transport.write(REQUEST_TIMEOUT)
            cycle.disconnected = True  # the app, awaiting the rest of the body, is told so
            cycle.message_event.set()
        self.transport.close()


def server_config(
    app: Any, *, host: str, port: int, read_timeout: float, lifespan: bool = True
) -> uvicorn.Config:
    """uvicorn settings for serving `app`: our logging, HTTP/1.1 with the read bound."""
    protocol = type("BoundedH11", (BoundedH11Protocol,), {"read_timeout": read_timeout})
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        ws="none",
        log_config=None,  # ours: JSON lines, secrets redacted
        lifespan="on" if lifespan else "off",
    )


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, before anything else starts; ConfigError if it can't be."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        listener = socket.socket(family, socket.SOCK_STREAM)
    except OSError as error:
        raise ConfigError(
            messages.cannot_listen_on(host, error.strerror or error), messages.GIVE_A_HOST
        ) from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise ConfigError(
            messages.cannot_listen_on(f"{host}:{port}", error.strerror or error),
            messages.CHOOSE_ANOTHER_PORT,
        ) from None
    return listener
