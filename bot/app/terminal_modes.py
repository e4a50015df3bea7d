"""backupbot without Slack: one question answered (query, render), the terminal demo, and
the simulator served on its own."""

from __future__ import annotations

import asyncio
import getpass
import json
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import messages
from bot.app.backup_mode import Asked, backup_once
from bot.app.demo import Demo, ReadLine
from bot.app.engines import open_engines
from bot.app.terminal import render_blocks
from bot.config import Settings
from bot.core.answering.answer import Ask
from bot.core.answering.engine import Engines
from bot.core.clock import utc_now
from bot.core.language.commands import (
    BackupCommand,
    HealthCommand,
    HelpCommand,
    QueryCommand,
    RestoreCommand,
    parse_command,
)
from bot.errors import UserError
from bot.schedule.store import ActionRecords, Store
from bot.slack.answers import Answers
from bot.slack.blocks import View
from bot.slack.button_state import ButtonCodec
from bot.slack.views.notices import help_view
from bot.support.database_url import sqlite_url

YES = ("y", "yes")
DEMO_PAUSE_SECONDS = 3.0  # between two looks at a demo backup's job (it takes half a minute)
DEMO_LEASE = timedelta(minutes=1)


def _answers(engines: Engines, *, simulated: bool) -> Answers:
    # Buttons are only pressed in this process: a fresh key each run is enough.
    codec = ButtonCodec(secrets.token_bytes(32))
    return Answers(engines=engines, codec=codec, clock=utc_now, simulated=simulated)


@dataclass(frozen=True)
class Question:
    """A question from the command line: its words, where it is answered from, the zone
    it is asked in and the screen page wanted (1-based)."""

    text: str
    simulator: bool
    zone: ZoneInfo
    page: int


async def view_for(settings: Settings, question: Question) -> View:
    """The view Slack would show for the question."""
    command = parse_command(question.text)
    if isinstance(command, HelpCommand):
        return help_view()  # needs no configuration at all
    if not isinstance(command, QueryCommand | HealthCommand | RestoreCommand):
        raise UserError(messages.SUBSCRIPTIONS_LIVE_IN_SLACK, messages.TYPE_IT_IN_THE_CHANNEL)
    async with open_engines(settings, simulator=question.simulator) as engines:
        if isinstance(command, HealthCommand):
            answers = _answers(engines, simulated=question.simulator)
            return await answers.health_view(command, zone=question.zone)
        if isinstance(command, RestoreCommand):
            answers = _answers(engines, simulated=question.simulator)
            return await answers.restore_view(command, zone=question.zone)
        engine = engines.engine(command.query.profile)
        ask = Ask(command.query, page=question.page - 1, zone=question.zone)
        answer = await engine.answer(ask)
        return _answers(engines, simulated=question.simulator).answer_view(answer, shareable=False)


async def printed_answer(settings: Settings, question: Question, *, colour: bool) -> str:
    """`backupbot query`: the answer as the Slack app would show it, for a terminal."""
    view = await view_for(settings, question)
    return render_blocks(view.blocks, colour=colour, zone=question.zone, numbered=False)


async def block_kit_json(settings: Settings, question: Question, *, blocks_only: bool) -> str:
    """`backupbot render`: the Block Kit Slack would receive, for the Block Kit Builder."""
    view = await view_for(settings, question)
    payload: dict[str, object] = {"blocks": view.blocks}
    if not blocks_only:
        payload = {"text": view.text, **payload}
    return json.dumps(payload, indent=2, ensure_ascii=False)


async def demo(
    settings: Settings,
    *,
    zone: ZoneInfo,
    colour: bool,
    once: str | None,
    out: Callable[[str], None],
    read_line: ReadLine,
) -> None:
    """The terminal demo on the simulator: one question (`once`), or a session. A backup
    asked for is taken on the same in-process simulator, its state in a throwaway store."""
    async with open_engines(settings, simulator=True) as engines:
        with tempfile.TemporaryDirectory(prefix="backupbot-demo-") as folder:
            store = Store.connect(sqlite_url(str(Path(folder) / "demo.sqlite3")))
            store.migrate()
            try:
                backup = partial(_demo_backup, engines, store.actions, out=out, read_line=read_line)
                session = Demo(
                    _answers(engines, simulated=True), zone=zone, colour=colour, out=out,
                    backup=backup,
                )  # fmt: skip
                if once is not None:
                    await session.handle(once)
                else:
                    await session.run(read_line)
            finally:
                store.close()


async def _demo_backup(
    engines: Engines,
    records: ActionRecords,
    command: BackupCommand,
    *,
    out: Callable[[str], None],
    read_line: ReadLine,
) -> None:
    """`backup INSTANCE` typed in the demo: what would be done, a y/N, then taken once on
    the simulator and followed to its end (the command line's own path)."""

    async def confirmed() -> bool:
        answer = await read_line(messages.DEMO_TAKE_IT)
        if (answer or "").strip().lower() in YES:
            return True
        out(messages.DEMO_NOT_TAKEN)
        return False

    asked = Asked(command=command, description=command.description, user=getpass.getuser())
    await backup_once(
        engines, records, asked=asked, confirm=confirmed, wait=True, out=out,
        pause=DEMO_PAUSE_SECONDS, lease=DEMO_LEASE,
    )  # fmt: skip


def simulator(
    *,
    port: int,
    latency: float,
    clock_lag: float,
    backups: int,
    archive: int = 0,
    announce: Callable[[str], None],
) -> None:
    """Serve the simulated TaurusDB API on 127.0.0.1 until interrupted."""
    # Imported here: the simulator stays off the path of every other command.
    from bot.huawei.simulator import Fleet, Knobs, SimulatorState
    from bot.huawei.simulator.server import serve_forever

    now = utc_now()
    if archive:
        fleet = Fleet.archive(archive, now)
    else:
        fleet = Fleet.bulk(backups, now) if backups else Fleet.demo(now)
    state = SimulatorState(fleet=fleet, knobs=Knobs(latency=latency, clock_lag=clock_lag))
    announce(
        messages.simulator_serving(
            port=port, backups=len(state.fleet.backups), project=state.project_id
        )
    )
    serve_forever(state, port)


async def read_input(prompt: str) -> str | None:
    """A line typed at the terminal, or None at the end of input."""
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None
