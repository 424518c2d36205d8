"""The :class:`Store`: the one object the rest of the workbook holds to save and read.

Each method hands over to the module that does the work (:mod:`.checks`, :mod:`.revisions`,
:mod:`.events`, :mod:`.reads`), so this file is the store's table of contents.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from ..action_plan import ActionPlan
from ..framework import Framework
from ..rounds import AuditRound
from . import events, judgements, reads, revisions
from .checks import check_action_update, check_form, check_moderation, stream_flagged
from .connect import open_engine
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
from .schema import ensure_schema, schema_version


class Store:
    """The workbook's database. Open one with :func:`open_store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url

    def dispose(self) -> None:
        """Close pooled connections (a store is cheap to reopen)."""
        self.engine.dispose()

    def schema_version(self) -> int | None:
        """The schema version recorded in the database, or ``None`` if it has no workbook tables."""
        return schema_version(self.engine)

    # -- saving forms -----------------------------------------------------------------------------

    def save_form(self, audit: AuditRound, framework: Framework, save: FormSave) -> Revision:
        """Check a form and append a revision of it, refusing it if someone saved since
        ``save.based_on`` (the revision number the auditor opened; ``None`` for a new form).

        Raises
        ------
        GradeError
            the form does not fit the round or framework; nothing written.
        ConflictError
            another save happened in between; nothing written. It names who and when.
        RoundLockedError
            the round is closed: its forms and moderations are final; nothing written.
        StoreError
            the database could not take the save (busy, read-only, damaged); nothing written.
        """
        return self.save_forms(audit, framework, [save])[0]

    def save_forms(self, audit: AuditRound, framework: Framework,
                   saves: Iterable[FormSave]) -> list[Revision]:
        """Check several forms and append them in one transaction: all are saved, or none (an
        import or the synthetic generator, where a half-imported file is worse than none)."""
        checked = [(save, *check_form(audit, framework, save), stream_flagged(save.details))
                   for save in saves]
        return revisions.save_forms(self.engine, audit, framework, checked) if checked else []

    # -- saving moderations -----------------------------------------------------------------------

    def save_moderation(self, audit: AuditRound, framework: Framework,
                        save: ModerationSave) -> Moderation:
        """Check a case's moderation and append a revision of it, refusing it if someone saved the
        case's moderation since ``save.based_on``.

        Raises
        ------
        GradeError
            the moderation does not fit the round or framework (a
            :class:`~caseaudit.store.checks.ModerationRefused` naming each criterion's problem);
            nothing written.
        ConflictError, RoundLockedError, StoreError
            as for :meth:`save_form`.
        """
        return self.save_moderations(audit, framework, [save])[0]

    def save_moderations(self, audit: AuditRound, framework: Framework,
                         saves: Iterable[ModerationSave]) -> list[Moderation]:
        """Check several moderations and append them in one transaction, all or none.

        Each is checked against the agencies' submitted grades for its case (a rationale is needed
        where the agreed grade differs); one case's are read alone, a batch's in one read of the
        round.
        """
        saves = list(saves)
        if not saves:
            return []
        if len(saves) == 1:
            submitted = self.current_responses(audit.id, status="submitted",
                                               case_id=saves[0].case_id)
        else:
            submitted = self.current_responses(audit.id, status="submitted")
        by_case = dict(tuple(submitted.groupby("case_id", sort=False, observed=True)))
        empty = submitted.iloc[0:0]
        checked = [check_moderation(audit, framework, save, by_case.get(save.case_id, empty))
                   for save in saves]
        return revisions.save_moderations(self.engine, audit, framework, checked)

    def save_moderation_draft(self, round_id: str, case_id: str, based_on: int | None,
                              state: Mapping[str, Any], saved_by: str) -> ModerationDraft:
        """Keep what the meeting's form holds, unchecked, so a closed laptop or a dropped
        connection loses nothing (refused, like a save, in a closed round)."""
        return revisions.save_moderation_draft(self.engine, round_id, case_id, based_on, state,
                                               saved_by)

    def moderation_draft(self, round_id: str, case_id: str) -> ModerationDraft | None:
        """The case's latest draft, unless a moderation was saved after it (the save holds what
        the draft held, or overtook it): drafts built on an older revision are not offered."""
        return revisions.moderation_draft(self.engine, round_id, case_id)

    # -- progress on an inspection's actions --------------------------------------------------------

    def save_action_update(self, plan: ActionPlan, save: ActionUpdateSave) -> ActionUpdate:
        """Check a progress update against the action plan and append it as the action's next
        revision, refusing it if someone updated the action since ``save.based_on``. Text that
        looks like personal data is saved and flagged (``flagged``), as an evidence note is.

        Raises
        ------
        UpdateRefused
            an action the plan does not have, a status off the list, a date missing or in the
            future, text too long, nobody named; nothing written.
        ConflictError
            another update was saved in between; nothing written. It names who and when.
        StoreError
            the database could not take the save (busy, read-only, damaged); nothing written.
        """
        checked, flagged = check_action_update(plan, save)
        return revisions.save_action_update(self.engine, checked, flagged)

    def action_history(self, inspection_id: str, action_id: str) -> list[ActionUpdate]:
        """Every update of one action, oldest first, narrative and all (for the update form and
        the QA lead's notebook)."""
        return reads.action_history(self.engine, inspection_id, action_id)

    def action_statuses(self, inspection_id: str, as_of: datetime | None = None) -> pd.DataFrame:
        """The latest update of each updated action of the inspection, now or as it stood ``as_of``
        a time: ``action_id, revision_no, status, recorded_on, saved_by, saved_at, flagged``
        (dates as pandas datetimes). No narrative: it never leaves the form and the QA lead's
        notebook. An action never updated has no row (it has "not started")."""
        return reads.action_statuses(self.engine, inspection_id, as_of)

    def save_action_draft(self, inspection_id: str, action_id: str, based_on: int | None,
                          state: Mapping[str, Any], saved_by: str) -> ActionDraft:
        """Keep what the update form holds, unchecked, so a closed laptop or a dropped connection
        loses nothing; nothing reads it but the form."""
        return revisions.save_action_draft(self.engine, inspection_id, action_id, based_on, state,
                                           saved_by)

    def action_draft(self, inspection_id: str, action_id: str) -> ActionDraft | None:
        """The action's latest draft, unless an update was saved after it (drafts built on an
        older update are not offered)."""
        return revisions.action_draft(self.engine, inspection_id, action_id)

    # -- closing a round --------------------------------------------------------------------------

    def round_locked(self, round_id: str) -> bool:
        """True while the round is closed (its forms and moderations are final)."""
        return events.round_locked(self.engine, round_id)

    def close_round(self, round_id: str, by: str, reason: str = "") -> None:
        """Close a round: its forms and moderations are final until it is reopened."""
        events.record_event(self.engine, round_id, "close", by, reason)

    def reopen_round(self, round_id: str, by: str, reason: str) -> None:
        """Reopen a closed round; who and why are recorded, so a reason is required."""
        events.record_event(self.engine, round_id, "reopen", by, reason)

    def round_history(self, round_id: str) -> pd.DataFrame:
        """Every close and reopen of a round, oldest first, with who, when and why."""
        return events.round_history(self.engine, round_id)

    # -- reading forms ----------------------------------------------------------------------------

    def last_change(self) -> tuple[int, ...]:
        """A cheap marker that changes whenever anything results depend on is saved (a form or
        moderation revision, a round closed or reopened; not a moderation draft): results cached
        under it are still right while it is unchanged."""
        return reads.last_change(self.engine)

    def current_responses(self, round_id: str | None = None, as_of: datetime | None = None,
                          status: str | None = None, case_id: str | None = None) -> pd.DataFrame:
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
        return reads.current_responses(self.engine, round_id, as_of, status, case_id)

    def grade_counts(self, round_id: str | None = None, status: str | None = "submitted",
                     as_of: datetime | None = None) -> pd.DataFrame:
        """How many current scores each grade has, by round, criterion and agency.

        Now, it reads the tallies every save keeps up to date; as of a past time, the database
        counts the revisions current then (a GROUP BY over the log). Either way a million scores
        are never pulled into Python. Like every frame of answers, a row holds ``grade`` and
        ``not_applicable`` (a not-applicable row's grade is ``<NA>``).
        """
        return reads.grade_counts(self.engine, round_id, status, as_of)

    def form_history(self, round_id: str, case_id: str, agency: str, auditor: str) -> list[Revision]:
        """Every revision of one form, oldest first, with its answers and notes (and a
        practice-week record's details, text and all)."""
        return reads.form_history(self.engine, FormKey(round_id, case_id, agency, auditor))

    def latest_revision(self, round_id: str, case_id: str, agency: str, auditor: str
                        ) -> Revision | None:
        """The current revision of one form, or ``None`` if it was never saved."""
        history = self.form_history(round_id, case_id, agency, auditor)
        return history[-1] if history else None

    def stream_records(self, round_id: str, as_of: datetime | None = None,
                       status: str | None = "submitted") -> pd.DataFrame:
        """One row per current record of a practice week's streams, now or ``as_of`` a time;
        ``status`` ``None`` keeps drafts too: ``record_id, stream_id, agency, auditor, status,
        revision_no, practitioner, event_kind, event_date, feedback_given, respondent, consent,
        flagged``. No text: it never leaves the form and the QA lead's notebook. The answers are
        :meth:`current_responses`, whose ``case_id`` is the ``record_id``."""
        return reads.stream_records(self.engine, round_id, as_of, status)

    def form_statuses(self, round_id: str | None = None, as_of: datetime | None = None,
                      case_id: str | None = None) -> pd.DataFrame:
        """One row per saved form with its status and revision number, now or as of a time;
        ``case_id`` narrows it to one case (the scoring form refreshes one case per save)."""
        return reads.form_statuses(self.engine, round_id, as_of, case_id)

    def form_counts(self, round_id: str, by: str = "auditor") -> pd.DataFrame:
        """How many current forms each auditor (or agency, ``by``) has in each status, counted
        in the database: ``by, status, count``."""
        return reads.form_counts(self.engine, round_id, by)

    def stream_counts(self, round_id: str) -> pd.DataFrame:
        """How many current records of a practice week each stream has in each status (and how
        many were declined), counted in the database: ``stream_id, status, count, declined``."""
        return reads.stream_counts(self.engine, round_id)

    def record_ids(self, round_id: str) -> set[str]:
        """Every record id saved in a round by anyone, drafts included (from the list of who
        holds which record, which every account may read)."""
        return reads.record_ids(self.engine, round_id)

    def round_ids(self) -> list[str]:
        """Rounds that have at least one saved form."""
        return reads.round_ids(self.engine)

    # -- reading moderations ----------------------------------------------------------------------

    def moderation_history(self, round_id: str, case_id: str) -> list[Moderation]:
        """Every revision of a case's moderation, oldest first."""
        return reads.moderation_history(self.engine, round_id, case_id)

    def moderation_heads(self, round_ids: Sequence[str] | None = None,
                         as_of: datetime | None = None) -> pd.DataFrame:
        """One row per moderated case: its current revision number, overall grade, themes (a JSON
        list) and how many criteria it has ``agreed`` (a grade or not applicable), without the
        per-criterion grades, so listing a round, and telling complete moderations from partial
        ones, is one cheap query. ``as_of`` a past time, each case's latest moderation saved by
        then (a case moderated later is not listed)."""
        return reads.moderation_heads_frame(self.engine, round_ids, as_of)

    def current_moderations(self, round_id: str | None = None) -> pd.DataFrame:
        """The current moderated answer per case and criterion, as a tidy frame (a moderation
        with no grades yet appears once, with an empty criterion)."""
        return reads.current_moderations(self.engine, round_id)

    def judgement_counts(self, round_id: str, framework: Framework,
                         as_of: datetime | None = None) -> pd.DataFrame:
        """Good-or-better counts of a round on the best grade each case has: the meeting's
        agreed answer for a case and criterion where there is one, its submitted agency grades
        otherwise. One row per criterion, per domain and one ``overall``: ``level``, ``key``
        (criterion id, domain id, "overall"), ``basis`` ("moderated", "agency grades" or "mixed"),
        ``n`` (judgements that are a grade), ``good``, ``not_applicable`` and ``cases`` (distinct
        cases with a grade). Counted by the database, now or ``as_of`` a time (forms and
        moderations alike)."""
        return judgements.judgement_counts(self.engine, round_id, framework, as_of)

    def case_judgements(self, round_id: str, framework: Framework,
                        as_of: datetime | None = None) -> pd.DataFrame:
        """The same judgements per case and domain (``case_id``, ``domain_id``, ``n``, ``good``,
        ``not_applicable``): what a breakdown by the cases' attributes adds up, a row per case
        and domain rather than per score."""
        return judgements.case_judgements(self.engine, round_id, framework, as_of)

    def moderated_pair_counts(self, round_id: str, exclude_cases: Sequence[str] = (),
                              as_of: datetime | None = None) -> pd.DataFrame:
        """How many submitted agency grades meet each moderated grade: one row per criterion,
        agency, auditor, agency grade and moderated grade, with its ``count`` (not-applicable on
        either side left out). ``exclude_cases`` leaves out cases whose moderation is not finished
        (few at any time, so the list stays short).

        Agreement with the meeting depends only on these counts, so the database does the
        pairing and counting and a round of thousands of cases comes back as a few thousand rows.
        ``as_of`` a past time, the moderations and forms as they stood then.
        """
        return reads.moderated_pair_counts(self.engine, round_id, exclude_cases, as_of)


def open_store(url: str | os.PathLike[str] | None = None, create: bool = False) -> Store:
    """Open the workbook database: ``url``, else ``CASEAUDIT_DB``, else data/workbook.db.

    ``url`` may be a file path or a SQLAlchemy URL (``postgresql://...``). Only ``create=True``
    (``caseaudit init``, ``caseaudit demo-data``, a test's fresh store) makes a new database: a
    typo in ``CASEAUDIT_DB`` must not quietly start an empty workbook and import into it. An
    SQLite database written by an older workbook is upgraded in place, keeping every revision; an
    older PostgreSQL one is refused until its owner runs ``caseaudit upgrade-db``.

    An SQLite file is checked before anything else touches it: that it is a workbook, and that
    SQLite's quick check finds no damage.

    Raises
    ------
    StoreError
        there is no database there (saying how to make one), the file is empty, damaged, not a
        database or not a workbook, it was written by a newer workbook (or is an older
        PostgreSQL one), or the URL names a
        database the workbook does not run on or whose driver is not installed.
    """
    engine = open_engine(url, create)
    try:
        ensure_schema(engine, create)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
