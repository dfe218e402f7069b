"""What members and companions read about a meeting, in the reader's language and the village's time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.areas.timezones import ZONE_ABBREVIATIONS
from app.models import Meeting
from app.schedules.local_time import clock_time, local_day
from app.schedules.members import Reach
from conversations.dates import format_day
from conversations.p2k2 import session_label
from conversations.types import Option, Reply, Translate


@dataclass(frozen=True)
class MeetingNames:
    """The names a message needs besides the meeting row: its group or agent, its village."""

    group: str = ""
    agent: str = ""
    village: str = ""


@dataclass(frozen=True)
class LocalParts:
    """A meeting's day and clock times where it happens: ``LocalParts(date(2026, 12, 5), "09:00", "")``."""

    day: date
    start: str
    end: str


def local_parts(meeting: Meeting) -> LocalParts:
    end = clock_time(meeting.ends_at, meeting.timezone) if meeting.ends_at else ""
    return LocalParts(local_day(meeting.starts_at, meeting.timezone), clock_time(meeting.starts_at, meeting.timezone), end)


def when(meeting: Meeting, locale: str) -> str:
    """``Sabtu, 5 Desember 2026, 09.00 WIB`` or with hours ``08.00–12.00 WIB``."""
    def hhmm(moment: datetime) -> str:
        text = clock_time(moment, meeting.timezone)
        return text.replace(":", ".") if locale == "id" else text

    day = format_day(local_day(meeting.starts_at, meeting.timezone), locale)
    hours = hhmm(meeting.starts_at) + (f"–{hhmm(meeting.ends_at)}" if meeting.ends_at else "")
    return f"{day}, {hours} {ZONE_ABBREVIATIONS.get(meeting.timezone, meeting.timezone)}"


def title(meeting: Meeting, names: MeetingNames, t: Translate) -> str:
    if meeting.kind == "p2k2":
        return t("Pertemuan P2K2 kelompok {group}", group=names.group)
    return t("Penyaluran bantuan sembako di {agent}", agent=names.agent or "e-Warong")


def details(meeting: Meeting, names: MeetingNames, t: Translate, locale: str) -> list[str]:
    lines = [title(meeting, names, t), when(meeting, locale)]
    if meeting.place:
        lines.append(t("Tempat: {place}", place=meeting.place))
    if meeting.kind == "p2k2" and meeting.module:
        _module, session = session_label(meeting.module, meeting.session)
        lines.append(t("Materi: {session}", session=t(session)))
    if meeting.kind == "distribution":
        lines.append(t("Bawa: HP, KTP, KK, dan kartu KKS."))
        lines.append(t("Jangan pernah berikan PIN kartu Anda kepada siapa pun, termasuk petugas."))
    return lines


def answer_options(meeting: Meeting, t: Translate) -> tuple[Option, ...]:
    return (
        Option(f"answer:{meeting.id}:yes", t("Hadir"), ("hadir",)),
        Option(f"answer:{meeting.id}:no", t("Berhalangan"), ("berhalangan", "izin")),
    )


def scheduled(meeting: Meeting, names: MeetingNames, t: Translate, locale: str) -> Reply:
    return Reply("\n".join([t("Jadwal baru:"), *details(meeting, names, t, locale)]))


def moved(meeting: Meeting, names: MeetingNames, t: Translate, locale: str) -> Reply:
    return Reply("\n".join([t("Jadwal berubah. Yang berlaku sekarang:"), *details(meeting, names, t, locale)]))


def cancelled(meeting: Meeting, names: MeetingNames, t: Translate, locale: str, reason: str) -> Reply:
    lines = [t("Dibatalkan: {what}, {when}.", what=title(meeting, names, t), when=when(meeting, locale))]
    if reason:
        lines.append(t("Alasan: {reason}", reason=reason))
    return Reply("\n".join(lines))


def reminder(meeting: Meeting, names: MeetingNames, t: Translate, locale: str, *, on_the_day: bool) -> Reply:
    heading = t("Pengingat untuk hari ini:") if on_the_day else t("Pengingat untuk besok:")
    lines = [heading, *details(meeting, names, t, locale)]
    if meeting.kind != "p2k2":
        return Reply("\n".join(lines))
    lines.append(t("Apakah Anda bisa hadir? Balas 1 atau 2."))
    return Reply("\n".join(lines), answer_options(meeting, t))


def missed_summary(meeting: Meeting, names: MeetingNames, t: Translate, locale: str) -> Reply:
    lines = [t("Anda tidak hadir di {what}, {when}.", what=title(meeting, names, t), when=when(meeting, locale))]
    if meeting.module:
        _module, session = session_label(meeting.module, meeting.session)
        lines.append(t("Yang dibahas: {session}", session=t(session)))
    if meeting.note:
        lines.append(meeting.note[:500])
    lines.append(t("Tanyakan kepada pendamping PKH jika ada yang kurang jelas."))
    return Reply("\n".join(lines))


def organizer_told(kind: str, summary: str, reach: Reach, t: Translate) -> str:
    """What the organizer reads once a meeting is saved or moved: who was told, and honestly who was not."""
    if kind == "p2k2":
        if not reach.opted_out:
            return t(
                "Tersimpan: {summary}. Diberitahukan kepada {count} dari {total} keluarga kelompok ini; yang lain belum memakai layanan ini.",
                summary=summary, count=reach.told, total=reach.total,
            )  # fmt: skip
        if not reach.without_chat:
            return t(
                "Tersimpan: {summary}. Diberitahukan kepada {count} dari {total} keluarga kelompok ini "
                "({opted_out} tidak menerima kabar atas permintaan sendiri).",
                summary=summary, count=reach.told, total=reach.total, opted_out=reach.opted_out,
            )  # fmt: skip
        return t(
            "Tersimpan: {summary}. Diberitahukan kepada {count} dari {total} keluarga kelompok ini "
            "({opted_out} tidak menerima kabar atas permintaan sendiri, {without_chat} belum memakai chat).",
            summary=summary, count=reach.told, total=reach.total, opted_out=reach.opted_out, without_chat=reach.without_chat,
        )  # fmt: skip
    if not reach.opted_out:
        return t("Tersimpan: {summary}. Diberitahukan kepada {count} keluarga penerima di desa ini.", summary=summary, count=reach.told)
    return t(
        "Tersimpan: {summary}. Diberitahukan kepada {count} keluarga penerima di desa ini "
        "({opted_out} lainnya tidak menerima kabar atas permintaan sendiri).",
        summary=summary, count=reach.told, opted_out=reach.opted_out,
    )  # fmt: skip
