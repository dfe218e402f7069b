"""Lawful data (UU 27/2022): retention of message texts, a person's export and erasure, separate keys."""

from __future__ import annotations

import copy
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.channels import Channels
from app.clock import Clock
from app.config import load_settings
from app.demo import BANDARKEDUNGMULYO, BANDARKEDUNGMULYO_VILLAGE, seed_demo
from app.digest.figures import build_figures
from app.digest.service import snapshot
from app.digest.weeks import Week
from app.identifiers import keyed_hash
from app.media import MediaStore
from app.models import (
    AuditEntry,
    Case,
    CaseEvent,
    ChannelIdentity,
    ConversationSession,
    Digest,
    Household,
    InboundMessage,
    OutboundMessage,
    Person,
    Reminder,
)
from app.pipeline import Pipeline
from app.privacy.erase import ERASED_NAME, erase_subject
from app.privacy.export import export_subject
from app.privacy.markers import RETENTION_MARKER
from app.privacy.retention import apply_retention
from app.privacy.subject import UnknownPhone, find_subject
from app.runtime import Runtime
from app.scheduler import ReminderJob, RetentionJob, start_scheduler
from tests.conftest import FIXED_NOW, SECRET
from tests.integration.helpers import Chat

WATI, RINA = "+6281200000004", "+6281300000002"  # a household of Bandarkedungmulyo (Jombang), its TKSK
WEEK = Week.parse("2026-W48")  # the week of FIXED_NOW
MONDAY_AFTER = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
OLD, RECENT = FIXED_NOW - timedelta(days=181), FIXED_NOW - timedelta(days=179)


def kawal(settings, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    environment = {**os.environ, "KAWAL_DATABASE_URL": settings.database_url, "KAWAL_SECRET_KEY": SECRET,
                   "KAWAL_MEDIA_DIR": str(settings.media_dir), **env}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], input=stdin, capture_output=True, text=True, env=environment, timeout=120, check=False
    )


@pytest.fixture
def pipeline(database, runtime) -> Pipeline:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        seed_demo(db, secret_key=runtime.settings.identifier_hash_key, now=FIXED_NOW)
    return Pipeline(database, runtime)


def wati_reports(pipeline: Pipeline) -> Case:
    """Bu Wati complains about her e-Warong in chat; the case goes to Bu Rina, the TKSK."""
    chat = Chat(pipeline, WATI)
    for line in ("beras busuk", "Agen Makmur", "beras berkutu di agen pak harjo", "1"):
        assert chat.send(line).status == "processed"
    with pipeline.database.transaction() as db:
        case = db.scalars(select(Case)).one()
        db.expunge(case)
        return case


# --- retention -------------------------------------------------------------------------------------------------


def _outbound(db, key: str, status: str, created: datetime) -> None:  # type: ignore[no-untyped-def]
    db.add(OutboundMessage(idempotency_key=key, channel="simulator", address=WATI, body={"text": f"isi {key}"}, status=status,
                           next_attempt_at=created, created_at=created))  # fmt: skip


def _old_and_recent_messages(database) -> int:  # type: ignore[no-untyped-def]
    """Messages on both sides of the 180-day line; the person's id."""
    with database.transaction() as db:
        person = Person(display_name="Bu Wati", phone=WATI, created_at=OLD)
        db.add(person)
        db.flush()
        for name, when in (("old", OLD), ("recent", RECENT)):
            db.add(InboundMessage(channel="simulator", external_id=name, person_id=person.id, kind="text", text=f"pesan {name}",
                                  payload={"line": f"pesan {name}"}, status="processed", received_at=when))  # fmt: skip
            for status in ("delivered", "read", "failed", "queued", "claimed", "sending"):
                _outbound(db, f"{name}-{status}", status, when)
            for status in ("queued", "pending"):
                db.add(Reminder(key=f"{name}-{status}", person_id=person.id, kind="meeting", due_at=when, timezone="Asia/Jakarta",
                                body={"text": f"pengingat {name}"}, status=status, created_at=when))  # fmt: skip
        return person.id


def test_retention_blanks_old_finished_texts_and_never_a_message_still_to_send(database) -> None:  # type: ignore[no-untyped-def]
    _old_and_recent_messages(database)
    counted = apply_retention(database, days=180, now=FIXED_NOW, dry_run=True)
    assert (counted.inbound, counted.outbound, counted.reminders) == (1, 3, 1)
    with database.transaction() as db:  # a dry run changes nothing, and is not audited
        assert db.scalar(select(func.count()).select_from(OutboundMessage).where(OutboundMessage.body == RETENTION_MARKER)) == 0
        assert db.scalar(select(func.count()).select_from(AuditEntry)) == 0

    result = apply_retention(database, days=180, now=FIXED_NOW)
    assert (result.inbound, result.outbound, result.reminders) == (1, 3, 1)
    with database.transaction() as db:
        outbox = {row.idempotency_key: row.body for row in db.scalars(select(OutboundMessage))}
        assert {key for key, body in outbox.items() if body == RETENTION_MARKER} == {"old-delivered", "old-read", "old-failed"}
        for key in ("old-queued", "old-claimed", "old-sending"):  # still to send: untouched
            assert outbox[key] == {"text": f"isi {key}"}
        assert all(body == {"text": f"isi {key}"} for key, body in outbox.items() if key.startswith("recent"))
        assert db.scalar(select(func.count()).select_from(OutboundMessage)) == 12  # the rows stay, for counts
        inbound = {row.external_id: (row.text, row.payload) for row in db.scalars(select(InboundMessage))}
        assert inbound == {"old": ("", RETENTION_MARKER), "recent": ("pesan recent", {"line": "pesan recent"})}
        reminders = {row.key: row.body for row in db.scalars(select(Reminder))}
        assert reminders["old-queued"] == RETENTION_MARKER and reminders["old-pending"] == {"text": "pengingat old"}
        [entry] = db.scalars(select(AuditEntry)).all()
        assert (entry.action, entry.details["inbound"], entry.details["outbound"], entry.details["reminders"]) == (
            "retention_applied", 1, 3, 1)
        assert entry.details["days"] == 180

    again = apply_retention(database, days=180, now=FIXED_NOW)
    assert again.total == 0
    with database.transaction() as db:  # nothing changed: no second audit row
        assert db.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_the_scheduler_runs_retention_by_the_service_clock(settings, database, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    _old_and_recent_messages(database)
    clock = Clock(FIXED_NOW - datetime.now(UTC))  # the service clock, not the machine's
    job = RetentionJob(database, settings, clock)
    assert job.run().outbound == 3
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "retention_applied")) == 1
    scheduler = start_scheduler(ReminderJob(database, settings, clock, catalog_translators), 3600, job)
    try:
        assert scheduler.get_job("retention").trigger.interval == timedelta(hours=24)  # type: ignore[union-attr]
    finally:
        scheduler.shutdown(wait=True)


def test_retention_from_the_command_line(settings, database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:  # far from any clock the test may run on
        _outbound(db, "ancient", "delivered", datetime(2001, 1, 1, tzinfo=UTC))
        _outbound(db, "future", "delivered", datetime(2200, 1, 1, tzinfo=UTC))
    dry = kawal(settings, "privacy", "retention", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "0 inbound, 1 outbound, 0 reminder text(s) would be blanked" in dry.stdout
    done = kawal(settings, "privacy", "retention")
    assert done.returncode == 0, done.stderr
    assert "1 outbound" in done.stdout and "(180 days)" in done.stdout
    with database.transaction() as db:
        assert {r.idempotency_key: r.body for r in db.scalars(select(OutboundMessage))} == {
            "ancient": RETENTION_MARKER, "future": {"text": "isi future"}}


# --- export ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["081200000004", "6281200000004", "+62 812-0000-0004"])
def test_any_phone_form_finds_the_person(pipeline, database, written: str) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        subject = find_subject(db, written)
        assert subject.phone == WATI and subject.person is not None and subject.person.display_name == "Bu Wati"
        assert [h.head_name for h in subject.households] == ["Bu Wati"]
        with pytest.raises(UnknownPhone):
            find_subject(db, "12345")


def test_export_holds_the_persons_report_and_messages_and_no_hash(pipeline, database) -> None:  # type: ignore[no-untyped-def]
    case = wati_reports(pipeline)
    with database.transaction() as db:
        document = export_subject(db, find_subject(db, "0812-0000-0004"), now=FIXED_NOW, requested_by="cli:test")
    text = json.dumps(document, default=str)
    assert document["person"]["display_name"] == "Bu Wati" and document["person"]["phone"] == WATI
    assert [(i["channel"], i["address"]) for i in document["channel_identities"]] == [("simulator", WATI)]
    [household] = document["households"]
    assert household["nik_masked"] == "3517********0004" and "nik_hash" not in household and "kk_hash" not in household
    assert keyed_hash("3517185910700004", pipeline.runtime.settings.identifier_hash_key) not in text
    [reported] = document["cases"]
    assert reported["reference"] == case.reference and reported["category"] == "ewarong"
    assert "beras berkutu di agen pak harjo" in json.dumps(reported["details"])
    assert [e["kind"] for e in reported["events"]] == ["opened"]
    assert [m["text"] for m in document["inbound_messages"]][:2] == ["beras busuk", "Agen Makmur"]
    assert any(case.reference in (m["body"].get("text") or "") for m in document["outbound_messages"])
    assert all(m["address"] == WATI for m in document["outbound_messages"])  # not Bu Rina's notice
    assert document["conversation_session"] is not None
    assert any(e["action"] == "case_opened" and e["subject_id"] == case.reference for e in document["audit_entries"])
    assert "hash" in document["note"]
    with database.transaction() as db:  # audited: who asked and when, not what was given
        [entry] = db.scalars(select(AuditEntry).where(AuditEntry.action == "personal_data_exported")).all()
        assert entry.subject_id == str(document["person"]["id"]) and entry.details["requested_by"] == "cli:test"
        assert WATI not in json.dumps(entry.details) and "beras" not in json.dumps(entry.details)


def test_export_from_the_command_line_to_a_private_file(settings, pipeline, database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = wati_reports(pipeline)
    output = tmp_path / "wati.json"
    output.write_text("old content")  # an existing file is made private too
    output.chmod(0o644)
    result = kawal(settings, "privacy", "export", "--phone", "6281200000004", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    document = json.loads(output.read_text())
    assert [c["reference"] for c in document["cases"]] == [case.reference]
    printed = kawal(settings, "privacy", "export", "--phone", "+6281299999999")
    assert printed.returncode == 1 and "Nothing is held about +6281299999999" in printed.stderr


# --- erase -----------------------------------------------------------------------------------------------------


def _counts_only(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures with the names in the case lists taken out: what must not change."""
    figures = copy.deepcopy(figures)
    for key, columns in {"cases": (5, 6), "unassigned_top": (1,), "overdue_top": (1,)}.items():
        for row in figures.get(key) or []:
            for column in columns:
                row[column] = None
    return figures


def test_erase_anonymises_the_person_and_keeps_every_digest_count(pipeline, database, settings) -> None:  # type: ignore[no-untyped-def]
    case = wati_reports(pipeline)
    photo = MediaStore(settings.media_dir, settings.media_max_bytes).save(b"\xff\xd8 foto beras", "image/jpeg")
    with database.transaction() as db:
        stored = db.get(Case, case.id)
        stored.details = {**stored.details, "media": [photo.ref]}
        stored_digests = {area: copy.deepcopy(snapshot(db, area_code=area, week=WEEK, now=MONDAY_AFTER))
                          for area in (BANDARKEDUNGMULYO_VILLAGE, BANDARKEDUNGMULYO)}  # fmt: skip
        rebuilt_before = build_figures(db, area_code=BANDARKEDUNGMULYO, week=WEEK, now=MONDAY_AFTER)
    assert any(row[5] == "Bu Wati" for row in stored_digests[BANDARKEDUNGMULYO]["cases"])
    assert stored_digests[BANDARKEDUNGMULYO]["ewarong_by_agent"] == {"Agen Makmur": 1}
    with database.transaction() as db:
        person_id = db.scalar(select(Person.id).where(Person.phone == WATI))
        erased = erase_subject(db, find_subject(db, WATI), now=MONDAY_AFTER, media_dir=settings.media_dir)
    assert (erased.person_id, erased.identities, erased.households, erased.cases, erased.digests) == (person_id, 1, 1, 1, 2)
    assert erased.media_files == 1 and not MediaStore(settings.media_dir, settings.media_max_bytes).path_of(photo).exists()

    with database.transaction() as db:
        for area, before in stored_digests.items():
            after = db.scalar(select(Digest.figures).where(Digest.area_code == area, Digest.week == WEEK.label))
            assert _counts_only(after) == _counts_only(before)  # every count, every other field, exactly
            assert "Bu Wati" not in json.dumps(after) and "0004" not in json.dumps(after["cases"])
            assert [row[5] for row in after["cases"] if row[0] == case.reference] == [ERASED_NAME]
        rebuilt_after = build_figures(db, area_code=BANDARKEDUNGMULYO, week=WEEK, now=MONDAY_AFTER)
        for key in ("new_by_category", "open_total", "unassigned", "ewarong_by_agent", "ewarong_by_t"):
            assert rebuilt_after[key] == rebuilt_before[key]  # counted again from the anonymised case: the same

        person = db.get(Person, person_id)
        assert (person.display_name, person.phone) == ("", None)
        assert db.scalar(select(func.count()).select_from(ChannelIdentity).where(ChannelIdentity.person_id == person_id)) == 0
        assert db.get(ConversationSession, person_id) is None
        household = db.scalars(select(Household).where(Household.nik_masked == "", Household.head_name == ERASED_NAME)).one()
        assert (household.phone, household.kk_hash, household.kk_masked, household.person_id, household.address) == (None, None, None, None, "")
        assert household.nik_hash == f"erased:{household.id}" and household.area_code == BANDARKEDUNGMULYO_VILLAGE
        kept = db.get(Case, case.id)
        assert (kept.category, kept.status, kept.area_code, kept.created_at, kept.household_name) == (
            "ewarong", case.status, case.area_code, case.created_at, ERASED_NAME)
        assert kept.details["answers"] == {"ewarong_agent": "Agen Makmur", "ewarong_problem": "quality"} | (
            {"ewarong_problems": case.details["answers"]["ewarong_problems"]} if "ewarong_problems" in case.details["answers"] else {})
        assert "berkutu" not in json.dumps(kept.details) and kept.details["media"] == []
        assert all(e.note == "" for e in db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)))
        assert {m.text for m in db.scalars(select(InboundMessage).where(InboundMessage.person_id == person_id))} == {""}
        assert db.scalar(select(func.count()).select_from(OutboundMessage).where(OutboundMessage.address == WATI)) == 0
        rina_notice = db.scalars(select(OutboundMessage).where(OutboundMessage.address == RINA)).first()
        assert rina_notice is not None and rina_notice.body.get("text")  # another person's messages are theirs: untouched
        [entry] = db.scalars(select(AuditEntry).where(AuditEntry.action == "personal_data_erased")).all()
        assert entry.subject_id == str(person_id) and entry.details["cases"] == 1
        assert "0004" not in json.dumps(entry.details) and "Wati" not in json.dumps(entry.details)


def test_after_erasure_the_same_phone_starts_fresh(pipeline, database, settings) -> None:  # type: ignore[no-untyped-def]
    wati_reports(pipeline)
    with database.transaction() as db:
        old_id = db.scalar(select(Person.id).where(Person.phone == WATI))
        erase_subject(db, find_subject(db, WATI), now=FIXED_NOW + timedelta(hours=1), media_dir=settings.media_dir)
    chat = Chat(pipeline, WATI, now=FIXED_NOW + timedelta(hours=2))
    assert chat.send("halo").status == "processed"
    with database.transaction() as db:
        person = db.scalars(select(Person).where(Person.phone == WATI)).one()
        assert person.id != old_id and person.display_name == "" and person.consent_given_at is None
        replies = [m.body["text"] for m in db.scalars(select(OutboundMessage).where(OutboundMessage.person_id == person.id))]
        assert replies and "Setuju?" in replies[0]  # asked for consent again, as anyone new
        assert db.scalar(select(func.count()).select_from(Case).where(Case.reporter_person_id == person.id)) == 0
        assert find_subject(db, WATI).households == ()  # the old household is not theirs any more


def test_erase_from_the_command_line_asks_first(settings, pipeline, database) -> None:  # type: ignore[no-untyped-def]
    wati_reports(pipeline)
    declined = kawal(settings, "privacy", "erase", "--phone", "081200000004", stdin="n\n")
    assert declined.returncode == 1 and "Erase the personal data of +62812****0004" in declined.stdout
    assert "Nothing erased." in declined.stdout
    with database.transaction() as db:
        assert db.scalar(select(Person.display_name).where(Person.phone == WATI)) == "Bu Wati"
    done = kawal(settings, "privacy", "erase", "--phone", "081200000004", "--yes")
    assert done.returncode == 0, done.stderr
    assert "1 household(s) and 1 case(s) anonymised" in done.stdout
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Person).where(Person.phone == WATI)) == 0
        assert db.scalar(select(Case.household_name)) == ERASED_NAME


# --- keys ------------------------------------------------------------------------------------------------------


def test_hashing_and_signing_keys_are_separate_and_derived_from_the_secret(settings, database) -> None:  # type: ignore[no-untyped-def]
    keys = {settings.secret_key, settings.identifier_hash_key, settings.signing_key}
    assert len(keys) == 3 and all(len(key) >= 16 for key in keys)
    with_url = settings.model_copy(update={"public_base_url": "https://kawal.example"})
    runtime = Runtime.build(with_url, database)
    channels = Channels.build(with_url, database, Pipeline(database, runtime), Clock())
    assert channels.media_links is not None and channels.media_links.signing_key == settings.signing_key
    rotated = load_settings(database_url=settings.database_url, secret_key="a-new-secret-key-0123456789")
    assert rotated.identifier_hash_key != settings.identifier_hash_key  # a new secret without pinning: new hashes
    pinned = load_settings(database_url=settings.database_url, secret_key="a-new-secret-key-0123456789",
                           identifier_key=settings.identifier_hash_key)  # fmt: skip
    assert pinned.identifier_hash_key == settings.identifier_hash_key and pinned.signing_key == rotated.signing_key


def test_a_pinned_identifier_key_keeps_stored_hashes_across_a_secret_change(settings, database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    listing = tmp_path / "kpm.csv"
    listing.write_text("nama,nik,kode_wilayah\nBu Sari,3273074506800001,32.73.07.1001\n")
    printed = kawal(settings, "keys", "identifier")
    assert printed.returncode == 0, printed.stderr
    pinned_key = printed.stdout.strip()
    assert pinned_key == settings.identifier_hash_key != SECRET
    assert kawal(settings, "import", "households", str(listing)).returncode == 0
    with database.transaction() as db:
        assert db.scalar(select(Household.nik_hash)) == keyed_hash("3273074506800001", pinned_key)
    listing.write_text("nama,nik,kode_wilayah\nIbu Sari Wulandari,3273074506800001,32.73.07.1001\n")
    rotated = kawal(settings, "import", "households", str(listing), KAWAL_SECRET_KEY="a-new-secret-key-0123456789",
                    KAWAL_IDENTIFIER_KEY=pinned_key)  # fmt: skip
    assert rotated.returncode == 0, rotated.stderr
    with database.transaction() as db:  # the same household, found by its hash, updated: not a second one
        assert [h.head_name for h in db.scalars(select(Household))] == ["Ibu Sari Wulandari"]

