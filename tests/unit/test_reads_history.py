"""The shell loads a person's households and reports only when a step may read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conversations import Context, Inbound, PersonView, RoleView, Session
from conversations.engine import reads_history, reads_schedule


@pytest.fixture
def ctx(gazetteer, catalog_translators):  # type: ignore[no-untyped-def]
    def make(locale: str = "id") -> Context:
        person = PersonView(locale=locale, consented=True, area_code="32.73.07.1001")
        return Context(now=datetime(2026, 11, 23, tzinfo=UTC), person=person, gazetteer=gazetteer, translators=catalog_translators)

    return make


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1", "id", True),  # the report entry
        ("2", "id", True),  # status
        ("cek status", "id", True),
        ("check my report", "en", True),
        ("KB-7Q4K2", "id", True),
        ("kartu saya ilang", "id", True),
        ("3", "id", True),  # the schedule
        ("jadwal", "id", True),
        ("4", "id", False),
        ("halo", "id", False),
        ("menu", "id", False),
    ],
)
def test_at_rest(ctx, text: str, locale: str, expected: bool) -> None:  # type: ignore[no-untyped-def]
    assert reads_history(Session(), Inbound.text_(text), ctx(locale)) is expected


def test_a_tapped_menu_entry(ctx) -> None:  # type: ignore[no-untyped-def]
    assert reads_history(Session(), Inbound.option_("menu:schedule"), ctx())
    assert not reads_history(Session(), Inbound.option_("menu:language"), ctx())


def test_inside_flows(ctx) -> None:  # type: ignore[no-untyped-def]
    assert reads_history(Session(flow="report", state="category"), Inbound.text_("4"), ctx())
    assert not reads_history(Session(flow="area", state="query"), Inbound.text_("pasteur"), ctx())
    for flow in ("schedule", "plan_meeting", "my_meetings", "attendance", "ewarong_visit"):
        assert reads_history(Session(flow=flow, state="any"), Inbound.text_("1"), ctx())


def test_the_ewarong_visit_entry_of_a_tksk(gazetteer, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    person = PersonView(consented=True, area_code="35.17.18.2001", roles=(RoleView("tksk", "35.17.18"),))
    tksk = Context(now=datetime(2026, 11, 23, tzinfo=UTC), person=person, gazetteer=gazetteer, translators=catalog_translators)
    assert reads_history(Session(), Inbound.text_("5"), tksk)  # Kunjungan e-Warong: the villages and agents
    assert reads_history(Session(), Inbound.option_("menu:ewarong_visit"), tksk)


def test_the_schedule_is_not_read_inside_a_report_a_status_check_or_a_case(ctx) -> None:  # type: ignore[no-untyped-def]
    now = ctx().now
    for flow in ("report", "status", "cases"):
        assert not reads_schedule(Session(flow=flow, state="x", updated_at=now), ctx())
    assert reads_schedule(Session(flow="schedule", state="list", updated_at=now), ctx())
    assert reads_schedule(Session(), ctx())  # at rest any menu choice may follow, the schedule among them


def test_an_expired_report_is_at_rest_again_so_the_schedule_may_be_chosen(ctx) -> None:  # type: ignore[no-untyped-def]
    context = ctx()
    stale = Session(flow="report", state="category", updated_at=context.now - context.session_timeout - timedelta(minutes=1))
    assert reads_schedule(stale, context)


def test_status_in_the_middle_of_any_question_reads_the_reports(ctx, gazetteer, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    choosing_a_village = Session(flow="area", state="query")
    assert reads_history(choosing_a_village, Inbound.text_("status"), ctx())
    assert reads_history(Session(flow="language", state="choice"), Inbound.text_("Cek Status"), ctx())
    assert not reads_history(choosing_a_village, Inbound.text_("kasus saya"), ctx())  # a household's words only
    person = PersonView(consented=True, area_code="32.73.07.1001", roles=(RoleView("operator", "32.73.07.1001"),))
    operator = Context(now=datetime(2026, 11, 23, tzinfo=UTC), person=person, gazetteer=gazetteer, translators=catalog_translators)
    assert reads_history(Session(flow="new_case", state="source"), Inbound.text_("kasus saya"), operator)


def test_a_ticket_code_or_a_report_question_in_the_middle_of_a_question_reads_the_reports(ctx) -> None:  # type: ignore[no-untyped-def]
    choosing_a_village = Session(flow="area", state="query")
    assert reads_history(choosing_a_village, Inbound.text_("kb 7q4k2"), ctx())
    assert reads_history(choosing_a_village, Inbound.text_("kartu saya sudah jadi belum ya"), ctx())
    assert not reads_history(choosing_a_village, Inbound.text_("pasteur"), ctx())
