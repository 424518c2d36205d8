"""The scoring form: one agency's grades and evidence notes for one case, in a notebook or as a
web page served by Voila.

Auditors are social workers, police officers and health, education and probation leads, most of
whom have never opened JupyterLab, so the form is built to be hard to get wrong and impossible to
lose work in:

* every change is saved as a draft revision within a few seconds, without a click (widget state
  dies with the kernel; the store does not), and reopening the form brings the draft back;
* "Submit" says exactly which criteria still need a grade or a note;
* if someone else saved the same form meanwhile, nothing is overwritten: the form shows who and
  when, their grades beside the auditor's own, and offers to reload or keep these as a new
  revision;
* notes that look like personal data are saved (nothing is lost) and flagged for rewriting.

The class owns its widgets and a plain model (``grades``, ``notes``, ``based_on``); tests set
widget values, call :meth:`ScoringForm.flush` and read the store.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from .errors import ConflictError, WorkbookError
from .framework import NOT_APPLICABLE, Criterion, Framework
from .privacy import describe_findings, find_personal_data
from .progress import form_states
from .rounds import Auditor, AuditRound, load_rounds
from .store import FormSave, Revision, Store, open_store

log = logging.getLogger("caseaudit")

SETTINGS_ENV = "CASEAUDIT_SETTINGS"
WEB_APP_ENV = "CASEAUDIT_WEB_APP"
NA_LABEL = "Not applicable"
AUTOSAVE_SECONDS = 2.0
_UNGRADED = object()


def settings_path() -> Path:
    """The small local file remembering who the auditor is (``CASEAUDIT_SETTINGS`` overrides)."""
    raw = os.environ.get(SETTINGS_ENV)
    return Path(raw).expanduser() if raw else Path.home() / ".config" / "caseaudit" / "auditor.json"


def remembered_auditor() -> dict[str, str] | None:
    """The auditor id and agency kept from a previous session, if any."""
    path = settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("auditor"), str):
        return {"auditor": data["auditor"], "agency": str(data.get("agency", ""))}
    return None


def remember_auditor(auditor: Auditor) -> None:
    """Keep the auditor's pseudonymous id and agency for next time."""
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"auditor": auditor.id, "agency": auditor.agency}), encoding="utf-8")


def identify_auditor(audit: AuditRound) -> Auditor | None:
    """Who is scoring, without asking where possible: ``JUPYTERHUB_USER`` on a shared server,
    else the remembered settings; ``None`` if neither names one of the round's auditors."""
    hub = os.environ.get("JUPYTERHUB_USER")
    if hub and hub in audit.auditors_by_id:
        return audit.auditors_by_id[hub]
    kept = remembered_auditor()
    if kept and kept["auditor"] in audit.auditors_by_id:
        return audit.auditors_by_id[kept["auditor"]]
    return None


Scheduler = Callable[[float, Callable[[], None]], Any]


def _default_scheduler(delay: float, fn: Callable[[], None]) -> Any:
    """Run ``fn`` after ``delay`` seconds on the kernel's event loop (where widget callbacks
    run), or at once where there is no running loop."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            loop = None
    if loop is None or not loop.is_running() or delay <= 0:
        fn()
        return None
    return loop.call_later(delay, fn)


def _form_values(revision: Revision | None) -> dict[str, object]:
    """A revision's grades as the form holds them (not applicable as ``"n/a"``, not ``None``)."""
    if revision is None:
        return {}
    return {cid: NOT_APPLICABLE if code is None else code for cid, code in revision.grades.items()}


class CriterionRow:
    """The widgets of one criterion: question, guidance on demand, grade buttons and note."""

    def __init__(self, framework: Framework, criterion: Criterion,
                 on_change: Callable[[str], None]) -> None:
        self.criterion = criterion
        self.scale = framework.scale_of(criterion.id)
        options = [(lvl.label, lvl.code) for lvl in self.scale.levels]
        if self.scale.not_applicable:
            options.append((NA_LABEL, NOT_APPLICABLE))
        self.grade = widgets.ToggleButtons(options=options, value=None,
                                           style={"button_width": "auto"})
        self.grade.add_class("ca-grade")
        self.note = widgets.Textarea(placeholder="Evidence note (what in the record shows this)",
                                     continuous_update=False,
                                     layout=widgets.Layout(width="95%", height="60px"))
        self.note.add_class("ca-note-input")
        needs = [self.scale.label(c) for c in self.scale.note_required_for]
        self.needs_note = widgets.HTML(
            f'<span class="ca-needs-note">Evidence note required for {", ".join(needs)}</span>'
            if needs else "")
        self.guidance = widgets.HTML(
            f'<div class="ca-guidance"><b>What good looks like:</b> '
            f"{html.escape(criterion.good_looks_like)}</div>",
            layout=widgets.Layout(display="none"))
        self.show_guidance = widgets.ToggleButton(description="What good looks like",
                                                  value=False, icon="info",
                                                  layout=widgets.Layout(width="auto"))
        self.show_guidance.observe(self._toggle_guidance, names="value")
        self.warning = widgets.HTML()
        self.box = widgets.VBox([
            widgets.HTML(f'<div class="ca-question"><b>{html.escape(criterion.id)} '
                         f"{html.escape(criterion.title)}</b>: {html.escape(criterion.question)}"
                         "</div>"),
            widgets.HBox([self.show_guidance, self.needs_note]), self.guidance, self.grade,
            self.note, self.warning,
        ])
        self.box.add_class(f"ca-criterion-{criterion.id.replace('.', '-')}")
        self.grade.observe(lambda _: on_change(criterion.id), names="value")
        self.note.observe(lambda _: on_change(criterion.id), names="value")

    def _toggle_guidance(self, change: dict) -> None:
        self.guidance.layout.display = "block" if change["new"] else "none"

    def label(self, value: object) -> str:
        """A grade value as its label ("—" when not graded)."""
        if value is _UNGRADED or value is None:
            return "—"
        if value == NOT_APPLICABLE:
            return NA_LABEL
        return self.scale.label(int(value))  # type: ignore[call-overload]

    def value(self) -> object:
        """The grade as the store takes it: a code, ``"n/a"`` or ``None`` (not graded)."""
        return self.grade.value

    def set(self, grade: int | str | None, note: str) -> None:
        """Show a saved grade (``None`` in a revision means not applicable) and note."""
        self.grade.value = grade
        self.note.value = note


class ScoringForm:
    """Choose a round, a case and an agency; grade the criteria; drafts save themselves."""

    def __init__(
        self,
        store: Store | None = None,
        rounds: Sequence[AuditRound] | None = None,
        auditor: str | None = None,
        remember: bool = True,
        autosave_seconds: float = AUTOSAVE_SECONDS,
        scheduler: Scheduler = _default_scheduler,
    ) -> None:
        self.store = store or open_store()
        self.rounds = list(rounds) if rounds is not None else load_rounds()
        self.remember = remember
        self.autosave_seconds = autosave_seconds
        self.scheduler = scheduler
        self._pending: Any = None
        self._loading = False
        self.audit: AuditRound | None = None
        self.framework: Framework | None = None
        self.auditor: Auditor | None = None
        self.rows: dict[str, CriterionRow] = {}
        self._case_labels: dict[str, str] = {}
        self.based_on: int | None = None
        self.status: str | None = None
        self.last_saved: Revision | None = None
        self.dirty = False

        self.round_picker = widgets.Dropdown(
            options=[(r.title, r.id) for r in reversed(self.rounds)], value=None,
            description="Audit round", style={"description_width": "110px"},
            layout=widgets.Layout(width="640px"))
        self.auditor_picker = widgets.Dropdown(options=[], value=None, description="I am",
                                               style={"description_width": "110px"})
        self.case_picker = widgets.Dropdown(options=[], value=None, description="Case",
                                            style={"description_width": "110px"},
                                            layout=widgets.Layout(width="640px"))
        self.agency_picker = widgets.Dropdown(options=[], value=None, description="For agency",
                                              style={"description_width": "110px"})
        self.case_info = widgets.HTML()
        self.remaining = widgets.HTML()
        self.remaining.add_class("ca-remaining")
        self.message = widgets.HTML()
        self.message.add_class("ca-message")
        self.conflict = widgets.VBox()
        self.others = widgets.HTML()
        self.others.add_class("ca-others")
        self.criteria_box = widgets.VBox()
        self.submit_button = widgets.Button(description="Submit", button_style="success",
                                            icon="check", disabled=True)
        self.submit_button.on_click(lambda _: self.submit())
        self.round_picker.observe(lambda c: self._choose_round(c["new"]), names="value")
        self.auditor_picker.observe(lambda c: self._choose_auditor(c["new"]), names="value")
        self.case_picker.observe(lambda _: self.open_form(), names="value")
        self.agency_picker.observe(lambda _: self.open_form(), names="value")
        self._preset_auditor = auditor
        if self.rounds:  # most people score the latest round
            self.round_picker.value = self.rounds[-1].id

    # -- layout -----------------------------------------------------------------------------------

    def widget(self) -> widgets.VBox:
        """The whole form, ready to display."""
        return widgets.VBox([
            widgets.HTML(_STYLE), self.round_picker, self.auditor_picker, self.case_picker,
            self.case_info, self.agency_picker, self.remaining, self.message, self.conflict,
            self.others, self.criteria_box, self.submit_button,
        ])

    # -- choosing ---------------------------------------------------------------------------------

    def _choose_round(self, round_id: str | None) -> None:
        self.flush()
        self.audit = next((r for r in self.rounds if r.id == round_id), None)
        self.framework = None
        self._case_labels = {}
        self.case_picker.options = []
        self.criteria_box.children = ()
        if self.audit is None:
            return
        try:
            self.framework = self.audit.load_framework()
        except WorkbookError as exc:
            self._say(str(exc).splitlines()[0], "error")
            return
        self.auditor_picker.options = [(f"{a.id} ({a.agency})", a.id) for a in self.audit.auditors]
        known = (self.audit.auditors_by_id.get(self._preset_auditor)
                 if self._preset_auditor else identify_auditor(self.audit) if self.remember
                 else None)
        self.auditor_picker.value = known.id if known else None
        if known is None:
            self._say("Choose who you are from the round's auditors.", "info")

    def _choose_auditor(self, auditor_id: str | None) -> None:
        self.flush()
        if self.audit is None or auditor_id is None:
            self.auditor = None
            return
        self.auditor = self.audit.auditors_by_id[auditor_id]
        if self.remember and not os.environ.get(WEB_APP_ENV):
            remember_auditor(self.auditor)
        self.agency_picker.options = list(self.audit.agencies)
        self.agency_picker.value = self.auditor.agency
        self._refresh_cases()
        self._say("", "info")

    def _refresh_cases(self, case_id: str | None = None) -> None:
        """Case choices, each showing which agencies' forms are missing, draft or submitted.

        After a save only that case's label is read again: a round can hold thousands of forms.
        """
        if self.audit is None:
            return
        statuses = self.store.form_statuses(self.audit.id, case_id=case_id)
        states = form_states(statuses, self.audit.scorers_per_form)
        state = {(r.case_id, r.agency): r.state for r in states.itertuples()}
        # double scoring: the auditor's own part of their agency's form is shown beside it
        own_agency: str | None = None
        mine: dict[str, str] = {}
        if self.audit.scorers_per_form > 1 and self.auditor is not None:
            own_agency = self.auditor.agency
            mine = {r.case_id: r.status for r in statuses.itertuples()
                    if r.auditor == self.auditor.id and r.agency == own_agency}
        mark = {"submitted": "✓ submitted", "draft": "✎ draft", "missing": "○ missing"}
        cases = [self.audit.cases_by_id[case_id]] if case_id else self.audit.cases
        for case in cases:
            parts = []
            for a in case.agencies:
                part = f"{a} {mark[state.get((case.id, a), 'missing')]}"
                if a == own_agency:
                    part += f" (yours {mark[mine.get(case.id, 'missing')]})"
                parts.append(part)
            self._case_labels[case.id] = f"{case.id} — " + ", ".join(parts)
        current = self.case_picker.value
        self._loading = True
        try:
            self.case_picker.options = [(label, cid) for cid, label in self._case_labels.items()]
            self.case_picker.value = current if current in self._case_labels else None
        finally:
            self._loading = False

    def open_form(self) -> None:
        """Show the chosen case's form for the chosen agency, with its latest saved revision."""
        if self._loading:
            return
        self.flush()
        self.conflict.children = ()
        self.rows = {}
        self.criteria_box.children = ()
        self.based_on = None
        self.status = None
        self.last_saved = None
        audit, framework = self.audit, self.framework
        case_id, agency = self.case_picker.value, self.agency_picker.value
        if audit is None or framework is None or self.auditor is None or case_id is None:
            self.submit_button.disabled = True
            return
        case = audit.cases_by_id[case_id]
        self.case_info.value = (
            f'<div class="ca-case">Case {html.escape(case.id)}: age {case.age_band}, '
            f"{case.gender}, {case.ethnicity_group}, disability: {case.disability}, "
            f"{case.plan_type}. Agencies involved: {', '.join(case.agencies)}.</div>")
        if agency not in case.agencies:
            self._say(f"{agency} is not involved with case {case.id}; choose one of "
                      f"{', '.join(case.agencies)}.", "error")
            self.submit_button.disabled = True
            return
        sections = []
        for domain in framework.domains:
            rows = []
            for criterion in domain.criteria:
                if agency in framework.answered_by(criterion.id):
                    row = CriterionRow(framework, criterion, self._changed)
                    self.rows[criterion.id] = row
                    rows.append(row.box)
            if rows:
                sections.append((domain.title, widgets.VBox(rows)))
        accordion = widgets.Accordion(children=[box for _, box in sections])
        for i, (title, _) in enumerate(sections):
            accordion.set_title(i, title)
        accordion.selected_index = 0 if sections else None
        self.criteria_box.children = (accordion,)
        self._load(self.store.latest_revision(audit.id, case.id, agency, self.auditor.id))
        locked = self.store.round_locked(audit.id)
        for row in self.rows.values():
            row.grade.disabled = row.note.disabled = locked
        self.submit_button.disabled = locked
        if locked:  # said before anyone types, not after a refused save
            self._say(f"Round {audit.id} is closed for moderation: you can read this form but "
                      "not change it. If something must change, ask the audit lead to reopen "
                      "the round.", "warn")

    def _load(self, revision: Revision | None) -> None:
        """Put a saved revision (or nothing) into the widgets without triggering saves."""
        self._loading = True
        try:
            for cid, row in self.rows.items():
                grade: int | str | None = None
                if revision is not None and cid in revision.grades:
                    code = revision.grades[cid]
                    grade = NOT_APPLICABLE if code is None else code
                row.set(grade, revision.notes.get(cid, "") if revision else "")
                row.warning.value = ""
        finally:
            self._loading = False
        self.based_on = revision.revision_no if revision else None
        self.status = revision.status if revision else None
        self.last_saved = revision
        self.dirty = False
        if revision is None:
            self._say("New form: your grades are saved as a draft as you go.", "info")
        else:
            self._say(f"{'Submitted' if revision.status == 'submitted' else 'Draft'} form "
                      f"(revision {revision.revision_no}, saved by {revision.saved_by} at "
                      f"{revision.saved_at:%d %b %Y %H:%M} UTC).", "info")
        self._count()
        self._show_others()

    def _show_others(self) -> None:
        """Blind double scoring: other scorers' grades appear only once every scorer the round
        asks for has submitted this case and agency's form."""
        audit, auditor = self.audit, self.auditor
        if audit is None or auditor is None or audit.scorers_per_form < 2 or not self.rows:
            self.others.value = ""
            return
        case_id, agency = self.case_picker.value, self.agency_picker.value
        statuses = self.store.form_statuses(audit.id, case_id=case_id)
        submitted = statuses[(statuses["agency"] == agency) & (statuses["status"] == "submitted")]
        if len(submitted) < audit.scorers_per_form or auditor.id not in set(submitted["auditor"]):
            self.others.value = message_html(
                "Blind double scoring: the other scorers' grades are shown once all "
                f"{audit.scorers_per_form} have submitted.", "info")
            return
        others = [self.store.latest_revision(audit.id, case_id, agency, a)
                  for a in sorted(set(submitted["auditor"]) - {auditor.id})]
        columns = [("Yours", _form_values(self.last_saved))]
        columns += [(o.key.auditor, _form_values(o)) for o in others if o]
        self.others.value = (message_html("All scorers have submitted: their grades beside "
                                          "yours.", "info") + self._comparison(columns))

    def _comparison(self, columns: list[tuple[str, Mapping[str, object]]]) -> str:
        """A table of grade labels per criterion, one column per named set of grades."""
        head = "".join(f"<th>{html.escape(name)}</th>" for name, _ in columns)
        lines = [f"<tr><td>{cid}</td>" + "".join(
                     f"<td>{html.escape(row.label(grades.get(cid, _UNGRADED)))}</td>"
                     for _, grades in columns) + "</tr>"
                 for cid, row in self.rows.items()]
        return (f'<table class="ca-conflict-table"><tr><th>Criterion</th>{head}</tr>'
                + "".join(lines) + "</table>")

    # -- editing and saving -----------------------------------------------------------------------

    def _changed(self, criterion_id: str) -> None:
        if self._loading:
            return
        self.dirty = True
        self._count()
        if self._pending is not None and hasattr(self._pending, "cancel"):
            self._pending.cancel()
        self._pending = self.scheduler(self.autosave_seconds, self.flush)

    def grades(self) -> dict[str, object]:
        """What the auditor has graded so far (criterion id to code or ``"n/a"``)."""
        return {cid: row.value() for cid, row in self.rows.items() if row.value() is not None}

    def notes(self) -> dict[str, str]:
        """The evidence notes written so far."""
        return {cid: row.note.value for cid, row in self.rows.items() if row.note.value.strip()}

    def missing(self) -> tuple[list[str], list[str]]:
        """Criteria still to grade, and graded criteria whose grade needs a note that is empty."""
        ungraded = [cid for cid, row in self.rows.items() if row.value() is None]
        need_note = [cid for cid, row in self.rows.items()
                     if isinstance(row.value(), int) and row.value() in row.scale.note_required_for
                     and not row.note.value.strip()]
        return ungraded, need_note

    def _count(self) -> None:
        ungraded, need_note = self.missing()
        total = len(self.rows)
        text = f"{total - len(ungraded)} of {total} criteria graded; {len(ungraded)} to grade"
        if need_note:
            text += f"; {len(need_note)} note(s) required"
        self.remaining.value = f'<div class="ca-count">{text}.</div>' if total else ""

    def flush(self) -> Revision | None:
        """Save pending changes as a draft now (the autosave calls this)."""
        if self._pending is not None and hasattr(self._pending, "cancel"):
            self._pending.cancel()
        self._pending = None
        if not self.dirty:
            return None
        return self._save("draft")

    def submit(self) -> Revision | None:
        """Save as submitted if every applicable criterion is graded and every required note
        written; otherwise say exactly which are missing and keep the draft."""
        ungraded, need_note = self.missing()
        if ungraded or need_note:
            parts = []
            if ungraded:
                parts.append(f"grade {', '.join(ungraded)}")
            if need_note:
                parts.append(f"write the evidence note for {', '.join(need_note)}")
            self._say("Not submitted yet: please " + " and ".join(parts) + ".", "error")
            self.flush()
            return None
        return self._save("submitted")

    def _save(self, status: str) -> Revision | None:
        audit, framework, auditor = self.audit, self.framework, self.auditor
        if audit is None or framework is None or auditor is None or not self.rows:
            return None
        save = FormSave(self.case_picker.value, self.agency_picker.value, auditor.id,
                        self.grades(), self.notes(), status, self.based_on, saved_by=auditor.id)
        try:
            revision = self.store.save_form(audit, framework, save)
        except ConflictError as exc:
            self._show_conflict(exc)
            return None
        except WorkbookError as exc:
            log.warning("form not saved: %s", exc)
            self._say(str(exc), "error")
            return None
        self.based_on = revision.revision_no
        self.status = revision.status
        self.last_saved = revision
        self.dirty = False
        self.conflict.children = ()
        warnings = 0
        for row in self.rows.values():
            text = describe_findings(find_personal_data(row.note.value))
            row.warning.value = f'<div class="ca-privacy">{html.escape(text)}</div>' if text else ""
            warnings += bool(text)
        word = "Submitted" if status == "submitted" else "Draft saved"
        note = f" {warnings} note(s) may contain personal data: see the warnings." if warnings else ""
        self._say(f"{word} (revision {revision.revision_no}, "
                  f"{revision.saved_at:%H:%M:%S} UTC).{note}", "ok" if not warnings else "warn")
        self._refresh_cases(self.case_picker.value)
        self._show_others()
        return revision

    # -- conflicts --------------------------------------------------------------------------------

    def _show_conflict(self, exc: ConflictError) -> None:
        audit = self.audit
        assert audit is not None and self.auditor is not None
        theirs = self.store.latest_revision(audit.id, self.case_picker.value,
                                            self.agency_picker.value, self.auditor.id)
        table = self._comparison([("Their grade", _form_values(theirs)),
                                  ("Yours", self.grades())])
        self.conflict.children = conflict_panel(
            f"{exc.saved_by} saved this form at {exc.saved_at} (revision {exc.latest}) after you "
            "opened it. Nothing has been overwritten: compare and choose.", table, self.reload,
            self.keep_mine)
        self._say("Not saved: someone else changed this form. See below.", "error")

    def reload(self) -> None:
        """Drop unsaved changes and show the latest saved revision."""
        assert self.audit is not None and self.auditor is not None
        self.conflict.children = ()
        self._load(self.store.latest_revision(self.audit.id, self.case_picker.value,
                                              self.agency_picker.value, self.auditor.id))

    def keep_mine(self) -> Revision | None:
        """Save the auditor's grades as a new revision on top of the other person's."""
        assert self.audit is not None and self.auditor is not None
        latest = self.store.latest_revision(self.audit.id, self.case_picker.value,
                                            self.agency_picker.value, self.auditor.id)
        self.based_on = latest.revision_no if latest else None
        self.dirty = True
        return self._save(self.status if self.status == "submitted" else "draft")

    def _say(self, text: str, kind: str) -> None:
        self.message.value = message_html(text, kind)


def message_html(text: str, kind: str) -> str:
    """A message box for a form (``kind``: info, ok, warn or error); ``""`` clears it."""
    return f'<div class="ca-msg ca-{kind}">{html.escape(text)}</div>' if text else ""


def conflict_panel(explanation: str, table: str, reload: Callable[[], object],
                   keep: Callable[[], object]) -> tuple[widgets.Widget, widgets.Widget]:
    """What a form shows when someone else saved the same thing meanwhile: who and when, the two
    versions, and the two ways on (nothing is overwritten until the person chooses)."""
    reload_button = widgets.Button(description="Reload their version", icon="refresh")
    keep_button = widgets.Button(description="Keep mine as a new revision", button_style="warning")
    reload_button.on_click(lambda _: reload())
    keep_button.on_click(lambda _: keep())
    return (widgets.HTML(f'<div class="ca-conflict">{html.escape(explanation)}</div>' + table),
            widgets.HBox([reload_button, keep_button]))


_STYLE = """<style>
.ca-msg {padding:6px 10px; border-radius:4px; margin:4px 0;}
.ca-info {background:#eef4fb;} .ca-ok {background:#e8f5ec;} .ca-warn {background:#fff5db;}
.ca-error {background:#fdecea; color:#7a1c13;}
.ca-needs-note {color:#7a4b00; font-size:0.9em; margin-left:8px;}
.ca-privacy {color:#7a4b00; font-size:0.9em;}
.ca-question {margin-top:10px;}
.ca-conflict {background:#fdecea; padding:6px 10px;}
.ca-conflict-table td, .ca-conflict-table th {padding:2px 10px 2px 0; text-align:left;}
</style>"""


def scoring_form(store: Store | None = None) -> widgets.VBox:
    """The scoring form, ready to display (the notebook's and the web app's only call)."""
    web = bool(os.environ.get(WEB_APP_ENV))
    return ScoringForm(store, remember=not web).widget()
