"""The 6 T of an e-Warong visit: counts as people type them, reasons, the lines shown, what needs follow-up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations import Context, Inbound, PersonView, Reply
from conversations.areas import Gazetteer
from conversations.effects import RecordEwarongVisit
from conversations.ewarong import needs_follow_up, problems, visit_lines
from conversations.flows.ewarong_visit import read_count, reason_options
from conversations.matching import choose_several


@pytest.fixture
def ctx(catalog_translators):  # type: ignore[no-untyped-def]
    def make(locale: str = "id") -> Context:
        person = PersonView(locale=locale, consented=True)
        return Context(now=datetime(2026, 11, 23, tzinfo=UTC), person=person, gazetteer=Gazetteer(()), translators=catalog_translators)

    return make


@pytest.mark.parametrize(
    ("text", "expected"),
    [("45", 45), ("45 transaksi", 45), ("sekitar 40", 40), ("1.200", 1200), ("0", 0), ("nol", 0), ("tidak ada", 0),
     ("lima", 5), ("three", 3), ("none", 0)],
)  # fmt: skip
def test_counts(ctx, text: str, expected: int) -> None:  # type: ignore[no-untyped-def]
    assert read_count(Inbound.text_(text), ctx()) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [("-3", "kurang dari 0"), ("minus 2", "kurang dari 0"), ("banyak", "belum terbaca"), ("40 dan 2", "satu angka"),
     ("4,5", "satu angka"), ("10000", "terlalu banyak")],
)  # fmt: skip
def test_counts_that_are_asked_again(ctx, text: str, says: str) -> None:  # type: ignore[no-untyped-def]
    answer = read_count(Inbound.text_(text), ctx())
    assert isinstance(answer, Reply) and says in answer.text


@pytest.mark.parametrize(
    ("text", "codes"),
    [("1 3", ["no_balance", "wrong_pin"]), ("3, 1", ["no_balance", "wrong_pin"]), ("saldo dan edc", ["no_balance", "edc_broken"]),
     ("pin salah", ["wrong_pin"]), ("5", ["other"]), ("1 9", None), ("jaringan putus", None)],
)  # fmt: skip
def test_reasons(ctx, text: str, codes: list[str] | None) -> None:  # type: ignore[no-untyped-def]
    picked = choose_several(Inbound.text_(text), reason_options(ctx()))
    assert (None if picked is None else [o.key.removeprefix("reason:") for o in picked]) == codes


VISIT = RecordEwarongVisit(
    area_code="35.17.18.2001", agent_id=1, items="beras 10 kg", prices_ok=False, price_note="telur Rp32.000/kg",
    on_time=False, time_note="2 hari", transactions_ok=45, transactions_failed=3,
    failure_reasons=("no_balance", "wrong_pin", "other"), failure_note="sinyal hilang",
)  # fmt: skip


def test_lines_and_problems(ctx) -> None:  # type: ignore[no-untyped-def]
    t = ctx().t
    assert visit_lines(VISIT, t) == [
        "Tepat jumlah: beras 10 kg",
        "Tepat harga: TIDAK, di atas HET (telur Rp32.000/kg)",
        "Tepat mutu: ya, baik",
        "Tepat waktu: TIDAK, terlambat (2 hari)",
        "Tepat sasaran: ya, KPM sendiri",
        "Tepat administrasi: 45 transaksi berhasil, 3 gagal (saldo kosong, PIN salah, sinyal hilang)",
    ]
    assert problems(VISIT) == ("price", "time", "transactions")
    assert visit_lines(VISIT, ctx("en").t, only_problems=True)[2] == (
        "Right records: 45 transactions went through, 3 failed (zero balance, wrong PIN, sinyal hilang)"
    )


def test_only_some_problems_need_the_operator() -> None:
    assert needs_follow_up(VISIT)
    assert not needs_follow_up(RecordEwarongVisit(area_code="35.17.18.2001", agent_id=1, on_time=False))
    assert needs_follow_up(RecordEwarongVisit(area_code="35.17.18.2001", agent_id=1, on_target=False))
    assert not needs_follow_up(RecordEwarongVisit(area_code="35.17.18.2001", agent_id=1, transactions_ok=10))
