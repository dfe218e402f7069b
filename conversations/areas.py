"""An in-memory gazetteer of the official area list, searched by what people type.

The shell builds it once from the ``areas`` table (or the shipped CSV) and passes
it in the context: it is read-only data, so the engine stays pure. Villages
share names ("Sukamaju" is 65 villages), so a search can be narrowed with the
kecamatan or city after the village name: "sukamaju cibungbulang".

People write a place as they say it (``docs`` "Places"): "pasteur bdg", "ds
bandarkedungmulyo", "kel. kebon jayanti", "desa sukamaju kec cibungbulang",
"sy tinggal di pasteur bdg". The words below say what such words mean.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from conversations.matching import normalize

LEVELS = {1: "province", 2: "regency", 3: "district", 4: "village"}

# A word naming the kind of place whose name follows: "ds sukamaju", "kec cibungbulang", "kab bogor".
PLACE_WORDS = {
    "ds": 4, "desa": 4, "kel": 4, "kelurahan": 4, "kampung": 4,
    "kec": 3, "kecamatan": 3,
    "kab": 2, "kabupaten": 2, "kot": 2, "kota": 2, "kodya": 2,
    "prov": 1, "provinsi": 1,
}  # fmt: skip

# Shorthand for cities and provinces, as people write them: "pasteur bdg".
CITY_SHORTHAND = {
    "bdg": "bandung", "jkt": "jakarta", "sby": "surabaya", "smg": "semarang", "mlg": "malang",
    "jogja": "yogyakarta", "yogya": "yogyakarta", "jogya": "yogyakarta", "jogjakarta": "yogyakarta",
    "jogyakarta": "yogyakarta", "yogjakarta": "yogyakarta", "yk": "yogyakarta", "solo": "surakarta",
    "bgr": "bogor", "tng": "tangerang", "tangsel": "tangerang selatan", "bks": "bekasi", "dpk": "depok",
    "mks": "makassar", "mdn": "medan", "plg": "palembang", "sda": "sidoarjo", "jbg": "jombang", "kdr": "kediri",
    "jakpus": "jakarta pusat", "jakut": "jakarta utara", "jakbar": "jakarta barat", "jaksel": "jakarta selatan",
    "jaktim": "jakarta timur", "jabar": "jawa barat", "jateng": "jawa tengah", "jatim": "jawa timur",
}  # fmt: skip

# Words around a name that are not part of it ("sy tinggal di pasteur"); a name that holds one still matches.
FILLER_WORDS = frozenset(
    "di ke dari dekat deket dkt sebelah daerah wilayah alamat almt alamatnya rumah rmh tinggal tgl domisili "
    "sy saya aku aq kami kita gw nama namanya tempat tempatnya desanya kelurahannya ini itu adalah yaitu yang yg "
    "ya iya pak bu bapak ibu bpk mas mbak kak min admin gan halo hallo hai assalamualaikum selamat pagi siang "
    "sore malam permisi maaf tolong mohon skrg sekarang dki".split()
)

FUZZY_CUTOFF = 82
"""How close a misspelt name must be (rapidfuzz ``ratio``): "pastur" ≈ "pasteur" (92)."""
SURE_SCORE = 90
"""A name this close with the same first letter is not looked for among all the others."""
WORD_CUTOFF = 80
"""How close a word must be to a word of a kecamatan or city to count as naming it."""
MAX_WORDS = 12


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
    """Villages that fit, or kecamatan that fit (then the person picks a village in it).

    ``fuzzy`` when only a spelling close to the names was found; ``regions`` (with ``region_name`` as it
    was understood, e.g. "jakarta" for "jkt") when the query named only a city, regency or province."""

    villages: tuple[Area, ...] = ()
    districts: tuple[Area, ...] = ()
    fuzzy: bool = False
    regions: tuple[Area, ...] = ()
    region_name: str = ""

    @property
    def empty(self) -> bool:
        return not self.villages and not self.districts

    @property
    def sole(self) -> Area | None:
        """The one place meant: a single village (a kecamatan of the same name holding it does not count,
        a household lives in a village), or a single kecamatan when no village fits."""
        if len(self.villages) == 1:
            village = self.villages[0]
            same = normalize(village.name)
            if all(d.code == village.parent_code and normalize(d.name) == same for d in self.districts):
                return village
            return None
        if not self.villages and len(self.districts) == 1:
            return self.districts[0]
        return None


class Gazetteer:
    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        self._areas: dict[str, Area] = {}
        self._villages_by_name: dict[str, list[str]] = defaultdict(list)
        self._districts_by_name: dict[str, list[str]] = defaultdict(list)
        self._regions_by_name: dict[str, list[str]] = defaultdict(list)
        self._children: dict[str, list[str]] = defaultdict(list)
        above_villages: list[Area] = []
        for code, name in rows:
            area = Area(code, name)
            self._areas[code] = area
            level = area.level
            if level > 1:
                self._children[area.parent_code].append(code)
            if level == 4:
                self._villages_by_name[normalize(name)].append(code)
                continue
            above_villages.append(area)
            if level == 3:
                self._districts_by_name[normalize(name)].append(code)
            else:
                for key in _region_keys(normalize(name)):
                    self._regions_by_name[key].append(code)
        self._longest_name = max((len(n.split()) for n in (*self._villages_by_name, *self._districts_by_name)), default=1)
        self._scope: dict[str, frozenset[str]] = {}
        for area in sorted(above_villages, key=lambda a: a.level):  # "what it lies in": its name and its parents'
            self._scope[area.code] = _name_tokens(area.name) | self._scope.get(area.parent_code, frozenset())
        names = sorted({*self._villages_by_name, *self._districts_by_name})
        names.sort(key=len)  # by length, then alphabetically (a stable sort): the same order on every run
        self._all_names = _Names(names)
        initials: dict[str, list[str]] = defaultdict(list)
        for name in names:
            initials[name[0]].append(name)
        self._names_by_initial = {initial: _Names(group) for initial, group in initials.items()}

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
        """Villages and kecamatan by name: exactly first (narrowed by the other words, e.g. the kecamatan
        or city), then a city or province named alone, then the closest spellings."""
        words = _words(query)
        content, level = _content(words)
        if not content:
            return SearchResult()
        if level not in (3, 4):
            regions = self._regions_by_name.get(" ".join(content), [])
            if regions:
                areas = tuple(sorted((self._areas[c] for c in regions), key=lambda a: a.code))
                return SearchResult(regions=areas, region_name=" ".join(content))
        exact = self._search_exact(words)
        if not exact.empty:
            return exact
        return self._search_fuzzy(content, level)

    def fitting(self, codes: Sequence[str], text: str, *, by_name_only: bool = False) -> tuple[str, ...]:
        """Those of ``codes`` the typed text fits: by their own name, or (unless ``by_name_only``) by
        their kecamatan, city or province; spelt closely enough ("kayn" fits Kayen, "bogor" all of Bogor)."""
        content, _ = _content(_words(text))
        if not content:
            return ()
        joined = "".join(content)
        fits = []
        for code in codes:
            area = self._areas.get(code)
            if area is None:
                continue
            tokens = _name_tokens(area.name)
            if not by_name_only:
                tokens |= self._scope.get(area.parent_code, frozenset())
            own = normalize(area.name).replace(" ", "")
            if all(_fits(word, tokens) for word in content) or fuzz.ratio(joined, own) >= FUZZY_CUTOFF:
                fits.append(code)
        return tuple(fits)

    def _search_exact(self, words: list[str]) -> SearchResult:
        """The longest run of words that is a name (then the leftmost), the other words narrowing it."""
        for size in range(min(len(words), self._longest_name), 0, -1):
            for start in range(len(words) - size + 1):
                head = " ".join(words[start : start + size])
                villages = self._villages_by_name.get(head, [])
                districts = self._districts_by_name.get(head, [])
                if not villages and not districts:
                    continue
                named_as = PLACE_WORDS.get(words[start - 1]) if start else None
                if named_as in (1, 2):
                    continue
                context = [w for w in words[:start] + words[start + size :] if w not in PLACE_WORDS and w not in FILLER_WORDS]
                found = SearchResult(
                    self._narrow(villages if named_as != 3 else [], context),
                    self._narrow(districts if named_as != 4 else [], context),
                )
                if not found.empty:
                    return found
        return SearchResult()

    def _search_fuzzy(self, content: list[str], level: int | None) -> SearchResult:
        """The closest spellings: of the whole query ("kebonjayanti"), or of its first words with the
        others narrowing them ("pastur bandung"); whichever comes closest."""
        content = content[:4]
        attempts: list[tuple[list[str], list[str]]] = [(content, [])] + [(content[:k], content[k:]) for k in range(len(content) - 1, 0, -1)]
        best_score, best = 0.0, SearchResult()
        for head, context in attempts:
            hits = self._closest(" ".join(head), limit=25 if context else 5)
            scored: list[tuple[float, Area]] = []
            for name, score in hits:
                villages, districts = self._villages_by_name.get(name, []), self._districts_by_name.get(name, [])
                codes = (villages if level != 3 else []) + (districts if level != 4 else [])
                scored += [(score, area) for area in self._narrow(codes, context)]
            if not scored:
                continue
            top = max(score for score, _ in scored)
            if top <= best_score:
                continue
            kept = [area for score, area in scored if score >= top - 3]
            best_score = top
            best = SearchResult(
                tuple(sorted((a for a in kept if a.level == 4), key=lambda a: a.code)),
                tuple(sorted((a for a in kept if a.level == 3), key=lambda a: a.code)),
                fuzzy=True,
            )
        return best

    def _closest(self, text: str, *, limit: int) -> list[tuple[str, float]]:
        """The closest names, looked for first among those with the same first letter (fast)."""
        same_initial = self._names_by_initial.get(text[0])
        hits = same_initial.closest(text, limit) if same_initial else []
        if not hits or hits[0][1] < SURE_SCORE:
            hits = self._all_names.closest(text, limit)
        return hits

    def _narrow(self, codes: list[str], context: list[str]) -> tuple[Area, ...]:
        areas = [self._areas[c] for c in codes]
        if context:
            areas = [a for a in areas if self._within(a, context)]
        return tuple(sorted(areas, key=lambda a: a.code))

    def _within(self, area: Area, context: list[str]) -> bool:
        """Whether every word names the area's kecamatan, city or province ("cibungbulang", "bogor")."""
        scope = self._scope.get(area.parent_code, frozenset())
        return all(_fits(word, scope) for word in context)


class _Names:
    """Names sorted by length, so only those whose length can reach the cut-off are scored
    (``ratio`` ≤ 200·min(a, b)/(a + b))."""

    def __init__(self, names: list[str]) -> None:
        # Fresh copies, made one after the other: scoring strings that lie together in memory is
        # several times faster than scoring the scattered originals (13 ms → 2 ms for 47,000 names).
        self.names = [name.encode().decode() for name in names]
        self.lengths = [len(n) for n in names]

    def closest(self, text: str, limit: int) -> list[tuple[str, float]]:
        size = len(text)
        shortest = -(-FUZZY_CUTOFF * size // (200 - FUZZY_CUTOFF))
        longest = size * (200 - FUZZY_CUTOFF) // FUZZY_CUTOFF
        candidates = self.names[bisect_left(self.lengths, shortest) : bisect_right(self.lengths, longest)]
        found = process.extract(text, candidates, scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_CUTOFF)
        return [(name, score) for name, score, _ in found]


def _words(query: str) -> list[str]:
    """The query's words, city shorthand written out: "Pasteur, Bdg" → ["pasteur", "bandung"]."""
    words: list[str] = []
    for word in normalize(query).split()[:MAX_WORDS]:
        words += CITY_SHORTHAND.get(word, word).split()
    return words


def _content(words: list[str]) -> tuple[list[str], int | None]:
    """The words that can name a place, and the level a place word before the first of them names."""
    content: list[str] = []
    level: int | None = None
    previous: str | None = None
    for word in words:
        if word in PLACE_WORDS or word in FILLER_WORDS:
            previous = word
            continue
        if not content and previous in PLACE_WORDS:
            level = PLACE_WORDS[previous]
        content.append(word)
    return content, level


def _region_keys(name: str) -> set[str]:
    """"kota administrasi jakarta selatan" → also "jakarta selatan"; "daerah istimewa yogyakarta" → "yogyakarta"."""
    keys = {name}
    for prefix in ("kabupaten administrasi ", "kota administrasi ", "kabupaten ", "kota ", "provinsi ",
                   "daerah khusus ibukota ", "daerah istimewa "):  # fmt: skip
        if name.startswith(prefix):
            keys.add(name.removeprefix(prefix))
    return keys


def _name_tokens(name: str) -> frozenset[str]:
    """The words of a name, and the name written as one word ("Kebon Jayanti" → kebon, jayanti, kebonjayanti)."""
    words = normalize(name).split()
    return frozenset((*words, "".join(words)))


def _fits(word: str, tokens: frozenset[str]) -> bool:
    """Whether a typed word names one of the tokens: the same, its start, or spelt closely enough."""
    if word in tokens:
        return True
    if len(word) < 4:
        return False
    return any(
        token.startswith(word) or (len(word) >= 5 and word in token) or fuzz.ratio(word, token) >= WORD_CUTOFF
        for token in tokens
    )
