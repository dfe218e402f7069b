"""A companion's cases: "Kasus saya" (open cases assigned to me and those of my areas nobody has taken;
overdue first, five a page), one case by its
code, and working it — a note, a status (with destination, outcome or reason), the KKS procedure step, the
next follow-up date. Every change is an ``UpdateCase`` effect; the shell checks the companion may touch
the case, records it on the case's timeline, and tells the household.

An opened case is shown whole: the household's phone (only when the shell gives it: to the assignee and the
area's operators), who filed it and how, the answers and the household's own words, the story, plan and
partners, photos and voice notes (sent as media), costs, follow-up and the notes timeline, in pages of at most
``PAGE_CHARS`` characters ("Berikutnya" shows the next). After each action the case's own actions come back,
with a one-line confirmation, so the next one is one answer away.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from babel.dates import format_date

from conversations.dates import format_day, parse_date, past_date
from conversations.effects import CountWrongCode, UpdateCase
from conversations.flow import Flow, State, reprompt
from conversations.flows.new_case import PARTNERS, SOURCE_LABELS
from conversations.flows.report_questions import (
    STATUS_LABELS,
    STEP_LABELS,
    VOICE_ANSWER,
    answer_lines,
    shown_answer,
    status_line,
)  # fmt: skip
from conversations.flows.status import find_reference, paused_notice
from conversations.matching import choose, clean, has_words
from conversations.times import format_time
from conversations.types import (
    CaseNoteView,
    Context,
    Inbound,
    InboundKind,
    MediaRef,
    Option,
    Reply,
    Session,
    Step,
    WorkCaseView,
)  # fmt: skip

FLOW_NAME = "cases"
PAGE = 5
PAGE_CHARS = 1200
"""A case is shown in messages of at most this many characters."""
MAX_MEDIA = 10
"""Photos and voice notes sent with an opened case (WhatsApp takes ten attachments to a message)."""
NOTE_CHARS = 2000
"""What anyone wrote is shown whole (stories are kept up to 2,000 characters); pages take the length."""
LONG_LINE = 200
"""A line longer than this may be split across pages; a shorter one moves whole to the next page."""
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
TAKE = ("take", N_("Ambil kasus ini (saya yang menangani)"), ("ambil", "ambil kasus", "saya ambil", "saya tangani", "take"))
"""Offered first on a case nobody handles yet."""
MORE = ("more", N_("Berikutnya"), ("berikutnya", "selanjutnya", "halaman berikutnya", "next", "next page", "more"))
"""Offered, after the actions, while the case has pages not yet shown."""
FILED = {
    "household": N_("Dilaporkan keluarga sendiri lewat chat, {when}"),
    "assisted": N_("Dilaporkan oleh {name} untuk keluarga ini, {when}"),
    "companion": N_("Dicatat oleh {name}, {when}"),
}
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
    """Lists the open cases assigned to me and those of my areas nobody has taken, overdue first."""
    listing = session.at(FLOW_NAME, "list", page=0)
    return Step(listing, ask_list(listing, ctx))


def _ordered(ctx: Context) -> list[WorkCaseView]:
    return sorted(ctx.person.work, key=lambda c: (not c.overdue, not c.unassigned, c.follow_up or "9999", c.reference))


def list_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    page = session.data.get("page", 0)
    cases = _ordered(ctx)[page * PAGE : (page + 1) * PAGE]
    options = [Option(f"case:{c.reference}", _line(c, ctx), (c.reference,)) for c in cases]
    if len(ctx.person.work) > (page + 1) * PAGE:
        options.append(Option("list:next", ctx.t("Berikutnya"), ("lagi", "next", "berikutnya")))
    return tuple(options)


def _line(case: WorkCaseView, ctx: Context) -> str:
    line = f"{case.reference} {case.household_name or '-'}: {status_line('', case.category, case.status, '', ctx.t)[3:]}"
    if case.unassigned:
        line += " - " + ctx.t("BELUM ADA YANG MENANGANI")
    return line + (" - " + ctx.t("TERLAMBAT") if case.overdue else "")


def summary(ctx: Context) -> Reply:
    """The open cases assigned to me as plain lines, overdue first: shown in the middle of another question, so
    without numbers that could be taken as its answer."""
    if not ctx.person.work:
        return Reply(ctx.t("Tidak ada kasus terbuka untuk Anda."))
    work = _ordered(ctx)
    overdue = sum(1 for case in work if case.overdue)
    heading = (
        ctx.t("Kasus terbuka untuk Anda: {count}, {overdue} terlambat.", count=len(work), overdue=overdue)
        if overdue
        else ctx.t("Kasus terbuka untuk Anda: {count}.", count=len(work))
    )
    lines = [heading, *(_line(case, ctx) for case in work[:PAGE])]
    if len(work) > PAGE:
        lines.append(ctx.t("Semua kasus: pilih Kasus saya di menu."))
    return Reply("\n".join(lines))


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
    """Shows one case whole, its photos and voice notes, and what can be done with it, if the companion may see it."""
    if ctx.codes_paused_until:  # too many wrong codes: none is checked for now
        return Step(session.idle(), (Reply(paused_notice(ctx.t, ctx.codes_paused_until)),))
    case = _case(ctx, reference)
    if case is None:
        unknown = Reply(ctx.t("Kasus {reference} tidak ditemukan di wilayah Anda.", reference=reference))
        return Step(session.idle(), (unknown,), (CountWrongCode(reference),), start_flow="menu")
    showing = session.at(FLOW_NAME, "case", reference=reference, page=0)
    page, viewed = shown_page(case, ctx, 0)
    return Step(showing, (page, *media_replies(case, ctx), *ask_actions(showing, ctx)), viewed)


def _case(ctx: Context, reference: str) -> WorkCaseView | None:
    return next((c for c in ctx.person.work if c.reference == reference), None)


def action_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    case = _case(ctx, session.data["reference"])
    shown = [a for a in ACTIONS if a[0] != "step" or (case is not None and case.tracks_steps)]
    if case is not None and case.unassigned:
        shown.insert(0, TAKE)
    if case is not None and session.data.get("page", 0) + 1 < len(case_pages(case, ctx)):
        shown.append(MORE)
    return tuple(Option(f"act:{key}", ctx.t(label), words) for key, label, words in shown)


def ask_case(session: Session, ctx: Context) -> tuple[Reply, ...]:
    """The page of the case the companion is at, then the actions (asked again, e.g. in another language:
    without the household's phone, which is shown, and audited, when the case is opened)."""
    case = _case(ctx, session.data["reference"])
    if case is None:
        return ()
    page, _viewed = shown_page(case, ctx, session.data.get("page", 0), contact=False)
    return (page, *ask_actions(session, ctx))


def ask_actions(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Apa yang mau dicatat?"), action_options(session, ctx)),)


def on_case(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the action; some need one more answer (a note, a step, a date). Another case's code opens that case."""
    option = choose(inbound, action_options(session, ctx))
    asked = find_reference(inbound.text) if inbound.kind is InboundKind.TEXT else None
    if option is None and asked:
        return open_case(session, ctx, asked)
    if option is None and _is_a_note(inbound):  # a busy companion types the note straight away
        return _done(session, ctx, UpdateCase(session.data["reference"], "note", "", note=inbound.text.strip()))
    if option is None and inbound.kind in (InboundKind.PHOTO, InboundKind.VOICE) and inbound.media is not None:
        kept = (inbound.media.ref,)
        note = inbound.text.strip() or (VOICE_ANSWER if inbound.kind is InboundKind.VOICE else "")
        return _done(session, ctx, UpdateCase(session.data["reference"], "note", "", note=note, media=kept))
    if option is None:
        return reprompt(session, inbound, ctx, ask_actions)
    action = option.key.removeprefix("act:")
    reference = session.data["reference"]
    if action == "more":
        following = session.goto("case", page=session.data.get("page", 0) + 1)
        case = _case(ctx, reference)
        if case is None:  # "more" is offered only for a case in view
            return reprompt(session, inbound, ctx, ask_actions)
        page, viewed = shown_page(case, ctx, following.data["page"])
        return Step(following, (page, *ask_actions(following, ctx)), viewed)
    if action == "back":
        return start(session, ctx)
    if action == "in_progress":
        return _done(session, ctx, UpdateCase(reference, "status", "in_progress"))
    if action == "take":
        return _done(session, ctx, UpdateCase(reference, "take", ""))
    if action == "step":
        choosing = session.goto("step")
        return Step(choosing, ask_step(choosing, ctx))
    if action == "follow_up":
        dating = session.goto("follow_up")
        return Step(dating, ask_follow_up(dating, ctx))
    writing = session.goto("note", action="consent" if action == "referred" else action)
    return Step(writing, ask_note(writing, ctx))


NOTE_WORDS = 3
"""Words that fit no action and are at least this many are a note on the case."""


def _is_a_note(inbound: Inbound) -> bool:
    return inbound.kind is InboundKind.TEXT and len(clean(inbound.text).split()) >= NOTE_WORDS


def shown_page(case: WorkCaseView, ctx: Context, number: int, *, contact: bool = True) -> tuple[Reply, tuple[UpdateCase, ...]]:
    """Page ``number`` (from 0) of the case, and ``UpdateCase(reference, "contact_viewed")`` when it shows the
    household's phone, so the shell writes it in the audit log."""
    pages = case_pages(case, ctx)
    number = max(0, min(number, len(pages) - 1))
    lines = pages[number]
    phone = _contact_line(case, ctx)
    if not contact:
        lines = [line for line in lines if line != phone]
    viewed = (UpdateCase(case.reference, "contact_viewed"),) if phone and phone in lines else ()
    if len(pages) > 1:
        lines = [
            *([ctx.t("Kasus {reference}, lanjutan:", reference=case.reference)] if number else []),
            *lines,
            ctx.t("Halaman {page} dari {pages}", page=number + 1, pages=len(pages)),
        ]
    return Reply("\n".join(lines)), viewed


def case_pages(case: WorkCaseView, ctx: Context) -> list[list[str]]:
    """The case's lines in pages of at most ``PAGE_CHARS`` characters (with room to say which page it is); a long
    line (a story) fills the rest of a page and goes on at the top of the next."""
    budget = PAGE_CHARS - 80
    pages: list[list[str]] = [[]]
    for line in case_lines(case, ctx):
        rest = line
        while rest:
            room = budget - len("\n".join(pages[-1])) - (1 if pages[-1] else 0)
            if len(rest) <= room:
                pages[-1].append(rest)
                break
            if room >= LONG_LINE or not pages[-1]:
                head, rest = _cut(rest, max(room, LONG_LINE))
                pages[-1].append(head)
            pages.append([])
    return pages


def _cut(line: str, width: int) -> tuple[str, str]:
    """The words of ``line`` that fit in ``width`` characters, and the rest."""
    cut = line.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else width
    return line[:cut], line[cut:].lstrip()


def case_lines(case: WorkCaseView, ctx: Context) -> list[str]:
    """Everything the companion may know of the case, one line per fact; what is not known is left out."""
    t = ctx.t
    family = t("Keluarga: {name}", name=case.household_name or "-")
    if case.rt or case.rw:
        family += f" (RT {case.rt or '-'}/RW {case.rw or '-'})"
    lines = [status_line(case.reference, case.category, case.status, case.procedure_step, t), family]
    lines.append(t("Tempat: {place}", place=case.place))
    if case.contact is not None:
        lines.append(_contact_line(case, ctx))
    if case.filed_as in FILED:
        lines.append(t(FILED[case.filed_as], name=case.filed_by or "-", when=_when(case.opened_at, ctx)))
    if case.source in SOURCE_LABELS:
        lines.append(t("Sumber: {source}", source=t(SOURCE_LABELS[case.source])))
    lines += answer_lines({key: value for key, value in case.answers.items() if key != "message"}, t)
    if case.answers.get("message"):
        lines.append(t("Kata keluarga: {words}", words=_shown(case.answers["message"], ctx)))
    if case.story:
        lines.append(t("Cerita: {story}", story=_shown(case.story, ctx)))
    if case.planned_steps:
        lines.append(t("Rencana: {steps}", steps=_shown(case.planned_steps, ctx)))
    if case.partners:
        named = [t(label) for code, label, _words in PARTNERS if code in case.partners]
        lines.append(t("Dilibatkan: {partners}", partners=", ".join(named) or "-"))
    lines += _media_lines(case.media, ctx)
    if case.personal_costs:
        lines.append(t("Biaya sendiri: {amount}", amount=shown_answer("amount", str(case.personal_costs), t)))
    if case.follow_up:
        when = t("Tindak lanjut: {date}", date=format_day(date.fromisoformat(case.follow_up), ctx.person.locale))
        lines.append(when + (" - " + t("TERLAMBAT") if case.overdue else ""))
    if case.notes:
        lines.append(t("Catatan:"))
        lines += [_note_line(note, ctx) for note in case.notes]
    return lines


def _contact_line(case: WorkCaseView, ctx: Context) -> str:
    """``HP: +62 812-0000-0004 · tel:+6281200000004 · https://wa.me/6281200000004`` (a tap calls, the link chats)."""
    if case.contact is None:
        return ""
    contact = case.contact
    return ctx.t("HP: {phone} · {call} · {chat}", phone=contact.phone, call=contact.call, chat=contact.chat)


def _media_lines(media: tuple[MediaRef, ...], ctx: Context) -> list[str]:
    photos = sum(1 for m in media if m.mime_type.startswith("image/"))
    voices = sum(1 for m in media if m.mime_type.startswith("audio/"))
    other = len(media) - photos - voices
    lines = [ctx.t("Foto: {count}", count=photos)] if photos else []
    lines += [ctx.t("Pesan suara: {count}", count=voices)] if voices else []
    return lines + ([ctx.t("Foto/suara: {count}", count=other)] if other else [])


def _note_line(note: CaseNoteView, ctx: Context) -> str:
    t = ctx.t
    match note.kind:
        case "status_changed":
            changes = [t(STATUS_LABELS.get(note.status, note.status))] if note.status else []
            if note.step:
                changes.append(t("langkah: {step}", step=t(STEP_LABELS.get(note.step, note.step))))
            what = ", ".join(changes) + (f": {_shown(note.text, ctx)}" if note.text else "")
        case "consent_recorded":
            what = t("Keluarga setuju: {who}", who=_shown(note.text, ctx))
        case "cost_recorded":
            what = t("Biaya sendiri: {amount}", amount=shown_answer("amount", note.value, t))
            what += f" ({_shown(note.text, ctx)})" if note.text else ""
        case "follow_up_set":
            day = format_day(date.fromisoformat(note.value), ctx.person.locale) if note.value else "-"
            what = t("Tindak lanjut: {date}", date=day)
        case "handed_over":
            what = t("Diserahkan kepada {name}", name=note.value or "-")
        case "report_attached":
            what = t("Keluarga melapor lagi: {note}", note=_shown(note.text, ctx))
        case _:
            what = _shown(note.text, ctx) if note.text else ""
    if note.media:
        what = (what + " " if what else "") + "(" + t("Foto/suara: {count}", count=len(note.media)) + ")"
    return f"- {_when(note.at, ctx)} {note.who}: {what or '-'}"


def _when(moment: str, ctx: Context) -> str:
    """``2026-11-23T09:05`` → ``23 Nov 09.05`` in the reader's language (the shell gives their local time)."""
    if not moment:
        return "-"
    at = datetime.fromisoformat(moment)
    return f"{format_date(at.date(), 'd MMM', locale=ctx.person.locale)} {format_time(at.strftime('%H:%M'), ctx.person.locale)}"


def _shown(words: str, ctx: Context) -> str:
    """What someone wrote (a voice note says so), cut at ``NOTE_CHARS``."""
    if words == VOICE_ANSWER:
        return ctx.t("(pesan suara)")
    return words[:NOTE_CHARS] + ("…" if len(words) > NOTE_CHARS else "")


def media_replies(case: WorkCaseView, ctx: Context) -> tuple[Reply, ...]:
    """The case's photos and voice notes (the report's, then the notes'), as one message the channel sends as
    media: files on Telegram, attachments from signed links on WhatsApp. Those of an unknown type are only counted."""
    sendable = [m for m in (*case.media, *(m for note in case.notes for m in note.media)) if m.mime_type][:MAX_MEDIA]
    if not sendable:
        return ()
    return (Reply(ctx.t("Foto dan pesan suara kasus {reference}: {count}", reference=case.reference, count=len(sendable)), media=tuple(sendable)),)


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
    """A one-line confirmation and the case's actions again; after a hand-over, the main menu (it is not theirs)."""
    saved = ctx.t("Tercatat di kasus {reference}.", reference=effect.reference)
    if effect.action == "follow_up":
        day = format_day(date.fromisoformat(effect.value), ctx.person.locale)
        saved = ctx.t("Tercatat: tindak lanjut kasus {reference} pada {date}.", reference=effect.reference, date=day)
    if effect.action == "handover":
        return Step(session.idle(), (Reply(saved),), (effect,), start_flow="menu")
    if effect.action == "take":  # the case is theirs from now on: not offered to take again
        saved = ctx.t("Kasus {reference} sekarang Anda yang menangani.", reference=effect.reference)
        work = tuple(replace(c, unassigned=False) if c.reference == effect.reference else c for c in ctx.person.work)
        ctx = replace(ctx, person=replace(ctx.person, work=work))
    case = _case(ctx, effect.reference)
    last = len(case_pages(case, ctx)) - 1 if case is not None else 0  # nothing to page through after an action
    again = session.at(FLOW_NAME, "case", reference=effect.reference, page=last)
    actions = action_options(again, ctx)
    return Step(again, (Reply(saved + "\n" + ctx.t("Apa lagi yang mau dicatat?"), actions),), (effect,))


FLOW = Flow(
    FLOW_NAME,
    start=start,
    states={
        "list": State(ask=ask_list, on_answer=on_list),
        "case": State(ask=ask_case, on_answer=on_case, remind=ask_actions),
        "note": State(ask=ask_note, on_answer=on_note),
        "step": State(ask=ask_step, on_answer=on_step),
        "follow_up": State(ask=ask_follow_up, on_answer=on_follow_up),
    },
)
