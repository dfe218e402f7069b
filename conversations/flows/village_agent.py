"""The village of a TKSK's kecamatan, then one of its e-Warong agents: two questions two flows ask.

Used by the distribution schedule (``plan_meeting``) and the e-Warong visit
(``ewarong_visit``). The village is typed (a close spelling or the start of the
name works) or picked from DAFTAR; the agent is picked from the village's list,
or "Agen baru" and then its name. A flow makes one ``VillageAgent`` with its own
wording of the village question, its way of moving on (``to``) and the state
that comes after the agent, and names the four states in its table::

    PLACE = VillageAgent(ask_village=ask_village, to=_to, then="day")
    STATES = {
        "village": State(ask=ask_village, on_answer=PLACE.on_village),
        "village_pick": State(ask=ask_village_pick, on_answer=PLACE.on_village_pick),
        "agent": State(ask=ask_agent, on_answer=PLACE.on_agent),
        "agent_name": State(ask=ask_agent_name, on_answer=PLACE.on_agent_name),
        ...
    }

What it keeps in ``session.data``: ``area_code`` and ``village`` (its name); then
``agent_id`` (None for a new agent), ``agent_name``, ``agent_place`` (the name
and address, for "at the agent's") and ``new_agent``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from conversations.flow import Ask, reprompt
from conversations.flows.meeting_lines import schedule_of
from conversations.matching import FUZZY_CUTOFF, choose, clean, is_word, normalize, option_number
from conversations.types import AgentView, Context, Inbound, InboundKind, Option, Reply, Session, Step

LIST_WORDS = ("daftar", "semua", "lihat daftar", "lihat semua", "list", "all")
AREA_PREFIXES = ("desa", "ds", "kelurahan", "kel", "village")
AGENT_WORDS = ("e", "warong", "ewarong", "warung", "ewarung", "agen", "agent")
AGENT_PREFIXES = ("agen", "e warong", "warung", "agent")
"""An agent is also called by its name alone or after one of these ("makmur", "agen makmur jaya")."""

To = Callable[..., Step]
"""The flow's ``_to(session, state, ctx, **data)``: store the answer, move to ``state`` and ask it."""


def tksk_villages(ctx: Context) -> list[tuple[str, str]]:
    """The villages of the TKSK's kecamatan (code, name), by name; from the official list when none came."""
    villages = list(schedule_of(ctx).villages)
    if not villages:
        districts = [role.area_code for role in ctx.person.roles if role.role == "tksk"]
        villages = [(area.code, area.name) for code in districts for area in ctx.gazetteer.villages_of(code)]
    return sorted(villages, key=lambda village: normalize(village[1]))


def village_options(villages: list[tuple[str, str]]) -> tuple[Option, ...]:
    return tuple(Option(f"village:{code}", name) for code, name in villages)


def find_villages(text: str, villages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The villages a typed name may mean: the one spelled so, else those starting with it (or, for four
    letters or more, containing it) or spelled close to it."""
    query = " ".join(word for word in normalize(text).split() if word not in AREA_PREFIXES)
    if not query:
        return []
    exact = [village for village in villages if normalize(village[1]) == query]
    if exact:
        return exact
    return [village for village in villages if _close(query, normalize(village[1]))]


def _close(query: str, name: str) -> bool:
    return name.startswith(query) or len(query) >= 4 and query in name or fuzz.ratio(query, name) >= FUZZY_CUTOFF


def pick_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    offered = set(session.data.get("choices", []))
    return village_options([village for village in tksk_villages(ctx) if village[0] in offered])


def ask_village_pick(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Yang mana? Pilih nomor, atau tulis nama lain:"), pick_options(session, ctx)),)


def village_agents(session: Session, ctx: Context) -> list[AgentView]:
    return [agent for agent in schedule_of(ctx).agents if agent.area_code == session.data.get("area_code")]


def agent_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    known = tuple(Option(f"agent:{agent.id}", agent.name, _agent_aliases(agent)) for agent in village_agents(session, ctx))
    return (*known, Option("agent:new", ctx.t("Agen baru"), ("baru", "agen baru", "lainnya", "new", "new agent")))


def ask_agent(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Agen e-Warong yang mana?"), agent_options(session, ctx)),)


def ask_agent_name(session: Session, ctx: Context) -> tuple[Reply, ...]:
    if village_agents(session, ctx):
        return (Reply(ctx.t("Tulis nama agen e-Warong yang baru. Contoh: e-Warong Makmur")),)
    text = ctx.t(
        "Belum ada agen e-Warong terdaftar di {village}. Tulis nama agennya. Contoh: e-Warong Makmur",
        village=session.data["village"],
    )
    return (Reply(text),)


def _agent_aliases(agent: AgentView) -> tuple[str, ...]:
    """"e-Warong Makmur Jaya" is also "makmur jaya", "agen makmur jaya", "warung makmur jaya"; ``choose`` then
    takes a word of it ("makmur") when only this agent has it."""
    bare = " ".join(word for word in normalize(agent.name).split() if word not in AGENT_WORDS)
    return (bare, *(f"{prefix} {bare}" for prefix in AGENT_PREFIXES)) if bare else ()


@dataclass(frozen=True)
class VillageAgent:
    """The answers to the village and agent questions of one flow."""

    ask_village: Ask
    to: To
    then: str
    """The state asked once the agent is known."""

    def begin(self, session: Session, ctx: Context) -> Step:
        """``session`` is already at the flow's "village" state: asks it, unless the kecamatan has one village."""
        villages = tksk_villages(ctx)
        if not villages:
            none = ctx.t("Belum ada desa/kelurahan di wilayah Anda. Hubungi admin untuk mengatur wilayah TKSK Anda.")
            return Step(session.idle(), (Reply(none),), start_flow="menu")
        if len(villages) == 1:
            return self.with_village(session, ctx, *villages[0])
        return Step(session, self.ask_village(session, ctx))

    def on_village(self, session: Session, inbound: Inbound, ctx: Context) -> Step:
        """A name (close spellings too), a number from DAFTAR, or DAFTAR itself."""
        villages = tksk_villages(ctx)
        if inbound.kind is InboundKind.OPTION:
            return self.on_village_pick(session.goto("village_pick", choices=[code for code, _ in villages]), inbound, ctx)
        if inbound.kind is not InboundKind.TEXT:
            return reprompt(session, inbound, ctx, self.ask_village)
        if is_word(inbound.text, LIST_WORDS):
            listing = Reply(ctx.t("Desa/kelurahan di kecamatan Anda. Balas dengan nomor atau nama:"), village_options(villages))
            return Step(session.goto("village"), (listing,))
        number = option_number(inbound.text)
        if number is not None:
            if 1 <= number <= len(villages):
                return self.with_village(session, ctx, *villages[number - 1])
            wrong = ctx.t("Nomor {number} tidak ada di daftar. Ketik DAFTAR untuk melihat semua.", number=number)
            return Step(session.goto("village"), (Reply(wrong),))
        found = find_villages(inbound.text, villages)
        if len(found) == 1:
            return self.with_village(session, ctx, *found[0])
        if found:
            return self.to(session, "village_pick", ctx, choices=[code for code, _ in found])
        unknown = ctx.t(
            'Desa/kelurahan "{answer}" tidak ada di kecamatan Anda. Periksa tulisannya, atau ketik DAFTAR untuk melihat semua.',
            answer=inbound.text.strip()[:40],
        )
        return Step(session.goto("village"), (Reply(unknown),))

    def on_village_pick(self, session: Session, inbound: Inbound, ctx: Context) -> Step:
        """One of the offered villages; another name searches again."""
        option = choose(inbound, pick_options(session, ctx))
        if option is not None:
            code = option.key.removeprefix("village:")
            return self.with_village(session, ctx, code, option.label)
        if inbound.kind is InboundKind.TEXT and option_number(inbound.text) is None:
            return self.on_village(session.goto("village"), inbound, ctx)
        return reprompt(session, inbound, ctx, ask_village_pick)

    def with_village(self, session: Session, ctx: Context, code: str, name: str) -> Step:
        chosen = session.goto(session.state, area_code=code, village=name, choices=[])
        return self.to(chosen, "agent" if village_agents(chosen, ctx) else "agent_name", ctx)

    def on_agent(self, session: Session, inbound: Inbound, ctx: Context) -> Step:
        """An agent of the list (its number, its name or a word of it: "makmur"), or "Agen baru"."""
        option = choose(inbound, agent_options(session, ctx))
        if option is None:
            return reprompt(session, inbound, ctx, ask_agent)
        if option.key == "agent:new":
            return self.to(session, "agent_name", ctx)
        agent = next(a for a in village_agents(session, ctx) if option.key == f"agent:{a.id}")
        return self.with_agent(session, ctx, agent)

    def on_agent_name(self, session: Session, inbound: Inbound, ctx: Context) -> Step:
        """A new agent's name; the name of one already on the village's list picks that one."""
        if inbound.kind is not InboundKind.TEXT or not any(char.isalpha() for char in inbound.text):
            return reprompt(session, inbound, ctx, ask_agent_name)
        name = " ".join(inbound.text.split())[:120]
        known = next((a for a in village_agents(session, ctx) if is_word(name, {normalize(a.name), clean(a.name)})), None)
        if known is not None:
            return self.with_agent(session, ctx, known)
        return self.to(session, self.then, ctx, agent_id=None, agent_name=name, agent_place=name, new_agent=True)

    def with_agent(self, session: Session, ctx: Context, agent: AgentView) -> Step:
        at_agent = ", ".join(part for part in (agent.name, agent.address) if part)
        return self.to(session, self.then, ctx, agent_id=agent.id, agent_name=agent.name, agent_place=at_agent, new_agent=False)
