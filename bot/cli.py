"""The `backupbot` command: thin wiring from the terminal to the core and the adapters."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence

from bot import __version__
from bot.config import Settings
from bot.core.clock import utc_now
from bot.errors import UpstreamError, UserError
from bot.huawei.factory import simulator_api, simulator_client
from bot.huawei.params import ListBackupsParams
from bot.huawei.simulator import Fleet, Knobs, SimulatorState
from bot.huawei.simulator.server import serve_forever
from bot.runtime import tune_garbage_collector

Handler = Callable[[argparse.Namespace], int]


def _simulator_state(args: argparse.Namespace) -> SimulatorState:
    now = utc_now()
    fleet = Fleet.bulk(args.backups, now) if getattr(args, "backups", 0) else Fleet.demo(now)
    return SimulatorState(
        fleet=fleet,
        knobs=Knobs(
            latency=getattr(args, "latency", 0.0), clock_lag=getattr(args, "clock_lag", 0.0)
        ),
    )


def run_simulator(args: argparse.Namespace) -> int:
    """Serve the simulated TaurusDB API on 127.0.0.1 until interrupted."""
    state = _simulator_state(args)
    print(
        f"TaurusDB simulator on http://127.0.0.1:{args.port} "
        f"({len(state.fleet.backups)} backups, project {state.project_id}).\n"
        f"Point backupbot at it with GAUSSDB_ENDPOINT=http://127.0.0.1:{args.port}; "
        "stop with Ctrl-C.",
        flush=True,
    )
    serve_forever(state, args.port)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """List the newest backups of the built-in simulator (no accounts needed)."""

    async def newest() -> int:
        settings = Settings.load()
        async with simulator_client(_simulator_state(args)) as http:
            api = simulator_api(settings, http)
            listing = await api.list_backups(ListBackupsParams(), want=args.count)
        print(f"Newest {len(listing.backups)} of {listing.total_count} backups (simulated data):")
        for backup in listing.backups:
            when = backup.begin_time.strftime("%Y-%m-%d %H:%M %z")
            size = f"{backup.size or 0:,} MB"
            print(
                f"  {backup.status.value:<9} {when}  {backup.instance_name:<15} "
                f"{backup.type:<6} {size:>11}  {backup.name}"
            )
        return 0

    return asyncio.run(newest())


def build_parser() -> argparse.ArgumentParser:
    """The command line, one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="backupbot",
        description="Answers 'what happened to our database backups?' for Huawei Cloud TaurusDB.",
    )
    parser.add_argument("--version", action="version", version=f"backupbot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    simulator = commands.add_parser("simulator", help="serve the built-in TaurusDB API simulator")
    simulator.add_argument(
        "--port", type=int, default=8700, help="port on 127.0.0.1 (default 8700)"
    )
    simulator.add_argument(
        "--latency", type=float, default=0.0, help="seconds added to each answer"
    )
    simulator.add_argument(
        "--clock-lag", type=float, default=0.0, help="seconds the server's clock lags behind"
    )
    simulator.add_argument(
        "--backups", type=int, default=0, help="serve N uniform backups instead of the demo fleet"
    )
    simulator.set_defaults(handler=run_simulator)

    demo = commands.add_parser("demo", help="try backupbot on the built-in simulator")
    demo.add_argument("--count", type=int, default=10, help="how many backups to show")
    demo.set_defaults(handler=run_demo)
    return parser


def report(error: Exception) -> str:
    """The one-line message (and hint) a user sees for an error, no traceback."""
    if isinstance(error, UserError):
        return f"backupbot: {error.message}" + (f"\n  hint: {error.hint}" if error.hint else "")
    return f"backupbot: {error}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `backupbot` console script."""
    args = build_parser().parse_args(argv)
    tune_garbage_collector()
    handler: Handler = args.handler
    try:
        return handler(args)
    except UserError as error:
        print(report(error), file=sys.stderr)
        return 2
    except UpstreamError as error:
        print(report(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
