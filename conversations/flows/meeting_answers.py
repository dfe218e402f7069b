"""A member answers a meeting reminder: "1 Hadir / 2 Berhalangan".

The shell's reminders carry options ``answer:<meeting id>:yes`` and
``answer:<meeting id>:no``; the shell also tells the engine which reminder may
still be answered (``PersonView.pending_answer``). At rest, a tap on one of
those options, or words such as "hadir" or "izin" ("maaf bu saya izin", "insya
Allah hadir", "mboten saged"), answer it; a bare "1" or "2" answers it only while
the reminder is the last thing in the chat (``PendingAnswer.fresh``), otherwise it
picks a menu entry as always. A plain "iya" or "tidak" answers only when the
question is asked right there (the schedule's ``answer`` state): at rest it could
mean anything. Words are read by ``conversations.matching``.
"""

from __future__ import annotations

from conversations.effects import AnswerMeeting
from conversations.matching import choose, clean, is_word, option_number, says_name
from conversations.types import Context, Inbound, InboundKind, Option, PendingAnswer, Reply, Session, Step

ANSWER_PREFIX = "answer:"
YES_WORDS = (
    "hadir", "datang", "dateng", "ikut", "bisa", "bisa hadir", "bisa datang", "bisa dateng", "siap", "siap hadir",
    "oke hadir", "rawuh", "saged", "saged rawuh", "tiasa", "tiasa hadir", "sumping",
    "yes", "come", "coming", "attend", "attending",
)  # fmt: skip
NO_WORDS = (
    "berhalangan", "halangan", "izin", "ijin", "tidak bisa", "tidak bisa hadir", "tidak bisa datang",
    "tidak bisa dateng", "tidak hadir", "tidak datang", "tidak ikut", "absen", "sakit", "tidak saged",
    "tidak saged rawuh", "tidak tiasa", "tidak tiasa hadir", "tidak rawuh",
    "no", "not coming", "cannot come", "can t come", "cant come", "cannot attend", "excused",
)  # fmt: skip
"""Written as ``conversations.matching.clean`` reads them: "gak bisa", "ndak bisa" and "mboten saged" are
"tidak bisa" and "tidak saged"."""
FILLERS = (
    "mohon", "saya", "ya", "iya", "nggih", "inggih", "njih", "enggeh", "iyo", "muhun", "insya", "allah",
    "insyaallah", "insha", "inshaallah", "nanti", "besok", "mungkin", "kayaknya", "sepertinya", "oke",
    "sorry", "i", "will", "be", "am",
)  # fmt: skip
"""Words around the answer at rest ("ya saya datang", "insya Allah hadir"); greetings and terms of address
are dropped by the cleaner."""


def answer_options(pending: PendingAnswer, ctx: Context) -> tuple[Option, ...]:
    """1 Hadir ("iya", "nggih", "insya Allah hadir"), 2 Berhalangan ("mboten", "izin", "gak bisa")."""
    yes, no = _keys(pending)
    return (
        Option(yes, ctx.t("Hadir"), YES_WORDS, means=("yes",)),
        Option(no, ctx.t("Berhalangan"), NO_WORDS, means=("no",)),
    )


def read_answer(inbound: Inbound, pending: PendingAnswer, *, by_number: bool) -> bool | None:
    """True (coming), False (not coming) or None (not an answer to this reminder): a tap, the words of one of
    the answers with nothing else but fillers ("maaf bu saya izin"), or with ``by_number`` its number."""
    options = _options(pending)
    if inbound.kind is InboundKind.TEXT and option_number(inbound.text) is not None:
        picked = choose(inbound, options) if by_number else None
    elif inbound.kind is InboundKind.TEXT:
        words = " ".join(word for word in clean(inbound.text).split() if not is_word(word, FILLERS))
        picked = next((option for option in options if words and says_name(words, option)), None)
    else:
        picked = choose(inbound, options)
    return None if picked is None else picked is options[0]


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


def _options(pending: PendingAnswer) -> tuple[Option, ...]:
    yes, no = _keys(pending)
    return Option(yes, "Hadir", YES_WORDS, means=("yes",)), Option(no, "Berhalangan", NO_WORDS, means=("no",))




def _keys(pending: PendingAnswer) -> tuple[str, str]:
    return f"{ANSWER_PREFIX}{pending.meeting_id}:yes", f"{ANSWER_PREFIX}{pending.meeting_id}:no"


def _gone(session: Session, ctx: Context) -> Step:
    gone = Reply(ctx.t("Pertemuan itu sudah lewat atau dibatalkan."))
    return Step(session.idle(), (gone,), start_flow="menu")
