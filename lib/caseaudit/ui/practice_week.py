"""The practice-week form: each evidence stream's record, in a notebook or as a web page served
by Voila (``make practice-week``).

Over a practice week senior leaders audit cases with the practitioners who hold them, observe
practice and hear from children, families and practitioners, often between meetings, on a laptop
or a phone. One form serves every stream: choose the week, who you are and the stream, then the
case (a collaborative case audit) or a new or earlier record of yours (an observation, a
feedback return). Each record is a revision of a form, as a case's scoring is, so drafts that
keep themselves, conflicts that overwrite nothing, the read-only closed round, the privacy
guard and "Submit says what is missing" behave as in the scoring form
(:class:`~caseaudit.ui.form_base.FormBase`). What each stream asks lives in
:mod:`caseaudit.ui.practice_week_fields`.

The class owns its widgets; tests set widget values, call :meth:`PracticeWeekForm.flush` and read
the store.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from .. import settings
from ..errors import ConflictError, GradeError, RecordTakenError, WorkbookError
from ..framework import Framework
from ..practice_week import next_record_id
from ..privacy import first_names
from ..rounds import Auditor, AuditRound
from ..store import FormSave, Revision, Store, open_store
from ..streams import Stream
from .form_base import AUTOSAVE_SECONDS, FormBase
from .identity import choose_who, recognise_next_time
from .kit import (
    STYLE,
    Scheduler,
    answers_table,
    call_later,
    in_web_app,
    open_rounds,
    picker,
    round_picker,
    save_button,
)
from .practice_week_fields import FeedbackFields, StreamFields, stream_fields

log = logging.getLogger("caseaudit")

#: The record drop-down's value for a record not yet saved.
NEW = "__new__"

#: The practice-week form's own look, beside the forms' shared one.
PRACTICE_WEEK_STYLE = """<style>
.ca-section {font-size:1.1em; margin:16px 0 0 0;}
.ca-hint {color:#444; font-size:0.9em; margin:2px 0 6px 0;}
.ca-never-shown {background:#eef4fb; padding:6px 10px; border-radius:4px; margin:4px 0;
  font-size:0.95em;}
.ca-count {margin:6px 0;}
</style>"""

#: How a record of each kind of stream is named in a sentence.
_NOUNS = {"case audit": "case audit", "observation": "observation", "feedback": "feedback return"}
_MARKS = {"submitted": "✓ submitted", "draft": "✎ draft"}


class PracticeWeekForm(FormBase):
    """Choose the practice week, who you are and the stream, then the case or record; fill in
    what the stream asks; drafts keep themselves and Submit says what is still missing."""

    style = STYLE + PRACTICE_WEEK_STYLE
    subject = "this record"

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
        self.rounds, notice = open_rounds(rounds, practice_weeks=True)
        self.notice = widgets.HTML(notice)
        self.remember = remember
        self._preset_auditor = auditor
        self._marking = False  # after a refused submit, what is missing stays marked
        self.audit: AuditRound | None = None
        self.framework: Framework | None = None
        self.auditor: Auditor | None = None
        self.stream: Stream | None = None
        self.fields: StreamFields | None = None
        #: each stream's fields, built once per round (a record switch changes only the values)
        self._built: dict[tuple[str, str], StreamFields] = {}
        self.record_id: str | None = None  # the record the fields hold, new or saved
        self.new = False  # the record has never been saved: its id can still move on
        self.status: str | None = None
        self.last_saved: Revision | None = None

        self.round_picker = round_picker(self.rounds)
        self.round_picker.description = "Practice week"
        self.auditor_picker = picker("I am")
        self.stream_picker = picker("Stream", wide=True)
        self.record_picker = picker("Record", wide=True)
        for menu, css in ((self.round_picker, "ca-round-picker"),
                          (self.auditor_picker, "ca-auditor-picker"),
                          (self.stream_picker, "ca-stream-picker"),
                          (self.record_picker, "ca-record-picker")):
            menu.add_class(css)
        self.remaining = widgets.HTML()
        self.remaining.add_class("ca-remaining")
        self.body = widgets.VBox()
        self.body.add_class("ca-stream-form")
        self.submit_button = save_button("Submit", "ca-submit", self.submit)
        self.round_picker.observe(lambda c: self._choose_round(c["new"]), names="value")
        self.auditor_picker.observe(lambda c: self._choose_auditor(c["new"]), names="value")
        self.stream_picker.observe(lambda c: self._choose_stream(c["new"]), names="value")
        self.record_picker.observe(lambda _: None if self._loading else self.open_record(),
                                   names="value")
        if self.rounds:  # the latest week is the one being recorded
            self.round_picker.value = self.rounds[-1].id
        else:
            self._say(f"There is no practice week in {settings.audits_dir()} yet: add its folder "
                      "there, with an audit.yaml of kind: practice_week (see "
                      "audits/2026-05-practice-week for an example).", "warn")

    def widget(self) -> widgets.VBox:
        """The whole form, ready to display: what a save did (or why it did not) is said in the
        bar beside Submit, which in the web app stays at the foot of the window."""
        return self._frame([self.notice, self.round_picker, self.auditor_picker,
                            self.stream_picker, self.record_picker, self.message, self.remaining,
                            self.body], self.submit_button, self.save_message)

    # -- choosing ---------------------------------------------------------------------------------

    def _choose_round(self, round_id: str | None) -> None:
        self.flush()
        self.audit = next((r for r in self.rounds if r.id == round_id), None)
        self.framework, self.stream, self._built = None, None, {}
        self._close()
        self.stream_picker.options = []
        if self.audit is None:
            return
        try:
            self.framework = self.audit.load_framework()
        except WorkbookError as exc:
            self._say(str(exc).splitlines()[0], "error")
            return
        streams = self.framework.streams_by_id
        with self._quietly():
            self.stream_picker.options = [(streams[s].title, s) for s in self.audit.streams]
            self.stream_picker.value = None
        if said := choose_who(self.auditor_picker, self.audit, self._preset_auditor, self.remember,
                              "Choose who you are from the week's auditors, then the stream."):
            self._say(*said)

    def _choose_auditor(self, auditor_id: str | None) -> None:
        self.flush()
        if self.audit is None or auditor_id is None:
            self.auditor = None
            self._close()
            return
        self.auditor = self.audit.auditors_by_id[auditor_id]
        hint = recognise_next_time(self.auditor, self.remember, "the practice week's lead")
        self._refresh_records()
        if hint:
            self._say(hint, "info")
        elif self.stream is None:
            self._say("Choose the stream you are recording.", "info")
        else:
            self._say("", "info")

    def _choose_stream(self, stream_id: str | None) -> None:
        if self._loading:
            return
        self.flush()
        framework = self.framework
        self.stream = framework.streams_by_id[stream_id] if framework and stream_id else None
        self._close()
        self.record_picker.description = "Case" if self.stream and \
            self.stream.kind == "case audit" else "Record"
        self._refresh_records()
        if self.stream is not None and self.auditor is not None:
            what = "case" if self.stream.kind == "case audit" else "record"
            self._say(f"Choose the {what}.", "info")

    def _my_records(self) -> dict[str, Mapping[str, Any]]:
        """This auditor's records of the chosen stream (drafts too), by record id."""
        assert self.audit is not None and self.auditor is not None and self.stream is not None
        records = self.store.stream_records(self.audit.id, status=None)
        mine = records[(records["stream_id"] == self.stream.id)
                       & (records["auditor"] == self.auditor.id)]
        return {str(r["record_id"]): r for r in mine.to_dict("records")}

    def _refresh_records(self) -> None:
        """The cases (collaborative case audit) or one's own records, each with its state, and a
        new record first for a stream that is not about a case."""
        if self.audit is None or self.auditor is None or self.stream is None:
            self._offer(self.record_picker, [])
            return
        mine = self._my_records()
        if self.stream.kind == "case audit":
            agency = self.auditor.agency
            options = [(f"{c.id} — {_MARKS.get(str(mine[c.id]['status']), '○ not started')}"
                        if c.id in mine else f"{c.id} — ○ not started", c.id)
                       for c in self.audit.cases if agency in c.agencies]
        else:
            options = [(f"New {_NOUNS[self.stream.kind]}", NEW)] + [
                (" — ".join(p for p in (rid, _describe(record), _MARKS.get(str(record["status"]),
                                                                           "")) if p), rid)
                for rid, record in sorted(mine.items())]
        self._offer(self.record_picker, options)

    def _close(self) -> None:
        """No record open: nothing shown under the pickers, nothing to submit."""
        self.fields, self.record_id, self.new = None, None, False
        self.body.children = ()
        self.remaining.value = ""
        self.conflict.children = ()
        self.save_message.value = ""
        self.submit_button.disabled = True

    def open_record(self) -> None:
        """Show the chosen case's or record's form with its latest saved revision (a new
        record: empty, under the next free id of its stream)."""
        self.flush()
        self._close()
        self._marking = False
        self.based_on, self.locked, self.status, self.last_saved = None, False, None, None
        audit, framework, stream = self.audit, self.framework, self.stream
        choice = self.record_picker.value
        if audit is None or framework is None or stream is None or self.auditor is None \
                or choice is None:
            return
        key = (audit.id, stream.id)
        if key not in self._built:
            self._built[key] = stream_fields(audit, framework, stream, self._changed)
        self.fields = self._built[key]
        self.new = choice == NEW
        self.record_id = self._next_id() if self.new else choice
        self.body.children = (self._case_info(), *self.fields.parts())
        self._load(None if self.new else self._latest())
        self.locked = self.store.round_locked(audit.id)
        self._show_lock(audit.id, [], self.submit_button)
        self.fields.lock(self.locked)

    def _case_info(self) -> widgets.HTML:
        """For a case audit, the case as the scoring form shows it (no one is named)."""
        case = self.audit.cases_by_id.get(self.record_id or "") if self.audit else None
        if case is None or self.stream is None or self.stream.kind != "case audit":
            return widgets.HTML()
        return widgets.HTML(
            f'<div class="ca-case">Case {html.escape(case.id)}: age {case.age_band}, '
            f"{case.gender}, {case.ethnicity_group}, disability: {case.disability}, "
            f"{case.plan_type}. Agencies involved: {', '.join(case.agencies)}.</div>")

    def _next_id(self) -> str:
        """The first id of the stream's prefix no record of the week holds yet (anyone's)."""
        assert self.audit is not None and self.stream is not None
        return next_record_id(self.store.record_ids(self.audit.id), self.stream.id)

    def _what(self) -> str:
        """The open record in a sentence: "observation OBS-002", "case audit of case X"."""
        assert self.stream is not None
        noun = _NOUNS[self.stream.kind]
        return f"{noun} of case {self.record_id}" if self.stream.kind == "case audit" \
            else f"{noun} {self.record_id}"

    def _load(self, revision: Revision | None) -> None:
        """Put a saved revision (or nothing) into the widgets without counting it as a change."""
        assert self.fields is not None
        with self._quietly():
            self.fields.load(revision)
        self.based_on = revision.revision_no if revision else None
        self.status = revision.status if revision else None
        self.last_saved = revision
        self.dirty = False
        self._marking = False
        if revision is None:
            self._say(f"New {self._what()}: what you record is kept as a draft as you go.", "info")
        else:
            word = "Submitted" if revision.status == "submitted" else "Draft"
            self._say(f"{word} {self._what()} (revision {revision.revision_no}, saved by "
                      f"{revision.saved_by} at {revision.saved_at:%d %b %Y %H:%M} UTC).", "info")
        self._count()

    # -- editing and saving -----------------------------------------------------------------------

    def _is_open(self) -> bool:
        return self.fields is not None and self.record_id is not None and self.auditor is not None

    def _edited(self) -> None:
        self._count()

    def _count(self) -> None:
        if self.fields is None:
            self.remaining.value = ""
            return
        self.remaining.value = f'<div class="ca-count">{html.escape(self.fields.count())}</div>'
        if self._marking:
            self.fields.missing(marking=True)

    def _awaits_consent(self) -> bool:
        """A feedback record with no consent recorded: nothing of it may be kept yet."""
        return isinstance(self.fields, FeedbackFields) and not self.fields.consent.value

    def submit(self) -> Revision | None:
        """Save as submitted if everything the stream asks is there; otherwise keep the draft and
        say, beside the button, what is still missing, marking the criteria that need it."""
        if self.fields is None or self.submit_button.disabled:
            return None
        missing = self.fields.missing(marking=True)
        if not missing:
            return self._save("submitted")
        self.flush()
        if self.dirty and not self._awaits_consent():
            return None  # the draft itself was refused (a conflict, a date): that message stands
        self._marking = True
        kept = ("nothing is kept until consent is recorded" if self._awaits_consent()
                else "your work is kept as a draft")
        self._said(f"Not submitted yet: {kept}. Still to do:", "error", missing)
        return None

    def _save(self, status: str) -> Revision | None:
        audit, framework, auditor, fields = self.audit, self.framework, self.auditor, self.fields
        if audit is None or framework is None or auditor is None or fields is None \
                or self.record_id is None:
            return None
        for attempt in range(2):
            save = FormSave(self.record_id, auditor.agency, auditor.id, fields.grades(),
                            fields.notes(), status, self.based_on, saved_by=auditor.id,
                            details=fields.details())
            try:
                revision = self.store.save_form(audit, framework, save)
                break
            except (ConflictError, RecordTakenError) as exc:
                if self.new and self.based_on is None and attempt == 0:
                    # another page (yours, or another observer's) took this id first: this
                    # record takes the next
                    self.record_id = self._next_id()
                    continue
                if isinstance(exc, RecordTakenError):
                    self._said("Not saved: nothing was recorded.", "error", exc.problems)
                    return None
                self._show_conflict(exc)
                return None
            except GradeError as exc:
                log.warning("practice-week record not saved: %s", exc)
                self._said("Not saved: nothing was recorded. Please put right:", "error",
                           exc.problems)
                return None
            except WorkbookError as exc:
                log.warning("practice-week record not saved: %s", exc)
                self._said(str(exc), "error")
                return None
        self._saved(revision.revision_no)
        self.status, self.last_saved = revision.status, revision
        warnings = fields.check_text()
        if status == "submitted":
            self._marking = False
            fields.missing(marking=False)
        if self.new:  # the record is in the list now, and chosen there
            self.new = False
            self._say(f"Draft {self._what()}: kept as you go; press Submit when it is complete.",
                      "info")
        self._refresh_records()
        with self._quietly():
            self.record_picker.value = self.record_id
        word = "Submitted" if status == "submitted" else "Draft saved"
        note = (f" {warnings} text(s) may contain personal data: see the warnings under them."
                if warnings else "")
        self._said(f"{word} ({self._what()}, revision {revision.revision_no}, "
                   f"{revision.saved_at:%H:%M:%S} UTC).{note}", "warn" if warnings else "ok")
        return revision

    # -- what the base asks -------------------------------------------------------------------------

    def _keep_draft(self) -> Revision | None:
        if self._awaits_consent():
            self._said("Not kept yet: record consent first (given or declined). Nothing the "
                       "person says is kept until it is.", "warn")
            return None
        return self._save("draft")

    def _save_again(self) -> Revision | None:
        return self._save(self.status if self.status == "submitted" else "draft")

    def _latest(self) -> Revision | None:
        assert self.audit is not None and self.auditor is not None and self.record_id is not None
        return self.store.latest_revision(self.audit.id, self.record_id, self.auditor.agency,
                                          self.auditor.id)

    def _conflict_table(self) -> str:
        assert self.fields is not None
        theirs = self._latest()
        scales = {cid: row.scale for cid, row in self.fields.rows.items()}
        return answers_table(scales, [("Their answer", theirs.grades if theirs else {}),
                                      ("Yours", self.fields.grades())])


def _describe(record: Mapping[str, Any]) -> str:
    """A saved record's own fields in a few words, for the list of one's records: the event,
    its day and whom for an observation; who and the consent for feedback."""
    day = record.get("event_date")
    day_text = f"{day.day} {day:%b %Y}" if day is not None and day == day else ""
    parts = [record.get("event_kind"), day_text, record.get("respondent"),
             record.get("practitioner"),
             f"consent {record['consent']}" if isinstance(record.get("consent"), str) else None]
    return ", ".join(p for p in parts if isinstance(p, str) and p)


def practice_week_form(store: Store | None = None) -> widgets.VBox:
    """The practice-week form, ready to display (the notebook's and the web app's only call)."""
    first_names()  # the privacy guard's name lists load with the page, not on the first save
    return PracticeWeekForm(store, remember=not in_web_app()).widget()
