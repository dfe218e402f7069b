"""``kawal chat``: the simulator in a terminal, through the same pipeline and database as the real channels."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import click

from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.outbox import take_simulator_messages
from app.people.phones import normalize_phone
from app.pipeline import Pipeline
from app.runtime import Runtime
from bot.envelope import Envelope
from bot.simulator import CHANNEL, parse_line, render_text


def run_terminal_chat(settings: Settings, *, phone: str, lines: Iterable[str], interactive: bool) -> int:
    number = normalize_phone(phone)
    if number is None:
        click.echo(f"Not a valid phone number: {phone!r} (example: +6281234567890)", err=True)
        return 2
    database = Database(settings)
    pipeline = Pipeline(database, Runtime.build(settings, database))
    clock = Clock()
    if interactive:
        click.echo(f"Chatting as {number}. Type a message; Ctrl-D to leave. /stiker, /foto PATH, /lokasi LAT LON also work.")
        click.echo("> ", nl=False)
    for line in lines:
        envelope = Envelope(CHANNEL, uuid.uuid4().hex, number, parse_line(line), phone=number, payload={"line": line})
        pipeline.handle(envelope, now=clock.now())
        _show_queued(database, number, clock=clock)
        if interactive:
            click.echo("> ", nl=False)
    database.dispose()
    return 0


def _show_queued(database: Database, number: str, *, clock: Clock) -> None:
    with database.transaction() as db:
        for row in take_simulator_messages(db, address=number, now=clock.now()):
            click.echo(render_text(row.body))
            click.echo("")
