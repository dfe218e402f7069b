"""The web console for companions, kelurahan operators and Dinas Sosial: server-rendered pages under ``/console``.

Sign-in is by a single-use link sent in chat ("web"); the role and area scope are the chat's, checked by the same
services. Each page module is one part of the console; ``router`` gathers them.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from app.web.console import cases, digests, home, households, people, schedules, signin
from app.web.console.deps import FormRefused, SignInNeeded, visitor_locale
from app.web.console.pages import render

router = APIRouter(include_in_schema=False)
for part in (signin, home, cases, households, people, schedules, digests):
    router.include_router(part.router)


def install(app: FastAPI) -> None:
    app.include_router(router)

    @app.exception_handler(SignInNeeded)
    def _sign_in_needed(request: Request, _: SignInNeeded) -> Response:
        return render(request, "console/sign_in_needed.html", locale=visitor_locale(request), status=401)

    @app.exception_handler(FormRefused)
    def _form_refused(request: Request, _: FormRefused) -> Response:
        viewer = getattr(request.state, "viewer", None)  # its database session is closed by now: use only the language
        locale = viewer.locale if viewer is not None else visitor_locale(request)
        return render(request, "console/form_refused.html", locale=locale, status=403)
