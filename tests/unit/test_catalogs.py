"""The catalogs are complete in Indonesian and English, agree on placeholders, and are compiled."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

import app.catalogs
from app.catalogs import problems, read
from app.i18n import translator

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"t": None, "N_": None}


def extracted_ids() -> set[str]:
    ids: set[str] = set()
    for package in ("conversations", "app", "bot"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_catalogs_have_no_problems() -> None:
    assert problems() == []


def test_every_string_in_the_code_is_in_both_catalogs() -> None:
    for locale in ("id", "en"):
        known = {m.id for m in read(locale) if m.id}
        missing = extracted_ids() - known
        assert not missing, f"run `make i18n` and translate: {sorted(missing)[:5]}"


def test_indonesian_has_one_plural_form() -> None:
    assert read("id").num_plurals == 1


def test_translation_is_used_with_placeholders() -> None:
    english = translator("en")
    assert english("Terima kasih. Tempat Anda: {place}.", place="Pasteur") == "Thank you. Your place: Pasteur."
    assert translator("id")("Terima kasih. Tempat Anda: {place}.", place="Pasteur") == "Terima kasih. Tempat Anda: Pasteur."


def test_plural_messages_are_checked_form_by_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plural entry's id and string are tuples: their placeholders are compared, not fed to the regex whole."""
    catalogs = {}
    for locale in ("id", "en"):
        catalog = Catalog(locale=locale)
        catalog.add(("{count} kasus dibuka", "{count} kasus dibuka"), ("{count} kasus dibuka",) if locale == "id" else ("one case opened", "{count} cases opened"))
        catalogs[locale] = catalog
    monkeypatch.setattr(app.catalogs, "read", lambda locale: catalogs[locale])
    monkeypatch.setattr(app.catalogs, "_stale_mo", lambda locale, catalog: [])
    assert app.catalogs.problems() == []
    catalogs["en"].add(("{count} kasus ditutup", "{count} kasus ditutup"), ("one case closed", "cases closed"))
    catalogs["id"].add(("{count} kasus ditutup", "{count} kasus ditutup"), ("{count} kasus ditutup",))
    assert app.catalogs.problems() == ["en: placeholders differ in ('{count} kasus ditutup', '{count} kasus ditutup')"]
