"""What health falls back to when the inventory could not say everything: each instance's
policy or why it is unknown, and one notice saying what health could not know.

Pure, over what was read (`bot.core.answering.judge` reads it). Without permission to
list instances or read policies, instances are judged by the age threshold and the
notice says once which IAM action to grant; a listing that cannot be read leaves health
to the instances the backups show; a listing read only in part (a field or a row that
could not be read) is said once too. Instances the backups show and the listing does
not are judged by the threshold, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot import messages
from bot.core.health.instances import Instance, InstanceListing, PolicyRead, PolicyUnreadable
from bot.core.health.inventory_cache import ListingFailed, Policies
from bot.core.human import human_age
from bot.errors import PermissionDenied


def fallback(
    *,
    listing: InstanceListing | PermissionDenied | ListingFailed | None,
    policies: Policies | None,
    chosen: Sequence[Instance],
    unlisted: Sequence[Instance],
    skipped: bool,
    stale_after: timedelta,
) -> tuple[dict[str, PolicyRead], str | None]:
    """The policy (or why it is unknown) of every instance judged, and the notice.

    `listing` is the instance listing as read (None for a source that has none),
    `policies` those read of the `chosen` (listed) instances (None without a listing),
    `unlisted` the instances known only from their backups; `skipped` whether rows the
    listing set aside may be among those judged.
    """
    notices: list[str] = []
    known: InstanceListing | None = None
    if isinstance(listing, InstanceListing):
        known = listing
    elif isinstance(listing, ListingFailed):
        notices.append(messages.listing_failed(listing.reason, human_age(stale_after)))
    elif listing is not None:  # the denial that stood for it
        notices.append(_denied(listing, listing=True, stale_after=stale_after))
    found: dict[str, PolicyRead] = {}
    reason = messages.LISTING_UNREADABLE
    if known is not None and policies is not None:
        found.update(policies.by_id)
        if policies.denied is not None:
            notices.append(_denied(policies.denied, listing=False, stale_after=stale_after))
            for instance in chosen:
                found.setdefault(instance.id, PolicyUnreadable(messages.NO_PERMISSION_TO_READ_IT))
        reason = messages.NOT_IN_THE_LISTING
        notices.extend(_gaps(known, chosen, skipped=skipped))
    for instance in unlisted:
        found[instance.id] = PolicyUnreadable(reason)
    return found, " · ".join(notices) or None


def _denied(denied: PermissionDenied, *, listing: bool, stale_after: timedelta) -> str:
    """What health could not know (the listing, else the policies), and what to grant."""
    return messages.judged_by_threshold(
        listing=listing,
        limit=human_age(stale_after),
        action=denied.action,
        legacy=denied.legacy_action,
    )


def _gaps(listing: InstanceListing, chosen: Sequence[Instance], *, skipped: bool) -> list[str]:
    """What the listing could not say of the instances judged, in one note (none: nothing
    missing): each field health uses that was dropped or null, and, when they may be
    among those judged, the rows set aside for want of an id."""
    counts: dict[str, int] = {}
    for instance in chosen:
        missing = set(listing.dropped.get(instance.id, ()))
        if not instance.status_known:
            missing.add("status")
        for name in sorted(missing):
            counts[name] = counts.get(name, 0) + 1
    parts = [messages.field_of_instances(name, count) for name, count in sorted(counts.items())]
    if skipped and listing.skipped:
        parts.append(messages.records_without_id(listing.skipped))
    return [messages.listing_partly_unread(parts)] if parts else []
