"""Where the migrations and the translation catalogs are.

An installed wheel carries them inside the package (``app/bundled/``, put there by ``setup.py``); a checkout has
them at the top level (``alembic/``, ``locales/``), where developers edit them. The package is looked at first:
next to an installed package the "top level" is site-packages, whose ``alembic`` is the library itself.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def bundled(folder: str) -> Path:
    inside = PACKAGE / "bundled" / folder
    return inside if inside.is_dir() else PACKAGE.parent / folder


MIGRATIONS_DIR = bundled("alembic")
LOCALES_DIR = bundled("locales")
