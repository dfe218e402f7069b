"""e-Warong in the console: the agents of the viewer's areas and the TKSK's monitoring visits by the 6 T.

A visit reads as the chat summarised it (``conversations.ewarong.visit_lines``). An agent's problems are "open"
while its latest visit found any: a later visit where all was well closes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit
from app.console.scope import covers, in_scope
from app.models import Area, EwarongAgent, EwarongVisit, Person
from conversations.effects import RecordEwarongVisit
from conversations.ewarong import FOLLOW_UP, PROBLEMS, problems, visit_lines
from conversations.types import Translate

N_ = str

PROBLEM_LABELS = {
    "price": N_("Harga di atas HET"),
    "quality": N_("Mutu barang buruk"),
    "time": N_("Terlambat"),
    "target": N_("Bukan KPM sendiri"),
    "transactions": N_("Transaksi gagal"),
}
"""Each T that was not met, in a word or two (``conversations.ewarong.PROBLEMS``)."""
CHECKS = ("items", *PROBLEMS)
"""The order of ``visit_lines``: tepat jumlah, then each T that can fail."""
VISITS_SHOWN = 50
AGENTS_SHOWN = 300


@dataclass(frozen=True)
class VisitLine:
    visit: EwarongVisit
    agent: str
    village: str
    timezone: str
    visitor: str
    checks: list[tuple[str, bool]]
    """Each T as the chat words it, and whether it was not met."""
    problems: tuple[str, ...]

    @property
    def needs_follow_up(self) -> bool:
        """What the kelurahan operator was told to follow up (a late delivery alone is not)."""
        return any(problem in FOLLOW_UP for problem in self.problems)


@dataclass(frozen=True)
class AgentLine:
    agent: EwarongAgent
    village: str
    timezone: str
    visits: int
    last_visit: EwarongVisit | None
    open_problems: tuple[str, ...]


def as_effect(visit: EwarongVisit) -> RecordEwarongVisit:
    """The stored visit in the shape the chat's 6 T lines read."""
    return RecordEwarongVisit(
        area_code=visit.area_code, agent_id=visit.agent_id, items=visit.items, prices_ok=visit.prices_ok,
        price_note=visit.price_note, quality_ok=visit.quality_ok, quality_note=visit.quality_note, on_time=visit.on_time,
        time_note=visit.time_note, on_target=visit.on_target, target_note=visit.target_note,
        transactions_ok=visit.transactions_ok, transactions_failed=visit.transactions_failed,
        failure_reasons=tuple(code for code in visit.failure_reasons.split(";") if code),
        failure_note=visit.failure_note, note=visit.note, media=tuple(visit.media or ()),
    )  # fmt: skip


def agents(db: Session, person: Person) -> list[AgentLine]:
    """The agents of the person's areas: those with open problems first, then by village and name."""
    rows = db.execute(
        select(EwarongAgent, Area.name, Area.timezone)
        .join(Area, Area.code == EwarongAgent.area_code)
        .where(in_scope(EwarongAgent.area_code, person))
        .order_by(Area.name, EwarongAgent.name)
        .limit(AGENTS_SHOWN)
    ).all()
    ids = [agent.id for agent, _name, _zone in rows]
    of_agents = EwarongVisit.agent_id.in_(ids)
    counts = dict(db.execute(select(EwarongVisit.agent_id, func.count()).where(of_agents).group_by(EwarongVisit.agent_id)).all())
    latest_ids = select(func.max(EwarongVisit.id)).where(of_agents).group_by(EwarongVisit.agent_id)  # visits are stored as they happen
    latest = {visit.agent_id: visit for visit in db.scalars(select(EwarongVisit).where(EwarongVisit.id.in_(latest_ids)))}
    lines = [
        AgentLine(agent, village, zone, counts.get(agent.id, 0), latest.get(agent.id),
                  problems(as_effect(latest[agent.id])) if agent.id in latest else ())
        for agent, village, zone in rows
    ]  # fmt: skip
    return sorted(lines, key=lambda line: not line.open_problems)


def find_agent(db: Session, person: Person, agent_id: int, *, now: datetime) -> EwarongAgent | None:
    """The agent when it is in the person's areas; otherwise None, and the refusal audited."""
    agent = db.get(EwarongAgent, agent_id)
    if agent is None or not covers(person, agent.area_code):
        audit.record(db, actor_id=person.id, action="ewarong_access_denied", subject_type="ewarong_agent", subject_id=agent_id, now=now)
        return None
    return agent


def visits(db: Session, person: Person, t: Translate, *, agent_id: int | None = None) -> list[VisitLine]:
    """The latest monitoring visits in the person's areas (of one agent when given), newest first, read by the 6 T."""
    query = (
        select(EwarongVisit, EwarongAgent.name, Area.name, Area.timezone, Person.display_name)
        .join(EwarongAgent, EwarongAgent.id == EwarongVisit.agent_id)
        .join(Area, Area.code == EwarongVisit.area_code)
        .outerjoin(Person, Person.id == EwarongVisit.visitor_person_id)
        .where(in_scope(EwarongVisit.area_code, person))
        .order_by(EwarongVisit.visited_at.desc(), EwarongVisit.id.desc())
        .limit(VISITS_SHOWN)
    )
    if agent_id is not None:
        query = query.where(EwarongVisit.agent_id == agent_id)
    lines = []
    for visit, agent, village, zone, visitor in db.execute(query).all():
        effect = as_effect(visit)
        found = problems(effect)
        checks = [(line, key in found) for key, line in zip(CHECKS, visit_lines(effect, t), strict=True)]
        lines.append(VisitLine(visit, agent, village, zone, visitor or "", checks, found))
    return lines
