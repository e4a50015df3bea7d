"""Serving an ASGI app on 127.0.0.1 in a background thread (tests, demos, benchmarks)."""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Any, Literal

import uvicorn

Lifespan = Literal["auto", "on", "off"]


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def local_config(app: Any, port: int = 0, *, lifespan: Lifespan = "off") -> uvicorn.Config:
    """Quiet uvicorn settings for a local server."""
    return uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        lifespan=lifespan,
        timeout_graceful_shutdown=1,
    )


class ServerThread:
    """An ASGI app on a local port in its own thread and event loop; a context manager."""

    def __init__(self, app: Any, port: int = 0, *, lifespan: Lifespan = "off") -> None:
        self._server = uvicorn.Server(local_config(app, port, lifespan=lifespan))
        self._thread = threading.Thread(target=self._server.run, name="server", daemon=True)

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:54321."""
        sockets = self._server.servers[0].sockets
        host, port = sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    def start(self) -> ServerThread:
        """Start serving; returns once the socket is listening."""
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the server failed to start")
            self._thread.join(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        self._thread.join(10)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
