"""What the simulator knows and how it is told to behave: its fleet, the credentials it
accepts, the faults to inject, and every API request it has seen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from bot.core.params import ListBackupsParams
from bot.huawei.simulator.fleet import Fleet
from bot.huawei.simulator.issuer import Issuer
from bot.huawei.simulator.oddities import served_inventory
from bot.huawei.simulator.records import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
    DeclaredInstance,
    ManualBackup,
    StoredBackup,
)

FaultKind = Literal["error", "throttle", "malformed", "hang", "insert", "repeat", "expire_tokens"]
_FILTERS = ("instance_id", "backup_id", "backup_type", "name", "instance_name")
# The APIs served, by the names `/_simulator/deny` takes.
APIS = (
    "backups",
    "instances",
    "policy",
    "create",
    "jobs",
    "restore_time",
    "restore_tables",
    "incremental_backups",
)


@dataclass
class Fault:
    """One injected misbehaviour, applied to the next `times` API requests after `skip`.

    error: `status` with an error body; throttle: 429 APIGW.0308 with `retry_after`;
    malformed: 200 with a broken body; hang: no answer for `seconds`; insert: `rows` new
    backups appear before answering (total_count grows mid-paging); repeat: the page
    starts `rows` rows early, repeating rows already sent.
    """

    kind: FaultKind
    status: int = 500
    error_code: str = "DBS.05000001"
    retry_after: float | None = None
    times: int = 1
    skip: int = 0
    seconds: float = 3600.0
    rows: int = 1


@dataclass
class Knobs:
    """Behaviour that applies to every request; `denied` APIs answer 403 APIGW.0302;
    `odd` values are served by the instance listing and the policies (see `oddities`:
    each oddity, and the names of the instances it applies to)."""

    latency: float = 0.0
    clock_lag: float = 0.0
    denied: set[str] = field(default_factory=set)
    odd: dict[str, frozenset[str]] = field(default_factory=dict)
    # Backups taken by hand (manual_backups.py): how long one takes in simulated minutes,
    # whether it fails, how long a new job is unknown (and what is answered then: the real
    # API's answer is not documented), and creates whose answer is lost.
    backup_minutes: float = 6.0
    backup_fails: bool = False
    job_unknown_seconds: float = 0.0
    job_unknown_answer: tuple[int, str] = (400, "DBS.200001")  # what the API says meanwhile
    lose_create_answers: int = 0
    garble_create_answers: int = 0  # made, then answered 201 without its job_id
    listing_lag_seconds: float = 0.0  # a new backup shows in the listing only this late
    rows_stay_building: bool = False  # a finished backup's row keeps saying BUILDING
    logs_oldest_first: bool = False  # the log backups' order (their reference does not say)


@dataclass
class IdentityKnobs:
    """How the metadata, Pod Identity and IAM fakes behave (bot/huawei/simulator/identity.py).

    `token_put_status`: what the metadata token PUT answers (some nodes answer 400, 404,
    405 or 503); `require_metadata_token`: the security key only with a session token;
    `agency`: the server has an agency (else 401 "Please configure ..."); `down`: every
    identity endpoint answers 503; `held`: while an unset Event, they wait for it.
    """

    token_put_status: int = 200
    require_metadata_token: bool = False
    agency: bool = True
    down: bool = False
    pod_token: str = "pod-identity-token-from-the-kubelet"
    idp_id: str = "backupbot-idp"
    id_token: str = "eyJhbGciOiJSUzI1NiJ9.simulated-id-token.signature"
    held: threading.Event | None = None
    seen: list[str] = field(default_factory=list)


@dataclass
class RecordedRequest:
    """What the simulator saw, for tests that count requests."""

    path: str
    params: dict[str, str]
    status: int = 0
    language: str = "en-us"  # X-Language, as sent (the API's default when absent)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class SimulatorState:
    """Everything the simulator knows; tests may reach in and change it."""

    fleet: Fleet
    project_id: str = SIMULATOR_PROJECT_ID
    credentials: dict[str, str] = field(
        default_factory=lambda: {SIMULATOR_ACCESS_KEY: SIMULATOR_SECRET_KEY}
    )
    security_tokens: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, datetime] = field(default_factory=dict)
    knobs: Knobs = field(default_factory=Knobs)
    faults: list[Fault] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    clock: Callable[[], datetime] = _utc_now
    held: threading.Event | None = None
    """While an unset Event, API requests wait for it: a test holds the upstream to show
    that something (an ack, another answer) does not wait for it."""
    identity: IdentityKnobs = field(default_factory=IdentityKnobs)
    manual: dict[str, ManualBackup] = field(default_factory=dict)
    """Backups taken by hand, by their job's id."""
    issuer: Issuer = field(init=False)
    """The temporary credentials the identity fakes issued, which the gateway accepts."""
    _filtered: dict[tuple[Any, ...], list[StoredBackup]] = field(default_factory=dict)

    def served_inventory(self) -> list[DeclaredInstance]:
        """Every instance and its policy exactly as the API serves them, odd values included."""
        return served_inventory(self.fleet.inventory(), self.knobs.odd)

    def __post_init__(self) -> None:
        self.issuer = Issuer(clock=lambda: self.clock())

    @property
    def request_count(self) -> int:
        """API requests received (control endpoints excluded)."""
        return len(self.requests)

    def server_now(self) -> datetime:
        """The server's clock, which may lag ours."""
        return self.clock() - timedelta(seconds=self.knobs.clock_lag)

    def take_fault(self) -> Fault | None:
        """The fault that applies to this request, if any, counting it down."""
        for fault in self.faults:
            if fault.skip > 0:
                fault.skip -= 1
                return None
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            return fault
        return None

    def filtered(self, params: ListBackupsParams) -> list[StoredBackup]:
        """Backups matching everything but offset/limit, newest first (memoised per fleet)."""
        key = (
            self.fleet.version,
            *(getattr(params, name) for name in _FILTERS),
            params.begin_time,
            params.end_time,
        )
        cached = self._filtered.get(key)
        if cached is None:
            if len(self._filtered) > 64:
                self._filtered.clear()
            cached = [
                stored
                for stored in self.fleet.backups
                if _matches(stored.begin, stored.record, params)
            ]
            self._filtered[key] = cached
        return cached


def _matches(begin: datetime, record: dict[str, Any], params: ListBackupsParams) -> bool:
    for name in _FILTERS:
        wanted = getattr(params, name)
        record_key = {"backup_id": "id", "backup_type": "type"}.get(name, name)
        if wanted is not None and record.get(record_key) != wanted:
            return False
    if params.begin_time is not None and begin < params.begin_time:
        return False
    return params.end_time is None or begin <= params.end_time
