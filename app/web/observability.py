"""``GET /readyz`` (ready to take traffic: the database answers and every background worker is alive; with the
scheduler, whether this process runs it, ``"active"``, or stands by, ``"standby"``: ``app.leadership``) and
``GET /metrics`` (Prometheus). ``/healthz`` stays the cheap liveness check of the database alone."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app import metrics

router = APIRouter()


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    database = "reachable" if await asyncio.to_thread(state.database.is_reachable) else "unreachable"
    workers = state.heartbeats.report()
    ready = database == "reachable" and all(status == "alive" for status in workers.values())
    body = {"status": "ready" if ready else "not ready", "database": database, "workers": workers}
    # not part of "ready": a message that comes meanwhile is handled, only later (about a second after the start)
    body["place_names"] = "read" if state.pipeline.runtime.place_names_read else "reading"
    if "scheduler" in workers:  # several processes on PostgreSQL: one runs the jobs, the others stand by
        body["scheduler"] = state.scheduler_leadership.state
    return JSONResponse(body, status_code=200 if ready else 503)


@router.get("/metrics")
async def metrics_page(request: Request) -> Response:
    state = request.app.state

    def refresh() -> None:
        with state.database.transaction() as db:
            metrics.refresh_outbox(db, state.clock.now())

    await asyncio.to_thread(refresh)
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type)
