"""Signing in with the chat link, signing out, and the list of one's open sessions.

The link's GET only shows a button: chat apps fetch links to draw previews, and a GET that used the
single-use token would spend it before the person taps it. The POST spends it and sets the cookie.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.console import signin
from app.web.console.deps import COOKIE, Viewer, current_viewer, database, now, posting_viewer, visitor_locale
from app.web.console.pages import render

router = APIRouter()


@router.get("/console/masuk/{token}")
def confirm(token: str, request: Request, db: Session = Depends(database)) -> Response:
    person = signin.link_holder(db, token, now=now(request))
    locale = person.locale if person is not None and person.locale in ("id", "en") else visitor_locale(request)
    if person is None:
        return render(request, "console/signin_refused.html", locale=locale, status=410)
    return render(request, "console/signin.html", locale=locale, name=person.display_name, token=token)


@router.post("/console/masuk/{token}")
def sign_in(token: str, request: Request, db: Session = Depends(database)) -> Response:
    opened = signin.redeem_link(db, token, now=now(request), user_agent=request.headers.get("user-agent", ""))
    if opened is None:
        return render(request, "console/signin_refused.html", locale=visitor_locale(request), status=410)
    response = RedirectResponse("/console", status_code=303)
    response.set_cookie(
        COOKIE, opened.session_token, max_age=int(signin.MAX_LIFETIME.total_seconds()), httponly=True, samesite="lax",
        secure=request.app.state.settings.env != "development", path="/",
    )  # fmt: skip
    return response


@router.post("/console/keluar")
def sign_out(request: Request, viewer: Viewer = Depends(posting_viewer), db: Session = Depends(database)) -> Response:
    signin.revoke(db, person=viewer.person, session_id=viewer.session.id, now=now(request), reason="signed_out")
    response = RedirectResponse("/console/keluar", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/console/keluar")
def signed_out(request: Request) -> Response:
    return render(request, "console/signed_out.html", locale=visitor_locale(request))


@router.get("/console/sesi")
def sessions(request: Request, viewer: Viewer = Depends(current_viewer), db: Session = Depends(database)) -> Response:
    return render(request, "console/sessions.html", viewer=viewer,
                  sessions=signin.sessions_of(db, viewer.person, now=now(request)))  # fmt: skip


@router.post("/console/sesi/{session_id}/cabut")
def revoke(
    session_id: int, request: Request, viewer: Viewer = Depends(posting_viewer), db: Session = Depends(database)
) -> Response:
    signin.revoke(db, person=viewer.person, session_id=session_id, now=now(request))
    if session_id == viewer.session.id:
        response = RedirectResponse("/console/keluar", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response
    return RedirectResponse("/console/sesi", status_code=303)
