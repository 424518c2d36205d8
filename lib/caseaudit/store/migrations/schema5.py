"""The workbook's tables as the previous release left them (schema 5), frozen: the first migration
(0001) creates them in an empty database, and a database from before the migrations (schema 1 to
4) gets the ones it lacks here before Alembic takes over.

Never edit these to follow the current tables (:mod:`caseaudit.store.schema`): a later change is a
later migration, which must find the tables exactly as this one made them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import schema as current

metadata = sa.MetaData()


def _name(column: str, **options: object) -> sa.Column:
    """An identifier column (round, case, agency, person, criterion): 60 characters, the longest
    identifier rounds and frameworks accept."""
    return sa.Column(column, sa.String(60), nullable=False, **options)


def _names(*columns: str, **options: object) -> list[sa.Column]:
    return [_name(column, **options) for column in columns]


def _number(column: str, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.Integer, nullable=nullable)


def _saved() -> list[sa.Column]:
    """Who saved a log row, and when (naive UTC)."""
    return [_name("saved_by"), sa.Column("saved_at", sa.DateTime, nullable=False)]


def _revision_columns() -> list[sa.Column]:
    """What every revision of a form or a moderation records: its number, the revision it was
    based on (the compare-and-set's witness), the framework version it was made under, and who
    saved it when."""
    return [_number("revision_no"), _number("based_on", nullable=True),
            _name("framework_id"), sa.Column("framework_version", sa.String(40), nullable=False),
            *_saved()]


def _text(column: str) -> sa.Column:
    return sa.Column(column, sa.Text, nullable=False, default="")


schema_info = sa.Table(
    "schema_info",
    metadata,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

forms = sa.Table(
    "forms",
    metadata,
    sa.Column("form_id", sa.Integer, primary_key=True, autoincrement=True),
    *_names("round_id", "case_id", "agency", "auditor"),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("round_id", "case_id", "agency", "auditor", name="uq_form"),
)

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("revision_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("form_id", sa.Integer, sa.ForeignKey("forms.form_id"), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    *_revision_columns(),
    sa.UniqueConstraint("form_id", "revision_no", name="uq_revision"),
    sa.CheckConstraint("status IN ('draft', 'submitted')", name="ck_status"),
)
sa.Index("ix_revisions_form_time", revisions.c.form_id, revisions.c.saved_at)


def _answers_table(name: str, revision_id: str, revisions_table: str, text: str) -> sa.Table:
    """One answer per criterion of a revision, as framework.answer_columns writes it (a grade and
    a not-applicable flag, so that SQL can count grades), with its text (an evidence note, a
    rationale). A text without an answer is a row with neither."""
    return sa.Table(
        name,
        metadata,
        sa.Column(revision_id, sa.Integer, sa.ForeignKey(f"{revisions_table}.{revision_id}"),
                  primary_key=True),
        _name("criterion_id", primary_key=True),
        _number("grade", nullable=True),
        sa.Column("not_applicable", sa.Boolean, nullable=False, default=False),
        _text(text),
        sqlite_with_rowid=False,
    )


scores = _answers_table("scores", "revision_id", "revisions", "note")

form_heads = sa.Table(
    "form_heads",
    metadata,
    sa.Column("form_id", sa.Integer, sa.ForeignKey("forms.form_id"), primary_key=True),
    _name("round_id"),
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.revision_id"), nullable=False),
    _number("revision_no"),
    sa.Column("status", sa.String(20), nullable=False),
)
sa.Index("ix_heads_round", form_heads.c.round_id, form_heads.c.status)

# How many current scores each grade has; the GROUP BY over the log gives the same (see
# grade_counts(as_of=...)). Kept by revisions._tally, which says what ``grade`` holds when the
# answer is not applicable (a primary key cannot hold NULL).
grade_tallies = sa.Table(
    "grade_tallies",
    metadata,
    _name("round_id", primary_key=True),
    sa.Column("status", sa.String(20), primary_key=True),
    _name("criterion_id", primary_key=True),
    _name("agency", primary_key=True),
    sa.Column("not_applicable", sa.Boolean, primary_key=True),
    sa.Column("grade", sa.Integer, primary_key=True),
    _number("count"),
)

# The multi-agency audit meeting's agreed grades for a case: revisions like forms, never updated.
moderations = sa.Table(
    "moderations",
    metadata,
    sa.Column("moderation_id", sa.Integer, primary_key=True, autoincrement=True),
    *_names("round_id", "case_id"),
    _number("overall_grade", nullable=True),
    _text("strengths"), _text("development"),
    sa.Column("themes", sa.Text, nullable=False, default="[]"),  # JSON list of theme ids / tags
    *_revision_columns(),
    sa.UniqueConstraint("round_id", "case_id", "revision_no", name="uq_moderation"),
)

moderation_grades = _answers_table("moderation_grades", "moderation_id", "moderations", "rationale")

moderation_heads = sa.Table(
    "moderation_heads",
    metadata,
    *_names("round_id", "case_id", primary_key=True),
    sa.Column("moderation_id", sa.Integer, sa.ForeignKey("moderations.moderation_id"),
              nullable=False),
    _number("revision_no"),
)

# Closing a round (its forms and moderations become final) and reopening it: who, when and why.
round_events = sa.Table(
    "round_events",
    metadata,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
    _name("round_id"),
    sa.Column("action", sa.String(20), nullable=False),
    _name("by"),
    sa.Column("at", sa.DateTime, nullable=False),
    _text("reason"),
    sa.CheckConstraint("action IN ('close', 'reopen')", name="ck_round_action"),
)

# What the meeting's form held before it was saved, kept every few seconds so a dropped
# connection loses nothing; never read as a moderation.
moderation_drafts = sa.Table(
    "moderation_drafts",
    metadata,
    sa.Column("draft_id", sa.Integer, primary_key=True, autoincrement=True),
    *_names("round_id", "case_id"),
    _number("based_on", nullable=True),
    sa.Column("state", sa.Text, nullable=False),  # JSON: the form's values
    *_saved(),
    sa.Index("ix_moderation_drafts_case", "round_id", "case_id"),
)

# Progress on an inspection's actions: revisions like forms, one log row per update, never
# updated. An action is named by its inspection and its id in the inspection's action plan (the
# plan is a file, not a table: the store keeps only what people record against it).
action_updates = sa.Table(
    "action_updates",
    metadata,
    sa.Column("update_id", sa.Integer, primary_key=True, autoincrement=True),
    *_names("inspection_id", "action_id"),
    _number("revision_no"),
    _number("based_on", nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("recorded_on", sa.Date, nullable=False),
    _text("narrative"), _text("evidence"),
    # the privacy guard found what looks like personal data in the narrative or evidence
    sa.Column("flagged", sa.Boolean, nullable=False, default=False),
    *_saved(),
    sa.UniqueConstraint("inspection_id", "action_id", "revision_no", name="uq_action_update"),
)
sa.Index("ix_action_updates_time", action_updates.c.inspection_id, action_updates.c.saved_at)

action_heads = sa.Table(
    "action_heads",
    metadata,
    *_names("inspection_id", "action_id", primary_key=True),
    sa.Column("update_id", sa.Integer, sa.ForeignKey("action_updates.update_id"), nullable=False),
    _number("revision_no"),
)

# What the update form held before it was saved, as moderation_drafts for the meeting's form.
action_drafts = sa.Table(
    "action_drafts",
    metadata,
    sa.Column("draft_id", sa.Integer, primary_key=True, autoincrement=True),
    *_names("inspection_id", "action_id"),
    _number("based_on", nullable=True),
    sa.Column("state", sa.Text, nullable=False),  # JSON: the form's values
    *_saved(),
    sa.Index("ix_action_drafts_action", "inspection_id", "action_id"),
)


APPEND_ONLY = ("forms", "revisions", "scores", "moderations", "moderation_grades",
               "round_events", "moderation_drafts", "action_updates", "action_drafts")


def create(conn: Connection) -> None:
    """Create whichever schema-5 tables are missing, with their append-only guards."""
    metadata.create_all(conn, checkfirst=True)
    current.guard_append_only(conn, APPEND_ONLY)  # the one function that makes the guards


def build_moderation_heads(conn: Connection) -> None:
    """Schema 4: point each moderated case's head at its latest revision, as the older workbook
    found it (the highest revision number)."""
    latest = (sa.select(moderations.c.round_id, moderations.c.case_id,
                        sa.func.max(moderations.c.revision_no).label("revision_no"))
              .group_by(moderations.c.round_id, moderations.c.case_id).subquery())
    rows = (sa.select(moderations.c.round_id, moderations.c.case_id, moderations.c.moderation_id,
                      moderations.c.revision_no)
            .join(latest, sa.and_(moderations.c.round_id == latest.c.round_id,
                                  moderations.c.case_id == latest.c.case_id,
                                  moderations.c.revision_no == latest.c.revision_no)))
    conn.execute(moderation_heads.insert().from_select(
        ["round_id", "case_id", "moderation_id", "revision_no"], rows))
