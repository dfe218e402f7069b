"""The 26 types of PPKS (people in need of social-welfare services; Permensos 8/2012), as data.

Used by the companion's "Kasus baru" flow (``conversations/flows/new_case.py``):
the companion types a word as they would say it ("lansia", "odgj", "anak
jalanan", "kdrt") or the type's number, and ``find_types`` returns the types it
may mean, best first. Codes are the regulation's numbers, two digits ("08").
Labels are Indonesian, marked for translation and translated when shown;
keywords are the words used in the field (and a few English ones). Answers and
keywords are both read through the shared cleaner (``conversations.matching.clean``),
so "gak punya rumah", "org miskin" and "lansia pak" are found as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from conversations.matching import clean

N_ = str  # marks a label for extraction; it is translated when shown

FUZZY_CUTOFF = 82
FUZZY_MARGIN = 4
MAX_MATCHES = 6
MIN_FUZZY_LENGTH = 5


@dataclass(frozen=True)
class PpksType:
    """``PpksType("08", "Lanjut usia terlantar", ("lansia", "jompo", ...))``; keywords are normalized words."""

    code: str
    label: str
    keywords: tuple[str, ...]

    @property
    def number(self) -> int:
        return int(self.code)


PPKS_TYPES: tuple[PpksType, ...] = (
    PpksType("01", N_("Anak balita terlantar"), (
        "balita terlantar", "balita", "bayi", "bayi terlantar", "bayi dibuang", "gizi buruk",
        "toddler", "neglected toddler",  # English
    )),
    PpksType("02", N_("Anak terlantar"), (
        "anak terlantar", "anak", "yatim", "piatu", "yatim piatu", "anak yatim", "putus sekolah",
        "orphan", "neglected child",  # English
    )),
    PpksType("03", N_("Anak berhadapan dengan hukum"), (
        "abh", "anak", "anak berhadapan hukum", "anak berkonflik hukum", "anak ditahan", "anak pelaku",
        "anak nakal", "tawuran",
        "child in conflict with the law", "juvenile offender",  # English
    )),
    PpksType("04", N_("Anak jalanan"), (
        "anak jalanan", "anak", "anak jalan", "anjal", "anak ngamen", "pengamen anak", "anak punk",
        "street child", "street children",  # English
    )),
    PpksType("05", N_("Anak dengan disabilitas"), (
        "anak disabilitas", "anak", "anak cacat", "adk", "abk", "anak berkebutuhan khusus", "anak difabel",
        "disabled child", "child with a disability",  # English
    )),
    PpksType("06", N_("Anak korban kekerasan atau diperlakukan salah"), (
        "anak korban kekerasan", "anak", "kekerasan anak", "anak dianiaya", "anak disiksa", "pelecehan anak",
        "anak korban", "korban",
        "child abuse", "abused child",  # English
    )),
    PpksType("07", N_("Anak yang memerlukan perlindungan khusus"), (
        "perlindungan khusus", "anak", "akpk", "pekerja anak", "eksploitasi anak", "pernikahan anak", "nikah dini",
        "child labour", "child labor", "child marriage",  # English
    )),
    PpksType("08", N_("Lanjut usia terlantar"), (
        "lansia", "lansia terlantar", "lanjut usia", "jompo", "manula", "tua", "orang tua", "nenek", "kakek",
        "mbah", "sebatang kara",
        "elderly", "old", "old person", "neglected elderly",  # English
    )),
    # Permensos 8/2012 counts mental disability here, and so people with a mental illness (ODGJ).
    PpksType("09", N_("Penyandang disabilitas"), (
        "disabilitas", "cacat", "difabel", "lumpuh", "tunanetra", "tuna netra", "buta", "tunarungu", "tuli",
        "bisu", "odgj", "gangguan jiwa", "sakit jiwa", "jiwa", "gila", "psikotik", "disabilitas mental",
        "pasung", "dipasung",
        "disabled", "disability", "mental illness", "mentally ill",  # English
    )),
    PpksType("10", N_("Tuna susila"), (
        "tuna susila", "tunasusila", "psk", "pekerja seks", "wts", "pelacur",
        "sex worker", "prostitute",  # English
    )),
    PpksType("11", N_("Gelandangan"), (
        "gelandangan", "gepeng", "tunawisma", "tuna wisma", "tidak punya rumah", "tanpa rumah", "homeless",
    )),
    PpksType("12", N_("Pengemis"), (
        "pengemis", "gepeng", "mengemis", "minta minta", "peminta minta",
        "beggar", "begging",  # English
    )),
    PpksType("13", N_("Pemulung"), (
        "pemulung", "mulung", "memulung",
        "scavenger", "waste picker",  # English
    )),
    PpksType("14", N_("Kelompok minoritas"), (
        "minoritas", "kelompok minoritas", "waria",
        "minority",  # English
    )),
    PpksType("15", N_("Bekas warga binaan lembaga pemasyarakatan"), (
        "bwblp", "mantan napi", "eks napi", "bekas napi", "napi", "narapidana", "mantan narapidana",
        "keluar penjara", "bebas penjara", "warga binaan",
        "former prisoner", "ex prisoner", "ex convict",  # English
    )),
    PpksType("16", N_("Orang dengan HIV/AIDS"), (
        "odha", "hiv", "aids", "hiv aids",
    )),
    PpksType("17", N_("Korban penyalahgunaan NAPZA"), (
        "napza", "narkoba", "narkotika", "korban narkoba", "pecandu", "pemakai narkoba", "sabu", "ganja",
        "ngelem", "korban",
        "drugs", "drug", "drug abuse", "addict",  # English
    )),
    PpksType("18", N_("Korban perdagangan orang"), (
        "trafficking", "perdagangan orang", "human trafficking", "tppo", "diperdagangkan", "korban perdagangan",
        "korban",
    )),
    PpksType("19", N_("Korban tindak kekerasan"), (
        "kekerasan", "kdrt", "korban kekerasan", "dianiaya", "dipukul", "penganiayaan", "pelecehan",
        "pemerkosaan", "diperkosa", "korban",
        "violence", "domestic violence", "abuse", "victim of violence",  # English
    )),
    PpksType("20", N_("Pekerja migran bermasalah sosial"), (
        "pekerja migran", "pmbs", "tki", "tkw", "pmi", "buruh migran", "dideportasi", "deportasi",
        "migrant worker",  # English
    )),
    PpksType("21", N_("Korban bencana alam"), (
        "bencana", "bencana alam", "banjir", "kebakaran", "gempa", "longsor", "tanah longsor", "tsunami",
        "puting beliung", "angin puting beliung", "gunung meletus", "erupsi", "rob", "kekeringan", "pengungsi",
        "korban",
        "disaster", "natural disaster", "flood", "fire", "earthquake", "landslide",  # English
    )),
    PpksType("22", N_("Korban bencana sosial"), (
        "bencana sosial", "konflik", "konflik sosial", "kerusuhan", "bentrok", "pengungsi", "pengungsi konflik",
        "korban",
        "riot", "conflict", "social disaster", "refugee",  # English
    )),
    PpksType("23", N_("Perempuan rawan sosial ekonomi"), (
        "prse", "perempuan rawan", "janda", "janda miskin", "ibu tunggal", "single mother",
        "perempuan kepala keluarga",
        "widow",  # English
    )),
    PpksType("24", N_("Fakir miskin"), (
        "miskin", "fakir", "fakir miskin", "tidak mampu", "kurang mampu", "orang miskin", "keluarga miskin",
        "gakin",
        "poor", "poverty", "the poor",  # English
    )),
    PpksType("25", N_("Keluarga bermasalah sosial psikologis"), (
        "kbsp", "keluarga bermasalah", "masalah keluarga", "keluarga retak", "perceraian", "cerai",
        "pertengkaran", "ditelantarkan suami",
        "divorce", "family problems",  # English
    )),
    PpksType("26", N_("Komunitas adat terpencil"), (
        "kat", "komunitas adat", "adat terpencil", "komunitas adat terpencil", "suku terasing", "masyarakat adat",
        "indigenous", "remote community",  # English
    )),
)  # fmt: skip

BY_CODE: dict[str, PpksType] = {t.code: t for t in PPKS_TYPES}
_WORDS: dict[str, tuple[str, ...]] = {
    t.code: tuple(dict.fromkeys(c for c in (*map(clean, t.keywords), clean(t.label)) if c)) for t in PPKS_TYPES
}
"""Each type's keywords and label in the cleaner's standard form ("ibu tunggal" → "tunggal", "tak" → "tidak")."""

FILLER = ("ppks", "pmks", "jenis", "jenisnya", "korbannya", "nomor", "no", "kode", "orang", "seorang", "ada")


def find_types(text: str, limit: int = MAX_MATCHES) -> tuple[PpksType, ...]:
    """The types ``text`` may mean, best first: by number, by keyword, then by a near spelling.

    ``find_types("lansia")`` → (08,); ``find_types("8")`` → (08,); ``find_types("anak")`` → six
    children's types; ``find_types("lansai")`` → (08,); ``find_types("xyz")`` → ().
    """
    words = _cleaned(text)
    if not words:
        return ()
    if words.isdigit():
        found = BY_CODE.get(f"{int(words):02d}")
        return (found,) if found else ()
    by_keyword = _by_keyword(words)
    if not by_keyword:
        return _by_spelling(words)[:limit]
    leftover = " ".join(w for w in words.split() if not _by_keyword(w))
    more = _by_spelling(leftover) if leftover else ()  # "lansai miskin": miskin by keyword, lansai by spelling
    if len(by_keyword) > 1:  # "anak jalana", "korban banjjir": of the types that fit, the one also spelled so
        closer = tuple(k for k in by_keyword if k in more or _similarity(words, k) >= FUZZY_CUTOFF)
        by_keyword = closer or by_keyword
    return tuple(dict.fromkeys((*by_keyword, *more)))[:limit]


def named_type(text: str) -> PpksType | None:
    """The type when the whole answer is one of its keywords or its label ("lansia terlantar", "gelandangan"),
    else None: a name is not a type, and a type is not a name."""
    words = _cleaned(text)
    named = [kind for kind in PPKS_TYPES if words in _WORDS[kind.code]]
    return named[0] if len(named) == 1 else None


def narrow(text: str, kinds: tuple[PpksType, ...]) -> tuple[PpksType, ...]:
    """Of ``kinds`` (types already offered), those whose label or keywords hold every word of ``text``.

    Among the children's types, ``narrow("jalanan", ...)`` → (04,) and ``narrow("disabilitas", ...)`` → (05,).
    """
    words = _cleaned(text).split()
    if not words:
        return ()
    fitting = []
    for kind in kinds:
        known = {w for k in _WORDS[kind.code] for w in k.split()}
        if all(word in known for word in words):
            fitting.append(kind)
    return tuple(fitting)


def _cleaned(text: str) -> str:
    words = clean(text).split()
    while len(words) > 1 and words[0] in FILLER:
        words = words[1:]
    return " ".join(words)


def _by_keyword(words: str) -> tuple[PpksType, ...]:
    """The types whose keywords fit ``words`` best (as whole words), in the order the answer names them.

    Best is: the whole answer is one of its keywords ("kekerasan" is 19, not 06), then the longest keyword
    found ("anak korban kekerasan" is 06), then the most keywords found ("korban banjir" is 21).
    """
    padded = f" {words} "
    best_score, best = (False, 0, 0), []
    for kind in PPKS_TYPES:
        candidates = _WORDS[kind.code]
        found = [k for k in candidates if f" {k} " in padded]
        if not found:
            continue
        score = (words in candidates, max(len(k.split()) for k in found), len(found))
        position = min(padded.index(f" {k} ") for k in found)
        if score > best_score:
            best_score, best = score, [(position, kind)]
        elif score == best_score:
            best.append((position, kind))
    return tuple(kind for _position, kind in sorted(best, key=lambda pair: (pair[0], pair[1].code)))


def _by_spelling(words: str) -> tuple[PpksType, ...]:
    """Types with a keyword spelled nearly like the answer or one of its words (``lansai``, ``gelandangn``)."""
    pieces = [words, *(w for w in words.split() if len(w) >= MIN_FUZZY_LENGTH)]
    scored: list[tuple[float, PpksType]] = []
    for kind in PPKS_TYPES:
        score = max(_similarity(piece, kind) for piece in pieces)
        if score >= FUZZY_CUTOFF:
            scored.append((score, kind))
    if not scored:
        return ()
    top = max(score for score, _kind in scored)
    return tuple(kind for score, kind in sorted(scored, key=lambda p: -p[0]) if top - score < FUZZY_MARGIN)


def _similarity(words: str, kind: PpksType) -> float:
    """How near ``words`` is to the type's nearest keyword or label, if only a typo or two away (one per five
    letters); short keywords (``tua``, ``psk``) count only when typed exactly."""
    candidates = [k for k in _WORDS[kind.code] if len(k) >= MIN_FUZZY_LENGTH]
    typos = max(1, len(words) // 5)  # "lansai" is lansia; "suami" is not tsunami
    return max((fuzz.ratio(words, k) for k in candidates if OSA.distance(words, k) <= typos), default=0.0)
