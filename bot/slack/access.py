"""Who may ask what: access rules over workspaces, channels, users, user groups, profiles.

Rules come from a TOML file (BACKUPBOT_ACCESS_FILE), safe to keep in git:

    [[allow]]                        # the on-call channels may ask about everything
    channels = ["C0INCIDENTS", "C0DBA"]

    [[allow]]                        # the DBAs, anywhere, but only about prod
    usergroups = ["S0DBAS"]
    profiles = ["prod", "prod-ap"]

A request is allowed when one rule matches it: every condition a rule names must hold
(a list means "one of these"), and a condition it leaves out holds for anyone. Rules
without `teams` apply only in the workspace that installed the bot. With no file, the
default is that workspace, any channel, any user, every profile.

Reading is all a rule allows, unless it names `actions`: what changes the cloud needs a
rule that grants it, explicitly (default: nobody). Only "backup" exists:

    [[allow]]                        # the DBAs may take backups, from the DBA channel
    channels = ["C0DBA"]
    usergroups = ["S0DBAS"]
    actions = ["backup"]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from bot import messages
from bot.core.answering.engine import require_profile
from bot.errors import AccessDenied, ConfigError, UserError
from bot.support.tomlfile import read_toml, validated

log = logging.getLogger("backupbot.access")
GroupMembers = Callable[[str], Awaitable[frozenset[str]]]
_ID_RE = re.compile(r"^[A-Z0-9]{2,}$")


@dataclass(frozen=True)
class Request:
    """Who asks, where, about which profile."""

    team: str
    channel: str
    user: str
    profile: str


class _RuleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    teams: list[str] | None = None
    channels: list[str] | None = None
    users: list[str] | None = None
    usergroups: list[str] | None = None
    profiles: list[str] | None = None
    actions: list[Literal["backup"]] | None = None

    @field_validator("teams", "channels", "users", "usergroups")
    @classmethod
    def _ids(cls, values: list[str] | None) -> list[str] | None:
        for value in values or []:
            if not _ID_RE.match(value):
                raise ValueError(messages.not_a_slack_id(value))
        return values


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allow: list[_RuleEntry]


@dataclass(frozen=True)
class Rule:
    """One [[allow]] entry; None means "anyone"."""

    teams: frozenset[str] | None = None
    channels: frozenset[str] | None = None
    users: frozenset[str] | None = None
    usergroups: frozenset[str] | None = None
    profiles: frozenset[str] | None = None
    actions: frozenset[str] = frozenset()  # what it lets change in the cloud: none unless named

    async def matches(self, request: Request, *, home_team: str, members: GroupMembers) -> bool:
        """Whether every condition of the rule holds for `request`."""
        if self.channels is not None and request.channel not in self.channels:
            return False
        if self.profiles is not None and request.profile not in self.profiles:
            return False
        return await self.admits(
            team=request.team, user=request.user, home_team=home_team, members=members
        )

    async def admits(self, *, team: str, user: str, home_team: str, members: GroupMembers) -> bool:
        """Whether the rule's conditions on who asks (workspace, user, group) hold for `user`:
        then the rule lets them ask somewhere, about something."""
        teams = self.teams if self.teams is not None else frozenset({home_team})
        if team not in teams:
            return False
        if self.users is None and self.usergroups is None:
            return True
        if self.users is not None and user in self.users:
            return True
        for group in sorted(self.usergroups or ()):
            if user in await members(group):
                return True
        return False


def _frozen(values: list[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def load_rules(path: str | None, *, profiles: Collection[str] | None) -> tuple[Rule, ...]:
    """The rules of the access file; with no file, the default rule (home workspace only).

    A rule may name only `profiles` (None: not known, not checked): a rule for a profile
    nobody configured would never match, and `check` and `serve` refuse it alike.
    """
    if path is None:
        return (Rule(),)
    data = read_toml(path, variable="BACKUPBOT_ACCESS_FILE", shape="[[allow]] tables")
    parsed = validated(_File, data, path=path, hint=messages.ACCESS_FILE_HINT)
    if profiles is not None:
        _require_profiles(parsed, path=path, profiles=profiles)
    return tuple(
        Rule(
            _frozen(e.teams),
            _frozen(e.channels),
            _frozen(e.users),
            _frozen(e.usergroups),
            _frozen(e.profiles),
            frozenset(e.actions or ()),
        )
        for e in parsed.allow
    )


def _require_profiles(parsed: _File, *, path: str, profiles: Collection[str]) -> None:
    """ConfigError, naming where, for the first profile a rule names that is not one of
    `profiles` (the same words as for a question's `@name`)."""
    for number, entry in enumerate(parsed.allow):
        for place, name in enumerate(entry.profiles or ()):
            try:
                require_profile(name, profiles)
            except UserError as error:
                where = f"{path}: allow.{number}.profiles.{place}"
                raise ConfigError(f"{where}: {error.said}", error.hint) from None


class AccessPolicy:
    """Decides requests against the rules; the home workspace is learnt at start-up."""

    def __init__(self, rules: tuple[Rule, ...], *, members: GroupMembers) -> None:
        self.rules = rules
        self.members = members
        self.home_team = ""

    async def allows(self, request: Request) -> bool:
        """Whether any rule lets `request` through."""
        for rule in self.rules:
            if await rule.matches(request, home_team=self.home_team, members=self.members):
                return True
        return False

    async def allows_action(self, request: Request, action: str) -> bool:
        """Whether a rule that grants `action` (explicitly) lets `request` through."""
        for rule in self.rules:
            granted = action in rule.actions
            if granted and await rule.matches(
                request, home_team=self.home_team, members=self.members
            ):
                return True
        return False

    async def anywhere(self, *, team: str, user: str) -> bool:
        """Whether any rule lets `user` ask somewhere (some channel, some profile)."""
        for rule in self.rules:
            admitted = await rule.admits(
                team=team, user=user, home_team=self.home_team, members=self.members
            )
            if admitted:
                return True
        return False

    async def check(self, request: Request) -> None:
        """Raise AccessDenied, politely, unless a rule allows `request`."""
        if await self.allows(request):
            return
        log.info("denied %s", request)
        raise self.refusal(request)

    def refusal(self, request: Request) -> AccessDenied:
        """The polite refusal for a request the rules do not allow."""
        if (
            not any(rule.teams is not None for rule in self.rules)
            and request.team != self.home_team
        ):
            return AccessDenied(
                messages.OTHER_WORKSPACE,
                messages.ADD_THIS_WORKSPACE,
            )
        return AccessDenied(
            messages.may_not_ask_about(request.profile),
            messages.RULES_DO_NOT_ALLOW,
        )
