"""Keeping the Babel catalogs whole: ``python -m app.catalogs fix|check``.

``fix`` (run by ``make i18n``) gives Indonesian its single plural form (Babel
writes ``nplurals=2`` for ``id``) and fills the ``id`` catalog from the msgids,
since the Indonesian sentences are the msgids. ``check`` lists what is wrong:
missing or fuzzy translations, placeholders that differ, stale compiled files.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from app.i18n import DOMAIN, LANGUAGES, LOCALES_DIR

REFERENCE = "id"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def po_path(locale: str) -> Path:
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(locale: str) -> Catalog:
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def fix() -> None:
    for locale in LANGUAGES:
        catalog = read(locale)
        if locale == REFERENCE:
            catalog.plural_forms  # noqa: B018 - touch to parse
            catalog._num_plurals = 1  # type: ignore[assignment]  # Indonesian has one plural form; babel types these private fields as None
            catalog._plural_expr = "0"  # type: ignore[assignment]
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        with po_path(locale).open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=True, no_location=True)


def _text(message: str | tuple[str, ...] | list[str]) -> str:
    """A message's text; a plural message's forms joined, so the placeholders of every form are compared."""
    return message if isinstance(message, str) else " ".join(message)


def problems() -> list[str]:
    found: list[str] = []
    template = read(REFERENCE)
    ids = {m.id for m in template if m.id}
    for locale in LANGUAGES:
        catalog = read(locale)
        if locale == REFERENCE and catalog.num_plurals != 1:
            found.append(f"{locale}: Plural-Forms must be nplurals=1 for Indonesian")
        for message in catalog:
            if not message.id:
                continue
            if not message.string:
                found.append(f"{locale}: no translation for {message.id!r}")
            elif message.fuzzy:
                found.append(f"{locale}: fuzzy translation for {message.id!r}")
            elif set(PLACEHOLDER.findall(_text(message.id))) != set(PLACEHOLDER.findall(_text(message.string))):
                found.append(f"{locale}: placeholders differ in {message.id!r}")
        missing = ids - {m.id for m in catalog if m.id}
        found.extend(f"{locale}: message missing from catalog: {mid!r}" for mid in sorted(missing))
        found.extend(_stale_mo(locale, catalog))
    return found


def _stale_mo(locale: str, catalog: Catalog) -> list[str]:
    mo = po_path(locale).with_suffix(".mo")
    if not mo.exists():
        return [f"{locale}: {mo} missing; run `make i18n`"]
    with mo.open("rb") as handle:
        compiled = read_mo(handle)
    expected = io.BytesIO()
    write_mo(expected, catalog)
    expected.seek(0)
    fresh = read_mo(expected)
    compiled_pairs = {m.id: m.string for m in compiled if m.id}
    fresh_pairs = {m.id: m.string for m in fresh if m.id}
    return [] if compiled_pairs == fresh_pairs else [f"{locale}: compiled catalog is stale; run `make i18n`"]


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "fix":
        fix()
        return 0
    issues = problems()
    for issue in issues:
        print(issue)
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
