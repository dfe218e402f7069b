"""Messages the channel shell could not hand to the conversation: the sender is told once, the step is not run.

A channel adapter marks them with ``Inbound(kind=UNSUPPORTED, unsupported=<reason>)``:

- ``unreadable``: the provider's fields were not what it documents (a number where text belongs, no date…);
- ``media_unavailable``: the photo or voice note could not be fetched for good (Telegram's ``getFile`` refused
  it, a WhatsApp ``MediaUrl`` that is not a link, or not Twilio's).

The message is kept (its text or caption included) and the conversation stays where it was, so the person
can simply send it again.
"""

from __future__ import annotations

from conversations.types import Inbound, InboundKind, Translate

UNREADABLE = "unreadable"
MEDIA_UNAVAILABLE = "media_unavailable"


def notice_for(inbound: Inbound, t: Translate) -> str | None:
    """The one reply for a message the shell could not read, or None for anything the step should see."""
    if inbound.kind is not InboundKind.UNSUPPORTED:
        return None
    if inbound.unsupported == UNREADABLE:
        return t("Maaf, pesan ini tidak bisa kami baca. Silakan kirim lagi dengan tulisan biasa.")
    if inbound.unsupported == MEDIA_UNAVAILABLE:
        return t("Maaf, foto atau pesan suara Anda tidak bisa kami ambil. Silakan kirim sekali lagi.")
    return None
