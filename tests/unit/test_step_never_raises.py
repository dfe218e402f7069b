"""``step()`` never raises and always gives a well-formed result, whatever comes in, in any state of any flow.

The sessions come from the transcripts (``tests/transcripts/*.txt``): every turn of every scenario is a
snapshot of a real session with the person it belongs to (roles, households, schedule, cases). States no
transcript reaches are reached from those snapshots by the options each question offers and a few typed
words, and a test checks every state of every flow is in the atlas (a new state without a way to it fails).

Then odd input is fed to each snapshot: text with emoji, lone surrogates, NUL, control characters, right-to-left
marks, 5,000 characters, digits of other scripts; options with unknown keys; photos with and without a file;
voice notes; locations at impossible coordinates; contacts; stickers and other unsupported kinds; and a clock
that moved on (the session expired, a kept draft too old). Hypothesis picks the combinations, seeded
(``derandomize``) and bounded so the suite stays fast; a fixed sweep runs the nastiest inputs in every state.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.areas.service import read_csv
from app.i18n import translators
from conversations import Context, Inbound, InboundKind, MediaRef, PersonView, Reply, RoleView, Session, Step, apply_to_person, step
from conversations.areas import Gazetteer
from conversations.effects import Effect
from conversations.flow import ask_again
from conversations.flows import FLOWS
from tests import transcript

TRANSCRIPTS = Path(__file__).resolve().parent.parent / "transcripts"
PER_STATE = 4
"""Snapshots kept for each (flow, state): enough variety (household, companion, English) and a small atlas."""
EFFECT_TYPES = Effect.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Snapshot:
    """A session as it stood before one turn of a transcript, with the person and clock of that turn."""

    where: str
    session: Session
    person: PersonView
    now: datetime

    def context(self, later: timedelta = timedelta()) -> Context:
        return Context(
            now=self.now + later, person=self.person, gazetteer=_gazetteer(), translators=_translators(),
            new_reference=lambda: "KB-7Q4K2",
        )  # fmt: skip

    @property
    def state(self) -> tuple[str, str]:
        return (self.session.flow, self.session.state)


@cache
def _gazetteer() -> Gazetteer:
    return Gazetteer(read_csv())


@cache
def _translators():  # type: ignore[no-untyped-def]
    return translators()


def _replayed() -> Iterator[Snapshot]:
    """Every turn of every transcript, as the session stood before it (then the session after the last turn)."""
    for path in sorted(TRANSCRIPTS.glob("*.txt")):
        for scenario in transcript.parse(path):
            headers = scenario.headers
            now = datetime.fromisoformat(headers.get("now", "2026-11-23T09:00:00+07:00"))
            person = transcript._person(headers, _gazetteer())
            session = Session()
            for number, turn in enumerate(scenario.turns):
                if turn.startswith("@ "):
                    now += transcript._offset(turn[2:].strip())
                    continue
                person = replace(person, readers=transcript._readers(headers.get("readers", ""), person))
                snapshot = Snapshot(f"{path.stem}: {scenario.title} #{number}", session, person, now)
                yield snapshot
                result = step(session, transcript.inbound_of(turn[1:].strip()), snapshot.context())
                session, person = result.session, transcript._has_written(apply_to_person(person, result.effects))
            yield Snapshot(f"{path.stem}: {scenario.title} (end)", session, person, now)


EXPLORING_WORDS = ("anak", "Melati 3", "1", "2", "ya", "selesai")
"""Typed answers tried from every snapshot when looking for states no transcript reaches ("anak" fits several
PPKS types, "Melati 3" names a new group)."""


def _explored(snapshots: list[Snapshot]) -> Iterator[Snapshot]:
    """One step further from each snapshot: each option its question offers, and a few typed words."""
    for snapshot in snapshots:
        ctx = snapshot.context()
        at_rest = not snapshot.session.flow
        question = FLOWS["menu"].start(snapshot.session, ctx).replies if at_rest else ask_again(snapshot.session, ctx, FLOWS)
        keys = [option.key for reply in question for option in reply.options]
        for inbound in [*(Inbound.option_(key) for key in keys), *(Inbound.text_(word) for word in EXPLORING_WORDS)]:
            result = step(snapshot.session, inbound, ctx)
            person = apply_to_person(snapshot.person, result.effects)
            yield Snapshot(f"{snapshot.where} → {inbound.option or inbound.text}", result.session, person, snapshot.now)


EXPLORING_ROUNDS = 3
MONDAY_9AM = datetime.fromisoformat("2026-11-23T09:00:00+07:00")
SEEDS = (
    Snapshot(
        "an operator at rest (no transcript has one)", Session(),
        PersonView(consented=True, area_code="32.73.07.1001", roles=(RoleView("operator", "32.73.07.1001"),)), MONDAY_9AM,
    ),
)  # fmt: skip


@cache
def atlas() -> tuple[Snapshot, ...]:
    """Up to ``PER_STATE`` snapshots of each (flow, state) and of rest: the seeds, the transcripts, then explored."""
    kept: dict[tuple[str, str], list[Snapshot]] = {}

    def keep(snapshots: Iterator[Snapshot]) -> None:
        for snapshot in snapshots:
            shelf = kept.setdefault(snapshot.state, [])
            if len(shelf) < PER_STATE:
                shelf.append(snapshot)

    keep(iter(SEEDS))
    keep(_replayed())
    for _round in range(EXPLORING_ROUNDS):
        missing = _all_states() - set(kept)
        if not missing:
            break
        keep(s for s in _explored([s for shelf in kept.values() for s in shelf]) if s.state in missing)
    return tuple(s for shelf in kept.values() for s in shelf)


def _all_states() -> set[tuple[str, str]]:
    return {(flow.name, state) for flow in FLOWS.values() for state in flow.states}


def test_every_state_of_every_flow_is_in_the_atlas() -> None:
    reached = {snapshot.state for snapshot in atlas()}
    assert _all_states() - reached == set()
    assert ("", "") in reached and ("menu", "choice") in reached


# --- what comes in ---------------------------------------------------------------------------------------------

NASTY_TEXTS = (
    "", " ", "\n\t ", "\x00", "a\x00b", "\ud800", "kartu \udfff hilang", "😀", "👍🏽", "🇮🇩🇮🇩", "\u200b", "\u202e1",
    "\ufeff2", "a" * 5000, "kartu hilang " * 416, "1" * 5000, "a" * 5001, "0", "00", "-1", "99", "1.5", "1e9",
    "9" * 40, "١", "२", "²", "Ⅻ", "½", "1 2 3 4 5 6 7 8 9 10 11", "1,1,1", "0/0", "31/02", "29/2", "32/13/2026",
    "0000-00-00", "99.99", "25:61", "jam 99", "KB-7Q4K2", "kb 22222", "KB-ZZZZZ KB-22222", "DAFTAR AB23CD45", "daftar",
    "daftar nama saya belum ada", "/start", "/start AB23CD45", "menu", "batal", "bantuan", "english", "indonesia",
    "berhenti", "mulai", "bahasa", "ganti desa", "lapor", "status", "selesai", "sudah", "ya", "tidak", "lewati",
    "+6281200000004", "0812-0000-0004", "+999999999999999999", "RT 999/RW 999", "%s %d {x} {0}", "{reference}",
    "<script>alert(1)</script>", "'; DROP TABLE cases; --", "\\", "ǅ", "İSTANBUL", "ß", "ﬀ", "Ａ１",
)  # fmt: skip
"""Text that has broken parsers before: empty and invisible, control and surrogate characters, too long,
numbers in other scripts and impossible dates and times, codes, global words, format strings."""

UNKNOWN_OPTION_KEYS = (
    "", ":", "menu:", "menu:nope", "cat:", "cat:nope", "case:", "case:KB-ZZZZZ", "group:", "group:abc", "group:999",
    "group:-1", "lang:xx", "role:admin", "role:", "ppks:", "ppks:nope", "act:", "act:nope", "resume:maybe",
    "consent:maybe", "meeting:abc", "answer:7:maybe", "area:99.99.99.9999", "area:", "x" * 500, "\x00", "\ud800",
)  # fmt: skip
"""Keys no question offers: empty, half, unknown values, numbers where a name goes and the reverse."""

texts = st.one_of(
    st.sampled_from(NASTY_TEXTS),
    st.text(st.characters(codec=None, categories=None), max_size=40),  # any code point, lone surrogates too
    st.text(st.sampled_from("0123456789 ./-:,"), max_size=12),  # things that look like numbers, dates, times
    st.lists(st.sampled_from(NASTY_TEXTS[40:]), max_size=4).map(" ".join),  # words that mean something, mixed
)
media = st.one_of(st.none(), st.builds(MediaRef, st.sampled_from(("sha256:ab", "", "simulator:x.jpg")), st.text(max_size=12)))
coordinates = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.floats(-90, 90))


def inbounds(offered: tuple[str, ...] = ()) -> st.SearchStrategy[Inbound]:
    """Any inbound; an option is one ``offered`` by the question (chosen sensibly) or an unknown key."""
    keys = st.sampled_from(offered + UNKNOWN_OPTION_KEYS)
    return st.one_of(
        texts.map(Inbound.text_),
        keys.map(Inbound.option_),
        st.builds(Inbound, kind=st.just(InboundKind.PHOTO), media=media, text=texts),
        st.builds(Inbound, kind=st.just(InboundKind.VOICE), media=media, text=texts),
        st.builds(Inbound, kind=st.just(InboundKind.LOCATION), latitude=coordinates, longitude=coordinates),
        st.builds(Inbound, kind=st.just(InboundKind.CONTACT), contact_phone=texts, text=texts),
        st.builds(
            Inbound, kind=st.just(InboundKind.UNSUPPORTED),
            unsupported=st.sampled_from(("sticker", "edited", "too_large", "video", "poll", "", "\x00")),
        ),  # fmt: skip
        st.builds(Inbound, kind=st.just(InboundKind.TEXT), text=texts, referral=texts),
    )


LATER = (timedelta(), timedelta(seconds=1), timedelta(minutes=31), timedelta(hours=25), timedelta(days=400), -timedelta(hours=2))
"""How long after the snapshot the message comes: at once, after the session expired, after a kept draft
is too old, and a clock that went back."""


# --- what must come out ----------------------------------------------------------------------------------------


def assert_well_formed(result: Step, ctx: Context) -> None:
    """What the shell relies on: a known state, JSON-storable data, replies with text, unique option keys,
    known effects, no jump left to follow, and an answer (a reply, or an effect the shell answers with)."""
    assert isinstance(result, Step)
    session = result.session
    assert isinstance(session, Session) and session.updated_at == ctx.now
    if session.flow:
        assert session.flow in FLOWS and session.state in FLOWS[session.flow].states, (session.flow, session.state)
    else:
        assert session.state == ""
    json.loads(json.dumps(dict(session.data), allow_nan=False))
    assert isinstance(result.replies, tuple) and all(isinstance(reply, Reply) for reply in result.replies)
    for reply in result.replies:
        assert isinstance(reply.text, str) and (reply.text.strip() or reply.media), reply
        keys = [option.key for option in reply.options]
        assert len(keys) == len(set(keys)), keys
        assert all(isinstance(option.label, str) and option.label.strip() for option in reply.options), reply.options
    assert all(isinstance(effect, EFFECT_TYPES) for effect in result.effects), result.effects
    assert result.start_flow == "" and not result.reask
    assert result.replies or result.effects


def offered(snapshot: Snapshot) -> tuple[str, ...]:
    """The option keys the snapshot's pending question offers (at rest: the menu's)."""
    ctx = snapshot.context()
    at_rest = not snapshot.session.flow
    question = FLOWS["menu"].start(snapshot.session, ctx).replies if at_rest else ask_again(snapshot.session, ctx, FLOWS)
    return tuple(option.key for reply in question for option in reply.options)


@st.composite
def conversations_(draw: st.DrawFn) -> tuple[Snapshot, list[tuple[timedelta, Inbound]]]:
    snapshot = draw(st.sampled_from(atlas()))
    messages = draw(st.lists(st.tuples(st.sampled_from(LATER), inbounds(offered(snapshot))), min_size=1, max_size=3))
    return snapshot, messages


@settings(max_examples=int(__import__("os").environ.get("HX", 300)), derandomize=not __import__("os").environ.get("HX"), database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conversations_())
def test_step_never_raises_and_answers_well_formed(conversation) -> None:  # type: ignore[no-untyped-def]
    """One to three messages in a row from a snapshot, each checked; the session and person carry over."""
    snapshot, messages = conversation
    session, person, now = snapshot.session, snapshot.person, snapshot.now
    for later, inbound in messages:
        now += later
        ctx = replace(Snapshot(snapshot.where, session, person, now).context())
        result = step(session, inbound, ctx)
        assert_well_formed(result, ctx)
        session, person = result.session, apply_to_person(person, result.effects)


SWEEP = (
    Inbound.text_("\x00"), Inbound.text_("\ud800"), Inbound.text_("😀"), Inbound.text_("a" * 5000),
    Inbound.text_("9" * 40), Inbound.text_("1" * 5000), Inbound.text_("1" * 4400 + " 2"), Inbound.text_("31/02"),
    Inbound.text_("rp " + "9" * 400), Inbound.text_("9" * 400 + " ribu"), Inbound.text_("sudah " + "1" * 4400 + " tahun"),
    Inbound.text_("RT " + "1" * 4400 + " RW 2"), Inbound.text_("²"), Inbound.text_("3 ² hari"), Inbound.text_("²²"), Inbound.text_("١"), Inbound.text_("KB-ZZZZZ"),
    Inbound.option_("group:abc"), Inbound.option_(""), Inbound.option_("case:KB-ZZZZZ"),
    Inbound(kind=InboundKind.PHOTO), Inbound(kind=InboundKind.VOICE, media=MediaRef("")),
    Inbound(kind=InboundKind.LOCATION, latitude=math.nan, longitude=math.inf), Inbound(kind=InboundKind.LOCATION),
    Inbound(kind=InboundKind.CONTACT, contact_phone="\x00"), Inbound(kind=InboundKind.UNSUPPORTED),
)  # fmt: skip
"""The nastiest inputs, each tried in every snapshot (Hypothesis samples the rest)."""


@pytest.mark.parametrize("snapshot", atlas(), ids=lambda s: "/".join(s.state) or "rest")
def test_the_nastiest_inputs_in_every_state(snapshot: Snapshot) -> None:
    for later in (timedelta(), timedelta(minutes=31)):
        ctx = snapshot.context(later)
        for inbound in SWEEP:
            assert_well_formed(step(snapshot.session, inbound, ctx), ctx)
