"""Household lists uploaded in the console: the same importer as ``kawal import households``, within the uploader's areas.

A kelurahan operator cannot run the command on a server, yet the list is what makes households recognisable.
The upload is stored privately (a 0700 folder under the media directory, 0600 files), checked and imported in
the request's transaction, then deleted: only the rejected rows are kept (they repeat the NIK as given, so they
are as private as the upload) for ``KEEP_FOR``, with a small record of who uploaded what, for the result page.
Only the uploader, or someone running the office of all the upload's areas, may see the result or the file.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from app.console.households import office_areas
from app.console.scope import runs_office
from app.households.importer import ImportFileError, area_levels, check_file_rows, read_table, store_households
from app.models import Person

N_ = str

FOLDER = "console-uploads"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""Larger than a kelurahan's list many times over; a whole city's list is split, as the message says."""
KEEP_FOR = timedelta(days=7)
SHOWN_REJECTIONS = 200
CHUNK = 64 * 1024
SUFFIXES = (".csv", ".xlsx")
_TOKEN = re.compile(r"[0-9a-f]{32}")


class UploadRefused(Exception):
    """The file cannot be imported; ``message`` is a msgid (Indonesian) and ``params`` fill its placeholders."""

    def __init__(self, message: str, *, status: int = 400, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.params = params


@dataclass(frozen=True)
class Rejected:
    line: int
    reasons: list[str]


@dataclass(frozen=True)
class Warned:
    """A row imported with a warning (``nik: dari kecamatan lain (327308)``): its line and the warnings."""

    line: int
    reasons: list[str]


@dataclass(frozen=True)
class Upload:
    """What an upload did, kept beside its rejected rows (no NIK here: the reasons never repeat one in full)."""

    token: str
    uploader_id: int
    areas: list[str]
    at: str  # ISO time (UTC) of the upload
    day: str  # the uploader's local date, for the file name
    file_name: str
    read: int
    created: int
    updated: int
    rejected: int
    rejections: list[Rejected] = field(default_factory=list)
    programmes: dict[str, int] = field(default_factory=dict)  # households per known programme code
    unknown_programmes: dict[str, int] = field(default_factory=dict)  # households per other name, as written
    warned: int = 0
    warnings: list[Warned] = field(default_factory=list)  # the first SHOWN_REJECTIONS of them

    @property
    def imported(self) -> int:
        return self.created + self.updated

    @property
    def download_name(self) -> str:
        return f"ditolak-rumah-tangga-{self.day}.csv"


def folder(media_dir: Path) -> Path:
    """The private folder for uploads and rejected rows (created 0700; tightened if it already exists)."""
    path = Path(media_dir) / FOLDER
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def suffix_of(file_name: str) -> str:
    """``.csv`` or ``.xlsx``; anything else is refused with words the uploader can act on."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        raise UploadRefused(N_("Format .xls yang lama tidak bisa dibaca: simpan sebagai .xlsx atau CSV UTF-8."))
    if suffix not in SUFFIXES:
        raise UploadRefused(N_("File {name} bukan CSV atau XLSX: simpan daftarnya sebagai .csv (UTF-8) atau .xlsx."),
                            name=file_name[-80:])  # fmt: skip
    return suffix


def no_file() -> UploadRefused:
    return UploadRefused(N_("Pilih file CSV atau XLSX dulu."))


def too_large(max_bytes: int) -> UploadRefused:
    return UploadRefused(N_("File ini lebih besar dari batasnya, {limit}: bagi daftarnya menjadi beberapa file."),
                         status=413, limit=megabytes(max_bytes))  # fmt: skip


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def import_upload(
    db: Session,
    media_dir: Path,
    *,
    person: Person,
    source: BinaryIO,
    file_name: str,
    secret_key: str,
    now: datetime,
    day: str,
    max_bytes: int | None = None,
) -> Upload:
    """Store, check and import one uploaded list in ``db``'s transaction; keep its rejected rows. Audited.

    Rows whose village lies outside the areas ``person`` runs are rejected ("di luar wilayah Anda").
    Raises ``UploadRefused`` (nothing imported) for a file that cannot be used.
    """
    limit = MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    suffix = suffix_of(file_name)
    root = folder(media_dir)
    forget_old(root, now)
    token = secrets.token_hex(16)
    path = root / f"{token}{suffix}"
    rejected = root / f"{token}_rejected.csv"
    try:
        _copy_privately(source, path, limit)
        areas = office_areas(person)
        try:
            checked = check_file_rows(path, lambda: area_levels(db), secret_key=secret_key, max_bytes=limit,
                                      allowed_areas=areas)  # fmt: skip
        except ImportFileError as error:
            raise file_error(error) from None
        result = store_households(db, checked, now=now, actor_id=person.id, subject_id=f"upload:{token}")
    except BaseException:
        rejected.unlink(missing_ok=True)
        raise
    finally:
        path.unlink(missing_ok=True)  # the whole list, NIKs included: not kept once imported
    rejections = _rejections(checked.rejected_path) if checked.rejected_path else []
    summary = result.summary
    warned = [Warned(warning.line, warning.reasons) for warning in summary.warnings[:SHOWN_REJECTIONS]]
    upload = Upload(token, person.id, areas, now.isoformat(), day, Path(file_name).name[-120:], result.read,
                    result.created, result.updated, result.rejected, rejections, summary.programmes,
                    summary.unknown_programmes, len(summary.warnings), warned)  # fmt: skip
    _write_private(_record_path(root, token), json.dumps(asdict(upload)).encode())
    return upload


def _copy_privately(source: BinaryIO, path: Path, max_bytes: int) -> None:
    """Copy the upload to a new 0600 file, refusing it as soon as it passes ``max_bytes``."""
    size = 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            target.write(chunk)
    if size == 0:
        raise UploadRefused(N_("File ini kosong: tidak ada yang diimpor."))


def _write_private(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        target.write(content)


def _rejections(path: Path) -> list[Rejected]:
    """Line and reasons of the first rejected rows, read back from the file the importer wrote."""
    table = read_table(path)
    names = [name.strip().lower() for name in table.header]
    line_at, reasons_at = names.index("baris"), names.index("alasan")
    shown = []
    for _, cells in table.rows[:SHOWN_REJECTIONS]:
        line = str(cells[line_at]) if line_at < len(cells) else ""
        reasons = str(cells[reasons_at]) if reasons_at < len(cells) else ""
        shown.append(Rejected(int(line) if line.isdigit() else 0, [r.strip() for r in reasons.split(";") if r.strip()]))
    return shown


# --- the file could not be used: the importer's one-line reasons, in words the uploader reads ------------------

_FILE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"is not a text file \(line (?P<line>\d+)\)"),
     N_("File ini bukan file teks CSV (baris {line}): simpan daftarnya sebagai CSV atau .xlsx.")),
    (re.compile(r"is not a readable CSV file"), N_("File CSV ini tidak bisa dibaca.")),
    (re.compile(r"is not a readable \.xlsx workbook"), N_("File XLSX ini tidak bisa dibaca: simpan ulang dari Excel.")),
    (re.compile(r"is empty"), N_("File ini kosong: tidak ada yang diimpor.")),
    (re.compile(r"has a header but no rows"), N_("File ini hanya berisi judul kolom, tanpa baris data.")),
    (re.compile(r"lacks the required column\(s\) (?P<columns>[a-z_, ]+?) in its first row"),
     N_("Kolom wajib tidak ada di baris pertama: {columns}. Kolom wajib: nama, nik, kode_wilayah.")),
    (re.compile(r"has the column (?P<column>[a-z_]+) twice"), N_("Kolom {column} ada dua kali: sisakan satu.")),
)  # fmt: skip


def file_error(error: ImportFileError) -> UploadRefused:
    """The importer's reason (English, for the command line) as a message for the console."""
    text = str(error)
    for pattern, message in _FILE_ERRORS:
        found = pattern.search(text)
        if found:
            return UploadRefused(message, status=400, **found.groupdict())  # the groups fill the message
    return UploadRefused(N_("File ini tidak bisa diimpor."))


# --- finding an upload again ---------------------------------------------------------------------------------


def find_upload(media_dir: Path, token: str, now: datetime) -> Upload | None:
    """The upload's record, while it is kept; ``None`` for an unknown, malformed or expired token."""
    if not _TOKEN.fullmatch(token):
        return None
    path = _record_path(Path(media_dir) / FOLDER, token)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    data["rejections"] = [Rejected(**rejected) for rejected in data.get("rejections", [])]
    data["warnings"] = [Warned(**warned) for warned in data.get("warnings", [])]
    upload = Upload(**data)
    return None if datetime.fromisoformat(upload.at) + KEEP_FOR <= now else upload


def may_see(person: Person, upload: Upload) -> bool:
    """The uploader, or someone running the office of every area the upload covered."""
    return upload.uploader_id == person.id or (bool(upload.areas) and all(runs_office(person, a) for a in upload.areas))


def rejected_file(media_dir: Path, upload: Upload) -> Path | None:
    path = Path(media_dir) / FOLDER / f"{upload.token}_rejected.csv"
    return path if upload.rejected and path.is_file() else None


def forget_old(root: Path, now: datetime) -> int:
    """Delete uploads older than ``KEEP_FOR`` (their record and rejected rows); how many went."""
    gone = 0
    for record in root.glob("*.json"):
        try:
            at = datetime.fromisoformat(json.loads(record.read_text())["at"])
        except (OSError, ValueError, KeyError):
            continue
        if at + KEEP_FOR <= now:
            for path in _files_of(root, record.stem):
                path.unlink(missing_ok=True)
            gone += 1
    return gone


def _files_of(root: Path, token: str) -> Iterable[Path]:
    return (root / f"{token}_rejected.csv", _record_path(root, token))


def _record_path(root: Path, token: str) -> Path:
    return root / f"{token}.json"

