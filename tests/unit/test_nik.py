"""NIK and KK number checks: length, kecamatan, the date in the middle (women + 40, leap years), the serial."""

from __future__ import annotations

import pytest

from app.households.nik import check_kk, check_nik, is_birth_date, is_calendar_date, kecamatan_digits

PASTEUR_KECAMATAN = "327307"


def test_kecamatan_digits_of_a_village_and_of_a_kecamatan() -> None:
    assert kecamatan_digits("32.73.07.1001") == "327307"
    assert kecamatan_digits("35.17.18.2001") == "351718"
    assert kecamatan_digits("32.73.07") == "327307"


@pytest.mark.parametrize(
    "nik",
    [
        "3273071203800001",  # a man born 12 March 1980
        "3273075203800001",  # a woman born 12 March 1980 (day + 40)
        "3273074106800001",  # a woman born 1 June 1980
        "3273077112800001",  # a woman born 31 December 1980
        "3273072902000001",  # 29 Feb 2000: a leap year
        "3273072902960001",  # 29 Feb 1996
        "3273076902960001",  # a woman born 29 Feb 1996
        "3273072902040001",  # 29 Feb 2004 (1904 was a leap year too)
        "3273072902009999",  # serial 9999
    ],
)
def test_valid_niks(nik: str) -> None:
    assert check_nik(nik, PASTEUR_KECAMATAN) == []


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        ("3273073102990001", "nik: tanggal lahir tidak valid (310299)"),  # 31 Feb
        ("3273073002800001", "nik: tanggal lahir tidak valid (300280)"),  # 30 Feb
        ("3273072902010001", "nik: tanggal lahir tidak valid (290201)"),  # neither 1901 nor 2001 is a leap year
        ("3273072902970001", "nik: tanggal lahir tidak valid (290297)"),
        ("3273073103800001", ""),  # 31 March is fine: the control case
        ("3273073104800001", "nik: tanggal lahir tidak valid (310480)"),  # 31 April
        ("3273077204800001", "nik: tanggal lahir tidak valid (720480)"),  # woman, day 32
        ("3273073512800001", "nik: tanggal lahir tidak valid (351280)"),  # day 35: neither man nor woman
        ("3273074012800001", "nik: tanggal lahir tidak valid (401280)"),  # day 40 = woman's day 0
        ("3273070012800001", "nik: tanggal lahir tidak valid (001280)"),
        ("3273071213800001", "nik: tanggal lahir tidak valid (121380)"),  # month 13
        ("3273071200800001", "nik: tanggal lahir tidak valid (120080)"),  # month 0
        ("3273071203800000", "nik: 4 angka terakhir tidak boleh 0000"),
        ("3273081203800001", "nik: 6 angka pertama tidak sama dengan kode kecamatan 327307"),
        ("327307120380001", "nik: harus 16 angka, bukan 15"),
        ("32730712038000011", "nik: harus 16 angka, bukan 17"),
        ("3273O71203800001", "nik: hanya boleh angka"),  # a letter O
        ("３２７３０７１２０３８０００01", "nik: hanya boleh angka"),  # full-width digits are not ASCII
        ("", "nik: hanya boleh angka"),
    ],
)
def test_invalid_niks(nik: str, reason: str) -> None:
    assert check_nik(nik, PASTEUR_KECAMATAN) == ([reason] if reason else [])


def test_several_reasons_at_once_and_the_number_is_never_echoed() -> None:
    nik = "3273083102990000"
    reasons = check_nik(nik, PASTEUR_KECAMATAN)
    assert reasons == [
        "nik: 6 angka pertama tidak sama dengan kode kecamatan 327307",
        "nik: tanggal lahir tidak valid (310299)",
        "nik: 4 angka terakhir tidak boleh 0000",
    ]
    assert not any(nik in reason for reason in reasons)


def test_the_kecamatan_is_only_checked_when_given() -> None:
    assert check_nik("3517181203800001") == []
    assert check_nik("3517181203800001", "351718") == []


def test_kk_number_has_an_issue_date_without_the_plus_40_rule() -> None:
    assert check_kk("3273071203090004", PASTEUR_KECAMATAN) == []
    assert check_kk("3273072902080004", PASTEUR_KECAMATAN) == []  # 29 Feb 2008
    assert check_kk("3273075203090004", PASTEUR_KECAMATAN) == ["no_kk: tanggal terbit tidak valid (520309)"]
    assert check_kk("3273073102090004", PASTEUR_KECAMATAN) == ["no_kk: tanggal terbit tidak valid (310209)"]
    assert check_kk("3273071203090000") == ["no_kk: 4 angka terakhir tidak boleh 0000"]
    assert check_kk("1234", PASTEUR_KECAMATAN) == ["no_kk: harus 16 angka, bukan 4"]
    assert check_kk("3273091203090004", PASTEUR_KECAMATAN) == [
        "no_kk: 6 angka pertama tidak sama dengan kode kecamatan 327307"
    ]


def test_two_digit_years_and_leap_days() -> None:
    assert is_calendar_date(29, 2, 0)  # 2000 (1900 was not a leap year)
    assert is_calendar_date(29, 2, 4)  # 1904 and 2004
    assert not is_calendar_date(29, 2, 1)
    assert not is_calendar_date(29, 2, 23)
    assert is_calendar_date(28, 2, 23)
    assert not is_calendar_date(0, 1, 80)
    assert not is_calendar_date(45, 1, 80)  # no +40 rule for a plain date
    assert is_birth_date(45, 1, 80)
    assert is_birth_date(69, 2, 0)
    assert not is_birth_date(69, 2, 1)
    assert not is_birth_date(32, 1, 80)
