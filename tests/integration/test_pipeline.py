"""The inbound pipeline end to end on a real database: one transaction per message."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, ChannelIdentity, ConversationSession, InboundMessage, OutboundMessage, Person
from app.pipeline import Pipeline
from tests.integration.helpers import Chat, queued_texts

PHONE = "+6281234567890"


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    return Pipeline(database, runtime)


def onboard(chat: Chat) -> None:
    for line in ("halo", "1", "pasteur"):  # the notice, yes, the village (one exact match: taken at once)
        assert chat.send(line).status == "processed"


def person_of(database, phone: str = PHONE) -> Person:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        person = db.scalar(select(Person).where(Person.phone == phone))
        assert person is not None
        return person


def test_first_contact_to_menu_stores_consent_and_area_in_indonesian(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    onboard(Chat(pipeline, PHONE))
    person = person_of(database)
    assert person.consent_given_at is not None
    assert (person.locale, person.area_code) == ("id", "32.73.07.1001")  # the language is not asked: Indonesian
    texts = queued_texts(database, PHONE)
    assert texts[0].startswith("Kawal Bansos membantu Anda melapor masalah kartu KKS, saldo, atau e-Warong.\n")
    assert texts[1] == "Di desa atau kelurahan mana Anda tinggal? Tulis namanya, contoh: Pasteur"
    assert texts[2].startswith("Terima kasih. Tempat Anda: Pasteur, Sukajadi, Kota Bandung.")
    assert texts[-1] == "Menu utama. Balas dengan nomor:"
    with database.transaction() as db:
        actions = list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["consent_given", "area_set"]


def test_english_speaker_gets_english_replies_stored_on_the_person(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, PHONE)
    for line in ("hello, can you help me please", "1", "kebon jayanti"):  # written in English: answered in English
        assert chat.send(line).status == "processed"
    assert person_of(database).locale == "en"
    texts = queued_texts(database, PHONE)
    assert texts[0].startswith("Kawal Bansos helps you report problems with your KKS card")
    assert texts[-1] == "Main menu. Reply with a number:"
    with database.transaction() as db:
        actions = list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["language_set", "consent_given", "area_set"]


def test_conversation_survives_a_restart(database, runtime, settings) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(Pipeline(database, runtime), PHONE)
    chat.send("halo")
    chat.send("1")  # now asked for the village
    database.dispose()  # the service stops …
    restarted = Pipeline(type(database)(settings), runtime)  # … and starts again with new connections
    chat.pipeline = restarted
    chat.send("pasteur")
    assert person_of(database).area_code == "32.73.07.1001"
    restarted.database.dispose()


def test_same_message_delivered_twice_is_processed_and_answered_once(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, PHONE)
    assert chat.send("halo", external_id="dup-1").status == "processed"
    before = len(queued_texts(database, PHONE))
    assert chat.send("halo", external_id="dup-1").status == "duplicate"
    assert len(queued_texts(database, PHONE)) == before
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(InboundMessage)) == 1


def test_zero_six_two_and_plus_forms_of_a_number_are_one_person(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    from app.people.phones import normalize_phone

    for raw in ("081234567890", "6281234567890", "+62 812-3456-7890"):
        Chat(pipeline, normalize_phone(raw) or "invalid").send("halo")
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Person)) == 1
        assert db.scalar(select(func.count()).select_from(ChannelIdentity)) == 1


def test_a_crash_between_steps_leaves_nothing_half_written(pipeline, database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, PHONE)
    chat.send("halo")

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("app.pipeline.apply_effect", broken)
    outcome = chat.send("1", external_id="crash-1")  # consent → the effect crashes
    assert outcome.status == "failed"
    person = person_of(database)
    assert person.consent_given_at is None  # the effect was rolled back …
    with database.transaction() as db:
        session = db.get(ConversationSession, person.id)
        assert session is not None and (session.flow, session.state) == ("onboarding", "consent")  # … and the session
        message = db.scalar(select(InboundMessage).where(InboundMessage.external_id == "crash-1"))
        assert message is not None and message.status == "failed" and "disk on fire" in message.error  # kept
        assert message.text == "1"
    assert queued_texts(database, PHONE)[-1].startswith("Maaf, ada gangguan di sistem kami.")

    monkeypatch.undo()
    assert chat.send("1", external_id="crash-1").status == "processed"  # the provider redelivers
    assert person_of(database).consent_given_at is not None


def test_two_messages_from_one_person_at_the_same_moment(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, PHONE)
    chat.send("halo")
    outcomes = []

    def send(line: str, external_id: str) -> None:
        outcomes.append(Chat(pipeline, PHONE, chat.now).send(line, external_id=external_id).status)

    threads = [threading.Thread(target=send, args=("bantuan", f"same-{i}")) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["processed"] * 4
    with database.transaction() as db:
        session = db.scalar(select(ConversationSession))
        assert session is not None and session.version == 5  # every message saw the one before it
        assert db.scalar(select(func.count()).select_from(OutboundMessage)) == 1 + 4 * 2


def test_first_messages_of_a_new_person_racing_create_one_person(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    results = []
    threads = [
        threading.Thread(target=lambda i=i: results.append(Chat(pipeline, PHONE).send("halo", external_id=f"r{i}").status))
        for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["processed"] * 4
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Person)) == 1


def test_an_over_long_message_is_kept_whole_and_answered(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(pipeline, PHONE)
    onboard(chat)
    chat.send("x" * 6000, external_id="long-1")
    with database.transaction() as db:
        message = db.scalar(select(InboundMessage).where(InboundMessage.external_id == "long-1"))
        assert message is not None and len(message.text) == 6000
    assert "terlalu panjang (6000 huruf)" in queued_texts(database, PHONE)[-2]
