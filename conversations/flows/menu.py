"""The main menu: one for households (KPM), one for companions and operators.

Some entries show only to the roles they serve: inviting to operators, e-Warong
visits to TKSK, the weekly digest to operators and TKSK.
"""

from __future__ import annotations

from conversations.effects import SendDigest, SendWebLink
from conversations.flow import Flow, State, reprompt
from conversations.flows import report
from conversations.help import help_reply
from conversations.matching import choose, clean, is_word
from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Step
from conversations.understand.classify import acknowledgement, asked_about

N_ = str  # marks a label for extraction; it is translated when shown

HOUSEHOLD_ENTRIES = (
    ("report", N_("Lapor masalah kartu atau bantuan"), ("lapor", "laporan", "lapor masalah", "report", "masalah", "masalah lain", "ada masalah", "ngadu", "aduan", "keluhan")),
    ("status", N_("Cek status laporan"), ("status", "cek", "cek status", "cek laporan", "laporan saya", "lihat laporan", "status laporan", "gimana laporan", "kabar laporan")),
    ("schedule", N_("Jadwal pertemuan dan penyaluran"), ("jadwal",)),
    ("area", N_("Ganti desa/kelurahan"), ("ganti desa", "ganti kelurahan", "desa", "kelurahan")),
    ("language", N_("Ganti bahasa"), ("ganti bahasa",)),
    ("help", N_("Bantuan"), ("tanya", "mau tanya", "info", "informasi", "cara pakai", "tolong")),
)

COMPANION_ENTRIES = (
    ("new_case", N_("Kasus baru"), ("kasus baru", "kasus", "catat")),
    ("my_cases", N_("Kasus saya"), ("kasus saya", "status", "cek status", "status kasus", "cek kasus", "kasus terbuka")),
    ("assisted", N_("Lapor untuk warga"), ("lapor untuk warga", "lapor")),
    ("schedule", N_("Jadwal"), ("jadwal",)),
    ("ewarong_visit", N_("Kunjungan e-Warong"), ("kunjungan", "kunjungan ewarong", "monitoring", "ewarong", "6 t", "6t")),
    ("digest", N_("Ringkasan mingguan"), ("ringkasan", "ringkasan lalu", "ringkasan minggu lalu", "summary", "summary last week")),
    ("invite", N_("Undang pendamping"), ("undang", "invite")),
    ("language", N_("Ganti bahasa"), ("ganti bahasa",)),
    ("help", N_("Bantuan"), ()),
    ("web", N_("Buka konsol web"), ("web", "konsol", "konsol web", "console", "web console")),
)  # "web" comes last so the numbers people know stay the same
OPERATOR_ONLY = {"invite"}
TKSK_ONLY = {"ewarong_visit"}

LAST_WEEK_WORDS = ("ringkasan lalu", "ringkasan minggu lalu", "summary last week")
DIGEST_ONLY = {"digest"}  # operators get their village's digest, TKSK their kecamatan's
JUMPS = {
    "language": "language", "area": "area", "report": "report", "status": "status", "assisted": "report",
    "my_cases": "cases", "new_case": "new_case", "invite": "invite", "schedule": "schedule",
    "ewarong_visit": "ewarong_visit",
}  # fmt: skip


def menu_options(ctx: Context) -> tuple[Option, ...]:
    entries = COMPANION_ENTRIES if ctx.person.is_companion else HOUSEHOLD_ENTRIES
    is_operator = any(role.role == "operator" for role in ctx.person.roles)
    is_tksk = any(role.role == "tksk" for role in ctx.person.roles)
    shown = [
        e for e in entries
        if (e[0] not in OPERATOR_ONLY or is_operator) and (e[0] not in TKSK_ONLY or is_tksk)
        and (e[0] not in DIGEST_ONLY or is_operator or is_tksk)
    ]  # fmt: skip
    return tuple(Option(f"menu:{key}", ctx.t(label), aliases) for key, label, aliases in shown)


def choice_key(inbound: Inbound, ctx: Context) -> str:
    """The menu entry a message picks (``"report"``), or ``""``."""
    option = choose(inbound, menu_options(ctx))
    return option.key.removeprefix("menu:") if option else ""


def _tells_more(inbound: Inbound) -> bool:
    """A sentence is a story, not a menu choice: "saya mau lapor kartu hilang" is read for its problem."""
    return inbound.kind is InboundKind.TEXT and len(clean(inbound.text).split()) > 3


def ask_choice(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Menu utama. Balas dengan nomor:"), menu_options(ctx)),)


def start(session: Session, ctx: Context) -> Step:
    """Shows the menu and waits for a choice."""
    menu = session.at("menu", "choice")
    return Step(menu, ask_choice(menu, ctx))


def on_choice(session: Session, inbound: Inbound, ctx: Context, *, greeting: bool = False) -> Step:
    """Runs the chosen entry. A household's problem told in its own words starts a report; thanks or an "oke"
    get a short answer; "when does the aid come?" the schedule, "when is my card ready?" the reports; anything else shows the menu (a greeting gets just the menu, not an apology)."""
    option = choose(inbound, menu_options(ctx))
    if inbound.kind is InboundKind.TEXT and not ctx.person.is_companion and (option is None or _tells_more(inbound)):
        reporting = report.start_from_words(session, ctx, inbound.text)
        if reporting is not None:
            return reporting
    if option is None:
        if inbound.kind in (InboundKind.PHOTO, InboundKind.VOICE) and inbound.media is not None and not ctx.person.is_companion:
            return report.start_with_media(session, ctx, inbound.media, inbound.kind.value, inbound.text)
        asked = asked_about(inbound.text) if inbound.kind is InboundKind.TEXT else ""
        if asked == "schedule" or (asked == "report" and not ctx.person.is_companion):  # the schedule or the
            return Step(session, start_flow=JUMPS["schedule" if asked == "schedule" else "status"])  # reports say
        acknowledged = acknowledgement(inbound.text) if inbound.kind is InboundKind.TEXT else ""
        if acknowledged:  # "makasih bu", "oke", "🙏" after news or a receipt: nothing was asked, nothing to redo
            thanks = ctx.t("Sama-sama.") if acknowledged == "thanks" else ctx.t("Baik.")
            return Step(session.idle(), (Reply(thanks + " " + ctx.t("Ketik MENU kapan saja bila perlu bantuan lagi.")),))
        if greeting and inbound.kind is InboundKind.TEXT:
            return Step(session, ask_choice(session, ctx))
        return reprompt(session, inbound, ctx, ask_choice)
    entry = option.key.removeprefix("menu:")
    if entry in JUMPS:
        return Step(session, start_flow=JUMPS[entry])
    if entry == "digest":
        last_week = inbound.kind is InboundKind.TEXT and is_word(inbound.text, LAST_WEEK_WORDS)
        return Step(session.idle(), (), (SendDigest(last_week=last_week),))  # the digest itself is the answer
    if entry == "web":
        return Step(session.idle(), (), (SendWebLink(),))  # the link itself is the answer
    return Step(session, (help_reply(ctx), *ask_choice(session, ctx)))


FLOW = Flow("menu", start=start, states={"choice": State(ask=ask_choice, on_answer=on_choice)})
