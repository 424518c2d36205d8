"""What makes an audit round a practice week: its theme, streams and participants.

A practice week (domain.md (d)) is one round with several evidence streams, each with its own
form: collaborative case audits, observations of practice, and feedback from children, families
and practitioners. The round names the streams it uses (from its framework's) and the people
taking part, by pseudonymous id with a role and agency, never by name: the week's summary goes
to the board. Everything is checked when the round is loaded, and :func:`practice_week_problem`
says why a record cannot belong to a round before anything is saved.

Each stream's record is a form of the round (the store keeps it as form revisions): a case audit
under the case's id, any other record under an id made from its stream (:func:`next_record_id`:
``OBS-004``). :func:`stream_problems_of` is every rule such a record must meet before it is saved.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, field_validator

from ._model import Identifier, _Strict, listed_twice
from .identifiers import identifier_problem

if TYPE_CHECKING:
    from .framework import Framework
    from .rounds import AuditRound
    from .store.records import StreamDetails

Loc = tuple[str | int, ...]

PRACTICE_WEEK = "practice_week"

#: A feedback record's consent: nothing a person said is kept without it, and "declined" keeps
#: only that they declined (no answers, no words).
CONSENT = ("given", "declined")
#: Who gave a family feedback record: counted on the week's summary, never named.
RESPONDENTS = ("child or young person", "parent or carer", "other family member")
#: How far outside the week's period an event or a piece of feedback may be dated: an
#: observation booked the week before, feedback written up the week after, still belong to it.
DATE_MARGIN = timedelta(days=14)


class Participant(_Strict):
    """A practitioner or observer of a practice week, by pseudonymous id, with role and agency."""

    id: Identifier
    role: str = Field(min_length=1, max_length=120)
    agency: Identifier

    @field_validator("id", mode="before")
    @classmethod
    def _pseudonymous(cls, value: object) -> object:
        """A name typed as an id is refused first, so the message says why."""
        if isinstance(value, str) and (why := identifier_problem(
                value, instead="use a pseudonymous id such as P-03 instead")):
            raise ValueError(f"participant id {value!r} {why}")
        return value

    @field_validator("role")
    @classmethod
    def _a_role(cls, value: str) -> str:
        """A role is shown with the week's findings, so a name or contact there is refused."""
        from .action_plan import _not_a_role  # the plan's check of lead roles; import on use

        if (why := _not_a_role(value, "Social worker")) is not None:
            raise ValueError(why)
        return value


def round_problems(audit: AuditRound) -> list[tuple[Loc, str]]:
    """What is wrong with a round's practice-week fields on their own, each with its place.

    A practice week needs a theme, its streams and its participants; another kind of round has
    no streams or participants (its people are its auditors), so writing them there is refused
    rather than silently ignored.
    """
    problems: list[tuple[Loc, str]] = []
    if audit.kind != PRACTICE_WEEK:
        for field in ("streams", "participants"):
            if getattr(audit, field):
                problems.append(((field,), f"a {audit.kind} round has no {field}; remove them, or "
                                 "set kind: practice_week if this round is a practice week"))
        return problems
    for field, fix in (("theme", "write the week's theme, e.g. theme: Neglect"),
                       ("streams", "list the streams the week uses, e.g. [case_audit, observation]"),
                       ("participants", "list the practitioners and observers, each as "
                                        "{id: P-01, role: Social worker, agency: CSC}")):
        value = getattr(audit, field)
        if not (value.strip() if isinstance(value, str) else value):
            problems.append(((field,), f"a practice week needs '{field}'; {fix}"))
    people = [p.id for p in audit.participants]
    problems += listed_twice("streams", list(audit.streams), by_id=False)
    problems += listed_twice("participants", people)
    for i, person in enumerate(audit.participants):
        if person.agency not in audit.agencies:
            problems.append((("participants", i, "agency"), f"participant {person.id}'s agency "
                             f"'{person.agency}' is not one of the round's agencies "
                             f"({', '.join(audit.agencies)}); add it to 'agencies' or correct it"))
    return problems


def framework_problems(audit: AuditRound, framework: Framework) -> list[tuple[Loc, str]]:
    """What is wrong with a round against its framework's streams: a practice week needs a
    framework with streams and uses only those; a case audit's forms would ask every stream's
    criteria at once, so it cannot use a practice week's framework."""
    name = f"{framework.id} {framework.version}"
    if audit.kind != PRACTICE_WEEK:
        if framework.streams:
            return [(("framework",), f"the framework {name} is a practice week's (it has "
                     f"streams), so a {audit.kind} round cannot use it; name a case-audit "
                     "framework, or set kind: practice_week")]
        return []
    if not framework.streams:
        return [(("framework",), f"the framework {name} has no streams, so a practice week cannot "
                 "use it; name a framework with streams, e.g. {id: practice-week, version: \"1.0\"}")]
    known = ", ".join(framework.streams_by_id)
    return [(("streams", i), f"stream '{stream}' is not one of the framework {name}'s streams "
             f"({known}); correct it or remove it")
            for i, stream in enumerate(audit.streams) if stream not in framework.streams_by_id]


def practice_week_problem(audit: AuditRound, stream_id: str, participant_id: str | None = None,
                          event_kind: str | None = None, framework: Framework | None = None) -> str | None:
    """Why a record of stream ``stream_id`` (by ``participant_id``, of an event of
    ``event_kind``) cannot belong to ``audit``, or ``None`` when it can.

    The stores and forms of each stream call this before saving, so that an observation filed
    against a case audit, or by someone outside the week, is refused with one sentence.
    ``framework`` defaults to the round's own.
    """
    if audit.kind != PRACTICE_WEEK:
        return (f"round {audit.id} is a {_KIND_NAMES.get(audit.kind, audit.kind)}, not a practice "
                "week; choose a practice-week round")
    if stream_id not in audit.streams:
        return (f"stream '{stream_id}' is not one of round {audit.id}'s streams "
                f"({', '.join(audit.streams)})")
    if participant_id is not None and participant_id not in audit.participants_by_id:
        return (f"participant {participant_id} is not in round {audit.id}'s participants "
                f"({', '.join(audit.participants_by_id)}); add them to the round's audit.yaml first")
    if event_kind is not None:
        stream = (framework or audit.load_framework()).streams_by_id[stream_id]
        if stream.kind != "observation":
            return f"stream '{stream_id}' records no event kind; only an observation does"
        if event_kind not in stream.event_kinds:
            return (f"event kind '{event_kind}' is not one of the kinds of event observed "
                    f"({', '.join(stream.event_kinds)}); choose one of them")
    return None


#: What the kinds of round are called in a sentence.
_KIND_NAMES = {"maca": "multi-agency case audit", "thematic": "thematic audit",
               "single_agency": "single-agency audit", PRACTICE_WEEK: "practice week"}


def without_practice_weeks(rounds: Sequence[AuditRound], verb: str = "shown"
                           ) -> tuple[list[AuditRound], list[str]]:
    """The case audits among ``rounds``, and one sentence for each practice week left out.

    The case-audit forms and dashboards read a round as one form per case and agency; a practice
    week's streams (observations, feedback) would show there as forms never returned, so it is
    kept out, with a sentence saying why, until its own forms and summary are drawn.
    """
    kept = [r for r in rounds if r.kind != PRACTICE_WEEK]
    said = [f"The practice week {r.id} is not {verb} here: this page is for case audits, and a "
            "practice week's streams have their own forms and summary." for r in rounds
            if r.kind == PRACTICE_WEEK]
    return kept, said


def latest_case_audit(audits: str | Path | None = None) -> AuditRound:
    """The latest round of the audits folder that is not a practice week: what the case-audit
    notebooks and the committee report open when no round is named, so that a practice week
    added after a case audit does not take its place.

    Raises
    ------
    NotFoundError
        when the folder holds no case audit.
    """
    from . import settings
    from .errors import NotFoundError
    from .rounds import load_rounds

    rounds, _ = without_practice_weeks(load_rounds(audits))
    if not rounds:
        raise NotFoundError(f"There is no case audit round in {settings.audits_dir(audits)}. Set "
                            f"{settings.AUDITS_ENV} if your rounds are kept elsewhere, or name "
                            "the round.")
    return rounds[-1]


# -- a stream's records ---------------------------------------------------------------------------

def record_prefix(stream: str) -> str:
    """What a stream's record ids start with: the initials of its id's words when it has several
    (``family_feedback`` -> ``FF``), else its first three letters (``observation`` -> ``OBS``)."""
    words = [w for w in re.split(r"[_.-]+", stream) if w]
    return ("".join(w[0] for w in words) if len(words) > 1 else stream[:3]).upper()


def next_record_id(taken: Iterable[str], stream: str) -> str:
    """The first id of ``stream``'s form (``OBS-001``, ``OBS-002``...) not in ``taken``: the ids
    are numbered per stream, so a week's observations read OBS-001 to OBS-025 on every page."""
    prefix, used = record_prefix(stream), set(taken)
    number = 1
    while f"{prefix}-{number:03d}" in used:
        number += 1
    return f"{prefix}-{number:03d}"


def record_name(stream_id: str, record_id: str, auditor: str) -> str:
    """How a message names a record: ``observation OBS-004 by PW-LEAD-CSC-1``."""
    return f"{stream_id.replace('_', ' ')} {record_id} by {auditor}"


#: What a stream's text is, as a message names it (by the stream's kind).
_TEXT_NAMES = {"case audit": "the practitioner's reflection", "observation": "the observer's note",
               "feedback": "what was said"}


def stream_problems_of(audit: AuditRound, framework: Framework, details: StreamDetails | None,
                       record_id: str, agency: str, status: str,
                       answered: Collection[str] = (), noted: Collection[str] = (),
                       today: date | None = None) -> list[str]:
    """Every reason a record (``details``, under ``record_id`` by an auditor of ``agency``, with
    the criteria ``answered`` and those with a note, ``noted``) cannot be saved as ``status`` in
    ``audit``; empty when it can.

    Each reason says what to do. A case-audit round takes no details and a practice week needs
    them; a stream outside the round stops the checks there, since nothing else can be judged
    against it. ``today`` (default :func:`caseaudit.settings.today`) bounds the dates.
    """
    if audit.kind != PRACTICE_WEEK:
        return [] if details is None else [str(practice_week_problem(audit, details.stream_id))]
    if details is None:
        return [f"say which stream the record belongs to (details with one of round {audit.id}'s "
                f"streams: {', '.join(audit.streams)}); a practice week's forms are its streams'"]
    stream_id = details.stream_id
    if (why := practice_week_problem(audit, stream_id, framework=framework)) is not None:
        return [f"{why}; choose one of them"]
    if stream_id not in framework.streams_by_id:
        return [f"stream '{stream_id}' is not in the framework {framework.id} {framework.version}; "
                "choose one of its streams"]
    stream = framework.streams_by_id[stream_id]
    problems = _record_id_problems(audit, stream_id, stream.kind, record_id, agency)
    problems += _field_problems(audit, framework, details, stream.kind)
    problems += _date_problems(audit, details, today)
    declined = details.consent == "declined"
    if declined and (answered or noted or details.text.strip()):
        problems.append("consent was declined, so nothing the person said may be kept: clear the "
                        "answers, notes and text, or record consent as given")
    if status == "submitted":
        problems += _submit_problems(framework, details, stream.kind, answered, declined)
    from . import settings  # settings reads the environment; import on use

    if problem := settings.too_long(details.text.strip(), _TEXT_NAMES[stream.kind]):
        problems.append(problem)
    return problems


def _record_id_problems(audit: AuditRound, stream_id: str, kind: str, record_id: str,
                        agency: str) -> list[str]:
    """A case audit is filed under a case of the round that the auditor's agency is involved
    with; any other record under an id of its own stream, never a case's (the case list is the
    case audits' alone)."""
    case = audit.cases_by_id.get(record_id)
    if kind == "case audit":
        if case is None:
            return [f"case {record_id!r} is not in round {audit.id}; choose a case from the round's "
                    "case list"]
        if agency not in case.agencies:
            return [f"agency {agency} is not involved with case {record_id} (involved: "
                    f"{', '.join(case.agencies)}); the case audit is recorded by an auditor of "
                    "one of them"]
        return []
    prefix = record_prefix(stream_id)
    if case is not None or not re.fullmatch(rf"{re.escape(prefix)}-\d{{3,}}", record_id):
        return [f"{record_id!r} is not an id of the {stream_id.replace('_', ' ')} stream; use the "
                f"next free id of the stream ({prefix}-001, {prefix}-002...)"]
    return []


def _field_problems(audit: AuditRound, framework: Framework, details: StreamDetails,
                    kind: str) -> list[str]:
    """Each field is a stream's own (an event kind is an observation's, consent a feedback
    record's); one given to another stream is refused, not quietly dropped."""
    stream_id = details.stream_id
    problems: list[str] = []
    own = {"practitioner": stream_id != "family_feedback",
           "event_kind": kind == "observation", "feedback_given": kind == "observation",
           "respondent": stream_id == "family_feedback", "consent": kind == "feedback"}
    for field, allowed in own.items():
        if not allowed and getattr(details, field) is not None:
            problems.append(f"a {stream_id.replace('_', ' ')} record has no "
                            f"{_FIELD_NAMES[field].removeprefix('the ')}; leave it blank")
    if own["practitioner"] and details.practitioner is not None and (
            why := practice_week_problem(audit, stream_id, details.practitioner)) is not None:
        problems.append(why)
    if own["event_kind"] and details.event_kind is not None and (
            why := practice_week_problem(audit, stream_id, event_kind=details.event_kind,
                                         framework=framework)) is not None:
        problems.append(why)
    if own["feedback_given"] and details.feedback_given not in (None, True, False):
        problems.append(f"whether there was a feedback conversation afterwards is "
                        f"{details.feedback_given!r}; answer yes (True) or no (False)")
    if own["consent"]:
        if details.consent is None:
            problems.append("record whether the person consented (consent: given or declined); "
                            "nothing they said is kept without it, even in a draft")
        elif details.consent not in CONSENT:
            problems.append(f"consent {details.consent!r} must be one of {', '.join(CONSENT)}")
    if own["respondent"] and details.respondent is not None and details.respondent not in RESPONDENTS:
        problems.append(f"respondent {details.respondent!r} is not one of {', '.join(RESPONDENTS)}; "
                        "choose one of them")
    return problems


def _date_problems(audit: AuditRound, details: StreamDetails, today: date | None) -> list[str]:
    """The event's (or the feedback's) date falls within the week, give or take
    :data:`DATE_MARGIN`, and not after today."""
    day = details.event_date
    if day is None:
        return []
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date):
        return [f"the date {day!r} is not a date; give the day it happened, as a date"]
    from . import settings
    from .times import long_date

    today = today or settings.today()
    first, last = audit.period.start - DATE_MARGIN, audit.period.end + DATE_MARGIN
    if day > today:
        return [f"the date, {long_date(day)}, is after today ({long_date(today)}); give the day it "
                "happened"]
    if not first <= day <= last:
        return [f"the date, {long_date(day)}, is outside the week ({long_date(audit.period.start)} "
                f"to {long_date(audit.period.end)}, give or take {DATE_MARGIN.days} days); give the "
                "day it happened, or record it in the round it belongs to"]
    return []


#: How a message names each field of a record's details.
_FIELD_NAMES = {"practitioner": "the practitioner", "event_kind": "the kind of event",
                "feedback_given": "whether there was a feedback conversation afterwards",
                "event_date": "the date", "respondent": "who answered (the respondent)",
                "consent": "consent"}


def _submit_problems(framework: Framework, details: StreamDetails, kind: str,
                     answered: Collection[str], declined: bool) -> list[str]:
    """A submitted record is complete: every criterion of its stream graded (not applicable where
    the scale allows) and the fields its stream needs; a feedback record whose consent was
    declined is complete as it is, since it may hold nothing else."""
    if declined:
        return []
    needed = {"practitioner": kind in ("case audit", "observation"),
              "event_kind": kind == "observation", "feedback_given": kind == "observation",
              "event_date": kind in ("observation", "feedback"),
              "respondent": details.stream_id == "family_feedback"}
    problems = [f"a submitted {details.stream_id.replace('_', ' ')} record needs {_FIELD_NAMES[field]}; "
                "fill it in, or save it as a draft until it is known"
                for field, need in needed.items() if need and getattr(details, field) is None]
    missing = [c.id for c in framework.stream_criteria(details.stream_id) if c.id not in answered]
    if missing:
        problems.append(f"a submitted record must grade every criterion of its stream; not graded: "
                        f"{', '.join(missing)} (save it as a draft until they are)")
    return problems
