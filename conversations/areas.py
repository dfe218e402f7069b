"""An in-memory gazetteer of the official area list, searched by what people type.

The shell builds it once from the ``areas`` table (or the shipped CSV) and passes
it in the context: it is read-only data, so the engine stays pure. Villages
share names ("Sukamaju" is 65 villages), so a search can be narrowed with the
kecamatan or city after the village name: "sukamaju cibungbulang".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from conversations.matching import normalize

LEVELS = {1: "province", 2: "regency", 3: "district", 4: "village"}
_PREFIXES = ("kelurahan", "kel", "desa", "ds", "kecamatan", "kec", "kampung", "kota", "kabupaten", "kab")
FUZZY_CUTOFF = 82


@dataclass(frozen=True)
class Area:
    """One official area, e.g. ``Area("32.73.07.1001", "Pasteur")``."""

    code: str
    name: str

    @property
    def level(self) -> int:
        return self.code.count(".") + 1

    @property
    def parent_code(self) -> str:
        return self.code.rpartition(".")[0]


@dataclass(frozen=True)
class SearchResult:
    """Villages that fit, or kecamatan that fit (then the person picks a village in it)."""

    villages: tuple[Area, ...] = ()
    districts: tuple[Area, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.villages and not self.districts


class Gazetteer:
    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        self._areas: dict[str, Area] = {}
        self._villages_by_name: dict[str, list[str]] = defaultdict(list)
        self._districts_by_name: dict[str, list[str]] = defaultdict(list)
        self._children: dict[str, list[str]] = defaultdict(list)
        for code, name in rows:
            area = Area(code, name)
            self._areas[code] = area
            if area.level > 1:
                self._children[area.parent_code].append(code)
            if area.level == 4:
                self._villages_by_name[normalize(name)].append(code)
            elif area.level == 3:
                self._districts_by_name[normalize(name)].append(code)
        self._village_names = _by_length(self._villages_by_name)
        self._district_names = _by_length(self._districts_by_name)

    def __len__(self) -> int:
        return len(self._areas)

    def get(self, code: str) -> Area | None:
        return self._areas.get(code)

    def villages_of(self, district_code: str) -> tuple[Area, ...]:
        codes = self._children.get(district_code, [])
        return tuple(sorted((self._areas[c] for c in codes), key=lambda a: a.name))

    def label(self, code: str) -> str:
        """"Pasteur, Sukajadi, Kota Bandung" — enough to tell same-named villages apart."""
        area = self._areas.get(code)
        if area is None:
            return code
        names = [area.name]
        parent = area.parent_code
        while parent and len(names) < 3:
            parent_area = self._areas.get(parent)
            if parent_area is None:
                break
            names.append(parent_area.name)
            parent = parent_area.parent_code
        return ", ".join(names)

    def search(self, query: str) -> SearchResult:
        words = [w for w in normalize(query).split() if w not in _PREFIXES]
        if not words:
            return SearchResult()
        exact = self._search_exact(words)
        if not exact.empty:
            return exact
        return self._search_fuzzy(" ".join(words))

    def _search_exact(self, words: list[str]) -> SearchResult:
        for split in range(len(words), 0, -1):
            head, context = " ".join(words[:split]), words[split:]
            villages = self._narrow(self._villages_by_name.get(head, []), context)
            districts = self._narrow(self._districts_by_name.get(head, []), context)
            if villages or districts:
                return SearchResult(villages, districts)
        return SearchResult()

    def _narrow(self, codes: list[str], context: list[str]) -> tuple[Area, ...]:
        areas = [self._areas[c] for c in codes]
        if context:
            areas = [a for a in areas if self._ancestors_fit(a, context)]
        return tuple(sorted(areas, key=lambda a: a.code))

    def _ancestors_fit(self, area: Area, context: list[str]) -> bool:
        ancestry = normalize(self.label(area.code).partition(",")[2])
        return all(word in ancestry or fuzz.partial_ratio(word, ancestry) >= 85 for word in context)

    def _search_fuzzy(self, query: str) -> SearchResult:
        village_hits = _closest_names(query, self._village_names)
        district_hits = _closest_names(query, self._district_names)
        best = max((score for _, score, _ in village_hits + district_hits), default=0)
        if not best:
            return SearchResult()
        villages = [c for name, score, _ in village_hits if score >= best - 3 for c in self._villages_by_name[name]]
        districts = [c for name, score, _ in district_hits if score >= best - 3 for c in self._districts_by_name[name]]
        return SearchResult(
            tuple(sorted((self._areas[c] for c in villages), key=lambda a: a.code)),
            tuple(sorted((self._areas[c] for c in districts), key=lambda a: a.code)),
        )


def _by_length(names: Iterable[str]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for name in names:
        grouped[len(name)].append(name)
    return grouped


def _closest_names(query: str, names_by_length: dict[int, list[str]]) -> list[tuple[str, float, int]]:
    """The best fuzzy matches; only names whose length can reach the cut-off are scored (ratio ≤ 2·min/(a+b))."""
    size = len(query)
    candidates = [
        name
        for length, names in names_by_length.items()
        if 200 * min(size, length) / (size + length) >= FUZZY_CUTOFF
        for name in names
    ]
    return process.extract(query, candidates, scorer=fuzz.ratio, limit=5, score_cutoff=FUZZY_CUTOFF)
