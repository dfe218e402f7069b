""""Jadwal saya": the meetings an organizer made, and changing them.

The list shows coming meetings first (soonest first), then recent ones (five a
page). One meeting shows its details and, for P2K2, the members' answers so
far; it can be moved to another day or time (``ChangeMeeting``), cancelled with
a reason (``CancelMeeting``), and, from its day on, its attendance taken
(the ``attendance`` flow). Moving keeps the day or the time with one tap.
"""

from __future__ import annotations

from dataclasses import replace

from conversations.dates import format_day
from conversations.effects import CancelMeeting, ChangeMeeting
from conversations.flow import Flow, State, reprompt
from conversations.flows import attendance
from conversations.flows.meeting_lines import (
    answers,
    details,
    list_label,
    meeting_day,
    schedule_of,
    title,
    upcoming_then_recent,
    when,
)  # fmt: skip
from conversations.flows.meeting_time import read_day, read_hours, read_start
from conversations.matching import choose, choose_exactly
from conversations.times import format_hours
from conversations.types import Context, Inbound, InboundKind, MeetingView, Option, Reply, Session, Step

FLOW_NAME = "my_meetings"
PAGE = 5
N_ = str

# An answer holding an action's words picks it ("isi absen", "ganti hari", "undur ke minggu depan").
ACTIONS = (
    ("attendance", N_("Catat kehadiran"), (
        "kehadiran", "catat kehadiran", "absen", "absensi", "isi absen", "daftar hadir", "yang hadir", "attendance",
    )),
    ("move", N_("Ubah tanggal/jam"), (
        "ubah", "pindah", "geser", "ubah tanggal", "ubah jam", "ganti jam", "ganti hari", "ganti tanggal",
        "ganti jadwal", "undur", "diundur", "majukan", "dimajukan", "tunda", "ditunda", "move", "change",
    )),
    ("cancel", N_("Batalkan jadwal ini"), (
        "batalkan jadwal", "batalkan pertemuan", "batal pertemuan", "dibatalkan",
        "cancel meeting",
    )),
    ("back", N_("Kembali ke daftar"), ("daftar", "back", "list")),
)  # fmt: skip
KEEP_WORDS = (
    "tetap", "sama", "sama saja", "sama aja", "tetap saja", "tetap aja", "tidak berubah", "tidak diubah",
    "tidak usah diubah", "hari yang sama", "jam yang sama", "keep", "same", "no change",
)  # fmt: skip
KEEP_MEANS = ("skip", "no")
"""Asked for another day or time, "gak usah" or "tidak" keeps it."""
SKIP_WORDS = ("lewati", "lewat", "skip", "tanpa alasan", "none", "no reason")
SKIP_MEANS = ("skip", "no", "done", "not_yet", "unknown")
PLAIN_WORDS = 3
"""A reason of up to three words that plainly says "nothing" ("gak ada alasan", "udah itu aja") is no reason;
a longer one ("tidak ada tempat yang kosong") is the reason."""
SAVE_WORDS = (
    "simpan", "save", "ubah", "ya ubah", "cukup", "sudah cukup", "itu saja", "itu aja", "sudah itu saja",
    "udah itu aja", "that is all",
)  # fmt: skip
CANCEL_YES_WORDS = ("ya batalkan", "batalkan saja", "ya batal", "yes cancel")
NO_WORDS = ("tidak jadi", "jangan", "ga jadi", "tidak usah", "jangan dibatalkan", "keep it")


def start(session: Session, ctx: Context) -> Step:
    """Lists the meetings I organize, coming ones first."""
    if not _mine(ctx):
        none = Reply(ctx.t("Belum ada jadwal yang Anda buat."))
        return Step(session.idle(), (none,), start_flow="schedule")
    listing = session.at(FLOW_NAME, "list", page=0)
    return Step(listing, ask_list(listing, ctx))


def _mine(ctx: Context) -> list[MeetingView]:
    meetings = tuple(m for m in schedule_of(ctx).meetings if m.organized_by_me)
    return upcoming_then_recent(meetings, ctx.today)


def _meeting(session: Session, ctx: Context) -> MeetingView | None:
    return next((m for m in _mine(ctx) if m.id == session.data.get("meeting_id")), None)


def list_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    page = session.data.get("page", 0)
    mine = _mine(ctx)
    options = [Option(f"meeting:{m.id}", list_label(m, ctx)) for m in mine[page * PAGE : (page + 1) * PAGE]]
    if len(mine) > (page + 1) * PAGE:
        options.append(Option("list:next", ctx.t("Berikutnya"), ("lagi", "next", "berikutnya")))
    return tuple(options)


def ask_list(session: Session, ctx: Context) -> tuple[Reply, ...]:
    heading = ctx.t("Jadwal yang Anda buat ({count}). Pilih nomor:", count=len(_mine(ctx)))
    return (Reply(heading, list_options(session, ctx)),)


def on_list(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Opens the chosen meeting, or shows the next page."""
    option = choose(inbound, list_options(session, ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_list)
    if option.key == "list:next":
        following = session.goto("list", page=session.data.get("page", 0) + 1)
        return Step(following, ask_list(following, ctx))
    showing = session.goto("meeting", meeting_id=int(option.key.removeprefix("meeting:")))
    return Step(showing, ask_meeting(showing, ctx))


def action_options(meeting: MeetingView, ctx: Context) -> tuple[Option, ...]:
    shown = {"back"}
    if meeting.status == "scheduled":
        shown |= {"move", "cancel"}
        if meeting.kind == "p2k2" and meeting_day(meeting) <= ctx.today:
            shown.add("attendance")
    return tuple(Option(f"act:{key}", ctx.t(label), words) for key, label, words in ACTIONS if key in shown)


def ask_meeting(session: Session, ctx: Context) -> tuple[Reply, ...]:
    meeting = _meeting(session, ctx)
    if meeting is None:
        return ()
    lines = details(meeting, ctx, for_member=False)
    if meeting.status == "held":
        lines.append(ctx.t("Kehadiran sudah dicatat.") if meeting.kind == "p2k2" else ctx.t("Sudah terlaksana."))
    elif meeting.status == "scheduled" and meeting.members:
        lines.append(answers(meeting, ctx))
    return (Reply("\n".join(lines)), Reply(ctx.t("Apa yang mau dilakukan?"), action_options(meeting, ctx)))


def on_meeting(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Moves, cancels, takes attendance, or goes back to the list."""
    meeting = _meeting(session, ctx)
    if meeting is None:
        return _gone(session, ctx)
    option = choose(inbound, action_options(meeting, ctx))
    if option is None:
        return reprompt(session, inbound, ctx, lambda s, c: ask_meeting(s, c)[1:])
    action = option.key.removeprefix("act:")
    if action == "back":
        listing = session.goto("list", page=0)
        return Step(listing, ask_list(listing, ctx))
    if action == "attendance":
        return attendance.start(session, ctx, meeting)
    following = session.goto("move_day" if action == "move" else "cancel_reason")
    return Step(following, STATES[following.state].ask(following, ctx))


def keep_day_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    meeting = _meeting(session, ctx)
    day = format_day(meeting_day(meeting), ctx.person.locale) if meeting else ""
    return (Option("keep", ctx.t("Tetap {day}", day=day), KEEP_WORDS, means=KEEP_MEANS),)


def ask_move_day(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Pindah ke hari apa? Contoh: sabtu, besok, 5/12"), keep_day_options(session, ctx)),)


def on_move_day(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """The new day, or the same one (only the time changes)."""
    meeting = _meeting(session, ctx)
    if meeting is None:
        return _gone(session, ctx)
    if choose_exactly(inbound, keep_day_options(session, ctx), plain_words=None) is not None:
        day = meeting.day
    else:
        read = read_day(inbound, ctx)
        if isinstance(read, Reply):
            return Step(session, (read, *ask_move_day(session, ctx)))
        if read is None:
            return reprompt(session, inbound, ctx, ask_move_day)
        day = read.isoformat()
    moving = session.goto("move_time", day=day)
    return Step(moving, ask_move_time(moving, ctx))


def ask_move_time(session: Session, ctx: Context) -> tuple[Reply, ...]:
    meeting = _meeting(session, ctx)
    if meeting is None:
        return ()
    keep = keep_time_options(meeting, ctx)
    if meeting.end:
        return (Reply(ctx.t("Dari jam berapa sampai jam berapa? Contoh: 08.00-12.00 atau 8-12"), keep),)
    return (Reply(ctx.t("Mulai jam berapa? Contoh: 9, 09.00, jam 2 siang"), keep),)


def keep_time_options(meeting: MeetingView, ctx: Context) -> tuple[Option, ...]:
    now = format_hours(meeting.start, meeting.end, ctx.person.locale)
    return (Option("keep", ctx.t("Tetap {time}", time=now), KEEP_WORDS, means=KEEP_MEANS),)


def on_move_time(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """The new start (P2K2) or opening hours (distribution), or the same."""
    meeting = _meeting(session, ctx)
    if meeting is None:
        return _gone(session, ctx)
    if choose_exactly(inbound, keep_time_options(meeting, ctx), plain_words=None) is not None:
        start, end = meeting.start, meeting.end
    else:
        read = read_hours(inbound, ctx) if meeting.end else read_start(inbound, ctx)
        if isinstance(read, Reply):
            return Step(session, (read, *ask_move_time(session, ctx)))
        if read is None:
            return reprompt(session, inbound, ctx, ask_move_time)
        start, end = read if isinstance(read, tuple) else (read, "")
    if (session.data["day"], start, end) == (meeting.day, meeting.start, meeting.end):
        same = Reply(ctx.t("Hari dan jamnya sama seperti sebelumnya, jadi tidak ada yang diubah."))
        return Step(session.idle(), (same,), start_flow="menu")
    confirming = session.goto("move_confirm", start=start, end=end)
    return Step(confirming, ask_move_confirm(confirming, ctx))


def confirm_options(ctx: Context) -> tuple[Option, ...]:
    return (
        Option("confirm:yes", ctx.t("Simpan"), SAVE_WORDS, means=("yes", "done")),
        Option("confirm:no", ctx.t("Batal"), NO_WORDS, means=("no",)),
    )


def ask_move_confirm(session: Session, ctx: Context) -> tuple[Reply, ...]:
    meeting = _meeting(session, ctx)
    if meeting is None:
        return ()
    moved = replace(meeting, day=session.data["day"], start=session.data["start"], end=session.data["end"])
    lines = [ctx.t("Ubah jadwal menjadi:"), title(meeting, ctx), when(moved, ctx), ctx.t("Yang diundang akan kami kabari.")]
    return (Reply("\n".join(lines), confirm_options(ctx)),)


def on_move_confirm(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, confirm_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_move_confirm)
    if option.key == "confirm:no":
        return Step(session.idle(), (Reply(ctx.t("Jadwal tidak diubah.")),), start_flow="menu")
    data = session.data
    effect = ChangeMeeting(meeting_id=data["meeting_id"], day=data["day"], start=data["start"], end=data["end"])
    return Step(session.idle(), (), (effect,), start_flow="menu")  # the shell says how many were told


def ask_cancel_reason(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t("Kenapa dibatalkan? Alasannya kami sampaikan kepada yang diundang. Contoh: banjir, pendamping sakit")
    return (Reply(text, skip_options(ctx)),)


def skip_options(ctx: Context) -> tuple[Option, ...]:
    return (Option("skip", ctx.t("Lewati"), SKIP_WORDS, means=SKIP_MEANS),)


def on_cancel_reason(session: Session, inbound: Inbound, ctx: Context) -> Step:
    if choose_exactly(inbound, skip_options(ctx)) is not None:
        reason = ""
    elif inbound.kind is InboundKind.TEXT and any(char.isalpha() for char in inbound.text):
        reason = inbound.text.strip()[:300]
    else:
        return reprompt(session, inbound, ctx, ask_cancel_reason)
    confirming = session.goto("cancel_confirm", reason=reason)
    return Step(confirming, ask_cancel_confirm(confirming, ctx))


def cancel_options(ctx: Context) -> tuple[Option, ...]:
    return (
        Option("cancel:yes", ctx.t("Ya, batalkan"), CANCEL_YES_WORDS, means=("yes", "done")),
        Option("cancel:no", ctx.t("Tidak jadi"), NO_WORDS, means=("no",)),
    )


def ask_cancel_confirm(session: Session, ctx: Context) -> tuple[Reply, ...]:
    meeting = _meeting(session, ctx)
    if meeting is None:
        return ()
    lines = [ctx.t("Batalkan jadwal ini?"), title(meeting, ctx), when(meeting, ctx)]
    if session.data.get("reason"):
        lines.append(ctx.t("Alasan: {reason}", reason=session.data["reason"]))
    return (Reply("\n".join(lines), cancel_options(ctx)),)


def on_cancel_confirm(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, cancel_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_cancel_confirm)
    if option.key == "cancel:no":
        return Step(session.idle(), (Reply(ctx.t("Jadwal tidak diubah.")),), start_flow="menu")
    effect = CancelMeeting(meeting_id=session.data["meeting_id"], reason=session.data.get("reason", ""))
    done = Reply(ctx.t("Jadwal dibatalkan. Yang diundang akan kami kabari."))
    return Step(session.idle(), (done,), (effect,), start_flow="menu")




def _gone(session: Session, ctx: Context) -> Step:
    return Step(session.idle(), (Reply(ctx.t("Jadwal itu tidak ditemukan lagi.")),), start_flow="menu")


STATES: dict[str, State] = {
    "list": State(ask=ask_list, on_answer=on_list),
    "meeting": State(ask=ask_meeting, on_answer=on_meeting),
    "move_day": State(ask=ask_move_day, on_answer=on_move_day),
    "move_time": State(ask=ask_move_time, on_answer=on_move_time),
    "move_confirm": State(ask=ask_move_confirm, on_answer=on_move_confirm),
    "cancel_reason": State(ask=ask_cancel_reason, on_answer=on_cancel_reason),
    "cancel_confirm": State(ask=ask_cancel_confirm, on_answer=on_cancel_confirm),
}

FLOW = Flow(FLOW_NAME, start=start, states=STATES)
