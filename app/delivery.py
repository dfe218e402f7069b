"""The outbox worker: delivers queued messages through the channel senders.

A message moves ``queued → claimed → sending → sent`` (then ``delivered``/``read``
from provider callbacks), or ends ``failed`` with the reason. Each step is its
own short transaction:

- **claim** a batch (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
  workers never take the same row; SQLite serializes writers) with a lease;
- right before the provider request, mark the row **sending**;
- record the result: ``sent`` with the provider's id; a transient failure goes
  back to ``queued`` with backoff (or the provider's retry-after); a permanent
  one ends ``failed``.

After a crash, ``recover`` puts rows still ``claimed`` back in the queue (no
request was made for them) and ends rows left ``sending`` as ``failed``:
the request may have reached the provider, and a message must never be sent
twice. Rate limits are kept here, centrally, per channel and per chat.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, select, update

from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.models import ChannelIdentity, OutboundMessage, Person
from bot.delivery import DeliveryFailure, PermanentFailure, TransientFailure

log = logging.getLogger(__name__)

WHATSAPP_WINDOW = timedelta(hours=24)
LEASE = timedelta(minutes=10)  # longer than a batch can wait for its per-chat turns
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 600.0
REPLY = "reply"


class Sender(Protocol):
    def __call__(self, address: str, body: Mapping[str, Any], template: str) -> Awaitable[str]: ...


@dataclass(frozen=True)
class Claimed:
    id: int
    channel: str
    address: str
    purpose: str
    body: dict[str, Any]
    attempts: int
    last_inbound_at: datetime | None
    unreachable: bool
    opted_out: bool


class RateLimiter:
    """Spaces sends: at most ``per_second`` for the channel and one per ``per_chat_seconds`` for each chat."""

    def __init__(self, per_second: float, per_chat_seconds: float) -> None:
        self.interval = 1.0 / per_second + 1e-6  # never a hair faster than the limit
        self.per_chat = per_chat_seconds
        self.next_free = 0.0
        self.next_for_chat: dict[str, float] = {}

    def reserve(self, chat: str, now: float) -> float:
        """The moment this chat's next message may go; reserving it moves both clocks on."""
        start = max(now, self.next_free, self.next_for_chat.get(chat, 0.0))
        self.next_free = start + self.interval
        self.next_for_chat[chat] = start + self.per_chat
        return start

    def pause_until(self, moment: float) -> None:
        """The provider said "too many requests": nothing goes before ``moment``."""
        self.next_free = max(self.next_free, moment)


class DeliveryWorker:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        senders: Mapping[str, Sender],
        limiters: Mapping[str, RateLimiter],
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.settings = settings
        self.senders = senders
        self.limiters = limiters
        self.clock = clock or Clock()
        self.monotonic = monotonic

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.to_thread(self.recover)
        while not stop.is_set():
            try:
                delivered = await self.deliver_batch()
            except Exception:  # noqa: BLE001 - the worker must outlive one bad batch
                log.exception("delivery batch failed")
                delivered = 0
            if not delivered:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.settings.outbox_poll_seconds)
                except TimeoutError:
                    pass

    async def deliver_batch(self, limit: int = 200) -> int:
        claimed = await asyncio.to_thread(self.claim, limit)
        if not claimed:
            return 0
        previous: dict[tuple[str, str], asyncio.Task[None]] = {}
        tasks = []
        for row in claimed:
            at = self.limiters[row.channel].reserve(row.address, self.monotonic())
            key = (row.channel, row.address)
            task = asyncio.create_task(self._deliver_at(row, at, previous.get(key)))
            previous[key] = task
            tasks.append(task)
        await asyncio.gather(*tasks)
        return len(claimed)

    def claim(self, limit: int) -> list[Claimed]:
        now = self.clock.now()
        with self.database.transaction() as db:
            ids = list(
                db.scalars(
                    select(OutboundMessage.id)
                    .where(
                        OutboundMessage.status == "queued",
                        OutboundMessage.next_attempt_at <= now,
                        OutboundMessage.channel.in_(list(self.senders)),
                    )
                    .order_by(OutboundMessage.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            if not ids:
                return []
            db.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id.in_(ids))
                .values(status="claimed", lease_until=now + LEASE, attempts=OutboundMessage.attempts + 1)
            )
            rows = db.execute(
                select(OutboundMessage, ChannelIdentity.last_inbound_at, ChannelIdentity.unreachable_at, Person.opted_out_at)
                .outerjoin(
                    ChannelIdentity,
                    and_(ChannelIdentity.channel == OutboundMessage.channel, ChannelIdentity.address == OutboundMessage.address),
                )
                .outerjoin(Person, Person.id == OutboundMessage.person_id)
                .where(OutboundMessage.id.in_(ids))
                .order_by(OutboundMessage.id)
            ).all()
            return [
                Claimed(m.id, m.channel, m.address, m.purpose, m.body, m.attempts, last_in, unreachable is not None, out is not None)
                for m, last_in, unreachable, out in rows
            ]

    def recover(self) -> tuple[int, int]:
        """After a crash: claimed rows go back to the queue; rows caught mid-send end failed, never sent twice."""
        now = self.clock.now()
        with self.database.transaction() as db:
            requeued = db.execute(
                update(OutboundMessage)
                .where(OutboundMessage.status == "claimed", OutboundMessage.lease_until < now)
                .values(status="queued", lease_until=None)
            ).rowcount
            abandoned = db.execute(
                update(OutboundMessage)
                .where(OutboundMessage.status == "sending", OutboundMessage.lease_until < now)
                .values(
                    status="failed",
                    lease_until=None,
                    error="interrupted while sending; not sent again, so it is never delivered twice",
                )
            ).rowcount
        if requeued or abandoned:
            log.warning("recovered outbox after a stop", extra={"requeued": requeued, "abandoned": abandoned})
        return requeued, abandoned

    async def _deliver_at(self, row: Claimed, at: float, before: asyncio.Task[None] | None) -> None:
        if before is not None:
            await before  # keep each chat's messages in order
        delay = at - self.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            await self._deliver(row)
        except Exception:  # noqa: BLE001 - one message must not stop the others
            log.exception("delivering outbox message failed", extra={"outbox_id": row.id})
            await asyncio.to_thread(self._finish, row.id, "failed", error="internal error while sending")

    async def _deliver(self, row: Claimed) -> None:
        refusal, template = self._precheck(row)
        if refusal:
            await asyncio.to_thread(self._finish, row.id, "failed", error=refusal)
            return
        await asyncio.to_thread(self._mark_sending, row.id)
        try:
            provider_id = await self.senders[row.channel](row.address, row.body, template)
        except TransientFailure as failure:
            if failure.retry_after:
                self.limiters[row.channel].pause_until(self.monotonic() + failure.retry_after)
            await asyncio.to_thread(self._retry_or_fail, row, failure)
            return
        except PermanentFailure as failure:
            await asyncio.to_thread(self._finish, row.id, "failed", error=failure.reason, unreachable=failure.unreachable)
            return
        await asyncio.to_thread(self._finish, row.id, "sent", provider_id=provider_id)

    def _precheck(self, row: Claimed) -> tuple[str, str]:
        """(why it must not be sent, the WhatsApp template to use instead of free text)."""
        if row.unreachable:
            return "recipient unreachable (blocked the bot or not on WhatsApp) until they write again", ""
        if row.opted_out and row.purpose != REPLY:
            return "recipient opted out of broadcasts (BERHENTI)", ""
        if row.channel != "whatsapp":
            return "", ""
        inside = row.last_inbound_at is not None and self.clock.now() - row.last_inbound_at < WHATSAPP_WINDOW
        if inside:
            return "", ""
        template = self.settings.whatsapp_templates.get(row.purpose, "")
        if not template:
            return (
                f"outside the WhatsApp 24-hour window and no template configured for '{row.purpose}' "
                "(set KAWAL_WHATSAPP_TEMPLATES)",
                "",
            )
        return "", template

    def _mark_sending(self, outbox_id: int) -> None:
        with self.database.transaction() as db:
            db.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id == outbox_id)
                .values(status="sending", lease_until=self.clock.now() + LEASE)
            )

    def _retry_or_fail(self, row: Claimed, failure: DeliveryFailure) -> None:
        if row.attempts >= self.settings.outbox_max_attempts:
            self._finish(row.id, "failed", error=f"gave up after {row.attempts} attempts: {failure.reason}")
            return
        retry_after = getattr(failure, "retry_after", None)
        wait = retry_after or min(BACKOFF_BASE_SECONDS * 2 ** (row.attempts - 1), BACKOFF_CAP_SECONDS)
        with self.database.transaction() as db:
            db.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id == row.id)
                .values(status="queued", lease_until=None, error=failure.reason, next_attempt_at=self.clock.now() + timedelta(seconds=wait))
            )

    def _finish(self, outbox_id: int, status: str, *, error: str = "", provider_id: str = "", unreachable: bool = False) -> None:
        now = self.clock.now()
        with self.database.transaction() as db:
            message = db.get(OutboundMessage, outbox_id)
            if message is None:
                return
            message.status = status
            message.lease_until = None
            message.error = error
            if status == "sent":
                message.sent_at = now
                message.provider_message_id = provider_id or None
            if unreachable:
                db.execute(
                    update(ChannelIdentity)
                    .where(ChannelIdentity.channel == message.channel, ChannelIdentity.address == message.address)
                    .values(unreachable_at=now)
                )
