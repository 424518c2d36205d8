"""What the store takes and gives back: saves in, revisions out, all frozen.

A save (:class:`FormSave`, :class:`ModerationSave`) holds what a person typed, in any form
:meth:`Scale.parse_answer <caseaudit.framework.Scale.parse_answer>` accepts; the store checks it
and numbers the revision. What comes back (:class:`Revision`, :class:`Moderation`) holds answers:
a grade's code or ``NOT_APPLICABLE`` per criterion, criteria not graded left out. A progress
update on an action (:class:`ActionUpdateSave` in, :class:`ActionUpdate` out) holds a status and
text instead of answers. A practice-week record is a form too: what its stream adds (who was
observed, consent, the person's own words) rides beside it as :class:`StreamDetails`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..framework import Answer


@dataclass(frozen=True)
class FormKey:
    """Which form: one agency's scoring of one case in one round by one auditor."""

    round_id: str
    case_id: str
    agency: str
    auditor: str

    def __str__(self) -> str:
        return (f"the {self.agency} form for case {self.case_id} in round {self.round_id} "
                f"(auditor {self.auditor})")


@dataclass(frozen=True)
class StreamDetails:
    """What a practice-week record holds beside its answers; which fields a stream uses, and
    which it needs before it is submitted, is checked by
    :func:`caseaudit.practice_week.stream_problems_of`.

    ``practitioner`` is a participant id: the case holder (case audit), the practitioner observed
    (observation) or the respondent (practitioner feedback; blank keeps it anonymous); a family
    feedback record names none. ``event_kind``, ``feedback_given``: an observation's only.
    ``event_date``: when the event was observed or the feedback given. ``respondent`` (one of
    ``RESPONDENTS``): a family feedback record's only. ``consent`` (one of ``CONSENT``): a
    feedback record's, on every save, a draft too, because nothing a person said is kept without
    it. ``text``: the reflection, the observer's note, or what was said in the person's own
    words; it never reaches a board page.
    """

    stream_id: str
    practitioner: str | None = None
    event_kind: str | None = None
    event_date: date | None = None
    feedback_given: bool | None = None
    respondent: str | None = None
    consent: str | None = None
    text: str = ""


@dataclass(frozen=True)
class FormSave:
    """A form to save: what the scoring form, an Excel import or the generator hands the store.
    ``based_on`` is the revision number the auditor opened (``None`` for a new form)."""

    case_id: str
    agency: str
    auditor: str
    grades: Mapping[str, object]
    notes: Mapping[str, str] = field(default_factory=dict)
    status: str = "draft"
    based_on: int | None = None
    saved_by: str | None = None
    saved_at: datetime | None = None
    details: StreamDetails | None = None


@dataclass(frozen=True)
class Revision:
    """One saved state of a form: ``grades`` maps each answered criterion to its answer.
    A practice-week record's revision carries its ``details``; ``flagged``: the privacy guard
    found what looks like personal data in their text (saved and flagged, as an evidence note)."""

    key: FormKey
    revision_no: int
    status: str
    framework_id: str
    framework_version: str
    saved_by: str
    saved_at: datetime
    based_on: int | None = None
    grades: dict[str, Answer] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    details: StreamDetails | None = None
    flagged: bool = False


@dataclass(frozen=True)
class ModerationSave:
    """A case's moderation to save, as the meeting agreed it: per criterion an agreed answer and
    a rationale, an overall grade, strengths, areas for development and learning themes.
    ``based_on`` is the moderation revision the meeting opened (``None``: the case had none)."""

    case_id: str
    grades: Mapping[str, object]
    rationales: Mapping[str, str] = field(default_factory=dict)
    overall: object | None = None
    strengths: str = ""
    development: str = ""
    themes: Sequence[str] = ()
    based_on: int | None = None
    saved_by: str = ""
    saved_at: datetime | None = None


@dataclass(frozen=True)
class Moderation:
    """One saved state of a case's moderation: the agreed answer per criterion with rationales,
    the overall grade (``NOT_GRADED`` until the meeting gives one), strengths, areas for
    development, themes."""

    round_id: str
    case_id: str
    revision_no: int
    grades: dict[str, Answer]
    rationales: dict[str, str]
    overall: Answer
    strengths: str
    development: str
    themes: list[str]
    saved_by: str
    saved_at: datetime
    based_on: int | None = None


@dataclass(frozen=True)
class ModerationDraft:
    """What the meeting's form held for a case, unsaved, on top of moderation revision
    ``based_on`` (``None``: the case had none). ``state`` is the form's own record of its values."""

    round_id: str
    case_id: str
    based_on: int | None
    state: dict[str, Any]
    saved_by: str
    saved_at: datetime


@dataclass(frozen=True)
class ActionUpdateSave:
    """A progress update on one action of an inspection's action plan, as the business manager
    typed it: the status, the date the progress was recorded (not the save's time: an update
    written up on Monday may report Friday's meeting), a narrative and an evidence reference.
    ``based_on`` is the update revision the form opened (``None``: the action had none)."""

    inspection_id: str
    action_id: str
    status: str
    recorded_on: date | None
    narrative: str
    evidence: str
    saved_by: str
    based_on: int | None
    saved_at: datetime | None = None


@dataclass(frozen=True)
class ActionUpdate:
    """One saved update of an action. ``flagged``: the privacy guard found what looks like
    personal data in its narrative or evidence reference; it is saved (nothing a person typed is
    lost) and flagged for rewriting, as an evidence note is."""

    inspection_id: str
    action_id: str
    revision_no: int
    status: str
    recorded_on: date
    narrative: str
    evidence: str
    saved_by: str
    saved_at: datetime
    flagged: bool
    based_on: int | None = None


@dataclass(frozen=True)
class ActionDraft:
    """What the update form held for an action, unsaved, on top of update revision ``based_on``
    (``None``: the action had none). ``state`` is the form's own record of its values."""

    inspection_id: str
    action_id: str
    based_on: int | None
    state: dict[str, Any]
    saved_by: str
    saved_at: datetime
