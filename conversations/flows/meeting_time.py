"""Reading a meeting's day, start time or opening hours from an answer, with a kind word when it does not fit.

Each reader returns the value, a ``Reply`` that says what is wrong (a past day, a
time outside meeting hours), or None when the answer is no day or time at all
(the caller asks again with its usual "not understood").
"""

from __future__ import annotations

from datetime import date

from conversations.dates import format_day, parse_date, past_date
from conversations.times import EARLIEST, LATEST, format_hours, format_time, outside_hours, parse_hours, parse_time
from conversations.types import Context, Inbound, InboundKind, Reply


def read_day(inbound: Inbound, ctx: Context) -> date | Reply | None:
    if inbound.kind is not InboundKind.TEXT:
        return None
    day = parse_date(inbound.text, ctx.today)
    if day is not None:
        return day
    past = past_date(inbound.text, ctx.today)
    if past is not None:
        day_shown = format_day(past, ctx.person.locale)
        return Reply(ctx.t("{date} sudah lewat. Pilih hari ini atau hari yang akan datang.", date=day_shown))
    return Reply(ctx.t("Tanggal itu belum terbaca. Contoh: sabtu, besok, 5/12, 5 des."))


def read_start(inbound: Inbound, ctx: Context) -> str | Reply | None:
    if inbound.kind is not InboundKind.TEXT:
        return None
    start = parse_time(inbound.text)
    if start is None:
        return Reply(ctx.t("Jam itu belum terbaca. Contoh: 9, 09.00, 9.30, jam 2 siang."))
    if outside_hours(start):
        return _outside(format_time(start, ctx.person.locale), ctx)
    return start


def read_hours(inbound: Inbound, ctx: Context) -> tuple[str, str] | Reply | None:
    if inbound.kind is not InboundKind.TEXT:
        return None
    hours = parse_hours(inbound.text)
    if hours is None:
        return Reply(ctx.t("Jamnya belum terbaca. Tulis jam mulai dan selesai, contoh: 08.00-12.00 atau 8-12."))
    start, end = hours
    if end <= start:
        return Reply(ctx.t("Jam selesai harus sesudah jam mulai. Contoh: 08.00-12.00."))
    if outside_hours(start) or outside_hours(end):
        return _outside(format_hours(start, end, ctx.person.locale), ctx)
    return hours


def _outside(shown: str, ctx: Context) -> Reply:
    locale = ctx.person.locale
    return Reply(
        ctx.t(
            "Pukul {time} di luar jam kegiatan. Pilih antara {earliest} dan {latest}, supaya warga bisa datang.",
            time=shown,
            earliest=format_time(EARLIEST, locale),
            latest=format_time(LATEST, locale),
        )
    )
