"""A round's committee report from the store: what the report notebook calls.

The notebook stays a few lines: it names the round, the rounds to compare, the as-of time and
the output, and this module reads the results (:func:`caseaudit.results.round_results`, cached
like the dashboards') and hands them to :mod:`.content`. The checks of what a person typed are
here too, for the command line to run before any kernel starts, so this module imports pandas,
SQLAlchemy and the charts only when a report is built.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .. import settings, times
from ..errors import WorkbookError
from ..practice_week import PRACTICE_WEEK, without_practice_weeks
from ..rounds import AuditRound, load_round, load_rounds
from .model import Report

if TYPE_CHECKING:

    from ..action_plan import ActionPlan
    from ..inspection import Inspection
    from ..store import Store


def parse_as_of(text: str | None) -> datetime | None:
    """An ``--as-of`` value as :func:`caseaudit.times.parse_as_of` reads it, as a naive UTC time
    (the report's provenance writes it without an offset); ``None`` or blank for now."""
    moment = times.parse_as_of(text)
    return None if moment is None else moment.replace(tzinfo=None)


def partnership_name(name: str | None = None) -> str:
    """The partnership the report is for: ``name``, else the setting (:data:`settings.PARTNERSHIP_ENV`)."""
    return (name or "").strip() or settings.partnership_name()


def load_report_rounds(round_id: str, compare: Sequence[str] = (),
                       audits: str | Path | None = None) -> tuple[AuditRound, list[AuditRound]]:
    """The round and the rounds to compare it with (oldest first), read alone (a large round's
    case list takes a moment): refused with a sentence when a compared round is the round itself
    or scores against another framework, whose criteria are not the same questions."""
    audit = load_round(round_id, audits)
    if audit.kind == PRACTICE_WEEK:
        raise WorkbookError(f"Round {audit.id} is a practice week: the committee report reads a "
                            "case audit's forms, and a practice week's report is laid out by "
                            f"stream (practice_week_report, or caseaudit report --round {audit.id}).")
    others = [load_round(r, audits) for r in dict.fromkeys(compare)]
    for other in others:
        if other.id == audit.id:
            raise WorkbookError(f"--compare names the report's own round {audit.id}; compare it "
                                "with another round.")
        if (other.period.start, other.id) > (audit.period.start, audit.id):
            raise WorkbookError(f"--compare takes earlier rounds: {other.id} started after "
                                f"{audit.id}. Report on {other.id} and compare it with "
                                f"{audit.id} instead.")
        if other.framework.id != audit.framework.id:
            raise WorkbookError(f"Round {other.id} scores against framework {other.framework.id}, "
                                f"round {audit.id} against {audit.framework.id}: their criteria "
                                "are not the same questions, so they cannot be compared.")
    return audit, sorted(others, key=lambda r: (r.period.start, r.id))


def committee_report(round_id: str, compare: Sequence[str] = (), as_of: str | datetime | None = None,
                     database: str | None = None, audits: str | Path | None = None,
                     partnership: str | None = None, today: date | None = None,
                     threshold: int | None = None) -> Report:
    """The committee report of ``round_id``, set beside the ``compare`` rounds, with forms read
    ``as_of`` a time (text as :func:`parse_as_of` reads it, or a datetime).

    Example
    -------
    >>> report = committee_report("2026-03-maca", compare=["2025-12-maca"])  # doctest: +SKIP
    >>> write_report(report, "docx", "committee.docx")  # doctest: +SKIP
    """
    from ..results import round_results
    from ..store import open_store
    from .content import build_report

    moment = as_of if isinstance(as_of, datetime) or as_of is None else parse_as_of(as_of)
    audit, others = load_report_rounds(round_id, compare, audits)
    # every case audit: the history of trends, agreement and themes
    rounds, _ = without_practice_weeks(load_rounds(audits))
    store = open_store(database, create=False)
    try:
        results = round_results(store, audit, rounds, moment)
    finally:
        store.dispose()
    return build_report(results, audit, [o.id for o in others],
                        partnership=partnership_name(partnership),
                        today=today or datetime.now(UTC).date(), threshold=threshold)


def inspections_folder(inspections: str | Path | None = None,
                       audits: str | Path | None = None) -> Path:
    """The folder of inspections a report reads: ``inspections``, else the setting
    (``CASEAUDIT_INSPECTIONS``), else the folder beside the rounds the report was pointed at
    (``--audits data/demo/audits`` reads ``data/demo/inspections``), as the settings place it."""
    if inspections is not None or os.environ.get(settings.INSPECTIONS_ENV) or audits is None:
        return settings.inspections_dir(inspections)
    return settings.audits_dir(audits).parent / "inspections"


def load_report_inspection(inspection_id: str | None, inspections: str | Path | None = None,
                           audits: str | Path | None = None) -> tuple[Inspection, ActionPlan]:
    """The inspection a progress report is on (the latest when ``None``) and its action plan,
    read alone, so an unknown inspection or a missing or broken plan is said in a sentence
    before any kernel starts or any store is opened."""
    from ..action_plan import load_plan
    from ..errors import NotFoundError
    from ..inspection import list_inspection_ids, load_inspection

    folder = inspections_folder(inspections, audits)
    if inspection_id is None:
        known = list_inspection_ids(folder)
        if not known:
            raise NotFoundError(f"There is no inspection in {folder}. Set "
                                f"{settings.INSPECTIONS_ENV} if your inspections are kept elsewhere.")
        inspection_id = known[-1]  # ids open with the year and month: the latest sorts last
    inspection = load_inspection(inspection_id, folder)
    return inspection, load_plan(inspection, inspections=folder, audits=audits)


def inspection_report(inspection_id: str | None = None, as_of: str | datetime | None = None,
                      database: str | None = None, audits: str | Path | None = None,
                      inspections: str | Path | None = None, partnership: str | None = None,
                      today: date | None = None, threshold: int | None = None) -> Report:
    """The progress report on ``inspection_id``'s action plan for the scrutiny committee: its
    implementation and its impact as the audits measure it, with forms and updates read
    ``as_of`` a time (text as :func:`parse_as_of` reads it, or a datetime).

    Progress is counted against ``today`` (else the day of ``as_of``, so a report as it stood
    says what was overdue then, else :func:`caseaudit.settings.today`), which is also the
    report's date.

    Example
    -------
    >>> report = inspection_report("2026-02-jtai")  # doctest: +SKIP
    >>> write_report(report, "docx", "progress.docx")  # doctest: +SKIP
    """
    from ..findings import pages_of_rounds
    from ..review import inspection_review
    from ..store import open_store
    from .inspection import build_inspection_report

    moment = as_of if isinstance(as_of, datetime) or as_of is None else parse_as_of(as_of)
    inspection, _ = load_report_inspection(inspection_id, inspections, audits)
    day = today or (moment.date() if moment is not None else settings.today())
    store = open_store(database, create=False)
    try:
        review = inspection_review(store, inspection.id,
                                   inspections=inspections_folder(inspections, audits),
                                   audits=audits, today=day, as_of=moment)
        pages = pages_of_rounds(store, review.rounds, audits, moment)
    finally:
        store.dispose()
    return build_inspection_report(review, partnership=partnership_name(partnership),
                                   threshold=threshold, pages=pages)


def load_practice_week(round_id: str, compare: Sequence[str] = (),
                       audits: str | Path | None = None) -> AuditRound | None:
    """Round ``round_id`` when it is a practice week (``None`` for a case audit, whose report
    is the committee report), refused with a sentence when ``compare`` names rounds: a week is
    compared with the last week of the same theme, which its summary finds itself."""
    audit = load_round(round_id, audits)
    if audit.kind != PRACTICE_WEEK:
        return None
    if compare:
        raise WorkbookError(f"Round {audit.id} is a practice week: its report compares it with the "
                            "last practice week of the same theme itself; leave out --compare.")
    return audit


def check_week_saved(store: Store, audit: AuditRound, as_of: datetime | None) -> None:
    """Refuse, in a sentence, a report on a practice week nothing of which had been saved (by
    ``as_of``, or at all): every figure would be an empty stream."""
    if len(store.stream_records(audit.id, as_of=as_of, status=None)):
        return
    if as_of is not None:
        raise WorkbookError(f"Nothing of practice week {audit.id} had been saved by {as_of:%H:%M} "
                            f"UTC on {times.long_date(as_of.date())}; give a later --as-of, or "
                            "leave it out for the week as it stands now.")
    raise WorkbookError(f"Nothing of practice week {audit.id} has been saved yet; record the "
                        "week's audits, observations or feedback first (the practice-week forms).")


def practice_week_report(round_id: str, as_of: str | datetime | None = None,
                         database: str | None = None, audits: str | Path | None = None,
                         inspections: str | Path | None = None, partnership: str | None = None,
                         today: date | None = None, threshold: int | None = None) -> Report:
    """The report of practice week ``round_id`` laid out by stream, with its records read
    ``as_of`` a time (text as :func:`parse_as_of` reads it, or a datetime), compared with the last
    week of the same theme, and the actions of any inspection's plan (in ``inspections``, see
    :func:`inspections_folder`) that answer its areas for development, with their status then.

    Example
    -------
    >>> report = practice_week_report("2026-05-practice-week")  # doctest: +SKIP
    >>> write_report(report, "pdf", "practice-week.pdf")  # doctest: +SKIP
    """
    from ..plan_links import actions_answering
    from ..practice_week_summary import practice_week_summary
    from ..rounds import scan_rounds
    from ..store import open_store
    from .practice_week import build_practice_week_report

    moment = as_of if isinstance(as_of, datetime) or as_of is None else parse_as_of(as_of)
    audit = load_practice_week(round_id, audits=audits)
    if audit is None:
        raise WorkbookError(f"Round {round_id} is a case audit, not a practice week: its report is "
                            "the committee report (committee_report).")
    store = open_store(database, create=False)
    try:
        check_week_saved(store, audit, moment)
        summary = practice_week_summary(store, audit, moment, scan_rounds(audits).rounds)
        links, unread = actions_answering(store, audit,
                                          inspections=inspections_folder(inspections, audits),
                                          audits=audits, as_of=moment, today=today)
    finally:
        store.dispose()
    return build_practice_week_report(summary, audit, links, unread,
                                      partnership=partnership_name(partnership),
                                      today=today or datetime.now(UTC).date(), threshold=threshold)
