"""What a practice week saw, stream by stream: the figures the board's summary is made of.

A practice week (domain.md (b), (d)) gathers evidence in streams: collaborative case audits,
observations of practice, and feedback from children, families and practitioners. Each stream
grades its own domains of the practice-week framework, so each is summarised as a small round of
its own: its good-or-better figures overall (the stream), per domain and per criterion
(:func:`caseaudit.analysis.good_or_better`), how many answers each level of each scale has, its
strengths and areas for development (:func:`caseaudit.analysis.strengths_and_areas`, whose rule
holds here with *records* for cases) and the change since the last practice week of the same
theme (:func:`caseaudit.change.change_between`, Newcombe intervals and the same verdicts).

The unit is a **record**: one case audited, one event observed, one person's feedback. Each record
answers a criterion once, so a criterion's judgements are records and its ``cases`` are records.

Functions of frames only (:func:`week_summary`), tested on frames written by hand; the store is
read in one place (:func:`practice_week_summary`). Free text (a record's ``details.text``, an
evidence note) and record, auditor and participant ids never enter a summary: a board sees these
figures, through :mod:`caseaudit.disclosure.practice_week`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from .analysis import (
    MIN_CASES,
    MIN_JUDGEMENTS,
    criterion_label,
    good_or_better,
    strengths_and_areas,
)
from .change import RoundFigures, change_between, no_change
from .framework import Framework
from .moderation import count_themes, coverage_of, theme_titles
from .practice_week import CONSENT, PRACTICE_WEEK, RESPONDENTS
from .rounds import AuditRound

if TYPE_CHECKING:
    from .store import Store

#: What a stream's good-or-better figures rest on (the ``basis`` column): each record's own grades.
RECORDS = "records"
#: The answer rows of :attr:`StreamSummary.levels` that are not a level of the scale.
NOT_APPLICABLE = "Not applicable"
NOT_ANSWERED = "Not answered"
#: The ``measure`` of each count of :attr:`StreamSummary.counts`.
EVENT_KIND = "event kind"
FEEDBACK_GIVEN = "feedback given"
CONSENT_MEASURE = "consent"
RESPONDENT = "respondent"
#: The category of a count whose record does not say (never expected of a submitted record).
NOT_RECORDED = "not recorded"

LEVEL_COLUMNS = ["criterion_id", "label", "domain", "scale_id", "answer", "code", "good", "count"]
COUNT_COLUMNS = ["measure", "category", "count"]

#: The rule that names strengths and areas for development, as a page says it.
STRENGTH_RULE = (
    "Strengths are the criteria most often good or better, areas for development the least often, "
    "against the stream's share over all its criteria; each is ranked by the end of its 95% "
    "interval nearest that share, so a criterion is named only when the week can be fairly sure "
    f"of it. Only criteria with at least {MIN_JUDGEMENTS} judgements from at least {MIN_CASES} "
    "records are ranked.")


@dataclass(frozen=True, eq=False)  # frames have no single truth value
class StreamSummary:
    """One stream of a week, before disclosure control.

    ``records``: submitted records. ``good_or_better``: :func:`~caseaudit.analysis.good_or_better`
    of the stream's criteria (its ``overall`` row is the stream's). ``levels``: a row per criterion
    and answer (each level of its scale best first, "Not applicable" where the scale allows it,
    "Not answered" where a record left it), :data:`LEVEL_COLUMNS`. ``counts``: the stream's other
    counts (:data:`COUNT_COLUMNS`): an observation's event kinds and whether feedback was given, a
    feedback stream's consent and (family feedback) who answered; every category listed, zeros
    included, and each measure adds up to ``records``. ``strengths``:
    :func:`~caseaudit.analysis.strengths_and_areas`. ``change``: against the previous week of the
    same theme (:func:`~caseaudit.change.change_between`; no rows when there is none).
    ``answered``: the records that could answer the questions (a feedback return's consent given;
    every record otherwise)."""

    stream_id: str
    title: str
    kind: str
    records: int
    answered: int
    framework: Framework
    good_or_better: pd.DataFrame
    levels: pd.DataFrame
    counts: pd.DataFrame
    strengths: pd.DataFrame
    change: pd.DataFrame


@dataclass(frozen=True, eq=False)
class WeekSummary:
    """A practice week's summary: its streams in the round's order, the learning themes the
    meeting tagged on its case audits (:func:`~caseaudit.moderation.count_themes`, one column for
    this round; ``framework_themes`` the titles that are not local free tags), and the week it is
    compared with (``previous``, its own summary, with no earlier week of its own; ``None`` when
    there is none)."""

    round_id: str
    title: str
    label: str
    theme: str
    as_of: datetime | None
    streams: tuple[StreamSummary, ...]
    themes: pd.DataFrame
    framework_themes: tuple[str, ...]
    previous: WeekSummary | None

    @property
    def previous_id(self) -> str | None:
        """The id of the week this one is compared with, ``None`` when there is none."""
        return self.previous.round_id if self.previous is not None else None

    @property
    def previous_label(self) -> str:
        """The short name of the week this one is compared with, "" when there is none."""
        return self.previous.label if self.previous is not None else ""

    def stream(self, stream_id: str) -> StreamSummary:
        """The summary of stream ``stream_id``."""
        for stream in self.streams:
            if stream.stream_id == stream_id:
                return stream
        raise KeyError(f"stream '{stream_id}' is not one of round {self.round_id}'s streams "
                       f"({', '.join(s.stream_id for s in self.streams)})")

    @property
    def records(self) -> int:
        """Submitted records over every stream."""
        return sum(s.records for s in self.streams)


def stream_framework(framework: Framework, stream_id: str) -> Framework:
    """``framework`` cut to one stream: its domains and that stream only. A stream is summarised
    as a round of this framework, so its overall figure, its domains and its comparison with an
    earlier week cover its own criteria and no other stream's."""
    stream = framework.streams_by_id[stream_id]
    data = framework.model_dump(by_alias=True)
    data["domains"] = [d for d in data["domains"] if d["id"] in stream.domains]
    data["streams"] = [s for s in data["streams"] if s["id"] == stream_id]
    return Framework.model_validate(data)


def _answers(records: pd.DataFrame, responses: pd.DataFrame, criteria: list[str]) -> pd.DataFrame:
    """The answers of ``records`` to ``criteria``: ``record_id``, ``criterion_id``, ``grade``,
    ``not_applicable`` (a row with no answer, a note only, left out). Only these columns are
    taken, so no note travels further."""
    keys = records[["record_id", "agency", "auditor"]].astype(str)
    mine = responses[["case_id", "agency", "auditor", "criterion_id", "grade", "not_applicable"]]
    mine = mine.astype({"case_id": str, "agency": str, "auditor": str, "criterion_id": str})
    merged = keys.merge(mine.rename(columns={"case_id": "record_id"}),
                        on=["record_id", "agency", "auditor"], how="inner")
    merged = merged[merged["criterion_id"].isin(criteria)]
    na = merged["not_applicable"].fillna(False).astype(bool)
    return merged.loc[na | merged["grade"].notna(), ["record_id", "criterion_id", "grade"]].assign(
        not_applicable=na).reset_index(drop=True)


def _judgements(answers: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Judgements per criterion, domain and the stream (``level``, ``key``, ``basis``, ``n``,
    ``good``, ``not_applicable``, ``cases``: the records graded), as
    :func:`~caseaudit.analysis.good_or_better` reads them."""
    domain_of = {c.id: d.id for d, c in framework.criteria()}
    good_codes = {c.id: set(framework.scale_of(c.id).good_or_better) for _, c in framework.criteria()}
    graded = ~answers["not_applicable"]
    good = [bool(g) and not na and int(g) in good_codes[c] for c, g, na in
            zip(answers["criterion_id"], answers["grade"].fillna(0), answers["not_applicable"],
                strict=True)]
    table = answers.assign(domain_id=answers["criterion_id"].map(domain_of), graded=graded,
                           good=good, overall="overall")
    rows = []
    for level, column in (("criterion", "criterion_id"), ("domain", "domain_id"),
                          ("overall", "overall")):
        for key, part in table.groupby(column, sort=False):
            rows.append((level, str(key), RECORDS, int(part["graded"].sum()),
                         int(part["good"].sum()), int(part["not_applicable"].sum()),
                         int(part.loc[part["graded"], "record_id"].nunique())))
    return pd.DataFrame(rows, columns=["level", "key", "basis", "n", "good", "not_applicable",
                                       "cases"])


def _levels(answers: pd.DataFrame, framework: Framework, answered: int) -> pd.DataFrame:
    """How many answers each level of each criterion's scale has (best first), then not
    applicable (where the scale allows it) and not answered (the records that could answer and
    did not; a row only where there are some)."""
    rows = []
    for domain, criterion in framework.criteria():
        scale = framework.scale_of(criterion.id)
        mine = answers[answers["criterion_id"] == criterion.id]
        graded = mine.loc[~mine["not_applicable"], "grade"].astype(int).value_counts()
        label = criterion_label(criterion.id, criterion.title)
        for level in scale.levels:
            rows.append((criterion.id, label, domain.title, scale.id, level.label, level.code,
                         level.code in scale.good_or_better, int(graded.get(level.code, 0))))
        na = int(mine["not_applicable"].sum())
        if scale.not_applicable or na:
            rows.append((criterion.id, label, domain.title, scale.id, NOT_APPLICABLE, None, False, na))
        missing = answered - len(mine)
        if missing:
            rows.append((criterion.id, label, domain.title, scale.id, NOT_ANSWERED, None, False,
                         missing))
    return pd.DataFrame(rows, columns=LEVEL_COLUMNS).astype({"code": "Int64", "count": "int64"})


def _category_counts(measure: str, values: pd.Series, categories: Sequence[str]) -> list[tuple]:
    """Each category's count among ``values``, in ``categories``' order (zeros included), then
    :data:`NOT_RECORDED` where some record does not say."""
    said = values.dropna().astype(str)
    rows = [(measure, category, int((said == category).sum())) for category in categories]
    unknown = len(values) - sum(r[2] for r in rows)
    if unknown:
        rows.append((measure, NOT_RECORDED, unknown))
    return rows


def _counts(kind: str, stream_id: str, event_kinds: Sequence[str], records: pd.DataFrame
            ) -> pd.DataFrame:
    """The stream's counts besides its grades: what a board reads about how the evidence was
    gathered."""
    rows: list[tuple] = []
    if kind == "observation":
        rows += _category_counts(EVENT_KIND, records["event_kind"], event_kinds)
        given = records["feedback_given"].map({True: "yes", False: "no"}, na_action="ignore")
        rows += _category_counts(FEEDBACK_GIVEN, given, ["yes", "no"])
    if kind == "feedback":
        rows += _category_counts(CONSENT_MEASURE, records["consent"], CONSENT)
    if stream_id == "family_feedback":  # the stream whose records say who answered (the store's rule)
        rows += _category_counts(RESPONDENT, records["respondent"], RESPONDENTS)
    return pd.DataFrame(rows, columns=COUNT_COLUMNS).astype({"count": "int64"})


def _stream(audit: AuditRound, framework: Framework, stream_id: str, records: pd.DataFrame,
            responses: pd.DataFrame, label: str, previous: WeekSummary | None) -> StreamSummary:
    stream = framework.streams_by_id[stream_id]
    own = stream_framework(framework, stream_id)
    mine = records[records["stream_id"].astype(str) == stream_id]
    answering = mine if stream.kind != "feedback" else mine[mine["consent"] == "given"]
    answers = _answers(answering, responses, list(own.criteria_by_id))
    figures = good_or_better(_judgements(answers, own), own)
    change = no_change()
    if previous is not None and stream_id in {s.stream_id for s in previous.streams}:
        before = previous.stream(stream_id)
        change = change_between(
            RoundFigures(previous.round_id, previous.label, before.framework, before.good_or_better),
            RoundFigures(audit.id, label, own, figures))
    return StreamSummary(
        stream_id=stream_id, title=stream.title, kind=stream.kind, records=len(mine),
        answered=len(answering), framework=own, good_or_better=figures,
        levels=_levels(answers, own, len(answering)),
        counts=_counts(stream.kind, stream_id, stream.event_kinds, mine),
        strengths=strengths_and_areas(figures), change=change)


def _themes(audit: AuditRound, framework: Framework, moderations: pd.DataFrame | None
            ) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The learning themes tagged on the week's fully moderated case audits (a case counts when
    every criterion of the case-audit stream is agreed, and its overall grade)."""
    titles = theme_titles([audit], {audit.id: framework})
    named = tuple(titles[audit.id].values())
    audits = [s.id for s in framework.streams if s.kind == "case audit" and s.id in audit.streams]
    if moderations is None or moderations.empty or not audits:
        return pd.DataFrame(columns=["theme"]), named
    heads = moderations[moderations["round_id"] == audit.id]
    cover = coverage_of(heads, audit, stream_framework(framework, audits[0]))
    return count_themes(heads, {audit.id: cover}, titles), named


def week_summary(audit: AuditRound, framework: Framework, records: pd.DataFrame,
                 responses: pd.DataFrame, moderations: pd.DataFrame | None = None,
                 previous: WeekSummary | None = None, as_of: datetime | None = None,
                 label: str | None = None) -> WeekSummary:
    """The summary of practice week ``audit`` from frames: ``records``
    (:meth:`Store.stream_records`: submitted records are counted, drafts left out), ``responses``
    (:meth:`Store.current_responses` of the round; a record's answers are its rows by
    ``case_id`` = record id, agency and auditor), ``moderations`` (:meth:`Store.moderation_heads`,
    for the case audits' learning themes) and ``previous`` (the summary of the last earlier
    practice week of the same theme, see :func:`previous_week`), which each stream is compared
    with. ``label`` names the week on a comparison (default: the month it started)."""
    if audit.kind != PRACTICE_WEEK:
        raise ValueError(f"round {audit.id} is not a practice week; its summary is the case-audit "
                         "overview's")
    if "status" in records:
        records = records[records["status"] == "submitted"]
    label = label or f"{audit.period.start:%b %Y}"
    streams = tuple(_stream(audit, framework, s, records, responses, label, previous)
                    for s in audit.streams)
    themes, named = _themes(audit, framework, moderations)
    return WeekSummary(round_id=audit.id, title=audit.title, label=label, theme=audit.theme,
                       as_of=as_of, streams=streams, themes=themes, framework_themes=named,
                       previous=previous)


def same_theme(one: AuditRound, other: AuditRound) -> bool:
    """Whether two rounds share a theme, whatever its case or spacing."""
    def words(audit: AuditRound) -> str:
        return " ".join(audit.theme.split()).casefold()

    return bool(words(one)) and words(one) == words(other)


def previous_week(audit: AuditRound, rounds: Sequence[AuditRound]) -> AuditRound | None:
    """The practice week of ``rounds`` a week is compared with: the latest (by start) of those
    of the same theme that ended before ``audit`` started; ``None`` when there is none."""
    earlier = [r for r in rounds if r.kind == PRACTICE_WEEK and r.id != audit.id
               and same_theme(r, audit) and r.period.end < audit.period.start]
    return max(earlier, key=lambda r: (r.period.start, r.id)) if earlier else None


def week_labels(audit: AuditRound, before: AuditRound | None) -> dict[str, str]:
    """Short names for the week and the one it is compared with (the month each started, with
    the id where both started in the same month)."""
    from .results import round_labels

    return round_labels([r for r in (before, audit) if r is not None])


def _read(store: Store, audit: AuditRound, as_of: datetime | None, label: str,
          previous: WeekSummary | None) -> WeekSummary:
    framework = audit.load_framework()
    return week_summary(audit, framework, store.stream_records(audit.id, as_of=as_of),
                        store.current_responses(audit.id, as_of=as_of, status="submitted"),
                        store.moderation_heads([audit.id], as_of=as_of), previous, as_of, label)


def practice_week_summary(store: Store, audit: AuditRound, as_of: datetime | None = None,
                          rounds: Sequence[AuditRound] | None = None) -> WeekSummary:
    """The summary of practice week ``audit`` as the store holds it now or ``as_of`` a time,
    compared with the previous week of the same theme among ``rounds`` (default: the rounds of
    the audits folder that load, :func:`caseaudit.rounds.scan_rounds`), read as of the same time.

    Example
    -------
    >>> summary = practice_week_summary(open_store(), load_round("2026-05-practice-week"))  # doctest: +SKIP
    >>> summary.stream("observation").counts  # doctest: +SKIP
    """
    if rounds is None:
        from .rounds import scan_rounds

        rounds = scan_rounds().rounds
    before = previous_week(audit, rounds)
    labels = week_labels(audit, before)
    previous = (_read(store, before, as_of, labels[before.id], None)
                if before is not None else None)
    return _read(store, audit, as_of, labels[audit.id], previous)
