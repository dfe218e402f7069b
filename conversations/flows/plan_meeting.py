"""A PKH facilitator schedules a P2K2 session, or a TKSK a distribution, one question at a time.

P2K2: the group (skipped when there is only one), the day, the start time, the
place, the module and its session. Distribution: the village (typed, even
misspelt, or picked from DAFTAR), the e-Warong agent (or a new one, by name),
the day, the opening hours, the place (the agent's, or written). A summary to
confirm ends with ``ScheduleMeeting``; the shell tells the members and sets the
reminders. BATAL works anywhere (the engine handles it).
"""

from __future__ import annotations

from datetime import date

from conversations.attachments import has_letters
from conversations.dates import format_day, parse_date
from conversations.effects import ScheduleMeeting
from conversations.flow import Flow, State, not_understood, reprompt, save_options
from conversations.flows.meeting_lines import schedule_of
from conversations.flows.meeting_time import read_day, read_hours, read_start
from conversations.flows.village_agent import VillageAgent, ask_agent, ask_agent_name, ask_village_pick
from conversations.matching import choose, clean, is_word, normalize, option_number
from conversations.meeting_words import MeetingWords, split_meeting
from conversations.p2k2 import BY_CODE, MODULES, session_label
from conversations.times import format_hours
from conversations.types import Context, GroupView, Inbound, InboundKind, Option, Reply, Session, Step

FLOW_NAME = "plan_meeting"
AT_AGENT_WORDS = (
    "tempat agen", "di tempat agen", "di agen", "agen", "di agen saja", "di agen aja", "tempat agen saja",
    "di e warong", "e warong", "di warung agen", "at the agent", "agent", "at the agent s",
)  # fmt: skip
# More words for each P2K2 module, as facilitators name them ("modul kesehatan", "kekerasan anak").
MODULE_WORDS = {
    "economy": ("modul ekonomi", "ekonomi keluarga", "keuangan keluarga", "menabung", "uang"),
    "health": ("modul kesehatan", "kesehatan gizi", "gizi", "hamil", "balita", "kesehatan ibu"),
    "parenting": ("modul pendidikan", "modul pengasuhan", "pengasuhan anak", "pendidikan anak", "mengasuh anak"),
    "protection": ("modul perlindungan", "perlindungan anak", "kekerasan anak", "eksploitasi anak"),
    "welfare": ("modul lansia", "lanjut usia", "disabilitas berat", "lansia dan disabilitas"),
}


def start(session: Session, ctx: Context, kind: str) -> Step:
    """Asks for the group (P2K2) or the village (distribution), unless there is only one."""
    if kind == "p2k2":
        groups = schedule_of(ctx).groups
        if not groups:
            none = ctx.t("Belum ada kelompok P2K2 atas nama Anda. Minta koordinator PKH mendaftarkan kelompok Anda.")
            return Step(session.idle(), (Reply(none),), start_flow="menu")
        planning = session.at(FLOW_NAME, "group", kind=kind)
        return _with_group(planning, ctx, groups[0]) if len(groups) == 1 else _to(planning, "group", ctx)
    return PLACE.begin(session.at(FLOW_NAME, "village", kind=kind), ctx)


def group_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(Option(f"group:{group.id}", group.name) for group in schedule_of(ctx).groups)


def ask_group(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Jadwal P2K2 untuk kelompok mana?"), group_options(ctx)),)


def on_group(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, group_options(ctx))
    group = next((g for g in schedule_of(ctx).groups if option and option.key == f"group:{g.id}"), None)
    if group is None:
        return reprompt(session, inbound, ctx, ask_group)
    return _with_group(session, ctx, group)


def _with_group(session: Session, ctx: Context, group: GroupView) -> Step:
    return _to(session, "day", ctx, group_id=group.id, group_name=group.name, area_code=group.area_code)


def ask_village(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Penyaluran di desa/kelurahan mana? Tulis namanya, atau ketik DAFTAR untuk melihat semua.")),)


def ask_day(session: Session, ctx: Context) -> tuple[Reply, ...]:
    if session.data["kind"] == "p2k2":
        text = ctx.t("Hari apa pertemuan P2K2 kelompok {group}? Contoh: sabtu, besok, 5/12", group=session.data["group_name"])
    else:
        text = ctx.t("Hari apa penyaluran di {village}? Contoh: senin, besok, 7/12", village=session.data["village"])
    return (Reply(text),)


def on_day(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """A day from today on; a past day is answered kindly and asked again. The time and place told with it
    ("sabtu depan jam 9 di rumah bu ani") are kept, and not asked again."""
    told = split_meeting(inbound.text) if inbound.kind is InboundKind.TEXT else None
    if told is not None and parse_date(inbound.text, ctx.today) is None:
        return _told_at_once(session, told, ctx)
    day = read_day(inbound, ctx)
    if isinstance(day, Reply):
        return Step(session, (day, *ask_day(session, ctx)))
    if day is None:
        return reprompt(session, inbound, ctx, ask_day)
    return _to(session, "time" if session.data["kind"] == "p2k2" else "hours", ctx, day=day.isoformat())


def _told_at_once(session: Session, told: MeetingWords, ctx: Context) -> Step:
    day = read_day(Inbound.text_(told.day), ctx)
    if isinstance(day, Reply) or day is None:
        return Step(session, (day or not_understood(Inbound.text_(told.day), ctx), *ask_day(session, ctx)))
    p2k2 = session.data["kind"] == "p2k2"
    data: dict[str, object] = {"day": day.isoformat()}
    notes: tuple[Reply, ...] = ()
    if told.time:
        when = read_start(Inbound.text_(told.time), ctx) if p2k2 else read_hours(Inbound.text_(told.time), ctx)
        if isinstance(when, str):
            data.update(start=when, end="")
        elif isinstance(when, tuple):
            data.update(start=when[0], end=when[1])
        elif isinstance(when, Reply):
            notes = (when,)  # a time outside meeting hours: said, and the time asked
    if told.place:
        data["place"] = told.place[:200]
    following = _after_time(session.goto(session.state, **data))
    if "start" not in data:
        following = "time" if p2k2 else "hours"
    step = _to(session, following, ctx, **data)
    return Step(step.session, (*notes, *step.replies))


def ask_time(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Mulai jam berapa? Contoh: 9, 09.00, jam 2 siang")),)


def on_time(session: Session, inbound: Inbound, ctx: Context) -> Step:
    start = read_start(inbound, ctx)
    if isinstance(start, Reply):
        return Step(session, (start, *ask_time(session, ctx)))
    if start is None:
        return reprompt(session, inbound, ctx, ask_time)
    return _to(session, _after_time(session), ctx, start=start, end="")


def _after_time(session: Session) -> str:
    """The place, unless it was told with the day."""
    if "place" not in session.data:
        return "place"
    return "module" if session.data["kind"] == "p2k2" else "confirm"


def ask_hours(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Dari jam berapa sampai jam berapa? Contoh: 08.00-12.00 atau 8-12")),)


def on_hours(session: Session, inbound: Inbound, ctx: Context) -> Step:
    hours = read_hours(inbound, ctx)
    if isinstance(hours, Reply):
        return Step(session, (hours, *ask_hours(session, ctx)))
    if hours is None:
        return reprompt(session, inbound, ctx, ask_hours)
    return _to(session, _after_time(session), ctx, start=hours[0], end=hours[1])


def place_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    if session.data["kind"] == "p2k2":
        return ()
    return (Option("place:agent", ctx.t("Di tempat agen"), AT_AGENT_WORDS),)


def ask_place(session: Session, ctx: Context) -> tuple[Reply, ...]:
    if session.data["kind"] == "p2k2":
        return (Reply(ctx.t("Di mana tempatnya? Contoh: rumah Bu Ani, balai RW 05")),)
    text = ctx.t("Di mana tempatnya? Balas 1 jika di tempat agen, atau tulis tempatnya. Contoh: balai desa")
    return (Reply(text, place_options(session, ctx)),)


def on_place(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """The agent's place (distribution), or a place written out; P2K2 goes on to the module."""
    at_agent = place_options(session, ctx)
    if at_agent and (inbound.kind is InboundKind.OPTION or option_number(inbound.text) is not None):
        if choose(inbound, at_agent) is None:
            return reprompt(session, inbound, ctx, ask_place)
        place = session.data["agent_place"]
    elif at_agent and _at_agent(inbound, at_agent):
        place = session.data["agent_place"]
    elif inbound.kind is InboundKind.TEXT and has_letters(inbound.text):
        place = inbound.text.strip()[:200]
    else:
        return reprompt(session, inbound, ctx, ask_place)
    return _to(session, "module" if session.data["kind"] == "p2k2" else "confirm", ctx, place=place)


def _at_agent(inbound: Inbound, options: tuple[Option, ...]) -> bool:
    """The agent's place said in words ("di agen aja", "tempat agen"), never a place that only names it
    ("depan rumah agen" is written out)."""
    [option] = options
    names = {form(word) for word in (option.label, *option.aliases) for form in (normalize, clean)}
    return inbound.kind is InboundKind.TEXT and is_word(inbound.text, names)


def module_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(
        Option(f"module:{module.code}", ctx.t(module.label), (*module.words, *MODULE_WORDS.get(module.code, ())))
        for module in MODULES
    )


def ask_module(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Modul yang mana?"), module_options(ctx)),)


def on_module(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, module_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_module)
    return _to(session, "session", ctx, module=option.key.removeprefix("module:"))


def session_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    module = BY_CODE[session.data["module"]]
    return tuple(
        Option(f"session:{item.code}", ctx.t(item.label), (f"sesi {number}", f"session {number}"))
        for number, item in enumerate(module.sessions, start=1)
    )


def ask_session(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Sesi yang mana?"), session_options(session, ctx)),)


def on_session(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, session_options(session, ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_session)
    return _to(session, "confirm", ctx, session=option.key.removeprefix("session:"))


def ask_confirm(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(summary(session, ctx), save_options(ctx)),)


def summary(session: Session, ctx: Context) -> str:
    """The meeting as it will be saved."""
    data = session.data
    day = format_day(date.fromisoformat(data["day"]), ctx.person.locale)
    hours = format_hours(data["start"], data.get("end", ""), ctx.person.locale)
    if data["kind"] == "p2k2":
        module, chosen = session_label(data["module"], data["session"])
        lines = [
            ctx.t("Periksa jadwal P2K2:"),
            ctx.t("Kelompok: {group}", group=data["group_name"]),
        ]
        topic = [ctx.t("Modul: {module}", module=ctx.t(module)), ctx.t("Sesi: {session}", session=ctx.t(chosen))]
    else:
        agent = data["agent_name"] + (" (" + ctx.t("baru") + ")" if data.get("new_agent") else "")
        lines = [
            ctx.t("Periksa jadwal penyaluran:"),
            ctx.t("Desa/kelurahan: {village}", village=data["village"]),
            ctx.t("Agen: {agent}", agent=agent),
        ]
        topic = []
    lines += [ctx.t("Hari: {day}", day=day), ctx.t("Jam: {time}", time=hours), ctx.t("Tempat: {place}", place=data["place"])]
    lines += topic
    return "\n".join([*lines, ctx.t("Simpan jadwal ini?")])


def on_confirm(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Schedules the meeting and says who will be told; or drops it."""
    option = choose(inbound, save_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_confirm)
    if option.key == "confirm:cancel":
        return Step(session.cleared(), (Reply(ctx.t("Jadwal tidak disimpan.")),), start_flow="menu")
    return Step(session.cleared(), (), (meeting_effect(session),), start_flow="menu")  # the shell says how many were told


def meeting_effect(session: Session) -> ScheduleMeeting:
    data = session.data
    return ScheduleMeeting(
        kind=data["kind"],
        area_code=data["area_code"],
        day=data["day"],
        start=data["start"],
        end=data.get("end", ""),
        place=data["place"],
        group_id=data.get("group_id"),
        module=data.get("module", ""),
        session=data.get("session", ""),
        agent_id=data.get("agent_id"),
        agent_name="" if data.get("agent_id") is not None else data.get("agent_name", ""),
    )


def _to(session: Session, state: str, ctx: Context, /, **data: object) -> Step:
    """Moves on to ``state`` with the answer stored, and asks its question."""
    asking = session.goto(state, **data)
    return Step(asking, STATES[state].ask(asking, ctx))


PLACE = VillageAgent(ask_village=ask_village, to=_to, then="day")

STATES: dict[str, State] = {
    "group": State(ask=ask_group, on_answer=on_group),
    "village": State(ask=ask_village, on_answer=PLACE.on_village),
    "village_pick": State(ask=ask_village_pick, on_answer=PLACE.on_village_pick),
    "agent": State(ask=ask_agent, on_answer=PLACE.on_agent),
    "agent_name": State(ask=ask_agent_name, on_answer=PLACE.on_agent_name),
    "day": State(ask=ask_day, on_answer=on_day),
    "time": State(ask=ask_time, on_answer=on_time),
    "hours": State(ask=ask_hours, on_answer=on_hours),
    "place": State(ask=ask_place, on_answer=on_place),
    "module": State(ask=ask_module, on_answer=on_module),
    "session": State(ask=ask_session, on_answer=on_session),
    "confirm": State(ask=ask_confirm, on_answer=on_confirm),
}


def start_by_role(session: Session, ctx: Context) -> Step:
    """A P2K2 session for a PKH facilitator, otherwise a distribution."""
    return start(session, ctx, "p2k2" if any(role.role == "pkh" for role in ctx.person.roles) else "distribution")


FLOW = Flow(FLOW_NAME, start=start_by_role, states=STATES)
