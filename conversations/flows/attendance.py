"""Attendance at a P2K2 session, in a few taps: everyone was present unless named.

Started from "Jadwal saya" (``start`` with the meeting). The members are listed
once, numbered. First, who was excused (izin, berhalangan): when members
answered the reminder "berhalangan", 1 takes their answers as they are;
otherwise numbers ("2 5"), names ("Bu Rina, Pak Dedi") or 0 for nobody. Then who
was absent without notice, the same way. Then a short note of what was covered
(skippable; a photo with a caption is the note). A photo sent at any question is
kept. A summary to confirm ends with ``RecordAttendance``.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from conversations.effects import RecordAttendance
from conversations.attachments import has_letters, kept_media, with_media
from conversations.flow import Ask, Flow, State, reprompt, save_options
from conversations.dates import format_day
from conversations.flows.meeting_lines import meeting_day, schedule_of, title
from conversations.flows.report_questions import VOICE_ANSWER
from conversations.matching import choose, has_words, normalize, option_number
from conversations.types import Context, Inbound, InboundKind, MeetingView, MemberView, Option, Reply, Session, Step

FLOW_NAME = "attendance"
NOBODY_WORDS = (
    "0", "nol", "tidak ada", "tdk ada", "gak ada", "ga ada", "nggak ada", "kosong", "semua hadir", "hadir semua",
    "lewati", "skip", "none", "nobody", "no one", "all present",
)  # fmt: skip
SKIP_WORDS = ("lewati", "lewat", "skip", "tidak ada", "lanjut", "selesai", "next", "continue", "none")
SEPARATORS = re.compile(r"\s*(?:,|;|&|\+|\bdan\b|\band\b)\s*")
NAME_CUTOFF = 85


def start(session: Session, ctx: Context, meeting: MeetingView) -> Step:
    """Lists the members and asks who was excused."""
    if not meeting.members:
        none = Reply(ctx.t("Belum ada anggota terdaftar untuk pertemuan ini, jadi kehadiran belum bisa dicatat."))
        return Step(session.idle(), (none,), start_flow="menu")
    taking = session.at(FLOW_NAME, "excused", meeting_id=meeting.id, excused=[], absent=[], media=[], photos=0)
    day = format_day(meeting_day(meeting), ctx.person.locale)
    intro = [
        ctx.t("Kehadiran {meeting}, {day}.", meeting=title(meeting, ctx), day=day),
        ctx.t("Semua anggota kami catat hadir, kecuali yang Anda sebut."),
        *_member_lines(meeting, [], ctx),
    ]
    return Step(taking, (Reply("\n".join(intro)), *question_excused(taking, ctx)))


def _meeting(session: Session, ctx: Context) -> MeetingView | None:
    return next((m for m in schedule_of(ctx).meetings if m.id == session.data.get("meeting_id")), None)


def _member_lines(meeting: MeetingView, excused: list[int], ctx: Context) -> list[str]:
    marked = " (" + ctx.t("izin") + ")"
    return [
        f"{number}. {member.name}" + (marked if member.household_id in excused else "")
        for number, member in enumerate(meeting.members, start=1)
    ]


def _declined(meeting: MeetingView) -> list[MemberView]:
    """Members who answered the reminder that they could not come."""
    return [member for member in meeting.members if member.answer == "no"]


def excused_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    meeting = _meeting(session, ctx)
    declined = _declined(meeting) if meeting and not session.data.get("by_number") else []
    if not declined:
        return ()
    names = ", ".join(member.name for member in declined)
    return (
        Option("excused:answers", ctx.t("Sesuai jawaban mereka: {names}", names=names), ("sesuai", "sesuai jawaban", "ya")),
        Option("excused:numbers", ctx.t("Pilih sendiri nomornya"), ("pilih sendiri", "nomor", "lain")),
    )


def question_excused(session: Session, ctx: Context) -> tuple[Reply, ...]:
    options = excused_options(session, ctx)
    if options:
        return (Reply(ctx.t("Siapa yang izin atau berhalangan?"), options),)
    return (Reply(ctx.t("Siapa yang izin atau berhalangan? Balas nomornya, contoh: 2 5. Balas 0 jika tidak ada.")),)


def ask_excused(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return _with_members(session, ctx, question_excused)


def on_excused(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """The members' own answers (1), numbers or names, or nobody; next, who was absent."""
    meeting = _meeting(session, ctx)
    if meeting is None:
        return _gone(session, ctx)
    if (kept := _kept_media(session, inbound, ctx, question_excused)) is not None:
        return kept
    options = excused_options(session, ctx)
    if options and (inbound.kind is InboundKind.OPTION or option_number(inbound.text) in (1, 2)):
        option = choose(inbound, options)
        if option is None:
            return reprompt(session, inbound, ctx, ask_excused)
        if option.key == "excused:numbers":
            by_number = session.goto("excused", by_number=True)
            return Step(by_number, question_excused(by_number, ctx))
        declined = [member.household_id for member in _declined(meeting)]
        return _to(session, "absent", ctx, question_absent_after_excused, excused=declined)
    picked = read_members(inbound, meeting, ctx)
    if isinstance(picked, Reply):
        return Step(session, (picked, *ask_excused(session, ctx)))
    if picked is None:
        return reprompt(session, inbound, ctx, ask_excused)
    return _to(session, "absent", ctx, question_absent_after_excused, excused=picked)


def question_absent(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Siapa yang tidak hadir tanpa kabar? Balas nomornya, contoh: 3 7. Balas 0 jika tidak ada.")),)


def question_absent_after_excused(session: Session, ctx: Context) -> tuple[Reply, ...]:
    """The question, after a line that says who was taken as excused (so a wrong tap shows at once)."""
    meeting = _meeting(session, ctx)
    excused = session.data.get("excused", [])
    if meeting is None or not excused:
        return question_absent(session, ctx)
    names = ", ".join(member.name for member in meeting.members if member.household_id in excused)
    [question] = question_absent(session, ctx)
    return (Reply(ctx.t("Izin: {names}", names=names) + "\n" + question.text),)


def ask_absent(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return _with_members(session, ctx, question_absent)


def on_absent(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Numbers or names, or nobody; someone named here is no longer counted as excused. Next, the note."""
    meeting = _meeting(session, ctx)
    if meeting is None:
        return _gone(session, ctx)
    if (kept := _kept_media(session, inbound, ctx, question_absent)) is not None:
        return kept
    picked = read_members(inbound, meeting, ctx)
    if isinstance(picked, Reply):
        return Step(session, (picked, *ask_absent(session, ctx)))
    if picked is None:
        return reprompt(session, inbound, ctx, ask_absent)
    excused = [member for member in session.data.get("excused", []) if member not in picked]
    return _to(session, "note", ctx, ask_note, absent=picked, excused=excused)


def read_members(inbound: Inbound, meeting: MeetingView, ctx: Context) -> list[int] | Reply | None:
    """The household ids an answer names ("2 5", "2, 5", "Bu Rina dan Pak Dedi", "0"), in list order;
    a ``Reply`` saying which part fits no member; None when it is not text."""
    if inbound.kind is not InboundKind.TEXT:
        return None
    if normalize(inbound.text) in NOBODY_WORDS:
        return []
    members = meeting.members
    chosen: set[int] = set()
    for piece in SEPARATORS.split(inbound.text.strip()):
        if not has_words(piece):
            continue
        named = _member_named(piece, members)
        if named is not None:
            chosen.add(named.household_id)
            continue
        for word in piece.split():
            number = option_number(word)
            if number is None:
                return Reply(ctx.t('"{answer}" tidak ada di daftar anggota. Balas dengan nomornya, contoh: 2 5.', answer=piece[:40]))
            if not 1 <= number <= len(members):
                return Reply(ctx.t("Nomor {number} tidak ada di daftar. Nomor anggota 1 sampai {count}.", number=number, count=len(members)))
            chosen.add(members[number - 1].household_id)
    if not chosen:
        return None
    return [member.household_id for member in members if member.household_id in chosen]


def _member_named(piece: str, members: tuple[MemberView, ...]) -> MemberView | None:
    """The one member a name means: spelled so, containing it, or spelled close to it."""
    query = normalize(piece)
    if not any(char.isalpha() for char in query):
        return None
    for fits in (
        lambda name: name == query,
        lambda name: len(query) >= 3 and query in name.split() or len(query) >= 4 and query in name,
        lambda name: fuzz.ratio(query, name) >= NAME_CUTOFF,
    ):
        found = [member for member in members if fits(normalize(member.name))]
        if found:
            return found[0] if len(found) == 1 else None
    return None


def note_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    label = ctx.t("Lanjut") if session.data.get("photos") else ctx.t("Lewati")
    return (Option("note:skip", label, SKIP_WORDS),)


def ask_note(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t("Apa yang dibahas? Tulis singkat, atau kirim foto kegiatan dengan keterangan.")
    return (Reply(text, note_options(session, ctx)),)


def on_note(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """A short note (text, a voice note, or a photo's caption), or none; next, the summary."""
    if inbound.kind is InboundKind.PHOTO and inbound.media is not None and has_letters(inbound.text):
        return _to(with_media(session, inbound), "confirm", ctx, ask_confirm, note=inbound.text.strip()[:1000])
    if inbound.kind is InboundKind.VOICE and inbound.media is not None:
        return _to(with_media(session, inbound), "confirm", ctx, ask_confirm, note=VOICE_ANSWER)
    if (kept := _kept_media(session, inbound, ctx, ask_note)) is not None:
        return kept
    if _picks_an_option(inbound):
        if choose(inbound, note_options(session, ctx)) is None:
            return reprompt(session, inbound, ctx, ask_note)
        return _to(session, "confirm", ctx, ask_confirm, note="")
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_note)
    return _to(session, "confirm", ctx, ask_confirm, note=inbound.text.strip()[:1000])


def _picks_an_option(inbound: Inbound) -> bool:
    """A tap, a number or a skip word, rather than a note."""
    if inbound.kind is InboundKind.OPTION:
        return True
    return option_number(inbound.text) is not None or normalize(inbound.text) in SKIP_WORDS


def ask_confirm(session: Session, ctx: Context) -> tuple[Reply, ...]:
    meeting = _meeting(session, ctx)
    if meeting is None:
        return ()
    return (Reply(summary(session, meeting, ctx), save_options(ctx)),)


def summary(session: Session, meeting: MeetingView, ctx: Context) -> str:
    """``Hadir 25, izin 2, tidak hadir 3``, who was excused or absent, the note and photos."""
    excused, absent = session.data.get("excused", []), session.data.get("absent", [])
    names = {member.household_id: member.name for member in meeting.members}
    day = format_day(meeting_day(meeting), ctx.person.locale)
    lines = [
        ctx.t("Periksa kehadiran {meeting}, {day}:", meeting=title(meeting, ctx), day=day),
        ctx.t(
            "Hadir {present}, izin {excused}, tidak hadir {absent}",
            present=len(meeting.members) - len(excused) - len(absent),
            excused=len(excused),
            absent=len(absent),
        ),
    ]
    if excused:
        lines.append(ctx.t("Izin: {names}", names=", ".join(names[id_] for id_ in excused)))
    if absent:
        lines.append(ctx.t("Tidak hadir: {names}", names=", ".join(names[id_] for id_ in absent)))
    note = session.data.get("note", "")
    lines.append(ctx.t("Catatan: {note}", note=ctx.t("(pesan suara)") if note == VOICE_ANSWER else note or "-"))
    if session.data.get("photos"):
        lines.append(ctx.t("Foto: {count}", count=session.data["photos"]))
    return "\n".join([*lines, ctx.t("Simpan?")])


def on_confirm(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Records the attendance; or drops it."""
    if (kept := _kept_media(session, inbound, ctx, ask_confirm)) is not None:
        return kept
    option = choose(inbound, save_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_confirm)
    if option.key == "confirm:cancel":
        return Step(session.cleared(), (Reply(ctx.t("Kehadiran tidak disimpan.")),), start_flow="menu")
    data = session.data
    effect = RecordAttendance(
        meeting_id=data["meeting_id"],
        absent=tuple(data.get("absent", [])),
        excused=tuple(data.get("excused", [])),
        note=data.get("note", ""),
        media=tuple(data.get("media", [])),
    )
    saved = ctx.t("Kehadiran tersimpan.")
    if effect.absent:
        saved += " " + ctx.t("Anggota yang tidak hadir akan kami kirimi ringkasan pertemuan.")
    return Step(session.cleared(), (Reply(saved),), (effect,), start_flow="menu")


def _with_members(session: Session, ctx: Context, question: Ask) -> tuple[Reply, ...]:
    """The numbered members again (when an answer did not fit), then the question."""
    meeting = _meeting(session, ctx)
    if meeting is None:
        return ()
    members = Reply("\n".join(_member_lines(meeting, session.data.get("excused", []), ctx)))
    return (members, *question(session, ctx))


def _to(session: Session, state: str, ctx: Context, ask: Ask, **data: object) -> Step:
    asking = session.goto(state, **data)
    return Step(asking, ask(asking, ctx))


def _kept_media(session: Session, inbound: Inbound, ctx: Context, ask: Ask) -> Step | None:
    return kept_media(
        session, inbound, ctx, ask, photo_kept=ctx.t("Foto kami simpan untuk catatan pertemuan ini."),
        voice_kept=ctx.t("Pesan suara kami simpan untuk catatan pertemuan ini."),
    )  # fmt: skip


def _gone(session: Session, ctx: Context) -> Step:
    return Step(session.idle(), (Reply(ctx.t("Jadwal itu tidak ditemukan lagi.")),), start_flow="menu")


def start_without_meeting(session: Session, ctx: Context) -> Step:
    """Attendance is taken from a meeting in "Jadwal saya"; without one, the schedule."""
    return Step(session.idle(), start_flow="schedule")


FLOW = Flow(
    FLOW_NAME,
    start=start_without_meeting,
    states={
        "excused": State(ask=ask_excused, on_answer=on_excused, remind=question_excused),
        "absent": State(ask=ask_absent, on_answer=on_absent, remind=question_absent),
        "note": State(ask=ask_note, on_answer=on_note),
        "confirm": State(ask=ask_confirm, on_answer=on_confirm),
    },
)
