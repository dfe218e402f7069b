"""Companions follow up household reports from chat; another kecamatan's companion cannot touch them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo import seed_demo
from app.invitations.service import create_invitation
from app.models import AuditEntry, Case, CaseEvent, Person
from app.pipeline import Pipeline
from tests.conftest import FIXED_NOW, SECRET
from tests.integration.helpers import Chat, queued_texts
from tests.integration.test_reports import RINA, WATI, only_case, say

OUTSIDER = "+6281399998888"


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    return Pipeline(database, runtime)


def reported(pipeline, database) -> Case:  # type: ignore[no-untyped-def]
    say(pipeline, WATI, "kartu hilang", "1", "belum", "1", "1")
    return only_case(database)


def test_the_tksk_lists_opens_and_works_the_case_and_the_household_is_told(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    rina = say(pipeline, RINA, "menu", "2")
    assert queued_texts(database, RINA)[-1] == "Kasus Anda (1). Pilih nomor:"
    rina.send("1")
    detail = queued_texts(database, RINA)[-2]
    assert detail.startswith(f"{case.reference} - Kartu KKS hilang: Baru diterima") and "Bu Wati" in detail
    for line in ("6", "2"):  # the KKS step: police
        rina.send(line)
    rina.send(case.reference)
    for line in ("1", "Sudah ke Polsek bersama ibu Wati"):  # a note
        rina.send(line)
    rina.send(case.reference)
    for line in ("7", "besok"):  # the next follow-up
        rina.send(line)
    with database.transaction() as db:
        stored = db.get(Case, case.id)
        assert (stored.status, stored.procedure_step) == ("in_progress", "police")
        assert stored.follow_up_at is not None and stored.follow_up_at.date().isoformat() == "2026-11-24"
        kinds = list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
        assert kinds == ["opened", "status_changed", "note_added", "follow_up_set"]
        assert db.scalar(select(AuditEntry.id).where(AuditEntry.action == "case_viewed")) is not None
    news = [t for t in queued_texts(database, WATI) if t.startswith("Kabar laporan Anda:")]
    assert news == [f"Kabar laporan Anda:\n{case.reference} - Kartu KKS hilang: Sedang ditangani (langkah: lapor Polsek)"]


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
    with database.transaction() as db:
        code = create_invitation(db, role="tksk", area_code="32.73.07", now=FIXED_NOW).code
    outsider = Chat(pipeline, OUTSIDER)
    for line in (f"DAFTAR {code}", "1", "1", case.reference):
        outsider.send(line)
    assert queued_texts(database, OUTSIDER)[-2] == f"Kasus {case.reference} tidak ditemukan di wilayah Anda."
    outsider.send("2")  # "Kasus saya": nothing of Bandarkedungmulyo
    assert case.reference not in queued_texts(database, OUTSIDER)[-1]
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
    for line in (case.reference, "1", "Sudah diantar ke Puskesmas", case.reference, "4", "Dirawat Puskesmas, keluarga dihubungi"):
        rina.send(line)
    with database.transaction() as db:
        closed = db.get(Case, case.id)
        assert closed.status == "resolved"
        kinds = list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
        assert kinds == ["opened", "note_added", "status_changed"]


def test_referral_records_consent_costs_add_up_and_a_case_is_handed_over(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    with database.transaction() as db:
        code = create_invitation(db, role="tksk", area_code="35.17.18", now=FIXED_NOW).code
    colleague = "+6281300000009"
    say(pipeline, colleague, f"DAFTAR {code}", "1", "1")
    say(pipeline, RINA, case.reference, "3", "Bu Wati sendiri", "Bank BNI Jombang")
    say(pipeline, RINA, case.reference, "8", "25000 ongkos ojek")
    say(pipeline, RINA, case.reference, "8", "10.000 fotokopi")
    say(pipeline, RINA, case.reference, "9", "0813-0000-0009")
    with database.transaction() as db:
        stored = db.get(Case, case.id)
        assert stored.status == "referred" and stored.details["personal_costs"] == 35000
        kinds = list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
        assert kinds == ["opened", "consent_recorded", "status_changed", "cost_recorded", "cost_recorded", "handed_over"]
        consent = db.scalar(select(CaseEvent).where(CaseEvent.kind == "consent_recorded"))
        assert consent is not None and consent.note == "Bu Wati sendiri" and consent.data["consented_at"]
        taker = db.scalar(select(Person).where(Person.phone == colleague))
        assert stored.assignee_person_id == taker.id
    assert any(f"menyerahkan kasus {case.reference} kepada Anda" in t for t in queued_texts(database, colleague))


def test_handing_over_to_someone_outside_the_area_is_refused(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = reported(pipeline, database)
    say(pipeline, RINA, case.reference, "9", "0813-0000-0001")  # Pak Asep, PSM of Pasteur
    assert only_case(database).assignee_person_id == case.assignee_person_id
    assert any("tidak bisa diserahkan" in t for t in queued_texts(database, RINA))
