"""A TKSK records a monitoring visit to an e-Warong agent by the "6 T", one question at a time.

Started from the companion menu entry "Kunjungan e-Warong", shown only to a TKSK
(``start``). The village of the kecamatan (typed, even misspelt, or from DAFTAR)
and its agent (from the list, or a new one by name) are asked as for a
distribution (``village_agent``). Then, in the order of ``conversations/ewarong.py``:
the items and quantities the KPM received ("beras 10 kg, telur 1 kg"); the prices
against HET (and, when above, which item and at what price); the quality (and what
was spoiled or short); the timeliness (and how late, and why); whether the KPM shop
themselves with their own KKS card (and, if not, what happened); the number of
successful transactions and of failed ones (0 allowed); when some failed, the
reasons (several numbers at once, "1 3", or written out); a note or a photo
(skippable). A photo sent at any question is kept. A summary with the six T to
confirm ends with ``RecordEwarongVisit``; the shell confirms and tells the
kelurahan operator when something must be followed up. BATAL works anywhere.
"""

from __future__ import annotations

import re

from conversations.attachments import has_letters, kept_media, with_media
from conversations.effects import RecordEwarongVisit
from conversations.ewarong import FAILURE_REASONS, visit_lines
from conversations.flow import Ask, Flow, OnAnswer, State, reprompt, save_options
from conversations.flows.report_questions import VOICE_ANSWER
from conversations.flows.village_agent import VillageAgent, ask_agent, ask_agent_name, ask_village_pick
from conversations.matching import choose, choose_exactly, choose_several, clean, is_word, option_number, says
from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Step

FLOW_NAME = "ewarong_visit"
N_ = str  # marks a label for extraction; it is translated when shown

# Each T: (key, label, words, plain answers). A plain yes ("iya pak", "nggih", "sampun", "muhun") is the T met,
# a plain no ("mboten", "gak", "henteu") the T not met; an answer holding an option's words picks it
# ("ada yang mahal", "telat 2 hari", "bagus semua").
PRICES = (
    ("ok", N_("Sesuai HET"), ("sesuai", "sesuai het", "tepat", "normal", "within", "within het"), ("yes", "done")),
    ("high", N_("Di atas HET"), (
        "di atas", "diatas", "diatas het", "mahal", "kemahalan", "tidak sesuai", "above", "above het", "expensive",
    ), ("no",)),
)  # fmt: skip
QUALITY = (
    ("ok", N_("Baik"), ("baik", "bagus", "aman", "layak", "good", "fine"), ("yes", "done")),
    ("bad", N_("Ada yang rusak, busuk atau kurang"), (
        "rusak", "busuk", "kurang", "jelek", "apek", "pecah", "ada masalah", "bad", "damaged", "rotten", "short",
        "broken",
    ), ("no",)),
)  # fmt: skip
TIMELINESS = (
    ("ok", N_("Tepat waktu"), ("tepat", "sesuai jadwal", "on time", "on schedule"), ("yes", "done")),
    ("late", N_("Terlambat"), ("telat", "terlambat", "lambat", "mundur", "late", "delayed"), ("no", "not_yet")),
)
TARGET = (
    ("ok", N_("Ya, KPM sendiri"), ("sendiri", "kpm sendiri", "themselves"), ("yes", "done")),
    ("no", N_("Tidak, ada masalah"), ("ada masalah", "diwakilkan", "dikumpulkan", "problem"), ("no",)),
)
ALL_FINE = ("all_ok", N_("Semua sesuai: harga, mutu, waktu, sasaran"), (
    "semua sesuai", "sesuai semua", "aman semua", "semua aman", "semua baik", "baik semua", "bagus semua",
    "semua bagus", "semua tepat", "tepat semua", "semuanya sesuai", "semuanya aman", "semuanya baik", "all fine",
    "all good", "all ok", "everything fine", "everything ok",
), ())  # fmt: skip
"""Offered with the first of the four: a visit where all is well is one answer, not four."""
SKIP_WORDS = ("lewati", "lewat", "skip", "lanjut", "selesai", "next", "done", "continue", "none")
SKIP_MEANS = ("skip", "no", "done", "not_yet", "unknown")
PLAIN_WORDS = 3
"""A note of up to three words that plainly says "nothing" ("gak ada catatan") skips the note."""
ZERO = Option("zero", "0", ("0", "nol", "kosong", "nihil", "zero", "none"), means=("skip", "no"))
"""No transactions: "0", "nol", "tidak ada", "gak ada yang gagal", "mboten wonten"."""
QUANTITY_WORDS = ("setengah", "sekilo", "seliter", "sebutir", "sekarung", "sepapan", "half")
MAX_COUNT = 5000
"""More transactions than one agent serves on a visit: a typing slip, asked again."""
_COUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?![\d.,])|\d+")
_NEGATIVE = re.compile(r"^\s*(?:-|minus\b)\s*\d", re.IGNORECASE)


def start(session: Session, ctx: Context) -> Step:
    """Asks for the village (or, with one village, for its agent)."""
    return PLACE.begin(session.at(FLOW_NAME, "village", media=[], photos=0, voices=0), ctx)


def ask_village(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t("Kunjungan e-Warong di desa/kelurahan mana? Tulis namanya, atau ketik DAFTAR untuk melihat semua.")
    return (Reply(text),)


def ask_items(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t("Tepat jumlah. Barang apa saja dan berapa banyak yang diterima KPM? Contoh: beras 10 kg, telur 1 kg")
    return (Reply(text),)


def on_items(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """The items with their quantities; a list without any quantity is asked again."""
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_items)
    if not _has_quantity(inbound.text):
        again = ctx.t("Tulis juga jumlahnya untuk tiap barang. Contoh: beras 10 kg, telur 1 kg")
        return Step(session, (Reply(again),))
    return _to(session, "prices", ctx, items=_clean(inbound.text, 1000))


def _has_quantity(text: str) -> bool:
    """A digit, a number word ("dua") or a quantity word ("setengah", "sekilo")."""
    words = clean(text).split()
    return any(char.isdigit() for char in text) or any(
        option_number(word) is not None or is_word(word, QUANTITY_WORDS) for word in words
    )


def _options(
    choices: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...], ctx: Context
) -> tuple[Option, ...]:
    return tuple(Option(key, ctx.t(label), words, means=plain) for key, label, words, plain in choices)


def ask_prices(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t("Tepat harga. Apakah harga barang sesuai HET (harga eceran tertinggi)?")
    return (Reply(text, _options((*PRICES, ALL_FINE), ctx)),)


def on_prices(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, _options((*PRICES, ALL_FINE), ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_prices)
    if option.key == "all_ok":
        fine = {"prices_ok": True, "quality_ok": True, "on_time": True, "on_target": True}
        notes = {"price_note": "", "quality_note": "", "time_note": "", "target_note": ""}
        return _to(session, "succeeded", ctx, **fine, **notes)
    if option.key == "high":
        return _to(session, "price_note", ctx, prices_ok=False)
    return _to(session, "quality", ctx, prices_ok=True, price_note="")


def ask_price_note(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Barang apa yang di atas HET, dan berapa harganya? Contoh: telur Rp32.000/kg")),)


def on_price_note(session: Session, inbound: Inbound, ctx: Context) -> Step:
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_price_note)
    return _to(session, "quality", ctx, price_note=_clean(inbound.text))


def ask_quality(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Tepat mutu. Bagaimana mutu barangnya?"), _options(QUALITY, ctx)),)


def on_quality(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, _options(QUALITY, ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_quality)
    if option.key == "bad":
        return _to(session, "quality_note", ctx, quality_ok=False)
    return _to(session, "timeliness", ctx, quality_ok=True, quality_note="")


def ask_quality_note(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Apa yang rusak, busuk atau kurang? Contoh: telur 5 butir pecah, beras kurang 1 kg")),)


def on_quality_note(session: Session, inbound: Inbound, ctx: Context) -> Step:
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_quality_note)
    return _to(session, "timeliness", ctx, quality_note=_clean(inbound.text))


def ask_timeliness(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Tepat waktu. Apakah penyaluran sesuai jadwal?"), _options(TIMELINESS, ctx)),)


def on_timeliness(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, _options(TIMELINESS, ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_timeliness)
    if option.key == "late":
        return _to(session, "time_note", ctx, on_time=False)
    return _to(session, "target", ctx, on_time=True, time_note="")


def ask_time_note(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Terlambat berapa lama, dan kenapa? Contoh: 3 hari, barang datang terlambat")),)


def on_time_note(session: Session, inbound: Inbound, ctx: Context) -> Step:
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_time_note)
    return _to(session, "target", ctx, time_note=_clean(inbound.text))


def ask_target(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t("Tepat sasaran. Apakah yang berbelanja KPM sendiri, dengan kartu KKS-nya sendiri?")
    return (Reply(text, _options(TARGET, ctx)),)


def on_target(session: Session, inbound: Inbound, ctx: Context) -> Step:
    option = choose(inbound, _options(TARGET, ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_target)
    if option.key == "no":
        return _to(session, "target_note", ctx, on_target=False)
    return _to(session, "succeeded", ctx, on_target=True, target_note="")


def ask_target_note(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Apa yang terjadi? Contoh: kartu KKS dikumpulkan di agen")),)


def on_target_note(session: Session, inbound: Inbound, ctx: Context) -> Step:
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_target_note)
    return _to(session, "succeeded", ctx, target_note=_clean(inbound.text))


def ask_succeeded(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Tepat administrasi. Berapa transaksi yang berhasil? Tulis angkanya. Contoh: 45")),)


def on_succeeded(session: Session, inbound: Inbound, ctx: Context) -> Step:
    count = read_count(inbound, ctx)
    if isinstance(count, Reply):
        return Step(session, (count, *ask_succeeded(session, ctx)))
    if count is None:
        return reprompt(session, inbound, ctx, ask_succeeded)
    return _to(session, "failed", ctx, transactions_ok=count)


def ask_failed(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Berapa transaksi yang gagal? Tulis 0 jika tidak ada.")),)


def on_failed(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """The failed transactions; when there are some, their reasons come next."""
    count = read_count(inbound, ctx)
    if isinstance(count, Reply):
        return Step(session, (count, *ask_failed(session, ctx)))
    if count is None:
        return reprompt(session, inbound, ctx, ask_failed)
    if count:
        return _to(session, "reasons", ctx, transactions_failed=count)
    return _to(session, "note", ctx, transactions_failed=0, failure_reasons=[], failure_note="")


def read_count(inbound: Inbound, ctx: Context) -> int | Reply | None:
    """``"45"``, ``"45 transaksi"``, ``"1.200"``, ``"lima"``, ``"nol"``, ``"tidak ada"`` → the number; a reply
    saying why for a negative number, no number, two numbers or too many; None for what is not text."""
    if inbound.kind is not InboundKind.TEXT:
        return None
    if says(inbound, ZERO):
        return 0
    if _NEGATIVE.match(inbound.text):
        return Reply(ctx.t("Jumlah tidak bisa kurang dari 0."))
    number = option_number(inbound.text)  # "45", "lima", "no 5"
    if number is not None:
        return number
    numbers = _COUNT.findall(inbound.text)
    if not numbers:
        return Reply(ctx.t("Jumlahnya belum terbaca: tulis dengan angka."))
    if len(numbers) > 1:
        return Reply(ctx.t("Tulis satu angka saja."))
    count = int(re.sub(r"[.,]", "", numbers[0]))
    if count > MAX_COUNT:
        return Reply(ctx.t("{count} transaksi terlalu banyak untuk satu kunjungan. Periksa lagi angkanya.", count=count))
    return count


def reason_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(Option(f"reason:{code}", ctx.t(label), words) for code, label, words in FAILURE_REASONS)


def ask_reasons(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t("Apa sebab transaksi gagal? Balas satu atau beberapa nomor, contoh: 1 3. Atau tulis sebabnya.")
    return (Reply(text, reason_options(ctx)),)


def on_reasons(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """One or several reasons ("1 3", "saldo, pin"); "Lainnya" asks what; other words are the reason itself."""
    picked = choose_several(inbound, reason_options(ctx))
    if picked is not None:
        codes = [option.key.removeprefix("reason:") for option in picked]
        if "other" in codes:
            return _to(session, "reasons_other", ctx, failure_reasons=codes)
        return _to(session, "note", ctx, failure_reasons=codes, failure_note="")
    if inbound.kind is InboundKind.TEXT and has_letters(inbound.text):
        return _to(session, "note", ctx, failure_reasons=["other"], failure_note=_clean(inbound.text))
    return reprompt(session, inbound, ctx, ask_reasons)


def ask_reasons_other(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Sebab lainnya apa? Contoh: sinyal hilang")),)


def on_reasons_other(session: Session, inbound: Inbound, ctx: Context) -> Step:
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_reasons_other)
    return _to(session, "note", ctx, failure_note=_clean(inbound.text))


def note_options(session: Session, ctx: Context) -> tuple[Option, ...]:
    label = ctx.t("Lanjut") if session.data.get("photos") else ctx.t("Lewati")
    return (Option("note:skip", label, SKIP_WORDS, means=SKIP_MEANS),)


def ask_note(session: Session, ctx: Context) -> tuple[Reply, ...]:
    count = session.data.get("photos", 0)
    if count:
        text = ctx.t("Ada catatan lain? Sudah {count} foto: kirim lagi, atau tulis catatannya. Balas 1 untuk lanjut.", count=count)
    else:
        text = ctx.t("Ada catatan lain? Tulis catatannya atau kirim foto. Balas 1 untuk lewati.")
    return (Reply(text, note_options(session, ctx)),)


def on_note(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """A note, a voice note, photos (a caption is the note), or 1 to go on to the summary."""
    if inbound.kind is InboundKind.PHOTO and inbound.media is not None:
        kept = with_media(session, inbound)
        if has_letters(inbound.text):
            return _to(kept, "confirm", ctx, note=_clean(inbound.text))
        return Step(kept, ask_note(kept, ctx))
    if inbound.kind is InboundKind.VOICE and inbound.media is not None:
        return _to(with_media(session, inbound), "confirm", ctx, note=VOICE_ANSWER)
    if (answered := _kept_media(session, inbound, ctx, ask_note)) is not None:
        return answered
    if choose_exactly(inbound, note_options(session, ctx)) is not None:
        return _to(session, "confirm", ctx, note="")
    if inbound.kind is not InboundKind.TEXT or not has_letters(inbound.text):
        return reprompt(session, inbound, ctx, ask_note)
    return _to(session, "confirm", ctx, note=_clean(inbound.text))






def ask_confirm(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(summary(session, ctx), save_options(ctx)),)


def summary(session: Session, ctx: Context) -> str:
    """The visit as it will be saved: where, the six T, the note and how many photos."""
    data = session.data
    agent = data["agent_name"] + (" (" + ctx.t("baru") + ")" if data.get("new_agent") else "")
    note = ctx.t("(pesan suara)") if data.get("note") == VOICE_ANSWER else data.get("note") or "-"
    lines = [
        ctx.t("Periksa kunjungan e-Warong:"),
        ctx.t("Desa/kelurahan: {village}", village=data["village"]),
        ctx.t("Agen: {agent}", agent=agent),
        *visit_lines(visit_effect(session), ctx.t),
        ctx.t("Catatan: {note}", note=note),
        ctx.t("Foto: {count}", count=data.get("photos", 0)),
        ctx.t("Simpan kunjungan ini?"),
    ]
    return "\n".join(lines)


def on_confirm(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Records the visit (the shell confirms and tells who must follow up); or drops it."""
    if (kept := _kept_media(session, inbound, ctx, ask_confirm)) is not None:
        return kept
    option = choose(inbound, save_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_confirm)
    if option.key == "confirm:cancel":
        return Step(session.cleared(), (Reply(ctx.t("Kunjungan tidak disimpan.")),), start_flow="menu")
    return Step(session.cleared(), (), (visit_effect(session),), start_flow="menu")  # the shell confirms


def visit_effect(session: Session) -> RecordEwarongVisit:
    data = session.data
    agent_id = data.get("agent_id")
    return RecordEwarongVisit(
        area_code=data["area_code"],
        agent_id=agent_id,
        agent_name="" if agent_id is not None else data.get("agent_name", ""),
        items=data.get("items", ""),
        prices_ok=data.get("prices_ok", True),
        price_note=data.get("price_note", ""),
        quality_ok=data.get("quality_ok", True),
        quality_note=data.get("quality_note", ""),
        on_time=data.get("on_time", True),
        time_note=data.get("time_note", ""),
        on_target=data.get("on_target", True),
        target_note=data.get("target_note", ""),
        transactions_ok=data.get("transactions_ok", 0),
        transactions_failed=data.get("transactions_failed", 0),
        failure_reasons=tuple(data.get("failure_reasons", [])),
        failure_note=data.get("failure_note", ""),
        note=data.get("note", ""),
        media=tuple(data.get("media", [])),
    )


def _to(session: Session, state: str, ctx: Context, /, **data: object) -> Step:
    """Moves on to ``state`` with the answer stored, and asks its question."""
    asking = session.goto(state, **data)
    return Step(asking, STATES[state].ask(asking, ctx))


def _kept_media(session: Session, inbound: Inbound, ctx: Context, ask: Ask) -> Step | None:
    return kept_media(
        session, inbound, ctx, ask, photo_kept=ctx.t("Foto kami simpan untuk kunjungan ini."),
        voice_kept=ctx.t("Pesan suara kami simpan untuk kunjungan ini."),
        not_kept=ctx.t("Lokasi dan kontak tidak disimpan di kunjungan. Tuliskan di catatan bila perlu."),
    )  # fmt: skip


def _keeping_media(on_answer: OnAnswer, ask: Ask) -> OnAnswer:
    """``on_answer``, after keeping a photo or voice note sent at its question (see ``_kept_media``)."""

    def keeping(session: Session, inbound: Inbound, ctx: Context) -> Step:
        kept = _kept_media(session, inbound, ctx, ask)
        return kept if kept is not None else on_answer(session, inbound, ctx)

    return keeping


def _clean(text: str, limit: int = 500) -> str:
    return " ".join(text.split())[:limit]


PLACE = VillageAgent(ask_village=ask_village, to=_to, then="items")

STATES: dict[str, State] = {
    "village": State(ask=ask_village, on_answer=_keeping_media(PLACE.on_village, ask_village)),
    "village_pick": State(ask=ask_village_pick, on_answer=_keeping_media(PLACE.on_village_pick, ask_village_pick)),
    "agent": State(ask=ask_agent, on_answer=_keeping_media(PLACE.on_agent, ask_agent)),
    "agent_name": State(ask=ask_agent_name, on_answer=_keeping_media(PLACE.on_agent_name, ask_agent_name)),
    "items": State(ask=ask_items, on_answer=_keeping_media(on_items, ask_items)),
    "prices": State(ask=ask_prices, on_answer=_keeping_media(on_prices, ask_prices)),
    "price_note": State(ask=ask_price_note, on_answer=_keeping_media(on_price_note, ask_price_note)),
    "quality": State(ask=ask_quality, on_answer=_keeping_media(on_quality, ask_quality)),
    "quality_note": State(ask=ask_quality_note, on_answer=_keeping_media(on_quality_note, ask_quality_note)),
    "timeliness": State(ask=ask_timeliness, on_answer=_keeping_media(on_timeliness, ask_timeliness)),
    "time_note": State(ask=ask_time_note, on_answer=_keeping_media(on_time_note, ask_time_note)),
    "target": State(ask=ask_target, on_answer=_keeping_media(on_target, ask_target)),
    "target_note": State(ask=ask_target_note, on_answer=_keeping_media(on_target_note, ask_target_note)),
    "succeeded": State(ask=ask_succeeded, on_answer=_keeping_media(on_succeeded, ask_succeeded)),
    "failed": State(ask=ask_failed, on_answer=_keeping_media(on_failed, ask_failed)),
    "reasons": State(ask=ask_reasons, on_answer=_keeping_media(on_reasons, ask_reasons)),
    "reasons_other": State(ask=ask_reasons_other, on_answer=_keeping_media(on_reasons_other, ask_reasons_other)),
    "note": State(ask=ask_note, on_answer=on_note),
    "confirm": State(ask=ask_confirm, on_answer=on_confirm),
}

FLOW = Flow(FLOW_NAME, start=start, states=STATES)
