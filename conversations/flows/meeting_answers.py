"""A member answers a meeting reminder: "1 Hadir / 2 Berhalangan".

The shell's reminders carry options ``answer:<meeting id>:yes`` and
``answer:<meeting id>:no``; the shell also tells the engine which reminder may
still be answered (``PersonView.pending_answer``). At rest, a tap on one of
those options, or words such as "hadir" or "izin", answer it; a bare "1" or "2"
answers it only while the reminder is the last thing in the chat
(``PendingAnswer.fresh``), otherwise it picks a menu entry as always.
"""

from __future__ import annotations

from conversations.effects import AnswerMeeting
from conversations.matching import normalize, option_number
from conversations.types import Context, Inbound, InboundKind, Option, PendingAnswer, Reply, Session, Step

ANSWER_PREFIX = "answer:"
YES_WORDS = (
    "hadir", "datang", "ikut", "bisa", "bisa hadir", "bisa datang", "siap", "siap hadir", "oke hadir",
    "yes", "come", "coming", "attend", "attending",
)  # fmt: skip
NO_WORDS = (
    "berhalangan", "halangan", "izin", "ijin", "tidak bisa", "tdk bisa", "gak bisa", "ga bisa", "nggak bisa",
    "ngga bisa", "tidak bisa hadir", "tidak bisa datang", "tidak hadir", "tdk hadir", "tidak datang", "tidak ikut",
    "absen", "sakit", "no", "not coming", "cannot come", "can t come", "cant come", "cannot attend", "excused",
)  # fmt: skip
FILLERS = {
    "maaf", "mohon", "saya", "sy", "aku", "bu", "pak", "ibu", "bapak", "kak", "ya", "iya", "insya", "allah",
    "insyaallah", "nanti", "besok", "sorry", "i", "will", "be", "am", "ok", "oke",
}  # fmt: skip


def answer_options(pending: PendingAnswer, ctx: Context) -> tuple[Option, ...]:
    yes, no = _keys(pending)
    return Option(yes, ctx.t("Hadir"), YES_WORDS), Option(no, ctx.t("Berhalangan"), NO_WORDS)


def read_answer(inbound: Inbound, pending: PendingAnswer, *, by_number: bool) -> bool | None:
    """True (coming), False (not coming) or None (not an answer to this reminder)."""
    if inbound.kind is InboundKind.OPTION:
        return {key: coming for key, coming in zip(_keys(pending), (True, False))}.get(inbound.option)
    if inbound.kind is not InboundKind.TEXT:
        return None
    words = " ".join(word for word in normalize(inbound.text).split() if word not in FILLERS)
    if words in NO_WORDS:
        return False
    if words in YES_WORDS:
        return True
    if by_number:
        return {1: True, 2: False}.get(option_number(inbound.text) or 0)
    return None


def answer_at_rest(session: Session, inbound: Inbound, ctx: Context) -> Step | None:
    """The answer to the pending reminder, a word that an old reminder is gone, or None for anything else."""
    pending = ctx.person.pending_answer
    tapped = inbound.kind is InboundKind.OPTION and inbound.option.startswith(ANSWER_PREFIX)
    if pending is None:
        return _gone(session, ctx) if tapped else None
    coming = read_answer(inbound, pending, by_number=pending.fresh)
    if coming is None:
        return _gone(session, ctx) if tapped else None
    return answered(session, ctx, pending.meeting_id, coming)


def answered(session: Session, ctx: Context, meeting_id: int, coming: bool) -> Step:
    thanks = Reply(ctx.t("Terima kasih. Jawaban Anda sudah kami sampaikan kepada pendamping."))
    return Step(session.idle(), (thanks,), (AnswerMeeting(meeting_id=meeting_id, coming=coming),))


def _keys(pending: PendingAnswer) -> tuple[str, str]:
    return f"{ANSWER_PREFIX}{pending.meeting_id}:yes", f"{ANSWER_PREFIX}{pending.meeting_id}:no"


def _gone(session: Session, ctx: Context) -> Step:
    gone = Reply(ctx.t("Pertemuan itu sudah lewat atau dibatalkan."))
    return Step(session.idle(), (gone,), start_flow="menu")
