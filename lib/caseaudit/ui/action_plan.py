"""The action plan dashboard: how the plan that answers an inspection is going and whether the
audits show it working, for the partnership board and its scrutiny committee.

It renders an inspection review (:class:`caseaudit.review.InspectionReview`, computed once per
state of the store) through :mod:`caseaudit.disclosure.plan` only: the inspection, the actions of
each area by status, what is overdue or due soon, each action's impact with its verdict and the
reason in plain words, readiness by line of enquiry (weakest first) and what the next round should
sample. Counts of actions are shown whole; shares of judgements are hidden where small. No update
narrative, recorder, case id, code or traceback reaches the page (a failure is a plain sentence,
and its details go to the server log). The notebook calls :func:`action_plan_dashboard` only.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as widgets

from .. import disclosure, settings
from ..analysis import MIN_CASES, MIN_JUDGEMENTS
from ..disclosure.plan import STATUS_COLUMNS, Pages
from ..errors import WorkbookError
from ..plots import impact_chart, readiness_chart, status_chart
from .board import STYLE, dashboard_links, failure, problem
from .charts import CHART_STYLE, chart_html
from .dashboard import _card
from .findings import render_symbols, symbols_on
from .kit import ahead_of_request, wait_for_viewer

if TYPE_CHECKING:
    from ..review import InspectionReview
    from ..store import Store

log = logging.getLogger("caseaudit")

#: How far ahead "due soon" looks: six weeks, about one board cycle.
WITHIN_DAYS = 42

PLAN_STYLE = """
<style>
.ca-plan-table {border-collapse:collapse; margin:6px 0 14px 0; max-width:100%;}
.ca-plan-table caption {text-align:left; font-weight:600; padding:4px 0;}
.ca-plan-table th, .ca-plan-table td {text-align:left; vertical-align:top; padding:5px 12px 5px 0;
  border-bottom:1px solid #d0d7de; line-height:1.35;}
.ca-plan-table thead th {border-bottom:2px solid #1f2328;}
.ca-plan-table td.ca-num, .ca-plan-table th.ca-num {text-align:right; padding-right:14px;}
.ca-plan-table tr.ca-area-row th, .ca-plan-table tr.ca-area-row td {background:#f6f8fa;}
.ca-plan-table tr.ca-area-row th {font-weight:700;}
.ca-plan-table tr.ca-area-row-plain th {font-weight:normal;}
.ca-plan-table tr.ca-total th, .ca-plan-table tr.ca-total td {font-weight:700;
  border-top:2px solid #1f2328;}
.ca-plan-table .ca-sub {padding-left:18px; font-weight:normal;}
.ca-plan-table td.ca-fig {white-space:nowrap;}
.ca-plan-table .ca-interval {display:block; color:#555; font-size:0.88em; white-space:nowrap;}
.ca-overdue-tag {font-weight:700; color:#8a1c1c;}
.ca-plan section {margin:18px 0 8px 0;}
.ca-plan h3 {margin:18px 0 6px 0;}
.ca-plan p {max-width:62em;}
</style>
"""

#: What the page shows while an inspection's review is computed.
LOADING = (STYLE + '<div class="ca-loading" data-state="loading" role="status">'
           "Loading the inspection review…</div>")

NO_INSPECTION = ("There is no inspection to show yet. When an inspection's letter is recorded "
                 "(an inspection.yaml in the inspections folder) and its action plan written, "
                 "its progress and impact appear here.")


_NUM = ' class="ca-num"'


def _cell(text: Any, numeric: bool = False) -> str:
    return f"<td{_NUM if numeric else ''}>{html.escape(str(text))}</td>"


def _head(columns: Sequence[str], numeric: Sequence[str] = ()) -> str:
    return "<thead><tr>" + "".join(
        f'<th scope="col"{_NUM if c in numeric else ""}>{html.escape(c)}</th>'
        for c in columns) + "</tr></thead>"


def _figure(share: str, interval: str) -> str:
    """A share cell with its interval under it (the symbol alone where hidden, so the key finds it)."""
    if interval == share or interval in ("", "x"):
        return f"<td>{html.escape(share)}</td>"
    return (f'<td class="ca-fig">{html.escape(share)}<span class="ca-interval">'
            f"{html.escape(interval)}</span></td>")


def _notice(text: str) -> str:
    """A sentence that is not a failure: nothing to show yet, and why."""
    return (STYLE + '<div class="ca-loading" data-state="empty" role="status">'
            f"{html.escape(text)}</div>")


def _some(count: str, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == "1" else "s")


# -- the sections ---------------------------------------------------------------------------------


def render_heading(review: InspectionReview, within_days: int = WITHIN_DAYS) -> str:
    """The inspection in words, and the plan's headline counts as cards (whole: not about
    children)."""
    facts = disclosure.inspection_for_board(review)
    progress = disclosure.progress_for_board(review)
    total = progress.iloc[-1]
    due = disclosure.due_for_board(review, within_days)
    soon = str(int((due["state"] == "upcoming").sum()))
    cards = [_card("actions in the plan", facts["actions"], "actions"),
             _card("overdue", total["overdue"], "overdue"),
             _card(f"due in the next {within_days // 7} weeks", soon, "due-soon"),
             _card("complete", total["complete"], "complete")]
    return (STYLE + PLAN_STYLE + f'<div class="ca-plan"><h2>Action plan: {html.escape(facts["type"])} '
            f'inspection, {html.escape(facts["theme"])}</h2>'
            '<section data-section="inspection" aria-label="The inspection">'
            f'<p>Inspected by {html.escape(facts["inspectorates"])}, visit {html.escape(facts["visit"])}. '
            f'The letter is dated {html.escape(facts["letter_date"])}; the written statement of '
            f'action was due by <b>{html.escape(facts["statement_due"])}</b>. It found '
            f'{_some(facts["areas"], "area")} for improvement and '
            f'{_some(facts["strengths"], "strength")}.</p>'
            f'<p>Progress is counted as at <b data-figure="today">{html.escape(facts["today"])}</b>.</p>'
            f'<div class="ca-cards">{"".join(cards)}</div></section></div>')


def render_status(review: InspectionReview) -> str:
    """Actions of each area by status: the chart, then the table it draws."""
    board = disclosure.progress_for_board(review)
    columns = ["actions", *STATUS_COLUMNS, "overdue"]
    body = "".join(
        f'<tr class="{"ca-area-row-plain" if row["area_id"] else "ca-total"}"><th scope="row">'
        f'{html.escape(row["area"])}</th>' + "".join(_cell(row[c], True) for c in columns) + "</tr>"
        for _, row in board.iterrows())
    names = [c.capitalize() for c in columns]
    table = ('<table class="ca-plan-table" data-table="status"><caption>Actions by status, per '
             f"area for improvement</caption>{_head(['Area', *names], names)}"
             f"<tbody>{body}</tbody></table>")
    return (STYLE + PLAN_STYLE + CHART_STYLE + '<section class="ca-plan" data-section="status">'
            "<h3>Status by area</h3><p class=\"ca-note\">Each action's latest status; an action "
            "with no update yet counts as not started, and one past its due date and not "
            "complete as overdue. Counts of actions describe the partnership's work, not "
            "children, so they are shown whole.</p>"
            + chart_html(status_chart(board), "status") + table + "</section>")


def render_due(review: InspectionReview, within_days: int = WITHIN_DAYS) -> str:
    """Actions overdue, then those due within ``within_days``: the plan's words and the latest
    status only."""
    due = disclosure.due_for_board(review, within_days)
    heading = f"<h3>Overdue and due in the next {within_days // 7} weeks</h3>"
    if due.empty:
        return (STYLE + PLAN_STYLE + '<section class="ca-plan" data-section="due">' + heading
                + "<p>No action is overdue or due in that time.</p></section>")
    rows = "".join(
        f'<tr data-due="{html.escape(r["action_id"])}"><th scope="row">{html.escape(r["due"])}</th>'
        + (f'<td><span class="ca-overdue-tag">Overdue</span> '
           f'{html.escape(r["when"].removeprefix("overdue "))}</td>'
           if r["state"] == "overdue" else _cell(r["when"].capitalize()))
        + f'<td><b>{html.escape(r["action_id"])}</b> {html.escape(r["description"])}</td>'
        + _cell(f'{r["area_id"]} {r["area_title"]}')
        + _cell(f'{r["lead_role"]}, {r["lead_agency"]}') + _cell(r["status"]) + "</tr>"
        for _, r in due.iterrows())
    return (STYLE + PLAN_STYLE + '<section class="ca-plan" data-section="due">' + heading
            + '<table class="ca-plan-table" data-table="due"><caption>Overdue first, then by due '
            "date</caption>" + _head(["Due", "When", "Action", "Area", "Lead", "Status"])
            + f"<tbody>{rows}</tbody></table></section>")


def render_practice_weeks(review: InspectionReview) -> str:
    """The actions that answer a practice week's area for development, with the week and the
    criterion it found weakest; empty when no action names one. The plan's words only."""
    links = disclosure.links_for_board(review.practice_weeks)
    if links.empty:
        return ""
    rows = "".join(
        f'<tr data-link="{html.escape(r["action_id"])}"><th scope="row"><b>'
        f'{html.escape(r["action_id"])}</b> {html.escape(r["description"])}</th>'
        + _cell(r["week"]) + _cell(r["criterion"]) + _cell(r["status"]) + "</tr>"
        for _, r in links.iterrows())
    return (STYLE + PLAN_STYLE + '<section class="ca-plan" data-section="practice-weeks">'
            "<h3>Answering practice weeks</h3><p class=\"ca-note\">Actions that answer an area "
            "for development a practice week found (the criterion its observations, audits or "
            "feedback showed weakest). The week's own report lists these actions beside its "
            "findings.</p>"
            '<table class="ca-plan-table" data-table="practice-weeks"><caption>Actions linked to '
            "a practice week's areas for development</caption>"
            + _head(["Action", "Practice week", "Area for development", "Status"])
            + f"<tbody>{rows}</tbody></table></section>")


def render_impact(review: InspectionReview, threshold: int | None = None,
                  pages: Pages = None) -> str:
    """Each area and action: its criteria before and after, the change, the verdict and why."""
    board = disclosure.impact_for_board(review, threshold, pages)
    rows = []
    for _, r in board.iterrows():
        area = r["level"] == "area"
        name = (html.escape(f'{r["area_id"]}: the area, its actions together') if area
                else f'<span class="ca-sub">{html.escape(str(r["label"]))}</span>')
        rows.append(
            f'<tr class="{"ca-area-row" if area else "ca-action-row"}" '
            f'data-{"area" if area else "action"}="{html.escape(r["area_id"] if area else r["action_id"])}">'
            f'<th scope="row">{name}</th>' + _cell(r["criteria"] or "none")
            + _figure(r["before"], r["interval_before"]) + _figure(r["after"], r["interval_after"])
            + _figure(r["change"], r["change_interval"]) + _cell(r["verdict"]) + _cell(r["reason"])
            + "</tr>")
    table = ('<table class="ca-plan-table" data-table="impact"><caption>Good or better on each '
             "action's audit criteria before and after it started: share (n), with its 95% interval "
             "under it</caption>"
             + _head(["Area or action", "Criteria", "Before", "After", "Change", "Verdict", "Why"])
             + f"<tbody>{''.join(rows)}</tbody></table>")
    return (STYLE + PLAN_STYLE + CHART_STYLE + '<section class="ca-plan" data-section="impact">'
            "<h3>Impact measured by the audits</h3><p class=\"ca-note\">For each action, the "
            "share of judgements good or better on its linked audit criteria in the rounds before "
            "it started and in those after, with 95% intervals (the meeting's agreed grades where "
            "there are any). A verdict says <i>improved</i> or <i>declined</i> only when the "
            "interval for the change lies wholly above or below zero; <i>not enough evidence "
            "yet</i> when too few cases have been audited since the action started.</p>"
            + chart_html(impact_chart(review, threshold=threshold, pages=pages), "impact")
            + table + "</section>")


def render_readiness(review: InspectionReview, threshold: int | None = None,
                     pages: Pages = None) -> str:
    """The lines of enquiry, weakest first, each with its criteria."""
    board = disclosure.readiness_for_board(review, threshold, pages)
    rows = []
    for _, r in board.iterrows():
        line = r["level"] == "line"
        name = (html.escape(str(r["line_title"])) if line
                else f'<span class="ca-sub">{html.escape(str(r["label"]))}</span>')
        rows.append(f'<tr class="{"ca-area-row" if line else "ca-criterion-row"}">'
                    f'<th scope="row">{name}</th>' + _cell(r["round_id"])
                    + _figure(r["share"], r["interval"]) + _cell(r["n"], True)
                    + _cell(r["trend"] or "first round") + "</tr>")
    table = ('<table class="ca-plan-table" data-table="readiness"><caption>Each line of enquiry '
             "and its criteria in the latest round, weakest line first: share, with its 95% interval "
             "under it</caption>"
             + _head(["Line of enquiry or criterion", "Round", "Good or better", "n",
                      "Since the round before"], ["n"])
             + f"<tbody>{''.join(rows)}</tbody></table>")
    return (STYLE + PLAN_STYLE + CHART_STYLE + '<section class="ca-plan" data-section="readiness">'
            "<h3>Readiness by line of enquiry</h3><p class=\"ca-note\">Where a new inspection "
            "would find practice weakest: the criteria of each line of enquiry in the latest "
            "round with figures, pooled for the line.</p>"
            + chart_html(readiness_chart(review, threshold=threshold, pages=pages), "readiness")
            + table + "</section>")


def render_suggestions(review: InspectionReview) -> str:
    """Which criteria the next audit round should sample."""
    board = disclosure.suggestions_for_board(review)
    heading = "<h3>What the next audit round should sample</h3>"
    if board.empty:
        body = "<p>Every action with audit criteria has enough audited cases since it started.</p>"
    else:
        rows = "".join(f'<tr><th scope="row">{html.escape(str(r["label"]))}</th>'
                       + _cell(r["actions"]) + "</tr>" for _, r in board.iterrows())
        body = ("<p>For the actions the audits cannot measure yet, the next round should sample "
                "cases that these criteria apply to, so that each action has at least "
                f"{MIN_JUDGEMENTS} judgements from {MIN_CASES} cases audited since it started.</p>"
                '<table class="ca-plan-table" data-table="suggestions">'
                + _head(["Criterion", "Actions waiting for evidence"])
                + f"<tbody>{rows}</tbody></table>")
    return (STYLE + PLAN_STYLE + '<section class="ca-plan" data-section="suggestions">' + heading
            + body + "</section>")


def render_action_plan(review: InspectionReview, threshold: int | None = None,
                       pages: Pages = None,
                       within_days: int = WITHIN_DAYS) -> list[widgets.HTML]:
    """Every section of the page in order, ending with the key to the symbols it uses."""
    parts = [render_heading(review, within_days), render_status(review),
             render_due(review, within_days), *filter(None, [render_practice_weeks(review)]),
             render_impact(review, threshold, pages),
             render_readiness(review, threshold, pages), render_suggestions(review)]
    parts.append(render_symbols(symbols_on(parts), threshold))
    return [widgets.HTML(part) for part in parts]


# -- the dashboard --------------------------------------------------------------------------------


class _NoPlan(WorkbookError):
    """An inspection without its action plan yet: said to a board in its own words."""


class ActionPlanDashboard:
    """An inspection picker (when there are several) above the chosen inspection's review.

    ``review_of`` computes an inspection's review (by default :func:`caseaudit.review.inspection_review`
    on the store, counted at :func:`caseaudit.settings.today`); tests pass their own. The drawn
    page is kept per inspection and state of the store, so switching back costs nothing."""

    page: ClassVar[str] = "action_plan.ipynb"

    def __init__(self, store: Store | None = None, inspections: str | Path | None = None,
                 review_of: Callable[[str], InspectionReview] | None = None,
                 threshold: int | None = None, within_days: int = WITHIN_DAYS) -> None:
        from ..inspection import list_inspection_ids

        self.threshold, self.within_days = threshold, within_days
        self.inspections = inspections
        self.store = store
        self._review_of = review_of
        self.message = widgets.HTML()
        self.body = widgets.VBox()
        self.shown: str | None = None
        self._drawn: dict[str, tuple[object, tuple[str, ...]]] = {}
        self.ids: list[str] = []
        options: list[tuple[str, str]] = []
        try:
            if review_of is None and store is None:
                from ..store import open_store

                self.store = open_store(create=False)
            self.ids = list_inspection_ids(inspections)
            options = [(self._title(i), i) for i in reversed(self.ids)]  # the latest first
        except WorkbookError as exc:
            log.error("action plan dashboard could not start: %s", exc)
            self.message.value = problem("The dashboard cannot read the workbook: "
                                         + str(exc).splitlines()[0])
        self.picker = widgets.Dropdown(options=options, description="Inspection",
                                       layout=widgets.Layout(width="640px"),
                                       style={"description_width": "initial"})
        self.picker.observe(lambda change: self.show(change["new"]), names="value")
        self.picker.layout.display = None if len(options) > 1 else "none"
        self._widget = widgets.VBox([widgets.HTML(dashboard_links(self.page)), self.picker,
                                     self.message, self.body])

    def _title(self, inspection_id: str) -> str:
        from ..inspection import load_inspection

        try:
            inspection = load_inspection(inspection_id, self.inspections)
        except WorkbookError:
            return f"{inspection_id} (its file cannot be read)"
        return (f"{inspection.type}: {inspection.theme} (letter {inspection.letter_date:%B %Y})")

    def widget(self) -> widgets.VBox:
        """The whole dashboard, ready to display."""
        return self._widget

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self._widget._repr_mimebundle_(**kwargs)

    def review(self, inspection_id: str) -> InspectionReview:
        """The inspection's review, or :class:`_NoPlan` when it has no action plan yet."""
        if self._review_of is not None:
            return self._review_of(inspection_id)
        from ..action_plan import plan_path
        from ..inspection import load_inspection

        inspection = load_inspection(inspection_id, self.inspections)
        if not plan_path(inspection, self.inspections).exists():
            raise _NoPlan(f"The {inspection.type} inspection on {inspection.theme.lower()} has no "
                          "action plan yet. Once the partnership's plan is added (action_plan.yaml "
                          "beside the inspection), its progress and impact appear here.")
        from ..review import inspection_review

        return inspection_review(self.store, inspection_id, inspections=self.inspections,
                                 today=settings.today())

    def pages(self, review: InspectionReview) -> Pages:
        """Each round's own good-or-better figures, so a pooled figure hides what a round's
        page hides (see :func:`caseaudit.disclosure.impact_for_board`); none without a store."""
        if self.store is None or not review.rounds:
            return None
        from ..findings import pages_of_rounds

        return pages_of_rounds(self.store, review.rounds, as_of=review.as_of)

    def _marker(self) -> object:
        return (self.store.last_change() if self.store is not None else None, settings.today())

    def show(self, inspection_id: str | None) -> None:
        """Draw ``inspection_id``'s review into the dashboard, saying so while it is drawn."""
        if inspection_id is None:
            self.body.children = ()
            if not self.message.value:
                self.message.value = _notice(NO_INSPECTION)
            return
        self.body.children = (widgets.HTML(LOADING),)
        try:
            marker = self._marker()
            drawn = self._drawn.get(inspection_id)
            if drawn is None or drawn[0] != marker:
                review = self.review(inspection_id)
                items = render_action_plan(review, self.threshold, self.pages(review),
                                           self.within_days)
                drawn = self._drawn[inspection_id] = (marker, tuple(w.value for w in items))
        except _NoPlan as exc:
            self.body.children = ()
            self.message.value = _notice(str(exc))
            return
        except Exception as exc:  # a page must never show a traceback; the log keeps it
            self.body.children = ()
            self.message.value = failure(exc, f"the action plan of inspection {inspection_id}")
            return
        self.message.value = ""
        self.body.children = tuple(widgets.HTML(value) for value in drawn[1])
        self.shown = inspection_id

    def refresh(self) -> bool:
        """Redraw the inspection on show if the store (or the day) has changed since; ``True``
        if it redrew."""
        if self.shown is None:
            return False
        try:
            if self._drawn.get(self.shown, (None,))[0] == self._marker():
                return False
        except WorkbookError as exc:
            log.error("action plan dashboard could not check the store: %s", exc)
            return False
        self.show(self.shown)
        return True


def action_plan_dashboard(store: Store | None = None,
                          inspections: str | Path | None = None) -> ActionPlanDashboard:
    """Build and draw the action plan dashboard, the latest inspection first (the notebook's only
    call); on a preheated page it is drawn before anyone asks and brought up to date on opening."""
    board = ActionPlanDashboard(store, inspections)
    board.show(board.picker.value)
    if ahead_of_request():
        wait_for_viewer()
        board.refresh()
    return board
