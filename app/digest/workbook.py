"""The digest's workbook (XLSX): a sheet per section and the list of cases, identifiers masked, in the reader's
language — the formal report an operator forwards to Dinas Sosial."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.digest import labels
from app.digest.figures import CASE_COLUMNS, is_partial
from app.digest.render import heading
from conversations.types import Translate

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
N_ = str  # marks a label for extraction; it is translated when shown

CASE_HEADINGS = {
    "reference": N_("Nomor"), "created": N_("Tanggal lapor"), "category": N_("Masalah"), "status": N_("Status"),
    "village": N_("Desa/kelurahan"), "household": N_("Keluarga"), "nik": N_("NIK (disamarkan)"), "rt": N_("RT"),
    "rw": N_("RW"), "follow_up": N_("Tindak lanjut"), "overdue": N_("Terlambat"), "assignee": N_("Pendamping"),
}  # fmt: skip


def workbook_xlsx(figures: dict[str, Any], t: Translate, locale: str) -> bytes:
    book = Workbook(write_only=True)  # streamed: several times faster for the case list
    _summary(book.create_sheet(_title(t("Ringkasan"))), figures, t, locale)
    _table(book, t("Laporan baru"), [t("Masalah"), t("Minggu ini"), t("Minggu lalu")], [
        [labels.category(code, t), figures["new_by_category"].get(code, 0), figures["previous_new_by_category"].get(code, 0)]
        for code in dict.fromkeys([*figures["new_by_category"], *figures["previous_new_by_category"]])
    ])  # fmt: skip
    _table(book, t("Kasus terbuka"), [t("Status atau umur"), t("Jumlah")], [
        [t("Belum ada pendamping"), figures.get("unassigned", 0)],
        *([labels.status(code, t), count] for code, count in figures["open_by_status"].items()),
        [t("Kurang dari 7 hari"), figures["open_by_age"]["under_7"]],
        [t("7–30 hari"), figures["open_by_age"]["7_to_30"]],
        [t("Lebih dari 30 hari"), figures["open_by_age"]["over_30"]],
    ])  # fmt: skip
    _table(book, t("e-Warong"), [t("Agen atau jenis masalah"), t("Keluhan")], [
        *([agent, count] for agent, count in figures["ewarong_by_agent"].items()),
        *([labels.six_t(code, t), count] for code, count in figures["ewarong_by_t"].items()),
    ])  # fmt: skip
    visits = figures.get("ewarong_visits") or {"visits": 0, "failed_t": {}, "transactions_ok": 0, "transactions_failed": 0}
    _table(book, t("Kunjungan e-Warong"), [t("Angka"), t("Jumlah")], [
        [t("Kunjungan"), visits["visits"]],
        [t("Transaksi berhasil"), visits["transactions_ok"]],
        [t("Transaksi gagal"), visits["transactions_failed"]],
        *([t("Tidak sesuai: {item}", item=labels.six_t(code, t)), count] for code, count in visits["failed_t"].items()),
    ])  # fmt: skip
    p2k2 = figures["p2k2"]
    _table(book, t("P2K2"), [t("Pertemuan"), t("Jumlah hadir"), t("Diharapkan")], [[p2k2["held"], p2k2["present"], p2k2["expected"]]])
    _table(book, t("7 hari ke depan") if is_partial(figures) else t("Minggu depan"), [t("Hari"), t("Jam"), t("Kegiatan"), t("Desa/kelurahan"), t("Tempat")], [
        [date.fromisoformat(item["day"]), item["start"] + (f"–{item['end']}" if item["end"] else ""),
         (t("P2K2 {group}", group=item["name"]) if item["kind"] == "p2k2" else t("Penyaluran {agent}", agent=item["name"])),
         item["village"], item["place"]]
        for item in figures["coming"]
    ])  # fmt: skip
    _table(book, t("Pendamping"), [t("Nama"), t("Kegiatan"), t("Kasus baru")],
           [[c["name"], c["actions"], c["opened"]] for c in figures["companions"]])  # fmt: skip
    _table(book, t("Daftar kasus"), [t(CASE_HEADINGS[column]) for column in CASE_COLUMNS], [
        [readable_cell(column, value, t) for column, value in zip(CASE_COLUMNS, row, strict=True)] for row in figures["cases"]
    ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(sheet: Any, figures: dict[str, Any], t: Translate, locale: str) -> None:
    sheet.column_dimensions["A"].width = 40
    sheet.append([_bold(sheet, heading(figures, t, locale), size=13)])
    sheet.append([t("Kode wilayah"), figures["area"]])
    last = figures["until"][:10] if is_partial(figures) else figures["to"]  # the week so far ends today
    sheet.append([t("Minggu"), figures["week"], labels.long_day(date.fromisoformat(figures["from"]), locale),
                  labels.long_day(date.fromisoformat(last), locale)])  # fmt: skip
    sheet.append([])
    sheet.append([_bold(sheet, title) for title in (t("Angka"), t("Minggu ini"), t("Minggu lalu"))])
    zero, zero_before = figures["zero_balance"], figures["previous_zero_balance"]
    p2k2, p2k2_before = figures["p2k2"], figures["previous_p2k2"]
    rows = [
        (t("Belum ada pendamping"), figures.get("unassigned", 0), figures.get("previous_unassigned")),
        (t("Laporan baru"), sum(figures["new_by_category"].values()), sum(figures["previous_new_by_category"].values())),
        (t("Selesai atau ditutup"), figures["closed"], figures["previous_closed"]),
        (t("Kasus terbuka"), figures["open_total"], figures["previous_open_total"]),
        (t("Tindak lanjut terlambat"), figures["overdue"], figures["previous_overdue"]),
        (t("Saldo kosong, masih di daftar bayar"), zero["on_list"], zero_before["on_list"]),
        (t("Saldo kosong, tidak di daftar"), zero["not_on_list"], zero_before["not_on_list"]),
        (t("Keluhan e-Warong"), sum(figures["ewarong_by_t"].values()), figures["previous_ewarong_total"]),
        (t("Pertemuan P2K2"), p2k2["held"], p2k2_before["held"]),
        (t("Kehadiran P2K2 (%)"), _rate(p2k2), _rate(p2k2_before)),
        (t("Kegiatan pendamping"), sum(c["actions"] for c in figures["companions"]), figures["previous_companion_actions"]),
    ]
    for row in rows:
        sheet.append(list(row))


def _rate(p2k2: dict[str, int]) -> int | None:
    return round(100 * p2k2["present"] / p2k2["expected"]) if p2k2["expected"] else None


def _table(book: Workbook, title: str, headings: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(_title(title))
    for index, title_text in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(title_text) + 4))
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, heading) for heading in headings])
    for row in rows:
        sheet.append(row)


def _bold(sheet: Any, value: str, size: int = 11) -> WriteOnlyCell:
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


def _title(text: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join(c for c in text if c not in "[]:*?/\\")[:31]
