"""Small helpers for pipeline tests: send a line as a simulator user, read what was queued."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select

from app.db import Database
from app.models import OutboundMessage
from app.pipeline import Outcome, Pipeline
from bot.envelope import Envelope
from bot.simulator import CHANNEL, parse_line
from tests.conftest import FIXED_NOW

_ids = itertools.count(1)


class Chat:
    """One simulated phone talking to the pipeline, with a clock that ticks a second per message."""

    def __init__(self, pipeline: Pipeline, phone: str, now: datetime = FIXED_NOW) -> None:
        self.pipeline = pipeline
        self.phone = phone
        self.now = now

    def send(self, line: str, *, external_id: str | None = None) -> Outcome:
        self.now += timedelta(seconds=1)
        envelope = Envelope(
            CHANNEL, external_id or f"m{next(_ids)}", self.phone, parse_line(line), phone=self.phone, payload={"line": line}
        )
        return self.pipeline.handle(envelope, now=self.now)


def queued_texts(database: Database, address: str) -> list[str]:
    with database.transaction() as db:
        rows = db.scalars(
            select(OutboundMessage).where(OutboundMessage.address == address).order_by(OutboundMessage.id)
        )
        return [row.body["text"] for row in rows]
