"""Readable names for what the digest counts: categories, statuses, the "T" of an e-Warong complaint."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from conversations.categories import BY_CODE, EWARONG_PROBLEMS
from conversations.flows.report_questions import STATUS_LABELS
from conversations.ppks import BY_CODE as PPKS_BY_CODE
from conversations.types import Translate

T_LABELS = {code: label for code, label, _words in EWARONG_PROBLEMS}


def category(code: str, t: Translate) -> str:
    if code.startswith("ppks:"):
        kind = PPKS_BY_CODE.get(code.removeprefix("ppks:"))
        return t("PPKS: {type}", type=t(kind.label)) if kind else t("PPKS lainnya")
    known = BY_CODE.get(code)
    return t(known.label) if known else code


def status(code: str, t: Translate) -> str:
    return t(STATUS_LABELS[code]) if code in STATUS_LABELS else code


def six_t(code: str, t: Translate) -> str:
    return t(T_LABELS[code]) if code in T_LABELS else code


def short_day(day: date, locale: str) -> str:
    """``Sab 5 Des`` / ``Sat 5 Dec``."""
    return format_date(day, "EEE d MMM", locale=locale)


def long_day(day: date, locale: str) -> str:
    return format_date(day, "d MMMM y", locale=locale)
