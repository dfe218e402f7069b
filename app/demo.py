"""Demo data from the source documents (``kawal seed-demo``, run by ``make run``; idempotent).

Places: Kelurahan Pasteur (Kec. Sukajadi), Kebon Jayanti (Kec. Kiaracondong) and
Rancanumpang (Kec. Gedebage) in Kota Bandung; Kecamatan Bandarkedungmulyo in
Kabupaten Jombang. A companion of each role and a few households, all reachable
in the simulator by their phone numbers; a P2K2 group (Mawar 1, Kebon Jayanti,
led by Bu Lina) and e-Warong agents. NIKs are made up but well-formed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import insert_new
from app.identifiers import keyed_hash, mask_identifier
from app.models import ChannelIdentity, EwarongAgent, Household, P2k2Group, Person
from app.people.service import grant_role
from app.schedules.members import sync_groups

PASTEUR, KEBON_JAYANTI, RANCANUMPANG = "32.73.07.1001", "32.73.16.1002", "32.73.27.1004"
BANDARKEDUNGMULYO = "35.17.18"
BANDARKEDUNGMULYO_VILLAGE = "35.17.18.2001"
KOTA_BANDUNG = "32.73"


@dataclass(frozen=True)
class Persona:
    name: str
    phone: str
    description: str
    area_code: str
    roles: tuple[tuple[str, str], ...] = ()
    nik: str = ""
    kk: str = ""
    programs: str = ""
    group: str = ""


PERSONAS = (
    Persona("Bu Sari", "+6281200000001", "KPM, Kelurahan Pasteur", PASTEUR,
            nik="3273074506800001", kk="3273071203090004", programs="sembako;pkh", group="Melati"),
    Persona("Pak Dedi", "+6281200000002", "KPM, Kelurahan Kebon Jayanti (kelompok P2K2 Mawar 1)", KEBON_JAYANTI,
            nik="3273161708750002", kk="3273160101100007", programs="sembako;pkh", group="Mawar 1"),
    Persona("Bu Siti", "+6281200000003", "KPM, Kelurahan Rancanumpang", RANCANUMPANG,
            nik="3273275202820003", kk="3273270505150002", programs="pkh", group="Anggrek"),
    Persona("Bu Ani", "+6281200000005", "KPM, Kebon Jayanti, ketua kelompok P2K2 Mawar 1", KEBON_JAYANTI,
            nik="3273165003790005", kk="3273161105120003", programs="sembako;pkh", group="Mawar 1"),
    Persona("Bu Wati", "+6281200000004", "KPM, Kec. Bandarkedungmulyo (Jombang)", BANDARKEDUNGMULYO_VILLAGE,
            nik="3517185910700004", kk="3517180306080001", programs="sembako"),
    Persona("Pak Asep", "+6281300000001", "PSM, Kelurahan Pasteur", PASTEUR, roles=(("psm", PASTEUR),)),
    Persona("Bu Rina", "+6281300000002", "TKSK, Kecamatan Bandarkedungmulyo", BANDARKEDUNGMULYO_VILLAGE,
            roles=(("tksk", BANDARKEDUNGMULYO),)),
    Persona("Bu Lina", "+6281300000003", "Pendamping PKH, Kebon Jayanti", KEBON_JAYANTI,
            roles=(("pkh", KEBON_JAYANTI),)),
    Persona("Pak Hendra", "+6281300000004", "Operator Puskesos, Kelurahan Pasteur", PASTEUR,
            roles=(("operator", PASTEUR),)),
    Persona("Bu Yuni", "+6281300000006", "Operator, Desa Bandarkedungmulyo (Jombang)", BANDARKEDUNGMULYO_VILLAGE,
            roles=(("operator", BANDARKEDUNGMULYO_VILLAGE),)),
    Persona("Admin Kota", "+6281300000005", "Admin, Kota Bandung", PASTEUR, roles=(("admin", KOTA_BANDUNG),)),
)  # fmt: skip

# members of the demo P2K2 group who do not use the chat (yet): they are counted, not messaged
GROUP_MEMBERS_WITHOUT_CHAT = (
    ("Bu Yati", "3273164107810006", "3273160202110008"),
    ("Bu Euis", "3273165512840007", "3273160303130009"),
    ("Pak Ujang", "3273160906770008", "3273160404140001"),
)
DEMO_AGENTS = (
    (BANDARKEDUNGMULYO_VILLAGE, "e-Warong Makmur Jaya", "Dusun Bandar RT 02"),
    (BANDARKEDUNGMULYO_VILLAGE, "e-Warong Sumber Rejeki", "Dusun Kedung RT 05"),
    (KEBON_JAYANTI, "e-Warong Kebon Jaya", "Jl. Kiaracondong No. 12"),
)
GROUP_LEADER = "Bu Ani"


def seed_demo(db: Session, *, secret_key: str, now: datetime) -> int:
    """Create the demo personas (and their households); returns how many were new.

    ``secret_key`` is the key NIK and KK numbers are hashed with: ``settings.identifier_hash_key``.
    """
    created = 0
    for persona in PERSONAS:
        person = db.scalar(select(Person).where(Person.phone == persona.phone))
        if person is None:
            person = Person(
                display_name=persona.name,
                phone=persona.phone,
                locale="id",
                area_code=persona.area_code,
                consent_given_at=now,
                created_at=now,
            )
            db.add(person)
            db.flush()
            db.add(ChannelIdentity(person_id=person.id, channel="simulator", address=persona.phone, created_at=now))
            created += 1
        for role, area in persona.roles:
            grant_role(db, person=person, role=role, area_code=area, now=now)
        if persona.nik:
            _household(db, persona, person, secret_key=secret_key, now=now)
    for name, nik, kk in GROUP_MEMBERS_WITHOUT_CHAT:
        member = Persona(name, "", "", KEBON_JAYANTI, nik=nik, kk=kk, programs="sembako;pkh", group="Mawar 1")
        _household(db, member, None, secret_key=secret_key, now=now)
    db.flush()
    insert_new(db, EwarongAgent, [{"area_code": a, "name": n, "address": ad, "created_at": now} for a, n, ad in DEMO_AGENTS])
    sync_groups(db, area_codes=[KEBON_JAYANTI, PASTEUR, RANCANUMPANG], now=now)
    leader = db.scalar(select(Household).where(Household.head_name == GROUP_LEADER, Household.area_code == KEBON_JAYANTI))
    group = db.scalar(select(P2k2Group).where(P2k2Group.area_code == KEBON_JAYANTI, P2k2Group.name == "Mawar 1"))
    if leader is not None and group is not None and group.leader_household_id is None:
        group.leader_household_id = leader.id
    db.flush()
    return created


def _household(db: Session, persona: Persona, person: Person | None, *, secret_key: str, now: datetime) -> None:
    nik_hash = keyed_hash(persona.nik, secret_key)
    if db.scalar(select(Household.id).where(Household.nik_hash == nik_hash)) is not None:
        return
    db.add(
        Household(
            head_name=persona.name,
            nik_hash=nik_hash,
            nik_masked=mask_identifier(persona.nik),
            kk_hash=keyed_hash(persona.kk, secret_key),
            kk_masked=mask_identifier(persona.kk),
            address="Jl. Contoh No. 1",
            rt="003",
            rw="005",
            area_code=persona.area_code,
            phone=persona.phone or None,
            programs=persona.programs,
            group_name=persona.group,
            person_id=person.id if person else None,
            created_at=now,
            updated_at=now,
        )
    )
