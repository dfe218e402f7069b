"""Every write checks the actor's area against the target's, in the service layer (issue 16).

The engine only offers a person what lies in their area, but a phone number typed in chat can name another
area's household, and a stale code or a forged form another area's case, meeting or village. Each write path
below is tried from outside its area: nothing of it is stored, the person is told why in chat (the
conversation goes on), and the audit log has one ``write_refused`` row with what was attempted and the areas.

Paths the engine never reaches from outside (it offers only the person's villages) are driven through the
real pipeline with a ``step`` that returns the effect, as a forged or stale conversation would.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.cases.work import update_case
from app.console import schedules as console_schedules
from app.demo import BANDARKEDUNGMULYO, BANDARKEDUNGMULYO_VILLAGE, KEBON_JAYANTI, PASTEUR, seed_demo
from app.invitations.service import create_invitation
from app.models import (
    AuditEntry,
    Case,
    CaseEvent,
    EwarongVisit,
    Household,
    Invitation,
    Meeting,
    OutboundMessage,
    P2k2Group,
    Person,
    RoleAssignment,
)  # fmt: skip
from app.pipeline import Pipeline
from app.refusals import Refused
from app.schedules.service import schedule_meeting
from conversations.effects import (
    AddGroupMember,
    CancelMeeting,
    ChangeMeeting,
    CreateInvitation,
    Effect,
    OpenCompanionCase,
    RecordAttendance,
    RecordEwarongVisit,
    ScheduleMeeting,
    SetLanguage,
    UpdateCase,
)  # fmt: skip
from conversations.types import Reply, Step
from tests.conftest import FIXED_NOW, SECRET
from tests.integration.helpers import Chat, queued_texts

SARI, WATI = "+6281200000001", "+6281200000004"  # households of Pasteur (Bandung) and Bandarkedungmulyo (Jombang)
ASEP, RINA, LINA, HENDRA = "+6281300000001", "+6281300000002", "+6281300000003", "+6281300000004"
ADMIN_KOTA = "+6281300000005"
DONE = "Sudah tercatat."  # what a step says when it believes its effect will be carried out

OUTSIDE_HOUSEHOLD = (
    "Rumah tangga ini di luar wilayah Anda, jadi laporannya tidak kami kirim. "
    "Anda hanya bisa melapor untuk warga di wilayah tugas Anda."
)
OUTSIDE_CASE = "Kasus ini di luar wilayah Anda, jadi tidak kami ubah."
OUTSIDE_MEETING = "Jadwal ini di luar wilayah Anda, jadi tidak kami simpan."
OUTSIDE_GROUP = "Desa ini di luar wilayah Anda, jadi kelompoknya tidak kami ubah."
OUTSIDE_VISIT = "Desa ini di luar wilayah Anda, jadi kunjungannya tidak kami catat."
NOT_YOUR_INVITATION = "Anda tidak bisa membuat undangan untuk peran atau wilayah itu."


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    return Pipeline(database, runtime)


def say(pipeline: Pipeline, phone: str, *lines: str) -> Chat:
    chat = Chat(pipeline, phone)
    for line in lines:
        assert chat.send(line).status == "processed"
    return chat


def refusals(database) -> list[tuple[str, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """``(actor's phone, details)`` of each ``write_refused`` row."""
    with database.transaction() as db:
        rows = db.execute(
            select(Person.phone, AuditEntry.details)
            .join(Person, Person.id == AuditEntry.actor_person_id)
            .where(AuditEntry.action == "write_refused")
            .order_by(AuditEntry.id)
        )
        return [(phone, dict(details)) for phone, details in rows]


def count(database, model: Any) -> int:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return db.scalar(select(func.count()).select_from(model))


def forged(monkeypatch: pytest.MonkeyPatch, *effects: Effect) -> None:
    """The next steps return ``effects`` with a reply saying they were done, whatever was sent."""
    monkeypatch.setattr("app.pipeline.step", lambda session, inbound, ctx: Step(session, (Reply(DONE),), effects))


def actor(db, phone: str) -> Person:  # type: ignore[no-untyped-def]
    return db.scalars(select(Person).options(selectinload(Person.roles)).where(Person.phone == phone)).one()


def wati_case(pipeline: Pipeline, database) -> Case:  # type: ignore[no-untyped-def]
    """Bu Wati's report of a lost KKS card (Bandarkedungmulyo), filed from her chat; routed to Bu Rina."""
    say(pipeline, WATI, "menu", "1", "1", "2", "kirim")
    with database.transaction() as db:
        [case] = db.scalars(select(Case)).all()
        assert case.area_code == BANDARKEDUNGMULYO_VILLAGE
        return case


# --- assisted reports --------------------------------------------------------------------------------------------


def test_a_tksk_cannot_file_for_a_household_of_another_area_by_its_phone(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    rina = say(pipeline, RINA, "menu", "3", SARI, "1", "2")  # for Bu Sari of Pasteur (Bandung): a lost KKS card
    assert rina.send("kirim").status == "processed"
    assert count(database, Case) == 0
    assert queued_texts(database, RINA)[-1] == OUTSIDE_HOUSEHOLD
    with database.transaction() as db:  # nobody in Pasteur was told of a report
        told = db.scalar(select(func.count()).select_from(OutboundMessage).where(OutboundMessage.address.in_((ASEP, HENDRA))))
        sari = db.scalars(select(Household).where(Household.phone == SARI)).one()
    assert told == 0
    assert refusals(database) == [
        (RINA, {"attempted": "assisted_report", "area_code": PASTEUR, "actor_areas": [BANDARKEDUNGMULYO]})
    ]
    with database.transaction() as db:
        [row] = db.scalars(select(AuditEntry).where(AuditEntry.action == "write_refused")).all()
        assert (row.subject_type, row.subject_id) == ("household", str(sari.id))
    rina.send("menu")  # the conversation goes on
    assert queued_texts(database, RINA)[-1] == "Menu utama. Balas dengan nomor:"


def test_a_tksk_files_for_a_household_of_their_own_kecamatan(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, RINA, "menu", "3", WATI, "1", "2", "kirim")
    with database.transaction() as db:
        [case] = db.scalars(select(Case)).all()
        assert (case.area_code, case.details["filed_for"]) == (BANDARKEDUNGMULYO_VILLAGE, WATI)
    assert refusals(database) == []


def test_a_companion_case_outside_the_companions_area_is_refused(pipeline, database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    forged(monkeypatch, OpenCompanionCase(reference="KB-OUT22", area_code=PASTEUR, source="own", person_name="Mbah Iyah",
                                          rt_rw="", ppks_type="08", story="", media=(), planned_steps="", partners=(),
                                          follow_up=""))  # fmt: skip
    assert Chat(pipeline, RINA).send("catat").status == "processed"
    assert count(database, Case) == 0
    assert queued_texts(database, RINA)[-1] == OUTSIDE_CASE
    assert refusals(database) == [(RINA, {"attempted": "companion_case", "area_code": PASTEUR, "actor_areas": [BANDARKEDUNGMULYO]})]


# --- case updates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "effect",
    [
        UpdateCase("", "take"),
        UpdateCase("", "note", note="sudah saya kunjungi"),
        UpdateCase("", "status", "referred", note="Puskesmas", consent="Bu Wati"),
        UpdateCase("", "step", "police"),
        UpdateCase("", "follow_up", "2026-11-30"),
        UpdateCase("", "handover", ASEP),
        UpdateCase("", "cost", "25000"),
    ],
    ids=lambda effect: effect.action,
)
def test_a_case_of_another_area_is_not_changed(pipeline, database, runtime, effect: UpdateCase) -> None:  # type: ignore[no-untyped-def]
    case = wati_case(pipeline, database)
    events = count(database, CaseEvent)
    with database.transaction() as db:
        hendra = actor(db, HENDRA)  # the operator of Pasteur, Bandung
        with pytest.raises(Refused) as refused:
            update_case(db, effect=UpdateCase(case.reference, effect.action, effect.value, effect.note, consent=effect.consent),
                        actor=hendra, now=FIXED_NOW, translators=runtime.translators)  # fmt: skip
    assert (refused.value.reason, refused.value.attempted, refused.value.area_code) == (
        OUTSIDE_CASE, f"case_{effect.action}", BANDARKEDUNGMULYO_VILLAGE
    )
    assert count(database, CaseEvent) == events
    with database.transaction() as db:
        unchanged = db.scalars(select(Case)).one()
        assert (unchanged.status, unchanged.procedure_step, unchanged.follow_up_at) == ("new", case.procedure_step, None)
        assert unchanged.assignee_person_id == case.assignee_person_id


def test_a_refused_effect_leaves_none_of_the_steps_effects_applied(pipeline, database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    case = wati_case(pipeline, database)
    events = count(database, CaseEvent)
    forged(monkeypatch, SetLanguage("en"), UpdateCase(case.reference, "note", note="catatan dari Bandung"))
    outcome = Chat(pipeline, HENDRA).send("catatan")
    assert (outcome.status, outcome.replies) == ("processed", 1)
    assert queued_texts(database, HENDRA)[-1] == OUTSIDE_CASE  # not "Sudah tercatat."
    assert count(database, CaseEvent) == events
    with database.transaction() as db:
        assert actor(db, HENDRA).locale == "id"  # the language change before it was rolled back with it
    assert refusals(database) == [
        (HENDRA, {"attempted": "case_note", "area_code": BANDARKEDUNGMULYO_VILLAGE, "actor_areas": [PASTEUR]})
    ]


# --- schedules ---------------------------------------------------------------------------------------------------


def group_id(database, area: str) -> int:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return db.scalars(select(P2k2Group.id).where(P2k2Group.area_code == area).order_by(P2k2Group.id)).first()


def lina_meeting(database, runtime) -> int:  # type: ignore[no-untyped-def]
    """Bu Lina's P2K2 session for Mawar 1 in Kebon Jayanti."""
    effect = ScheduleMeeting(kind="p2k2", area_code=KEBON_JAYANTI, day="2026-12-05", start="09:00", place="Rumah Bu Ani",
                             group_id=group_id(database, KEBON_JAYANTI), module="economy", session="finances")  # fmt: skip
    with database.transaction() as db:
        return schedule_meeting(db, effect=effect, actor=actor(db, LINA), now=FIXED_NOW, settings=runtime.settings,
                                translators=runtime.translators).id  # fmt: skip


@pytest.mark.parametrize("who, kind", [(LINA, "p2k2"), (RINA, "distribution")])
def test_a_meeting_of_another_area_is_not_scheduled(pipeline, database, monkeypatch, who: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    effect = ScheduleMeeting(kind=kind, area_code=PASTEUR, day="2026-12-05", start="09:00", place="Balai RW",
                             group_id=group_id(database, PASTEUR) if kind == "p2k2" else None,
                             agent_name="Warung Pasteur" if kind == "distribution" else "")  # fmt: skip
    forged(monkeypatch, effect)
    assert Chat(pipeline, who).send("jadwal").status == "processed"
    assert count(database, Meeting) == 0
    assert queued_texts(database, who)[-1] == OUTSIDE_MEETING
    [(phone, details)] = refusals(database)
    assert (phone, details["attempted"], details["area_code"]) == (who, f"{kind}_scheduled", PASTEUR)


@pytest.mark.parametrize(
    "effect",
    [ChangeMeeting(0, day="2026-12-06"), CancelMeeting(0, reason="banjir"), RecordAttendance(0, note="hadir semua")],
    ids=lambda effect: type(effect).__name__,
)
def test_a_meeting_of_another_area_is_not_moved_cancelled_or_closed(pipeline, database, runtime, monkeypatch, effect) -> None:  # type: ignore[no-untyped-def]
    meeting_id = lina_meeting(database, runtime)
    with database.transaction() as db:
        before = db.get(Meeting, meeting_id)
        starts_at, version = before.starts_at, before.version
    forged(monkeypatch, type(effect)(**{**effect.__dict__, "meeting_id": meeting_id}))
    assert Chat(pipeline, RINA).send("jadwal").status == "processed"  # a TKSK of Jombang
    with database.transaction() as db:
        meeting = db.get(Meeting, meeting_id)
        assert (meeting.status, meeting.starts_at, meeting.version) == ("scheduled", starts_at, version)
    assert queued_texts(database, RINA)[-1] == OUTSIDE_MEETING
    assert refusals(database) == [(RINA, {"attempted": "p2k2_changed", "area_code": KEBON_JAYANTI, "actor_areas": [BANDARKEDUNGMULYO]})]


def test_the_organizer_who_left_the_area_no_longer_moves_its_meeting(pipeline, database, runtime, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    meeting_id = lina_meeting(database, runtime)
    with database.transaction() as db:  # Bu Lina now works in Pasteur
        lina = actor(db, LINA)
        db.execute(delete(RoleAssignment).where(RoleAssignment.person_id == lina.id))
        db.add(RoleAssignment(person_id=lina.id, role="pkh", area_code=PASTEUR, granted_at=FIXED_NOW))
        starts_at = db.get(Meeting, meeting_id).starts_at
    forged(monkeypatch, ChangeMeeting(meeting_id, day="2026-12-06"))
    assert Chat(pipeline, LINA).send("ubah jadwal").status == "processed"
    with database.transaction() as db:
        assert db.get(Meeting, meeting_id).starts_at == starts_at
    assert queued_texts(database, LINA)[-1] == OUTSIDE_MEETING


def test_the_console_refuses_cancelling_a_meeting_outside_ones_area(pipeline, database, runtime) -> None:  # type: ignore[no-untyped-def]
    meeting_id = lina_meeting(database, runtime)
    with database.transaction() as db:  # Bu Lina now works in Pasteur; the meeting stays hers on the page
        lina = actor(db, LINA)
        db.execute(delete(RoleAssignment).where(RoleAssignment.person_id == lina.id))
        db.add(RoleAssignment(person_id=lina.id, role="pkh", area_code=PASTEUR, granted_at=FIXED_NOW))
    with database.transaction() as db:
        outcome = console_schedules.cancel(db, actor(db, LINA), meeting_id, reason="hujan", now=FIXED_NOW,
                                           settings=runtime.settings, translators=runtime.translators)  # fmt: skip
    assert outcome is console_schedules.Cancelled.NOT_ALLOWED
    with database.transaction() as db:
        assert db.get(Meeting, meeting_id).status == "scheduled"
    assert refusals(database) == [(LINA, {"attempted": "p2k2_changed", "area_code": KEBON_JAYANTI, "actor_areas": [PASTEUR]})]


def test_a_household_of_another_village_is_not_put_into_a_group(pipeline, database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    forged(monkeypatch, AddGroupMember(area_code=PASTEUR, group_name="Mawar 2", who=SARI))
    assert Chat(pipeline, LINA).send("anggota").status == "processed"
    with database.transaction() as db:
        assert db.scalars(select(Household.group_name).where(Household.phone == SARI)).one() == "Melati"
    assert queued_texts(database, LINA)[-1] == OUTSIDE_GROUP
    assert refusals(database) == [(LINA, {"attempted": "group_member_added", "area_code": PASTEUR, "actor_areas": [KEBON_JAYANTI]})]


# --- e-Warong visits ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [RINA, LINA], ids=["tksk-of-another-kecamatan", "not-a-tksk"])
def test_an_ewarong_visit_outside_ones_kecamatan_is_not_recorded(pipeline, database, monkeypatch, who: str) -> None:  # type: ignore[no-untyped-def]
    village = PASTEUR if who == RINA else BANDARKEDUNGMULYO_VILLAGE
    forged(monkeypatch, RecordEwarongVisit(area_code=village, agent_name="e-Warong Makmur Jaya", items="beras 10 kg"))
    assert Chat(pipeline, who).send("kunjungan").status == "processed"
    assert count(database, EwarongVisit) == 0
    assert queued_texts(database, who)[-1] == OUTSIDE_VISIT
    [(phone, details)] = refusals(database)
    assert (phone, details["attempted"], details["area_code"]) == (who, "ewarong_visit_recorded", village)


# --- invitations -------------------------------------------------------------------------------------------------


def test_an_operator_cannot_invite_in_another_village_from_chat(pipeline, database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    forged(monkeypatch, CreateInvitation(role="psm", area_code=KEBON_JAYANTI))
    assert Chat(pipeline, HENDRA).send("undang").status == "processed"
    assert count(database, Invitation) == 0
    assert queued_texts(database, HENDRA)[-1] == NOT_YOUR_INVITATION
    assert refusals(database) == [(HENDRA, {"attempted": "invitation_psm", "area_code": KEBON_JAYANTI, "actor_areas": [PASTEUR]})]


@pytest.mark.parametrize(
    "inviter, role, area, allowed",
    [
        (HENDRA, "psm", PASTEUR, True),
        (HENDRA, "operator", PASTEUR, True),
        (HENDRA, "psm", KEBON_JAYANTI, False),  # another village
        (HENDRA, "tksk", "32.73.07", False),  # only an admin invites a TKSK
        (ADMIN_KOTA, "tksk", "32.73.07", True),
        (ADMIN_KOTA, "pkh", KEBON_JAYANTI, True),
        (ADMIN_KOTA, "tksk", BANDARKEDUNGMULYO, False),  # Jombang is not Kota Bandung
        (ADMIN_KOTA, "admin", "32.73", False),  # an admin only from the command line
        (RINA, "psm", BANDARKEDUNGMULYO_VILLAGE, False),  # a companion invites nobody
    ],
)
def test_an_invitation_is_made_only_for_a_role_and_area_the_inviter_may_grant(
    pipeline, database, inviter: str, role: str, area: str, allowed: bool
) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        person = actor(db, inviter)
        if allowed:
            assert create_invitation(db, role=role, area_code=area, now=FIXED_NOW, created_by=person).area_code == area
        else:
            with pytest.raises(Refused) as refused:
                create_invitation(db, role=role, area_code=area, now=FIXED_NOW, created_by=person)
            assert (refused.value.reason, refused.value.attempted) == (NOT_YOUR_INVITATION, f"invitation_{role}")
    assert count(database, Invitation) == (1 if allowed else 0)
