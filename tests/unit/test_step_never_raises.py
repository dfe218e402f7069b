"""``step()`` never raises and always answers, whatever comes in, in any state of any flow.

The states are real ones: every scenario of ``tests/transcripts/*.txt`` is replayed and the session after
each turn kept, with the person and the clock of that moment; the few states no scenario reaches are walked
to from their flow's start. Hypothesis then sends anything a channel can deliver — text of any unicode
(lone surrogates, control characters, right-to-left marks), numbers, words the flows know, empty and over-long
text, tapped options real and made up, photos and voice notes with or without a stored file or caption,
locations (also NaN and infinite), contacts, stickers and other unsupported kinds — optionally later (an
expired session), and keeps walking with the options the engine offered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations import (
    Context,
    Inbound,
    InboundKind,
    MediaRef,
    PersonView,
    RoleView,
    Session,
    apply_to_person,
    step,
)
from conversations.effects import SendDigest, SendWebLink
from conversations.flow import ask_again
from conversations.flows import FLOWS
from conversations.types import Reply, Step
from tests.transcript import _has_written, _offset, _person, _readers, inbound_of, parse

TRANSCRIPTS = sorted((Path(__file__).resolve().parent.parent / "transcripts").glob("*.txt"))
MAX_TEXT = 5000


@dataclass(frozen=True)
class Moment:
    """A session with the person and the time it was left at."""

    session: Session
    person: PersonView
    now: datetime


def _context(moment: Moment, gazetteer, translators) -> Context:  # type: ignore[no-untyped-def]
    return Context(now=moment.now, person=moment.person, gazetteer=gazetteer, translators=translators,
                   new_reference=lambda: "KB-7Q4K2", max_text_length=MAX_TEXT)  # fmt: skip


def _advance(moment: Moment, inbound: Inbound, gazetteer, translators) -> tuple[Moment, Step]:  # type: ignore[no-untyped-def]
    result = step(moment.session, inbound, _context(moment, gazetteer, translators))
    person = _has_written(apply_to_person(moment.person, result.effects))
    return Moment(result.session, person, moment.now + timedelta(seconds=1)), result


def _answered(result: Step) -> bool:
    """A reply, or an effect that is the answer itself (the digest, the sign-in link are sent by the shell)."""
    return all(reply.text.strip() for reply in result.replies) and bool(
        result.replies or any(isinstance(e, (SendDigest, SendWebLink)) for e in result.effects)
    )


def _replayed(gazetteer, translators) -> list[Moment]:  # type: ignore[no-untyped-def]
    """The session after every turn of every transcript scenario (and before the first)."""
    moments = []
    for path in TRANSCRIPTS:
        for scenario in parse(path):
            headers = scenario.headers
            now = datetime.fromisoformat(headers.get("now", "2026-11-23T09:00:00+07:00"))
            moment = Moment(Session(), _person(headers, gazetteer), now)
            moments.append(moment)
            for turn in scenario.turns:
                if turn.startswith("@ "):
                    moment = replace(moment, now=moment.now + _offset(turn[2:].strip()))
                    continue
                moment = replace(moment, person=replace(moment.person, readers=_readers(headers.get("readers", ""), moment.person)))
                moment, _result = _advance(moment, inbound_of(turn[1:].strip()), gazetteer, translators)
                moments.append(moment)
    return moments


def _walked(moments: list[Moment], gazetteer, translators) -> list[Moment]:  # type: ignore[no-untyped-def]
    """States no scenario reaches, walked to from their flow's start by the people who may use them."""
    now = datetime.fromisoformat("2026-11-23T09:00:00+07:00")
    operator = PersonView(consented=True, area_code="32.73.07.1001", roles=(RoleView("operator", "32.73.07.1001"),))
    facilitator = next(m.person for m in moments if m.person.schedule is not None and m.person.schedule.groups)
    walked = []
    for person, flow, answers in (
        (operator, "invite", ()),
        (facilitator, "group_members", ()),
        (facilitator, "group_members", (Inbound.option_("group:new"),)),
        (facilitator, "group_members", (Inbound.option_(f"group:{facilitator.schedule.groups[0].id}"),)),  # type: ignore[union-attr]
    ):
        started = FLOWS[flow].start(Session(updated_at=now), _context(Moment(Session(), person, now), gazetteer, translators))
        moment = Moment(replace(started.session, updated_at=now), person, now)
        for answer in answers:
            moment, _result = _advance(moment, answer, gazetteer, translators)
        walked.append(moment)
    for moment in [m for m in moments if (m.session.flow, m.session.state) == ("new_case", "ppks")][:1]:
        walked.append(_advance(moment, Inbound.text_("anak"), gazetteer, translators)[0])  # several kinds fit
    return walked


@pytest.fixture(scope="module")
def moments(gazetteer, catalog_translators) -> list[Moment]:  # type: ignore[no-untyped-def]
    replayed = _replayed(gazetteer, catalog_translators)
    return replayed + _walked(replayed, gazetteer, catalog_translators)


def test_the_states_cover_every_state_of_every_flow(moments) -> None:  # type: ignore[no-untyped-def]
    every = {(name, state) for name, flow in FLOWS.items() for state in flow.states}
    reached = {(m.session.flow, m.session.state) for m in moments}
    assert every - reached == set()


KNOWN_WORDS = (
    "1", "2", "3", "4", "5", "9", "0", "00", "12", "99", "-1", "1.5", "1e9", "ya", "tidak", "iya pak", "gak ada",
    "simpan", "batal", "menu", "bantuan", "english", "indonesia", "bahasa", "berhenti", "mulai", "status", "cek",
    "daftar", "daftar saya bu", "DAFTAR AB23CD45", "web", "ringkasan", "wilayah", "kembali", "lanjut", "semua",
    "besok", "lusa", "hari ini", "kemarin", "senin", "31/2", "12/12/2026", "2026-13-45", "09.00", "25:99",
    "08.00-12.00", "jam 7 pagi", "KB-7Q4K2", "kb 22222", "08123456789", "+6281234567890", "pasteur", "sukajadi",
    "bandarkedungmulyo", "brodot", "kartu kks hilang", "saldo kosong", "anak", "lansia", "Rp 50.000", "50rb",
    "Bu Ani", "Mawar 1", "selesai", "hadir", "berhalangan", "2 5", "1,3", "semua hadir", "🙏", "👍",
)
_ANY_CHARACTER = st.characters(exclude_categories=())  # lone surrogates and control characters too
_TEXT = st.one_of(
    st.text(_ANY_CHARACTER, max_size=40),
    st.lists(st.sampled_from(KNOWN_WORDS), min_size=1, max_size=4).map(" ".join),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
    st.sampled_from(("", " ", "\n\t", "\u200b", "\u202e", "\x00", "\ud800", "a" * MAX_TEXT, "a" * (MAX_TEXT + 1), "🙏" * 3)),
)
_MEDIA = st.one_of(st.none(), st.builds(MediaRef, st.sampled_from(("sha256:ab12", "")), st.sampled_from(("image/jpeg", "audio/ogg", ""))))
_COORDINATE = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))
_MADE_UP_KEYS = st.one_of(
    st.text(_ANY_CHARACTER, max_size=20),
    st.sampled_from(("case:KB-ZZZZZ", "lang:xx", "group:999", "group:x", "consent:maybe", "confirm:save", "menu:", ":", "day:2026-02-31")),
)
INBOUNDS = st.one_of(
    _TEXT.map(Inbound.text_),
    _MADE_UP_KEYS.map(Inbound.option_),
    st.builds(Inbound, kind=st.sampled_from((InboundKind.PHOTO, InboundKind.VOICE)), text=_TEXT, media=_MEDIA),
    st.builds(Inbound, kind=st.just(InboundKind.LOCATION), latitude=_COORDINATE, longitude=_COORDINATE),
    st.builds(Inbound, kind=st.just(InboundKind.CONTACT), contact_phone=_TEXT),
    st.builds(
        Inbound, kind=st.just(InboundKind.UNSUPPORTED),
        unsupported=st.sampled_from(("sticker", "edited", "too_large", "video", "poll", "", "document")),
    ),
    st.builds(Inbound, kind=st.just(InboundKind.TEXT), text=_TEXT, referral=_TEXT),
)
LATER = st.sampled_from((timedelta(0), timedelta(minutes=31), timedelta(hours=25), timedelta(days=40)))


def _without_what_was_there(person: PersonView) -> PersonView:
    """Between two messages a meeting was moved away or deleted, a case handed to someone else, a report closed."""
    schedule = person.schedule and replace(person.schedule, meetings=(), groups=(), agents=())
    return replace(person, schedule=schedule, work=(), cases=(), households=(), pending_answer=None)


def _offered(replies: tuple[Reply, ...]) -> list[Inbound]:
    """What a person could send next from what was shown: each option tapped, and its number typed."""
    options = [option for reply in replies for option in reply.options]
    return [Inbound.option_(o.key) for o in options] + [Inbound.text_(str(n)) for n in range(1, len(options) + 1)]


def _answers(replies: tuple[Reply, ...], data: st.DataObject) -> Inbound:
    offered = _offered(replies)
    follow: bool = data.draw(st.booleans(), label="follow an offered option")
    if offered and follow:
        return data.draw(st.sampled_from(offered), label="offered")
    return data.draw(INBOUNDS, label="inbound")


@settings(max_examples=250, derandomize=True, deadline=None, database=None)
@given(data=st.data())
def test_step_never_raises_and_always_answers(moments, gazetteer, catalog_translators, data) -> None:  # type: ignore[no-untyped-def]
    moment = data.draw(st.sampled_from(moments), label="state")
    moment = replace(moment, now=moment.now + data.draw(LATER, label="later"))
    if data.draw(st.booleans(), label="in English"):
        moment = replace(moment, person=replace(moment.person, locale="en"))
    if data.draw(st.booleans(), label="the world changed meanwhile"):
        moment = replace(moment, person=_without_what_was_there(moment.person))
    pending = ask_again(moment.session, _context(moment, gazetteer, catalog_translators), FLOWS)
    for _turn in range(data.draw(st.integers(1, 4), label="turns")):
        inbound = _answers(pending, data)
        moment, result = _advance(moment, inbound, gazetteer, catalog_translators)
        assert _answered(result), f"no reply to {inbound!r}"
        started_over = {translate(START_OVER) for translate in catalog_translators.values()}
        assert not started_over & {reply.text for reply in result.replies}, "a state reached by real answers lacked its data"
        pending = result.replies


START_OVER = "Maaf, pertanyaan sebelumnya tidak bisa dilanjutkan, jadi kita mulai lagi dari menu."


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_state_answers_each_kind_of_inbound(moments, gazetteer, catalog_translators, name: str) -> None:  # type: ignore[no-untyped-def]
    """Not left to chance: each state of each flow, with one inbound of every kind, answers without raising."""
    inbounds = (
        Inbound.text_("apa ini"), Inbound.text_("\ud800"), Inbound.text_("a" * (MAX_TEXT + 1)), Inbound.text_(""),
        Inbound.option_("nothing:here"), Inbound(kind=InboundKind.PHOTO), Inbound(kind=InboundKind.VOICE, media=MediaRef("sha256:v")),
        Inbound(kind=InboundKind.LOCATION, latitude=math.nan, longitude=math.inf), Inbound(kind=InboundKind.CONTACT),
        Inbound(kind=InboundKind.UNSUPPORTED, unsupported="sticker"),
    )  # fmt: skip
    states = {m.session.state: m for m in moments if m.session.flow == name}
    for moment in states.values():
        for inbound in inbounds:
            _moment, result = _advance(moment, inbound, gazetteer, catalog_translators)
            assert _answered(result), f"{name}/{moment.session.state}: no reply to {inbound!r}"


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_a_state_saved_without_its_data_starts_over(moments, gazetteer, catalog_translators, name: str) -> None:  # type: ignore[no-untyped-def]
    """A session row written by an older version (its state's data missing) is not a crash on every message
    until it expires: the person hears that we start again, at the menu, and a kept report draft stays."""
    person = next((m.person for m in moments if m.session.flow == name), moments[0].person)
    now = datetime.fromisoformat("2026-11-23T09:00:00+07:00")
    draft = {"state": "q:story", "data": {"category": "kks_lost"}, "saved_at": now.isoformat()}
    for state in FLOWS[name].states:
        for inbound in (Inbound.text_("1"), Inbound.text_("apa ini"), Inbound.option_("x:y"), Inbound.text_("")):
            moment = Moment(Session(name, state, {"draft": draft}, updated_at=now), person, now)
            _moment, result = _advance(moment, inbound, gazetteer, catalog_translators)
            assert result.replies, f"{name}/{state}: no reply to {inbound!r}"
            assert _moment.session.data.get("draft") == draft or _moment.session.flow == "report"
