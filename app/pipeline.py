"""The inbound pipeline: one database transaction per message.

record the message (a duplicate external id is acknowledged, not processed
again) → resolve the sender → lock their conversation session → ``step()`` →
apply effects → save the session → write the replies into the outbox.

A write a service refuses (another area's household, case, meeting or village)
undoes the step's effects only: the session, the refusal's reply and its audit
row are kept. A crash anywhere rolls all of it back. The message is then recorded on its own
as ``failed`` with a short apology to the sender, so nothing a person sent is
lost; a redelivery of a failed message is processed again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload

from app import guessing, metrics
from app.areas.timezones import person_area, timezone_of
from app.cases.readers import readers_for
from app.cases.references import new_reference
from app.cases.work import work_cases_of
from app.db import Database
from app.effects import apply_effect
from app.inbound_notices import notice_for
from app.invitations.service import invitation_code, redeem
from app.log_format import current_message_id
from app.masking import masked_envelope
from app.media import MediaStore
from app.models import ChannelIdentity, ConversationSession, InboundMessage, Person
from app.outbox import enqueue_once, enqueue_replies, enqueue_reply
from app.people.service import cases_of, household_named, households_of, link_phone, person_view, resolve_identity
from app.refusals import Refused, record_refusal
from app.runtime import Runtime
from app.schedules.local_time import local_day
from app.schedules.views import pending_answer, schedule_view
from bot.envelope import Envelope
from conversations import Inbound, InboundKind, Reply, Session, step
from conversations.effects import Effect
from conversations.engine import after_code, reads_history, reads_schedule
from conversations.flows.status import find_reference
from conversations.roles import ROLE_NAMES
from conversations.types import Context, PendingAnswer, PersonView, ScheduleView

log = logging.getLogger(__name__)
INBOUND = cast(Table, InboundMessage.__table__)
SESSIONS = cast(Table, ConversationSession.__table__)  # read and written with Core: the step needs no ORM object
ATTEMPTS = 3
LAST_SEEN_PRECISION = timedelta(minutes=1)


# The statements of every message, built once: building them anew (clauses, then their cache key) cost more
# than running them.
_INBOUND_COLUMNS = ("channel", "external_id", "person_id", "kind", "text", "payload", "status", "error", "received_at", "processed_at")
_RECORD_INBOUND = {
    name: dialect_insert(INBOUND).values({column: bindparam(f"new_{column}") for column in _INBOUND_COLUMNS})
    .on_conflict_do_nothing().returning(INBOUND.c.id)
    for name, dialect_insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}  # fmt: skip
_PERSON_WITH_ROLES = (
    select(Person).options(joinedload(Person.roles)).where(Person.id == bindparam("person_id"))
    .execution_options(populate_existing=True)
)  # fmt: skip
_LOCK_SESSION = (
    select(SESSIONS.c.flow, SESSIONS.c.state, SESSIONS.c.data, SESSIONS.c.updated_at)
    .where(SESSIONS.c.person_id == bindparam("person_id")).with_for_update()
)  # fmt: skip
_SAVE_SESSION = (
    update(SESSIONS).where(SESSIONS.c.person_id == bindparam("of_person"))
    .values(flow=bindparam("new_flow"), state=bindparam("new_state"), data=bindparam("new_data"),
            updated_at=bindparam("new_updated_at"), version=SESSIONS.c.version + 1)
)  # fmt: skip


def _stale(last_inbound_at: datetime | None, now: datetime) -> bool:
    return last_inbound_at is None or now - last_inbound_at >= LAST_SEEN_PRECISION


@dataclass(frozen=True)
class Outcome:
    status: Literal["processed", "duplicate", "failed"]
    person_id: int | None = None
    replies: int = 0


class Pipeline:
    def __init__(self, database: Database, runtime: Runtime) -> None:
        self.database = database
        self.runtime = runtime
        self._media = MediaStore(runtime.settings.media_dir, runtime.settings.media_max_bytes)

    def handle(self, envelope: Envelope, *, now: datetime) -> Outcome:
        """Process one message exactly once; never raises for a problem inside the step."""
        message_id = current_message_id.set(f"{envelope.channel}:{envelope.external_id}")  # on every log line
        started = time.perf_counter()
        try:
            outcome = self._handle(envelope, now)
        finally:
            current_message_id.reset(message_id)
        metrics.PIPELINE_SECONDS.labels(envelope.channel).observe(time.perf_counter() - started)
        metrics.INBOUND.labels(envelope.channel, outcome.status).inc()
        return outcome

    def _handle(self, envelope: Envelope, now: datetime) -> Outcome:
        envelope = masked_envelope(envelope)  # no NIK typed in a message is kept in clear
        last_error: Exception = RuntimeError("inbound message not tried")  # replaced: ATTEMPTS is at least 1
        with suppress(Exception):  # a failed read fails again inside the attempt below, and is recorded there
            self.runtime.wait_for_gazetteer()
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.database.transaction() as db:
                    return self._process(db, envelope, now)
            except (IntegrityError, OperationalError) as error:
                # A concurrent delivery of the same message or a first message of the same
                # new person won the race; the next attempt sees its rows.
                log.info("retrying inbound after conflict", extra={"attempt": attempt, "error": type(error).__name__})
                last_error = error
            except Exception as error:  # noqa: BLE001 - anything else is recorded, not lost
                log.exception("inbound message failed", extra={"channel": envelope.channel})
                last_error = error
                break
        return self._record_failure(envelope, last_error, now)

    def _process(self, db: DbSession, envelope: Envelope, now: datetime) -> Outcome:
        identity = self._identity(db, envelope, now)
        if not self._record_inbound(db, envelope, identity.person_id, now):
            return Outcome("duplicate", identity.person_id)
        if envelope.phone and envelope.inbound.kind is InboundKind.CONTACT:
            link_phone(db, identity=identity, phone=envelope.phone, now=now)  # the identity may join another person
        session = self._lock_session(db, identity.person_id)
        person = self._person(db, identity.person_id)  # read after the lock, so a message handled just before is seen
        if (notice := self._notice(db, envelope, identity, person, now)) is not None:
            return notice
        inbound = envelope.inbound
        code = invitation_code(inbound)
        if code and not self._redeem(db, identity, person, code, now, key=f"invite:{envelope.channel}:{envelope.external_id}"):
            identity.last_inbound_at = now  # guessing is paused: the code is not checked, the step not run
            identity.unreachable_at = None
            return Outcome("processed", identity.person_id)
        if code:
            inbound = Inbound.text_("/start")  # then on as after a first contact, or back to the pending question
            person = self._person(db, identity.person_id)  # with the role just granted
        context = self._context(person, now, pending_answer(db, person, last_step_at=session.updated_at, now=now))
        if find_reference(inbound.text) and (until := guessing.paused_until(db, person, now=now)) is not None:
            context = replace(context, codes_paused_until=guessing.local_until(db, person, until))
        if session.flow == "report" and session.state == "assisted_household" and inbound.kind is InboundKind.TEXT:
            context = replace(context, household_named=household_named(db, person, inbound.text))
        if reads_history(session, inbound, context):
            schedule = schedule_view(db, person, now=now) if reads_schedule(session, context) else None
            context = replace(context, person=self._with_history(db, person, inbound, session, now, context.person, self._media, schedule))
        result = after_code(session, context) if code else step(session, inbound, context)
        replies = result.replies
        refused = self._apply_effects(db, person, result.effects, now)
        if refused is not None:  # the step's own replies would say it was done: the refusal replaces them
            replies = (Reply(self.runtime.translators[person.locale](refused.reason)),)
        self._save_session(db, person.id, result.session)
        keyed = [(f"in:{envelope.channel}:{envelope.external_id}:{index}", reply) for index, reply in enumerate(replies)]
        enqueue_replies(db, identity=identity, replies=keyed, now=now)  # one statement for all of them
        if identity.unreachable_at is not None or _stale(identity.last_inbound_at, now):
            identity.last_inbound_at = now  # kept to the minute: enough for WhatsApp's 24-hour window
            identity.unreachable_at = None
        return Outcome("processed", person.id, len(replies))

    def _apply_effects(self, db: DbSession, person: Person, effects: Sequence[Effect], now: datetime) -> Refused | None:
        """All of the step's effects or none: a write refused by a service (another area's household, case,
        meeting, village) rolls back the effects applied before it; the refusal is then audited and returned."""
        if not effects:
            return None
        try:
            with db.begin_nested():
                for effect in effects:
                    apply_effect(db, person=person, effect=effect, now=now, settings=self.runtime.settings,
                                 translators=self.runtime.translators)  # fmt: skip
        except Refused as refused:
            record_refusal(db, actor=person, refused=refused, now=now)
            return refused
        return None

    def _notice(
        self, db: DbSession, envelope: Envelope, identity: ChannelIdentity, person: Person, now: datetime
    ) -> Outcome | None:
        """A message the channel could not read (``app.inbound_notices``): kept, answered once, the step not run."""
        text = notice_for(envelope.inbound, self.runtime.translators[person.locale])
        if text is None:
            return None
        key = f"in:{envelope.channel}:{envelope.external_id}:0"
        enqueue_replies(db, identity=identity, replies=[(key, Reply(text))], now=now)
        identity.last_inbound_at = now
        identity.unreachable_at = None
        return Outcome("processed", identity.person_id, 1)

    @staticmethod
    def _with_history(
        db: DbSession, person: Person, inbound: Inbound, session: Session, now: datetime, view: PersonView, media: MediaStore,
        schedule: ScheduleView | None,
    ) -> PersonView:
        """What the step may read: a household's households, reports and meetings; a companion's cases and schedules
        (``schedule``: read by the caller when the step may need it)."""
        if person.roles:
            asked = find_reference(inbound.text) or session.data.get("reference")
            return replace(view, work=work_cases_of(db, person, now=now, reference=asked, media=media), schedule=schedule)
        households = households_of(db, person)
        readers = None
        if session.flow == "report" and session.state == "confirm":  # the receipt names who reads the report
            readers = readers_for(db, [person.area_code or "", *(h.area_code for h in households)])
        return replace(view, households=households, cases=cases_of(db, person), schedule=schedule, readers=readers)

    def _redeem(
        self, db: DbSession, identity: ChannelIdentity, person: Person, code: str, now: datetime, *, key: str
    ) -> bool:
        """An invitation code: the role is granted (or refused) and the person told, before the step; ``False``
        when the person's codes are not checked for now (too many wrong ones, ``app.guessing``)."""
        paused = guessing.paused_until(db, person, now=now)
        if paused is not None:
            guessing.tell_paused(db, person, until=paused, now=now, translators=self.runtime.translators)
            return False
        result = redeem(db, person=person, code=code, now=now)
        t = self.runtime.translators[person.locale]
        if result.ok:
            text = t("Selamat bergabung! Anda terdaftar sebagai {role} untuk {area}.", role=t(ROLE_NAMES[result.role]), area=result.area_name)
        else:
            text = t("Kode undangan itu tidak berlaku: salah, sudah dipakai, atau kedaluwarsa. Minta kode baru kepada operator.")
        enqueue_reply(db, key=key, identity=identity, reply=Reply(text), now=now)
        db.flush()
        if not result.ok:
            guessing.wrong_code(db, person=person, kind="invitation", code=code, now=now, translators=self.runtime.translators)
        return True

    def _record_inbound(self, db: DbSession, envelope: Envelope, person_id: int, now: datetime) -> bool:
        """Insert the message once; False when it was already processed (a redelivery)."""
        values = {
            "channel": envelope.channel, "external_id": envelope.external_id, "person_id": person_id,
            "kind": envelope.inbound.kind.value, "text": envelope.inbound.text, "payload": envelope.payload,
            "status": "processed", "error": "", "received_at": now, "processed_at": now,
        }  # fmt: skip
        inserted = db.execute(_RECORD_INBOUND[db.get_bind().dialect.name], {f"new_{k}": v for k, v in values.items()}).scalar()
        if inserted is not None:
            return True
        existing = db.scalars(
            select(InboundMessage).where(
                InboundMessage.channel == envelope.channel, InboundMessage.external_id == envelope.external_id
            )
        ).one()
        if existing.status == "processed":
            return False
        for name in ("person_id", "kind", "text", "payload", "status", "error", "processed_at"):
            setattr(existing, name, values[name])  # a message that failed before is processed again
        return True

    def _identity(self, db: DbSession, envelope: Envelope, now: datetime) -> ChannelIdentity:
        return resolve_identity(
            db,
            channel=envelope.channel,
            address=envelope.address,
            phone=envelope.phone,
            display_name=envelope.display_name,
            default_locale=self.runtime.settings.default_locale,
            now=now,
        )

    @staticmethod
    def _person(db: DbSession, person_id: int) -> Person:
        """The person and their roles as stored now (not as an earlier read in this session left them)."""
        return db.scalars(_PERSON_WITH_ROLES, {"person_id": person_id}).unique().one()

    @staticmethod
    def _lock_session(db: DbSession, person_id: int) -> Session:
        """The person's conversation, its row locked until commit. A new person's row is written at once: a second
        first message of theirs handled at the same time then conflicts, and is tried again after this one."""
        row = db.execute(_LOCK_SESSION, {"person_id": person_id}).first()
        if row is None:
            db.execute(insert(SESSIONS).values(person_id=person_id, flow="", state="", data={}, version=0))
            return Session(flow="", state="", data={}, updated_at=None)
        return Session(flow=row.flow, state=row.state, data=row.data or {}, updated_at=row.updated_at)

    @staticmethod
    def _save_session(db: DbSession, person_id: int, session: Session) -> None:
        db.execute(_SAVE_SESSION, {
            "of_person": person_id, "new_flow": session.flow, "new_state": session.state, "new_data": dict(session.data),
            "new_updated_at": session.updated_at,
        })  # fmt: skip

    def _context(self, person: Person, now: datetime, answer: PendingAnswer | None) -> Context:
        settings = self.runtime.settings
        return Context(
            now=now,
            person=replace(person_view(person), pending_answer=answer),
            local_today=local_day(now, timezone_of(person_area(person))),
            new_reference=new_reference,
            gazetteer=self.runtime.gazetteer,
            translators=self.runtime.translators,
            default_locale=settings.default_locale,
            session_timeout=timedelta(minutes=settings.session_timeout_minutes),
            max_text_length=settings.max_text_length,
        )

    def _record_failure(self, envelope: Envelope, error: Exception, now: datetime) -> Outcome:
        """Keep the message as ``failed`` and tell the sender once; the step's own changes stay rolled back."""
        with self.database.transaction() as db:
            identity = self._identity(db, envelope, now)
            message = db.scalar(
                select(InboundMessage).where(
                    InboundMessage.channel == envelope.channel, InboundMessage.external_id == envelope.external_id
                )
            )
            if message is None:
                message = InboundMessage(channel=envelope.channel, external_id=envelope.external_id, received_at=now)
                db.add(message)
            message.person_id = identity.person_id
            message.kind = envelope.inbound.kind.value
            message.text = envelope.inbound.text
            message.payload = envelope.payload
            message.status = "failed"
            message.error = f"{type(error).__name__}: {error}"[:2000]
            db.flush()
            person = db.get(Person, identity.person_id)
            locale = person.locale if person else self.runtime.settings.default_locale
            t = self.runtime.translators[locale]
            sorry = Reply(t("Maaf, ada gangguan di sistem kami. Pesan Anda sudah tersimpan. Silakan coba lagi sebentar lagi."))
            key = f"failed:{envelope.channel}:{envelope.external_id}"
            enqueue_once(db, key=key, identity=identity, reply=sorry, now=now)
            return Outcome("failed", identity.person_id, 1)
