"""The words that work anywhere, before any flow, and the help text that lists them."""

from __future__ import annotations

from conversations.types import Context, Reply

MENU_WORDS = ("menu", "menu utama", "main menu", "kembali")
CANCEL_WORDS = ("batal", "batalkan", "cancel")
HELP_WORDS = ("bantuan", "help", "tolong", "info")
LANGUAGE_WORDS = ("bahasa", "language", "ganti bahasa", "change language")
ENGLISH_WORDS = ("english", "inggris", "bahasa inggris")
INDONESIAN_WORDS = ("indonesia", "bahasa indonesia", "indonesian")
STOP_WORDS = ("stop", "berhenti", "unsubscribe")
START_WORDS = ("mulai", "start")
STATUS_WORDS = ("status", "cek status", "status laporan", "cek laporan", "status laporan saya")
CASES_WORDS = ("kasus saya", "status kasus", "cek kasus")
"""A companion's STATUS: their open cases."""
AREA_WORDS = ("ganti desa", "ganti kelurahan", "ganti alamat", "pindah desa", "salah desa", "change village")


def help_reply(ctx: Context) -> Reply:
    return Reply(
        ctx.t(
            "Kata yang bisa dipakai kapan saja:\n"
            "MENU - menu utama\n"
            "STATUS - kabar laporan Anda\n"
            "BATAL - batalkan yang sedang diisi\n"
            "BAHASA - ganti bahasa\n"
            "BERHENTI - berhenti menerima pengingat\n"
            "MULAI - terima pengingat lagi\n"
            "Laporan Anda tetap bisa dikirim kapan saja."
        )
    )
