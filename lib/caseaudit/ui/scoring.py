"""The scoring form: one agency's grades and evidence notes for one case, in a notebook or as a
web page served by Voila.

Auditors are social workers, police officers and health, education and probation leads, most of
whom have never opened JupyterLab, so the form is built to be hard to get wrong and impossible to
lose work in. Drafts that save themselves, conflicts that overwrite nothing and the read-only
closed round are every form's (:class:`~caseaudit.ui.form_base.FormBase`); the scoring form adds
that "Submit" says exactly which criteria still need a grade or a note, that notes which look
like personal data are saved (nothing is lost) and flagged for rewriting, and blind double
scoring. Each draft is a revision of the form, so reopening it brings the draft back.

The class owns its widgets and a plain model (``grades``, ``notes``, ``based_on``); tests set
widget values, call :meth:`ScoringForm.flush` and read the store.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

import ipywidgets as widgets

from ..errors import ConflictError, WorkbookError
from ..framework import NOT_GRADED, Answer, Framework, Scale
from ..privacy import first_names
from ..progress import form_states
from ..rounds import Auditor, AuditRound
from ..store import FormSave, Revision, Store, open_store
from .criterion_row import CriterionRow, still_to_do
from .form_base import AUTOSAVE_SECONDS, FormBase
from .identity import choose_who, recognise_next_time
from .kit import (
    Scheduler,
    answers_table,
    call_later,
    given_answers,
    in_web_app,
    message_html,
    open_rounds,
    picker,
    round_picker,
    save_button,
)

log = logging.getLogger("caseaudit")


class ScoringForm(FormBase):
    """Choose a round and who you are, then a case; grade the criteria; drafts save themselves
    (each draft is a revision of the form, so the case list shows it at once)."""

    def __init__(
        self,
        store: Store | None = None,
        rounds: Sequence[AuditRound] | None = None,
        auditor: str | None = None,
        remember: bool = True,
        autosave_seconds: float = AUTOSAVE_SECONDS,
        scheduler: Scheduler = call_later,
    ) -> None:
        super().__init__(store or open_store(create=False), autosave_seconds, scheduler)
        self.rounds, notice = open_rounds(rounds)
        self.notice = widgets.HTML(notice)
        self.remember = remember
        self._marking = False  # after a refused submit, what is missing stays marked
        self.audit: AuditRound | None = None
        self.framework: Framework | None = None
        self.auditor: Auditor | None = None
        self.rows: dict[str, CriterionRow] = {}
        self._sections: list[tuple[str, list[str]]] = []
        self.accordion: widgets.Accordion | None = None
        #: (framework, agency) the rows were built for: the next case of the same agency reuses
        #: them and only changes their values (a case switch took 0.4 s building ~200 widgets)
        self._built: tuple[tuple[str, str], str] | None = None
        self._case_labels: dict[str, str] = {}
        self.status: str | None = None
        self.last_saved: Revision | None = None

        self.round_picker = round_picker(self.rounds)
        self.auditor_picker = picker("I am")
        self.case_picker = picker("Case", wide=True)
        # an auditor scores for their own agency only: another agency's form is not theirs to
        # open (it opened blank beside a case label saying that agency had submitted)
        self.agency_picker = picker("For agency", disabled=True)
        self.case_info = widgets.HTML()
        self.remaining = widgets.HTML()
        self.remaining.add_class("ca-remaining")
        self.others = widgets.HTML()
        self.others.add_class("ca-others")
        self.criteria_box = widgets.VBox()
        self.submit_button = save_button("Submit", "ca-submit", self.submit)
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
        return self._frame([self.notice, self.round_picker, self.auditor_picker, self.case_picker,
                            self.case_info, self.agency_picker, self.remaining, self.message,
                            self.others, self.criteria_box], self.submit_button, self.save_message)

    # -- choosing ---------------------------------------------------------------------------------

    def _choose_round(self, round_id: str | None) -> None:
        self.flush()
        self.audit = next((r for r in self.rounds if r.id == round_id), None)
        self.framework = None
        self._case_labels = {}
        self.case_picker.options = []
        self._clear_rows()
        if self.audit is None:
            return
        try:
            self.framework = self.audit.load_framework()
        except WorkbookError as exc:
            self._say(str(exc).splitlines()[0], "error")
            return
        if said := choose_who(self.auditor_picker, self.audit, self._preset_auditor, self.remember,
                              "Choose who you are from the round's auditors."):
            self._say(*said)

    def _choose_auditor(self, auditor_id: str | None) -> None:
        self.flush()
        if self.audit is None or auditor_id is None:
            self.auditor = None
            return
        self.auditor = self.audit.auditors_by_id[auditor_id]
        hint = recognise_next_time(self.auditor, self.remember, "your audit lead")
        self.agency_picker.options = [self.auditor.agency]
        self.agency_picker.value = self.auditor.agency
        self._refresh_cases()
        self._say(hint, "info")

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
        self._offer(self.case_picker, [(label, cid) for cid, label in self._case_labels.items()])

    def open_form(self) -> None:
        """Show the chosen case's form for the auditor's agency, with its latest saved revision."""
        if self._loading:
            return
        self.flush()
        self.conflict.children = ()
        self._marking = False
        self.save_message.value = ""
        self.based_on = None
        self.locked = False
        self.status = None
        self.last_saved = None
        audit, framework = self.audit, self.framework
        case_id, agency = self.case_picker.value, self.agency_picker.value
        if audit is None or framework is None or self.auditor is None or case_id is None:
            self._clear_rows()
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
            self._clear_rows()
            self.submit_button.disabled = True
            return
        self._build_rows(framework, agency)
        self._load(self.store.latest_revision(audit.id, case.id, agency, self.auditor.id))
        self.locked = self.store.round_locked(audit.id)
        self._show_lock(audit.id, [w for row in self.rows.values() for w in (row.grade, row.note)],
                        self.submit_button)

    def _clear_rows(self) -> None:
        self.rows, self._sections, self.accordion, self._built = {}, [], None, None
        self.criteria_box.children = ()

    def _build_rows(self, framework: Framework, agency: str) -> None:
        """The criteria the agency answers, by section; kept from the last case when it was the
        same framework and agency (the values are then all that changes)."""
        if self._built == (framework.key, agency) and self.accordion is not None:
            for row in self.rows.values():
                row.show_guidance.value = False
            self.accordion.selected_index = 0 if self._sections else None
            self.criteria_box.children = (self.accordion,)
            return
        self.rows, self._sections = {}, []
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
        self._built = (framework.key, agency)

    def _load(self, revision: Revision | None) -> None:
        """Put a saved revision (or nothing) into the widgets without triggering saves."""
        with self._quietly():
            for cid, row in self.rows.items():
                row.set(revision.grades.get(cid, NOT_GRADED) if revision else NOT_GRADED,
                        revision.notes.get(cid, "") if revision else "")
                row.mark(None)
        self.based_on = revision.revision_no if revision else None
        self.status = revision.status if revision else None
        self.last_saved = revision
        self.dirty = False
        self._marking = False
        # the case is named: on the next case of the same agency nothing else above the
        # criteria need change, and the message is what says a different form is open
        case = self.case_picker.value
        if revision is None:
            self._say(f"New form for case {case}: your grades and notes are saved as a draft as "
                      "you go.", "info")
        else:
            self._say(f"{'Submitted' if revision.status == 'submitted' else 'Draft'} form for case "
                      f"{case} (revision {revision.revision_no}, saved by {revision.saved_by} at "
                      f"{revision.saved_at:%d %b %Y %H:%M} UTC).", "info")
        self._count()
        self._mark_todo()
        self._show_others()

    def _show_others(self) -> None:
        """Blind double scoring: other scorers' grades appear only once the form is done (as
        :func:`~caseaudit.progress.form_states` counts it: every scorer the round asks for has
        submitted) and this auditor is one of those who submitted."""
        audit, auditor = self.audit, self.auditor
        if audit is None or auditor is None or audit.scorers_per_form < 2 or not self.rows:
            self.others.value = ""
            return
        case_id, agency = self.case_picker.value, self.agency_picker.value
        statuses = self.store.form_statuses(audit.id, case_id=case_id)
        ours = statuses[statuses["agency"] == agency]
        states = form_states(ours, audit.scorers_per_form)
        submitted = set(ours.loc[ours["status"] == "submitted", "auditor"])
        if states.empty or states["state"].iloc[0] != "submitted" or auditor.id not in submitted:
            self.others.value = message_html(
                "Blind double scoring: the other scorers' grades are shown once all "
                f"{audit.scorers_per_form} have submitted.", "info")
            return
        others = [self.store.latest_revision(audit.id, case_id, agency, a)
                  for a in sorted(submitted - {auditor.id})]
        columns = [("Yours", self.last_saved.grades if self.last_saved else {})]
        columns += [(o.key.auditor, o.grades) for o in others if o]
        self.others.value = (message_html("All scorers have submitted: their grades beside "
                                          "yours.", "info") + answers_table(self._scales(), columns))

    # -- editing and saving -----------------------------------------------------------------------

    def _scales(self) -> dict[str, Scale]:
        return {cid: row.scale for cid, row in self.rows.items()}

    def _is_open(self) -> bool:
        return bool(self.rows) and self.audit is not None and self.auditor is not None

    def _edited(self) -> None:
        self._count()

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

    def _count(self) -> None:
        needs = list(self.todo().values())
        total, ungraded, need_note = len(self.rows), needs.count("grade"), needs.count("note")
        text = f"{total - ungraded} of {total} criteria graded; {ungraded} to grade"
        if need_note:
            text += f"; {need_note} note(s) required"
        self.remaining.value = f'<div class="ca-count">{text}.</div>' if total else ""
        if self._marking:
            self._mark_todo()

    def _mark_todo(self) -> list[str]:
        """Mark each criterion and section that stops a submit (while a refusal stands) and
        return one line per such section, naming what it needs."""
        todo = self.todo() if self._marking else {}
        lines = []
        for index, (title, cids) in enumerate(self._sections):
            parts = still_to_do(cids, todo)
            if self.accordion is not None:
                self.accordion.set_title(
                    index, f"{title} — ⚠ {sum(c in todo for c in cids)} to do" if parts else title)
            if parts:
                lines.append(f"{title}: {'; '.join(parts)}")
        for cid, row in self.rows.items():
            row.mark(todo.get(cid))
        return lines

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
        self._saved(revision.revision_no)
        self.status = revision.status
        self.last_saved = revision
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

    # -- what the base asks -------------------------------------------------------------------------

    def _keep_draft(self) -> Revision | None:
        return self._save("draft")

    def _save_again(self) -> Revision | None:
        return self._save(self.status if self.status == "submitted" else "draft")

    def _latest(self) -> Revision | None:
        assert self.audit is not None and self.auditor is not None
        return self.store.latest_revision(self.audit.id, self.case_picker.value,
                                          self.agency_picker.value, self.auditor.id)

    def _conflict_table(self) -> str:
        theirs = self._latest()
        return answers_table(self._scales(), [("Their grade", theirs.grades if theirs else {}),
                                 ("Yours", self.grades())])


def scoring_form(store: Store | None = None) -> widgets.VBox:
    """The scoring form, ready to display (the notebook's and the web app's only call)."""
    web = in_web_app()
    first_names()  # the privacy guard's name lists load with the page, not on the first save
    return ScoringForm(store, remember=not web).widget()
