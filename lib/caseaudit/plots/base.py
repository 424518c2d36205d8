"""What every chart shares: its size on the page, its palette, its text alternative.

A chart is drawn at the size it is shown. A figure's size in inches times :data:`CSS_DPI` is its
size on the page in CSS pixels, and :func:`chart_png` renders :data:`PIXEL_RATIO` times as many
pixels, so a page that sets the image's width and height to that size shows it sharp on a
high-density screen and never stretched or blurred by the browser.

One colour-blind-safe palette serves every chart (Okabe and Ito's, "Color universal design",
2008): good or better is the same blue on every chart, and its heatmap is a ramp of that one hue,
which reads the same to every kind of colour vision and in greyscale. Colour is never the only
carrier of a figure: bars and cells carry their numbers as text, and every chart comes with a
sentence and a table that state its figures (:class:`Chart`).
"""

from __future__ import annotations

import io
import struct
import textwrap
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure

#: CSS pixels per inch of a figure: the size a chart is shown at.
CSS_DPI = 96
#: PNG pixels per CSS pixel, for screens of twice the density (most laptops and phones now).
PIXEL_RATIO = 2

#: Okabe and Ito's colour-blind-safe palette, in the order a chart with several series uses it.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: Good or better, on every chart.
GOOD = OKABE_ITO[0]
#: Intervals, reference lines and notes: dark enough to read on white (contrast above 7:1).
INK = "#333333"
MUTED = "#555555"
#: Cells with no figure (suppressed or nothing graded): a neutral grey, never a share's colour.
NO_FIGURE = "#E6E6E6"
#: The heatmap's ramp: from almost white (0%) to the good-or-better blue and darker (100%).
HEAT = LinearSegmentedColormap.from_list("caseaudit_good", ["#F3F8FC", GOOD, "#003A5C"])
#: The type sizes, in points, every chart uses (at :data:`CSS_DPI`, 9 pt is 12 CSS pixels).
TICK_PT, TITLE_PT = 9, 11.5


@dataclass(frozen=True)
class Chart:
    """A chart with what a reader who cannot see it needs: ``alt``, one or two sentences saying
    what it shows with its main figures; ``figures``, every figure it draws as board text (a
    table for its description); ``note``, what it leaves out and why ("" when it draws all)."""

    figure: Figure
    alt: str
    figures: pd.DataFrame = field(default_factory=pd.DataFrame)
    note: str = ""


def figure_png(fig: Figure, dpi: float = 110) -> bytes:
    """The figure as PNG bytes, with no timestamp or software metadata (stable across runs)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    return struct.unpack(">II", png[16:24])


def chart_png(fig: Figure) -> tuple[bytes, int, int]:
    """The figure as PNG bytes for a page, with the width and height (CSS pixels) to show it at:
    the PNG has :data:`PIXEL_RATIO` pixels for each of them."""
    png = figure_png(fig, dpi=CSS_DPI * PIXEL_RATIO)
    width, height = png_size(png)
    return png, round(width / PIXEL_RATIO), round(height / PIXEL_RATIO)


def new_figure(width_px: float, height_px: float) -> tuple[Figure, Axes]:
    """A figure of ``width_px`` × ``height_px`` CSS pixels with one set of axes."""
    fig = Figure(figsize=(width_px / CSS_DPI, height_px / CSS_DPI), layout="constrained")
    return fig, fig.subplots()


def finish(fig: Figure, ax: Axes, title: str, despine: dict[str, bool] | None) -> Figure:
    """The chart's title, top left of the figure and wrapped to its width (a title says what the
    reader should see, so it is often a long sentence), and its frame trimmed (``despine``:
    seaborn's options; ``None`` keeps the frame, as a heatmap needs)."""
    if title:
        chars = int(fig.get_figwidth() * 72 / (TITLE_PT * 0.56))  # a character is about 0.56 em
        fig.suptitle(textwrap.fill(title, chars), x=0.01, ha="left", fontsize=TITLE_PT)
    if despine is not None:
        sns.despine(fig=fig, **despine)
    return fig


def text_on(colour: object) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG's relative luminance)."""
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    # the luminance where black and white have the same contrast: sqrt(1.05 * 0.05) - 0.05
    return "#000000" if luminance > 0.179 else "#FFFFFF"


def percent(share: float) -> str:
    return f"{share:.0%}"


def range_sentence(labels: pd.Series, values: pd.Series, write=percent) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """The lowest and highest of ``values`` with their labels, as text (``None`` when no value
    is shown): what a title or an alternative text says first."""
    shown = values.notna().to_numpy()
    if not shown.any():
        return None
    vals = values.to_numpy(dtype=float)
    low = int(np.nanargmin(np.where(shown, vals, np.nan)))
    high = int(np.nanargmax(np.where(shown, vals, np.nan)))
    return (f"{write(vals[low])} ({labels.iloc[low]})", f"{write(vals[high])} ({labels.iloc[high]})")


def spread_words(spread: tuple[str, str]) -> str:
    """``from A to B`` of :func:`range_sentence`, or ``A, the only one shown``."""
    low, high = spread
    return f"{low}, the only one shown" if low == high else f"from {low} to {high}"


def share_bars(ax: Axes, rows: pd.DataFrame) -> np.ndarray:
    """Each row's ``share`` as a horizontal bar with its Wilson interval (``ci_low``,
    ``ci_high``) as a whisker, nothing drawn where ``state`` is not "shown" (disclosure blanked
    it); returns the bars' positions, for the labels each chart writes beside them."""
    y = np.arange(len(rows))
    share = rows["share"].to_numpy(dtype=float) * 100
    ax.barh(y, np.nan_to_num(share), color=GOOD, height=0.7)
    shown = (rows["state"] == "shown").to_numpy()
    ax.errorbar(share[shown], y[shown],
                xerr=[share[shown] - rows["ci_low"].to_numpy(dtype=float)[shown] * 100,
                      rows["ci_high"].to_numpy(dtype=float)[shown] * 100 - share[shown]],
                fmt="none", ecolor=INK, elinewidth=1, capsize=3)
    return y
