"""What makes an audit round a practice week: its theme, streams and participants.

A practice week (domain.md (d)) is one round with several evidence streams, each with its own
form: collaborative case audits, observations of practice, and feedback from children, families
and practitioners. The round names the streams it uses (from its framework's) and the people
taking part, by pseudonymous id with a role and agency, never by name: the week's summary goes
to the board. Everything is checked when the round is loaded, and :func:`practice_week_problem`
says why a record cannot belong to a round before anything is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, field_validator

from ._model import Identifier, _Strict, listed_twice
from .identifiers import identifier_problem

if TYPE_CHECKING:
    from .framework import Framework
    from .rounds import AuditRound

Loc = tuple[str | int, ...]

PRACTICE_WEEK = "practice_week"


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
