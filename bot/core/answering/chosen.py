"""Which instances health judges: those the listing gives that were asked about (none
named: all), and those known only from their backups, never dropped; a target with no
backup lately is probed, to tell it from one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.answering.cache import Cached
from bot.core.answering.empty_targets import unknown
from bot.core.answering.plan import Read, probe
from bot.core.answering.reader import Reader
from bot.core.backup import Backup
from bot.core.health.instances import Instance, InstanceListing
from bot.core.query import Target


async def choose(
    about: Sequence[Target],
    reads: Sequence[Read],
    results: Sequence[Cached],
    *,
    known: InstanceListing | None,
    reader: Reader,
    refresh: bool,
) -> tuple[list[Instance], list[Instance], list[Cached]]:
    """The listed instances asked about (none named: all), those known only from their
    backups, and the probes it took to tell a target with no backup lately from none.
    Raises QueryError for a target neither listed nor with any backup."""
    listed = list(known.instances) if known is not None else []
    if not about:
        # Those the backups show and the listing does not are judged too, never dropped
        # (a listing cut short, a row that could not be read, an instance just made).
        told = {instance.id for instance in listed}
        told.update(instance.name for instance in listed if instance.name)
        seen = seen_in(backup for cached in results for backup in cached.listing.backups)
        return listed, [i for i in seen if i.id not in told], []
    chosen: dict[str, Instance] = {}
    absent: list[Target] = []
    unlisted: list[Instance] = []
    for read, cached in zip(reads, results, strict=True):
        target = read.target
        if target is None:
            continue
        matches = [instance for instance in listed if _names(instance, target)]
        for instance in matches:
            chosen.setdefault(instance.id, instance)
        if matches:
            continue
        if cached.listing.backups:
            unlisted.extend(seen_in(cached.listing.backups))
        else:
            absent.append(target)
    probes = await reader.run([probe(target) for target in absent], refresh=refresh)

    async def known_names() -> list[str]:
        """Names to suggest for a typo: the listed instances' (those without backups
        too), then those seen in backups."""
        names = dict.fromkeys(instance.name for instance in listed if instance.name)
        names.update(dict.fromkeys(await reader.names()))
        return list(names)

    for target, cached in zip(absent, probes, strict=True):
        if not cached.listing.backups:
            raise await unknown(target, names=known_names)
        unlisted.extend(seen_in(cached.listing.backups))
    ids = set(chosen)
    return list(chosen.values()), [i for i in _unique(unlisted) if i.id not in ids], probes


def seen_in(backups: Iterable[Backup]) -> list[Instance]:
    """The instances `backups` name, once each, as known from backups alone."""
    names: dict[str, str] = {}
    for backup in backups:  # thousands of rows, a few instances: one model per instance
        if key := backup.instance_id or backup.instance_name:  # else no instance to name
            names.setdefault(key, backup.instance_name)
    return [Instance.seen_in_backups(key, name or key) for key, name in names.items()]


def _names(instance: Instance, target: Target) -> bool:
    """Whether `target` is this instance, by name or by id."""
    if target.kind == "instance_name":
        return instance.name == target.value
    return target.kind == "instance_id" and instance.id == target.value


def _unique(instances: Iterable[Instance]) -> list[Instance]:
    found: dict[str, Instance] = {}
    for instance in instances:
        found.setdefault(instance.id, instance)
    return list(found.values())
