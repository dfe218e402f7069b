"""The answers a first message already gives: since when, which programme, how much money, how much of the goods."""

from __future__ import annotations

import pytest

from conversations.understand.facts import facts, just_a_time


@pytest.mark.parametrize(
    ("text", "since"),
    [
        ("beras bulan ini blm dibagi", "bulan ini"),
        ("saldo kosong sejak kemarin", "kemarin"),
        ("udah 2 bulan gak cair", "2 bulan"),
        ("udh 2bln pkh blm cair", "2 bulan"),
        ("agen tutup dari minggu lalu", "minggu lalu"),
        ("3 bulan gak dapat bantuan", "3 bulan"),
        ("pkh belum cair sejak tiga bulan lalu", "tiga bulan lalu"),
        ("blm dpt bantuan beras sejak bulan kemarin", "bulan kemarin"),
        ("sejak bulan maret belum cair", "bulan maret"),
        ("sudah sebulan saldo nol", "sebulan"),
        ("sejak tgl 5 gagal terus", "tanggal 5"),
        ("sudah 2 tahun tidak dapat pkh", "2 tahun"),
        ("pkh blm turun sejak awal tahun", "awal tahun"),
    ],
)  # fmt: skip
def test_since_when(text: str, since: str) -> None:
    assert facts(text).get("since_when") == since


@pytest.mark.parametrize(
    "text",
    [
        "nenek saya 70 tahun sakit",  # an age
        "anak saya umur 3 bulan",
        "bantuan 3 bulan sekali",  # how often, not since when
        "pertemuan bulan depan",  # the future
        "kartu saya hilang",
        "sudah lama gak cair",  # too vague to be an answer
    ],
)
def test_no_time_when_the_number_is_not_one(text: str) -> None:
    assert "since_when" not in facts(text)


@pytest.mark.parametrize(
    ("text", "program"),
    [
        ("pkh blm cair", "pkh"),
        ("PKH saya belum masuk", "pkh"),
        ("bpnt blm turun", "sembako"),
        ("sembako bulan ini belum", "sembako"),
        ("bantuan beras blm dibagi", "sembako"),
        ("pkh dan bpnt belum cair", None),  # both named: not one answer
        ("bansos belum cair", None),
        ("blt dd blm dibagi", None),
    ],
)  # fmt: skip
def test_program(text: str, program: str | None) -> None:
    assert facts(text).get("program") == program


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("harga beras 200rb", "200000"),
        ("bayar Rp 150.000", "150000"),
        ("saldo 1,5jt hilang", "1500000"),
        ("Rp. 200.000,- dipotong", "200000"),
        ("dipotong 50 ribu", "50000"),
        ("rp150rb", "150000"),
        ("minta uang seratus lima puluh ribu", "150000"),
        ("saldo cuma 1.5 juta", "1500000"),
        ("harga 70rb padahal het 60rb", None),  # two sums: which one is not ours to guess
        ("saldo saya 0", None),
        ("beras 10 kg", None),
        ("rt 03 rw 05", None),
    ],
)  # fmt: skip
def test_amount(text: str, amount: str | None) -> None:
    assert facts(text).get("amount") == amount


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("berasnya kurang 2 kilo", "2 kg"),
        ("dapat 5kg aja", "5 kg"),
        ("beras cuma 4,5 kg", "4,5 kg"),
        ("telur kurang 3 butir", "3 butir"),
        ("minyak seliter", "1 liter"),
        ("beras 5 kg dari 10 kg", None),  # two quantities
        ("harga 200rb", None),
        ("kartu hilang", None),
    ],
)  # fmt: skip
def test_quantity(text: str, quantity: str | None) -> None:
    assert facts(text).get("quantity") == quantity


def test_a_whole_message() -> None:
    assert facts("Selamat siang bu, udah 2 bln PKH saya blm cair, harusnya 750rb") == {
        "since_when": "2 bulan",
        "program": "pkh",
        "amount": "750000",
    }


def test_nothing_from_a_greeting() -> None:
    assert facts("assalamualaikum pak") == {}
    assert facts("") == {}


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("sudah 2 bulan", "2 bulan"),
        ("udah 2 bln pak", "2 bulan"),
        ("dari bulan kemarin", "bulan kemarin"),
        ("Sejak januari.", "januari"),
        ("toko bu ani", None),  # a name, no time
        ("toko bu ani, sudah 2 bulan", None),  # a name and a time: the answer to what was asked
        ("agen kemarin", None),
        ("umur 3 bulan", None),  # an age
    ],
)
def test_just_a_time(text: str, time: str | None) -> None:
    assert just_a_time(text) == time
