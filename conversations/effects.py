"""Effects: domain commands the engine asks the shell to carry out.

Effects are imperative (``SetLanguage``); what the shell records in the audit
log afterwards is past tense (``language_set``). The shell's dispatcher in
``app/effects.py`` has one arm per effect, so a new effect without a handler
fails loudly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class OpenCase:
    """Open a household's report: ``OpenCase(reference="KB-7Q4K2", category="kks_lost", area_code="32.73.07.1001",
    household_id=12, answers={"has_letter": "no"}, media=("sha256:…",))``.

    In assisted mode (a companion files for a household) ``filed_for`` holds what the
    companion typed to name the household (a phone number or a name).
    """

    reference: str
    category: str
    area_code: str
    household_id: int | None = None
    household_name: str = ""
    answers: Mapping[str, str] = field(default_factory=dict)
    media: tuple[str, ...] = ()
    filed_for: str = ""


@dataclass(frozen=True)
class AttachToCase:
    """Add a second report of the same problem to the open case: ``AttachToCase(reference="KB-7Q4K2", note="…")``."""

    reference: str
    note: str = ""
    media: tuple[str, ...] = ()


Effect = GiveConsent | DeclineConsent | SetLanguage | SetArea | OptOut | OptIn | OpenCase | AttachToCase
