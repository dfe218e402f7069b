"""Finding one's village by typing its name (or the kecamatan's).

The search is tolerant of case and spelling ("pastur" finds Pasteur). Villages
that share a name are told apart by kecamatan and city; when too many share it
("Sukamaju" is 65 villages) the person is asked to add the kecamatan or city.
"""

from __future__ import annotations

from conversations.effects import SetArea
from conversations.flow import Flow, State, not_understood, reprompt
from conversations.matching import choose, has_words
from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Step

MAX_CHOICES = 9
MAX_VILLAGES_IN_DISTRICT = 60


def ask_query(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Di desa atau kelurahan mana Anda tinggal? Tulis namanya, contoh: Pasteur")),)


def start(session: Session, ctx: Context) -> Step:
    """Asks for the name of the village."""
    searching = session.at("area", "query")
    return Step(searching, ask_query(searching, ctx))


def on_query(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Searches the area list; offers the matches, or asks to narrow the search down."""
    if inbound.kind is not InboundKind.TEXT or not has_words(inbound.text):
        return reprompt(session, inbound, ctx, ask_query)
    query = inbound.text.strip()
    found = ctx.gazetteer.search(query)
    if found.empty:
        sorry = Reply(
            ctx.t(
                "Maaf, \"{query}\" tidak ditemukan. Coba tulis lagi nama desa atau kelurahan, "
                "atau nama kecamatannya.",
                query=query[:60],
            )
        )
        return Step(session.goto("query"), (sorry,))
    candidates = [a.code for a in found.districts + found.villages]
    if len(candidates) > MAX_CHOICES:
        first = found.villages[0] if found.villages else found.districts[0]
        example = ctx.gazetteer.label(first.code).split(", ")
        hint = Reply(
            ctx.t(
                "Ada {count} tempat bernama \"{name}\". Tulis juga nama kecamatan atau kotanya, "
                "contoh: {example}",
                count=len(candidates),
                name=first.name,
                example=f"{example[0]} {example[1]}" if len(example) > 1 else example[0],
            )
        )
        return Step(session.goto("query"), (hint,))
    picking = session.goto("pick", candidates=candidates)
    return Step(picking, ask_pick(picking, ctx))


def pick_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    options = []
    for code in session.data.get("candidates", []):
        area = ctx.gazetteer.get(code)
        if area is None:
            continue
        label = ctx.gazetteer.label(code)
        if area.level == 3:
            label = ctx.t("Kecamatan {name} (pilih desanya)", name=label)
        options.append(Option(f"area:{code}", label))
    options.append(Option("area:again", ctx.t("Bukan, cari lagi"), ("bukan", "cari lagi", "tidak")))
    return tuple(options)


def ask_pick(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Yang mana tempat Anda?"), pick_options(session, ctx)),)


def on_pick(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the chosen place; a typed name instead is a new search."""
    option = choose(inbound, pick_options(session, ctx))
    if option is None:
        if inbound.kind is InboundKind.TEXT and has_words(inbound.text):
            return on_query(session, inbound, ctx)
        return reprompt(session, inbound, ctx, ask_pick)
    if option.key == "area:again":
        return start(session, ctx)
    return _chosen(session, ctx, option.key.removeprefix("area:"))


def village_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    villages = ctx.gazetteer.villages_of(session.data.get("district", ""))[:MAX_VILLAGES_IN_DISTRICT]
    return tuple(Option(f"area:{v.code}", v.name) for v in villages)


def ask_village(session: Session, ctx: Context) -> tuple[Reply, ...]:
    district = ctx.gazetteer.get(session.data.get("district", ""))
    name = district.name if district else ""
    return (Reply(ctx.t("Desa atau kelurahan mana di Kecamatan {name}?", name=name), village_options(session, ctx)),)


def on_village(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the village within the chosen kecamatan."""
    option = choose(inbound, village_options(session, ctx))
    if option is None:
        if inbound.kind is InboundKind.TEXT and has_words(inbound.text):
            return Step(session, (not_understood(inbound, ctx), *ask_village(session, ctx)))
        return reprompt(session, inbound, ctx, ask_village)
    return _chosen(session, ctx, option.key.removeprefix("area:"))


def _chosen(session: Session, ctx: Context, code: str) -> Step:
    area = ctx.gazetteer.get(code)
    if area is None:
        return start(session, ctx)
    if area.level == 3:
        in_district = session.goto("village", district=code)
        return Step(in_district, ask_village(in_district, ctx))
    saved = Reply(ctx.t("Terima kasih. Tempat Anda: {place}.", place=ctx.gazetteer.label(code)))
    return Step(session.idle(), (saved,), (SetArea(code),), start_flow="menu")


FLOW = Flow(
    "area",
    start=start,
    states={
        "query": State(ask=ask_query, on_answer=on_query),
        "pick": State(ask=ask_pick, on_answer=on_pick),
        "village": State(ask=ask_village, on_answer=on_village),
    },
)
