"""The board-facing forms of a round's summary and moderation figures (the overview dashboard's).

Each keeps the rows it is given and says per row whether its figures are ``shown``, ``hidden``
(``c``) or there is ``none`` (``:``); the rules themselves live in :mod:`.rules`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from .rules import SUPPRESSED, derived_hidden, format_count, share_hidden
from .rules import states as _states


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


Formatter = Callable[[Mapping[str, Any]], str]


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
