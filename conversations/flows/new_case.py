"""A companion (PSM, TKSK, PKH facilitator) logs a new case they found: "Kasus baru", in under a minute.

Started from the companion menu entry "Kasus baru" (``start``). It replaces the
photo posted in a WhatsApp group. Asked one at a time, most in one tap or a few
words: where the case came from, the person's name, their RT/RW in the
companion's village, the PPKS type (a word such as "lansia", matched in
``conversations/ppks.py``), the story (text or a voice note), photos, the
planned steps, the partners involved (several numbers at once: "1 3 5") and the
next follow-up date (``conversations/dates.py``); then a summary to confirm.
Optional questions take 1 ("Lewati") or a plain "gak ada", "belum", "lewat aja bu"
(``conversations.matching``). A photo sent at any question is kept; a photo with
a caption answers the story. Ends with ``OpenCompanionCase``, or
with nothing when cancelled (BATAL works anywhere, handled by the engine).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from conversations.attachments import has_letters, kept_media, with_media
from conversations.dates import format_day, parse_date, past_date
from conversations.effects import OpenCompanionCase
from conversations.flow import Ask, Flow, State, reprompt
from conversations.flows.report_questions import VOICE_ANSWER
from conversations.matching import choose, choose_exactly, choose_several, is_addressed, is_word, option_number
from conversations.ppks import BY_CODE as PPKS_BY_CODE
from conversations.ppks import PPKS_TYPES, PpksType, find_types, named_type, narrow
from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Step

FLOW_NAME = "new_case"
N_ = str  # marks a label for extraction; it is translated when shown

# Each with the words people use for it; an answer holding a label's or an alias's words picks it
# ("dari keluarganya", "laporan pak RT", "nemu sendiri"), see ``conversations.matching.choose``.
SOURCES = (
    ("family", N_("Keluarga"), (
        "keluarga", "keluarganya", "family", "dari keluarga", "anaknya", "istrinya", "suaminya", "saudaranya",
        "tetangga", "tetangganya", "neighbour", "neighbor",
    )),
    ("rt_rw", N_("RT/RW"), ("rt", "rw", "rt rw", "pak rt", "ketua rt", "ketua rw", "laporan rt", "dari rt")),
    ("kelurahan", N_("Kelurahan"), (
        "kelurahan", "desa", "lurah", "kantor desa", "kades", "kepala desa", "perangkat desa", "balai desa",
        "kantor kelurahan", "village office",
    )),
    ("own", N_("Temuan sendiri"), (
        "sendiri", "temuan", "temuan saya", "saya", "own", "nemu", "nemu sendiri", "ketemu sendiri",
        "lihat sendiri", "melihat sendiri", "menemukan sendiri", "myself", "found it myself",
    )),
)  # fmt: skip
PARTNERS = (
    ("rt_rw", N_("RT/RW"), ("rt", "rw", "rt rw", "ketua rt", "ketua rw")),
    ("kasie_kesos", N_("Kasie Kesos"), ("kasie", "kasi", "kesos", "kasi kesos")),
    ("tksk", N_("TKSK"), ("tksk",)),
    ("satpol_pp", N_("Satpol PP"), ("satpol", "pol pp", "satpol pp")),
    ("dinsos", N_("Dinas Sosial"), ("dinsos", "sosial", "dinas sosial", "social affairs")),
    ("dinkes", N_("Dinas Kesehatan"), ("dinkes", "kesehatan", "puskesmas", "pustu", "bidan", "health")),
    ("other", N_("Lainnya"), ("lainnya", "lain", "lain lain", "other", "others")),
)
SOURCE_LABELS = {code: label for code, label, _words in SOURCES}
ENOUGH_WORDS = ("cukup", "sudah cukup", "itu saja", "itu aja", "sudah itu saja", "udah itu aja", "that is all")
"""At the summary, "that's all" saves."""
FOLLOW_UPS = (
    (1, N_("Besok"), ("besok", "besok saja", "tomorrow")),
    (3, N_("3 hari lagi"), ("3 hari", "tiga hari", "tiga hari lagi", "3 days")),
    (7, N_("Seminggu lagi"), ("seminggu", "1 minggu", "satu minggu", "minggu depan", "a week", "next week")),
)
SKIP_WORDS = ("lewati", "lewat", "skip", "lewat saja", "lewat aja", "next", "none")
SKIP_MEANS = ("skip", "no", "done", "not_yet", "unknown")
"""A question that may be left out is left out by "gak ada", "tidak", "sudah", "belum" or "gak tau"."""
DONE_WORDS = ("lanjut", "selesai", "done", "continue", "next", "lewati", "skip")
WRONG_WORDS = ("bukan", "salah", "keliru", "ganti", "ganti jenis", "jenis salah", "salah jenis", "bukan itu", "wrong")
LIST_WORDS = ("daftar", "semua", "lihat daftar", "list", "lihat semua")
PLAIN_WORDS = 3
"""At a question that takes free text, a plain "gak ada" skips it only when that is all the answer says
("gak ada catatan", "udah itu aja"); "tidak ada yang merawat" is an answer."""


def start(session: Session, ctx: Context) -> Step:
    """Asks where the case came from."""
    asking = session.at(FLOW_NAME, "source", media=[], photos=0, voices=0)
    return Step(asking, ask_source(asking, ctx))


def source_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(Option(f"source:{code}", ctx.t(label), words) for code, label, words in SOURCES)


def ask_source(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Kasus baru. Dari mana Anda tahu kasus ini?"), source_options(ctx)),)


def on_source(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the source; next, the name."""
    if (kept := _kept_media(session, inbound, ctx, ask_source)) is not None:
        return kept
    option = choose(inbound, source_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_source)
    return _to(session, "name", ctx, source=option.key.removeprefix("source:"))


def skip_options(ctx: Context) -> tuple[Option, ...]:
    return (Option("skip", ctx.t("Lewati"), SKIP_WORDS, means=SKIP_MEANS),)


def ask_name(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Siapa nama orang yang perlu dibantu?"), skip_options(ctx)),)


def on_name(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the name (or none yet, e.g. for a homeless person); next, RT/RW."""
    if (kept := _kept_media(session, inbound, ctx, ask_name)) is not None:
        return kept
    if choose_exactly(inbound, skip_options(ctx)) is not None:
        return _to(session, "rt_rw", ctx, name="")
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_name)
    kind = None if is_addressed(inbound.text) else named_type(inbound.text)
    if kind is not None:  # "lansia terlantar" where the name is asked: the type, kept; the name asked again
        typed = session.goto("name", ppks=kind.code, ppks_choices=[])
        noted = Reply(ctx.t("Jenis PPKS: {kind}.", kind=ctx.t(kind.label)))
        return Step(typed, (noted, *ask_name(typed, ctx)))
    return _to(session, "rt_rw", ctx, name=inbound.text.strip()[:120])


def ask_rt_rw(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Di RT/RW berapa? Contoh: 3/5"), skip_options(ctx)),)


def on_rt_rw(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes RT/RW as ``003/005``; next, the PPKS type."""
    if (kept := _kept_media(session, inbound, ctx, ask_rt_rw)) is not None:
        return kept
    if choose(inbound, skip_options(ctx)) is not None and read_rt_rw(inbound.text) is None:
        return _to(session, "ppks", ctx, rt_rw="")
    rt_rw = read_rt_rw(inbound.text) if inbound.kind is InboundKind.TEXT else None
    if rt_rw is None:
        unread = Reply(ctx.t("RT/RW belum terbaca. Tulis seperti ini: 3/5 atau RT 3 RW 5."))
        return Step(session, (unread, *ask_rt_rw(session, ctx)))
    return _to(session, "ppks", ctx, rt_rw=rt_rw)


def read_rt_rw(text: str) -> str | None:
    """``"3/5"``, ``"RT 3 RW 5"``, ``"rw 05 rt 03"``, ``"003/005"`` → ``"003/005"``; else None."""
    rt, rw = re.search(r"\brt\D{0,3}?(\d{1,3})\b", text, re.I), re.search(r"\brw\D{0,3}?(\d{1,3})\b", text, re.I)
    if rt and rw:
        numbers = [rt.group(1), rw.group(1)]
    else:
        bare = re.sub(r"\b(?:rt|rw)\b", " ", text, flags=re.I)
        if re.sub(r"[\d\s/.,\-]", "", bare):
            return None
        numbers = re.findall(r"\d+", bare)
    if len(numbers) != 2 or not all(0 < int(n) < 1000 for n in numbers):
        return None
    return "/".join(f"{int(n):03d}" for n in numbers)


def ask_ppks(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t(
        "Jenis PPKS apa? Tulis satu kata, contoh: lansia, disabilitas, gelandangan, anak jalanan, miskin. "
        "Ketik DAFTAR untuk melihat semua."
    )
    return (Reply(text),)


def on_ppks(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Finds the type from a word or its number: one fits, go on; several, pick one; none, ask again."""
    if (kept := _kept_media(session, inbound, ctx, ask_ppks)) is not None:
        return kept
    if inbound.kind is not InboundKind.TEXT:
        return reprompt(session, inbound, ctx, ask_ppks)
    if is_word(inbound.text, LIST_WORDS):
        return Step(session.goto("ppks"), (ppks_list(ctx),))
    found = find_types(inbound.text)
    if len(found) == 1:
        return _to(session, "story", ctx, ppks=found[0].code, ppks_choices=[])
    if found:
        return _to(session, "ppks_pick", ctx, ppks_choices=[kind.code for kind in found])
    unknown = ctx.t(
        'Jenis "{answer}" belum kami kenal. Tulis kata lain, contoh: lansia, disabilitas, gelandangan, miskin. '
        "Atau ketik DAFTAR untuk melihat semua.",
        answer=inbound.text.strip()[:40],
    )
    return Step(session.goto("ppks"), (Reply(unknown),))


def ppks_list(ctx: Context) -> Reply:
    lines = [f"{kind.number}. {ctx.t(kind.label)}" for kind in PPKS_TYPES]
    return Reply(ctx.t("Jenis PPKS. Balas dengan nomornya:") + "\n" + "\n".join(lines))


def pick_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    kinds = [PPKS_BY_CODE[code] for code in session.data.get("ppks_choices", [])]
    return tuple(Option(f"ppks:{kind.code}", ctx.t(kind.label)) for kind in kinds)


def ask_ppks_pick(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Yang mana? Pilih nomor, atau tulis kata lain:"), pick_options(session, ctx)),)


def on_ppks_pick(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes one of the offered types (by number, or a word only it has); another word searches again."""
    if (kept := _kept_media(session, inbound, ctx, ask_ppks_pick)) is not None:
        return kept
    offered = tuple(PPKS_BY_CODE[code] for code in session.data.get("ppks_choices", []))
    if inbound.kind is not InboundKind.TEXT or option_number(inbound.text) is not None:
        option = choose(inbound, pick_options(session, ctx))
        if option is not None:
            return _to(session, "story", ctx, ppks=option.key.removeprefix("ppks:"), ppks_choices=[])
    elif len(fitting := narrow(inbound.text, offered)) == 1:
        return _to(session, "story", ctx, ppks=fitting[0].code, ppks_choices=[])
    if inbound.kind is InboundKind.TEXT:
        return on_ppks(session.goto("ppks"), inbound, ctx)
    return reprompt(session, inbound, ctx, ask_ppks_pick)


def ask_story(session: Session, ctx: Context) -> tuple[Reply, ...]:
    kind: PpksType = PPKS_BY_CODE[session.data["ppks"]]
    chosen = ctx.t("Jenis PPKS: {kind} (balas BUKAN jika salah)", kind=ctx.t(kind.label))
    question = ctx.t("Ceritakan singkat keadaannya. Boleh dengan pesan suara, atau foto dengan keterangan.")
    return (Reply(chosen + "\n" + question),)


def on_story(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the story: text, a voice note, or a photo with a caption; next, photos. BUKAN: the type was wrong."""
    if inbound.kind is InboundKind.VOICE and inbound.media is not None:
        return _to(with_media(session, inbound), "photos", ctx, story=VOICE_ANSWER)
    if inbound.kind is InboundKind.PHOTO and has_letters(inbound.text):
        return _to(with_media(session, inbound), "photos", ctx, story=inbound.text.strip()[:2000])
    if (kept := _kept_media(session, inbound, ctx, ask_story)) is not None:
        return kept
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_story)
    if is_word(inbound.text, WRONG_WORDS):
        return _to(session, "ppks", ctx, ppks="")
    return _to(session, "photos", ctx, story=inbound.text.strip()[:2000])


def photo_options(ctx: Context, count: int) -> tuple[Option, ...]:
    label = ctx.t("Lanjut") if count else ctx.t("Lewati")
    return (Option("photos:done", label, DONE_WORDS, means=(*SKIP_MEANS, "yes")),)


def ask_photos(session: Session, ctx: Context) -> tuple[Reply, ...]:
    count = session.data.get("photos", 0)
    if count:
        text = ctx.t("Sudah {count} foto. Kirim lagi, atau balas 1 untuk lanjut.", count=count)
    else:
        text = ctx.t("Kirim foto sekarang, atau balas 1 untuk lewati.")
    return (Reply(text, photo_options(ctx, count)),)


def on_photos(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Keeps each photo (several allowed); 1 goes on to the planned steps."""
    if inbound.kind is InboundKind.PHOTO and inbound.media is not None:
        kept = with_media(session, inbound)
        return Step(kept, ask_photos(kept, ctx))
    if (answered := _kept_media(session, inbound, ctx, ask_photos)) is not None:
        return answered
    if choose(inbound, photo_options(ctx, session.data.get("photos", 0))) is None:
        return reprompt(session, inbound, ctx, ask_photos)
    return _to(session, "steps", ctx)


def ask_steps(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t(
        "Apa rencana langkahnya? Contoh: antar ke Puskesmas, ajukan ke Dinas Sosial. Boleh dengan pesan suara."
    )
    return (Reply(text, skip_options(ctx)),)


def on_steps(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the planned steps (text or voice note), or none yet; next, the partners."""
    if inbound.kind is InboundKind.VOICE and inbound.media is not None:
        return _to(with_media(session, inbound), "partners", ctx, steps=VOICE_ANSWER)
    if (kept := _kept_media(session, inbound, ctx, ask_steps)) is not None:
        return kept
    if choose_exactly(inbound, skip_options(ctx)) is not None:
        return _to(session, "partners", ctx, steps="")
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_steps)
    return _to(session, "partners", ctx, steps=inbound.text.strip()[:1000])


def partner_options(ctx: Context) -> tuple[Option, ...]:
    partners = tuple(Option(f"partner:{code}", ctx.t(label), words) for code, label, words in PARTNERS)
    return (*partners, Option("partner:none", ctx.t("Lewati"), (*SKIP_WORDS, "tidak ada", "nobody"), means=SKIP_MEANS))


def ask_partners(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t("Siapa saja yang dilibatkan? Balas satu atau beberapa nomor, contoh: 1 3 5")
    return (Reply(text, partner_options(ctx)),)


def on_partners(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes one or several partners ("1 3 5", "1,3", "rt, tksk"), or none; next, the follow-up date."""
    if (kept := _kept_media(session, inbound, ctx, ask_partners)) is not None:
        return kept
    picked = read_partners(inbound, ctx)
    if picked is None:
        return reprompt(session, inbound, ctx, ask_partners)
    return _to(session, "follow_up", ctx, partners=[key for key in picked if key != "none"])


def read_partners(inbound: Inbound, ctx: Context) -> tuple[str, ...] | None:
    """The partner codes an answer names, in list order; ``("none",)`` for Lewati; None when a part fits nothing."""
    picked = choose_several(inbound, partner_options(ctx))
    if picked is None or ("partner:none" in (o.key for o in picked) and len(picked) > 1):
        return None
    return tuple(option.key.removeprefix("partner:") for option in picked)


def follow_up_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(Option(f"due:{days}", ctx.t(label), words) for days, label, words in FOLLOW_UPS)


def ask_follow_up(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t("Kapan tindak lanjut berikutnya? Pilih, atau tulis harinya. Contoh: senin, 5/12")
    return (Reply(text, follow_up_options(ctx)),)


def on_follow_up(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the next follow-up date (an option, or a day typed); a past date is asked again."""
    if (kept := _kept_media(session, inbound, ctx, ask_follow_up)) is not None:
        return kept
    today = _today(ctx)
    day = _follow_up_day(inbound, ctx, today)
    if day is not None:
        return _to(session, "confirm", ctx, follow_up=day.isoformat())
    past = past_date(inbound.text, today) if inbound.kind is InboundKind.TEXT else None
    if past is not None:
        note = ctx.t("{date} sudah lewat. Pilih hari yang akan datang.", date=format_day(past, ctx.person.locale))
    else:
        note = ctx.t("Tanggal itu belum terbaca. Contoh: besok, senin, 5/12.")
    return Step(session, (Reply(note), *ask_follow_up(session, ctx)))


def _follow_up_day(inbound: Inbound, ctx: Context, today: date) -> date | None:
    if inbound.kind is InboundKind.TEXT and option_number(inbound.text) is None:
        day = parse_date(inbound.text, today)
        if day is not None:
            return day
    option = choose(inbound, follow_up_options(ctx))
    return today + timedelta(days=int(option.key.removeprefix("due:"))) if option else None


def _today(ctx: Context) -> date:
    """The day follow-ups count from: today where the companion is (WIB, WITA or WIT)."""
    return ctx.today


def confirm_options(ctx: Context) -> tuple[Option, ...]:
    return (
        Option("confirm:save", ctx.t("Simpan kasus"), ("simpan", "save", *ENOUGH_WORDS), means=("yes", "done")),
        Option("confirm:cancel", ctx.t("Batalkan"), ("batal", "tidak jadi", "jangan disimpan"), means=("no",)),
    )


def ask_confirm(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(summary(session, ctx), confirm_options(ctx)),)


def summary(session: Session, ctx: Context) -> str:
    """The case as it will be saved, one line per answer ("-" where skipped)."""
    data = session.data
    source, kind = SOURCE_LABELS[data["source"]], PPKS_BY_CODE[data["ppks"]].label
    partners = [ctx.t(label) for code, label, _w in PARTNERS if code in data.get("partners", [])]
    follow_up = format_day(date.fromisoformat(data["follow_up"]), ctx.person.locale)
    lines = [
        ctx.t("Periksa kasus baru:"),
        ctx.t("Sumber: {source}", source=ctx.t(source)),
        ctx.t("Nama: {name}", name=data.get("name") or "-"),
        ctx.t("RT/RW: {rt_rw}", rt_rw=data.get("rt_rw") or "-"),
        ctx.t("Jenis PPKS: {kind}", kind=ctx.t(kind)),
        ctx.t("Cerita: {story}", story=_shown(data.get("story", ""), ctx)),
        ctx.t("Foto: {count}", count=data.get("photos", 0)),
        *([ctx.t("Pesan suara: {count}", count=data["voices"])] if data.get("voices") else []),
        ctx.t("Rencana: {steps}", steps=_shown(data.get("steps", ""), ctx)),
        ctx.t("Dilibatkan: {partners}", partners=", ".join(partners) or "-"),
        ctx.t("Tindak lanjut: {date}", date=follow_up),
        ctx.t("Simpan kasus ini?"),
    ]
    return "\n".join(lines)


def _shown(answer: str, ctx: Context) -> str:
    if answer == VOICE_ANSWER:
        return ctx.t("(pesan suara)")
    return answer[:200] + ("…" if len(answer) > 200 else "") if answer else "-"


def on_confirm(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Opens the case and tells its number and the follow-up date; or drops it."""
    if (kept := _kept_media(session, inbound, ctx, ask_confirm)) is not None:
        return kept
    option = choose(inbound, confirm_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_confirm)
    if option.key == "confirm:cancel":
        return Step(session.cleared(), (Reply(ctx.t("Kasus tidak disimpan.")),), start_flow="menu")
    effect = case_effect(session, ctx, ctx.new_reference())
    when = format_day(date.fromisoformat(effect.follow_up), ctx.person.locale)
    saved = ctx.t(
        "Kasus tersimpan. Nomor kasus: {reference}\n"
        "Tindak lanjut: {date}\n"
        "Ketik {reference} kapan saja untuk membukanya.",
        reference=effect.reference,
        date=when,
    )
    return Step(session.cleared(), (Reply(saved),), (effect,), start_flow="menu")


def case_effect(session: Session, ctx: Context, reference: str) -> OpenCompanionCase:
    data = session.data
    return OpenCompanionCase(
        reference=reference,
        area_code=ctx.person.area_code,
        source=data["source"],
        person_name=data.get("name", ""),
        rt_rw=data.get("rt_rw", ""),
        ppks_type=data["ppks"],
        story=data.get("story", ""),
        media=tuple(data.get("media", [])),
        planned_steps=data.get("steps", ""),
        partners=tuple(data.get("partners", [])),
        follow_up=data["follow_up"],
    )


def _to(session: Session, state: str, ctx: Context, **data: object) -> Step:
    """Moves on to ``state`` with the answer stored, and asks its question."""
    asking = session.goto(state, **data)
    if state == "ppks" and asking.data.get("ppks"):  # named already, where the name was asked
        asking = asking.goto("story")
    return Step(asking, STATES[asking.state].ask(asking, ctx))


def _kept_media(session: Session, inbound: Inbound, ctx: Context, ask: Ask) -> Step | None:
    return kept_media(
        session, inbound, ctx, ask, photo_kept=ctx.t("Foto kami simpan untuk kasus ini."),
        voice_kept=ctx.t("Pesan suara kami simpan untuk kasus ini."), words_wanted=session.state != "photos",
        not_kept=ctx.t("Lokasi dan kontak belum bisa disimpan di kasus. Tuliskan di cerita atau rencana."),
    )  # fmt: skip




STATES: dict[str, State] = {
    "source": State(ask=ask_source, on_answer=on_source),
    "name": State(ask=ask_name, on_answer=on_name),
    "rt_rw": State(ask=ask_rt_rw, on_answer=on_rt_rw),
    "ppks": State(ask=ask_ppks, on_answer=on_ppks),
    "ppks_pick": State(ask=ask_ppks_pick, on_answer=on_ppks_pick),
    "story": State(ask=ask_story, on_answer=on_story),
    "photos": State(ask=ask_photos, on_answer=on_photos),
    "steps": State(ask=ask_steps, on_answer=on_steps),
    "partners": State(ask=ask_partners, on_answer=on_partners),
    "follow_up": State(ask=ask_follow_up, on_answer=on_follow_up),
    "confirm": State(ask=ask_confirm, on_answer=on_confirm),
}

FLOW = Flow(FLOW_NAME, start=start, states=STATES)
