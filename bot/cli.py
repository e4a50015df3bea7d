"""The `backupbot` command: arguments parsed, then one call into bot.app per sub-command."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial

from bot import __version__, messages
from bot.app import backup_mode, modes, terminal_modes
from bot.app.check import check
from bot.app.memory import tune_garbage_collector
from bot.app.state_store import migrate
from bot.config import Settings
from bot.core.language.help import EXAMPLE_QUESTION
from bot.errors import ConfigError, UpstreamError, UserError
from bot.messages.catalogue import SHIPPED, SOURCE, set_reader, shipped
from bot.support.zones import zone_named

Handler = Callable[[argparse.Namespace], int]


def _announce(line: str) -> None:
    print(line, flush=True)


def run_simulator(args: argparse.Namespace) -> int:
    """Serve the simulated TaurusDB API on 127.0.0.1 until interrupted."""
    terminal_modes.simulator(
        port=args.port,
        latency=args.latency,
        clock_lag=args.clock_lag,
        backups=args.backups,
        archive=args.archive,
        announce=_announce,
    )
    return 0


def _colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _question(args: argparse.Namespace) -> tuple[Settings, terminal_modes.Question]:
    """The settings, and the question on the command line."""
    settings = Settings.load()
    zone = zone_named(args.tz or settings.timezone)
    text = " ".join(args.words)
    return settings, terminal_modes.Question(
        text, simulator=args.simulator, zone=zone, page=args.page
    )


def run_query(args: argparse.Namespace) -> int:
    """Answer one question and print it as the Slack app would show it."""
    settings, question = _question(args)
    print(asyncio.run(terminal_modes.printed_answer(settings, question, colour=_colour())))
    return 0


def run_backup(args: argparse.Namespace) -> int:
    """Take a backup of one instance now (shown only, unless --yes)."""
    settings = Settings.load()
    taking = backup_mode.take_backup(
        settings, instance=args.instance, description=args.description or "", yes=args.yes,
        wait=args.wait, simulator=args.simulator,
    )  # fmt: skip
    return asyncio.run(taking)


def run_render(args: argparse.Namespace) -> int:
    """Print the Block Kit Slack would receive, ready for the Block Kit Builder."""
    settings, question = _question(args)
    print(
        asyncio.run(terminal_modes.block_kit_json(settings, question, blocks_only=args.blocks_only))
    )
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """The bot in this terminal, on the built-in simulator; or in Slack with --slack."""
    settings = Settings.load()
    if args.slack:
        asyncio.run(
            modes.demo_in_slack(settings, host=args.host, port=args.port, announce=_announce)
        )
        return 0
    zone = zone_named(settings.timezone)

    asyncio.run(
        terminal_modes.demo(
            settings,
            zone=zone,
            colour=_colour(),
            once=args.once,
            out=print,
            read_line=terminal_modes.read_input,
        )
    )
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """The Slack app in HTTP mode: POST /slack/events, GET /healthz, GET /metrics."""
    settings = Settings.load()
    serve = modes.serve_http(
        settings, host=args.host, port=args.port, simulator=args.simulator, announce=_announce
    )
    asyncio.run(serve)
    return 0


def run_socket(args: argparse.Namespace) -> int:
    """The Slack app over Socket Mode (no public URL); /healthz and /metrics on --port."""
    settings = Settings.load()
    asyncio.run(
        modes.serve_socket_mode(settings, host=args.host, port=args.port, simulator=args.simulator)
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Check configuration, the TaurusDB API and Slack; say what is wrong in words."""
    settings = Settings.load()
    findings = asyncio.run(check(settings))
    for finding in findings:
        print(finding.line())
    return 1 if any(finding.ok is False for finding in findings) else 0


def run_migrate(args: argparse.Namespace) -> int:
    """Bring the state schema up to date now (a deploy step), under the replicas' lock."""
    print(migrate(Settings.load()))
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(messages.not_a_port(text))
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(messages.not_a_page_number(text))
    return int(text)


def _language(text: str) -> str:
    found = shipped(text)  # en-XA too: the pseudo-locale, to see every message marked
    if found is None:
        raise argparse.ArgumentTypeError(messages.unknown_language(SHIPPED))
    return found


def _speaks() -> argparse.ArgumentParser:
    """`--lang`, taken by every sub-command (and read before the rest: the help speaks it)."""
    speaks = argparse.ArgumentParser(prog="backupbot", add_help=False)
    speaks.add_argument("--lang", type=_language, help=messages.LANG_HELP)
    return speaks


def _reader_language(argv: Sequence[str] | None) -> str:
    """--lang wherever it is, else BACKUPBOT_LANGUAGE, else English (the settings may be
    wrong: that is said later, by the command that needs them)."""
    given, _ = _speaks().parse_known_args(argv)
    if given.lang is not None:
        return str(given.lang)
    try:
        return Settings.load().language
    except ConfigError:
        return SOURCE


def build_parser() -> argparse.ArgumentParser:
    """The command line, one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="backupbot", description=messages.CLI_DESCRIPTION, parents=[_speaks()]
    )
    parser.add_argument("--version", action="version", version=messages.version(__version__))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = partial(commands.add_parser, parents=[_speaks()])

    simulator = add("simulator", help=messages.SIMULATOR_COMMAND_HELP)
    simulator.add_argument("--port", type=_port, default=8700, help=messages.SIMULATOR_PORT_HELP)
    simulator.add_argument("--latency", type=float, default=0.0, help=messages.LATENCY_HELP)
    simulator.add_argument("--clock-lag", type=float, default=0.0, help=messages.CLOCK_LAG_HELP)
    simulator.add_argument("--backups", type=int, default=0, help=messages.UNIFORM_BACKUPS_HELP)
    simulator.add_argument("--archive", type=int, default=0, help=messages.ARCHIVE_BACKUPS_HELP)
    simulator.set_defaults(handler=run_simulator)

    query = add(
        "query", help=messages.query_help(EXAMPLE_QUESTION), description=messages.QUERY_DESCRIPTION
    )
    query.add_argument("words", nargs="*", help=messages.question_help(EXAMPLE_QUESTION))
    query.add_argument("--simulator", action="store_true", help=messages.ASK_THE_SIMULATOR_HELP)
    query.add_argument("--page", type=_positive, default=1, help=messages.PAGE_HELP)
    query.add_argument("--tz", help=messages.QUERY_ZONE_HELP)
    query.set_defaults(handler=run_query)

    backup = add("backup", help=messages.BACKUP_COMMAND_HELP)
    backup.add_argument("instance", help=messages.BACKUP_INSTANCE_HELP)
    backup.add_argument("--description", help=messages.BACKUP_DESCRIPTION_HELP)
    backup.add_argument("--yes", action="store_true", help=messages.BACKUP_YES_HELP)
    backup.add_argument("--wait", action="store_true", help=messages.BACKUP_WAIT_HELP)
    backup.add_argument("--simulator", action="store_true", help=messages.ASK_THE_SIMULATOR_HELP)
    backup.set_defaults(handler=run_backup)

    serve = add("serve", help=messages.SERVE_HELP)
    serve.add_argument("--port", type=_port, default=3000, help=messages.SERVE_PORT_HELP)
    serve.add_argument("--host", default="0.0.0.0", help=messages.SERVE_HOST_HELP)
    serve.add_argument("--simulator", action="store_true", help=messages.SIMULATOR_HELP)
    serve.set_defaults(handler=run_serve)

    socket = add("socket", help=messages.SOCKET_HELP)
    socket.add_argument("--simulator", action="store_true", help=messages.SIMULATOR_HELP)
    socket.add_argument("--port", type=_port, default=3000, help=messages.OPS_PORT_HELP)
    socket.add_argument("--host", default="0.0.0.0", help=messages.OPS_HOST_HELP)
    socket.set_defaults(handler=run_socket)

    checker = add("check", help=messages.CHECK_HELP)
    checker.set_defaults(handler=run_check)

    migrate = add("migrate", help=messages.MIGRATE_HELP)
    migrate.set_defaults(handler=run_migrate)

    render = add("render", help=messages.RENDER_HELP)
    render.add_argument("words", nargs="*", help=messages.question_help(EXAMPLE_QUESTION))
    render.add_argument("--blocks-only", action="store_true", help=messages.BLOCKS_ONLY_HELP)
    render.add_argument("--simulator", action="store_true", help=messages.SIMULATOR_HELP)
    render.add_argument("--page", type=_positive, default=1, help=messages.PAGE_HELP)
    render.add_argument("--tz", help=messages.RENDER_ZONE_HELP)
    render.set_defaults(handler=run_render)

    demo = add("demo", help=messages.DEMO_HELP)
    demo.add_argument("--once", metavar="QUESTION", help=messages.ONCE_HELP)
    demo.add_argument("--slack", action="store_true", help=messages.DEMO_SLACK_HELP)
    demo.add_argument("--port", type=_port, default=3000, help=messages.DEMO_HTTP_HELP)
    demo.add_argument("--host", default="0.0.0.0", help=messages.DEMO_HTTP_HELP)
    demo.set_defaults(handler=run_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `backupbot` console script, in the reader's language."""
    set_reader(_reader_language(argv))
    args = build_parser().parse_args(argv)
    tune_garbage_collector()
    handler: Handler = args.handler
    try:
        return handler(args)
    except UserError as error:  # one line and its hint, no traceback
        print(messages.cli_error(error.said, error.hint), file=sys.stderr)
        return 2
    except UpstreamError as error:  # what the API said, its codes and what it means
        print(messages.cli_error(str(error)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
