"""e-Warong monitoring visits by the TKSK through the real pipeline (demo data), and ``kawal import agents``.

Bu Rina is the TKSK of Kecamatan Bandarkedungmulyo (35.17.18); Desa Bandarkedungmulyo
(35.17.18.2001) has the agents "e-Warong Makmur Jaya" and "e-Warong Sumber Rejeki" and the
operator Bu Yuni; tests that need an operator reading English add Pak Joko.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.demo import seed_demo
from app.ewarong.importer import import_agents, summary_lines
from app.ewarong.service import NotAllowed, record_visit
from app.households.importer import ImportFileError
from app.models import AuditEntry, ChannelIdentity, EwarongAgent, EwarongVisit, OutboundMessage, Person, RoleAssignment
from app.people.service import grant_role
from app.pipeline import Pipeline
from conversations.effects import RecordEwarongVisit
from tests.conftest import FIXED_NOW, SECRET
from tests.integration.helpers import queued_texts
from tests.integration.test_reports import ASEP, RINA, WATI, say

BANDAR = "35.17.18.2001"
JOKO = "+6281300000077"  # operator of Desa Bandarkedungmulyo, reads English
OUTSIDER = "+6281399998888"  # a TKSK of Kecamatan Sukajadi, Kota Bandung
MENU_ENTRY = "Kunjungan e-Warong"


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    return Pipeline(database, runtime)


def add_person(database, phone: str, name: str, role: str, area: str, locale: str = "id") -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        person = Person(display_name=name, phone=phone, locale=locale, area_code=area if len(area) > 8 else None,
                        consent_given_at=FIXED_NOW, created_at=FIXED_NOW)  # fmt: skip
        db.add(person)
        db.flush()
        db.add(ChannelIdentity(person_id=person.id, channel="simulator", address=phone, created_at=FIXED_NOW))
        grant_role(db, person=person, role=role, area_code=area, now=FIXED_NOW)


def only_visit(database) -> EwarongVisit:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        [visit] = db.scalars(select(EwarongVisit)).all()
        return visit


def menu_labels(database, phone: str) -> list[str]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        body = db.scalars(
            select(OutboundMessage.body).where(OutboundMessage.address == phone).order_by(OutboundMessage.id.desc()).limit(1)
        ).one()
        return [option["label"] for option in body["options"]]


PROBLEMS = (
    "menu", "5", "bandar", "1", "beras 10 kg, telur 1 kg", "2", "telur Rp32.000/kg", "1", "1", "1",
    "45", "3", "1 3", "/foto warung.jpg", "Antrean panjang", "1",
)  # fmt: skip


def test_a_visit_with_problems_is_stored_audited_and_the_operator_is_told_in_english(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    add_person(database, JOKO, "Pak Joko", "operator", BANDAR, locale="en")
    say(pipeline, RINA, *PROBLEMS)
    visit = only_visit(database)
    with database.transaction() as db:
        rina = db.scalar(select(Person).where(Person.phone == RINA))
        agent = db.get(EwarongAgent, visit.agent_id)
        assert agent is not None and agent.name == "e-Warong Makmur Jaya"
        assert (visit.area_code, visit.visitor_person_id, visit.visited_at.date().isoformat()) == (BANDAR, rina.id, "2026-11-23")
        assert visit.items == "beras 10 kg, telur 1 kg"
        assert (visit.prices_ok, visit.price_note) == (False, "telur Rp32.000/kg")
        assert (visit.quality_ok, visit.on_time, visit.on_target) == (True, True, True)
        assert (visit.transactions_ok, visit.transactions_failed) == (45, 3)
        assert (visit.failure_reasons, visit.failure_note) == ("no_balance;wrong_pin", "")
        assert visit.note == "Antrean panjang" and visit.media == ["simulator:warung.jpg"]
        audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "ewarong_visit_recorded"))
        assert audit is not None and (audit.actor_person_id, audit.subject_type, audit.subject_id) == (rina.id, "ewarong_visit", str(visit.id))
        assert audit.details["problems"] == ["price", "transactions"] and audit.details["new_agent"] is False
    [message] = queued_texts(database, JOKO)
    assert message.startswith("The results of an e-Warong visit need following up.\nAgent: e-Warong Makmur Jaya, Bandarkedungmulyo")
    assert "Right price: NO, above HET (telur Rp32.000/kg)" in message
    assert "Right records: 45 transactions went through, 3 failed (zero balance, wrong PIN)" in message
    assert "Right quality" not in message  # only what must be followed up
    rina_texts = queued_texts(database, RINA)
    assert rina_texts[-2] == (
        "Kunjungan tercatat: e-Warong Makmur Jaya, Bandarkedungmulyo. "
        "Masalahnya sudah kami sampaikan kepada operator kelurahan (Bu Yuni, Pak Joko)."
    )
    assert rina_texts[-1] == "Menu utama. Balas dengan nomor:"


def test_the_operator_is_told_once_with_a_key_of_its_own(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    add_person(database, JOKO, "Pak Joko", "operator", BANDAR)
    say(pipeline, RINA, *PROBLEMS)
    visit = only_visit(database)
    with database.transaction() as db:
        joko = db.scalar(select(Person).where(Person.phone == JOKO))
        told = db.execute(select(OutboundMessage.idempotency_key, OutboundMessage.purpose).where(OutboundMessage.address == JOKO)).all()
    assert [tuple(row) for row in told] == [(f"ewarong_visit:{visit.id}:operator:{joko.id}", "case_informed")]


def test_a_clean_visit_to_a_new_agent_tells_nobody_but_the_tksk(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    add_person(database, JOKO, "Pak Joko", "operator", BANDAR)
    say(pipeline, RINA, "menu", "5", "bandarkedungmulyo", "3", "e-Warong Barokah", "beras 10 kg, telur 1 kg",
        "1", "1", "2", "1 hari, truk terlambat", "1", "120", "0", "1", "1")  # fmt: skip
    visit = only_visit(database)
    with database.transaction() as db:
        agent = db.get(EwarongAgent, visit.agent_id)
        assert agent is not None and (agent.name, agent.area_code, agent.address) == ("e-Warong Barokah", BANDAR, "")
        assert (visit.on_time, visit.time_note) == (False, "1 hari, truk terlambat")  # late alone: no follow-up
        assert (visit.transactions_ok, visit.transactions_failed, visit.failure_reasons) == (120, 0, "")
        audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "ewarong_visit_recorded"))
        assert audit is not None and audit.details["new_agent"] is True and audit.details["problems"] == ["time"]
    assert queued_texts(database, JOKO) == []
    assert "Kunjungan tercatat: e-Warong Barokah, Bandarkedungmulyo." in queued_texts(database, RINA)


def test_without_an_operator_the_tksk_is_told_nobody_was(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:  # Bu Yuni, the demo operator of the village, has left
        db.execute(delete(RoleAssignment).where(RoleAssignment.role == "operator", RoleAssignment.area_code == BANDAR))
    say(pipeline, RINA, *PROBLEMS)
    assert queued_texts(database, RINA)[-2] == (
        "Kunjungan tercatat: e-Warong Makmur Jaya, Bandarkedungmulyo. "
        "Belum ada operator kelurahan untuk desa ini, jadi masalahnya belum kami sampaikan kepada siapa pun."
    )


def test_only_a_tksk_sees_the_menu_entry(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    say(pipeline, RINA, "menu")
    assert MENU_ENTRY in menu_labels(database, RINA)
    for phone in (ASEP, WATI):  # a PSM, a household
        say(pipeline, phone, "menu")
        assert MENU_ENTRY not in menu_labels(database, phone)
    say(pipeline, ASEP, "kunjungan e-warong")
    assert menu_labels(database, ASEP)[0] == "Kasus baru"  # not understood: the menu again
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(EwarongVisit)) == 0


def test_a_tksk_of_another_kecamatan_cannot_record_a_visit_here(pipeline, database, runtime) -> None:  # type: ignore[no-untyped-def]
    add_person(database, OUTSIDER, "Pak Dodi", "tksk", "32.73.07")
    effect = RecordEwarongVisit(area_code=BANDAR, agent_name="e-Warong Makmur Jaya", items="beras 10 kg", transactions_ok=10)
    with database.transaction() as db:
        outsider = db.scalar(select(Person).options(selectinload(Person.roles)).where(Person.phone == OUTSIDER))
        with pytest.raises(NotAllowed):
            record_visit(db, effect=effect, actor=outsider, now=FIXED_NOW, translators=runtime.translators)
        rina = db.scalar(select(Person).options(selectinload(Person.roles)).where(Person.phone == RINA))
        with pytest.raises(NotAllowed):  # nor can Bu Rina outside her kecamatan
            record_visit(db, effect=RecordEwarongVisit(area_code="32.73.07.1001", agent_name="Warung Pasteur"),
                         actor=rina, now=FIXED_NOW, translators=runtime.translators)  # fmt: skip
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(EwarongVisit)) == 0
    # in chat, only the villages of their own kecamatan are offered
    say(pipeline, OUTSIDER, "menu", "5", "bandarkedungmulyo")
    assert queued_texts(database, OUTSIDER)[-1].startswith('Desa/kelurahan "bandarkedungmulyo" tidak ada di kecamatan Anda.')


def test_an_agent_of_another_village_is_refused(pipeline, database, runtime) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        other = db.scalar(select(EwarongAgent).where(EwarongAgent.area_code != BANDAR))
        rina = db.scalar(select(Person).options(selectinload(Person.roles)).where(Person.phone == RINA))
        with pytest.raises(ValueError, match="not an agent of"):
            record_visit(db, effect=RecordEwarongVisit(area_code=BANDAR, agent_id=other.id), actor=rina,
                         now=FIXED_NOW, translators=runtime.translators)  # fmt: skip


# --- kawal import agents ------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


AGENTS_CSV = (
    "Nama;Kode Wilayah;ALAMAT;catatan\n"
    "e-Warong Makmur Jaya;35.17.18.2001;Dusun Bandar RT 03;pindah\n"  # known: the address changes
    "  E-Warong   Sumber Rejeki ;3517182001;Dusun Kedung RT 05;\n"  # known, spelled otherwise: unchanged
    "e-Warong Mojo Makmur;35.17.18.2002;Jl. Raya Mojokambang 4;\n"  # new
    "e-Warong Entah;35.99.99.9999;;\n"  # unknown village
    "e-Warong Kecamatan;35.17.18;;\n"  # a kecamatan, not a village
    ";35.17.18.2003;Barongsawahan;\n"  # no name
)


def agents_of(database, area: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return {a.name: a.address for a in db.scalars(select(EwarongAgent).where(EwarongAgent.area_code == area))}


def test_import_agents_updates_adds_and_rejects_and_is_idempotent(pipeline, database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "agen.csv", AGENTS_CSV)
    result = import_agents(database, path, now=FIXED_NOW)
    assert (result.read, result.created, result.updated, result.unchanged) == (6, 1, 1, 1)
    assert result.rejected == [
        (5, "kode_wilayah: tidak dikenal (35.99.99.9999)"),
        (6, "kode_wilayah: 35.17.18 bukan desa/kelurahan"),
        (7, "nama: kosong"),
    ]
    assert agents_of(database, BANDAR) == {"e-Warong Makmur Jaya": "Dusun Bandar RT 03", "e-Warong Sumber Rejeki": "Dusun Kedung RT 05"}
    assert agents_of(database, "35.17.18.2002") == {"e-Warong Mojo Makmur": "Jl. Raya Mojokambang 4"}
    again = import_agents(database, path, now=FIXED_NOW)
    assert (again.created, again.updated, again.unchanged, len(again.rejected)) == (0, 0, 3, 3)
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(EwarongAgent)) == 4  # the demo's three, and one new
        assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "ewarong_agents_imported")) == 2
    assert summary_lines(result, path) == [
        f"Read 6 rows from {path}.",
        "Imported 3 agents (1 new, 1 updated, 1 unchanged); rejected 3 rows:",
        "  line 5: kode_wilayah: tidak dikenal (35.99.99.9999)",
        "  line 6: kode_wilayah: 35.17.18 bukan desa/kelurahan",
        "  line 7: nama: kosong",
    ]


def test_an_imported_agent_is_offered_in_chat(pipeline, database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_agents(database, write(tmp_path / "agen.csv", "kode_wilayah,nama\n35.17.18.2001,e-Warong Baru Jaya\n"), now=FIXED_NOW)
    say(pipeline, RINA, "menu", "5", "bandar")
    with database.transaction() as db:
        body = db.scalars(select(OutboundMessage.body).where(OutboundMessage.address == RINA).order_by(OutboundMessage.id.desc())).first()
    assert [o["label"] for o in body["options"]] == ["e-Warong Baru Jaya", "e-Warong Makmur Jaya", "e-Warong Sumber Rejeki", "Agen baru"]


def test_an_unusable_agents_file_imports_nothing(database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFileError, match="lacks the required column"):
        import_agents(database, write(tmp_path / "agen.csv", "nama,alamat\nWarung,Jl. A\n"), now=FIXED_NOW)
    with pytest.raises(ImportFileError, match="unknown file type"):
        import_agents(database, write(tmp_path / "agen.txt", "x"), now=FIXED_NOW)


def test_the_command_line(settings, database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "agen.csv", AGENTS_CSV)
    env = {**os.environ, "KAWAL_DATABASE_URL": settings.database_url, "KAWAL_SECRET_KEY": SECRET}
    run = subprocess.run([sys.executable, "-m", "app.cli", "import", "agents", str(path)], capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Imported 3 agents (3 new, 0 updated, 0 unchanged); rejected 3 rows:" in run.stdout
    assert "  line 5: kode_wilayah: tidak dikenal (35.99.99.9999)" in run.stdout
    missing = subprocess.run([sys.executable, "-m", "app.cli", "import", "agents", str(tmp_path / "none.csv")], capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert missing.returncode == 2 and "no such file" in missing.stderr
