"""The questions a report asks per category, how answers are read, and what the household is told.

Each question is data: its prompt, and either numbered options or a free-text
answer. A voice note answers a question that asks for a story (``STORY_KEYS``),
for people who cannot write; a name is asked in writing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_currency

from conversations.categories import BY_CODE, EWARONG_PROBLEMS, Category, route_of
from conversations.matching import choose, clean, has_words, means
from conversations.ppks import BY_CODE as PPKS_BY_CODE
from conversations.roles import SHORT_ROLE_NAMES
from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Translate
from conversations.understand.facts import just_a_time
from conversations.understand.meanings import Meaning

N_ = str
VOICE_ANSWER = "[pesan suara]"
UNKNOWN_ANSWER = "[tidak tahu]"
MAY_BE_UNKNOWN = frozenset({"ewarong_agent", "since_when"})
"""Free-text questions where "gak ngerti" / "ga tau agennya" is a full answer, kept as ``UNKNOWN_ANSWER``."""
NOT_A_TIME = frozenset({"ewarong_agent", "deceased_name"})
"""Free-text questions a time alone does not answer: "udah 2 bulan" there still says since when (``time_noted``)."""


@dataclass(frozen=True)
class Question:
    prompt: str
    summary_label: str
    options: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    asked: bool = True
    """False for what is only read from the person's own words (an amount), never asked."""


YES_NO = (("yes", N_("Ya"), ("ada", "masih ada")), ("no", N_("Tidak"), ("tidak ada lagi", "sudah tidak ada")))
MEANS = {"yes": ("yes", "done"), "no": ("no", "not_yet", "skip")}
"""Which plain answers pick an option coded yes or no ("iya pak", "sampun" / "gak", "blm", "teu acan")."""

QUESTIONS: dict[str, Question] = {
    "has_letter": Question(
        N_("Sudah punya surat keterangan kehilangan dari desa atau kelurahan?"), N_("Surat kehilangan"),
        (("yes", N_("Sudah"), ("sudah ada", "ada")), ("no", N_("Belum"), ("belum ada", "tidak tahu", "kurang tahu"))),
    ),
    "since_when": Question(N_("Sejak kapan? Contoh: bulan ini, 2 minggu lalu"), N_("Sejak")),
    "ewarong_agent": Question(N_("Di e-Warong atau agen mana? Tulis nama agen atau pemiliknya."), N_("e-Warong")),
    "program": Question(
        N_("Bantuan apa yang belum diterima?"), N_("Program"),
        (("sembako", N_("Sembako (BPNT)"), ("sembako", "bpnt", "beras")), ("pkh", N_("PKH"), ("pkh",)),
         ("unknown", N_("Tidak tahu"), ("tidak tahu", "bingung"))),
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
    "ewarong_problems": Question("", N_("Masalah e-Warong"), asked=False),
    "amount": Question("", N_("Jumlah uang"), asked=False),
    "message": Question("", N_("Pesan"), asked=False),
}  # fmt: skip

STORY_KEYS = ("what_is_wrong", "who_needs", "ewarong_detail", "story")
"""Questions that ask for a story: a voice note answers them, and so does a first message that tells one."""

DETAIL_PROMPTS = {
    "quantity": N_("Berapa yang Anda terima, dan berapa seharusnya? Contoh: beras 5 kg dari 10 kg"),
    "price": N_("Barang apa, dan berapa harga yang Anda bayar? Contoh: beras 10 kg Rp150.000"),
    "quality": N_("Barang apa, dan bagaimana keadaannya? Contoh: beras berkutu, telur busuk"),
}

KEYS = tuple(QUESTIONS)
ASKED_KEYS = tuple(key for key, question in QUESTIONS.items() if question.asked)

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
    return tuple(
        Option(f"{key}:{code}", ctx.t(label), words, means=MEANS.get(code, ()) if code != "unknown" else ("unknown",))
        for code, label, words in QUESTIONS[key].options
    )


def accepts(key: str, value: str) -> bool:
    """Whether ``value`` (read from the person's words) is a valid answer to ``key``."""
    question = QUESTIONS[key]
    return any(code == value for code, _label, _words in question.options) if question.options else bool(value)


def tells_a_story(text: str, min_words: int) -> bool:
    return len(clean(text).split()) >= min_words


def ask(key: str, session: Session, ctx: Context) -> tuple[Reply, ...]:
    prompt = QUESTIONS[key].prompt
    if key == "ewarong_detail":
        prompt = DETAIL_PROMPTS.get(session.data.get("answers", {}).get("ewarong_problem", ""), prompt)
    text = ctx.t(prompt)
    if key in STORY_KEYS:
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
    if key in MAY_BE_UNKNOWN and means(inbound, Meaning.UNKNOWN):
        return UNKNOWN_ANSWER
    return text_answer(inbound)


def time_noted(session: Session, inbound: Inbound, ctx: Context) -> tuple[Session, Reply] | None:
    """An answer that is only a time ("sudah 2 bulan" where a name is asked): kept as since when, and said so;
    the caller asks its question again. None for any other answer."""
    time = just_a_time(inbound.text) if inbound.kind is InboundKind.TEXT else None
    if time is None:
        return None
    answers = {**session.data.get("answers", {}), "since_when": time}
    said = ctx.t("Baik, kami catat.") + " " + answer_lines({"since_when": time}, ctx.t)[0]
    return session.goto(session.state, answers=answers), Reply(said)


def shown_answer(key: str, value: str, t: Translate) -> str:
    """An answer as a reader sees it: the option's label, or the text (a voice note says so)."""
    if key == "ewarong_problems":
        labels = {code: label for code, label, _words in EWARONG_PROBLEMS}
        return ", ".join(t(labels[code]) for code in value.split() if code in labels)
    if key == "amount" and value.isdigit():
        return format_currency(int(value), "IDR", locale=getattr(t, "locale", "id"), format="¤#,##0", currency_digits=False)
    for code, label, _words in QUESTIONS[key].options:
        if code == value:
            return t(label)
    if value == UNKNOWN_ANSWER:
        return t("Tidak tahu")
    return value if value != VOICE_ANSWER else t("(pesan suara)")


def answer_lines(answers: Mapping[str, str], t: Translate) -> list[str]:
    """The answers in the questions' own order (a database may keep a mapping's keys in another).
    Several e-Warong problems are shown once, all of them, in place of the first."""
    several = len(answers.get("ewarong_problems", "").split()) > 1
    shown = [k for k in KEYS if k in answers and not (k == ("ewarong_problem" if several else "ewarong_problems"))]
    return [f"{t(QUESTIONS[k].summary_label)}: {shown_answer(k, answers[k], t)[:200]}" for k in shown]


def summary(session: Session, ctx: Context) -> str:
    data = session.data
    category = BY_CODE[data["category"]]
    lines = [ctx.t("Periksa laporan Anda:"), ctx.t("Masalah: {problem}", problem=ctx.t(category.label))]
    household = _household_label(data, ctx)
    if household:
        lines.append(ctx.t("Keluarga: {name}", name=household))
    own_words = {k: v for k, v in data.get("answers", {}).items() if k != "message"}  # they know what they wrote
    lines += answer_lines(own_words, ctx.t)
    if data.get("media"):
        lines.append(ctx.t("Foto/suara: {count}", count=len(data["media"])))
    lines.append(ctx.t("Kirim laporan ini?"))
    return "\n".join(lines)


def _household_label(data: Mapping[str, Any], ctx: Context) -> str:
    for household in ctx.person.households:
        if household.id == data.get("household_id"):
            return household.head_name
    return str(data.get("household_name", ""))


def receipt(category: Category, reference: str, data: Mapping[str, Any], ctx: Context, area_code: str = "") -> tuple[Reply, ...]:
    """The ticket number, the procedure step by step, the reassurance, and who will see the report."""
    procedure = category.procedure
    if category.code == "kks_lost" and data.get("answers", {}).get("has_letter") == "yes":
        procedure = procedure[1:]  # the village letter is already in hand
    route = route_of(category, data.get("answers", {}))
    reader = ctx.person.reader(area_code, route)
    helper = reader.name if reader is not None else ctx.t("Petugas")
    steps = "\n".join(f"{n}. {ctx.t(step, helper=helper)}" for n, step in enumerate(procedure, start=1))
    if data.get("assisted"):
        return (
            Reply(ctx.t("Laporan untuk {name} tercatat. Nomor laporan: {reference}", name=data.get("household_name") or data.get("filed_for", ""), reference=reference)),
            Reply(ctx.t("Langkah untuk keluarga itu:") + "\n" + steps),
            Reply(ctx.t("Jika nomor HP keluarga itu terdaftar, mereka juga mendapat nomor laporan ini.")),
        )
    return (
        Reply(ctx.t("Laporan Anda sudah kami terima. Nomor laporan: {reference}", reference=reference)),
        Reply(ctx.t("Langkah selanjutnya:") + "\n" + steps),
        Reply(ctx.t("Laporan ini untuk membantu Anda, bukan untuk menghukum.") + " " + who_reads(route, area_code, ctx)
              + " " + ctx.t("Ketik STATUS kapan saja untuk melihat perkembangannya.")),
    )  # fmt: skip


def who_reads(route: str, area_code: str, ctx: Context) -> str:
    """The person who will read the report, by name and role, never a role nobody holds."""
    reader = ctx.person.reader(area_code, route)
    if reader is None:
        return ctx.t("Saat ini belum ada petugas terdaftar untuk wilayah Anda. Laporan tetap tersimpan, dan kami kabari begitu ada yang menanganinya.")
    role = ctx.t(SHORT_ROLE_NAMES.get(reader.role, reader.role))
    return ctx.t("Yang membaca: {name}, {role} {place}.", name=reader.name, role=role, place=reader.place)


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
