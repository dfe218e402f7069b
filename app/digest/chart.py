"""The digest's chart: cases opened (stacked by category) and closed per week over the last eight weeks, as PNG."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: draw to files only

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend

from app.digest import labels  # noqa: E402
from app.digest.weeks import Week  # noqa: E402
from conversations.types import Translate  # noqa: E402

SHOWN_CATEGORIES = 5
COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6a6a6")


def chart_png(figures: dict[str, Any], t: Translate, locale: str) -> bytes:
    weeks = figures["weeks"]
    totals: Counter[str] = Counter()
    for week in weeks:
        totals.update(week["opened"])
    shown = [code for code, _count in totals.most_common(SHOWN_CATEGORIES)]
    x_labels = [labels.short_day(Week.parse(week["week"]).monday, locale).split(" ", 1)[1] for week in weeks]
    figure = Figure(figsize=(8, 4.5), dpi=100)
    axes = figure.subplots()
    bottom = [0] * len(weeks)
    series = [(labels.category(code, t), [w["opened"].get(code, 0) for w in weeks]) for code in shown]
    others = [sum(n for code, n in w["opened"].items() if code not in shown) for w in weeks]
    if any(others):
        series.append((t("Lainnya"), others))
    for (name, counts), colour in zip(series, COLOURS, strict=False):
        axes.bar(x_labels, counts, bottom=bottom, label=name[:40], color=colour)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.plot(x_labels, [w["closed"] for w in weeks], color="black", marker="o", label=t("Ditutup"))
    axes.set_title(t("Kasus dibuka dan ditutup per minggu: {area}", area=figures["area_name"]), fontsize=11)
    axes.set_ylabel(t("Jumlah kasus"))
    axes.set_xlabel(t("Minggu mulai"))
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(fontsize=8, loc="upper left", frameon=False)
    figure.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.13)  # fixed margins: tight_layout costs a third
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
