"""The roles people hold, by the names they know them by."""

from __future__ import annotations

N_ = str

ROLE_NAMES = {
    "psm": N_("PSM (Pekerja Sosial Masyarakat)"),
    "tksk": N_("TKSK (Tenaga Kesejahteraan Sosial Kecamatan)"),
    "pkh": N_("Pendamping PKH"),
    "operator": N_("Operator kelurahan"),
    "admin": N_("admin"),
}

SHORT_ROLE_NAMES = {
    "psm": N_("PSM"),
    "tksk": N_("TKSK"),
    "pkh": N_("pendamping PKH"),
    "operator": N_("operator"),
    "admin": N_("admin Dinas Sosial"),
}
"""As a household reads them after a name: "Bu Yuni, operator Desa Bandarkedungmulyo"."""
