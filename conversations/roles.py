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
