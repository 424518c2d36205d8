"""The multi-agency audit meeting: every agency's grades side by side, and the agreed grade.

The meeting goes through the cases one by one. For each it sees a grid of every agency's (and
every double scorer's) current grade per criterion, with disagreements of two or more levels
highlighted, and records the agreed multi-agency grade per criterion with a rationale where it
differs from any agency's, an overall grade, strengths, areas for development and learning
themes. Moderations are stored as revisions, like forms (``Store.save_moderation``, which checks
them first); closing the round makes both final.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .errors import GradeError
from .framework import NOT_GRADED, Answer, Framework, answer_from_columns, is_grade
from .rounds import AuditRound, Case
from .store import Store, case_criteria

#: Grades this many levels apart or more are highlighted in the grid.
DISAGREEMENT_LEVELS = 2


@dataclass(frozen=True)
class Coverage:
    """How much of a case the meeting has agreed. A case counts as moderated only when every
    criterion is agreed (or marked not applicable) and the overall grade is given: agreement
    figures built on a half-moderated case would describe a few criteria of one child's case."""

    agreed: int
    expected: int
    overall: bool

    @property
    def complete(self) -> bool:
        """Every criterion and the overall grade agreed."""
        return self.agreed >= self.expected and self.overall

    def describe(self) -> str:
        """``"moderated"`` or ``"partly moderated (3 of 27 criteria, no overall grade yet)"``."""
        if self.complete:
            return "moderated"
        missing = "" if self.overall else ", no overall grade yet"
        return f"partly moderated ({self.agreed} of {self.expected} criteria{missing})"


def coverage(framework: Framework, case: Case, grades: Mapping[str, Answer],
             overall: Answer) -> Coverage:
    """The coverage of one moderation (saved, or as the form holds it): ``grades`` maps each
    criterion agreed so far to its answer."""
    expected = case_criteria(framework, case)
    return Coverage(sum(1 for cid in expected if grades.get(cid, NOT_GRADED) is not NOT_GRADED),
                    len(expected), is_grade(overall))


def coverage_of(heads: pd.DataFrame, audit: AuditRound, framework: Framework) -> pd.DataFrame:
    """One row per case of ``audit`` the meeting has saved a moderation for: its latest
    ``revision_no``, criteria ``agreed`` of ``expected``, whether the ``overall`` grade is given,
    and whether the moderation is ``complete``. ``heads`` is :meth:`Store.moderation_heads`
    output (rows of other rounds are left out)."""
    columns = ["case_id", "revision_no", "agreed", "expected", "overall", "complete"]
    heads = heads[(heads["round_id"] == audit.id) & heads["case_id"].isin(list(audit.cases_by_id))]
    expected_of: dict[frozenset[str], int] = {}
    expected = []
    for case_id in heads["case_id"]:
        case = audit.cases_by_id[case_id]
        key = frozenset(case.agencies)
        if key not in expected_of:
            expected_of[key] = len(case_criteria(framework, case))
        expected.append(expected_of[key])
    table = pd.DataFrame({"case_id": heads["case_id"].astype(str).to_numpy(),
                          "revision_no": heads["revision_no"].astype(int).to_numpy(),
                          "agreed": heads["agreed"].astype(int).to_numpy(),
                          "expected": pd.Series(expected, dtype=int).to_numpy(),
                          "overall": heads["overall_grade"].notna().to_numpy()})
    table["complete"] = [Coverage(a, e, o).complete for a, e, o in
                         zip(table["agreed"], table["expected"], table["overall"], strict=True)]
    return table[columns]


def moderation_coverage(store: Store, audit: AuditRound, framework: Framework) -> pd.DataFrame:
    """:func:`coverage_of` the round's moderations as they are now (the meeting's case list)."""
    return coverage_of(store.moderation_heads([audit.id]), audit, framework)


def moderation_grid(store: Store, audit: AuditRound, framework: Framework,
                    case_id: str) -> pd.DataFrame:
    """A row per criterion, a column per agency scorer ("CSC · AUD-CSC-1") holding grade labels,
    then ``spread`` (levels between the highest and lowest grade) and ``disagreement``
    (spread of two levels or more). Draft and submitted forms are both shown, marked."""
    if case_id not in audit.cases_by_id:
        raise GradeError([f"case {case_id!r} is not in round {audit.id}"])
    tidy = store.current_responses(audit.id, case_id=case_id)
    criteria = [framework.criteria_by_id[cid]
                for cid in case_criteria(framework, audit.cases_by_id[case_id])]
    rows = []
    for criterion in criteria:
        scale = framework.scale_of(criterion.id)
        row: dict[str, object] = {"criterion_id": criterion.id, "criterion": criterion.title}
        positions = []
        for r in tidy[tidy["criterion_id"] == criterion.id].itertuples():
            column = f"{r.agency} · {r.auditor}" + (" (draft)" if r.status == "draft" else "")
            answer = answer_from_columns(r.grade, r.not_applicable)
            if answer is not NOT_GRADED:  # a row with a note only shows no grade
                row[column] = scale.answer_label(answer)
            if is_grade(answer):
                positions.append(scale.position(answer))
        spread = max(positions) - min(positions) if positions else 0
        row["spread"] = spread
        row["disagreement"] = spread >= DISAGREEMENT_LEVELS
        rows.append(row)
    grid = pd.DataFrame(rows)
    scorer_columns = sorted(c for c in grid.columns
                            if c not in ("criterion_id", "criterion", "spread", "disagreement"))
    return grid[["criterion_id", "criterion", *scorer_columns, "spread", "disagreement"]].fillna("")


def grid_notes(store: Store, audit: AuditRound, case_id: str) -> pd.DataFrame:
    """The evidence notes behind the grid (for the meeting, never for a dashboard)."""
    tidy = store.current_responses(audit.id, case_id=case_id)
    notes = tidy[tidy["note"] != ""]
    return notes[["criterion_id", "agency", "auditor", "note"]].reset_index(drop=True)


def theme_titles(rounds: Sequence[AuditRound],
                 frameworks: Mapping[str, Framework] | None = None) -> dict[str, dict[str, str]]:
    """Each round's framework themes, id to title: rounds may score against different frameworks
    (a themed JTAI round, then a generic audit), and a theme is named by the round's own.
    ``frameworks`` (by round id) saves loading them again when the caller has them."""
    loaded = frameworks or {r.id: r.load_framework() for r in rounds}
    return {r.id: {t.id: t.title for t in loaded[r.id].themes} for r in rounds}


def count_themes(heads: pd.DataFrame, coverage: Mapping[str, pd.DataFrame],
                 titles: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """How many fully moderated cases each learning theme was tagged on, a column per round of
    ``titles`` (its order, rounds without a count left out), a row per theme.

    ``heads`` are the rounds' latest moderations (:meth:`Store.moderation_heads`), ``coverage``
    each round's :func:`coverage_of`, ``titles`` each round's :func:`theme_titles`. Framework
    themes are shown by their title in the round's framework; free tags as written. A case the
    meeting has not finished is not counted, as in every figure the board sees.
    """
    complete = {(round_id, case) for round_id, cover in coverage.items()
                for case in cover.loc[cover["complete"], "case_id"]}
    rows = [(r.round_id, titles[r.round_id].get(theme, theme))
            for r in heads.itertuples() if (r.round_id, r.case_id) in complete
            for theme in json.loads(r.themes)]
    counts = pd.DataFrame(rows, columns=["round_id", "theme"])
    if counts.empty:
        return pd.DataFrame(columns=["theme"])
    table = counts.groupby(["theme", "round_id"]).size().unstack("round_id", fill_value=0)
    return table[[r for r in titles if r in table.columns]].sort_index()


def theme_counts(store: Store, rounds: Sequence[AuditRound]) -> pd.DataFrame:
    """:func:`count_themes` of ``rounds`` as the store holds them now."""
    frameworks = {r.id: r.load_framework() for r in rounds}
    heads = store.moderation_heads([r.id for r in rounds])
    coverage = {r.id: coverage_of(heads, r, frameworks[r.id]) for r in rounds}
    return count_themes(heads, coverage, theme_titles(rounds, frameworks))


def style_grid(grid: pd.DataFrame):  # type: ignore[no-untyped-def]
    """The grid for the meeting's screen: rows with a disagreement of two or more levels
    highlighted."""
    highlight = ["background-color: #fde2cf" if flag else "" for flag in grid["disagreement"]]
    return grid.style.apply(lambda _: highlight, axis=0).hide(axis="index")


def describe_grid(grid: pd.DataFrame) -> str:
    """One line for the meeting: how many criteria, and which disagree by two or more levels."""
    wide = grid.loc[grid["disagreement"], "criterion_id"].tolist()
    return (f"{len(grid)} criteria; {len(wide)} with grades two or more levels apart"
            + (f": {', '.join(wide)}" if wide else ""))
