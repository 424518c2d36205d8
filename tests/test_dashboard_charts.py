"""The board's charts: drawn at the size they are shown, one palette, a text alternative stating
their figures, and nothing hidden drawn or written. On frames written by hand."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from caseaudit import plots
from caseaudit.plots.base import HEAT, text_on
from caseaudit.stats import wilson_intervals
from caseaudit.ui.charts import chart_html


def _shares(rows: list[tuple[str, int, int]], **extra: object) -> pd.DataFrame:
    """Good-or-better rows (criterion id, n, good) with shares and Wilson intervals."""
    table = pd.DataFrame(rows, columns=["criterion_id", "n", "good"])
    table["criterion"] = "Title of " + table["criterion_id"]
    low, high = wilson_intervals(table["good"].to_numpy(), table["n"].to_numpy())
    share = np.divide(table["good"], table["n"], out=np.full(len(table), np.nan),
                      where=table["n"].to_numpy() > 0)
    return table.assign(share=share, ci_low=low, ci_high=high, not_applicable=0, **extra)


def test_a_chart_is_drawn_at_twice_the_pixels_of_the_size_the_page_shows() -> None:
    chart = plots.good_or_better_chart(_shares([("1.1", 40, 20), ("1.2", 30, 9)]))
    png, width, height = plots.chart_png(chart.figure)
    assert plots.png_size(png) == (width * plots.PIXEL_RATIO, height * plots.PIXEL_RATIO)
    assert (width, height) == (round(chart.figure.get_figwidth() * plots.CSS_DPI),
                               round(chart.figure.get_figheight() * plots.CSS_DPI))
    page = chart_html(chart, "bars")
    assert f'width="{width}" height="{height}"' in page
    described = re.search(r'aria-describedby="([^"]+)"', page).group(1)
    assert f'<details id="{described}">' in page  # the table that describes the chart


def test_the_bars_say_their_figures_and_leave_out_what_is_hidden() -> None:
    table = _shares([("1.1", 40, 20), ("1.2", 30, 3), ("1.3", 0, 0)])
    chart = plots.good_or_better_chart(table)
    # the title says what to see; the alt text gives the figures shown, never the hidden one
    title = chart.figure.texts[0].get_text()
    assert "50%" in title and "criterion 1.1" in title
    assert "50% (criterion 1.1)" in chart.alt and "10%" not in chart.alt
    assert "1 bar is not drawn" in chart.note and "1 bar has nothing graded" in chart.note
    assert chart.figures["Good or better"].tolist() == ["50%", "c", ":"]
    bars = [p.get_width() for p in chart.figure.axes[0].patches]
    assert bars[0] == pytest.approx(50) and all(np.isnan(b) or b == 0 for b in bars[1:])
    assert all(p.get_facecolor()[:3] == pytest.approx(tuple(int(plots.GOOD[i:i + 2], 16) / 255
                                                            for i in (1, 3, 5)))
               for p in chart.figure.axes[0].patches[:1])  # the palette's good-or-better blue


def test_the_heatmap_writes_share_and_n_in_each_cell_and_c_or_colon_as_text() -> None:
    cells = pd.concat([_shares([("1.1", 20, 10), ("1.2", 20, 2)], agency="CSC"),
                       _shares([("1.1", 0, 0), ("1.2", 18, 9)], agency="Pol")], ignore_index=True)
    chart = plots.agency_heatmap_chart(cells, ["CSC", "Pol"])
    drawn = [t.get_text() for t in chart.figure.axes[0].texts]
    assert drawn == ["50%\nn=20", ":", "c\nn=20", "50%\nn=18"]
    assert chart.figures.to_numpy().tolist() == [["1.1 Title of 1.1", "50% n=20", ":"],
                                                 ["1.2 Title of 1.2", "c n=20", "50% n=18"]]
    assert "not drawn (c" in chart.note and "nothing graded (:)" in chart.note


def test_cell_text_reads_on_its_colour() -> None:
    assert text_on(HEAT(0.0)) == "#000000"  # dark text on the palest blue
    assert text_on(HEAT(1.0)) == "#FFFFFF"  # white on the darkest


def test_a_chart_with_nothing_to_show_still_says_what_it_is() -> None:
    chart = plots.good_or_better_chart(_shares([("1.1", 4, 2), ("1.2", 3, 1)]))
    assert "too few" in chart.figure.texts[0].get_text()
    assert "no share can be shown" in chart.alt and "2 bars are not drawn" in chart.note
