"""``app.group_commit``: steps handed in together are committed in one transaction, each caller gets its own
result, and one step's bug fails that step only. SQLite, and PostgreSQL when configured."""

from __future__ import annotations

import asyncio

from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.db import Database
from app.group_commit import GroupCommit
from app.models import AuditEntry
from tests.conftest import FIXED_NOW

DATABASE_ERRORS = (OperationalError,)


def audit(action: str):  # type: ignore[no-untyped-def]
    def step(db: Session) -> str:
        db.add(AuditEntry(at=FIXED_NOW, actor_person_id=None, action=action, subject_type="test", subject_id="1"))
        db.flush()
        return action

    return step


def actions(database: Database) -> list[str]:
    with database.transaction() as db:
        return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def transactions_of(database: Database, work) -> int:  # type: ignore[no-untyped-def]
    begun: list[int] = []
    listener = lambda connection: begun.append(1)  # noqa: E731
    event.listen(database.engine, "begin", listener)
    try:
        asyncio.run(work())
    finally:
        event.remove(database.engine, "begin", listener)
    return len(begun)


def test_steps_handed_in_together_share_one_transaction_and_keep_their_order(database: Database) -> None:
    group = GroupCommit(database, DATABASE_ERRORS)
    results: list[str] = []

    async def work() -> None:
        results.extend(await asyncio.gather(*(group.write(audit(f"step {n}")) for n in range(5))))

    assert transactions_of(database, work) == 1
    assert results == [f"step {n}" for n in range(5)]
    assert actions(database) == [f"step {n}" for n in range(5)]


def test_a_step_alone_is_written_at_once(database: Database) -> None:
    group = GroupCommit(database, DATABASE_ERRORS)

    async def work() -> None:
        assert await group.write(audit("first")) == "first"
        assert actions(database) == ["first"]  # committed before the caller goes on
        assert await group.write(audit("second")) == "second"

    assert transactions_of(database, work) == 3  # two writes and the look in between


def test_a_failing_step_fails_alone_and_the_others_are_kept(database: Database) -> None:
    group = GroupCommit(database, DATABASE_ERRORS)

    def broken(db: Session) -> None:
        db.add(AuditEntry(at=FIXED_NOW, actor_person_id=None, action="half-written", subject_type="test", subject_id="1"))
        db.flush()
        raise ValueError("a bug in one step")

    async def work() -> list[object]:
        return await asyncio.gather(group.write(audit("before")), group.write(broken), group.write(audit("after")),
                                    return_exceptions=True)  # fmt: skip

    outcomes = asyncio.run(work())
    assert outcomes[0] == "before" and outcomes[2] == "after"
    assert isinstance(outcomes[1], ValueError)
    assert actions(database) == ["before", "after"]  # nothing of the broken step


def test_a_database_error_fails_every_step_of_the_group_so_each_can_be_handed_in_again(database: Database) -> None:
    group = GroupCommit(database, DATABASE_ERRORS)

    def stalled(db: Session) -> None:
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    async def work() -> list[object]:
        return await asyncio.gather(group.write(audit("kept?")), group.write(stalled), return_exceptions=True)

    outcomes = asyncio.run(work())
    assert all(isinstance(outcome, OperationalError) for outcome in outcomes)
    assert actions(database) == []  # the group was rolled back whole: the caller writes it again

    async def again() -> str:
        return await group.write(audit("kept?"))

    assert asyncio.run(again()) == "kept?"
    assert actions(database) == ["kept?"]


def test_a_caller_cancelled_while_its_group_is_written_leaves_the_others_their_results(database: Database) -> None:
    group = GroupCommit(database, DATABASE_ERRORS)

    async def work() -> tuple[str, bool]:
        leaving = asyncio.ensure_future(group.write(audit("left")))
        staying = asyncio.ensure_future(group.write(audit("stayed")))
        await asyncio.sleep(0)  # both handed in, the group being written
        leaving.cancel()
        return await staying, leaving.cancelled()

    assert asyncio.run(work()) == ("stayed", True)
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(AuditEntry)) == 2  # the write went on: both are in
