"""Reading a CSV file's bytes as text, in whichever encoding the spreadsheet that saved it chose.

Excel on Windows saves "CSV (Comma delimited)" in the computer's ANSI code page — Windows-1252 in an
Indonesian or English Windows — and only "CSV UTF-8" in UTF-8 with a byte-order mark; LibreOffice and Google
Sheets write UTF-8. So the bytes are tried in a fixed order, and the first encoding that reads them all wins:

1. a byte-order mark says it: UTF-8 (``EF BB BF``) or UTF-16 (``FF FE`` / ``FE FF``, Excel's "Unicode Text");
2. UTF-8. Text in another encoding almost never reads as UTF-8 by chance: an accented letter in Windows-1252
   is one byte of 0x80–0xFF, which in UTF-8 must be followed by continuation bytes — "Ré," is not valid UTF-8;
3. Windows-1252, which gives 0x80–0x9F their printed meaning (``’`` ``“`` ``€`` ``–``);
4. Latin-1, which reads any byte: only reached when a byte is one of the five Windows-1252 leaves undefined.

Why not a statistical detector (charset-normalizer): a household list is mostly digits and ASCII names, with
a handful of accented letters; on so little evidence a detector may pick a Cyrillic or Central-European code
page and turn "Ré" into "Rщ", differently from one file to the next. The fixed order is exact for the
encodings the field produces and explains itself in one line.
"""

from __future__ import annotations

import codecs

ORDER = ("utf-8", "cp1252", "latin-1")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class NotText(ValueError):
    """The bytes hold something other than text (a NUL character): ``line`` is where it was found."""

    def __init__(self, line: int) -> None:
        super().__init__(f"not text (line {line})")
        self.line = line


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in (``"utf-8-sig"``, ``"utf-8"``, ``"cp1252"``, …).

    Raises ``NotText`` for bytes no spreadsheet writes as CSV (a NUL character: a workbook or an image renamed).
    """
    text, encoding = _decoded(raw)
    if "\x00" in text:
        raise NotText(text[: text.index("\x00")].count("\n") + 1)
    return text, encoding


def _decoded(raw: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding).removeprefix("\ufeff"), encoding
            except UnicodeDecodeError:
                if bom == codecs.BOM_UTF8:
                    raw = raw[len(bom) :]  # a UTF-8 mark before other bytes: read them without it
                break
    for encoding in ORDER[:-1]:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode(ORDER[-1]), ORDER[-1]  # Latin-1 reads any byte
