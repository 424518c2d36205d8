"""The scoring form as auditors use it: `make auditor`'s Voila app in headless Chromium.

Choose a case, grade two criteria, write a note, reload the page: the draft comes back. The app
runs on its own small synthetic store so the test never changes the session's demo data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from caseaudit.rounds import load_rounds
from caseaudit.serve import SCORING_NOTEBOOK
from caseaudit.store import open_store
from tests.ui.test_dashboard_browser import chromium_page
from tests.ui.voila_app import running_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scoring_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("scoring")
    with running_app(SCORING_NOTEBOOK, folder, CASEAUDIT_SETTINGS=str(folder / "auditor.json")) \
            as app:
        yield app


def _choose(page, index: int, text: str) -> None:  # type: ignore[no-untyped-def]
    select = page.locator("select").nth(index)
    options = select.evaluate("s => Array.from(s.options).map(o => o.text.replace(/\\u00a0/g, ' '))")
    select.select_option(index=next(i for i, o in enumerate(options) if o.startswith(text)))


def _open_case(page, url: str, case_id: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    page.locator("select").nth(1).wait_for(timeout=120_000)
    _choose(page, 1, "AUD-CSC-1")  # "I am": the web app asks every time
    page.wait_for_function("() => document.querySelectorAll('select')[2].options.length > 1",
                           timeout=30_000)
    _choose(page, 2, case_id)
    page.locator(".ca-criterion-1-1 .widget-toggle-button").first.wait_for(timeout=30_000)


def test_a_draft_survives_a_page_reload(scoring_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, env = scoring_app
    audit = load_rounds(env["CASEAUDIT_AUDITS"])[-1]
    store = open_store(env["CASEAUDIT_DB"], create=False)
    case = next(c for c in audit.cases if "CSC" in c.agencies and
                store.latest_revision(audit.id, c.id, "CSC", "AUD-CSC-1") is None)
    with chromium_page(tmp_path / "profile") as page:
        _open_case(page, url, case.id)
        page.locator(".ca-criterion-1-1").get_by_role("button", name="Good", exact=True).click()
        page.locator(".ca-criterion-1-3").get_by_role(
            "button", name="Requires improvement to be good", exact=True).click()
        note = page.locator(".ca-criterion-1-3 textarea")
        note.fill("Synthetic note: curiosity shown late.")
        note.press("Tab")  # the note is sent when the box loses focus
        page.locator(".ca-message", has_text="Draft saved").wait_for(timeout=30_000)
        total = len(audit.load_framework().criteria_for("CSC"))
        page.locator(".ca-remaining", has_text=f"2 of {total} criteria graded").wait_for(
            timeout=10_000)

        _open_case(page, url, case.id)  # a reload: a new kernel, a new form
        page.locator(".ca-message", has_text="Draft form").wait_for(timeout=30_000)
        good = page.locator(".ca-criterion-1-1 .widget-toggle-button.mod-active")
        expect(good).to_have_text("Good")
        ri = page.locator(".ca-criterion-1-3 .widget-toggle-button.mod-active")
        expect(ri).to_have_text("Requires improvement to be good")
        expect(page.locator(".ca-criterion-1-3 textarea")).to_have_value(
            "Synthetic note: curiosity shown late.")
        assert "Traceback" not in page.inner_text("body")
    saved = store.latest_revision(audit.id, case.id, "CSC", "AUD-CSC-1")
    assert saved.status == "draft" and saved.grades == {"1.1": 2, "1.3": 3}
    assert saved.notes == {"1.3": "Synthetic note: curiosity shown late."}
