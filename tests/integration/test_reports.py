"""Households report through the pipeline; cases are routed to the companion responsible (demo data)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.cases.service import change_status
from app.demo import seed_demo
from app.models import AuditEntry, Case, CaseEvent, OutboundMessage, Person
from app.pipeline import Pipeline
from tests.conftest import FIXED_NOW, SECRET
from tests.integration.helpers import Chat

SARI, DEDI, WATI = "+6281200000001", "+6281200000002", "+6281200000004"
ASEP, RINA, LINA, HENDRA = "+6281300000001", "+6281300000002", "+6281300000003", "+6281300000004"


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    return Pipeline(database, runtime)


def say(pipeline: Pipeline, phone: str, *lines: str) -> Chat:
    chat = Chat(pipeline, phone)
    for line in lines:
        assert chat.send(line).status == "processed"
    return chat


def only_case(database) -> Case:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        [case] = db.scalars(select(Case)).all()
        return case


def texts_to(database, phone: str, purpose: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        query = select(OutboundMessage.body).where(OutboundMessage.address == phone).order_by(OutboundMessage.id)
        if purpose:
            query = query.where(OutboundMessage.purpose == purpose)
        return [body["text"] for body in db.scalars(query)]


def person(database, phone: str) -> Person:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        found = db.scalar(select(Person).where(Person.phone == phone))
        assert found is not None
        return found


def test_ewarong_complaint_goes_to_the_tksk_of_the_kecamatan(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, WATI, "beras busuk", "Agen Makmur", "beras berkutu", "1")  # the problem is clear: taken at once
    assert texts_to(database, WATI)[0].startswith("Laporan: Keluhan e-Warong. (Bukan itu? Balas UBAH.)\n")
    case = only_case(database)
    assert (case.category, case.status, case.routed_role) == ("ewarong", "new", "tksk")
    assert case.reference.startswith("KB-") and len(case.reference) == 8
    assert case.assignee_person_id == person(database, RINA).id
    assert case.details["answers"]["ewarong_problem"] == "quality"
    [told] = texts_to(database, RINA, "case_assigned")
    assert f"Laporan baru untuk Anda: {case.reference}" in told and "Mutu jelek" in told and "beras berkutu" in told
    assert any(case.reference in t for t in texts_to(database, WATI))
    assert any("Yang membaca: Bu Rina, TKSK Kecamatan Bandarkedungmulyo." in t for t in texts_to(database, WATI))
    with database.transaction() as db:
        assert db.scalar(select(CaseEvent.kind)) == "opened"
        assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "case_opened")) == 1


def test_without_a_tksk_the_case_is_unassigned_and_the_operator_is_told(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, SARI, "1", "1", "belum", "1")
    case = only_case(database)
    assert case.assignee_person_id is None and case.category == "kks_lost"
    [operator_note] = texts_to(database, HENDRA, "case_informed")
    assert f"Laporan {case.reference} belum ada yang menangani: belum ada TKSK untuk wilayah ini" in operator_note
    # the household is told who reads it: no TKSK in Kec. Sukajadi, so the operator of Pasteur
    assert any("Yang membaca: Pak Hendra, operator Kelurahan Pasteur." in t for t in texts_to(database, SARI))
    assert texts_to(database, ASEP, "case_informed")  # the PSM of the village is told too


def test_pkh_matters_go_to_the_pkh_facilitator(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, DEDI, "1", "5", "PKH", "1")
    case = only_case(database)
    assert (case.routed_role, case.assignee_person_id) == ("pkh", person(database, LINA).id)


def test_a_second_report_of_the_same_problem_is_attached(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, WATI, "1", "9", "Agen Makmur", "1", "5 kg dari 10 kg", "1")
    say(pipeline, WATI, "beras kurang lagi", "1", "bulan ini juga kurang")  # not clear: confirmed in one tap
    case = only_case(database)
    with database.transaction() as db:
        kinds = list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
    assert kinds == ["opened", "report_attached"]
    assert any("bulan ini juga kurang" in t for t in texts_to(database, RINA, "case_update"))


def test_status_is_shown_and_changes_are_told_in_the_households_language(pipeline, database, runtime) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, WATI, "english", "1", "1", "2", "1")  # Bu Wati prefers English
    case = only_case(database)
    say(pipeline, WATI, "status")
    assert f"{case.reference} - KKS card lost: Received" in texts_to(database, WATI)[-2]
    with database.transaction() as db:
        db_case = db.get(Case, case.id)
        rina = db.scalar(select(Person).where(Person.phone == RINA))
        change_status(db, case=db_case, status="in_progress", procedure_step="police", actor=rina, now=FIXED_NOW,
                      translators=runtime.translators)  # fmt: skip
    [news] = texts_to(database, WATI, "status_update")
    assert news == (
        f"News of report {case.reference} (KKS card lost): being handled.\n"
        "Current step: loss reported to the police (Polsek).\n"
        "Handled by: Bu Rina."
    )


def test_a_companion_files_for_a_household_which_is_told(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, RINA, "3", "0812-0000-0004", "2", "1")
    case = only_case(database)
    assert case.filed_by_person_id == person(database, RINA).id
    assert case.reporter_person_id == person(database, WATI).id and case.household_name == "Bu Wati"
    assert any("Pendamping mencatat laporan untuk keluarga Anda" in t for t in texts_to(database, WATI))


def test_a_companion_typing_a_households_phone_sees_the_family_named_back(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, RINA, "3", "0812-0000-0004")
    named, question = texts_to(database, RINA)[-1].split("\n")
    assert named.startswith("Keluarga: Bu Wati (RT ") and named.endswith(", Bandarkedungmulyo).")
    assert question == "Apa masalahnya? Balas dengan nomor:"
    say(pipeline, RINA, "2", "1")
    assert texts_to(database, RINA)[-4].startswith("Laporan untuk Bu Wati tercatat.")


def test_a_household_of_another_area_is_not_named_to_a_companion(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, RINA, "3", "0812-0000-0001")  # Bu Sari's number: Pasteur, not Bu Rina's kecamatan
    assert texts_to(database, RINA)[-1] == "Apa masalahnya? Balas dengan nomor:"
    assert not any("Bu Sari" in text for text in texts_to(database, RINA))


def test_someone_elses_ticket_code_is_not_shown(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, WATI, "1", "2", "1")
    reference = only_case(database).reference
    say(pipeline, SARI, reference)
    assert texts_to(database, SARI)[-2] == f"Nomor laporan {reference} tidak ditemukan di laporan Anda. Periksa lagi nomornya."


def test_a_ticket_code_collision_is_retried_with_a_new_code(pipeline, database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    codes = iter(["KB-22222", "KB-22222", "KB-33333"])
    monkeypatch.setattr("app.pipeline.new_reference", lambda: next(codes))
    say(pipeline, WATI, "1", "2", "1")
    say(pipeline, SARI, "1", "2", "1")
    with database.transaction() as db:
        assert sorted(db.scalars(select(Case.reference))) == ["KB-22222", "KB-33333"]


def test_a_photo_sent_in_the_middle_of_a_report_is_kept_with_the_case(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, WATI, "beras busuk", "Agen Makmur", "/foto beras.jpg")  # no photo step: sent whenever she likes
    texts = texts_to(database, WATI)
    assert texts[-2] == "Foto Anda kami simpan untuk laporan ini."
    assert texts[-1].startswith("Barang apa, dan bagaimana keadaannya?")  # the question she was at comes back
    say(pipeline, WATI, "beras berkutu", "1")
    case = only_case(database)
    assert case.details["media"] == ["simulator:beras.jpg"]
    assert case.details["answers"]["ewarong_detail"] == "beras berkutu"
