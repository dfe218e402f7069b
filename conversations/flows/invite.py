"""A kelurahan operator invites a companion (PSM, PKH facilitator) or another operator for their village.

Ends with ``CreateInvitation``; the shell makes the single-use code and sends it
back, to be passed on to the new person (who sends ``DAFTAR <code>``).
"""

from __future__ import annotations

from conversations.effects import CreateInvitation
from conversations.flow import Flow, State, reprompt
from conversations.matching import choose
from conversations.roles import ROLE_NAMES
from conversations.types import Context, Inbound, Option, Reply, Session, Step

FLOW_NAME = "invite"
INVITABLE = ("psm", "pkh", "operator")
ROLE_WORDS = {
    "psm": ("psm", "pekerja sosial", "pekerja sosial masyarakat", "relawan"),
    "pkh": ("pkh", "pendamping", "pendamping pkh", "fasilitator", "facilitator"),
    "operator": ("operator", "operator desa", "operator kelurahan", "petugas kelurahan", "petugas desa"),
}
"""Words for each role ("pendamping pkh", "operator desa"); ``conversations.matching.choose`` reads them."""


def operator_area(ctx: Context) -> str:
    """The village an operator works (their first, when they have several)."""
    return next((r.area_code for r in ctx.person.roles if r.role == "operator"), "")


def role_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(Option(f"role:{role}", ctx.t(ROLE_NAMES[role]), ROLE_WORDS[role]) for role in INVITABLE)


def ask_role(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Undang siapa? Kodenya hanya bisa dipakai sekali, berlaku 7 hari."), role_options(ctx)),)


def start(session: Session, ctx: Context) -> Step:
    """Asks which role to invite someone to (operators only)."""
    if not operator_area(ctx):
        only = Reply(ctx.t("Hanya operator kelurahan yang bisa mengundang dari sini."))
        return Step(session.idle(), (only,), start_flow="menu")
    asking = session.at(FLOW_NAME, "role")
    return Step(asking, ask_role(asking, ctx))


def on_role(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Creates the invitation for the operator's village."""
    option = choose(inbound, role_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_role)
    effect = CreateInvitation(role=option.key.removeprefix("role:"), area_code=operator_area(ctx))
    return Step(session.idle(), (), (effect,), start_flow="menu")


FLOW = Flow(FLOW_NAME, start=start, states={"role": State(ask=ask_role, on_answer=on_role)})
