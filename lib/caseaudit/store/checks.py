"""Checking a form, a moderation and an action's progress update before anything is written.

Each check collects every problem, so a person fixes them all at once, and runs before the
save's transaction opens, so a refused save writes nothing and holds no lock. Answers are parsed
with :meth:`Scale.parse_answer <caseaudit.framework.Scale.parse_answer>`: a blank is "not graded
yet" and leaves the criterion out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

import pandas as pd

from .. import settings
from ..action_plan import STATUSES as ACTION_STATUSES
from ..action_plan import ActionPlan
from ..errors import GradeError
from ..framework import NOT_APPLICABLE, NOT_GRADED, Answer, Framework
from ..practice_week import PRACTICE_WEEK, record_name, stream_problems_of
from ..privacy import find_personal_data
from ..rounds import AuditRound, Case
from .records import ActionUpdateSave, FormSave, ModerationSave, StreamDetails
from .schema import STATUSES

#: The longest learning theme (a framework theme's id or a local tag) a moderation may carry.
THEME_MAX_CHARS = 60
#: The longest name of who records an update: the store's identifier columns hold 60 characters.
RECORDER_MAX_CHARS = 60


class ModerationRefused(GradeError):
    """A moderation that cannot be saved, with each criterion's problem kept apart
    (``by_criterion``) so the meeting's form can mark the criterion itself and list the problems
    by section, instead of one block of text far from where the meeting is looking."""

    def __init__(self, case_id: str, by_criterion: Mapping[str, str], other: Sequence[str]) -> None:
        self.by_criterion = dict(by_criterion)
        self.other = list(other)
        super().__init__([*self.other, *(f"criterion {cid}: {text}"
                                         for cid, text in self.by_criterion.items())],
                         context=f"moderation of case {case_id}")


class UpdateRefused(GradeError):
    """A progress update that cannot be saved, with every problem listed (``problems``) under a
    head naming the action, not "the form": the business manager reads it beside Save."""

    def __init__(self, problems: Sequence[str], subject: str) -> None:
        super().__init__(problems)
        # GradeError's head speaks of "the form"; the message a person reads names the action
        self.args = ("\n".join([f"The update of {subject} was not saved; nothing was written:",
                                 *(f"  - {p}" for p in self.problems)]),)


def kept(text: str) -> str:
    """A person's text as the store keeps it: trimmed, without NUL characters, which PostgreSQL's
    text cannot hold (so SQLite and PostgreSQL keep the same) and which mean nothing in a note."""
    return text.replace("\x00", "").strip()


def case_criteria(framework: Framework, case: Case) -> list[str]:
    """The criteria the meeting agrees for a case: those any of its agencies answers, in framework
    order (the rows of its grid, and what a complete moderation is counted against)."""
    agencies = set(case.agencies)
    return [c.id for _, c in framework.criteria() if set(framework.answered_by(c.id)) & agencies]


def _parse_answers(framework: Framework, values: Mapping[str, object], asked: set[str],
                   not_asked: Callable[[str], str]
                   ) -> tuple[dict[str, Answer], list[tuple[str | None, str]]]:
    """Each value as its criterion's answer, criteria not graded left out; and what is wrong, in
    order: ``(criterion, why)`` for a value off its scale, ``(None, sentence)`` for a criterion
    that is not in the framework, or not ``asked`` here (``not_asked`` says why)."""
    answers: dict[str, Answer] = {}
    wrong: list[tuple[str | None, str]] = []
    for cid, value in values.items():
        if cid not in framework.criteria_by_id:
            wrong.append((None, f"criterion {cid!r} is not in framework {framework.id} "
                                f"{framework.version}"))
        elif cid not in asked:
            wrong.append((None, not_asked(cid)))
        else:
            try:
                answer = framework.scale_of(cid).parse_answer(value)
            except ValueError as exc:
                wrong.append((cid, str(exc)))
            else:
                if answer is not NOT_GRADED:
                    answers[cid] = answer
    return answers, wrong


def check_form(audit: AuditRound, framework: Framework, save: FormSave) -> tuple[
    dict[str, Answer], dict[str, str]
]:
    """Check a form against its round and framework; return its answers (criteria not graded left
    out) and its notes.

    A practice week's record (``save.details``) is checked against its stream instead of a case's
    agencies: :func:`~caseaudit.practice_week.stream_problems_of` holds the rules, and the
    criteria asked are the stream's.

    Raises
    ------
    GradeError
        listing each problem (unknown criterion, grade off the scale, case outside the round...).
    """
    problems: list[str] = []
    if (framework.id, framework.version) != (audit.framework.id, audit.framework.version):
        problems.append(f"round {audit.id} uses framework {audit.framework.id} "
                        f"{audit.framework.version}, not {framework.id} {framework.version}")
    streamed = audit.kind == PRACTICE_WEEK or save.details is not None
    case = audit.cases_by_id.get(save.case_id)
    if streamed:
        pass  # which ids a record may have is its stream's rule (stream_problems_of)
    elif case is None:
        problems.append(f"case {save.case_id!r} is not in round {audit.id}; check the case id "
                        f"against the round's case list")
    elif save.agency not in case.agencies:
        problems.append(f"agency {save.agency!r} is not involved with case {save.case_id} in "
                        f"round {audit.id} (involved: {', '.join(case.agencies)})")
    auditor = audit.auditors_by_id.get(save.auditor)
    if auditor is None:
        problems.append(f"auditor {save.auditor!r} is not one of round {audit.id}'s auditors; "
                        "add them to the round's audit.yaml first")
    elif auditor.agency != save.agency:
        problems.append(f"auditor {save.auditor} audits for {auditor.agency}, not {save.agency}")
    if save.status not in STATUSES:
        problems.append(f"status {save.status!r} must be one of {', '.join(STATUSES)}")
    if streamed:
        asked = _stream_asked(audit, framework, save)
        form = (f"the {save.details.stream_id.replace('_', ' ')} form" if save.details is not None
                else "this form")

        def not_asked(cid: str) -> str:
            return f"criterion {cid} is not asked on {form}; leave it out"
    else:
        asked = {c.id for c in framework.criteria_for(save.agency)}
        form = f"{save.agency}'s form"

        def not_asked(cid: str) -> str:
            return f"criterion {cid} is not answered by {save.agency} in framework {framework.id}"
    answers, wrong = _parse_answers(  # a draft may leave criteria blank
        framework, save.grades, asked, not_asked)
    problems += [f"criterion {cid}: {why}" if cid else why for cid, why in wrong]
    notes: dict[str, str] = {}
    for criterion_id, note in save.notes.items():
        if criterion_id not in asked:
            problems.append(f"a note is given for criterion {criterion_id!r}, which {form} does "
                            "not ask")
        elif text := kept(note or ""):
            if problem := settings.too_long(text, "the evidence note"):
                problems.append(f"criterion {criterion_id}: {problem}")
            else:
                notes[criterion_id] = text
    if streamed:
        problems += stream_problems_of(audit, framework, save.details, save.case_id, save.agency,
                                       save.status, set(answers), set(notes))
    elif save.status == "submitted" and not problems:
        missing = [c.id for c in framework.criteria_for(save.agency) if c.id not in answers]
        if missing:
            problems.append(f"a submitted form must grade every criterion; not graded: "
                            f"{', '.join(missing)} (save it as a draft until they are)")
    if problems:
        raise GradeError(problems, context=form_context(save, audit.kind))
    return answers, notes


def form_context(save: FormSave, kind: str) -> str:
    """How a refusal names the form (of a round of ``kind``): by case and agency, or a
    practice-week record by its stream, id and who records it ("for observation OBS-004 by
    PW-LEAD-CSC-1")."""
    if save.details is None:
        if kind == PRACTICE_WEEK:
            return f"for record {save.case_id} by {save.auditor}"
        return f"for case {save.case_id} ({save.agency})"
    return f"for {record_name(save.details.stream_id, save.case_id, save.auditor)}"


def _stream_asked(audit: AuditRound, framework: Framework, save: FormSave) -> set[str]:
    """The criteria a practice-week record's form asks: its stream's, or none while the stream
    itself is wrong (its own problem says so)."""
    details = save.details
    if (details is None or audit.kind != PRACTICE_WEEK or details.stream_id not in audit.streams
            or details.stream_id not in framework.streams_by_id):
        return set()
    return {c.id for c in framework.stream_criteria(details.stream_id)}


def stream_flagged(details: StreamDetails | None, today: date | None = None) -> bool:
    """Whether a record's text looks like it holds personal data: saved (nothing a person said is
    lost) and flagged for rewriting, as an evidence note is."""
    text = kept(details.text) if details is not None else ""
    return bool(text) and bool(find_personal_data(text, today or settings.today()))


def check_moderation(audit: AuditRound, framework: Framework, save: ModerationSave,
                     submitted: pd.DataFrame) -> ModerationSave:
    """Check a moderation against its round, its framework and the agencies' submitted grades
    (``submitted``: current submitted responses of the case, or of more); return it with its
    grades and overall grade as answers (criteria not graded left out) and its text cleaned.

    Raises
    ------
    GradeError
        nobody is named as recording it.
    ModerationRefused
        listing each problem: a case outside the round, an unknown criterion, a grade off the
        scale, a missing rationale where the agreed grade differs from an agency's, text too long.
    """
    case_id = save.case_id
    if not save.saved_by.strip():
        raise GradeError(["say who records the moderation (saved_by)"],
                         context=f"moderation of case {case_id}")
    long = [problem for name, text in (("Strengths", save.strengths),
                                       ("Areas for development", save.development))
            if (problem := settings.too_long(text.strip(), name))]
    if long:
        raise ModerationRefused(case_id, {}, long)
    case = audit.cases_by_id.get(case_id)
    if case is None:
        raise ModerationRefused(case_id, {}, [f"case {case_id!r} is not in round {audit.id}; "
                                              "choose a case from the round's case list"])
    agencies = ", ".join(case.agencies)
    answers, wrong = _parse_answers(  # the case's criteria: what a complete moderation counts
        framework, save.grades, set(case_criteria(framework, case)),
        lambda cid: f"criterion {cid} is not asked of any agency involved with case {case_id} "
                    f"({agencies}); leave it out")
    problems = [why for cid, why in wrong if cid is None]
    by_criterion = {cid: why for cid, why in wrong if cid is not None}
    rationales = {cid: rationale for cid, text in save.rationales.items()
                  if (rationale := kept(text or ""))}
    graded = submitted[(submitted["case_id"] == case_id) & ~submitted["not_applicable"]
                       & submitted["grade"].notna()]
    given: dict[str, set[tuple[str, int]]] = {}  # criterion -> (agency, grade), read once
    for cid, agency, grade in zip(graded["criterion_id"].tolist(), graded["agency"].tolist(),
                                  graded["grade"].tolist(), strict=True):
        given.setdefault(cid, set()).add((agency, int(grade)))
    for cid, answer in answers.items():
        if answer is NOT_APPLICABLE or cid in rationales:
            continue
        scale = framework.scale_of(cid)
        differing = sorted({f"{agency} ({scale.label(grade)})"
                            for agency, grade in given.get(cid, ()) if grade != answer})
        if differing:
            by_criterion[cid] = (f"the agreed grade {scale.label(answer)} differs from "  # type: ignore[arg-type]
                                 f"{', '.join(differing)}: write the rationale the meeting agreed")
    overall: Answer = NOT_GRADED
    try:
        overall = framework.overall_scale.parse_answer(save.overall)
    except ValueError as exc:
        problems.append(f"overall grade: {exc}")
    if overall is NOT_APPLICABLE:
        problems.append("overall grade: a case's overall grade cannot be 'not applicable'; give "
                        "the grade the meeting agreed, or leave it blank until it does")
        overall = NOT_GRADED
    for cid, text in rationales.items():
        if problem := settings.too_long(text, "the rationale"):
            by_criterion[cid] = problem
    themes: list[str] = []
    for theme in save.themes:
        text = str(theme).strip()
        if not text:
            continue
        if len(text) > THEME_MAX_CHARS:
            problems.append(f"theme {text[:20]!r}... is longer than {THEME_MAX_CHARS} characters; "
                            "shorten it")
        elif text not in themes:
            themes.append(text)
    if problems or by_criterion:
        raise ModerationRefused(case_id, by_criterion, problems)
    return dataclasses.replace(save, grades=answers, rationales=rationales, overall=overall,
                               strengths=kept(save.strengths),
                               development=kept(save.development), themes=tuple(themes),
                               saved_by=save.saved_by.strip())


def check_action_update(plan: ActionPlan, save: ActionUpdateSave, today: date | None = None
                        ) -> tuple[ActionUpdateSave, bool]:
    """Check a progress update against the inspection's action plan; return it cleaned (status
    in the plan's words, text stripped, the date a date) and whether its narrative or evidence
    reference looks like it holds personal data (saved and flagged, like an evidence note).

    ``today`` (default :func:`caseaudit.settings.today`) bounds the date recorded: progress
    cannot be recorded on a day still to come.

    Raises
    ------
    UpdateRefused
        listing each problem: an action the plan does not have (naming its actions), a status
        off the list, a date missing or in the future, text too long, nobody named as recording it.
    """
    today = today or settings.today()
    problems: list[str] = []
    if save.inspection_id != plan.inspection:
        problems.append(f"the update is for inspection {save.inspection_id!r}, but the action plan "
                        f"given is inspection {plan.inspection}'s; open that inspection's plan")
    elif save.action_id not in plan.actions_by_id:
        problems.append(f"action {save.action_id!r} is not in inspection {plan.inspection}'s "
                        f"action plan (action_plan.yaml), whose actions are "
                        f"{', '.join(plan.actions_by_id) or 'none yet'}; choose one of them, or add "
                        "the action to the plan first")
    status = " ".join(str(save.status).split()).lower()
    if status not in ACTION_STATUSES:
        problems.append(f"status {save.status!r} is not one of {', '.join(ACTION_STATUSES)}; "
                        "choose one of those")
    recorded_on = save.recorded_on
    if isinstance(recorded_on, datetime):
        recorded_on = recorded_on.date()
    if not isinstance(recorded_on, date):
        problems.append("give the date the progress was recorded (date recorded), as a date")
    elif recorded_on > today:
        problems.append(f"the date recorded, {recorded_on:%d %B %Y}, is after today "
                        f"({today:%d %B %Y}); give the day the progress was recorded, today or "
                        "earlier")
    narrative, evidence = kept(save.narrative), kept(save.evidence)
    problems += [problem for text, what in ((narrative, "the narrative"),
                                            (evidence, "the evidence reference"))
                 if (problem := settings.too_long(text, what))]
    saved_by = save.saved_by.strip()
    if not saved_by:
        problems.append("say who records the update (I am)")
    elif len(saved_by) > RECORDER_MAX_CHARS:
        problems.append(f"who records the update ({saved_by[:20]!r}...) is longer than "
                        f"{RECORDER_MAX_CHARS} characters; give a shorter id or role")
    if problems:
        raise UpdateRefused(problems, f"action {save.action_id} (inspection {save.inspection_id})")
    flagged = any(find_personal_data(text, today) for text in (narrative, evidence) if text)
    return dataclasses.replace(save, status=status, recorded_on=recorded_on, narrative=narrative,
                               evidence=evidence, saved_by=saved_by), flagged
