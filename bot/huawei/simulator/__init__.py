"""A faithful local TaurusDB backups API: what the demo, the tests and the benchmarks talk to."""

from bot.huawei.simulator.app import create_app
from bot.huawei.simulator.fleet import Fleet
from bot.huawei.simulator.records import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
)
from bot.huawei.simulator.state import Fault, Knobs, SimulatorState

__all__ = [
    "SIMULATOR_ACCESS_KEY",
    "SIMULATOR_PROJECT_ID",
    "SIMULATOR_SECRET_KEY",
    "Fault",
    "Fleet",
    "Knobs",
    "SimulatorState",
    "create_app",
]
