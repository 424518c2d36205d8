"""What the progress report on an inspection's action plan says: an
:class:`~caseaudit.review.InspectionReview`, through disclosure control, as a
:class:`~.model.Report`.

The scrutiny committee that received the inspection's letter asked for an update in six to twelve
months on two things: *implementation* of the plan and its *impact for children*. So the report
says how far each area's actions have got (counts of actions, not of children), then what the
audits show on the criteria each action names, with the limits of that evidence said as plainly
as the figures: samples are small, a change is claimed only when its interval excludes zero, an
action the audits cannot yet measure is said to have no evidence yet rather than no effect. Then
the letter's strengths, where a new inspection would find the partnership weakest (the readiness
view by line of enquiry), and what comes next.

Like :mod:`.content` for a round, this is the one place that decides the report's words; the
writers lay it out unchanged. Every figure is text from the board-facing forms of
:mod:`caseaudit.disclosure.plan` (the ones the action-plan dashboard shows), taken in one place,
:func:`board_forms`; nothing here names a case, an auditor, a person, a note or an update's
narrative, and leads are agencies and roles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from .. import disclosure
from ..action_plan import STATUSES
from ..analysis import MIN_CASES, MIN_JUDGEMENTS
from ..disclosure.rules import threshold_of
from ..times import listing, long_date
from .content import symbols_table
from .model import Block, Bullets, Chart, Paragraph, Report, Section, Table
from .practice import symbols_note

if TYPE_CHECKING:
    from ..review import InspectionReview

#: How far ahead "upcoming" due dates look, in days: six weeks, about one committee cycle.
UPCOMING_DAYS = 42

#: What the impact figures rest on, by the review's ``basis`` (one sentence each: a report says
#: every basis its figures have).
BASES = {"moderated": "the grade the multi-agency meeting agreed for each case and criterion",
         "mixed": "the grade the multi-agency meeting agreed where it agreed one, and each "
                  "agency's own grade otherwise (a case not yet moderated counts once for each "
                  "agency that graded it)",
         "agency grades": "the agencies' own grades only, one for each agency that graded a case, "
                          "not a grade agreed across agencies"}


#: The impact verdicts, as the review and its board form say them (a hidden one reads ``c``).
VERDICTS = ("improved", "declined", "no clear change", "not comparable", "not enough evidence yet",
            "no audit criterion")


@dataclass(frozen=True)
class BoardForms:
    """The review's frames as a board may see them: every figure text, hidden where disclosure
    control hides it, and the dashboard's charts of them (drawn from the chart forms, so no
    chart shows what a table hides). The report reads only these, and the plan's and the
    letter's own words."""

    progress: pd.DataFrame
    due: pd.DataFrame
    impact: pd.DataFrame
    readiness: pd.DataFrame
    suggestions: pd.DataFrame
    status_chart: Chart
    impact_chart: Chart
    readiness_chart: Chart


def board_forms(review: InspectionReview, threshold: int | None = None,
                pages: Mapping[str, pd.DataFrame] | None = None) -> BoardForms:
    """The one seam between the report and disclosure control: the forms and charts the
    action-plan dashboard shows, so the committee and the board read the same figures. ``pages``
    are the rounds' own good-or-better figures (:func:`caseaudit.findings.round_pages`): a pooled
    figure is hidden wherever it would give back a criterion a round's page hides."""
    from .. import plots
    from ..disclosure import plan
    from .charts import report_chart

    progress = plan.progress_for_board(review)
    return BoardForms(
        progress=progress, due=plan.due_for_board(review, within_days=UPCOMING_DAYS),
        impact=plan.impact_for_board(review, threshold, pages),
        readiness=plan.readiness_for_board(review, threshold, pages),
        suggestions=plan.suggestions_for_board(review),
        status_chart=report_chart(plots.status_chart(progress)),
        impact_chart=report_chart(plots.impact_chart(review, threshold=threshold, pages=pages)),
        readiness_chart=report_chart(plots.readiness_chart(review, threshold=threshold,
                                                           pages=pages)))


# -- small words ----------------------------------------------------------------------------------
def _count(number: int, thing: str, things: str | None = None) -> str:
    return f"{number} {thing if number == 1 else things or thing + 's'}"


def _as_of_text(as_of: datetime | None) -> str:
    return "as they stood when the report was made" if as_of is None else \
        f"as they stood at {as_of:%H:%M} UTC on {long_date(as_of.date())}"


# -- the report -----------------------------------------------------------------------------------
def build_inspection_report(review: InspectionReview, *, partnership: str,
                            threshold: int | None = None,
                            pages: Mapping[str, pd.DataFrame] | None = None) -> Report:
    """The progress report on ``review``'s action plan, dated the review's ``today`` (the day
    progress is counted against), its figures hidden as :func:`board_forms` hides them."""
    forms = board_forms(review, threshold, pages)
    inspection = review.inspection
    sections: tuple[Section, ...] = (
        Section("Summary", tuple(_summary(review, forms))),
        Section("The inspection and the plan", tuple(_inspection(review))),
        Section("Implementation progress by area", tuple(_progress(review, forms, threshold))),
        *_practice_weeks(review),
        Section("Impact for children: what the audits show", tuple(_impact(review, forms,
                                                                            threshold))),
        Section("Strengths sustained", tuple(_strengths(review))),
        Section("Readiness by line of enquiry", tuple(_readiness_overview(forms, threshold))),
        *_readiness_lines(review, forms, threshold),
        Section("What comes next", tuple(_next(review, forms, threshold))),
    )
    cells = [cell for s in sections for b in s.blocks if isinstance(b, Table)
             for row in b.rows for cell in row]
    sections = (
        *sections,
        Section("What the figures can and cannot say",
                tuple(_limits(review, forms, threshold, disclosure.symbol_key(cells, threshold)))),
        Section("Methods", tuple(_methods(review, threshold))),
    )
    provenance = review.provenance
    return Report(title=f"The {inspection.type} action plan: progress and impact",
                  partnership=partnership, date=long_date(review.today),
                  subtitle=f"Report to the scrutiny committee on the action plan answering the "
                           f"{inspection.type} on {inspection.theme[:1].lower()}"
                           f"{inspection.theme[1:]} (letter of {long_date(inspection.letter_date)}). "
                           f"Progress as at {long_date(review.today)}; audit figures and updates "
                           f"{_as_of_text(review.as_of)}.",
                  sections=sections,
                  provenance={"inspection": inspection.id, "rounds": ", ".join(review.rounds),
                              "today": review.today.isoformat(),
                              "as-of": str(provenance.get("as_of") or "when made"),
                              "workbook": str(provenance.get("computed_with", ""))})


# -- summary and the inspection -------------------------------------------------------------------
def _status_totals(forms: BoardForms) -> dict[str, int]:
    """Actions by status, and overdue, over the whole plan: the form's last row, all areas
    (counts of actions, which the form shows whole)."""
    table = forms.progress
    if table.empty:
        return {}
    total = table.iloc[-1]
    return {c: int(str(total[c]).replace(",", "")) for c in (*STATUSES, "overdue", "actions")
            if c in table}


def _area_verdicts(forms: BoardForms) -> dict[str, list[str]]:
    """Each verdict the areas' rows show (``c`` and the other symbols included), and the areas."""
    areas = forms.impact[forms.impact["level"] == "area"]
    out: dict[str, list[str]] = {}
    for _, row in areas.iterrows():
        out.setdefault(str(row["verdict"]), []).append(str(row["area_id"]))
    return out


def _summary(review: InspectionReview, forms: BoardForms) -> list[Block]:
    totals = _status_totals(forms)
    counts = [f"{totals[s]} {s}" for s in STATUSES if totals.get(s)]
    areas = len(review.plan.areas)
    blocks: list[Block] = [Paragraph(
        f"{_count(totals.get('actions', 0), 'action')} in {_count(areas, 'area')} for improvement: "
        f"{listing(counts) if counts else 'none recorded'}.",
        lead=f"{_count(totals.get('overdue', 0), 'action')} overdue.")]
    verdicts = _area_verdicts(forms)
    said = [f"{verdict} in {listing(verdicts[verdict])}" for verdict in VERDICTS
            if verdict in verdicts]
    hidden = [i for verdict, ids in verdicts.items() if verdict not in VERDICTS for i in ids]
    if hidden:
        said.append(f"not shown for {listing(hidden)} (the figures rest on, or would reveal, a "
                    "count too small to publish)")
    if said:
        blocks.append(Paragraph(
            "On the audit criteria each area's actions name, comparing the rounds before the "
            f"actions started with the rounds after: {'; '.join(said)}.", lead="Impact:"))
    improved = verdicts.get("improved", [])
    blocks.append(Bullets((
        "Improved means the audits found a change larger than chance on that area's criteria "
        "since its actions started; it does not prove the actions caused it."
        if improved else "No area yet shows a change on its criteria larger than chance.",
        "No clear change means the difference may be chance, not that the actions failed; not "
        "enough evidence yet means too few cases have been audited since the action started "
        "to tell.",
    )))
    return blocks


def _inspection(review: InspectionReview) -> list[Block]:
    i = review.inspection
    lines = [f"{line.title} ({_count(len(line.criteria), 'audit criterion', 'audit criteria')})"
             for line in i.lines_of_enquiry]
    owners = sorted({a.governance_owner for a in review.plan.areas})
    blocks: list[Block] = [
        Paragraph(f"{listing(i.inspectorates)} carried out the {i.type} (theme: "
                  f"{i.theme}) from {long_date(i.visit.start)} to {long_date(i.visit.end)}; their letter "
                  f"of {long_date(i.letter_date)} found "
                  f"{_count(len(i.areas_for_improvement), 'area')} for improvement and "
                  f"{_count(len(i.strengths), 'strength')}. The written statement of action was "
                  f"due on {long_date(i.statement_due)}."),
        Paragraph(f"The action plan answers each area with an intended outcome for children and "
                  f"actions, each with a lead agency and role, dates, a success measure and the "
                  f"audit criteria (framework {i.framework}) that will show its impact. It is "
                  f"overseen by {listing(owners)}." if owners else
                  "The action plan has no areas yet."),
    ]
    if lines:
        blocks.append(Paragraph("The lines of enquiry: " + "; ".join(lines) + "."))
    return blocks


# -- implementation -------------------------------------------------------------------------------
def _progress(review: InspectionReview, forms: BoardForms, threshold: int | None) -> list[Block]:
    counts = ("actions", *STATUSES, "overdue")
    rows = tuple((str(r["area"]), *(str(r[c]) for c in counts)) for _, r in forms.progress.iterrows())
    return [
        Paragraph(f"Each action's latest recorded status as at {long_date(review.today)}; an "
                  "action never updated counts as not started, and an action is overdue when its "
                  "due date has passed and it is not complete. These are counts of actions, not of "
                  "children, so they are shown in full."),
        forms.status_chart,
        Table(caption=f"Actions by status and area, as at {long_date(review.today)}",
              header=("Area for improvement", "Actions", *(s.capitalize() for s in STATUSES),
                      "Overdue"),
              rows=rows, note=symbols_note([c for r in rows for c in r], threshold)),
    ]


def _practice_weeks(review: InspectionReview) -> list[Section]:
    """A part naming the actions that answer a practice week's area for development, when any
    does: the link as the plan states it, and the action's status (the plan's words only)."""
    links = disclosure.links_for_board(review.practice_weeks)
    if links.empty:
        return []
    rows = tuple((f"{r['action_id']} {r['description']}", r["area_id"], r["week"], r["criterion"],
                  r["status"]) for _, r in links.iterrows())
    return [Section("Answering practice weeks", (
        Paragraph("Some actions also answer an area for development that a practice week found: "
                  "a criterion its collaborative audits, observations or feedback showed weakest. "
                  "The week's own report names these actions beside its findings."),
        Table(caption="Actions linked to a practice week's areas for development",
              header=("Action", "Area", "Practice week", "Area for development", "Status"),
              rows=rows),
    ))]


# -- impact ---------------------------------------------------------------------------------------
def _impact_rows(forms: BoardForms) -> tuple[tuple[str, ...], ...]:
    """An area's row (its label, e.g. "A3 Safety planning", marked as the area), then its
    actions' rows, as the review orders them."""
    return tuple((f"{r['label']} (area)" if r["level"] == "area" else str(r["label"]),
                  str(r["criteria"]) or "none", str(r["before"]), str(r["after"]),
                  str(r["change"]), str(r["change_interval"]), str(r["verdict"]))
                 for _, r in forms.impact.iterrows())


def _basis(review: InspectionReview) -> set[str]:
    """What the impact figures rest on (moderated grades, agency grades, or both): words that
    describe the figures, not figures."""
    if "basis" not in review.impact:
        return set()
    return {str(b) for b in review.impact["basis"] if isinstance(b, str) and b}


def _why(row: pd.Series) -> str:
    """An action's verdict and why, in the board form's words (written from the disclosed
    figures: never the review's own reason, which holds exact small counts)."""
    verdict, reason = str(row["verdict"]), str(row["reason"])
    reason = reason.removeprefix(f"{verdict}: ")
    return f"{row['action_id']} ({verdict}): {reason}."


def _impact(review: InspectionReview, forms: BoardForms, threshold: int | None) -> list[Block]:
    rows = _impact_rows(forms)
    actions = forms.impact[forms.impact["level"] == "action"]
    return [
        Paragraph("For each area and action, the share of the linked criteria's judgements that "
                  "were good or better in the audit rounds before it started and in the rounds "
                  "after (with n, the judgements behind it), the change in percentage points with "
                  "its 95% interval, and the verdict. An area pools its actions' criteria."),
        forms.impact_chart,
        Table(caption="Impact on the linked audit criteria: before and after each action started",
              header=("Area or action", "Criteria", "Before", "After", "Change",
                      "95% interval of the change", "Verdict"),
              rows=rows, note=symbols_note([c for r in rows for c in r], threshold)),
        Paragraph("Each action's verdict, and why:"),
        Bullets(tuple(_why(r) for _, r in actions.iterrows())),
    ]


# -- strengths ------------------------------------------------------------------------------------
def _strengths(review: InspectionReview) -> list[Block]:
    strengths = review.inspection.strengths
    if not strengths:
        return [Paragraph("The letter recorded no strengths.")]
    return [
        Paragraph("The strengths the letter found, which the plan means to keep. The inspection "
                  "record links no audit criteria to them, so the audits' latest figures on the "
                  "practice they describe are those of the readiness view below, by line of "
                  "enquiry."),
        Bullets(tuple(f"{s.id} {s.title}: {s.text}" for s in strengths)),
    ]


# -- readiness ------------------------------------------------------------------------------------
_READINESS_HEADER = ("Latest round", "Judgements (n)", "Cases", "Good or better", "95% interval",
                     "Trend")


def _readiness_row(name: str, row: pd.Series) -> tuple[str, ...]:
    return (name, *(str(row[c]) for c in ("round_id", "n", "cases", "share", "interval", "trend")))


def _readiness_overview(forms: BoardForms, threshold: int | None) -> list[Block]:
    lines = forms.readiness[forms.readiness["level"] == "line"]
    if lines.empty:
        return [Paragraph("The inspection names no lines of enquiry with audit criteria.")]
    rows = tuple(_readiness_row(str(r["line_title"]), r) for _, r in lines.iterrows())
    return [
        Paragraph("Where a new inspection would find the partnership weakest: for each line of "
                  "enquiry, the share of judgements good or better on its criteria in the latest "
                  "round that has figures, and the trend against the round before. The weakest "
                  "line is first."),
        forms.readiness_chart,
        Table(caption="Readiness by line of enquiry, weakest first",
              header=("Line of enquiry", *_READINESS_HEADER), rows=rows,
              note=symbols_note([c for r in rows for c in r], threshold)),
    ]


def _readiness_lines(review: InspectionReview, forms: BoardForms,
                     threshold: int | None) -> list[Section]:
    """A part for each line of enquiry (weakest first, as the overview): its criteria's figures."""
    criteria = forms.readiness[forms.readiness["level"] == "criterion"]
    sections = []
    for _, line in forms.readiness[forms.readiness["level"] == "line"].iterrows():
        own = criteria[criteria["line_id"] == line["line_id"]]
        if own.empty:
            continue
        rows = tuple(_readiness_row(str(r["label"]), r) for _, r in own.iterrows())
        sections.append(Section(str(line["line_title"]), (Table(
            caption=f"{line['line_title']}: its criteria in the latest round",
            header=("Criterion", *_READINESS_HEADER), rows=rows,
            note=symbols_note([c for r in rows for c in r], threshold)),), level=2))
    return sections


# -- what comes next ------------------------------------------------------------------------------
def _next(review: InspectionReview, forms: BoardForms, threshold: int | None) -> list[Block]:
    due = forms.due
    header = ("Action", "Area", "Description", "Lead agency", "Lead role", "Due", "When", "Status")
    blocks: list[Block] = []
    for state, caption, none in (
            ("overdue", f"Overdue actions at {long_date(review.today)}", "No action is overdue."),
            ("upcoming", f"Actions due in the next {UPCOMING_DAYS // 7} weeks",
             f"No action falls due in the next {UPCOMING_DAYS // 7} weeks.")):
        rows = tuple(tuple(str(r[c]) for c in ("action_id", "area_id", "description", "lead_agency",
                                               "lead_role", "due", "when", "status"))
                     for _, r in due[due["state"] == state].iterrows())
        blocks.append(Table(caption=caption, header=header, rows=rows) if rows else Paragraph(none))
    return [*blocks, *_sampling(forms)]


def _sampling(forms: BoardForms) -> list[Block]:
    """Which criteria the next audit round should sample: those of actions with no evidence yet.
    The cases each needs are said as the fixed minimum rather than the form's shortfall, which
    is the minimum less the cases audited, and so would give back a count the impact table
    hides."""
    suggestions = forms.suggestions
    if suggestions.empty:
        return [Paragraph("Every action with audit criteria and a baseline has enough audited cases "
                          "since it started for a verdict; the next round can sample as usual.")]
    rows = tuple((str(r["label"]), str(r["actions"])) for _, r in suggestions.iterrows())
    return [
        Paragraph(f"For the actions the audits cannot yet measure, the next audit round should "
                  f"sample cases that these criteria apply to, so that each action has at least "
                  f"{MIN_JUDGEMENTS} judgements from {MIN_CASES} cases audited since it started."),
        Table(caption="Criteria the next audit round should sample",
              header=("Criterion", "Actions waiting for evidence"), rows=rows),
    ]


# -- limits and methods ---------------------------------------------------------------------------
def _limits(review: InspectionReview, forms: BoardForms, threshold: int | None,
            symbols: Sequence[tuple[str, str]]) -> list[Block]:
    basis = _basis(review)
    bases = [BASES[b] for b in BASES if b in basis]
    grades = ([f"Every impact figure rests on {bases[0]}."] if len(bases) == 1 else
              [f"Some impact figures rest on {b}." for b in bases])
    blocks: list[Block] = [Bullets((
        "Audit samples are small, and an action's criteria apply to only some of the cases each "
        "round audits. Each share is shown with the number of judgements behind it and the range "
        "it plausibly lies in (its 95% interval).",
        "A change is called an improvement or a decline only when the interval for the difference "
        "lies wholly above or below zero; otherwise it is no clear change, which may be chance.",
        f"An action needs at least {MIN_JUDGEMENTS} judgements from {MIN_CASES} cases audited "
        "since it started before the report gives a verdict; until then it says not enough "
        "evidence yet, which is not the same as no effect.",
        "Rounds before and after an action audit different cases, and other things change "
        "meanwhile: an improvement after an action started is consistent with the action working, "
        "not proof of it.",
        *grades,
        f"Counts of judgements and cases from 1 to {threshold_of(threshold)}, and any figure from "
        "which such a count could be worked out, are not shown; a true zero is shown as 0. Counts "
        "of actions are not about children and are shown in full.",
    ))]
    return blocks + symbols_table(symbols)


def _methods(review: InspectionReview, threshold: int | None) -> list[Block]:
    inspection = review.inspection
    rounds = listing(list(review.rounds)) if review.rounds else "none"
    return [
        Paragraph(f"Inspection {inspection.id}, its action plan and the progress updates recorded "
                  f"against it; audit rounds read: {rounds}. Progress is counted as at "
                  f"{long_date(review.today)}; forms and updates were read "
                  f"{_as_of_text(review.as_of)}, and rerunning the report with the same --as-of "
                  "gives the same figures."),
        Paragraph("A round is before an action when its period ends before the action starts, "
                  "and after it when its period starts on or after that day; a round running "
                  "across the start is neither. The judgements of the action's criteria are pooled "
                  "over the rounds on each side; an area pools its actions' criteria."),
        Paragraph("A judgement counts as good or better when its grade is at a level the "
                  "framework's scale marks good or better, on the grade the multi-agency meeting "
                  "agreed where there is one. Shares have 95% Wilson score intervals; a change is "
                  "the difference of two shares, with its 95% interval by Newcombe's method for "
                  "two independent proportions (1998, method 10)."),
        Paragraph(f"Disclosure control follows the Department for Education's convention: counts "
                  f"from 1 to {threshold_of(threshold)} are suppressed, with secondary suppression "
                  "wherever a hidden count could be worked out from other figures. No case, "
                  "auditor, person or note is named, and no update's narrative is quoted; actions "
                  "are led by agencies and roles."),
        Paragraph(f"Made with caseaudit {review.provenance.get('computed_with', '')}."),
    ]
