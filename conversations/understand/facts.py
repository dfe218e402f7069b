"""The answers a message already gives, so the report does not ask them again: ``facts(text) -> dict``.

Keys are the report questions they answer (``since_when``, ``program``) and two
plain facts (``amount`` of money in rupiah, ``quantity`` of goods):

- ``since_when``: a time phrase, as written but tidied — "udah 2 bln" → "2 bulan",
  "sejak kemarin" → "kemarin", "dari minggu lalu" → "minggu lalu", "bulan ini";
- ``program``: "pkh", or "sembako" when the message names BPNT, sembako or rice aid
  (nothing when it names both);
- ``amount``: "200rb" → "200000", "Rp 150.000" → "150000", "1,5jt" → "1500000";
- ``quantity``: "2 kilo" → "2 kg", "5kg" → "5 kg", "10 butir", "2 liter".

Precise rather than eager: a fact that may be wrong is left out (two different
amounts, a number that is an age, "3 bulan sekali", "bulan depan").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from conversations.understand import lexicon

# -- numbers written as words ----------------------------------------------------------------------------

_UNITS = {
    "nol": 0, "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
}  # fmt: skip
_NUMBER_WORD = r"(?:nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|se)"
_WORD_NUMBER = rf"(?:(?:{_NUMBER_WORD}\s?(?:belas|puluh|ratus)|seratus|setengah|{_NUMBER_WORD})\s?)+"


_WORD_PARTS = re.compile(
    r"\b(?:setengah|sebelas|sepuluh|seratus|nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|se|belas|puluh|ratus)\b"
)


def _words_value(words: str) -> float | None:
    """"dua ratus lima puluh" → 250; "seratus" → 100; "setengah" → 0.5; None when not a number."""
    total, current = 0.0, 0.0
    words = re.sub(r"\bse(ratus|puluh|belas)\b", r"se \1", words)
    parts = _WORD_PARTS.findall(words)
    if not parts:
        return None
    for part in parts:
        if part == "setengah":
            current += 0.5
        elif part == "belas":
            current = (current or 1) + 10
        elif part == "puluh":
            current = (current or 1) * 10
        elif part == "ratus":
            total += (current or 1) * 100
            current = 0
        else:
            current += _UNITS[part]
    return total + current


def _number(text: str) -> float | None:
    """"150.000" → 150000; "1,5" → 1.5; "1.5" → 1.5; "dua" → 2."""
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        return float(re.sub(r"[.,]", "", text))
    if re.fullmatch(r"\d+(?:[.,]\d{1,2})?", text):
        return float(text.replace(",", "."))
    if re.fullmatch(r"\d+", text):
        return float(text)
    return _words_value(text)


def _lower(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", text)


_UNIT_AFTER_NUMBER = re.compile(
    r"(?<![a-z\d])(\d+(?:[.,]\d+)?)(?=(?:kg|kilo|kilogram|klo|ltr|liter|butir|btr|bln|bulan|thn|tahun|th|hr|hari|"
    r"mgg|minggu|mg|rb|rbu|ribu|k|jt|juta)\b)"
)


def _digits_apart(text: str) -> str:
    """"2bln" → "2 bln", "5kg" → "5 kg"; "p2k2" and "apa2" stay as they are."""
    return _UNIT_AFTER_NUMBER.sub(r"\1 ", text)


# -- money -----------------------------------------------------------------------------------------------

_FIGURE = r"\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d{1,2})?"
_MULTIPLIERS = {"rb": 1e3, "rbu": 1e3, "ribu": 1e3, "k": 1e3, "rebu": 1e3, "jt": 1e6, "juta": 1e6, "jeti": 1e6}
_MONEY = re.compile(
    rf"(?<![\w.,])(?:(?P<rp>rp\.?|idr)\s*)?(?P<number>{_FIGURE}|{_WORD_NUMBER})\s*"
    rf"(?P<unit>rb|rbu|ribu|rebu|k|jt|juta|jeti)?(?![\w])(?!\s*(?:kg|kilo|gram|liter|butir))"
)
_SINGLE_MONEY = re.compile(r"(?<![\w])(?P<unit>seribu|sejuta)(?![\w])")


def _amounts(text: str) -> list[int]:
    found = []
    for match in _MONEY.finditer(text):
        rp, unit = match.group("rp"), match.group("unit")
        if not rp and not unit:
            continue
        value = _number(match.group("number"))
        if value is None:
            continue
        value *= _MULTIPLIERS.get(unit or "", 1)
        if value >= 1000 and value == int(value):
            found.append(int(value))
    for match in _SINGLE_MONEY.finditer(text):
        found.append(1000 if match.group("unit") == "seribu" else 1_000_000)
    return found


# -- quantity --------------------------------------------------------------------------------------------

_QUANTITY_UNITS = {
    "kg": "kg", "kilo": "kg", "kilogram": "kg", "klo": "kg", "kgs": "kg", "liter": "liter", "ltr": "liter",
    "butir": "butir", "btr": "butir",
}  # fmt: skip
_QUANTITY = re.compile(
    rf"(?<![\w.,])(?P<number>\d+(?:[.,]\d{{1,2}})?|{_WORD_NUMBER})\s*"
    r"(?P<unit>kg|kilogram|kilo|klo|kgs|liter|ltr|butir|btr)(?!\w)"
)
_ONE_KILO = re.compile(r"(?<!\w)(?P<unit>sekilo|seliter|sebutir)(?!\w)")


def _quantities(text: str) -> list[str]:
    found = []
    for match in _QUANTITY.finditer(text):
        value = _number(match.group("number"))
        if value is None or value <= 0 or value > 1000:
            continue
        shown = f"{value:g}".replace(".", ",")
        found.append(f"{shown} {_QUANTITY_UNITS[match.group('unit')]}")
    for match in _ONE_KILO.finditer(text):
        found.append({"sekilo": "1 kg", "seliter": "1 liter", "sebutir": "1 butir"}[match.group("unit")])
    return found


# -- since when ------------------------------------------------------------------------------------------

_MONTHS = (
    "januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|oktober|november|nopember|desember|"
    "jan|feb|mar|apr|jun|jul|agu|agt|agst|sep|sept|okt|nov|des"
)
_PERIOD = r"hari|minggu|pekan|bulan|tahun|tahap|periode|triwulan"
_SINCE = r"sejak|dari|mulai|semenjak|sedari"
_AGO = r"lalu|yang lalu|kemarin|sebelumnya|terakhir|belakangan"
_COUNT = r"\d{1,2}|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|dua belas|beberapa"
_AGE_WORDS = r"umur|usia|berumur|berusia|bayi|anak|hamil|cucu|lahir|kandungan|tiap|setiap|per"

_TIME_PATTERNS = (
    # "sejak 2 bulan lalu", "udah 3 bulan", "dua minggu", "sebulan"
    re.compile(
        rf"(?<![\w])(?:(?:{_SINCE}|sudah|hampir|lebih dari|sekitar|kurang lebih|kira kira|udah|selama)\s+)?"
        rf"(?P<phrase>(?:(?:{_COUNT})\s+(?:{_PERIOD})|sebulan|seminggu|setahun|sehari|sepekan)(?:\s+(?:{_AGO}))?)"
        r"(?!\s+(?:sekali|lagi|kedepan|ke depan|depan|yang akan))\b"
    ),
    # "bulan ini", "dari minggu lalu", "tahap kemarin"
    re.compile(rf"(?<![\w])(?:(?:{_SINCE})\s+)?(?P<phrase>(?:{_PERIOD})\s+(?:ini|{_AGO}))\b"),
    # "sejak maret", "bulan maret", "dari bulan januari 2024"
    re.compile(
        rf"(?<![\w])(?:(?:{_SINCE})\s+(?P<phrase>(?:bulan\s+)?(?:{_MONTHS})(?:\s+(?:tahun\s+)?\d{{4}})?)|"
        rf"(?P<month>bulan\s+(?:{_MONTHS})(?:\s+(?:tahun\s+)?\d{{4}})?))\b"
    ),
    # "sejak tanggal 5", "sejak lebaran", "sejak kemarin", "dari tadi pagi"
    re.compile(
        rf"(?<![\w])(?:{_SINCE})\s+(?P<phrase>tanggal\s+\d{{1,2}}(?:\s+(?:{_MONTHS}))?|lebaran|idul fitri|puasa|tahun baru|"
        rf"kemarin(?:\s+(?:pagi|siang|sore|malam))?|tadi(?:\s+(?:pagi|siang|sore|malam))?|awal\s+(?:{_PERIOD})|"
        rf"akhir\s+(?:{_PERIOD})(?:\s+(?:lalu|kemarin))?|pertengahan\s+(?:{_PERIOD}))\b"
    ),
    # plain "kemarin", "hari ini", "tadi pagi"
    re.compile(r"(?<![\w])(?P<phrase>kemarin|hari ini|tadi pagi|tadi siang|tadi sore|minggu ini|tahun ini)\b"),
)
_WORD_FORMS = {
    **lexicon.SHORTHAND, "kemaren": "kemarin", "kmrin": "kemarin", "bl": "bulan", "bln": "bulan", "mggu": "minggu",
    "tgl": "tanggal", "mnggu": "minggu",
}  # fmt: skip


def _time_words(text: str) -> str:
    """The text in plain words for time phrases: "udh 2bln" → "sudah 2 bulan"."""
    words = re.sub(r"[^\w\s]", " ", _digits_apart(text)).split()
    return " ".join(_WORD_FORMS.get(w, w) for w in words)


def _since_when(text: str) -> str | None:
    words = f" {_time_words(text)} "
    for pattern in _TIME_PATTERNS:
        for match in pattern.finditer(words):
            phrase = match.group("phrase") if match.group("phrase") else match.groupdict().get("month")
            if not phrase:
                continue
            before = words[: match.start()].split()[-2:]
            if any(re.fullmatch(_AGE_WORDS, w) for w in before):
                continue  # "umur 3 bulan", "anak 2 tahun", "tiap bulan ini"
            digits = re.match(r"\d+", phrase)
            if digits and re.search(r"\btahun\b", phrase) and not re.search(rf"\b(?:{_AGO})\b", phrase):
                number = int(digits.group())
                marked = re.match(rf"\s*(?:{_SINCE}|sudah|udah|hampir|lebih dari)\b", match.group(0))
                if number > 10 or not marked:
                    continue  # "nenek 70 tahun" is an age
            return " ".join(phrase.split())
    return None


_AROUND_A_TIME = frozenset(
    "sudah udah sejak dari mulai semenjak sedari hampir lebih sekitar kurang kira selama baru ya iya nggih sih kok "
    "deh lho yang an pak bu bapak ibu mas mbak kak mungkin kayaknya".split()
)


def just_a_time(text: str) -> str | None:
    """The time phrase when that is all the message says ("udah 2 bln pak" → "2 bulan"), else None: an answer
    that is only a time was meant for "since when", whatever was asked ("toko bu ani 2 bulan" is not one)."""
    lower = _lower(text)
    since = _since_when(lower)
    if since is None:
        return None
    rest = f" {_time_words(lower)} ".replace(f" {since} ", " ", 1).split()
    return since if all(word in _AROUND_A_TIME for word in rest) else None


# -- programme -------------------------------------------------------------------------------------------

_PKH = re.compile(r"\b(?:pkh|p k h|program keluarga harapan)\b")
_SEMBAKO = re.compile(r"\b(?:bpnt|b p n t|sembako|bansos sembako|kartu sembako|bantuan beras|beras|rastra|raskin|bnpt)\b")


def _program(text: str) -> str | None:
    pkh, sembako = _PKH.search(text), _SEMBAKO.search(text)
    if pkh and not sembako:
        return "pkh"
    if sembako and not pkh:
        return "sembako"
    return None


@lru_cache(maxsize=2048)
def facts(text: str) -> dict[str, str]:
    """What the message already answers: ``facts("udah 2 bln pkh blm cair")`` →
    ``{"since_when": "2 bulan", "program": "pkh"}``."""
    lower = _lower(text)
    found: dict[str, str] = {}
    since = _since_when(lower)
    if since:
        found["since_when"] = since
    program = _program(" ".join(re.sub(r"[^\w\s]", " ", lower).split()))
    if program:
        found["program"] = program
    amounts = set(_amounts(_digits_apart(lower)))
    if len(amounts) == 1:
        found["amount"] = str(amounts.pop())
    quantities = set(_quantities(_digits_apart(lower)))
    if len(quantities) == 1:
        found["quantity"] = quantities.pop()
    return dict(found)

