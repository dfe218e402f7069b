"""Effects: domain commands the engine asks the shell to carry out.

Effects are imperative (``SetLanguage``); what the shell records in the audit
log afterwards is past tense (``language_set``). The shell's dispatcher in
``app/effects.py`` has one arm per effect, so a new effect without a handler
fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GiveConsent:
    """The person agreed to the privacy notice: ``GiveConsent()``."""


@dataclass(frozen=True)
class DeclineConsent:
    """The person did not agree; nothing beyond the message itself is kept: ``DeclineConsent()``."""


@dataclass(frozen=True)
class SetLanguage:
    """Store the person's language: ``SetLanguage(locale="en")``."""

    locale: str


@dataclass(frozen=True)
class SetArea:
    """Store the village (kelurahan/desa) the person lives or works in: ``SetArea(area_code="32.73.07.1001")``."""

    area_code: str


@dataclass(frozen=True)
class OptOut:
    """Stop broadcasts (reminders, news) to this person; reports are still accepted: ``OptOut()``."""


@dataclass(frozen=True)
class OptIn:
    """Resume broadcasts after an opt-out: ``OptIn()``."""


Effect = GiveConsent | DeclineConsent | SetLanguage | SetArea | OptOut | OptIn
