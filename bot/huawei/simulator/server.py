"""Serving the simulator over real HTTP on 127.0.0.1, in the foreground or in a thread."""

from __future__ import annotations

import threading
from types import TracebackType

import uvicorn

from bot.huawei.simulator.app import SimulatorState, create_app


def _config(state: SimulatorState, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(state),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )


def serve_forever(state: SimulatorState, port: int) -> None:
    """Run the simulator until interrupted (the `backupbot simulator` command)."""
    uvicorn.Server(_config(state, port)).run()


class SimulatorServer:
    """The simulator on a free local port in a background thread, for tests and demos.

    Use as a context manager; `url` is its base URL while running.
    """

    def __init__(self, state: SimulatorState, port: int = 0) -> None:
        self.state = state
        self._server = uvicorn.Server(_config(state, port))
        self._thread = threading.Thread(target=self._server.run, name="simulator", daemon=True)

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:54321."""
        sockets = self._server.servers[0].sockets
        host, port = sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    def start(self) -> SimulatorServer:
        """Start serving; returns once the socket is listening."""
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the simulator failed to start")
            self._thread.join(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        self._thread.join(5)

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
