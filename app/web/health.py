"""``GET /healthz``: 200 when the database answers, 503 when it does not; and whether Telegram has started.

Telegram is started in the background (see ``app.telegram_start``): while it cannot be reached the service
still serves, and this says ``"telegram": "starting"`` (``"ready"`` once it is, absent when not configured).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    telegram = getattr(request.app.state, "telegram", None)
    extra = {} if telegram is None else {"telegram": telegram.state}
    if request.app.state.database.is_reachable():
        return JSONResponse({"status": "ok", "database": "reachable", **extra})
    return JSONResponse({"status": "error", "database": "unreachable", **extra}, status_code=503)
