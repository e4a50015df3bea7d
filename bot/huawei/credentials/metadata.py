"""ECS (and CCE node) metadata: the temporary credentials of the agency attached to the server.

As the SDK's `MetadataAccessor`: a session token first (`PUT /meta-data/latest/api/token`
with `X-Metadata-Token-Ttl-Seconds`), then `GET /openstack/latest/securitykey` with it in
`X-Metadata-Token`. A node that answers the PUT with anything but 200 (some answer 400,
404, 405 or 503) is asked without a token; a token is asked for again only after a day
without one. A 401 to the GET refreshes the token once and asks again, unless it says the
server has no agency: no token would change that.

The base URL is a setting (BACKUPBOT_METADATA_URL, default http://169.254.169.254), so
tests point it at a fake on 127.0.0.1 and never reach a real metadata service.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from bot import messages
from bot.core.clock import Clock, utc_now
from bot.huawei.auth import Credentials
from bot.huawei.credentials.source import credential_from, exchange, refused, unavailable

TOKEN_PATH = "/meta-data/latest/api/token"
SECURITY_KEY_PATH = "/openstack/latest/securitykey"
TOKEN_HEADER = "X-Metadata-Token"
TTL_HEADER = "X-Metadata-Token-Ttl-Seconds"
TOKEN_TTL_SECONDS = 6 * 60 * 60  # the SDK's
RETRY_TOKEN_AFTER = timedelta(hours=24)  # the SDK's: without a token, ask again after a day
NO_AGENCY_TEXT = "Please configure Cloud Service Agency first"  # the SDK looks for it too
TIMEOUT = 3.0  # seconds, the SDK's (connect and read)


class MetadataSource:
    """The server's agency credentials from its metadata service."""

    kind = "metadata"

    def __init__(self, base_url: str, *, clock: Clock = utc_now) -> None:
        self._base = base_url.rstrip("/")
        self._clock = clock
        self._token: str | None = None
        self._token_asked: datetime | None = None

    @property
    def name(self) -> str:
        """The source in words, said in the reader's language when read."""
        return messages.METADATA

    async def fetch(self, http: httpx.AsyncClient) -> Credentials:
        """The agency's temporary credentials; CredentialsUnavailable if none."""
        asked = self._token_asked
        if self._token is None and (asked is None or self._clock() - asked > RETRY_TOKEN_AFTER):
            await self._new_token(http)
        response = await self._security_key(http)
        if response.status_code == 401 and NO_AGENCY_TEXT not in response.text:
            await self._new_token(http)
            response = await self._security_key(http)
        if response.status_code == 401 and NO_AGENCY_TEXT in response.text:
            raise unavailable(self.name, messages.NO_AGENCY)
        if response.status_code >= 400:
            raise refused(self.name, response)
        return credential_from(response.content, source=self.name)

    async def _new_token(self, http: httpx.AsyncClient) -> None:
        """A session token, or none when the node will not give one (then go on without)."""
        self._token_asked = self._clock()
        response = await exchange(
            http, "PUT", self._base + TOKEN_PATH, source=self.name, seconds=TIMEOUT,
            headers={TTL_HEADER: str(TOKEN_TTL_SECONDS)},
        )  # fmt: skip
        self._token = (response.text.strip() or None) if response.status_code == 200 else None

    async def _security_key(self, http: httpx.AsyncClient) -> httpx.Response:
        headers = {TOKEN_HEADER: self._token} if self._token else {}
        return await exchange(
            http, "GET", self._base + SECURITY_KEY_PATH, source=self.name, seconds=TIMEOUT,
            headers=headers,
        )  # fmt: skip
