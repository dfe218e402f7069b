"""Companions follow up household reports from chat; another kecamatan's companion cannot touch them.

The assignee sees the whole case, with the household's phone (a tap to call, a chat link), and so do the
area's operators; another companion of the area sees the case without the phone. Every time the phone is
shown, the audit log says so. After each action the case's own actions come back.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cases.work import media_refs, work_cases_of
from app.demo import seed_demo
from app.effects import apply_effect
from app.invitations.service import create_invitation
from app.media import MediaStore
from app.models import AuditEntry, Case, CaseEvent, Household, OutboundMessage, Person
from app.pipeline import Pipeline
from conversations.effects import OpenCase
from conversations.types import MediaRef
from tests.conftest import FIXED_NOW, SECRET
from tests.integration.helpers import Chat, queued_texts
from tests.integration.test_reports import RINA, WATI, only_case, say

OUTSIDER = "+6281399998888"
COLLEAGUE = "+6281300000009"  # a second TKSK of Bandarkedungmulyo, not the assignee
YUNI = "+6281300000006"  # the operator of Desa Bandarkedungmulyo
WATI_CONTACT = "HP: +62 812-0000-0004 · tel:+6281200000004 · https://wa.me/6281200000004"
WATI_WORDS = "kartu saya hilang bu, dompetnya jatuh di pasar"


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    return Pipeline(database, runtime)


def reported(pipeline: Pipeline, database) -> Case:  # type: ignore[no-untyped-def]
    """Bu Wati's report of a lost KKS card, as the report flow files it from her chat (routed to Bu Rina)."""
    with database.transaction() as db:
        wati = db.scalars(select(Person).where(Person.phone == WATI)).one()
        household = db.scalars(select(Household).where(Household.person_id == wati.id)).one()
        effect = OpenCase(
            reference="KB-WAT42", category="kks_lost", area_code=household.area_code, household_id=household.id,
            answers={"has_letter": "no", "message": WATI_WORDS},
        )  # fmt: skip
        apply_effect(db, person=wati, effect=effect, now=FIXED_NOW, settings=pipeline.runtime.settings,
                     translators=pipeline.runtime.translators)  # fmt: skip
    return only_case(database)


def bodies(database, phone: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return list(db.scalars(select(OutboundMessage.body).where(OutboundMessage.address == phone).order_by(OutboundMessage.id)))


def contact_views(database, phone: str | None = None) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        query = select(AuditEntry).where(AuditEntry.action == "household_contact_viewed").order_by(AuditEntry.id)
        if phone is not None:
            query = query.join(Person, Person.id == AuditEntry.actor_person_id).where(Person.phone == phone)
        return list(db.scalars(query))


def join_as(pipeline: Pipeline, database, phone: str, role: str, area: str) -> Chat:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        code = create_invitation(db, role=role, area_code=area, now=FIXED_NOW).code
    return say(pipeline, phone, f"DAFTAR {code}", "1", "menu")  # the code, consent, then at rest


def test_the_new_case_notice_carries_the_phone_and_the_audit_says_so(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    [notice] = [t for t in queued_texts(database, RINA) if t.startswith("Laporan baru untuk Anda")]
    assert WATI_CONTACT in notice.splitlines()
    [seen] = contact_views(database, RINA)
    assert (seen.subject_type, seen.subject_id, seen.details) == ("case", case.reference, {"via": "new_case_notice"})
    assert "812" not in str(seen.details)  # the number itself is never logged


def test_the_tksk_sees_the_whole_case_with_the_phone_and_the_actions_come_back(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    rina = say(pipeline, RINA, "menu", "2")
    assert queued_texts(database, RINA)[-1] == "Kasus Anda (1). Pilih nomor:"
    rina.send("1")
    detail, actions = queued_texts(database, RINA)[-2:]
    assert detail.splitlines()[:4] == [
        f"{case.reference} - Kartu KKS hilang: Baru diterima",
        "Keluarga: Bu Wati (RT 003/RW 005)",
        "Tempat: Bandarkedungmulyo",
        WATI_CONTACT,
    ]
    assert "Dilaporkan keluarga sendiri lewat chat, 23 Nov 09.00" in detail
    assert "Surat kehilangan: Belum" in detail and f"Kata keluarga: {WATI_WORDS}" in detail
    assert actions == "Apa yang mau dicatat?"
    assert [v.details["via"] for v in contact_views(database, RINA)] == ["new_case_notice", "case_view"]

    for line in ("6", "2"):  # the KKS step: police; the case's actions come back, not the main menu
        rina.send(line)
    last = bodies(database, RINA)[-1]
    assert last["text"] == f"Tercatat di kasus {case.reference}.\nApa lagi yang mau dicatat?"
    assert [o["key"] for o in last["options"]][:2] == ["act:note", "act:in_progress"]
    for line in ("1", "Sudah ke Polsek bersama ibu Wati"):  # a note, at once
        rina.send(line)
    assert bodies(database, RINA)[-1]["text"].startswith(f"Tercatat di kasus {case.reference}.")
    for line in ("7", "besok"):  # the next follow-up
        rina.send(line)
    rina.send(case.reference)  # the case again, with its timeline in Bu Rina's time (WIB)
    detail = queued_texts(database, RINA)[-2]
    assert "Catatan:" in detail
    assert "- 23 Nov 09.00 Bu Rina: Sedang ditangani, langkah: lapor Polsek" in detail
    assert "- 23 Nov 09.00 Bu Rina: Sudah ke Polsek bersama ibu Wati" in detail
    assert "Tindak lanjut: Selasa, 24 November 2026" in detail
    for line in ("4", "Kartu baru sudah diterima"):  # closing it
        rina.send(line)
    assert bodies(database, RINA)[-1]["text"] == f"Tercatat di kasus {case.reference}.\nApa lagi yang mau dicatat?"
    with database.transaction() as db:
        stored = db.get(Case, case.id)
        assert (stored.status, stored.procedure_step) == ("resolved", "card_received")
        assert stored.follow_up_at is not None and stored.follow_up_at.date().isoformat() == "2026-11-24"
        kinds = list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
        assert kinds == ["opened", "status_changed", "note_added", "follow_up_set", "status_changed"]
        assert db.scalar(select(AuditEntry.id).where(AuditEntry.action == "case_viewed")) is not None
    assert all(entry.details.get("via") for entry in contact_views(database))
    news = [t for t in queued_texts(database, WATI) if case.reference in t and "lapor" in t.lower()]
    assert news, "the household hears of the step"


def test_a_colleague_who_is_not_the_assignee_sees_the_case_without_the_phone(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    colleague = join_as(pipeline, database, COLLEAGUE, "tksk", "35.17.18")
    colleague.send(case.reference)
    detail = queued_texts(database, COLLEAGUE)[-2]
    assert detail.startswith(f"{case.reference} - Kartu KKS hilang") and "Keluarga: Bu Wati" in detail
    assert "HP:" not in detail and "wa.me" not in detail and "0004" not in detail
    assert contact_views(database, COLLEAGUE) == []
    with database.transaction() as db:
        viewed = db.scalars(select(AuditEntry).join(Person, Person.id == AuditEntry.actor_person_id)
                            .where(AuditEntry.action == "case_viewed", Person.phone == COLLEAGUE)).all()  # fmt: skip
        assert viewed, "the read itself is audited"


def test_the_village_operator_sees_the_phone_and_the_audit_says_so(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    say(pipeline, YUNI, case.reference)
    assert WATI_CONTACT in queued_texts(database, YUNI)[-2].splitlines()
    [seen] = contact_views(database, YUNI)
    assert (seen.subject_id, seen.details) == (case.reference, {"via": "case_view"})


def test_closing_with_an_outcome(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    say(pipeline, RINA, case.reference, "4", "Kartu baru sudah diterima")
    with database.transaction() as db:
        stored = db.get(Case, case.id)
        assert stored.status == "resolved" and stored.closed_at is not None
        event = db.scalar(select(CaseEvent).where(CaseEvent.kind == "status_changed"))
        assert event is not None and event.note == "Kartu baru sudah diterima"


def test_a_companion_of_another_kecamatan_cannot_see_or_change_it(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    outsider = join_as(pipeline, database, OUTSIDER, "tksk", "32.73.07")
    outsider.send(case.reference)
    assert queued_texts(database, OUTSIDER)[-2] == f"Kasus {case.reference} tidak ditemukan di wilayah Anda."
    outsider.send("2")  # "Kasus saya": nothing of Bandarkedungmulyo
    assert case.reference not in queued_texts(database, OUTSIDER)[-1]
    assert contact_views(database, OUTSIDER) == []
    with database.transaction() as db:
        assert db.scalar(select(AuditEntry.id).where(AuditEntry.action == "case_access_denied")) is not None
        assert db.get(Case, case.id).status == "new"


def test_a_companion_logs_a_ppks_case_with_a_photo_follows_it_up_and_closes_it(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    rina = say(pipeline, RINA, "menu", "1", "4", "Mbah Sarinah", "3/5", "lansia",
               "Tinggal sendiri, sakit kaki", "/foto mbah.jpg", "1", "antar ke Puskesmas", "1 3", "besok", "1")  # fmt: skip
    with database.transaction() as db:
        case = db.scalar(select(Case).where(Case.kind == "companion_case"))
        assert case is not None and case.category == "ppks:08" and case.household_name == "Mbah Sarinah"
        assert case.details["partners"] == ["rt_rw", "tksk"] and len(case.details["media"]) == 1
        assert case.assignee_person_id == case.filed_by_person_id
        assert case.follow_up_at is not None and case.follow_up_at.date().isoformat() == "2026-11-24"
    assert any(case.reference in t for t in queued_texts(database, RINA))
    rina.send(case.reference)
    detail, photos, _actions = bodies(database, RINA)[-3:]
    for line in ("Keluarga: Mbah Sarinah (RT 003/RW 005)", "Dicatat oleh Bu Rina, 23 Nov 09.00", "Sumber: Temuan sendiri",
                 "Cerita: Tinggal sendiri, sakit kaki", "Rencana: antar ke Puskesmas", "Dilibatkan: RT/RW, TKSK", "Foto: 1"):
        assert line in detail["text"].splitlines()
    assert "HP:" not in detail["text"]  # a case a companion found has no household phone to show
    assert photos["media"] == [{"ref": "simulator:mbah.jpg", "mime_type": "image/jpeg"}]
    for line in ("1", "Sudah diantar ke Puskesmas", "4", "Dirawat Puskesmas, keluarga dihubungi"):
        rina.send(line)
    with database.transaction() as db:
        closed = db.get(Case, case.id)
        assert closed.status == "resolved"
        kinds = list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
        assert kinds == ["opened", "note_added", "status_changed"]


def test_referral_records_consent_costs_add_up_and_a_case_is_handed_over(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    join_as(pipeline, database, COLLEAGUE, "tksk", "35.17.18")
    rina = say(pipeline, RINA, case.reference, "3", "Bu Wati sendiri", "Bank BNI Jombang")
    for line in ("8", "25000 ongkos ojek", "8", "10.000 fotokopi"):  # one after the other, without opening it again
        rina.send(line)
    rina.send(case.reference)
    detail = queued_texts(database, RINA)[-2]
    assert "Biaya sendiri: Rp35.000" in detail and "- 23 Nov 09.00 Bu Rina: Keluarga setuju: Bu Wati sendiri" in detail
    for line in ("9", "0813-0000-0009"):
        rina.send(line)
    with database.transaction() as db:
        stored = db.get(Case, case.id)
        assert stored.status == "referred" and stored.details["personal_costs"] == 35000
        kinds = list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
        assert kinds == ["opened", "consent_recorded", "status_changed", "cost_recorded", "cost_recorded", "handed_over"]
        consent = db.scalar(select(CaseEvent).where(CaseEvent.kind == "consent_recorded"))
        assert consent is not None and consent.note == "Bu Wati sendiri" and consent.data["consented_at"]
        taker = db.scalar(select(Person).where(Person.phone == COLLEAGUE))
        assert stored.assignee_person_id == taker.id
    assert any(f"menyerahkan kasus {case.reference} kepada Anda" in t for t in queued_texts(database, COLLEAGUE))
    say(pipeline, COLLEAGUE, case.reference)  # now the assignee: the phone is theirs to see
    assert WATI_CONTACT in queued_texts(database, COLLEAGUE)[-2].splitlines()


def test_handing_over_to_someone_outside_the_area_is_refused(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    say(pipeline, RINA, case.reference, "9", "0813-0000-0001")  # Pak Asep, PSM of Pasteur
    assert only_case(database).assignee_person_id == case.assignee_person_id
    assert any("tidak bisa diserahkan" in t for t in queued_texts(database, RINA))


def test_stored_photos_and_voice_notes_carry_their_type_from_the_media_store(pipeline, database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = MediaStore(tmp_path / "media", 1_000_000)
    photo, voice = store.save(b"a photo", "image/jpeg"), store.save(b"a voice note", "audio/ogg")
    gone = "sha256:" + "0" * 64
    assert media_refs([photo.ref, voice.ref, gone], store) == (photo, voice, MediaRef(gone, ""))
    assert media_refs([photo.ref], None) == (MediaRef(photo.ref, ""),)  # without the store: counted, not sent
    case = reported(pipeline, database)
    with database.transaction() as db:
        stored = db.get(Case, case.id)
        stored.details = {**stored.details, "media": [photo.ref, voice.ref]}
    with database.transaction() as db:
        rina = db.scalars(select(Person).where(Person.phone == RINA).options(selectinload(Person.roles))).one()
        [view] = work_cases_of(db, rina, now=FIXED_NOW, reference=case.reference, media=store)
        assert view.detailed and view.media == (photo, voice)
        assert view.contact is not None and view.contact.chat == "https://wa.me/6281200000004"


def test_companions_list_the_cases_nobody_has_taken_in_their_areas_and_nobody_else_does(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    with database.transaction() as db:
        db.get(Case, case.id).assignee_person_id = None  # as routing leaves it where no TKSK serves
    psm = "+6281300000077"
    join_as(pipeline, database, psm, "psm", case.area_code)

    def listed(phone: str) -> list[tuple[str, bool]]:
        with database.transaction() as db:
            person = db.scalars(select(Person).where(Person.phone == phone).options(selectinload(Person.roles))).one()
            return [(view.reference, view.unassigned) for view in work_cases_of(db, person, now=FIXED_NOW)]

    assert listed(YUNI) == [(case.reference, True)]  # the village's operator
    assert listed(RINA) == [(case.reference, True)]  # the kecamatan's TKSK
    assert listed("+6281300000004") == []  # Pak Hendra, operator of a kelurahan elsewhere
    assert listed(psm) == [(case.reference, True)]  # the village's PSM, told to take it or hand it over
    say(pipeline, YUNI, "status")
    listing = queued_texts(database, YUNI)[-1]
    assert listing.startswith("Kasus Anda (1)") and "BELUM ADA YANG MENANGANI" in str(bodies(database, YUNI)[-1]), listing


def test_a_household_is_found_by_its_heads_name_only_when_one_of_the_companions_areas_has_it(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    from app.people.service import household_named

    asep, rina = "+6281300000001", RINA  # PSM of Pasteur; TKSK of Bandarkedungmulyo
    with database.transaction() as db:
        people = {p.phone: p for p in db.scalars(select(Person).options(selectinload(Person.roles)))}
        sari = household_named(db, people[asep], "bu sari")
        assert sari is not None and sari.head_name == "Bu Sari" and sari.rt == "003"
        assert household_named(db, people[asep], "Bu  Sari.") == sari
        assert household_named(db, people[rina], "bu sari") is None  # not in her area
        assert household_named(db, people[asep], "bu sumiyati") is None  # not on the list
        twin = db.get(Household, sari.id)
        db.add(Household(head_name="SARI", area_code=twin.area_code, rt="001", rw="002", phone="+6281255550000",
                         programs="", nik_hash="f" * 64, nik_masked="3273**********01", created_at=FIXED_NOW,
                         updated_at=FIXED_NOW))  # fmt: skip
        db.flush()
        assert household_named(db, people[asep], "bu sari") is None  # two of that name: the companion's words are kept
