"""A PKH facilitator adds households to a P2K2 group from the chat ("Anggota kelompok"), or starts a new group.

Groups and their members come from the household list's ``kelompok`` column;
this is for the household the list got wrong or a group formed since. The
facilitator picks a group (or names a new one), sees its members, and types a
household's phone number or the head's name; each is sent as ``AddGroupMember``
and the shell answers whether it found that household in the village's list.
"0", "selesai", "sudah", "cukup" or "udah itu aja" ends it.
"""

from __future__ import annotations

from conversations.effects import AddGroupMember
from conversations.flow import Flow, State, reprompt
from conversations.flows.meeting_lines import schedule_of
from conversations.matching import choose, choose_exactly, has_words
from conversations.types import Context, GroupView, Inbound, InboundKind, Option, Reply, Session, Step

FLOW_NAME = "group_members"
DONE = Option("done", "0", ("0", "nol", "selesai", "cukup", "done", "back", "finished"), means=("done", "skip", "no"))
"""The answer that ends the list: "0", "selesai", "sudah", "udah itu aja", "gak ada lagi", "sampun"."""
PLAIN_WORDS = 3
"""A head's name is never a plain "sudah" or "gak ada lagi", but may start like one: only short answers end."""
MAX_GROUP_NAME = 64


def start(session: Session, ctx: Context) -> Step:
    """Asks which group (or a new one)."""
    asking = session.at(FLOW_NAME, "group")
    return Step(asking, ask_group(asking, ctx))


def group_options(ctx: Context) -> tuple[Option, ...]:
    groups = tuple(Option(f"group:{g.id}", g.name) for g in schedule_of(ctx).groups)
    return (*groups, Option("group:new", ctx.t("Kelompok baru"), ("baru", "kelompok baru", "new")))


def ask_group(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Anggota kelompok mana?"), group_options(ctx)),)


def on_group(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, group_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_group)
    if option.key == "group:new":
        naming = session.goto("group_name")
        return Step(naming, ask_group_name(naming, ctx))
    group = next(g for g in schedule_of(ctx).groups if f"group:{g.id}" == option.key)
    adding = session.goto("member", group=group.name, area=group.area_code)
    return Step(adding, (_members(group, ctx), *ask_member(adding, ctx)))


def ask_group_name(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Apa nama kelompok barunya? Contoh: Melati 3")),)


def on_group_name(session: Session, inbound: Inbound, ctx: Context) -> Step:
    name = " ".join(inbound.text.split())[:MAX_GROUP_NAME] if inbound.kind is InboundKind.TEXT else ""
    if not has_words(name):
        return reprompt(session, inbound, ctx, ask_group_name)
    area = next((r.area_code for r in ctx.person.roles if r.role == "pkh"), ctx.person.area_code)
    adding = session.goto("member", group=name, area=area)
    return Step(adding, ask_member(adding, ctx))


def ask_member(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t(
        "Siapa yang masuk kelompok {group}? Tulis nomor HP atau nama kepala keluarga (sesuai daftar KPM). "
        "Balas 0 jika selesai.",
        group=session.data["group"],
    )
    return (Reply(text),)


def on_member(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Each answer is one household to add; the shell says whether it was found. 0 ends."""
    text = inbound.text.strip() if inbound.kind is InboundKind.TEXT else ""
    if _done(inbound):
        return Step(session.idle(), (Reply(ctx.t("Selesai.")),), start_flow="menu")
    if not has_words(text) and not any(c.isdigit() for c in text):
        return reprompt(session, inbound, ctx, ask_member)
    effect = AddGroupMember(area_code=session.data["area"], group_name=session.data["group"], who=text[:120])
    more = Reply(ctx.t("Berikutnya? Tulis nomor HP atau nama lagi, atau balas 0 jika selesai."))
    return Step(session, (more,), (effect,))


def _done(inbound: Inbound) -> bool:
    """0 or a plain "that's all" ("sudah", "cukup", "udah itu aja", "gak ada lagi"), never a near spelling:
    anything else is a phone number or a name to add."""
    return choose_exactly(inbound, (DONE,)) is not None


def _members(group: GroupView, ctx: Context) -> Reply:
    if not group.members:
        return Reply(ctx.t("Kelompok {group} belum punya anggota.", group=group.name))
    names = "\n".join(f"{number}. {m.name}" for number, m in enumerate(group.members, start=1))
    return Reply(ctx.t("Anggota kelompok {group} ({count}):", group=group.name, count=len(group.members)) + "\n" + names)


FLOW = Flow(
    FLOW_NAME,
    start=start,
    states={
        "group": State(ask=ask_group, on_answer=on_group),
        "group_name": State(ask=ask_group_name, on_answer=on_group_name),
        "member": State(ask=ask_member, on_answer=on_member),
    },
)
