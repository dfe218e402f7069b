"""Guessing codes is slowed down, and "daftar …" inside a report is an answer, not a code.

Five wrong codes (invitation or ticket) within an hour pause the checking of that person's codes for thirty
minutes: they hear once when they can try again, the area's operator (or the admins) once per pause, and
every wrong code and every pause is in the audit log.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.demo import seed_demo
from app.invitations.service import ALPHABET, create_invitation
from app.models import AuditEntry, Case, ConversationSession, Person, RoleAssignment
from app.pipeline import Pipeline
from tests.conftest import FIXED_NOW, SECRET
from tests.integration.channel_setup import channel_settings, web_client
from tests.integration.helpers import Chat, queued_texts
from tests.integration.test_whatsapp import post

BU_WATI = "+6281200000004"  # a household of Desa Bandarkedungmulyo
BU_YUNI = "+6281300000006"  # the operator of Desa Bandarkedungmulyo
ADMIN = "+6281300000005"
NEW_NUMBER = "+6281999990001"  # nobody yet: no area
REFUSED = "Kode undangan itu tidak berlaku"
PAUSED = "Kode yang Anda kirim sudah terlalu sering salah"
NOTICE = "Peringatan:"


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    return Pipeline(database, runtime)


def wrong_codes(count: int) -> list[str]:
    """Code-shaped and distinct, and none of them issued."""
    return [f"ZZ{ALPHABET[n // 31 % 31]}{ALPHABET[n % 31]}ZZ22" for n in range(count)]


def audited(database, action: str) -> int:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)) or 0


def texts_with(database, phone: str, start: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [text for text in queued_texts(database, phone) if text.startswith(start)]


def roles_of(database, phone: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        query = select(RoleAssignment.role, RoleAssignment.area_code).join(Person).where(Person.phone == phone)
        return [tuple(row) for row in db.execute(query)]


def test_two_hundred_wrong_codes_only_five_are_checked_then_a_pause(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, BU_WATI)
    for code in wrong_codes(200):
        chat.send(f"DAFTAR {code}")
    assert audited(database, "invitation_refused") == 5  # only the first five were looked up
    assert audited(database, "wrong_code_entered") == 5
    assert audited(database, "code_guessing_paused") == 1
    assert len(texts_with(database, BU_WATI, REFUSED)) == 5
    # the fifth wrong code at 09:00:05 WIB starts the pause: told once, in the time of her village
    assert texts_with(database, BU_WATI, PAUSED) == [
        "Kode yang Anda kirim sudah terlalu sering salah. Demi keamanan, kode baru bisa dicoba lagi pukul 09:30 WIB."
    ]
    notices = texts_with(database, BU_YUNI, NOTICE)
    assert len(notices) == 1 and "Bu Wati" in notices[0] and "5 kode salah" in notices[0] and "09:30 WIB" in notices[0]
    assert texts_with(database, ADMIN, NOTICE) == []  # the village has an operator: she is the one told


def test_after_the_pause_codes_are_checked_again_and_a_right_one_works(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        right = create_invitation(db, role="tksk", area_code="35.17.18", now=FIXED_NOW).code
    chat = Chat(pipeline, BU_WATI)
    codes = iter(wrong_codes(20))
    for _ in range(6):
        chat.send(f"DAFTAR {next(codes)}")
    chat.send(f"DAFTAR {right}")  # paused: not even a right code is checked
    assert roles_of(database, BU_WATI) == [] and audited(database, "invitation_refused") == 5

    chat.now += timedelta(minutes=30)
    chat.send(f"DAFTAR {next(codes)}")
    assert audited(database, "invitation_refused") == 6  # checked again
    chat.send(f"daftar {right.lower()}")
    assert roles_of(database, BU_WATI) == [("tksk", "35.17.18")]

    for _ in range(4):  # four more wrong ones since the pause ended make five: a second pause, a second notice
        chat.send(f"DAFTAR {next(codes)}")
    assert audited(database, "code_guessing_paused") == 2
    assert len(texts_with(database, BU_YUNI, NOTICE)) == 2
    assert len(texts_with(database, BU_WATI, PAUSED)) == 2


def test_someone_without_an_area_is_reported_to_the_admins(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, NEW_NUMBER)
    for code in wrong_codes(7):
        chat.send(f"DAFTAR {code}")
    notices = texts_with(database, ADMIN, NOTICE)
    assert len(notices) == 1 and NEW_NUMBER in notices[0] and "09:30 WIB" in notices[0]
    assert texts_with(database, BU_YUNI, NOTICE) == []


def test_wrong_ticket_codes_are_counted_and_paused_too(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, BU_WATI)
    chat.send("1")
    chat.send("6")
    chat.send("nama saya salah")
    chat.send("1")  # her own report, KB-…
    with database.transaction() as db:
        own = db.scalar(select(Case.reference))
    for code in ("KB-ZZZZ2", "KB-ZZZZ3", "cek kb 2zzz4", "KB-ZZZZ5", "KB-ZZZZ6"):
        chat.send(code)
    with database.transaction() as db:
        kinds = [e.details["kind"] for e in db.scalars(select(AuditEntry).where(AuditEntry.action == "wrong_code_entered"))]
    assert kinds == ["ticket"] * 5 and audited(database, "code_guessing_paused") == 1
    before = len(queued_texts(database, BU_WATI))
    chat.send(own)  # paused: her own ticket is not looked up either, she is told when to try again
    after = queued_texts(database, BU_WATI)[before:]
    assert len(after) == 1 and after[0].startswith(PAUSED) and audited(database, "wrong_code_entered") == 5
    chat.now += timedelta(minutes=31)
    chat.send(own)
    assert queued_texts(database, BU_WATI)[-2].startswith(own)  # her report's status line, then the menu


def test_a_whatsapp_answer_starting_with_daftar_stays_in_the_report(settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    form = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "twilio" / "inbound_text.json").read_text())
    with web_client(channel_settings(settings, fake_twilio=fake_twilio)) as client:
        for number, body in enumerate(("1", "6", "daftar saya bu, nama anak tidak ada", "daftar saya bu")):
            sid = f"SMdaftar{number:026d}"
            message = {**form, "Body": body, "From": f"whatsapp:{BU_WATI}", "WaId": BU_WATI[1:], "MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid}
            assert post(client, message).status_code == 200
        with database.transaction() as db:
            session = db.scalar(select(ConversationSession).join(Person).where(Person.phone == BU_WATI))
            assert session is not None and (session.flow, session.state) == ("report", "confirm")
            assert session.data["answers"]["what_is_wrong"] == "daftar saya bu, nama anak tidak ada"
    assert audited(database, "invitation_refused") == 0 and audited(database, "wrong_code_entered") == 0
