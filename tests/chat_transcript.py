"""Transcripts played through the whole service: the real pipeline, database and scheduler job, several people.

Same file format as ``tests/transcript.py``, with the demo data loaded and two more kinds of line::

    === A TKSK joins with an invitation code
    now: 2026-11-23T09:00:00+07:00
    invite: tksk@35.17.18=AB23CD45      # an invitation with this code (codes are random otherwise)

    @ +6281311112222                    # who writes next; what is waiting for them is shown first
    > DAFTAR AB23CD45
    < Selamat bergabung! …
    @ +1d7h                             # the clock moves on and the reminder job runs, as the scheduler would

Ticket codes come in order (``KB-TEST2``, ``KB-TEST3`` …) so the text is stable. Rewrite with
``pytest tests/integration/test_chat_transcripts.py --update-transcripts``.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta

import pytest

from app.cases.references import ALPHABET
from app.clock import Clock, parse_offset
from app.db import Database
from app.demo import seed_demo
from app.models import Invitation
from app.outbox import take_simulator_messages
from app.pipeline import Pipeline
from app.runtime import Runtime
from app.scheduler import ReminderJob
from bot.envelope import Envelope
from bot.simulator import CHANNEL
from conversations.types import MediaRef, Option, Reply
from tests.conftest import SECRET
from tests.transcript import Scenario, inbound_of, render_replies

CLOCK_MOVE = re.compile(r"^\+(\d+(\.\d+)?[dhms])+$")  # +45m, +1d7h; a phone number has no unit


def play_chat(scenario: Scenario, *, database: Database, runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> str:
    numbers = itertools.count()
    monkeypatch.setattr("app.pipeline.new_reference", lambda: f"KB-TEST{ALPHABET[next(numbers)]}")
    picks = itertools.count()
    monkeypatch.setattr("app.invitations.service.secrets.choice", lambda letters: letters[next(picks) % len(letters)])
    headers = scenario.headers
    now = datetime.fromisoformat(headers.get("now", "2026-11-23T09:00:00+07:00"))
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=now)
        for item in filter(None, (i.strip() for i in headers.get("invite", "").split(";"))):
            role_area, code = item.split("=")
            role, area = role_area.split("@")
            db.add(Invitation(code=code, role=role, area_code=area, created_at=now, expires_at=now + timedelta(days=7)))
    pipeline = Pipeline(database, runtime)
    speaker = ""
    ids = itertools.count(1)
    lines = [f"=== {scenario.title}", *(f"{k}: {v}" for k, v in headers.items()), ""]
    for turn in scenario.turns:
        if turn.startswith("@ ") and CLOCK_MOVE.match(turn[2:].strip()):
            now += parse_offset(turn[2:].strip())
            ReminderJob(database, runtime.settings, _FixedClock(now), runtime.translators).run()
            lines += [turn, ""]
            continue
        if turn.startswith("@ "):
            speaker = turn[2:].strip()
            waiting = _take(database, speaker, now)
            lines += [turn, *render_replies(waiting), ""]
            continue
        now += timedelta(seconds=1)
        inbound = inbound_of(turn[1:].strip())
        envelope = Envelope(CHANNEL, f"chat-{next(ids)}", speaker, inbound, phone=speaker, payload={})
        pipeline.handle(envelope, now=now)
        lines += [turn.rstrip(), *render_replies(_take(database, speaker, now)), ""]
    return "\n".join(lines).rstrip() + "\n"


class _FixedClock(Clock):
    def __init__(self, moment: datetime) -> None:
        super().__init__()
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def _take(database: Database, phone: str, now: datetime) -> list[Reply]:
    with database.transaction() as db:
        rows = take_simulator_messages(db, address=phone, now=now)
        return [
            Reply(
                row.body["text"],
                tuple(Option(o["key"], o["label"]) for o in row.body.get("options", [])),
                tuple(MediaRef(m["ref"], m.get("mime_type", "")) for m in row.body.get("media", [])),
            )
            for row in rows
        ]
