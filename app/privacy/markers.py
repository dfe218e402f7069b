"""What a blanked JSON column holds instead of a message, so the row still counts and shows why it is empty."""

from __future__ import annotations

RETENTION_MARKER = {"erased": "retention"}
"""Blanked because it was older than ``KAWAL_RETENTION_DAYS`` (``app.privacy.retention``)."""
ERASURE_MARKER = {"erased": "erasure"}
"""Blanked because the person asked for their data to be erased (``app.privacy.erase``)."""
