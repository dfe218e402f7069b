"""Digests and case exports in the console: each reader's weeks, the digest page with its chart and workbook, case
exports with a kecamatan column for a city, workbooks fit to forward, and nothing outside the reader's areas."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.clock import Clock
from app.db import Database
from app.demo import BANDARKEDUNGMULYO_VILLAGE, KEBON_JAYANTI, PASTEUR
from app.digest.service import snapshot
from app.digest.weeks import Week
from app.models import AuditEntry, Case, Digest, Person
from tests.web.console import ADMIN_KOTA, BU_RINA, PAK_ASEP, PAK_HENDRA, csrf_of, demo_client, sign_in
from tests.workbooks import assert_forwardable

MONDAY = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # Monday 30 November 2026, 10:00 WIB: week 48 is over, 49 begins
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_numbers = iter(range(1000, 9999))


class StoppedClock(Clock):
    """Stands still at ``moment`` (pages print the minute: a slow run must not cross one)."""

    def __init__(self, moment: datetime) -> None:
        super().__init__()
        self.moment = moment

    def now(self) -> datetime:
        return self.moment + self.offset


def fixed_clock(moment: datetime = MONDAY) -> Clock:
    return StoppedClock(moment)


_opened: list[Database] = []


@pytest.fixture(autouse=True)
def _dispose_databases() -> Iterator[None]:
    """Each test's own database handles are closed after it (PostgreSQL warns of connections left open)."""
    yield
    while _opened:
        _opened.pop().dispose()


def add_case(database: Database, area: str, created: datetime, *, name: str, category: str = "kks_lost") -> str:
    reference = f"KB-W{next(_numbers)}"
    with database.transaction() as db:
        db.add(Case(reference=reference, kind="kpm_report", category=category, status="new", area_code=area,
                    household_name=name, details={"answers": {}}, created_at=created, updated_at=created,
                    follow_up_at=created + timedelta(days=2)))  # fmt: skip
    return reference


def populate(settings) -> Database:  # type: ignore[no-untyped-def]
    """Cases in Pasteur (Kecamatan Sukajadi) and Kebon Jayanti (Kecamatan Kiaracondong), Kota Bandung, in week 48
    (23–29 November) and one in Jombang; week 46's digest of Pasteur stored, as Monday's digest would have."""
    database = Database(settings)
    _opened.append(database)
    add_case(database, PASTEUR, datetime(2026, 11, 24, 3, tzinfo=UTC), name="Bu Satu")
    add_case(database, PASTEUR, datetime(2026, 11, 26, 3, tzinfo=UTC), name="Bu Dua", category="zero_balance")
    add_case(database, KEBON_JAYANTI, datetime(2026, 11, 27, 3, tzinfo=UTC), name="Bu Tiga")
    add_case(database, BANDARKEDUNGMULYO_VILLAGE, datetime(2026, 11, 25, 3, tzinfo=UTC), name="Bu Jombang")
    with database.transaction() as db:
        snapshot(db, area_code=PASTEUR, week=Week.parse("2026-W46"), now=datetime(2026, 11, 16, 3, tzinfo=UTC))
    return database


def actions(database: Database, action: str) -> list[AuditEntry]:
    with database.transaction() as db:
        rows = list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
        db.expunge_all()
    return rows



def test_an_operator_reads_his_villages_weeks_with_chart_and_workbook(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings, fixed_clock()) as client:
        database = populate(settings)
        sign_in(client, PAK_HENDRA)
        listed = client.get("/console/ringkasan")
        assert listed.status_code == 200 and "Pasteur" in listed.text and "Kota Bandung" not in listed.text
        links = re.findall(r'href="(/console/ringkasan/[^"]+)"', listed.text)
        assert links == [f"/console/ringkasan/{PASTEUR}/2026-W49", f"/console/ringkasan/{PASTEUR}/2026-W48", f"/console/ringkasan/{PASTEUR}/2026-W46"]
        assert "Minggu ini sejauh ini" in listed.text and "Minggu lalu" in listed.text

        page = client.get(f"/console/ringkasan/{PASTEUR}/2026-W48")
        assert page.status_code == 200
        assert "<h1>Ringkasan mingguan Pasteur, 23 November 2026 – 29 November 2026</h1>" in page.text
        assert "Laporan baru: 2 (+2)" in page.text and "Kartu KKS hilang: 1" in page.text
        assert "menyusul" not in page.text  # the chat's "files follow": here they are on the page
        alt = re.search(r'<img class="media" src="([^"]+)" alt="([^"]+)"', page.text)
        assert alt and alt.group(1) == f"/console/ringkasan/{PASTEUR}/2026-W48/grafik.png"
        assert "di Pasteur, 8 minggu" in alt.group(2) and "Dibuka: 0, 0, 0, 0, 0, 0, 0, 2 (jumlah 2)" in alt.group(2)
        with database.transaction() as db:  # the last complete week is stored when first asked for, as in chat
            assert db.scalar(select(func.count()).select_from(Digest).where(Digest.area_code == PASTEUR, Digest.week == "2026-W48")) == 1

        chart = client.get(f"/console/ringkasan/{PASTEUR}/2026-W48/grafik.png")
        assert chart.status_code == 200 and chart.headers["content-type"] == "image/png" and chart.content.startswith(b"\x89PNG")
        assert chart.headers["content-disposition"] == f'inline; filename="ringkasan-{PASTEUR}-2026-W48.png"'
        workbook = client.get(f"/console/ringkasan/{PASTEUR}/2026-W48/lembar-kerja.xlsx")
        assert workbook.status_code == 200 and workbook.headers["content-type"] == XLSX
        assert workbook.headers["content-disposition"] == f'attachment; filename="ringkasan-{PASTEUR}-2026-W48.xlsx"'
        assert workbook.headers["cache-control"] == "no-store"
        book = load_workbook(io.BytesIO(workbook.content))
        cases = book["Daftar kasus"]
        assert [c.value for c in cases[1]][:5] == ["Nomor", "Tanggal lapor", "Masalah", "Status", "Desa/kelurahan"]  # a village: no kecamatan
        assert sorted(row[5] for row in cases.iter_rows(min_row=2, values_only=True)) == ["Bu Dua", "Bu Satu"]
        assert isinstance(cases["B2"].value, datetime) and cases["B2"].number_format == "dd/mm/yyyy"
        assert_forwardable(cases, rows=3)

        so_far = client.get(f"/console/ringkasan/{PASTEUR}/2026-W49")
        assert so_far.status_code == 200
        assert re.findall(r"<h1>(.*?)</h1>", so_far.text) == ["Ringkasan mingguan Pasteur, minggu ini sampai Senin 30 November 2026 pukul 10.00 WIB"]
        assert f'download="ringkasan-{PASTEUR}-2026-W49-2026-11-30.xlsx"' in so_far.text
        for week in ("2026-W40", "2026-W50", "minggu-ini"):  # no digest stored, still to come, not a week
            assert client.get(f"/console/ringkasan/{PASTEUR}/{week}").status_code == 404
        client.cookies.clear()  # signed out: no file either
        assert client.get(f"/console/ringkasan/{PASTEUR}/2026-W48/lembar-kerja.xlsx").status_code == 401
        assert client.get(f"/console/ringkasan/{PASTEUR}/2026-W48/grafik.png").status_code == 401
    assert [(row.subject_id, row.details["week"]) for row in actions(database, "digest_viewed")] == [(PASTEUR, "2026-W48"), (PASTEUR, "2026-W49")]
    assert len(actions(database, "digest_workbook_downloaded")) == 1
    assert actions(database, "digest_access_denied") == []


def test_the_city_admin_reads_the_city_digest_and_exports_with_kecamatan(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings, fixed_clock()) as client:
        database = populate(settings)
        sign_in(client, ADMIN_KOTA)
        listed = client.get("/console/ringkasan")
        assert listed.status_code == 200 and 'href="/console/ringkasan/32.73/2026-W48"' in listed.text
        assert '<option value="32.73.07">— Kecamatan Sukajadi</option>' in listed.text
        kecamatan = client.get("/console/ringkasan", params={"wilayah": "32.73.07"})
        assert kecamatan.status_code == 200 and 'href="/console/ringkasan/32.73.07/2026-W48"' in kecamatan.text
        page = client.get("/console/ringkasan/32.73/2026-W48")
        assert page.status_code == 200 and "Ringkasan mingguan Kota Bandung" in page.text and "Laporan baru: 3" in page.text
        assert client.get(f"/console/ringkasan/{PASTEUR}/2026-W48").status_code == 200  # a village of the city

        workbook = client.get("/console/ringkasan/32.73/2026-W48/lembar-kerja.xlsx")
        assert workbook.headers["content-disposition"] == 'attachment; filename="ringkasan-32.73-2026-W48.xlsx"'
        cases = load_workbook(io.BytesIO(workbook.content))["Daftar kasus"]
        assert [c.value for c in cases[1]][3:6] == ["Status", "Kecamatan", "Desa/kelurahan"]
        assert sorted(row[4:6] for row in cases.iter_rows(min_row=2, values_only=True)) == [
            ("Kiaracondong", "Kebon Jayanti"), ("Sukajadi", "Pasteur"), ("Sukajadi", "Pasteur")]  # fmt: skip
        assert_forwardable(cases, rows=4)

        csrf = csrf_of(listed.text)
        assert 'name="dari" type="date" value="2026-11-01"' in listed.text and 'value="2026-11-30"' in listed.text  # this month
        export = client.post("/console/ringkasan/ekspor", data={"csrf": csrf, "wilayah": "32.73", "dari": "2026-11-01", "sampai": "2026-11-30"})
        assert export.status_code == 200 and export.headers["content-type"] == XLSX
        assert export.headers["content-disposition"] == 'attachment; filename="kasus-32.73-2026-11.xlsx"'
        sheet = load_workbook(io.BytesIO(export.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:6] == ("Nomor", "Tanggal lapor", "Masalah", "Status", "Kecamatan", "Desa/kelurahan")
        assert sorted((row[4], row[6]) for row in rows[1:]) == [("Kiaracondong", "Bu Tiga"), ("Sukajadi", "Bu Dua"), ("Sukajadi", "Bu Satu")]
        assert all(isinstance(row[1], datetime) for row in rows[1:])
        assert_forwardable(sheet, rows=4)
        part = client.post("/console/ringkasan/ekspor", data={"csrf": csrf, "wilayah": PASTEUR, "dari": "2026-11-25", "sampai": "2026-11-30"})
        assert part.headers["content-disposition"] == f'attachment; filename="kasus-{PASTEUR}-2026-11-25-2026-11-30.xlsx"'
        assert "Kecamatan" not in [c.value for c in load_workbook(io.BytesIO(part.content)).active[1]]
        backwards = client.post("/console/ringkasan/ekspor", data={"csrf": csrf, "wilayah": "32.73", "dari": "2026-11-30", "sampai": "2026-11-01"})
        assert backwards.status_code == 400 and "Tanggal akhir tidak boleh sebelum tanggal mulai." in backwards.text
        forged = client.post("/console/ringkasan/ekspor", data={"csrf": "forged", "wilayah": "32.73", "dari": "2026-11-01", "sampai": "2026-11-30"})
        assert forged.status_code == 403
    exported = actions(database, "cases_exported")
    assert [(row.subject_id, row.details["count"]) for row in exported] == [("32.73", 3), (PASTEUR, 1)]


def test_an_area_outside_the_readers_is_not_found_and_audited(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings, fixed_clock()) as client:
        database = populate(settings)
        sign_in(client, BU_RINA)  # TKSK of Kecamatan Bandarkedungmulyo, Jombang
        listed = client.get("/console/ringkasan")
        assert listed.status_code == 200 and "Kecamatan Bandarkedungmulyo" in listed.text and "Pasteur" not in listed.text
        assert client.get(f"/console/ringkasan/{BANDARKEDUNGMULYO_VILLAGE}/2026-W48").status_code == 200  # a village of hers
        for path in (f"/console/ringkasan/{PASTEUR}/2026-W48", f"/console/ringkasan/{PASTEUR}/2026-W48/grafik.png",
                     f"/console/ringkasan/{PASTEUR}/2026-W48/lembar-kerja.xlsx", f"/console/ringkasan?wilayah={PASTEUR}",
                     "/console/ringkasan/32.73/2026-W40"):  # fmt: skip
            refused = client.get(path)
            assert refused.status_code == 404 and "Tidak ditemukan" in refused.text, path
            assert "Bu Satu" not in refused.text
        export = client.post("/console/ringkasan/ekspor", data={"csrf": csrf_of(listed.text), "wilayah": PASTEUR, "dari": "2026-11-01", "sampai": "2026-11-30"})
        assert export.status_code == 404 and "Tidak ditemukan" in export.text
    denied = actions(database, "digest_access_denied")
    assert [row.subject_id for row in denied] == [PASTEUR, PASTEUR, PASTEUR, PASTEUR, "32.73"]
    with database.transaction() as db:
        rina = db.scalars(select(Person).where(Person.phone == BU_RINA)).one().id
    assert {row.actor_person_id for row in denied} == {rina}
    [export_denied] = actions(database, "cases_export_access_denied")
    assert export_denied.subject_id == PASTEUR and actions(database, "cases_exported") == []


def test_a_companion_without_digests_is_told_who_gets_them(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings, fixed_clock()) as client:
        database = populate(settings)
        sign_in(client, PAK_ASEP)  # PSM of Pasteur: chat sends him no digest either
        listed = client.get("/console/ringkasan")
        assert listed.status_code == 200 and "ada untuk operator kelurahan/desa, TKSK, dan admin Dinas Sosial" in listed.text
        assert "/console/ringkasan/ekspor" not in listed.text
        assert client.get(f"/console/ringkasan/{PASTEUR}/2026-W48").status_code == 404
    assert [row.subject_id for row in actions(database, "digest_access_denied")] == [PASTEUR]


def test_an_english_reader_gets_english_pages_and_workbooks(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings, fixed_clock()) as client:
        database = populate(settings)
        with database.transaction() as db:
            db.scalars(select(Person).where(Person.phone == ADMIN_KOTA)).one().locale = "en"
        sign_in(client, ADMIN_KOTA)
        listed = client.get("/console/ringkasan")
        assert "This week so far" in listed.text and "Export cases" in listed.text
        page = client.get("/console/ringkasan/32.73/2026-W48")
        assert "<h1>Weekly summary Kota Bandung" in page.text and "Bar chart of cases opened" in page.text
        export = client.post("/console/ringkasan/ekspor", data={"csrf": csrf_of(listed.text), "wilayah": "32.73", "dari": "2026-11-01", "sampai": "2026-11-30"})
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert [c.value for c in sheet[1]][:6] == ["Number", "Reported on", "Problem", "Status", "Kecamatan", "Village"]
        assert sheet["B2"].number_format == "d mmm yyyy"
