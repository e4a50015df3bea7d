"""Answering a question: plan the reads, run them through the cache, merge, summarise.

This is the one path from a Query to an Answer; the Slack app, the digest, the CLI and
the tests all drive it. Counts are those of the whole window asked about (up to a
bound). Health is about now, whatever window, statuses and type the question has: it is
judged (`bot.core.answering.judge`) from reads that reach now (the instance listing, policies and
the last 14 days, whole, no type), shared by questions, digests, watches and
`/backups health` through the caches.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.answering.answer import UTC_ZONE, Answer, Ask
from bot.core.answering.cache import Cached, ListingCache
from bot.core.answering.empty_targets import empty_targets
from bot.core.answering.judge import (
    HealthJudge,
    Judged,
    inventory_requests,
    listed_targets,
)
from bot.core.answering.plan import (
    DEFAULT_MAX_WINDOW_ROWS,
    PAGE_SIZE,
    Read,
    plan,
    share,
)
from bot.core.answering.reader import Reader, merge, together
from bot.core.answering.restore import RestoreAnswer, Restorer
from bot.core.answering.summary import summarise
from bot.core.answering.window import ResolvedWindow, depends_on_zone, resolve
from bot.core.backup import Backup
from bot.core.backup_action import BackupMaker
from bot.core.backup_source import WHOLE, BackupListing, BackupSource
from bot.core.clock import Clock
from bot.core.health.inventory_cache import InventoryCache
from bot.core.health.reports import DEFAULT_SETTINGS, FleetHealth, HealthSettings
from bot.core.language.canonical import window_text
from bot.core.query import Query, Target, Window
from bot.core.restore.question import RestoreQuestion
from bot.core.restore.source import RestoreSource
from bot.errors import UserError

Notice = Callable[[], str | None]


def no_notice() -> str | None:
    """The default credentials notice: nothing to say."""
    return None


First = TypeVar("First")
Second = TypeVar("Second")


class Engine:
    """Answers questions about one project's backups, and judges its health: both read
    through one `Reader` (one cache, one set of names learned)."""

    def __init__(
        self,
        *,
        reader: Reader,
        judge: HealthJudge,
        clock: Clock,
        max_window_rows: int = DEFAULT_MAX_WINDOW_ROWS,
        credentials_notice: Notice = no_notice,
        restorer: Restorer | None = None,
    ) -> None:
        """`credentials_notice` says, when asked, whether the source's credentials are
        stale (refreshing failed, the last ones still valid): answers and health carry it.
        `restorer` answers restore questions (None: this source cannot)."""
        self.reader = reader
        self.restorer = restorer
        self._judge = judge
        self._clock = clock
        self.max_window_rows = max_window_rows
        self._credentials_notice = credentials_notice
        self.health_window = judge.window

    @classmethod
    def over(
        cls,
        *,
        source: BackupSource,
        cache: ListingCache,
        clock: Clock,
        inventory: InventoryCache | None = None,
        health_settings: HealthSettings = DEFAULT_SETTINGS,
        max_window_rows: int = DEFAULT_MAX_WINDOW_ROWS,
        credentials_notice: Notice = no_notice,
        restores: RestoreSource | None = None,
    ) -> Engine:
        """The engine of `source`: one reader over it and `cache`, handed to the engine and
        to its health judge (and to the restorer, given the restore reads)."""
        reader = Reader(source=source, cache=cache)
        restorer = None
        if restores is not None:
            restorer = Restorer(
                source=restores,
                reader=reader,
                inventory=inventory,
                clock=clock,
                ttl=cache.ttl,
                ranges_ttl=inventory.ttl if inventory is not None else cache.ttl,
            )
        judge = HealthJudge(
            reader=reader, inventory=inventory, clock=clock, settings=health_settings
        )
        judge.restorer = restorer
        return cls(
            reader=reader,
            judge=judge,
            clock=clock,
            max_window_rows=max_window_rows,
            credentials_notice=credentials_notice,
            restorer=restorer,
        )

    @property
    def known_names(self) -> tuple[str, ...]:
        """Instance names seen in recent results, oldest first."""
        return self.reader.known_names

    async def answer(self, ask: Ask) -> Answer:
        """Answer `ask`, or raise QueryError (bad window, unknown instance) / UpstreamError."""
        query, refresh = ask.query, ask.refresh
        window = self._resolve(query.effective_window, zone=ask.zone, refresh=refresh)
        reads, results, judged = await self._read(query, window, zone=ask.zone, refresh=refresh)
        listed = listed_targets(judged)
        notes, probes = await empty_targets(
            query,
            window,
            reads,
            results,
            reader=self.reader,
            refresh=refresh,
            exists=lambda target: target in listed,
        )
        rows, complete, window_total = self._window_rows([cached.listing for cached in results])
        unreadable = sum(cached.listing.unreadable for cached in results)
        matching = [b for b in rows if b.status in query.statuses] if query.statuses else rows
        page_count = max(1, math.ceil(len(matching) / PAGE_SIZE))
        page = min(max(ask.page, 0), page_count - 1)
        covered_since = window.begin if complete else (rows[-1].begin_time if rows else None)
        summary = summarise(rows, covered_since=covered_since, complete=complete)
        health = None
        if judged is not None:
            health = judged.fleet
            if not query.targets and not judged.listed:
                # Without the listing, every instance is those the backups show: the
                # window's too, though none in the health read (none for too long).
                health = self._judge.with_seen(judged, rows, zone=ask.zone)
        used = [*results, *probes, *(judged.reads if judged is not None else ())]
        as_of = min(cached.fetched_at for cached in used)
        if judged is not None:
            as_of = min(as_of, judged.fetched_at)
        return Answer(
            query=query,
            window=window,
            backups=tuple(matching[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]),
            page=page,
            page_count=page_count,
            matches=len(matching),
            summary=summary,
            window_total=window_total,
            health=health,
            as_of=as_of,
            from_cache=all(cached.hit for cached in used) and not inventory_requests(judged),
            requests=sum(cached.listing.requests for cached in used if not cached.hit)
            + inventory_requests(judged),
            empty_targets=notes,
            unreadable=unreadable,
            credentials_notice=self._credentials_notice(),
        )

    async def _read(
        self, query: Query, window: ResolvedWindow, *, zone: ZoneInfo, refresh: bool
    ) -> tuple[list[Read], list[Cached], Judged | None]:
        """The question's window (up to the bound) and, for a question about instances,
        their health, read at once; returns the window's reads, their results, the health."""
        reads = plan(query, window, rows=self.max_window_rows)
        about = _instances_asked(query)
        if about is None:
            return reads, await self.reader.run(reads, refresh=refresh), None
        # Re-anchoring twice would give the two reads of "last 7d" different bounds.
        again = self._anchor_key(self.health_window, UTC_ZONE) != self._anchor_key(
            query.effective_window, zone
        )
        health_window = self._resolve(self.health_window, zone=UTC_ZONE, refresh=refresh and again)
        health_reads = plan(Query(targets=about), health_window, rows=WHOLE)
        # Where one read holds the other's rows, it is made once and the other cut from it.
        reads, health_reads = share(reads, health_reads, now=self._clock())
        results, judged = await together(
            self.reader.run(reads, refresh=refresh),
            self._judge.judge(about, health_reads, health_window, zone=zone, refresh=refresh),
        )
        return reads, results, judged

    def _window_rows(
        self, listings: Sequence[BackupListing]
    ) -> tuple[list[Backup], bool, int | None]:
        """The window's rows newest first, whether they are all of it, and how many it has.

        Each read holds its target's newest rows, so the newest N of their union are
        the union's newest N: what an incomplete answer says its counts cover.
        """
        merged = merge(listing.backups for listing in listings)
        # Rows the API sent but nobody could read are not missing: the answer says so.
        if all(
            len(listing.backups) + listing.unreadable >= listing.total_count for listing in listings
        ):
            return merged, True, len(merged)
        overlapping = sum(len(listing.backups) for listing in listings) != len(merged)
        total = None if overlapping else sum(listing.total_count for listing in listings)
        return merged[: self.max_window_rows], False, total

    async def health(
        self,
        targets: Sequence[Target] = (),
        *,
        zone: ZoneInfo = UTC_ZONE,
        refresh: bool = False,
    ) -> FleetHealth:
        """Each instance's health as of now, for a reader in `zone`: `targets` (instance
        names or ids; none means every instance), judged by its policy from the instance
        listing, its policy and the last 14 days of backups read whole (no type, no status).

        Digests, watches, `/backups health` and every answer about instances judge health
        here, through the caches, so they share their reads. Without permission to list
        instances or read policies, instances are judged by the age threshold and the
        health's notice says what to grant. Raises QueryError for a target that is neither
        listed nor has any backup.
        """
        window = self._resolve(self.health_window, zone=UTC_ZONE, refresh=refresh)
        about = tuple(targets)
        reads = plan(Query(targets=about), window, rows=WHOLE)
        fleet = (await self._judge.judge(about, reads, window, zone=zone, refresh=refresh)).fleet
        notice = self._credentials_notice()
        return fleet if notice is None else replace(fleet, credentials_notice=notice)

    async def restore(self, question: RestoreQuestion, *, zone: ZoneInfo) -> RestoreAnswer:
        """A restore question answered (see `bot.core.answering.restore`); a UserError when
        this engine's source has no restore reads."""
        if self.restorer is None:
            raise UserError(messages.RESTORE_NOT_AVAILABLE, messages.RESTORE_NEEDS_THE_API)
        return await self.restorer.answer(question, zone=zone)

    def _anchor_key(self, window: Window | None, zone: ZoneInfo) -> tuple[str, str, str]:
        """Asks that resolve a window alike share its anchor: "last 7d" whatever the zone."""
        words = "" if window is None else window_text(window)
        return (self.reader.scope, words, zone.key if depends_on_zone(window) else "")

    def _resolve(self, window: Window | None, *, zone: ZoneInfo, refresh: bool) -> ResolvedWindow:
        """`window` in absolute times, "now" anchored so repeated asks share reads."""
        now = self.reader.anchor(self._anchor_key(window, zone), refresh=refresh)
        return resolve(window, now=now, zone=zone)


def require_profile(name: str, known: Collection[str]) -> None:
    """A UserError listing the profiles there are, unless `name` is one of them: a
    question's `@name`, an access rule's profiles and a declared digest's are held to it."""
    if name not in known:
        names = ", ".join(f"@{other}" for other in sorted(known))
        raise UserError(messages.no_such_profile(name), messages.the_profiles_are(names))


@dataclass(frozen=True)
class Engines:
    """One engine per cloud profile; a question picks its own with `@name`."""

    default: str
    by_name: dict[str, Engine]
    # Each profile's API calls for taking a backup by hand (none: backupbot only reads).
    makers: dict[str, BackupMaker] = field(default_factory=dict)

    def engine(self, profile: str | None) -> Engine:
        """The engine of `profile` (None: the default), or a UserError listing the others."""
        name = profile or self.default
        require_profile(name, self.by_name)
        return self.by_name[name]

    def maker(self, profile: str | None) -> BackupMaker:
        """The backup calls of `profile` (None: the default); a UserError as for `engine`."""
        name = profile or self.default
        require_profile(name, self.by_name)
        if name not in self.makers:
            raise UserError(messages.CANNOT_TAKE_BACKUPS, messages.BACKUPBOT_ONLY_READS)
        return self.makers[name]

    @property
    def known_names(self) -> tuple[str, ...]:
        """Instance names seen recently under any profile."""
        names: dict[str, None] = {}
        for engine in self.by_name.values():
            names.update(dict.fromkeys(engine.known_names))
        return tuple(names)

    @classmethod
    def single(
        cls, engine: Engine, name: str = "default", *, maker: BackupMaker | None = None
    ) -> Engines:
        """Just one engine (one project): tests, the demo."""
        return cls(name, {name: engine}, {} if maker is None else {name: maker})


def _instances_asked(query: Query) -> tuple[Target, ...] | None:
    """The instances whose health an answer shows: those named (none: every instance),
    or None when the question is only about backup ids."""
    if not query.targets:
        return ()
    instances = tuple(target for target in query.targets if target.kind != "backup_id")
    return instances or None
