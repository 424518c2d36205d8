"""The revision engine: how a form, a moderation, an action's progress update and their drafts
are saved.

One scheme for every record the workbook keeps as revisions (a form, a case's moderation, an
action's updates):

* a save appends a revision to the record's log (``revisions`` + ``scores``, ``moderations`` +
  ``moderation_grades``, ``action_updates``), never overwriting one;
* the record's head (``form_heads``, ``moderation_heads``, ``action_heads``) points at its latest
  revision and is moved by compare-and-set in the same transaction;
* a save names the revision it was based on, and is refused with a
  :class:`~caseaudit.errors.ConflictError` naming who saved in between, and when, if that is no
  longer the head: nobody's work is silently overwritten;
* a draft (what a form holds before it is saved) is appended to its own log whatever the head,
  and offered back only while it is still on top of the head it was kept on;
* the transaction is :func:`~caseaudit.store.connect.writing`'s, so a busy, read-only or damaged
  database is a StoreError with a message, never a raw database error; and a closed round refuses
  a form's or moderation's save inside it.

The checks (:mod:`caseaudit.store.checks`) run before the transaction opens, so a bad form or
moderation writes nothing and holds no lock while a person's mistakes are listed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import ConflictError, GradeError, RecordTakenError, StoreError
from ..framework import NOT_GRADED, Answer, Framework, answer_columns
from ..rounds import AuditRound
from .checks import form_context, kept
from .connect import reading, sentence, serialise, writing
from .events import assert_open
from .records import (
    ActionDraft,
    ActionUpdate,
    ActionUpdateSave,
    FormKey,
    FormSave,
    Moderation,
    ModerationDraft,
    ModerationSave,
    Revision,
)
from .schema import (
    action_drafts,
    action_heads,
    action_updates,
    form_heads,
    forms,
    grade_tallies,
    moderation_drafts,
    moderation_grades,
    moderation_heads,
    moderations,
    naive_utc,
    revisions,
    scores,
    stream_details,
    utcnow,
)


@dataclass(frozen=True)
class Log:
    """One kind of record kept as revisions: its log table, its head table, the columns naming
    one record (in both tables) and the log's primary key (which the head points at)."""

    revisions: sa.Table
    heads: sa.Table
    key: tuple[str, ...]
    revision_id: str


FORM_LOG = Log(revisions, form_heads, ("form_id",), "revision_id")
MODERATION_LOG = Log(moderations, moderation_heads, ("round_id", "case_id"), "moderation_id")
ACTION_LOG = Log(action_updates, action_heads, ("inspection_id", "action_id"), "update_id")


def head(conn: Connection, log: Log, key: Mapping[str, object]) -> sa.Row | None:
    """The record's latest revision (a row of its log), or ``None`` if it was never saved."""
    return conn.execute(
        sa.select(log.revisions)
        .join(log.heads, log.heads.c[log.revision_id] == log.revisions.c[log.revision_id])
        .where(*(log.heads.c[name] == key[name] for name in log.key))
    ).first()


def refuse_stale(current: sa.Row | None, based_on: int | None, subject: str,
                 theirs: str = "their grades") -> None:
    """Refuse a save based on anything but the record's latest revision (``None``: a new record).

    ``subject`` names the record in the message ("the moderation of case M-1 in round R"),
    ``theirs`` what reloading it shows.
    """
    latest = current.revision_no if current is not None else None
    if latest == based_on:
        return
    if current is None:
        raise StoreError(f"{sentence(subject)} has no saved revision {based_on}; "
                         "open it again.")
    raise ConflictError(subject, based_on, current.revision_no, current.saved_by,
                        current.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC"), theirs)


def append(conn: Connection, log: Log, key: Mapping[str, object], current: sa.Row | None,
           based_on: int | None, saved_at: datetime, values: Mapping[str, object],
           head_values: Mapping[str, object], subject: str) -> tuple[int, int, datetime]:
    """Append a revision on top of ``current`` (already checked by :func:`refuse_stale`) and move
    the head to it; return its id, number and time.

    A time earlier than the latest revision's (an import's clock behind the server's) is moved up
    to it, so that a record's history stays in time order for "as of" reads.
    """
    if current is not None and saved_at < current.saved_at:
        saved_at = current.saved_at
    revision_no = (current.revision_no if current is not None else 0) + 1
    revision_id = conn.execute(log.revisions.insert().values(
        **key, revision_no=revision_no, based_on=based_on, saved_at=saved_at, **values)
    ).inserted_primary_key[0]
    moved = {log.revision_id: revision_id, "revision_no": revision_no, **head_values}
    if current is None:
        conn.execute(log.heads.insert().values(**{name: key[name] for name in log.key}, **moved))
    else:
        count = conn.execute(log.heads.update()
                             .where(*(log.heads.c[name] == key[name] for name in log.key),
                                    log.heads.c.revision_no == current.revision_no)
                             .values(**moved)).rowcount
        if count != 1:  # pragma: no cover - guarded by the write lock (SQLite), serialise (PostgreSQL)
            raise StoreError(f"{sentence(subject)} changed while saving; reload it "
                             "and save again.")
    return revision_id, revision_no, saved_at


# -- forms ----------------------------------------------------------------------------------------

def save_forms(engine: Engine, audit: AuditRound, framework: Framework,
               checked: Sequence[tuple[FormSave, dict[str, Answer], dict[str, str], bool]]
               ) -> list[Revision]:
    """Append checked forms (each with its answers, notes, and whether its stream details' text
    is flagged) in one transaction, all or none."""
    what = (str(FormKey(audit.id, checked[0][0].case_id, checked[0][0].agency, checked[0][0].auditor))
            if len(checked) == 1 else f"the {len(checked)} forms of round {audit.id}")
    with writing(engine, what) as conn:
        assert_open(conn, audit.id)
        # by round and case: a new practice-week record's id is checked against other people's
        for case_id in sorted({save.case_id for save, *_ in checked}):
            serialise(conn, "form", audit.id, case_id)
        now = utcnow()
        return [_append_form(conn, audit, framework, save, answers, notes, flagged, now)
                for save, answers, notes, flagged in checked]


def _append_form(conn: Connection, audit: AuditRound, framework: Framework, save: FormSave,
                 answers: dict[str, Answer], notes: dict[str, str], flagged: bool,
                 now: datetime) -> Revision:
    key = FormKey(audit.id, save.case_id, save.agency, save.auditor)
    form_id = conn.execute(
        sa.select(forms.c.form_id).where(
            forms.c.round_id == key.round_id, forms.c.case_id == key.case_id,
            forms.c.agency == key.agency, forms.c.auditor == key.auditor)
    ).scalar()
    if form_id is not None and save.details is not None:
        _refuse_another_stream(conn, audit, form_id, save)
    if form_id is None and save.details is not None:
        _refuse_a_taken_id(conn, audit, framework, save)
    current = head(conn, FORM_LOG, {"form_id": form_id}) if form_id is not None else None
    refuse_stale(current, save.based_on, str(key))
    saved_at = naive_utc(save.saved_at) if save.saved_at is not None else now
    if form_id is None:
        form_id = conn.execute(forms.insert().values(
            round_id=key.round_id, case_id=key.case_id, agency=key.agency,
            auditor=key.auditor, created_at=saved_at)).inserted_primary_key[0]
    saved_by = save.saved_by or save.auditor
    revision_id, revision_no, saved_at = append(
        conn, FORM_LOG, {"form_id": form_id}, current, save.based_on, saved_at,
        {"status": save.status, "framework_id": framework.id,
         "framework_version": framework.version, "saved_by": saved_by},
        {"round_id": key.round_id, "status": save.status}, str(key))
    rows = []
    for cid in sorted(set(answers) | set(notes)):
        grade, not_applicable = answer_columns(answers.get(cid, NOT_GRADED))
        rows.append({"revision_id": revision_id, "criterion_id": cid, "grade": grade,
                     "not_applicable": not_applicable, "note": notes.get(cid, "")})
    if rows:
        conn.execute(scores.insert(), rows)
    details = save.details
    if details is not None:
        day = details.event_date
        details = dataclasses.replace(details, text=kept(details.text), event_date=(
            day.date() if isinstance(day, datetime) else day))
        conn.execute(stream_details.insert().values(
            revision_id=revision_id, **dataclasses.asdict(details), flagged=flagged))
    _tally(conn, key, current, save.status, answers)
    return Revision(key, revision_no, save.status, framework.id, framework.version, saved_by,
                    saved_at, save.based_on, dict(answers), dict(notes), details,
                    flagged if details is not None else False)


def _refuse_another_stream(conn: Connection, audit: AuditRound, form_id: int,
                           save: FormSave) -> None:
    """A record keeps the stream it was first saved in: an observation saved again as feedback
    would move its answers between the week's streams. Checked inside the save's transaction,
    before anything is written, since only the store knows the record's first stream."""
    assert save.details is not None
    first = conn.execute(
        sa.select(stream_details.c.stream_id)
        .join(revisions, revisions.c.revision_id == stream_details.c.revision_id)
        .where(revisions.c.form_id == form_id).order_by(revisions.c.revision_no).limit(1)
    ).scalar()
    if first is not None and first != save.details.stream_id:
        raise GradeError([f"{save.case_id} is a {first.replace('_', ' ')} record, and a record keeps "
                          f"its stream; save the {save.details.stream_id.replace('_', ' ')} as a "
                          f"new record of its own, with its stream's next id"],
                         context=form_context(save, audit.kind))


def _refuse_a_taken_id(conn: Connection, audit: AuditRound, framework: Framework,
                       save: FormSave) -> None:
    """A new observation or feedback record may not take an id another person's record of the
    week holds (the form key includes who records it, so the key alone would let both in, and
    the week would list OBS-007 twice). A collaborative case audit is named by its case, which
    several agencies' leads may audit, so it is left alone. Checked inside the save's transaction,
    where two simultaneous new records are serialised."""
    assert save.details is not None
    stream = framework.streams_by_id.get(save.details.stream_id)
    if stream is None or stream.kind == "case audit":
        return
    holder = conn.execute(
        sa.select(forms.c.auditor).where(forms.c.round_id == audit.id,
                                         forms.c.case_id == save.case_id).limit(1)).scalar()
    if holder is not None:
        raise RecordTakenError([f"{save.case_id} is already {holder}'s record in this week; save "
                                "yours under the stream's next free id (the practice week's form "
                                "does this for you)"], context=form_context(save, audit.kind))


def _tally(conn: Connection, key: FormKey, current: sa.Row | None, status: str,
           answers: Mapping[str, Answer]) -> None:
    """Move the form's answers in grade_tallies from its previous revision to this one.

    The tally's key cannot hold NULL, so a not-applicable answer is counted under grade 0 (beside
    its ``not_applicable`` flag, which is all a reader looks at); only this function knows.
    """
    delta: dict[tuple[str, str, bool, int], int] = {}
    if current is not None:
        old = conn.execute(sa.select(scores.c.criterion_id, scores.c.grade, scores.c.not_applicable)
                           .where(scores.c.revision_id == current.revision_id)).all()
        for cid, grade, not_applicable in old:
            if grade is not None or not_applicable:
                k = (current.status, cid, bool(not_applicable), 0 if not_applicable else grade)
                delta[k] = delta.get(k, 0) - 1
    for cid, answer in answers.items():
        grade, not_applicable = answer_columns(answer)
        if grade is None and not not_applicable:
            continue
        k = (status, cid, not_applicable, 0 if not_applicable else grade)
        delta[k] = delta.get(k, 0) + 1
    rows = [{"round_id": key.round_id, "status": st, "criterion_id": cid,
             "agency": key.agency, "not_applicable": na, "grade": grade, "count": n}
            for (st, cid, na, grade), n in sorted(delta.items()) if n]  # one lock order: no deadlock
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


# -- moderations ----------------------------------------------------------------------------------

def _moderation_subject(round_id: str, case_id: str) -> str:
    return f"the moderation of case {case_id} in round {round_id}"


def save_moderations(engine: Engine, audit: AuditRound, framework: Framework,
                     checked: Sequence[ModerationSave]) -> list[Moderation]:
    """Append checked moderations (grades and overall as answers, text cleaned) in one
    transaction, all or none."""
    what = (_moderation_subject(audit.id, checked[0].case_id) if len(checked) == 1
            else f"the {len(checked)} moderations of round {audit.id}")
    with writing(engine, what) as conn:
        assert_open(conn, audit.id)
        for case_id in sorted({save.case_id for save in checked}):
            serialise(conn, "moderation", audit.id, case_id)
        now = utcnow()
        return [_append_moderation(conn, audit, framework, save, now) for save in checked]


def _append_moderation(conn: Connection, audit: AuditRound, framework: Framework,
                       save: ModerationSave, now: datetime) -> Moderation:
    key = {"round_id": audit.id, "case_id": save.case_id}
    subject = _moderation_subject(audit.id, save.case_id)
    current = head(conn, MODERATION_LOG, key)
    refuse_stale(current, save.based_on, subject)
    overall: Answer = save.overall  # type: ignore[assignment]
    moderation_id, revision_no, saved_at = append(
        conn, MODERATION_LOG, key, current, save.based_on,
        naive_utc(save.saved_at) if save.saved_at is not None else now,
        {"framework_id": framework.id, "framework_version": framework.version,
         "overall_grade": answer_columns(overall)[0], "strengths": save.strengths,
         "development": save.development, "themes": json.dumps(list(save.themes)),
         "saved_by": save.saved_by}, {}, subject)
    grades: dict[str, Answer] = dict(save.grades)  # type: ignore[arg-type]
    rows = []
    for cid, answer in grades.items():
        grade, not_applicable = answer_columns(answer)
        rows.append({"moderation_id": moderation_id, "criterion_id": cid, "grade": grade,
                     "not_applicable": not_applicable, "rationale": save.rationales.get(cid, "")})
    if rows:
        conn.execute(moderation_grades.insert(), rows)
    return Moderation(audit.id, save.case_id, revision_no, grades,
                      {cid: text for cid, text in save.rationales.items() if cid in grades},
                      overall, save.strengths, save.development, list(save.themes),
                      save.saved_by, saved_at, save.based_on)


# -- drafts ---------------------------------------------------------------------------------------

def keep_draft(engine: Engine, table: sa.Table, key: Mapping[str, object], based_on: int | None,
               state: Mapping[str, Any], saved_by: str, what: str,
               guard: Callable[[Connection], None] | None = None) -> datetime:
    """Append what a form holds, unchecked, to its draft log ``table`` (it is not the record
    until saved). It is kept whatever the head, and judged against it when read back; ``guard``
    may refuse it inside the transaction (a closed round). Returns when it was kept."""
    when = utcnow()
    with writing(engine, what) as conn:
        if guard is not None:
            guard(conn)
        conn.execute(table.insert().values(
            **key, based_on=based_on, state=json.dumps(dict(state), sort_keys=True),
            saved_by=saved_by, saved_at=when))
    return when


def latest_draft(engine: Engine, table: sa.Table, log: Log, key: Mapping[str, object]
                 ) -> sa.Row | None:
    """The record's latest draft, if it was kept on top of the record's current revision: a draft
    built on an older revision was overtaken by a save (which holds what it held, or replaced it)
    and is not offered."""
    with reading(engine) as conn:
        current = head(conn, log, key)
        row = conn.execute(sa.select(table).where(*(table.c[name] == key[name] for name in key))
                           .order_by(table.c.draft_id.desc()).limit(1)).first()
    if row is None or row.based_on != (current.revision_no if current is not None else None):
        return None
    return row


def save_moderation_draft(engine: Engine, round_id: str, case_id: str, based_on: int | None,
                          state: Mapping[str, Any], saved_by: str) -> ModerationDraft:
    """Keep what the meeting's form holds (refused, like a save, in a closed round)."""
    when = keep_draft(engine, moderation_drafts, {"round_id": round_id, "case_id": case_id},
                      based_on, state, saved_by,
                      f"the draft of the moderation of case {case_id}",
                      lambda conn: assert_open(conn, round_id))
    return ModerationDraft(round_id, case_id, based_on, dict(state), saved_by, when)


def moderation_draft(engine: Engine, round_id: str, case_id: str) -> ModerationDraft | None:
    """The case's latest draft, if still on top of its current moderation (see
    :func:`latest_draft`)."""
    row = latest_draft(engine, moderation_drafts, MODERATION_LOG,
                       {"round_id": round_id, "case_id": case_id})
    if row is None:
        return None
    return ModerationDraft(round_id, case_id, row.based_on, json.loads(row.state),
                           row.saved_by, row.saved_at)


# -- action updates -------------------------------------------------------------------------------

def action_subject(inspection_id: str, action_id: str) -> str:
    """How messages name an action's updates."""
    return f"the progress of action {action_id} (inspection {inspection_id})"


def save_action_update(engine: Engine, save: ActionUpdateSave, flagged: bool) -> ActionUpdate:
    """Append a checked update (:func:`~caseaudit.store.checks.check_action_update`) as the
    action's next revision, refusing it if someone saved since ``save.based_on``."""
    key = {"inspection_id": save.inspection_id, "action_id": save.action_id}
    subject = action_subject(save.inspection_id, save.action_id)
    assert save.recorded_on is not None  # the checks refuse an update without its date
    with writing(engine, subject) as conn:
        serialise(conn, "action", save.inspection_id, save.action_id)
        current = head(conn, ACTION_LOG, key)
        refuse_stale(current, save.based_on, subject, "their update")
        _, revision_no, saved_at = append(
            conn, ACTION_LOG, key, current, save.based_on,
            naive_utc(save.saved_at) if save.saved_at is not None else utcnow(),
            {"status": save.status, "recorded_on": save.recorded_on, "narrative": save.narrative,
             "evidence": save.evidence, "flagged": flagged, "saved_by": save.saved_by}, {},
            subject)
    return ActionUpdate(save.inspection_id, save.action_id, revision_no, save.status,
                        save.recorded_on, save.narrative, save.evidence, save.saved_by, saved_at,
                        flagged, save.based_on)


def save_action_draft(engine: Engine, inspection_id: str, action_id: str, based_on: int | None,
                      state: Mapping[str, Any], saved_by: str) -> ActionDraft:
    """Keep what the update form holds for an action, unchecked: a closed laptop or a dropped
    connection loses nothing."""
    when = keep_draft(engine, action_drafts,
                      {"inspection_id": inspection_id, "action_id": action_id}, based_on, state,
                      saved_by, f"the draft of {action_subject(inspection_id, action_id)}")
    return ActionDraft(inspection_id, action_id, based_on, dict(state), saved_by, when)


def action_draft(engine: Engine, inspection_id: str, action_id: str) -> ActionDraft | None:
    """The action's latest draft, if still on top of its latest update (see
    :func:`latest_draft`)."""
    row = latest_draft(engine, action_drafts, ACTION_LOG,
                       {"inspection_id": inspection_id, "action_id": action_id})
    if row is None:
        return None
    return ActionDraft(inspection_id, action_id, row.based_on, json.loads(row.state),
                       row.saved_by, row.saved_at)
