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
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets

from .errors import ConflictError, WorkbookError
from .framework import NOT_GRADED, Answer, Criterion, Framework, is_grade
from .privacy import describe_findings, find_personal_data, first_names
from .progress import form_states
from .rounds import Auditor, AuditRound, scan_rounds
from .store import FormSave, Revision, Store, open_store

log = logging.getLogger("caseaudit")

SETTINGS_ENV = "CASEAUDIT_SETTINGS"
WEB_APP_ENV = "CASEAUDIT_WEB_APP"
AUTOSAVE_SECONDS = 2.0


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


def auditor_from_address() -> str | None:
    """The auditor named in the web app's address (``...?token=...&auditor=AUD-POL-1``).

    A web page has no local settings file to remember its auditor in, so the audit lead gives each
    auditor an address that names them; the id is only ever compared with the round's auditors,
    never written into the page as given.
    """
    if not os.environ.get(WEB_APP_ENV):
        return None
    try:
        from voila.utils import get_query_string  # waits for the request in a preheated kernel

        query = get_query_string() or ""
    except (ImportError, OSError):
        query = os.environ.get("QUERY_STRING", "")
    values = parse_qs(query).get("auditor")
    return values[0].strip() if values else None


def identify_auditor(audit: AuditRound, remembered: bool = True) -> Auditor | None:
    """Who is scoring, without asking where possible: ``JUPYTERHUB_USER`` on a shared server, the
    web app's address, else (``remembered``) the settings kept from last time; ``None`` if none
    names one of the round's auditors."""
    for candidate in (os.environ.get("JUPYTERHUB_USER"), auditor_from_address()):
        if candidate and candidate in audit.auditors_by_id:
            return audit.auditors_by_id[candidate]
    kept = remembered_auditor() if remembered else None
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


def open_rounds(rounds: Sequence[AuditRound] | None) -> tuple[list[AuditRound], str]:
    """The rounds a form offers, and a warning naming any round folder that could not be read:
    one broken folder must not stop every auditor scoring the others."""
    if rounds is not None:
        return list(rounds), ""
    found = scan_rounds()
    return found.rounds, "".join(message_html("A round is not offered. " + b.message, "warn")
                                 for b in found.broken)


class AnswerButtons(widgets.ToggleButtons):
    """A button per answer a person may pick (from :meth:`Scale.choices`), none pressed while
    the criterion is not graded.

    ToggleButtons say "nothing pressed" with ``None``; :attr:`answer` is the one place that is
    read as, and written from, ``NOT_GRADED``, so the forms deal only in answers.
    """

    def __init__(self, choices: Sequence[tuple[str, Answer]], **kwargs: Any) -> None:
        super().__init__(options=list(choices), value=None, style={"button_width": "auto"},
                         **kwargs)

    @property
    def answer(self) -> Answer:
        """The answer pressed, or ``NOT_GRADED``."""
        return NOT_GRADED if self.value is None else self.value

    @answer.setter
    def answer(self, answer: Answer) -> None:
        # an answer the buttons do not offer (a draft kept under an older framework) presses none
        self.value = answer if answer in [value for _, value in self.options] else None


def given_answers(buttons: Mapping[str, AnswerButtons]) -> dict[str, Answer]:
    """The answers given so far, by criterion; criteria not graded are left out, as the store
    and a moderation keep them."""
    return {cid: answer for cid, button in buttons.items()
            if (answer := button.answer) is not NOT_GRADED}


class CriterionRow:
    """The widgets of one criterion: question, guidance on demand, grade buttons and note."""

    def __init__(self, framework: Framework, criterion: Criterion,
                 on_change: Callable[[str], None]) -> None:
        self.criterion = criterion
        self.scale = framework.scale_of(criterion.id)
        self.grade = AnswerButtons(self.scale.choices())
        self.grade.add_class("ca-grade")
        # every keystroke reaches the kernel, so the draft is kept a pause after typing stops,
        # not only when the box loses focus (a reload with the cursor in the box lost the note)
        self.note = widgets.Textarea(placeholder="Evidence note (what in the record shows this)",
                                     continuous_update=True,
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
        self.todo = widgets.HTML()
        self.box = widgets.VBox([
            widgets.HTML(f'<div class="ca-question"><b>{html.escape(criterion.id)} '
                         f"{html.escape(criterion.title)}</b>: {html.escape(criterion.question)}"
                         "</div>"),
            widgets.HBox([self.show_guidance, self.needs_note]), self.guidance, self.todo,
            self.grade, self.note, self.warning,
        ])
        self.box.add_class("ca-criterion")
        self.box.add_class(f"ca-criterion-{criterion.id.replace('.', '-')}")
        self.grade.observe(lambda _: on_change(criterion.id), names="value")
        self.note.observe(lambda _: on_change(criterion.id), names="value")

    def _toggle_guidance(self, change: dict) -> None:
        self.guidance.layout.display = "block" if change["new"] else "none"

    def value(self) -> Answer:
        """The answer the auditor has given, or ``NOT_GRADED``."""
        return self.grade.answer

    def set(self, answer: Answer, note: str) -> None:
        """Show a saved answer and note."""
        self.grade.answer = answer
        self.note.value = note
        self.check_note()

    def needs(self) -> str | None:
        """What stops this criterion being submitted: ``"grade"``, ``"note"`` or ``None``."""
        answer = self.value()
        if answer is NOT_GRADED:
            return "grade"
        if is_grade(answer) and answer in self.scale.note_required_for \
                and not self.note.value.strip():
            return "note"
        return None

    def mark(self, need: str | None) -> None:
        """Show, on the criterion itself, what it still needs (after a refused submit)."""
        if need is None:
            self.todo.value = ""
            self.box.remove_class("ca-attention")
            return
        text = ("Choose a grade for this criterion." if need == "grade" else
                f"Write the evidence note: a grade of {self.scale.answer_label(self.value())} "
                "needs one.")
        self.todo.value = f'<div class="ca-todo">⚠ {html.escape(text)}</div>'
        self.box.add_class("ca-attention")

    def check_note(self) -> bool:
        """Warn under the note if it looks like it holds personal data; True if it does.

        Run on every save and on every reload, so a restored note keeps its warning."""
        text = describe_findings(find_personal_data(self.note.value))
        self.warning.value = f'<div class="ca-privacy">{html.escape(text)}</div>' if text else ""
        return bool(text)


class ScoringForm:
    """Choose a round and who you are, then a case; grade the criteria; drafts save themselves."""

    def __init__(
        self,
        store: Store | None = None,
        rounds: Sequence[AuditRound] | None = None,
        auditor: str | None = None,
        remember: bool = True,
        autosave_seconds: float = AUTOSAVE_SECONDS,
        scheduler: Scheduler = _default_scheduler,
    ) -> None:
        self.store = store or open_store(create=False)
        self.rounds, notice = open_rounds(rounds)
        self.notice = widgets.HTML(notice)
        self.remember = remember
        self.autosave_seconds = autosave_seconds
        self.scheduler = scheduler
        self._pending: Any = None
        self._loading = False
        self._marking = False  # after a refused submit, what is missing stays marked
        self.audit: AuditRound | None = None
        self.framework: Framework | None = None
        self.auditor: Auditor | None = None
        self.rows: dict[str, CriterionRow] = {}
        self._sections: list[tuple[str, list[str]]] = []
        self.accordion: widgets.Accordion | None = None
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
        # an auditor scores for their own agency only: another agency's form is not theirs to
        # open (it opened blank beside a case label saying that agency had submitted)
        self.agency_picker = widgets.Dropdown(options=[], value=None, description="For agency",
                                              disabled=True, style={"description_width": "110px"})
        self.case_info = widgets.HTML()
        self.remaining = widgets.HTML()
        self.remaining.add_class("ca-remaining")
        self.message = widgets.HTML()
        self.message.add_class("ca-message")
        self.save_message = widgets.HTML()
        self.save_message.add_class("ca-save-message")
        self.conflict = widgets.VBox()
        self.others = widgets.HTML()
        self.others.add_class("ca-others")
        self.criteria_box = widgets.VBox()
        self.submit_button = widgets.Button(description="Submit", button_style="success",
                                            icon="check", disabled=True,
                                            layout=widgets.Layout(width="auto", min_width="120px"))
        self.submit_button.add_class("ca-submit")
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
        """The whole form, ready to display: what a save did (or why it did not) is said in the
        bar beside Submit, which in the web app stays at the foot of the window."""
        footer = widgets.HBox([self.submit_button, self.save_message])
        footer.add_class("ca-footer")
        form = widgets.VBox([
            widgets.HTML(_STYLE), self.notice, self.round_picker, self.auditor_picker,
            self.case_picker,
            self.case_info, self.agency_picker, self.remaining, self.message, self.others,
            self.criteria_box, self.conflict, footer,
        ])
        form.add_class("ca-form")
        if os.environ.get(WEB_APP_ENV):
            form.add_class("ca-web")
        return form

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
        known = (self.audit.auditors_by_id.get(self._preset_auditor) if self._preset_auditor
                 else identify_auditor(self.audit, remembered=self.remember))
        self.auditor_picker.value = known.id if known else None
        if known is None:
            self._say("Choose who you are from the round's auditors.", "info")

    def _choose_auditor(self, auditor_id: str | None) -> None:
        self.flush()
        if self.audit is None or auditor_id is None:
            self.auditor = None
            return
        self.auditor = self.audit.auditors_by_id[auditor_id]
        web = bool(os.environ.get(WEB_APP_ENV))
        if self.remember and not web:
            remember_auditor(self.auditor)
        self.agency_picker.options = [self.auditor.agency]
        self.agency_picker.value = self.auditor.agency
        self._refresh_cases()
        if web and auditor_from_address() != self.auditor.id:
            self._say("To be recognised next time, add &auditor=" + self.auditor.id + " to the "
                      "end of this page's address and bookmark it (your audit lead can send "
                      "you that address).", "info")
        else:
            self._say("", "info")

    def _refresh_cases(self, case_id: str | None = None) -> None:
        """Case choices (the cases the auditor's agency is involved with), each showing which
        agencies' forms are missing, draft or submitted.

        After a save only that case's label is read again: a round can hold thousands of forms.
        """
        if self.audit is None or self.auditor is None:
            return
        own_agency = self.auditor.agency
        statuses = self.store.form_statuses(self.audit.id, case_id=case_id)
        states = form_states(statuses, self.audit.scorers_per_form)
        state = {(r.case_id, r.agency): r.state for r in states.itertuples()}
        # double scoring: the auditor's own part of their agency's form is shown beside it
        double = self.audit.scorers_per_form > 1
        mine: dict[str, str] = {}
        if double:
            mine = {r.case_id: r.status for r in statuses.itertuples()
                    if r.auditor == self.auditor.id and r.agency == own_agency}
        mark = {"submitted": "✓ submitted", "draft": "✎ draft", "missing": "○ missing"}
        if case_id:
            cases = [self.audit.cases_by_id[case_id]]
        else:
            self._case_labels = {}
            cases = [c for c in self.audit.cases if own_agency in c.agencies]
        for case in cases:
            parts = []
            for a in case.agencies:
                part = f"{a} {mark[state.get((case.id, a), 'missing')]}"
                if double and a == own_agency:
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
        """Show the chosen case's form for the auditor's agency, with its latest saved revision."""
        if self._loading:
            return
        self.flush()
        self.conflict.children = ()
        self.rows = {}
        self._sections = []
        self.accordion = None
        self._marking = False
        self.criteria_box.children = ()
        self.save_message.value = ""
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
            self._say(f"{agency} is not involved with case {case.id}; choose one of the cases "
                      "listed.", "error")
            self.submit_button.disabled = True
            return
        boxes = []
        for domain in framework.domains:
            rows = []
            for criterion in domain.criteria:
                if agency in framework.answered_by(criterion.id):
                    row = CriterionRow(framework, criterion, self._changed)
                    self.rows[criterion.id] = row
                    rows.append(row.box)
            if rows:
                self._sections.append((domain.title, [c.id for c in domain.criteria
                                                      if c.id in self.rows]))
                boxes.append(widgets.VBox(rows))
        self.accordion = widgets.Accordion(children=boxes)
        for i, (title, _) in enumerate(self._sections):
            self.accordion.set_title(i, title)
        self.accordion.selected_index = 0 if boxes else None
        self.criteria_box.children = (self.accordion,)
        self._load(self.store.latest_revision(audit.id, case.id, agency, self.auditor.id))
        locked = self.store.round_locked(audit.id)
        for row in self.rows.values():
            row.grade.disabled = row.note.disabled = locked
        self.submit_button.disabled = locked
        if locked:  # said before anyone types, not after a refused save
            self._say(f"Round {audit.id} is closed for moderation: you can read this form but "
                      "not change it. If something must change, ask the audit lead to reopen "
                      "the round.", "warn")
            self._said("Read-only: the round is closed for moderation.", "warn")

    def _load(self, revision: Revision | None) -> None:
        """Put a saved revision (or nothing) into the widgets without triggering saves."""
        self._loading = True
        try:
            for cid, row in self.rows.items():
                row.set(revision.grades.get(cid, NOT_GRADED) if revision else NOT_GRADED,
                        revision.notes.get(cid, "") if revision else "")
                row.mark(None)
        finally:
            self._loading = False
        self.based_on = revision.revision_no if revision else None
        self.status = revision.status if revision else None
        self.last_saved = revision
        self.dirty = False
        self._marking = False
        if revision is None:
            self._say("New form: your grades and notes are saved as a draft as you go.", "info")
        else:
            self._say(f"{'Submitted' if revision.status == 'submitted' else 'Draft'} form "
                      f"(revision {revision.revision_no}, saved by {revision.saved_by} at "
                      f"{revision.saved_at:%d %b %Y %H:%M} UTC).", "info")
        self._count()
        self._mark_todo()
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
        columns = [("Yours", self.last_saved.grades if self.last_saved else {})]
        columns += [(o.key.auditor, o.grades) for o in others if o]
        self.others.value = (message_html("All scorers have submitted: their grades beside "
                                          "yours.", "info") + self._comparison(columns))

    def _comparison(self, columns: list[tuple[str, Mapping[str, Answer]]]) -> str:
        """A table of answer labels per criterion, one column per named set of answers."""
        head = "".join(f"<th>{html.escape(name)}</th>" for name, _ in columns)
        lines = [f"<tr><td>{cid}</td>" + "".join(
                     f"<td>{html.escape(row.scale.answer_label(grades.get(cid, NOT_GRADED)))}</td>"
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

    def grades(self) -> dict[str, Answer]:
        """What the auditor has answered so far (criteria not graded are left out)."""
        return given_answers({cid: row.grade for cid, row in self.rows.items()})

    def notes(self) -> dict[str, str]:
        """The evidence notes written so far."""
        return {cid: row.note.value for cid, row in self.rows.items() if row.note.value.strip()}

    def todo(self) -> dict[str, str]:
        """What each criterion still needs before the form can be submitted (``"grade"`` or
        ``"note"``), by criterion id, in framework order."""
        return {cid: need for cid, row in self.rows.items() if (need := row.needs())}

    def missing(self) -> tuple[list[str], list[str]]:
        """Criteria still to grade, and graded criteria whose grade needs a note that is empty."""
        todo = self.todo()
        return ([c for c, n in todo.items() if n == "grade"],
                [c for c, n in todo.items() if n == "note"])

    def _count(self) -> None:
        ungraded, need_note = self.missing()
        total = len(self.rows)
        text = f"{total - len(ungraded)} of {total} criteria graded; {len(ungraded)} to grade"
        if need_note:
            text += f"; {len(need_note)} note(s) required"
        self.remaining.value = f'<div class="ca-count">{text}.</div>' if total else ""
        if self._marking:
            self._mark_todo()

    def _mark_todo(self) -> list[str]:
        """Mark each criterion and section that stops a submit (while a refusal stands) and
        return one line per such section, naming what it needs."""
        todo = self.todo() if self._marking else {}
        lines = []
        for index, (title, cids) in enumerate(self._sections):
            grade = [c for c in cids if todo.get(c) == "grade"]
            note = [c for c in cids if todo.get(c) == "note"]
            parts = ([f"grade {', '.join(grade)}"] if grade else []) + \
                ([f"write the evidence note for {', '.join(note)}"] if note else [])
            if self.accordion is not None:
                self.accordion.set_title(
                    index, f"{title} — ⚠ {len(grade) + len(note)} to do" if parts else title)
            if parts:
                lines.append(f"{title}: {'; '.join(parts)}")
        for cid, row in self.rows.items():
            row.mark(todo.get(cid))
        return lines

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
        written; otherwise keep the draft and say, beside the button, what is missing in which
        section, marking those sections and criteria."""
        if not self.rows or self.submit_button.disabled:
            return None
        if self.todo():
            self.flush()
            if self.dirty:  # the draft itself was refused (a conflict): that message stands
                return None
            self._marking = True
            lines = self._mark_todo()
            first = next(i for i, (_, cids) in enumerate(self._sections)
                         if any(c in self.todo() for c in cids))
            if self.accordion is not None:
                self.accordion.selected_index = first
            self._said("Not submitted yet: your work is kept as a draft. Still to do:", "error",
                       lines)
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
            self._said(str(exc), "error")
            return None
        self.based_on = revision.revision_no
        self.status = revision.status
        self.last_saved = revision
        self.dirty = False
        self.conflict.children = ()
        warnings = sum(row.check_note() for row in self.rows.values())
        if status == "submitted":
            self._marking = False
            self._mark_todo()
        word = "Submitted" if status == "submitted" else "Draft saved"
        note = f" {warnings} note(s) may contain personal data: see the warnings." if warnings else ""
        self._said(f"{word} (revision {revision.revision_no}, "
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
        table = self._comparison([("Their grade", theirs.grades if theirs else {}),
                                  ("Yours", self.grades())])
        self.conflict.children = conflict_panel(
            f"{exc.saved_by} saved this form at {exc.saved_at} (revision {exc.latest}) after you "
            "opened it. Nothing has been overwritten: compare and choose.", table, self.reload,
            self.keep_mine)
        self._said("Not saved: someone else changed this form. Compare just above and choose.",
                   "error")

    def reload(self) -> None:
        """Drop unsaved changes and show the latest saved revision."""
        assert self.audit is not None and self.auditor is not None
        self.conflict.children = ()
        self.save_message.value = ""
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
        """A message about the form as a whole, above it (which form, read-only, who you are)."""
        self.message.value = message_html(text, kind)

    def _said(self, text: str, kind: str, items: Iterable[str] = ()) -> None:
        """What a save did, or why it did not, beside the Submit button."""
        self.save_message.value = message_html(text, kind, items)


def message_html(text: str, kind: str, items: Iterable[str] = ()) -> str:
    """A message box for a form (``kind``: info, ok, warn or error), with an optional list under
    it; ``""`` clears it. Everything is escaped: messages quote what people typed."""
    if not text:
        return ""
    listing = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return (f'<div class="ca-msg ca-{kind}">{html.escape(text)}'
            + (f"<ul>{listing}</ul>" if listing else "") + "</div>")


def conflict_panel(explanation: str, table: str, reload: Callable[[], object],
                   keep: Callable[[], object]) -> tuple[widgets.Widget, widgets.Widget]:
    """What a form shows when someone else saved the same thing meanwhile: who and when, the two
    versions, and the two ways on (nothing is overwritten until the person chooses)."""
    reload_button = widgets.Button(description="Reload their version", icon="refresh",
                                   layout=widgets.Layout(width="auto"))
    keep_button = widgets.Button(description="Keep mine as a new revision", button_style="warning",
                                 layout=widgets.Layout(width="auto"))
    reload_button.on_click(lambda _: reload())
    keep_button.on_click(lambda _: keep())
    return (widgets.HTML(f'<div class="ca-conflict">{html.escape(explanation)}</div>' + table),
            widgets.HBox([reload_button, keep_button]))


#: The forms' shared look. A chosen grade is unmistakable (filled dark blue with a tick, not the
#: default slightly darker grey); what stops a submit is marked in amber on the criterion; in the
#: web app the bar with the save button and its result stays at the foot of the window (sticky:
#: Voila's page scrolls inside a box with ``contain: strict``, where a fixed bar would scroll
#: away), so the answer to a press is always where the person pressed.
_STYLE = """<style>
.ca-msg {padding:6px 10px; border-radius:4px; margin:4px 0;}
.ca-msg ul {margin:4px 0 0 0; padding-left:20px;}
.ca-info {background:#eef4fb;} .ca-ok {background:#e8f5ec;} .ca-warn {background:#fff5db;}
.ca-error {background:#fdecea; color:#7a1c13;}
.ca-needs-note {color:#7a4b00; font-size:0.9em; margin-left:8px;}
.ca-privacy {color:#7a4b00; font-size:0.9em;}
.ca-question {margin-top:10px;}
.ca-conflict {background:#fdecea; padding:6px 10px;}
.ca-conflict-table td, .ca-conflict-table th {padding:2px 10px 2px 0; text-align:left;}
.ca-grade .widget-toggle-button, .ca-choice .widget-toggle-button {border:1px solid #b8c2cc;}
.ca-grade .widget-toggle-button.mod-active, .ca-choice .widget-toggle-button.mod-active {
  background:#1d4f91 !important; color:#fff !important; font-weight:600;
  border-color:#0b2e5c !important; box-shadow:inset 0 0 0 1px #0b2e5c;}
.ca-grade .widget-toggle-button.mod-active::before,
.ca-choice .widget-toggle-button.mod-active::before {content:"✓ ";}
.ca-attention {border-left:4px solid #d98b00; padding-left:8px; background:#fffaf0;}
.ca-todo {color:#7a4b00; font-weight:600;}
.ca-footer {align-items:center; gap:10px; padding:8px 0; background:#fff;}
.ca-footer .ca-msg {margin:0;}
.ca-web .ca-footer {position:sticky; bottom:0; z-index:100; padding:8px 12px;
  border-top:1px solid #d0d7de; box-shadow:0 -2px 6px rgba(0,0,0,0.08);
  max-height:40vh; overflow-y:auto;}
.jp-OutputArea:has(.ca-footer), .jp-OutputArea-child:has(.ca-footer), .jp-OutputArea-output:has(.ca-footer),
.widget-box:has(.ca-footer) {overflow:visible !important;}
</style>"""


def scoring_form(store: Store | None = None) -> widgets.VBox:
    """The scoring form, ready to display (the notebook's and the web app's only call)."""
    web = bool(os.environ.get(WEB_APP_ENV))
    first_names()  # the privacy guard's name lists load with the page, not on the first save
    return ScoringForm(store, remember=not web).widget()
