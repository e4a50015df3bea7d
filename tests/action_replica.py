"""One replica of backupbot's actions, in a process of its own, for tests/test_action_replicas.py.

`python -m tests.action_replica MODE --database URL --simulator URL --requests FILE`:
`click` replays the Take click of every confirmation in the file (in an order of its
own), as any replica handed Slack's click (or its retry) would: `BackupActions.take`,
the code the Slack click runs. `follow` runs follow rounds until no action is left to
follow. `--stop-after-claim` stops for good between the claim of the first confirmation
and its call (saying so on stdout), so the test can kill it there; `--ahead SECONDS`
runs the actions' clock ahead (leases lapsed, patience run out) while requests are still
signed with the real time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from pydantic import SecretStr

from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.core.backup_action import BackupRequest
from bot.core.clock import utc_now
from bot.errors import UserError
from bot.huawei.auth import AccessKeys
from bot.huawei.client import BackupsApi
from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_PROJECT_ID, SIMULATOR_SECRET_KEY
from bot.huawei.transport import RetryPolicy, Transport
from bot.schedule.backup_actions import BackupActions, NoChannel
from bot.schedule.store import Store
from bot.schedule.store.actions import CALLING, CLAIMED, UNKNOWN

LEASE = timedelta(seconds=2)
UNSURE = (CLAIMED, CALLING, UNKNOWN)


def read_requests(path: Path) -> list[BackupRequest]:
    """The confirmations the test wrote (as their buttons would carry them)."""
    requests = []
    for fields in json.loads(path.read_text()):
        fields["asked_at"] = datetime.fromisoformat(fields["asked_at"])
        fields["expires_at"] = datetime.fromisoformat(fields["expires_at"])
        requests.append(BackupRequest(**fields))
    return requests


async def main(arguments: argparse.Namespace) -> None:
    ahead = timedelta(seconds=arguments.ahead)
    store = Store.connect(arguments.database)
    async with httpx.AsyncClient() as http:
        keys = AccessKeys(SecretStr(SIMULATOR_ACCESS_KEY), SecretStr(SIMULATOR_SECRET_KEY))
        transport = Transport(
            http=http, endpoint=arguments.simulator, project_id=SIMULATOR_PROJECT_ID,
            credentials=keys, retry=RetryPolicy(attempts=2, budget=5), timeout=30,
        )  # fmt: skip
        api = BackupsApi(transport)
        cache = ListingCache(ttl=60, maxsize=8, clock=utc_now)
        engine = Engine.over(source=api, cache=cache, clock=utc_now)
        stop_once = threading.Event()

        async def before_call(request: BackupRequest) -> None:
            if arguments.stop_after_claim and not stop_once.is_set():
                stop_once.set()
                print(f"CLAIMED {request.confirmation}", flush=True)
                await asyncio.Event().wait()  # until killed

        actions = BackupActions(
            records=store.actions, engines=Engines.single(engine, maker=api), outbox=NoChannel(),
            clock=lambda: datetime.now(UTC) + ahead, worker=arguments.worker, lease=LEASE,
            before_call=before_call,
        )  # fmt: skip
        requests = read_requests(Path(arguments.requests))
        if arguments.mode == "click":
            if not arguments.stop_after_claim:
                random.Random(arguments.worker).shuffle(requests)
            for request in requests:
                try:
                    taken = await actions.take(request)
                except UserError as refused:  # the API's refusal, recorded: told to the asker
                    print(f"REFUSED {request.confirmation} {refused.said}", flush=True)
                    continue
                print(f"{'TOOK' if taken else 'SEEN'} {request.confirmation}", flush=True)
        else:
            # Until nothing is left unsure: every claim called, every lost answer settled
            # (the backups themselves run on; following them is not this test's).
            while any(action.state in UNSURE for action in await store.actions.to_follow()):
                await actions.follow()
                await asyncio.sleep(0.05)  # between rounds, as the scheduler's tick
    store.close()
    print("DONE", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("click", "follow"))
    parser.add_argument("--database", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--requests", required=True)
    parser.add_argument("--worker", required=True)
    parser.add_argument("--stop-after-claim", action="store_true")
    parser.add_argument("--ahead", type=float, default=0.0)
    asyncio.run(main(parser.parse_args(sys.argv[1:])))
