"""Disclosure control for anything a board or committee sees.

The rules follow the DfE children-in-need statistics: a count from 1 to 5 is shown as ``c``; a
true zero stays ``0``; and a percentage is never shown where its numerator or the remainder
(``n - good``) is suppressed, since ``share × n`` would give the hidden count back (secondary
suppression). The threshold is a setting (some partnerships use 10).

Derived figures (agreement, alpha, a mean difference, a chart point) follow the same rule on what
they rest on: they are hidden when the number of items (``n``) or of cases behind them
(``cases``) is small. Thirteen grades from one child's case are still one case.

This module is the one place those rules are applied: a board-facing view (the dashboard, a
chart, a report) takes its text and its chart values from the ``*_for_board`` and
``*_for_chart`` functions below, never from the results frames themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import settings

SUPPRESSED = "c"


def is_small(count: pd.Series | np.ndarray, threshold: int | None = None) -> np.ndarray:
    """True where a count must not be shown: from 1 up to the threshold."""
    limit = settings.SUPPRESSION_THRESHOLD if threshold is None else threshold
    values = np.asarray(count, dtype=float)
    return (values >= 1) & (values <= limit)


def share_hidden(table: pd.DataFrame, threshold: int | None = None) -> np.ndarray:
    """True where a row's share (and interval) must be hidden: ``n``, ``good`` or ``n - good``
    is a small count, so the share would reveal one."""
    n = table["n"].to_numpy(dtype=float)
    good = table["good"].to_numpy(dtype=float)
    return is_small(n, threshold) | is_small(good, threshold) | is_small(n - good, threshold)


def derived_hidden(table: pd.DataFrame, threshold: int | None = None) -> np.ndarray:
    """True where a figure derived from a row (an agreement share, alpha, a mean difference, a
    chart point) must not be shown: its ``n`` or, where the table has one, its ``cases`` is small,
    or there is nothing to show (``n`` of 0)."""
    n = table["n"].to_numpy(dtype=float)
    hidden = is_small(n, threshold) | (n == 0)
    if "cases" in table:
        hidden |= is_small(table["cases"].to_numpy(dtype=float), threshold)
    return hidden


def format_count(count: float, threshold: int | None = None) -> str:
    """A count for display: ``c`` when small, else the whole number."""
    if pd.isna(count):
        return ":"
    return SUPPRESSED if is_small(np.array([count]), threshold)[0] else f"{int(count):,}"


def render_summary(table: pd.DataFrame, threshold: int | None = None,
                   keep: tuple[str, ...] = ("domain", "criterion", "agency")) -> pd.DataFrame:
    """A summary table as text for a dashboard: counts, shares and intervals with ``c`` where
    suppressed and ``:`` where nothing was graded. The caller's frame is not changed."""
    hidden = share_hidden(table, threshold)
    out = table[[c for c in keep if c in table.columns]].copy()
    if "criterion" in out and "criterion_id" in table:
        out["criterion"] = table["criterion_id"].astype(str) + " " + table["criterion"].astype(str)
    out["Judgements (n)"] = [format_count(v, threshold) for v in table["n"]]
    shares, intervals = [], []
    for hide, n, share, low, high in zip(hidden, table["n"], table["share"], table["ci_low"],
                                         table["ci_high"], strict=True):
        if n == 0:
            shares.append(":")
            intervals.append(":")
        elif hide:
            shares.append(SUPPRESSED)
            intervals.append(SUPPRESSED)
        else:
            shares.append(f"{share:.0%}")
            intervals.append(f"{low:.0%} – {high:.0%}")
    out["Good or better"] = shares
    out["95% interval"] = intervals
    return out.rename(columns={"domain": "Domain", "criterion": "Criterion", "agency": "Agency"})


# -- board-facing forms of the results --------------------------------------------------------
# Every figure a dashboard, chart or report shows is taken from one of these, never from a
# results frame directly, so the rules above are applied in one place. Each keeps the rows it is
# given and says per row whether its figures are ``shown``, ``hidden`` (``c``) or there is
# ``none`` (``:``).

Formatter = Callable[[Mapping[str, Any]], str]


def _states(hidden: np.ndarray, n: np.ndarray) -> np.ndarray:
    return np.where(n == 0, "none", np.where(hidden, "hidden", "shown"))


def headline_for_board(headline: Mapping[str, Any], threshold: int | None = None) -> dict[str, str]:
    """A round's headline figures as text: its counts, the share of judgements good or better
    and the sentence saying its interval (``c`` or ``:`` and no interval where hidden)."""
    n, good = headline["judgements"], headline["good"]
    hidden = share_hidden(pd.DataFrame({"n": [n], "good": [good]}), threshold)[0]
    share = SUPPRESSED if hidden else ":" if not n else f"{headline['share']:.0%}"
    interval = (f"95% interval {headline['ci_low']:.0%} – {headline['ci_high']:.0%}"
                if share not in (SUPPRESSED, ":") else "95% interval not shown")
    counts = ("cases_audited", "cases_in_round", "forms_submitted", "forms_expected", "judgements")
    return {**{key: format_count(headline[key], threshold) for key in counts},
            "share": share, "interval": interval}


def shares_for_chart(table: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """A table of good-or-better shares (``n``, ``good``, ``share``, ``ci_low``, ``ci_high``) as a
    chart may draw it: the shares and intervals blank where hidden or where nothing was graded,
    ``n`` as text (``n_text``) and each row's ``state``; the counts themselves are dropped."""
    out = table.reset_index(drop=True)
    state = _states(share_hidden(out, threshold), out["n"].to_numpy(dtype=float))
    shown = state == "shown"
    out = out.assign(**{c: out[c].where(shown) for c in ("share", "ci_low", "ci_high")},
                     n_text=[format_count(v, threshold) for v in out["n"]], state=state)
    return out.drop(columns=[c for c in ("n", "good", "not_applicable") if c in out])


def derived_for_chart(table: pd.DataFrame, values: Sequence[str],
                      threshold: int | None = None) -> pd.DataFrame:
    """A table of derived figures (agreement, alpha, a mean difference, with ``n`` and maybe
    ``cases``) as a chart may draw it: ``values`` blank where :func:`derived_hidden`, ``n`` as
    text (``n_text``) and each row's ``state``; the counts themselves are dropped."""
    out = table.reset_index(drop=True)
    state = _states(derived_hidden(out, threshold), out["n"].to_numpy(dtype=float))
    shown = state == "shown"
    out = out.assign(**{c: out[c].where(shown) for c in values},
                     n_text=[format_count(v, threshold) for v in out["n"]], state=state)
    return out.drop(columns=[c for c in ("n", "cases", "units", "partly") if c in out])


def derived_for_board(table: pd.DataFrame, figures: Mapping[str, Formatter],
                      keep: Sequence[str] = (), threshold: int | None = None) -> pd.DataFrame:
    """A table of derived figures as text: the ``keep`` columns as they are, ``n`` and ``cases``
    through :func:`format_count`, and each of ``figures`` (a column name and how to write it
    from the row) as written where shown, ``c`` where hidden and ``:`` where there is nothing
    (``n`` of 0); with each row's ``state``."""
    rows = table.reset_index(drop=True)
    state = _states(derived_hidden(rows, threshold), rows["n"].to_numpy(dtype=float))
    out = rows[list(keep)].copy()
    for count in ("n", "cases"):
        if count in rows:
            out[count] = [format_count(v, threshold) for v in rows[count]]
    records = rows.to_dict("records")
    for name, write in figures.items():
        out[name] = [write(r) if s == "shown" else SUPPRESSED if s == "hidden" else ":"
                     for r, s in zip(records, state, strict=True)]
    out["state"] = state
    return out


def coverage_for_board(coverage: pd.DataFrame, cases_in_round: int,
                       threshold: int | None = None) -> dict[str, str | None]:
    """How many of the round's cases the meeting has fully moderated (``complete``, of
    ``cases``) and how many only in part (``partly``, ``None`` when none), from
    :func:`caseaudit.moderation.coverage_of`."""
    complete = int(coverage["complete"].sum())
    partly = len(coverage) - complete
    return {"complete": format_count(complete, threshold),
            "cases": format_count(cases_in_round, threshold),
            "partly": format_count(partly, threshold) if partly else None}


LOCAL_TAGS = "Other (local tags)"


def themes_for_board(themes: pd.DataFrame, framework_themes: Sequence[str],
                     threshold: int | None = None) -> pd.DataFrame:
    """Cases tagged with each learning theme per round (a column per round), as text. Local free
    tags are free text, so only their total per round reaches a board (:data:`LOCAL_TAGS`); a
    theme of ``framework_themes`` is named. Empty when nothing was tagged."""
    if themes.empty or len(themes.columns) == 0:
        return pd.DataFrame()
    known = list(dict.fromkeys(framework_themes))
    local = themes.loc[[t for t in themes.index if t not in known]].sum()
    table = themes.reindex([t for t in known if t in themes.index])
    if local.any():
        table.loc[LOCAL_TAGS] = local
    return table.map(lambda v: format_count(int(v), threshold))
