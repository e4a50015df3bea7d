"""`bot.huawei.signer` against the official `huaweicloudsdkcore` signer, byte for byte.

Every request is signed twice: once by the SDK (through `BasicCredentials.sign_request`,
which adds `X-Project-Id` and `X-Security-Token` and then runs `Signer`), once by us with
those headers added by hand. The Authorization header, the X-Sdk-Date header and the query
string sent on the wire must be identical. `verify` is then checked against signatures made
by the SDK, so the simulator accepts exactly what the real SDK would send.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import SignatureRejected
from bot.huawei.signer import SignedRequest, sign, verify

AK = "HPUAEXAMPLEACCESSKEY"
SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PROJECT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
HOST = "gaussdb.ap-southeast-1.myhuaweicloud.com"
WHEN = datetime(2024, 1, 15, 8, 30, 0, tzinfo=UTC)
WHEN_SDK_DATE = "20240115T083000Z"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
SECURITY_TOKEN = "gQpjbi1ub3J0aC00jD+fXy8mMnW0kZ/3T2xOaEnUGs9TcA==.temporary+token"


@dataclass(frozen=True)
class Case:
    """One GET request, described once and signed by both signers."""

    path: str = f"/v3/{PROJECT_ID}/backups"
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    host: str = HOST
    security_token: str | None = None
    when: datetime = WHEN
    # The X-Sdk-Date the SDK is handed, written out literally rather than derived from
    # `when` with our own formatting code.
    sdk_date: str = WHEN_SDK_DATE


CASES: list[tuple[str, Case]] = [
    ("plain-get-no-query", Case(path="/v3/versions")),
    (
        "several-params",
        Case(
            query=(
                ("offset", "0"),
                ("limit", "100"),
                ("instance_id", "b1f3d0e2a4c54f7e9d8c7b6a5f4e3d2cin07"),
                ("backup_type", "auto"),
            )
        ),
    ),
    (
        "time-offsets-plus-and-minus",
        Case(
            query=(
                ("begin_time", "2024-01-15T08:30:00+0800"),
                ("end_time", "2024-01-16T08:30:00-0330"),
            )
        ),
    ),
    (
        "unicode-values",
        Case(query=(("name", "每日备份-生产库"), ("note", "🚀 ok ✓"), ("emoji_only", "🐘🦖"))),
    ),
    (
        "odd-names",
        Case(
            query=(
                ("a b", "sp ace"),
                ("~tilde", "~"),
                ("star*", "*"),
                ("sl/ash", "a/b"),
                ("eq=uals", "x=y"),
                ("amp&", "a&b"),
                ("per%cent", "100%"),
                ("plus+", "+"),
            )
        ),
    ),
    (
        "repeated-key",
        Case(query=(("status", "FAILED"), ("limit", "10"), ("status", "COMPLETED"))),
    ),
    ("empty-value", Case(query=(("marker", ""), ("limit", "10")))),
    (
        "project-path-segment",
        Case(path=f"/v3/{PROJECT_ID}/instances/abcdef0123456789in07/backups"),
    ),
    ("trailing-slash-path", Case(path=f"/v3/{PROJECT_ID}/backups/")),
    ("percent-encoded-path", Case(path=f"/v3/{PROJECT_ID}/instances/my%20db/backups")),
    (
        "security-token",
        Case(security_token=SECURITY_TOKEN, query=(("limit", "10"),)),
    ),
    ("x-language-zh-cn", Case(headers=(("X-Language", "zh-cn"),))),
    ("json-content-type", Case(headers=(("Content-Type", "application/json;charset=UTF-8"),))),
    ("host-with-port", Case(host="127.0.0.1:8700", query=(("limit", "10"),))),
    ("explicit-host-header", Case(headers=(("host", "gaussdb.example.internal"),))),
    ("underscore-header-unsigned", Case(headers=(("X_Trace_Id", "abc123"),))),
    ("header-value-padded", Case(headers=(("X-Language", "  en-us \t"),))),
    (
        "fixed-when-non-utc-offset",
        Case(
            when=datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone(timedelta(hours=8))),
            sdk_date="20240229T155959Z",
            query=(("limit", "1"),),
        ),
    ),
    (
        "everything-together",
        Case(
            host="127.0.0.1:8700",
            path=f"/v3/{PROJECT_ID}/backups",
            query=(
                ("begin_time", "2024-01-15T08:30:00+0800"),
                ("name", "备份 🚀"),
                ("status", "COMPLETED"),
                ("status", "BUILDING"),
            ),
            headers=(("X-Language", "zh-cn"), ("X_Request_Id", "r-1")),
            security_token=SECURITY_TOKEN,
        ),
    ),
]
CASE_PARAMS = [pytest.param(case, id=case_id) for case_id, case in CASES]


def _credential_headers(security_token: str | None) -> dict[str, str]:
    """The headers `BasicCredentials.sign_request` adds before signing."""
    headers = {"X-Project-Id": PROJECT_ID}
    if security_token is not None:
        headers["X-Security-Token"] = security_token
    return headers


def official_sign(
    *,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    host: str = HOST,
    sdk_date: str = WHEN_SDK_DATE,
    security_token: str | None = None,
) -> SdkRequest:
    """Sign with the SDK's own code path; the returned request holds the wire headers/uri."""
    request = SdkRequest(
        method="GET",
        schema="https",
        host=host,
        resource_path=path,
        query_params=list(query),
        header_params={"X-Sdk-Date": sdk_date, **headers},
        body="",
    )
    credentials = BasicCredentials(AK, SK, PROJECT_ID)
    if security_token is not None:
        credentials = credentials.with_security_token(security_token)
    signed: SdkRequest = credentials.sign_request(request)
    return signed


def ours_sign(
    *,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    host: str = HOST,
    when: datetime = WHEN,
    security_token: str | None = None,
) -> SignedRequest:
    return sign(
        method="GET",
        host=host,
        path=path,
        query=query,
        headers={**headers, **_credential_headers(security_token)},
        body=b"",
        access_key=AK,
        secret_key=SK,
        when=when,
    )


def sign_both(case: Case) -> tuple[SignedRequest, SdkRequest]:
    ours = ours_sign(
        path=case.path,
        query=case.query,
        headers=dict(case.headers),
        host=case.host,
        when=case.when,
        security_token=case.security_token,
    )
    official = official_sign(
        path=case.path,
        query=case.query,
        headers=dict(case.headers),
        host=case.host,
        sdk_date=case.sdk_date,
        security_token=case.security_token,
    )
    return ours, official


def wire_query(official: SdkRequest) -> str:
    """The query part of the SDK's signed `uri` (`resource_path?canonical_query`)."""
    uri: str = official.uri
    path, _, query = uri.partition("?")
    assert path == official.resource_path
    return query


# --- sign(): byte-for-byte agreement with the SDK -------------------------------------------


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_authorization_header_is_identical_to_official_sdk(case: Case) -> None:
    ours, official = sign_both(case)

    assert ours.headers["Authorization"] == official.header_params["Authorization"]


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_sdk_date_header_is_identical_to_official_sdk(case: Case) -> None:
    ours, official = sign_both(case)

    assert ours.headers["X-Sdk-Date"] == official.header_params["X-Sdk-Date"] == case.sdk_date


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_wire_query_is_the_query_of_the_official_signed_uri(case: Case) -> None:
    ours, official = sign_both(case)

    assert ours.query == wire_query(official)


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_all_sent_headers_are_identical_to_official_sdk(case: Case) -> None:
    # Every header value in the table is ASCII; see the report on non-ASCII values, which
    # the SDK re-encodes as UTF-8-bytes-read-as-Latin-1 for `requests`.
    ours, official = sign_both(case)

    assert ours.headers == official.header_params


def test_offset_times_encode_plus_as_2b_and_colon_as_3a() -> None:
    ours = ours_sign(
        path="/v3/backups",
        query=[
            ("end_time", "2024-01-16T08:30:00-0330"),
            ("begin_time", "2024-01-15T08:30:00+0800"),
        ],
        headers={},
    )

    assert ours.query == (
        "begin_time=2024-01-15T08%3A30%3A00%2B0800&end_time=2024-01-16T08%3A30%3A00-0330"
    )


def test_repeated_key_is_sent_sorted_by_value() -> None:
    ours = ours_sign(
        path="/v3/backups", query=[("status", "FAILED"), ("status", "COMPLETED")], headers={}
    )

    assert ours.query == "status=COMPLETED&status=FAILED"


def test_header_with_underscore_is_sent_but_not_signed() -> None:
    ours = ours_sign(path="/v3/backups", query=[], headers={"X_Trace_Id": "abc"})

    assert ours.headers["X_Trace_Id"] == "abc"
    assert "SignedHeaders=host;x-project-id;x-sdk-date," in ours.headers["Authorization"]


def test_security_token_header_is_signed() -> None:
    ours = ours_sign(path="/v3/backups", query=[], headers={}, security_token=SECURITY_TOKEN)

    assert ours.headers["X-Security-Token"] == SECURITY_TOKEN
    signed_headers = "SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,"
    assert signed_headers in ours.headers["Authorization"]


def test_host_with_port_is_signed_with_the_port() -> None:
    ours = ours_sign(path="/v3/backups", query=[], headers={}, host="127.0.0.1:8700")

    assert ours.headers["Host"] == "127.0.0.1:8700"


# --- verify(): the gateway side, fed signatures made by the SDK ------------------------------


@dataclass(frozen=True)
class Presented:
    """A request as it reaches the gateway, plus the gateway's key store and clock."""

    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    secrets: dict[str, str] = field(default_factory=lambda: {AK: SK})
    now: datetime = WHEN

    def verify(self) -> str:
        return verify(
            method="GET",
            path=self.path,
            query=self.query,
            headers=self.headers,
            body=b"",
            secret_for=self.secrets.get,
            now=self.now,
        )


def presented_from_official(official: SdkRequest, now: datetime = WHEN) -> Presented:
    """What the gateway sees: the wire query parsed back, the headers the SDK sends."""
    query = parse_qsl(wire_query(official), keep_blank_values=True, strict_parsing=False)
    headers: dict[str, str] = dict(official.header_params)
    return Presented(path=official.resource_path, query=query, headers=headers, now=now)


def _official_baseline() -> SdkRequest:
    return official_sign(
        path=f"/v3/{PROJECT_ID}/backups",
        query=[("begin_time", "2024-01-15T08:30:00+0800"), ("limit", "10"), ("name", "备份")],
        headers={"X-Language": "zh-cn", "X_Trace_Id": "t-1"},
        security_token=SECURITY_TOKEN,
    )


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_verify_accepts_official_signature_and_returns_access_key(case: Case) -> None:
    official = official_sign(
        path=case.path,
        query=case.query,
        headers=dict(case.headers),
        host=case.host,
        sdk_date=case.sdk_date,
        security_token=case.security_token,
    )

    assert presented_from_official(official, now=case.when).verify() == AK


@pytest.mark.parametrize(
    "now",
    [
        pytest.param(WHEN + timedelta(minutes=15), id="15-minutes-late"),
        pytest.param(WHEN - timedelta(minutes=15), id="15-minutes-early"),
    ],
)
def test_verify_accepts_clock_skew_of_exactly_15_minutes(now: datetime) -> None:
    assert presented_from_official(_official_baseline(), now=now).verify() == AK


def test_verify_ignores_tampering_with_an_unsigned_underscore_header() -> None:
    presented = presented_from_official(_official_baseline())
    presented.headers["X_Trace_Id"] = "tampered"

    assert presented.verify() == AK


def _tamper_query_value(p: Presented) -> Presented:
    query = [(k, "11" if k == "limit" else v) for k, v in p.query]
    return replace(p, query=query)


def _tamper_signed_header(p: Presented) -> Presented:
    return replace(p, headers={**p.headers, "X-Language": "en-us"})


def _tamper_security_token(p: Presented) -> Presented:
    return replace(p, headers={**p.headers, "X-Security-Token": SECURITY_TOKEN + "x"})


def _wrong_secret(p: Presented) -> Presented:
    return replace(p, secrets={AK: SK + "x"})


def _unknown_access_key(p: Presented) -> Presented:
    return replace(p, secrets={"SOMEONEELSE": SK})


def _clock_16_minutes_late(p: Presented) -> Presented:
    return replace(p, now=WHEN + timedelta(minutes=16))


def _clock_16_minutes_early(p: Presented) -> Presented:
    return replace(p, now=WHEN - timedelta(minutes=16))


def _missing_authorization(p: Presented) -> Presented:
    return replace(p, headers={k: v for k, v in p.headers.items() if k != "Authorization"})


def _missing_sdk_date(p: Presented) -> Presented:
    return replace(p, headers={k: v for k, v in p.headers.items() if k != "X-Sdk-Date"})


def _other_path(p: Presented) -> Presented:
    return replace(p, path=f"/v3/{PROJECT_ID}/instances")


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(_tamper_query_value, id="tampered-query-value"),
        pytest.param(_tamper_signed_header, id="tampered-signed-header"),
        pytest.param(_tamper_security_token, id="tampered-security-token"),
        pytest.param(_other_path, id="other-path"),
        pytest.param(_wrong_secret, id="wrong-secret"),
        pytest.param(_unknown_access_key, id="unknown-access-key"),
        pytest.param(_clock_16_minutes_late, id="date-16-minutes-behind-clock"),
        pytest.param(_clock_16_minutes_early, id="date-16-minutes-ahead-of-clock"),
        pytest.param(_missing_authorization, id="missing-authorization"),
        pytest.param(_missing_sdk_date, id="missing-sdk-date"),
    ],
)
def test_verify_rejects_altered_official_signature(
    tamper: Callable[[Presented], Presented],
) -> None:
    presented = tamper(presented_from_official(_official_baseline()))

    with pytest.raises(SignatureRejected):
        presented.verify()


# --- properties over arbitrary text -----------------------------------------------------------

Outcome = tuple[str, str, str]


def _outcome(run: Callable[[], tuple[str, str]]) -> Outcome:
    """`("ok", authorization, query)`, or `("raised", exception type, "")`.

    Lone surrogates (which `st.text()` generates) cannot be UTF-8 encoded, so the SDK
    raises on them; ours must then raise the same way rather than sign something else.
    """
    try:
        authorization, query = run()
    except Exception as error:  # comparing which error each side raises, not handling it
        return ("raised", type(error).__name__, "")
    return ("ok", authorization, query)


def _ours_outcome(query: Sequence[tuple[str, str]], headers: Mapping[str, str]) -> Outcome:
    def run() -> tuple[str, str]:
        ours = ours_sign(path=f"/v3/{PROJECT_ID}/backups", query=query, headers=headers)
        return ours.headers["Authorization"], ours.query

    return _outcome(run)


def _official_outcome(query: Sequence[tuple[str, str]], headers: Mapping[str, str]) -> Outcome:
    def run() -> tuple[str, str]:
        official = official_sign(path=f"/v3/{PROJECT_ID}/backups", query=query, headers=headers)
        authorization: str = official.header_params["Authorization"]
        return authorization, wire_query(official)

    return _outcome(run)


query_pairs = st.lists(st.tuples(st.text(), st.text()), max_size=8)
encodable_text = st.text(alphabet=st.characters(codec="utf-8"))

# Header names the protocol itself owns: giving them arbitrary values tests the test
# harness (which of two `x-sdk-date`s wins), not the signer.
_RESERVED_HEADERS = {
    "host",
    "x-sdk-date",
    "authorization",
    "x-project-id",
    "x-security-token",
    "content-type",
    "x-sdk-content-sha256",
}
header_names = st.text(min_size=1).filter(lambda name: name.lower() not in _RESERVED_HEADERS)


@settings(max_examples=200, deadline=None)
@given(query=query_pairs)
def test_arbitrary_query_text_signs_identically_to_official_sdk(
    query: list[tuple[str, str]],
) -> None:
    assert _ours_outcome(query, {}) == _official_outcome(query, {})


@settings(max_examples=200, deadline=None)
@given(headers=st.dictionaries(header_names, st.text(), max_size=5))
def test_arbitrary_header_text_signs_identically_to_official_sdk(
    headers: dict[str, str],
) -> None:
    assert _ours_outcome([], headers) == _official_outcome([], headers)


@settings(max_examples=200, deadline=None)
@given(query=st.lists(st.tuples(encodable_text, encodable_text), max_size=8))
def test_verify_accepts_official_signature_after_wire_round_trip_of_any_query(
    query: list[tuple[str, str]],
) -> None:
    official = official_sign(path=f"/v3/{PROJECT_ID}/backups", query=query, headers={})

    assert presented_from_official(official).verify() == AK
