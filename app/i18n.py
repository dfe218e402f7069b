"""Babel catalogs and locale-aware formatting of money, dates and times.

Message ids are the Indonesian sentences (Indonesian is the reference language);
``locales/<lang>/LC_MESSAGES/messages.po`` holds each language, compiled to ``.mo``
by ``make i18n``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_currency
from babel.support import Translations

from app.areas.timezones import ZONE_ABBREVIATIONS
from app.bundled_files import LOCALES_DIR
from conversations.types import Translate

LANGUAGES = ("id", "en")
DOMAIN = "messages"


@cache
def load_catalog(locale: str) -> Translations:
    catalog = Translations.load(dirname=str(LOCALES_DIR), locales=[locale], domain=DOMAIN)
    if not isinstance(catalog, Translations):
        raise FileNotFoundError(f"no compiled catalog for {locale!r} in {LOCALES_DIR}; run `make i18n`")
    return catalog


def translator(locale: str) -> Translate:
    catalog = load_catalog(locale)

    def translate(msgid: str, **params: Any) -> str:
        text = catalog.gettext(msgid)
        return text.format(**params) if params else text

    translate.locale = locale  # type: ignore[attr-defined]  # lets pure code format money for the reader
    return translate


def translators() -> Mapping[str, Translate]:
    return {locale: translator(locale) for locale in LANGUAGES}


def format_money(amount: int | Decimal, locale: str) -> str:
    """``150000`` → ``Rp150.000`` (id) or ``IDR 150,000`` (en), without decimals."""
    return format_currency(amount, "IDR", locale=locale, format="¤#,##0", currency_digits=False)


def format_local_datetime(moment: datetime, timezone: str, locale: str) -> str:
    """An aware time shown in the place's zone: ``Senin, 7 Desember 2026 09.00 WIB``."""
    local = moment.astimezone(ZoneInfo(timezone))
    text = babel_format_datetime(local, "EEEE, d MMMM y HH.mm" if locale == "id" else "EEEE, d MMMM y HH:mm", locale=locale)
    return f"{text} {ZONE_ABBREVIATIONS.get(timezone, timezone)}"
