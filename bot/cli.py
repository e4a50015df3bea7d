"""The `backupbot` command: thin wiring from the terminal to the core and the adapters."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import uvicorn
from starlette.applications import Starlette

from bot import __version__
from bot.check import check
from bot.config import Settings
from bot.core.answer import Ask
from bot.core.clock import utc_now
from bot.core.commands import HelpCommand, QueryCommand, parse_command
from bot.core.engine import Engines
from bot.core.zones import zone_named
from bot.demo import Demo
from bot.errors import ConfigError, StorageError, UpstreamError, UserError
from bot.huawei.profiles import Profiles, load_profiles
from bot.logs import configure_logging
from bot.metrics import Metrics
from bot.runtime import tune_garbage_collector
from bot.schedule.migrate import MigrationRefused
from bot.services import open_engines
from bot.slack.answers import Answers
from bot.slack.blocks import View, help_view
from bot.slack.http_server import listening_socket, server_config
from bot.slack.server import (
    build_bot,
    connect_store,
    http_app,
    ops_routes,
    run_socket_mode,
    store_config_error,
)
from bot.slack.state import ButtonCodec
from bot.terminal import render_blocks

Handler = Callable[[argparse.Namespace], int]


def run_simulator(args: argparse.Namespace) -> int:
    """Serve the simulated TaurusDB API on 127.0.0.1 until interrupted."""
    # Only for this command: the production path never loads the simulator.
    from bot.huawei.simulator import Fleet, Knobs, SimulatorState
    from bot.huawei.simulator.server import serve_forever

    now = utc_now()
    fleet = Fleet.bulk(args.backups, now) if args.backups else Fleet.demo(now)
    knobs = Knobs(latency=args.latency, clock_lag=args.clock_lag)
    state = SimulatorState(fleet=fleet, knobs=knobs)
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


def _colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _answers(engines: Engines, *, simulated: bool) -> Answers:
    # Buttons are only pressed in this process: a fresh key each run is enough.
    codec = ButtonCodec(secrets.token_bytes(32))
    return Answers(engines=engines, codec=codec, clock=utc_now, simulated=simulated)


async def _view_for(
    settings: Settings, text: str, *, simulator: bool, zone: ZoneInfo, page: int
) -> View:
    """The view Slack would show for `text` (screen page `page`, 1-based)."""
    command = parse_command(text)
    if isinstance(command, HelpCommand):
        return help_view()  # needs no configuration at all
    if not isinstance(command, QueryCommand):
        raise UserError(
            "digests and watches live in Slack channels",
            "type it after /backups in the channel that should receive them",
        )
    async with open_engines(settings, simulator=simulator) as engines:
        engine = engines.engine(command.query.profile)
        answer = await engine.answer(Ask(command.query, page=page - 1, zone=zone))
        return _answers(engines, simulated=simulator).answer_view(answer, shareable=False)


def _view_from(args: argparse.Namespace) -> tuple[View, ZoneInfo]:
    """The view for a question on the command line, and the zone it was asked in."""
    settings = Settings.load()
    zone = zone_named(args.tz or settings.timezone)
    text = " ".join(args.words)
    view = asyncio.run(
        _view_for(settings, text, simulator=args.simulator, zone=zone, page=args.page)
    )
    return view, zone


def run_query(args: argparse.Namespace) -> int:
    """Answer one question and print it as the Slack app would show it."""
    view, zone = _view_from(args)
    print(render_blocks(view.blocks, colour=_colour(), zone=zone, numbered=False))
    return 0


def run_render(args: argparse.Namespace) -> int:
    """Print the Block Kit Slack would receive, ready for the Block Kit Builder."""
    view, _ = _view_from(args)
    payload: dict[str, object] = {"blocks": view.blocks}
    if not args.blocks_only:
        payload = {"text": view.text, **payload}
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """The bot in this terminal, on the built-in simulator; or in Slack with --slack."""
    settings = Settings.load()
    if args.slack:
        return _demo_in_slack(settings, args)
    zone = zone_named(settings.timezone)

    async def session() -> int:
        async with open_engines(settings, simulator=True) as engines:
            demo = Demo(_answers(engines, simulated=True), zone=zone, colour=_colour(), out=print)
            if args.once is not None:
                await demo.handle(args.once)
                return 0

            async def read_line() -> str | None:
                try:
                    return await asyncio.to_thread(input, "\n/backups ")
                except EOFError:
                    return None

            await demo.run(read_line)
        return 0

    return asyncio.run(session())


def _demo_in_slack(settings: Settings, args: argparse.Namespace) -> int:
    args.simulator = True
    if settings.slack_app_token is not None:
        return run_socket(args)
    if settings.slack_signing_secret is not None:
        return run_serve(args)
    raise ConfigError(
        "demo --slack needs SLACK_BOT_TOKEN and either SLACK_APP_TOKEN (Socket Mode) "
        "or SLACK_SIGNING_SECRET (HTTP)",
        "create the app from manifest.yml as the README explains; no cloud account needed",
    )


def run_serve(args: argparse.Namespace) -> int:
    """The Slack app in HTTP mode: POST /slack/events, GET /healthz, GET /metrics."""
    settings = Settings.load()
    profiles = _logging(settings, simulator=args.simulator)
    metrics = Metrics()

    async def serve() -> int:
        with listening_socket(args.host, args.port) as listener:  # taken: one clear line
            async with open_engines(
                settings, simulator=args.simulator, profiles=profiles, metrics=metrics
            ) as engines:
                bot = build_bot(
                    settings, engines, simulated=args.simulator, http=True, metrics=metrics
                )
                await bot.start()  # a refused token is one clear line here, not a traceback later
                config = server_config(
                    http_app(bot, settings),
                    host=args.host,
                    port=args.port,
                    read_timeout=settings.http_read_timeout,
                )
                print(
                    f"backupbot listening on http://{args.host}:{args.port}/slack/events",
                    flush=True,
                )
                await uvicorn.Server(config).serve(sockets=[listener])
        return 0

    return asyncio.run(serve())


def run_socket(args: argparse.Namespace) -> int:
    """The Slack app over Socket Mode (no public URL); /healthz and /metrics on --port."""
    settings = Settings.load()
    if settings.slack_app_token is None:
        raise ConfigError(
            "SLACK_APP_TOKEN is not set",
            "create an app-level token (xapp-...) with connections:write under Basic Information",
        )
    app_token = settings.slack_app_token.get_secret_value()
    profiles = _logging(settings, simulator=args.simulator)
    metrics = Metrics()

    async def connect() -> int:
        with listening_socket(args.host, args.port) as listener:  # taken: one clear line
            async with open_engines(
                settings, simulator=args.simulator, profiles=profiles, metrics=metrics
            ) as engines:
                bot = build_bot(
                    settings, engines, simulated=args.simulator, http=False, metrics=metrics
                )
                await bot.start()
                ops = uvicorn.Server(
                    server_config(
                        Starlette(routes=ops_routes(bot)), host=args.host, port=args.port,
                        read_timeout=settings.http_read_timeout, lifespan=False,
                    )
                )  # fmt: skip
                serving = asyncio.ensure_future(ops.serve(sockets=[listener]))
                try:
                    await run_socket_mode(bot, app_token, settings)
                finally:
                    ops.should_exit = True
                    await serving
        return 0

    return asyncio.run(connect())


def _logging(settings: Settings, *, simulator: bool) -> Profiles | None:
    """Configure logging; the profiles are loaded once, here, so that their secrets are
    redacted too (None on the simulator, which needs none)."""
    profiles = None if simulator else load_profiles(settings)
    configure_logging(settings, secrets=profiles.secrets if profiles is not None else ())
    return profiles


def run_check(args: argparse.Namespace) -> int:
    """Check configuration, the TaurusDB API and Slack; say what is wrong in words."""
    settings = Settings.load()
    findings = asyncio.run(check(settings))
    for finding in findings:
        print(finding.line())
    return 1 if any(finding.ok is False for finding in findings) else 0


def run_migrate(args: argparse.Namespace) -> int:
    """Bring the state schema up to date now (a deploy step), under the replicas' lock."""
    settings = Settings.load()
    store = connect_store(settings)
    try:
        migration = store.migrate()
    except (StorageError, MigrationRefused) as error:
        raise store_config_error(settings, store, error=error) from None
    finally:
        store.close()
    print(migration.line(store.database))
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: use a number from 1 to 65535")
    return int(text)


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
        "--port", type=_port, default=8700, help="port on 127.0.0.1 (default 8700)"
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
    serve.add_argument("--port", type=_port, default=3000, help="port to listen on (default 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default 0.0.0.0)")
    serve.add_argument("--simulator", action="store_true", help=SIMULATOR_HELP)
    serve.set_defaults(handler=run_serve)

    socket = commands.add_parser("socket", help="run the Slack app over Socket Mode")
    socket.add_argument("--simulator", action="store_true", help=SIMULATOR_HELP)
    socket.add_argument("--port", type=_port, default=3000, help="/healthz and /metrics (3000)")
    socket.add_argument("--host", default="0.0.0.0", help="address for them (0.0.0.0)")
    socket.set_defaults(handler=run_socket)

    checker = commands.add_parser(
        "check", help="check the configuration, the TaurusDB API and Slack, in words"
    )
    checker.set_defaults(handler=run_check)

    migrate = commands.add_parser(
        "migrate",
        help="bring the state database's schema up to date (serve and socket also do, at start)",
    )
    migrate.set_defaults(handler=run_migrate)

    render = commands.add_parser(
        "render", help="print the Block Kit JSON Slack would receive for a question"
    )
    render.add_argument("words", nargs="*", help="the question, e.g. orders-prod last 7d failed")
    render.add_argument(
        "--json", action="store_true", help="JSON output (the only format; for clarity)"
    )
    render.add_argument("--blocks-only", action="store_true", help="print only the list of blocks")
    render.add_argument("--simulator", action="store_true", help=SIMULATOR_HELP)
    render.add_argument("--page", type=_positive, default=1, help="which page of 10 backups")
    render.add_argument("--tz", help="time zone of day words (BACKUPBOT_TIMEZONE)")
    render.set_defaults(handler=run_render)

    demo = commands.add_parser("demo", help="try backupbot on the built-in simulator")
    demo.add_argument("--once", metavar="QUESTION", help="answer one question and exit")
    demo.add_argument(
        "--slack", action="store_true", help="run in a real Slack workspace, on the simulator"
    )
    demo.add_argument("--port", type=_port, default=3000, help="with --slack in HTTP mode")
    demo.add_argument("--host", default="0.0.0.0", help="with --slack in HTTP mode")
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
