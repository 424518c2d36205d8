"""The progress-update form as the business manager uses it: `make actions`'s Voila app in
headless Chromium, on its own synthetic store and the tests' small inspection.

Choose an action: what it promised is shown; choose a status and type what was done (the cursor
never leaving the box); reload the page, as after a dropped connection: the draft comes back;
save: the answer is beside the button and the history holds the update. A second page that
opened the action before that save is refused, with who saved and when, and nothing is lost.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from caseaudit.store import open_store
from tests.inspections import INSPECTION_ID
from tests.ui.conftest import ACTIONS_RECORDER
from tests.ui.server import chromium_page

pytestmark = pytest.mark.browser

ACTION = "A1 Direct work with children › A1.1"
NARRATIVE = "Synthetic: two of five teams trained; the rest in October."


def open_action(page, choose, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open the app and choose action A1.1, as a person would."""
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_function("() => document.querySelectorAll('select').length > 1 && "
                           "document.querySelectorAll('select')[1].options.length > 1",
                           timeout=120_000)
    choose(page, 1, ACTION)
    page.locator(".ca-action-info", has_text="30 June 2026").wait_for(timeout=30_000)


def test_an_update_is_drafted_brought_back_saved_and_a_stale_one_refused(  # type: ignore[no-untyped-def]
        actions_app, choose, tmp_path: Path) -> None:
    url, env = actions_app
    store = open_store(env["CASEAUDIT_DB"], create=False)
    with chromium_page(tmp_path / "profile", height=768) as page:
        page.set_viewport_size({"width": 1366, "height": 768})
        open_action(page, choose, url)
        info = page.locator(".ca-action-info").inner_text()
        assert "CSC (Children's social care): Principal social worker" in info
        expect(page.locator(".ca-recorder input")).to_have_value(ACTIONS_RECORDER)
        expect(page.locator(".ca-recorded-on input")).to_have_value(env["CASEAUDIT_TODAY"])
        assert "No update yet" in page.locator(".ca-form").inner_text()

        page.locator(".ca-status").get_by_role("button", name="At risk", exact=True).click()
        narrative = page.locator(".ca-narrative textarea")
        narrative.click()
        narrative.press_sequentially(NARRATIVE, delay=15)  # the cursor stays in the box
        page.locator(".ca-draft-status", has_text="Draft kept").wait_for(timeout=30_000)
        assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
        page.wait_for_timeout(500)

        open_action(page, choose, url)  # the page reloaded: a new kernel
        page.locator(".ca-draft-status", has_text=f"Brought back what {ACTIONS_RECORDER} typed"
                     ).wait_for(timeout=30_000)
        expect(narrative).to_have_value(NARRATIVE)
        expect(page.locator(".ca-status .widget-toggle-button.mod-active")).to_have_text("At risk")
        page.screenshot(path=str(tmp_path / "draft.png"), full_page=True)

        other = page.context.new_page()  # a colleague's page, opened before the save
        other.set_viewport_size({"width": 1366, "height": 768})
        open_action(other, choose, url)

        page.locator(".ca-save-update").click()
        result = page.locator(".ca-save-message", has_text="Update saved (revision 1")
        result.wait_for(timeout=30_000)
        assert "the action is at risk" in result.inner_text()
        button, beside = (page.locator(s).bounding_box() for s in (".ca-save-update",
                                                                     ".ca-save-message"))
        assert button and beside and abs(button["y"] - beside["y"]) < 60  # beside the button
        assert 0 <= button["y"] <= 768 - button["height"]  # in the window, not below it
        page.locator(".ca-history", has_text="at risk").wait_for(timeout=10_000)
        page.screenshot(path=str(tmp_path / "saved.png"))

        other.locator(".ca-status").get_by_role("button", name="Off track", exact=True).click()
        other.locator(".ca-save-update").click()
        other.locator(".ca-save-message .ca-error", has_text="someone else changed").wait_for(
            timeout=30_000)
        conflict = other.locator(".ca-conflict")
        expect(conflict).to_contain_text(f"{ACTIONS_RECORDER} saved this action's progress at")
        expect(other.get_by_role("button", name="Keep mine as a new revision")).to_be_visible()
        other.screenshot(path=str(tmp_path / "conflict.png"))
        text = page.inner_text("body") + other.inner_text("body")
        assert "Traceback" not in text and "action_updates_form()" not in text
    history = store.action_history(INSPECTION_ID, "A1.1")
    assert [(u.status, u.narrative, u.saved_by) for u in history] == [
        ("at risk", NARRATIVE, ACTIONS_RECORDER)]
    store.dispose()
