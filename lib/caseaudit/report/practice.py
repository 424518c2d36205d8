"""The report's findings on practice: the round's share good or better (on the best grade a case
has), what changed since the last round, results by domain, trends, strengths and areas for
development.

Every figure is text from a ``*_for_board`` form of :mod:`caseaudit.disclosure` (or a chart from
a ``*_for_chart`` form), so a hidden figure reads ``c`` in a sentence as in a table, and a
sentence picks its rows only by the verdict or rank those forms show: a hidden verdict is never
counted as improved or declined. The verdict rules are :mod:`caseaudit.change`'s; this module
only says them, in words that never claim more than the interval does. The headline and what
changed are :mod:`caseaudit.findings`'s sentences, the very words the overview dashboard opens
with, laid out as the report's paragraphs and lists.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import disclosure, findings, plots
from ..analysis import MIN_CASES, MIN_JUDGEMENTS
from ..findings import Finding
from ..results import RoundResults
from . import charts
from .model import Block, Bullets, Paragraph, Section, Table

#: What a round's good-or-better figures can and cannot say, by what they rest on
LIMITS = {"moderated": "Every share rests on the grade the multi-agency meeting agreed for each "
                       "case and criterion.",
          "mixed": "Each share rests on the grade the multi-agency meeting agreed where it agreed "
                   "one, and on each agency's own grade otherwise, so a case the meeting has not "
                   "moderated counts once for each agency that graded it.",
          "agency grades": "The multi-agency meeting has not moderated this round: every share "
                           "rests on the agencies' own grades, one for each agency that graded a "
                           "case, not on a grade agreed across agencies."}
def _label(results: RoundResults, round_id: str) -> str:
    return results.labels.get(round_id, round_id)


def _blocks(finding: Finding) -> list[Block]:
    """A finding as the report lays it out: a paragraph (its bold words as the lead when they
    open it), then its items as a list."""
    text, lead = finding.text, ""
    if finding.strong and text.startswith(finding.strong):
        lead, text = finding.strong, text[len(finding.strong):].lstrip()
    return [Paragraph(text, lead=lead), *((Bullets(finding.items),) if finding.items else ())]


def headline(results: RoundResults, threshold: int | None) -> list[Block]:
    """The round's overall share good or better, with its interval, n, cases and basis."""
    return _blocks(findings.headline(results, threshold))


def what_changed(results: RoundResults, threshold: int | None) -> list[Block]:
    """What changed since the last round, and the weakest and strongest criteria, in the words
    the overview uses (:func:`caseaudit.findings.what_changed`)."""
    return [block for finding in findings.what_changed(results, threshold)
            for block in _blocks(finding)]


def _strengths(results: RoundResults, threshold: int | None) -> pd.DataFrame:
    return disclosure.strengths_for_board(results.strengths, threshold, results.good_or_better)


def domains(results: RoundResults, threshold: int | None) -> list[Section]:
    """A part per domain: the domain's share, a chart of its criteria and their table, with each
    criterion's change since the last round where there is one."""
    figures = results.good_or_better
    board = disclosure.good_or_better_for_board(figures, threshold)
    change = findings.change_for_board(results, threshold)
    verdicts = {(r["level"], str(r["key"])): str(r["verdict"]) for _, r in change.iterrows()}
    since = f"Change since {findings.round_before(results, change)}" if len(change) else ""
    sections = []
    for _, domain in board[board["level"] == "domain"].iterrows():
        title = str(domain["label"])
        if domain["state"] == "shown":
            lead = domain["share"]
            text = (f"of {domain['n']} judgements on {domain['cases']} cases in this domain were good "
                    f"or better (95% interval {domain['interval']}).")
        else:
            lead, text = "", (f"The domain's share is not shown ({domain['share']}): it rests on too "
                              "few judgements or cases, or would reveal a figure that does.")
        if since and (change_word := verdicts.get(("domain", str(domain["key"])))):
            text += f" {since}: {_said_verdict(change_word)}."
        mine = (board["level"] == "criterion") & (board["domain"] == title)
        rows = board[mine]
        header = ("Criterion", "Judgements (n)", "Cases", "Good or better", "95% interval")
        table = Table(
            caption=f"{title}: judgements good or better, by criterion",
            header=(*header, since) if since else header,
            rows=tuple((str(r["label"]), str(r["n"]), str(r["cases"]), str(r["share"]),
                        str(r["interval"]),
                        *((verdicts.get(("criterion", str(r["key"])), ":"),) if since else ()))
                       for _, r in rows.iterrows()),
            note=symbols_note(rows, threshold))
        chart = charts.report_chart(plots.criteria_chart(figures, title, threshold=threshold))
        sections.append(Section(title, (Paragraph(text, lead=str(lead)), chart, table), level=2))
    return sections


def trends(results: RoundResults, compare: Sequence[str], threshold: int | None) -> list[Block]:
    """The overall and domain shares in each round of the framework up to this one (or this one
    and the ``compare`` rounds), as a chart and a table."""
    trend = results.practice_trend
    rounds = list(dict.fromkeys(str(r) for r in trend["round_id"]))
    if compare:
        rounds = [r for r in rounds if r in set(compare) | {results.round_id}]
    if len(rounds) < 2:
        return [Paragraph("There is no earlier round of this framework in the store yet, so there "
                          "is no trend to show.")]
    # protected as the trends dashboard protects it: every level together, each round as its
    # own page shows it, so the report hides no less than the board's pages do
    shown, pages = trend[trend["round_id"].isin(rounds)], findings.round_pages(results)
    board = disclosure.trend_for_board(shown, threshold, pages=pages)
    board = board[board["level"].isin(["overall", "domain"])]
    labels = {r: _label(results, r) for r in rounds}
    chart = charts.report_chart(plots.trend_chart(shown, ("overall", "domain"), threshold=threshold,
                                                  pages=pages))
    rows = []
    for label, part in board.groupby("label", sort=False):
        by_round = part.set_index("round_id")
        rows.append((str(label), *(f"{by_round.at[r, 'share']} (n={by_round.at[r, 'n']})"
                                   if r in by_round.index else ":" for r in rounds)))
    table = Table(caption="Judgements good or better, overall and by domain, by round",
                  header=("Area", *(labels[r] for r in rounds)), rows=tuple(rows),
                  note=symbols_note(board, threshold))
    return [Paragraph("Each round's share of judgements good or better, with the number of "
                      "judgements behind it. A round whose figure rests on too few judgements or "
                      "cases has no point on the chart and reads c in the table."), chart, table]


def strengths(results: RoundResults, threshold: int | None) -> list[Block]:
    """The strengths and areas for development, each with its share, interval and n."""
    board = _strengths(results, threshold)
    blocks: list[Block] = [Paragraph(
        "Strengths are the criteria most often good or better, areas for development the least "
        "often, ranked by the end of their 95% interval nearest the round's overall share, so a "
        "criterion is named only when the round can be fairly sure of it. Only criteria with at "
        f"least {MIN_JUDGEMENTS} judgements from at least {MIN_CASES} cases are ranked.")]
    for kind, title in (("strength", "Strengths"), ("area for development", "Areas for development")):
        rows = board[board["kind"] == kind].sort_values("rank")
        if rows.empty:
            blocks.append(Paragraph(f"{title}: none to name this round."))
            continue
        blocks.append(Paragraph(f"{title}:"))
        blocks.append(Bullets(tuple(f"{r['label']}: {_figures(r)}."
                                    for _, r in rows.iterrows())))
    return blocks


#: What a symbol standing in for a verdict means, in a sentence
_VERDICT_SYMBOLS = {"c": "not shown", "z": "not comparable", ":": "nothing graded",
                    "x": "not available"}


def characteristics(results: RoundResults, threshold: int | None) -> list[Block]:
    """The round's share good or better for the children in each group of each characteristic
    (age band, gender, ethnicity group, disability, plan type), small groups hidden so that none
    can be worked out from the others."""
    board = disclosure.breakdowns_for_board(
        results.breakdowns[results.breakdowns["level"] == "overall"], threshold)
    if board.empty:
        return [Paragraph("The round's cases record no characteristics to break the figures down "
                          "by.")]
    shown = board[board["state"] != "none"]
    return [
        Paragraph("National learning on child sexual abuse in the family environment finds it "
                  "least often identified for disabled children and for Black and minoritised "
                  "children. These rows show the round's share good or better for the children in "
                  "each group; a group with too few cases, or one that would let such a group be "
                  "worked out from the rest, reads c. Groups with no case in the round are left "
                  "out."),
        Table(caption="Judgements good or better, by the children's characteristics",
              header=("Children", "Judgements (n)", "Cases", "Good or better", "95% interval"),
              rows=tuple((f"{r['attribute_label']}: {r['group']}", str(r["n"]), str(r["cases"]),
                          str(r["share"]), str(r["interval"])) for _, r in shown.iterrows()),
              note=symbols_note(shown, threshold)),
    ]


def _said_verdict(verdict: str) -> str:
    """A verdict in a sentence: as it is, or what the symbol standing for it means."""
    words = _VERDICT_SYMBOLS.get(verdict)
    return f"{words} ({verdict})" if words else verdict


def _figures(row: pd.Series) -> str:
    """A ranked criterion's figures in full, or the symbol standing for them."""
    if row["state"] != "shown":
        return f"figures not shown ({row['share']})"
    return (f"{row['share']} good or better (95% interval {row['interval']}; {row['n']} "
            f"judgements on {row['cases']} cases)")


def symbols_note(cells: Sequence[object] | pd.DataFrame, threshold: int | None) -> str:
    """The meaning of each symbol a table uses, and only those."""
    return " ".join(f"{symbol}: {meaning}." for symbol, meaning
                    in disclosure.symbol_key(cells, threshold))
