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
    assert chart.note.startswith("Not drawn: 1 bar marked c") and "1 bar marked :" in chart.note
    assert chart.figures["Good or better"].tolist() == ["50%", "c", ":"]
    bars = [p.get_width() for p in chart.figure.axes[0].patches]
    assert bars[0] == pytest.approx(50) and all(np.isnan(b) or b == 0 for b in bars[1:])
    good = tuple(int(plots.GOOD[i:i + 2], 16) / 255 for i in (1, 3, 5))
    assert chart.figure.axes[0].patches[0].get_facecolor()[:3] == pytest.approx(good)


def test_a_chart_whose_last_rows_are_hidden_still_names_every_row() -> None:
    # 1.3 rests on 3 judgements and 1.4 on none: neither has a bar, but both keep their row
    table = _shares([("1.1", 40, 20), ("1.2", 30, 15), ("1.3", 3, 1), ("1.4", 0, 0)])
    chart = plots.good_or_better_chart(table)
    ax = chart.figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{c} Title of {c}" for c in
                                                            ("1.1", "1.2", "1.3", "1.4")]
    assert sorted(ax.get_ylim()) == [-0.5, 3.5]  # the hidden rows are on the chart, not cut off
    assert [t.get_text() for t in ax.texts][-2:] == ["c  n=c", ":  n=0"]


def test_the_heatmap_writes_share_and_n_in_each_cell_and_symbols_as_text() -> None:
    agencies = ["CSC", "Pol", "Hlth"]
    cells = pd.concat([_shares([("1.1", 20, 10), ("1.2", 20, 2), ("1.3", 30, 15)], agency="CSC"),
                       *(_shares([("1.1", 25, 10), ("1.2", 0, 0), ("1.3", 30, 12)], agency=a)
                         for a in agencies[1:])], ignore_index=True)
    chart = plots.agency_heatmap_chart(cells, agencies)
    grid = chart.figures.set_index("Criterion")
    assert list(grid.columns) == [*agencies, "All agencies"]
    assert grid.loc["1.3 Title of 1.3", "CSC"] == "50% n=30"  # share and n, in words
    assert grid.loc["1.2 Title of 1.2", "CSC"] == "c"  # 2 good of 20
    assert grid.loc["1.2 Title of 1.2", "Pol"] == ":"  # nothing graded
    # the 2 cannot come back from the criterion's total: the total is hidden too
    assert grid.loc["1.2 Title of 1.2", "All agencies"] == "c"
    texts = " ".join(grid.to_numpy().ravel())
    assert "10%" not in texts  # the hidden share, nowhere
    drawn = [t.get_text() for t in chart.figure.axes[0].texts]
    assert "50%\nn=30" in drawn and ":" in drawn and "c" in drawn and "10%" not in " ".join(drawn)
    assert chart.note.startswith("Not drawn:") and "marked c" in chart.note
    assert "marked :" in chart.note


def test_the_overviews_bars_are_the_protected_tables_totals() -> None:
    cells = pd.concat([_shares([("1.1", 20, 10), ("1.2", 20, 2), ("1.3", 30, 15)], agency=a)
                       for a in ("CSC", "Pol", "Hlth")], ignore_index=True)
    bars = plots.criterion_totals_chart(cells)
    heatmap = plots.agency_heatmap_chart(cells, ["CSC", "Pol", "Hlth"])
    totals = heatmap.figures.set_index("Criterion")["All agencies"].iloc[:-1]
    assert [t.split(" ")[0] for t in totals] == bars.figures["Good or better"].tolist()
    assert bars.figures["Good or better"].tolist() == ["50%", "10%", "50%"]
    # 6 of 60 in all is no small count, but each agency's 2 of 20 is: three hidden cells that no
    # sum gives back one by one
    grid = heatmap.figures.set_index("Criterion")
    assert grid.loc["1.2 Title of 1.2", ["CSC", "Pol", "Hlth"]].tolist() == ["c", "c", "c"]


def test_cell_text_reads_on_its_colour() -> None:
    assert text_on(HEAT(0.0)) == "#000000"  # dark text on the palest blue
    assert text_on(HEAT(1.0)) == "#FFFFFF"  # white on the darkest


def test_a_chart_with_nothing_to_show_still_says_what_it_is() -> None:
    chart = plots.good_or_better_chart(_shares([("1.1", 4, 2), ("1.2", 3, 1)]))
    assert "too few" in chart.figure.texts[0].get_text()
    assert "no share can be shown" in chart.alt and chart.note.startswith("Not drawn: 2 bars")


def test_a_criterion_graded_good_by_all_is_drawn_with_its_interval() -> None:
    # 30 of 30 good: the bar reaches 100% and its interval (90% to 100%) is drawn to the left only
    table = _shares([("1.1", 40, 20), ("1.2", 30, 30)])
    chart = plots.good_or_better_chart(table)
    bars = [p.get_width() for p in chart.figure.axes[0].patches]
    assert bars == pytest.approx([50, 100])
    assert chart.figures["Good or better"].tolist() == ["50%", "100%"]
