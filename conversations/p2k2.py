"""P2K2 (Family Development Session) modules and their sessions, as data.

The facilitator picks a module and a session when scheduling a meeting. Codes are
stored; labels are translated when shown. Source: the P2K2 modules of the
Kementerian Sosial (seed ``003``: economy, health, education, child protection,
welfare of the elderly and severely disabled).
"""

from __future__ import annotations

from dataclasses import dataclass

N_ = str  # marks a label for extraction; it is translated when shown


@dataclass(frozen=True)
class P2k2Session:
    code: str
    label: str


@dataclass(frozen=True)
class Module:
    code: str
    label: str
    words: tuple[str, ...]
    sessions: tuple[P2k2Session, ...]


MODULES = (
    Module("economy", N_("Ekonomi: keuangan dan usaha"), ("ekonomi", "keuangan", "usaha", "economy"), (
        P2k2Session("finances", N_("Mengelola keuangan keluarga")),
        P2k2Session("borrow_save", N_("Cermat meminjam dan menabung")),
        P2k2Session("business", N_("Memulai usaha")),
    )),
    Module("health", N_("Kesehatan dan gizi"), ("kesehatan", "gizi", "sehat", "health"), (
        P2k2Session("pregnancy", N_("Gizi ibu hamil")),
        P2k2Session("infants", N_("Gizi dan layanan ibu menyusui dan balita")),
        P2k2Session("sanitation", N_("Kesakitan anak dan kesehatan lingkungan")),
    )),
    Module("parenting", N_("Pengasuhan dan pendidikan anak"), ("pendidikan", "pengasuhan", "sekolah", "anak", "education"), (
        P2k2Session("better_parents", N_("Menjadi orang tua yang lebih baik")),
        P2k2Session("behaviour", N_("Memahami perilaku anak")),
        P2k2Session("early_learning", N_("Cara anak usia dini belajar")),
        P2k2Session("school", N_("Membantu anak sukses di sekolah")),
    )),
    Module("protection", N_("Perlindungan anak"), ("perlindungan", "perlindungan anak", "kekerasan", "protection"), (
        P2k2Session("violence", N_("Mencegah kekerasan dan perlakuan salah pada anak")),
        P2k2Session("neglect", N_("Mencegah penelantaran dan eksploitasi anak")),
    )),
    Module("welfare", N_("Kesejahteraan lansia dan disabilitas berat"), ("lansia", "disabilitas", "kesejahteraan", "welfare"), (
        P2k2Session("disability", N_("Layanan bagi penyandang disabilitas berat")),
        P2k2Session("elderly", N_("Layanan bagi lanjut usia")),
    )),
)  # fmt: skip
BY_CODE = {module.code: module for module in MODULES}


def session_label(module_code: str, session_code: str) -> tuple[str, str]:
    """The (module, session) labels for stored codes, untranslated; unknown codes come back as they are."""
    module = BY_CODE.get(module_code)
    if module is None:
        return module_code, session_code
    session = next((s for s in module.sessions if s.code == session_code), None)
    return module.label, session.label if session else session_code
