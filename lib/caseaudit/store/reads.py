"""Reading the store: current responses and moderations as tidy frames, grade counts, histories,
and the progress recorded on an inspection's actions.

"Current" is what a record's head points at (``form_heads``, ``moderation_heads``,
``action_heads``): one join, at any size. "As of" a past time is the latest revision saved by
then, searched in the log. Frames keep an answer as two columns, ``grade`` (``Int64``, ``<NA>``
when there is none) and ``not_applicable``, so that pandas and SQL can count grades; objects
(:class:`Revision`, :class:`Moderation`) hold it as one :data:`~caseaudit.framework.Answer`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..framework import NOT_GRADED, Answer, answer_from_columns
from .connect import reading
from .records import ActionUpdate, FormKey, Moderation, Revision, StreamDetails
from .schema import (
    action_heads,
    action_updates,
    form_heads,
    forms,
    grade_tallies,
    moderation_grades,
    moderation_heads,
    moderations,
    naive_utc,
    revisions,
    round_events,
    scores,
    stream_details,
)


def _frame(engine: Engine, query: sa.Select) -> pd.DataFrame:
    with reading(engine) as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=list(query.selected_columns.keys()))


def _answers(rows: Sequence[sa.Row], ids: Sequence[int], revision_id: str, text: str
             ) -> tuple[dict[int, dict[str, Answer]], dict[int, dict[str, str]]]:
    """Per revision id, its answers (criteria not graded left out) and its texts (notes or
    rationales), from the rows of an answers table (``scores``, ``moderation_grades``)."""
    answers: dict[int, dict[str, Answer]] = {i: {} for i in ids}
    texts: dict[int, dict[str, str]] = {i: {} for i in ids}
    for row in rows:
        key = getattr(row, revision_id)
        answer = answer_from_columns(row.grade, row.not_applicable)
        if answer is not NOT_GRADED:
            answers[key][row.criterion_id] = answer
        if getattr(row, text):
            texts[key][row.criterion_id] = getattr(row, text)
    return answers, texts


def last_change(engine: Engine) -> tuple[int, ...]:
    """A marker that changes whenever a form or moderation revision is saved or a round is closed
    or reopened (not when a moderation draft is kept): how many rows each of those logs holds, and
    its highest id. Both, because on PostgreSQL a save that took its id earlier can commit later,
    so the highest id alone could miss it. Each is an index look-up, so callers may ask often."""
    parts = [sa.select(agg).scalar_subquery()
             for column in (revisions.c.revision_id, moderations.c.moderation_id,
                            round_events.c.event_id)
             for agg in (sa.func.count(column), sa.func.coalesce(sa.func.max(column), 0))]
    with reading(engine) as conn:
        return tuple(int(v) for v in conn.execute(sa.select(*parts)).one())


# -- forms ----------------------------------------------------------------------------------------

def _current_revisions(round_id: str | None, as_of: datetime | None) -> sa.Subquery:
    """(form_id, revision_id) of each form's latest revision, now or as of a time."""
    if as_of is None:
        query = sa.select(form_heads.c.form_id, form_heads.c.revision_id)
        if round_id is not None:
            query = query.where(form_heads.c.round_id == round_id)
        return query.subquery("current")
    latest = (sa.select(revisions.c.form_id,
                        sa.func.max(revisions.c.revision_no).label("revision_no"))
              .where(revisions.c.saved_at <= naive_utc(as_of))
              .group_by(revisions.c.form_id))
    if round_id is not None:
        latest = latest.where(revisions.c.form_id.in_(
            sa.select(forms.c.form_id).where(forms.c.round_id == round_id)))
    latest_sq = latest.subquery("latest")
    return (sa.select(revisions.c.form_id, revisions.c.revision_id)
            .join(latest_sq, sa.and_(revisions.c.form_id == latest_sq.c.form_id,
                                     revisions.c.revision_no == latest_sq.c.revision_no))
            .subquery("current"))


def current_responses(engine: Engine, round_id: str | None = None, as_of: datetime | None = None,
                      status: str | None = None, case_id: str | None = None) -> pd.DataFrame:
    """Every current score as a tidy frame; see :meth:`caseaudit.store.Store.current_responses`."""
    current = _current_revisions(round_id, as_of)
    query = (
        sa.select(forms.c.round_id, forms.c.case_id, forms.c.agency, forms.c.auditor,
                  scores.c.criterion_id, scores.c.grade, scores.c.not_applicable,
                  scores.c.note, revisions.c.status, revisions.c.revision_no,
                  revisions.c.saved_by, revisions.c.saved_at, revisions.c.framework_id,
                  revisions.c.framework_version)
        .select_from(current.join(forms, forms.c.form_id == current.c.form_id)
                     .join(revisions, revisions.c.revision_id == current.c.revision_id)
                     .join(scores, scores.c.revision_id == current.c.revision_id))
        .order_by(forms.c.round_id, forms.c.case_id, forms.c.agency, forms.c.auditor,
                  scores.c.criterion_id)
    )
    if status is not None:
        query = query.where(revisions.c.status == status)
    if case_id is not None:
        query = query.where(forms.c.case_id == case_id)
    frame = _frame(engine, query)
    frame["grade"] = frame["grade"].astype("Int64")
    frame["not_applicable"] = frame["not_applicable"].astype(bool)
    frame["revision_no"] = frame["revision_no"].astype("int64")
    for col in ("round_id", "case_id", "agency", "auditor", "criterion_id", "note", "status",
                "saved_by", "framework_id", "framework_version"):
        frame[col] = frame[col].astype("string")
    frame["saved_at"] = pd.to_datetime(frame["saved_at"])
    return frame


def grade_counts(engine: Engine, round_id: str | None = None, status: str | None = "submitted",
                 as_of: datetime | None = None) -> pd.DataFrame:
    """How many current scores each grade has; see :meth:`caseaudit.store.Store.grade_counts`."""
    if as_of is None:
        total = sa.func.sum(grade_tallies.c.count)
        query = (
            sa.select(grade_tallies.c.round_id, grade_tallies.c.criterion_id,
                      grade_tallies.c.agency,
                      sa.case((grade_tallies.c.not_applicable, None),
                              else_=grade_tallies.c.grade).label("grade"),
                      grade_tallies.c.not_applicable, total.label("count"))
            .group_by(grade_tallies.c.round_id, grade_tallies.c.criterion_id,
                      grade_tallies.c.agency, grade_tallies.c.not_applicable,
                      grade_tallies.c.grade)
            .having(total > 0)
        )
        if round_id is not None:
            query = query.where(grade_tallies.c.round_id == round_id)
        if status is not None:
            query = query.where(grade_tallies.c.status == status)
    else:
        current = _current_revisions(round_id, as_of)
        query = (
            sa.select(forms.c.round_id, scores.c.criterion_id, forms.c.agency, scores.c.grade,
                      scores.c.not_applicable, sa.func.count().label("count"))
            .select_from(current.join(forms, forms.c.form_id == current.c.form_id)
                         .join(revisions, revisions.c.revision_id == current.c.revision_id)
                         .join(scores, scores.c.revision_id == current.c.revision_id))
            .where(sa.or_(scores.c.grade.is_not(None), scores.c.not_applicable))
            .group_by(forms.c.round_id, scores.c.criterion_id, forms.c.agency, scores.c.grade,
                      scores.c.not_applicable)
        )
        if status is not None:
            query = query.where(revisions.c.status == status)
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["round_id", "criterion_id", "agency", "grade",
                                        "not_applicable", "count"])
    frame["grade"] = frame["grade"].astype("Int64")
    frame["not_applicable"] = frame["not_applicable"].astype(bool)
    frame["count"] = frame["count"].astype("int64")
    return frame


def form_history(engine: Engine, key: FormKey) -> list[Revision]:
    """Every revision of one form, oldest first, with its answers and notes."""
    query = (
        sa.select(revisions.c.revision_id, revisions.c.revision_no, revisions.c.status,
                  revisions.c.framework_id, revisions.c.framework_version,
                  revisions.c.saved_by, revisions.c.saved_at, revisions.c.based_on)
        .select_from(revisions.join(forms, forms.c.form_id == revisions.c.form_id))
        .where(forms.c.round_id == key.round_id, forms.c.case_id == key.case_id,
               forms.c.agency == key.agency, forms.c.auditor == key.auditor)
        .order_by(revisions.c.revision_no)
    )
    with reading(engine) as conn:
        heads = conn.execute(query).all()
        ids = [h.revision_id for h in heads]
        score_rows = conn.execute(
            sa.select(scores).where(scores.c.revision_id.in_(ids))
        ).all() if ids else []
        detail_rows = conn.execute(
            sa.select(stream_details).where(stream_details.c.revision_id.in_(ids))
        ).all() if ids else []
    grades, notes = _answers(score_rows, ids, "revision_id", "note")
    details = {row.revision_id: row for row in detail_rows}
    return [Revision(key, h.revision_no, h.status, h.framework_id, h.framework_version,
                     h.saved_by, h.saved_at, h.based_on, grades[h.revision_id],
                     notes[h.revision_id], *_details(details.get(h.revision_id)))
            for h in heads]


def _details(row: sa.Row | None) -> tuple[StreamDetails | None, bool]:
    """A revision's stream details and whether their text is flagged, from its stream_details
    row (a case-audit form's revision has none)."""
    if row is None:
        return None, False
    feedback_given = None if row.feedback_given is None else bool(row.feedback_given)
    return StreamDetails(row.stream_id, row.practitioner, row.event_kind, row.event_date,
                         feedback_given, row.respondent, row.consent, row.text), bool(row.flagged)


#: The columns of :func:`stream_records`: no text, which never leaves the form and the QA lead's
#: notebook.
STREAM_RECORD_COLUMNS = ["record_id", "stream_id", "agency", "auditor", "status", "revision_no",
                         "practitioner", "event_kind", "event_date", "feedback_given",
                         "respondent", "consent", "flagged"]


def stream_records(engine: Engine, round_id: str, as_of: datetime | None = None,
                   status: str | None = "submitted") -> pd.DataFrame:
    """One row per current practice-week record of a round; see
    :meth:`caseaudit.store.Store.stream_records`."""
    current = _current_revisions(round_id, as_of)
    query = (sa.select(forms.c.case_id.label("record_id"), stream_details.c.stream_id,
                       forms.c.agency, forms.c.auditor, revisions.c.status,
                       revisions.c.revision_no, stream_details.c.practitioner,
                       stream_details.c.event_kind, stream_details.c.event_date,
                       stream_details.c.feedback_given, stream_details.c.respondent,
                       stream_details.c.consent, stream_details.c.flagged)
             .select_from(current.join(forms, forms.c.form_id == current.c.form_id)
                          .join(revisions, revisions.c.revision_id == current.c.revision_id)
                          .join(stream_details,
                                stream_details.c.revision_id == current.c.revision_id))
             .order_by(stream_details.c.stream_id, forms.c.case_id, forms.c.agency,
                       forms.c.auditor))
    if status is not None:
        query = query.where(revisions.c.status == status)
    frame = _frame(engine, query)
    frame["revision_no"] = frame["revision_no"].astype("int64")
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["feedback_given"] = frame["feedback_given"].astype("boolean")
    frame["flagged"] = frame["flagged"].astype(bool)
    for column in ("record_id", "stream_id", "agency", "auditor", "status", "practitioner",
                   "event_kind", "respondent", "consent"):
        frame[column] = frame[column].astype("string")
    return frame


def form_statuses(engine: Engine, round_id: str | None = None, as_of: datetime | None = None,
                  case_id: str | None = None) -> pd.DataFrame:
    """One row per saved form with its status and revision number, now or as of a time."""
    current = _current_revisions(round_id, as_of)
    query = (sa.select(forms.c.round_id, forms.c.case_id, forms.c.agency, forms.c.auditor,
                       revisions.c.status, revisions.c.revision_no)
             .select_from(current.join(forms, forms.c.form_id == current.c.form_id)
                          .join(revisions, revisions.c.revision_id == current.c.revision_id))
             .order_by(forms.c.round_id, forms.c.case_id, forms.c.agency, forms.c.auditor))
    if case_id is not None:
        query = query.where(forms.c.case_id == case_id)
    return _frame(engine, query)


def form_counts(engine: Engine, round_id: str, by: str = "auditor") -> pd.DataFrame:
    """How many current forms of a round each ``by`` (``auditor`` or ``agency``) has in each
    status, counted by the database (GROUP BY over the heads): ``by, status, count``."""
    column = forms.c[by]
    query = (sa.select(column, form_heads.c.status, sa.func.count().label("count"))
             .join(forms, forms.c.form_id == form_heads.c.form_id)
             .where(form_heads.c.round_id == round_id)
             .group_by(column, form_heads.c.status).order_by(column, form_heads.c.status))
    frame = _frame(engine, query)
    return frame.astype({"count": "int64"})


def stream_counts(engine: Engine, round_id: str) -> pd.DataFrame:
    """How many current records of a practice week each stream has in each status, and how many
    of them their giver declined consent for, counted by the database without reading a record:
    ``stream_id, status, count, declined``."""
    query = (sa.select(stream_details.c.stream_id, form_heads.c.status,
                       sa.func.count().label("count"),
                       sa.func.count(sa.case((stream_details.c.consent == "declined", 1)))
                       .label("declined"))
             .join(stream_details, stream_details.c.revision_id == form_heads.c.revision_id)
             .where(form_heads.c.round_id == round_id)
             .group_by(stream_details.c.stream_id, form_heads.c.status)
             .order_by(stream_details.c.stream_id, form_heads.c.status))
    return _frame(engine, query).astype({"count": "int64", "declined": "int64"})


def record_ids(engine: Engine, round_id: str) -> set[str]:
    """Every record id (a form's ``case_id``) anyone has saved in a round, drafts included.

    Read from ``forms``, which lists who holds which record and no answers: on a shared server an
    auditor's database account sees every agency's rows there but only its own agency's records
    and details, and a new record's next free id must not be another agency's."""
    with reading(engine) as conn:
        return set(conn.execute(sa.select(forms.c.case_id).distinct()
                                .where(forms.c.round_id == round_id)).scalars())


def round_ids(engine: Engine) -> list[str]:
    """Rounds that have at least one saved form."""
    with reading(engine) as conn:
        return list(conn.execute(sa.select(forms.c.round_id).distinct()
                                 .order_by(forms.c.round_id)).scalars())


# -- moderations ----------------------------------------------------------------------------------

def _current_moderations(round_ids: Sequence[str] | None,
                         as_of: datetime | None = None) -> sa.Subquery:
    """Each moderated case's current moderation row (all columns), in the given rounds or all:
    the one its head points at, or, as of a past time, its latest revision saved by then."""
    if as_of is None:
        query = sa.select(moderations).join(
            moderation_heads, moderation_heads.c.moderation_id == moderations.c.moderation_id)
        if round_ids is not None:
            query = query.where(moderation_heads.c.round_id.in_(list(round_ids)))
        return query.subquery("current_moderations")
    latest = (sa.select(moderations.c.round_id, moderations.c.case_id,
                        sa.func.max(moderations.c.revision_no).label("revision_no"))
              .where(moderations.c.saved_at <= naive_utc(as_of))
              .group_by(moderations.c.round_id, moderations.c.case_id))
    if round_ids is not None:
        latest = latest.where(moderations.c.round_id.in_(list(round_ids)))
    latest_sq = latest.subquery("latest_moderations")
    return (sa.select(moderations)
            .join(latest_sq, sa.and_(moderations.c.round_id == latest_sq.c.round_id,
                                     moderations.c.case_id == latest_sq.c.case_id,
                                     moderations.c.revision_no == latest_sq.c.revision_no))
            .subquery("current_moderations"))


def moderation_history(engine: Engine, round_id: str, case_id: str) -> list[Moderation]:
    """Every revision of a case's moderation, oldest first."""
    with reading(engine) as conn:
        heads = conn.execute(sa.select(moderations)
                             .where(moderations.c.round_id == round_id,
                                    moderations.c.case_id == case_id)
                             .order_by(moderations.c.revision_no)).all()
        ids = [h.moderation_id for h in heads]
        grade_rows = conn.execute(sa.select(moderation_grades).where(
            moderation_grades.c.moderation_id.in_(ids))).all() if ids else []
    grades, rationales = _answers(grade_rows, ids, "moderation_id", "rationale")
    return [Moderation(round_id, case_id, h.revision_no, grades[h.moderation_id],
                       rationales[h.moderation_id], answer_from_columns(h.overall_grade, False),
                       h.strengths, h.development, json.loads(h.themes), h.saved_by,
                       h.saved_at, h.based_on) for h in heads]


def moderation_heads_frame(engine: Engine, round_ids: Sequence[str] | None = None,
                           as_of: datetime | None = None) -> pd.DataFrame:
    """One row per moderated case; see :meth:`caseaudit.store.Store.moderation_heads`."""
    head = _current_moderations(round_ids, as_of)
    agreed = (sa.select(sa.func.count())
              .where(moderation_grades.c.moderation_id == head.c.moderation_id,
                     sa.or_(moderation_grades.c.grade.is_not(None),
                            moderation_grades.c.not_applicable))
              .scalar_subquery().label("agreed"))
    return _frame(engine, sa.select(head.c.round_id, head.c.case_id, head.c.revision_no,
                                    head.c.overall_grade, head.c.themes, agreed)
                  .order_by(head.c.round_id, head.c.case_id))


def current_moderations(engine: Engine, round_id: str | None = None) -> pd.DataFrame:
    """The current moderated answer per case and criterion, as a tidy frame (a moderation with no
    grades yet appears once, with an empty criterion)."""
    head = _current_moderations(None if round_id is None else [round_id])
    frame = _frame(engine, sa.select(
        head.c.round_id, head.c.case_id, moderation_grades.c.criterion_id,
        moderation_grades.c.grade, moderation_grades.c.not_applicable,
        moderation_grades.c.rationale, head.c.revision_no, head.c.themes, head.c.overall_grade)
        .select_from(head.outerjoin(moderation_grades,
                                    moderation_grades.c.moderation_id == head.c.moderation_id))
        .order_by(head.c.round_id, head.c.case_id, moderation_grades.c.criterion_id))
    frame["grade"] = frame["grade"].astype("Int64")
    frame["not_applicable"] = frame["not_applicable"].fillna(False).astype(bool)
    return frame


def moderated_pair_counts(engine: Engine, round_id: str, exclude_cases: Sequence[str] = (),
                          as_of: datetime | None = None) -> pd.DataFrame:
    """How many submitted agency grades meet each moderated grade; see
    :meth:`caseaudit.store.Store.moderated_pair_counts`."""
    head = _current_moderations([round_id], as_of)
    agreed = (sa.select(head.c.round_id, head.c.case_id, moderation_grades.c.criterion_id,
                        moderation_grades.c.grade)
              .select_from(head.join(moderation_grades,
                                     moderation_grades.c.moderation_id == head.c.moderation_id))
              .where(moderation_grades.c.grade.is_not(None),
                     moderation_grades.c.not_applicable.is_(False)))
    if exclude_cases:
        agreed = agreed.where(head.c.case_id.not_in(list(exclude_cases)))
    agreed = agreed.subquery("agreed")
    count = sa.func.count().label("count")
    keys = (scores.c.criterion_id, forms.c.agency, forms.c.auditor, scores.c.grade,
            agreed.c.grade)
    current = _submitted_forms(round_id, as_of)
    return _frame(engine, sa.select(scores.c.criterion_id, forms.c.agency, forms.c.auditor,
                                    scores.c.grade.label("grade"),
                                    agreed.c.grade.label("moderated_grade"), count)
                  .select_from(current.join(forms, forms.c.form_id == current.c.form_id)
                               .join(scores, scores.c.revision_id == current.c.revision_id)
                               # round_id too, so each moderated case finds its forms by the
                               # (round_id, case_id) index instead of scanning the round's forms
                               .join(agreed, sa.and_(agreed.c.round_id == forms.c.round_id,
                                                     agreed.c.case_id == forms.c.case_id,
                                                     agreed.c.criterion_id == scores.c.criterion_id)))
                  .where(scores.c.grade.is_not(None), scores.c.not_applicable.is_(False))
                  .group_by(*keys).order_by(*keys))


def _submitted_forms(round_id: str, as_of: datetime | None) -> sa.Subquery:
    """(form_id, revision_id) of the round's forms whose current revision is submitted: now, the
    heads say so without the log; as of a past time, the revisions current then."""
    if as_of is None:
        return (sa.select(form_heads.c.form_id, form_heads.c.revision_id)
                .where(form_heads.c.round_id == round_id, form_heads.c.status == "submitted")
                .subquery("submitted"))
    current = _current_revisions(round_id, as_of)
    return (sa.select(current.c.form_id, current.c.revision_id)
            .join(revisions, revisions.c.revision_id == current.c.revision_id)
            .where(revisions.c.status == "submitted")
            .subquery("submitted"))


# -- action updates -------------------------------------------------------------------------------

#: The columns of :func:`action_statuses`: no narrative or evidence, which never leave the update
#: form and the QA lead's notebook.
ACTION_STATUS_COLUMNS = ["action_id", "revision_no", "status", "recorded_on", "saved_by",
                         "saved_at", "flagged"]


def _action_update(row: sa.Row) -> ActionUpdate:
    return ActionUpdate(row.inspection_id, row.action_id, row.revision_no, row.status,
                        row.recorded_on, row.narrative, row.evidence, row.saved_by, row.saved_at,
                        bool(row.flagged), row.based_on)


def action_history(engine: Engine, inspection_id: str, action_id: str) -> list[ActionUpdate]:
    """Every update of one action, oldest first."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(action_updates)
                            .where(action_updates.c.inspection_id == inspection_id,
                                   action_updates.c.action_id == action_id)
                            .order_by(action_updates.c.revision_no)).all()
    return [_action_update(row) for row in rows]


def action_statuses(engine: Engine, inspection_id: str, as_of: datetime | None = None
                    ) -> pd.DataFrame:
    """Each updated action's latest update, now (its head) or as of a time (its latest update
    saved by then), one row per action in id order; see
    :meth:`caseaudit.store.Store.action_statuses`."""
    columns = [action_updates.c[name] for name in ACTION_STATUS_COLUMNS]
    if as_of is None:
        query = (sa.select(*columns)
                 .join(action_heads, action_heads.c.update_id == action_updates.c.update_id)
                 .where(action_heads.c.inspection_id == inspection_id))
    else:
        latest = (sa.select(action_updates.c.action_id,
                            sa.func.max(action_updates.c.revision_no).label("revision_no"))
                  .where(action_updates.c.inspection_id == inspection_id,
                         action_updates.c.saved_at <= naive_utc(as_of))
                  .group_by(action_updates.c.action_id).subquery("latest_updates"))
        query = (sa.select(*columns)
                 .join(latest, sa.and_(action_updates.c.action_id == latest.c.action_id,
                                       action_updates.c.revision_no == latest.c.revision_no))
                 .where(action_updates.c.inspection_id == inspection_id))
    frame = _frame(engine, query.order_by(action_updates.c.action_id))
    frame["revision_no"] = frame["revision_no"].astype("int64")
    frame["flagged"] = frame["flagged"].astype(bool)
    frame["recorded_on"] = pd.to_datetime(frame["recorded_on"])
    frame["saved_at"] = pd.to_datetime(frame["saved_at"])
    for column in ("action_id", "status", "saved_by"):
        frame[column] = frame[column].astype("string")
    return frame
