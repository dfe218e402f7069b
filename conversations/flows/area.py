"""Finding one's village by typing its name (or the kecamatan's).

The search is tolerant of case, spelling and the way people write a place
("pasteur bdg", "ds bandarkedungmulyo", "sy tinggal di pasteur"). One village
found by its exact name is taken at once (the reply says how to change it); a
misspelt name with one close match is asked about ("Maksud Anda: Pasteur …?").
Villages that share a name are told apart by kecamatan and city; when too many
share it ("Sukamaju" is 65 villages) the person is asked to add the kecamatan or
city. A word typed at a list narrows that list ("cibungbulang", "bogor") before
it is taken as a new search.
"""

from __future__ import annotations

from conversations.areas import SearchResult
from conversations.categories import guess
from conversations.effects import SetArea
from conversations.flow import Flow, State, reprompt
from conversations.flows.onboarding import FIRST
from conversations.matching import choose, has_words, is_word, means, option_number
from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Step

MAX_CHOICES = 9
MAX_VILLAGES_IN_DISTRICT = 60
SEARCH_AGAIN = ("cari lagi", "cari", "bukan", "ganti", "ganti desa", "ganti kelurahan")


def ask_query(session: Session, ctx: Context) -> tuple[Reply, ...]:
    within = session.data.get("within")
    if within:
        return (Reply(ctx.t("Di {place}, desa atau kelurahan mana tempat Anda? Tulis namanya.", place=within.title())),)
    return (Reply(ctx.t("Di desa atau kelurahan mana Anda tinggal? Tulis namanya, contoh: Pasteur")),)


def start(session: Session, ctx: Context) -> Step:
    """Asks for the name of the village."""
    resume = session.data.get("resume") if session.flow == "area" else None
    searching = session.at("area", "query", **({"resume": resume} if resume else {}))
    return Step(searching, ask_query(searching, ctx))


def change(session: Session, ctx: Context) -> Step:
    """GANTI DESA typed anywhere: the village is asked, then the interrupted question comes back."""
    pending = session.flow not in ("", "menu", "area")
    resume = {"flow": session.flow, "state": session.state, "data": dict(session.data)} if pending else None
    searching = session.at("area", "query", **({"resume": resume} if resume else {}))
    return Step(searching, ask_query(searching, ctx))


def on_query(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Searches the area list; takes the one exact match, or offers the matches, or asks to narrow down."""
    if inbound.kind is not InboundKind.TEXT or not has_words(inbound.text):
        return reprompt(session, inbound, ctx, ask_query)
    query = inbound.text.strip()
    found = _search(ctx, query, session.data.get("within", ""))
    if found.empty or found.fuzzy:
        told = _problem_told(session, inbound, ctx)
        if told is not None:
            return told
    if found.empty and found.regions:
        narrowing = session.goto("query", within=found.region_name)
        return Step(narrowing, ask_query(narrowing, ctx))
    if found.empty:
        sorry = Reply(
            ctx.t(
                "Maaf, \"{query}\" tidak ditemukan. Coba tulis lagi nama desa atau kelurahan, "
                "atau nama kecamatannya.",
                query=query[:60],
            )
        )
        return Step(session.goto("query"), (sorry,))
    sole = found.sole
    if sole is not None and found.fuzzy:
        confirming = session.goto("confirm", candidate=sole.code)
        return Step(confirming, ask_confirm(confirming, ctx))
    if sole is not None:
        return _chosen(session, ctx, sole.code, directly=True)
    candidates = [a.code for a in found.villages + found.districts]
    if len(candidates) > MAX_CHOICES:
        first = found.villages[0] if found.villages else found.districts[0]
        example = " ".join(ctx.gazetteer.label(first.code).split(", ")[:2])
        hint = Reply(
            ctx.t(
                "Ada {count} tempat bernama \"{name}\". Tulis juga nama kecamatan atau kotanya, "
                "contoh: {example}",
                count=len(candidates),
                name=first.name,
                example=example,
            )
        )
        return Step(session.goto("query"), (hint,))
    picking = session.goto("pick", candidates=candidates)
    return Step(picking, ask_pick(picking, ctx))


def _search(ctx: Context, query: str, within: str) -> SearchResult:
    """The search, inside the city or province the person named before ("jakarta", then "gambir"),
    unless the name alone is found exactly and only a spelling like it is found there, or it names
    another city or province."""
    found = ctx.gazetteer.search(query)
    if within and not found.regions:
        inside = ctx.gazetteer.search(f"{query} {within}")
        if not inside.empty and (found.empty or found.fuzzy or not inside.fuzzy):
            return inside
    return found


def _place(ctx: Context, code: str) -> str:
    area = ctx.gazetteer.get(code)
    label = ctx.gazetteer.label(code)
    return ctx.t("Kecamatan {name}", name=label) if area is not None and area.level == 3 else label


def confirm_options(ctx: Context) -> tuple[Option, ...]:
    return (
        Option("area:yes", ctx.t("Ya, betul"), ("betul", "benar"), means=("yes",)),
        Option("area:again", ctx.t("Bukan, cari lagi"), (*SEARCH_AGAIN, "salah"), means=("no",)),
    )


def ask_confirm(session: Session, ctx: Context) -> tuple[Reply, ...]:
    place = _place(ctx, session.data.get("candidate", ""))
    return (Reply(ctx.t("Maksud Anda: {place}?", place=place), confirm_options(ctx)),)


def on_confirm(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Yes takes the place meant; no asks again; a name typed instead is a new search."""
    option = choose(inbound, confirm_options(ctx))
    if option is None:
        if _typed_name(inbound):
            return on_query(session, inbound, ctx)
        return reprompt(session, inbound, ctx, ask_confirm)
    if option.key == "area:again":
        return start(session, ctx)
    return _chosen(session, ctx, session.data.get("candidate", ""))


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
    options.append(Option("area:again", ctx.t("Bukan, cari lagi"), (*SEARCH_AGAIN, "tidak"), means=("no",)))
    return tuple(options)


def ask_pick(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Yang mana tempat Anda?"), pick_options(session, ctx)),)


def on_pick(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the chosen place; a typed word that fits some of the list narrows it; another name is a new search."""
    option = choose(inbound, pick_options(session, ctx))
    if option is None:
        if not _typed_name(inbound):
            return reprompt(session, inbound, ctx, ask_pick)
        candidates = session.data.get("candidates", [])
        fitting = ctx.gazetteer.fitting(candidates, inbound.text)
        if not fitting:
            return on_query(session, inbound, ctx)
        if len(fitting) == len(candidates):
            return reprompt(session, inbound, ctx, ask_pick)
        return _narrowed(session, ctx, fitting)
    if option.key == "area:again":
        return start(session, ctx)
    return _chosen(session, ctx, option.key.removeprefix("area:"))


def village_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    villages = ctx.gazetteer.villages_of(session.data.get("district", ""))[:MAX_VILLAGES_IN_DISTRICT]
    return tuple(Option(f"area:{v.code}", v.name) for v in villages)


def ask_village(session: Session, ctx: Context) -> tuple[Reply, ...]:
    question = ctx.t("Desa atau kelurahan mana di Kecamatan {name}?", name=_district_name(session, ctx))
    return (Reply(question, village_options(session, ctx)),)


def on_village(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the village within the chosen kecamatan, also by a part or a close spelling of its name;
    the name of a place elsewhere, or "bukan" / "cari lagi", is a new search."""
    option = choose(inbound, village_options(session, ctx))
    if option is not None:
        return _chosen(session, ctx, option.key.removeprefix("area:"))
    if not _typed_name(inbound):
        return reprompt(session, inbound, ctx, ask_village)
    if means(inbound, "no") or is_word(inbound.text, SEARCH_AGAIN):
        return start(session, ctx)
    district = session.data.get("district", "")
    villages = [v.code for v in ctx.gazetteer.villages_of(district)]
    fitting = ctx.gazetteer.fitting(villages, inbound.text, by_name_only=True)
    if fitting:
        return _narrowed(session, ctx, fitting)
    elsewhere = ctx.gazetteer.search(inbound.text)
    if not elsewhere.fuzzy and (not elsewhere.empty or elsewhere.regions):
        return on_query(session, inbound, ctx)
    told = _problem_told(session, inbound, ctx)
    if told is not None:
        return Step(told.session.goto("village"), (*told.replies[:1], *ask_village(session, ctx)))
    sorry = Reply(
        ctx.t(
            "Maaf, \"{query}\" tidak ada di Kecamatan {name}.",
            query=inbound.text.strip()[:60],
            name=_district_name(session, ctx),
        )
    )
    return Step(session, (sorry, *ask_village(session, ctx)))


def _problem_told(session: Session, inbound: Inbound, ctx: Context) -> Step | None:
    """A problem told where the place is asked ("kartu saya hilang pak"): kept to be reported as soon as the
    village is known, and the place asked again. None when the words name no problem, or when the village is
    being changed in the middle of something else."""
    if session.data.get("resume"):
        return None
    category = guess(inbound.text)
    if category is None:
        return None
    kept = session.data.get(FIRST) or {}
    if guess(kept.get("text", "")) is None:  # a greeting kept before gives way to the problem
        session = session.goto(session.state, **{FIRST: {"kind": inbound.kind.value, "text": inbound.text[:500]}})
    noted = Reply(
        ctx.t(
            "Baik, laporan \"{problem}\" kita lanjutkan sesudah ini. Kami perlu tahu tempat Anda dulu.",
            problem=ctx.t(category.label),
        )
    )
    return Step(session.goto("query"), (noted, *ask_query(session, ctx)))


def _district_name(session: Session, ctx: Context) -> str:
    district = ctx.gazetteer.get(session.data.get("district", ""))
    return district.name if district else ""


def _typed_name(inbound: Inbound) -> bool:
    """A typed answer that may name a place (not a number out of range, not only emoji)."""
    return inbound.kind is InboundKind.TEXT and has_words(inbound.text) and option_number(inbound.text) is None


def _narrowed(session: Session, ctx: Context, codes: tuple[str, ...]) -> Step:
    if len(codes) == 1:
        return _chosen(session, ctx, codes[0])
    picking = session.goto("pick", candidates=list(codes))
    return Step(picking, ask_pick(picking, ctx))


def _chosen(session: Session, ctx: Context, code: str, *, directly: bool = False) -> Step:
    """Stores a village (saying how to change it when it was taken without asking); a kecamatan lists its villages."""
    area = ctx.gazetteer.get(code)
    if area is None:
        return start(session, ctx)
    if area.level == 3:
        in_district = session.goto("village", district=code)
        return Step(in_district, ask_village(in_district, ctx))
    place = ctx.gazetteer.label(code)
    if directly:
        saved = Reply(ctx.t("Terima kasih. Tempat Anda: {place}. (Salah? Ketik GANTI DESA.)", place=place))
    else:
        saved = Reply(ctx.t("Terima kasih. Tempat Anda: {place}.", place=place))
    resume = session.data.get("resume")
    if resume:
        back = session.at(resume["flow"], resume["state"], **resume.get("data", {}))
        return Step(back, (saved,), (SetArea(code),), reask=True)
    return Step(session.idle(), (saved,), (SetArea(code),), start_flow="menu")


FLOW = Flow(
    "area",
    start=start,
    states={
        "query": State(ask=ask_query, on_answer=on_query),
        "confirm": State(ask=ask_confirm, on_answer=on_confirm),
        "pick": State(ask=ask_pick, on_answer=on_pick),
        "village": State(ask=ask_village, on_answer=on_village),
    },
)
