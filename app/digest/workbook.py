"""The digest's workbook (XLSX): a sheet per section and the list of cases, identifiers masked, in the reader's
language — the formal report an operator forwards to Dinas Sosial.

Every sheet is ready to forward as it is (the complaint was that each one needed reformatting first): columns as
wide as their contents, a bold header row that stays in view and repeats on each printed page, filters, dates as
real dates, and landscape pages one page wide. The sheets are streamed (write-only mode): several times faster
for a long case list, and everything above can still be set before the rows are written.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from app.digest import labels
from app.digest.figures import CASE_COLUMNS, is_partial
from app.digest.render import heading
from conversations.types import Translate

if TYPE_CHECKING:  # openpyxl is imported where a workbook is made: loading it would add 0.25 s to every start
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
N_ = str  # marks a label for extraction; it is translated when shown

CASE_HEADINGS = {
    "reference": N_("Nomor"), "created": N_("Tanggal lapor"), "category": N_("Masalah"), "status": N_("Status"),
    "village": N_("Desa/kelurahan"), "household": N_("Keluarga"), "nik": N_("NIK (disamarkan)"), "rt": N_("RT"),
    "rw": N_("RW"), "follow_up": N_("Tindak lanjut"), "overdue": N_("Terlambat"), "assignee": N_("Pendamping"),
}  # fmt: skip
KECAMATAN_HEADING = N_("Kecamatan")
KECAMATAN_BEFORE = CASE_COLUMNS.index("village")
"""Where a city- or province-wide list gets its kecamatan column: just before the village, so the place reads
from large to small and the columns people know keep their order."""

MIN_WIDTH, MAX_WIDTH = 8, 60  # in characters of the default font
BOLD_WIDER = 1.15  # a bold header is about this much wider than the same text in regular type
PADDING = 2
DATE_FORMATS = {"id": "dd/mm/yyyy", "en": "d mmm yyyy"}
DATETIME_FORMATS = {"id": "dd/mm/yyyy hh:mm", "en": "d mmm yyyy hh:mm"}


def workbook_xlsx(figures: dict[str, Any], t: Translate, locale: str, kecamatan_of: Mapping[str, str] | None = None) -> bytes:
    """The digest as a workbook; ``kecamatan_of`` (case reference → kecamatan name) adds the kecamatan column to the
    case list, for a digest of a city, regency or province."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _summary(book.create_sheet(_title(t("Ringkasan"))), figures, t, locale)
    add_table(book, t("Laporan baru"), [t("Masalah"), t("Minggu ini"), t("Minggu lalu")], [
        [labels.category(code, t), figures["new_by_category"].get(code, 0), figures["previous_new_by_category"].get(code, 0)]
        for code in dict.fromkeys([*figures["new_by_category"], *figures["previous_new_by_category"]])
    ], locale)  # fmt: skip
    add_table(book, t("Kasus terbuka"), [t("Status atau umur"), t("Jumlah")], [
        [t("Belum ada pendamping"), figures.get("unassigned", 0)],
        *([labels.status(code, t), count] for code, count in figures["open_by_status"].items()),
        [t("Kurang dari 7 hari"), figures["open_by_age"]["under_7"]],
        [t("7–30 hari"), figures["open_by_age"]["7_to_30"]],
        [t("Lebih dari 30 hari"), figures["open_by_age"]["over_30"]],
    ], locale)  # fmt: skip
    add_table(book, t("e-Warong"), [t("Agen atau jenis masalah"), t("Keluhan")], [
        *([agent, count] for agent, count in figures["ewarong_by_agent"].items()),
        *([labels.six_t(code, t), count] for code, count in figures["ewarong_by_t"].items()),
    ], locale)  # fmt: skip
    visits = figures.get("ewarong_visits") or {"visits": 0, "failed_t": {}, "transactions_ok": 0, "transactions_failed": 0}
    add_table(book, t("Kunjungan e-Warong"), [t("Angka"), t("Jumlah")], [
        [t("Kunjungan"), visits["visits"]],
        [t("Transaksi berhasil"), visits["transactions_ok"]],
        [t("Transaksi gagal"), visits["transactions_failed"]],
        *([t("Tidak sesuai: {item}", item=labels.six_t(code, t)), count] for code, count in visits["failed_t"].items()),
    ], locale)  # fmt: skip
    p2k2 = figures["p2k2"]
    add_table(book, t("P2K2"), [t("Pertemuan"), t("Jumlah hadir"), t("Diharapkan")], [[p2k2["held"], p2k2["present"], p2k2["expected"]]], locale)
    add_table(book, t("7 hari ke depan") if is_partial(figures) else t("Minggu depan"), [t("Hari"), t("Jam"), t("Kegiatan"), t("Desa/kelurahan"), t("Tempat")], [
        [date.fromisoformat(item["day"]), item["start"] + (f"–{item['end']}" if item["end"] else ""),
         (t("P2K2 {group}", group=item["name"]) if item["kind"] == "p2k2" else t("Penyaluran {agent}", agent=item["name"])),
         item["village"], item["place"]]
        for item in figures["coming"]
    ], locale)  # fmt: skip
    add_table(book, t("Pendamping"), [t("Nama"), t("Kegiatan"), t("Kasus baru")],
              [[c["name"], c["actions"], c["opened"]] for c in figures["companions"]], locale)  # fmt: skip
    add_table(book, t("Daftar kasus"), case_headings(t, with_kecamatan=kecamatan_of is not None),
              case_cells(figures["cases"], t, kecamatan_of), locale)  # fmt: skip
    return workbook_bytes(book)


def case_headings(t: Translate, *, with_kecamatan: bool) -> list[str]:
    headings = [t(CASE_HEADINGS[column]) for column in CASE_COLUMNS]
    if with_kecamatan:
        headings.insert(KECAMATAN_BEFORE, t(KECAMATAN_HEADING))
    return headings


def case_cells(rows: Iterable[Sequence[Any]], t: Translate, kecamatan_of: Mapping[str, str] | None) -> list[list[Any]]:
    """Case rows (``CASE_COLUMNS``) as the sheet shows them: labels in the reader's language, dates as dates, and
    the kecamatan when ``kecamatan_of`` is given."""
    table = []
    for row in rows:
        cells = [readable_cell(column, value, t) for column, value in zip(CASE_COLUMNS, row, strict=True)]
        if kecamatan_of is not None:
            cells.insert(KECAMATAN_BEFORE, kecamatan_of.get(row[0], ""))
        table.append(cells)
    return table


def add_table(book: Workbook, title: str, headings: list[str], rows: list[list[Any]], locale: str) -> None:
    """A sheet holding one table, formatted to be forwarded and printed as it is."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(_title(title))
    for index, width in enumerate(column_widths(headings, rows, locale), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(headings)))}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet)
    sheet.append([_bold(sheet, text) for text in headings])
    for row in rows:
        sheet.append([_cell(sheet, value, locale) for value in row])


def column_widths(headings: Sequence[str], rows: Iterable[Sequence[Any]], locale: str) -> list[float]:
    """Each column as wide as its widest value (a bold header counting a little wider), within 8–60 characters."""
    widest = [len(text) * BOLD_WIDER for text in headings]
    for row in rows:
        for index, value in enumerate(row):
            if index >= len(widest):
                widest.append(0)
            widest[index] = max(widest[index], _shown_length(value, locale))
    return [round(min(MAX_WIDTH, max(MIN_WIDTH, chars + PADDING)), 1) for chars in widest]


def _shown_length(value: Any, locale: str) -> int:
    """How many characters ``value`` takes once Excel shows it (a date in its number format, not its serial)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(value.strftime("%d/%m/%Y %H:%M")) + (1 if locale != "id" else 0)
    if isinstance(value, date):
        return len(value.strftime("%d/%m/%Y")) + (1 if locale != "id" else 0)  # "d mmm yyyy" is a character longer
    if isinstance(value, bool):
        return 5
    return max((len(line) for line in str(value).splitlines()), default=0)


def _print_setup(sheet: Any) -> None:
    """Landscape, scaled to one page wide (as many pages down as it takes)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _cell(sheet: Any, value: Any, locale: str) -> Any:
    """A plain value, or a styled cell: dates with a date format; text too long for its column wrapped."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))  # Excel has no time zones: the local time
        cell.number_format = DATETIME_FORMATS.get(locale, DATETIME_FORMATS["id"])
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # openpyxl writes dates; its stubs leave them out
        cell.number_format = DATE_FORMATS.get(locale, DATE_FORMATS["id"])
        return cell
    if isinstance(value, str) and len(value) > MAX_WIDTH - PADDING:
        cell = WriteOnlyCell(sheet, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    return value


def _summary(sheet: Any, figures: dict[str, Any], t: Translate, locale: str) -> None:
    from openpyxl.utils import get_column_letter

    title = heading(figures, t, locale)
    last = figures["until"][:10] if is_partial(figures) else figures["to"]  # the week so far ends today
    period = [t("Minggu"), figures["week"], labels.long_day(date.fromisoformat(figures["from"]), locale),
              labels.long_day(date.fromisoformat(last), locale)]  # fmt: skip
    captions = [t("Angka"), t("Minggu ini"), t("Minggu lalu")]
    zero, zero_before = figures["zero_balance"], figures["previous_zero_balance"]
    p2k2, p2k2_before = figures["p2k2"], figures["previous_p2k2"]
    rows = [
        [t("Belum ada pendamping"), figures.get("unassigned", 0), figures.get("previous_unassigned")],
        [t("Laporan baru"), sum(figures["new_by_category"].values()), sum(figures["previous_new_by_category"].values())],
        [t("Selesai atau ditutup"), figures["closed"], figures["previous_closed"]],
        [t("Kasus terbuka"), figures["open_total"], figures["previous_open_total"]],
        [t("Tindak lanjut terlambat"), figures["overdue"], figures["previous_overdue"]],
        [t("Saldo kosong, masih di daftar bayar"), zero["on_list"], zero_before["on_list"]],
        [t("Saldo kosong, tidak di daftar"), zero["not_on_list"], zero_before["not_on_list"]],
        [t("Keluhan e-Warong"), sum(figures["ewarong_by_t"].values()), figures["previous_ewarong_total"]],
        [t("Pertemuan P2K2"), p2k2["held"], p2k2_before["held"]],
        [t("Kehadiran P2K2 (%)"), _rate(p2k2), _rate(p2k2_before)],
        [t("Kegiatan pendamping"), sum(c["actions"] for c in figures["companions"]), figures["previous_companion_actions"]],
    ]
    area_row = [t("Kode wilayah"), figures["area"]]
    # The title runs on over the empty cells beside it: it does not widen the first column
    for index, width in enumerate(column_widths(captions, [area_row, period, *rows], locale), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_setup(sheet)
    sheet.append([_bold(sheet, title, size=13)])
    sheet.append(area_row)
    sheet.append(period)
    sheet.append([])
    sheet.append([_bold(sheet, caption) for caption in captions])
    for row in rows:
        sheet.append(row)


def _rate(p2k2: dict[str, int]) -> int | None:
    return round(100 * p2k2["present"] / p2k2["expected"]) if p2k2["expected"] else None


def _bold(sheet: Any, value: str, size: int = 11) -> Cell:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True, size=size)
    return cell


def readable_cell(column: str, value: Any, t: Translate) -> Any:
    if column == "category":
        return labels.category(value, t)
    if column == "status":
        return labels.status(value, t)
    if column == "overdue":
        return t("Ya") if value else ""
    if column in ("created", "follow_up") and value:
        return date.fromisoformat(value)
    return value


def workbook_bytes(book: Workbook) -> bytes:
    """A finished workbook as the bytes of an ``.xlsx`` file."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _title(text: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join(c for c in text if c not in "[]:*?/\\")[:31]
