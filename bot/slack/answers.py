"""From words or a button to a view: the one path shared by Slack and the terminal demo."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.answering.answer import Answer, Ask
from bot.core.answering.engine import Engines
from bot.core.clock import Clock
from bot.core.language.canonical import canonical
from bot.core.language.commands import (
    Command,
    HealthCommand,
    HelpCommand,
    QueryCommand,
    RestoreCommand,
    parse_command,
)
from bot.core.language.parse import parse_query
from bot.errors import UserError
from bot.slack.blocks import ACTION_DETAILS, ACTION_REFRESH, View
from bot.slack.button_state import ButtonCodec, ButtonState
from bot.slack.views.fleet_health import health_view
from bot.slack.views.notices import help_view
from bot.slack.views.restore import restore_view
from bot.slack.views.results import answer_view, detail_view, shared_by_block


@dataclass(frozen=True)
class Outcome:
    """A view, and the answer behind it when there is one (for logs and metrics)."""

    view: View
    answer: Answer | None = None


@dataclass(frozen=True, kw_only=True)
class Answers:
    """Turns commands and clicks into views, each over its profile's engine."""

    engines: Engines
    codec: ButtonCodec
    clock: Clock
    simulated: bool

    def parse(self, text: str) -> Command:
        """What the user typed, with Slack's entities undone; QueryError if unreadable."""
        return parse_command(unescape(text), known_names=self.engines.known_names)

    def answer_view(self, answer: Answer, *, shareable: bool, shared_by: str | None = None) -> View:
        """The Block Kit for an answer."""
        view = answer_view(
            answer,
            codec=self.codec,
            now=self.clock(),
            shareable=shareable,
            simulated=self.simulated,
        )
        if shared_by:
            view.blocks.insert(1, shared_by_block(shared_by))
        return view

    async def for_command(self, command: Command, *, zone: ZoneInfo, shareable: bool) -> Outcome:
        """Help, health or a query answered; digest and watch commands are not answered here."""
        if isinstance(command, HelpCommand):
            return Outcome(help_view())
        if isinstance(command, HealthCommand):
            return Outcome(await self.health_view(command, zone=zone))
        if isinstance(command, RestoreCommand):
            return Outcome(await self.restore_view(command, zone=zone))
        if not isinstance(command, QueryCommand):
            raise UserError(messages.SUBSCRIBE_BY_SLASH_COMMAND, messages.TYPE_THE_SLASH_COMMAND)
        engine = self.engines.engine(command.query.profile)
        answer = await engine.answer(Ask(command.query, zone=zone))
        return Outcome(self.answer_view(answer, shareable=shareable), answer)

    async def health_view(self, command: HealthCommand, *, zone: ZoneInfo) -> View:
        """The health of the instances asked about (none: every instance), as of now."""
        targets = command.targets
        fleet = await self.engines.engine(targets.profile).health(targets.targets, zone=zone)
        title = messages.health_title(canonical(targets) or messages.ALL_INSTANCES)
        return health_view(fleet, title=title, simulated=self.simulated, now=self.clock())

    async def restore_view(self, command: RestoreCommand, *, zone: ZoneInfo) -> View:
        """Whether and to when an instance can be restored (or its timeline)."""
        question = command.question
        answer = await self.engines.engine(question.profile).restore(question, zone=zone)
        return restore_view(answer, now=self.clock())

    def profile_of_button(self, value: str) -> str:
        """The profile a button's question is about; StaleButton if it is not ours."""
        return parse_query(self.codec.decode(value).query).profile or self.engines.default

    async def for_click(
        self,
        action_id: str,
        value: str,
        *,
        zone: ZoneInfo,
        shareable: bool,
        shared_by: str | None = None,
    ) -> Outcome:
        """The view a button leads to; StaleButton if its value is not one of ours."""
        state = self.codec.decode(value)
        query = parse_query(state.query)
        engine = self.engines.engine(query.profile)
        if action_id == ACTION_DETAILS and state.backup_id is not None:
            detail = await engine.answer(Ask(parse_query(state.backup_id), zone=zone))
            if not detail.backups:
                raise UserError(messages.BACKUP_NO_LONGER_LISTED, messages.REFRESH_THE_LIST)
            back = ButtonState(state.query, state.page)
            view = detail_view(
                detail.backups[0], codec=self.codec, back=back, simulated=self.simulated
            )
            return Outcome(view, detail)
        refresh = action_id == ACTION_REFRESH
        answer = await engine.answer(Ask(query, page=state.page, zone=zone, refresh=refresh))
        return Outcome(self.answer_view(answer, shareable=shareable, shared_by=shared_by), answer)


def unescape(text: str) -> str:
    """Slack sends `&`, `<`, `>` as entities; the language wants the characters."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
