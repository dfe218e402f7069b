"""The simulator channel: lines typed in a terminal or the web page become ``Inbound`` values,
and outbox rows become text with numbered options.

Besides plain text, a line may be a command that stands for what a phone can send:
``/foto PATH`` (a photo), ``/suara PATH`` (a voice note), ``/lokasi LAT LON``,
``/stiker`` (a sticker, which the bot cannot read), ``/pilih KEY`` (a tapped button).
"""

from __future__ import annotations

from typing import Any

from conversations.types import Inbound, InboundKind, MediaRef

CHANNEL = "simulator"


def parse_line(line: str) -> Inbound:
    """A typed line → ``Inbound``; ``"/lokasi -6.9 107.6"`` is a location, anything unknown is text."""
    text = line.rstrip("\n")
    command, _, rest = text.strip().partition(" ")
    match command.lower():
        case "/foto" | "/photo":
            return Inbound(kind=InboundKind.PHOTO, media=MediaRef(f"simulator:{rest.strip()}", "image/jpeg"))
        case "/suara" | "/voice":
            return Inbound(kind=InboundKind.VOICE, media=MediaRef(f"simulator:{rest.strip()}", "audio/ogg"))
        case "/lokasi" | "/location":
            return _location(rest) or Inbound.text_(text)
        case "/stiker" | "/sticker":
            return Inbound(kind=InboundKind.UNSUPPORTED, unsupported="sticker")
        case "/pilih" | "/choose":
            return Inbound.option_(rest.strip())
    return Inbound.text_(text)


def _location(rest: str) -> Inbound | None:
    parts = rest.replace(",", " ").split()
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        return None
    return Inbound(kind=InboundKind.LOCATION, latitude=latitude, longitude=longitude)


def render_text(body: dict[str, Any]) -> str:
    """An outbox body as the terminal shows it: the text, then ``1. Label`` lines."""
    lines = [body.get("text", "")]
    lines += [f"  {number}. {option['label']}" for number, option in enumerate(body.get("options", []), start=1)]
    lines += [f"  [media: {media['ref']}]" for media in body.get("media", [])]
    return "\n".join(lines)
