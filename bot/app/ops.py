"""The operator's routes, in both modes: `GET /healthz`, `GET /livez`, `GET /metrics`.

A state store that cannot be written makes /healthz answer 503 with the reason, for the
operator and their monitoring. Questions are still answered then, so /livez (what an
orchestrator probes before sending traffic or restarting a replica) stays 200: a
database outage must not take every replica out of service.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.metrics import CONTENT_TYPE, Metrics
from bot.schedule.store import Store
from bot.slack.tasks import BackgroundTasks


def ops_routes(*, store: Store, tasks: BackgroundTasks, metrics: Metrics) -> list[Route]:
    """The three routes, over the parts they report on."""

    async def livez(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def healthz(request: Request) -> Response:
        problem = store.problem
        health: dict[str, object] = {
            "ok": problem is None,
            "background_tasks": len(tasks),
            "store": "ok" if problem is None else str(problem),
        }
        return JSONResponse(health, status_code=200 if problem is None else 503)

    async def scrape(request: Request) -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/livez", livez, methods=["GET"]),
        Route("/metrics", scrape, methods=["GET"]),
    ]
