"""The board-facing forms of an inspection review (:class:`caseaudit.review.InspectionReview`):
progress on the action plan, what falls due, the impact the audits measure and readiness by line
of enquiry. The dashboard and the committee's progress report both take their text from here.

Two kinds of figure meet on these pages, and they are treated differently on purpose:

* **Counts of actions** (how many are on track, how many overdue) describe the partnership's own
  work, not children: no child can be found from "two actions at risk", so they are shown whole,
  however small, and never replaced by ``c``.
* **Shares of judgements** (an action's linked criteria before and after it started, a line of
  enquiry's latest share) describe children's cases, so they follow :mod:`.rules`: a side whose
  ``n``, ``good``, ``n - good`` or cases is from 1 to the threshold is ``c``, and a difference or
  verdict resting on a hidden side is ``c`` too. A pooled figure is a sum of parts (criteria, the
  actions of an area, each round's criterion published on that round's own page), so more are
  hidden wherever a subtraction, or several, would give a hidden part back (:mod:`.pooled`).

Nothing here carries an update's narrative or evidence, who recorded it, or a case id: the
functions pick the columns they show, and the review's own ``reason`` text (written for the QA
lead, with exact counts) is replaced by one written from the disclosed figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..times import listing, long_date
from .pooled import ids as _ids
from .pooled import protected
from .practice import _count_text
from .rules import (
    NOT_COMPARABLE,
    STATE_SYMBOLS,
    format_count,
    format_difference,
    format_difference_interval,
    format_interval,
    format_share,
    is_small,
    states,
    text_where,
    threshold_of,
)

if TYPE_CHECKING:
    from ..review import InspectionReview

#: A round's id and its own good-or-better frame: pooled figures hide what those pages hide.
Pages = Mapping[str, pd.DataFrame] | None

#: What an action's status may be, in the order of a plan's life (:data:`caseaudit.action_plan.STATUSES`).
STATUS_COLUMNS = ("not started", "on track", "at risk", "off track", "complete")
#: Verdicts that say why there is no figure to judge rather than judging one: shown as words,
#: whatever the figures' states.
NOT_ENOUGH = "not enough evidence yet"
NO_CRITERION = "no audit criterion"
_WORDS_ONLY = (NOT_ENOUGH, NO_CRITERION, NOT_COMPARABLE)
ALL_AREAS = "All areas"


def _whole(value: Any) -> str:
    """A count of actions, whole: never suppressed (it is not about children)."""
    return "0" if pd.isna(value) else f"{int(value):,}"


# -- the inspection and progress on its plan ----------------------------------------------------


def inspection_for_board(review: InspectionReview) -> dict[str, str]:
    """The inspection in words for the top of a page: type, theme, inspectorates, visit, letter and
    statement-of-action dates, and what the plan holds (counts of areas and actions, whole)."""
    inspection, plan = review.inspection, review.plan
    visit = inspection.visit
    return {"id": inspection.id, "type": inspection.type, "theme": inspection.theme,
            "inspectorates": listing(inspection.inspectorates),
            "visit": f"{long_date(visit.start)} to {long_date(visit.end)}",
            "letter_date": long_date(inspection.letter_date),
            "statement_due": long_date(inspection.statement_due),
            "areas": _whole(len(inspection.areas_for_improvement)),
            "strengths": _whole(len(inspection.strengths)),
            "actions": _whole(len(plan.all_actions())),
            "today": long_date(review.today)}


def progress_for_board(review: InspectionReview) -> pd.DataFrame:
    """Status counts by area (``review.by_area``) as text, with a last row for all areas:
    ``area_id``, ``area`` ("A3 Title"), ``actions``, one column per status and ``overdue``.

    Counts of actions are not about children, so they are shown whole (a ``1`` stays ``1``); an
    action with no update yet counts as "not started" (as :mod:`caseaudit.plan_progress` says)."""
    by_area = review.by_area.reset_index(drop=True)
    counts = ["actions", *STATUS_COLUMNS, "overdue"]
    figures = by_area.reindex(columns=counts).fillna(0).astype(int)
    total = figures.sum()
    out = pd.DataFrame({
        "area_id": [*by_area["area_id"].astype(str), ""],
        "area": [*(f"{a} {t}" for a, t in zip(by_area["area_id"], by_area["area_title"], strict=True)),
                 ALL_AREAS]})
    for column in counts:
        out[column] = [*(_whole(v) for v in figures[column]), _whole(total[column])]
    return out


def _when(days_late: int, days_left: int) -> str:
    if days_late > 0:
        return f"overdue by {days_late} day{'s' if days_late != 1 else ''}"
    if days_left == 0:
        return "due today"
    return f"due in {days_left} day{'s' if days_left != 1 else ''}"


def due_for_board(review: InspectionReview, within_days: int = 42) -> pd.DataFrame:
    """Actions overdue (due before ``review.today`` and not complete) and those due within
    ``within_days``, overdue first, each by due date: ``area_id``, ``area_title``, ``action_id``,
    ``description``, ``lead_agency``, ``lead_role``, ``due`` (a long date), ``status``, ``when``
    ("overdue by 12 days", "due in 5 days") and ``state`` ("overdue" or "upcoming").

    Only the plan's own words and the latest status: never an update's narrative, its evidence or
    who recorded it (a board sees what is late, not who wrote what)."""
    progress = review.progress.reset_index(drop=True)
    today = review.today
    due = pd.Series([pd.Timestamp(d).date() for d in progress["due"]], dtype=object)
    done = (progress["status"].astype(str) == STATUS_COLUMNS[-1]).to_numpy()
    overdue = progress["overdue"].fillna(False).astype(bool).to_numpy()
    horizon = today + timedelta(days=within_days)
    upcoming = ~done & ~overdue & np.array([today <= d <= horizon for d in due], dtype=bool)
    keep = overdue | upcoming
    rows = progress[keep].assign(_due=due[keep].to_numpy(), _late=~upcoming[keep])
    rows = rows.sort_values(["_late", "_due"], ascending=[False, True], kind="stable")
    out = rows[["area_id", "area_title", "action_id", "description", "lead_agency",
                "lead_role"]].reset_index(drop=True)
    out["due"] = [long_date(d) for d in rows["_due"]]
    out["status"] = rows["status"].astype(str).to_numpy()
    out["when"] = [_when((today - d).days, (d - today).days) for d in rows["_due"]]
    out["state"] = np.where(rows["_late"].to_numpy(), "overdue", "upcoming")
    return out


# -- which pooled figures to hide ---------------------------------------------------------------


def _pages_of(review: InspectionReview, pages: Pages) -> Pages:
    """``pages`` if given, else the review's own, if it carries them."""
    return pages if pages is not None else getattr(review, "pages", None)


def _state(hidden: np.ndarray, n: pd.Series, share: pd.Series) -> np.ndarray:
    state = states(hidden, n.fillna(0).to_numpy(dtype=float))
    return np.where((state == "shown") & share.isna().to_numpy(), "not available", state)


def _difference_state(before: np.ndarray, after: np.ndarray, difference: pd.Series) -> np.ndarray:
    """A difference is shown only where both sides are (one shown side and the difference would
    give the other back)."""
    state = np.where((before == "none") | (after == "none"), "none",
                     np.where((before == "shown") & (after == "shown"), "shown", "hidden"))
    state = np.where((before == "not available") | (after == "not available"), "not available",
                     state)
    return np.where((state == "shown") & difference.isna().to_numpy(), "not available", state)


def _impact_states(review: InspectionReview, threshold: int | None, pages: Pages
                   ) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    rows = review.impact.reset_index(drop=True)
    hidden = protected(rows, review.readiness, threshold, _pages_of(review, pages))
    before = _state(hidden.before, rows["n_before"], rows["share_before"])
    after = _state(hidden.after, rows["n_after"], rows["share_after"])
    change = _difference_state(before, after, rows["difference"])
    words = rows["verdict"].astype(str).isin(_WORDS_ONLY).to_numpy()
    verdict = np.where(words, "shown", change)
    return rows, {"before": before, "after": after, "change": change, "verdict": verdict}


# -- impact -------------------------------------------------------------------------------------


def _side_text(share: float, n: float, state: str, threshold: int | None) -> str:
    if state != "shown":
        return STATE_SYMBOLS[state]
    return f"{format_share(share)} (n={format_count(n, threshold)})"


def _started(review: InspectionReview, row: Mapping[str, Any]) -> date | None:
    """When an action started, or the first of an area's actions."""
    plan = review.plan
    if row["level"] == "action" and row["action_id"] in plan.actions_by_id:
        return plan.actions_by_id[row["action_id"]].start
    starts = [a.start for area, a in plan.all_actions() if area.area == row["area_id"]]
    return min(starts) if starts else None


def _reason(review: InspectionReview, row: Mapping[str, Any], verdict: str, state: str,
            threshold: int | None) -> str:
    """Why the verdict, in plain words, from the disclosed figures only (a small count of cases
    is said as "fewer than 6", never as itself)."""
    from ..analysis import MIN_CASES, MIN_JUDGEMENTS

    start = _started(review, row)
    since = (f"since {'the action' if row['level'] == 'action' else 'its first action'} started"
             + (f" on {long_date(start)}" if start else ""))
    if verdict == NO_CRITERION:
        return "measured by data, not audits: no audit criterion is linked to it"
    if verdict == NOT_COMPARABLE:
        return "a linked criterion changed with a new framework version between the rounds"
    if verdict == NOT_ENOUGH:
        cases = row.get("cases_after", row["n_after"])
        cases = 0 if pd.isna(cases) else int(cases)
        judged = 0 if pd.isna(row["n_after"]) else int(row["n_after"])
        if cases >= MIN_CASES and judged >= MIN_JUDGEMENTS:  # the short side is the baseline
            began = since.replace("since", "before", 1)
            if not _ids(row.get("rounds_before")):
                return (f"not enough evidence yet: no audit round ended {began}, so there is "
                        "nothing to compare with")
            return (f"not enough evidence yet: too few cases were audited {began} to compare "
                    f"with; a verdict needs at least {MIN_JUDGEMENTS} judgements from "
                    f"{MIN_CASES} cases on each side")
        if not _ids(row.get("rounds_after")):
            return f"not enough evidence yet: no audit round has started {since}"
        if cases == 0:
            return f"not enough evidence yet: no case audited {since}"
        counted = (f"fewer than {threshold_of(threshold) + 1}" if is_small([cases], threshold)[0]
                   else f"{cases:,}")
        return (f"not enough evidence yet: {counted} cases audited {since}; a verdict needs at "
                f"least {MIN_JUDGEMENTS} judgements from {MIN_CASES} cases")
    if state == "hidden":
        return ("not shown: a side is hidden (c), as it rests on few judgements or cases or would "
                "let a figure hidden elsewhere be worked out")
    if state != "shown":
        return "there is no figure on one side to compare"
    return {"improved": "the 95% interval for the change lies wholly above zero",
            "declined": "the 95% interval for the change lies wholly below zero"}.get(
        verdict, "the 95% interval for the change includes zero, so it may be chance")


def impact_for_board(review: InspectionReview, threshold: int | None = None,
                     pages: Pages = None) -> pd.DataFrame:
    """``review.impact`` as text, one row per area and action as the review orders them:
    ``level``, ``area_id``, ``action_id``, ``label``, ``criteria``, ``rounds_before``,
    ``rounds_after``; each side's ``n_*``, ``share_*``, ``interval_*`` and ``before`` / ``after``
    ("48% (n=52)", or the symbol); ``change`` ("+13 points"), ``change_interval``, ``verdict``,
    ``reason`` (plain words, from the disclosed figures) and the states ``state_before``,
    ``state_after`` and ``state`` (the change's).

    A side is ``c`` by the share rules or when a part it pools is hidden (an action of its area,
    or, given ``pages``, a linked criterion on a round's own page); the change and a verdict of
    improved / declined / no clear change are ``c`` when either side is. "Not enough evidence
    yet", "no audit criterion" and "not comparable" are said in words: they state no figure."""
    rows, state = _impact_states(review, threshold, pages)
    keep = ["level", "area_id", "action_id", "label", "criteria", "rounds_before", "rounds_after"]
    out = rows[[c for c in keep if c in rows]].copy()
    for side in ("before", "after"):
        s = state[side]
        out[f"n_{side}"] = _count_text(rows[f"n_{side}"].fillna(0), s, threshold)
        out[f"share_{side}"] = text_where(s, (format_share(v) for v in rows[f"share_{side}"]))
        out[f"interval_{side}"] = text_where(s, (format_interval(lo, hi) for lo, hi in zip(
            rows[f"ci_low_{side}"], rows[f"ci_high_{side}"], strict=True)))
        out[side] = [_side_text(sh, n, st, threshold) for sh, n, st
                     in zip(rows[f"share_{side}"], rows[f"n_{side}"], s, strict=True)]
    out["change"] = text_where(state["change"], (format_difference(v) for v in rows["difference"]))
    out["change_interval"] = text_where(state["change"], (
        format_difference_interval(lo, hi) for lo, hi in zip(rows["diff_low"], rows["diff_high"],
                                                             strict=True)))
    verdicts = rows["verdict"].astype(str).tolist()
    out["verdict"] = [v if st == "shown" else STATE_SYMBOLS[st]
                      for v, st in zip(verdicts, state["verdict"], strict=True)]
    records = rows.to_dict("records")
    out["reason"] = [_reason(review, r, v, st, threshold)
                     for r, v, st in zip(records, verdicts, state["change"], strict=True)]
    out["state_before"], out["state_after"] = state["before"], state["after"]
    out["state"] = state["change"]
    return out


def impact_for_chart(review: InspectionReview, threshold: int | None = None,
                     pages: Pages = None) -> pd.DataFrame:
    """``review.impact`` as a chart may draw it: each side's share and interval blank (NaN) where
    :func:`impact_for_board` hides it, ``n_before_text`` / ``n_after_text``, the verdict as the
    board reads it, and the three states; the counts themselves are dropped."""
    rows, state = _impact_states(review, threshold, pages)
    board = impact_for_board(review, threshold, pages)
    out = rows.copy()
    for side in ("before", "after"):
        shown = state[side] == "shown"
        for column in (f"share_{side}", f"ci_low_{side}", f"ci_high_{side}"):
            out[column] = rows[column].where(shown)
        out[f"n_{side}_text"] = board[f"n_{side}"]
    for column in ("difference", "diff_low", "diff_high"):
        out[column] = rows[column].where(state["change"] == "shown")
    out["verdict"] = board["verdict"]
    out["state_before"], out["state_after"], out["state"] = (state["before"], state["after"],
                                                              state["change"])
    drop = [f"{c}_{s}" for s in ("before", "after") for c in ("n", "good", "cases")]
    return out.drop(columns=[c for c in [*drop, "reason"] if c in out])


# -- readiness by line of enquiry ---------------------------------------------------------------


def _previous_round(rounds: Sequence[str], round_id: str) -> str | None:
    if round_id in rounds and rounds.index(round_id) > 0:
        return rounds[rounds.index(round_id) - 1]
    return None


def _shown_order(rows: pd.DataFrame, state: np.ndarray) -> list[int]:
    """Row positions weakest first, by what the board sees: lines by their shown share, each
    followed by its criteria by their shown share; a hidden line or criterion goes after the shown
    ones in the order the review lists them. Placed by its true share, a hidden figure would be
    told by its neighbours (between 56% and 58%)."""
    shown = state == "shown"
    share = rows["share"].to_numpy(dtype=float)
    level = rows["level"].astype(str).to_numpy()
    line_ids = rows["line_id"].astype(str).to_numpy()

    def key(i: int) -> tuple[int, float, int]:
        return (0, share[i], i) if shown[i] else (1, 0.0, i)

    lines = sorted((i for i in range(len(rows)) if level[i] == "line"), key=key)
    order: list[int] = []
    placed: set[str] = set()
    for i in lines:
        order.append(i)
        placed.add(line_ids[i])
        order += sorted((j for j in range(len(rows))
                         if level[j] != "line" and line_ids[j] == line_ids[i]), key=key)
    order += [j for j in range(len(rows)) if level[j] != "line" and line_ids[j] not in placed]
    return order


def readiness_for_board(review: InspectionReview, threshold: int | None = None,
                        pages: Pages = None) -> pd.DataFrame:
    """``review.readiness`` as text, weakest line first as the board sees it (a hidden figure
    after the shown ones, see :func:`_shown_order`): ``level``
    ("line" | "criterion"), ``line_id``, ``line_title``, ``criterion_id``, ``label``,
    ``round_id``, ``n``, ``good``, ``cases``, ``share``, ``interval``, ``trend`` (the verdict
    against the round before) and ``state``.

    A criterion is ``c`` by the share rules or where its round's own page hides it (given
    ``pages``); a line, the sum of its criteria, is ``c`` where it is small or would give a hidden
    criterion back (:mod:`.pooled`). A trend is ``c`` when its figure is, or when the round
    before hid the criterion on its page."""
    out, order = _readiness(review, threshold, pages)
    return out.iloc[order].reset_index(drop=True)


def _readiness(review: InspectionReview, threshold: int | None, pages: Pages
               ) -> tuple[pd.DataFrame, list[int]]:
    """The board's readiness rows in the review's order, and the order they are shown in."""
    rows = review.readiness.reset_index(drop=True)
    hidden = protected(review.impact, rows, threshold, _pages_of(review, pages))
    state = _state(hidden.readiness, rows["n"], rows["share"])
    level = rows["level"].astype(str).to_numpy()
    criterion = rows["criterion_id"].astype(str).to_numpy()
    round_ids = rows["round_id"].astype(str).to_numpy()
    out = rows[[c for c in ("level", "line_id", "line_title", "criterion_id", "label", "round_id")
                if c in rows]].copy()
    for count in ("n", "good", "cases"):
        if count in rows:
            out[count] = _count_text(rows[count].fillna(0), state, threshold)
    out["share"] = text_where(state, (format_share(v) for v in rows["share"]))
    out["interval"] = text_where(state, (format_interval(lo, hi) for lo, hi
                                         in zip(rows["ci_low"], rows["ci_high"], strict=True)))
    rounds = [str(r) for r in review.rounds]
    trend = []
    for i, verdict in enumerate(rows["trend"].fillna("").astype(str)):
        previous = _previous_round(rounds, round_ids[i])
        before_hidden = level[i] == "criterion" and (previous, criterion[i]) in hidden.on_pages
        if verdict in ("", NOT_COMPARABLE):
            trend.append(verdict)  # says nothing of a figure
        elif state[i] != "shown":
            trend.append(STATE_SYMBOLS[state[i]])
        else:
            trend.append(STATE_SYMBOLS["hidden"] if before_hidden else verdict)
    out["trend"] = trend
    out["state"] = state
    return out, _shown_order(rows, state)


def readiness_for_chart(review: InspectionReview, threshold: int | None = None,
                        pages: Pages = None) -> pd.DataFrame:
    """The line rows of ``review.readiness`` as a chart may draw them: ``share``, ``ci_low`` and
    ``ci_high`` blank where :func:`readiness_for_board` hides them, ``n_text``, ``trend`` and
    ``state``."""
    board, order = _readiness(review, threshold, pages)
    rows = review.readiness.reset_index(drop=True).iloc[order].reset_index(drop=True)
    board = board.iloc[order].reset_index(drop=True)
    shown = (board["state"] == "shown").to_numpy()
    out = rows.assign(**{c: rows[c].where(shown) for c in ("share", "ci_low", "ci_high")},
                      n_text=board["n"], trend=board["trend"], state=board["state"])
    out = out.drop(columns=[c for c in ("n", "good", "cases") if c in out])
    return out[out["level"] == "line"].reset_index(drop=True)


def suggestions_for_board(review: InspectionReview) -> pd.DataFrame:
    """Which criteria the next round should sample, for the actions with no evidence yet:
    ``criterion_id``, ``label`` and ``actions``. The review's ``cases_needed`` is left out: it is
    the minimum for a verdict less what was audited since the action started, so it would give
    back a count the impact table hides; a page says the fixed minimum instead."""
    rows = review.suggestions.reset_index(drop=True)
    out = rows[["criterion_id", "label", "actions"]].copy()
    out["actions"] = [", ".join(_ids(a)) for a in rows["actions"]]
    return out


def answered_by(links: pd.DataFrame, criterion: str) -> str:
    """What answers a practice week's area for development ``criterion``, from
    :func:`links_for_board` rows: "answered by action A9.1 of inspection 2026-02-jtai (on track)"
    (or "(at risk, overdue)"), or that nothing does yet; the week's report and dashboard say it
    in the same words."""
    mine = links[links["criterion"].str.split().str[0] == criterion] if len(links) else links
    if mine.empty:
        return "no action on the plan answers it yet"
    return "answered by " + listing([f"action {r['action_id']} of inspection "
                                     f"{r['inspection_id']} "
                                     f"({str(r['status']).replace(' (overdue)', ', overdue')})"
                                     for _, r in mine.iterrows()])


def links_for_board(links: pd.DataFrame) -> pd.DataFrame:
    """Links between the plan's actions and practice weeks' areas for development
    (:func:`caseaudit.plan_links.plan_links` rows, from either end) as a page shows them:
    ``inspection_id``, ``area_id``, ``action_id``, ``description``, ``lead`` ("role, agency"),
    ``due`` (a long date), ``status``, ``week``, ``round_id`` and ``criterion`` ("OB3
    Child-focused"). The plan's words and the latest status only, like :func:`due_for_board`:
    no figure about children, so nothing to hide, and never an update's narrative."""
    rows = links.reset_index(drop=True)
    out = rows[["inspection_id", "area_id", "action_id", "description"]].astype(str)
    out["lead"] = [f"{role}, {agency}" for role, agency
                   in zip(rows["lead_role"], rows["lead_agency"], strict=True)]
    out["due"] = [long_date(pd.Timestamp(d).date()) for d in rows["due"]]
    out["status"] = [f"{s} (overdue)" if late and s != STATUS_COLUMNS[-1] else str(s)
                     for s, late in zip(rows["status"], rows["overdue"], strict=True)]
    out["week"] = rows["week"].astype(str)
    out["round_id"] = rows["round_id"].astype(str)
    out["criterion"] = [f"{c} {t}".strip() for c, t
                        in zip(rows["criterion"], rows["criterion_title"], strict=True)]
    return out
