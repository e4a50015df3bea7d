"""Whether each instance has a good backup recent enough: judged from a read that reaches
now, never from the rows of whatever window was asked about."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.core.backup import Backup
from bot.core.summary import GOOD, human_age

DEFAULT_STALE_AFTER = timedelta(hours=26)


@dataclass(frozen=True)
class InstanceHealth:
    """Whether an instance has a good backup recent enough, as of when it was judged.

    `last_good` is its newest good backup. When it is None, all that is known is that it
    had no good backup since `covered_since`.
    """

    name: str
    instance_id: str
    last_good: Backup | None
    covered_since: datetime | None
    stale: bool

    def last_good_age(self, now: datetime) -> timedelta | None:
        """How old the newest good backup is, if one was seen."""
        return None if self.last_good is None else now - self.last_good.begin_time

    def staleness(self, now: datetime) -> str:
        """How long the instance has gone without a good backup, in words."""
        age = self.last_good_age(now)
        if age is not None:
            return f"last good backup {human_age(age)} ago"
        if self.covered_since is not None:
            return f"no good backup for over {human_age(now - self.covered_since)}"
        return "no good backup seen"


@dataclass(frozen=True)
class FleetHealth:
    """Per-instance health as of `judged_at`, from every backup since `covered_since`.

    The rows it was judged from are kept in `backups` (newest first): digests and
    watches list the failures among them.
    """

    instances: tuple[InstanceHealth, ...]
    backups: tuple[Backup, ...]
    covered_since: datetime | None
    stale_after: timedelta
    judged_at: datetime
    as_of: datetime

    @property
    def stale(self) -> tuple[InstanceHealth, ...]:
        """Instances with no good backup for longer than the threshold."""
        return tuple(health for health in self.instances if health.stale)

    def including(self, sightings: Iterable[Sighting]) -> FleetHealth:
        """This health, plus the instances sighted elsewhere that had no backup at all here.

        Such an instance had no good backup since `covered_since`, or since the last
        good backup the other read found.
        """
        known = {_key(health) for health in self.instances}
        added = []
        for sighting in sightings:
            if _key(sighting) in known:
                continue
            known.add(_key(sighting))
            added.append(
                judge(
                    name=sighting.name,
                    instance_id=sighting.instance_id,
                    last_good=sighting.last_good,
                    covered_since=self.covered_since,
                    now=self.judged_at,
                    stale_after=self.stale_after,
                )
            )
        if not added:
            return self
        return replace(self, instances=_ordered([*self.instances, *added]))


@dataclass(frozen=True)
class Sighting:
    """An instance seen by another read than health's, and its last good backup if that
    read can tell (a probe of its newest backup can; a window in the past cannot)."""

    name: str
    instance_id: str
    last_good: Backup | None


def _key(instance: InstanceHealth | Sighting) -> str:
    return instance.instance_id or instance.name


def _ordered(healths: Iterable[InstanceHealth]) -> tuple[InstanceHealth, ...]:
    return tuple(sorted(healths, key=lambda health: (not health.stale, health.name)))


def judge(
    *,
    name: str,
    instance_id: str,
    last_good: Backup | None,
    covered_since: datetime | None,
    now: datetime,
    stale_after: timedelta,
) -> InstanceHealth:
    """An instance is stale when its last good backup, or the lack of one for as long as
    the rows cover, is older than `stale_after`; with neither, nothing is concluded."""
    if last_good is not None:
        stale = now - last_good.begin_time > stale_after
    else:
        stale = covered_since is not None and now - covered_since > stale_after
    return InstanceHealth(
        name=name,
        instance_id=instance_id,
        last_good=last_good,
        covered_since=covered_since,
        stale=stale,
    )


def assess(
    backups: Sequence[Backup],
    *,
    now: datetime,
    covered_since: datetime | None,
    stale_after: timedelta,
    as_of: datetime,
) -> FleetHealth:
    """The health of every instance among `backups` (newest first, all since
    `covered_since`, read at `as_of`), judged at `now`."""
    newest_good: dict[str, tuple[Backup, Backup | None]] = {}
    for backup in backups:
        key = backup.instance_id or backup.instance_name
        seen = newest_good.get(key)
        if seen is None:
            newest_good[key] = (backup, backup if backup.status in GOOD else None)
        elif seen[1] is None and backup.status in GOOD:
            newest_good[key] = (seen[0], backup)
    healths = [
        judge(
            name=first.instance_name or first.instance_id,
            instance_id=first.instance_id,
            last_good=last_good,
            covered_since=covered_since,
            now=now,
            stale_after=stale_after,
        )
        for first, last_good in newest_good.values()
    ]
    return FleetHealth(
        instances=_ordered(healths),
        backups=tuple(backups),
        covered_since=covered_since,
        stale_after=stale_after,
        judged_at=now,
        as_of=as_of,
    )
