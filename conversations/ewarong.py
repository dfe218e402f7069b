"""The "6 T" a TKSK checks at each e-Warong agent (``DOMAIN.md`` §4), as data and as lines to read.

Tepat jumlah (the items and quantities the KPM received), tepat harga (not above
HET, the ceiling price), tepat mutu (quality), tepat waktu (on schedule), tepat
sasaran (the KPM shop themselves, with their own KKS card) and tepat
administrasi (how many transactions went through or failed, and why). Codes are
stored; labels are translated when shown. The lines are shared by the visit's
summary in the chat and the message to the kelurahan operator.
"""

from __future__ import annotations

from conversations.effects import RecordEwarongVisit
from conversations.types import Translate

N_ = str  # marks a label for extraction; it is translated when shown

FAILURE_REASONS = (
    ("no_balance", N_("Saldo kosong"), ("saldo kosong", "saldo nol", "saldo habis", "saldo", "no balance", "zero balance")),
    ("card_blocked", N_("Kartu terblokir"), ("terblokir", "blokir", "kartu blokir", "keblokir", "blocked")),
    ("wrong_pin", N_("PIN salah"), ("pin", "salah pin", "pin salah", "lupa pin", "wrong pin")),
    ("edc_broken", N_("Mesin EDC rusak"), ("edc", "edc rusak", "mesin rusak", "mesin edc", "edc error")),
    ("other", N_("Lainnya"), ("lainnya", "lain", "lain lain", "other")),
)
REASON_LABELS = {code: label for code, label, _words in FAILURE_REASONS}

PROBLEMS = ("price", "quality", "time", "target", "transactions")
"""What a visit can find wrong; all but ``time`` are passed on to the kelurahan operator (``FOLLOW_UP``)."""
FOLLOW_UP = ("price", "quality", "target", "transactions")


def problems(visit: RecordEwarongVisit) -> tuple[str, ...]:
    """The T's that were not met, in ``PROBLEMS`` order: ``("price", "transactions")``."""
    found = {
        "price": not visit.prices_ok,
        "quality": not visit.quality_ok,
        "time": not visit.on_time,
        "target": not visit.on_target,
        "transactions": visit.transactions_failed > 0,
    }
    return tuple(problem for problem in PROBLEMS if found[problem])


def needs_follow_up(visit: RecordEwarongVisit) -> bool:
    """True when the kelurahan operator must be told (a price above HET, poor quality, the wrong people, failures)."""
    return any(problem in FOLLOW_UP for problem in problems(visit))


def visit_lines(visit: RecordEwarongVisit, t: Translate, *, only_problems: bool = False) -> list[str]:
    """One line per T, in the order they are asked (``Tepat harga: TIDAK, di atas HET (telur Rp32.000/kg)``);
    with ``only_problems``, just the T's that were not met."""
    found = problems(visit)
    lines = {
        "items": t("Tepat jumlah: {items}", items=visit.items or "-"),
        "price": (
            t("Tepat harga: ya, sesuai HET") if visit.prices_ok
            else t("Tepat harga: TIDAK, di atas HET ({note})", note=visit.price_note or "-")
        ),
        "quality": (
            t("Tepat mutu: ya, baik") if visit.quality_ok
            else t("Tepat mutu: TIDAK ({note})", note=visit.quality_note or "-")
        ),
        "time": (
            t("Tepat waktu: ya") if visit.on_time
            else t("Tepat waktu: TIDAK, terlambat ({note})", note=visit.time_note or "-")
        ),
        "target": (
            t("Tepat sasaran: ya, KPM sendiri") if visit.on_target
            else t("Tepat sasaran: TIDAK ({note})", note=visit.target_note or "-")
        ),
        "transactions": transactions_line(visit, t),
    }  # fmt: skip
    if only_problems:
        return [lines[problem] for problem in found]
    return list(lines.values())


def transactions_line(visit: RecordEwarongVisit, t: Translate) -> str:
    """``Tepat administrasi: 45 transaksi berhasil, 3 gagal (saldo kosong, PIN salah)``."""
    line = t(
        "Tepat administrasi: {ok} transaksi berhasil, {failed} gagal",
        ok=visit.transactions_ok,
        failed=visit.transactions_failed,
    )
    reasons = failure_reasons(visit, t)
    return f"{line} ({reasons})" if visit.transactions_failed and reasons else line


def failure_reasons(visit: RecordEwarongVisit, t: Translate) -> str:
    """``saldo kosong, PIN salah, jaringan putus`` (what was written stands for "Lainnya")."""
    shown = []
    for code in visit.failure_reasons:
        if code == "other" and visit.failure_note:
            shown.append(visit.failure_note)
        elif code in REASON_LABELS:
            shown.append(_inline(t(REASON_LABELS[code])))
    return ", ".join(shown)


def _inline(label: str) -> str:
    """A label inside a sentence: ``Saldo kosong`` → ``saldo kosong``, but ``PIN salah`` stays."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label
