"""The board-facing form of a practice week's summary: every figure the week's dashboard shows.

A stream's page shows more figures that add up than a case audit's: its records; each measure of
how the evidence was gathered (event kinds, feedback given, consent, who answered), each adding up
to the records; each question's answers per level (adding up to the records that could answer:
the returns with consent given, for feedback); and the good-or-better figures, whose good and
not-good counts are sums of those levels and add up criterion to domain to stream. A count from 1
to the threshold is hidden (``c``), and then, over all those sums at once, as many others as it
takes that none can be worked out (:func:`~.secondary.protect`): two returns that declined consent
are not given back by the returns less those that consented. A good-or-better row is hidden whole
(its n, good and share), as on every page.

The comparison with the previous week hides, on each side, whatever that week's own page hides
(:func:`~.practice.change_for_board` with both pages in board form), and the strengths and areas
what this page hides. Free text never comes here: the summary holds none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .board import themes_for_board
from .practice import (
    change_for_board,
    change_for_chart,
    good_or_better_for_board,
    good_or_better_for_chart,
    strengths_for_board,
)
from .rules import SUPPRESSED, figure_hidden, is_small
from .secondary import equations_from, protect

if TYPE_CHECKING:
    from ..practice_week_summary import StreamSummary, WeekSummary


@dataclass(frozen=True, eq=False)
class StreamForBoard:
    """One stream as a board sees it: every figure as text, with each row's ``state``.

    ``records`` (a count, ``c`` when small); ``good_or_better`` and ``chart`` the
    :func:`~.practice.good_or_better_for_board` and ``_for_chart`` forms (the stream, its domains
    and criteria); ``levels`` each criterion's answers per level of its scale (``count`` as text,
    ``state`` shown or hidden; not applicable and not answered are not shown); ``counts`` the
    stream's measures (``measure``, ``category``, ``count``, ``state``); ``strengths``
    :func:`~.practice.strengths_for_board`; ``change`` and ``change_chart`` the comparison with
    the previous week (no rows when there is none)."""

    stream_id: str
    title: str
    kind: str
    records: str
    good_or_better: pd.DataFrame
    chart: pd.DataFrame
    levels: pd.DataFrame
    counts: pd.DataFrame
    strengths: pd.DataFrame
    change: pd.DataFrame
    change_chart: pd.DataFrame


@dataclass(frozen=True, eq=False)
class WeekForBoard:
    """A practice week as a board sees it: its streams, the learning themes of its case audits
    (:func:`~.board.themes_for_board`: cases per theme, local tags as one total) and the label of
    the week it is compared with ("" when none)."""

    round_id: str
    title: str
    label: str
    theme: str
    streams: tuple[StreamForBoard, ...]
    themes: pd.DataFrame
    previous_label: str

    def stream(self, stream_id: str) -> StreamForBoard:
        """The board form of stream ``stream_id``."""
        for stream in self.streams:
            if stream.stream_id == stream_id:
                return stream
        raise KeyError(f"stream '{stream_id}' is not one of round {self.round_id}'s streams")


@dataclass(frozen=True)
class _Hidden:
    """Which figures of a stream to hide: its records, each good-or-better row, each level row
    and each count row."""

    records: bool
    good_or_better: np.ndarray
    levels: np.ndarray
    counts: np.ndarray


class _Sums:
    """The figures of a stream's page, each an index, and the sums they make."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.sums: list[tuple[int, list[int]]] = []

    def figure(self, value: float) -> int:
        self.values.append(float(value))
        return len(self.values) - 1

    def whole(self, whole: int, parts: list[int]) -> None:
        """``whole`` = the sum of ``parts``, kept only where the figures do add up (a fact a
        reader could use)."""
        if parts and np.isclose(sum(self.values[p] for p in parts), self.values[whole]):
            self.sums.append((whole, parts))


def stream_hidden(stream: StreamSummary, threshold: int | None = None) -> _Hidden:
    """The figures of ``stream``'s page to hide, primary and secondary, over every sum the page
    holds (see the module docstring). Only the levels of a scale are on the page: "not
    applicable" and "not answered" are not shown (as on a case audit's page, where ``n`` leaves
    them out), so a question's levels add up to the records that could answer only where it has
    neither. A feedback stream's returns with consent given are the base of every question's
    answers, so they are never hidden to protect another figure (that would hide every question
    with them); the returns in all are hidden instead."""
    sums = _Sums()
    records = sums.figure(stream.records)
    counts = stream.counts.reset_index(drop=True)
    count_at = [sums.figure(v) for v in counts["count"]]
    for measure in dict.fromkeys(counts["measure"]):
        sums.whole(records, [count_at[i] for i in np.flatnonzero(counts["measure"] == measure)])
    given = np.flatnonzero((counts["measure"] == "consent") & (counts["category"] == "given"))
    answered = count_at[int(given[0])] if stream.kind == "feedback" and len(given) else records
    levels = _scale_levels(stream.levels)
    level_at = [sums.figure(v) for v in levels["count"]]
    figures = stream.good_or_better.reset_index(drop=True)
    row_of = {(lv, k): i for i, (lv, k) in enumerate(zip(figures["level"], figures["key"], strict=True))}
    # each good-or-better row: n, good and not good (n - good), hidden together
    trio = [(sums.figure(n), sums.figure(g), sums.figure(n - g))
            for n, g in zip(figures["n"], figures["good"], strict=True)]
    for n, good, bad in trio:
        sums.whole(n, [good, bad])
    good_level = levels["good"].astype(bool).to_numpy()
    for criterion in dict.fromkeys(levels["criterion_id"]):
        mine = np.flatnonzero(levels["criterion_id"] == criterion)
        sums.whole(answered, [level_at[i] for i in mine])
        row = row_of.get(("criterion", criterion))
        if row is not None:
            sums.whole(trio[row][1], [level_at[i] for i in mine if good_level[i]])
            sums.whole(trio[row][2], [level_at[i] for i in mine if not good_level[i]])
    domains = [(row_of.get(("domain", d.id)), [row_of.get(("criterion", c.id)) for c in d.criteria])
               for d in stream.framework.domains]
    for whole, parts in [*domains, (row_of.get(("overall", "overall")), [d for d, _ in domains])]:
        if whole is not None and None not in parts:
            for k in (0, 1):
                sums.whole(trio[whole][k], [trio[p][k] for p in parts])  # type: ignore[index]
    values = np.asarray(sums.values)
    equations = equations_from(sums.sums, len(values))
    hidden = is_small(values, threshold)
    for position in np.flatnonzero(figure_hidden(figures, threshold)):
        hidden[list(trio[position])] = True
    eligible = values > 0
    if answered != records:
        eligible[answered] = False
    while True:
        hidden = protect(equations, hidden, values, eligible)
        whole_rows = hidden.copy()
        for three in trio:
            if hidden[list(three)].any():
                whole_rows[list(three)] = True
        if (whole_rows == hidden).all():
            break
        hidden = whole_rows
    return _Hidden(records=bool(hidden[records]),
                   good_or_better=np.array([hidden[n] for n, _, _ in trio], dtype=bool),
                   levels=hidden[level_at] if level_at else np.zeros(0, dtype=bool),
                   counts=hidden[count_at] if count_at else np.zeros(0, dtype=bool))


def _scale_levels(levels: pd.DataFrame) -> pd.DataFrame:
    """The rows of a stream's ``levels`` a board sees: the levels of each scale."""
    return levels[levels["code"].notna()].reset_index(drop=True)


def _count_texts(values: pd.Series, hidden: np.ndarray) -> list[str]:
    return [SUPPRESSED if h else f"{int(v):,}" for v, h in zip(values, hidden, strict=True)]


def _states(hidden: np.ndarray) -> np.ndarray:
    return np.where(hidden, "hidden", "shown")


def stream_for_board(stream: StreamSummary, threshold: int | None = None,
                     before: pd.DataFrame | None = None, before_id: str | None = None,
                     this_id: str | None = None) -> StreamForBoard:
    """``stream`` as a board sees it (see :class:`StreamForBoard`). ``before`` is the previous
    week's board form of the same stream's good-or-better figures (``before_id`` its round, and
    ``this_id`` this week's), so the comparison hides what either page hides."""
    hidden = stream_hidden(stream, threshold)
    figures = stream.good_or_better.reset_index(drop=True)
    board = good_or_better_for_board(figures, threshold, also=hidden.good_or_better)
    chart = good_or_better_for_chart(figures, threshold, also=hidden.good_or_better)
    levels = _scale_levels(stream.levels)
    level_text = levels.drop(columns=["count"]).assign(
        count=_count_texts(levels["count"], hidden.levels), state=_states(hidden.levels))
    counts = stream.counts.reset_index(drop=True)
    count_text = counts.assign(count=_count_texts(counts["count"], hidden.counts),
                               state=_states(hidden.counts))
    pages = {this_id or "this": board}
    if before is not None and before_id is not None:
        pages[before_id] = before
    change = stream.change
    return StreamForBoard(
        stream_id=stream.stream_id, title=stream.title, kind=stream.kind,
        records=_count_texts(pd.Series([stream.records]), np.array([hidden.records]))[0],
        good_or_better=board.drop(columns=["cases"]), chart=chart, levels=level_text,
        counts=count_text,
        strengths=strengths_for_board(stream.strengths, threshold, good_or_better=board),
        change=change_for_board(change, threshold, pages=pages),
        change_chart=change_for_chart(change, threshold, pages=pages))


def week_for_board(summary: WeekSummary, threshold: int | None = None) -> WeekForBoard:
    """``summary`` as a board sees it: each stream through :func:`stream_for_board`, compared
    with the previous week's stream as that week's own page shows it."""
    previous = summary.previous
    before = ({s.stream_id: stream_for_board(s, threshold).good_or_better for s in previous.streams}
              if previous is not None else {})
    streams = tuple(stream_for_board(s, threshold, before.get(s.stream_id),
                                     previous.round_id if previous is not None else None,
                                     summary.round_id)
                    for s in summary.streams)
    return WeekForBoard(round_id=summary.round_id, title=summary.title, label=summary.label,
                        theme=summary.theme, streams=streams,
                        themes=themes_for_board(summary.themes, summary.framework_themes, threshold),
                        previous_label=summary.previous_label)
