"""The scoring form as auditors use it: `make auditor`'s Voila app in headless Chromium.

Choose a case, grade two criteria, type a note and, with the cursor still in the box, reload the
page: the draft comes back, warnings and all. Submit answers beside the button. The app runs on its
own small synthetic store so the test never changes the session's demo data.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from caseaudit.rounds import load_rounds
from caseaudit.store import open_store
from tests.ui.server import chromium_page

pytestmark = pytest.mark.browser


def _open_case(page, choose, url: str, case_id: str, named: bool = False) -> None:  # type: ignore[no-untyped-def]
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    page.locator("select").nth(1).wait_for(timeout=120_000)
    if not named:  # "I am", unless the address names the auditor
        choose(page, 1, "AUD-CSC-1")
    page.wait_for_function("() => document.querySelectorAll('select')[2].options.length > 1",
                           timeout=30_000)
    choose(page, 2, case_id)
    page.locator(".ca-criterion-1-1 .widget-toggle-button").first.wait_for(timeout=30_000)


def _unscored_case(env: dict[str, str]):  # type: ignore[no-untyped-def]
    """The app's latest round, its store, and a CSC case AUD-CSC-1 has not saved yet (each test
    takes a fresh one, so the tests do not depend on each other's order)."""
    audit = load_rounds(env["CASEAUDIT_AUDITS"])[-1]
    store = open_store(env["CASEAUDIT_DB"], create=False)
    case = next(c for c in audit.cases if "CSC" in c.agencies and
                store.latest_revision(audit.id, c.id, "CSC", "AUD-CSC-1") is None)
    return audit, store, case


def _gap(page, above: str, below: str) -> float:  # type: ignore[no-untyped-def]
    """Vertical pixels between two elements' boxes (0 when they overlap or touch)."""
    a, b = page.locator(above).bounding_box(), page.locator(below).bounding_box()
    assert a and b
    return max(0.0, max(a["y"], b["y"]) - min(a["y"] + a["height"], b["y"] + b["height"]))


def test_what_is_typed_survives_a_reload_without_leaving_the_box(scoring_app, choose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, env = scoring_app
    audit, store, case = _unscored_case(env)
    typed = "Synthetic note: seen at LS6 2AB with the mother, curiosity shown late."
    with chromium_page(tmp_path / "profile") as page:
        _open_case(page, choose, url + "&auditor=AUD-CSC-1", case.id, named=True)  # the address names them
        chosen_auditor = page.locator("select").nth(1).evaluate(
            "s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : ''")
        assert chosen_auditor.startswith("AUD-CSC-1")
        page.locator(".ca-criterion-1-1").get_by_role("button", name="Good", exact=True).click()
        chosen = page.locator(".ca-criterion-1-1 .widget-toggle-button.mod-active")
        expect(chosen).to_have_text("Good")
        # a chosen grade is unmistakable: filled dark blue with white text, not a paler grey
        colours = chosen.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
        assert colours == ["rgb(29, 79, 145)", "rgb(255, 255, 255)"]
        note = page.locator(".ca-criterion-1-3 textarea")
        note.click()
        note.press_sequentially(typed, delay=15)  # keystrokes; the cursor stays in the box
        page.locator(".ca-save-message", has_text="Draft saved").wait_for(timeout=30_000)
        assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
        page.locator(".ca-criterion-1-3 .ca-privacy", has_text="LS6 2AB").wait_for(timeout=10_000)
        page.screenshot(path=str(tmp_path / "typed.png"), full_page=False)

        _open_case(page, choose, url, case.id)  # a reload six seconds later: a new kernel, a new form
        expect(page.locator(".ca-criterion-1-3 textarea")).to_have_value(typed, timeout=30_000)
        # the restored note still says it may hold personal data
        expect(page.locator(".ca-criterion-1-3 .ca-privacy")).to_contain_text("LS6 2AB")

        page.locator(".ca-submit").click()  # not everything is graded: refused beside the button
        refusal = page.locator(".ca-save-message .ca-error")
        refusal.wait_for(timeout=30_000)
        assert "Not submitted yet" in refusal.inner_text()
        assert _gap(page, ".ca-submit", ".ca-save-message") < 40
        submit_box = page.locator(".ca-submit").bounding_box()
        assert submit_box and submit_box["y"] + submit_box["height"] <= 1200  # in the window
        expect(page.locator(".ca-attention").first).to_be_visible()
        page.screenshot(path=str(tmp_path / "refused.png"), full_page=False)
    saved = store.latest_revision(audit.id, case.id, "CSC", "AUD-CSC-1")
    assert saved.status == "draft" and saved.notes == {"1.3": typed}


def test_a_draft_survives_a_page_reload(scoring_app, choose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, env = scoring_app
    audit, store, case = _unscored_case(env)
    with chromium_page(tmp_path / "profile") as page:
        _open_case(page, choose, url, case.id)
        page.locator(".ca-criterion-1-1").get_by_role("button", name="Good", exact=True).click()
        page.locator(".ca-criterion-1-3").get_by_role(
            "button", name="Requires improvement to be good", exact=True).click()
        note = page.locator(".ca-criterion-1-3 textarea")
        note.fill("Synthetic note: curiosity shown late.")
        page.locator(".ca-save-message", has_text="Draft saved").wait_for(timeout=30_000)
        total = len(audit.load_framework().criteria_for("CSC"))
        page.locator(".ca-remaining", has_text=f"2 of {total} criteria graded").wait_for(
            timeout=10_000)

        _open_case(page, choose, url, case.id)  # a reload: a new kernel, a new form
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
