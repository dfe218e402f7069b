"""Photos and voice notes sent while a form is being filled in: kept with the form, counted, and the question asked again.

Used by the forms that welcome pictures at any question (a new case, an e-Warong
visit, attendance). Each flow says, in the reader's language, what the media is
kept for.
"""

from __future__ import annotations

from conversations.flow import Ask
from conversations.types import Context, Inbound, InboundKind, Reply, Session, Step


def with_media(session: Session, inbound: Inbound) -> Session:
    """``session`` with the media of ``inbound`` added and counted (``photos`` or ``voices``)."""
    if inbound.media is None:
        return session
    counter = "photos" if inbound.kind is InboundKind.PHOTO else "voices"
    counted = {counter: session.data.get(counter, 0) + 1}
    return session.goto(session.state, media=[*session.data.get("media", []), inbound.media.ref], **counted)


def kept_media(
    session: Session, inbound: Inbound, ctx: Context, ask: Ask, *, photo_kept: str, voice_kept: str,
    words_wanted: bool = True, not_kept: str = "",
) -> Step | None:
    """A photo or voice note sent at a question is kept, the person told (``photo_kept``, ``voice_kept``), and the
    question asked again; a location or contact gets ``not_kept`` when given. None for anything else."""
    if inbound.kind is InboundKind.PHOTO and inbound.media is not None:
        kept = with_media(session, inbound)
        return Step(kept, (Reply(photo_kept), *ask(kept, ctx)))
    if inbound.kind is InboundKind.VOICE and inbound.media is not None:
        kept = with_media(session, inbound)
        note = voice_kept + (" " + ctx.t("Untuk pertanyaan ini, balas dengan tulisan atau nomor.") if words_wanted else "")
        return Step(kept, (Reply(note), *ask(kept, ctx)))
    if not_kept and inbound.kind in (InboundKind.LOCATION, InboundKind.CONTACT):
        return Step(session, (Reply(not_kept), *ask(session, ctx)))
    return None


def has_letters(text: str) -> bool:
    """Words, not only a number (a stray "2" is not a name, a story or a note)."""
    return any(char.isalpha() for char in text)
