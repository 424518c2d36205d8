"""What the committee report says: a round's results, through disclosure control, as a
:class:`~.model.Report`.

This is the one place that decides the report's content; the writers only lay it out. Every
figure is taken from a board-facing form made by :mod:`caseaudit.disclosure` (text with ``c``,
``z``, ``:`` and ``x`` where a figure is hidden, not comparable, absent or not available; charts
drawn from the chart forms), never from a results frame directly, and nothing here names a case,
an auditor or a note: the report goes into committee papers, which are published. The findings on
practice are :mod:`.practice`'s; the frame around them (counts, themes, limits, methods) is here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from .. import disclosure, settings
from ..results import RoundResults
from ..rounds import AuditRound
from ..times import long_date
from . import practice
from .model import Block, Bullets, Paragraph, Report, Section, Table


def _as_of_text(as_of: datetime | None) -> str:
    return "as it stood when the report was made" if as_of is None else \
        f"as it stood at {as_of:%H:%M} UTC on {long_date(as_of.date())}"


def build_report(results: RoundResults, audit: AuditRound, compare: Sequence[str] = (), *,
                 partnership: str, today: date, threshold: int | None = None) -> Report:
    """The committee report of ``audit`` from its ``results``; ``compare`` names the earlier
    rounds its trends are set beside (every earlier round of the framework when empty).

    ``today`` is the report's date; the threshold is the disclosure setting's unless given.
    """
    sections: tuple[Section, ...] = (
        Section("Headline findings", (*practice.headline(results, threshold),
                                      *_counts(results, threshold))),
        Section("What changed", tuple(practice.what_changed(results, threshold))),
        Section("Results by domain", (Paragraph(
            "Each domain's criteria, with the share of judgements good or better, its 95% interval "
            "and the judgements and cases behind it."),)),
        *practice.domains(results, threshold),
        Section("Trends", tuple(practice.trends(results, compare, threshold))),
        Section("Strengths and areas for development",
                tuple(practice.strengths(results, threshold))),
        Section("Children's characteristics", tuple(practice.characteristics(results, threshold))),
        Section("Learning themes", tuple(_themes(results, threshold))),
    )
    cells = [cell for s in sections for b in s.blocks if isinstance(b, Table)
             for row in b.rows for cell in row]
    sections = (
        *sections,
        Section("What the figures can and cannot say", tuple(
            _limits(results, threshold, disclosure.symbol_key(cells, threshold)))),
        Section("Methods", tuple(_methods(results, audit, threshold))),
    )
    provenance = results.provenance
    return Report(title=f"{results.title}: report to the scrutiny committee",
                  partnership=partnership, date=long_date(today),
                  subtitle=f"Figures from the audit store {_as_of_text(results.as_of)}.",
                  sections=sections,
                  provenance={"round": results.round_id,
                              "rounds": ", ".join(provenance.get("rounds", [])),
                              "as-of": provenance.get("as_of") or "when made",
                              "workbook": str(provenance.get("computed_with", ""))})


# -- what the figures rest on -------------------------------------------------------------------
def _counts(results: RoundResults, threshold: int | None) -> list[Block]:
    """How much of the round was audited, and moderated: what every figure rests on."""
    h = disclosure.headline_for_board(results.summary.headline, threshold)
    blocks: list[Block] = [Paragraph(
        f"{h['cases_audited']} of the round's {h['cases_in_round']} cases were audited: "
        f"{h['forms_submitted']} of {h['forms_expected']} agency forms were submitted.")]
    if results.moderated:
        cover = disclosure.coverage_for_board(
            results.coverage, int(results.summary.headline["cases_in_round"]), threshold)
        text = (f"The multi-agency meeting has moderated {cover['complete']} of the "
                f"{cover['cases']} cases")
        blocks.append(Paragraph(text + (f", and {cover['partly']} in part." if cover["partly"]
                                        else ".")))
    return blocks


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
                  note=practice.symbols_note(table, threshold))]


# -- limits and methods -------------------------------------------------------------------------
def _threshold(threshold: int | None) -> int:
    """The suppression threshold in force: the caller's, else the setting's."""
    return settings.suppression_threshold() if threshold is None else threshold


def _limits(results: RoundResults, threshold: int | None,
            symbols: Sequence[tuple[str, str]]) -> list[Block]:
    h = disclosure.headline_for_board(results.summary.headline, threshold)
    overall = results.good_or_better[results.good_or_better["level"] == "overall"]
    basis = str(overall["basis"].iloc[0]) if len(overall) else "agency grades"
    blocks: list[Block] = [Bullets((
        f"The figures rest on {h['cases_audited']} audited cases. A sample this size gives wide "
        "intervals: each share is shown with its 95% interval, the range the share across "
        "similar cases plausibly lies in.",
        CHANGE_RULE,
        practice.LIMITS.get(basis, practice.LIMITS["agency grades"]),
        "The figures describe the cases audited; how far they speak for all the partnership's "
        "children depends on how those cases were chosen.",
        suppression_text(threshold),
    ))]
    return blocks + symbols_table(symbols)


def _methods(results: RoundResults, audit: AuditRound, threshold: int | None) -> list[Block]:
    provenance = results.provenance
    versions = provenance.get("framework_versions", {})
    rounds = ", ".join(f"{round_id} ({framework})" for round_id, framework in versions.items())
    return [
        Paragraph(f"Round {audit.id} ({long_date(audit.period.start)} to "
                  f"{long_date(audit.period.end)}) scored against framework {audit.framework.id} "
                  f"version {audit.framework.version}. Rounds read: {rounds}. The store was read "
                  f"{_as_of_text(results.as_of)}; rerunning the report with the same --as-of "
                  "gives the same figures."),
        wilson_paragraph(),
        change_paragraph(),
        disclosure_paragraph(threshold),
        Paragraph(f"Made with caseaudit {provenance.get('computed_with', '')}."),
    ]


# -- the methods' words, shared with the practice week's report ----------------------------------
#: When a change is called one, as the limits say it.
CHANGE_RULE = ("A difference between two rounds is called an improvement or a decline only when "
               "the interval for the difference lies wholly above or below zero; otherwise it may "
               "be chance and is called no clear change.")


def suppression_text(threshold: int | None) -> str:
    """What is not shown, in the limits' words."""
    return (f"Counts from 1 to {_threshold(threshold)}, and any figure from which such a count "
            "could be worked out, are not shown; a true zero is shown as 0.")


def wilson_paragraph() -> Paragraph:
    """What good or better and a Wilson interval mean."""
    return Paragraph("A judgement counts as good or better when its grade is at a level the "
                     "framework's scale marks good or better; “not applicable” answers and forms "
                     "not yet submitted are left out. Intervals are 95% Wilson score intervals, "
                     "which stay within 0–100% and suit small samples.")


def change_paragraph() -> Paragraph:
    """How a change between two rounds and its interval are worked out."""
    return Paragraph("A change between two rounds is the difference of their shares, with its 95% "
                     "interval by Newcombe's method for two independent proportions (1998, method "
                     "10). A criterion whose question or scale changed between framework versions "
                     "is not compared (z).")


def disclosure_paragraph(threshold: int | None,
                         named: str = "No case, auditor or note is named.") -> Paragraph:
    """The disclosure rules, and what the report never names (``named``)."""
    return Paragraph(f"Disclosure control follows the Department for Education's convention: "
                     f"counts from 1 to {_threshold(threshold)} are suppressed, with secondary "
                     "suppression wherever a hidden count could be worked out from other figures. "
                     + named)


def workbook_version() -> str:
    """The version of caseaudit that made a report."""
    from ..results import _package_version

    return str(_package_version())


def symbols_table(symbols: Sequence[tuple[str, str]]) -> list[Block]:
    """The table of the symbols a report used, each with its meaning (none when it used none):
    every report ends its limits with it, so a reader meeting a ``c`` finds what it means."""
    if not symbols:
        return []
    return [Table(caption="Symbols used in this report", header=("Symbol", "Meaning"),
                  rows=tuple((symbol, meaning) for symbol, meaning in symbols))]
