"""The digest's chart: cases opened (stacked by category) and closed per week over the last eight weeks, as PNG.

Drawn with Pillow on a fixed layout: a few milliseconds a chart, where matplotlib took 100–200 ms, which
alone kept the Monday run of a regency's 306 villages over its 30 s. ``chart_data`` says what is shown,
``draw_chart`` lays it out (and says where each text went), ``chart_png`` is the file sent.
"""

from __future__ import annotations

import importlib.util
import io
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from app.digest import labels
from app.digest.weeks import Week
from conversations.types import Translate

SHOWN_CATEGORIES = 5
HEADROOM = 1.08
COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6a6a6")
LEGEND_LABEL = 40  # characters of a category name in the legend

WIDTH, HEIGHT = 800, 520
SCALE = 2  # drawn at twice the size and reduced: smooth lines and text
LEFT, RIGHT, TOP, BOTTOM = 80, 776, 38, 396  # the plot area; the fixed margins hold every label
MARGIN = 8  # between the outermost text and the image's edge
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, LEGEND_SIZE = 15, 14, 13, 11  # pixels (11, 10, 10 and 8 pt at 100 dpi)
BAR_WIDTH = 0.8  # of a week's slot
MAX_TICKS = 10
TICK_STEPS = (1, 2, 2.5, 5)  # times a power of ten; whole cases only
INK, WHITE = "#000000", "#ffffff"
LEGEND_COLUMNS = (3, 2)

Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels of the finished image


@dataclass(frozen=True)
class Series:
    name: str
    counts: list[int]
    colour: str


@dataclass(frozen=True)
class ChartData:
    """What the chart shows, before any pixel: titles, weeks, bars, the closed line and the y-axis."""

    title: str
    x_label: str
    y_label: str
    weeks: list[str]
    bars: list[Series]
    closed: list[int]
    closed_label: str
    y_top: float
    y_ticks: list[int]


@dataclass(frozen=True)
class DrawnChart:
    image: Image.Image
    texts: dict[str, Box]  # each text drawn and where


def chart_png(figures: dict[str, Any], t: Translate, locale: str) -> bytes:
    buffer = io.BytesIO()
    draw_chart(chart_data(figures, t, locale)).image.save(buffer, format="PNG", compress_level=1)  # a third of the time of level 6, a sixth larger
    return buffer.getvalue()


def chart_data(figures: dict[str, Any], t: Translate, locale: str) -> ChartData:
    """The y-axis starts at 0 and reaches at least 1, so a week with nothing shows as 0; the five most frequent
    categories get their own colour, the rest are stacked together as "Lainnya"."""
    weeks = figures["weeks"]
    totals: Counter[str] = Counter()
    for week in weeks:
        totals.update(week["opened"])
    shown = [code for code, _count in totals.most_common(SHOWN_CATEGORIES)]
    series = [(labels.category(code, t), [w["opened"].get(code, 0) for w in weeks]) for code in shown]
    others = [sum(n for code, n in w["opened"].items() if code not in shown) for w in weeks]
    if any(others):
        series.append((t("Lainnya"), others))
    stacked = [sum(w["opened"].values()) for w in weeks]
    closed = [w["closed"] for w in weeks]
    top = max(1, *stacked, *closed) * HEADROOM
    return ChartData(
        title=t("Kasus dibuka dan ditutup per minggu: {area}", area=figures["area_name"]),
        x_label=t("Minggu mulai"), y_label=t("Jumlah kasus"),
        weeks=[labels.short_day(Week.parse(week["week"]).monday, locale).split(" ", 1)[1] for week in weeks],
        bars=[Series(name[:LEGEND_LABEL], counts, colour) for (name, counts), colour in zip(series, COLOURS, strict=False)],
        closed=closed, closed_label=t("Ditutup"), y_top=top, y_ticks=y_ticks(top),
    )  # fmt: skip


def y_ticks(top: float) -> list[int]:
    """Whole numbers from 0 up to ``top``, at most ``MAX_TICKS`` steps of 1, 2, 2.5 or 5 times a power of ten."""
    steps = (m * 10**power for power in range(12) for m in TICK_STEPS)
    step = next(int(s) for s in steps if s == int(s) and top / s <= MAX_TICKS)
    return list(range(0, math.floor(top) + 1, step))


def draw_chart(chart: ChartData) -> DrawnChart:
    canvas = _Canvas()
    slots = max(1, len(chart.weeks))
    slot = (RIGHT - LEFT) / slots

    def y_of(value: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * value / chart.y_top

    def x_of(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    bottoms = [0] * len(chart.weeks)
    for series in chart.bars:
        for index, count in enumerate(series.counts):
            if count:
                half = slot * BAR_WIDTH / 2
                canvas.rectangle((x_of(index) - half, y_of(bottoms[index] + count), x_of(index) + half, y_of(bottoms[index])), series.colour)
            bottoms[index] += count
    points = [(x_of(index), y_of(count)) for index, count in enumerate(chart.closed)]
    canvas.line(points, INK, width=1.5)
    for point in points:
        canvas.dot(point, 3.5, INK)
    canvas.frame((LEFT, TOP, RIGHT, BOTTOM))
    for tick in chart.y_ticks:
        canvas.line([(LEFT - 4, y_of(tick)), (LEFT, y_of(tick))], INK, width=1)
        canvas.text(f"tick:y:{tick}", str(tick), (LEFT - 7, y_of(tick)), TICK_SIZE, anchor="rm")
    widest_tick = max((_font(TICK_SIZE).getlength(str(tick)) for tick in chart.y_ticks), default=0)
    for index, week in enumerate(chart.weeks):
        canvas.line([(x_of(index), BOTTOM), (x_of(index), BOTTOM + 4)], INK, width=1)
        canvas.text(f"tick:x:{index}", week, (x_of(index), BOTTOM + 7), TICK_SIZE, anchor="mt")
    title, size = _fitting(chart.title, TITLE_SIZE)
    canvas.text("title", title, (WIDTH / 2, TOP - 8), size, anchor="ms")
    canvas.text("x_label", chart.x_label, ((LEFT + RIGHT) / 2, BOTTOM + 27), LABEL_SIZE, anchor="mt")
    canvas.vertical_text("y_label", chart.y_label, (max(MARGIN + LABEL_SIZE + 2, LEFT - 7 - widest_tick - 8), (TOP + BOTTOM) / 2), LABEL_SIZE)
    _legend(canvas, chart, top=BOTTOM + 60)
    return DrawnChart(canvas.finished(), canvas.texts)


def _legend(canvas: _Canvas, chart: ChartData, *, top: float) -> None:
    """Under the chart, where it covers no bar: the closed line first, then the bars, in rows of three (two when
    the names are long), centred."""
    entries = [("line", chart.closed_label, INK), *(("bar", s.name, s.colour) for s in chart.bars)]
    key, gap, row_height = 22, 24, 17
    widths = [key + 6 + _font(LEGEND_SIZE).getlength(name) for _kind, name, _colour in entries]
    column_widths = _columns(widths, gap)
    columns = len(column_widths)
    left = (WIDTH - sum(column_widths) - gap * (columns - 1)) / 2
    for index, (kind, name, colour) in enumerate(entries):
        row, column = divmod(index, columns)
        x = left + sum(column_widths[:column]) + gap * column
        y = top + row * row_height
        if kind == "line":
            canvas.line([(x, y), (x + key, y)], colour, width=1.5)
            canvas.dot((x + key / 2, y), 3.5, colour)
        else:
            canvas.rectangle((x, y - 5, x + key, y + 5), colour)
        canvas.text(f"legend:{index}", name, (x + key + 6, y), LEGEND_SIZE, anchor="lm")


def _columns(widths: list[float], gap: float) -> list[float]:
    """The widths of the legend's columns: three when they fit across the image, else two."""
    *wider, narrowest = LEGEND_COLUMNS
    for columns in wider:
        column_widths = [max(widths[i::columns], default=0) for i in range(columns)]
        if sum(column_widths) + gap * (columns - 1) <= WIDTH - 2 * MARGIN:
            return column_widths
    return [max(widths[i::narrowest], default=0) for i in range(narrowest)]  # names cut to LEGEND_LABEL: two always fit


def _fitting(text: str, size: int) -> tuple[str, int]:
    """The title and its size: smaller for a long area name, and cut short (…) past the smallest, so it stays
    within the image."""
    room = WIDTH - 2 * MARGIN
    while size > LEGEND_SIZE and _font(size).getlength(text) > room:
        size -= 1
    while _font(size).getlength(text) > room:
        text = text[:-2] + "…"
    return text, size


class _Canvas:
    """A white image drawn at ``SCALE`` times the size, in the coordinates of the finished one."""

    def __init__(self) -> None:
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.texts: dict[str, Box] = {}

    def rectangle(self, box: Box, colour: str) -> None:
        left, top, right, bottom = (round(v) * SCALE for v in box)  # on whole pixels: no pale seams between bars
        if right > left and bottom > top:  # a count too small to show at this scale is left out
            self.draw.rectangle((left, top, right - 1, bottom - 1), fill=colour)

    def frame(self, box: Box) -> None:
        self.draw.rectangle(tuple(round(v * SCALE) for v in box), outline=INK, width=SCALE)

    def line(self, points: list[tuple[float, float]], colour: str, *, width: float) -> None:
        self.draw.line([(x * SCALE, y * SCALE) for x, y in points], fill=colour, width=round(width * SCALE), joint="curve")

    def dot(self, centre: tuple[float, float], radius: float, colour: str) -> None:
        x, y = centre
        self.draw.ellipse(tuple(v * SCALE for v in (x - radius, y - radius, x + radius, y + radius)), fill=colour)

    def text(self, name: str, text: str, at: tuple[float, float], size: int, *, anchor: str) -> None:
        position = (at[0] * SCALE, at[1] * SCALE)
        font = _font(size * SCALE)
        self.draw.text(position, text, fill=INK, font=font, anchor=anchor)
        self.texts[name] = tuple(v / SCALE for v in self.draw.textbbox(position, text, font=font, anchor=anchor))  # type: ignore[assignment]

    def vertical_text(self, name: str, text: str, at: tuple[float, float], size: int) -> None:
        """Text read from bottom to top, its right edge at ``at[0]``, centred on ``at[1]``."""
        font = _font(size * SCALE)
        left, top, right, bottom = font.getbbox(text)
        label = Image.new("L", (math.ceil(right - left), math.ceil(bottom - top)), 0)
        ImageDraw.Draw(label).text((-left, -top), text, fill=255, font=font)
        label = label.rotate(90, expand=True)
        x, y = round(at[0] * SCALE - label.width), round(at[1] * SCALE - label.height / 2)
        self.image.paste(Image.new("RGB", label.size, INK), (x, y), label)
        self.texts[name] = (x / SCALE, y / SCALE, (x + label.width) / SCALE, (y + label.height) / SCALE)

    def finished(self) -> Image.Image:
        return self.image.reduce(SCALE)


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans, the font the charts have always had (matplotlib ships it; found without importing it)."""
    return ImageFont.truetype(str(_dejavu()), size)


@lru_cache(maxsize=1)
def _dejavu() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.origin is not None, "matplotlib (which ships DejaVu Sans) is not installed"
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


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
