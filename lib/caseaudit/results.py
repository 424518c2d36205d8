"""One results object per round: everything a view shows of a round, computed once.

Data flows one way: the store's frames (:mod:`caseaudit.frames`) go through the analyses into a
:class:`RoundResults`, and every view (the overview dashboard, the agreement notebook, later the
committee report) renders that object through :mod:`caseaudit.disclosure`. Nothing here draws.

A round's results are cached under the store's last change (:meth:`Store.last_change`), so a
second viewer, a switch back to a round or a report after the dashboard costs one small read. The
cache lives in this process and on disk, because every Voila page view is a kernel process of its
own: beside a SQLite database (``demo.db.cache/``), or in ``CASEAUDIT_CACHE``, created readable by
its owner only. An entry is keyed by the database, the round (and the rounds before it, as their
files say), ``as_of``, the store's marker and this code's version; a superseded entry is removed
when its replacement is written, and an entry that cannot be read is computed again, never an
error.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import tempfile
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import settings
from .agreement import agreement_over_rounds, agreement_tables, double_scoring, pairs_from_counts
from .analysis import RoundSummary, good_or_better, round_summary, strengths_and_areas
from .breakdowns import by_case_attribute
from .change import RoundFigures, change_between, no_change
from .change import trend as trend_over_rounds
from .frames import (
    ModerationFrames,
    PracticeFrames,
    RoundFrames,
    read_moderations,
    read_practice,
    read_round,
)
from .moderation import count_themes, theme_titles
from .rounds import AuditRound

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger("caseaudit")

#: Bumped when :class:`RoundResults` changes shape; with the source of the modules that compute
#: it (see :func:`_code_version`) it keeps an entry written by other code from being read.
RESULTS_FORMAT = 2
#: Rounds kept in this process (a board switching between a partnership's rounds, and the
#: agreement notebook beside it).
MEMORY_ENTRIES = 32


@dataclass(frozen=True, eq=False)  # compared by identity: frames have no single truth value
class RoundResults:
    """Everything the views show of one round, as tidy frames, before disclosure control.

    ``summary`` holds the good-or-better figures; ``coverage`` the moderated cases (empty when
    the meeting has not moderated the round); ``agreement`` the :func:`agreement_tables`
    (``None`` when not moderated); ``double_scoring`` the agreement between independent scorers;
    ``trend`` agreement with the meeting in each moderated round up to this one; ``themes`` the
    learning themes per moderated round up to this one, with ``framework_themes`` naming the
    themes that are not local free tags; ``labels`` short names of the rounds up to this one.

    What the board should conclude, each on the best grade a case has (the meeting's agreed
    grade where there is one): ``good_or_better`` overall, per domain, criterion and agency
    (:func:`~caseaudit.analysis.good_or_better`); ``change`` since the latest earlier round of
    the same framework (:func:`~caseaudit.change.change_between`, no rows when there is none);
    ``practice_trend`` every round of the framework up to this one
    (:func:`~caseaudit.change.trend`); ``breakdowns`` by the children's characteristics
    (:func:`~caseaudit.breakdowns.by_case_attribute`); ``strengths`` and areas for development
    (:func:`~caseaudit.analysis.strengths_and_areas`); ``provenance`` the rounds, framework
    versions and ``as_of`` the figures rest on and the code that computed them.
    Case ids and auditors are in here for the QA lead: a board sees this object only through
    :mod:`caseaudit.disclosure`.
    """

    round_id: str
    title: str
    as_of: datetime | None
    agencies: tuple[str, ...]
    summary: RoundSummary
    coverage: pd.DataFrame
    agreement: Mapping[str, pd.DataFrame] | None
    double_scoring: pd.DataFrame
    trend: pd.DataFrame
    themes: pd.DataFrame
    framework_themes: tuple[str, ...]
    labels: Mapping[str, str]
    criterion_titles: Mapping[str, str]
    good_or_better: pd.DataFrame
    change: pd.DataFrame
    practice_trend: pd.DataFrame
    breakdowns: pd.DataFrame
    strengths: pd.DataFrame
    provenance: Mapping[str, Any]

    @property
    def moderated(self) -> bool:
        """Whether the meeting has saved a moderation of any of the round's cases."""
        return self.agreement is not None


def round_labels(rounds: Sequence[AuditRound]) -> dict[str, str]:
    """Short column and axis labels for rounds: the month they started, with the round id added
    where two rounds started in the same month (a practice week beside an audit, say)."""
    months = [f"{r.period.start:%b %Y}" for r in rounds]
    return {r.id: m if months.count(m) == 1 else f"{m} ({r.id})"
            for r, m in zip(rounds, months, strict=True)}


def results_of(frames: RoundFrames, moderations: Mapping[str, ModerationFrames],
               history: Sequence[AuditRound],
               practice: Mapping[str, PracticeFrames] | None = None) -> RoundResults:
    """A round's results from its frames and the moderations of ``history`` (the rounds up to
    and including it, oldest first): the analyses only, no store. ``practice`` holds the
    judgement counts of the earlier rounds of the same framework (:func:`practice_rounds`), for
    the change and the trend; without it they cover this round alone."""
    audit, framework = frames.audit, frames.framework
    labels = round_labels(history)
    figures = good_or_better(frames.judgements, framework, frames.grade_counts,
                             frames.form_statuses)
    earlier = [RoundFigures(r.id, labels.get(r.id, r.id), p.framework,
                            good_or_better(p.judgements, p.framework))
               for r in practice_rounds(audit, history)
               if (p := (practice or {}).get(r.id)) is not None]
    over_time = [*earlier, RoundFigures(audit.id, labels.get(audit.id, audit.id), framework,
                                        figures)]
    mine = frames.moderation
    agreement, known = None, {}
    if mine is not None:
        agreement = agreement_tables(pairs_from_counts(mine.pair_counts, framework), mine.coverage,
                                     frames.form_statuses, framework)
        known[audit.id] = agreement["criteria"]
    moderated = list(moderations.values())
    trend = agreement_over_rounds([(m.audit.id, m.coverage, m.pair_counts, m.framework)
                                   for m in moderated], known)
    titles = theme_titles([m.audit for m in moderated], {m.audit.id: m.framework for m in moderated})
    heads = pd.concat([m.heads for m in moderated], ignore_index=True) if moderated else None
    themes = (count_themes(heads, {m.audit.id: m.coverage for m in moderated}, titles)
              if heads is not None else pd.DataFrame(columns=["theme"]))
    return RoundResults(
        round_id=audit.id, title=audit.title, as_of=frames.as_of, agencies=tuple(audit.agencies),
        summary=round_summary(audit, framework, frames.grade_counts, frames.form_statuses),
        coverage=mine.coverage if mine is not None else pd.DataFrame(
            columns=["case_id", "revision_no", "agreed", "expected", "overall", "complete"]),
        agreement=agreement, double_scoring=double_scoring(frames.double_scores, framework),
        trend=trend, themes=themes,
        framework_themes=tuple(dict.fromkeys(t for named in titles.values()
                                             for t in named.values())),
        labels=labels,
        criterion_titles={cid: c.title for cid, c in framework.criteria_by_id.items()},
        good_or_better=figures,
        change=change_between(over_time[-2], over_time[-1]) if earlier else no_change(),
        practice_trend=trend_over_rounds(over_time),
        breakdowns=by_case_attribute(frames.case_judgements, audit, framework),
        strengths=strengths_and_areas(figures),
        provenance=provenance_of(audit, history, frames.as_of))


def practice_rounds(audit: AuditRound, history: Sequence[AuditRound]) -> list[AuditRound]:
    """The rounds before ``audit`` in ``history`` scored against the same framework (any
    version): those its change and trend compare it with, oldest first."""
    return [r for r in history if r.id != audit.id and r.framework.id == audit.framework.id]


def provenance_of(audit: AuditRound, history: Sequence[AuditRound],
                  as_of: datetime | None) -> dict[str, Any]:
    """What the figures rest on, for a QA lead who reruns them: the round, every round read
    (the agreement trend and themes span them all), each one's framework version, the ``as_of``
    time (``None``: as the store stood when computed) and the code that computed them."""
    used = [*[r for r in history if r.id != audit.id], audit]
    return {"round_id": audit.id, "rounds": [r.id for r in used],
            "framework_versions": {r.id: f"{r.framework.id} {r.framework.version}" for r in used},
            "as_of": None if as_of is None else as_of.isoformat(),
            "computed_with": _package_version(), "code": _code_version()}


@functools.cache
def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("caseaudit")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def compute_results(store: Store, audit: AuditRound, history: Sequence[AuditRound],
                    as_of: datetime | None = None) -> RoundResults:
    """Read the round's frames (and the moderations of ``history``, and the judgement counts of
    its earlier rounds of the same framework) once, each as of ``as_of``, then analyse them."""
    moderations = read_moderations(store, history, as_of)
    return results_of(read_round(store, audit, as_of, moderations), moderations, history,
                      read_practice(store, practice_rounds(audit, history), as_of))


def round_results(store: Store, audit: AuditRound, rounds: Sequence[AuditRound] | None = None,
                  as_of: datetime | None = None) -> RoundResults:
    """The results of ``audit``, computed at most once per state of the store.

    ``rounds`` are the partnership's rounds, oldest first (as :func:`caseaudit.load_rounds`
    gives them): the agreement trend, the learning themes and the practice trend cover those up
    to ``audit``. Forms and moderations are read ``as_of`` a time when given.

    Example
    -------
    >>> results = round_results(open_store(), audit, load_rounds())  # doctest: +SKIP
    >>> results.agreement["criteria"]  # doctest: +SKIP
    """
    history = _history(audit, rounds)
    # the key is written into every cache entry on disk: the database's password must not be
    database = store.url.render_as_string(hide_password=True)
    place = (database, audit.id, None if as_of is None else as_of.isoformat(), _fingerprint(history))
    key = (RESULTS_FORMAT, _code_version(), *place, store.last_change())
    found = _MEMORY.get(key)
    if found is not None:
        _MEMORY.move_to_end(key)
        return found
    disk = _disk_cache(store)
    found = disk.get(place, key) if disk is not None else None
    if found is None:
        found = compute_results(store, audit, history, as_of)
        if disk is not None:
            disk.put(place, key, found)
    _MEMORY[key] = found
    while len(_MEMORY) > MEMORY_ENTRIES:
        _MEMORY.popitem(last=False)
    return found


def forget_results() -> None:
    """Empty this process's cache (the disk cache stays): what a new kernel starts with."""
    _MEMORY.clear()


_MEMORY: OrderedDict[tuple[Any, ...], RoundResults] = OrderedDict()


def _history(audit: AuditRound, rounds: Sequence[AuditRound] | None) -> list[AuditRound]:
    ids = [r.id for r in rounds or ()]
    if audit.id not in ids:
        return [audit]
    return [*list(rounds or ())[: ids.index(audit.id)], audit]


def _fingerprint(history: Sequence[AuditRound]) -> str:
    """The rounds and their frameworks as their files say now: an edited audit.yaml (a case
    added) or framework changes the results without any change in the store."""
    digest = hashlib.sha256()
    for audit in history:
        digest.update(audit.model_dump_json().encode())
        digest.update(audit.load_framework().model_dump_json().encode())
    return digest.hexdigest()


@functools.cache
def _code_version() -> str:
    """The source of the modules that compute results: a changed analysis is not served old
    figures from the disk cache."""
    from . import agreement, analysis, breakdowns, change, frames, moderation, stats
    from .store import judgements

    digest = hashlib.sha256()
    for module in (agreement, analysis, breakdowns, change, frames, moderation, stats, judgements):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


class _DiskCache:
    """Results as pickle files in a folder only their owner can read: ``<place>-<key>.pickle``,
    written to a temporary file and renamed, so a reader in another process sees a whole entry
    or none. The folder is the workbook's own (it sits beside the database and is as private),
    so reading back what it wrote is safe."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def _name(parts: tuple[Any, ...]) -> str:
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]

    def _path(self, place: tuple[Any, ...], key: tuple[Any, ...]) -> Path:
        return self.folder / f"{self._name(place)}-{self._name(key)}.pickle"

    def get(self, place: tuple[Any, ...], key: tuple[Any, ...]) -> RoundResults | None:
        path = self._path(place, key)
        try:
            with path.open("rb") as file:
                stored_key, results = pickle.load(file)
            if (stored_key != key or not isinstance(results, RoundResults)
                    or results.round_id != place[1]):
                raise ValueError("the entry holds other results")
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged entry: computed again and rewritten
            log.warning("results cache entry %s could not be read (%s); computing again",
                        path.name, exc)
            path.unlink(missing_ok=True)
            return None
        return results

    def put(self, place: tuple[Any, ...], key: tuple[Any, ...], results: RoundResults) -> None:
        path = self._path(place, key)
        temporary: str | None = None
        try:
            handle, temporary = tempfile.mkstemp(prefix=".writing-", dir=self.folder)
            with os.fdopen(handle, "wb") as file:
                pickle.dump((key, results), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except Exception as exc:  # a full or read-only disk must not stop the view
            log.warning("results could not be cached in %s: %s", self.folder, exc)
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            return
        for older in self.folder.glob(f"{self._name(place)}-*.pickle"):
            if older != path:  # the same round under an earlier state of the store
                older.unlink(missing_ok=True)


def _disk_cache(store: Store) -> _DiskCache | None:
    """The disk cache for ``store``'s results, or ``None`` (in-memory database, or a folder that
    cannot be made: results are then kept in this process only)."""
    url = store.url
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database in (None, "", ":memory:") and not os.environ.get(settings.CACHE_ENV):
        return None
    folder = settings.cache_dir(url.database if sqlite else None)
    try:
        _private_folder(folder)
    except OSError as exc:
        log.warning("results cannot be cached in %s: %s", folder, exc)
        return None
    return _DiskCache(folder)


def _private_folder(folder: Path) -> None:
    """Make ``folder`` (if need be) readable by its owner only."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = folder.stat().st_mode & 0o777
    if mode != 0o700 and (not hasattr(os, "getuid") or folder.stat().st_uid == os.getuid()):
        folder.chmod(0o700)
