"""A read cut from one that covers it is the read the API would have answered.

Ground truth is the API's own rule, written here without bot.core.answering.cover: a backup is
listed when its instance and type match and its `begin_time` lies within the bounds
sent, both inclusive, in the whole seconds the wire carries; newest first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.answering.cover import Span, achieved, derive, promised
from bot.core.backup import Backup
from bot.core.backup_source import WHOLE, BackupListing, Reach, Rows
from bot.core.params import ListBackupsParams

T0 = datetime(2026, 11, 1, tzinfo=UTC)
NAMES = ("orders-prod", "payments-prod")


def make(serial: int, name: str, kind: str, seconds: int) -> Backup:
    return Backup.model_validate(
        {
            "id": f"{serial:032x}br07",
            "name": f"b{serial}",
            "begin_time": T0 + timedelta(seconds=seconds),
            "status": "COMPLETED",
            "type": kind,
            "instance_name": name,
        }
    )


backups = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(("auto", "manual")), st.integers(0, 3_000)),
    max_size=60,
).map(
    lambda specs: sorted(
        (make(i, *spec) for i, spec in enumerate(specs)), key=lambda b: b.begin_time, reverse=True
    )
)
moments = st.integers(0, 3_000).map(lambda s: T0 + timedelta(seconds=s, microseconds=s * 37 % 1000))
bounds = st.tuples(st.none() | moments, st.none() | moments).filter(
    lambda b: b[0] is None or b[1] is None or b[0] < b[1]
)
kinds = st.none() | st.sampled_from(("auto", "manual"))
names = st.none() | st.sampled_from(NAMES)


def api(rows: list[Backup], params: ListBackupsParams) -> list[Backup]:
    """What the API lists for `params`, newest first, before offset and limit."""
    begin = None if params.begin_time is None else params.begin_time.replace(microsecond=0)
    end = None if params.end_time is None else params.end_time.replace(microsecond=0)
    return [
        b
        for b in rows
        if (params.instance_name is None or b.instance_name == params.instance_name)
        and (params.backup_type is None or b.type == params.backup_type)
        and (begin is None or b.begin_time >= begin)
        and (end is None or b.begin_time <= end)
    ]


def read(rows: list[Backup], params: ListBackupsParams, how: Rows) -> BackupListing:
    """A read as the client makes it: whole, the newest N, or a Reach."""
    found = api(rows, params)
    if isinstance(how, Reach):
        since = how.since.replace(microsecond=0)
        kept = max(-(-how.rows // 100) * 100, sum(b.begin_time >= since for b in found))
        found_read = found[:kept]
    elif how is WHOLE:
        found_read = found
    else:
        found_read = found[:how]
    return BackupListing(backups=tuple(found_read), total_count=len(found), requests=1)


def params_of(
    name: str | None, kind: str | None, window: tuple[datetime | None, ...]
) -> ListBackupsParams:
    return ListBackupsParams(
        instance_name=name, backup_type=kind, begin_time=window[0], end_time=window[1]
    )


hows = st.one_of(
    st.just(WHOLE),
    st.integers(1, 30),
    st.tuples(st.integers(1, 30), moments).map(lambda r: Reach(*r)),
)


@settings(max_examples=400, deadline=None)
@given(
    rows=backups.flatmap(
        lambda rows: st.sampled_from([rows, rows[::-1]]) if rows else st.just(rows)
    ),
    outer=st.tuples(names, kinds, bounds, hows),
    inner=st.tuples(names, kinds, bounds, st.just(WHOLE) | st.integers(1, 30)),
)
def test_a_covered_read_cut_from_its_cover_is_what_the_api_lists(
    rows: list[Backup],
    outer: tuple[str | None, str | None, tuple[datetime | None, ...], Rows],
    inner: tuple[str | None, str | None, tuple[datetime | None, ...], Rows],
) -> None:
    read_at = T0 + timedelta(seconds=3_000)  # after every backup: "now" when read
    outer_params = params_of(*outer[:3])
    listing = read(rows, outer_params, outer[3])
    outer_span = Span.of("scope", outer_params, outer[3])
    inner_params = params_of(*inner[:3])
    inner_span = Span.of("scope", inner_params, inner[3])
    assert outer_span is not None
    assert inner_span is not None
    coverage = achieved(outer_span, listing, read_at=read_at)
    promise = promised(outer_span, read_at=read_at)
    if promise is not None:  # a read made holds at least what it promised
        assert coverage is not None
        assert coverage.since is None or (
            promise.since is not None and coverage.since <= promise.since
        )
    if coverage is None or not coverage.covers(inner_span):
        return
    truth = api(rows, inner_params)
    cut = derive(listing, inner_span)
    expected = truth if not isinstance(inner[3], int) else truth[: inner[3]]
    assert [b.id for b in cut.backups] == [b.id for b in expected]
    assert cut.total_count == len(truth)


def test_a_partial_read_covers_only_past_its_oldest_second() -> None:
    rows = [make(i, "orders-prod", "auto", 1_000 - i * 10) for i in range(20)]
    params = ListBackupsParams(instance_name="orders-prod")
    listing = read(rows, params, 5)
    span = Span.of("scope", params, 5)
    assert span is not None
    coverage = achieved(span, listing, read_at=T0 + timedelta(hours=1))
    assert coverage is not None
    oldest = listing.backups[-1].begin_time
    at_oldest = Span.of("scope", params.model_copy(update={"begin_time": oldest}), WHOLE)
    after = Span.of(
        "scope", params.model_copy(update={"begin_time": oldest + timedelta(seconds=1)}), WHOLE
    )
    assert at_oldest is not None
    assert after is not None
    assert not coverage.covers(at_oldest), "another backup may have begun in that same second"
    assert coverage.covers(after)


def test_a_typed_read_never_covers_an_untyped_one_nor_another_instance() -> None:
    params = ListBackupsParams(instance_name="orders-prod", backup_type="auto")
    span = Span.of("scope", params, WHOLE)
    assert span is not None
    coverage = promised(span, read_at=T0)
    assert coverage is not None
    for other in (
        ListBackupsParams(instance_name="orders-prod"),
        ListBackupsParams(instance_name="payments-prod", backup_type="auto"),
        ListBackupsParams(backup_type="auto"),
    ):
        wanted = Span.of("scope", other, WHOLE)
        assert wanted is not None
        assert not coverage.covers(wanted)
    elsewhere = Span.of("other scope", params, WHOLE)
    assert elsewhere is not None
    assert not coverage.covers(elsewhere)
