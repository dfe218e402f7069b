"""How meetings read in a chat: their title, day and time, place, topic, the members' answers.

Shared by the schedule, "Jadwal saya" and attendance flows. A distribution always
says what to bring and that nobody may ask for the PIN (``DOMAIN.md`` §6).
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from conversations.dates import format_day
from conversations.p2k2 import session_label
from conversations.times import format_hours
from conversations.types import Context, MeetingView, ScheduleView

N_ = str

STATUS_MARKS = {"cancelled": N_("dibatalkan"), "held": N_("selesai")}


def schedule_of(ctx: Context) -> ScheduleView:
    """The person's schedule; nothing loaded reads as nothing planned."""
    return ctx.person.schedule or ScheduleView()


def meeting_day(meeting: MeetingView) -> date:
    return date.fromisoformat(meeting.day)


def upcoming(meetings: tuple[MeetingView, ...], today: date) -> list[MeetingView]:
    """Meetings from today on, soonest first."""
    return sorted((m for m in meetings if meeting_day(m) >= today), key=lambda m: (m.day, m.start))


def upcoming_then_recent(meetings: tuple[MeetingView, ...], today: date) -> list[MeetingView]:
    """Meetings from today on (soonest first), then those already past (latest first)."""
    past = sorted((m for m in meetings if meeting_day(m) < today), key=lambda m: (m.day, m.start), reverse=True)
    return upcoming(meetings, today) + past


def title(meeting: MeetingView, ctx: Context) -> str:
    if meeting.kind == "p2k2":
        return ctx.t("P2K2 kelompok {group}", group=meeting.group_name or "-")
    return ctx.t("Penyaluran sembako di {village}", village=meeting.place_name or "-")


def short_title(meeting: MeetingView, ctx: Context) -> str:
    if meeting.kind == "p2k2":
        return ctx.t("P2K2 {group}", group=meeting.group_name or "-")
    return ctx.t("Penyaluran {village}", village=meeting.place_name or "-")


def when(meeting: MeetingView, ctx: Context) -> str:
    """``Sabtu, 5 Desember 2026, pukul 09.00``."""
    locale = ctx.person.locale
    hours = format_hours(meeting.start, meeting.end, locale)
    return ctx.t("{day}, pukul {time}", day=format_day(meeting_day(meeting), locale), time=hours)


def list_label(meeting: MeetingView, ctx: Context) -> str:
    """One line to pick a meeting by: ``Sab, 5 Des 09.00 - P2K2 Mawar 1 (dibatalkan)``."""
    locale = ctx.person.locale
    day = format_date(meeting_day(meeting), "EEE, d MMM", locale=locale)
    line = f"{day} {format_hours(meeting.start, '', locale)} - {short_title(meeting, ctx)}"
    mark = STATUS_MARKS.get(meeting.status)
    return f"{line} ({ctx.t(mark)})" if mark else line


def topic(meeting: MeetingView, ctx: Context) -> str:
    """The session (``Mengelola keuangan keluarga``), or the module when no session was chosen."""
    module, session = session_label(meeting.module, meeting.session)
    return ctx.t(session) if meeting.session else ctx.t(module)


def details(meeting: MeetingView, ctx: Context, *, for_member: bool = True) -> list[str]:
    """The meeting as a member needs it: what, when, where, and for a distribution what to bring."""
    lines = [title(meeting, ctx), when(meeting, ctx)]
    if meeting.status == "cancelled":
        lines.append(ctx.t("DIBATALKAN"))
    if meeting.kind == "distribution" and meeting.agent_name:
        lines.append(ctx.t("Agen: {agent}", agent=meeting.agent_name))
    lines.append(ctx.t("Tempat: {place}", place=meeting.place or meeting.agent_name or "-"))
    if meeting.kind == "p2k2" and meeting.module:
        lines.append(ctx.t("Materi: {topic}", topic=topic(meeting, ctx)))
    if for_member and meeting.kind == "distribution" and meeting.status != "cancelled":
        lines.append(ctx.t("Bawa HP, KTP, KK, dan kartu KKS."))
        lines.append(ctx.t("Jangan pernah berikan PIN kepada siapa pun."))
    return lines


def answers(meeting: MeetingView, ctx: Context) -> str:
    """``Jawaban anggota: hadir 12, berhalangan 2 (Bu X, Bu Y), belum menjawab 16``."""
    coming = sum(1 for m in meeting.members if m.answer == "yes")
    excused = [m.name for m in meeting.members if m.answer == "no"]
    silent = sum(1 for m in meeting.members if m.answer not in ("yes", "no"))
    excused_shown = f"{len(excused)} ({', '.join(excused)})" if excused else "0"
    return ctx.t(
        "Jawaban anggota: hadir {coming}, berhalangan {excused}, belum menjawab {silent}",
        coming=coming,
        excused=excused_shown,
        silent=silent,
    )
