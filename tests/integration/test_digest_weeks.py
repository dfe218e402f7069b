"""Which week a digest counts and as of when: this week so far on request, the whole last week on Monday; cases
as they stood at the end of the week; changes against the ISO week just before; unassigned cases first; a chart
that starts at zero and keeps its labels."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from matplotlib.image import imread
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.demo import KEBON_JAYANTI, PASTEUR, RANCANUMPANG
from app.digest.chart import HEIGHT, WIDTH, chart_data, chart_png, draw_chart
from app.digest.figures import build_figures
from app.digest.render import digest_text
from app.digest.service import send_digest_now, snapshot
from app.digest.weeks import Week
from app.digest.workbook import workbook_xlsx
from app.media import MediaStore
from app.models import CaseEvent, Digest, OutboundMessage, Person
from tests.integration.test_digest import MONDAY_AFTER, WEEK, at, case, demo, populate_week  # noqa: F401 - demo is a fixture

SATURDAY_0900_WIB = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
HENDRA = "+6281300000004"  # operator of Pasteur


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def test_mid_week_figures_are_this_week_so_far(demo) -> None:  # type: ignore[no-untyped-def]
    """Saturday 09:00 WIB: what came in since Monday; cases as they stand at that moment."""
    populate_week(demo)
    with demo.transaction() as db:
        week = Week.containing(SATURDAY_0900_WIB, "Asia/Jakarta")
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=week, now=SATURDAY_0900_WIB)
    assert week == WEEK and figures["until"] == "2026-11-28T09:00+07:00"
    assert figures["new_by_category"] == {"ewarong": 2, "kks_lost": 2, "zero_balance": 2}
    assert figures["closed"] == 0  # the PIN case is closed at 10:00, after the moment counted: still open then
    assert figures["open_total"] == 8 and figures["open_by_status"] == {"new": 6, "in_progress": 2}
    assert figures["p2k2"]["held"] == 0  # the session is at 09:00, not before
    assert figures["weeks"][-1] == {"week": "2026-W48", "opened": {"kks_lost": 2, "zero_balance": 2, "ewarong": 2}, "closed": 0}
    assert figures["coming"] == []  # the next 7 days: Saturday 5 December 09:00 is just outside


def test_ringkasan_mid_week_sends_this_week_so_far_and_offers_last_week(demo, settings, runtime, catalog_translators, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The tester's Saturday: two reports came in this week; "ringkasan" shows them, labelled as the week so far,
    and stores nothing; "ringkasan lalu" sends the last complete week, stored like Monday's."""
    from app.pipeline import Pipeline
    from tests.integration.helpers import Chat

    with demo.transaction() as db:
        case(db, category="kks_lost", created=at(24), area=PASTEUR)
        case(db, category="pin_blocked", created=at(27), area=PASTEUR)
        case(db, category="kks_lost", created=at(18), area=PASTEUR)  # last week
    Chat(Pipeline(demo, runtime), HENDRA, now=SATURDAY_0900_WIB).send("ringkasan")
    with demo.transaction() as db:
        [sent] = [m for m in db.scalars(select(OutboundMessage).where(OutboundMessage.address == HENDRA)) if m.body["media"]]
        text = sent.body["text"]
        assert db.scalar(select(func.count()).select_from(Digest)) == 0  # the week is not over: nothing stored
    assert lines_of(text)[0] == "Ringkasan mingguan Pasteur, minggu ini sampai Sabtu 28 November 2026 pukul 09.00 WIB"
    assert "Laporan baru: 2 (+1)" in text  # against the whole of last week
    assert lines_of(text)[-1] == "Ketik RINGKASAN LALU untuk minggu lalu."
    english = digest_text(_figures_for(demo, PASTEUR, WEEK, SATURDAY_0900_WIB), catalog_translators["en"], "en")
    assert "28 November 2026" in lines_of(english)[0] and "09:00 WIB" in lines_of(english)[0]

    media = MediaStore(tmp_path / "media", 10_000_000)
    with demo.transaction() as db:
        hendra = db.scalars(select(Person).options(selectinload(Person.roles)).where(Person.phone == HENDRA)).one()
        assert send_digest_now(db, person=hendra, settings=settings, translators=catalog_translators, media=media,
                               now=SATURDAY_0900_WIB + timedelta(minutes=1), key="asked-last", last_week=True) == 1  # fmt: skip
    with demo.transaction() as db:
        last = db.scalars(select(OutboundMessage).where(OutboundMessage.address == HENDRA).order_by(OutboundMessage.id.desc())).first()
        assert lines_of(last.body["text"])[0] == "Ringkasan mingguan Pasteur, 16 November 2026 – 22 November 2026"
        assert "Laporan baru: 1" in last.body["text"] and "RINGKASAN LALU" not in last.body["text"]
        assert db.scalar(select(Digest.week).where(Digest.area_code == PASTEUR)) == "2026-W47"


def test_the_week_so_far_is_in_the_readers_time_zone(demo, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    """Sunday 23:30 UTC is already Monday in Makassar (WITA): a new week there, the end of one in Jakarta."""
    from app.areas.timezones import WITA
    from app.models import Area

    moment = datetime(2026, 11, 29, 16, 30, tzinfo=UTC)  # Sunday 23:30 WIB, Monday 00:30 WITA
    with demo.transaction() as db:
        area = db.get(Area, PASTEUR)
        assert area is not None
        jakarta = build_figures(db, area_code=PASTEUR, week=Week.containing(moment, area.timezone), now=moment)
        jakarta_zone, area.timezone = area.timezone, WITA
        db.flush()
        makassar = build_figures(db, area_code=PASTEUR, week=Week.containing(moment, WITA), now=moment)
        area.timezone = jakarta_zone  # areas outlive a test on PostgreSQL (they are not emptied between tests)
    t = catalog_translators["id"]
    assert lines_of(digest_text(jakarta, t, "id"))[0] == "Ringkasan mingguan Pasteur, minggu ini sampai Minggu 29 November 2026 pukul 23.30 WIB"
    assert lines_of(digest_text(makassar, t, "id"))[0] == "Ringkasan mingguan Pasteur, minggu ini sampai Senin 30 November 2026 pukul 00.30 WITA"


def test_the_monday_digest_is_still_the_whole_week_before(demo) -> None:  # type: ignore[no-untyped-def]
    populate_week(demo)
    with demo.transaction() as db:
        figures = snapshot(db, area_code=KEBON_JAYANTI, week=Week.last_complete(MONDAY_AFTER, "Asia/Jakarta"), now=MONDAY_AFTER)
        assert figures["week"] == "2026-W48" and figures["until"] is None
        assert db.scalar(select(func.count()).select_from(Digest)) == 1


def test_cases_opened_after_the_week_are_not_open_in_it(demo) -> None:  # type: ignore[no-untyped-def]
    """Week 47 (16–22 November), built on 30 November: cases stand as they did on Sunday 22 at midnight."""
    w47 = WEEK.shifted(-1)
    with demo.transaction() as db:
        case(db, category="kks_lost", created=at(17), name="Open in 47")
        case(db, category="kks_lost", created=at(24), name="Opened in 48")  # not in week 47 at all
        case(db, category="kks_lost", created=at(29, 17), name="Opened on 30")
        later = case(db, category="pin_blocked", created=at(2), status="resolved", closed=at(25), name="Closed in 48")
        db.add(CaseEvent(case_id=later.id, at=at(12), actor_person_id=None, kind="status_changed", note="", data={"status": ["new", "referred"]}))
        db.add(CaseEvent(case_id=later.id, at=at(25), actor_person_id=None, kind="status_changed", note="", data={"status": ["referred", "resolved"]}))
        case(db, category="other", created=at(3), status="closed_unresolved", closed=at(20), name="Closed in 47")
        case(db, category="other", created=at(18), follow_up=date(2026, 11, 20), name="Overdue by 22")
        case(db, category="other", created=at(18), follow_up=date(2026, 11, 25), name="Due in 48")
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=w47, now=MONDAY_AFTER)
    assert figures["open_total"] == 4  # open in 47, closed only in 48 (was referred then), both follow-ups
    assert figures["open_by_status"] == {"new": 3, "referred": 1}
    assert figures["open_by_age"] == {"under_7": 3, "7_to_30": 1, "over_30": 0}  # ages at 22 November's end
    assert figures["overdue"] == 1 and figures["overdue_top"][0][1] == "Overdue by 22"
    assert figures["closed"] == 1 and figures["new_by_category"] == {"other": 2, "kks_lost": 1}
    listed = {row[5]: row[3] for row in figures["cases"]}
    assert listed == {"Open in 47": "new", "Closed in 48": "referred", "Closed in 47": "closed_unresolved",
                      "Overdue by 22": "new", "Due in 48": "new"}  # fmt: skip


def test_week_on_week_compares_with_the_stored_week_just_before(demo, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    """Weeks 45, 46 and 47 stored with different numbers: week 48 is compared with 47, each with its own week before."""
    weeks = [WEEK.shifted(n) for n in (-3, -2, -1, 0)]
    opened_per_week, closed_per_week = (1, 2, 4, 7), (0, 1, 3, 2)
    with demo.transaction() as db:
        for week, opened, closed in zip(weeks, opened_per_week, closed_per_week, strict=True):
            monday = datetime.combine(week.monday, datetime.min.time(), UTC) + timedelta(hours=3)
            for n in range(opened):
                case(db, category="kks_lost", created=monday + timedelta(hours=n))
            for n in range(closed):
                case(db, category="other", created=monday - timedelta(days=40), status="resolved", closed=monday + timedelta(days=1, hours=n))
    stored = {}
    for week in weeks[:3]:
        with demo.transaction() as db:
            stored[week.label] = snapshot(db, area_code=KEBON_JAYANTI, week=week, now=MONDAY_AFTER)
    with demo.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Digest)) == 3
        case(db, category="kks_lost", created=at(18))  # recorded late, after week 47's digest went out
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    w45, w46, w47 = (stored[week.label] for week in weeks[:3])
    assert [sum(f["new_by_category"].values()) for f in (w45, w46, w47, figures)] == [1, 2, 4, 7]
    assert [f["closed"] for f in (w45, w46, w47, figures)] == [0, 1, 3, 2]
    # open at each week's end: the cases opened so far and not closed by then (those closed later included)
    assert [f["open_total"] for f in (w45, w46, w47, figures)] == [7, 8, 9, 15]
    for later, earlier in ((w46, w45), (w47, w46), (figures, w47)):
        assert later["previous_new_by_category"] == earlier["new_by_category"]
        assert later["previous_closed"] == earlier["closed"]
        assert later["previous_open_total"] == earlier["open_total"]
        assert later["previous_unassigned"] == earlier["unassigned"]
        assert later["previous_overdue"] == earlier["overdue"]
    text = digest_text(figures, catalog_translators["id"], "id")
    assert "Laporan baru: 7 (+3)" in text and "Selesai atau ditutup: 2 (−1)" in text and "Kasus terbuka: 15 (+6)" in text
    summary = list(load_workbook(io.BytesIO(workbook_xlsx(figures, catalog_translators["id"], "id")))["Ringkasan"].iter_rows(values_only=True))
    assert ("Kasus terbuka", 15, 9) in [row[:3] for row in summary]


def test_without_a_stored_week_before_the_same_measures_are_computed(demo) -> None:  # type: ignore[no-untyped-def]
    populate_week(demo)
    with demo.transaction() as db:
        before = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK.shifted(-1), now=MONDAY_AFTER)
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
        # a digest stored before unassigned cases were counted: what it has is used, the rest computed
        db.add(Digest(area_code=KEBON_JAYANTI, week=WEEK.shifted(-1).label, created_at=MONDAY_AFTER,
                      figures={k: v for k, v in before.items() if k != "unassigned"} | {"open_total": 40}))  # fmt: skip
        db.flush()
        mixed = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    assert (figures["previous_open_total"], figures["previous_unassigned"], figures["previous_closed"]) == (
        before["open_total"], before["unassigned"], before["closed"])  # fmt: skip
    assert before["open_total"] == 2 and before["unassigned"] == 2  # week 47: the case of the 17th and the PIN case
    assert (mixed["previous_open_total"], mixed["previous_unassigned"]) == (40, 2)


def test_unassigned_cases_are_counted_and_listed_first(demo, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    t = catalog_translators["id"]
    with demo.transaction() as db:
        lina = db.scalars(select(Person).where(Person.display_name == "Bu Lina")).one()
        for day, name, assignee in ((23, "Bu Satu", lina.id), (24, "Bu Dua", None), (25, "Bu Tiga", lina.id), (26, "Bu Empat", None)):
            row = case(db, category="kks_lost", created=at(day), name=name)
            row.assignee_person_id = assignee
        case(db, category="other", created=at(24), status="resolved", closed=at(25), name="Bu Tutup")  # closed: not waiting
        db.flush()
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    assert figures["unassigned"] == 2 and [row[1] for row in figures["unassigned_top"]] == ["Bu Dua", "Bu Empat"]
    assert figures["previous_unassigned"] == 0
    text = lines_of(digest_text(figures, t, "id"))
    dua, empat = (row[0] for row in figures["unassigned_top"])
    assert text[1:5] == ["", "Belum ada pendamping: 2 (+2)", f"- {dua} Bu Dua (sejak Sel 24 Nov)", f"- {empat} Bu Empat (sejak Kam 26 Nov)"]
    assert text.index("Belum ada pendamping: 2 (+2)") < text.index("Laporan baru: 5 (+5)")
    book = load_workbook(io.BytesIO(workbook_xlsx(figures, t, "id")))
    listed = [row[5] for row in book["Daftar kasus"].iter_rows(min_row=2, values_only=True)]
    assert listed == ["Bu Dua", "Bu Empat", "Bu Satu", "Bu Tutup", "Bu Tiga"]
    summary = [row[:3] for row in book["Ringkasan"].iter_rows(values_only=True)]
    assert summary[summary.index(("Angka", "Minggu ini", "Minggu lalu")) + 1] == ("Belum ada pendamping", 2, 0)
    assert next(book["Kasus terbuka"].iter_rows(min_row=2, values_only=True)) == ("Belum ada pendamping", 2)


def test_an_empty_chart_starts_at_zero_and_keeps_every_label(demo, catalog_translators, tmp_path) -> None:  # type: ignore[no-untyped-def]
    t = catalog_translators["id"]
    with demo.transaction() as db:
        figures = build_figures(db, area_code=RANCANUMPANG, week=WEEK, now=MONDAY_AFTER)
    assert all(not w["opened"] and not w["closed"] for w in figures["weeks"]) and len(figures["weeks"]) == 8
    chart = chart_data(figures, t, "id")
    assert chart.y_top >= 1
    assert chart.y_ticks == [0, 1]  # whole cases, not −0.04 to 0.04
    assert chart.closed == [0] * 8 and not chart.bars
    _assert_every_label_inside(chart)
    png = chart_png(figures, t, "id")
    (tmp_path / "empty.png").write_bytes(png)
    _assert_nothing_cut_off(png)


def test_a_busy_chart_keeps_its_labels_too(demo, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    with demo.transaction() as db:
        for n in range(400):
            case(db, category=("kks_lost", "zero_balance", "ewarong", "other", "pin_blocked", "deceased", "not_listed")[n % 7],
                 created=at(23 + n % 7) - timedelta(weeks=n % 8), status="resolved", closed=at(23 + n % 7))  # fmt: skip
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    for locale in ("id", "en"):
        chart = chart_data(figures, catalog_translators[locale], locale)
        highest = max(max(sum(w["opened"].values()), w["closed"]) for w in figures["weeks"])
        assert chart.y_ticks[0] == 0 and chart.y_top >= highest == 400  # the closed line: all 400 closed in the last week
        assert chart.y_ticks == sorted(set(chart.y_ticks)) and all(isinstance(tick, int) for tick in chart.y_ticks)
        assert len(chart.bars) == 6 and chart.bars[-1].name == catalog_translators[locale]("Lainnya")  # five and the rest
        assert [sum(week) for week in zip(*(bar.counts for bar in chart.bars), strict=True)] == [sum(w["opened"].values()) for w in figures["weeks"]]
        _assert_every_label_inside(chart)
        _assert_nothing_cut_off(chart_png(figures, catalog_translators[locale], locale))


def test_a_long_area_name_still_fits(demo, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    with demo.transaction() as db:
        figures = build_figures(db, area_code=KEBON_JAYANTI, week=WEEK, now=MONDAY_AFTER)
    figures["area_name"] = "Kecamatan " + "Bandarkedungmulyo " * 6
    chart = chart_data(figures, catalog_translators["en"], "en")
    drawn = _assert_every_label_inside(chart)
    assert drawn.texts["title"][2] - drawn.texts["title"][0] > WIDTH / 2  # shrunk or cut short, not dropped
    _assert_nothing_cut_off(chart_png(figures, catalog_translators["en"], "en"))


def _assert_every_label_inside(chart):  # type: ignore[no-untyped-def]
    """Title, axis labels, tick labels and legend all lie within the image, clear of its edge."""
    drawn = draw_chart(chart)
    assert drawn.image.size == (WIDTH, HEIGHT)
    names = set(drawn.texts)
    assert {"title", "x_label", "y_label"} <= names
    assert {f"tick:y:{tick}" for tick in chart.y_ticks} | {f"tick:x:{n}" for n in range(len(chart.weeks))} <= names
    assert sum(name.startswith("legend:") for name in names) == 1 + len(chart.bars)  # the closed line and each bar colour
    for name, (left, top, right, bottom) in drawn.texts.items():
        assert 0 < left < right < WIDTH and 0 < top < bottom < HEIGHT, name
    return drawn


def _assert_nothing_cut_off(png: bytes) -> None:
    """The saved PNG has a white border all round: nothing drawn reaches (and so runs past) its edge."""
    pixels = imread(io.BytesIO(png), format="png")
    height, width = pixels.shape[:2]
    assert width >= 700 and height >= 400
    for edge in (pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]):
        assert (edge[:, :3] == 1.0).all()


def _figures_for(database, area_code: str, week: Week, now: datetime):  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return build_figures(db, area_code=area_code, week=week, now=now)
