""""Jadwal": what is planned, as each person needs it.

Started from the menu entry "Jadwal" (``start``). A household sees its coming P2K2
sessions and distributions (what to bring, never the PIN) and may answer the
reminder still open ("1 Hadir / 2 Berhalangan"). A PKH facilitator schedules a
P2K2 session, a TKSK a distribution (``plan_meeting``); both reach the meetings
they organize through "Jadwal saya" (``my_meetings``); a facilitator also keeps
the groups' members (``group_members``). Other companions and
operators see their area's coming meetings. Ends back at the menu.
"""

from __future__ import annotations

from dataclasses import replace

from conversations.flow import Flow, State, reprompt
from conversations.flows import group_members, menu, my_meetings, plan_meeting
from conversations.flows.meeting_answers import answer_options, answered, read_answer
from conversations.flows.meeting_lines import details, schedule_of, title, upcoming, when
from conversations.matching import choose
from conversations.types import Context, Inbound, Option, PendingAnswer, Reply, Session, Step

FLOW_NAME = "schedule"
N_ = str

PLANS = (
    ("pkh", "p2k2", N_("Jadwalkan P2K2"), ("p2k2", "jadwalkan", "jadwalkan p2k2", "pertemuan", "buat jadwal")),
    ("tksk", "distribution", N_("Jadwal penyaluran"), ("penyaluran", "salur", "sembako", "buat jadwal", "distribution")),
)


def start(session: Session, ctx: Context) -> Step:
    """Organizers choose what to do; everyone else sees the coming meetings."""
    if plan_options(ctx):
        choosing = session.at(FLOW_NAME, "choice")
        return Step(choosing, ask_choice(choosing, ctx))
    if ctx.person.is_companion:
        return _area_meetings(session, ctx)
    return _household_meetings(session, ctx)


def plan_options(ctx: Context) -> tuple[Option, ...]:
    held = {role.role for role in ctx.person.roles}
    return tuple(Option(f"plan:{kind}", ctx.t(label), words) for role, kind, label, words in PLANS if role in held)


def choice_options(ctx: Context) -> tuple[Option, ...]:
    members = (Option("members", ctx.t("Anggota kelompok"), ("anggota", "kelompok", "members")),)
    return (
        *plan_options(ctx),
        Option("mine", ctx.t("Jadwal saya"), ("saya", "jadwal saya", "lihat jadwal", "mine", "my schedule")),
        *(members if any(role.role == "pkh" for role in ctx.person.roles) else ()),
        Option("back", ctx.t("Kembali"), ("back",)),
    )


def ask_choice(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Jadwal. Apa yang mau dilakukan?"), choice_options(ctx)),)


def on_choice(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Schedules a meeting, lists mine, or goes back to the menu."""
    option = choose(inbound, choice_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_choice)
    if option.key == "back":
        return Step(session.idle(), start_flow="menu")
    if option.key == "mine":
        return my_meetings.start(session, ctx)
    if option.key == "members":
        return group_members.start(session, ctx)
    return plan_meeting.start(session, ctx, option.key.removeprefix("plan:"))


def _area_meetings(session: Session, ctx: Context) -> Step:
    """A read-only list for companions who organize nothing (PSM, operators)."""
    coming = upcoming(schedule_of(ctx).meetings, ctx.today)
    if not coming:
        return Step(session.idle(), (Reply(ctx.t("Belum ada jadwal di wilayah Anda.")),), start_flow="menu")
    blocks = ["\n".join((title(m, ctx), when(m, ctx), ctx.t("Tempat: {place}", place=m.place or "-"))) for m in coming]
    listing = Reply(ctx.t("Jadwal di wilayah Anda:") + "\n\n" + "\n\n".join(blocks))
    return Step(session.idle(), (listing,), start_flow="menu")


def _household_meetings(session: Session, ctx: Context) -> Step:
    """The household's coming meetings, then the open reminder's question (if any) or the menu."""
    coming = upcoming(schedule_of(ctx).meetings, ctx.today)
    if coming:
        blocks = ["\n".join(details(m, ctx)) for m in coming]
        listing = Reply(ctx.t("Jadwal Anda:") + "\n\n" + "\n\n".join(blocks))
    else:
        listing = Reply(ctx.t("Belum ada jadwal pertemuan atau penyaluran untuk Anda. Kami akan mengabari jika ada."))
    if ctx.person.pending_answer is None:
        return Step(session.idle(), (listing,), start_flow="menu")
    asking = session.at(FLOW_NAME, "answer")
    return Step(asking, (listing, *ask_answer(asking, ctx)))


def ask_answer(session: Session, ctx: Context) -> tuple[Reply, ...]:
    pending = ctx.person.pending_answer
    if pending is None:
        return ()
    question = ctx.t("Apakah Anda akan hadir di {label}?", label=pending.label)
    return (Reply(question, answer_options(pending, ctx)),)


def on_answer(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Passes the answer on; anything else is read as a menu choice, since answering is not required."""
    pending = ctx.person.pending_answer
    coming = _coming(inbound, pending, ctx) if pending else None
    if pending is None or coming is None:
        return menu.on_choice(session.idle().at("menu", "choice"), inbound, ctx)
    return replace(answered(session, ctx, pending.meeting_id, coming), start_flow="menu")


def _coming(inbound: Inbound, pending: PendingAnswer, ctx: Context) -> bool | None:
    """Asked right here, a number or a close spelling ("hadri") answers too."""
    option = choose(inbound, answer_options(pending, ctx))
    if option is not None:
        return option.key.endswith(":yes")
    return read_answer(inbound, pending, by_number=True)


FLOW = Flow(
    FLOW_NAME,
    start=start,
    states={
        "choice": State(ask=ask_choice, on_answer=on_choice),
        "answer": State(ask=ask_answer, on_answer=on_answer),
    },
)
