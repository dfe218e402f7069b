"""Reading what people type into the console's case forms: list filters, follow-up days, amounts."""

from __future__ import annotations

from datetime import date

from app.console.case_actions import BAD_DATE, FAR_DATE, PAST_DATE, _rupiah, read_day
from app.console.cases import OPEN, CaseFilters, read_filters

TODAY = date(2026, 11, 23)


def test_filters_fall_back_to_their_defaults_and_say_which_dates_could_not_be_read() -> None:
    filters, errors = read_filters({"status": "dibuang", "kategori": "apa", "petugas": "1 OR 1=1", "tampil": "x",
                                    "halaman": "-3", "dari": "kemarin", "q": "  Bu   Sari  "})  # fmt: skip
    assert filters == CaseFilters(status=OPEN, query="Bu Sari")
    assert errors == ("dari",)
    swapped, errors = read_filters({"dari": "2026-11-30", "sampai": "2026-11-01", "petugas": "belum-ada", "kategori": "ppks"})
    assert (swapped.created_from, swapped.created_to, swapped.assignee, swapped.category) == (
        date(2026, 11, 1), date(2026, 11, 30), "belum-ada", "ppks")  # fmt: skip
    assert errors == ("urutan",)


def test_a_filter_link_keeps_the_filters_and_leaves_out_the_defaults() -> None:
    filters = CaseFilters(category="kks_lost", show="terlambat", query="bu sari", page=2)
    assert filters.link(page=3) == "/console/kasus?kategori=kks_lost&tampil=terlambat&q=bu+sari&halaman=3"
    assert CaseFilters().link() == "/console/kasus"


def test_a_follow_up_day_from_the_date_field_or_as_typed_in_chat() -> None:
    assert read_day("2026-12-05", TODAY) == (date(2026, 12, 5), "")
    assert read_day("2026-11-23", TODAY) == (TODAY, "")  # today is allowed
    assert read_day("besok", TODAY) == (date(2026, 11, 24), "")
    assert read_day("5/12", TODAY) == (date(2026, 12, 5), "")
    assert read_day("2026-11-20", TODAY) == (None, PAST_DATE)
    assert read_day("20/11/2026", TODAY) == (None, PAST_DATE)
    assert read_day("2028-01-01", TODAY) == (None, FAR_DATE)
    assert read_day("kapan-kapan", TODAY) == (None, BAD_DATE)
    assert read_day("", TODAY) == (None, BAD_DATE)


def test_an_amount_in_rupiah_however_it_is_written() -> None:
    assert [_rupiah(text) for text in ("25000", "Rp25.000", "rp 25 000", "25,000", "banyak", "", "-5")] == [
        25000, 25000, 25000, 25000, 0, 0, 0,
    ]  # fmt: skip
