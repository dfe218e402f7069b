"""Which problem a household describes, read from the whole message: ``classify(text) -> Reading``.

A hand-weighted scorer, readable as a table (``RULES``). The message is first
read into standard words (``words_of``: ``text.tokens`` with terms of address
kept, so "ibu" can be the mother; phrases and spelling variants from
``lexicon.PROBLEM_PHRASES`` / ``PROBLEM_VARIANTS``, Javanese, Sundanese and
English included; "-nya" and its regional cousins dropped; a phone slip mended,
see ``_typo_of``) plus four markers: ``xmoney`` before a sum ("85rb"), ``xnum``
before a bare number, ``xthanks`` when the message thanks, ``xstory`` when it
has at least ``STORY_WORDS`` words that carry meaning. Each rule is a pattern
over *concepts* (``lexicon.PROBLEM_CONCEPTS``: CARD, LOST, NOT_YET, ARRIVE …),
literal words and markers, with a weight for one category; a category's score
is the sum of the weights of its rules that match. Context is in the patterns,
not in the first keyword: "kartu … hilang" is a lost card but "nama … hilang …
daftar" is a data problem; "belum … dibagi" is aid not received even when it
names rice; "sakit … ke agen" is a delivery need although it names the agent.
A story that names none of the nine is "other" (hardship words, or ``xstory``).

Three broad ideas carry the weak boundaries, each a few concepts rather than rules for single sentences:

- a delivery need is a body that cannot go (SICK, OLD: "gerah", "sepuh", "hamil tua", "opname" …) together
  with going, fetching or bringing (CANT_GO "mboten saged mlampah", "tidak ada yang antar"; DELIVER
  "tolong diantar", "titip tetangga"; FAR, ALONE; COLLECT what is fetched); it gives way when the same
  message complains of the goods, or of a cost;
- a hardship told without the programmes' own words (HARDSHIP and no BANSOS word: "listrik dicabut",
  "gaji blm dibayar", "mau daftar sd", "biaya kemo mahal") is "other", so the categories whose cue words
  are everyday words (REMOVED, REGISTER, ARRIVE, FAILED, PIN, PRICE_WORD, DEATH) lose weight there; so does
  a scam (SCAM), whatever card or PIN it names;
- small talk (SMALLTALK: greetings for a feast, "sudah saya catat", "ini nomor pendamping?") and a matter
  told as settled are ``none``.

The pattern language, over the message's words:

- ``CARD`` a concept (any of its words or phrases), ``kartu`` a literal word;
- ``A B``  B right after A;  ``A > B``  B after A with at most ``GAP`` words between;
- ``A ~ B`` the same in either order;  ``A … B`` B anywhere after A;
- ``X & Y`` both parts anywhere;  ``!X`` the part is absent.

The best category must reach ``MIN_SCORE`` and beat ``none`` (greetings,
thanks, status and schedule questions), else the reading is "not a problem /
unclear" (``best`` is None). ``confident`` asks for more: a strong score and a
clear margin over the next problem and over ``none``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from conversations.understand import lexicon
from conversations.understand.text import normalize, tokens

CODES = (
    "kks_lost", "kks_damaged", "pin_blocked", "zero_balance", "aid_not_received", "not_listed", "deceased",
    "needs_delivery", "ewarong", "other",
)  # fmt: skip
EWARONG_T = ("quantity", "price", "quality", "timing", "recipient", "records")
NONE = "none"

GAP = 3
"""Words allowed between the two sides of ``>`` and ``~``."""
MIN_SCORE = 3.0
"""The least score that names a problem."""
CONFIDENT_SCORE = 6.0
CONFIDENT_MARGIN = 4.0
"""A reading is confident when its best score reaches CONFIDENT_SCORE, leads every other problem and
``none`` by CONFIDENT_MARGIN, and no other problem reaches CONFIDENT_SCORE itself."""


@dataclass(frozen=True)
class Reading:
    """What a message says: ``best`` the problem's category code (None: not a problem, or unclear);
    ``confident`` whether it is clearly that one problem; ``ewarong_problems`` every one of the 6 T it
    names, in the order named; ``candidates`` every category with a score, best first."""

    best: str | None
    confident: bool = False
    ewarong_problems: tuple[str, ...] = ()
    candidates: tuple[tuple[str, float], ...] = ()


# (category, weight, pattern). Categories are the codes above, ``none`` for "not a problem", or
# ``t:<code>`` for one of the six T of an e-Warong complaint (read on their own, see ``ewarong_problems``).
RULES: tuple[tuple[str, float, str], ...] = (
    # -- the card is lost
    ("kks_lost", 6, "CARD ~ LOST"),
    ("kks_lost", 4, "CARD … LOST_SOFT"),
    ("kks_lost", 4, "LOST … CARD"),
    ("kks_lost", 2, "LOST"),
    ("kks_lost", 3, "WALLET ~ LOST"),
    ("kks_lost", -6, "NAME ~ LOST"),
    ("kks_lost", -4, "LOST … LIST"),
    ("kks_lost", -6, "BALANCE ~ LOST"),
    ("kks_lost", -8, "MONEY_WORD ~ LOST"),
    ("kks_lost", -5, "ID_PAPER ~ LOST & !CARD"),
    # -- the card is damaged (or swallowed by the machine)
    ("kks_damaged", 6, "CARD ~ DAMAGED"),
    ("kks_damaged", 4, "CARD … DAMAGED"),
    ("kks_damaged", 7, "CARD ~ SWALLOWED"),
    ("kks_damaged", 5, "SWALLOWED & MACHINE"),
    ("kks_damaged", 3, "SWALLOWED"),
    ("kks_damaged", 6, "CARD > NOT_YET > keluar & MACHINE"),
    ("kks_damaged", 5, "UNREADABLE & CARD"),
    ("kks_damaged", 5, "UNREADABLE & MACHINE & !CARD"),
    ("kks_damaged", 5, "chip"),
    ("kks_damaged", 1, "DAMAGED"),
    ("kks_damaged", -5, "GOODS ~ DAMAGED & !CARD"),
    # -- the PIN is blocked or forgotten
    ("pin_blocked", 7, "PIN"),
    ("pin_blocked", 3, "FORGOT ~ PIN"),
    ("pin_blocked", 5, "BLOCKED"),
    ("pin_blocked", 4, "WRONG_PIN"),
    ("pin_blocked", 2, "CARD ~ BLOCKED"),
    ("pin_blocked", -9, "PIN_FINE"),
    ("pin_blocked", -6, "SCAM"),  # "someone on the phone asked for my PIN"
    ("pin_blocked", -4, "HARDSHIP & !BANSOS"),
    ("pin_blocked", -5, "THING & !CARD"),  # "lupa password email", the PIN of a phone
    # -- a failed transaction or zero balance
    ("zero_balance", 6, "BALANCE ~ EMPTY"),
    ("zero_balance", 2, "BALANCE … EMPTY"),
    ("zero_balance", 3, "saldo"),
    ("zero_balance", 6, "MONEY_WORD ~ EMPTY & CARD"),
    ("zero_balance", 5, "FAILED"),
    ("zero_balance", 2, "EMPTY_WORD"),
    ("zero_balance", 3, "CHECK ~ EMPTY_WORD"),
    ("zero_balance", 2, "TRANSACTION"),
    ("zero_balance", -3, "FORGOT ~ PIN"),
    ("zero_balance", -4, "SCAM"),
    ("zero_balance", -5, "FAILED & HARDSHIP & !BANSOS & !TRANSACTION"),  # "gagal panen", "lamaran ditolak"
    # -- this month's aid has not come
    ("aid_not_received", 6, "NOT_YET > ARRIVE"),
    ("aid_not_received", 4, "NOT_YET > ada > AID"),
    ("aid_not_received", 2, "AID & NOT_YET > ARRIVE"),
    ("aid_not_received", 2, "NOT_YET > ARRIVE & PERIOD"),
    ("aid_not_received", 6, "LATE_WORD > ARRIVE"),
    ("aid_not_received", 5, "ARRIVE … saya belum"),
    ("aid_not_received", 4, "ARRIVE … belum"),
    ("aid_not_received", 5, "AID ~ LATE_WORD & !SHOP"),
    ("aid_not_received", 4, "ARRIVE > LATE_WORD & !SHOP"),
    ("aid_not_received", -5, "REMOVED"),
    ("aid_not_received", -6, "OFFICIAL … NOT_YET > datang"),
    ("aid_not_received", 4, "AID … belum ada"),
    ("aid_not_received", 3, "AID … tidak ada & PERIOD"),
    ("aid_not_received", -6, "NAME > NOT_YET > SHOWN"),
    ("aid_not_received", -6, "IDENTITY & PERSON > NOT_YET masuk & !AID"),
    ("aid_not_received", -5, "CANT_GO"),  # "tidak bisa keluar rumah" is no aid that did not come out
    ("aid_not_received", -4, "DELIVER"),
    ("aid_not_received", -4, "SCAM"),
    ("aid_not_received", -4, "HARDSHIP & !BANSOS"),
    ("aid_not_received", -6, "NOT_YET > LISTED"),
    ("aid_not_received", -6, "NOT_YET > masuk > IDENTITY"),
    ("aid_not_received", -8, "NOT_YET > ARRIVE > RECORDS"),
    ("aid_not_received", -8, "RECORDS > NOT_YET > ARRIVE"),
    ("aid_not_received", -6, "GIVE > ke > OTHERS"),
    ("aid_not_received", -6, "OTHERS SHOP"),
    ("aid_not_received", -6, "CARD > NOT_YET > keluar & MACHINE"),
    ("aid_not_received", -5, "NOT_YET > sampai > xnum"),
    ("aid_not_received", -3, "IDENTITY ~ WRONG_DATA"),
    # -- not on the list, or wrong data
    ("not_listed", 9, "REMOVED"),
    ("not_listed", 7, "NAME ~ LOST"),
    ("not_listed", 6, "IDENTITY ~ WRONG_DATA"),
    ("not_listed", 6, "NAME > tidak ada"),
    ("not_listed", 6, "NAME > NOT_YET > SHOWN"),
    ("not_listed", 6, "IDENTITY & PERSON > NOT_YET masuk & !AID"),
    ("not_listed", 5, "NAME & CARD & ID_PAPER & !LOST"),  # the name on the card against the KTP
    ("not_listed", 7, "NOT_YET > LISTED"),
    ("not_listed", 6, "NOT_YET > masuk > IDENTITY"),
    ("not_listed", 6, "REGISTER"),
    ("not_listed", 5, "MOVED"),
    ("not_listed", 6, "AID ~ berhenti"),
    ("not_listed", 3, "LIST"),
    ("not_listed", 2, "dtks"),
    ("not_listed", 6, "ALIVE"),
    ("not_listed", -4, "DEATH & !ALIVE"),
    ("not_listed", -4, "HARDSHIP & !BANSOS"),  # "listrik dicabut", "mau daftar sd", "ngajuin bedah rumah"
    ("not_listed", -10, "GIVE > ke > OTHERS"),
    # -- the recipient died
    ("deceased", 10, "DEATH"),
    ("deceased", 7, "PERSON > DEATH_SOFT"),
    ("deceased", 3, "ahli waris"),
    ("deceased", -8, "ALIVE"),
    ("deceased", -5, "DEATH & HARDSHIP & !BANSOS"),  # a death in the family, told for the orphans' school fees
    # -- sick, old or disabled: the aid must be brought
    ("needs_delivery", 3, "SICK"),
    ("needs_delivery", 2, "OLD"),
    ("needs_delivery", 4, "CANT_GO"),
    ("needs_delivery", 4, "DELIVER"),
    ("needs_delivery", 3, "SICK … CANT_GO"),
    ("needs_delivery", 3, "SICK & DELIVER"),
    ("needs_delivery", 3, "SICK & TAKE"),
    ("needs_delivery", 3, "OLD & CANT_GO"),
    ("needs_delivery", 2, "OLD & TAKE"),
    ("needs_delivery", 4, "ASK_LEAVE > yang TAKE"),
    ("needs_delivery", 2, "tidak bisa > TAKE"),
    ("needs_delivery", 2, "SICK & COLLECT"),
    ("needs_delivery", 1, "SICK & SHOP"),
    ("needs_delivery", 2, "FAR & OLD"),
    ("needs_delivery", 2, "FAR & SICK"),
    ("needs_delivery", 1, "ALONE"),
    ("needs_delivery", 2, "ALONE & OLD"),
    ("needs_delivery", -4, "NOT_YET > ARRIVE & !CANT_GO & !DELIVER"),
    ("needs_delivery", -4, "GOODS ~ QUALITY & !DELIVER & !CANT_GO"),  # sick, but the complaint is the spoiled rice
    ("needs_delivery", -4, "GOODS ~ QUANTITY & !DELIVER & !CANT_GO"),
    # -- an e-Warong complaint (the six T are read below)
    ("ewarong", 2, "SHOP"),
    ("ewarong", 1, "GOODS"),
    ("ewarong", 5, "GOODS ~ QUALITY"),
    ("ewarong", 4, "GOODS ~ SMALL"),
    ("ewarong", 4, "GOODS ~ QUANTITY"),
    ("ewarong", 4, "QUANTITY ~ UNIT"),
    ("ewarong", 3, "QUANTITY_SOFT > UNIT"),
    ("ewarong", 5, "PRICE_WORD"),
    ("ewarong", 4, "xmoney … MARKET"),
    ("ewarong", 4, "SHOP_PROBLEM"),
    ("ewarong", 5, "SHOP ~ HELD"),
    ("ewarong", 5, "SHOP & RUDE"),
    ("ewarong", 8, "SHOP > LEVY"),
    ("ewarong", 4, "GOODS … QUANTITY_SOFT > xnum"),
    ("ewarong", 4, "SHOP & LATE"),
    ("ewarong", 5, "RECORDS"),
    ("ewarong", 3, "RECIPIENT"),
    ("ewarong", 10, "GIVE > ke > OTHERS"),
    ("ewarong", 8, "SHOP & GIVE > OTHERS & !GIVE > ke > OTHERS"),
    ("ewarong", 6, "orang lain & SHOP"),
    ("ewarong", 10, "OTHERS SHOP"),
    ("ewarong", -3, "NOT_YET > ARRIVE & !SHOP & !RECORDS"),
    ("ewarong", -3, "CANT_GO"),
    ("ewarong", -3, "DELIVER"),
    ("ewarong", 6, "SHOP > minta > xmoney"),
    ("ewarong", -3, "PRICE_WORD & !SHOP & !GOODS & !het"),  # "biaya kemo mahal", "disuruh bayar buku"
    ("ewarong", -5, "OFFICIAL & PRICE_WORD & !SHOP"),
    ("ewarong", -4, "PRICE_WORD & MARKET & !SHOP"),  # prices at the market are no e-Warong's
    # -- something else
    ("other", 6, "LEVY"),
    ("other", -6, "SHOP > LEVY"),
    ("other", 5, "OFFICIAL ~ HELD & CARD"),
    ("other", 5, "OFFICIAL … NOT_YET > datang"),
    ("other", 4, "THING ~ LOST"),
    ("other", 5, "HARDSHIP"),
    ("other", 6, "ID_PAPER ~ LOST & !CARD"),
    ("other", 3, "xstory & !HARDSHIP"),
    ("other", 3, "HARDSHIP & !BANSOS"),
    ("other", 6, "OFFICIAL > minta > xmoney"),
    ("other", 4, "SCAM"),
    ("other", 5, "OFFICIAL & PRICE_WORD & !SHOP"),  # an official who makes you pay: a levy
    # -- not a problem
    ("none", 5, "STATUS"),
    ("none", 12, "MY_REPORT ~ STATUS_ASK"),
    ("none", 12, "REPORTED … FOLLOWED_UP"),
    ("none", 5, "SCHEDULE"),
    ("none", 6, "RESOLVED"),
    ("none", 6, "SMALLTALK"),
    ("none", 3, "xthanks"),
    ("none", 3, "RESOLVED & xthanks"),
    ("none", 2, "RESOLVED & !CONTRAST"),
    ("none", -7, "RESOLVED … CONTRAST"),
    ("none", -6, "SHOP & LATE"),
    # -- the six T of an e-Warong
    ("t:quantity", 1, "GOODS ~ QUANTITY"),
    ("t:quantity", 1, "QUANTITY ~ UNIT"),
    ("t:quantity", 1, "QUANTITY_SOFT > UNIT"),
    ("t:quantity", 1, "timbangan"),
    ("t:quantity", 1, "GOODS … QUANTITY_SOFT > xnum"),
    ("t:quantity", 1, "timbang"),
    ("t:price", 1, "PRICE_WORD"),
    ("t:price", 1, "xmoney … MARKET"),
    ("t:quality", 1, "QUALITY"),
    ("t:quality", 1, "GOODS ~ SMALL"),
    ("t:quality", -9, "CARD ~ DAMAGED"),
    ("t:timing", 1, "LATE"),
    ("t:recipient", 1, "RECIPIENT"),
    ("t:recipient", 1, "GIVE > ke > OTHERS"),
    ("t:recipient", 1, "SHOP & GIVE > OTHERS"),
    ("t:recipient", 1, "orang lain & SHOP"),
    ("t:recipient", 1, "OTHERS SHOP"),
    ("t:records", 1, "RECORDS"),
)


# -- reading the words ----------------------------------------------------------------------------------

_PHRASES: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {}
for _key, _value in sorted(lexicon.PROBLEM_PHRASES.items(), key=lambda pair: -len(pair[0].split())):
    _PHRASES[_key.split()[0]] = (*_PHRASES.get(_key.split()[0], ()), (tuple(_key.split()), tuple(_value.split())))
del _key, _value


_SPLIT_PREFIXES = frozenset({"di", "ke", "ter"})
_JOINABLE = frozenset(
    w for phrases in lexicon.PROBLEM_CONCEPTS.values() for phrase in phrases for w in phrase.split()
) | frozenset(lexicon.PROBLEM_VARIANTS)


def _canonical(words: list[str] | tuple[str, ...]) -> list[str]:
    """Phrases read as one word ("atas nama" → "atasnama"), then each word's variant ("ilang" → "hilang")."""
    out: list[str] = []
    at = 0
    while at < len(words):
        for key, value in _PHRASES.get(words[at], ()):
            if tuple(words[at : at + len(key)]) == key:
                out.extend(value)
                at += len(key)
                break
        else:
            word = words[at]
            if word in _SPLIT_PREFIXES and at + 1 < len(words) and word + words[at + 1] in _JOINABLE:
                word = word + words[at + 1]  # "di curi" → "dicuri", "ke blokir" → "keblokir"
                at += 1
            out.extend(lexicon.PROBLEM_VARIANTS.get(word, word).split())
            at += 1
    return out


def _standard(phrase: str) -> tuple[str, ...]:
    """A lexicon phrase in the standard form the rules read ("gak bisa" → ("tidak", "bisa"))."""
    return tuple(_canonical([lexicon.SHORTHAND.get(w, w) for w in normalize(phrase).split()]))


_CONCEPTS: dict[str, tuple[tuple[str, ...], ...]] = {
    name: tuple(sorted({_standard(p) for p in phrases}, key=len, reverse=True))
    for name, phrases in lexicon.PROBLEM_CONCEPTS.items()
}
_VOCABULARY = frozenset(w for phrases in _CONCEPTS.values() for phrase in phrases for w in phrase)
_FUZZY_TARGETS = tuple(sorted(w for w in _VOCABULARY if len(w) >= 4 and w.isalpha()))
_KNOWN = (
    _VOCABULARY
    | frozenset(lexicon.SHORTHAND.values())
    | frozenset(lexicon.SHORTHAND)
    | frozenset(lexicon.PROBLEM_VARIANTS)
    | frozenset(lexicon.PROBLEM_VARIANTS.values())
    | lexicon.ADDRESS_TERMS
    | lexicon.INDONESIAN_MARKERS
    | lexicon.COMMON_WORDS
    | lexicon.FUNCTION_WORDS
    | frozenset(
        w
        for entries in (lexicon.GREETINGS, lexicon.CLOSINGS, lexicon.YES, lexicon.NO, lexicon.SKIP, lexicon.DONE,
                        lexicon.NOT_YET, lexicon.UNKNOWN)
        for entry in entries
        for w in normalize(entry).split()
    )  # fmt: skip
)
_SUFFIXES = ("nipun", "ipun", "nya", "ny", "ne", "na", "ku", "mu", "e")
"""Possessive endings, Indonesian ("kartunya"), Javanese ("berase", "kartunipun") and Sundanese ("kartuna")."""
_FILLER = frozenset(
    "nya ny the a an on my is are was were of to at in her his our their its it this that be been got get "
    "me i we us".split()
)
"""Words that stand between the words that matter ("the name on my card is misspelled")."""


_VOWELS = frozenset("aiueo")
_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    key: {row[at + d] for d in (-1, 1) if 0 <= at + d < len(row)}
    | {other[at] for other in _KEYS if other is not row and at < len(other) and abs(_KEYS.index(other) - _KEYS.index(row)) == 1}
    for row in _KEYS
    for at, key in enumerate(row)
}  # fmt: skip
"""Keys next to each key on a phone keyboard: "blokit" is "blokir" mistyped, "berat" is a word of its own."""


def _typo_of(word: str, target: str) -> bool:
    """Whether ``word`` is ``target`` with one of the slips people make on a phone: vowels left out ("rsak",
    "kks ilng"), two letters swapped ("kratu"), a letter doubled ("rusakk", "kosoong"), or, in a long word,
    one key hit for the key beside it ("blokit"). Other near words are words of their own ("berat" is not
    "beras", "jauh" is not "jatuh"), so they are left alone."""
    if word[0] != target[0]:
        return False
    if len(word) < len(target):  # vowels left out
        rest = iter(target)
        if all(char in rest for char in word):  # word is a subsequence of target …
            missing = len(target) - len(word)
            left = [c for c in target]
            for char in word:
                left.remove(char)
            return missing <= 2 and all(c in _VOWELS for c in left)
        return False
    if len(word) == len(target):
        diff = [at for at in range(len(word)) if word[at] != target[at]]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            return word[diff[0]] == target[diff[1]] and word[diff[1]] == target[diff[0]]
        if len(diff) == 1 and len(word) >= 6:
            return word[diff[0]] in _NEIGHBOURS.get(target[diff[0]], ())
        return False
    squeezed = re.sub(r"(.)\1+", r"\1", word)
    return squeezed == target or squeezed == re.sub(r"(.)\1+", r"\1", target)


@lru_cache(maxsize=8192)
def _correct(word: str) -> str:
    """A word as the rules know it: "-nya" dropped ("berasnya" → "beras"), or one phone slip mended
    ("kartuu" → "kartu", "rsak" → "rusak", "kratu" → "kartu"; see ``_typo_of``). A word the lexicons know
    is left as it is, and so is one that two problem words could be."""
    if word in _KNOWN:
        return word
    if not word.isalpha():
        joined = re.sub(r"(?<=[a-z])2(?=[a-z])", "", word)  # "saudara2nya" → "saudaranya"
        return _correct(joined) if joined != word and joined.isalpha() else word
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            stem = lexicon.PROBLEM_VARIANTS.get(stem, stem)
            if stem in _VOCABULARY:
                return stem
    for prefix, suffix in (("ke", "an"), ("di", "in"), ("", "in"), ("ke", "")):  # "kepatahan", "dicoretin"
        stem = word[len(prefix) : len(word) - len(suffix)]
        if word.startswith(prefix) and word.endswith(suffix) and len(stem) >= 4:
            for form in (stem, "di" + stem if prefix == "di" else stem):
                if form in _VOCABULARY and form != word:
                    return form
    squeezed = re.sub(r"(.)\1+", r"\1", word)  # "ilangg" → "ilang" → "hilang"
    if squeezed != word and squeezed in _KNOWN:
        return _correct(lexicon.SHORTHAND.get(squeezed, squeezed))
    if len(word) < 4:
        return word
    near = process.extract(word, _FUZZY_TARGETS, scorer=OSA.distance, score_cutoff=2, limit=8)
    found = {target for target, _distance, _at in near if _typo_of(word, target)}
    return found.pop() if len(found) == 1 else word


_CAN = frozenset("ke datang ambil jalan berjalan pergi hadir keluar antri mengantri belanja".split())
_NUMBER = re.compile(r"\d+")
_UNIT_AFTER_NUMBER = re.compile(r"(?<=\d)(?=(?:kg|kilo|rb|ribu|k|jt|juta|butir|btr|liter|ltr|x|bln|thn|hr|gr|ons)\b)")
_MONEY_AFTER = frozenset({"ribu", "rb", "k", "juta", "jt", "rupiah"})
_CLOSINGS = tuple(tuple(normalize(c).split()) for c in (*lexicon.CLOSINGS, "matur suwun", "suwun", "thank you", "thanks", "thx"))


_THANKED = re.compile(r"(?<= )(?:" + "|".join(re.escape(" ".join(c)) for c in _CLOSINGS) + r")(?= )")
_NOT_CONTENT = (
    lexicon.ADDRESS_TERMS
    | lexicon.PARTICLES
    | lexicon.FUNCTION_WORDS
    | _FILLER
    | frozenset(
        w
        for entries in (lexicon.GREETINGS, lexicon.CLOSINGS, lexicon.YES, lexicon.NO, lexicon.SKIP, lexicon.DONE,
                        lexicon.NOT_YET, lexicon.UNKNOWN)
        for entry in entries
        for w in normalize(entry).split()
    )  # fmt: skip
)
STORY_WORDS = 3
"""A message with this many words that carry meaning tells of something: a problem, if not one of the nine
then "other" (``xstory``), unless it is a greeting, thanks, or a question about a report or a meeting."""


_AGREED = frozenset((
    "oke", "siap", "baik", "iya", "ya", "nggih", "inggih", "alhamdulillah", "mantap", "sip", "noted", "insyaallah",
    "inshaallah", "insya", "insha", "allah", "datang", "hadir",
))  # fmt: skip


def acknowledgement(text: str) -> str:
    """``"thanks"`` when the message only thanks ("makasih bu", "nggih matur nuwun", "🙏"), ``"ok"`` when it only
    agrees or acknowledges ("oke", "siap bu", "alhamdulillah", "👍"), else ``""``: nothing to act on, so nothing
    to misunderstand."""
    words = [w for w in words_of(text) if w not in lexicon.ADDRESS_TERMS and w not in lexicon.PARTICLES and w != "xstory"]
    if not words or len(words) > 6:
        return ""
    rest = [w for w in words if w != "xthanks"]
    if not all(w in _AGREED for w in rest):
        return ""
    return "thanks" if "xthanks" in words else "ok"


_WHEN = frozenset(("kapan", "jadwal", "tanggal", "jam", "hari", "when", "schedule", "date"))
_AID_OR_MEETING = frozenset((
    "cair", "pencairan", "bansos", "pkh", "bpnt", "sembako", "penyaluran", "bantuan", "beras", "dibagikan", "dibagi",
    "pembagian", "turun", "pertemuan", "p2k2", "rapat", "kumpul", "ngumpul", "disalurkan", "meeting", "money",
    "distribution", "payment", "paid",
))  # fmt: skip
_ABOUT_A_REPORT = frozenset(("kartu", "laporan", "lapor", "aduan", "kks", "atm", "pin", "card", "report"))


QUESTION_WORDS = 8
"""A question about the schedule or a report is short; a longer message tells something."""
_HOW_FAR = frozenset((
    "kapan", "bagaimana", "sampai", "jadi", "kabar", "kabarnya", "perkembangan", "diproses", "when", "how", "ready",
))  # fmt: skip


def asked_about(text: str) -> str:
    """What a question that is not a problem asks about: ``"schedule"`` when aid comes or the group meets
    ("kapan bansos cair?", "kpn p2k2 bu"), ``"report"`` how far a card or a report has got ("kapan kartu saya
    jadi", "gimana laporan saya"), else ``""``."""
    words = set(words_of(text))
    if classify(text).best not in (None, "other") or len(words) > QUESTION_WORDS:
        return ""  # a problem told, not a question
    if words & _ABOUT_A_REPORT:
        return "report" if words & _HOW_FAR else ""
    return "schedule" if words & _WHEN and words & _AID_OR_MEETING else ""


def _thanked(text: str) -> bool:
    return _THANKED.search(f" {normalize(text)} ") is not None


@lru_cache(maxsize=4096)
def words_of(text: str) -> tuple[str, ...]:
    """The message's words as the rules read them: ``tokens`` (terms of address kept), phrases and variants,
    endings and typos mended; "tidak dapat ke" read as "cannot"; a sum of money as ``xmoney``; a closing
    thanks as ``xthanks``."""
    raw = tokens(_UNIT_AFTER_NUMBER.sub(" ", text.casefold()), keep_address=True)
    words = [w for w in _canonical([_correct(w) for w in raw]) if w not in _FILLER]
    for at in range(len(words) - 1):  # "tidak dapat ke agen" is "cannot", not "did not get"
        if words[at] == "dapat" and words[at + 1] in _CAN:
            words[at] = "bisa"
    marked: list[str] = []
    for at, word in enumerate(words):
        after = words[at + 1] if at + 1 < len(words) else ""
        if word == "rp" or (_NUMBER.fullmatch(word) and after in _MONEY_AFTER) or re.fullmatch(r"rp\d+", word):
            marked.append("xmoney")
        elif _NUMBER.fullmatch(word):
            marked.append("xnum")
        marked.append(word)
    if _thanked(text):
        marked.append("xthanks")
    if sum(1 for w in words if w not in _NOT_CONTENT and not w.isdigit()) >= STORY_WORDS:
        marked.append("xstory")
    return tuple(marked)


# -- the patterns ---------------------------------------------------------------------------------------


def _alternation(phrases: tuple[tuple[str, ...], ...]) -> str:
    return "(?:" + "|".join(re.escape(" ".join(p)) for p in phrases) + ")"


def _term(term: str) -> str:
    if term in _CONCEPTS:
        return _alternation(_CONCEPTS[term])
    if term.isupper():
        raise ValueError(f"unknown concept {term!r}")
    return _alternation((_standard(term),))


def _sequence(part: str) -> str:
    """One part of a rule as a regex: terms joined by nothing (adjacent), ``>``, ``~`` or ``…``."""
    pieces = re.split(r"\s+(>|~|…)\s+", part.strip())
    terms, joins = pieces[0::2], pieces[1::2]
    near = rf" (?:\S+ ){{0,{GAP}}}"
    if "~" in joins:
        if len(terms) != 2:
            raise ValueError(f"'~' joins exactly two terms: {part!r}")
        first, second = (" ".join(_term(w) for w in t.split()) for t in terms)
        return f"(?:{first}{near}{second}|{second}{near}{first})"
    out = " ".join(_term(w) for w in terms[0].split())
    for join, term in zip(joins, terms[1:], strict=True):  # re.split with a group: terms and joins alternate
        joined = {">": near, "…": r" (?:\S+ )*"}[join]
        out += joined + " ".join(_term(w) for w in term.split())
    return out


@dataclass(frozen=True)
class _Rule:
    category: str
    weight: float
    pattern: str
    parts: tuple[tuple[re.Pattern[str], bool], ...]
    needs: frozenset[str]
    """The terms the rule's positive parts name: a message without one of them cannot match, so is not tried."""


def _compile(category: str, weight: float, pattern: str) -> _Rule:
    parts: list[tuple[re.Pattern[str], bool]] = []
    needs: list[str] = []
    for part in pattern.split(" & "):
        negated = part.startswith("!")
        regex = _sequence(part.removeprefix("!"))
        parts.append((re.compile(rf"(?<= ){regex}(?= )"), negated))
        if not negated:
            needs.extend(w for w in re.split(r"\s+", part) if w not in (">", "~", "…"))
    return _Rule(category, float(weight), pattern, tuple(parts), frozenset(needs))


def _term_index(term: str) -> tuple[frozenset[str], frozenset[str], re.Pattern[str]]:
    """A term's one-word phrases, the first words of its longer ones, and its regex (for the longer ones)."""
    phrases = _CONCEPTS[term] if term in _CONCEPTS else (_standard(term),)
    singles = frozenset(p[0] for p in phrases if len(p) == 1)
    firsts = frozenset(p[0] for p in phrases if len(p) > 1)
    return singles, firsts, re.compile(rf"(?<= ){_term(term)}(?= )")


@cache
def prepare() -> tuple[tuple[_Rule, ...], dict[str, tuple[frozenset[str], frozenset[str], re.Pattern[str]]]]:
    """The rules and term index, compiled once (a few hundred regexes, about a tenth of a second): on the first
    reading, or ahead of it (``kawal serve`` calls this in the background, so start-up does not wait for it)."""
    rules = tuple(_compile(*rule) for rule in RULES)
    return rules, {term: _term_index(term) for rule in rules for term in rule.needs}


def _matching(line: str) -> list[_Rule]:
    rules, terms = prepare()
    words = frozenset(line.split())
    present = frozenset(
        term for term, (singles, firsts, regex) in terms.items()
        if not singles.isdisjoint(words) or (not firsts.isdisjoint(words) and regex.search(line))
    )  # fmt: skip
    return [
        rule for rule in rules
        if rule.needs <= present and all((part.search(line) is None) == negated for part, negated in rule.parts)
    ]  # fmt: skip


def explain(text: str) -> list[tuple[str, float, str]]:
    """The rules a message matches, for tuning: ``[(category, weight, pattern), …]``."""
    return [(rule.category, rule.weight, rule.pattern) for rule in _matching(f" {' '.join(words_of(text))} ")]


# -- the reading ----------------------------------------------------------------------------------------


def _first_at(rule: _Rule, line: str) -> int:
    found = rule.parts[0][0].search(line)
    return found.start() if found else len(line)


@lru_cache(maxsize=4096)
def classify(text: str) -> Reading:
    """The problem a message describes: ``classify("kartu sy ilang pak")`` → best ``kks_lost``, confident."""
    words = words_of(text)
    if not words:
        return Reading(None)
    line = f" {' '.join(words)} "
    scores: dict[str, float] = dict.fromkeys((*CODES, NONE), 0.0)
    t_scores: dict[str, float] = {}
    t_first: dict[str, int] = {}
    for rule in _matching(line):
        if rule.category.startswith("t:"):
            code = rule.category.removeprefix("t:")
            t_scores[code] = t_scores.get(code, 0.0) + rule.weight
            if rule.weight > 0:
                t_first[code] = min(t_first.get(code, len(line)), _first_at(rule, line))
        else:
            scores[rule.category] += rule.weight
    ranked = sorted(((c, s) for c, s in scores.items() if c != NONE and s > 0), key=lambda pair: -pair[1])
    named = tuple(sorted((t for t, s in t_scores.items() if s > 0), key=lambda t: (t_first[t], EWARONG_T.index(t))))
    if scores["ewarong"] <= 0:
        named = ()  # "jadwal pertemuan" names no e-Warong, so no late e-Warong either
    none = scores[NONE]
    if not ranked or ranked[0][1] < MIN_SCORE or none >= ranked[0][1]:
        return Reading(None, False, named, tuple(ranked))
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    confident = (
        top >= CONFIDENT_SCORE
        and top - max(second, none) >= CONFIDENT_MARGIN
        and second < CONFIDENT_SCORE  # a second problem told as plainly: the person confirms which one
    )
    return Reading(best, confident, named, tuple(ranked))


def clear_caches() -> None:
    """Forget every message read so far (for a benchmark that times cold reading)."""
    for cached in (classify, words_of, _correct):
        cached.cache_clear()


def ewarong_problems(text: str) -> tuple[str, ...]:
    """Every one of the six T a message names, in the order named: "berasnya apek trus telurnya mahal" →
    ``("quality", "price")``. Empty when the message says nothing of an e-Warong."""
    return classify(text).ewarong_problems
