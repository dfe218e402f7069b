"""NIK-looking numbers (16 digits) masked before anything a person typed is stored, answered or logged.

People type their NIK (or KK number) into a report: "bantuan belum cair, NIK 3273074506800001". The
number is masked where the message enters the pipeline (``masked_envelope``), so the stored message,
its provider payload, the conversation session, the case and the companion's notice all hold
``3273********0001`` — the form a household's NIK is shown in elsewhere (``app.identifiers``), enough for a
companion to tell it from the household list's. No keyed hash is kept with the message: a person's data
export (``app.privacy``) must not carry one. ``MaskingFilter`` does the same for log lines.

Digits may be grouped by a space, dot or dash (``3273 0745 0680 0001``); a number of more or fewer
than 16 digits is left as it is (phone numbers have 10 to 13).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from app.identifiers import mask_identifier

if TYPE_CHECKING:  # the log setup imports this module: not the conversation engine with it
    from bot.envelope import Envelope

NIK_LIKE = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){15}(?!\d)")
"""16 digits, optionally one space, dot or dash between two of them, with no digit right before or after."""

KEPT_AS_GIVEN = ("id", "sid", "url")
"""Payload keys ending so hold a provider's ids and links (e.g. ``file_id``, ``MediaUrl0``): never rewritten."""


def mask_niks(text: str) -> str:
    """``"NIK 3273074506800001"`` → ``"NIK 3273********0001"``."""
    return NIK_LIKE.sub(lambda found: mask_identifier(found.group()), text)


def masked_value(value: Any) -> Any:
    """A JSON-like value (a provider payload) with every NIK-looking number in its texts masked."""
    if isinstance(value, str):
        return mask_niks(value)
    if isinstance(value, dict):
        return {key: item if _kept(key) else masked_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [masked_value(item) for item in value]
    return value


def masked_envelope(envelope: Envelope) -> Envelope:
    """The envelope with every NIK-looking number in its text and payload masked."""
    texts = [envelope.inbound.text, *_texts(envelope.payload)]
    if not any(NIK_LIKE.search(text) for text in texts):
        return envelope
    inbound = replace(envelope.inbound, text=mask_niks(envelope.inbound.text))
    return replace(envelope, inbound=inbound, payload=masked_value(envelope.payload))


class MaskingFilter(logging.Filter):
    """Masks NIK-looking numbers in log lines (the message and its arguments, and the exception text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if NIK_LIKE.search(message) or (record.exc_text and NIK_LIKE.search(record.exc_text)):
            record.msg, record.args = mask_niks(message), None
            if record.exc_text:
                record.exc_text = mask_niks(record.exc_text)
        return True


def install_log_masking(*loggers: logging.Logger) -> None:
    """Mask NIKs on every handler of these loggers (the root logger when none is given)."""
    for logger in loggers or (logging.getLogger(),):
        for handler in logger.handlers:
            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(MaskingFilter())


def _kept(key: object) -> bool:
    return isinstance(key, str) and key.rstrip("0123456789").lower().endswith(KEPT_AS_GIVEN)


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() if not _kept(key) for text in _texts(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return []
