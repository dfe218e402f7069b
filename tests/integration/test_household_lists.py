"""Household lists as the field sends them: several programmes per household, NIKs issued in another kecamatan,
CSV saved by Excel on Windows (Windows-1252), and XLSX read with python-calamine.

Each test names what went wrong before (issue 14, item 5): a row naming a programme other than sembako or PKH
was rejected whole, so was a head whose NIK came from another kecamatan, and a CSV that was not UTF-8 was refused.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from app.config import Settings
from app.db import Database
from app.households import importer, programs
from app.households.encodings import decode
from app.households.importer import ImportResult, RowWarning, import_households, summary_lines
from app.models import AuditEntry, Household
from tests.conftest import FIXED_NOW, SECRET

PASTEUR = "32.73.07.1001"  # Kelurahan Pasteur, Kecamatan Sukajadi (32.73.07), Kota Bandung
BANDAR = "35.17.18.2001"  # Desa Bandarkedungmulyo, Kecamatan Bandarkedungmulyo (35.17.18), Kab. Jombang
HEADER = ["nama", "nik", "no_kk", "kode_wilayah", "no_hp", "program", "kelompok"]


def nik(kecamatan: str = "327307", ddmmyy: str = "120380", serial: int = 1) -> str:
    return f"{kecamatan}{ddmmyy}{serial:04d}"


def row(name: str, number: str, area: str = PASTEUR, **others: str) -> dict[str, str]:
    return {"nama": name, "nik": number, "kode_wilayah": area, **others}


def write_csv(path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8", delimiter: str = ";") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows([[values.get(column, "") for column in HEADER] for values in rows])
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for values in rows:
        sheet.append([values.get(column, "") or None for column in HEADER])
    workbook.save(path)
    workbook.close()
    return path


def run_import(database: Database, path: Path, **options: Any) -> ImportResult:
    return import_households(database, path, secret_key=SECRET, now=FIXED_NOW, **options)


def stored(database: Database) -> dict[str, Household]:
    with database.transaction() as db:
        return {household.head_name: household for household in db.scalars(select(Household))}


# A DTKS-shaped list: three or four programmes a household, in the spellings and separators lists use.
DTKS_ROWS = [
    row("Sari Wulandari", nik(ddmmyy="450680"), program="PKH;Sembako;PBI"),
    row("Dedi Supriadi", nik(serial=2), program="BPNT/Sembako, PKH + KIS"),
    row("Wati Lestari", nik(ddmmyy="520385", serial=3), program="PKH; BPNT; PBI-JK; BLT"),
    row("Asep Saepudin", nik(serial=4), program="pip/kip, PKH, Rutilahu, ATENSI"),
    row("Euis Komariah", nik(ddmmyy="610390", serial=5), program="PBI-JK/KIS; BLT-DD; Sembako"),
    row("Ujang Hidayat", nik(serial=6), program=""),
    row("Iis Rahayu", nik(ddmmyy="440475", serial=7), program="rutilahu + Sembako"),
]


def test_households_with_three_or_four_programmes_are_all_kept(database: Database, tmp_path: Path) -> None:
    """Before: every row naming PBI, BLT, PIP or any other programme was rejected ("pilih sembako atau pkh")."""
    result = run_import(database, write_csv(tmp_path / "dtks.csv", DTKS_ROWS))
    assert result == ImportResult(7, 7, 0, 0, None)
    households = stored(database)
    assert {name: household.programs for name, household in households.items()} == {
        "Sari Wulandari": "sembako;pkh;pbi",
        "Dedi Supriadi": "sembako;pkh;pbi",
        "Wati Lestari": "sembako;pkh;pbi;blt",
        "Asep Saepudin": "pkh;pip;Rutilahu;ATENSI",
        "Euis Komariah": "sembako;pbi;BLT-DD",
        "Ujang Hidayat": "",
        "Iis Rahayu": "sembako;rutilahu",
    }
    assert result.summary.programmes == {"sembako": 5, "pkh": 4, "pbi": 4, "blt": 1, "pip": 1}
    assert result.summary.unknown_programmes == {"Rutilahu": 2, "ATENSI": 1, "BLT-DD": 1}  # letter case grouped
    assert result.summary.warnings == []
    with database.transaction() as db:
        audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "households_imported")).one()
    assert audit.details["programmes"] == result.summary.programmes and audit.details["unknown_programmes"] == 3


def test_a_long_program_cell_is_stored_whole(database: Database, tmp_path: Path) -> None:
    """Before, ``households.programs`` held 64 characters: PostgreSQL refused a longer list of programmes."""
    names = "PKH; Sembako; PBI-JK; BLT; PIP; Program Keluarga Sejahtera Daerah; Bantuan Rumah Tidak Layak Huni"
    result = run_import(database, write_csv(tmp_path / "dtks.csv", [row("Panjang", nik(), program=names)]))
    assert result.created == 1
    stored_programs = stored(database)["Panjang"].programs
    assert stored_programs == "sembako;pkh;pbi;blt;pip;Program Keluarga Sejahtera Daerah;Bantuan Rumah Tidak Layak Huni"
    assert len(stored_programs) > 64


def test_a_number_in_the_program_column_is_not_stored(database: Database, tmp_path: Path) -> None:
    """A NIK or phone in the wrong column is no programme: the household is imported without it, with a warning."""
    rows = [row("Geser", nik(), program="PKH; 3273074506800001"), row("Baik", nik(serial=2), program="PKH 2024")]
    result = run_import(database, write_csv(tmp_path / "dtks.csv", rows))
    assert result.created == 2 and result.rejected == 0
    assert stored(database)["Geser"].programs == "pkh"
    assert stored(database)["Baik"].programs == "PKH 2024"  # four digits: a name, kept as given
    assert result.summary.warnings == [RowWarning(2, ["program: angka panjang tidak disimpan"])]
    assert "3273074506800001" not in repr(result.summary)


def test_a_nik_or_kk_from_another_kecamatan_is_a_warning_not_a_rejection(database: Database, tmp_path: Path) -> None:
    """Before: "nik: 6 angka pertama tidak sama dengan kode kecamatan 327307", and the household was not imported."""
    rows = [
        row("Pindahan Jombang", nik("351718", serial=1)),  # moved from Jombang to Pasteur
        row("Warga Asli", nik(serial=2), no_kk="3273071203090004"),
        row("Pindahan Cimahi", nik("327701", "520379", 3), no_kk="3277011203090005"),
        row("KK Lama", nik(serial=4), no_kk="3273161203090006"),  # the family card of the old kecamatan
        row("Jombang di Jombang", nik("351718", serial=5), BANDAR),
        row("Pindahan Salah", nik("351718", "310299", 6)),  # another kecamatan, and a date that does not exist
    ]
    result = run_import(database, write_csv(tmp_path / "kpm.csv", rows))
    assert result == ImportResult(6, 5, 0, 1, tmp_path / "kpm_rejected.csv")
    imported = ["Jombang di Jombang", "KK Lama", "Pindahan Cimahi", "Pindahan Jombang", "Warga Asli"]
    assert sorted(stored(database)) == imported
    assert result.summary.warnings == [
        RowWarning(2, ["nik: dari kecamatan lain (351718)"]),
        RowWarning(4, ["nik: dari kecamatan lain (327701)", "no_kk: dari kecamatan lain (327701)"]),
        RowWarning(5, ["no_kk: dari kecamatan lain (327316)"]),
    ]  # the rejected row 7 has no warning: it is not imported
    with (tmp_path / "kpm_rejected.csv").open(encoding="utf-8-sig") as handle:
        assert handle.read().splitlines()[1].endswith(";7;nik: tanggal lahir tidak valid (310299)")


WINDOWS_NAMES = ["Siti Ma’rufah", "Ñoman Sudarsono", "Ré Anggraini", "Ade “Ucok” Saputra"]


def test_a_windows_1252_csv_is_read(database: Database, tmp_path: Path) -> None:
    """Before: "is not UTF-8 text (line 2): save it as CSV UTF-8", nothing imported. Excel on Windows writes cp1252."""
    rows = [row(name, nik(serial=index), program="PKH;Sembako") for index, name in enumerate(WINDOWS_NAMES, 1)]
    path = write_csv(tmp_path / "excel.csv", rows, encoding="cp1252")
    assert "’".encode("cp1252") == b"\x92"  # a byte Latin-1 would read as a control character
    result = run_import(database, path)
    assert result == ImportResult(4, 4, 0, 0, None)
    assert sorted(stored(database)) == sorted(WINDOWS_NAMES)


@pytest.mark.parametrize(
    ("encoding", "names"),
    [
        ("utf-8", WINDOWS_NAMES),
        ("utf-8-sig", WINDOWS_NAMES),
        ("utf-16", WINDOWS_NAMES),  # Excel's "Unicode Text", renamed .csv
        ("latin-1", ["Ñoman Sudarsono", "Ré Anggraini", "Jos\x81"]),  # 0x81: undefined in Windows-1252
    ],
)
def test_other_encodings_are_read(database: Database, tmp_path: Path, encoding: str, names: list[str]) -> None:
    rows = [row(name, nik(serial=index)) for index, name in enumerate(names, 1)]
    result = run_import(database, write_csv(tmp_path / "daftar.csv", rows, encoding=encoding, delimiter=","))
    assert (result.created, result.rejected) == (len(names), 0)
    assert sorted(stored(database)) == sorted(names)


def test_an_xlsx_read_with_calamine_gives_the_households_of_the_csv(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [*DTKS_ROWS, row("Pindahan", nik("351718", serial=9), program="PKH"), row("Salah", "123", program="PKH")]
    rows.append(row(WINDOWS_NAMES[0], nik(serial=10), no_kk="3273071203090004", no_hp="0812 3456 7890"))

    def levels() -> dict[str, int]:
        with database.transaction() as db:
            return importer.area_levels(db)

    from_csv = importer.check_file_rows(write_csv(tmp_path / "a.csv", rows), levels, secret_key=SECRET)

    def no_openpyxl(*_: object, **__: object) -> None:
        raise AssertionError("the importer reads workbooks with python-calamine, not openpyxl")

    monkeypatch.setattr(openpyxl, "load_workbook", no_openpyxl)
    from_xlsx = importer.check_file_rows(write_xlsx(tmp_path / "a.xlsx", rows), levels, secret_key=SECRET)
    assert len(from_csv.households) == 9 and from_csv.rejected == 1
    assert from_xlsx.households == from_csv.households
    assert (from_xlsx.read, from_xlsx.rejected) == (from_csv.read, from_csv.rejected)
    assert from_xlsx.summary == from_csv.summary


def test_the_summary_lines_name_programmes_and_warnings() -> None:
    moved = [RowWarning(n, ["nik: dari kecamatan lain (351718)"]) for n in range(2, 35)]
    number = [RowWarning(40, ["no_kk: dari kecamatan lain (327316)", "program: angka panjang tidak disimpan"])]
    summary = importer.ListSummary({"sembako": 5, "pkh": 4, "pbi": 4}, {"Rutilahu": 2, "ATENSI": 1}, moved + number)
    lines = summary_lines(ImportResult(40, 34, 0, 0, None, summary), Path("dtks.csv"))
    assert lines[2:] == [
        "Households per programme: Sembako 5, PKH 4, PBI-JK 4.",
        "Programmes not known, kept as written: 'Rutilahu' 2, 'ATENSI' 1.",
        (
            "Imported with a warning, 34 rows: NIK or KK issued in another kecamatan than the village's (people move; "
            "check them): line " + ", ".join(str(n) for n in range(2, 32)) + " and 4 more."
        ),
        (
            "Imported with a warning, 1 row: a long number in the program column, not stored (a NIK or phone in the "
            "wrong column?): line 40."
        ),
    ]


def test_the_command_line_prints_programmes_and_warnings(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    rows = [*DTKS_ROWS[:4], row("Pindahan Jombang", nik("351718", serial=9), program="Sembako")]
    path = write_csv(tmp_path / "dtks.csv", rows, encoding="cp1252")
    env = {**os.environ, "KAWAL_DATABASE_URL": settings.database_url, "KAWAL_SECRET_KEY": SECRET}
    done = subprocess.run([sys.executable, "-m", "app.cli", "import", "households", str(path)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"Read 5 rows from {path}.",
        "Imported 5 households (5 new, 0 updated); rejected 0 rows.",
        "Households per programme: Sembako 4, PKH 4, PBI-JK 3, BLT 1, PIP 1.",
        "Programmes not known, kept as written: 'Rutilahu' 1, 'ATENSI' 1.",
        (
            "Imported with a warning, 1 row: NIK or KK issued in another kecamatan than the village's (people move; "
            "check them): line 6."
        ),
    ]


def test_the_console_upload_shows_programmes_and_warnings(settings: Settings, tmp_path: Path) -> None:
    from tests.web.console import PAK_HENDRA, demo_client, sign_in
    from tests.web.test_console_households import upload

    rows = [*DTKS_ROWS[:5], row("Pindahan Jombang", nik("351718", serial=9), program="Sembako")]
    path = write_csv(tmp_path / "dtks.csv", rows, encoding="cp1252", delimiter=",")
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        done = upload(client, "dtks.csv", path.read_bytes())
        assert done.status_code == 303
        page = client.get(done.headers["location"]).text
    assert "6</strong> rumah tangga diimpor" in page and "Semua baris diimpor" in page
    for shown in ("Sembako: 5 rumah tangga", "PKH: 4 rumah tangga", "PBI-JK: 4 rumah tangga", "BLT: 1 rumah tangga",
                  "PIP: 1 rumah tangga", "Rutilahu: 1 rumah tangga", "BLT-DD: 1 rumah tangga"):  # fmt: skip
        assert shown in page, shown
    assert "Program yang belum dikenal, disimpan seperti tertulis" in page
    assert "Diimpor, tetapi perlu dicek" in page and "NIK dari kecamatan lain (351718)" in page
    assert nik("351718", serial=9) not in page


def test_the_warnings_read_as_sentences_in_either_language() -> None:
    from app.console.import_reasons import in_words
    from app.i18n import translator

    english, indonesian = translator("en"), translator("id")
    assert in_words("nik: dari kecamatan lain (351718)", indonesian) == "NIK dari kecamatan lain (351718)"
    assert in_words("no_kk: dari kecamatan lain (327316)", english) == "KK number from another kecamatan (327316)"
    assert in_words("program: angka panjang tidak disimpan", indonesian) == (
        "Program berisi angka panjang (NIK atau nomor HP?): angka itu tidak disimpan"
    )
    assert in_words("program: angka panjang tidak disimpan", english) == (
        "Programme holds a long number (a NIK or phone number?): that number was not stored"
    )


# --- properties --------------------------------------------------------------------------------------------

_ALIASES = ["PKH", "Sembako", "BPNT", "PBI-JK", "KIS", "BLT", "PIP", "KIP", "pbi jk", "b.p.n.t"]
_OTHER = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ -"), min_size=1, max_size=12).filter(
    lambda name: name.strip(" -") != "" and name.replace(" ", "").replace("-", "").lower() not in programs.KNOWN
)


@hypothesis_settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(
    names=st.lists(st.one_of(st.sampled_from(_ALIASES), _OTHER), max_size=6),
    separators=st.lists(st.sampled_from([";", ",", "/", "+", " ; ", ", "]), min_size=6, max_size=6),
)
def test_every_programme_named_is_kept_and_reading_again_is_the_same(names: list[str], separators: list[str]) -> None:
    cell = "".join(name + separator for name, separator in zip(names, separators, strict=False))
    read = programs.read_programmes(cell)
    kept = set(read.known) | {_key(name) for name in read.unknown}
    assert {programs.KNOWN.get(_key(name), _key(name)) for name in names} == kept
    assert programs.read_programmes(read.stored) == read


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


@hypothesis_settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(text=st.text(st.characters(codec="utf-8", exclude_characters="\x00\ufeff"), max_size=40))
def test_utf8_text_reads_back_exactly(text: str) -> None:
    assert decode(text.encode("utf-8"))[0] == text
    assert decode(text.encode("utf-8-sig"))[0] == text
