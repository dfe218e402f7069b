"""Readable transcript files for flows, replayed against the pure engine with a fixed clock.

A file holds scenarios. Each starts with ``=== title``, then header lines, then turns::

    === First contact in Indonesian
    now: 2026-11-23T09:00:00+07:00
    person: new                 # or: consented; add "locale: en", "area: 32.73.07.1001", "roles: tksk@35.17.18"

    > halo                      # the person says (or [option KEY], [photo], [voice], [sticker],
    < Selamat datang …          #   [location LAT LON], [empty], [long N])
    <   1. Setuju               # the bot's replies; options numbered; "< --" separates two replies
    ! GiveConsent()             # the effects of that turn
    @ +45m                      # the clock moves on

Schedule data (``PersonView.schedule`` and ``pending_answer``) has its own headers, one line each;
items are separated by ``;``, fields by ``:``, and times written as people write them (``09.00``)::

    groups: 3:Mawar 1:32.73.16.1002:11=Bu Ani,12=Pak Dedi:no,13=Bu Rina:yes
    meetings: 7:p2k2:32.73.16.1002:2026-12-05:09.00:Rumah Bu Ani:Mawar 1:economy/finances:mine
    villages: 35.17.18.2001=Bandarkedungmulyo; 35.17.18.2006=Brodot
    agents: 4:e-Warong Makmur:35.17.18.2006:Jl. Raya Brodot 12
    pending: 7:P2K2 Sabtu 5 Desember:fresh

- a group is id:name:village:members, each member household-id=name with ``:yes`` or ``:no``
  when they answered the reminder;
- a meeting is id:kind:village:day:time (``09.00``, or hours ``08.00-12.00``):place:who:topic:flags,
  where who is the group (P2K2; its members come from ``groups``) or the agent (distribution),
  topic is module/session, and flags are any of ``mine`` (organized by me), ``cancelled``, ``held``;
- an agent is id:name:village:address; pending is meeting-id:label and ``:fresh`` when the
  reminder is the last thing in the chat (it stops being fresh after the first turn).

``listed: 0812-0000-0001=12:Bu Sari:32.73.07.1001:003:005`` is a household on the list: when a companion filing
for a household types that number, the step is told of it (``Context.household_named``), as the shell does.

A meeting's village name comes from the area list. Without any of these headers the schedule is
not loaded (``None``), as the shell does when ``reads_history`` is False.

Run ``pytest --update-transcripts`` to rewrite the files from the engine; the diff is the review.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from conversations import Context, Inbound, InboundKind, MediaRef, PersonView, RoleView, Session, apply_to_person, step
from conversations.areas import Gazetteer
from conversations.types import (
    AgentView,
    CaseView,
    GroupView,
    HouseholdView,
    MeetingView,
    MemberView,
    PendingAnswer,
    ReaderView,
    ScheduleView,
    Translate,
    WorkCaseView,
)  # fmt: skip

_OFFSET = re.compile(r"^([+-]?\d+(?:\.\d+)?)([dhms])$")


@dataclass
class Scenario:
    title: str
    headers: dict[str, str] = field(default_factory=dict)
    turns: list[str] = field(default_factory=list)  # "> input" and "@ +45m" lines, in order
    text: str = ""  # the scenario as written in the file


def parse(path: Path) -> list[Scenario]:
    scenarios: list[Scenario] = []
    current: Scenario | None = None
    chunk: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("=== "):
            if current is not None:
                current.text = "\n".join(chunk).rstrip() + "\n"
            current = Scenario(raw[4:].strip())
            scenarios.append(current)
            chunk = []
        if current is None:
            continue
        chunk.append(raw)
        if raw.startswith(("> ", ">\t")) or raw == ">" or raw.startswith("@ "):
            current.turns.append(raw)
        elif ":" in raw and not raw.startswith(("<", "!", "#", "===")) and not current.turns:
            key, _, value = raw.partition(":")
            current.headers[key.strip()] = value.split("#", 1)[0].strip()
    if current is not None:
        current.text = "\n".join(chunk).rstrip() + "\n"
    return scenarios


def play(scenario: Scenario, *, gazetteer: Gazetteer, translators: Mapping[str, Translate]) -> str:
    """Replay the scenario's inputs through ``step()`` and render it as it should read in the file."""
    headers = scenario.headers
    now = datetime.fromisoformat(headers.get("now", "2026-11-23T09:00:00+07:00"))
    person = _person(headers, gazetteer)
    session = Session()
    lines = [f"=== {scenario.title}", *(f"{k}: {v}" for k, v in headers.items()), ""]
    for turn in scenario.turns:
        if turn.startswith("@ "):
            now += _offset(turn[2:].strip())
            lines += [turn, ""]
            continue
        person = replace(person, readers=_readers(headers.get("readers", ""), person))
        ctx = Context(
            now=now, person=person, gazetteer=gazetteer, translators=translators, new_reference=lambda: "KB-7Q4K2",
            household_named=_listed(headers.get("listed", ""), session, turn[1:].strip()),
        )
        result = step(session, inbound_of(turn[1:].strip()), ctx)
        session, person = result.session, _has_written(apply_to_person(person, result.effects))
        lines.append(turn.rstrip())
        lines += list(render_replies(result.replies))
        lines += [f"! {effect!r}" for effect in result.effects]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _listed(header: str, session: Session, typed: str) -> HouseholdView | None:
    """``listed: 0812-0000-0001=12:Bu Sari:32.73.07.1001:003:005``: the household the shell finds when a companion
    filing for a household types that number (as ``app.people.service.household_named``)."""
    if not header or session.state != "assisted_household":
        return None
    number, fields = header.split("=", 1)
    if _digits(number) != _digits(typed):
        return None
    household_id, name, area, rt, rw = fields.split(":")
    return HouseholdView(int(household_id), name, area, rt, rw)


def _digits(text: str) -> str:
    """``0812-0000-0001`` and ``+62 812 0000 0001`` → ``81200000001``."""
    return re.sub(r"\D", "", text).removeprefix("62").lstrip("0")


def _person(headers: Mapping[str, str], gazetteer: Gazetteer) -> PersonView:
    kind = headers.get("person", "new")
    roles = tuple(
        RoleView(*item.strip().split("@", 1)) for item in headers.get("roles", "").split(",") if "@" in item
    )
    households = tuple(
        HouseholdView(int(number), name.strip(), area.strip(), rt="003", rw="005")
        for number, name, area in (item.split(":") for item in _items(headers.get("households", "")))
    )
    cases = tuple(
        CaseView(reference, category, status, household_id=int(household) if household else None,
                 is_open=status in ("new", "in_progress", "referred"))
        for reference, category, status, household in (
            (item.split(":") + [""])[:4] for item in _items(headers.get("cases", ""))
        )
    )  # fmt: skip
    work = tuple(
        WorkCaseView(reference, category, status, name, place, follow_up=follow_up, overdue="overdue" in flags.split("+"),
                     answers={"has_letter": "no"} if category == "kks_lost" else {}, tracks_steps=category.startswith("kks"),
                     unassigned="unassigned" in flags.split("+"))
        for reference, category, status, name, place, follow_up, flags in (
            (item.split(":") + ["", ""])[:7] for item in _items(headers.get("work", ""))
        )
    )  # fmt: skip
    person = PersonView(
        locale=headers.get("locale", "id"), area_code=headers.get("area", ""), roles=roles,
        households=households, cases=cases, work=work, schedule=_schedule(headers, gazetteer),
        pending_answer=_pending(headers.get("pending", "")),
    )  # fmt: skip
    if kind == "consented":
        person = replace(person, consented=True)
    return person


def _readers(text: str, person: PersonView) -> tuple[ReaderView, ...] | None:
    """``readers: tksk=Bu Rina/tksk/Kecamatan Sukajadi; operator=Pak Hendra/operator/Kelurahan Pasteur`` — who
    reads a report of each route, in every place the person reports from (re-read each turn, so a village chosen
    during the scenario counts). Without the header nobody reads any report: the receipt says so."""
    if not text:
        return None
    areas = {person.area_code, *(h.area_code for h in person.households)} - {""}
    views = []
    for item in _items(text, ";"):
        route, _, who = item.partition("=")
        name, role, place = (who.split("/") + ["", ""])[:3]
        views += [ReaderView(area, route.strip(), name.strip(), role.strip(), place.strip()) for area in sorted(areas)]
    return tuple(views)


def _has_written(person: PersonView) -> PersonView:
    """Once the person has written, the reminder they may answer is no longer the last thing in the chat."""
    pending = person.pending_answer
    return replace(person, pending_answer=replace(pending, fresh=False)) if pending else person


def _items(text: str, separator: str = ",") -> list[str]:
    return [item.strip() for item in text.split(separator) if item.strip()]


SCHEDULE_HEADERS = ("groups", "meetings", "villages", "agents")


def _schedule(headers: Mapping[str, str], gazetteer: Gazetteer) -> ScheduleView | None:
    if not any(key in headers for key in SCHEDULE_HEADERS):
        return None
    groups = tuple(_group(item) for item in _items(headers.get("groups", ""), ";"))
    members = {group.name: group.members for group in groups}
    meetings = tuple(_meeting(item, members, gazetteer) for item in _items(headers.get("meetings", ""), ";"))
    villages = tuple(
        (code.strip(), name.strip()) for code, name in (item.split("=", 1) for item in _items(headers.get("villages", ""), ";"))
    )
    agents = tuple(
        AgentView(int(number), name, area, address)
        for number, name, area, address in ((item.split(":") + [""])[:4] for item in _items(headers.get("agents", ""), ";"))
    )
    return ScheduleView(meetings=meetings, groups=groups, villages=villages, agents=agents)


def _group(item: str) -> GroupView:
    number, name, area, listed = (item.split(":", 3) + [""])[:4]
    members = tuple(
        MemberView(int(household), *(named.split(":", 1) + [""])[:2])
        for household, named in (entry.split("=", 1) for entry in _items(listed))
    )
    return GroupView(int(number), name, area, members)


def _meeting(item: str, members: Mapping[str, tuple[MemberView, ...]], gazetteer: Gazetteer) -> MeetingView:
    number, kind, area, day, hours, place, who, topic, flags = (item.split(":") + [""] * 8)[:9]
    start, _, end = hours.partition("-")
    module, _, session = topic.partition("/")
    status = next((flag for flag in ("cancelled", "held") if flag in flags.split()), "scheduled")
    village = gazetteer.get(area)
    return MeetingView(
        int(number), kind, area, village.name if village else area, day, start.replace(".", ":"),
        end.replace(".", ":"), place, status, group_name=who if kind == "p2k2" else "",
        module=module, session=session, agent_name=who if kind != "p2k2" else "",
        members=members.get(who, ()) if kind == "p2k2" else (), organized_by_me="mine" in flags.split(),
    )  # fmt: skip


def _pending(text: str) -> PendingAnswer | None:
    if not text:
        return None
    number, label, fresh = (text.split(":") + [""])[:3]
    return PendingAnswer(int(number), label, fresh=fresh.strip() == "fresh")


def inbound_of(text: str) -> Inbound:
    special = re.fullmatch(r"\[(\w+)(?: (.*))?\]", text)
    if special is None:
        return Inbound.text_(text)
    kind, argument = special.group(1), special.group(2) or ""
    match kind:
        case "option":
            return Inbound.option_(argument)
        case "photo":
            return Inbound(kind=InboundKind.PHOTO, media=MediaRef("sha256:photo", "image/jpeg"), text=argument)
        case "voice":
            return Inbound(kind=InboundKind.VOICE, media=MediaRef("sha256:voice", "audio/ogg"))
        case "sticker":
            return Inbound(kind=InboundKind.UNSUPPORTED, unsupported="sticker")
        case "location":
            latitude, longitude = (float(x) for x in argument.split())
            return Inbound(kind=InboundKind.LOCATION, latitude=latitude, longitude=longitude)
        case "empty":
            return Inbound.text_(argument or "")
        case "long":
            return Inbound.text_("a" * int(argument))
    return Inbound.text_(text)


def render_replies(replies) -> Iterator[str]:  # type: ignore[no-untyped-def]
    for index, reply in enumerate(replies):
        if index:
            yield "< --"
        for line in reply.text.splitlines() or [""]:
            yield f"< {line}".rstrip()
        for number, option in enumerate(reply.options, start=1):
            yield f"<   {number}. {option.label}"
        for media in reply.media:
            yield f"<   [{media.mime_type}]"


def _offset(text: str) -> timedelta:
    found = _OFFSET.match(text)
    if found is None:
        raise ValueError(f"clock offset {text!r}: use e.g. +45m, +2h, +1d")
    units = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
    return timedelta(**{units[found.group(2)]: float(found.group(1))})


def rewrite(path: Path, rendered: Mapping[str, str]) -> None:
    """Replace each scenario's text in ``path`` with its freshly rendered version."""
    scenarios = parse(path)
    preamble = path.read_text(encoding="utf-8").split("=== ", 1)[0]
    body = "\n".join(rendered.get(s.title, s.text) for s in scenarios)
    path.write_text(preamble + body, encoding="utf-8")
