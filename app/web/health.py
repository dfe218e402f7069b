"""``GET /healthz``: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    if request.app.state.database.is_reachable():
        return JSONResponse({"status": "ok", "database": "reachable"})
    return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
