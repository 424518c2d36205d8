"""The workbook's tables, the schema version, and making or upgrading a database to them.

Three kinds of table live here:

* **logs**, never updated or deleted (SQLite triggers refuse it): ``forms``, ``revisions`` and
  ``scores`` for the scoring forms; ``moderations`` and ``moderation_grades`` for the meeting's
  agreed grades; ``moderation_drafts``; ``round_events``; ``action_updates`` (progress on an
  inspection's actions) and ``action_drafts``; ``stream_details`` (what a practice week's record
  holds beside its form revision). Any earlier state is read back from them.
* **heads**, one row per form (``form_heads``), moderated case (``moderation_heads``) or updated
  action (``action_heads``) pointing at its latest revision. Derived data (each can be rebuilt
  from its log), moved by compare-and-set in the save's transaction, so "current" is one join
  instead of a "latest revision per record" search and a stale save is caught by the same row
  that is moved.
* **tallies** (``grade_tallies``): how many current scores each grade has, kept in step with
  ``form_heads`` by every save, so a round's figures cost the same at a million scores as at a
  hundred.

``schema_info`` records the version, so an older workbook refuses a database written by a newer one
instead of misreading it, and a newer one upgrades an older database in place.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError

from ..errors import StoreError
from .connect import not_a_workbook, opening_error, reading, where, writing

log = logging.getLogger("caseaudit")

#: Bumped whenever the tables change; a database with a higher number is refused, one with a
#: lower number is upgraded in place (tables are only ever added). 2: moderations, round events.
#: 3: moderation drafts. 4: moderation heads. 5: action updates, their heads and drafts.
#: 6: stream details (what a practice-week record holds beside its answers).
SCHEMA_VERSION = 6

STATUSES: tuple[str, ...] = ("draft", "submitted")

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

# What a practice week's record holds beside its form revision (one row per revision of a record
# of any stream): who was observed or answered, the event, consent, and the text in the person's
# own words, which never leaves the form and the QA lead's notebook. A case-audit form has none.
stream_details = sa.Table(
    "stream_details",
    metadata,
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.revision_id"), primary_key=True),
    _name("stream_id"),
    sa.Column("practitioner", sa.String(60), nullable=True),
    sa.Column("event_kind", sa.Text, nullable=True),
    sa.Column("event_date", sa.Date, nullable=True),
    sa.Column("feedback_given", sa.Boolean, nullable=True),
    sa.Column("respondent", sa.String(60), nullable=True),
    sa.Column("consent", sa.String(20), nullable=True),
    _text("text"),
    # the privacy guard found what looks like personal data in the text
    sa.Column("flagged", sa.Boolean, nullable=False, default=False),
)

APPEND_ONLY = ("forms", "revisions", "scores", "moderations", "moderation_grades",
               "round_events", "moderation_drafts", "action_updates", "action_drafts",
               "stream_details")


def utcnow() -> datetime:
    """Now, as the store keeps times: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def naive_utc(moment: datetime) -> datetime:
    """Stored times are naive UTC; an aware time is converted first."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def schema_version(engine: Engine) -> int | None:
    """The schema version recorded in the database, or ``None`` if it has no workbook tables."""
    with reading(engine) as conn:
        if not sa.inspect(conn).has_table("schema_info"):
            return None
        value = conn.execute(sa.select(schema_info.c.value)
                             .where(schema_info.c.key == "schema_version")).scalar()
        return int(value) if value is not None else None


def ensure_schema(engine: Engine, create: bool) -> None:
    """Check the schema version, upgrading an older database and, when ``create``, making the
    tables in an empty one.

    The check is a plain read, so opening a store (every dashboard page view does) never waits
    behind a save; only an empty or older database takes the write lock.

    Raises
    ------
    StoreError
        the database is not a workbook (or damaged), has no workbook tables and ``create`` is
        false, or was written by a newer workbook.
    """
    try:
        _ensure_schema(engine, create)
    except StoreError:
        raise
    except DatabaseError as exc:
        raise opening_error(exc, where(engine)) from None


def _ensure_schema(engine: Engine, create: bool) -> None:
    with reading(engine) as conn:
        tables = set(sa.inspect(conn).get_table_names())
        version = _check_version(conn, engine) if "schema_info" in tables else None
    if version is not None:
        if version < SCHEMA_VERSION:
            _upgrade(engine, version)
        return
    if tables:
        raise not_a_workbook(where(engine), tables)
    if not create:
        raise StoreError(f"The database {where(engine)} has no workbook tables yet. Run "
                         f"`caseaudit init --db {where(engine)}` to start a workbook in it; "
                         "nothing was changed.")
    with writing(engine, "the new workbook's tables") as conn:
        tables = set(sa.inspect(conn).get_table_names())
        if "schema_info" in tables:  # another process created it meanwhile
            _check_version(conn, engine)
            return
        if tables:
            raise not_a_workbook(where(engine), tables)
        _create_tables(conn)
        conn.execute(schema_info.insert(), [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "created_at", "value": utcnow().isoformat(timespec="seconds")},
        ])
        log.info("created workbook schema %s", SCHEMA_VERSION)


def _create_tables(conn: Connection) -> None:
    """Create whichever tables are missing, with the append-only guards."""
    metadata.create_all(conn, checkfirst=True)
    if conn.dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                conn.exec_driver_sql(
                    f"CREATE TRIGGER IF NOT EXISTS no_{verb.lower()}_{table} BEFORE {verb} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION caseaudit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$")
        for table in APPEND_ONLY:
            conn.exec_driver_sql(
                f"CREATE OR REPLACE TRIGGER no_update_or_delete_{table} BEFORE UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION caseaudit_append_only()")


def _build_moderation_heads(conn: Connection) -> None:
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


#: What upgrading to each version does beyond creating its new tables (which are empty; schema
#: 5's action tables and schema 6's stream details start empty too, since no older workbook
#: recorded updates or practice-week records).
_UPGRADES = {4: _build_moderation_heads}


def _upgrade(engine: Engine, found: int) -> None:
    """Bring an older workbook database up to this schema in one transaction: new tables, filled
    from the logs where they are derived from them; no revision is touched."""
    with writing(engine, f"the upgrade of the workbook database to schema {SCHEMA_VERSION}") as conn:
        version = _check_version(conn, engine)
        if version >= SCHEMA_VERSION:
            return  # another process upgraded it meanwhile
        _create_tables(conn)
        for step in range(version + 1, SCHEMA_VERSION + 1):
            if step in _UPGRADES:
                _UPGRADES[step](conn)
        conn.execute(schema_info.update().where(schema_info.c.key == "schema_version")
                     .values(value=str(SCHEMA_VERSION)))
        log.info("upgraded workbook schema %s to %s", found, SCHEMA_VERSION)


def _check_version(conn: Connection, engine: Engine) -> int:
    version = conn.execute(sa.select(schema_info.c.value)
                           .where(schema_info.c.key == "schema_version")).scalar()
    if version is None or not str(version).isdigit():
        raise StoreError(f"The database {where(engine)} has no readable schema version; it may "
                         "be damaged. Restore it from a backup.")
    if int(version) > SCHEMA_VERSION:
        raise StoreError(
            f"The database {where(engine)} was written by a newer version of the workbook "
            f"(schema {version}; this one understands up to {SCHEMA_VERSION}). Update the "
            "workbook (git pull, then make install) before using this database; nothing was "
            "changed."
        )
    return int(version)
