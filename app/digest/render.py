"""The digest as a chat message: short, the top items of each section, each count with its change.

A quiet week gets one line, not silence; a busy one stays readable (the top
five of each list, the rest in the workbook).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from app.areas.timezones import ZONE_ABBREVIATIONS
from app.digest import labels
from app.digest.figures import is_partial, is_quiet
from conversations.types import Translate

TOP = 5


def digest_text(figures: dict[str, Any], t: Translate, locale: str) -> str:
    partial = is_partial(figures)
    if is_quiet(figures):
        quiet = (t("Belum ada yang baru minggu ini: tidak ada laporan, tidak ada kasus terbuka, dan tidak ada jadwal 7 hari ke depan.")
                 if partial else t("Tidak ada yang baru: tidak ada laporan, tidak ada kasus terbuka, dan tidak ada jadwal minggu depan."))  # fmt: skip
        return "\n".join([heading(figures, t, locale), quiet, *_last_week_hint(figures, t)])
    sections = [heading(figures, t, locale), *_unassigned(figures, t, locale), *_reports(figures, t), *_open(figures, t, locale),
                *_zero_and_ewarong(figures, t), *_p2k2(figures, t), *_coming(figures, t, locale), *_companions(figures, t)]  # fmt: skip
    sections.append(t("Grafik 8 minggu dan lembar kerja Excel (semua angka dan daftar kasus) menyusul."))
    sections += _last_week_hint(figures, t)
    return "\n".join(sections)


def heading(figures: dict[str, Any], t: Translate, locale: str) -> str:
    """A whole week by its days; the week so far up to when it was counted, in the area's (the reader's) time."""
    if is_partial(figures):
        until = datetime.fromisoformat(figures["until"])
        hours = until.strftime("%H.%M" if locale == "id" else "%H:%M") + " " + ZONE_ABBREVIATIONS.get(figures["timezone"], "")
        day = format_date(until.date(), "EEEE d MMMM y", locale=locale)
        return t("Ringkasan mingguan {area}, minggu ini sampai {day} pukul {time}", area=figures["area_name"], day=day, time=hours.strip())
    days = f"{labels.long_day(date.fromisoformat(figures['from']), locale)} – {labels.long_day(date.fromisoformat(figures['to']), locale)}"
    return t("Ringkasan mingguan {area}, {days}", area=figures["area_name"], days=days)


def _last_week_hint(figures: dict[str, Any], t: Translate) -> list[str]:
    return [t("Ketik RINGKASAN LALU untuk minggu lalu.")] if is_partial(figures) else []


def change(now: int | float, before: int | float | None, t: Translate) -> str:
    """`` (+3)``, `` (−2)``, `` (sama)``; nothing when there is no week before to compare with."""
    if before is None:
        return ""
    difference = now - before
    if not difference:
        return " " + t("(sama)")
    sign = "+" if difference > 0 else "−"
    amount = f"{abs(difference):g}" if isinstance(difference, float) else str(abs(difference))
    return f" ({sign}{amount})"


def _top(items: list[str], t: Translate) -> list[str]:
    shown = [f"- {item}" for item in items[:TOP]]
    if len(items) > TOP:
        shown.append(t("- … dan {count} lainnya di lembar kerja", count=len(items) - TOP))
    return shown


def _unassigned(figures: dict[str, Any], t: Translate, locale: str) -> list[str]:
    """Open cases nobody works on yet come first: someone has to take them."""
    count, before = figures.get("unassigned", 0), figures.get("previous_unassigned")
    if not count and not before:
        return []
    listed = figures.get("unassigned_top", [])
    lines = ["", t("Belum ada pendamping: {count}", count=count) + change(count, before, t)]
    lines += [
        "- " + t("{reference} {name} (sejak {day})", reference=ref, name=name or "-", day=labels.short_day(date.fromisoformat(day), locale))
        for ref, name, _category, day in listed
    ]
    if count > len(listed):
        lines.append(t("- … dan {count} lainnya di lembar kerja", count=count - len(listed)))
    return lines


def _reports(figures: dict[str, Any], t: Translate) -> list[str]:
    new = figures["new_by_category"]
    total = sum(new.values())
    lines = ["", t("Laporan baru: {count}", count=total) + change(total, sum(figures["previous_new_by_category"].values()), t)]
    lines += _top([f"{labels.category(code, t)}: {count}" for code, count in new.items()], t)
    lines.append(t("Selesai atau ditutup: {count}", count=figures["closed"]) + change(figures["closed"], figures["previous_closed"], t))
    return lines


def _open(figures: dict[str, Any], t: Translate, locale: str) -> list[str]:
    total = figures["open_total"]
    line = t("Kasus terbuka: {count}", count=total) + change(total, figures["previous_open_total"], t)
    if figures["open_by_status"]:
        line += " — " + ", ".join(f"{labels.status(code, t).lower()} {count}" for code, count in figures["open_by_status"].items())
    lines = [line]
    if total:
        age = figures["open_by_age"]
        lines.append(t("Umur: kurang dari 7 hari {under_7}, 7–30 hari {middle}, lebih dari 30 hari {over_30}",
                       under_7=age["under_7"], middle=age["7_to_30"], over_30=age["over_30"]))  # fmt: skip
    overdue = figures["overdue"]
    lines.append(t("Tindak lanjut terlambat: {count}", count=overdue) + change(overdue, figures["previous_overdue"], t))
    listed = figures["overdue_top"]
    lines += [
        "- " + t("{reference} {name} (sejak {day})", reference=ref, name=name or "-", day=labels.short_day(date.fromisoformat(day), locale))
        for ref, name, _category, day in listed
    ]
    if overdue > len(listed):
        lines.append(t("- … dan {count} lainnya di lembar kerja", count=overdue - len(listed)))
    return lines


def _zero_and_ewarong(figures: dict[str, Any], t: Translate) -> list[str]:
    lines = []
    zero, before = figures["zero_balance"], figures["previous_zero_balance"]
    zero_total = zero["on_list"] + zero["not_on_list"]
    if zero_total or before["on_list"] + before["not_on_list"]:
        lines.append(
            t("Saldo kosong: {count} ({on_list} masih di daftar bayar, {off_list} tidak di daftar)",
              count=zero_total, on_list=zero["on_list"], off_list=zero["not_on_list"])
            + change(zero_total, before["on_list"] + before["not_on_list"], t)
        )  # fmt: skip
    by_t = figures["ewarong_by_t"]
    total = sum(by_t.values())
    if total or figures["previous_ewarong_total"]:
        lines.append(t("Keluhan e-Warong: {count}", count=total) + change(total, figures["previous_ewarong_total"], t))
        lines += _top([f"{agent}: {count}" for agent, count in figures["ewarong_by_agent"].items()], t)
        if by_t:
            lines.append(", ".join(f"{labels.six_t(code, t)} {count}" for code, count in by_t.items()))
    visits = figures.get("ewarong_visits", {})
    if visits.get("visits"):
        line = t("Kunjungan e-Warong: {count}, transaksi berhasil {ok}, gagal {failed}",
                 count=visits["visits"], ok=visits["transactions_ok"], failed=visits["transactions_failed"])  # fmt: skip
        if visits["failed_t"]:
            line += "; " + t("tidak sesuai: {items}", items=", ".join(f"{labels.six_t(code, t)} {n}" for code, n in visits["failed_t"].items()))
        lines.append(line)
    return [""] + lines if lines else []


def _p2k2(figures: dict[str, Any], t: Translate) -> list[str]:
    now, before = figures["p2k2"], figures["previous_p2k2"]
    if not now["held"] and not before["held"]:
        return []
    rate = round(100 * now["present"] / now["expected"]) if now["expected"] else 0
    line = t("P2K2: {count} pertemuan, kehadiran {rate}%", count=now["held"], rate=rate)
    if before["expected"]:
        line += " " + t("(minggu lalu {rate}%)", rate=round(100 * before["present"] / before["expected"]))
    return [line]


def _coming(figures: dict[str, Any], t: Translate, locale: str) -> list[str]:
    """Next week's meetings; while the week is going on, those of the next seven days."""
    partial = is_partial(figures)
    if not figures["coming"]:
        return ["", t("7 hari ke depan: belum ada jadwal.") if partial else t("Minggu depan: belum ada jadwal.")]
    items = []
    for item in figures["coming"]:
        hours = item["start"] + (f"–{item['end']}" if item["end"] else "")
        if locale == "id":
            hours = hours.replace(":", ".")
        what = t("P2K2 {group}", group=item["name"]) if item["kind"] == "p2k2" else t("Penyaluran {agent}", agent=item["name"] or "e-Warong")
        items.append(f"{labels.short_day(date.fromisoformat(item['day']), locale)} {hours} {what} ({item['village']})")
    return ["", t("7 hari ke depan:") if partial else t("Minggu depan:"), *_top(items, t)]


def _companions(figures: dict[str, Any], t: Translate) -> list[str]:
    companions = figures["companions"]
    total = sum(c["actions"] for c in companions)
    if not companions and not figures["previous_companion_actions"]:
        return []
    items = [
        t("{name}: kegiatan {actions}, kasus baru {opened}", name=c["name"], actions=c["actions"], opened=c["opened"])
        if c["opened"] else t("{name}: kegiatan {actions}", name=c["name"], actions=c["actions"])
        for c in companions
    ]  # fmt: skip
    return ["", t("Kegiatan pendamping: {count}", count=total) + change(total, figures["previous_companion_actions"], t), *_top(items, t)]
