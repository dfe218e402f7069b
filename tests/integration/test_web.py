"""The web app: health check, and the chat simulator through the real pipeline."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.config import load_settings
from app.web import create_app
from tests.conftest import LOOPBACK, SECRET


def client_for(settings) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(create_app(settings), client=LOOPBACK)


def test_health_is_ok_when_the_database_answers(settings) -> None:  # type: ignore[no-untyped-def]
    with client_for(settings) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "reachable"


def test_health_is_503_when_the_database_is_gone(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with client_for(settings) as client:
        client.app.state.pipeline.runtime.close()  # the place names read at start, before the database goes away
        client.app.state.database.engine.dispose()
        client.app.state.database.engine.url = client.app.state.database.engine.url.set(database="/nonexistent/dir/x.db")
        broken = load_settings(database_url="sqlite:////nonexistent/dir/x.db", secret_key=SECRET)
        from app.db import Database

        client.app.state.database = Database(broken)
        response = client.get("/healthz")
    assert response.status_code == 503


def test_simulator_page_and_a_conversation(settings) -> None:  # type: ignore[no-untyped-def]
    with client_for(settings) as client:
        page = client.get("/")
        assert page.status_code == 200 and "Kawal Bansos" in page.text
        assert any(p["name"] == "Bu Sari" for p in client.get("/simulator/personas").json())
        first = client.post("/simulator/messages", json={"phone": "0812 3456 7890", "client_id": "web-00001", "text": "halo"})
        assert first.status_code == 200
        reply = first.json()["replies"][0]
        assert reply["text"].startswith("Kawal Bansos membantu Anda melapor masalah kartu KKS")
        assert [o["key"] for o in reply["options"]] == ["consent:yes", "consent:no"]
        tapped = client.post(
            "/simulator/messages", json={"phone": "+6281234567890", "client_id": "web-00002", "option": "consent:yes"}
        )
        [village] = tapped.json()["replies"]  # agreed: the village is asked next, no language question
        assert village["text"] == "Di desa atau kelurahan mana Anda tinggal? Tulis namanya, contoh: Pasteur"
        assert village["options"] == []
        again = client.post(
            "/simulator/messages", json={"phone": "+6281234567890", "client_id": "web-00002", "option": "consent:yes"}
        )
        assert again.json() == {"status": "duplicate", "replies": []}


def test_simulator_rejects_an_invalid_phone(settings) -> None:  # type: ignore[no-untyped-def]
    with client_for(settings) as client:
        response = client.post("/simulator/messages", json={"phone": "12", "client_id": "web-00003", "text": "halo"})
    assert response.status_code == 422


def test_simulator_is_absent_in_production(settings) -> None:  # type: ignore[no-untyped-def]
    production = load_settings(
        database_url=settings.database_url, secret_key="prod-secret-key-0123456789", env="production", simulator_enabled=False
    )
    with TestClient(create_app(production)) as client:
        assert client.get("/simulator/personas").status_code == 404
        assert client.get("/healthz").status_code == 200
