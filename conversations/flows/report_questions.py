"""The questions a report asks per category, how answers are read, and what the household is told.

Each question is data: its prompt, and either numbered options or a free-text
answer. A voice note answers any text question (for people who cannot write).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conversations.categories import BY_CODE, EWARONG_PROBLEMS, Category, route_of
from conversations.matching import choose, has_words
from conversations.ppks import BY_CODE as PPKS_BY_CODE
from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Translate

N_ = str
VOICE_ANSWER = "[pesan suara]"


@dataclass(frozen=True)
class Question:
    prompt: str
    summary_label: str
    options: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


YES_NO = (("yes", N_("Ya"), ("ya", "iya", "ada", "sudah")), ("no", N_("Tidak"), ("tidak", "tdk", "belum", "gak")))

QUESTIONS: dict[str, Question] = {
    "has_letter": Question(
        N_("Sudah punya surat keterangan kehilangan dari desa atau kelurahan?"), N_("Surat kehilangan"),
        (("yes", N_("Sudah"), ("sudah", "ada", "ya")), ("no", N_("Belum"), ("belum", "tidak", "blm"))),
    ),
    "since_when": Question(N_("Sejak kapan? Contoh: bulan ini, 2 minggu lalu"), N_("Sejak")),
    "ewarong_agent": Question(N_("Di e-Warong atau agen mana? Tulis nama agen atau pemiliknya."), N_("e-Warong")),
    "program": Question(
        N_("Bantuan apa yang belum diterima?"), N_("Program"),
        (("sembako", N_("Sembako (BPNT)"), ("sembako", "bpnt", "beras")), ("pkh", N_("PKH"), ("pkh",)),
         ("unknown", N_("Tidak tahu"), ("tidak tahu", "gak tau"))),
    ),
    "what_is_wrong": Question(N_("Apa yang salah atau tidak terdaftar? Contoh: nama salah, tidak ada di daftar"), N_("Masalah data")),
    "deceased_name": Question(N_("Siapa nama penerima yang meninggal?"), N_("Yang meninggal")),
    "family_left": Question(N_("Masih ada anggota keluarga lain di Kartu Keluarga?"), N_("Keluarga lain di KK"), YES_NO),
    "who_needs": Question(N_("Siapa yang perlu dibantu, dan kenapa? Contoh: ibu saya, 80 tahun, sakit"), N_("Yang perlu dibantu")),
    "ewarong_problem": Question(
        N_("Apa masalahnya di e-Warong?"), N_("Jenis masalah"), tuple((code, label, words) for code, label, words in EWARONG_PROBLEMS)
    ),
    "ewarong_detail": Question(N_("Ceritakan singkat apa yang terjadi."), N_("Keterangan")),
    "story": Question(N_("Ceritakan singkat masalahnya."), N_("Cerita")),
}  # fmt: skip

DETAIL_PROMPTS = {
    "quantity": N_("Berapa yang Anda terima, dan berapa seharusnya? Contoh: beras 5 kg dari 10 kg"),
    "price": N_("Barang apa, dan berapa harga yang Anda bayar? Contoh: beras 10 kg Rp150.000"),
    "quality": N_("Barang apa, dan bagaimana keadaannya? Contoh: beras berkutu, telur busuk"),
}

KEYS = tuple(QUESTIONS)

STATUS_LABELS = {
    "new": N_("Baru diterima"),
    "in_progress": N_("Sedang ditangani"),
    "referred": N_("Dirujuk"),
    "resolved": N_("Selesai"),
    "closed_unresolved": N_("Ditutup"),
}
STEP_LABELS = {
    "letter": N_("surat dari desa"),
    "police": N_("lapor Polsek"),
    "dinsos": N_("Dinas Sosial"),
    "bank": N_("bank"),
    "card_received": N_("kartu diterima"),
}
ROUTE_NAMES = {
    "tksk": N_("TKSK kecamatan Anda"),
    "pkh": N_("pendamping PKH Anda"),
    "operator": N_("petugas kelurahan"),
}


def keys_for(category: Category) -> tuple[str, ...]:
    if category.code == "ewarong":
        return ("ewarong_agent", "ewarong_problem", "ewarong_detail")
    return category.questions


def options_for(key: str, ctx: Context) -> tuple[Option, ...]:
    return tuple(Option(f"{key}:{code}", ctx.t(label), words) for code, label, words in QUESTIONS[key].options)


def ask(key: str, session: Session, ctx: Context) -> tuple[Reply, ...]:
    prompt = QUESTIONS[key].prompt
    if key == "ewarong_detail":
        prompt = DETAIL_PROMPTS.get(session.data.get("answers", {}).get("ewarong_problem", ""), prompt)
    text = ctx.t(prompt)
    if not QUESTIONS[key].options:
        text += "\n" + ctx.t("(Boleh jawab dengan pesan suara.)")
    return (Reply(text, options_for(key, ctx)),)


def text_answer(inbound: Inbound) -> str | None:
    """Text with words, or a voice note (kept as media); anything else is no answer."""
    if inbound.kind is InboundKind.VOICE:
        return VOICE_ANSWER
    if inbound.kind is InboundKind.TEXT and has_words(inbound.text):
        return inbound.text.strip()
    return None


def answer(key: str, inbound: Inbound, session: Session, ctx: Context) -> str | None:
    if QUESTIONS[key].options:
        option = choose(inbound, options_for(key, ctx))
        return option.key.removeprefix(f"{key}:") if option else None
    return text_answer(inbound)


def shown_answer(key: str, value: str, t: Translate) -> str:
    """An answer as a reader sees it: the option's label, or the text (a voice note says so)."""
    for code, label, _words in QUESTIONS[key].options:
        if code == value:
            return t(label)
    return value if value != VOICE_ANSWER else t("(pesan suara)")


def answer_lines(answers: Mapping[str, str], t: Translate) -> list[str]:
    """The answers in the questions' own order (a database may keep a mapping's keys in another)."""
    return [f"{t(QUESTIONS[k].summary_label)}: {shown_answer(k, answers[k], t)[:200]}" for k in KEYS if k in answers]


def summary(session: Session, ctx: Context) -> str:
    data = session.data
    category = BY_CODE[data["category"]]
    lines = [ctx.t("Periksa laporan Anda:"), ctx.t("Masalah: {problem}", problem=ctx.t(category.label))]
    household = _household_label(data, ctx)
    if household:
        lines.append(ctx.t("Keluarga: {name}", name=household))
    lines += answer_lines(data.get("answers", {}), ctx.t)
    if data.get("media"):
        lines.append(ctx.t("Foto/suara: {count}", count=len(data["media"])))
    lines.append(ctx.t("Kirim laporan ini?"))
    return "\n".join(lines)


def _household_label(data: Mapping[str, Any], ctx: Context) -> str:
    for household in ctx.person.households:
        if household.id == data.get("household_id"):
            return household.head_name
    return str(data.get("household_name", ""))


def receipt(category: Category, reference: str, data: Mapping[str, Any], ctx: Context) -> tuple[Reply, ...]:
    """The ticket number, the procedure step by step, the reassurance, and who will see the report."""
    procedure = category.procedure
    if category.code == "kks_lost" and data.get("answers", {}).get("has_letter") == "yes":
        procedure = procedure[1:]  # the village letter is already in hand
    steps = "\n".join(f"{n}. {ctx.t(step)}" for n, step in enumerate(procedure, start=1))
    route = route_of(category, data.get("answers", {}))
    if data.get("assisted"):
        return (
            Reply(ctx.t("Laporan untuk {name} tercatat. Nomor laporan: {reference}", name=data.get("filed_for", ""), reference=reference)),
            Reply(ctx.t("Langkah untuk keluarga itu:") + "\n" + steps),
            Reply(ctx.t("Jika nomor HP keluarga itu terdaftar, mereka juga mendapat nomor laporan ini.")),
        )
    readers = ctx.t("{route} dan PSM di desa Anda", route=ctx.t(ROUTE_NAMES[route]))
    return (
        Reply(ctx.t("Laporan Anda sudah kami terima. Nomor laporan: {reference}", reference=reference)),
        Reply(ctx.t("Langkah selanjutnya:") + "\n" + steps),
        Reply(
            ctx.t(
                "Laporan ini untuk membantu Anda, bukan untuk menghukum. Yang membaca: {readers}. "
                "Ketik STATUS kapan saja untuk melihat perkembangannya.",
                readers=readers,
            )
        ),
    )


def status_line(reference: str, category: str, status: str, step: str, t: Translate) -> str:
    """``KB-7Q4K2 - Kartu KKS hilang: Sedang ditangani (langkah: lapor Polsek)``."""
    label = t(BY_CODE[category].label) if category in BY_CODE else _ppks_label(category, t)
    line = f"{reference} - {label}: {t(STATUS_LABELS.get(status, status))}"
    if step:
        line += " (" + t("langkah: {step}", step=t(STEP_LABELS.get(step, step))) + ")"
    return line


def _ppks_label(category: str, t: Translate) -> str:
    """A companion's case is filed under its PPKS type: ``ppks:08`` → "Lanjut usia terlantar"."""
    kind = PPKS_BY_CODE.get(category.removeprefix("ppks:"))
    return t(kind.label) if kind else category
