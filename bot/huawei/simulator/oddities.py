"""Odd values the instance listing and the policies may send, served on a knob.

Each oddity is one value a real answer may carry: the official SDK's models accept it
(`MysqlInstanceListInfo` types `status`, `created` and `backup_strategy.keep_days` as
optional strings, `ListGaussMySqlInstancesResponse.total_count` is optional, a policy's
`period` is a string), except where said: `no_id` (a row nobody can place),
`policy_keep_days_abc` (the SDK's int refuses it) and `unreadable_page` (an envelope of
the wrong shape). A per-instance oddity names the instances it applies to; a listing
oddity applies to every page. Tests and the oracle read what is served through
`served_inventory`, so their truth starts from the very records the API sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from bot.huawei.simulator.records import DeclaredInstance, instance_id_for
from bot.huawei.wire import parse_api_time

# name -> what it does to one instance's record (r) or policy (p)
INSTANCE_ODDITIES = {
    "status_null": "r: status null",
    "keep_days_abc": "r: backup_strategy.keep_days 'abc'",
    "created_naive": "r: created without an offset (the time in UTC)",
    "created_unreadable": "r: created 'soon', not a time",
    "name_null": "r: name null",
    "no_id": "r: no id (not an SDK-valid row: nothing can place it)",
    "twin": "r: a second instance of the same name, another id, no backups",
    "period_superscript": "p: period '1,2,3,4,5,6,²' (a digit to str.isdigit, not to int)",
    "period_fullwidth": "p: period in full-width digits (U+FF11 to U+FF17)",
    "policy_keep_days_abc": "p: keep_days 'abc' (the SDK's int refuses it)",
}
LISTING_ODDITIES = {
    "no_total_count": "the instance listing leaves total_count out",
    "unreadable_page": "every instance page is of the wrong shape",
}
ODDITIES = frozenset({*INSTANCE_ODDITIES, *LISTING_ODDITIES})
TWIN_SUFFIX = "#twin"


def check(oddities: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """The oddities asked for, with the instances each applies to; ValueError for unknown ones."""
    unknown = sorted(set(oddities) - ODDITIES)
    if unknown:
        raise ValueError(f"unknown oddities {unknown}; known: {sorted(ODDITIES)}")
    return {name: frozenset(names) for name, names in oddities.items()}


def served_inventory(
    inventory: Mapping[str, DeclaredInstance], oddities: Mapping[str, frozenset[str]]
) -> list[DeclaredInstance]:
    """Every instance as the API serves it (sorted by name), with `oddities` applied."""
    if not oddities:
        return list(inventory.values())
    served: list[DeclaredInstance] = []
    for declared in inventory.values():
        name = declared.record["name"]
        odd = {oddity for oddity, names in oddities.items() if name in names}
        served.append(_odd(declared, odd))
        if "twin" in odd:
            record = {**declared.record, "id": instance_id_for(name + TWIN_SUFFIX)}
            served.append(DeclaredInstance(record, dict(declared.policy)))
    return served


def _odd(declared: DeclaredInstance, odd: set[str]) -> DeclaredInstance:
    record, policy = dict(declared.record), dict(declared.policy)
    if "status_null" in odd:
        record["status"] = None
    if "keep_days_abc" in odd:
        record["backup_strategy"] = {**record.get("backup_strategy", {}), "keep_days": "abc"}
    if "created_naive" in odd:
        created: datetime = parse_api_time(record["created"]).astimezone(UTC)
        record["created"] = f"{created:%Y-%m-%dT%H:%M:%S}"
    if "created_unreadable" in odd:
        record["created"] = "soon"
    if "name_null" in odd:
        record["name"] = None
    if "no_id" in odd:
        del record["id"]
    if "period_superscript" in odd and policy.get("period"):
        policy["period"] = "1,2,3,4,5,6,\u00b2"
    if "period_fullwidth" in odd and policy.get("period"):
        policy["period"] = ",".join(chr(0xFF10 + int(day)) for day in policy["period"].split(","))
    if "policy_keep_days_abc" in odd:
        policy["keep_days"] = "abc"
    return DeclaredInstance(record, policy)


def instance_page(
    rows: list[dict[str, Any]], *, offset: int, limit: int, oddities: Mapping[str, object]
) -> dict[str, Any]:
    """One page of the listing as served, with the listing oddities applied."""
    if "unreadable_page" in oddities:
        return {"instances": {"unreadable": True}, "total_count": len(rows)}
    page: dict[str, Any] = {"instances": rows[offset : offset + limit]}
    if "no_total_count" not in oddities:
        page["total_count"] = len(rows)
    return page
