"""A round's committee report from the store: what the report notebook calls.

The notebook stays a few lines: it names the round, the rounds to compare, the as-of time and
the output, and this module reads the results (:func:`caseaudit.results.round_results`, cached
like the dashboards') and hands them to :mod:`.content`. The checks of what a person typed are
here too, for the command line to run before any kernel starts, so this module imports pandas,
SQLAlchemy and the charts only when a report is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from .. import settings, times
from ..errors import WorkbookError
from ..rounds import AuditRound, load_round, load_rounds
from .model import Report


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
    rounds = load_rounds(audits)  # every round: the history of trends, agreement and themes
    store = open_store(database, create=False)
    try:
        results = round_results(store, audit, rounds, moment)
    finally:
        store.dispose()
    return build_report(results, audit, [o.id for o in others],
                        partnership=partnership_name(partnership),
                        today=today or datetime.now(UTC).date(), threshold=threshold)
