"""What a channel adapter hands the pipeline: one message, who sent it, and from where."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conversations.types import Inbound


@dataclass(frozen=True)
class Envelope:
    """E.g. ``Envelope("telegram", "9001", "5551234", Inbound.text_("hi"))``.

    ``external_id`` is the provider's id for the message (Telegram ``update_id``,
    Twilio ``MessageSid``): a second delivery with the same id is not processed again.
    ``address`` is where replies go (Telegram chat id, WhatsApp E.164 number).
    """

    channel: str
    external_id: str
    address: str
    inbound: Inbound
    phone: str | None = None
    display_name: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
