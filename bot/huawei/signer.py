"""AK/SK request signing, `SDK-HMAC-SHA256`, byte for byte as `huaweicloudsdkcore` does it.

The canonical query string built here is also the query sent on the wire, so the
gateway sees exactly what was signed. `verify` is the gateway's side, used by the
simulator.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

from bot.errors import SignatureRejected

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
DATE_HEADER = "X-Sdk-Date"
MAX_CLOCK_DIFFERENCE = timedelta(minutes=15)
_AUTH_RE = re.compile(
    rf"^{ALGORITHM} Access=(?P<ak>[^,]*), SignedHeaders=(?P<headers>[^,]*), "
    r"Signature=(?P<signature>[0-9a-f]+)$"
)


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(path: str) -> str:
    """Each segment percent-encoded; always ends in `/` (the wire path does not)."""
    uri = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs: Sequence[tuple[str, str]]) -> str:
    """Sorted `key=value` pairs, both encoded with only `~` safe (`+` -> `%2B`, `:` -> `%3A`)."""
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in sorted(pairs))


def _signed_header_names(headers: Mapping[str, str]) -> list[str]:
    return sorted(name.lower() for name in headers if "_" not in name)


def canonical_request(
    *,
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    body: bytes,
) -> str:
    """The text whose hash is signed: method, URI, query, headers, header names, body hash."""
    lowered = {name.lower(): str(value).strip() for name, value in headers.items()}
    header_lines = "".join(f"{name}:{lowered.get(name, '')}\n" for name in signed_headers)
    return "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            header_lines,
            ";".join(signed_headers),
            hashlib.sha256(body).hexdigest(),
        ]
    )


def _signature(secret_key: str, sdk_date: str, request_text: str) -> str:
    string_to_sign = "\n".join(
        [ALGORITHM, sdk_date, hashlib.sha256(request_text.encode()).hexdigest()]
    )
    return hmac.new(secret_key.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignedRequest:
    """Headers to send (Authorization included) and the query string for the URL."""

    headers: dict[str, str]
    query: str


def sign(
    *,
    method: str,
    host: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    access_key: str,
    secret_key: str,
    when: datetime,
) -> SignedRequest:
    """Sign a request; `headers` should already hold X-Project-Id, X-Security-Token, etc."""
    if when.tzinfo is None:
        raise ValueError("the signing time must be timezone-aware")
    signed = {name: str(value).strip() for name, value in headers.items()}
    if not any(name.lower() == "host" for name in signed):
        signed["Host"] = host
    sdk_date = when.astimezone(UTC).strftime(DATE_FORMAT)
    signed[DATE_HEADER] = sdk_date
    names = _signed_header_names(signed)
    text = canonical_request(
        method=method, path=path, query=query, headers=signed, signed_headers=names, body=body
    )
    signed["Authorization"] = (
        f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(names)}, "
        f"Signature={_signature(secret_key, sdk_date, text)}"
    )
    return SignedRequest(headers=signed, query=canonical_query(query))


def verify(
    *,
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    secret_for: Callable[[str], str | None],
    now: datetime,
) -> str:
    """Check a signed request as the API gateway does; return the access key or raise."""
    lowered = {name.lower(): value for name, value in headers.items()}
    match = _AUTH_RE.match(lowered.get("authorization", "").strip())
    if match is None:
        raise SignatureRejected("malformed or missing Authorization header")
    access_key = match["ak"]
    secret_key = secret_for(access_key)
    if secret_key is None:
        raise SignatureRejected("unknown access key")
    sdk_date = lowered.get(DATE_HEADER.lower(), "")
    try:
        signed_at = datetime.strptime(sdk_date, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise SignatureRejected("missing or malformed X-Sdk-Date") from None
    if abs(now - signed_at) > MAX_CLOCK_DIFFERENCE:
        raise SignatureRejected("X-Sdk-Date is more than 15 minutes off")
    names = match["headers"].split(";")
    if DATE_HEADER.lower() not in names or "host" not in names:
        raise SignatureRejected("Host and X-Sdk-Date must be signed")
    text = canonical_request(
        method=method, path=path, query=query, headers=lowered, signed_headers=names, body=body
    )
    if not hmac.compare_digest(_signature(secret_key, sdk_date, text), match["signature"]):
        raise SignatureRejected("signature does not match")
    return access_key
