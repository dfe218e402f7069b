"""e-Warong agents of a village: found by id, or by name (any letter case and spacing), or added.

Shared by the distribution schedule and the monitoring visits (an agent not on the
list yet is named in chat and added to the village) and by ``kawal import agents``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import EwarongAgent

MAX_NAME = 120
MAX_ADDRESS = 200


def clean_name(name: str) -> str:
    """``"  e-Warong   Makmur "`` → ``"e-Warong Makmur"``."""
    return " ".join(name.split())[:MAX_NAME]


def find_by_name(db: Session, area_code: str, name: str) -> EwarongAgent | None:
    """The village's agent of that name, whatever its letter case or spacing."""
    wanted = clean_name(name).casefold()
    agents = db.scalars(select(EwarongAgent).where(EwarongAgent.area_code == area_code))
    return next((agent for agent in agents if clean_name(agent.name).casefold() == wanted), None)


def agent_for(db: Session, *, area_code: str, agent_id: int | None, agent_name: str, now: datetime) -> EwarongAgent | None:
    """The agent chosen in chat: by id (it must be of this village), else by name, added to the village when new;
    None when neither is given. Raises ``ValueError`` for an agent of another village."""
    if agent_id:
        agent = db.get(EwarongAgent, agent_id)
        if agent is None or agent.area_code != area_code:
            raise ValueError(f"agent {agent_id} is not an agent of {area_code}")
        return agent
    name = clean_name(agent_name)
    if not name:
        return None
    existing = find_by_name(db, area_code, name)
    if existing is not None:
        return existing
    agent = EwarongAgent(area_code=area_code, name=name, address="", created_at=now)
    db.add(agent)
    db.flush()
    return agent
