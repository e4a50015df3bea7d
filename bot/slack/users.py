"""What Slack knows about people: each user's time zone and locale, the members of user
groups, and the members of channels.

Both are looked up through the Web API and kept a while, within fixed bounds.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from cachetools import TTLCache
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import DeliveryError, PlatformUnreachable, QueryError
from bot.messages.catalogue import SOURCE, shipped
from bot.slack.webapi import slack_errors
from bot.support.zones import zone_named

log = logging.getLogger("backupbot.slack")
UTC = ZoneInfo("UTC")


MEMBERS_PAGE = 1000  # conversations.members' own maximum per page
MEMBERS_TTL = 60  # seconds: briefly, so someone who left a channel stops seeing its digests soon


@dataclass(frozen=True)
class Person:
    """What an answer needs to know of its reader: their time zone and Slack locale."""

    zone: ZoneInfo
    locale: str | None = None


UNKNOWN = Person(UTC)


class SlackUsers:
    """Time zones and locales (an hour), user-group members (10 minutes) and channel
    members (a minute), cached."""

    def __init__(self, client: AsyncWebClient, *, default_language: str = SOURCE) -> None:
        self.client = client
        self.default_language = default_language
        self._groups: TTLCache[str, frozenset[str]] = TTLCache(maxsize=1000, ttl=600)
        # People looked up, and lookups under way: a finished lookup keeps only its Person.
        self._people: TTLCache[str, Person] = TTLCache(maxsize=10_000, ttl=3600)
        self._lookups: dict[str, asyncio.Task[Person]] = {}
        self._channels: TTLCache[str, frozenset[str]] = TTLCache(maxsize=1000, ttl=MEMBERS_TTL)

    async def channel_members(self, channel: str) -> frozenset[str]:
        """Members of a channel (conversations.members: channels:read for public ones,
        groups:read for private ones), cached a minute. A channel whose members cannot be
        read counts as having none: what is posted there is shown to nobody else."""
        members = self._channels.get(channel)
        if members is not None:
            return members
        found: set[str] = set()
        cursor: str | None = None
        try:
            with slack_errors():
                while True:
                    response = await self.client.conversations_members(
                        channel=channel, limit=MEMBERS_PAGE, cursor=cursor
                    )
                    found.update(response.get("members") or ())
                    cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
                    if cursor is None:
                        break
        except PlatformUnreachable:
            raise  # not an answer about the channel: nothing to remember
        except DeliveryError as refused:
            log.warning("cannot read the members of %s: %s", channel, refused.code)
        self._channels[channel] = members = frozenset(found)
        return members

    async def members(self, group: str) -> frozenset[str]:
        """Members of a Slack user group (needs the usergroups:read scope), cached 10 min."""
        members = self._groups.get(group)
        if members is None:
            try:
                with slack_errors():
                    response = await self.client.usergroups_users_list(usergroup=group)
                members = frozenset(response.get("users") or ())
            except PlatformUnreachable:
                raise  # not an answer about the group: nothing to remember
            except DeliveryError as refused:
                log.warning("cannot read user group %s: %s", group, refused.code)
                members = frozenset()
            self._groups[group] = members
        return members

    async def zone_of(self, user: str) -> ZoneInfo:
        """The user's own time zone from their Slack profile (UTC if unknown)."""
        return (await self.person(user)).zone

    async def locale_of(self, user: str) -> str | None:
        """The user's Slack locale (e.g. zh-CN), None if unknown."""
        return (await self.person(user)).locale

    async def language_of(self, user: str) -> str:
        """The locale to answer `user` in: theirs when shipped, else the workspace's."""
        return shipped((await self.person(user)).locale or "") or self.default_language

    async def person(self, user: str) -> Person:
        """The user's time zone and locale, from one users.info.

        Looked up once an hour per user; asks at the same moment share one lookup.
        """
        if not user:
            return UNKNOWN
        known = self._people.get(user)
        if known is not None:
            return known
        lookup = self._lookups.get(user)
        if lookup is None:
            lookup = self._lookups[user] = asyncio.ensure_future(self._lookup(user))
            lookup.add_done_callback(lambda _: self._lookups.pop(user, None))
        return await asyncio.shield(lookup)

    async def _lookup(self, user: str) -> Person:
        """The zone and locale in the user's profile, remembered; unknown (not remembered)
        if Slack fails."""
        try:
            with slack_errors():
                response = await self.client.users_info(user=user, include_locale=True)
            profile: dict[str, Any] = response.get("user") or {}
            locale = str(profile.get("locale") or "") or None
            zone = zone_named(str(profile.get("tz") or "UTC"))
        except DeliveryError as error:
            log.info("no time zone for %s (%r): using UTC this time", user, error.__cause__)
            return UNKNOWN
        except QueryError as error:
            log.info("no time zone for %s (%s): using UTC", user, error)
            zone = UTC
        person = self._people[user] = Person(zone=zone, locale=locale)
        return person
