"""What the shell builds once at start and shares: settings, the gazetteer, the catalogs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.areas.service import build_gazetteer
from app.config import Settings
from app.db import Database
from app.i18n import translators
from conversations.areas import Gazetteer
from conversations.types import Translate


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    gazetteer: Gazetteer
    translators: Mapping[str, Translate]

    @classmethod
    def build(cls, settings: Settings, database: Database) -> Runtime:
        with database.transaction() as db:
            gazetteer = build_gazetteer(db)
        return cls(settings=settings, gazetteer=gazetteer, translators=translators())
