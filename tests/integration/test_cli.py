"""The command line as a user runs it: `kawal chat` scripted through standard input, `kawal seed-demo`."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import func, select

from app.demo import DEMO_AGENTS, GROUP_MEMBERS_WITHOUT_CHAT, PERSONAS, seed_demo
from app.models import EwarongAgent, Household, P2k2Group, Person, RoleAssignment
from tests.conftest import FIXED_NOW, SECRET


def kawal(settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "KAWAL_DATABASE_URL": settings.database_url, "KAWAL_SECRET_KEY": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_chat_from_first_contact_to_menu_across_a_restart(settings) -> None:  # type: ignore[no-untyped-def]
    first = kawal(settings, "chat", "--phone", "0812-3456-7890", stdin="halo\nenglish\n1\n")
    assert first.returncode == 0, first.stderr
    assert "Setuju? (Type ENGLISH for English.)" in first.stdout
    assert "Do you agree?" in first.stdout
    assert "Which village (desa or kelurahan) do you live in?" in first.stdout
    assert "Main menu" not in first.stdout
    # a new process: the conversation continues at the village question, in English
    second = kawal(settings, "chat", "--phone", "+6281234567890", stdin="sukamaju cibungbulang\n")
    assert second.returncode == 0, second.stderr
    assert "Your place: Sukamaju, Cibungbulang, Kabupaten Bogor." in second.stdout
    assert "Main menu. Reply with a number:" in second.stdout
    assert "  6. Help" in second.stdout


def test_chat_refuses_an_invalid_phone(settings) -> None:  # type: ignore[no-untyped-def]
    result = kawal(settings, "chat", "--phone", "12345")
    assert result.returncode == 2
    assert "Not a valid phone number" in result.stderr


def test_seed_demo_is_idempotent(database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        assert seed_demo(db, secret_key=SECRET, now=FIXED_NOW) == len(PERSONAS)
    with database.transaction() as db:
        assert seed_demo(db, secret_key=SECRET, now=FIXED_NOW) == 0
        assert db.scalar(select(func.count()).select_from(Person)) == len(PERSONAS)
        roles = set(db.scalars(select(RoleAssignment.role)))
        assert roles == {"psm", "tksk", "pkh", "operator", "admin"}
        households = list(db.scalars(select(Household)))
        assert len(households) == sum(1 for p in PERSONAS if p.nik) + len(GROUP_MEMBERS_WITHOUT_CHAT)
        assert db.scalar(select(func.count()).select_from(P2k2Group)) == 3  # Melati, Mawar 1, Anggrek
        assert db.scalar(select(func.count()).select_from(EwarongAgent)) == len(DEMO_AGENTS)
        assert all("*" in h.nik_masked and len(h.nik_hash) == 64 for h in households)


def test_digest_and_export_from_the_command_line(settings, database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from app.models import Digest, OutboundMessage
    from tests.integration.test_digest import populate_week

    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
    populate_week(database)
    env_media = {"KAWAL_MEDIA_DIR": str(tmp_path / "media")}
    os.environ.update(env_media)
    try:
        dry = kawal(settings, "digest", "--area", "32.73.16.1002", "--week", "2026-W48", "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert dry.stdout.startswith("Ringkasan mingguan Kebon Jayanti, 23 November 2026 – 29 November 2026")
        with database.transaction() as db:
            assert db.scalar(select(func.count()).select_from(Digest)) == 0  # a dry run stores nothing
        sent = kawal(settings, "digest", "--area", "32.73.07.1001", "--week", "2026-W48")
        assert sent.returncode == 0, sent.stderr
        assert "queued for 1 reader(s)" in sent.stdout  # Pak Hendra, the operator of Pasteur
        with database.transaction() as db:
            assert db.scalar(select(func.count()).select_from(Digest)) == 1
            assert db.scalar(select(func.count()).select_from(OutboundMessage).where(OutboundMessage.purpose == "digest")) == 1
        bad = kawal(settings, "digest", "--area", "99.99", "--dry-run")
        assert bad.returncode == 2 and "unknown area" in bad.stderr
        workbook, table = tmp_path / "cases.xlsx", tmp_path / "cases.csv"
        exported = kawal(settings, "export", "cases", "--area", "32.73.16.1002", "--from", "2026-11-23", "--to", "2026-11-29", "--output", str(workbook))
        assert exported.returncode == 0, exported.stderr
        assert exported.stdout.strip() == f"6 case(s) written to {workbook}"
        sheet = load_workbook(workbook).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:4] == ("Nomor", "Tanggal lapor", "Masalah", "Status") and len(rows) == 7
        assert "Kecamatan" not in rows[0]  # a village's export
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:L7" and sheet.page_setup.orientation == "landscape"
        as_csv = kawal(settings, "export", "cases", "--area", "32.73", "--from", "2026-11-23", "--to", "2026-11-29", "--format", "csv",
                       "--output", str(table), "--language", "en")  # fmt: skip
        assert as_csv.returncode == 0, as_csv.stderr
        lines = table.read_text(encoding="utf-8-sig").splitlines()
        assert lines[0].startswith("Number,Reported on,Problem,Status,Kecamatan,Village") and len(lines) == 1 + 7  # the city: both villages
        assert {line.split(",")[4] for line in lines[1:]} == {"Kiaracondong", "Sukajadi"}  # Kebon Jayanti, Pasteur
    finally:
        for name in env_media:
            os.environ.pop(name, None)
