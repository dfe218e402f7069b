"""The digest's chart: cases opened (stacked by category) and closed per week over the last eight weeks, as PNG."""

from __future__ import annotations

import io
from collections import Counter
from typing import TYPE_CHECKING, Any

from app.digest import labels
from app.digest.weeks import Week
from conversations.types import Translate

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn: loading it would add 0.8 s to every start
    from matplotlib.figure import Figure

SHOWN_CATEGORIES = 5
HEADROOM = 1.08
PAD_INCHES = 0.15
COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6a6a6")


def chart_png(figures: dict[str, Any], t: Translate, locale: str) -> bytes:
    buffer = io.BytesIO()
    chart_figure(figures, t, locale).savefig(buffer, format="png", bbox_inches="tight", pad_inches=PAD_INCHES)  # keeps every label
    return buffer.getvalue()


def chart_figure(figures: dict[str, Any], t: Translate, locale: str) -> Figure:
    """The chart, laid out but not saved. The y-axis starts at 0 and reaches at least 1, so a week with nothing shows
    as 0 (not a line in the middle of −0.04…0.04); the legend sits under the chart, inside the figure."""
    weeks = figures["weeks"]
    totals: Counter[str] = Counter()
    for week in weeks:
        totals.update(week["opened"])
    shown = [code for code, _count in totals.most_common(SHOWN_CATEGORIES)]
    x_labels = [labels.short_day(Week.parse(week["week"]).monday, locale).split(" ", 1)[1] for week in weeks]
    from matplotlib.figure import Figure  # a bare Figure draws with Agg: no display, no pyplot
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(8, 5.2), dpi=100)
    axes = figure.subplots()
    bottom = [0] * len(weeks)
    series = [(labels.category(code, t), [w["opened"].get(code, 0) for w in weeks]) for code in shown]
    others = [sum(n for code, n in w["opened"].items() if code not in shown) for w in weeks]
    if any(others):
        series.append((t("Lainnya"), others))
    for (name, counts), colour in zip(series, COLOURS, strict=False):
        axes.bar(x_labels, counts, bottom=bottom, label=name[:40], color=colour)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    closed = [w["closed"] for w in weeks]
    axes.plot(x_labels, closed, color="black", marker="o", label=t("Ditutup"), clip_on=False)  # a 0 sits on the axis
    axes.set_ylim(0, max(1, *bottom, *closed) * HEADROOM)
    axes.set_title(t("Kasus dibuka dan ditutup per minggu: {area}", area=figures["area_name"]), fontsize=11)
    axes.set_ylabel(t("Jumlah kasus"))
    axes.set_xlabel(t("Minggu mulai"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole cases only
    # Under the chart, where it covers no bar: up to seven entries in three rows, inside the fixed bottom margin
    figure.legend(*axes.get_legend_handles_labels(), fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 0.01), ncols=3, frameon=False)
    figure.subplots_adjust(left=0.1, right=0.97, top=0.93, bottom=0.27)  # fixed margins: tight_layout costs a third
    return figure


def chart_description(figures: dict[str, Any], t: Translate, locale: str) -> str:
    """What the chart shows, in words: the alt text of the image for whoever cannot see it, and its figures in order
    (the same the bars and the line show), with the most frequent problems."""
    weeks = figures["weeks"]
    if not weeks:
        return t("Grafik kasus per minggu di {area}: belum ada angka.", area=figures["area_name"])
    opened = [sum(week["opened"].values()) for week in weeks]
    closed = [week["closed"] for week in weeks]
    totals: Counter[str] = Counter()
    for week in weeks:
        totals.update(week["opened"])
    first, last = (labels.short_day(Week.parse(week["week"]).monday, locale).split(" ", 1)[1] for week in (weeks[0], weeks[-1]))
    text = t(
        "Grafik batang kasus dibuka dan garis kasus ditutup per minggu di {area}, {count} minggu dari minggu mulai {first} "
        "sampai minggu mulai {last}. Dibuka: {opened} (jumlah {opened_total}). Ditutup: {closed} (jumlah {closed_total}).",
        area=figures["area_name"], count=len(weeks), first=first, last=last, opened=", ".join(map(str, opened)),
        opened_total=sum(opened), closed=", ".join(map(str, closed)), closed_total=sum(closed),
    )  # fmt: skip
    if totals:
        top = ", ".join(f"{labels.category(code, t)} {count}" for code, count in totals.most_common(SHOWN_CATEGORIES))
        text += " " + t("Masalah terbanyak: {top}.", top=top)
    return text
