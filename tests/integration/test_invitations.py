"""Joining as a companion: invitation codes are single-use, expire, and are the only way to a role."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.invitations.service import InvitationError, create_invitation
from app.models import OutboundMessage, Person, RoleAssignment
from app.pipeline import Pipeline
from tests.conftest import FIXED_NOW
from tests.integration.channel_setup import TELEGRAM_SECRET, channel_settings, web_client
from tests.integration.helpers import Chat, queued_texts


def invite(database, role: str = "tksk", area: str = "35.17.18", **kwargs) -> str:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return create_invitation(db, role=role, area_code=area, now=FIXED_NOW, **kwargs).code


def roles_of(database, phone: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return list(
            db.execute(
                select(RoleAssignment.role, RoleAssignment.area_code).join(Person).where(Person.phone == phone)
            ).all()
        )


def test_daftar_code_grants_the_role_once(database, runtime) -> None:  # type: ignore[no-untyped-def]
    code = invite(database)
    pipeline = Pipeline(database, runtime)
    rina = Chat(pipeline, "+6281311112222")
    rina.send(f"daftar {code.lower()}")
    assert roles_of(database, "+6281311112222") == [("tksk", "35.17.18")]
    texts = queued_texts(database, "+6281311112222")
    assert texts[0].startswith("Selamat bergabung! Anda terdaftar sebagai TKSK") and "Bandarkedungmulyo" in texts[0]
    assert texts[1].startswith("Kawal Bansos membantu Anda melapor masalah kartu KKS")  # then the privacy notice
    rina.send("1")  # agreed: no language and no village asked
    assert queued_texts(database, "+6281311112222")[2:] == ["Menu utama. Balas dengan nomor:"]
    with database.transaction() as db:
        menu = db.scalars(select(OutboundMessage.body).order_by(OutboundMessage.id.desc())).first()
    assert menu is not None and menu["options"][0]["label"] == "Kasus baru"  # the companion menu

    other = Chat(pipeline, "+6281333334444")
    other.send(f"DAFTAR {code}")
    assert roles_of(database, "+6281333334444") == []
    assert queued_texts(database, "+6281333334444")[0].startswith("Kode undangan itu tidak berlaku")


def test_an_expired_code_is_refused(database, runtime) -> None:  # type: ignore[no-untyped-def]
    code = invite(database, lifetime=timedelta(days=1))
    chat = Chat(Pipeline(database, runtime), "+6281311112222", now=FIXED_NOW + timedelta(days=2))
    chat.send(f"DAFTAR {code}")
    assert roles_of(database, "+6281311112222") == []


def test_telegram_deep_link_invitation(settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    code = invite(database, role="psm", area="32.73.07.1001")
    update = json.loads((Path(__file__).resolve().parents[1] / "fixtures/telegram/message_start_deeplink.json").read_text())
    update["message"]["text"] = f"/start {code}"
    with web_client(channel_settings(settings, fake_telegram=fake_telegram)) as client:
        client.post("/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    with database.transaction() as db:
        assert list(db.execute(select(RoleAssignment.role, RoleAssignment.area_code)).all()) == [("psm", "32.73.07.1001")]


@pytest.mark.parametrize(
    ("role", "area", "message"),
    [
        ("lurah", "35.17.18", "unknown role 'lurah'"),
        ("tksk", "99.99.99", "unknown area '99.99.99'"),
        ("tksk", "35.17.18.2001", "a tksk works a kecamatan; 35.17.18.2001 (Bandarkedungmulyo) is a village"),
        ("psm", "35.17.18", "a psm works a village (kelurahan/desa); 35.17.18 (Bandarkedungmulyo) is a kecamatan"),
    ],
)
def test_wrong_role_or_area_is_refused(database, role: str, area: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvitationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        invite(database, role=role, area=area)


def test_cli_prints_the_code_and_how_to_use_it(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAWAL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("KAWAL_SECRET_KEY", "x" * 20)
    monkeypatch.setenv("KAWAL_TELEGRAM_BOT_USERNAME", "kawal_bansos_bot")
    result = CliRunner().invoke(main, ["invite", "--role", "tksk", "--area", "35.17.18"])
    assert result.exit_code == 0, result.output
    code = result.output.split("Invitation code: ")[1].split()[0]
    assert f"https://t.me/kawal_bansos_bot?start={code}" in result.output
    assert f"DAFTAR {code}" in result.output
    refused = CliRunner().invoke(main, ["invite", "--role", "tksk", "--area", "35.17"])
    assert refused.exit_code == 2 and "a tksk works a kecamatan" in refused.output


def test_an_operator_invites_a_psm_from_the_chat(database, runtime) -> None:  # type: ignore[no-untyped-def]
    from app.demo import seed_demo
    from tests.conftest import SECRET

    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    pipeline = Pipeline(database, runtime)
    hendra = Chat(pipeline, "+6281300000004")  # Operator Puskesos, Kelurahan Pasteur
    hendra.send("undang")
    hendra.send("1")  # PSM
    message = next(t for t in queued_texts(database, "+6281300000004") if t.startswith("Kode undangan untuk PSM"))
    code = message.split(": ")[1].split(".")[0]
    Chat(pipeline, "+6281355556666").send(f"DAFTAR {code}")
    assert roles_of(database, "+6281355556666") == [("psm", "32.73.07.1001")]


def test_a_tksk_has_no_invite_entry(database, runtime) -> None:  # type: ignore[no-untyped-def]
    from app.demo import seed_demo
    from tests.conftest import SECRET

    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    rina = Chat(Pipeline(database, runtime), "+6281300000002")
    rina.send("undang")
    assert "Undang pendamping" not in queued_texts(database, "+6281300000002")[-1]
