"""Serving the simulator over real HTTP on 127.0.0.1, in the foreground or in a thread."""

from __future__ import annotations

import uvicorn

from bot.huawei.simulator.app import create_app
from bot.huawei.simulator.identity import create_identity_app
from bot.huawei.simulator.state import SimulatorState
from bot.support.serving import ServerThread, local_config


def serve_forever(state: SimulatorState, port: int) -> None:
    """Run the simulator until interrupted (the `backupbot simulator` command)."""
    uvicorn.Server(local_config(create_app(state), port)).run()


class SimulatorServer(ServerThread):
    """The simulator on a free local port in a background thread, for tests and demos."""

    def __init__(self, state: SimulatorState, port: int = 0) -> None:
        super().__init__(create_app(state), port)
        self.state = state

    def __enter__(self) -> SimulatorServer:
        self.start()
        return self


class IdentityServer(ServerThread):
    """The metadata, Pod Identity and IAM fakes on a free local port, issuing credentials
    the simulator sharing `state` accepts."""

    def __init__(self, state: SimulatorState, port: int = 0) -> None:
        super().__init__(create_identity_app(state), port)
        self.state = state

    def __enter__(self) -> IdentityServer:
        self.start()
        return self
