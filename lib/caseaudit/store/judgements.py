"""Good-or-better counts on the best grade each case has, counted by the database.

Where the audit meeting agreed an answer for a case and criterion, that answer is the case's
judgement (``basis`` "moderated"); elsewhere each submitted agency grade is one (``basis``
"agency grades"). An agreed answer replaces the agencies' grades of that criterion for that case
even while the rest of the case is still being moderated: it is what the partnership concluded.

The database picks the judgements and counts them, told by the framework which grades are good or
better and which domain each criterion is in, so a round of any size comes back as a row per
criterion and domain (or per case and domain for the breakdowns), never a row per score. Both
reads take ``as_of``: forms and moderations as they stood then.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..framework import Framework
from .connect import reading
from .reads import _current_moderations, _submitted_forms
from .schema import forms, moderation_grades, scores

MODERATED = "moderated"
AGENCY_GRADES = "agency grades"
MIXED = "mixed"

#: The columns of :func:`judgement_counts`.
JUDGEMENT_COLUMNS = ["level", "key", "basis", "n", "good", "not_applicable", "cases"]
#: The columns of :func:`case_judgements`.
CASE_COLUMNS = ["case_id", "domain_id", "n", "good", "not_applicable"]


def _is_good(grade: sa.ColumnElement, criterion: sa.ColumnElement,
             framework: Framework) -> sa.ColumnElement[int]:
    """1 where ``grade`` is at a good-or-better level of its criterion's scale, else 0 (criteria
    sharing a scale share one test, so the expression has a branch per scale, not per criterion)."""
    by_levels: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for _, criterion_ in framework.criteria():
        by_levels[tuple(sorted(framework.scale_of(criterion_.id).good_or_better))].append(
            criterion_.id)
    return sa.case(*((sa.and_(criterion.in_(ids), grade.in_(levels)), 1)
                     for levels, ids in by_levels.items()), else_=0)


def _domain_of(criterion: sa.ColumnElement, framework: Framework) -> sa.ColumnElement[str]:
    return sa.case(*((criterion.in_([c.id for c in d.criteria]), d.id) for d in framework.domains),
                   else_=None)


def _best(round_id: str, framework: Framework, as_of: datetime | None) -> sa.CTE:
    """One row per judgement of the round: ``case_id``, ``criterion_id``, ``domain_id``,
    ``basis``, ``graded`` (1 for a grade, 0 for not applicable), ``good`` and
    ``not_applicable``, criteria outside the framework left out."""
    known = [c.id for _, c in framework.criteria()]
    head = _current_moderations([round_id], as_of)
    answered = sa.or_(moderation_grades.c.grade.is_not(None), moderation_grades.c.not_applicable)
    agreed = (sa.select(head.c.case_id, moderation_grades.c.criterion_id,
                        moderation_grades.c.grade, moderation_grades.c.not_applicable)
              .select_from(head.join(moderation_grades,
                                     moderation_grades.c.moderation_id == head.c.moderation_id))
              .where(answered, moderation_grades.c.criterion_id.in_(known))
              .cte("agreed"))
    submitted = _submitted_forms(round_id, as_of)
    agency = (sa.select(forms.c.case_id, scores.c.criterion_id, scores.c.grade,
                        scores.c.not_applicable)
              .select_from(submitted.join(forms, forms.c.form_id == submitted.c.form_id)
                           .join(scores, scores.c.revision_id == submitted.c.revision_id)
                           .outerjoin(agreed, sa.and_(agreed.c.case_id == forms.c.case_id,
                                                      agreed.c.criterion_id == scores.c.criterion_id)))
              .where(sa.or_(scores.c.grade.is_not(None), scores.c.not_applicable),
                     scores.c.criterion_id.in_(known), agreed.c.case_id.is_(None)))

    def judged(part: sa.FromClause, basis: str) -> sa.Select:
        na = sa.case((part.c.not_applicable, 1), else_=0)
        good = sa.case((part.c.not_applicable, 0),
                       else_=_is_good(part.c.grade, part.c.criterion_id, framework))
        return sa.select(part.c.case_id, part.c.criterion_id,
                         _domain_of(part.c.criterion_id, framework).label("domain_id"),
                         _text(basis).label("basis"), (1 - na).label("graded"),
                         good.label("good"), na.label("not_applicable"))

    return sa.union_all(judged(agreed, MODERATED),
                        judged(agency.subquery("agency"), AGENCY_GRADES)).cte("best")


def _text(value: str) -> sa.ColumnElement[str]:
    """A constant text column, typed, so PostgreSQL knows its type in a UNION."""
    return sa.cast(sa.literal(value), sa.String(20))


def _totals(best: sa.CTE, level: str, key: sa.ColumnElement | None) -> sa.Select:
    case = sa.func.count(sa.distinct(sa.case((best.c.graded == 1, best.c.case_id), else_=None)))
    query = sa.select(_text(level).label("level"),
                      (key if key is not None else _text("overall")).label("key"),
                      sa.func.min(best.c.basis).label("basis_low"),
                      sa.func.max(best.c.basis).label("basis_high"),
                      sa.func.sum(best.c.graded).label("n"), sa.func.sum(best.c.good).label("good"),
                      sa.func.sum(best.c.not_applicable).label("not_applicable"),
                      case.label("cases"))
    return query.group_by(key) if key is not None else query


def judgement_counts(engine: Engine, round_id: str, framework: Framework,
                     as_of: datetime | None = None) -> pd.DataFrame:
    """Judgements, good-or-better judgements, not-applicable answers and distinct cases judged,
    per criterion, per domain and over the round, with the ``basis`` of each; see
    :meth:`caseaudit.store.Store.judgement_counts`."""
    best = _best(round_id, framework, as_of)
    query = sa.union_all(_totals(best, "criterion", best.c.criterion_id),
                         _totals(best, "domain", best.c.domain_id),
                         _totals(best, "overall", None))
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["level", "key", "basis_low", "basis_high", "n", "good",
                                        "not_applicable", "cases"])
    frame = frame[frame["basis_low"].notna()]  # the overall row of a round with no judgement
    frame["basis"] = frame["basis_low"].where(frame["basis_low"] == frame["basis_high"], MIXED)
    for column in ("n", "good", "not_applicable", "cases"):
        frame[column] = frame[column].astype("int64")
    return frame[JUDGEMENT_COLUMNS].reset_index(drop=True)


def case_judgements(engine: Engine, round_id: str, framework: Framework,
                    as_of: datetime | None = None) -> pd.DataFrame:
    """Judgements per case and domain; see :meth:`caseaudit.store.Store.case_judgements`."""
    best = _best(round_id, framework, as_of)
    query = (sa.select(best.c.case_id, best.c.domain_id, sa.func.sum(best.c.graded).label("n"),
                       sa.func.sum(best.c.good).label("good"),
                       sa.func.sum(best.c.not_applicable).label("not_applicable"))
             .group_by(best.c.case_id, best.c.domain_id)
             .order_by(best.c.case_id, best.c.domain_id))
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=CASE_COLUMNS)
    for column in ("n", "good", "not_applicable"):
        frame[column] = frame[column].astype("int64")
    frame["case_id"] = frame["case_id"].astype(str)
    return frame
