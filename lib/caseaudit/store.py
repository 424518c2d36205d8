"""The store: every saved form, as append-only revisions, in SQLite or PostgreSQL.

This is the only module that talks to the database. Three rules shape it:

* **Nothing is overwritten.** A save appends a revision (and its scores) in one transaction; the
  ``forms``, ``revisions`` and ``scores`` tables refuse UPDATE and DELETE (SQLite triggers), so
  any earlier state can be read back "as of" a time.
* **No save is silently lost.** A save names the revision it was based on. ``form_heads`` points
  at each form's latest revision and is moved with a compare-and-set in the same transaction, so
  a save based on an older revision is refused with who saved in between, and when. The head
  pointer is derived data (it can be rebuilt from ``revisions``) that keeps "current" reads to one
  join instead of a "latest revision per form" search.
* **Check before writing.** Grades, criteria, case, agency and auditor are checked against the
  round and its framework before the transaction opens, so a bad form writes nothing.

The schema leaves room for what later issues add (moderations, practice-week records, action
plans) as further tables beside these; ``schema_info`` records the version so an older workbook
refuses a database written by a newer one instead of misreading it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from . import settings
from .errors import ConflictError, GradeError, RoundLockedError, StoreError
from .framework import NOT_APPLICABLE, Framework
from .rounds import AuditRound

log = logging.getLogger("caseaudit")

#: Bumped whenever the tables change; a database with a higher number is refused, one with a
#: lower number is upgraded in place (tables are only ever added). 2: moderations, round events.
SCHEMA_VERSION = 3

Status = Literal["draft", "submitted"]
STATUSES: tuple[str, ...] = ("draft", "submitted")

metadata = sa.MetaData()

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
    sa.Column("round_id", sa.String(60), nullable=False),
    sa.Column("case_id", sa.String(60), nullable=False),
    sa.Column("agency", sa.String(60), nullable=False),
    sa.Column("auditor", sa.String(60), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("round_id", "case_id", "agency", "auditor", name="uq_form"),
)

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("revision_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("form_id", sa.Integer, sa.ForeignKey("forms.form_id"), nullable=False),
    sa.Column("revision_no", sa.Integer, nullable=False),
    sa.Column("based_on", sa.Integer, nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("framework_id", sa.String(60), nullable=False),
    sa.Column("framework_version", sa.String(40), nullable=False),
    sa.Column("saved_by", sa.String(60), nullable=False),
    sa.Column("saved_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("form_id", "revision_no", name="uq_revision"),
    sa.CheckConstraint("status IN ('draft', 'submitted')", name="ck_status"),
)
sa.Index("ix_revisions_form_time", revisions.c.form_id, revisions.c.saved_at)

scores = sa.Table(
    "scores",
    metadata,
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.revision_id"), primary_key=True),
    sa.Column("criterion_id", sa.String(60), primary_key=True),
    sa.Column("grade", sa.Integer, nullable=True),
    sa.Column("not_applicable", sa.Boolean, nullable=False, default=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sqlite_with_rowid=False,
)

form_heads = sa.Table(
    "form_heads",
    metadata,
    sa.Column("form_id", sa.Integer, sa.ForeignKey("forms.form_id"), primary_key=True),
    sa.Column("round_id", sa.String(60), nullable=False),
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.revision_id"), nullable=False),
    sa.Column("revision_no", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
)
sa.Index("ix_heads_round", form_heads.c.round_id, form_heads.c.status)

# How many current scores each grade has, kept in step with form_heads by every save. Derived
# data like form_heads (the GROUP BY over the log gives the same, see grade_counts(as_of=...)),
# it makes the round figures cost the same at a million scores as at a hundred.
grade_tallies = sa.Table(
    "grade_tallies",
    metadata,
    sa.Column("round_id", sa.String(60), primary_key=True),
    sa.Column("status", sa.String(20), primary_key=True),
    sa.Column("criterion_id", sa.String(60), primary_key=True),
    sa.Column("agency", sa.String(60), primary_key=True),
    sa.Column("not_applicable", sa.Boolean, primary_key=True),
    sa.Column("grade", sa.Integer, primary_key=True),  # 0 where not applicable
    sa.Column("count", sa.Integer, nullable=False),
)

# The multi-agency audit meeting's agreed grades for a case: revisions like forms, never updated.
moderations = sa.Table(
    "moderations",
    metadata,
    sa.Column("moderation_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_id", sa.String(60), nullable=False),
    sa.Column("case_id", sa.String(60), nullable=False),
    sa.Column("revision_no", sa.Integer, nullable=False),
    sa.Column("based_on", sa.Integer, nullable=True),
    sa.Column("framework_id", sa.String(60), nullable=False),
    sa.Column("framework_version", sa.String(40), nullable=False),
    sa.Column("overall_grade", sa.Integer, nullable=True),
    sa.Column("strengths", sa.Text, nullable=False, default=""),
    sa.Column("development", sa.Text, nullable=False, default=""),
    sa.Column("themes", sa.Text, nullable=False, default="[]"),  # JSON list of theme ids / tags
    sa.Column("saved_by", sa.String(60), nullable=False),
    sa.Column("saved_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("round_id", "case_id", "revision_no", name="uq_moderation"),
)

moderation_grades = sa.Table(
    "moderation_grades",
    metadata,
    sa.Column("moderation_id", sa.Integer, sa.ForeignKey("moderations.moderation_id"),
              primary_key=True),
    sa.Column("criterion_id", sa.String(60), primary_key=True),
    sa.Column("grade", sa.Integer, nullable=True),
    sa.Column("not_applicable", sa.Boolean, nullable=False, default=False),
    sa.Column("rationale", sa.Text, nullable=False, default=""),
    sqlite_with_rowid=False,
)

# Closing a round for moderation and reopening it: who, when and why, in order.
round_events = sa.Table(
    "round_events",
    metadata,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_id", sa.String(60), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("by", sa.String(60), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.CheckConstraint("action IN ('close', 'reopen')", name="ck_round_action"),
)

# What the meeting's form held before it was saved, kept every few seconds so a dropped
# connection loses nothing; never read as a moderation.
moderation_drafts = sa.Table(
    "moderation_drafts",
    metadata,
    sa.Column("draft_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_id", sa.String(60), nullable=False),
    sa.Column("case_id", sa.String(60), nullable=False),
    sa.Column("based_on", sa.Integer, nullable=True),
    sa.Column("state", sa.Text, nullable=False),  # JSON: the form's values
    sa.Column("saved_by", sa.String(60), nullable=False),
    sa.Column("saved_at", sa.DateTime, nullable=False),
    sa.Index("ix_moderation_drafts_case", "round_id", "case_id"),
)

_APPEND_ONLY = ("forms", "revisions", "scores", "moderations", "moderation_grades",
                "round_events", "moderation_drafts")


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
class Revision:
    """One saved state of a form. ``grades`` maps criterion id to code, ``None`` = not applicable."""

    key: FormKey
    revision_no: int
    status: str
    framework_id: str
    framework_version: str
    saved_by: str
    saved_at: datetime
    based_on: int | None = None
    grades: dict[str, int | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Moderation:
    """One saved state of a case's moderation: the agreed grade per criterion (``None`` = not
    applicable) with rationales, an overall grade, strengths, areas for development, themes."""

    round_id: str
    case_id: str
    revision_no: int
    grades: dict[str, int | None]
    rationales: dict[str, str]
    overall: int | None
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
class FormSave:
    """A form to save: what the scoring form, an Excel import or the generator hands the store."""

    case_id: str
    agency: str
    auditor: str
    grades: Mapping[str, object]
    notes: Mapping[str, str] = field(default_factory=dict)
    status: str = "draft"
    based_on: int | None = None
    saved_by: str | None = None
    saved_at: datetime | None = None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _naive_utc(moment: datetime) -> datetime:
    """Stored times are naive UTC; an aware time is converted first."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def check_form(audit: AuditRound, framework: Framework, save: FormSave) -> tuple[
    dict[str, int | None], dict[str, str]
]:
    """Check a form against its round and framework; return its grades as codes and its notes.

    Every problem is collected, so the auditor can fix them all at once.

    Raises
    ------
    GradeError
        listing each problem (unknown criterion, grade off the scale, case outside the round...).
    """
    problems: list[str] = []
    if (framework.id, framework.version) != (audit.framework.id, audit.framework.version):
        problems.append(f"round {audit.id} uses framework {audit.framework.id} "
                        f"{audit.framework.version}, not {framework.id} {framework.version}")
    case = audit.cases_by_id.get(save.case_id)
    if case is None:
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
    asked = {c.id for c in framework.criteria_for(save.agency)}
    codes: dict[str, int | None] = {}
    for criterion_id, value in save.grades.items():
        if criterion_id not in framework.criteria_by_id:
            problems.append(f"criterion {criterion_id!r} is not in framework {framework.id} "
                            f"{framework.version}")
            continue
        if criterion_id not in asked:
            problems.append(f"criterion {criterion_id} is not answered by {save.agency} in "
                            f"framework {framework.id}")
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # not graded yet: a draft may leave criteria blank
        try:
            codes[criterion_id] = framework.scale_of(criterion_id).parse_grade(value)
        except ValueError as exc:
            problems.append(f"criterion {criterion_id}: {exc}")
    notes: dict[str, str] = {}
    for criterion_id, note in save.notes.items():
        if criterion_id not in asked:
            problems.append(f"a note is given for criterion {criterion_id!r}, which "
                            f"{save.agency}'s form does not ask")
        elif note and note.strip():
            text = note.strip()
            if problem := settings.too_long(text, "the evidence note"):
                problems.append(f"criterion {criterion_id}: {problem}")
            else:
                notes[criterion_id] = text
    if save.status == "submitted" and not problems:
        missing = [c.id for c in framework.criteria_for(save.agency) if c.id not in codes]
        if missing:
            problems.append(f"a submitted form must grade every criterion; not graded: "
                            f"{', '.join(missing)} (save it as a draft until they are)")
    if problems:
        raise GradeError(problems, context=f"for case {save.case_id} ({save.agency})")
    return codes, notes


class Store:
    """The workbook's database. Open one with :func:`open_store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url

    # -- connections ------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction; on SQLite it takes the write lock at BEGIN (no upgrade deadlocks)."""
        with self.engine.connect().execution_options(caseaudit_write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        """Close pooled connections (a store is cheap to reopen)."""
        self.engine.dispose()

    # -- schema -----------------------------------------------------------------------------------

    def schema_version(self) -> int | None:
        """The schema version recorded in the database, or ``None`` if it has no workbook tables."""
        with self._read() as conn:
            if not sa.inspect(conn).has_table("schema_info"):
                return None
            value = conn.execute(sa.select(schema_info.c.value)
                                 .where(schema_info.c.key == "schema_version")).scalar()
            return int(value) if value is not None else None

    def _ensure_schema(self, create: bool = True) -> None:
        """Check the schema version, creating the schema in a new database when ``create``.

        The check is a plain read, so opening a store (every dashboard page view does) never
        waits behind a save; only an empty database takes the write lock, to create the tables.
        """
        with self._read() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            version = self._check_version(conn) if "schema_info" in tables else None
        if version is not None:
            if version < SCHEMA_VERSION:
                self._upgrade(version)
            return
        if tables:
            raise _not_a_workbook(self._where, tables)
        if not create:
            raise StoreError(f"The database {self._where} has no workbook tables yet. Run "
                             f"`caseaudit init --db {self._where}` to start a workbook in it; "
                             "nothing was changed.")
        with self._write() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            if "schema_info" in tables:  # another process created it meanwhile
                self._check_version(conn)
                return
            if tables:
                raise _not_a_workbook(self._where, tables)
            self._create_tables(conn)
            conn.execute(schema_info.insert(), [
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "created_at", "value": _utcnow().isoformat(timespec="seconds")},
            ])
            log.info("created workbook schema %s", SCHEMA_VERSION)

    @staticmethod
    def _create_tables(conn: Connection) -> None:
        """Create whichever tables are missing, with the append-only guards."""
        metadata.create_all(conn, checkfirst=True)
        if conn.dialect.name == "sqlite":
            for table in _APPEND_ONLY:
                for verb in ("UPDATE", "DELETE"):
                    conn.exec_driver_sql(
                        f"CREATE TRIGGER IF NOT EXISTS no_{verb.lower()}_{table} BEFORE {verb} "
                        f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                    )

    def _upgrade(self, found: int) -> None:
        """Bring an older workbook database up to this schema: new tables only, data untouched."""
        with self._write() as conn:
            version = self._check_version(conn)
            if version >= SCHEMA_VERSION:
                return  # another process upgraded it meanwhile
            self._create_tables(conn)
            conn.execute(schema_info.update().where(schema_info.c.key == "schema_version")
                         .values(value=str(SCHEMA_VERSION)))
            log.info("upgraded workbook schema %s to %s", found, SCHEMA_VERSION)

    @property
    def _where(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def _check_version(self, conn: Connection) -> int:
        version = conn.execute(sa.select(schema_info.c.value)
                               .where(schema_info.c.key == "schema_version")).scalar()
        if version is None or not str(version).isdigit():
            raise StoreError(f"The database {self._where} has no readable schema version; it may "
                             "be damaged. Restore it from a backup.")
        if int(version) > SCHEMA_VERSION:
            raise StoreError(
                f"The database {self._where} was written by a newer version of the workbook "
                f"(schema {version}; this one understands up to {SCHEMA_VERSION}). Update the "
                "workbook (git pull, then make install) before using this database; nothing was "
                "changed."
            )
        return int(version)

    # -- saving -----------------------------------------------------------------------------------

    def save_form(self, audit: AuditRound, framework: Framework, save: FormSave) -> Revision:
        """Append a revision of one form, refusing it if someone saved since ``save.based_on``.

        ``save.based_on`` is the revision number the auditor opened (``None`` for a new form).

        Raises
        ------
        GradeError
            the form does not fit the round or framework; nothing written.
        ConflictError
            another save happened in between; nothing written. It names who and when.
        """
        return self.save_forms(audit, framework, [save])[0]

    def save_forms(
        self, audit: AuditRound, framework: Framework, saves: Iterable[FormSave]
    ) -> list[Revision]:
        """Append revisions of several forms in one transaction: all are saved, or none.

        Used by imports and the synthetic generator, where a half-imported file is worse than none.
        """
        checked = [(s, *check_form(audit, framework, s)) for s in saves]
        out: list[Revision] = []
        try:
            with self._write() as conn:
                self._assert_open(conn, audit.id)
                now = _utcnow()
                for save, codes, notes in checked:
                    out.append(self._append(conn, audit, framework, save, codes, notes, now))
        except IntegrityError as exc:
            # Only a race on (form, revision_no) can get here: another process won.
            raise StoreError(f"The form was saved by someone else at the same moment; reload it "
                             f"and save again. ({exc.orig})") from None
        except OperationalError as exc:
            raise _operational(exc, self.url) from None
        return out

    def _append(
        self,
        conn: Connection,
        audit: AuditRound,
        framework: Framework,
        save: FormSave,
        codes: dict[str, int | None],
        notes: dict[str, str],
        now: datetime,
    ) -> Revision:
        key = FormKey(audit.id, save.case_id, save.agency, save.auditor)
        form_id = conn.execute(
            sa.select(forms.c.form_id).where(
                forms.c.round_id == key.round_id, forms.c.case_id == key.case_id,
                forms.c.agency == key.agency, forms.c.auditor == key.auditor)
        ).scalar()
        head = None
        if form_id is not None:
            head = conn.execute(
                sa.select(revisions.c.revision_id, revisions.c.revision_no, revisions.c.saved_by,
                          revisions.c.saved_at, revisions.c.status)
                .select_from(form_heads.join(revisions,
                                             form_heads.c.revision_id == revisions.c.revision_id))
                .where(form_heads.c.form_id == form_id)
            ).first()
        latest = head.revision_no if head is not None else None
        if latest != save.based_on:
            if head is None:
                raise StoreError(f"{key} has no saved revision {save.based_on}; open it again.")
            raise ConflictError(str(key), save.based_on, head.revision_no, head.saved_by,
                                head.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC"))
        saved_at = _naive_utc(save.saved_at) if save.saved_at is not None else now
        if head is not None and saved_at < head.saved_at:
            saved_at = head.saved_at  # keep a form's history in time order for "as of" reads
        if form_id is None:
            form_id = conn.execute(forms.insert().values(
                round_id=key.round_id, case_id=key.case_id, agency=key.agency,
                auditor=key.auditor, created_at=saved_at)).inserted_primary_key[0]
        revision_no = (latest or 0) + 1
        saved_by = save.saved_by or save.auditor
        revision_id = conn.execute(revisions.insert().values(
            form_id=form_id, revision_no=revision_no, based_on=save.based_on, status=save.status,
            framework_id=framework.id, framework_version=framework.version, saved_by=saved_by,
            saved_at=saved_at)).inserted_primary_key[0]
        rows = [{"revision_id": revision_id, "criterion_id": cid, "grade": code,
                 "not_applicable": code is None, "note": notes.get(cid, "")}
                for cid, code in codes.items()]
        rows += [{"revision_id": revision_id, "criterion_id": cid, "grade": None,
                  "not_applicable": False, "note": note}
                 for cid, note in notes.items() if cid not in codes]
        if rows:
            conn.execute(scores.insert(), rows)
        self._tally(conn, key, head, save.status, codes)
        if head is None:
            conn.execute(form_heads.insert().values(
                form_id=form_id, round_id=key.round_id, revision_id=revision_id,
                revision_no=revision_no, status=save.status))
        else:
            moved = conn.execute(form_heads.update()
                                 .where(form_heads.c.form_id == form_id,
                                        form_heads.c.revision_no == latest)
                                 .values(revision_id=revision_id, revision_no=revision_no,
                                         status=save.status)).rowcount
            if moved != 1:  # pragma: no cover - guarded by the write lock and uq_revision
                raise StoreError(f"{key} changed while saving; reload it and save again.")
        return Revision(key, revision_no, save.status, framework.id, framework.version, saved_by,
                        saved_at, save.based_on, dict(codes), dict(notes))

    @staticmethod
    def _tally(conn: Connection, key: FormKey, head: sa.Row | None, status: str,
               codes: dict[str, int | None]) -> None:
        """Move the form's grades in grade_tallies from its previous revision to this one."""
        delta: dict[tuple[str, str, bool, int], int] = {}
        if head is not None:
            old = conn.execute(sa.select(scores.c.criterion_id, scores.c.grade,
                                         scores.c.not_applicable)
                               .where(scores.c.revision_id == head.revision_id)).all()
            for cid, grade, na in old:
                if grade is not None or na:
                    k = (head.status, cid, bool(na), 0 if na else grade)
                    delta[k] = delta.get(k, 0) - 1
        for cid, code in codes.items():
            k = (status, cid, code is None, 0 if code is None else code)
            delta[k] = delta.get(k, 0) + 1
        rows = [{"round_id": key.round_id, "status": st, "criterion_id": cid,
                 "agency": key.agency, "not_applicable": na, "grade": grade, "count": n}
                for (st, cid, na, grade), n in delta.items() if n]
        if not rows:
            return
        if conn.dialect.name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        elif conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:  # pragma: no cover - SQLite and PostgreSQL are the supported databases
            raise StoreError(f"The {conn.dialect.name} database is not supported; use SQLite or "
                             "PostgreSQL.")
        stmt = insert(grade_tallies)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[c.name for c in grade_tallies.primary_key.columns],
            set_={"count": grade_tallies.c.count + stmt.excluded["count"]}), rows)

    # -- closing a round for moderation ----------------------------------------------------------

    def _assert_open(self, conn: Connection, round_id: str) -> None:
        event = self._last_event(conn, round_id)
        if event is not None and event.action == "close":
            raise RoundLockedError(
                f"Round {round_id} was closed for moderation by {event.by} at "
                f"{event.at:%Y-%m-%d %H:%M} UTC, so its forms and moderations are locked; "
                "nothing was saved. Ask the audit lead to reopen it (with a reason) first.")

    @staticmethod
    def _last_event(conn: Connection, round_id: str) -> sa.Row | None:
        return conn.execute(sa.select(round_events).where(round_events.c.round_id == round_id)
                            .order_by(round_events.c.event_id.desc()).limit(1)).first()

    def round_locked(self, round_id: str) -> bool:
        """True while the round is closed for moderation."""
        with self._read() as conn:
            event = self._last_event(conn, round_id)
        return event is not None and event.action == "close"

    def close_round(self, round_id: str, by: str, reason: str = "") -> None:
        """Lock a round's forms and moderations (the meeting's grades are final)."""
        self._round_event(round_id, "close", by, reason)

    def reopen_round(self, round_id: str, by: str, reason: str) -> None:
        """Unlock a closed round; who and why are recorded, so a reason is required."""
        if not reason or not reason.strip():
            raise StoreError(f"Reopening round {round_id} needs a reason (it is recorded with "
                             "your name); nothing was changed.")
        self._round_event(round_id, "reopen", by, reason.strip())

    def _round_event(self, round_id: str, action: str, by: str, reason: str) -> None:
        if not by or not by.strip():
            raise StoreError("Say who is closing or reopening the round; nothing was changed.")
        with self._write() as conn:
            event = self._last_event(conn, round_id)
            closed = event is not None and event.action == "close"
            if action == "close" and closed:
                raise RoundLockedError(f"Round {round_id} is already closed (by {event.by}).")
            if action == "reopen" and not closed:
                raise StoreError(f"Round {round_id} is not closed, so it cannot be reopened.")
            conn.execute(round_events.insert().values(round_id=round_id, action=action,
                                                      by=by.strip(), at=_utcnow(), reason=reason))

    def round_history(self, round_id: str) -> pd.DataFrame:
        """Every close and reopen of a round, oldest first, with who, when and why."""
        query = (sa.select(round_events.c.action, round_events.c.by, round_events.c.at,
                           round_events.c.reason)
                 .where(round_events.c.round_id == round_id).order_by(round_events.c.event_id))
        with self._read() as conn:
            return pd.DataFrame(conn.execute(query).all(), columns=["action", "by", "at", "reason"])

    # -- moderation -------------------------------------------------------------------------------

    def append_moderation(self, audit: AuditRound, framework: Framework, case_id: str,
                          grades: Mapping[str, int | None], rationales: Mapping[str, str],
                          overall: int | None, strengths: str, development: str,
                          themes: Sequence[str], based_on: int | None, saved_by: str,
                          saved_at: datetime | None = None) -> Moderation:
        """Append a revision of a case's moderation (already checked by
        :func:`caseaudit.moderation.save_moderation`), refusing a stale one or a locked round."""
        entry = Moderation(audit.id, case_id, 0, dict(grades), dict(rationales), overall,
                           strengths, development, list(themes), saved_by,
                           saved_at or _utcnow(), based_on)
        return self.append_moderations(audit, framework, [entry])[0]

    def append_moderations(self, audit: AuditRound, framework: Framework,
                           entries: Sequence[Moderation]) -> list[Moderation]:
        """Append several moderations in one transaction, all or none (``revision_no`` of each
        entry is ignored: the store numbers revisions; ``based_on`` is checked)."""
        out = []
        with self._write() as conn:
            self._assert_open(conn, audit.id)
            for entry in entries:
                head = conn.execute(
                    sa.select(moderations.c.revision_no, moderations.c.saved_by,
                              moderations.c.saved_at)
                    .where(moderations.c.round_id == audit.id,
                           moderations.c.case_id == entry.case_id)
                    .order_by(moderations.c.revision_no.desc()).limit(1)).first()
                latest = head.revision_no if head is not None else None
                if latest != entry.based_on:
                    raise ConflictError(
                        f"the moderation of case {entry.case_id} in round {audit.id}",
                        entry.based_on, head.revision_no if head else 0,
                        head.saved_by if head else "nobody",
                        head.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC") if head else "")
                when = _naive_utc(entry.saved_at)
                revision_no = (latest or 0) + 1
                moderation_id = conn.execute(moderations.insert().values(
                    round_id=audit.id, case_id=entry.case_id, revision_no=revision_no,
                    based_on=entry.based_on, framework_id=framework.id,
                    framework_version=framework.version, overall_grade=entry.overall,
                    strengths=entry.strengths, development=entry.development,
                    themes=json.dumps(list(entry.themes)), saved_by=entry.saved_by,
                    saved_at=when)).inserted_primary_key[0]
                rows = [{"moderation_id": moderation_id, "criterion_id": cid, "grade": code,
                         "not_applicable": code is None,
                         "rationale": entry.rationales.get(cid, "")}
                        for cid, code in entry.grades.items()]
                if rows:
                    conn.execute(moderation_grades.insert(), rows)
                out.append(Moderation(audit.id, entry.case_id, revision_no, dict(entry.grades),
                                      dict(entry.rationales), entry.overall, entry.strengths,
                                      entry.development, list(entry.themes), entry.saved_by,
                                      when, entry.based_on))
        return out

    def moderation_history(self, round_id: str, case_id: str) -> list[Moderation]:
        """Every revision of a case's moderation, oldest first."""
        with self._read() as conn:
            heads = conn.execute(sa.select(moderations)
                                 .where(moderations.c.round_id == round_id,
                                        moderations.c.case_id == case_id)
                                 .order_by(moderations.c.revision_no)).all()
            ids = [h.moderation_id for h in heads]
            grade_rows = conn.execute(sa.select(moderation_grades).where(
                moderation_grades.c.moderation_id.in_(ids))).all() if ids else []
        grades: dict[int, dict[str, int | None]] = {i: {} for i in ids}
        rationales: dict[int, dict[str, str]] = {i: {} for i in ids}
        for row in grade_rows:
            grades[row.moderation_id][row.criterion_id] = row.grade
            if row.rationale:
                rationales[row.moderation_id][row.criterion_id] = row.rationale
        return [Moderation(round_id, case_id, h.revision_no, grades[h.moderation_id],
                           rationales[h.moderation_id], h.overall_grade, h.strengths,
                           h.development, json.loads(h.themes), h.saved_by, h.saved_at,
                           h.based_on) for h in heads]

    def save_moderation_draft(self, round_id: str, case_id: str, based_on: int | None,
                              state: Mapping[str, Any], saved_by: str) -> ModerationDraft:
        """Keep what the meeting's form holds, unchecked (it is not the meeting's decision until
        saved as a moderation), so a closed laptop or a dropped connection loses nothing."""
        when = _utcnow()
        with self._write() as conn:
            self._assert_open(conn, round_id)
            conn.execute(moderation_drafts.insert().values(
                round_id=round_id, case_id=case_id, based_on=based_on,
                state=json.dumps(dict(state), sort_keys=True), saved_by=saved_by, saved_at=when))
        return ModerationDraft(round_id, case_id, based_on, dict(state), saved_by, when)

    def moderation_draft(self, round_id: str, case_id: str) -> ModerationDraft | None:
        """The case's latest draft, unless a moderation was saved after it (the save holds what
        the draft held, or overtook it): drafts built on an older revision are not offered."""
        with self._read() as conn:
            head = conn.execute(sa.select(sa.func.max(moderations.c.revision_no))
                                .where(moderations.c.round_id == round_id,
                                       moderations.c.case_id == case_id)).scalar()
            row = conn.execute(sa.select(moderation_drafts)
                               .where(moderation_drafts.c.round_id == round_id,
                                      moderation_drafts.c.case_id == case_id)
                               .order_by(moderation_drafts.c.draft_id.desc()).limit(1)).first()
        if row is None or row.based_on != head:
            return None
        return ModerationDraft(round_id, case_id, row.based_on, json.loads(row.state),
                               row.saved_by, row.saved_at)

    def _latest_moderations(self, round_ids: Sequence[str] | None) -> sa.Subquery:
        """Each case's latest moderation row (all columns), in the given rounds or all."""
        latest = (sa.select(moderations.c.round_id, moderations.c.case_id,
                            sa.func.max(moderations.c.revision_no).label("revision_no"))
                  .group_by(moderations.c.round_id, moderations.c.case_id))
        if round_ids is not None:
            latest = latest.where(moderations.c.round_id.in_(list(round_ids)))
        sq = latest.subquery()
        return (sa.select(moderations)
                .join(sq, sa.and_(moderations.c.round_id == sq.c.round_id,
                                  moderations.c.case_id == sq.c.case_id,
                                  moderations.c.revision_no == sq.c.revision_no))
                .subquery("latest_moderations"))

    def moderation_heads(self, round_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per moderated case: its latest revision number, overall grade, themes (a JSON
        list) and how many criteria it has ``agreed`` (a grade or not applicable), without the
        per-criterion grades, so listing a round, and telling complete moderations from partial
        ones, is one cheap query."""
        head = self._latest_moderations(round_ids)
        agreed = (sa.select(sa.func.count())
                  .where(moderation_grades.c.moderation_id == head.c.moderation_id,
                         sa.or_(moderation_grades.c.grade.is_not(None),
                                moderation_grades.c.not_applicable))
                  .scalar_subquery().label("agreed"))
        query = (sa.select(head.c.round_id, head.c.case_id, head.c.revision_no,
                           head.c.overall_grade, head.c.themes, agreed)
                 .order_by(head.c.round_id, head.c.case_id))
        with self._read() as conn:
            return pd.DataFrame(conn.execute(query).all(),
                                columns=list(query.selected_columns.keys()))

    def current_moderations(self, round_id: str | None = None) -> pd.DataFrame:
        """The latest moderated grade per case and criterion, as a tidy frame (a moderation with no
        grades yet appears once, with an empty criterion)."""
        head = self._latest_moderations(None if round_id is None else [round_id])
        query = (sa.select(head.c.round_id, head.c.case_id, moderation_grades.c.criterion_id,
                           moderation_grades.c.grade, moderation_grades.c.not_applicable,
                           moderation_grades.c.rationale, head.c.revision_no, head.c.themes,
                           head.c.overall_grade)
                 .select_from(head.outerjoin(
                     moderation_grades, moderation_grades.c.moderation_id == head.c.moderation_id))
                 .order_by(head.c.round_id, head.c.case_id, moderation_grades.c.criterion_id))
        with self._read() as conn:
            frame = pd.DataFrame(conn.execute(query).all(),
                                 columns=list(query.selected_columns.keys()))
        frame["grade"] = frame["grade"].astype("Int64")
        frame["not_applicable"] = frame["not_applicable"].fillna(False).astype(bool)
        return frame

    def moderated_pair_counts(self, round_id: str,
                              exclude_cases: Sequence[str] = ()) -> pd.DataFrame:
        """How many submitted agency grades meet each moderated grade: one row per criterion,
        agency, auditor, agency grade and moderated grade, with its ``count`` (not-applicable on
        either side left out). ``exclude_cases`` leaves out cases whose moderation is not finished
        (few at any time, so the list stays short).

        Agreement with the meeting depends only on these counts, so the database does the
        pairing and counting and a round of thousands of cases comes back as a few thousand rows.
        """
        head = self._latest_moderations([round_id])
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
        query = (sa.select(scores.c.criterion_id, forms.c.agency, forms.c.auditor,
                           scores.c.grade.label("grade"),
                           agreed.c.grade.label("moderated_grade"), count)
                 .select_from(form_heads.join(forms, forms.c.form_id == form_heads.c.form_id)
                              .join(scores, scores.c.revision_id == form_heads.c.revision_id)
                              # round_id too, so each moderated case finds its forms by the
                              # (round_id, case_id) index instead of scanning the round's forms
                              .join(agreed, sa.and_(agreed.c.round_id == forms.c.round_id,
                                                    agreed.c.case_id == forms.c.case_id,
                                                    agreed.c.criterion_id == scores.c.criterion_id)))
                 .where(form_heads.c.round_id == round_id, form_heads.c.status == "submitted",
                        scores.c.grade.is_not(None), scores.c.not_applicable.is_(False))
                 .group_by(*keys).order_by(*keys))
        with self._read() as conn:
            return pd.DataFrame(conn.execute(query).all(),
                                columns=list(query.selected_columns.keys()))

    # -- reading ----------------------------------------------------------------------------------

    def _current_revisions(self, round_id: str | None, as_of: datetime | None) -> sa.Subquery:
        """(form_id, revision_id) of each form's latest revision, now or as of a time."""
        if as_of is None:
            query = sa.select(form_heads.c.form_id, form_heads.c.revision_id)
            if round_id is not None:
                query = query.where(form_heads.c.round_id == round_id)
            return query.subquery("current")
        latest = (sa.select(revisions.c.form_id,
                            sa.func.max(revisions.c.revision_no).label("revision_no"))
                  .where(revisions.c.saved_at <= _naive_utc(as_of))
                  .group_by(revisions.c.form_id))
        if round_id is not None:
            latest = latest.where(revisions.c.form_id.in_(
                sa.select(forms.c.form_id).where(forms.c.round_id == round_id)))
        latest_sq = latest.subquery("latest")
        return (sa.select(revisions.c.form_id, revisions.c.revision_id)
                .join(latest_sq, sa.and_(revisions.c.form_id == latest_sq.c.form_id,
                                         revisions.c.revision_no == latest_sq.c.revision_no))
                .subquery("current"))

    def current_responses(
        self,
        round_id: str | None = None,
        as_of: datetime | None = None,
        status: str | None = None,
        case_id: str | None = None,
    ) -> pd.DataFrame:
        """Every current score as a tidy frame: one row per round, case, agency, auditor, criterion.

        Parameters
        ----------
        round_id
            one round, or every round when ``None``.
        as_of
            read the store as it stood at this time (UTC when naive) instead of now.
        status
            ``"submitted"`` or ``"draft"`` to keep only forms whose current revision has it.
        case_id
            one case only (the moderation meeting looks at one case at a time).

        Example
        -------
        >>> store.current_responses("2026-03-maca", status="submitted")  # doctest: +SKIP
        """
        current = self._current_revisions(round_id, as_of)
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
        with self._read() as conn:
            frame = pd.DataFrame(conn.execute(query).all(), columns=list(query.selected_columns.keys()))
        return _typed_responses(frame)

    def grade_counts(
        self,
        round_id: str | None = None,
        status: str | None = "submitted",
        as_of: datetime | None = None,
    ) -> pd.DataFrame:
        """How many current scores each grade has, by round, criterion and agency.

        Now, it reads the tallies every save keeps up to date; as of a past time, the database
        counts the revisions current then (a GROUP BY over the log). Either way a million scores
        are never pulled into Python. ``grade`` is ``<NA>`` for not-applicable answers.
        """
        if as_of is None:
            total = sa.func.sum(grade_tallies.c.count)
            query = (
                sa.select(grade_tallies.c.round_id, grade_tallies.c.criterion_id,
                          grade_tallies.c.agency,
                          sa.case((grade_tallies.c.not_applicable, None),
                                  else_=grade_tallies.c.grade).label("grade"),
                          total.label("count"))
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
            current = self._current_revisions(round_id, as_of)
            query = (
                sa.select(forms.c.round_id, scores.c.criterion_id, forms.c.agency, scores.c.grade,
                          sa.func.count().label("count"))
                .select_from(current.join(forms, forms.c.form_id == current.c.form_id)
                             .join(revisions, revisions.c.revision_id == current.c.revision_id)
                             .join(scores, scores.c.revision_id == current.c.revision_id))
                .where(sa.or_(scores.c.grade.is_not(None), scores.c.not_applicable))
                .group_by(forms.c.round_id, scores.c.criterion_id, forms.c.agency, scores.c.grade)
            )
            if status is not None:
                query = query.where(revisions.c.status == status)
        with self._read() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(rows, columns=["round_id", "criterion_id", "agency", "grade", "count"])
        frame["grade"] = frame["grade"].astype("Int64")
        frame["count"] = frame["count"].astype("int64")
        return frame

    def form_history(self, round_id: str, case_id: str, agency: str, auditor: str) -> list[Revision]:
        """Every revision of one form, oldest first, with its grades and notes."""
        key = FormKey(round_id, case_id, agency, auditor)
        query = (
            sa.select(revisions.c.revision_id, revisions.c.revision_no, revisions.c.status,
                      revisions.c.framework_id, revisions.c.framework_version,
                      revisions.c.saved_by, revisions.c.saved_at, revisions.c.based_on)
            .select_from(revisions.join(forms, forms.c.form_id == revisions.c.form_id))
            .where(forms.c.round_id == round_id, forms.c.case_id == case_id,
                   forms.c.agency == agency, forms.c.auditor == auditor)
            .order_by(revisions.c.revision_no)
        )
        with self._read() as conn:
            heads = conn.execute(query).all()
            ids = [h.revision_id for h in heads]
            score_rows = conn.execute(
                sa.select(scores).where(scores.c.revision_id.in_(ids))
            ).all() if ids else []
        grades: dict[int, dict[str, int | None]] = {i: {} for i in ids}
        notes: dict[int, dict[str, str]] = {i: {} for i in ids}
        for row in score_rows:
            if row.grade is not None or row.not_applicable:
                grades[row.revision_id][row.criterion_id] = row.grade
            if row.note:
                notes[row.revision_id][row.criterion_id] = row.note
        return [Revision(key, h.revision_no, h.status, h.framework_id, h.framework_version,
                         h.saved_by, h.saved_at, h.based_on, grades[h.revision_id],
                         notes[h.revision_id]) for h in heads]

    def latest_revision(self, round_id: str, case_id: str, agency: str, auditor: str
                        ) -> Revision | None:
        """The current revision of one form, or ``None`` if it was never saved."""
        history = self.form_history(round_id, case_id, agency, auditor)
        return history[-1] if history else None

    def form_statuses(self, round_id: str | None = None, as_of: datetime | None = None,
                      case_id: str | None = None) -> pd.DataFrame:
        """One row per saved form with its status and revision number, now or as of a time;
        ``case_id`` narrows it to one case (the scoring form refreshes one case per save)."""
        current = self._current_revisions(round_id, as_of)
        query = (sa.select(forms.c.round_id, forms.c.case_id, forms.c.agency, forms.c.auditor,
                           revisions.c.status, revisions.c.revision_no)
                 .select_from(current.join(forms, forms.c.form_id == current.c.form_id)
                              .join(revisions, revisions.c.revision_id == current.c.revision_id))
                 .order_by(forms.c.round_id, forms.c.case_id, forms.c.agency, forms.c.auditor))
        if case_id is not None:
            query = query.where(forms.c.case_id == case_id)
        with self._read() as conn:
            return pd.DataFrame(conn.execute(query).all(), columns=list(query.selected_columns.keys()))

    def round_ids(self) -> list[str]:
        """Rounds that have at least one saved form."""
        with self._read() as conn:
            return list(conn.execute(sa.select(forms.c.round_id).distinct()
                                     .order_by(forms.c.round_id)).scalars())

    def last_change(self) -> tuple[int, int, int]:
        """A marker that moves with every form revision, moderation revision and round event: the
        newest id of each (the tables are append-only, so an id never comes back). Computed
        results are cached under it, so asking whether anything changed costs three index reads
        instead of recomputing a round."""
        newest = [sa.select(sa.func.max(column)).scalar_subquery()
                  for column in (revisions.c.revision_id, moderations.c.moderation_id,
                                 round_events.c.event_id)]
        with self._read() as conn:
            row = conn.execute(sa.select(*newest)).one()
        return tuple(int(v or 0) for v in row)  # type: ignore[return-value]


def _typed_responses(frame: pd.DataFrame) -> pd.DataFrame:
    frame["grade"] = frame["grade"].astype("Int64")
    frame["not_applicable"] = frame["not_applicable"].astype(bool)
    frame["revision_no"] = frame["revision_no"].astype("int64")
    for col in ("round_id", "case_id", "agency", "auditor", "criterion_id", "note", "status",
                "saved_by", "framework_id", "framework_version"):
        frame[col] = frame[col].astype("string")
    frame["saved_at"] = pd.to_datetime(frame["saved_at"])
    return frame


def _operational(exc: OperationalError, url: sa.URL) -> StoreError:
    text = str(exc.orig)
    where = url.render_as_string(hide_password=True)
    if "locked" in text or "busy" in text:
        return StoreError(f"The database {where} stayed busy with another save for too long; "
                          "nothing was saved. Try again in a moment.")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"The database {where} cannot be written (read-only file or folder); "
                          "nothing was saved. Check its permissions.")
    return StoreError(f"The database {where} could not be used: {text}. Nothing was saved.")


def _configure_sqlite(engine: Engine) -> None:
    """WAL for many readers beside one writer; a busy timeout instead of instant 'locked' errors;
    writes take the lock at BEGIN so two savers queue instead of deadlocking on lock upgrade."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("caseaudit_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_store(url: str | os.PathLike[str] | None = None, create: bool = False) -> Store:
    """Open the workbook database: ``url``, else ``CASEAUDIT_DB``, else data/workbook.db.

    ``url`` may be a file path or a SQLAlchemy URL (``postgresql://...``). Only ``create=True``
    (``caseaudit init``, ``caseaudit demo-data``, a test's fresh store) makes a new database: a
    typo in ``CASEAUDIT_DB`` must not quietly start an empty workbook and import into it.

    An SQLite file is checked before anything else touches it: that it is a workbook, and that
    SQLite's quick check finds no damage (about a tenth of a second for a million score rows;
    a partnership's real workbook takes a few milliseconds).

    Raises
    ------
    StoreError
        there is no database there (saying how to make one), the file is empty, damaged, not a
        database or not a workbook, it was written by a newer workbook, or the URL names a
        database the workbook does not run on or whose driver is not installed.
    """
    resolved = settings.database_url(url)
    engine = _engine(resolved)
    where = engine.url.render_as_string(hide_password=True)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            path = Path(database)
            if path.is_dir():
                raise StoreError(f"{settings.DB_ENV} points at the folder {path}; point it at a "
                                 "database file such as data/workbook.db.")
            if not path.exists():
                if not create:
                    raise StoreError(_no_database(path))
                path.parent.mkdir(parents=True, exist_ok=True)
            elif path.stat().st_size == 0:
                if not create:
                    raise StoreError(
                        f"The database file {path} is empty (0 bytes), so it is not a workbook "
                        f"database. Check {settings.DB_ENV} (or --db); to start a new workbook in "
                        f"this file, run `caseaudit init --db {path}`. Nothing was changed.")
            else:
                _check_sqlite_file(path, create)
        _configure_sqlite(engine)
    store = Store(engine)
    try:
        store._ensure_schema(create)
    except DatabaseError as exc:
        engine.dispose()
        text = str(exc.orig)
        if "not a database" in text or "malformed" in text or "encrypted" in text:
            raise StoreError(
                f"{where} is not a workbook database (or it is damaged): {text}. Check that "
                f"{settings.DB_ENV} names the right file; restore it from a backup if it is damaged. "
                "Nothing was changed."
            ) from None
        raise StoreError(f"The database {where} could not be opened: {text}") from None
    except StoreError:
        engine.dispose()
        raise
    return store


#: The databases the workbook runs on, by SQLAlchemy backend name.
SUPPORTED_DATABASES = {"sqlite": "SQLite (a file path such as data/workbook.db)",
                       "postgresql": "PostgreSQL (a postgresql://user@host/database URL)"}


def _engine(url: str) -> Engine:
    """The engine for ``url``, or a StoreError saying which databases the workbook runs on, or
    which package to install for a missing driver; never an ImportError's traceback."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(f"{settings.DB_ENV} (or --db) is neither a file path nor a database URL "
                         "that can be read; give a path such as data/workbook.db or a URL such "
                         "as postgresql://user@host/database.") from None
    where = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_DATABASES:
        raise StoreError(f"The workbook does not run on {backend} ({where}); it runs on "
                         f"{' or '.join(SUPPORTED_DATABASES.values())}. Point {settings.DB_ENV} "
                         "(or --db) at one of those.")
    try:
        return sa.create_engine(parsed)
    except ImportError as exc:
        raise StoreError(f"The database {where} needs the Python package {exc.name or 'driver'}, "
                         "which is not installed: run `pip install 'caseaudit[postgres]'` (in this "
                         "checkout: .venv/bin/pip install -e '.[postgres]').") from None
    except sa.exc.NoSuchModuleError:
        raise StoreError(f"The workbook cannot reach {where}: SQLAlchemy has no driver "
                         f"'{parsed.get_driver_name()}' for it. Write the URL as "
                         "postgresql://user@host/database.") from None


def _shown(path: Path) -> str:
    """``path`` as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _no_database(path: Path) -> str:
    """Why there is no database at ``path`` and how to get one, for the person at the keyboard
    right after `make demo` as much as for one who mistyped CASEAUDIT_DB."""
    shown = _shown(path)
    if path == settings.DEFAULT_DB_PATH.resolve() and not os.environ.get(settings.DB_ENV):
        if settings.DEMO_DB_PATH.exists():
            return (f"There is no workbook database at {shown}. To try the commands on the demo "
                    f"partnership, add --demo (caseaudit --demo export ...) or set "
                    f"{settings.DB_ENV}={_shown(settings.DEMO_DB_PATH)} and "
                    f"{settings.AUDITS_ENV}={_shown(settings.DEMO_AUDITS_DIR)}; to start real work "
                    "run `caseaudit init`.")
        return (f"There is no workbook database at {shown}. Run `make demo` (or `caseaudit "
                "demo-data`) for a synthetic partnership to try, or `caseaudit init` to start "
                "real work.")
    folder = "" if path.parent.is_dir() else f" (the folder {_shown(path.parent)} does not exist either)"
    return (f"There is no database at {shown}{folder}. Check {settings.DB_ENV} (or --db) for a "
            f"typo; to start a new workbook there, run `caseaudit init --db {shown}`. Nothing was "
            "created.")


def _not_a_workbook(where: str, tables: Iterable[str]) -> StoreError:
    return StoreError(f"The database {where} holds other tables ({', '.join(sorted(tables)[:5])}) "
                      f"but is not a caseaudit workbook. Point {settings.DB_ENV} at a workbook "
                      "database or at a new file.")


def _check_sqlite_file(path: Path, create: bool) -> None:
    """Refuse a damaged database, or one that is not a workbook, before the engine's settings
    (WAL mode) write to it: through a plain connection that only reads.

    SQLite's quick check reads every page and checks its structure (not the indexes against the
    tables, which the full integrity check adds at about twice the time), so pages overwritten
    by a failing disk or a bad copy are found here instead of being read as data.
    """
    import sqlite3

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise StoreError(f"The database {path} could not be opened: {exc}. Check that the file "
                         "and its folder can be read and written.") from None
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise StoreError(
                f"{path} is not a workbook database (or it is damaged): {exc}. Check that "
                f"{settings.DB_ENV} names the right file; restore it from a backup if it is "
                "damaged. Nothing was changed.") from None
        found, tables = [str(exc)], set()
    finally:
        conn.close()
    if found != ["ok"]:
        first = " ".join(found[0].replace("*** in database main ***", "").split())
        more = f" and {len(found) - 1} more problem(s)" if len(found) > 1 else ""
        raise StoreError(f"The database {path} is damaged (SQLite's check found: {first}{more}). "
                         "Restore it from a backup; nothing was changed.")
    if tables and "schema_info" not in tables:
        raise _not_a_workbook(str(path), tables)
    if not tables and not create:
        raise StoreError(f"The database {path} has no workbook tables yet. Run `caseaudit init "
                         f"--db {path}` to start a workbook in it; nothing was changed.")


__all__ = [
    "NOT_APPLICABLE",
    "SCHEMA_VERSION",
    "FormKey",
    "FormSave",
    "Moderation",
    "ModerationDraft",
    "Revision",
    "RoundLockedError",
    "Store",
    "check_form",
    "open_store",
]
