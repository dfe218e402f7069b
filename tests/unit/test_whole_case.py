"""A companion opens a case and sees it whole: the household's phone, who filed it and how, the answers and the
household's own words, the story, plan and partners, photos and voice notes, costs, the follow-up and the notes
timeline, in pages of at most 1,200 characters; after each action the case's own actions come back.

The scenarios are in ``whole_case.txt`` (the transcript format of ``tests/transcript.py``), played against the
pure engine with the whole cases below, which the transcript headers cannot describe. Rewrite with
``pytest tests/unit/test_whole_case.py --update-transcripts``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from conversations import Context, PersonView, RoleView, Session, apply_to_person, step
from conversations.flows import cases
from conversations.types import CaseNoteView, ContactView, MediaRef, WorkCaseView
from tests.transcript import Scenario, inbound_of, parse, render_replies, rewrite

FILE = Path(__file__).with_name("whole_case.txt")
PHOTO, VOICE = MediaRef("sha256:photo", "image/jpeg"), MediaRef("sha256:voice", "audio/ogg")
STORY = (
    "Mbah Sarinah tinggal sendiri di rumah bambu di ujung gang sejak suaminya meninggal tiga tahun lalu. "
    "Anaknya merantau ke Surabaya dan jarang pulang; tetangga kadang mengantar nasi. Kakinya bengkak sejak "
    "bulan lalu sehingga tidak bisa berjalan ke warung atau ke e-Warong, dan kartu KKS-nya dipegang keponakan. "
) * 4

WATI = WorkCaseView(
    "KB-AB2CD", "kks_lost", "in_progress", "Bu Wati", "Bandarkedungmulyo", procedure_step="police",
    follow_up="2026-11-25", answers={"has_letter": "no", "message": "kartu saya hilang bu, dompetnya jatuh di pasar"},
    tracks_steps=True, kind="kpm_report", detailed=True,
    contact=ContactView("+62 812-0000-0004", "tel:+6281200000004", "https://wa.me/6281200000004"),
    rt="003", rw="005", filed_as="household", opened_at="2026-11-20T08:12", media=(PHOTO, MediaRef("sha256:unknown")),
    notes=(
        CaseNoteView("2026-11-20T10:15", "Bu Rina", "status_changed", status="in_progress", step="police"),
        CaseNoteView("2026-11-21T13:40", "Bu Rina", "note_added", "Sudah ke Polsek bersama Bu Wati", media=(VOICE,)),
        CaseNoteView("2026-11-21T13:41", "Bu Rina", "cost_recorded", "25000 ongkos ojek", value="25000"),
        CaseNoteView("2026-11-21T13:42", "Bu Rina", "follow_up_set", value="2026-11-25"),
        CaseNoteView("2026-11-22T07:05", "Bu Wati", "report_attached", "Kapan kartunya jadi bu?"),
    ),
    personal_costs=25000,
)  # fmt: skip
SARINAH = WorkCaseView(
    "KB-EF3GH", "ppks:08", "new", "Mbah Sarinah", "Bandarkedungmulyo", follow_up="2026-11-20", overdue=True,
    kind="companion_case", detailed=True, rt="003", rw="005", filed_as="companion", filed_by="Bu Rina",
    opened_at="2026-11-19T16:30", source="family", story=STORY, planned_steps="Antar ke Puskesmas, ajukan ke Dinas Sosial",
    partners=("rt_rw", "tksk", "dinkes"),
    notes=(
        CaseNoteView("2026-11-19T17:00", "Bu Rina", "consent_recorded", "Pak Darto (keponakan)"),
        CaseNoteView("2026-11-20T09:00", "Bu Rina", "handed_over", value="Pak Joko"),
    ),
)  # fmt: skip
WORK = (WATI, SARINAH)


def _person() -> PersonView:
    return PersonView(
        locale="id", consented=True, area_code="35.17.18.2001", roles=(RoleView("tksk", "35.17.18"),),
        display_name="Bu Rina", work=WORK,
    )  # fmt: skip


def _context(person: PersonView, gazetteer, translators) -> Context:  # type: ignore[no-untyped-def]
    return Context(now=datetime(2026, 11, 23, 2), person=person, gazetteer=gazetteer, translators=translators)


def play(scenario: Scenario, gazetteer, translators) -> str:  # type: ignore[no-untyped-def]
    now = datetime.fromisoformat(scenario.headers.get("now", "2026-11-23T09:00:00+07:00"))
    person, session = _person(), Session()
    lines = [f"=== {scenario.title}", *(f"{k}: {v}" for k, v in scenario.headers.items()), ""]
    for turn in scenario.turns:
        ctx = Context(now=now, person=person, gazetteer=gazetteer, translators=translators)
        result = step(session, inbound_of(turn[1:].strip()), ctx)
        session, person = result.session, apply_to_person(person, result.effects)
        lines += [turn.rstrip(), *render_replies(result.replies), *(f"! {e!r}" for e in result.effects), ""]
    return "\n".join(lines).rstrip() + "\n"


SCENARIOS = parse(FILE)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.title for s in SCENARIOS])
def test_whole_case(scenario: Scenario, gazetteer, catalog_translators, request) -> None:  # type: ignore[no-untyped-def]
    rendered = play(scenario, gazetteer, catalog_translators)
    if request.config.getoption("--update-transcripts"):
        rewrite(FILE, {scenario.title: rendered})
        return
    assert rendered == scenario.text


def test_every_page_fits_and_nothing_is_lost(gazetteer, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    ctx = _context(_person(), gazetteer, catalog_translators)
    pages = cases.case_pages(SARINAH, ctx)
    assert len(pages) >= 2
    shown = [cases.shown_page(SARINAH, ctx, n)[0].text for n in range(len(pages))]
    assert all(len(text) <= cases.PAGE_CHARS for text in shown)
    whole = " ".join(cases.case_lines(SARINAH, ctx)).split()
    assert " ".join(line for page in pages for line in page).split() == whole  # split at words, nothing lost


def test_the_phone_is_shown_only_when_the_shell_gives_it(gazetteer, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    """A companion who is not the assignee nor an operator of the area gets the view without ``contact``."""
    ctx = _context(replace(_person(), work=(replace(WATI, contact=None),)), gazetteer, catalog_translators)
    opened = cases.open_case(Session(), ctx, "KB-AB2CD")
    assert "HP:" not in opened.replies[0].text and "wa.me" not in opened.replies[0].text
    assert opened.effects == ()  # nothing shown, nothing to audit


def test_asked_again_the_case_comes_without_the_phone(gazetteer, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    """Asking the pending question again (another language) cannot write the audit line, so it leaves the phone out."""
    ctx = _context(_person(), gazetteer, catalog_translators)
    session = Session().at("cases", "case", reference="KB-AB2CD", page=0)
    page, actions = cases.ask_case(session, ctx)
    assert "HP:" not in page.text and "Keluarga: Bu Wati (RT 003/RW 005)" in page.text
    assert actions.text == "Apa yang mau dicatat?"
