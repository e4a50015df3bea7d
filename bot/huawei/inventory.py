"""The instances of a project and their automated backup policies, read from the API.

`GET /v3/{project_id}/instances` and `GET .../instances/{instance_id}/backups/policy`:
their envelopes are read here; what they mean is the core's (`bot.core.instances`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from bot import messages
from bot.core.instances import (
    BackupPolicy,
    Instance,
    InstanceListing,
    PolicyRead,
    PolicyReads,
    PolicyUnreadable,
)
from bot.core.params import INSTANCE_ID_RE, MAX_LIMIT
from bot.errors import InvalidRequest, PermissionDenied, UpstreamError
from bot.huawei.page import read_json
from bot.huawei.transport import Transport, counting, reading

Model = TypeVar("Model", bound=BaseModel)
MAX_PAGES = 2_000  # 200,000 instances: beyond this a listing is a runaway, not an answer
# IAM actions, from each API's "Authorization Information" (identity policies), with
# the role/policy-based alias the same pages give.
LIST_INSTANCES_ACTION = ("gaussdbformysql:instance:list", "gaussdb:instance:list")
READ_POLICY_ACTION = ("gaussdbformysql:backup:listPolicy", "gaussdb:backup:list")


class InstancePage(BaseModel):
    """One page of the instance listing."""

    model_config = ConfigDict(frozen=True, extra="allow")

    instances: tuple[Instance, ...] = ()
    total_count: int = Field(default=0, ge=0)


class PolicyAnswer(BaseModel):
    """The body of `GET .../backups/policy`."""

    model_config = ConfigDict(frozen=True, extra="allow")

    backup_policy: BackupPolicy


class Inventory:
    """Instances and policies of the project `transport` reaches."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def instance_page(
        self, *, offset: int = 0, limit: int = MAX_LIMIT, gate: asyncio.Semaphore | None = None
    ) -> InstancePage:
        """One request: the instances at `offset`, at most `limit` (1-100) of them."""
        if offset < 0 or not 1 <= limit <= MAX_LIMIT:
            raise InvalidRequest(
                messages.invalid_instance_page(offset, limit),
                messages.instance_page_rule(MAX_LIMIT),
            )
        query = [("offset", str(offset)), ("limit", str(limit))]
        path = f"/v3/{self._transport.project_id}/instances"
        return await self._permitted(path, query, InstancePage, LIST_INSTANCES_ACTION, gate=gate)

    async def list_instances(self) -> InstanceListing:
        """Every instance of the project: ceil(N / 100) requests for N instances.

        The first request reveals `total_count`; the other pages are read concurrently
        (bounded), again if the count grew meanwhile, and de-duplicated by id. Raises
        PermissionDenied when the IAM user may not list instances.
        """

        async def fetch(offset: int, gate: asyncio.Semaphore) -> tuple[int, InstancePage]:
            return offset, await self.instance_page(offset=offset, gate=gate)

        made = counting()
        first = await self.instance_page()
        pages: dict[int, tuple[Instance, ...]] = {0: first.instances}
        total = first.total_count
        while missing := [o for o in range(MAX_LIMIT, total, MAX_LIMIT) if o not in pages]:
            if len(pages) + len(missing) > MAX_PAGES:
                raise UpstreamError(messages.LISTING_TOO_LARGE)
            for offset, page in await self._transport.bounded(missing, fetch):
                pages[offset] = page.instances
                total = max(total, page.total_count)
        seen: set[str] = set()
        instances: list[Instance] = []
        for offset in sorted(pages):
            for instance in pages[offset]:
                if instance.id not in seen:
                    seen.add(instance.id)
                    instances.append(instance)
        return InstanceListing(instances=tuple(instances), total_count=total, requests=made[0])

    async def show_policy(
        self, instance_id: str, *, gate: asyncio.Semaphore | None = None
    ) -> BackupPolicy:
        """One request: the automated backup policy of one instance."""
        if not INSTANCE_ID_RE.match(instance_id):
            raise InvalidRequest(
                messages.invalid_instance_id(instance_id),
                messages.INSTANCE_ID_RULE,
            )
        path = f"/v3/{self._transport.project_id}/instances/{instance_id}/backups/policy"
        answer = await self._permitted(path, [], PolicyAnswer, READ_POLICY_ACTION, gate=gate)
        return answer.backup_policy

    async def read_policies(self, instance_ids: Sequence[str]) -> PolicyReads:
        """The policy of each instance: N requests for N instances, concurrently (bounded).

        A policy that cannot be read (the instance went away, an error that outlasted
        the retries) is PolicyUnreadable, and the others are still returned; a 403 stops
        everything with PermissionDenied, since every other read would be refused too.
        """
        made = counting()

        async def fetch(instance_id: str, gate: asyncio.Semaphore) -> tuple[str, PolicyRead]:
            try:
                return instance_id, await self.show_policy(instance_id, gate=gate)
            except PermissionDenied:
                raise
            except (UpstreamError, InvalidRequest) as error:
                return instance_id, PolicyUnreadable(_unreadable(error))

        unique = list(dict.fromkeys(instance_ids))
        policies = dict(await self._transport.bounded(unique, fetch))
        return PolicyReads(policies=policies, requests=made[0])

    async def _permitted(
        self,
        path: str,
        query: list[tuple[str, str]],
        model: type[Model],
        action: tuple[str, str],
        *,
        gate: asyncio.Semaphore | None = None,
    ) -> Model:
        """A GET read as `model`, turning a 403 into PermissionDenied naming the IAM action."""
        try:
            read = reading(lambda body: read_json(model, body))
            return await self._transport.get(path, query, read, gate=gate)
        except UpstreamError as error:
            # APIGW.0310 is a 403 too, but the project is unavailable: no grant fixes that.
            if error.status != 403 or error.error_code == "APIGW.0310":
                raise
            raise PermissionDenied(
                messages.API_PERMISSION_DENIED,
                action=action[0],
                legacy_action=action[1],
                status=error.status,
                error_code=error.error_code,
                error_msg=error.error_msg,
                request_id=error.request_id,
            ) from error


def _unreadable(error: UpstreamError | InvalidRequest) -> str:
    """Why a policy could not be read, in a few words."""
    if isinstance(error, InvalidRequest):
        return error.message
    detail = ", ".join(
        part
        for part in (f"HTTP {error.status}" if error.status else "", error.error_code or "")
        if part
    )
    return f"read failed ({detail or error.summary})"
