"""The action plan dashboard, served by a real Voila and read in headless Chromium at a laptop's
size, on the demo data with "today" fixed: every section appears, its figures are the review's
through disclosure (counts of actions whole, shares hidden where small), each chart is drawn at
its size with its figures in words, the page links to the other dashboards, and no update
narrative, recorder, case id or auditor reaches it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from caseaudit import disclosure, settings
from caseaudit.action_plan import load_plan
from caseaudit.disclosure.plan import STATUS_COLUMNS
from caseaudit.inspection import list_inspection_ids, load_inspection
from caseaudit.store import ActionUpdateSave, open_store
from caseaudit.ui.action_plan import ActionPlanDashboard
from tests.ui.dashboard_pages import Latest, assert_every_chart_drawn_at_its_size, board_page
from tests.ui.server import Server

pytestmark = pytest.mark.browser

NOTEBOOK = "action_plan.ipynb"
#: The day progress is counted at: after the demo's last round, with actions both overdue and due.
TODAY = "2026-10-15"
INSPECTION = "2026-02-jtai"
SECTIONS = ("inspection", "status", "due", "impact", "readiness", "suggestions", "symbols")


#: What an update says and who recorded it: never on a board's page.
NARRATIVE = "Synthetic narrative: the subgroup met on 29 September and agreed the template."
EVIDENCE = "EVIDENCE-REF-ACTION-PLAN-77"
RECORDER = "PBM-RECORDER-7"


@pytest.fixture(scope="module", autouse=True)
def demo_with_updates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The test session's demo with the example inspection beside its rounds (as ``caseaudit
    demo-data`` puts it beside the demo's), in a copy of its database holding two progress
    updates (A4.1 at risk, A3.1 complete), and ``CASEAUDIT_TODAY`` fixed: for the server (started
    after this, with this process's environment) and for the review the page is checked against."""
    from caseaudit.example_inspection import copy_example_inspection

    if INSPECTION not in list_inspection_ids():
        copy_example_inspection(settings.inspections_dir())
    copy = tmp_path_factory.mktemp("action-plan-store") / "demo.db"
    with sqlite3.connect(os.environ[settings.DB_ENV]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(settings.TODAY_ENV, TODAY)
        patch.setenv(settings.DB_ENV, str(copy))
        store = open_store(copy, create=False)
        plan = load_plan(load_inspection(INSPECTION))
        for action_id, status in (("A4.1", "at risk"), ("A3.1", "complete")):
            history = store.action_history(INSPECTION, action_id)
            store.save_action_update(plan, ActionUpdateSave(
                INSPECTION, action_id, status, date(2026, 10, 1), NARRATIVE, EVIDENCE, RECORDER,
                history[-1].revision_no if history else None))
        store.dispose()
        yield


@pytest.fixture(scope="module")
def reviewed() -> tuple[Any, Any]:
    """The review and the rounds' pages, as the dashboard computes them."""
    board = ActionPlanDashboard(open_store(create=False))
    review = board.review(INSPECTION)
    return review, board.pages(review)


def _pictures(page: Any, folder: Path) -> None:
    """The whole page as a laptop shows it, screen by screen (Voila's page scrolls inside a box,
    which a full-page screenshot does not see past)."""
    height = page.evaluate("""() => {
        const box = [...document.querySelectorAll('*')].find(e => e.scrollHeight > e.clientHeight + 50
            && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY));
        window.__box = box || document.scrollingElement;
        return window.__box.scrollHeight;
    }""")
    for screen, top in enumerate(range(0, height, 700)):
        page.evaluate(f"() => {{ window.__box.scrollTop = {top}; }}")
        page.screenshot(path=folder / f"action_plan-screen-{screen}.png")


def _first_line(text: str) -> str:
    return text.strip().split("\n")[0].strip()


def test_the_action_plan_dashboard_shows_progress_and_impact_as_disclosure_allows(
        dashboard_server: Server, latest_results: Latest, reviewed: tuple[Any, Any],
        tmp_path: Path) -> None:
    rounds, _ = latest_results
    review, pages = reviewed
    with board_page(dashboard_server, NOTEBOOK, '[data-section="suggestions"]', tmp_path, rounds,
                    "the action plan dashboard", heading=review.inspection.theme) as page:
        for section in SECTIONS:
            assert page.locator(f'[data-section="{section}"]').count() == 1, section
        facts = page.locator('[data-section="inspection"]').inner_text()
        assert "21 August 2026" in facts and "15 October 2026" in facts

        progress = disclosure.progress_for_board(review)
        total = page.locator('[data-table="status"] tr.ca-total td').all_inner_texts()
        assert total == [progress.iloc[-1][c] for c in ["actions", *STATUS_COLUMNS, "overdue"]]
        assert int(progress.iloc[-1]["overdue"]) >= 1  # the demo has an action past its date
        latest = review.progress.set_index("action_id")["status"]
        assert (latest["A4.1"], latest["A3.1"]) == ("at risk", "complete")
        assert int(progress.iloc[-1]["at risk"]) >= 1 and int(progress.iloc[-1]["complete"]) >= 1

        due = disclosure.due_for_board(review)
        rows = page.locator('[data-table="due"] tbody tr')
        assert [rows.nth(i).get_attribute("data-due") for i in range(rows.count())] == \
            list(due["action_id"])

        impact = disclosure.impact_for_board(review, pages=pages)
        actions = impact[impact["level"] == "action"]
        for _, row in actions.iterrows():
            cells = page.locator(f'[data-table="impact"] tr[data-action="{row["action_id"]}"] td')
            texts = cells.all_inner_texts()
            assert [_first_line(t) for t in texts[1:4]] == [row["before"], row["after"],
                                                            row["change"]], row["action_id"]
            assert texts[4].strip() == row["verdict"] and texts[5].strip() == row["reason"]
        verdicts = dict(zip(actions["action_id"], actions["verdict"], strict=True))
        # the demo's injected effect is found and shown, and its absence says no clear change
        assert verdicts["A3.1"] == "improved" and verdicts["A9.1"] == "no clear change"
        assert verdicts["A8.1"] == "not enough evidence yet"  # starts after the last round
        assert verdicts["A2.1"] == "no audit criterion"

        readiness = disclosure.readiness_for_board(review, pages=pages)
        lines = page.locator('[data-table="readiness"] tr.ca-area-row th').all_inner_texts()
        assert lines == list(readiness.loc[readiness["level"] == "line", "line_title"])

        assert assert_every_chart_drawn_at_its_size(page) == 3

        assert "A3.1" not in list(due["action_id"])  # complete: never overdue
        text = page.inner_text("body")
        store = open_store(create=False)
        for action_id in review.plan.actions_by_id:  # the demo's updates and the two above
            for update in store.action_history(INSPECTION, action_id):
                assert update.narrative not in text and update.evidence not in text
                assert update.saved_by not in text
        assert NARRATIVE not in text and RECORDER not in text
        _pictures(page, tmp_path)
