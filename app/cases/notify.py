"""Telling people about cases: the companion who must act, those informed, and the household.

Each message is written in its reader's language and queued in the outbox
under a key that makes it impossible to send twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from app.cases.routing import Routing
from app.models import Area, Case, ChannelIdentity, Household, Person
from app.outbox import enqueue_once
from app.people.reach import best_identities, best_identity
from conversations.categories import BY_CODE
from conversations.flows.report_questions import answer_lines
from conversations.roles import SHORT_ROLE_NAMES
from conversations.types import Reply, Translate


def tell(
    db: Session, person: Person, *, key: str, text: str, now: datetime, purpose: str = "case_update",
    not_before: datetime | None = None,
) -> None:
    """A message to one person (e.g. a hand-over, a new meeting), once; held back until ``not_before`` if given."""
    _send(db, person, key=key, text=text, purpose=purpose, now=now, not_before=not_before)


def _send(
    db: Session, person: Person, *, key: str, text: str, purpose: str, now: datetime, not_before: datetime | None = None,
    identity: ChannelIdentity | None = None,
) -> None:
    """``identity``: where to reach ``person`` when already read (``best_identities``)."""
    identity = identity or best_identity(db, person.id)
    if identity is None:
        return
    message = enqueue_once(db, key=key, identity=identity, reply=Reply(text), now=now, purpose=purpose)
    if message is not None and not_before is not None and not_before > now:
        message.next_attempt_at = not_before


def _place(db: Session, case: Case) -> str:
    area = db.get(Area, case.area_code)
    return area.name if area else case.area_code


def case_opened(db: Session, *, case: Case, routing: Routing, now: datetime, translators: Mapping[str, Translate]) -> None:
    """The assignee gets the whole report; everyone informed a line (or, with nobody assigned, the whole report)."""
    told = [routing.assignee] if routing.assignee is not None else []
    identities = best_identities(db, [person.id for person in [*told, *routing.informed]])  # read once for all
    place = _place(db, case)
    if routing.assignee is not None:
        t = translators[routing.assignee.locale]
        _send(db, routing.assignee, key=f"case:{case.reference}:assigned", text=_for_assignee(db, case, t, place),
              purpose="case_assigned", now=now, identity=identities.get(routing.assignee.id))  # fmt: skip
    for person in routing.informed:
        t = translators[person.locale]
        text = _for_informed(db, case, routing, t, person, place)
        _send(db, person, key=f"case:{case.reference}:informed:{person.id}", text=text, purpose="case_informed", now=now,
              identity=identities.get(person.id))  # fmt: skip


def _for_assignee(db: Session, case: Case, t: Translate, place: str) -> str:
    category = BY_CODE[case.category]
    household = db.get(Household, case.household_id) if case.household_id else None
    lines = [
        t("Laporan baru untuk Anda: {reference}", reference=case.reference),
        t("Masalah: {problem}", problem=t(category.label)),
        t("Keluarga: {name}", name=case.household_name or "-") + (f" (RT {household.rt}/RW {household.rw})" if household else ""),
        t("Tempat: {place}", place=place),
        *_assignee_contact(db, case, t),
        *answer_lines(case.details.get("answers", {}), t),
    ]
    if case.details.get("media"):
        lines.append(t("Foto/suara: {count}", count=len(case.details["media"])))
    lines.append(t("Yang perlu dilakukan: {step}", step=t(category.todo)))
    return "\n".join(lines)


def _for_informed(db: Session, case: Case, routing: Routing, t: Translate, reader: Person, place: str) -> str:
    problem = t(BY_CODE[case.category].label)
    if routing.assignee is None:
        return _for_fallback_reader(db, case, routing, t, reader, place)
    return t(
        "Untuk diketahui: laporan {reference} di {place}: {problem}. Ditangani oleh {name}.",
        reference=case.reference, place=place, problem=problem, name=routing.assignee.display_name,
    )  # fmt: skip


def _for_fallback_reader(db: Session, case: Case, routing: Routing, t: Translate, reader: Person, place: str) -> str:
    """Nobody holds the role that should handle the case: those up the chain get the whole report and what to do
    (the village's operators also the household's phone, as for an assignee)."""
    from app.cases.contact import contact_line, shown_contact

    contact = None
    if routing.reader_role == "operator" and reader in routing.fallback_readers:
        contact = shown_contact(db, case, reader_id=reader.id, now=case.created_at, via="unassigned_notice")
    lines = [
        t("Laporan {reference} belum ada yang menangani: belum ada {role} untuk wilayah ini, jadi laporan ini kami teruskan kepada Anda.",
          reference=case.reference, role=t(SHORT_ROLE_NAMES.get(routing.role, routing.role))),
        t("Masalah: {problem}", problem=t(BY_CODE[case.category].label)),
        t("Keluarga: {name}", name=case.household_name or "-"),
        *([contact_line(contact, t)] if contact else []),
        t("Tempat: {place}", place=place),
        *answer_lines(case.details.get("answers", {}), t),
        t("Ketik {reference} untuk membuka kasus ini: ambil sendiri, atau serahkan kepada pendamping di wilayah itu.", reference=case.reference),
    ]  # fmt: skip
    return "\n".join(lines)


def opened_for_household(db: Session, *, case: Case, now: datetime, translators: Mapping[str, Translate]) -> None:
    reporter = db.get(Person, case.reporter_person_id) if case.reporter_person_id else None
    if reporter is None:
        return
    t = translators[reporter.locale]
    text = t(
        "Pendamping mencatat laporan untuk keluarga Anda: {problem}. Nomor laporan: {reference}. Ketik STATUS untuk melihat perkembangannya.",
        problem=t(BY_CODE[case.category].label), reference=case.reference,
    )  # fmt: skip
    _send(db, reporter, key=f"case:{case.reference}:opened-for", text=text, purpose="status_update", now=now)


def report_attached(db: Session, *, case: Case, note: str, now: datetime, translators: Mapping[str, Translate]) -> None:
    assignee = db.get(Person, case.assignee_person_id) if case.assignee_person_id else None
    if assignee is None:
        return
    t = translators[assignee.locale]
    text = t("Keluarga {name} melapor lagi untuk {reference}: {note}", name=case.household_name or "-", reference=case.reference, note=note[:300] or "-")
    _send(db, assignee, key=f"case:{case.reference}:attached:{now.isoformat()}", text=text, purpose="case_update", now=now)


def status_changed(
    db: Session, *, case: Case, event_id: int, now: datetime, translators: Mapping[str, Translate], note: str = "",
    actor: Person | None = None,
) -> None:
    """The household hears, in its language and in plain words, where its report stands, who handles it,
    and, when it is resolved or closed, what the companion said of the outcome."""
    reporter = db.get(Person, case.reporter_person_id) if case.reporter_person_id else None
    if reporter is None:
        return
    t = translators[reporter.locale]
    handler = db.get(Person, case.assignee_person_id) if case.assignee_person_id else actor
    text = household_news(case, t, handler_name=handler.display_name if handler else "", note=note)
    _send(db, reporter, key=f"case:{case.reference}:status:{event_id}", text=text, purpose="status_update", now=now)


def household_news(case: Case, t: Translate, *, handler_name: str, note: str) -> str:
    """``Kabar laporan KB-7Q4K2 (Kartu KKS hilang): sudah selesai. Yang menangani: Bu Rina.
    Kata petugas: kartu baru sudah diterima.``"""
    problem = t(BY_CODE[case.category].label) if case.category in BY_CODE else case.category
    lines = [t("Kabar laporan {reference} ({problem}): {news}", reference=case.reference, problem=problem, news=t(_NEWS.get(case.status, _NEWS["in_progress"])))]
    if case.procedure_step and case.status not in ("resolved", "closed_unresolved"):
        lines.append(t("Langkah sekarang: {step}.", step=t(STEP_NEWS.get(case.procedure_step, case.procedure_step))))
    if handler_name:
        lines.append(t("Yang menangani: {name}.", name=handler_name))
    if note and case.status in ("resolved", "closed_unresolved", "referred"):
        lines.append(t("Kata petugas: {note}", note=" ".join(note.split())[:300]))
    if case.status in ("resolved", "closed_unresolved"):
        lines.append(t("Masih ada masalah? Balas dengan ceritanya, kami catat sebagai laporan baru."))
    return "\n".join(lines)


N_ = str
_NEWS = {
    "new": N_("sudah kami terima dan menunggu petugas."),
    "in_progress": N_("sedang ditangani."),
    "referred": N_("diteruskan ke layanan yang bisa membantu."),
    "resolved": N_("sudah selesai."),
    "closed_unresolved": N_("ditutup, belum berhasil diselesaikan."),
}
STEP_NEWS = {
    "letter": N_("surat keterangan kehilangan dari desa"),
    "police": N_("lapor kehilangan ke Polsek"),
    "dinsos": N_("surat ke Dinas Sosial"),
    "bank": N_("cetak ulang kartu di bank"),
    "card_received": N_("kartu baru sudah diterima"),
}


def _assignee_contact(db: Session, case: Case, t: Translate) -> list[str]:
    """The household's phone for the companion the case is assigned to (a tap to call, a chat link), with its
    audit line; nothing when the case has no assignee or the household no phone."""
    from app.cases.contact import contact_line, shown_contact  # here, so this file's imports stay as they are

    if case.assignee_person_id is None:
        return []
    when = case.updated_at or case.created_at  # the notice is written as the case is opened
    contact = shown_contact(db, case, reader_id=case.assignee_person_id, now=when, via="new_case_notice")
    return [contact_line(contact, t)] if contact is not None else []
