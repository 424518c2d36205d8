"""The read step: what the analyses of a round need from the store, read once, as plain frames.

Everything below this step (``analysis``, ``agreement``, ``moderation``'s counts, ``progress``) is a
function of these frames and never reads the store, so a round's figures cost one pass over the
database however many views draw them, and the analyses can be tested on frames written by hand.
Each round's framework is loaded once here (and :func:`~caseaudit.framework.load_framework` keeps
it for the next round scored against the same id and version).

Everything is read now or ``as_of`` a time, forms and moderations alike: the store never
overwrites, so a round read as of a time gives the same frames however much was saved since.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from .framework import Framework
from .moderation import coverage_of
from .rounds import AuditRound

if TYPE_CHECKING:
    from .store import Store

#: The columns of a round's submitted responses that double-scoring agreement needs.
DOUBLE_SCORE_COLUMNS = ["case_id", "agency", "auditor", "criterion_id", "grade", "not_applicable"]


@dataclass(frozen=True)
class ModerationFrames:
    """One moderated round as the meeting left it: its cases' latest moderations (``heads``:
    :meth:`Store.moderation_heads` rows), how much of each case is agreed (``coverage``, which
    decided what else to read), and how many submitted agency grades meet each agreed grade in the
    fully moderated cases (``pair_counts``: :meth:`Store.moderated_pair_counts` rows)."""

    audit: AuditRound
    framework: Framework
    heads: pd.DataFrame
    coverage: pd.DataFrame
    pair_counts: pd.DataFrame


@dataclass(frozen=True)
class RoundFrames:
    """One round's forms as plain frames: grade counts of submitted forms, every saved form's
    status, the submitted grades of double-scored forms (empty when nobody was double scored,
    so a round without double scoring never reads its grades), and its moderation if any; and
    the round's judgements on the best grade each case has (the meeting's where it agreed one):
    counted per criterion, domain and round (``judgements``: :meth:`Store.judgement_counts`)
    and per case and domain (``case_judgements``: :meth:`Store.case_judgements`)."""

    audit: AuditRound
    framework: Framework
    as_of: datetime | None
    grade_counts: pd.DataFrame
    form_statuses: pd.DataFrame
    double_scores: pd.DataFrame
    moderation: ModerationFrames | None
    judgements: pd.DataFrame
    case_judgements: pd.DataFrame


@dataclass(frozen=True)
class PracticeFrames:
    """An earlier round as its trend needs it: its framework and its judgement counts."""

    audit: AuditRound
    framework: Framework
    judgements: pd.DataFrame


def read_moderations(store: Store, rounds: Sequence[AuditRound],
                     as_of: datetime | None = None) -> dict[str, ModerationFrames]:
    """Every moderated round of ``rounds`` (in their order), now or ``as_of`` a time, with one
    query for all their moderation heads and one pair count per moderated round, fully
    moderated cases only."""
    heads = store.moderation_heads([r.id for r in rounds], as_of=as_of)
    found: dict[str, ModerationFrames] = {}
    for audit in rounds:
        mine = heads[heads["round_id"] == audit.id].reset_index(drop=True)
        if mine.empty:
            continue
        framework = audit.load_framework()
        cover = coverage_of(mine, audit, framework)
        unfinished = list(cover.loc[~cover["complete"], "case_id"])
        found[audit.id] = ModerationFrames(
            audit, framework, mine, cover,
            store.moderated_pair_counts(audit.id, exclude_cases=unfinished, as_of=as_of))
    return found


def read_round(store: Store, audit: AuditRound, as_of: datetime | None = None,
               moderations: Mapping[str, ModerationFrames] | None = None) -> RoundFrames:
    """The frames of one round, now or ``as_of`` a time. ``moderations`` is what
    :func:`read_moderations` returned for rounds including this one (read as of the same time),
    when the caller has read them already (a set of rounds is read together); else the round's
    moderation is read here."""
    if moderations is None:
        moderations = read_moderations(store, [audit], as_of)
    moderation = moderations.get(audit.id)
    framework = moderation.framework if moderation is not None else audit.load_framework()
    statuses = store.form_statuses(audit.id, as_of)
    submitted = statuses[statuses["status"] == "submitted"]
    if submitted.duplicated(["case_id", "agency"]).any():
        doubles = store.current_responses(audit.id, as_of=as_of, status="submitted")[
            DOUBLE_SCORE_COLUMNS]
    else:
        doubles = pd.DataFrame(columns=DOUBLE_SCORE_COLUMNS)
    return RoundFrames(audit, framework, as_of,
                       store.grade_counts(audit.id, status="submitted", as_of=as_of),
                       statuses, doubles, moderation,
                       store.judgement_counts(audit.id, framework, as_of),
                       store.case_judgements(audit.id, framework, as_of))


def read_practice(store: Store, rounds: Sequence[AuditRound],
                  as_of: datetime | None = None) -> dict[str, PracticeFrames]:
    """The judgement counts of ``rounds`` (those before the chosen one, for its trend), each
    against its own framework, now or ``as_of`` a time: one small GROUP BY per round."""
    found = {}
    for audit in rounds:
        framework = audit.load_framework()
        found[audit.id] = PracticeFrames(audit, framework,
                                         store.judgement_counts(audit.id, framework, as_of))
    return found
