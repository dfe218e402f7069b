"""Rendering console pages: one Jinja2 environment, the reader's language and time zone, and safe headers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.i18n import format_money, translator
from app.web.console.deps import Viewer
from conversations.roles import ROLE_NAMES

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def render(
    request: Request, template: str, *, viewer: Viewer | None = None, locale: str | None = None, status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page in the viewer's language (or ``locale`` for a signed-out visitor)."""
    lang = viewer.locale if viewer else (locale or "id")
    t = viewer.t if viewer else translator(lang)
    timezone = viewer.timezone if viewer else "Asia/Jakarta"
    helpers = {
        "t": t, "lang": lang, "viewer": viewer, "csrf": viewer.csrf if viewer else "",
        "when": lambda moment: when(moment, timezone, lang), "day": lambda d: day(d, lang),
        "money": lambda amount: format_money(amount, lang), "path": request.url.path, "role_labels": ROLE_NAMES,
    }  # fmt: skip
    response = TEMPLATES.TemplateResponse(request, template, {**helpers, **context}, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def when(moment: datetime | None, timezone: str, locale: str) -> str:
    """``1 Des 2026 09.00`` in the reader's zone; ``""`` for nothing."""
    if moment is None:
        return ""
    return format_datetime(moment.astimezone(ZoneInfo(timezone)), "d MMM y HH.mm" if locale == "id" else "d MMM y HH:mm", locale=locale)


def day(value: date | None, locale: str) -> str:
    return format_date(value, "d MMM y", locale=locale) if value else ""


def not_found(request: Request, viewer: Viewer) -> HTMLResponse:
    """The same answer for what does not exist and what lies outside the viewer's areas."""
    return render(request, "console/not_found.html", viewer=viewer, status=404)
