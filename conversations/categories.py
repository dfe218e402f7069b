"""What households report, as data: codes, labels, the words people use, who handles it, and what happens next.

Procedures follow the TKSK paper (seed 004; docs/DOMAIN.md §4). ``route`` names
the role the case goes to: KKS and e-Warong problems to the TKSK of the
kecamatan, PKH matters to the PKH facilitator, data problems to the kelurahan
operator (the SIKS-NG operator); the PSM of the village is always told.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from conversations.understand.classify import classify

N_ = str  # marks text for extraction; translated when shown


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    keywords: tuple[str, ...]
    route: str
    procedure: tuple[str, ...]
    """Steps told to the household; ``{helper}`` is whoever reads the report (see ``report_questions.receipt``)."""
    questions: tuple[str, ...] = ()
    tracks_kks_steps: bool = False
    todo: str = ""
    """What the companion who receives the case should do, in a line."""


CATEGORIES = (
    Category(
        "kks_lost", N_("Kartu KKS hilang"), ("hilang", "ilang", "kehilangan", "hlang"), "tksk",
        (
            N_("Minta surat keterangan kehilangan di kantor desa atau kelurahan."),
            N_("Lapor kehilangan ke Polsek dengan surat itu."),
            N_("Bawa surat dari Polsek ke Dinas Sosial."),
            N_("Bank akan mencetak ulang kartu Anda. {helper} mendampingi setiap langkah."),
        ),
        questions=("has_letter",), tracks_kks_steps=True,
        todo=N_("Dampingi keluarga: surat kehilangan dari desa, lalu Polsek, Dinas Sosial, dan bank untuk cetak ulang kartu."),
    ),
    Category(
        "kks_damaged", N_("Kartu KKS rusak"), ("rusak", "patah", "tidak terbaca", "tdk terbaca", "retak"), "tksk",
        (N_("{helper} akan mendampingi Anda ke kantor cabang bank untuk mengganti kartu."),),
        tracks_kks_steps=True,
        todo=N_("Dampingi keluarga ke kantor cabang bank untuk mengganti kartu."),
    ),
    Category(
        "pin_blocked", N_("PIN terblokir atau lupa"), ("pin", "blokir", "keblokir", "terblokir", "lupa pin", "diblokir"), "tksk",
        (
            N_("{helper} akan mendampingi Anda ke kantor cabang bank untuk membuka blokir atau mengganti PIN."),
            N_("Jangan pernah memberi tahu PIN Anda kepada siapa pun, termasuk petugas."),
        ),
        todo=N_("Dampingi keluarga ke kantor cabang bank untuk membuka blokir atau mengganti PIN."),
    ),
    Category(
        "zero_balance", N_("Transaksi gagal atau saldo kosong"),
        ("saldo", "saldo nol", "saldo kosong", "gagal", "transaksi gagal", "kosong", "tidak bisa transaksi"), "tksk",
        (
            N_("{helper} mencatat laporan Anda dan memeriksa apakah nama Anda masih ada di daftar bayar."),
            N_("Jika masih terdaftar, laporan diteruskan ke koordinator daerah. Jika tidak, Anda akan diarahkan ke operator SIKS-NG desa."),
        ),
        questions=("since_when", "ewarong_agent"),
        todo=N_("Periksa apakah keluarga masih di daftar bayar (SP2D): jika ya, laporkan ke Korda/Tikoor; jika tidak, arahkan ke operator SIKS-NG desa."),
    ),
    Category(
        "aid_not_received", N_("Bantuan bulan ini belum diterima"),
        ("belum cair", "belum masuk", "belum terima", "belum dapat", "tidak dapat", "belum diterima", "tidak cair"), "tksk",
        (N_("{helper} akan memeriksa jadwal penyaluran dan data Anda, lalu mengabari Anda."),),
        questions=("program",),
        todo=N_("Periksa jadwal penyaluran dan data keluarga, lalu kabari keluarga."),
    ),
    Category(
        "not_listed", N_("Nama tidak terdaftar atau data salah"),
        ("tidak terdaftar", "tdk terdaftar", "data salah", "nama salah", "nik salah", "salah nama", "salah data"), "operator",
        (N_("{helper} akan memeriksa dan memperbaiki data Anda di DTKS."),),
        questions=("what_is_wrong",),
        todo=N_("Periksa data keluarga di DTKS/SIKS-NG dan perbaiki bila perlu."),
    ),
    Category(
        "deceased", N_("Penerima bantuan meninggal dunia"), ("meninggal", "wafat", "almarhum", "almarhumah", "meniggal"), "tksk",
        (
            N_("Jika tidak ada anggota keluarga lain di Kartu Keluarga, pemerintah desa menarik kartu dan membuat surat kematian."),
            N_("{helper} akan membantu mengurus penggantian penerima jika masih ada anggota keluarga."),
        ),
        questions=("deceased_name", "family_left"),
        todo=N_("Hubungi pemerintah desa: tarik kartu dan buat surat kematian bila tidak ada keluarga lain di KK."),
    ),
    Category(
        "needs_delivery", N_("Sakit atau lansia, bantuan perlu diantar"),
        ("sakit", "lansia", "jompo", "tidak bisa datang", "antar", "diantar", "odgj", "lumpuh", "stroke"), "tksk",
        (N_("{helper}, pemerintah desa, dan agen e-Warong akan mengatur pengantaran bantuan ke rumah."),),
        questions=("who_needs",),
        todo=N_("Atur pengantaran bantuan bersama desa dan agen e-Warong."),
    ),
    Category(
        "ewarong", N_("Keluhan e-Warong"),
        ("warung", "ewarong", "e warong", "e warung", "agen", "beras", "telur", "busuk", "kurang", "mahal", "harga", "basi", "apek"),
        "tksk",
        (N_("{helper} akan memeriksa e-Warong itu dan menindaklanjuti dengan pihak terkait."),),
        questions=("ewarong_agent", "ewarong_problem"),
        todo=N_("Periksa e-Warong itu (6 T) dan tindak lanjuti dengan agen dan pihak terkait."),
    ),
    Category(
        "other", N_("Masalah lain"), ("lain", "lainnya"), "tksk",
        (N_("{helper} akan membaca laporan Anda dan menghubungi Anda."),),
        questions=("story",),
        todo=N_("Baca laporan dan hubungi keluarga."),
    ),
)  # fmt: skip

BY_CODE = {category.code: category for category in CATEGORIES}

# The 6 T an e-Warong must keep (tepat sasaran, jumlah, harga, mutu, waktu, administrasi)
EWARONG_PROBLEMS = (
    ("quantity", N_("Jumlah kurang"), ("kurang", "sedikit", "tidak cukup")),
    ("price", N_("Harga di atas HET"), ("mahal", "harga", "het")),
    ("quality", N_("Mutu jelek (busuk, rusak)"), ("busuk", "rusak", "jelek", "basi", "apek", "kutu")),
    ("timing", N_("Waktu tidak sesuai jadwal"), ("telat", "terlambat", "jadwal", "waktu")),
    ("recipient", N_("Diberikan ke orang yang salah"), ("salah orang", "orang lain", "sasaran")),
    ("records", N_("Catatan tidak ada atau lainnya"), ("catatan", "struk", "bukti", "lainnya")),
)


def guess(text: str) -> Category | None:
    """The category free text points to ("kartu saya ilang" → KKS lost), or None when it names no problem
    or is unclear. Reads the whole message (``conversations.understand.classify``)."""
    best = classify(text).best
    return BY_CODE.get(best) if best else None


def guess_ewarong_problems(text: str) -> tuple[str, ...]:
    """Every one of the 6 T a message names, in the order named: "berasnya apek trus telurnya mahal" →
    ``("quality", "price")``; ``()`` when it names none."""
    return classify(text).ewarong_problems


def guess_ewarong_problem(text: str) -> str:
    """The first of the 6 T a message names, or ``""`` (see ``guess_ewarong_problems``)."""
    problems = guess_ewarong_problems(text)
    return problems[0] if problems else ""


def route_of(category: Category, answers: Mapping[str, str]) -> str:
    """Who handles it: aid not received under PKH goes to the PKH facilitator, the rest per category."""
    if category.code == "aid_not_received" and answers.get("program") == "pkh":
        return "pkh"
    return category.route
