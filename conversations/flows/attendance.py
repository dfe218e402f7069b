"""Attendance at a P2K2 session, in a few taps: everyone was present unless named.

Started from "Jadwal saya" (``start`` with the meeting). The members are listed
once, numbered. First, who was excused (izin, berhalangan): when members
answered the reminder "berhalangan", 1 takes their answers as they are;
otherwise numbers ("2 5"), names ("Bu Rina, Pak Dedi", "ani sama yati", "ani yati",
each matched to one member by ``conversations.matching.choose``, typos too) or 0
("tidak ada", "gak ada", "semua hadir") for nobody. Then who was absent without
notice, the same way. Then a short note of what was covered
(skippable; a photo with a caption is the note). A photo sent at any question is
kept. A summary to confirm ends with ``RecordAttendance``.
"""

from __future__ import annotations

from conversations.attachments import has_letters, kept_media, with_media
from conversations.dates import format_day
from conversations.effects import RecordAttendance
from conversations.flow import Ask, Flow, State, reprompt, save_options
from conversations.flows.meeting_lines import meeting_day, schedule_of, title
from conversations.flows.report_questions import VOICE_ANSWER
from conversations.matching import (
    choose,
    choose_exactly,
    clean,
    has_words,
    is_word,
    normalize,
    option_number,
    says,
    says_name,
)
from conversations.types import Context, Inbound, InboundKind, MeetingView, MemberView, Option, Reply, Session, Step

FLOW_NAME = "attendance"
NOBODY = Option(
    "nobody", "0", (
        "0", "nol", "kosong", "nihil", "semua hadir", "hadir semua", "semua datang", "lengkap", "hadir lengkap",
        "lewati", "skip", "none", "nobody", "no one", "all present",
    ), means=("skip", "no"),
)  # fmt: skip
"""Nobody: "0", "tidak ada", "gak ada", "semua hadir", "mboten wonten", "teu aya"."""
SKIP_WORDS = ("lewati", "lewat", "skip", "lanjut", "selesai", "next", "continue", "none")
SKIP_MEANS = ("skip", "no", "done", "not_yet", "unknown")
SEPARATOR_WORDS = ("dan", "sama", "serta", "and", "sm", "sma", "ama", "dn", "n", "&", "+")
"""Between two names: "bu ani sama bu yati", "ani sma yati", "Bu Ani dan Pak Dedi"; also "," ";" "/"."""
PLAIN_WORDS = 3
"""A note of up to three words that plainly says "nothing" ("gak ada catatan") skips the note."""


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
        Option(
            "excused:answers", ctx.t("Sesuai jawaban mereka: {names}", names=names),
            ("sesuai", "sesuai jawaban", "sesuai jawaban mereka", "as they answered"), means=("yes",),
        ),
        Option("excused:numbers", ctx.t("Pilih sendiri nomornya"), ("pilih sendiri", "nomor", "lain", "pilih nomor")),
    )  # fmt: skip


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
    option = choose_exactly(inbound, options, plain_words=None) if options else None
    if option is None and inbound.kind is InboundKind.OPTION:
        return reprompt(session, inbound, ctx, ask_excused)
    if option is not None:
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
    """The household ids an answer names ("2 5", "2, 5", "Bu Rina dan Pak Dedi", "ani sama yati", "ani yati",
    "0", "gak ada"), in list order; a ``Reply`` saying which name or number fits no member, or which name fits
    several; None when it is not text."""
    if inbound.kind is not InboundKind.TEXT:
        return None
    if says(inbound, NOBODY):
        return []
    members = meeting.members
    options = member_options(meeting)
    chosen: set[int] = set()
    for piece in _pieces(inbound.text):
        found = _members_in(piece, options, ctx)
        if isinstance(found, Reply):
            return found
        chosen.update(found)
    if not chosen:
        return None
    return [member.household_id for member in members if member.household_id in chosen]


def member_options(meeting: MeetingView) -> tuple[Option, ...]:
    return tuple(Option(f"member:{member.household_id}", member.name) for member in meeting.members)


def _pieces(text: str) -> list[str]:
    """The parts of an answer between separators: "bu ani sama bu yati, 4" → "bu ani", "bu yati", "4"."""
    for mark in ",;/&+":
        text = text.replace(mark, " , ")
    pieces: list[list[str]] = [[]]
    for word in text.split():
        if not has_words(word) or is_word(word, SEPARATOR_WORDS):
            pieces.append([])
        else:
            pieces[-1].append(word)
    return [" ".join(piece) for piece in pieces if piece]


def _members_in(piece: str, options: tuple[Option, ...], ctx: Context) -> list[int] | Reply:
    """The members one part names: one name ("bu yatii"), several without a separator ("ani yati"), or numbers
    ("2 5"); a ``Reply`` when a number or a name fits no member, or a name fits several."""
    whole = _one_member(piece, options)
    words = [word for word in piece.split() if clean(word)]  # "bu", "pak" alone name nobody
    each = [_one_member(word, options) for word in words] if len(words) > 1 else []
    exact = isinstance(whole, Option) and says_name(piece, whole)
    if not exact and each and all(isinstance(found, Option) for found in each):  # "ani yati", "2 bu yati"
        return [_household(found) for found in each if isinstance(found, Option)]
    if isinstance(whole, Option):
        for at, (word, found) in enumerate(zip(words, each, strict=False)):  # "ani tini": "tini" adds nothing, fits nobody
            rest = " ".join(words[:at] + words[at + 1 :])
            if found is None and option_number(word) is None and _one_member(rest, options) is whole:
                return Reply(ctx.t('"{answer}" tidak ada di daftar anggota. Balas dengan nomornya, contoh: 2 5.', answer=word[:40]))
        return [_household(whole)]
    for word in words or [piece]:
        number = option_number(word)
        if number is not None and not 1 <= number <= len(options):
            return Reply(ctx.t("Nomor {number} tidak ada di daftar. Nomor anggota 1 sampai {count}.", number=number, count=len(options)))
    for said, found in (*zip(words, each, strict=False), (piece, whole)):
        if isinstance(found, list):
            names = ", ".join(option.label for option in found)
            return Reply(ctx.t('"{answer}" cocok dengan lebih dari satu anggota: {names}. Balas dengan nomornya.', answer=said[:40], names=names))
    return Reply(ctx.t('"{answer}" tidak ada di daftar anggota. Balas dengan nomornya, contoh: 2 5.', answer=piece[:40]))


def _one_member(piece: str, options: tuple[Option, ...]) -> Option | list[Option] | None:
    """The member a name or number means (``choose``: spelled so, holding its words, or spelled close to it);
    the members it fits equally ("siti" for Siti Aminah and Siti Rahma, "ani" for Bu Ani and Pak Ani); or None."""
    typed = [option for option in options if is_word(piece, {normalize(option.label)})]  # "Bu Ani", not "Pak Ani"
    if typed:
        return typed[0] if len(typed) == 1 else typed
    answer = Inbound.text_(piece)
    picked = choose(answer, options)
    if option_number(piece) is not None:
        return picked
    if picked is not None:
        rivals = [option for option in options if option is not picked and choose(answer, (option, picked)) is option]
        return [picked, *rivals] if rivals else picked
    fitting = [option for option in options if choose(answer, (option,)) is option]
    return fitting if len(fitting) > 1 else None


def _household(option: Option) -> int:
    return int(option.key.removeprefix("member:"))


def note_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    label = ctx.t("Lanjut") if session.data.get("photos") else ctx.t("Lewati")
    return (Option("note:skip", label, SKIP_WORDS, means=SKIP_MEANS),)


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
    if inbound.kind is InboundKind.OPTION or option_number(inbound.text) is not None:
        if choose(inbound, note_options(session, ctx)) is None:
            return reprompt(session, inbound, ctx, ask_note)
        return _to(session, "confirm", ctx, ask_confirm, note="")
    if choose_exactly(inbound, note_options(session, ctx)) is not None:
        return _to(session, "confirm", ctx, ask_confirm, note="")
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_note)
    return _to(session, "confirm", ctx, ask_confirm, note=inbound.text.strip()[:1000])






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
