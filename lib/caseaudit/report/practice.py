"""The report's findings on practice: the round's share good or better (on the best grade a case
has), what changed since the last round, results by domain, trends, strengths and areas for
development.

Every figure is text from a ``*_for_board`` form of :mod:`caseaudit.disclosure` (or a chart from
a ``*_for_chart`` form), so a hidden figure reads ``c`` in a sentence as in a table, and a
sentence picks its rows only by the verdict or rank those forms show: a hidden verdict is never
counted as improved or declined. The verdict rules are :mod:`caseaudit.change`'s; this module
only says them, in words that never claim more than the interval does.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import disclosure
from ..analysis import MIN_CASES, MIN_JUDGEMENTS
from ..results import RoundResults
from . import charts
from .model import Block, Bullets, Paragraph, Section, Table

#: What a round's good-or-better figures rest on (the ``basis`` column), in a committee's words
BASIS = {"moderated": "on the grades the multi-agency meeting agreed",
         "agency grades": "on the agencies' own grades: the meeting has not moderated the round",
         "mixed": "on the meeting's agreed grade where it agreed one, the agencies' own grades "
                  "otherwise"}
#: The same, as the sentence saying what the figures can and cannot say
LIMITS = {"moderated": "Every share rests on the grade the multi-agency meeting agreed for each "
                       "case and criterion.",
          "mixed": "Each share rests on the grade the multi-agency meeting agreed where it agreed "
                   "one, and on each agency's own grade otherwise, so a case the meeting has not "
                   "moderated counts once for each agency that graded it.",
          "agency grades": "The multi-agency meeting has not moderated this round: every share "
                           "rests on the agencies' own grades, one for each agency that graded a "
                           "case, not on a grade agreed across agencies."}
#: How many strengths and areas for development the headline names
NAMED = 3


def _label(results: RoundResults, round_id: str) -> str:
    return results.labels.get(round_id, round_id)


def _area(row: pd.Series) -> str:
    return str(row["label"]) if row["level"] == "criterion" else f"{row['label']} (domain)"


def headline(results: RoundResults, threshold: int | None) -> list[Block]:
    """The round's overall share good or better, with its interval, n, cases and basis."""
    figures = disclosure.good_or_better_for_board(results.good_or_better, threshold)
    overall = figures[figures["level"] == "overall"]
    if overall.empty or overall.iloc[0]["state"] == "none":
        return [Paragraph("Nothing has been graded in this round yet, so there is no share to "
                          "report (:).")]
    row = overall.iloc[0]
    if row["state"] != "shown":
        return [Paragraph("of judgements were good or better: not shown, because the figure rests "
                          "on too few judgements or cases.", lead=str(row["share"]))]
    basis = BASIS.get(str(row.get("basis", "")), "")
    return [Paragraph(f"of {row['n']} judgements on {row['cases']} cases were good or better "
                      f"(95% interval {row['interval']}), {basis}.", lead=str(row["share"]))]


def what_changed(results: RoundResults, threshold: int | None) -> list[Block]:
    """Sentences on the change since the latest earlier round of the framework: the overall
    verdict, the criteria and domains that improved or declined (only where the interval for the
    difference excludes zero), how many changes are not shown, and the weakest and strongest
    criteria."""
    change = disclosure.change_for_board(results.change, threshold)
    blocks: list[Block] = []
    if change.empty:
        blocks.append(Paragraph("This is the first round of its framework, so there is no earlier "
                                "round to compare it with yet."))
    else:
        before = _label(results, str(change["round_before"].iloc[0]))
        overall = change[change["level"] == "overall"]
        if len(overall):
            row = overall.iloc[0]
            if row["state"] == "shown":
                blocks.append(Paragraph(
                    f"since {before}: from {row['share_before']} to {row['share_after']} good or "
                    f"better ({row['difference']}; 95% interval {row['interval']}).",
                    lead=str(row["verdict"]).capitalize()))
            elif row["state"] == disclosure.NOT_COMPARABLE:
                blocks.append(Paragraph(f"The round as a whole cannot be compared with {before}: "
                                        "the framework changed what some criteria measure (z)."))
            else:
                blocks.append(Paragraph(f"The change since {before} is not shown "
                                        f"({row['verdict']})."))
        parts = change[change["level"].isin(["domain", "criterion"])]
        items = []
        for verdict in ("improved", "declined"):
            moved = parts[(parts["verdict"] == verdict) & (parts["state"] == "shown")]
            items += [f"{verdict.capitalize()}: {_area(r)}, from {r['share_before']} to "
                      f"{r['share_after']} ({r['difference']}; 95% interval {r['interval']})."
                      for _, r in moved.iterrows()]
        if items:
            blocks.append(Paragraph(f"Since {before}, these areas improved or declined: the "
                                    "interval for each difference lies wholly above or below zero."))
            blocks.append(Bullets(tuple(items)))
        else:
            blocks.append(Paragraph(f"No criterion or domain clearly improved or declined since "
                                    f"{before}: each difference is within what chance alone could "
                                    "give with samples of this size."))
        hidden = int((parts["state"] == "hidden").sum())
        if hidden:
            blocks.append(Paragraph(f"The change in {hidden} {'area' if hidden == 1 else 'areas'} "
                                    "is not shown (c): one of the two rounds rests on too few "
                                    "judgements or cases."))
        apart = int((parts["state"] == disclosure.NOT_COMPARABLE).sum())
        if apart:
            blocks.append(Paragraph(f"{apart} {'area' if apart == 1 else 'areas'} cannot be "
                                    f"compared with {before}: the framework changed what they "
                                    "measure (z)."))
    strengths = _strengths(results, threshold)
    for kind, words in (("area for development", "Weakest"), ("strength", "Strongest")):
        rows = strengths[strengths["kind"] == kind].sort_values("rank").head(NAMED)
        if len(rows):
            named = "; ".join(f"{r['label']} ({_figures(r)})" for _, r in rows.iterrows())
            blocks.append(Paragraph(f"this round: {named}.", lead=words))
    return blocks


def _strengths(results: RoundResults, threshold: int | None) -> pd.DataFrame:
    return disclosure.strengths_for_board(results.strengths, threshold, results.good_or_better)


def domains(results: RoundResults, threshold: int | None) -> list[Section]:
    """A part per domain: the domain's share, a chart of its criteria and their table, with each
    criterion's change since the last round where there is one."""
    figures = results.good_or_better
    board = disclosure.good_or_better_for_board(figures, threshold)
    drawn = disclosure.good_or_better_for_chart(figures, threshold)
    change = disclosure.change_for_board(results.change, threshold)
    verdicts = {(r["level"], str(r["key"])): str(r["verdict"]) for _, r in change.iterrows()}
    since = (f"Change since {_label(results, str(change['round_before'].iloc[0]))}"
             if len(change) else "")
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
        chart = charts.share_bars(drawn[(drawn["level"] == "criterion") & (drawn["domain"] == title)],
                                  f"{title}: good or better, by criterion", "criterion")
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
    areas = trend[trend["level"].isin(["overall", "domain"]) & trend["round_id"].isin(rounds)]
    board = disclosure.trend_for_board(areas, threshold)
    drawn = disclosure.trend_for_chart(areas, threshold)
    labels = {r: _label(results, r) for r in rounds}
    chart = charts.trend_lines(drawn, rounds, labels, "Good or better, overall and by domain, "
                                                      "round by round")
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
        blocks.append(Bullets(tuple(f"{r['label']}: {_figures(r, long=True)}."
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


def _figures(row: pd.Series, long: bool = False) -> str:
    """A ranked criterion's figures as a sentence gives them, or the symbol standing for them."""
    if row["state"] != "shown":
        return f"figures not shown ({row['share']})"
    if long:
        return (f"{row['share']} good or better (95% interval {row['interval']}; {row['n']} "
                f"judgements on {row['cases']} cases)")
    return f"{row['share']}, n={row['n']}"


def symbols_note(cells: Sequence[object] | pd.DataFrame, threshold: int | None) -> str:
    """The meaning of each symbol a table uses, and only those."""
    return " ".join(f"{symbol}: {meaning}." for symbol, meaning
                    in disclosure.symbol_key(cells, threshold))
