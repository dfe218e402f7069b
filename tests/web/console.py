"""Helpers for console tests: a demo database, and a browser session opened the real way, by "web" in chat."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi.testclient import TestClient

from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.demo import seed_demo
from app.web import create_app
from tests.conftest import LOOPBACK

PAK_HENDRA = "+6281300000004"  # operator, Kelurahan Pasteur (Kota Bandung)
ADMIN_KOTA = "+6281300000005"  # admin, Kota Bandung
BU_RINA = "+6281300000002"  # TKSK, Kecamatan Bandarkedungmulyo (Jombang)
BU_YUNI = "+6281300000006"  # operator, Desa Bandarkedungmulyo (Jombang)
PAK_ASEP = "+6281300000001"  # PSM, Kelurahan Pasteur
BU_SARI = "+6281200000001"  # household, Pasteur
_counter = iter(range(10**9))


def seed(settings: Settings, now: datetime) -> None:
    database = Database(settings)
    with database.transaction() as db:
        seed_demo(db, secret_key=settings.identifier_hash_key, now=now)
    database.dispose()


def say(client: TestClient, phone: str, text: str) -> list[dict[str, object]]:
    """One chat message through the simulator; the bot's replies."""
    response = client.post("/simulator/messages", json={"phone": phone, "client_id": f"console-{next(_counter):08d}", "text": text})
    assert response.status_code == 200, response.text
    return response.json()["replies"]


def sign_in_link(client: TestClient, phone: str) -> str:
    """The path of the link the bot sends for "web"."""
    replies = say(client, phone, "web")  # news queued for the person earlier may come along
    found = re.search(r"https?://[^/\s]+(/console/masuk/\S+)", " ".join(str(r["text"]) for r in replies))
    assert found, replies
    return found.group(1)


def sign_in(client: TestClient, phone: str) -> None:
    """Signs the client in as the person with ``phone``: "web" in chat, then the link's button."""
    response = client.post(sign_in_link(client, phone), follow_redirects=False)
    assert response.status_code == 303, response.text


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def demo_client(settings: Settings, clock: Clock | None = None) -> TestClient:
    """A client of the whole app on a database seeded with the demo personas (use it in ``with``)."""
    clock = clock or Clock()
    seed(settings, clock.now())
    return TestClient(create_app(settings, clock=clock, background=False), client=LOOPBACK)
