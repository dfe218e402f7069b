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


@dataclass(frozen=True)
class OpenCompanionCase:
    """Open a case a companion found: ``OpenCompanionCase(reference="KB-7Q4K2", area_code="32.73.07.1001",
    source="own", person_name="Mbah Sarinah", rt_rw="003/005", ppks_type="08",
    story="Tinggal sendiri, sakit, tidak ada yang merawat", media=("sha256:…",),
    planned_steps="Antar ke Puskesmas", partners=("rt_rw", "tksk"), follow_up="2026-11-24")``.

    ``source`` is family, rt_rw, kelurahan or own; ``ppks_type`` a code of ``conversations/ppks.py``
    ("01".."26"); ``story`` is "[pesan suara]" when told in a voice note (the note is in ``media``,
    with the photos); ``partners`` are rt_rw, kasie_kesos, tksk, satpol_pp, dinsos, dinkes, other;
    ``follow_up`` is an ISO date. A skipped answer is "" (or ``()``).
    """

    reference: str
    area_code: str
    source: str
    person_name: str
    rt_rw: str
    ppks_type: str
    story: str
    media: tuple[str, ...]
    planned_steps: str
    partners: tuple[str, ...]
    follow_up: str


@dataclass(frozen=True)
class UpdateCase:
    """A companion works a case: ``UpdateCase(reference="KB-7Q4K2", action="status", value="referred",
    note="Puskesmas Sukajadi")``. Actions: ``note`` (with media), ``status`` (in_progress, referred,
    resolved, closed_unresolved; the note holds the destination, outcome or reason), ``step``
    (letter, police, dinsos, bank, card_received), ``follow_up`` (an ISO date), ``cost`` (rupiah the
    companion paid personally), ``handover`` (the phone number of the companion taking the case over).
    """

    reference: str
    action: str
    value: str = ""
    note: str = ""
    media: tuple[str, ...] = ()
    consent: str = ""
    """Before a referral: who in the family agreed (the shell records when)."""


@dataclass(frozen=True)
class CreateInvitation:
    """An operator invites someone to a role in their village: ``CreateInvitation(role="psm", area_code="32.73.07.1001")``.
    The shell makes the code and sends it to the operator."""

    role: str
    area_code: str


@dataclass(frozen=True)
class ScheduleMeeting:
    """A PKH facilitator schedules a P2K2 session, or a TKSK a food-aid distribution; the members are told.

    ``ScheduleMeeting(kind="p2k2", area_code="32.73.16.1002", day="2026-12-05", start="09:00",
    place="Rumah Bu Ani", group_id=3, module="economy", session="finances")``;
    ``ScheduleMeeting(kind="distribution", area_code="35.17.18.2001", day="2026-12-07", start="08:00",
    end="12:00", place="Balai desa", agent_id=4)`` (or ``agent_name="e-Warong Makmur"`` for an agent
    not on the list yet, which the shell adds to the village). ``day`` and the times are local to the village.
    """

    kind: str
    area_code: str
    day: str
    start: str
    end: str = ""
    place: str = ""
    group_id: int | None = None
    module: str = ""
    session: str = ""
    agent_id: int | None = None
    agent_name: str = ""


@dataclass(frozen=True)
class ChangeMeeting:
    """Move a meeting: ``ChangeMeeting(meeting_id=7, day="2026-12-06", start="10:00", end="", place="")``.
    An empty field keeps its value; pending reminders move with it and the members are told."""

    meeting_id: int
    day: str = ""
    start: str = ""
    end: str = ""
    place: str = ""


@dataclass(frozen=True)
class CancelMeeting:
    """Cancel a meeting; pending reminders are dropped and the members told: ``CancelMeeting(meeting_id=7, reason="banjir")``."""

    meeting_id: int
    reason: str = ""


@dataclass(frozen=True)
class RecordAttendance:
    """After a P2K2 session: who was absent or excused (everyone else was present), what was covered, a photo.
    ``RecordAttendance(meeting_id=7, absent=(12,), excused=(15, 18), note="Anggaran rumah tangga", media=("sha256:…",))``;
    ids are household ids. Absentees get a short summary."""

    meeting_id: int
    absent: tuple[int, ...] = ()
    excused: tuple[int, ...] = ()
    note: str = ""
    media: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerMeeting:
    """A member answers a reminder: ``AnswerMeeting(meeting_id=7, coming=False)`` (1 hadir / 2 berhalangan)."""

    meeting_id: int
    coming: bool


@dataclass(frozen=True)
class RecordEwarongVisit:
    """A TKSK's monitoring visit to an e-Warong agent, by the 6 T:
    ``RecordEwarongVisit(area_code="35.17.18.2001", agent_id=4, items="beras 10 kg, telur 1 kg",
    prices_ok=False, price_note="telur Rp32.000/kg", quality_ok=True, quality_note="", on_time=True,
    time_note="", on_target=True, target_note="", transactions_ok=45, transactions_failed=3,
    failure_reasons=("no_balance", "wrong_pin"), failure_note="", note="Antrean panjang", media=("sha256:…",))``
    (or ``agent_name="e-Warong Makmur"`` for an agent not on the list yet, which the shell adds to the village).

    ``failure_reasons`` are codes of ``conversations/ewarong.py`` (no_balance, card_blocked, wrong_pin,
    edc_broken, other); ``failure_note`` is what was written for "other". The shell stores the visit at the
    current time and tells the kelurahan operator when a price is above HET, the quality is poor, the
    goods did not reach the right people or transactions failed.
    """

    area_code: str
    agent_id: int | None = None
    agent_name: str = ""
    items: str = ""
    prices_ok: bool = True
    price_note: str = ""
    quality_ok: bool = True
    quality_note: str = ""
    on_time: bool = True
    time_note: str = ""
    on_target: bool = True
    target_note: str = ""
    transactions_ok: int = 0
    transactions_failed: int = 0
    failure_reasons: tuple[str, ...] = ()
    failure_note: str = ""
    note: str = ""
    media: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddGroupMember:
    """A PKH facilitator puts a household of the list into a P2K2 group (created when new):
    ``AddGroupMember(area_code="32.73.16.1002", group_name="Mawar 1", who="0812 3456 7890")``; ``who`` is a phone
    number or the head of household's name as typed, which the shell looks up in the village's list."""

    area_code: str
    group_name: str
    who: str


@dataclass(frozen=True)
class SendDigest:
    """An operator or TKSK asks for the weekly digest of each of their areas, with the chart and the workbook,
    sent as the answer: this week so far ("ringkasan", ``SendDigest()``) or the last complete week
    ("ringkasan lalu", ``SendDigest(last_week=True)``)."""

    last_week: bool = False


@dataclass(frozen=True)
class SendWebLink:
    """A companion, operator or admin sends "web": a single-use sign-in link to the web console is sent to them."""


@dataclass(frozen=True)
class CountWrongCode:
    """A ticket code that is not the person's, or does not exist, was asked for: ``CountWrongCode("KB-7Q4K2")``.
    The shell counts it; too many in a short time pause the checking of their codes (``app/guessing.py``)."""

    code: str


Effect = (
    GiveConsent | DeclineConsent | SetLanguage | SetArea | OptOut | OptIn | OpenCase | AttachToCase | UpdateCase
    | OpenCompanionCase | CreateInvitation | ScheduleMeeting | ChangeMeeting | CancelMeeting | RecordAttendance
    | AnswerMeeting | RecordEwarongVisit | SendDigest | AddGroupMember | SendWebLink | CountWrongCode
)
