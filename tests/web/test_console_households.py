"""The household list in the console: search within the office's areas, and uploading a list with its rejected rows."""

from __future__ import annotations

import io
import re
import stat
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.console import household_uploads
from app.db import Database
from app.models import AuditEntry, Household
from tests.web.console import ADMIN_KOTA, BU_RINA, BU_YUNI, PAK_ASEP, PAK_HENDRA, csrf_of, demo_client, sign_in

SARI_NIK = "3273074506800001"  # the demo's Bu Sari, Pasteur
HEADER = "nama,nik,no_kk,kode_wilayah,rt,rw,no_hp,program,kelompok\n"
GOOD_ROWS = (
    "Bu Melati Baru,3273074107900002,,32.73.07.1001,4,2,0812 7777 0001,pkh,Melati\n"
    "Bu Sari,3273074506800001,,32.73.07.1001,3,5,,sembako;pkh,Melati\n"  # known NIK: updated, not duplicated
)
BAD_ROWS = (
    "Pak Salah,12345,,32.73.07.1001,,,,,\n"  # invalid NIK
    "Bu Entah,3273075001850003,,32.73.07.9999,,,,,\n"  # unknown village
    "Pak Jombang,3517181203700005,,35.17.18.2001,,,,,\n"  # a village of another regency
)


def audit_rows(settings, action: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    database = Database(settings)
    with database.transaction() as db:
        rows = list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
    database.dispose()
    return rows


def upload(client, name: str, content: bytes, *, csrf: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf or csrf_of(client.get("/console/rumah-tangga/impor").text)
    return client.post("/console/rumah-tangga/impor", data={"csrf": token}, files={"file": (name, content, "text/csv")},
                       follow_redirects=False)  # fmt: skip


def test_search_by_name_and_by_phone_in_any_form(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        everyone = client.get("/console/rumah-tangga")
        assert everyone.status_code == 200 and "Bu Sari" in everyone.text
        assert "Pak Dedi" not in everyone.text and "Bu Wati" not in everyone.text  # other villages, other regency
        by_name = client.get("/console/rumah-tangga", params={"q": "sAR"})
        assert "Bu Sari" in by_name.text and "3273********0001" in by_name.text and "Melati" in by_name.text
        assert SARI_NIK not in by_name.text and "3273071203090004" not in by_name.text  # the masked forms only
        for phone in ("081200000001", "+6281200000001", "6281200000001", "0812-0000-0001", "0812 0000 0001"):
            found = client.get("/console/rumah-tangga", params={"q": phone})
            assert "Bu Sari" in found.text and "1 rumah tangga dengan nomor HP itu" in found.text, phone
        nobody = client.get("/console/rumah-tangga", params={"q": "081299999999"})
        assert "Bu Sari" not in nobody.text and "Tidak ada rumah tangga yang cocok" in nobody.text
        assert "Bu Sari" not in client.get("/console/rumah-tangga", params={"q": "50%_"}).text  # LIKE wildcards are text

        client.cookies.clear()
        sign_in(client, ADMIN_KOTA)
        city = client.get("/console/rumah-tangga").text
        assert "Bu Sari" in city and "Pak Dedi" in city and "Bu Siti" in city and "Bu Wati" not in city
    searches = audit_rows(settings, "households_searched")
    phone_searches = [row for row in searches if row.details["kind"] == "phone"]
    assert len(phone_searches) == 6 and all(row.details["query"] == "+62812****0001" for row in phone_searches[:5])
    assert not any("081200000001" in str(row.details) or "+6281200000001" in str(row.details) for row in searches)
    named = next(row for row in searches if row.details["kind"] == "name")
    assert named.details["query"] == "sAR" and named.details["found"] == 1 and len(named.details["shown"]) == 1


def test_the_list_is_paged(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("app.console.households.PAGE_SIZE", 2)
    with demo_client(settings) as client:
        sign_in(client, ADMIN_KOTA)
        first = client.get("/console/rumah-tangga")
        assert "Halaman 1 dari 4" in first.text and "hal=2" in first.text  # 7 households in Kota Bandung
        last = client.get("/console/rumah-tangga", params={"hal": "4"})
        assert "Halaman 4 dari 4" in last.text and last.text.count("<tr>") == 2  # the header and one row


def test_companions_are_told_the_list_is_for_operators(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_ASEP)
        page = client.get("/console/rumah-tangga", params={"q": "Sari"})
        assert page.status_code == 403 and "hanya dibuka untuk operator" in page.text and "Bu Sari" not in page.text
        assert client.get("/console/rumah-tangga/impor").status_code == 403
        refused = upload(client, "list.csv", (HEADER + GOOD_ROWS).encode(), csrf=csrf_of(page.text))
        assert refused.status_code == 403
        client.cookies.clear()
        sign_in(client, BU_RINA)
        assert client.get("/console/rumah-tangga").status_code == 403
    assert audit_rows(settings, "households_searched") == [] and audit_rows(settings, "households_imported") == []


def test_upload_imports_good_rows_and_keeps_the_rejected_ones_privately(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        done = upload(client, "daftar-pasteur.csv", (HEADER + GOOD_ROWS + BAD_ROWS).encode())
        assert done.status_code == 303
        result_path = done.headers["location"]
        token = result_path.rsplit("/", 1)[1]
        result = client.get(result_path).text
        cards = re.findall(r"<strong>(\d+)</strong>", result)
        assert cards[:3] == ["5", "2", "3"]  # read, imported, rejected
        assert "(1 baru, 1 diperbarui)" in result
        assert "NIK harus 16 angka, bukan 5" in result and "Kode wilayah tidak dikenal" in result
        assert "Desa/kelurahan 35.17.18.2001 di luar wilayah Anda" in result
        assert "3517181203700005" not in result and "3273074107900002" not in result  # the page repeats no NIK

        download = client.get(f"{result_path}/ditolak.csv")
        assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
        assert re.search(r'filename="ditolak-rumah-tangga-\d{4}-\d{2}-\d{2}\.csv"', download.headers["content-disposition"])
        lines = download.content.decode("utf-8-sig").splitlines()
        assert lines[0] == "nama,nik,no_kk,kode_wilayah,rt,rw,no_hp,program,kelompok,baris,alasan"
        assert len(lines) == 4 and lines[3].startswith("Pak Jombang,3517181203700005,") and "di luar wilayah Anda" in lines[3]

        folder = Path(settings.media_dir) / household_uploads.FOLDER
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        kept = sorted(path.name for path in folder.iterdir())
        assert kept == [f"{token}.json", f"{token}_rejected.csv"]  # the uploaded list itself is gone
        assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in folder.iterdir())

        assert "Bu Melati Baru" in client.get("/console/rumah-tangga", params={"q": "melati baru"}).text

        client.cookies.clear()
        assert client.get(f"{result_path}/ditolak.csv").status_code == 401  # signed out
        sign_in(client, BU_YUNI)  # an operator of another regency
        assert client.get(result_path).status_code == 404
        assert client.get(f"{result_path}/ditolak.csv").status_code == 404
        client.cookies.clear()
        sign_in(client, ADMIN_KOTA)  # runs the office over Pasteur
        assert client.get(f"{result_path}/ditolak.csv").status_code == 200
        assert client.get("/console/rumah-tangga/impor/not-a-token/ditolak.csv").status_code == 404

    database = Database(settings)
    with database.transaction() as db:
        assert db.scalar(select(Household.phone).where(Household.head_name == "Bu Melati Baru")) == "+6281277770001"
        assert len(list(db.scalars(select(Household).where(Household.head_name == "Bu Sari")))) == 1
        assert db.scalar(select(Household).where(Household.head_name == "Pak Jombang")) is None
    database.dispose()
    [imported] = audit_rows(settings, "households_imported")
    assert imported.actor_person_id is not None and imported.subject_id == f"upload:{token}"
    assert (imported.details["read"], imported.details["created"], imported.details["updated"], imported.details["rejected"]) == (5, 1, 1, 3)
    assert len(audit_rows(settings, "household_upload_access_denied")) == 2
    assert len(audit_rows(settings, "household_rejections_downloaded")) == 2


def test_an_xlsx_list_with_only_good_rows(settings) -> None:  # type: ignore[no-untyped-def]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nama", "NIK", "Kode Wilayah", "Program"])
    sheet.append(["Pak Xlsx", "3273071708750004", "3273071001", "sembako"])
    content = io.BytesIO()
    workbook.save(content)
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        done = upload(client, "Daftar.XLSX", content.getvalue())
        assert done.status_code == 303
        result = client.get(done.headers["location"]).text
        assert "Semua baris diimpor" in result and "ditolak.csv" not in result
        assert client.get(done.headers["location"] + "/ditolak.csv").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.xls", b"\xd0\xcf\x11\xe0", "Format .xls yang lama tidak bisa dibaca"),
        ("list.pdf", b"%PDF-1.4", "bukan CSV atau XLSX"),
        ("list.csv", b"", "File ini kosong"),
        ("list.csv", b"nama,kode_wilayah\nBu A,32.73.07.1001\n", "Kolom wajib tidak ada di baris pertama: nik."),
        ("list.csv", b"nama,nik,kode_wilayah\n", "hanya berisi judul kolom"),
        ("list.csv", b"nama,nik,kode_wilayah\nBu \x00,1,2\n", "bukan file teks CSV (baris 2)"),
        ("list.xlsx", b"not a workbook", "File XLSX ini tidak bisa dibaca"),
    ],
)
def test_a_file_that_cannot_be_used_is_explained(settings, name: str, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        refused = upload(client, name, content)
        assert refused.status_code == 400 and message in refused.text
        assert 'name="file"' in refused.text  # the form again, to pick another file
    assert audit_rows(settings, "households_imported") == []
    folder = Path(settings.media_dir) / household_uploads.FOLDER
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_size_limit_and_the_form_token(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(household_uploads, "MAX_UPLOAD_BYTES", 1024)
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        page = client.get("/console/rumah-tangga/impor").text
        assert 'data-max-bytes="1024"' in page and "paling besar 1 KB" in page
        big = (HEADER + GOOD_ROWS * 20).encode()  # read, then refused past the limit
        refused = upload(client, "big.csv", big)
        assert refused.status_code == 413 and "lebih besar dari batasnya, 1 KB" in refused.text
        huge = (HEADER + GOOD_ROWS * 2000).encode()  # refused by its Content-Length, unread
        assert upload(client, "huge.csv", huge).status_code == 413
        forged = upload(client, "list.csv", (HEADER + GOOD_ROWS).encode(), csrf="forged")
        assert forged.status_code == 403
        missing = client.post("/console/rumah-tangga/impor", data={"csrf": csrf_of(page)}, follow_redirects=False)
        assert missing.status_code == 400 and "Pilih file CSV atau XLSX dulu" in missing.text
    assert audit_rows(settings, "households_imported") == []


def test_reasons_read_as_sentences_in_either_language() -> None:
    from app.console.import_reasons import in_words, most_common
    from app.i18n import translator

    english, indonesian = translator("en"), translator("id")
    assert in_words("nik: tanggal lahir tidak valid (310299)", english) == "The birth date in the NIK is not valid (310299)"
    assert in_words("kode_wilayah: 35.17.18.2001 di luar wilayah Anda", english) == "Village 35.17.18.2001 is outside your area"
    assert in_words("no_kk: harus 16 angka, bukan 15", indonesian) == "No. KK harus 16 angka, bukan 15"
    assert in_words("kode_wilayah: tidak dikenal (32.73.07.9999)", indonesian) == "Kode wilayah tidak dikenal"
    assert in_words("nik: dari kecamatan lain (327308)", english) == "NIK from another kecamatan (327308)"
    assert in_words("something new", english) == "something new"  # shown as given
    assert most_common(["nama: kosong", "nik: kosong", "nama: kosong"], indonesian) == [("Nama kosong", 2), ("NIK kosong", 1)]
