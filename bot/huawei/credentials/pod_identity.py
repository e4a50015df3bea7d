"""CCE Pod Identity: the temporary credentials of the IAM agency bound to the pod's service
account, as the SDK's `PodIdentityAccessor` asks for them: `POST` the URI in
HC_CONTAINER_CREDENTIALS_FULL_URI with the token in HC_CONTAINER_AUTHORIZATION_TOKEN_FILE
as `Authorization`, body `{}`; the answer is the credential JSON metadata also sends.
The token file is read at every request: the platform rotates it.
"""

from __future__ import annotations

import httpx

from bot import messages
from bot.errors import NotConfigured
from bot.huawei.auth import Credentials
from bot.huawei.credentials.source import credential_from, exchange, refused, token_file

TIMEOUT = 5.0  # seconds, the SDK's (connect and read)


class PodIdentitySource:
    """The pod's agency credentials from CCE's Pod Identity agent."""

    kind = "pod-identity"

    def __init__(self, uri: str | None, token_path: str | None) -> None:
        self._uri = uri
        self._token_path = token_path

    @property
    def name(self) -> str:
        """The source in words, said in the reader's language when read."""
        return messages.POD_IDENTITY

    async def fetch(self, http: httpx.AsyncClient) -> Credentials:
        """The pod's temporary credentials; NotConfigured without both variables."""
        if not self._uri or not self._token_path:
            raise NotConfigured(
                messages.no_credentials_from(self.name, messages.POD_IDENTITY_NOT_SET)
            )
        token = token_file(self._token_path, source=self.name)
        response = await exchange(
            http, "POST", self._uri, source=self.name, seconds=TIMEOUT,
            headers={"Authorization": token}, body={},
        )  # fmt: skip
        if response.status_code >= 400:
            raise refused(self.name, response)
        return credential_from(response.content, source=self.name)
