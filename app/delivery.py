"""The outbox worker: delivers queued messages through the channel senders.

A message moves ``queued → claimed → sending → sent`` (then ``delivered``/``read``
from provider callbacks), or ends ``failed`` with the reason. Each step is a few
statements, committed before the worker goes on; the steps of sends going out at
the same moment are committed together (``app.group_commit``):

- **claim** a batch with one ``UPDATE … RETURNING`` (its rows chosen with
  ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers never take the
  same row; SQLite serializes writers), each with a lease; the claim counts as
  an attempt and its number fences the row: a worker that held it too long
  finds it taken by another and does not send it;
- right before the provider request, mark the row **sending** and book its
  moment in the rate shared with other processes (one step);
- record the result: ``sent`` with the provider's id; a transient failure goes
  back to ``queued`` with backoff (or the provider's retry-after) for as long as
  ``KAWAL_OUTBOX_RETRY_HOURS`` after the message was written; a permanent one
  ends ``failed``.

A transient failure after which the provider may have accepted the message (a
timeout once the request was sent, a 5xx: ``bot.delivery.may_have_arrived``)
is retried only ``KAWAL_OUTBOX_AMBIGUOUS_RETRIES`` times, then ends
``unconfirmed`` for an operator to check: each retry risks a duplicate, and
endless retries turned 20 messages into 80 sends.

Every bookkeeping step is retried while the database is stalled or gone (a
held SQLite write lock, a lost connection): a database error never marks a
message failed, and a message sent is recorded as sent once the database
answers again.

A worker that dies (``kill -9``, a lost machine) leaves its rows ``claimed``
or ``sending``. Once their lease runs out, any running worker, in any process,
claims them again with the queued ones: nobody is left without the reply to
their last message. On SQLite (one process) the next run takes them at its
start, without waiting for the lease (``take_back_left_over``). A row cut off during its request (``sending``) may have
reached the provider; it is sent again all the same — a rare duplicate is
better than a question never asked — and counted: its error reads ``RESENT``
(kept once it is sent) and it counts as one ambiguous failure, so a row cut off
again past ``KAWAL_OUTBOX_AMBIGUOUS_RETRIES`` ends ``unconfirmed``.

The worker does not poll hot: it sleeps until new rows are announced
(``app.outbox_wakeup``: in this process at commit, from other processes through
PostgreSQL's LISTEN/NOTIFY), polling only every ``KAWAL_OUTBOX_POLL_SECONDS``
for scheduled retries, and beats for /readyz every ``BEAT_SECONDS`` meanwhile.
Rate limits are kept here, centrally, per channel and per chat, in this
process and — per channel — across processes (``app.delivery_limits``). Right
before sending, the BERHENTI rule of ``app.outbox`` is applied again: a person
who opted out after a broadcast was queued does not get it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol, cast

from sqlalchemy import CursorResult, Row, Table, and_, bindparam, case, exists, func, or_, select, update
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session

from app import metrics, outbox_wakeup
from app.clock import Clock
from app.config import Settings
from app.db import Database, changed_rows
from app.delivery_limits import SharedRateLimit
from app.group_commit import GroupCommit
from app.models import ChannelIdentity, OutboundMessage, Person, Reminder
from app.outbox import refusal
from bot.delivery import PermanentFailure, TransientFailure, may_have_arrived

log = logging.getLogger(__name__)

WHATSAPP_WINDOW = timedelta(hours=24)
BATCH = 60
PER_CHAT = 5
"""A chat's rows per claim (the replies to a turn are at most four): the rest of a long queue for one chat (a companion told of a hundred
new reports, one a second) waits for the next claim, so a batch is never held up for long by one chat."""
CHAT_WAIT = timedelta(seconds=1)
"""How long a row waits when an earlier row of its chat is still on its way (another worker's, or being retried).
A row never tried (``attempts`` 0) and not yet due is news held back through the night: it holds nothing up."""
BATCHES_IN_FLIGHT = 2
BEAT_SECONDS = 2.0  # the worker beats (for /readyz) at least this often, idle or not
LISTEN_READY_SECONDS = 5.0  # at start, wait this long at most for LISTEN before the first claim
STOP_GRACE_SECONDS = 5.0
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 600.0
# the database is stalled (a held write lock) or gone (a lost connection): wait and do the same step again
DATABASE_ERRORS = (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError)
DATABASE_PAUSE_SECONDS = 0.5
DATABASE_PAUSE_CAP_SECONDS = 10.0
REMINDER_KEY_PREFIX = "reminder:"
TOO_LATE = "too late: the meeting this reminder is about has begun"
UNCONFIRMED = "the provider may have accepted it (no clear answer after sending); not sent again, to avoid a duplicate"
RESENT = "resent after an interruption"
INTERRUPTED_AGAIN = f"{UNCONFIRMED}: interrupted while sending, again"
OUTBOX = cast(Table, OutboundMessage.__table__)  # Core statements for the worker's bookkeeping: no ORM objects needed
# the two statements of every send, built once (building them anew cost more than running them)
_MARK_SENDING = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("row_id"), OUTBOX.c.status == "claimed", OUTBOX.c.attempts == bindparam("claim"))
    .values(status="sending", lease_until=bindparam("new_lease"))
)
_SENT = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("row_id"))
    .values(
        status="sent", lease_until=None, error=case((OUTBOX.c.error == RESENT, RESENT), else_=""),  # a resend says so
        sent_at=bindparam("new_sent_at"), provider_message_id=bindparam("new_provider_id"),
    )
)  # fmt: skip


def _claimable(table: Any, now: datetime) -> Any:
    """Rows a worker may take: queued and due, or held by a worker whose lease ran out (it died)."""
    c = table.c
    return or_(
        and_(c.status == "queued", c.next_attempt_at <= now), and_(c.status.in_(("claimed", "sending")), c.lease_until < now)
    )


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
    ambiguous_failures: int
    created_at: datetime
    last_inbound_at: datetime | None
    unreachable: bool
    opted_out: bool
    not_after: datetime | None = None
    """For a reminder: the moment it becomes pointless (its meeting begins); it is never sent from then on."""


class RateLimiter:
    """Spaces actual sends: at most ``per_second`` for the channel, one per ``per_chat_seconds`` for each chat.

    A slot is taken right before the request, spaced from the previous request
    really made, so a stall never turns into a burst; a chat waiting for its
    turn does not hold up the other chats.
    """

    def __init__(self, per_second: float, per_chat_seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / per_second
        self.per_chat = per_chat_seconds
        self.monotonic = monotonic
        self.next_free = 0.0
        self.next_for_chat: dict[str, float] = {}
        self._turn = asyncio.Lock()

    async def acquire(self, chat: str) -> None:
        chat_wait = self.next_for_chat.get(chat, 0.0) - self.monotonic()
        if chat_wait > 0:
            await asyncio.sleep(chat_wait)
        async with self._turn:
            wait = self.next_free - self.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            now = self.monotonic()
            self.next_free = now + self.interval
            self.next_for_chat[chat] = now + self.per_chat

    def request_made(self, chat: str) -> None:
        """The request for ``chat`` goes now (after any wait that followed ``acquire``): its next one is spaced from here."""
        self.next_for_chat[chat] = max(self.next_for_chat.get(chat, 0.0), self.monotonic() + self.per_chat)

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
        shared_limits: Mapping[str, SharedRateLimit] | None = None,
        beat: Callable[[], None] = lambda: None,
    ) -> None:
        self.database = database
        self.beat = beat  # once per round, for /readyz (app.heartbeats)
        self.settings = settings
        self.lease = timedelta(seconds=settings.outbox_lease_seconds)
        self.senders = senders
        self.limiters = limiters
        self.clock = clock or Clock()
        # each channel's rate, shared with every other process delivering from this database
        self.shared_limits = (
            shared_limits
            if shared_limits is not None
            else {channel: SharedRateLimit(channel, 1.0 / limiters[channel].interval) for channel in senders}
        )
        self._bookkeeping = GroupCommit(database, DATABASE_ERRORS)  # the small writes of concurrent sends, together
        self._chat_tails: dict[tuple[str, str], asyncio.Task[None]] = {}  # each chat's last message in flight

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop``: claim when woken by new rows, after a batch, or every poll interval.

        The next batch is claimed while the last one is still going out (``BATCHES_IN_FLIGHT``).
        """
        woken = asyncio.Event()
        engine = self.database.engine
        unsubscribe = outbox_wakeup.subscribe(engine, outbox_wakeup.waker_for(asyncio.get_running_loop(), woken))
        listener = None
        if engine.dialect.name == "postgresql":  # rows queued by other processes wake this one too
            listening = asyncio.Event()
            listener = asyncio.create_task(outbox_wakeup.listen(engine, woken.set, listening, stop), name="outbox-listen")
            ready = asyncio.ensure_future(listening.wait())
            await asyncio.wait([ready, listener], timeout=LISTEN_READY_SECONDS, return_when=asyncio.FIRST_COMPLETED)
            ready.cancel()
        if engine.dialect.name == "sqlite":
            await asyncio.to_thread(self.take_back_left_over)
        in_flight: set[asyncio.Task[int]] = set()
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await self._deliver_until(stop, stopping, woken, in_flight)
            if in_flight:  # stopping: let the messages already going out finish, for a moment
                await asyncio.wait(in_flight, timeout=STOP_GRACE_SECONDS)
        finally:
            unsubscribe()
            stopping.cancel()
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)
            if listener is not None:
                listener.cancel()
                await asyncio.gather(listener, return_exceptions=True)

    async def _deliver_until(
        self, stop: asyncio.Event, stopping: asyncio.Future[Any], woken: asyncio.Event, in_flight: set[asyncio.Task[int]]
    ) -> None:
        loop = asyncio.get_running_loop()
        claim_now = True
        next_poll = loop.time()
        while not stop.is_set():
            self.beat()
            room = len(in_flight) < BATCHES_IN_FLIGHT
            if room and (claim_now or woken.is_set() or loop.time() >= next_poll):
                woken.clear()  # before claiming: a row committed after this wakes the next round
                next_poll = loop.time() + self.settings.outbox_poll_seconds
                claimed = await self._start_batch(in_flight)
                claim_now = claimed == BATCH  # a full batch: more may be waiting
                if claimed:
                    continue
            waiters: list[asyncio.Future[Any]] = [stopping, *in_flight]
            wake = asyncio.ensure_future(woken.wait()) if room else None
            if wake is not None:
                waiters.append(wake)
            timeout = min(max(next_poll - loop.time(), 0.0), BEAT_SECONDS) if room else BEAT_SECONDS
            done, _ = await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            if wake is not None:
                wake.cancel()
            if any(task is not stopping and task is not wake for task in done):
                claim_now = True  # a batch went out: room for the next

    async def _start_batch(self, in_flight: set[asyncio.Task[int]]) -> int:
        """Claim a batch and start delivering it; how many rows were claimed."""
        try:
            claimed = await asyncio.to_thread(self.claim, BATCH)
        except Exception:  # noqa: BLE001 - the worker must outlive a failed claim
            log.exception("claiming outbox messages failed")
            return 0
        if not claimed:
            return 0
        task = asyncio.create_task(self._deliver_claimed(claimed))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        return len(claimed)

    async def deliver_batch(self, limit: int = BATCH) -> int:
        """Claim one batch and deliver it completely (tests and benchmarks drive the worker with this)."""
        claimed = await asyncio.to_thread(self.claim, limit)
        return await self._deliver_claimed(claimed) if claimed else 0

    async def _deliver_claimed(self, claimed: list[Claimed]) -> int:
        tasks = []
        for row in claimed:
            key = (row.channel, row.address)
            task = asyncio.create_task(self._deliver_in_order(row, self._chat_tails.get(key)))
            self._chat_tails[key] = task
            task.add_done_callback(partial(self._forget_tail, key))
            tasks.append(task)
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if cut_off := [row.id for row, task in zip(claimed, tasks, strict=True) if task.cancelled()]:
                try:  # on shutdown: rows not yet being sent go back at once
                    await asyncio.to_thread(self.release, cut_off)
                except DATABASE_ERRORS:  # then they are claimed again once their lease runs out
                    log.warning("could not give unsent outbox messages back to the queue", exc_info=True)
        return len(claimed)

    def _forget_tail(self, key: tuple[str, str], task: asyncio.Task[None]) -> None:
        if self._chat_tails.get(key) is task:
            del self._chat_tails[key]

    def take_back_left_over(self) -> int:
        """On SQLite one process delivers (the README says so): rows it finds ``claimed`` or ``sending`` as it starts
        were left by a run that ended mid-way (a crash, ``kill -9``). Their leases are cut short, so the first claim
        takes them again at once, as after a lease, instead of leaving those chats silent until it runs out.
        PostgreSQL may have other live processes: there only the lease tells."""
        now = self.clock.now()
        with self.database.transaction() as db:
            taken = changed_rows(db, update(OUTBOX).where(OUTBOX.c.status.in_(("claimed", "sending")), OUTBOX.c.lease_until >= now)
                                 .values(lease_until=now - timedelta(seconds=1)))  # fmt: skip
        if taken:
            log.warning("taking back %d outbox message(s) left claimed or sending by the last run", taken)
        return taken

    def release(self, ids: list[int]) -> None:
        c = OUTBOX.c
        with self.database.transaction() as db:
            db.execute(
                update(OUTBOX)
                .where(c.id.in_(ids), c.status == "claimed")
                .values(status="queued", lease_until=None, attempts=c.attempts - 1)
            )

    def claim(self, limit: int) -> list[Claimed]:
        """Take up to ``limit`` rows in one ``UPDATE … RETURNING``: due queued rows, and rows whose lease ran out.

        A row whose lease ran out belonged to a worker that died. ``claimed``: no request was made, it goes out
        now. ``sending``: it was cut off during its request; it is sent again, marked ``RESENT`` and counted
        as an ambiguous failure — or, past the ambiguous retries, ends ``unconfirmed`` here, unsent.
        """
        now = self.clock.now()
        table, c = OUTBOX, OUTBOX.c
        earlier = OUTBOX.alias("earlier")
        chat_busy = exists().where(
            earlier.c.channel == c.channel, earlier.c.address == c.address, earlier.c.id < c.id,
            or_(
                and_(earlier.c.status.in_(("claimed", "sending")), earlier.c.lease_until >= now),  # on its way
                and_(earlier.c.status == "queued", earlier.c.next_attempt_at > now, earlier.c.attempts > 0),  # its retry
            ),
        )  # fmt: skip
        ahead = OUTBOX.alias("ahead")
        rows_ahead = (
            select(func.count()).select_from(ahead)
            .where(ahead.c.channel == c.channel, ahead.c.address == c.address, ahead.c.id < c.id, _claimable(ahead, now))
            .scalar_subquery()
        )  # fmt: skip
        picked = (
            select(c.id)
            .where(
                _claimable(OUTBOX, now),
                c.channel.in_(list(self.senders)),
                ~chat_busy,  # each chat's messages in order, also across workers and processes
                rows_ahead < PER_CHAT,
            )
            .order_by(c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer at a time anyway
        )
        interrupted = c.status == "sending"  # SET sees each row as it was before the update
        give_up = and_(interrupted, c.ambiguous_failures >= self.settings.outbox_ambiguous_retries)
        statement = (
            update(table)
            .where(c.id.in_(picked))
            .values(
                status=case((give_up, "unconfirmed"), else_="claimed"),
                lease_until=case((give_up, None), else_=now + self.lease),
                attempts=case((give_up, c.attempts), else_=c.attempts + 1),
                ambiguous_failures=c.ambiguous_failures + case((interrupted, 1), else_=0),
                error=case((give_up, INTERRUPTED_AGAIN), (interrupted, RESENT), else_=c.error),
            )
            .returning(
                c.id, c.status, c.channel, c.address, c.purpose, c.body, c.attempts, c.ambiguous_failures, c.created_at,
                c.error,
            )
        )
        with self.database.transaction() as db:
            taken = db.execute(statement).all()
            rows = sorted((row for row in taken if row.status == "claimed"), key=lambda row: row.id)
            rows = self._without_overtaking(db, rows, now)
            context = self._context(db, [row.id for row in rows]) if rows else {}
        self._report_recovered(taken)
        return [
            Claimed(
                row.id, row.channel, row.address, row.purpose, row.body, row.attempts, row.ambiguous_failures,
                row.created_at, *context[row.id],
            )
            for row in rows
        ]

    @staticmethod
    def _without_overtaking(db: Any, rows: list[Row[Any]], now: datetime) -> list[Row[Any]]:
        """The claimed rows less those of chats with an earlier row not yet sent outside this batch, which go
        back to the queue for a moment. Another worker claiming at the same time may hold that earlier row
        (``SKIP LOCKED`` passed over it), and its claim may not be visible yet: it is still unsent either way."""
        if not rows:
            return rows
        c = OUTBOX.c
        first_in_batch: dict[tuple[str, str], int] = {}
        for row in rows:
            first_in_batch.setdefault((row.channel, row.address), row.id)
        ids = [row.id for row in rows]
        chats = or_(*(and_(c.channel == channel, c.address == address) for channel, address in first_in_batch))
        earliest = db.execute(
            select(c.channel, c.address, func.min(c.id))
            .where(
                chats, c.id.not_in(ids),
                or_(c.status.in_(("claimed", "sending")), and_(c.status == "queued", or_(c.next_attempt_at <= now, c.attempts > 0))),
            )  # fmt: skip
            .group_by(c.channel, c.address)
        ).all()
        waiting = {(channel, address) for channel, address, first in earliest if first < first_in_batch[(channel, address)]}
        if not waiting:
            return rows
        back = [row.id for row in rows if (row.channel, row.address) in waiting]
        db.execute(
            update(OUTBOX)
            .where(c.id.in_(back))
            .values(status="queued", lease_until=None, next_attempt_at=now + CHAT_WAIT)  # attempts kept: it waits its turn
        )
        return [row for row in rows if (row.channel, row.address) not in waiting]

    @staticmethod
    def _context(db: Any, ids: list[int]) -> dict[int, tuple[datetime | None, bool, bool, datetime | None]]:
        """For each claimed row: the chat's last inbound message, unreachable, opted out, the reminder's deadline."""
        found = db.execute(
            select(
                OutboundMessage.id, ChannelIdentity.last_inbound_at, ChannelIdentity.unreachable_at, Person.opted_out_at,
                Reminder.not_after,
            )
            .outerjoin(
                ChannelIdentity,
                and_(ChannelIdentity.channel == OutboundMessage.channel, ChannelIdentity.address == OutboundMessage.address),
            )
            .outerjoin(Person, Person.id == OutboundMessage.person_id)
            .outerjoin(  # the reminder behind "reminder:<key>" (app.reminders.dispatch), for its deadline
                Reminder,
                and_(
                    OutboundMessage.idempotency_key.startswith(REMINDER_KEY_PREFIX),
                    Reminder.key == func.substr(OutboundMessage.idempotency_key, len(REMINDER_KEY_PREFIX) + 1),
                ),
            )
            .where(OutboundMessage.id.in_(ids))
        ).all()
        return {
            row_id: (last_in, unreachable is not None, out is not None, not_after)
            for row_id, last_in, unreachable, out, not_after in found
        }

    @staticmethod
    def _report_recovered(taken: Sequence[Row[Any]]) -> None:
        resent = [row.id for row in taken if row.status == "claimed" and row.error == RESENT]
        unconfirmed = [row.id for row in taken if row.status == "unconfirmed"]
        if resent:
            log.warning("sending again %d outbox message(s) cut off during their request", len(resent), extra={"outbox_ids": resent})
        if unconfirmed:
            log.warning("outbox message(s) cut off during their request again, left unconfirmed", extra={"outbox_ids": unconfirmed})

    async def _deliver_in_order(self, row: Claimed, before: asyncio.Task[None] | None) -> None:
        if before is not None:
            await asyncio.wait([before])  # keep each chat's messages in order
        try:
            await self._deliver(row)
        except Exception:  # noqa: BLE001 - one message must not stop the others
            log.exception("delivering outbox message failed", extra={"outbox_id": row.id})
            await self._until_recorded(self._finish, row, "failed", error="internal error while sending")

    async def _deliver(self, row: Claimed) -> None:
        refusal, template = self._precheck(row)
        if refusal:
            await self._until_recorded(self._finish, row, "failed", error=refusal)
            return
        await self.limiters[row.channel].acquire(row.address)
        # the place in the rate shared with other processes is booked after this process's own spacing, right before
        # the request: booked earlier, a wait in between would carry sends into a second whose places are all taken
        moment = await self._until_recorded(self._mark_sending_and_book, row)
        if moment is None:
            log.warning("outbox message taken by another worker after its lease ran out", extra={"outbox_id": row.id})
            return
        await self._wait_until(row.channel, moment)
        self.limiters[row.channel].request_made(row.address)
        try:
            provider_id = await self.senders[row.channel](row.address, row.body, template)
        except TransientFailure as failure:
            metrics.SENDS.labels(row.channel, "ambiguous" if may_have_arrived(failure) else "retry").inc()
            if failure.retry_after:
                limiter = self.limiters[row.channel]
                limiter.pause_until(limiter.monotonic() + failure.retry_after)
            await self._until_recorded(self._retry_or_fail, row, failure)
            return
        except PermanentFailure as failure:
            metrics.SENDS.labels(row.channel, "refused").inc()
            await self._until_recorded(self._finish, row, "failed", error=failure.reason, unreachable=failure.unreachable)
            return
        metrics.SENDS.labels(row.channel, "sent").inc()
        await self._until_recorded(self._finish, row, "sent", provider_id=provider_id)

    async def _until_recorded(self, step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Write one bookkeeping ``step(db, *args, **kwargs)``, committed with the steps of other sends that come at
        the same time; while the database is stalled or gone, pause and write it again.

        A database error is never the message's fault: it must not end ``failed``, and a message already sent
        must still be recorded as sent (not sent again) once the database answers.
        """
        pause = DATABASE_PAUSE_SECONDS
        while True:
            try:
                return await self._bookkeeping.write(partial(step, *args, **kwargs))
            except DATABASE_ERRORS as error:
                log.warning(
                    "database unavailable for outbox bookkeeping; trying again in %.1f s: %s", pause, type(error).__name__,
                    extra={"step": getattr(step, "__name__", "")},
                )  # fmt: skip
                await asyncio.sleep(pause)
                pause = min(pause * 2, DATABASE_PAUSE_CAP_SECONDS)

    async def _wait_until(self, channel: str, moment: float) -> None:
        """Wait for this send's moment in the channel's rate, booked with every other delivering process."""
        shared = self.shared_limits.get(channel)
        delay = moment - shared.wall_clock() if shared is not None else 0.0
        if delay > 0:
            await asyncio.sleep(delay)

    def _precheck(self, row: Claimed) -> tuple[str, str]:
        """(why it must not be sent, the WhatsApp template to use instead of free text)."""
        if row.unreachable:
            return "recipient unreachable (blocked the bot or not on WhatsApp) until they write again", ""
        if refused := refusal(row.purpose, opted_out=row.opted_out):
            return refused, ""
        if row.not_after is not None and self.clock.now() >= row.not_after:
            return TOO_LATE, ""  # retried past its meeting's start: pointless now, as app.reminders drops it
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

    # The bookkeeping steps: ``step(db, …)``, each a few statements in the transaction ``_until_recorded`` gives it.

    def _mark_sending_and_book(self, row: Claimed, db: Session) -> float | None:
        """Right before the request, in one transaction: the row marked ``sending`` and its moment booked; ``None``
        when the row is no longer this claim's."""
        return self._book(row.channel, db) if self._mark_sending(row, db) else None

    def _book(self, channel: str, db: Session) -> float:
        """The wall-clock moment (Unix time) booked for this send in the channel's rate shared by every process."""
        shared = self.shared_limits.get(channel)
        return shared.book(db) if shared is not None else 0.0

    def _mark_sending(self, row: Claimed, db: Session) -> bool:
        """Whether the row is still this claim's (not taken by another worker after its lease ran out), now ``sending``."""
        marked = db.execute(_MARK_SENDING, {"row_id": row.id, "claim": row.attempts, "new_lease": self.clock.now() + self.lease})
        return cast(CursorResult[Any], marked).rowcount == 1

    def _retry_or_fail(self, row: Claimed, failure: TransientFailure, db: Session) -> None:
        """Back to the queue with backoff, until the retry window closes; an ambiguous failure only so often."""
        now = self.clock.now()
        ambiguous = may_have_arrived(failure)
        if ambiguous and row.ambiguous_failures >= self.settings.outbox_ambiguous_retries:
            log.warning("outbox message left unconfirmed: %s", failure.reason, extra={"outbox_id": row.id})
            self._finish(row, "unconfirmed", db, error=f"{UNCONFIRMED}: {failure.reason}", ambiguous=True)
            return
        wait = failure.retry_after or min(BACKOFF_BASE_SECONDS * 2 ** (row.attempts - 1), BACKOFF_CAP_SECONDS)
        window = timedelta(hours=self.settings.outbox_retry_hours)
        if row.attempts >= self.settings.outbox_max_attempts or now + timedelta(seconds=wait) > row.created_at + window:
            hours = f"{self.settings.outbox_retry_hours:g}"
            error = f"gave up after {row.attempts} attempts in {hours} hours: {failure.reason}"
            self._finish(row, "failed", db, error=error, ambiguous=ambiguous)
            return
        db.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == row.id)
            .values(
                status="queued", lease_until=None, error=failure.reason, next_attempt_at=now + timedelta(seconds=wait),
                ambiguous_failures=OutboundMessage.ambiguous_failures + int(ambiguous),
            )
        )

    def _finish(
        self, row: Claimed, status: str, db: Session, *, error: str = "", provider_id: str = "", unreachable: bool = False,
        ambiguous: bool = False,
    ) -> None:  # fmt: skip
        now = self.clock.now()
        if status == "sent" and not (error or ambiguous or unreachable):  # nearly every send: a statement built once
            db.execute(_SENT, {"row_id": row.id, "new_sent_at": now, "new_provider_id": provider_id or None})
            return
        c = OUTBOX.c
        values: dict[str, Any] = {"status": status, "lease_until": None, "error": error}
        if not error and status == "sent":  # a row sent again after an interruption keeps saying so
            values["error"] = case((c.error == RESENT, RESENT), else_="")
        if ambiguous:
            values["ambiguous_failures"] = c.ambiguous_failures + 1
        if status == "sent":
            values |= {"sent_at": now, "provider_message_id": provider_id or None}
        db.execute(update(OUTBOX).where(c.id == row.id).values(values))
        if unreachable:
            db.execute(
                update(ChannelIdentity)
                .where(ChannelIdentity.channel == row.channel, ChannelIdentity.address == row.address)
                .values(unreachable_at=now)
            )
