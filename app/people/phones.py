"""Phone numbers, normalized with ``phonenumbers``: ``0812…``, ``62812…`` and ``+62812…`` are one person."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "ID"


def normalize_phone(raw: str) -> str | None:
    """E.164 (``+6281234567890``) for a valid number, else None."""
    text = raw.strip().removeprefix("whatsapp:")
    if text.startswith("62") and not text.startswith("+"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """``+6281234567890`` → ``+62812****7890`` for logs and digests."""
    return e164[:6] + "*" * max(len(e164) - 10, 0) + e164[-4:] if len(e164) > 10 else "****"
