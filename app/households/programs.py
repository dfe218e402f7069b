"""The social-assistance programmes a household list names, read as the field writes them.

A DTKS export names every programme a household receives in one cell: ``"PKH;Sembako;PBI"``,
``"BPNT/Sembako, PKH"``, ``"PBI-JK + KIS"``. Names are separated by ``;``, ``,``, ``/`` or ``+``. The
programmes the service knows are stored under one code each, whatever the spelling:

==============  =======================================================================
Code            Written as (letter case, spaces, dots and dashes do not matter)
==============  =======================================================================
``sembako``     Sembako, BPNT, Bansos Sembako, Kartu Sembako
``pkh``         PKH, Program Keluarga Harapan
``pbi``         PBI, PBI-JK, PBI-JKN, JKN-PBI, KIS
``blt``         BLT, Bantuan Langsung Tunai
``pip``         PIP, KIP, Program Indonesia Pintar, Kartu Indonesia Pintar
==============  =======================================================================

Any other name is kept as given (spaces tidied), after the known codes: a list is never refused for a programme
the service does not know yet, and the import summary counts those names so someone can add them here. A "name"
with six digits in a row is no programme but a NIK, KK or phone number in the wrong column: it is not kept (the
household's identifiers are stored only hashed), and the row gets a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ORDER = ("sembako", "pkh", "pbi", "blt", "pip")
"""The known codes, in the order they are stored and shown (``sembako`` first, as it always was)."""
LABELS = {"sembako": "Sembako", "pkh": "PKH", "pbi": "PBI-JK", "blt": "BLT", "pip": "PIP"}
STORED_SEPARATOR = ";"

_ALIASES = {
    "sembako": ("sembako", "bpnt", "bansossembako", "kartusembako", "programsembako"),
    "pkh": ("pkh", "programkeluargaharapan"),
    "pbi": ("pbi", "pbijk", "pbijkn", "jknpbi", "kis", "pbikis", "kartuindonesiasehat"),
    "blt": ("blt", "bantuanlangsungtunai"),
    "pip": ("pip", "kip", "programindonesiapintar", "kartuindonesiapintar"),
}
KNOWN = {alias: code for code, aliases in _ALIASES.items() for alias in aliases}
"""A name's letters and digits, lower case (``"PBI-JK"`` → ``pbijk``) → its code."""

_SEPARATORS = re.compile(r"[;,/+]")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
_LONG_NUMBER = re.compile(r"[0-9]{6}")


@dataclass(frozen=True)
class Programmes:
    """What one cell names: the known codes (in ``ORDER``) and the other names, as given, in the cell's order."""

    known: tuple[str, ...]
    unknown: tuple[str, ...]
    withheld: int = 0
    """How many names were long numbers, not kept."""

    @property
    def stored(self) -> str:
        """The ``households.programs`` value: ``"sembako;pkh;Rutilahu"``."""
        return STORED_SEPARATOR.join(self.known + self.unknown)


def read_programmes(cell: str) -> Programmes:
    """``"PKH; bpnt/Sembako, Rutilahu"`` → known ``("sembako", "pkh")``, unknown ``("Rutilahu",)``.

    A name given twice (in any spelling) counts once; an unknown name keeps its first spelling.
    """
    known: set[str] = set()
    unknown: dict[str, str] = {}
    withheld = 0
    for part in _SEPARATORS.split(cell):
        name = " ".join(part.split())
        key = _NOT_ALPHANUMERIC.sub("", name.lower())
        if not key:
            continue
        if key in KNOWN:
            known.add(KNOWN[key])
        elif _LONG_NUMBER.search(name):
            withheld += 1
        else:
            unknown.setdefault(key, name)
    return Programmes(tuple(code for code in ORDER if code in known), tuple(unknown.values()), withheld)


def stored_names(stored: str) -> list[str]:
    """A stored ``programs`` value as its names: ``"sembako;pkh;Rutilahu"`` → ``["sembako", "pkh", "Rutilahu"]``."""
    return [name for name in stored.split(STORED_SEPARATOR) if name]


def label(name: str) -> str:
    """How a stored name is shown: ``pbi`` → ``PBI-JK``; an unknown name as given."""
    return LABELS.get(name, name)
