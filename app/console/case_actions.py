"""Working a case from the console: the chat's own actions (take, note, status, KKS step, follow-up date, own
costs, hand over), each checked here as the chat's questions check it, then done by ``update_case`` with the
chat's ``UpdateCase``, so the timeline, the audit log and the household's news are exactly those of the chat.

A case the person may not work on is refused before anything is read from the form (``case_change_refused``);
should ``update_case``'s own area check refuse it still, that is audited (``write_refused``) and answered the
same way. A form that does not pass comes back with a message for each field, in
Indonesian message ids the page translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.cases.access import may_work_on
from app.cases.work import update_case
from app.console.case_page import takers
from app.models import Case, Person
from app.models.cases import KKS_STEPS
from app.refusals import Refused, record_refusal
from app.schedules.local_time import local_day
from conversations.categories import BY_CODE
from conversations.dates import MAX_AHEAD, parse_date, past_date
from conversations.effects import UpdateCase
from conversations.types import Translate

N_ = str
NOTE_CHARS = 2000
"""What anyone writes on a case is kept up to this many characters (as stories are)."""
CONSENT_CHARS = 200
MAX_COST = 100_000_000
STATUSES = ("in_progress", "referred", "resolved", "closed_unresolved")
"""The statuses a companion sets (a case is ``new`` only until someone works on it)."""
NEEDS_NOTE = {
    "referred": N_("Tulis ke mana kasus ini dirujuk."),
    "resolved": N_("Tulis hasilnya."),
    "closed_unresolved": N_("Tulis kenapa kasus ini ditutup tanpa hasil."),
}
ACTIONS = ("ambil", "catatan", "status", "langkah", "tindak-lanjut", "serahkan", "biaya")
"""The actions, as the last part of their form's URL."""

TOO_LONG = N_("Terlalu panjang: paling banyak 2.000 huruf. Tulisan Anda masih ada di bawah, silakan dipendekkan.")
EMPTY_NOTE = N_("Tulis catatannya dulu.")
NO_STATUS = N_("Pilih status.")
NO_CONSENT = N_("Sebelum merujuk: tulis siapa dari keluarga yang setuju, contoh: Bu Sari (anak).")
CONSENT_TOO_LONG = N_("Terlalu panjang: paling banyak 200 huruf.")
NO_STEP = N_("Pilih langkah KKS.")
NO_STEPS_HERE = N_("Kasus ini tidak melacak langkah KKS.")
BAD_DATE = N_("Tanggal tidak terbaca. Pilih tanggal, atau tulis misalnya 5/12/2026.")
PAST_DATE = N_("Tanggal itu sudah lewat. Pilih hari ini atau sesudahnya.")
FAR_DATE = N_("Tanggal itu lebih dari setahun lagi. Pilih tanggal yang lebih dekat.")
NO_TAKER = N_("Pilih pendamping atau petugas dari daftar.")
HANDOVER_REFUSED = N_("Kasus tidak bisa diserahkan kepada orang itu: dia bukan pendamping di wilayah kasus ini.")
ALREADY_TAKEN = N_("Kasus ini sudah ada yang menangani.")
BAD_AMOUNT = N_("Tulis jumlahnya dalam rupiah, contoh: 25000.")


@dataclass(frozen=True)
class Outcome:
    """What came of a form: ``done``; ``refused`` (not the person's case: answered as "not found"); or
    ``errors`` (field → message id) to show with what was typed."""

    done: bool = False
    refused: bool = False
    errors: Mapping[str, str] = field(default_factory=dict)
    still_visible: bool = True
    """After a hand-over the case may no longer be the person's to see."""


def act(
    db: Session, person: Person, reference: str, action: str, form: Mapping[str, str], *, now: datetime,
    timezone: str, translators: Mapping[str, Translate],
) -> Outcome:
    """Checks the form of ``action`` (one of ``ACTIONS``) and, when it passes, applies it as the chat would."""
    case = db.scalar(select(Case).where(Case.reference == reference))
    if case is None or not may_work_on(person, case) or action not in ACTIONS:
        audit.record(db, actor_id=person.id, action="case_change_refused", subject_type="case", subject_id=reference, now=now)
        return Outcome(refused=True)
    effect, errors = _effect(db, case, person, action, form, today=local_day(now, timezone))
    if effect is None:
        return Outcome(errors=errors)
    try:
        changed = update_case(db, effect=effect, actor=person, now=now, translators=translators)
    except Refused as refused:  # the service's own area check (the case moved out of reach meanwhile): "not found"
        record_refusal(db, actor=person, refused=refused, now=now)
        return Outcome(refused=True)
    if not changed:
        return Outcome(errors={"": ALREADY_TAKEN if action == "ambil" else HANDOVER_REFUSED})
    return Outcome(done=True, still_visible=may_work_on(person, case))


def _effect(
    db: Session, case: Case, person: Person, action: str, form: Mapping[str, str], *, today: date
) -> tuple[UpdateCase | None, dict[str, str]]:
    reference = case.reference
    text = form.get("catatan", "").strip()
    match action:
        case "ambil":
            return (UpdateCase(reference, "take"), {}) if case.assignee_person_id is None else (None, {"": ALREADY_TAKEN})
        case "catatan":
            error = EMPTY_NOTE if not text else TOO_LONG if len(text) > NOTE_CHARS else ""
            return _checked(UpdateCase(reference, "note", note=text), {"catatan": error})
        case "status":
            return _status(case, form, text)
        case "langkah":
            step = form.get("langkah", "")
            category = BY_CODE.get(case.category)
            error = NO_STEPS_HERE if not (category and category.tracks_kks_steps) else "" if step in KKS_STEPS else NO_STEP
            return _checked(UpdateCase(reference, "step", step), {"langkah": error})
        case "tindak-lanjut":
            day, error = read_day(form.get("tanggal", ""), today)
            return _checked(UpdateCase(reference, "follow_up", day.isoformat() if day else ""), {"tanggal": error})
        case "serahkan":
            chosen = form.get("petugas", "")
            taker = next((t for t in takers(db, case, person) if str(t.id) == chosen), None)
            phone = db.scalar(select(Person.phone).where(Person.id == taker.id)) if taker else None
            return _checked(UpdateCase(reference, "handover", phone or ""), {"petugas": "" if phone else NO_TAKER})
        case _:  # biaya
            amount = _rupiah(form.get("jumlah", ""))
            purpose = form.get("untuk", "").strip()
            errors = {"jumlah": "" if 0 < amount <= MAX_COST else BAD_AMOUNT, "untuk": TOO_LONG if len(purpose) > NOTE_CHARS else ""}
            return _checked(UpdateCase(reference, "cost", str(amount), note=purpose), errors)


def _status(case: Case, form: Mapping[str, str], text: str) -> tuple[UpdateCase | None, dict[str, str]]:
    status = form.get("status", "")
    consent = form.get("persetujuan", "").strip() if status == "referred" else ""
    errors = {
        "status": "" if status in STATUSES else NO_STATUS,
        "catatan": TOO_LONG if len(text) > NOTE_CHARS else NEEDS_NOTE[status] if status in NEEDS_NOTE and not text else "",
        "persetujuan": (NO_CONSENT if not consent else CONSENT_TOO_LONG if len(consent) > CONSENT_CHARS else "")
        if status == "referred" else "",
    }  # fmt: skip
    return _checked(UpdateCase(case.reference, "status", status, note=text, consent=consent), errors)


def _checked(effect: UpdateCase, errors: dict[str, str]) -> tuple[UpdateCase | None, dict[str, str]]:
    found = {name: message for name, message in errors.items() if message}
    return (None, found) if found else (effect, {})


def read_day(text: str, today: date) -> tuple[date | None, str]:
    """A follow-up day from the date field (``2026-12-05``) or typed as in chat (``5/12``, ``besok``): from
    today on and within a year; else a message id saying why not."""
    text = text.strip()
    try:
        day: date | None = date.fromisoformat(text)
    except ValueError:
        day = parse_date(text, today) if text else None
        if day is None:
            return None, PAST_DATE if text and past_date(text, today) else BAD_DATE
    assert day is not None
    if day < today:
        return None, PAST_DATE
    if day - today > MAX_AHEAD:
        return None, FAR_DATE
    return day, ""


def _rupiah(text: str) -> int:
    """``"Rp25.000"``, ``"25 000"``, ``"25000"`` → 25000; anything else → 0."""
    digits = text.strip().lower().removeprefix("rp").replace(".", "").replace(",", "").replace(" ", "")
    return int(digits) if digits.isdigit() and len(digits) <= 12 else 0
