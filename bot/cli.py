"""The `backupbot` command: thin wiring from the terminal to the core and the adapters."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import uvicorn

from bot import __version__
from bot.config import Settings, zone_of
from bot.core.clock import utc_now
from bot.core.commands import HELP_TEXT, HelpCommand, QueryCommand, parse_command
from bot.core.engine import Ask
from bot.core.query import parse_query
from bot.errors import ConfigError, UpstreamError, UserError
from bot.huawei.simulator import Fleet, Knobs, SimulatorState
from bot.huawei.simulator.server import serve_forever
from bot.runtime import tune_garbage_collector
from bot.services import open_engine
from bot.slack.server import build_bot, http_app, run_socket_mode
from bot.textview import render_answer

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


SIMULATOR_HELP = "answer from the built-in simulator instead of the real API"
DEMO_QUERIES = ("last 24h", "failed last 30d", "orders-prod last 7d")


def run_demo(args: argparse.Namespace) -> int:
    """Answer a few example questions from the built-in simulator (no accounts needed)."""
    settings = Settings.load()
    zone = _zone(settings.timezone)
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")

    async def tour() -> int:
        async with open_engine(settings, simulator=True) as engine:
            print("backupbot demo: answers from the built-in TaurusDB simulator (simulated data).")
            for text in args.queries or DEMO_QUERIES:
                answer = await engine.answer(Ask(parse_query(text), zone=zone))
                print(f"\n$ backupbot query {text}\n")
                print(render_answer(answer, now=utc_now(), zone=zone, colour=colour))
        print("\nAsk your own: backupbot query --simulator <question>   (try 'help')")
        return 0

    return asyncio.run(tour())


def run_query(args: argparse.Namespace) -> int:
    """Answer one query and print it as text."""
    settings = Settings.load()
    zone = _zone(args.tz or settings.timezone)

    command = parse_command(" ".join(args.words))
    if isinstance(command, HelpCommand):
        print(HELP_TEXT)
        return 0
    if not isinstance(command, QueryCommand):
        raise UserError(
            "digests and watches live in Slack channels",
            "type it after /backups in the channel that should receive them",
        )
    query = command.query

    async def ask() -> int:
        async with open_engine(settings, simulator=args.simulator) as engine:
            answer = await engine.answer(Ask(query, page=args.page - 1, zone=zone))
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        print(render_answer(answer, now=utc_now(), zone=zone, colour=colour))
        return 0

    return asyncio.run(ask())


def run_serve(args: argparse.Namespace) -> int:
    """The Slack app in HTTP mode: POST /slack/events, GET /healthz."""
    settings = Settings.load()

    async def serve() -> int:
        async with open_engine(settings, simulator=args.simulator) as engine:
            bot = build_bot(settings, engine, simulated=args.simulator, http=True)
            config = uvicorn.Config(
                http_app(bot, settings),
                host=args.host,
                port=args.port,
                log_level="info",
                lifespan="on",
            )
            print(f"backupbot listening on http://{args.host}:{args.port}/slack/events", flush=True)
            await uvicorn.Server(config).serve()
        return 0

    return asyncio.run(serve())


def run_socket(args: argparse.Namespace) -> int:
    """The Slack app over Socket Mode: no public URL needed."""
    settings = Settings.load()
    if settings.slack_app_token is None:
        raise ConfigError(
            "SLACK_APP_TOKEN is not set",
            "create an app-level token (xapp-...) with connections:write under Basic Information",
        )
    app_token = settings.slack_app_token.get_secret_value()

    async def connect() -> int:
        async with open_engine(settings, simulator=args.simulator) as engine:
            bot = build_bot(settings, engine, simulated=args.simulator, http=False)
            await run_socket_mode(bot, app_token, settings)
        return 0

    return asyncio.run(connect())


def _zone(name: str) -> ZoneInfo:
    try:
        return zone_of(name)
    except ValueError as exc:
        raise UserError(str(exc).split(":")[0], "use an IANA name such as Europe/Paris") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a page number (1, 2, ...)")
    return int(text)


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

    query = commands.add_parser(
        "query",
        help="answer a question about backups, e.g. 'orders-prod last 7d failed'",
        description="Answer a question, in the same language as /backups in Slack.",
    )
    query.add_argument("words", nargs="*", help="the question, e.g. orders-prod last 7d failed")
    query.add_argument(
        "--simulator", action="store_true", help="ask the built-in simulator, not the real API"
    )
    query.add_argument("--page", type=_positive, default=1, help="which page of 10 backups")
    query.add_argument(
        "--tz", help="time zone for day words and times (default BACKUPBOT_TIMEZONE)"
    )
    query.set_defaults(handler=run_query)

    serve = commands.add_parser("serve", help="run the Slack app in HTTP mode")
    serve.add_argument("--port", type=int, default=3000, help="port to listen on (default 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default 0.0.0.0)")
    serve.add_argument(
        "--simulator", action="store_true", help="answer from the built-in simulator"
    )
    serve.set_defaults(handler=run_serve)

    socket = commands.add_parser("socket", help="run the Slack app over Socket Mode")
    socket.add_argument(
        "--simulator", action="store_true", help="answer from the built-in simulator"
    )
    socket.set_defaults(handler=run_socket)

    demo = commands.add_parser("demo", help="try backupbot on the built-in simulator")
    demo.add_argument("queries", nargs="*", help="questions to answer instead of the examples")
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
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
