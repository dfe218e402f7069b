"""Filtering rows to an area and everything inside it, in a way both databases answer from an index."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_

VILLAGE_DOTS = 3  # 32.73.07.1001: nothing lies inside a village


def within(column: Any, code: str) -> ColumnElement[bool]:
    """``area_code`` is ``code`` or inside it: ``"35.17.18"`` matches ``"35.17.18"`` and ``"35.17.18.2001"``.

    A village is an equality; a larger area a range (codes have fixed-width parts, and ``'/'`` follows ``'.'``),
    not ``LIKE`` or ``OR``, so an index on the column (with a second column) serves it.
    """
    if code.count(".") >= VILLAGE_DOTS:
        return column == code
    return and_(column >= code, column < code + "/")
