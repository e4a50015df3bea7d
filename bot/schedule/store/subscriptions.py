"""Digests and watches: what each covers (data, not command text), and declared ones."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

from sqlalchemy import ColumnElement, RowMapping, delete, select, update
from sqlalchemy.engine import Connection

from bot.core.language.canonical import canonical
from bot.core.query import Query, Target
from bot.schedule.database import insert_new
from bot.schedule.incidents import profile_key
from bot.schedule.schema import subscriptions
from bot.schedule.store.transactions import Part

SubscriptionKind = Literal["digest", "watch"]


@dataclass(frozen=True)
class Subscription:
    """A digest or a watch in a channel: what it covers is data, not command text."""

    id: int
    kind: SubscriptionKind
    team_id: str
    channel_id: str
    created_by: str
    targets: tuple[Target, ...]
    profile: str | None
    at_time: time | None
    timezone: str | None
    origin: str
    enabled: bool
    disabled_reason: str | None
    created_at: datetime
    language: str | None = None  # the locale its posts are in; None: the workspace's

    @property
    def query(self) -> Query:
        """The instances it covers, as a query without a window."""
        return Query(targets=self.targets, profile=self.profile)

    @property
    def scope(self) -> str:
        """Its targets in the language's words ("" for every instance), for people to read."""
        return canonical(self.query)


@dataclass(frozen=True)
class DeclaredDigest:
    """A digest declared outside Slack (the config file), identified by its fields."""

    channel: str
    targets: tuple[Target, ...]
    profile: str | None
    at: time
    zone: str

    @property
    def key(self) -> str:
        """Same fields, same key: an unchanged entry keeps its subscription and history.

        Migration 0002 computes the keys of 0.1's config digests with a frozen copy.
        """
        identity = {
            "channel": self.channel,
            "profile": self.profile,
            "targets": [[target.kind, target.value] for target in self.targets],
            "at": self.at.strftime("%H:%M"),
            "tz": self.zone,
        }
        text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _targets_data(targets: Sequence[Target]) -> list[dict[str, str]]:
    return [{"kind": target.kind, "value": target.value} for target in sorted(set(targets))]


def subscription_of(row: RowMapping) -> Subscription:
    """A subscription's row, typed."""
    return Subscription(
        id=row["id"],
        kind=row["kind"],
        team_id=row["team_id"],
        channel_id=row["channel_id"],
        created_by=row["created_by"],
        targets=tuple(Target(item["kind"], item["value"]) for item in row["targets"]),
        profile=row["profile"],
        at_time=row["at_time"],
        timezone=row["timezone"],
        origin=row["origin"],
        enabled=bool(row["enabled"]),
        disabled_reason=row["disabled_reason"],
        created_at=row["created_at"],
        language=row["language"],
    )


def _delete(connection: Connection, which: ColumnElement[bool]) -> int:
    """Delete subscriptions; their sends, claims and incidents go with them (ON DELETE CASCADE)."""
    return int(connection.execute(delete(subscriptions).where(which)).rowcount)


class SubscriptionRecords(Part):
    """Adding, reading, turning off and removing digests and watches."""

    async def add(
        self,
        *,
        kind: SubscriptionKind,
        channel_id: str,
        created_by: str,
        created_at: datetime,
        targets: Sequence[Target] = (),
        profile: str | None = None,
        team_id: str = "",
        at_time: time | None = None,
        timezone: str | None = None,
        language: str | None = None,
    ) -> Subscription:
        """Store a new subscription and return it with its id."""
        values = {
            "kind": kind, "team_id": team_id, "channel_id": channel_id,
            "created_by": created_by, "profile": profile, "targets": _targets_data(targets),
            "at_time": at_time, "timezone": timezone, "language": language,
            "origin": "slack", "created_at": created_at,
        }  # fmt: skip

        def insert(connection: Connection) -> Subscription:
            result = connection.execute(subscriptions.insert().values(values))
            (new_id,) = result.inserted_primary_key or (None,)
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.id == new_id)
            ).mappings()
            return subscription_of(row.one())

        return await self._db.write(insert)

    async def get(self, subscription_id: int) -> Subscription | None:
        """One subscription by id."""

        def one(connection: Connection) -> Subscription | None:
            row = (
                connection.execute(
                    select(subscriptions).where(subscriptions.c.id == subscription_id)
                )
                .mappings()
                .first()
            )
            return None if row is None else subscription_of(row)

        return await self._db.read(one)

    async def find(
        self,
        *,
        kind: SubscriptionKind | None = None,
        channel_id: str | None = None,
        enabled_only: bool = False,
    ) -> list[Subscription]:
        """Subscriptions, optionally of one kind, in one channel, enabled only; oldest first."""
        query = select(subscriptions).order_by(subscriptions.c.id)
        if kind is not None:
            query = query.where(subscriptions.c.kind == kind)
        if channel_id is not None:
            query = query.where(subscriptions.c.channel_id == channel_id)
        if enabled_only:
            query = query.where(subscriptions.c.enabled.is_(True))

        def rows(connection: Connection) -> list[Subscription]:
            return [subscription_of(row) for row in connection.execute(query).mappings()]

        return await self._db.read(rows)

    async def same_watch(
        self,
        channel_id: str,
        targets: Sequence[Target],
        profile: str | None,
        *,
        default_profile: str,
    ) -> Subscription | None:
        """An enabled watch of the channel on exactly these instances and profile, if any."""
        key = profile_key(profile, default_profile)
        for watch in await self.find(kind="watch", channel_id=channel_id, enabled_only=True):
            if (
                set(watch.targets) == set(targets)
                and profile_key(watch.profile, default_profile) == key
            ):
                return watch
        return None

    async def remove(self, subscription_id: int) -> bool:
        """Delete a subscription and (by cascade) its history; False if there was none."""

        def remove(connection: Connection) -> bool:
            return _delete(connection, subscriptions.c.id == subscription_id) == 1

        return await self._db.write(remove)

    async def disable(self, subscription_id: int, reason: str) -> None:
        """Stop a subscription that can no longer be delivered, remembering why."""
        statement = (
            update(subscriptions)
            .where(subscriptions.c.id == subscription_id)
            .values(enabled=False, disabled_reason=reason)
        )
        await self._db.write(lambda connection: connection.execute(statement))

    async def sync_config(
        self, declared: Sequence[DeclaredDigest], *, created_at: datetime
    ) -> list[Subscription]:
        """Make the config-file digests exactly `declared`; unchanged ones keep their history."""
        wanted = {digest.key: digest for digest in declared}

        def sync(connection: Connection) -> list[Subscription]:
            existing = connection.execute(
                select(subscriptions.c.config_key).where(subscriptions.c.origin == "config")
            ).scalars()
            gone = [key for key in existing if key not in wanted]
            if gone:
                _delete(connection, subscriptions.c.config_key.in_(gone))
            for key, digest in wanted.items():
                insert_new(
                    connection,
                    subscriptions,
                    values={
                        "kind": "digest", "channel_id": digest.channel, "created_by": "config",
                        "profile": digest.profile, "targets": _targets_data(digest.targets),
                        "at_time": digest.at, "timezone": digest.zone, "origin": "config",
                        "config_key": key, "created_at": created_at,
                    },
                )  # fmt: skip
            rows = connection.execute(
                select(subscriptions)
                .where(subscriptions.c.origin == "config")
                .order_by(subscriptions.c.id)
            ).mappings()
            return [subscription_of(row) for row in rows]

        return await self._db.write(sync)
