"""What the board and the committee should conclude, in plain sentences a committee member can
repeat: the round's headline, what changed since the last round, and the weakest and strongest
criteria, each with its figures.

One wording serves every reader: the overview dashboard sets these sentences in HTML and the
committee report in its paragraphs and lists, so the page and the papers never say the same thing
two ways. The text is plain (a page escapes it); :class:`Finding` says which words a page may set
in bold and which lines form a list.

Every figure in a sentence is text from a ``*_for_board`` form of :mod:`caseaudit.disclosure`, so
a hidden figure reads ``c`` in the sentence as it would in a table, and nothing hidden can leak
into the words around it: a sentence only ever picks rows by their verdict or rank as the board
forms show them (a hidden verdict reads ``c`` and is never counted as improved or declined). The
verdict rules themselves are :mod:`caseaudit.change`'s; this module only says them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import disclosure
from .results import RoundResults, round_results
from .times import listing

if TYPE_CHECKING:
    from .store import Store

#: The words for what a round's good-or-better figures rest on (the ``basis`` column).
BASIS = {"moderated": "These are the grades the multi-agency meeting agreed.",
         "agency grades": "These are the agencies' own grades: the meeting has not moderated the "
                          "round.",
         "mixed": "These are the meeting's agreed grades where it agreed one, the agencies' own "
                  "grades otherwise."}
#: How many of the weakest (and strongest) criteria a sentence names.
NAMED = 3

_VERDICT_WORDS = {"improved": "an improvement", "declined": "a decline",
                  "no clear change": "no clear change", "not comparable": "nothing comparable (z)",
                  disclosure.SUPPRESSED: "a change that is not shown (c)",
                  disclosure.NOT_APPLICABLE: "nothing comparable (z)",
                  disclosure.NOTHING: "nothing graded (:)",
                  disclosure.NOT_AVAILABLE: "a change that is not available (x)"}


@dataclass(frozen=True)
class Finding:
    """One sentence, plain text. ``kind`` names it for a page or test (``headline``,
    ``overall-change``, ``improved``, ``declined``, ``no-change``, ``not-shown``, ``weakest``,
    ``strongest``, ``first-round``); ``items`` are the lines of a list that follows it;
    ``strong`` is the words of ``text`` a page sets in bold (a figure or a verdict), or ""."""

    kind: str
    text: str
    items: tuple[str, ...] = ()
    strong: str = ""


def verdict_words(verdict: str) -> str:
    """A verdict (or the symbol standing for it) as the words a sentence uses."""
    return _VERDICT_WORDS.get(verdict, verdict or "no verdict")


def round_pages(results: RoundResults) -> dict[str, pd.DataFrame]:
    """Each round's good-or-better figures as its own page shows them (from the trend, which holds
    every round of the framework up to this one): a change or trend hides whatever a round's page
    hides, so no figure hidden there comes back beside its neighbour."""
    trend = results.practice_trend
    pages = {str(rid): rows for rid, rows in trend.groupby("round_id", sort=False)}
    pages[results.round_id] = results.good_or_better
    return pages


def pages_of_rounds(store: Store, round_ids: Sequence[str], audits: str | Path | None = None,
                    as_of: datetime | None = None) -> dict[str, pd.DataFrame] | None:
    """:func:`round_pages` for the latest of ``round_ids`` (an inspection review's rounds), read
    through its results, cached as the dashboards' are; ``None`` when none of them is found. The
    action-plan dashboard and the progress report both hide what these pages hide."""
    from .rounds import scan_rounds

    rounds = scan_rounds(audits).rounds
    used = [r for r in rounds if r.id in set(round_ids)]
    if not used:
        return None
    return round_pages(round_results(store, used[-1], rounds, as_of=as_of))


def change_for_board(results: RoundResults, threshold: int | None) -> pd.DataFrame:
    """The change since the last round as every reader sees it: protected with each round's
    page, so a change never shows what either round's page hides."""
    return disclosure.change_for_board(results.change, threshold, pages=round_pages(results))


def round_before(results: RoundResults, change: pd.DataFrame) -> str:
    """The label of the round the change is measured from ("" for a first round)."""
    if change.empty:
        return ""
    before_id = str(change["round_before"].iloc[0])
    return results.labels.get(before_id, before_id)


def headline(results: RoundResults, threshold: int | None = None) -> Finding:
    """The round's overall share, with its interval, n, cases and what it rests on."""
    figures = disclosure.good_or_better_for_board(results.good_or_better, threshold)
    this = results.labels.get(results.round_id, results.round_id)
    overall = figures[figures["level"] == "overall"]
    if overall.empty:
        return Finding("headline", f"In {this}, nothing has been graded yet (:).")
    row = overall.iloc[0]
    if row["state"] == "hidden":
        return Finding("headline", f"In {this}, the share of judgements good or better is not shown "
                                   "(c): it rests on too few judgements or cases.")
    if row["state"] != "shown":
        return Finding("headline", f"In {this}, nothing has been graded yet ({row['share']}).")
    basis = BASIS.get(str(row.get("basis", "")), "")
    return Finding("headline", (f"In {this}, {row['share']} of judgements were good or better (95% "
                                f"interval {row['interval']}; {row['n']} judgements on "
                                f"{row['cases']} cases). {basis}").strip(), strong=str(row["share"]))


def _overall_change(change: pd.DataFrame, before: str) -> Finding | None:
    overall = change[change["level"] == "overall"]
    if overall.empty:
        return None
    row = overall.iloc[0]
    if row["state"] == disclosure.NOT_COMPARABLE:
        return Finding("overall-change", f"The round as a whole cannot be compared with {before}: "
                                         "the framework version changed what some criteria measure (z).")
    if row["state"] != "shown":
        return Finding("overall-change", f"The change since {before} is not shown ({row['verdict']}).")
    words = verdict_words(str(row["verdict"]))
    return Finding("overall-change", f"Against {row['share_before']} in {before}, that is {words} "
                                     f"({row['difference']}; 95% interval {row['interval']}).",
                   strong=words)


def area(row: pd.Series) -> str:
    """A change's or figure's row as a sentence names it: a criterion by its label, a domain
    as such."""
    return str(row["label"]) if row["level"] == "criterion" else f"{row['label']} (domain)"


def _moved(change: pd.DataFrame, verdict: str, before: str) -> Finding | None:
    """The criteria and domains whose verdict is ``verdict`` (shown), one item each with its
    figures, domains first."""
    rows = change[(change["verdict"] == verdict) & (change["state"] == "shown")
                  & change["level"].isin(["domain", "criterion"])]
    if rows.empty:
        return None
    rows = pd.concat([rows[rows["level"] == "domain"], rows[rows["level"] == "criterion"]])
    items = tuple(f"{area(r)}: {r['share_before']} to {r['share_after']} ({r['difference']}; "
                  f"95% interval {r['interval']})" for _, r in rows.iterrows())
    why = "above" if verdict == "improved" else "below"
    return Finding(verdict, f"{verdict.capitalize()} since {before} (the 95% interval for each "
                            f"change lies wholly {why} zero):", items, strong=verdict.capitalize())


def _unsaid(change: pd.DataFrame, before: str) -> list[Finding]:
    """How many changes are not shown or cannot be compared, so a reader knows the list above is
    not the whole story."""
    parts = change[change["level"].isin(["domain", "criterion"])]
    out = []
    hidden = int((parts["state"] == "hidden").sum())
    if hidden:
        out.append(Finding("not-shown", f"The change in {hidden} {'area' if hidden == 1 else 'areas'} "
                                        "is not shown (c): one of the two rounds rests on too few "
                                        "judgements or cases."))
    apart = int((parts["state"] == disclosure.NOT_COMPARABLE).sum())
    if apart:
        out.append(Finding("not-shown", f"{apart} {'area' if apart == 1 else 'areas'} cannot be "
                                        f"compared with {before}: the framework version changed "
                                        "what they measure (z)."))
    return out


def ranked_figures(row: pd.Series) -> str:
    """A ranked criterion's figures as a sentence gives them, or the symbol standing for them."""
    if row["state"] == "shown":
        return f"{row['share']}, n={row['n']}"
    return disclosure.STATE_SYMBOLS.get(row["state"], str(row["share"]))


def _ranked(strengths: pd.DataFrame, kind: str, words: str) -> Finding | None:
    rows = strengths[strengths["kind"] == kind].sort_values("rank").head(NAMED)
    if rows.empty:
        return None
    named = listing([f"{r['label']} ({ranked_figures(r)})" for _, r in rows.iterrows()])
    return Finding(words.split()[0].lower(), f"{words} this round: {named}.", strong=words)


def what_changed(results: RoundResults, threshold: int | None = None) -> list[Finding]:
    """The change since the latest earlier round of the framework (overall, then the criteria
    and domains that improved or declined, only where the interval for the difference excludes
    zero, then how many changes are not shown) and the weakest and strongest criteria."""
    change = change_for_board(results, threshold)
    said: list[Finding | None] = []
    if change.empty:
        said.append(Finding("first-round", "This is the first round of its framework, so there is "
                                           "no earlier round to compare it with yet."))
    else:
        before = round_before(results, change)
        said.append(_overall_change(change, before))
        moved = [_moved(change, v, before) for v in ("improved", "declined")]
        said += moved
        if not any(moved):
            said.append(Finding("no-change", f"No criterion or domain clearly improved or declined "
                                              f"since {before}: each difference is within what "
                                              "chance alone could give with samples of this size."))
        said += _unsaid(change, before)
    strengths = disclosure.strengths_for_board(results.strengths, threshold,
                                               good_or_better=results.good_or_better)
    said += [_ranked(strengths, "area for development", "Weakest"),
             _ranked(strengths, "strength", "Strongest")]
    return [f for f in said if f is not None]


def findings(results: RoundResults, threshold: int | None = None) -> list[Finding]:
    """The headline, then what changed: what the overview opens with."""
    return [headline(results, threshold), *what_changed(results, threshold)]

