"""A companion's cases: "Kasus saya" (open cases assigned to me, overdue first, five a page), one case by its
code, and working it — a note, a status (with destination, outcome or reason), the KKS procedure step, the
next follow-up date. Every change is an ``UpdateCase`` effect; the shell checks the companion may touch
the case, records it on the case's timeline, and tells the household.
"""

from __future__ import annotations

from datetime import date

from conversations.dates import format_day, parse_date, past_date
from conversations.effects import UpdateCase
from conversations.flow import Flow, State, reprompt
from conversations.flows.report_questions import STEP_LABELS, VOICE_ANSWER, answer_lines, status_line
from conversations.matching import choose, has_words
from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Step, WorkCaseView

FLOW_NAME = "cases"
PAGE = 5
N_ = str

# An answer holding an action's words picks it ("sdh selesai", "dirujuk ke puskesmas", "lagi ditangani",
# "tutup aja"), see ``conversations.matching.choose``.
ACTIONS = (
    ("note", N_("Tambah catatan, foto, atau suara"), ("catatan", "catat", "foto", "note", "tambah catatan")),
    ("in_progress", N_("Sedang ditangani"), (
        "tangani", "ditangani", "proses", "diproses", "sedang diproses", "masih diproses", "masih ditangani",
        "in progress", "handling",
    )),
    ("referred", N_("Dirujuk ke layanan"), ("rujuk", "dirujuk", "rujukan", "refer", "referred")),
    ("resolved", N_("Selesai, dengan hasil"), (
        "selesai", "sudah selesai", "beres", "sudah beres", "tuntas", "berhasil", "resolved", "done",
    )),
    ("closed_unresolved", N_("Ditutup tanpa hasil"), (
        "tutup", "ditutup", "tutup saja", "tutup aja", "tidak berhasil", "gagal", "close", "closed",
    )),
    ("step", N_("Langkah KKS"), ("langkah", "step", "langkah kks", "kks")),
    ("follow_up", N_("Tanggal tindak lanjut"), ("tindak lanjut", "tanggal", "follow up", "date", "jadwal ulang")),
    ("cost", N_("Biaya yang saya bayar sendiri"), ("biaya", "ongkos", "rp", "cost", "costs", "uang saya")),
    ("handover", N_("Serahkan ke pendamping lain"), ("serahkan", "oper", "alihkan", "hand over", "handover")),
    ("back", N_("Kembali ke daftar"), ("kembali", "daftar", "back", "list")),
)  # fmt: skip
ASK_FOR_NOTE = {
    "note": N_("Tulis catatannya, atau kirim foto atau pesan suara."),
    "consent": N_("Sebelum merujuk: siapa dari keluarga yang setuju? Tulis nama dan hubungannya, contoh: Bu Sari (anak)."),
    "cost": N_("Berapa yang Anda bayar sendiri, dan untuk apa? Contoh: 25000 ongkos ojek ke Puskesmas"),
    "handover": N_("Tulis nomor HP pendamping yang akan meneruskan kasus ini."),
    "referred": N_("Dirujuk ke mana? Contoh: Puskesmas Sukajadi, Dinas Sosial"),
    "resolved": N_("Apa hasilnya? Contoh: kartu sudah diterima"),
    "closed_unresolved": N_("Kenapa ditutup tanpa hasil?"),
}
# The KKS replacement steps, each with the words people use for it: "surat keterangan desa",
# "udah ke polsek", "sdh ke dinsos", "kartu sdh jadi" (an answer holding those words picks the step).
STEP_WORDS = {
    "letter": (
        "surat", "desa", "surat desa", "surat keterangan", "surat pengantar", "kelurahan", "kantor desa", "letter",
    ),
    "police": (
        "polsek", "polisi", "kantor polisi", "polres", "lapor polisi", "surat kehilangan", "police",
    ),
    "dinsos": ("dinsos", "dinas", "dinas sosial", "social affairs"),
    "bank": ("bank", "bri", "bni", "mandiri", "bsi", "himbara", "kantor bank"),
    "card_received": (
        "diterima", "kartu diterima", "sudah diterima", "kartu jadi", "kartu sudah jadi", "kartu baru",
        "kartu sudah ada", "kartu sudah diterima", "card received", "received", "new card",
    ),
}  # fmt: skip


def start(session: Session, ctx: Context) -> Step:
    """Lists the open cases assigned to me, overdue first."""
    listing = session.at(FLOW_NAME, "list", page=0)
    return Step(listing, ask_list(listing, ctx))


def _ordered(ctx: Context) -> list[WorkCaseView]:
    return sorted(ctx.person.work, key=lambda c: (not c.overdue, c.follow_up or "9999", c.reference))


def list_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    page = session.data.get("page", 0)
    cases = _ordered(ctx)[page * PAGE : (page + 1) * PAGE]
    options = [Option(f"case:{c.reference}", _line(c, ctx), (c.reference,)) for c in cases]
    if len(ctx.person.work) > (page + 1) * PAGE:
        options.append(Option("list:next", ctx.t("Berikutnya"), ("lagi", "next", "berikutnya")))
    return tuple(options)


def _line(case: WorkCaseView, ctx: Context) -> str:
    line = f"{case.reference} {case.household_name or '-'}: {status_line('', case.category, case.status, '', ctx.t)[3:]}"
    return line + (" - " + ctx.t("TERLAMBAT") if case.overdue else "")


def ask_list(session: Session, ctx: Context) -> tuple[Reply, ...]:
    if not ctx.person.work:
        return (Reply(ctx.t("Tidak ada kasus terbuka untuk Anda. Ketik nomor kasus (contoh KB-7Q4K2) untuk membuka kasus di wilayah Anda.")),)
    return (Reply(ctx.t("Kasus Anda ({count}). Pilih nomor:", count=len(ctx.person.work)), list_options(session, ctx)),)


def on_list(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Opens the chosen case, or shows the next page."""
    if not ctx.person.work:
        return Step(session.idle(), start_flow="menu")
    option = choose(inbound, list_options(session, ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_list)
    if option.key == "list:next":
        following = session.goto("list", page=session.data.get("page", 0) + 1)
        return Step(following, ask_list(following, ctx))
    return open_case(session, ctx, option.key.removeprefix("case:"))


def open_case(session: Session, ctx: Context, reference: str) -> Step:
    """Shows one case and what can be done with it, if the companion may see it."""
    if _case(ctx, reference) is None:
        unknown = Reply(ctx.t("Kasus {reference} tidak ditemukan di wilayah Anda.", reference=reference))
        return Step(session.idle(), (unknown,), start_flow="menu")
    showing = session.at(FLOW_NAME, "case", reference=reference)
    return Step(showing, ask_case(showing, ctx))


def _case(ctx: Context, reference: str) -> WorkCaseView | None:
    return next((c for c in ctx.person.work if c.reference == reference), None)


def action_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    case = _case(ctx, session.data["reference"])
    shown = [a for a in ACTIONS if a[0] != "step" or (case is not None and case.tracks_steps)]
    return tuple(Option(f"act:{key}", ctx.t(label), words) for key, label, words in shown)


def ask_case(session: Session, ctx: Context) -> tuple[Reply, ...]:
    case = _case(ctx, session.data["reference"])
    if case is None:
        return ()
    lines = [
        status_line(case.reference, case.category, case.status, case.procedure_step, ctx.t),
        ctx.t("Keluarga: {name}", name=case.household_name or "-"),
        ctx.t("Tempat: {place}", place=case.place),
        *answer_lines(case.answers, ctx.t),
    ]
    if case.follow_up:
        lines.append(ctx.t("Tindak lanjut: {date}", date=format_day(date.fromisoformat(case.follow_up), ctx.person.locale)))
    return (Reply("\n".join(lines)), Reply(ctx.t("Apa yang mau dicatat?"), action_options(session, ctx)))


def on_case(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the action; some need one more answer (a note, a step, a date)."""
    option = choose(inbound, action_options(session, ctx))
    if option is None:
        return reprompt(session, inbound, ctx, lambda s, c: ask_case(s, c)[1:])
    action = option.key.removeprefix("act:")
    reference = session.data["reference"]
    if action == "back":
        return start(session, ctx)
    if action == "in_progress":
        return _done(session, ctx, UpdateCase(reference, "status", "in_progress"))
    if action == "step":
        choosing = session.goto("step")
        return Step(choosing, ask_step(choosing, ctx))
    if action == "follow_up":
        dating = session.goto("follow_up")
        return Step(dating, ask_follow_up(dating, ctx))
    writing = session.goto("note", action="consent" if action == "referred" else action)
    return Step(writing, ask_note(writing, ctx))


def ask_note(session: Session, ctx: Context) -> tuple[Reply, ...]:
    question = ASK_FOR_NOTE[session.data["action"]]
    return (Reply(ctx.t(question)),)


def on_note(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Records the note, destination, outcome or reason."""
    media = (inbound.media.ref,) if inbound.media is not None else ()
    if inbound.kind is InboundKind.TEXT and has_words(inbound.text):
        text = inbound.text.strip()
    elif media:
        text = inbound.text.strip() or (VOICE_ANSWER if inbound.kind is InboundKind.VOICE else "")
    else:
        return reprompt(session, inbound, ctx, ask_note)
    action, reference = session.data["action"], session.data["reference"]
    if action == "consent":  # the family agreed; now where to
        destination = session.goto("note", action="referred", consent=text)
        return Step(destination, ask_note(destination, ctx))
    if action == "cost":
        amount = "".join(ch for ch in text.split()[0] if ch.isdigit()) if text.split() else ""
        if not amount:
            return reprompt(session, inbound, ctx, ask_note)
        return _done(session, ctx, UpdateCase(reference, "cost", amount, note=text))
    if action in ("note", "handover"):
        return _done(session, ctx, UpdateCase(reference, action, text if action == "handover" else "", note=text, media=media))
    consent = session.data.get("consent", "")
    return _done(session, ctx, UpdateCase(reference, "status", action, note=text, media=media, consent=consent))


def step_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(Option(f"step:{code}", ctx.t(STEP_LABELS[code]), words) for code, words in STEP_WORDS.items())


def ask_step(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Sampai langkah mana?"), step_options(ctx)),)


def on_step(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Records the KKS procedure step reached."""
    option = choose(inbound, step_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_step)
    return _done(session, ctx, UpdateCase(session.data["reference"], "step", option.key.removeprefix("step:")))


def ask_follow_up(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Kapan tindak lanjut berikutnya? Contoh: besok, 3 hari, 5/12")),)


def on_follow_up(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Records the next follow-up date."""
    text = inbound.text if inbound.kind is InboundKind.TEXT else ""
    day = parse_date(text, ctx.today)
    if day is None and past_date(text, ctx.today) is not None:
        past = Reply(ctx.t("Tanggal itu sudah lewat. Pilih hari ini atau sesudahnya."))
        return Step(session, (past, *ask_follow_up(session, ctx)))
    if day is None:
        return reprompt(session, inbound, ctx, ask_follow_up)
    return _done(session, ctx, UpdateCase(session.data["reference"], "follow_up", day.isoformat()))


def _done(session: Session, ctx: Context, effect: UpdateCase) -> Step:
    saved = Reply(ctx.t("Tercatat di kasus {reference}.", reference=effect.reference))
    if effect.action == "follow_up":
        day = format_day(date.fromisoformat(effect.value), ctx.person.locale)
        saved = Reply(ctx.t("Tercatat: tindak lanjut kasus {reference} pada {date}.", reference=effect.reference, date=day))
    return Step(session.idle(), (saved,), (effect,), start_flow="menu")


FLOW = Flow(
    FLOW_NAME,
    start=start,
    states={
        "list": State(ask=ask_list, on_answer=on_list),
        "case": State(ask=ask_case, on_answer=on_case),
        "note": State(ask=ask_note, on_answer=on_note),
        "step": State(ask=ask_step, on_answer=on_step),
        "follow_up": State(ask=ask_follow_up, on_answer=on_follow_up),
    },
)
