"""What each stream of a practice week asks, beside the record it belongs to: the fields of the
collaborative case audit, the observation of practice and the two kinds of feedback.

The practice-week form (:mod:`caseaudit.ui.practice_week`) chooses the week, the person and the
record, and keeps drafts, conflicts and the closed round as every form does; what differs
between streams is only which fields there are, what a submit needs of them and how they become
the record's :class:`~caseaudit.store.StreamDetails`. Keeping that here, one class per kind of
stream, lets the form stay one form.

The criteria are graded with the scoring form's own row (:class:`~caseaudit.ui.criterion_row.CriterionRow`),
so a grade looks, reads and is checked the same in both. Feedback is different in one way that
matters: nothing a person said may be kept until they have agreed to it, so its questions and free
text stay closed until consent is recorded as given, and a decline clears them.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import ipywidgets as widgets

from ..framework import NOT_GRADED, Answer, Framework
from ..practice_week import CONSENT, RESPONDENTS, Participant
from ..rounds import AuditRound
from ..store import Revision, StreamDetails
from ..streams import Stream
from .criterion_row import CriterionRow, still_to_do
from .kit import given_answers, labelled, privacy_warning

#: The option of an optional practitioner that names nobody (practitioner feedback given
#: anonymously); a drop-down's ``None`` means "nothing chosen yet", so it cannot stand for it.
ANONYMOUS = ""


def participant_label(person: Participant) -> str:
    """How a participant is offered: "P-03 — Senior practitioner (CSC)" (an id and a role, never
    a name)."""
    return f"{person.id} — {person.role} ({person.agency})"


def _choice(options: Sequence[tuple[str, Any]], label: str, css: str) -> widgets.ToggleButtons:
    """A row of buttons for one answer about the record (consent, yes or no), its label above
    it, nothing pressed, the pressed one as unmistakable as a grade."""
    buttons = widgets.ToggleButtons(options=list(options), value=None, description=label,
                                    style={"button_width": "auto", "description_width": "initial"})
    for name in ("ca-label-above", "ca-choice", css):
        buttons.add_class(name)
    return buttons


def _dropdown(options: Sequence[tuple[str, Any]], label: str, css: str) -> widgets.Dropdown:
    menu = labelled(widgets.Dropdown(options=list(options), value=None,
                                     layout=widgets.Layout(width="480px")), label)
    menu.add_class(css)
    return menu


def _date(label: str, css: str) -> widgets.DatePicker:
    picker = labelled(widgets.DatePicker(value=None), label)
    picker.add_class(css)
    return picker


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class StreamFields:
    """The fields of one stream's form for one round: its criteria, by domain, and the text the
    stream keeps (a reflection, an observer's note, what a person said); a subclass adds the
    stream's own fields. Every change calls ``on_change`` (the form keeps its draft a pause
    later); the form puts saved values in quietly with :meth:`load`."""

    #: The label and hint of the stream's one free text.
    text_label = ""
    text_hint = ""
    #: What a criterion's evidence note holds, when not what the record shows.
    note_hint = ""
    #: Whether the criteria have an evidence note each.
    with_notes = True
    #: What the criteria ask for: a "grade", or an "answer" from a person.
    verb = "grade"

    def __init__(self, audit: AuditRound, framework: Framework, stream: Stream,
                 on_change: Callable[[], None]) -> None:
        self.audit, self.framework, self.stream = audit, framework, stream
        self._on_change = on_change
        self._clearing = False  # values the fields clear themselves are one change, not many
        self.participants = [(participant_label(p), p.id) for p in audit.participants]
        self._own = self._build_own()  # before the rows: a gate on them is observed first
        self.rows: dict[str, CriterionRow] = {}
        self.sections: list[tuple[str, list[str]]] = []
        boxes: list[widgets.Widget] = []
        criteria = {c.id for c in framework.stream_criteria(stream.id)}
        for domain in framework.domains:
            cids = [c.id for c in domain.criteria if c.id in criteria]
            if not cids:
                continue
            self.sections.append((domain.title, cids))
            boxes.append(widgets.HTML(f'<h2 class="ca-section">{html.escape(domain.title)}</h2>'))
            for criterion in domain.criteria:
                if criterion.id in criteria:
                    row = CriterionRow(framework, criterion, self._notify, with_note=self.with_notes)
                    row.note.placeholder = self.note_hint or row.note.placeholder
                    self.rows[criterion.id] = row
                    boxes.append(row.box)
        self.criteria = widgets.VBox(boxes)
        self.criteria.add_class("ca-stream-criteria")
        self.text = labelled(widgets.Textarea(placeholder=self.text_hint, continuous_update=True,
                                              layout=widgets.Layout(width="95%", height="96px")),
                             self.text_label)
        self.text.add_class("ca-stream-text")
        self.text_warning = widgets.HTML()
        for field in (*self._own, self.text):
            field.observe(lambda _: self._notify(), names="value")

    def _notify(self) -> None:
        if not self._clearing:
            self._on_change()

    # -- what a subclass says ---------------------------------------------------------------------

    def _build_own(self) -> list[widgets.ValueWidget]:
        """The stream's own fields (the case holder, the event...), in the order shown."""
        return []

    def _own_details(self) -> dict[str, Any]:
        """The stream's own fields as :class:`StreamDetails` keywords."""
        return {}

    def _load_own(self, details: StreamDetails | None) -> None:
        """Show the stream's own fields of ``details`` (``None``: a new record)."""

    def _own_missing(self) -> list[str]:
        """What the stream's own fields still need before a submit, one line each."""
        return []

    def parts(self) -> list[widgets.Widget]:
        """What the stream's form shows, top to bottom, under the record's choice."""
        return [*self._own, self.criteria, self.text, self.text_warning]

    # -- shared -----------------------------------------------------------------------------------

    def inputs(self) -> list[widgets.DOMWidget]:
        """Every field a person changes (what a closed round disables)."""
        return [*self._own, *(w for row in self.rows.values() for w in (row.grade, row.note)),
                self.text]

    def lock(self, locked: bool) -> None:
        """Enable the fields, or disable them all while the round is closed."""
        for field in self.inputs():
            field.disabled = locked

    def details(self) -> StreamDetails:
        """What the record holds beside its answers."""
        return StreamDetails(self.stream.id, text=self.text.value, **self._own_details())

    def grades(self) -> dict[str, Answer]:
        """The answers given so far (criteria not graded are left out)."""
        return given_answers({cid: row.grade for cid, row in self.rows.items()})

    def notes(self) -> dict[str, str]:
        """The evidence notes written so far."""
        return {cid: row.note.value for cid, row in self.rows.items() if row.note.value.strip()}

    def load(self, revision: Revision | None) -> None:
        """Show ``revision`` (or a new record's empty fields); the caller does it quietly."""
        details = revision.details if revision else None
        self._load_own(details)
        for cid, row in self.rows.items():
            row.set(revision.grades.get(cid, NOT_GRADED) if revision else NOT_GRADED,
                    revision.notes.get(cid, "") if revision else "")
            row.mark(None)
        self.text.value = details.text if details else ""
        self.check_text()

    def todo(self) -> dict[str, str]:
        """What each criterion still needs ("grade" or "note"), by criterion id."""
        return {cid: need for cid, row in self.rows.items() if (need := row.needs())}

    def missing(self, marking: bool) -> list[str]:
        """Everything a submit still needs, one line per field or section; ``marking`` marks
        each criterion that needs something (after a refused submit)."""
        todo = self.todo()
        for cid, row in self.rows.items():
            row.mark(todo.get(cid) if marking else None)
        lines = self._own_missing()
        for title, cids in self.sections:
            if parts := still_to_do(cids, todo, self.verb):
                lines.append(f"{title}: {'; '.join(parts)}")
        return lines

    def count(self) -> str:
        """How far the criteria are answered, for the line above the form."""
        total = len(self.rows)
        needs = list(self.todo().values())
        done = total - needs.count("grade")
        word = "criteria graded" if self.verb == "grade" else "questions answered"
        text = f"{done} of {total} {word}"
        if needs.count("note"):
            text += f"; {needs.count('note')} note(s) required"
        return text + "."

    def check_text(self) -> int:
        """Warn under each text that looks like it holds personal data; how many do."""
        self.text_warning.value = privacy_warning(self.text.value)
        return bool(self.text_warning.value) + sum(row.check_note() for row in self.rows.values())

    def describe(self, details: StreamDetails | None) -> str:
        """A record's own fields in a few words, for the list of one's records."""
        return ""


class CaseAuditFields(StreamFields):
    """A collaborative case audit: the case-holding practitioner beside the auditor, the
    stream's criteria graded with evidence notes, and the practitioner's own reflection."""

    text_label = "The practitioner's reflection: what they would do differently"
    text_hint = "In the practitioner's words, without names: 'I would have seen the child alone sooner'"

    def _build_own(self) -> list[widgets.ValueWidget]:
        self.practitioner = _dropdown(self.participants, "Case-holding practitioner",
                                      "ca-practitioner")
        return [self.practitioner]

    def _own_details(self) -> dict[str, Any]:
        return {"practitioner": self.practitioner.value}

    def _load_own(self, details: StreamDetails | None) -> None:
        self.practitioner.value = _offered(self.practitioner, details.practitioner if details
                                           else None)

    def _own_missing(self) -> list[str]:
        return [] if self.practitioner.value else ["Choose the case-holding practitioner."]


class ObservationFields(StreamFields):
    """An observation of practice: what kind of event, when, whom, graded against the
    observation criteria, and whether the practitioner had feedback afterwards."""

    text_label = "Observer's note"
    note_hint = "What you saw or heard that shows this"
    text_hint = "What you saw, without names: 'the social worker spoke to the child first'"

    def _build_own(self) -> list[widgets.ValueWidget]:
        kinds = [(k[:1].upper() + k[1:], k) for k in self.stream.event_kinds]
        self.event_kind = _dropdown(kinds, "Kind of event", "ca-event-kind")
        self.event_date = _date("Date of the event", "ca-event-date")
        self.practitioner = _dropdown(self.participants, "Practitioner observed", "ca-practitioner")
        self.feedback_given = _choice([("Yes", True), ("No", False)],
                                      "Feedback given to the practitioner afterwards",
                                      "ca-feedback-given")
        return [self.event_kind, self.event_date, self.practitioner, self.feedback_given]

    def parts(self) -> list[widgets.Widget]:
        # the event first, the grades, then what followed it
        return [self.event_kind, self.event_date, self.practitioner, self.criteria,
                self.feedback_given, self.text, self.text_warning]

    def _own_details(self) -> dict[str, Any]:
        return {"practitioner": self.practitioner.value, "event_kind": self.event_kind.value,
                "event_date": self.event_date.value, "feedback_given": self.feedback_given.value}

    def _load_own(self, details: StreamDetails | None) -> None:
        self.event_kind.value = _offered(self.event_kind, details.event_kind if details else None)
        self.event_date.value = details.event_date if details else None
        self.practitioner.value = _offered(self.practitioner, details.practitioner if details
                                           else None)
        self.feedback_given.value = details.feedback_given if details else None

    def _own_missing(self) -> list[str]:
        return [line for value, line in (
            (self.event_kind.value, "Choose the kind of event."),
            (self.event_date.value, "Give the date of the event."),
            (self.practitioner.value, "Choose the practitioner observed."),
            (self.feedback_given.value is not None,
             "Say whether feedback was given to the practitioner afterwards.")) if not value]

    def describe(self, details: StreamDetails | None) -> str:
        if details is None:
            return ""
        parts = [details.event_kind or "", _long_date(details.event_date) if details.event_date
                 else "", details.practitioner or ""]
        return ", ".join(p for p in parts if p)


class FeedbackFields(StreamFields):
    """Feedback from children and families, or from practitioners: consent first, then who, when,
    the structured questions and what the person said in their own words.

    Until consent is recorded as given the questions and the text stay closed; a decline clears
    them, so that only the decline is saved.
    """

    with_notes = False
    verb = "answer"
    text_label = "What they said, in their own words"
    text_hint = "As they said it, without names: 'she listens to me and comes when she says'"
    #: What a practitioner's words look like, for the practitioners' stream.
    practitioner_hint = "As they said it, without names: 'supervision is regular but rushed'"

    def _build_own(self) -> list[widgets.ValueWidget]:
        self.consent = _choice([(c[:1].upper() + c[1:], c) for c in CONSENT],
                               "Consent to record what they say", "ca-consent")
        self.consent_hint = widgets.HTML(
            '<div class="ca-hint">Ask first. The questions open once consent is given; if they '
            "decline, only the decline is recorded, with none of their answers.</div>")
        self.consent.observe(lambda _: self.gate(), names="value")  # before any save it causes
        self.event_date = _date("Date the feedback was given", "ca-event-date")
        if self.stream.id == "family_feedback":
            self.respondent = _choice([(r[:1].upper() + r[1:], r) for r in RESPONDENTS],
                                      "Who gave the feedback", "ca-respondent")
            self.practitioner = None
            who: widgets.ValueWidget = self.respondent
        else:
            self.respondent = None
            self.practitioner = _dropdown(
                [("Anonymous (no practitioner named)", ANONYMOUS), *self.participants],
                "Practitioner (leave as anonymous if they prefer)", "ca-practitioner")
            who = self.practitioner
        self.text_hint = self.text_hint if self.practitioner is None else self.practitioner_hint
        return [self.consent, who, self.event_date]

    def parts(self) -> list[widgets.Widget]:
        never_shown = widgets.HTML(
            '<div class="ca-never-shown">What you write here is kept for the practice week leads '
            "only: it is never shown on a dashboard or in a report. Only the counts and "
            "the answers above are, with small numbers hidden.</div>")
        return [self._own[0], self.consent_hint, *self._own[1:], self.criteria, self.text,
                never_shown, self.text_warning]

    def given(self) -> bool:
        return self.consent.value == "given"

    def gate(self) -> None:
        """Open the questions and the text only once consent is given; a decline clears them,
        since nothing the person said may be kept."""
        if self.consent.value == "declined":
            self._clearing = True  # the consent's own change keeps the draft, once, cleared
            try:
                for row in self.rows.values():
                    row.grade.answer = NOT_GRADED
                self.text.value = ""
                self.text_warning.value = ""
            finally:
                self._clearing = False
        closed = self.consent.disabled or not self.given()
        for row in self.rows.values():
            row.grade.disabled = closed
        self.text.disabled = closed

    def lock(self, locked: bool) -> None:
        super().lock(locked)
        self.gate()

    def _own_details(self) -> dict[str, Any]:
        out: dict[str, Any] = {"consent": self.consent.value, "event_date": self.event_date.value}
        if self.respondent is not None:
            out["respondent"] = self.respondent.value
        if self.practitioner is not None:
            out["practitioner"] = self.practitioner.value or None
        return out

    def _load_own(self, details: StreamDetails | None) -> None:
        self.consent.value = details.consent if details else None
        self.event_date.value = details.event_date if details else None
        if self.respondent is not None:
            self.respondent.value = _offered(self.respondent, details.respondent if details
                                             else None)
        if self.practitioner is not None:  # a saved record with no practitioner is anonymous
            self.practitioner.value = _offered(self.practitioner, details.practitioner
                                               if details and details.practitioner else
                                               ANONYMOUS if details else None)
        self.gate()

    def todo(self) -> dict[str, str]:
        return super().todo() if self.given() else {}

    def _own_missing(self) -> list[str]:
        lines = [] if self.consent.value else ["Record consent: given or declined."]
        if self.respondent is not None and not self.respondent.value:
            lines.append("Say who gave the feedback.")
        if self.practitioner is not None and self.practitioner.value is None:
            lines.append("Choose the practitioner, or anonymous.")
        if not self.event_date.value:
            lines.append("Give the date the feedback was given.")
        return lines

    def count(self) -> str:
        if self.consent.value == "declined":
            return "Consent declined: only the decline is recorded."
        if not self.given():
            return "Record consent first: the questions open once it is given."
        return super().count()

    def describe(self, details: StreamDetails | None) -> str:
        if details is None:
            return ""
        who = details.respondent or details.practitioner or (
            "anonymous" if self.practitioner is not None else "")
        consent = f"consent {details.consent}" if details.consent else ""
        return ", ".join(p for p in (who, consent) if p)


def _offered(menu: widgets.ValueWidget, value: Any) -> Any:
    """``value`` if ``menu`` offers it, else nothing chosen (a participant since taken off the
    round's list, a record saved under an older framework)."""
    return value if value in [v for _, v in menu.options] else None


def stream_fields(audit: AuditRound, framework: Framework, stream: Stream,
                  on_change: Callable[[], None]) -> StreamFields:
    """The fields of ``stream``'s form for ``audit``."""
    kinds: dict[str, type[StreamFields]] = {"case audit": CaseAuditFields,
                                            "observation": ObservationFields,
                                            "feedback": FeedbackFields}
    return kinds[stream.kind](audit, framework, stream, on_change)
