"""What the committee report says: a round's results, through disclosure control, as a
:class:`~.model.Report`.

This is the one place that decides the report's content; the writers only lay it out. Every
figure is taken from a board-facing form made by :mod:`caseaudit.disclosure` (text with ``c``
and ``:`` where a figure is hidden or absent; charts drawn from the chart forms), never from a
results frame directly, and nothing here names a case, an auditor or a note: the report goes
into committee papers, which are published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from .. import disclosure, plots, settings
from ..results import RoundResults
from ..rounds import AuditRound
from . import practice
from .model import Block, Bullets, Chart, Paragraph, Report, Section, Table


@dataclass(frozen=True)
class ReportRound:
    """A round's results with the round itself (its framework, period and title)."""

    audit: AuditRound
    results: RoundResults


def _symbols(blocks: Sequence[Block], threshold: int | None) -> list[tuple[str, str]]:
    """The key to the symbols the report's tables use, and only those."""
    cells = [cell for b in blocks if isinstance(b, Table) for row in b.rows for cell in row]
    return list(disclosure.symbol_key(cells, threshold))


def _has_practice(results: RoundResults) -> bool:
    """Whether the results carry the practice frames (good or better on the best grade, change,
    trend, strengths) the report's findings are written from."""
    return getattr(results, "good_or_better", None) is not None


def long_date(day: date) -> str:
    """``27 November 2026``: how a committee paper writes a date."""
    return f"{day.day} {day:%B %Y}"


def _as_of_text(as_of: datetime | None) -> str:
    return "as it stood when the report was made" if as_of is None else \
        f"as it stood at {as_of:%H:%M} UTC on {long_date(as_of.date())}"


def build_report(main: ReportRound, compared: Sequence[ReportRound] = (), *, partnership: str,
                 today: date, version: str, threshold: int | None = None) -> Report:
    """The committee report of ``main``, compared with ``compared`` (oldest first) where given.

    ``today`` is the report's date and ``version`` the workbook's (for the methods note); the
    threshold is the disclosure setting's unless given.
    """
    results = main.results
    if _has_practice(results):
        ids = [r.audit.id for r in compared]
        findings: tuple[Section, ...] = (
            Section("Headline findings", (*practice.headline(results, threshold),
                                          *_counts(results, threshold))),
            Section("What changed", tuple(practice.what_changed(results, threshold))),
            Section("Results by domain", (Paragraph(
                "Each domain's criteria, with the share of judgements good or better on the best "
                "grade each case has, its 95% interval and the judgements and cases behind it."),)),
            *practice.domains(results, threshold),
            Section("Trends", tuple(practice.trends(results, ids, threshold))),
            Section("Strengths and areas for development",
                    tuple(practice.strengths(results, threshold))),
        )
    else:  # the results as they were before the practice frames (good or better, change, trend)
        findings = (
            Section("Headline findings", tuple(_headline(main, compared, threshold))),
            Section("Results by domain", (Paragraph(
                "Each domain's criteria, with the share of agency judgements graded good or better, "
                "its 95% interval and the number of judgements behind it."),)),
            *_domains(results, threshold),
            Section("Across rounds", tuple(_across_rounds(main, compared, threshold))),
        )
    sections = (
        *findings,
        Section("Learning themes", tuple(_themes(results, threshold))),
    )
    symbols = _symbols([b for section in sections for b in section.blocks], threshold)
    sections = (
        *sections,
        Section("What the figures can and cannot say", tuple(_limits(main, threshold, symbols))),
        Section("Methods", tuple(_methods(main, compared, version, threshold))),
    )
    provenance = {"round": results.round_id,
                  "rounds": ", ".join(r.audit.id for r in (*compared, main)),
                  "framework": f"{main.audit.framework.id} {main.audit.framework.version}",
                  "as of": "now" if results.as_of is None else results.as_of.isoformat(),
                  "workbook": version}
    return Report(title=f"{results.title}: report to the scrutiny committee",
                  partnership=partnership, date=long_date(today),
                  subtitle=f"Figures from the audit store {_as_of_text(results.as_of)}.",
                  sections=sections, provenance=provenance)


# -- headline -----------------------------------------------------------------------------------
def _headline(main: ReportRound, compared: Sequence[ReportRound],
              threshold: int | None) -> list[Block]:
    results = main.results
    h = disclosure.headline_for_board(results.summary.headline, threshold)
    blocks: list[Block] = []
    if h["share"] == ":":
        blocks.append(Paragraph("No agency judgement has been graded on a submitted form yet, so "
                                "there is no share to report."))
    elif h["share"] == disclosure.SUPPRESSED:
        blocks.append(Paragraph(f"of {h['judgements']} agency judgements were graded good or "
                                "better: too few, or too few not good, to show the share.",
                                lead=disclosure.SUPPRESSED))
    else:
        blocks.append(Paragraph(f"of {h['judgements']} agency judgements on submitted forms were "
                                f"graded good or better ({h['interval']}).", lead=h["share"]))
    blocks += _counts(results, threshold)
    if compared:
        names = ", ".join(r.results.labels.get(r.audit.id, r.audit.id) for r in compared)
        blocks.append(Paragraph(f"The report sets this round beside {names}: see “Across "
                                "rounds” for each criterion's share in each round."))
    return blocks


def _counts(results: RoundResults, threshold: int | None) -> list[Block]:
    """How much of the round was audited, and moderated: what every figure rests on."""
    h = disclosure.headline_for_board(results.summary.headline, threshold)
    blocks: list[Block] = [Paragraph(
        f"{h['cases_audited']} of the round's {h['cases_in_round']} cases were audited: "
        f"{h['forms_submitted']} of {h['forms_expected']} agency forms were submitted.")]
    if results.moderated:
        blocks.append(Paragraph(_coverage_sentence(results, threshold)))
    return blocks


def _coverage_sentence(results: RoundResults, threshold: int | None) -> str:
    cover = disclosure.coverage_for_board(results.coverage,
                                          int(results.summary.headline["cases_in_round"]), threshold)
    text = (f"The multi-agency meeting has moderated {cover['complete']} of the {cover['cases']} "
            "cases")
    if cover["partly"]:
        text += f", and {cover['partly']} in part"
    return text + "."


# -- by domain ----------------------------------------------------------------------------------
def _domains(results: RoundResults, threshold: int | None) -> list[Section]:
    by_criterion = results.summary.by_criterion
    sections = []
    for domain, rows in by_criterion.groupby("domain", sort=False):
        rows = rows.reset_index(drop=True)
        title = f"{domain}: good or better, by criterion"
        chart = _chart(rows, title, threshold)
        board = disclosure.render_summary(rows, threshold, keep=("criterion",))
        table = Table(caption=f"{domain}: agency judgements good or better, by criterion",
                      header=("Criterion", "Judgements (n)", "Good or better", "95% interval"),
                      rows=tuple(tuple(str(v) for v in r) for r in board[
                          ["Criterion", "Judgements (n)", "Good or better", "95% interval"]]
                          .itertuples(index=False)),
                      note=practice.symbols_note(board.to_numpy().ravel().tolist(), threshold))
        sections.append(Section(str(domain), (chart, table), level=2))
    return sections


def _chart(rows: pd.DataFrame, title: str, threshold: int | None) -> Chart:
    """The domain's bar chart and a text alternative stating each bar as the chart shows it."""
    figure = plots.plot_good_or_better(rows, title, threshold)
    width, height = (float(v) for v in figure.get_size_inches())
    drawn = disclosure.shares_for_chart(rows, threshold)
    parts = []
    for cid, name, state, share, low, high, n in zip(
            drawn["criterion_id"], drawn["criterion"], drawn["state"], drawn["share"],
            drawn["ci_low"], drawn["ci_high"], drawn["n_text"], strict=True):
        if state == "shown":
            figure_text = f"{share:.0%} (95% interval {low:.0%} to {high:.0%}), n={n}"
        elif state == "hidden":
            figure_text = f"not drawn ({disclosure.SUPPRESSED}), n={n}"
        else:
            figure_text = "nothing graded (:)"
        parts.append(f"{cid} {name}: {figure_text}")
    alt = (f"Bar chart, {title}: the share of agency judgements graded good or better for each "
           "criterion, with its 95% interval. " + "; ".join(parts) + ".")
    return Chart(title=title, png=plots.figure_png(figure), alt=alt, width_in=width,
                 height_in=height)


# -- across rounds ------------------------------------------------------------------------------
def _across_rounds(main: ReportRound, compared: Sequence[ReportRound],
                   threshold: int | None) -> list[Block]:
    if not compared:
        return [Paragraph("This report covers one round. Rerun it with --compare and an earlier "
                          "round of the same framework to set the rounds side by side.")]
    rounds = [*compared, main]
    cells: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for item in rounds:
        board = disclosure.render_summary(item.results.summary.by_criterion, threshold,
                                          keep=("criterion",))
        for criterion, n, share in zip(board["Criterion"], board["Judgements (n)"],
                                       board["Good or better"], strict=True):
            if criterion not in cells:
                cells[criterion] = {}
                order.append(criterion)
            cells[criterion][item.audit.id] = f"{share} (n={n})"
    labels = [item.results.labels.get(item.audit.id) or main.results.labels.get(item.audit.id)
              or item.audit.id for item in rounds]
    table = Table(caption="Agency judgements good or better, by criterion and round",
                  header=("Criterion", *labels),
                  rows=tuple((c, *(cells[c].get(r.audit.id, "—") for r in rounds)) for c in order),
                  note=(practice.symbols_note([v for c in cells.values() for v in c.values()],
                                              threshold) + " —: the criterion is not in that "
                        "round's framework.").strip())
    return [Paragraph("Each round's share of agency judgements graded good or better, with the "
                      "number of judgements behind it. Two rounds' shares differ by chance as "
                      "well as by practice: read them with their intervals (under “Results by "
                      "domain” for this round)."), table]


# -- themes -------------------------------------------------------------------------------------
def _themes(results: RoundResults, threshold: int | None) -> list[Block]:
    table = disclosure.themes_for_board(results.themes, results.framework_themes, threshold)
    if table.empty:
        return [Paragraph("The multi-agency meeting has not tagged learning themes on any fully "
                          "moderated case up to this round.")]
    labels = [results.labels.get(str(c), str(c)) for c in table.columns]
    return [Paragraph("How many fully moderated cases the multi-agency meeting tagged with each "
                      "learning theme, by round. Local tags are counted together, not named."),
            Table(caption="Learning themes: cases tagged by the meeting, by round",
                  header=("Theme", *labels),
                  rows=tuple((str(theme), *(str(v) for v in row))
                             for theme, row in table.iterrows()),
                  note=practice.symbols_note(table.to_numpy().ravel().tolist(), threshold))]


# -- limits and methods -------------------------------------------------------------------------
def _threshold(threshold: int | None) -> int:
    """The suppression threshold in force: the caller's, else the setting's."""
    return settings.suppression_threshold() if threshold is None else threshold


def _basis(results: RoundResults) -> str:
    """What the shares rest on, in a sentence: the meeting's agreed grades or the agencies'."""
    if _has_practice(results):
        overall = results.good_or_better[results.good_or_better["level"] == "overall"]
        basis = str(overall["basis"].iloc[0]) if len(overall) else "agency grades"
        return {"moderated": "Every share rests on the grade the multi-agency meeting agreed for "
                             "each case and criterion.",
                "mixed": "Each share rests on the grade the multi-agency meeting agreed where it "
                         "agreed one, and on each agency's own grade otherwise, so an unmoderated "
                         "case counts once for each agency that graded it.",
                }.get(basis, "The multi-agency meeting has not moderated this round: every share "
                             "rests on the agencies' own grades, one for each agency that graded a "
                             "case, not on a grade agreed across agencies.")
    if results.moderated:
        return ("The shares use the grades each agency gave on its submitted forms; the meeting's "
                "agreed grades appear only in the learning themes. A case seen by five agencies "
                "counts up to five times.")
    return ("The multi-agency meeting has not moderated this round: the shares use the grades each "
            "agency gave on its submitted forms, so a case seen by five agencies counts up to five "
            "times.")


def _limits(main: ReportRound, threshold: int | None, symbols: Sequence[tuple[str, str]]) -> list[Block]:
    results = main.results
    h = disclosure.headline_for_board(results.summary.headline, threshold)
    blocks: list[Block] = [Bullets((
        f"The figures rest on {h['cases_audited']} audited cases. A sample this size gives wide "
        "intervals: each share is shown with its 95% interval, the range the share across "
        "similar cases plausibly lies in.",
        "A difference between two shares is called an improvement or a decline only when the "
        "interval for the difference lies wholly above or below zero; otherwise it may be chance "
        "and is called no clear change.",
        _basis(results),
        "The figures describe the cases audited; how far they speak for all the partnership's "
        "children depends on how those cases were chosen.",
        f"Counts from 1 to {_threshold(threshold)}, and any figure from which such a count could "
        "be worked out, are not shown; a true zero is shown as 0.",
    ))]
    if symbols:
        blocks.append(Table(caption="Symbols used in this report", header=("Symbol", "Meaning"),
                            rows=tuple((symbol, meaning) for symbol, meaning in symbols)))
    return blocks


def _methods(main: ReportRound, compared: Sequence[ReportRound], version: str,
             threshold: int | None) -> list[Block]:
    audit, results = main.audit, main.results
    provenance = getattr(results, "provenance", None) or {}
    versions = provenance.get("framework_versions") or {
        r.audit.id: f"{r.audit.framework.id} {r.audit.framework.version}" for r in (*compared, main)}
    rounds = ", ".join(f"{round_id} ({framework})" for round_id, framework in versions.items())
    blocks = [
        Paragraph(f"Round {audit.id} ({long_date(audit.period.start)} to "
                  f"{long_date(audit.period.end)}) scored against framework {audit.framework.id} "
                  f"version {audit.framework.version}. Rounds used: {rounds}. The store was read "
                  f"{_as_of_text(results.as_of)}; rerunning the report with the same --as-of "
                  "gives the same figures."),
        Paragraph("A judgement counts as good or better when its grade is at a level the "
                  "framework's scale marks good or better; “not applicable” answers and forms "
                  "not yet submitted are left out. Intervals are 95% Wilson score intervals, "
                  "which stay within 0–100% and suit small samples."),
    ]
    if _has_practice(results):
        blocks.append(Paragraph(
            "A change between two rounds is the difference of their shares, with its 95% interval "
            "by Newcombe's method for two independent proportions (1998, method 10). A criterion "
            "whose question or scale changed between framework versions is not compared (z)."))
    blocks += [
        Paragraph(f"Disclosure control follows the Department for Education's convention: counts "
                  f"from 1 to {_threshold(threshold)} are suppressed, with secondary suppression "
                  "wherever a hidden count could be worked out from other figures. No case, "
                  "auditor or note is named."),
        Paragraph(f"Made with caseaudit {provenance.get('computed_with') or version}."),
    ]
    return blocks
