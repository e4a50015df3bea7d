"""The instances of a project and their automated backup policies, read from the API.

`GET /v3/{project_id}/instances` and `GET .../instances/{instance_id}/backups/policy`:
their envelopes are read here; what they mean is the core's (`bot.core.health.instances`).
Both are read as the backups listing is: the instance listing row by row (a row without
an id is set aside and counted, a field that cannot be read is dropped and named), page
by page until its `total_count` or a short page; a policy field by field (a value that
cannot be read makes that one policy unknown, with the reason in plain words).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot import messages
from bot.core.health.instances import (
    BackupPolicy,
    Instance,
    InstanceListing,
    PolicyRead,
    PolicyReads,
    PolicyUnreadable,
    Wording,
    worded,
)
from bot.core.params import INSTANCE_ID_RE, MAX_LIMIT
from bot.errors import InvalidRequest, PermissionDenied, UpstreamError
from bot.huawei.explanations import denied
from bot.huawei.page import Page, ProblemLog, in_order, read_json, read_pages, read_rows
from bot.huawei.transport import Transport, counting, reading

Parsed = TypeVar("Parsed")
MAX_PAGES = 2_000  # 200,000 instances: beyond this a listing is a runaway, not an answer
VALUE_SHOWN = 40  # characters of an unreadable value a reason quotes
# IAM actions, from each API's "Authorization Information" (identity policies), with
# the role/policy-based alias the same pages give.
LIST_INSTANCES_ACTION = ("gaussdbformysql:instance:list", "gaussdb:instance:list")
READ_POLICY_ACTION = ("gaussdbformysql:backup:listPolicy", "gaussdb:backup:list")
ESSENTIAL_FIELDS = frozenset({"id"})  # an instance is told apart by its id alone


class InstancePage(Page[Instance]):
    """One page of the instance listing."""

    @property
    def instances(self) -> tuple[Instance, ...]:
        """The instances read."""
        return self.items


# As for backups: a row that is not a well-formed Instance is kept as it came.
_Row = Annotated[Instance | Any, Field(union_mode="left_to_right")]


class _InstancePage(BaseModel):
    """The page as the API sent it: a strict envelope, rows as Instances or as they came."""

    model_config = ConfigDict(frozen=True)

    instances: tuple[_Row, ...] | None = None
    total_count: int | None = Field(default=None, ge=0)


class _PolicyAnswer(BaseModel):
    """The body of `GET .../backups/policy`: a strict envelope, the policy as it came."""

    model_config = ConfigDict(frozen=True)

    backup_policy: dict[str, Any]


def read_instance_page(body: bytes | str) -> InstancePage:
    """One page of the instance listing; UnreadablePage only if the page itself is broken."""
    page = read_json(_InstancePage, body)
    rows, problems = read_rows(page.instances or (), Instance, essential=ESSENTIAL_FIELDS)
    return InstancePage(rows, page.total_count, problems)


def read_policy(body: bytes | str) -> PolicyRead:
    """A policy, or PolicyUnreadable naming the first value health cannot read in it.

    A field sent as null is taken as absent, as the SDK reads it.
    """
    sent = read_json(_PolicyAnswer, body).backup_policy
    values = {key: value for key, value in sent.items() if value is not None}
    try:
        return BackupPolicy.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"])
    shown = repr(first["input"])[:VALUE_SHOWN]
    if first["type"].startswith("int"):
        problem = worded(messages.not_a_whole_number, field=field, value=shown)
    elif first["type"].startswith("string"):
        problem = worded(messages.not_text, field=field, value=shown)
    else:
        problem = worded(messages.not_readable, field=field, value=shown)
    return PolicyUnreadable(worded(messages.not_understood, problem=problem))


class Inventory:
    """Instances and policies of the project `transport` reaches."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._problems = ProblemLog("an instance")

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
        page = await permitted(
            self._transport, path, query, read_instance_page, LIST_INSTANCES_ACTION, gate=gate
        )
        self._problems.log(page.problems)
        return page

    async def list_instances(self) -> InstanceListing:
        """Every instance of the project: ceil(N / 100) requests for N instances.

        The first request reveals `total_count`; the other pages are read concurrently
        (bounded), again if the count grew meanwhile, and de-duplicated by id. Should the
        API leave `total_count` out, pages are read until one is short. Raises
        PermissionDenied when the IAM user may not list instances.
        """

        async def fetch(offset: int, gate: asyncio.Semaphore) -> tuple[int, InstancePage]:
            return offset, await self.instance_page(offset=offset, gate=gate)

        made = counting()
        pages, extent = await read_pages(
            await self.instance_page(),
            lambda offsets: self._transport.bounded(offsets, fetch),
            start=0,
            first_limit=MAX_LIMIT,
            most=None,
            max_pages=MAX_PAGES,
            too_large=lambda: UpstreamError(messages.LISTING_TOO_LARGE),
        )
        instances = in_order(pages, lambda instance: instance.id)
        problems = [problem for page in pages.values() for problem in page.problems]
        dropped = {
            str(problem.row.get("id")): problem.fields
            for problem in problems
            if not problem.skipped and isinstance(problem.row, Mapping)
        }
        return InstanceListing(
            instances=tuple(instances),
            total_count=extent.total,
            requests=made[0],
            skipped=sum(problem.skipped for problem in problems),
            dropped=dropped,
        )

    async def show_policy(
        self, instance_id: str, *, gate: asyncio.Semaphore | None = None
    ) -> PolicyRead:
        """One request: the automated backup policy of one instance, or PolicyUnreadable
        when a value health uses cannot be read."""
        if not INSTANCE_ID_RE.match(instance_id):
            raise InvalidRequest(
                messages.invalid_instance_id(instance_id),
                messages.INSTANCE_ID_RULE,
            )
        path = f"/v3/{self._transport.project_id}/instances/{instance_id}/backups/policy"
        return await permitted(
            self._transport, path, [], read_policy, READ_POLICY_ACTION, gate=gate
        )

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
            except UpstreamError as error:
                return instance_id, PolicyUnreadable(_unreadable(error))
            except InvalidRequest as error:  # an id the API would refuse: none was sent
                return instance_id, PolicyUnreadable(error.said)

        unique = list(dict.fromkeys(instance_ids))
        policies = dict(await self._transport.bounded(unique, fetch))
        return PolicyReads(policies=policies, requests=made[0])


async def permitted(
    transport: Transport,
    path: str,
    query: list[tuple[str, str]],
    parse: Callable[[bytes], Parsed],
    action: tuple[str, str],
    *,
    gate: asyncio.Semaphore | None = None,
) -> Parsed:
    """A GET read by `parse`, turning a 403 into PermissionDenied naming the IAM action
    (the identity-policy action, and its role/policy-based alias)."""
    try:
        return await transport.get(path, query, reading(parse), gate=gate)
    except UpstreamError as error:
        raise denied(error, action) from error


def _unreadable(error: UpstreamError) -> Wording:
    """Why a policy could not be read, in a few plain words (said when read)."""
    if error.status is None:
        return worded(messages.policy_no_answer)
    if 200 <= error.status < 300:
        return worded(messages.policy_answer_unreadable)
    return worded(messages.policy_refused, status=error.status, code=error.error_code or "")
