"""P2K2 group members kept from the chat: a facilitator puts a household of the village's list into a group."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit
from app.cases.access import area_contains
from app.cases.notify import tell
from app.models import Household, Person
from app.people.phones import normalize_phone
from app.refusals import GROUP_OUTSIDE
from app.schedules.members import sync_groups
from app.schedules.service import NotAllowed
from conversations.effects import AddGroupMember
from conversations.types import Translate


def add_group_member(
    db: Session, *, effect: AddGroupMember, actor: Person, now: datetime, translators: Mapping[str, Translate]
) -> None:
    if not any(r.role == "pkh" and area_contains(r.area_code, effect.area_code) for r in actor.roles):
        raise NotAllowed(GROUP_OUTSIDE, attempted="group_member_added", area_code=effect.area_code)
    t = translators[actor.locale]
    found = _households(db, effect.area_code, effect.who)
    if len(found) > 1:
        text = t("Ada {count} keluarga bernama {name} di daftar desa ini. Tulis nomor HP-nya.", count=len(found), name=found[0].head_name)
    elif not found:
        text = t("\"{who}\" tidak ada di daftar KPM desa ini. Periksa nomor HP atau tulisan namanya.", who=effect.who)
    else:
        text = _join(db, found[0], effect, t, now)
        audit.record(db, actor_id=actor.id, action="group_member_added", subject_type="household", subject_id=found[0].id,
                     now=now, group=effect.group_name)  # fmt: skip
    tell(db, actor, key=f"group_member:{actor.id}:{now.isoformat()}", text=text, now=now, purpose="reply")


def _join(db: Session, household: Household, effect: AddGroupMember, t: Translate, now: datetime) -> str:
    previous = household.group_name
    if previous == effect.group_name:
        return t("{name} sudah ada di kelompok {group}.", name=household.head_name, group=effect.group_name)
    household.group_name = effect.group_name
    household.updated_at = now
    db.flush()
    sync_groups(db, area_codes=[effect.area_code], now=now)
    count = db.scalar(
        select(func.count()).select_from(Household).where(Household.area_code == effect.area_code, Household.group_name == effect.group_name)
    )
    text = t("{name} masuk kelompok {group} ({count} anggota).", name=household.head_name, group=effect.group_name, count=count)
    if previous:
        text += " " + t("Sebelumnya di kelompok {group}.", group=previous)
    return text


def _households(db: Session, area_code: str, who: str) -> list[Household]:
    """The village's households with that phone number, or else with that head's name (letter case and spaces aside)."""
    phone = normalize_phone(who) if any(c.isdigit() for c in who) else None
    if phone:
        return list(db.scalars(select(Household).where(Household.area_code == area_code, Household.phone == phone)))
    name = " ".join(who.split()).lower()
    return list(db.scalars(select(Household).where(Household.area_code == area_code, func.lower(Household.head_name) == name)))
