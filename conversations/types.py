"""The values the pure engine speaks: what comes in, what goes out, what it remembers.

Nothing here touches a database, the network or a clock. The shell (`app/`)
builds an `Inbound` from a provider payload, loads the `Session`, hands both to
`step()` with a `Context`, and applies the `Effect`s that come back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from conversations.effects import Effect

if TYPE_CHECKING:
    from conversations.areas import Gazetteer


class InboundKind(StrEnum):
    TEXT = "text"
    OPTION = "option"
    PHOTO = "photo"
    VOICE = "voice"
    LOCATION = "location"
    CONTACT = "contact"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class MediaRef:
    """A file the shell has already stored, e.g. ``MediaRef("sha256:ab12…", "image/jpeg")``."""

    ref: str
    mime_type: str = ""


@dataclass(frozen=True)
class Inbound:
    """One thing a person sent, whatever the channel.

    Examples: ``Inbound.text_("kartu saya ilang")``,
    ``Inbound(kind=InboundKind.OPTION, option="consent:yes")`` (a tapped button),
    ``Inbound(kind=InboundKind.PHOTO, media=MediaRef("sha256:…"), text="caption")``,
    ``Inbound(kind=InboundKind.UNSUPPORTED, unsupported="sticker")``.
    """

    kind: InboundKind
    text: str = ""
    option: str = ""
    media: MediaRef | None = None
    latitude: float | None = None
    longitude: float | None = None
    contact_phone: str = ""
    unsupported: str = ""
    """For ``UNSUPPORTED``: what it was — ``sticker``, ``edited``, ``too_large``, ``video`` …"""
    referral: str = ""
    """A deep-link or registration code that came with the message (``/start CODE``, ``DAFTAR CODE``)."""

    @classmethod
    def text_(cls, text: str) -> Inbound:
        return cls(kind=InboundKind.TEXT, text=text)

    @classmethod
    def option_(cls, key: str) -> Inbound:
        return cls(kind=InboundKind.OPTION, option=key)


@dataclass(frozen=True)
class Option:
    """A numbered choice: ``Option("lang:en", "English")``; ``aliases`` are extra words that pick it."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    means: tuple[str, ...] = ()
    """The plain answers that pick it, as ``conversations.understand.Meaning`` values: ``("yes",)`` lets
    "iya pak", "nggih" and "muhun" choose it; ``("skip", "done")`` lets "gak ada" and "udah itu aja"."""


@dataclass(frozen=True)
class Reply:
    """One message to send: ``Reply("Pilih bahasa:", options=(Option("lang:id", "Bahasa Indonesia"),))``."""

    text: str
    options: tuple[Option, ...] = ()
    media: tuple[MediaRef, ...] = ()


CARRIED = ("draft", "first")
"""Session keys that outlive a flow: a report left half-way, and what a new person wrote before consenting."""


@dataclass(frozen=True)
class Session:
    """Where a person is in a conversation: a flow, a state in it, and what was collected so far.

    ``data`` is JSON-compatible; handlers never mutate it, they return a new session.
    An empty ``flow`` means the person is at rest (no question pending).
    """

    flow: str = ""
    state: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    updated_at: datetime | None = None

    def at(self, flow: str, state: str, **data: Any) -> Session:
        """Enter ``flow`` at ``state`` with fresh ``data`` (a kept report draft and a first message stay)."""
        for key in CARRIED:
            if self.data.get(key) and key not in data:
                data[key] = self.data[key]
        return replace(self, flow=flow, state=state, data=data)

    def goto(self, state: str, **more: Any) -> Session:
        return replace(self, state=state, data={**self.data, **more})

    def idle(self) -> Session:
        """Nothing pending; an unfinished report kept as a draft, and a first message not yet acted on, stay."""
        return replace(self, flow="", state="", data={key: self.data[key] for key in CARRIED if self.data.get(key)})

    def without(self, key: str) -> Session:
        return replace(self, data={k: v for k, v in self.data.items() if k != key})

    def cleared(self) -> Session:
        """Nothing pending and no draft (after BATAL)."""
        return replace(self, flow="", state="", data={})


@dataclass(frozen=True)
class RoleView:
    """One role a person holds, e.g. ``RoleView("tksk", "35.17.18")``."""

    role: str
    area_code: str


@dataclass(frozen=True)
class HouseholdView:
    """A household the person's phone belongs to (identifiers are never shown to the engine)."""

    id: int
    head_name: str
    area_code: str
    rt: str = ""
    rw: str = ""
    programs: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseView:
    """A case the person reported (or filed), as far as they may see it."""

    reference: str
    category: str
    status: str
    procedure_step: str = ""
    household_id: int | None = None
    is_open: bool = True


@dataclass(frozen=True)
class ContactView:
    """How to reach a household, shown only to the case's assignee and the area's operators:
    ``ContactView("+62 812-0000-0004", "tel:+6281200000004", "https://wa.me/6281200000004")``."""

    phone: str
    call: str
    chat: str


@dataclass(frozen=True)
class CaseNoteView:
    """One entry of a case's timeline, oldest first: ``CaseNoteView("2026-11-23T09:00", "Bu Rina", "note_added",
    text="Sudah ke Polsek")``. ``at`` is the reader's local time; ``kind`` is note_added, status_changed (``status``
    and ``step`` the new ones, when they changed), consent_recorded, cost_recorded (``value`` the rupiah),
    follow_up_set (``value`` an ISO date), handed_over (``value`` the new companion's name) or report_attached."""

    at: str
    who: str
    kind: str
    text: str = ""
    value: str = ""
    status: str = ""
    step: str = ""
    media: tuple[MediaRef, ...] = ()


@dataclass(frozen=True)
class WorkCaseView:
    """A case a companion may work on (assigned to them, or in their area and asked for by its code).

    The case being looked at comes whole (``detailed``): who filed it and how, the household's own words, the
    story, plan and partners, photos and voice notes (``media``; a ref whose file type is unknown has no
    ``mime_type`` and is only counted), the notes timeline, and, for its assignee and the area's operators
    only, the household's phone (``contact``). Cases in a list come with the first fields only."""

    reference: str
    category: str
    status: str
    household_name: str
    place: str
    procedure_step: str = ""
    follow_up: str = ""  # ISO date, or ""
    overdue: bool = False
    answers: Mapping[str, str] = field(default_factory=dict)
    tracks_steps: bool = False
    kind: str = ""
    """kpm_report (a household's report) or companion_case (a case a companion logged)."""
    detailed: bool = False
    contact: ContactView | None = None
    rt: str = ""
    rw: str = ""
    filed_as: str = ""
    """household (by the household in chat), assisted (a companion for the household) or companion."""
    filed_by: str = ""
    opened_at: str = ""  # local "YYYY-MM-DDTHH:MM"
    source: str = ""  # a companion case's source: family, rt_rw, kelurahan, own
    story: str = ""
    planned_steps: str = ""
    partners: tuple[str, ...] = ()
    media: tuple[MediaRef, ...] = ()
    notes: tuple[CaseNoteView, ...] = ()
    personal_costs: int = 0
    unassigned: bool = False
    """Nobody handles it yet: an operator or admin reading it may take it ("Ambil kasus")."""


@dataclass(frozen=True)
class MemberView:
    """A household in a P2K2 group (or at a meeting), and its answer to the reminder: "yes", "no" or ""."""

    household_id: int
    name: str
    answer: str = ""


@dataclass(frozen=True)
class GroupView:
    """A P2K2 group a facilitator leads."""

    id: int
    name: str
    area_code: str
    members: tuple[MemberView, ...] = ()


@dataclass(frozen=True)
class AgentView:
    """An e-Warong agent of a village."""

    id: int
    name: str
    area_code: str
    address: str = ""


@dataclass(frozen=True)
class MeetingView:
    """A P2K2 session or a distribution, in the local time of its village.

    ``day`` is an ISO date, ``start``/``end`` "HH:MM"; ``status`` is scheduled, cancelled or held.
    For the organizer, ``members`` lists who is expected and their answers.
    """

    id: int
    kind: str
    area_code: str
    place_name: str
    day: str
    start: str
    end: str = ""
    place: str = ""
    status: str = "scheduled"
    group_name: str = ""
    module: str = ""
    session: str = ""
    agent_name: str = ""
    members: tuple[MemberView, ...] = ()
    organized_by_me: bool = False


@dataclass(frozen=True)
class ScheduleView:
    """What "Jadwal" may show and use: for a facilitator their groups, for a TKSK the villages of their
    kecamatan (code, name) and their agents; the meetings they organize or (for a household) are invited to,
    from a week back to two months ahead."""

    meetings: tuple[MeetingView, ...] = ()
    groups: tuple[GroupView, ...] = ()
    villages: tuple[tuple[str, str], ...] = ()
    agents: tuple[AgentView, ...] = ()


@dataclass(frozen=True)
class PendingAnswer:
    """A reminder that asked "1 hadir / 2 berhalangan" and may be answered. ``fresh`` when the person has
    not written since it was sent, so a bare "1" or "2" answers it rather than picking a menu entry."""

    meeting_id: int
    label: str
    fresh: bool = False


@dataclass(frozen=True)
class ReaderView:
    """Who reads a report of one kind (``route``: tksk, pkh, operator) from one area, by name:
    ``ReaderView("35.17.18.2001", "tksk", "Bu Yuni", "operator", "Desa Bandarkedungmulyo")`` when the kecamatan
    has no TKSK and the village's operator reads it instead."""

    area_code: str
    route: str
    name: str
    role: str
    place: str


@dataclass(frozen=True)
class PersonView:
    """What the engine may know of the person writing; loaded by the shell each message."""

    locale: str = "id"
    consented: bool = False
    declined: bool = False
    area_code: str = ""
    opted_out: bool = False
    roles: tuple[RoleView, ...] = ()
    display_name: str = ""
    households: tuple[HouseholdView, ...] = ()
    cases: tuple[CaseView, ...] = ()
    work: tuple[WorkCaseView, ...] = ()
    schedule: ScheduleView | None = None
    """Loaded only when a step may read it (see ``engine.reads_history``)."""
    pending_answer: PendingAnswer | None = None
    readers: tuple[ReaderView, ...] | None = None
    """Who would read a report from the person's places; loaded only before a report is sent (None otherwise)."""

    def reader(self, area_code: str, route: str) -> ReaderView | None:
        return next((r for r in self.readers or () if r.area_code == area_code and r.route == route), None)

    @property
    def is_companion(self) -> bool:
        return bool(self.roles)

    @property
    def onboarded(self) -> bool:
        return self.consented and bool(self.area_code)


Translate = Callable[..., str]


@dataclass(frozen=True)
class Context:
    """Everything from outside the engine that one step may read. Time comes in as ``now``."""

    now: datetime
    person: PersonView
    gazetteer: Gazetteer
    translators: Mapping[str, Translate]
    default_locale: str = "id"
    session_timeout: timedelta = timedelta(minutes=30)
    max_text_length: int = 5000
    new_reference: Callable[[], str] = lambda: "KB-00000"
    """A fresh ticket code; random in the shell, fixed in tests."""
    draft_lifetime: timedelta = timedelta(days=1)
    local_today: date | None = None
    """The date where the person is (WIB, WITA or WIT); the shell works it out from their area."""
    codes_paused_until: str = ""
    """When the person sent too many wrong codes, until when their codes are not checked, in their local time
    ("10:30 WIB"); empty otherwise. The shell works it out (``app/guessing.py``)."""
    household_named: HouseholdView | None = None
    """A companion filing for a household writes its phone number or its head's name: that household on the list, in
    the companion's areas, when the shell found exactly one (only then, and only for that answer)."""

    @property
    def today(self) -> date:
        return self.local_today or self.now.date()

    def t(self, msgid: str, **params: Any) -> str:
        """Translate ``msgid`` into the person's language and fill its ``{placeholders}``."""
        translate = self.translators.get(self.person.locale) or self.translators[self.default_locale]
        return translate(msgid, **params)

    def with_locale(self, locale: str) -> Context:
        return replace(self, person=replace(self.person, locale=locale))


@dataclass(frozen=True)
class Step:
    """What one interaction produced: the new session, replies to send, effects to apply."""

    session: Session
    replies: tuple[Reply, ...] = ()
    effects: tuple[Effect, ...] = ()
    start_flow: str = ""
    """When set, the engine starts that flow next (flows name each other instead of importing)."""
    reask: bool = False
    """When set, the engine asks the pending question of ``session`` again (e.g. after a language switch)."""

    def then(self, other: Step) -> Step:
        """Chain: keep ``other``'s session and jumps, concatenate replies and effects."""
        return Step(
            other.session, self.replies + other.replies, self.effects + other.effects, other.start_flow, other.reask
        )
