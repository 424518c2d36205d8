"""The progress-update form: record how an action of an inspection's action plan is going, in a
notebook or as a web page served by Voila (``make actions``).

The partnership's business manager keeps the plan after the inspection: every few weeks each
action's lead reports, and the board and the scrutiny committee read where the plan stands. An
update is a status (not started, on track, at risk, off track, complete), the day it was recorded,
what has been done and the evidence for it. Each save is a new revision of the action's progress,
so the history below the form is the action's whole story, and a colleague's update saved
meanwhile is never overwritten: drafts that keep themselves, the conflict panel and the messages
beside the button are every form's (:class:`~caseaudit.ui.form_base.FormBase`). What is the
update form's own is here: choosing the inspection and the action, showing what the action
promised, and warning, before the save, when the text looks like it names someone.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Sequence
from datetime import date
from typing import Any

import ipywidgets as widgets

from .. import settings
from ..action_plan import STATUSES, Action, ActionPlan, AreaPlan, load_plan
from ..errors import ConflictError, WorkbookError
from ..inspection import Inspection, list_inspection_ids, load_inspection
from ..privacy import first_names
from ..store import ActionDraft, ActionUpdate, ActionUpdateSave, Store, UpdateRefused, open_store
from .form_base import AUTOSAVE_SECONDS, FormBase
from .kit import (
    STYLE,
    Scheduler,
    ahead_of_request,
    call_later,
    in_web_app,
    labelled,
    message_html,
    picker,
    privacy_warning,
    save_button,
    wait_for_viewer,
)

log = logging.getLogger("caseaudit")

#: The update form's own look, beside the forms' shared one.
ACTIONS_STYLE = """<style>
.ca-action-info, .ca-history {line-height:1.4;}
.ca-action-info h2 {font-size:1.05em; margin:8px 0 4px 0;}
.ca-action-table {border-collapse:collapse;}
.ca-action-table th {text-align:left; white-space:nowrap; padding:1px 14px 1px 0; vertical-align:top;}
.ca-action-table td {padding:1px 0;}
.ca-history-table {border-collapse:collapse; margin:4px 0 8px 0;}
.ca-history-table td, .ca-history-table th {padding:2px 12px 2px 0; text-align:left;
  vertical-align:top;}
.ca-history-table caption {text-align:left; font-weight:600; padding:4px 0;}
.ca-overdue {color:#7a1c13; font-weight:600;}
</style>"""

#: The most of an action's description a drop-down label shows.
LABEL_CHARS = 70


def open_inspections(inspections: str | os.PathLike[str] | None = None
                     ) -> tuple[list[tuple[Inspection, ActionPlan]], str]:
    """Every inspection with an action plan in the inspections folder, and a warning naming any
    that cannot be read: one broken plan must not stop progress being recorded on the others."""
    found: list[tuple[Inspection, ActionPlan]] = []
    broken: list[str] = []
    for inspection_id in list_inspection_ids(inspections):
        try:
            inspection = load_inspection(inspection_id, inspections)
            found.append((inspection, load_plan(inspection, inspections=inspections)))
        except WorkbookError as exc:
            log.error("inspection %s cannot be offered: %s", inspection_id, exc)
            broken.append(message_html(f"Inspection {inspection_id} is not offered. "
                                       f"{str(exc).splitlines()[0]}", "warn"))
    return found, "".join(broken)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def history_table(history: Sequence[ActionUpdate]) -> str:
    """An action's updates, newest first: the date recorded, the status and who recorded it, with
    the narrative and evidence (this form is the one place they are shown)."""
    if not history:
        return '<p class="ca-hint">No update has been recorded for this action yet.</p>'
    rows = "".join(
        f"<tr><td>{_long_date(u.recorded_on)}</td><td>{html.escape(u.status)}</td>"
        f"<td>{html.escape(u.saved_by)}</td><td>{html.escape(u.narrative)}"
        + (f"<br><i>Evidence:</i> {html.escape(u.evidence)}" if u.evidence else "")
        + (" ⚠ may contain personal data" if u.flagged else "") + "</td></tr>"
        for u in reversed(history))
    return ('<table class="ca-history-table"><caption>Updates so far, latest first</caption>'
            '<tr><th scope="col">Recorded</th><th scope="col">Status</th><th scope="col">By</th>'
            f'<th scope="col">What was done</th></tr>{rows}</table>')


class ActionUpdateForm(FormBase):
    """Choose the inspection (when there are several), say who you are, choose an action; see
    what it promised and its updates so far; record its status, the day, what was done and the
    evidence. Until Save update, what is typed is kept as a draft nothing but this form reads."""

    style = STYLE + ACTIONS_STYLE
    subject = "this action's progress"
    conflict_advice = "reload to see their update in the history, or keep yours as a new update " \
                      "on top."
    conflict_choice = "Choose just above."

    def __init__(self, store: Store | None = None,
                 inspections: Sequence[tuple[Inspection, ActionPlan]] | None = None,
                 recorder: str | None = None, autosave_seconds: float = AUTOSAVE_SECONDS,
                 scheduler: Scheduler = call_later) -> None:
        super().__init__(store or open_store(create=False), autosave_seconds, scheduler)
        notice = ""
        if inspections is None:
            inspections, notice = open_inspections()
        self.inspections = {inspection.id: (inspection, plan) for inspection, plan in inspections}
        self.notice = widgets.HTML(notice)
        self.inspection: Inspection | None = None
        self.plan: ActionPlan | None = None
        self.action_id: str | None = None  # the action the widgets hold, even while switching
        self.last_saved: ActionUpdate | None = None
        self._agency_names: dict[str, str] = {}

        self.inspection_picker = picker("Inspection", [
            (f"{i.type} {i.theme}: letter of {_long_date(i.letter_date)} ({i.id})", i.id)
            for i, _ in reversed(inspections)], wide=True)
        if len(self.inspections) < 2:  # one inspection is simply the one
            self.inspection_picker.layout.display = "none"
        self.heading = widgets.HTML()
        # lined up with the drop-downs, as the scoring form's "I am"
        self.recorder = widgets.Text(
            value=recorder or os.environ.get(settings.HUB_USER_ENV, ""), description="I am",
            placeholder="Your id or role, e.g. BM-1 (recorded with the update)",
            style={"description_width": "110px"}, layout=widgets.Layout(width="530px"))
        self.recorder.add_class("ca-recorder")
        self.action_picker = picker("Action", wide=True)
        self.action_picker.layout.width = "860px"
        self.info = widgets.HTML()
        self.info.add_class("ca-action-info")
        self.history = widgets.HTML()
        self.history.add_class("ca-history")
        self.status = widgets.ToggleButtons(
            options=[(s[0].upper() + s[1:], s) for s in STATUSES], value=None,
            description="Status", style={"button_width": "auto", "description_width": "initial"})
        self.status.add_class("ca-label-above")
        self.status.add_class("ca-choice")
        self.status.add_class("ca-status")
        self.recorded_on = labelled(widgets.DatePicker(value=settings.today()), "Date recorded")
        self.recorded_on.add_class("ca-recorded-on")
        self.narrative = labelled(widgets.Textarea(
            placeholder="What has been done since the last update, and what difference it has made "
                        "for children (no names: say 'the child', 'the family')",
            continuous_update=True, layout=widgets.Layout(width="95%", height="110px")),
            "What was done")
        self.narrative.add_class("ca-narrative")
        self.evidence = labelled(widgets.Text(
            placeholder="Where the evidence is: a report, minutes, an audit round",
            continuous_update=True, layout=widgets.Layout(width="95%")), "Evidence reference")
        self.evidence.add_class("ca-evidence")
        self.warnings = {"narrative": widgets.HTML(), "evidence": widgets.HTML()}
        self.draft_status = widgets.HTML()
        self.draft_status.add_class("ca-draft-status")
        self.save_button = save_button("Save update", "ca-save-update", self.save, "140px")
        for widget in self._fields():
            widget.observe(lambda _: self._changed(), names="value")
        self.inspection_picker.observe(lambda c: self._choose_inspection(c["new"]), names="value")
        self.action_picker.observe(lambda c: None if self._loading else self.open_action(c["new"]),
                                   names="value")
        if self.inspections:  # the latest inspection is the one whose plan is being kept
            self.inspection_picker.value = inspections[-1][0].id
        else:
            self._say(f"There is no inspection with an action plan in "
                      f"{settings.inspections_dir()} yet: add its inspection.yaml and "
                      "action_plan.yaml there first.", "warn")

    def _fields(self) -> tuple[widgets.ValueWidget, ...]:
        return (self.status, self.recorded_on, self.narrative, self.evidence)

    def widget(self) -> widgets.VBox:
        """The whole form, ready to display: what a save did (or why it did not) is said in the
        bar beside Save update, which in the web app stays at the foot of the window."""
        return self._frame([self.notice, self.inspection_picker, self.heading, self.recorder,
                            self.action_picker, self.info, self.message, self.history,
                            self.status, self.recorded_on, self.narrative,
                            self.warnings["narrative"], self.evidence, self.warnings["evidence"]],
                           self.save_button, widgets.VBox([self.save_message, self.draft_status]))

    # -- choosing ---------------------------------------------------------------------------------

    def _choose_inspection(self, inspection_id: str | None) -> None:
        self.flush()
        self.inspection, self.plan = self.inspections.get(inspection_id, (None, None))
        self.action_picker.options = []
        self.open_action(None)
        if self.inspection is None:
            self.heading.value = ""
            return
        inspection = self.inspection
        self.heading.value = (
            f'<h2 class="ca-inspection">{html.escape(inspection.type)}: '
            f"{html.escape(inspection.theme)}</h2><p class=\"ca-hint\">Letter of "
            f"{_long_date(inspection.letter_date)}; statement of action due "
            f"{_long_date(inspection.statement_due)}.</p>")
        try:
            framework = inspection.load_framework()
            self._agency_names = {a.id: a.name for a in framework.agencies}
        except WorkbookError:  # the plan loaded, so this is only the agencies' full names
            self._agency_names = {}
        self.refresh_actions()

    def refresh_actions(self) -> None:
        """Action choices in the plan's order, each labelled with its area and its latest status,
        so the list itself says where the plan stands."""
        if self.inspection is None or self.plan is None:
            return
        statuses = self.store.action_statuses(self.inspection.id)
        latest = dict(zip(statuses["action_id"], statuses["status"], strict=True))
        areas = self.inspection.areas_by_id
        labels = []
        for area, action in self.plan.all_actions():
            title = areas[area.area].title if area.area in areas else area.area
            labels.append((f"{area.area} {_shorten(title, 40)} › {action.id} "
                           f"{_shorten(action.description)} — {latest.get(action.id, 'no update yet')}",
                           action.id))
        self._offer(self.action_picker, labels)

    def refresh(self) -> None:
        """Read the store again (a page prepared before it was opened shows the plan as it is
        when it is opened)."""
        self.refresh_actions()
        if self.action_id is not None and not self.dirty:
            self.open_action(self.action_id)

    def _action(self) -> tuple[AreaPlan, Action] | None:
        assert self.plan is not None
        return next(((area, action) for area, action in self.plan.all_actions()
                     if action.id == self.action_id), None)

    def open_action(self, action_id: str | None) -> None:
        """Show an action, its updates so far and a new update on top of the latest; an unsaved
        draft on top of it is brought back."""
        self.flush()  # the action being left keeps what was typed
        self.action_id = action_id
        self.conflict.children = ()
        self.save_message.value = ""
        self.draft_status.value = ""
        self.save_button.disabled = action_id is None
        if action_id is None or self.inspection is None:
            self.info.value = self.history.value = ""
            self._fill(None, settings.today(), "", "")
            self.based_on, self.last_saved = None, None
            return
        self._show_action()
        self._load(self._latest())
        draft = self.store.action_draft(self.inspection.id, action_id)
        if draft is not None:
            self._load_draft(draft)

    def _show_action(self) -> None:
        """What the action promised: its area, lead, dates and success measure."""
        assert self.inspection is not None
        found = self._action()
        if found is None:
            return
        area, action = found
        finding = self.inspection.areas_by_id.get(area.area)
        agency = self._agency_names.get(action.lead_agency)
        lead = f"{action.lead_agency} ({agency})" if agency else action.lead_agency
        items = [("Area for improvement", f"{area.area} {finding.title if finding else ''}"),
                 ("Outcome for children", area.outcome), ("Lead", f"{lead}: {action.lead_role}"),
                 ("Start", _long_date(action.start)), ("Due", _long_date(action.due)),
                 ("Success measure", action.success_measure),
                 ("Audit criteria", ", ".join(action.criteria) or "none (measured by data)")]
        rows = "".join(f'<tr><th scope="row">{html.escape(name)}</th><td>{html.escape(value)}'
                       "</td></tr>" for name, value in items)
        self.info.value = (f"<h2>{html.escape(action.id)} {html.escape(action.description)}</h2>"
                           f'<table class="ca-action-table">{rows}</table>')

    # -- the form's values ------------------------------------------------------------------------

    def _fill(self, status: str | None, recorded_on: date | None, narrative: str,
              evidence: str) -> None:
        """Put values into the widgets without counting them as the person's changes."""
        with self._quietly():
            self.status.value = status if status in STATUSES else None
            self.recorded_on.value = recorded_on
            self.narrative.value = narrative
            self.evidence.value = evidence
        self.dirty = False
        self._check_privacy()

    def _state(self) -> dict[str, Any]:
        """The form's values as a draft keeps them."""
        day = self.recorded_on.value
        return {"status": self.status.value, "recorded_on": day.isoformat() if day else None,
                "narrative": self.narrative.value, "evidence": self.evidence.value}

    def _load(self, latest: ActionUpdate | None) -> None:
        """A new update on top of ``latest``: its status to start from, today's date, empty text."""
        self._fill(latest.status if latest else None, settings.today(), "", "")
        self._show_latest(latest)

    def _show_latest(self, latest: ActionUpdate | None) -> None:
        """The action's current status above the form, its updates in the history, and the form
        based on ``latest``."""
        assert self.inspection is not None and self.action_id is not None
        self.based_on = latest.revision_no if latest else None
        self.last_saved = latest
        self.history.value = history_table(
            self.store.action_history(self.inspection.id, self.action_id))
        found = self._action()
        late = ""
        if found is not None and found[1].due < settings.today() and (
                latest is None or latest.status != STATUSES[-1]):
            late = f" It was due on {_long_date(found[1].due)} and is not complete."
        if latest is None:
            self._say(f"No update yet: the action counts as not started.{late}", "warn" if late
                      else "info")
        else:
            self._say(f"Now {latest.status}, as recorded on {_long_date(latest.recorded_on)} by "
                      f"{latest.saved_by} (revision {latest.revision_no}).{late}",
                      "warn" if late else "info")

    def _load_draft(self, draft: ActionDraft) -> None:
        state = draft.state
        try:
            day = date.fromisoformat(str(state.get("recorded_on")))
        except ValueError:
            day = None
        self._fill(state.get("status"), day, str(state.get("narrative", "")),
                   str(state.get("evidence", "")))
        who = f"what {draft.saved_by} typed" if draft.saved_by else "what was typed"
        self.draft_status.value = message_html(
            f"Brought back {who} at {draft.saved_at:%H:%M:%S} UTC but did not save: check it, "
            "then press Save update to record it.", "warn")

    def _check_privacy(self) -> int:
        """Warn under the narrative and the evidence reference where they look like they hold
        personal data (before the save, as the draft is kept); how many do."""
        warned = 0
        for name, field in (("narrative", self.narrative), ("evidence", self.evidence)):
            self.warnings[name].value = privacy_warning(field.value, settings.today())
            warned += bool(self.warnings[name].value)
        return warned

    # -- drafts -----------------------------------------------------------------------------------

    def _is_open(self) -> bool:
        return self.inspection is not None and self.action_id is not None

    def _keep_draft(self) -> ActionDraft | None:
        """Keep what the form holds as a draft, and say under the text whether it looks like it
        names someone, before anyone presses Save."""
        assert self.inspection is not None and self.action_id is not None
        self._check_privacy()
        try:
            draft = self.store.save_action_draft(self.inspection.id, self.action_id,
                                                 self.based_on, self._state(),
                                                 self.recorder.value.strip())
        except WorkbookError as exc:
            self._said(str(exc), "error")
            return None
        self.dirty = False
        self.draft_status.value = message_html(
            f"Draft kept at {draft.saved_at:%H:%M:%S} UTC; press Save update to record it.", "info")
        return draft

    # -- saving -----------------------------------------------------------------------------------

    def save(self) -> ActionUpdate | None:
        """Record the update as the action's next revision; a refusal (a missing date, a stale
        revision) is said beside the button and nothing is written."""
        if not self._is_open() or self.plan is None or self.save_button.disabled:
            return None
        assert self.inspection is not None and self.action_id is not None
        warned = self._check_privacy()
        save = ActionUpdateSave(self.inspection.id, self.action_id, self.status.value or "",
                                self.recorded_on.value, self.narrative.value, self.evidence.value,
                                self.recorder.value, self.based_on)
        try:
            saved = self.store.save_action_update(self.plan, save)
        except ConflictError as exc:
            self._show_conflict(exc)
            self.draft_status.value = ""  # the conflict is what the person must act on now
            return None
        except UpdateRefused as exc:
            self._said("Not saved: nothing was recorded. Please put right:", "error", exc.problems)
            return None
        except WorkbookError as exc:
            log.warning("update not saved: %s", exc)
            self._said(str(exc), "error")
            return None
        # what was saved stays in the fields (with any privacy warning under it); choosing the
        # action again starts its next update
        self._saved(saved.revision_no)
        self._show_latest(saved)
        self.draft_status.value = ""
        flagged = (" Its text may contain personal data: see the warning under it, then save a "
                   "rewritten update." if saved.flagged or warned else "")
        self._said(f"Update saved (revision {saved.revision_no}, {saved.saved_at:%H:%M:%S} UTC): "
                   f"the action is {saved.status}.{flagged}", "warn" if flagged else "ok")
        self.refresh_actions()
        return saved

    # -- what the base asks -------------------------------------------------------------------------

    def _latest(self) -> ActionUpdate | None:
        assert self.inspection is not None and self.action_id is not None
        history = self.store.action_history(self.inspection.id, self.action_id)
        return history[-1] if history else None

    def _save_again(self) -> ActionUpdate | None:
        return self.save()

    def _conflict_table(self) -> str:
        theirs = self._latest()
        day = self.recorded_on.value
        rows = [("Status", theirs.status if theirs else "", self.status.value or ""),
                ("Date recorded", _long_date(theirs.recorded_on) if theirs else "",
                 _long_date(day) if day else ""),
                ("What was done", theirs.narrative if theirs else "", self.narrative.value),
                ("Evidence", theirs.evidence if theirs else "", self.evidence.value)]
        body = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(_shorten(b, 200))}</td>"
                       f"<td>{html.escape(_shorten(c, 200))}</td></tr>" for a, b, c in rows)
        return ('<table class="ca-conflict-table"><tr><th></th><th>Their update</th>'
                f"<th>Yours</th></tr>{body}</table>")


def action_updates_form(store: Store | None = None) -> Any:
    """The progress-update form, ready to display (the notebook's and the web app's only call).
    In the web app a problem reading the workbook is a sentence on the page, never a traceback."""
    try:
        first_names()  # the privacy guard's name lists load with the page, not on the first draft
        form = ActionUpdateForm(store)
        if ahead_of_request():  # a preheated page: the store is read again when it is opened
            wait_for_viewer()
            form.refresh()
        return form.widget()
    except WorkbookError as exc:
        if not in_web_app():
            raise
        return widgets.HTML(f'<p class="ca-problem">{html.escape(str(exc).splitlines()[0])}</p>')
