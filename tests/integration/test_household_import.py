"""``kawal import households FILE``: CSV and XLSX lists, row checks, the rejected file, idempotent re-import, the CLI."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.config import Settings
from app.db import Database
from app.households import importer
from app.households.importer import ImportFileError, ImportResult, import_households, summary_lines
from app.identifiers import keyed_hash
from app.models import AuditEntry, Household, Person
from tests.conftest import FIXED_NOW, SECRET

PASTEUR = "32.73.07.1001"  # Kelurahan Pasteur, Kecamatan Sukajadi (32.73.07), Kota Bandung
BANDAR = "35.17.18.2001"  # Desa Bandarkedungmulyo, Kecamatan Bandarkedungmulyo (35.17.18), Kab. Jombang
HEADER = ["nama", "nik", "no_kk", "alamat", "rt", "rw", "kode_wilayah", "no_hp", "program", "kelompok"]


def nik(kecamatan: str = "327307", ddmmyy: str = "120380", serial: int = 1) -> str:
    return f"{kecamatan}{ddmmyy}{serial:04d}"


def row(name: str, number: str, area: str = PASTEUR, **others: str) -> dict[str, str]:
    return {"nama": name, "nik": number, "kode_wilayah": area, **others}


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER, *, delimiter: str = ",",
              encoding: str = "utf-8") -> Path:  # fmt: skip
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows([[values.get(column, "") for column in header] for values in rows])
    return path


def run_import(database: Database, path: Path, **options: Any) -> ImportResult:
    return import_households(database, path, secret_key=SECRET, now=options.pop("now", FIXED_NOW), **options)


def stored(database: Database) -> dict[str, Household]:
    """Households by head name."""
    with database.transaction() as db:
        return {household.head_name: household for household in db.scalars(select(Household))}


def rejected(path: Path) -> dict[str, dict[str, str]]:
    """The rows of a ``_rejected.csv`` by name (the ``nama`` column, in whatever case)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.readline()
        handle.seek(0)
        reader = csv.DictReader(handle, delimiter=";" if sample.count(";") > sample.count(",") else ",")
        name = next(column for column in reader.fieldnames or [] if column.strip().lower() == "nama")
        return {line[name]: line for line in reader}


def test_a_csv_with_odd_columns_semicolons_and_a_bom(database: Database, tmp_path: Path) -> None:
    header = ["No HP", "KODE WILAYAH", " Nama ", "NIK", "Program", "RT", "rw", "No. KK", "alamat", "Kelompok", "catatan"]
    rows = [
        {"No HP": "0812-3456-7890", "KODE WILAYAH": PASTEUR, " Nama ": "  Sari   Wulandari ", "NIK": nik(ddmmyy="450680"),
         "Program": "PKH; bpnt", "RT": "3", "rw": "12", "No. KK": "3273071203090004",
         "alamat": "Jl. Pasteur No. 5; gang 2", "Kelompok": "Melati", "catatan": "x"},
        {"KODE WILAYAH": "3517182001", " Nama ": "Wati", "NIK": nik("351718", "191070", 4)},
    ]  # fmt: skip
    path = write_csv(tmp_path / "kpm.csv", rows, header, delimiter=";", encoding="utf-8-sig")
    assert run_import(database, path) == ImportResult(2, 2, 0, 0, None)
    households = stored(database)
    sari, wati = households["Sari Wulandari"], households["Wati"]
    assert (sari.nik_masked, sari.kk_masked) == ("3273********0001", "3273********0004")
    assert sari.kk_hash == keyed_hash("3273071203090004", SECRET)
    assert (sari.rt, sari.rw, sari.area_code, sari.phone) == ("003", "012", PASTEUR, "+6281234567890")
    assert (sari.programs, sari.group_name, sari.address) == ("sembako;pkh", "Melati", "Jl. Pasteur No. 5; gang 2")
    assert sari.created_at == sari.updated_at == FIXED_NOW and sari.person_id is None
    assert (wati.area_code, wati.kk_hash, wati.kk_masked, wati.phone) == (BANDAR, None, None, None)
    assert (wati.rt, wati.rw, wati.programs, wati.group_name, wati.address) == ("", "", "", "", "")


def test_an_xlsx_workbook_with_odd_columns(database: Database, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Program", "Kode Wilayah", "NIK", "NAMA", "No HP", "RT", "RW", "No KK"])
    sheet.append(["sembako", PASTEUR, nik(), "Asep", 81234567890, 5, 7.0, None])
    sheet.append([None, None, None, None, None, None, None, None])  # a blank row is skipped
    sheet.append(["pkh", BANDAR, nik("351718", "591070", 4), "Wati", "+62 813 0000 0004", None, None, "'3517180306080001"])
    sheet.append(["pkh", PASTEUR, int(nik(serial=2)), "Angka", None, None, None, None])  # a NIK kept as a number
    path = tmp_path / "kpm.xlsx"
    workbook.save(path)
    workbook.close()

    result = run_import(database, path)
    assert result == ImportResult(3, 2, 0, 1, tmp_path / "kpm_rejected.csv")
    households = stored(database)
    assert (households["Asep"].phone, households["Asep"].rt, households["Asep"].rw) == ("+6281234567890", "005", "007")
    assert households["Wati"].kk_masked == "3517********0001" and households["Wati"].programs == "pkh"
    reasons = rejected(result.rejected_path)  # type: ignore[arg-type]
    assert reasons["Angka"]["alasan"] == "nik: tersimpan sebagai angka di Excel (hanya 15 digit); format kolom sebagai Teks"
    assert reasons["Angka"]["baris"] == "5"


def test_importing_again_updates_and_never_duplicates(database: Database, tmp_path: Path) -> None:
    first = [row("Sari", nik(), no_hp="081234567890", program="sembako"), row("Dedi", nik(serial=2))]
    run_import(database, write_csv(tmp_path / "kpm.csv", first))
    later = FIXED_NOW + timedelta(days=7)
    second = [
        row("Sari Wulandari", nik(), "32.73.07.1002", no_kk="3273071203090004",
            alamat="Jl. Baru 1", rt="1", rw="2", no_hp="", program="pkh", kelompok="Mawar"),
        row("Budi", nik(serial=3)),
    ]  # fmt: skip
    assert run_import(database, write_csv(tmp_path / "kpm.csv", second), now=later) == ImportResult(2, 1, 1, 0, None)
    households = stored(database)
    assert sorted(households) == ["Budi", "Dedi", "Sari Wulandari"]
    sari = households["Sari Wulandari"]
    assert (sari.area_code, sari.kk_masked, sari.address, sari.rt, sari.rw) == (
        "32.73.07.1002", "3273********0004", "Jl. Baru 1", "001", "002")  # fmt: skip
    assert (sari.phone, sari.programs, sari.group_name) == (None, "pkh", "Mawar")
    assert (sari.created_at, sari.updated_at) == (FIXED_NOW, later)
    assert households["Dedi"].updated_at == FIXED_NOW
    # the very same file once more: all updates
    assert run_import(database, tmp_path / "kpm.csv", now=later) == ImportResult(2, 0, 2, 0, None)
    with database.transaction() as db:
        assert db.scalar(select(func.count(Household.id))) == 3
        assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "households_imported")) == 3


def test_each_wrong_row_is_rejected_with_its_reason(database: Database, tmp_path: Path) -> None:
    rows = [
        row("Tanggal Mustahil", nik(ddmmyy="310299")),
        row("Kecamatan Lain", nik("327308")),  # people move: imported, with a warning
        row("Perempuan", nik(ddmmyy="520380", serial=2)),  # a woman born 12 March 1980: accepted
        row("Kabisat 2000", nik(ddmmyy="290200", serial=3)),  # 1900 was no leap year, 2000 was: accepted
        row("Kabisat 2001", nik(ddmmyy="290201")),
        row("Telepon Salah", nik(serial=4), no_hp="12345"),
        row("Telepon Asing", nik(serial=5), no_hp="+1 202 555 0143"),
        row("Desa Tak Dikenal", nik(serial=6), "32.73.07.9999"),
        row("Kode Kecamatan", nik(serial=7), "32.73.07"),
        row("KK Salah", nik(serial=8), no_kk="3273073102090004"),
        row("Program Lain", nik(serial=9), program="sembako;raskin"),  # kept as given, counted
        row("RT Salah", nik(serial=10), rt="12a", rw="1000"),
        row("", nik(serial=11)),
        row("Banyak", "32730", "", no_hp="0"),
    ]
    path = write_csv(tmp_path / "kpm.csv", rows)
    result = run_import(database, path)
    assert result == ImportResult(14, 4, 0, 10, tmp_path / "kpm_rejected.csv")
    assert sorted(stored(database)) == ["Kabisat 2000", "Kecamatan Lain", "Perempuan", "Program Lain"]
    assert stored(database)["Program Lain"].programs == "sembako;raskin"
    assert result.summary.warnings == [importer.RowWarning(3, ["nik: dari kecamatan lain (327308)"])]
    assert result.summary.unknown_programmes == {"raskin": 1}
    reasons = {name: line["alasan"] for name, line in rejected(tmp_path / "kpm_rejected.csv").items()}
    assert reasons == {
        "Tanggal Mustahil": "nik: tanggal lahir tidak valid (310299)",
        "Kabisat 2001": "nik: tanggal lahir tidak valid (290201)",
        "Telepon Salah": "no_hp: bukan nomor HP Indonesia yang valid",
        "Telepon Asing": "no_hp: bukan nomor HP Indonesia yang valid",
        "Desa Tak Dikenal": "kode_wilayah: tidak dikenal (32.73.07.9999)",
        "Kode Kecamatan": "kode_wilayah: 32.73.07 bukan desa/kelurahan",
        "KK Salah": "no_kk: tanggal terbit tidak valid (310209)",
        "RT Salah": "rt: harus angka 1 sampai 999; rw: harus angka 1 sampai 999",
        "": "nama: kosong",
        "Banyak": "kode_wilayah: kosong; nik: harus 16 angka, bukan 5; no_hp: bukan nomor HP Indonesia yang valid",
    }


def test_the_rejected_file_can_be_fixed_and_imported(database: Database, tmp_path: Path) -> None:
    """It keeps the original columns, adds baris and alasan; those two are ignored when it is imported."""
    header = ["NIK", "Nama", "Kode Wilayah", "Catatan"]
    rows = [{"NIK": nik(), "Nama": "Baik", "Kode Wilayah": PASTEUR, "Catatan": "ok"},
            {"NIK": nik(serial=2), "Nama": "Salah, Desa", "Kode Wilayah": "32.73.07", "Catatan": "pindah"}]  # fmt: skip
    path = write_csv(tmp_path / "kpm.csv", rows, header)
    result = run_import(database, path)
    assert result.rejected_path == tmp_path / "kpm_rejected.csv"
    with result.rejected_path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines == [
        ["NIK", "Nama", "Kode Wilayah", "Catatan", "baris", "alasan"],
        [nik(serial=2), "Salah, Desa", "32.73.07", "pindah", "3", "kode_wilayah: 32.73.07 bukan desa/kelurahan"],
    ]
    # fixed in place and imported: baris and alasan are ignored; a clean run removes the stale rejected file
    lines[1][2] = PASTEUR
    fixed = tmp_path / "kpm_fixed.csv"
    with fixed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    assert run_import(database, fixed) == ImportResult(1, 1, 0, 0, None)
    assert run_import(database, path) == ImportResult(2, 0, 1, 1, result.rejected_path)
    write_csv(path, rows[:1], header)
    assert run_import(database, path) == ImportResult(1, 0, 1, 0, None)
    assert not (tmp_path / "kpm_rejected.csv").exists()


def test_a_nik_twice_in_one_file_the_last_row_wins(database: Database, tmp_path: Path) -> None:
    rows = [row("Lama", nik()), row("Lain", nik(serial=2)), row("Baru", nik()), row("Rusak", nik(), no_hp="1")]
    result = run_import(database, write_csv(tmp_path / "kpm.csv", rows))
    assert result == ImportResult(4, 2, 0, 2, tmp_path / "kpm_rejected.csv")
    assert sorted(stored(database)) == ["Baru", "Lain"]
    reasons = {name: line["alasan"] for name, line in rejected(tmp_path / "kpm_rejected.csv").items()}
    assert reasons == {"Lama": "nik: sama dengan baris 4, yang diimpor", "Rusak": "no_hp: bukan nomor HP Indonesia yang valid"}


def test_a_household_is_linked_to_the_person_with_its_phone(database: Database, tmp_path: Path) -> None:
    with database.transaction() as db:
        person = Person(display_name="Sari", phone="+6281234567890", created_at=FIXED_NOW)
        db.add(person)
        db.flush()
        person_id = person.id
    rows = [row("Sari", nik(), no_hp="0812 3456 7890"), row("Dedi", nik(serial=2), no_hp="081299990000")]
    run_import(database, write_csv(tmp_path / "kpm.csv", rows))
    households = stored(database)
    assert households["Sari"].person_id == person_id and households["Dedi"].person_id is None
    # a later list without the phone keeps the link
    run_import(database, write_csv(tmp_path / "kpm.csv", [row("Sari", nik())]))
    assert stored(database)["Sari"].person_id == person_id


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["nama", "no_kk", "alamat", "desa"], "nik, kode_wilayah"),
        (["NIK", "Kode-Wilayah", "name"], "nama"),
    ],
)
def test_missing_columns_import_nothing(database: Database, tmp_path: Path, header: list[str], missing: str) -> None:
    path = write_csv(tmp_path / "kpm.csv", [dict.fromkeys(header, "x")], header)
    with pytest.raises(ImportFileError) as caught:
        run_import(database, path)
    assert str(caught.value) == (
        f"{path} lacks the required column(s) {missing} in its first row "
        "(columns: nama, nik, no_kk, alamat, rt, rw, kode_wilayah, no_hp, program, kelompok): nothing imported."
    )
    assert stored(database) == {} and not (tmp_path / "kpm_rejected.csv").exists()


def test_a_column_given_twice_is_refused(database: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kpm.csv", [], ["nama", "NIK", "nik ", "kode_wilayah"])
    with pytest.raises(ImportFileError, match="has the column nik twice"):
        run_import(database, path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty: nothing imported."),
        (b"\xef\xbb\xbf\r\n ; \r\n", "is empty: nothing imported."),
        (b"nama;nik;kode_wilayah\r\n", "has a header but no rows: nothing imported."),
        (b"nama,nik,kode_wilayah\n,,\n\n", "has a header but no rows: nothing imported."),
        (b"nama,nik,kode_wilayah\nS\x00ri,1,2\n", "is not a text file (line 2): save it as CSV UTF-8."),
    ],
)
def test_files_without_rows_or_not_text(database: Database, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "kpm.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        run_import(database, path)
    assert str(caught.value) == f"{path} {message}"
    assert stored(database) == {}


def test_a_file_over_the_size_limit_is_refused_before_reading(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "besar.csv"
    with path.open("wb") as handle:
        handle.truncate(52 * 1024 * 1024)  # sparse: no 52 MB written; it would not be a valid CSV anyway
    with pytest.raises(ImportFileError) as caught:
        run_import(database, path)
    assert str(caught.value) == f"{path} is 52 MB; the limit is 50 MB: split the file and import each part."
    small = write_csv(tmp_path / "kpm.csv", [row("Sari", nik())])
    with pytest.raises(ImportFileError, match=r"kpm.csv is \d+ bytes; the limit is 20 bytes: split the file"):
        run_import(database, small, max_bytes=20)
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 20)
    with pytest.raises(ImportFileError, match="the limit is 20 bytes"):
        run_import(database, small)
    assert stored(database) == {}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("kpm.txt", "unknown file type '.txt': use a .csv or .xlsx file."),
        ("kpm", "unknown file type '(none)': use a .csv or .xlsx file."),
        ("kpm.xls", "the old .xls format is not read: save it as .xlsx or as CSV UTF-8."),
    ],
)
def test_unknown_file_types(database: Database, tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_text("nama,nik,kode_wilayah\n")
    with pytest.raises(ImportFileError) as caught:
        run_import(database, path)
    assert str(caught.value) == f"{path}: {message}"


def test_a_broken_workbook_and_a_missing_file(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "kpm.xlsx"
    path.write_text("nama,nik,kode_wilayah\n")
    with pytest.raises(ImportFileError, match=r"kpm.xlsx is not a readable .xlsx workbook"):
        run_import(database, path)
    with pytest.raises(ImportFileError, match="hilang.csv: no such file."):
        run_import(database, tmp_path / "hilang.csv")


def test_nik_and_kk_are_kept_only_as_a_keyed_hash_and_a_masked_form(database: Database, tmp_path: Path) -> None:
    number, kk = nik(), "3273071203090004"
    run_import(database, write_csv(tmp_path / "kpm.csv", [row("Sari", number, no_kk=kk)]))
    sari = stored(database)["Sari"]
    assert sari.nik_hash == keyed_hash(number, SECRET) != keyed_hash(number, "another-secret-key-0123")
    assert len(sari.nik_hash) == 64 and sari.kk_hash == keyed_hash(kk, SECRET)
    with database.transaction() as db:
        everything = [*db.execute(select(Household.__table__)).all(), *db.execute(select(AuditEntry.__table__)).all()]
    text = repr(everything)
    assert number not in text and kk not in text and number[6:] not in text


def kawal(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KAWAL_DATABASE_URL": settings.database_url, "KAWAL_SECRET_KEY": SECRET}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, env=env, timeout=120)


def test_the_command_line_end_to_end(settings: Settings, database: Database, tmp_path: Path) -> None:
    rows = [row("Sari", nik()), row("Dedi", nik(serial=2)), row("Salah", nik(ddmmyy="310299", serial=3))]
    path = write_csv(tmp_path / "kpm.csv", rows)
    result = kawal(settings, "import", "households", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Read 3 rows from {path}.",
        f"Imported 2 households (2 new, 0 updated); rejected 1 row: see {tmp_path / 'kpm_rejected.csv'}",
        "That file repeats the rejected rows as given, NIK included: keep it as private as the input.",
    ]
    assert result.stderr == ""
    again = kawal(settings, "import", "households", str(write_csv(path, rows[:1])))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1:] == ["Imported 1 household (0 new, 1 updated); rejected 0 rows."]
    for row_ in rows:
        assert row_["nik"] not in result.stdout + result.stderr + again.stdout + again.stderr
    assert sorted(stored(database)) == ["Dedi", "Sari"]


def test_the_command_line_refuses_an_unusable_file(settings: Settings, database: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kpm.csv", [{"nama": "Sari", "nik": nik()}], ["nama", "nik"])
    result = kawal(settings, "import", "households", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path} lacks the required column(s) kode_wilayah in its first row "
        "(columns: nama, nik, no_kk, alamat, rt, rw, kode_wilayah, no_hp, program, kelompok): nothing imported."
    ]
    assert stored(database) == {}


def test_summary_lines() -> None:
    assert summary_lines(ImportResult(100, 90, 7, 3, Path("data/kpm_rejected.csv")), Path("data/kpm.csv"))[:2] == [
        "Read 100 rows from data/kpm.csv.",
        "Imported 97 households (90 new, 7 updated); rejected 3 rows: see data/kpm_rejected.csv",
    ]
