"""Which rows of a good-or-better frame to hide, where its rows add up to one another.

A round's figures nest: criteria add up to their domain, domains to the overall figure, and (where
the overall figure is on agency grades) agencies to the overall too. A breakdown's groups add up to
the whole. Each function here returns the rows to hide, primary and secondary, so that no hidden
row can be worked out from the shown ones (:mod:`.secondary`). The same function serves the round's
own page, each round of a trend and each side of a change, so a figure hidden on one view is hidden
on the others: a criterion hidden in the March round's table is hidden at March on the trend too.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .rules import figure_hidden
from .secondary import adds_up, equations_from, protect


def _figures(frame: pd.DataFrame, n: str, good: str, cases: str | None) -> pd.DataFrame:
    columns = {n: "n", good: "good"}
    if cases and cases in frame:
        columns[cases] = "cases"
    return frame[list(columns)].rename(columns=columns).reset_index(drop=True)


def _domain_rows(rows: pd.DataFrame) -> dict[int, list[int]]:
    """Each domain row's position and the positions of its criteria (a criterion names its domain
    by title; a domain row may carry it as its key, label or domain)."""
    level = rows["level"].astype(str).to_numpy()
    crit_domain = rows["domain"].astype(str).to_numpy() if "domain" in rows else None
    children: dict[int, list[int]] = {}
    if crit_domain is None:
        return children
    criteria = np.flatnonzero(level == "criterion")
    for d in np.flatnonzero(level == "domain"):
        names = {str(rows[c].iloc[d]) for c in ("key", "label", "domain") if c in rows}
        names.discard("")
        children[int(d)] = [int(c) for c in criteria if crit_domain[c] in names]
    return children


def round_sums(rows: pd.DataFrame, count: np.ndarray, good_count: np.ndarray,
               agencies: bool = True) -> list[tuple[int, list[int]]]:
    """The "adds up" facts of one round's good-or-better rows (positions in ``rows``): criteria
    to their domain, domains (or criteria) to the overall figure and, with ``agencies``, agencies
    to the overall figure; each only where the counts add up exactly."""
    level = rows["level"].astype(str).to_numpy()
    overall = np.flatnonzero(level == "overall")
    sums: list[tuple[int, list[int]]] = []
    children = _domain_rows(rows)
    for d, parts in children.items():
        if adds_up(count, good_count, d, parts):
            sums.append((d, parts))
    if len(overall):
        top = int(overall[0])
        criteria = [int(c) for c in np.flatnonzero(level == "criterion")]
        for parts in (list(children), criteria):
            if adds_up(count, good_count, top, parts):
                sums.append((top, parts))
                break
        those = [int(a) for a in np.flatnonzero(level == "agency")]
        if agencies and adds_up(count, good_count, top, those):
            sums.append((top, those))
    return sums


def round_hidden(frame: pd.DataFrame, threshold: int | None = None, n: str = "n",
                 good: str = "good", cases: str | None = "cases",
                 also: np.ndarray | None = None) -> np.ndarray:
    """Rows of one round's good-or-better frame (``level`` overall / domain / criterion / agency)
    to hide: :func:`~.rules.figure_hidden`, then secondary suppression within every part of the
    frame that adds up exactly (criteria to their domain, domains to overall, agencies to overall).

    The agencies are protected after the rest, with the overall figure as it stands, so a frame
    with agency rows hides its criteria exactly as the same round does on a trend (which has none).
    ``n``, ``good`` and ``cases`` name the columns (a change frame's ``n_after``, ...); ``also``
    marks rows hidden for a reason outside the frame (hidden on the round's own page)."""
    rows = frame.reset_index(drop=True)
    figures = _figures(rows, n, good, cases)
    hidden = figure_hidden(figures, threshold)
    if also is not None:
        hidden |= np.asarray(also, dtype=bool)
    if "level" not in rows or not len(rows):
        return hidden
    count = figures["n"].to_numpy(dtype=float)
    good_count = figures["good"].to_numpy(dtype=float)
    level = rows["level"].astype(str).to_numpy()
    overall = np.flatnonzero(level == "overall")
    sums = round_sums(rows, count, good_count, agencies=False)
    inner = level != "agency"
    if sums:
        hidden = protect(equations_from(sums, len(rows)), hidden, count, inner & (count > 0))
    agencies = [int(a) for a in np.flatnonzero(level == "agency")]
    if len(overall) and adds_up(count, good_count, int(overall[0]), agencies):
        sums.append((int(overall[0]), agencies))  # all the facts, but only agencies may be hidden
        hidden = protect(equations_from(sums, len(rows)), hidden, count,
                         (level == "agency") & (count > 0))
    return hidden


def rounds_hidden(frame: pd.DataFrame, threshold: int | None = None, round_column: str = "round_id",
                  n: str = "n", good: str = "good", cases: str | None = "cases",
                  pages: Mapping[str, pd.DataFrame] | None = None,
                  also: np.ndarray | None = None) -> np.ndarray:
    """:func:`round_hidden` for each round of a frame holding several (a trend), in frame order.

    ``pages`` (a round's id -> that round's own good-or-better frame) hides here whatever a
    round's page hides: a frame that holds only part of a round (a criterion new in the later
    round is not in a change) cannot see every sum the page protects, and a figure shown here
    that the page hid would undo the page's protection. A page already in its board form (with
    ``state``) is taken as it hides, so a view whose page hides more than these sums (a practice
    week's, protecting its answer counts too) is followed. ``also`` marks rows hidden for a reason
    outside the frame."""
    rows = frame.reset_index(drop=True)
    also = _hidden_on_pages(rows, pages, round_column, threshold) | (
        np.zeros(len(rows), dtype=bool) if also is None else np.asarray(also, dtype=bool))
    if round_column not in rows:
        return round_hidden(rows, threshold, n, good, cases, also)
    hidden = np.zeros(len(rows), dtype=bool)
    for _, positions in rows.groupby(round_column, sort=False).indices.items():
        hidden[positions] = round_hidden(rows.iloc[positions], threshold, n, good, cases,
                                         also[positions])
    return hidden


def _hidden_on_pages(rows: pd.DataFrame, pages: Mapping[str, pd.DataFrame] | None,
                     round_column: str, threshold: int | None) -> np.ndarray:
    """True at each row (by round, level and key) that its round's page hides."""
    out = np.zeros(len(rows), dtype=bool)
    if not pages or not len(rows) or not {"level", "key"} <= set(rows.columns):
        return out
    level = rows["level"].astype(str).to_numpy()
    key = rows["key"].astype(str).to_numpy()
    rounds = (rows[round_column].astype(str).to_numpy() if round_column in rows
              else np.full(len(rows), ""))
    for round_id, page in pages.items():
        page = page.reset_index(drop=True)
        secret = board_hidden(page, threshold)
        hidden_there = set(zip(page["level"].astype(str)[secret], page["key"].astype(str)[secret],
                               strict=True))
        mine = (rounds == str(round_id)) | (round_column not in rows)
        out |= mine & np.array([(lv, k) in hidden_there for lv, k in zip(level, key, strict=True)])
    return out


def board_hidden(page: pd.DataFrame, threshold: int | None = None) -> np.ndarray:
    """The rows a round's page hides: as its ``state`` says where it is a board form already, else
    as :func:`rounds_hidden` would hide them."""
    if "state" in page:
        return page["state"].astype(str).to_numpy() == "hidden"
    return rounds_hidden(page, threshold)


def breakdown_hidden(frame: pd.DataFrame, threshold: int | None = None) -> np.ndarray:
    """Rows of a breakdown frame (``attribute``, ``group``, ``level``, ``key``, ``n``, ``good``,
    ``cases``) to hide. Within an attribute the groups of each figure add up to the whole (every
    case has one value of the attribute), and the whole is published on the round's page; so when
    one group is hidden the next smallest is hidden too, unless the whole itself is hidden. Where a
    group's overall row is the sum of its domain rows, that is protected as well."""
    rows = frame.reset_index(drop=True)
    hidden = np.zeros(len(rows), dtype=bool)
    by = "attribute" if "attribute" in rows else None
    groups = rows.groupby(by, sort=False).indices if by else {None: np.arange(len(rows))}
    for _, positions in groups.items():
        hidden[positions] = _attribute_hidden(rows.iloc[positions].reset_index(drop=True), threshold)
    return hidden


def _attribute_hidden(rows: pd.DataFrame, threshold: int | None) -> np.ndarray:
    figures = _figures(rows, "n", "good", "cases")
    level = rows["level"].astype(str) if "level" in rows else pd.Series("overall", index=rows.index)
    figure = level + "\x1f" + rows["key"].astype(str) if "key" in rows else level
    wholes = list(dict.fromkeys(figure))
    parts = {w: [int(i) for i in np.flatnonzero(figure.to_numpy() == w)] for w in wholes}
    whole_figures = pd.DataFrame([figures.iloc[parts[w]].sum() for w in wholes],
                                 columns=figures.columns)
    every = pd.concat([figures, whole_figures], ignore_index=True)
    count = every["n"].to_numpy(dtype=float)
    good = every["good"].to_numpy(dtype=float)
    first_whole = len(rows)
    sums = [(first_whole + w, parts[name]) for w, name in enumerate(wholes)]
    # each group's overall row may be the sum of its domain rows, and so may the wholes'
    group = rows["group"].astype(str).to_numpy() if "group" in rows else np.full(len(rows), "")
    lv = level.to_numpy()
    for g in dict.fromkeys(group):
        mine = np.flatnonzero(group == g)
        tops = [int(i) for i in mine if lv[i] == "overall"]
        domains = [int(i) for i in mine if lv[i] == "domain"]
        if tops and adds_up(count, good, tops[0], domains):
            sums.append((tops[0], domains))
    whole_level = np.array([w.split("\x1f")[0] for w in wholes])
    tops = [first_whole + int(i) for i in np.flatnonzero(whole_level == "overall")]
    domains = [first_whole + int(i) for i in np.flatnonzero(whole_level == "domain")]
    if tops and adds_up(count, good, tops[0], domains):
        sums.append((tops[0], domains))
    hidden = figure_hidden(every, threshold)
    eligible = (np.arange(len(every)) < first_whole) & (count > 0)
    return protect(equations_from(sums, len(every)), hidden, count, eligible)[:first_whole]
