"""The weekly digest: figures that match the database, stored snapshots, text, chart, workbook, schedule, CLI."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.demo import BANDARKEDUNGMULYO_VILLAGE, KEBON_JAYANTI, seed_demo
from app.digest import drawing
from app.digest.chart import chart_png
from app.digest.figures import agent_named, build_figures
from app.digest.render import digest_text
from app.digest.service import plan_weekly_digests, snapshot
from app.digest.weeks import Week
from app.digest.workbook import workbook_xlsx
from app.media import MediaStore
from app.models import (
    Case,
    CaseEvent,
    Digest,
    Household,
    Meeting,
    MeetingMember,
    OutboundMessage,
    P2k2Group,
    Person,
    Reminder,
)
from app.outbox import refusal
from app.reminders.dispatch import dispatch_due
from conversations.types import MediaRef
from tests.conftest import FIXED_NOW, LOOPBACK, SECRET
from tests.workbooks import assert_forwardable

WEEK = Week.parse("2026-W48")  # Monday 23 – Sunday 29 November 2026
MONDAY_AFTER = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # 07:00 WIB
_numbers = iter(range(10_000, 99_999))


def at(day: int, hour: int = 3) -> datetime:
    """``day`` November 2026, ``hour`` UTC (10:00 WIB by default)."""
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC) if day <= 30 else datetime(2026, 12, day - 30, hour, 0, tzinfo=UTC)


def case(db, *, category: str, created: datetime, status: str = "new", area: str = KEBON_JAYANTI, closed: datetime | None = None,  # type: ignore[no-untyped-def]
         follow_up: date | None = None, household_id: int | None = None, answers: dict | None = None, name: str = "Bu X") -> Case:  # type: ignore[type-arg]
    row = Case(reference=f"KB-T{next(_numbers)}", kind="kpm_report", category=category, status=status, area_code=area,
               household_id=household_id, household_name=name, details={"answers": answers or {}}, created_at=created,
               updated_at=created, closed_at=closed,
               follow_up_at=datetime.combine(follow_up, datetime.min.time(), UTC) if follow_up else None)  # fmt: skip
    db.add(row)
    db.flush()
    return row


@pytest.fixture
def demo(database):  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    return database


def populate_week(database) -> None:  # type: ignore[no-untyped-def]
    """A known week in Kebon Jayanti, and a little of the week before and of another village."""
    with database.transaction() as db:
        dedi = db.scalars(select(Household).where(Household.head_name == "Pak Dedi")).one()
        lina = db.scalars(select(Person).where(Person.display_name == "Bu Lina")).one()
        case(db, category="kks_lost", created=at(23))
        case(db, category="kks_lost", created=at(24), status="in_progress", follow_up=date(2026, 11, 26))  # overdue by Sunday's end
        case(db, category="zero_balance", created=at(25), household_id=dedi.id)  # on the payment list
        case(db, category="zero_balance", created=at(25))  # not on the list
        case(db, category="ewarong", created=at(26), answers={"ewarong_agent": "agen  makmur", "ewarong_problem": "price"})
        case(db, category="ewarong", created=at(27), answers={"ewarong_agent": "Agen Makmur", "ewarong_problem": "quantity"})
        closed = case(db, category="pin_blocked", created=at(10), status="resolved", closed=at(28))
        case(db, category="kks_lost", created=at(29, 17))  # Monday 30 00:00 WIB: next week
        case(db, category="kks_lost", created=at(17))  # the week before, still open (12 days old)
        case(db, category="kks_lost", created=at(24), area="32.73.07.1001")  # another village
        db.add(CaseEvent(case_id=closed.id, at=at(28), actor_person_id=lina.id, kind="status_changed", note="", data={}))
        group = db.scalars(select(P2k2Group).where(P2k2Group.name == "Mawar 1")).one()
        held = Meeting(kind="p2k2", area_code=KEBON_JAYANTI, timezone="Asia/Jakarta", starts_at=at(28, 2), place="Rumah Bu Ani",
                       group_id=group.id, status="held", organizer_person_id=lina.id, version=1, note="", details={},
                       created_at=at(20), updated_at=at(28))  # fmt: skip
        coming = Meeting(kind="p2k2", area_code=KEBON_JAYANTI, timezone="Asia/Jakarta", starts_at=at(35, 2), place="Balai RW",
                         group_id=group.id, status="scheduled", organizer_person_id=lina.id, version=1, note="", details={},
                         created_at=at(28), updated_at=at(28))  # fmt: skip
        db.add_all([held, coming])
        db.flush()
        members = db.scalars(select(Household.id).where(Household.group_name == "Mawar 1")).all()
        for n, household_id in enumerate(members):
            db.add(MeetingMember(meeting_id=held.id, household_id=household_id, attendance="absent" if n == 0 else "present"))


def test_the_figures_match_the_database(demo) -> None:  # type: ignore[no-untyped-def]
    populate_week(demo)
    with demo.transaction() as db:
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    assert figures["new_by_category"] == {"ewarong": 2, "kks_lost": 2, "zero_balance": 2}
    assert figures["previous_new_by_category"] == {"kks_lost": 1}
    assert (figures["closed"], figures["previous_closed"]) == (1, 0)
    # open at Sunday's end: not the case opened on Monday 30 (it was counted before, as open "now")
    assert figures["open_total"] == 7 and figures["open_by_status"] == {"new": 6, "in_progress": 1}
    assert figures["open_by_age"] == {"under_7": 6, "7_to_30": 1, "over_30": 0}
    assert figures["unassigned"] == 7 and figures["until"] is None  # a whole week, nobody assigned in this data
    assert figures["overdue"] == 1 and figures["overdue_top"][0][3] == "2026-11-26"
    assert figures["zero_balance"] == {"on_list": 1, "not_on_list": 1}
    assert figures["ewarong_by_agent"] == {"Agen Makmur": 2}
    assert figures["ewarong_by_t"] == {"price": 1, "quantity": 1}
    assert figures["p2k2"] == {"held": 1, "present": 4, "expected": 5}
    assert [(c["kind"], c["day"], c["start"]) for c in figures["coming"]] == [("p2k2", "2026-12-05", "09:00")]
    assert figures["companions"] == [{"name": "Bu Lina", "actions": 1, "opened": 0}]
    assert [w["week"] for w in figures["weeks"]][-1] == "2026-W48" and len(figures["weeks"]) == 8
    assert figures["weeks"][-1] == {"week": "2026-W48", "opened": {"kks_lost": 2, "zero_balance": 2, "ewarong": 2}, "closed": 1}
    with demo.transaction() as db:
        listed = {row[0] for row in figures["cases"]}
        open_or_this_week = db.scalar(
            select(func.count()).select_from(Case).where(Case.area_code == KEBON_JAYANTI, Case.created_at < at(30, 17))
        )
    assert len(listed) == open_or_this_week - 1  # all but the case opened next week
    assert all(row[6] == "" or "*" in row[6] for row in figures["cases"])  # NIK masked


def test_a_digest_is_a_snapshot(demo) -> None:  # type: ignore[no-untyped-def]
    populate_week(demo)
    with demo.transaction() as db:
        first = snapshot(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
        case(db, category="kks_lost", created=at(25))  # recorded late, after the digest went out
    with demo.transaction() as db:
        again = snapshot(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER + timedelta(days=1))
        assert db.scalar(select(func.count()).select_from(Digest)) == 1
    assert again == first and sum(again["new_by_category"].values()) == 6


def test_the_text_is_short_and_shows_changes(demo, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    populate_week(demo)
    with demo.transaction() as db:
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    text = digest_text(figures, catalog_translators["id"], "id")
    assert text.startswith("Ringkasan mingguan Kebon Jayanti, 23 November 2026 – 29 November 2026")
    assert "Laporan baru: 6 (+5)" in text and "Selesai atau ditutup: 1 (+1)" in text
    assert "Saldo kosong: 2 (1 masih di daftar bayar, 1 tidak di daftar) (+2)" in text
    assert "P2K2: 1 pertemuan, kehadiran 80%" in text and "Sab 5 Des 09.00 P2K2 Mawar 1 (Kebon Jayanti)" in text
    english = digest_text(figures, catalog_translators["en"], "en")
    assert english.startswith("Weekly summary Kebon Jayanti") and "New reports: 6 (+5)" in english


def test_a_quiet_area_gets_a_short_digest_and_a_busy_one_a_readable_one(demo, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    t = catalog_translators["id"]
    with demo.transaction() as db:
        quiet = build_figures(db, area_code="32.73.27.1004", week=WEEK, now=MONDAY_AFTER)
        for n in range(300):
            case(db, category=("kks_lost", "zero_balance", "ewarong", "other", "pin_blocked", "deceased", "not_listed")[n % 7],
                 created=at(23 + n % 7), follow_up=date(2026, 11, 24), answers={"ewarong_agent": f"Agen {n % 9}"})  # fmt: skip
        busy = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    assert digest_text(quiet, t, "id").count("\n") == 1 and "Tidak ada yang baru" in digest_text(quiet, t, "id")
    text = digest_text(busy, t, "id")
    assert len(text) < 1600 and "lainnya di lembar kerja" in text  # fits one WhatsApp message
    workbook = load_workbook(io.BytesIO(workbook_xlsx(busy, t, "id")))
    assert workbook.sheetnames[0] == "Ringkasan" and "Daftar kasus" in workbook.sheetnames
    assert workbook["Daftar kasus"].max_row == 301  # a heading and every case
    assert chart_png(busy, t, "id").startswith(b"\x89PNG")
    assert_forwardable(workbook["Daftar kasus"], rows=301)
    assert isinstance(workbook["Daftar kasus"]["B2"].value, datetime) and workbook["Daftar kasus"]["B2"].number_format == "dd/mm/yyyy"
    for title in workbook.sheetnames[1:]:
        assert_forwardable(workbook[title], rows=workbook[title].max_row)



def test_operators_get_the_digest_on_monday_at_seven_local_time_once(demo, settings, catalog_translators, tmp_path) -> None:  # type: ignore[no-untyped-def]
    populate_week(demo)
    media = MediaStore(tmp_path / "media", 10_000_000)

    def plan(moment: datetime) -> int:
        return plan_weekly_digests(demo, settings=settings, translators=catalog_translators, media=media, now=moment)

    assert plan(MONDAY_AFTER - timedelta(minutes=1)) == 0  # 06:59 WIB
    assert plan(MONDAY_AFTER) == 3  # the operators Pak Hendra (Pasteur) and Bu Yuni (Bandarkedungmulyo), Bu Rina (TKSK)
    assert plan(MONDAY_AFTER + timedelta(hours=1)) == 0
    assert dispatch_due(demo, settings=settings, now=MONDAY_AFTER + timedelta(minutes=1)).queued == 3
    with demo.transaction() as db:
        rows = list(db.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "digest")))
        assert {r.body["text"].split("\n")[0] for r in rows} == {
            "Ringkasan mingguan Pasteur, 23 November 2026 – 29 November 2026",
            "Ringkasan mingguan Bandarkedungmulyo, 23 November 2026 – 29 November 2026",
            "Ringkasan mingguan Kecamatan Bandarkedungmulyo, 23 November 2026 – 29 November 2026",
        }
        assert all([m["mime_type"] for m in r.body["media"]] == ["image/png", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] for r in rows)
        assert db.scalar(select(func.count()).select_from(Reminder).where(Reminder.kind == "digest")) == 3



def test_a_reader_who_wrote_berhenti_gets_no_digest_drawn(demo, settings, catalog_translators, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """BERHENTI stops the digest at sending (``app.outbox.refusal``); its chart and workbook are not drawn either."""
    populate_week(demo)
    with demo.transaction() as db:
        hendra = db.scalars(select(Person).where(Person.display_name == "Pak Hendra")).one()
        hendra.opted_out_at = MONDAY_AFTER - timedelta(days=2)
    media = MediaStore(tmp_path / "media", 10_000_000)
    assert plan_weekly_digests(demo, settings=settings, translators=catalog_translators, media=media, now=MONDAY_AFTER) == 2
    with demo.transaction() as db:
        readers = {row.person_id for row in db.scalars(select(Reminder).where(Reminder.kind == "digest"))}
        assert hendra.id not in readers and len(readers) == 2
        assert "32.73.07.1001" not in {d.area_code for d in db.scalars(select(Digest))}  # Pasteur: nobody reads it


def test_a_monday_with_many_digests_draws_them_in_worker_processes_the_same(demo, settings, catalog_translators, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    populate_week(demo)
    monkeypatch.setattr(drawing, "POOL_FROM", 1)  # three readers are enough to start the pool
    media = MediaStore(tmp_path / "media", 10_000_000)
    assert plan_weekly_digests(demo, settings=settings, translators=catalog_translators, media=media, now=MONDAY_AFTER, processes=2) == 3
    with demo.transaction() as db:
        rows = list(db.scalars(select(Reminder).where(Reminder.kind == "digest")))
        snapshots = {d.area_code: d.figures for d in db.scalars(select(Digest))}
        areas = {row.key.split(":")[1]: row for row in rows}
        assert len(rows) == 3 and set(areas) == set(snapshots)
        for area, row in areas.items():
            person = db.get(Person, row.person_id)
            t = catalog_translators[person.locale]
            here = drawing.draw(snapshots[area], t, person.locale)  # drawn in this process
            assert row.body["text"] == here.text
            chart, workbook = (MediaStore.path_of(media, MediaRef(m["ref"], m["mime_type"])).read_bytes() for m in row.body["media"])
            assert chart == here.chart  # the same pixels, whichever process drew them
            sheets = [list(sheet.iter_rows(values_only=True)) for sheet in load_workbook(io.BytesIO(workbook)).worksheets]
            assert sheets == [list(sheet.iter_rows(values_only=True)) for sheet in load_workbook(io.BytesIO(here.workbook)).worksheets]


def test_a_drawing_that_fails_in_a_worker_fails_the_run_and_plans_nothing(demo, settings, catalog_translators, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    populate_week(demo)
    monkeypatch.setattr(drawing, "POOL_FROM", 1)
    with demo.transaction() as db:  # a stored snapshot the drawing cannot read
        db.add(Digest(area_code=BANDARKEDUNGMULYO_VILLAGE, week=WEEK.label, figures={"area": BANDARKEDUNGMULYO_VILLAGE}, created_at=MONDAY_AFTER))
    with pytest.raises(KeyError):  # raised in the worker, re-raised here: the scheduler logs it and tries again later
        plan_weekly_digests(demo, settings=settings, translators=catalog_translators, media=MediaStore(tmp_path, 10_000_000),
                            now=MONDAY_AFTER, processes=2)  # fmt: skip
    with demo.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Reminder).where(Reminder.key.like(f"digest:{BANDARKEDUNGMULYO_VILLAGE}:%"))) == 0

def test_ewarong_visits_are_counted(demo) -> None:  # type: ignore[no-untyped-def]
    from app.models import EwarongAgent, EwarongVisit

    with demo.transaction() as db:
        agent = db.scalars(select(EwarongAgent).where(EwarongAgent.area_code == KEBON_JAYANTI)).first()
        for prices_ok, failed in ((False, 3), (True, 0)):
            db.add(EwarongVisit(agent_id=agent.id, area_code=KEBON_JAYANTI, visited_at=at(25), prices_ok=prices_ok,
                                transactions_ok=40, transactions_failed=failed, created_at=at(25)))  # fmt: skip
        db.flush()
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    assert figures["ewarong_visits"] == {"visits": 2, "failed_t": {"price": 1}, "transactions_ok": 80, "transactions_failed": 3}


def test_ringkasan_in_the_chat_sends_the_digest_with_its_files(demo, runtime) -> None:  # type: ignore[no-untyped-def]
    """Mid-week (Saturday 10:00 WIB) "ringkasan" is this week so far: not stored, since the week is not over."""
    from app.pipeline import Pipeline
    from tests.integration.helpers import Chat

    populate_week(demo)
    hendra = "+6281300000004"
    Chat(Pipeline(demo, runtime), hendra, now=at(28) - timedelta(seconds=1)).send("ringkasan")
    with demo.transaction() as db:
        to_hendra = db.scalars(select(OutboundMessage).where(OutboundMessage.address == hendra)).all()
        [sent] = [m for m in to_hendra if m.body["text"].startswith("Ringkasan mingguan")]
        assert sent.purpose == "reply"  # asked for: an answer, not a broadcast
        assert sent.body["text"].startswith("Ringkasan mingguan Pasteur, minggu ini sampai Sabtu 28 November 2026 pukul 10.00 WIB")
        assert [m.get("filename", "") for m in sent.body["media"]] == [
            "ringkasan-32.73.07.1001-2026-W48-2026-11-28.png", "ringkasan-32.73.07.1001-2026-W48-2026-11-28.xlsx"]  # fmt: skip
        assert db.scalar(select(func.count()).select_from(Digest)) == 0


def test_ringkasan_is_answered_after_berhenti_too(demo, runtime) -> None:  # type: ignore[no-untyped-def]
    """BERHENTI stops Monday's digest; a digest asked for with "ringkasan" is still an answer to what they wrote."""
    from app.pipeline import Pipeline
    from tests.integration.helpers import Chat

    populate_week(demo)
    hendra = Chat(Pipeline(demo, runtime), "+6281300000004", now=at(28))
    hendra.send("berhenti")
    hendra.send("ringkasan")
    with demo.transaction() as db:
        last = db.scalars(select(OutboundMessage).where(OutboundMessage.address == "+6281300000004").order_by(OutboundMessage.id.desc())).first()
        opted_out = db.scalars(select(Person).where(Person.phone == "+6281300000004")).one().opted_out_at is not None
    assert opted_out and last is not None and last.body["text"].startswith("Ringkasan mingguan Pasteur")
    assert refusal(last.purpose, opted_out=True) == ""  # the delivery worker sends it


def test_the_simulator_shows_the_digest_with_its_chart_and_workbook(demo, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from app.clock import Clock
    from app.web import create_app

    populate_week(demo)
    clock = Clock(MONDAY_AFTER + timedelta(hours=2) - datetime.now(UTC))
    app = create_app(settings.model_copy(update={"media_dir": tmp_path / "media"}), clock=clock, database=demo, background=False)
    with TestClient(app, client=LOOPBACK) as client:
        response = client.post("/simulator/messages", json={"phone": "+6281300000004", "client_id": "sim-digest-1", "text": "ringkasan"})
        [reply] = response.json()["replies"]
        assert reply["text"].startswith("Ringkasan mingguan Pasteur")
        chart, workbook = (client.get(media["url"]) for media in reply["media"])
        assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
        assert workbook.status_code == 200 and workbook.content.startswith(b"PK")
        assert client.get("/simulator/media/" + "0" * 64 + ".png").status_code == 404
        assert client.get("/simulator/media/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_every_complaint_of_a_report_is_counted(demo) -> None:  # type: ignore[no-untyped-def]
    """"Beras apek dan telur mahal" is one report naming two of the 6 T: the digest counts both."""
    with demo.transaction() as db:
        case(db, category="ewarong", created=at(26), answers={
            "ewarong_agent": "Agen Makmur", "ewarong_problem": "quality", "ewarong_problems": "quality price"})
        case(db, category="ewarong", created=at(27), answers={"ewarong_agent": "Agen Makmur", "ewarong_problem": "price"})
        case(db, category="ewarong", created=at(27), answers={"ewarong_agent": "Agen Makmur"})
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    assert figures["ewarong_by_t"] == {"price": 2, "quality": 1, "records": 1}


def test_an_agent_the_household_did_not_know_is_counted_as_unnamed() -> None:
    assert [agent_named(answer) for answer in ("agen  makmur", "[tidak tahu]", "")] == ["Agen Makmur", "-", "-"]
