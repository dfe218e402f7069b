"""Why a row of a household list was rejected, in words, in the reader's language.

The importer writes short Indonesian reasons prefixed by the column (``nik: tanggal lahir tidak valid (310299)``,
see ``app.households.importer`` and ``app.households.nik``); they stay so in the downloadable file, which is
meant to be fixed and imported again. The console shows them as sentences. An unknown reason is shown as given.
The warnings of rows imported all the same (``nik: dari kecamatan lain (327308)``) read the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from conversations.types import Translate

N_ = str

COLUMN_WORDS = {
    "nama": N_("Nama"), "nik": N_("NIK"), "no_kk": N_("No. KK"), "kode_wilayah": N_("Kode wilayah"),
    "alamat": N_("Alamat"), "rt": N_("RT"), "rw": N_("RW"), "no_hp": N_("No. HP"), "program": N_("Program"),
    "kelompok": N_("Kelompok"),
}  # fmt: skip

_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"kosong"), N_("{column} kosong")),
    (re.compile(r"lebih dari (?P<n>\d+) karakter"), N_("{column} lebih dari {n} karakter")),
    (re.compile(r"tidak dikenal(?: \((?P<code>[0-9.]+)\))?"), N_("Kode wilayah tidak dikenal")),
    (re.compile(r"(?P<code>[0-9.]+) bukan desa/kelurahan"), N_("Kode wilayah {code} bukan desa/kelurahan")),
    (re.compile(r"(?P<code>[0-9.]+) di luar wilayah Anda"), N_("Desa/kelurahan {code} di luar wilayah Anda")),
    (re.compile(r"tersimpan sebagai angka di Excel.*"),
     N_("{column} tersimpan sebagai angka di Excel (hanya 15 digit): format kolomnya sebagai Teks")),
    (re.compile(r"harus angka 1 sampai 999"), N_("{column} harus angka 1 sampai 999")),
    (re.compile(r"bukan nomor HP Indonesia yang valid"), N_("No. HP bukan nomor HP Indonesia yang valid")),
    (re.compile(r"hanya boleh angka"), N_("{column} hanya boleh berisi angka")),
    (re.compile(r"harus (?P<want>\d+) angka, bukan (?P<got>\d+)"), N_("{column} harus {want} angka, bukan {got}")),
    (re.compile(r"6 angka pertama tidak sama dengan kode kecamatan (?P<kecamatan>\d+)"),
     N_("6 angka pertama {column} tidak sama dengan kode kecamatan {kecamatan}")),
    (re.compile(r"tanggal lahir tidak valid \((?P<date>\d+)\)"), N_("Tanggal lahir dalam {column} tidak valid ({date})")),
    (re.compile(r"tanggal terbit tidak valid \((?P<date>\d+)\)"), N_("Tanggal terbit dalam {column} tidak valid ({date})")),
    (re.compile(r"4 angka terakhir tidak boleh 0000"), N_("4 angka terakhir {column} tidak boleh 0000")),
    (re.compile(r"angka panjang tidak disimpan"),
     N_("{column} berisi angka panjang (NIK atau nomor HP?): angka itu tidak disimpan")),
    (re.compile(r"dari kecamatan lain \((?P<kecamatan>\d+)\)"), N_("{column} dari kecamatan lain ({kecamatan})")),
    (re.compile(r"sama dengan baris (?P<line>\d+), yang diimpor"),
     N_("{column} sama dengan baris {line}; baris itu yang diimpor")),
)  # fmt: skip


def in_words(reason: str, t: Translate) -> str:
    """``"nik: kosong"`` → ``"NIK kosong"`` (or ``"NIK is empty"``)."""
    column, _, message = reason.partition(": ")
    if column not in COLUMN_WORDS:
        return reason
    for pattern, sentence in _REASONS:
        found = pattern.fullmatch(message)
        if found:
            params = {name: value for name, value in found.groupdict().items() if value is not None}
            return t(sentence, column=t(COLUMN_WORDS[column]), **params)
    return reason


def most_common(reasons: Iterable[str], t: Translate, limit: int = 10) -> list[tuple[str, int]]:
    """The reasons in words with how many rows each stopped, most frequent first."""
    return Counter(in_words(reason, t) for reason in reasons).most_common(limit)
