"""Who is asking: the signed-in person behind the session cookie, and the CSRF check on every form."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from fastapi import Depends, Form, Request
from sqlalchemy.orm import Session

from app.areas.timezones import person_area, timezone_of
from app.console import signin
from app.i18n import LANGUAGES, translator
from app.models import Person, WebSession
from conversations.types import Translate

COOKIE = "kawal_console"


class SignInNeeded(Exception):
    """No open session: the page explains how to get a sign-in link from the chat."""


class FormRefused(Exception):
    """A form without the session's CSRF token (a forged or stale form)."""


@dataclass(frozen=True)
class Viewer:
    person: Person
    session: WebSession
    t: Translate
    locale: str
    timezone: str

    @property
    def csrf(self) -> str:
        return self.session.csrf_token


def database(request: Request) -> Iterator[Session]:
    """One transaction per request, committed when the page is done, rolled back on an error.

    Not ``Database.transaction()``: FastAPI may enter and leave this generator in different worker threads, and
    that method's SQLite writer lock (an ``RLock``) must be released by the thread that took it. Console traffic
    is light; on SQLite a page waits in SQLite's own busy handler while a chat message is being written.
    """
    db = request.app.state.database.sessions()
    try:
        with db.begin():
            yield db
    finally:
        db.close()


def now(request: Request) -> datetime:
    return request.app.state.clock.now()


def current_viewer(request: Request, db: Session = Depends(database)) -> Viewer:
    found = signin.signed_in(db, request.cookies.get(COOKIE, ""), now=now(request))
    if found is None:
        raise SignInNeeded
    person = found.person
    locale = person.locale if person.locale in LANGUAGES else "id"
    viewer = Viewer(person, found.session, translator(locale), locale, timezone_of(person_area(person)))
    request.state.viewer = viewer
    return viewer


def posting_viewer(viewer: Viewer = Depends(current_viewer), csrf: str = Form("")) -> Viewer:
    """The viewer of a form post, refused unless the form carries their session's CSRF token."""
    if not signin.csrf_matches(viewer.session, csrf):
        raise FormRefused
    return viewer


def visitor_locale(request: Request) -> str:
    """The language of a signed-out page: ``?lang=``, else the browser's first known language, else Indonesian."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "id"
