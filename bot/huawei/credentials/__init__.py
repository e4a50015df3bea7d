"""Where cloud credentials come from, and keeping them fresh.

source.py        the port (CredentialSource), the credential JSON, one HTTP exchange
local.py         the environment (and *_FILE keys) and the SDK's credentials file
metadata.py      ECS metadata: the server's agency
pod_identity.py  CCE Pod Identity: the pod's agency
oidc.py          OIDC federation: an id token exchanged at IAM
chain.py         the SDK's order, the first that applies wins; a profile may pin one
refresher.py     the Keyring every signed request asks: refreshed before expiry, once
                 for all, the last good credentials kept while the source is down
"""

from __future__ import annotations

from bot.huawei.credentials.chain import KINDS, ORDER, Chain, chain_for, source_of
from bot.huawei.credentials.refresher import CredentialStatus, Refresher, RefreshObserver
from bot.huawei.credentials.source import CredentialSource, FixedSource

__all__ = [
    "KINDS",
    "ORDER",
    "Chain",
    "CredentialSource",
    "CredentialStatus",
    "FixedSource",
    "RefreshObserver",
    "Refresher",
    "chain_for",
    "source_of",
]
