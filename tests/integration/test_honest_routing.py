"""Where nobody holds the role that should handle a report, it goes up the chain, and the household is told who
really reads it, by name: the village's operator, else the closest admin. Such cases are listed every morning."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.models import Case, OutboundMessage, Reminder
from app.reminders.unassigned import plan_unassigned_reminders
from tests.conftest import FIXED_NOW
from tests.integration.test_reports import HENDRA, SARI, only_case, pipeline, say, texts_to  # noqa: F401

SITI, ADMIN = "+6281200000003", "+6281300000005"


def test_no_tksk_in_sukajadi_the_operator_reads_it_and_the_household_is_told_by_name(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, SARI, "kartu kks sy ilang pak", "belum", "kirim")
    case = only_case(database)
    assert (case.category, case.assignee_person_id, case.routed_role) == ("kks_lost", None, "tksk")
    told = "\n".join(texts_to(database, SARI))
    assert "Yang membaca: Pak Hendra, operator Kelurahan Pasteur." in told
    assert "TKSK kecamatan Anda" not in told  # never a role nobody holds
    [to_operator] = texts_to(database, HENDRA, "case_informed")
    assert case.reference in to_operator and "belum ada TKSK" in to_operator and "Kartu KKS hilang" in to_operator
    assert "Surat kehilangan: Belum" in to_operator and "HP: +62 812-0000-0001" in to_operator


def test_no_operator_either_the_city_admin_reads_it(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, SITI, "saldo sy nol dr bulan ini", "agen bu enok", "kirim")
    told = "\n".join(texts_to(database, SITI))
    assert "Yang membaca: Admin Kota, admin Dinas Sosial Kota Bandung." in told
    assert any(only_case(database).reference in text for text in texts_to(database, ADMIN, "case_informed"))


def test_unassigned_cases_are_listed_each_morning_until_taken(pipeline, database, runtime) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, SARI, "kartu kks sy ilang pak", "belum", "kirim")
    reference = only_case(database).reference
    next_morning = FIXED_NOW.replace(hour=0, minute=5) + timedelta(days=1)  # 07:05 WIB
    with database.transaction() as db:
        assert plan_unassigned_reminders(db, settings=runtime.settings, translators=runtime.translators, now=next_morning) == 1
        assert plan_unassigned_reminders(db, settings=runtime.settings, translators=runtime.translators, now=next_morning) == 0
        [row] = db.scalars(select(Reminder).where(Reminder.kind == "unassigned_cases")).all()
        assert reference in row.body["text"] and "Pak Hendra" not in row.body["text"]
        db.scalar(select(Case)).assignee_person_id = row.person_id  # taken
    with database.transaction() as db:
        later = next_morning + timedelta(days=1)
        assert plan_unassigned_reminders(db, settings=runtime.settings, translators=runtime.translators, now=later) == 0


def test_the_operator_takes_it_and_the_household_hears_who_handles_it(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, SARI, "kartu kks sy ilang pak", "belum", "kirim")
    reference = only_case(database).reference
    chat = say(pipeline, HENDRA, reference)
    opened = "\n".join(texts_to(database, HENDRA)[-3:])
    assert "HP: +62 812-0000-0001" in opened
    with database.transaction() as db:
        actions = db.scalars(select(OutboundMessage.body).where(OutboundMessage.address == HENDRA).order_by(OutboundMessage.id.desc())).first()
    assert actions["options"][0]["label"].startswith("Ambil kasus ini")
    chat.send("ambil")
    case = only_case(database)
    assert case.assignee_person_id is not None and case.status == "in_progress"
    news = texts_to(database, SARI, "status_update")[-1]
    assert reference in news and "sedang ditangani" in news and "Yang menangani: Pak Hendra." in news
