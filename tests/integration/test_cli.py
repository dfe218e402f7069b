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
    first = kawal(settings, "chat", "--phone", "0812-3456-7890", stdin="halo\n1\n2\n")
    assert first.returncode == 0, first.stderr
    assert "Apakah Anda setuju?" in first.stdout
    assert "Which village (desa or kelurahan) do you live in?" in first.stdout
    # a new process: the conversation continues at the village question, in English
    second = kawal(settings, "chat", "--phone", "+6281234567890", stdin="sukamaju cibungbulang\n1\n")
    assert second.returncode == 0, second.stderr
    assert "1. Sukamaju, Cibungbulang, Kabupaten Bogor" in second.stdout
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
