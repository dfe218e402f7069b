"""Everyday answers from ``docs/LANGUAGE.md`` are understood at the household's questions: never "not understood".

Each word of the field notes' yes / no / skip / done / not-yet table, with and without a term of
address, is tried against the real option lists of the report and onboarding flows.
"""

from __future__ import annotations

import pytest

from conversations.flows import onboarding, report
from conversations.flows import report_questions as questions
from conversations.matching import choose, option_number
from conversations.types import Context, Inbound, Option, PersonView
from conversations.understand import Meaning, clean, meanings_of

YES = "ya iya iye y yoi ok oke okey betul benar bener setuju boleh siap baik mau tentu nggih inggih iyo yo enggeh muhun sumuhun enya mangga".split()
NO = "tidak tdk gak ga gk nggak ngga enggak engga kagak ndak tak bukan jangan no mboten ora orak dudu henteu teu sanes ulah indak".split()
SKIP = [
    "tidak ada", "gak ada", "ga ada", "nggak usah", "udah itu aja", "cukup", "lewat", "lewati", "skip", "gak punya",
    "mboten wonten", "ora ono", "teu aya", "gak usah foto", "ndak ada fotonya",
]
DONE = "sudah sdh udah udh dah wis sampun parantos tos".split()
NOT_YET = ["belum", "blm", "blom", "belom", "dereng", "durung", "teu acan", "acan"]
SAID_AS = ["{}", "{} pak", "{} bu", "{} mbak", "{} teteh", "{}!!"]


@pytest.fixture
def ctx(gazetteer, catalog_translators) -> Context:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return Context(now=datetime(2026, 11, 23, 2, tzinfo=UTC), person=PersonView(consented=True), gazetteer=gazetteer,
                   translators=catalog_translators)  # fmt: skip


def picked(text: str, options: tuple[Option, ...]) -> str:
    option = choose(Inbound.text_(text), options)
    return option.key if option else ""


@pytest.mark.parametrize("word", YES)
@pytest.mark.parametrize("said", SAID_AS)
def test_a_yes_is_a_yes(word: str, said: str, ctx: Context) -> None:
    answer = said.format(word)
    assert picked(answer, onboarding.consent_options(ctx)) == "consent:yes"
    assert picked(answer, report.confirm_options(ctx)) == "confirm:send"
    assert picked(answer, report.guess_options(ctx)) == "guess:yes"
    assert picked(answer, questions.options_for("family_left", ctx)) == "family_left:yes"


@pytest.mark.parametrize("word", NO)
@pytest.mark.parametrize("said", SAID_AS)
def test_a_no_is_a_no(word: str, said: str, ctx: Context) -> None:
    answer = said.format(word)
    assert picked(answer, onboarding.consent_options(ctx)) == "consent:no"
    assert picked(answer, report.confirm_options(ctx)) == "confirm:cancel"
    assert picked(answer, report.guess_options(ctx)) == "guess:no"


@pytest.mark.parametrize("words", SKIP)
def test_nothing_more_skips(words: str, ctx: Context) -> None:
    assert Meaning.SKIP in meanings_of(words)
    assert picked(words, report.attach_options(ctx)) == "attach:none"
    assert picked(f"{words} pak", report.attach_options(ctx)) == "attach:none"


@pytest.mark.parametrize("word", DONE)
def test_already_done(word: str, ctx: Context) -> None:
    assert meanings_of(word)[0] is Meaning.DONE
    assert picked(word, questions.options_for("has_letter", ctx)) == "has_letter:yes"
    assert picked(f"{word} bu", questions.options_for("has_letter", ctx)) == "has_letter:yes"


@pytest.mark.parametrize("word", NOT_YET)
def test_not_yet(word: str, ctx: Context) -> None:
    assert meanings_of(word)[0] is Meaning.NOT_YET
    assert picked(word, questions.options_for("has_letter", ctx)) == "has_letter:no"
    assert picked(f"{word} pak", questions.options_for("has_letter", ctx)) == "has_letter:no"


@pytest.mark.parametrize(
    ("answer", "key"),
    [
        ("ya kirim", "confirm:send"), ("iya bener", "confirm:send"), ("oke lanjut", "confirm:send"),
        ("boleh silakan", "confirm:send"), ("Iyaaa pak 🙏", "confirm:send"), ("kirim aja bu", "confirm:send"),
        ("1", "confirm:send"), ("satu", "confirm:send"), ("2 pak", "confirm:cancel"), ("gak jadi", "confirm:cancel"),
    ],
)  # fmt: skip
def test_sentences_around_the_answer(answer: str, key: str, ctx: Context) -> None:
    assert picked(answer, report.confirm_options(ctx)) == key


def test_numbers_still_win(ctx: Context) -> None:
    """"2" is the second option even when the second option means yes."""
    assert picked("2", report.guess_options(ctx)) == "guess:no"
    assert option_number("no 2") == 2 and option_number("2 bu") == 2 and option_number("2 minggu") is None


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Assalamualaikum pak, kartu atm bansos sy ilang", "kartu atm bansos saya hilang"),
        ("punten teh, abdi teu acan nampi", "saya tidak acan nampi"),
        ("nuwun sewu bu, kulo dereng pikantuk", "saya belum pikantuk"),
        ("tolong2 pak blm2 cair", "tolong belum cair"),
        ("makasih bu 🙏", ""),
        ("selamat pagi, saldo nol. terima kasih", "saldo nol"),
    ],
)
def test_the_words_around_the_message_are_dropped(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned
