"""What the board should conclude, in sentences a committee member can repeat: the round's
headline, what changed since the last round and the weakest criteria, each with its figures.

Every figure in a sentence is text from a ``*_for_board`` form of :mod:`caseaudit.disclosure`, so
a hidden figure reads ``c`` in the sentence as it would in a table, and nothing hidden can leak
into the words around it: a sentence only ever picks rows by their verdict or rank as the board
forms show them (a hidden verdict reads ``c`` and is never counted as improved or declined).
The verdict rules themselves are :mod:`caseaudit.change`'s; this module only says them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from .. import disclosure
from ..results import RoundResults

#: The words for what a round's good-or-better figures rest on (the ``basis`` column).
BASIS = {"moderated": "These are the grades the multi-agency meeting agreed.",
         "agency grades": "These are the agencies' own grades: the meeting has not moderated the "
                          "round.",
         "mixed": "These are the meeting's agreed grades where it agreed one, the agencies' own "
                  "grades otherwise."}
#: How many of the weakest (and strongest) criteria a sentence names.
NAMED = 3

FINDINGS_STYLE = """
<style>
.ca-findings {border-left:4px solid #0072B2; padding:4px 0 4px 14px; margin:8px 0 16px 0;
              max-width:60em;}
.ca-findings li {margin:4px 0; line-height:1.45;}
.ca-symbols {margin:4px 0;}
.ca-symbols div {margin:2px 0;}
.ca-symbols dt, .ca-symbols dd {display:inline; float:none; width:auto; margin:0; padding:0;}
.ca-symbols dt {font-weight:700; font-family:monospace; font-size:1.1em; margin-right:0.6em;}
</style>
"""


def _listing(parts: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _item(kind: str, text: str) -> str:
    return f'<li data-sentence="{kind}">{text}</li>'


def _headline(figures: pd.DataFrame, this: str) -> str:
    """The round's overall share, with its interval, n, cases and what it rests on."""
    overall = figures[figures["level"] == "overall"]
    if overall.empty:
        return f"In {this}, nothing has been graded yet (:)."
    row = overall.iloc[0]
    if row["state"] == "hidden":
        return (f"In {this}, the share of judgements good or better is not shown (c): it rests on "
                "too few judgements or cases.")
    if row["state"] != "shown":
        return f"In {this}, nothing has been graded yet ({row['share']})."
    basis = BASIS.get(str(row.get("basis", "")), "")
    return (f"In {this}, <b>{row['share']}</b> of judgements were good or better (95% interval "
            f"{row['interval']}; {row['n']} judgements on {row['cases']} cases). {basis}").strip()


_VERDICT_WORDS = {"improved": "an improvement", "declined": "a decline",
                  "no clear change": "no clear change", "not comparable": "nothing comparable (z)",
                  disclosure.SUPPRESSED: "a change that is not shown (c)",
                  disclosure.NOT_APPLICABLE: "nothing comparable (z)",
                  disclosure.NOTHING: "nothing graded (:)",
                  disclosure.NOT_AVAILABLE: "a change that is not available (x)"}


def verdict_words(verdict: str) -> str:
    """A verdict (or the symbol standing for it) as the words a sentence uses."""
    return _VERDICT_WORDS.get(verdict, verdict or "no verdict")


def _overall_change(change: pd.DataFrame, before: str) -> str:
    overall = change[change["level"] == "overall"]
    if overall.empty:
        return ""
    row = overall.iloc[0]
    if row["state"] == disclosure.NOT_COMPARABLE:
        return (f"The round as a whole cannot be compared with {before}: the framework version "
                "changed what some criteria measure (z).")
    if row["state"] != "shown":
        return f"The change since {before} is not shown ({row['verdict']})."
    return (f"Against {row['share_before']} in {before}, that is "
            f"<b>{verdict_words(row['verdict'])}</b> ({row['difference']}; "
            f"95% interval {row['interval']}).")


def _area(row: pd.Series) -> str:
    return html.escape(str(row["label"] if row["level"] == "criterion" else f"{row['label']} (domain)"))


def _moved(change: pd.DataFrame, verdict: str, before: str) -> str:
    """The criteria and domains whose verdict is ``verdict`` (shown), one item each with its
    figures, domains first."""
    rows = change[(change["verdict"] == verdict) & (change["state"] == "shown")
                  & change["level"].isin(["domain", "criterion"])]
    if rows.empty:
        return ""
    rows = pd.concat([rows[rows["level"] == "domain"], rows[rows["level"] == "criterion"]])
    items = "".join(f"<li>{_area(r)}: {r['share_before']} to {r['share_after']} "
                    f"({r['difference']}; 95% interval {r['interval']})</li>"
                    for _, r in rows.iterrows())
    why = "above" if verdict == "improved" else "below"
    return (f"<b>{verdict.capitalize()}</b> since {before} (the 95% interval for each change lies "
            f"wholly {why} zero):<ul>{items}</ul>")


def _unsaid(change: pd.DataFrame, before: str) -> list[str]:
    """How many changes are not shown or cannot be compared, so a reader knows the list above is
    not the whole story."""
    parts = change[change["level"].isin(["domain", "criterion"])]
    out = []
    hidden = int((parts["state"] == "hidden").sum())
    if hidden:
        out.append(f"The {'change of 1 area is' if hidden == 1 else f'changes of {hidden} areas are'}"
                   " not shown (c): one of the two rounds rests on too few judgements or cases.")
    apart = int((parts["state"] == disclosure.NOT_COMPARABLE).sum())
    if apart:
        out.append(f"{apart} {'area' if apart == 1 else 'areas'} cannot be compared with {before}: "
                   "the framework version changed what they measure (z).")
    return out


def _ranked(strengths: pd.DataFrame, kind: str) -> str:
    rows = strengths[strengths["kind"] == kind].sort_values("rank").head(NAMED)
    return _listing([f"{html.escape(str(r['label']))} "
                     + (f"({r['share']}, n={r['n']})" if r["state"] == "shown"
                        else f"({disclosure.STATE_SYMBOLS.get(r['state'], r['share'])})")
                     for _, r in rows.iterrows()]) if len(rows) else ""


def round_pages(results: RoundResults) -> dict[str, pd.DataFrame]:
    """Each round's good-or-better figures as its own page shows them (from the trend, which holds
    every round of the framework up to this one): a change or trend hides whatever a round's page
    hides, so no figure hidden there comes back beside its neighbour."""
    trend = results.practice_trend
    pages = {str(rid): rows for rid, rows in trend.groupby("round_id", sort=False)}
    pages[results.round_id] = results.good_or_better
    return pages


def findings(results: RoundResults, threshold: int | None = None) -> list[tuple[str, str]]:
    """The sentences, in order, each with its kind (``headline``, ``overall-change``,
    ``improved``, ``declined``, ``no-change``, ``not-shown``, ``weakest``, ``strongest``,
    ``first-round``); HTML text, every figure through disclosure."""
    figures = disclosure.good_or_better_for_board(results.good_or_better, threshold)
    labels: Mapping[str, str] = results.labels
    this = labels.get(results.round_id, results.round_id)
    said = [("headline", _headline(figures, this))]
    change = disclosure.change_for_board(results.change, threshold, pages=round_pages(results))
    if change.empty:
        said.append(("first-round", "This is the first round of its framework, so there is no "
                                    "earlier round to compare it with yet."))
    else:
        before_id = str(change["round_before"].iloc[0])
        before = labels.get(before_id, before_id)
        said.append(("overall-change", _overall_change(change, before)))
        moved = [(v, _moved(change, v, before)) for v in ("improved", "declined")]
        said += [(v, text) for v, text in moved if text]
        if not any(text for _, text in moved):
            said.append(("no-change", f"No criterion or domain clearly improved or declined since "
                                      f"{before}: each difference is within what chance alone "
                                      "could give with samples of this size."))
        said += [("not-shown", text) for text in _unsaid(change, before)]
    strengths = disclosure.strengths_for_board(results.strengths, threshold,
                                               good_or_better=results.good_or_better)
    weakest = _ranked(strengths, "area for development")
    if weakest:
        said.append(("weakest", f"<b>Weakest</b> this round: {weakest}."))
    strongest = _ranked(strengths, "strength")
    if strongest:
        said.append(("strongest", f"Strongest: {strongest}."))
    return [(kind, text) for kind, text in said if text]


def render_findings(results: RoundResults, threshold: int | None = None) -> str:
    """The "what changed" section that opens the overview."""
    sentences = findings(results, threshold)
    change = results.change
    before = ""
    if len(change):
        before_id = str(change["round_before"].iloc[0])
        before = " since " + results.labels.get(before_id, before_id)
    return (FINDINGS_STYLE + '<section class="ca-findings" data-section="what-changed" '
            'aria-labelledby="ca-what-changed"><h3 id="ca-what-changed">What changed'
            f"{html.escape(before)}</h3><ul>" + "".join(_item(k, t) for k, t in sentences)
            + "</ul></section>")


_SYMBOL_AT = re.compile(r"<td[^>]*>\s*([cxz:])(?:\s[^<]*)?\s*</td>|"
                        r'<div class="ca-value">([cxz:])</div>|\(([cxz:])\)')


def symbols_on(pages: Iterable[str]) -> list[str]:
    """The symbols a page's HTML shows in place of a figure: in a table cell (alone or before
    its n), as a headline figure, or in brackets in a sentence."""
    return [next(g for g in found if g) for text in pages for found in _SYMBOL_AT.findall(text)]


def render_symbols(used: Iterable[pd.DataFrame | str], threshold: int | None = None) -> str:
    """The key to the symbols the page uses (only those, so a reader is told nothing they will
    not meet), or a sentence saying that every figure is shown."""
    key = disclosure.symbol_key(list(used), threshold)
    rows = "".join(f"<div><dt>{html.escape(symbol)}</dt><dd>{html.escape(meaning)}</dd></div>"
                   for symbol, meaning in key)
    body = (f'<dl class="ca-symbols">{rows}</dl>' if key else
            "<p>Every figure on this page is shown: no symbol stands in for one.</p>")
    return (FINDINGS_STYLE + '<section data-section="symbols" aria-labelledby="ca-symbols">'
            f'<h3 id="ca-symbols">Symbols used on this page</h3>{body}</section>')
