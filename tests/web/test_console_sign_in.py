"""Signing in to the console by the chat link: once, within 10 minutes, by staff only; sessions listed and revoked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.clock import Clock
from app.db import Database
from app.models import AuditEntry
from tests.conftest import LOOPBACK
from tests.web.console import BU_SARI, PAK_HENDRA, csrf_of, demo_client, say, sign_in, sign_in_link


def test_the_chat_link_opens_a_session_and_the_home_page(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        link = sign_in_link(client, PAK_HENDRA)
        page = client.get(link)
        assert page.status_code == 200 and "Pak Hendra" in page.text
        assert client.get("/console").status_code == 401  # the GET (a chat app's link preview) spends nothing
        signed = client.post(link, follow_redirects=False)
        assert signed.status_code == 303 and signed.headers["location"] == "/console"
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # development: plain http
        home = client.get("/console")
        assert home.status_code == 200 and "Selamat datang, Pak Hendra" in home.text and "Pasteur" in home.text
    database = Database(settings)
    with database.transaction() as db:
        actions = list(db.scalars(select(AuditEntry.action)))
    database.dispose()
    assert "web_link_sent" in actions and "web_signed_in" in actions


def test_a_used_link_and_an_expired_link_are_refused(settings) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    with demo_client(settings, clock) as client:
        link = sign_in_link(client, PAK_HENDRA)
        assert client.post(link, follow_redirects=False).status_code == 303
        client.cookies.clear()
        replayed = client.post(link, follow_redirects=False)
        assert replayed.status_code == 410 and "tidak berlaku" in replayed.text
        assert client.get("/console").status_code == 401
        late = sign_in_link(client, PAK_HENDRA)
        clock.advance(timedelta(minutes=10, seconds=1))
        assert client.get(late).status_code == 410
        assert client.post(late, follow_redirects=False).status_code == 410
        assert client.get("/console").status_code == 401
        assert client.post("/console/masuk/made-up-token", follow_redirects=False).status_code == 410


def test_a_new_link_retires_the_earlier_one(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        first = sign_in_link(client, PAK_HENDRA)
        second = sign_in_link(client, PAK_HENDRA)
        assert client.post(first, follow_redirects=False).status_code == 410
        assert client.post(second, follow_redirects=False).status_code == 303


def test_a_household_gets_no_link(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        replies = say(client, BU_SARI, "web")
        assert "/console/masuk/" not in str(replies)


def test_signed_out_visitors_are_told_how_to_sign_in(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        page = client.get("/console", headers={"accept-language": "en-GB,en;q=0.9"})
        assert page.status_code == 401 and "Send WEB" in page.text
        assert client.get("/console/sesi").status_code == 401


def test_sign_out_and_revoking_end_the_session(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        other = demo_client.__globals__["TestClient"](client.app, client=LOOPBACK)  # the simulator answers this machine only
        sign_in(other, PAK_HENDRA)
        sessions = client.get("/console/sesi")
        assert sessions.text.count("/cabut") == 2
        forged = client.post("/console/keluar", data={"csrf": "wrong"}, follow_redirects=False)
        assert forged.status_code == 403
        assert client.get("/console").status_code == 200
        ids = [int(x) for x in __import__("re").findall(r"/console/sesi/(\d+)/cabut", sessions.text)]
        client.post(f"/console/sesi/{max(ids)}/cabut", data={"csrf": csrf_of(sessions.text)}, follow_redirects=False)
        assert other.get("/console").status_code == 401
        out = client.post("/console/keluar", data={"csrf": csrf_of(client.get("/console").text)}, follow_redirects=False)
        assert out.status_code == 303
        assert client.get("/console").status_code == 401


def test_concurrent_pages_all_answer(settings) -> None:  # type: ignore[no-untyped-def]
    """Pages opened at once (several tabs, several staff) each get their page: the per-request database session
    may be opened and closed in different worker threads."""
    from concurrent.futures import ThreadPoolExecutor

    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: client.get("/console").status_code, range(40)))
    assert statuses == [200] * 40


def test_outside_development_the_cookie_is_secure(settings) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient
    from sqlalchemy import select as select_

    from app.config import load_settings
    from app.console.signin import create_link
    from app.models import Person
    from app.web import create_app
    from tests.web.console import seed

    production = load_settings(database_url=settings.database_url, secret_key="prod-secret-key-0123456789",
                               env="production", simulator_enabled=False, scheduler_enabled=False)  # fmt: skip
    clock = Clock()
    seed(production, clock.now())
    database = Database(production)
    with database.transaction() as db:
        hendra = db.scalar(select_(Person).where(Person.phone == PAK_HENDRA))
        token = create_link(db, person=hendra, now=clock.now())
    database.dispose()
    with TestClient(create_app(production, clock=clock, background=False), base_url="https://kawal.example.org") as client:
        signed = client.post(f"/console/masuk/{token}", follow_redirects=False)
        assert signed.status_code == 303
        assert "Secure" in signed.headers["set-cookie"] and "HttpOnly" in signed.headers["set-cookie"]
        assert client.get("/console").status_code == 200
