"""Recording a TKSK's monitoring visit to an e-Warong agent, and telling who must follow it up.

Only a TKSK whose kecamatan holds the village records a visit there. The visit is
stored at the current time with an audit row; an agent named in chat that is not
on the list yet is added to the village. When a price is above HET, the quality is
poor, the goods did not reach the KPM themselves or transactions failed, the
kelurahan operator(s) of the village are told in their language (once each), since
they must follow up; the TKSK is told the visit was recorded and who was told.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from app import audit
from app.cases.access import area_contains
from app.cases.notify import tell
from app.cases.routing import holders
from app.ewarong.agents import agent_for, find_by_name
from app.models import Area, EwarongAgent, EwarongVisit, Person
from app.refusals import VISIT_OUTSIDE, Refused
from app.schedules.local_time import local_day
from conversations.dates import format_day
from conversations.effects import RecordEwarongVisit
from conversations.ewarong import REASON_LABELS, needs_follow_up, problems, visit_lines
from conversations.types import Translate

VISITOR_ROLE = "tksk"
VILLAGE_LEVEL = 4


class NotAllowed(Refused):
    """The person may not record a visit in this village (the engine only offers their villages; this guards the rest)."""


def may_visit(person: Person, area_code: str) -> bool:
    return any(role.role == VISITOR_ROLE and area_contains(role.area_code, area_code) for role in person.roles)


def record_visit(
    db: Session, *, effect: RecordEwarongVisit, actor: Person, now: datetime, translators: Mapping[str, Translate]
) -> EwarongVisit:
    if not may_visit(actor, effect.area_code):
        raise NotAllowed(VISIT_OUTSIDE, attempted="ewarong_visit_recorded", area_code=effect.area_code)
    area = db.get(Area, effect.area_code)
    if area is None or area.level != VILLAGE_LEVEL:
        raise ValueError(f"{effect.area_code!r} is not a village")
    new_agent = not effect.agent_id and find_by_name(db, area.code, effect.agent_name) is None
    agent = agent_for(db, area_code=area.code, agent_id=effect.agent_id, agent_name=effect.agent_name, now=now)
    if agent is None:
        raise ValueError("an e-Warong visit needs an agent")
    unknown = set(effect.failure_reasons) - set(REASON_LABELS)
    if unknown:
        raise ValueError(f"unknown failure reasons {sorted(unknown)}")
    visit = EwarongVisit(
        agent_id=agent.id, area_code=area.code, visitor_person_id=actor.id, visited_at=now,
        items=effect.items[:1000], prices_ok=effect.prices_ok, price_note=effect.price_note[:500],
        quality_ok=effect.quality_ok, quality_note=effect.quality_note[:500], on_time=effect.on_time,
        time_note=effect.time_note[:500], on_target=effect.on_target, target_note=effect.target_note[:500],
        transactions_ok=max(effect.transactions_ok, 0), transactions_failed=max(effect.transactions_failed, 0),
        failure_reasons=";".join(effect.failure_reasons), failure_note=effect.failure_note[:500],
        note=effect.note[:2000], media=list(effect.media), created_at=now,
    )  # fmt: skip
    db.add(visit)
    db.flush()
    audit.record(
        db, actor_id=actor.id, action="ewarong_visit_recorded", subject_type="ewarong_visit", subject_id=visit.id,
        now=now, agent_id=agent.id, area_code=area.code, problems=list(problems(effect)), new_agent=new_agent,
    )  # fmt: skip
    told = None
    if needs_follow_up(effect):
        told = _tell_operators(db, visit, effect, agent, area, actor, now=now, translators=translators)
    _confirm(db, visit, effect, agent, area, actor, told, now=now, translators=translators)
    return visit


def _tell_operators(
    db: Session, visit: EwarongVisit, effect: RecordEwarongVisit, agent: EwarongAgent, area: Area, actor: Person,
    *, now: datetime, translators: Mapping[str, Translate],
) -> list[Person]:
    """The kelurahan operators of the village, each told once in their own language; returns who."""
    operators = holders(db, role="operator", area_code=area.code)
    for operator in operators:
        t = translators[operator.locale]
        day = format_day(local_day(now, area.timezone), operator.locale)
        lines = [
            t("Hasil kunjungan e-Warong perlu ditindaklanjuti."),
            t("Agen: {agent}", agent=", ".join(part for part in (agent.name, area.name) if part)),
            t("Dikunjungi {day} oleh TKSK {name}.", day=day, name=actor.display_name or actor.phone or "-"),
            *visit_lines(effect, t, only_problems=True),
        ]
        key = f"ewarong_visit:{visit.id}:operator:{operator.id}"
        tell(db, operator, key=key, text="\n".join(lines), now=now, purpose="case_informed")
    return operators


def _confirm(
    db: Session, visit: EwarongVisit, effect: RecordEwarongVisit, agent: EwarongAgent, area: Area, actor: Person,
    told: list[Person] | None, *, now: datetime, translators: Mapping[str, Translate],
) -> None:
    """"Kunjungan tercatat", and who was told of what must be followed up."""
    t = translators[actor.locale]
    text = t("Kunjungan tercatat: {agent}, {village}.", agent=agent.name, village=area.name)
    if told:
        names = ", ".join(person.display_name or person.phone or "-" for person in told)
        text += " " + t("Masalahnya sudah kami sampaikan kepada operator kelurahan ({names}).", names=names)
    elif told is not None:
        text += " " + t("Belum ada operator kelurahan untuk desa ini, jadi masalahnya belum kami sampaikan kepada siapa pun.")
    tell(db, actor, key=f"ewarong_visit:{visit.id}:recorded", text=text, now=now, purpose="reply")
