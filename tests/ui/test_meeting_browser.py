"""The audit meeting's form as the meeting uses it: `make moderation`'s Voila app in headless
Chromium, on its own synthetic store so the session's demo data is never changed.

Choose who records, choose a case with wide disagreements: they are highlighted and the notes
open on a click; an agreed grade without its rationale is refused beside the button and marked on
the criterion; what was typed comes back after a reload, though the cursor never left the box;
with the rationale it is saved, partly moderated until every criterion and the overall grade are
agreed; closing the round (two presses, offered only once the recorder is chosen) locks the form.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from caseaudit.moderation import grid_notes, moderation_grid
from caseaudit.rounds import load_rounds
from caseaudit.store import open_store
from tests.ui.server import chromium_page

pytestmark = pytest.mark.browser


def test_the_meeting_moderates_a_case_and_closes_the_round(meeting_app, choose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, env = meeting_app
    audit = load_rounds(env["CASEAUDIT_AUDITS"])[-1]
    framework = audit.load_framework()
    store = open_store(env["CASEAUDIT_DB"], create=False)
    def noted_wide(case_id: str) -> tuple[str, list[str], str] | None:
        grid = moderation_grid(store, audit, framework, case_id)
        wide = grid[grid["disagreement"]]["criterion_id"].tolist()
        noted = set(grid_notes(store, audit, case_id)["criterion_id"]) & set(wide)
        return (case_id, wide, sorted(noted)[0]) if len(wide) >= 2 and noted else None

    # a case with wide disagreements, one of them explained in an evidence note
    case_id, wide, first = next(found for c in audit.cases if (found := noted_wide(c.id)))
    css = f".ca-moderate-{first.replace('.', '-')}"

    def open_the_case(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.locator("select").nth(1).wait_for(timeout=120_000)
        choose(page, 1, "AUDIT-LEAD")
        page.wait_for_function(
            "() => document.querySelectorAll('select').length > 2 && "
            "document.querySelectorAll('select')[2].options.length > 1", timeout=30_000)
        choose(page, 2, case_id)
        page.locator(".ca-grid-summary").wait_for(timeout=30_000)

    with chromium_page(tmp_path / "profile") as page:
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.locator("select").nth(1).wait_for(timeout=120_000)
        page.locator(".ca-app-hint", has_text="Choose who is recording").wait_for(timeout=30_000)
        expect(page.get_by_role("button", name="Close the round")).to_be_hidden()
        open_the_case(page)
        page.locator(f"{css} .ca-wide").wait_for(timeout=30_000)  # rows follow the summary
        expect(page.locator(".ca-wide")).to_have_count(len(wide))
        assert "⚠ two or more levels apart" in page.locator(f"{css} .ca-wide").inner_text()

        notes = page.locator(f"{css} .ca-notes")
        assert not notes.is_visible()
        page.locator(css).get_by_role("button", name="Notes").click()
        notes.wait_for(state="visible", timeout=10_000)
        assert "Synthetic note" in notes.inner_text()

        page.locator(css).get_by_role("button", name="Good", exact=True).click()
        page.locator(".ca-save-moderation").click()
        message = page.locator(".ca-save-message .ca-error")  # beside the button pressed
        message.wait_for(timeout=30_000)
        assert "write the rationale the meeting agreed" in message.inner_text()
        assert "criterion " + first not in message.inner_text()  # by section and title
        expect(page.locator(f"{css}.ca-attention .ca-todo")).to_contain_text("rationale")
        button, said = (page.locator(s).bounding_box() for s in (".ca-save-moderation",
                                                                   ".ca-save-message"))
        assert button and said and abs(button["y"] - said["y"]) < 200
        page.screenshot(path=str(tmp_path / "refused.png"))
        assert store.moderation_history(audit.id, case_id) == []

        rationale = page.locator(f"{css} textarea")
        rationale.click()
        rationale.press_sequentially("Synthetic rationale: agreed after hearing each agency.",
                                     delay=15)  # the cursor stays in the box
        page.locator(".ca-draft-status", has_text="Draft kept").wait_for(timeout=30_000)
        assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
        strengths = page.locator(".ca-strengths textarea")
        strengths.click()
        strengths.press_sequentially("Synthetic strengths: a clear chronology.", delay=15)
        page.wait_for_timeout(3_500)  # a pause, then the page is gone: nothing left the box

        open_the_case(page)  # the page reloaded, as after a dropped connection: a new kernel
        page.locator(".ca-draft-status", has_text="Brought back what AUDIT-LEAD typed").wait_for(
            timeout=30_000)
        expect(rationale).to_have_value("Synthetic rationale: agreed after hearing each agency.")
        expect(strengths).to_have_value("Synthetic strengths: a clear chronology.")
        expect(page.locator(f"{css} .widget-toggle-button.mod-active")).to_have_text("Good")
        page.locator(".ca-overall").get_by_role(
            "button", name="Requires improvement to be good", exact=True).click()
        page.locator(".ca-save-moderation").click()
        page.locator(".ca-save-message", has_text="Moderation saved (revision 1)").wait_for(
            timeout=30_000)
        assert "partly moderated" in page.locator(".ca-save-message").inner_text()
        page.locator(".ca-round-status", has_text="1 partly moderated").wait_for(timeout=10_000)
        page.screenshot(path=str(tmp_path / "saved.png"))

        close = page.get_by_role("button", name="Close the round")
        close.click()
        page.locator(".ca-app-message", has_text="again to confirm").wait_for(timeout=10_000)
        assert not store.round_locked(audit.id)
        close.click()
        page.locator(".ca-round-status", has_text="Closed by AUDIT-LEAD"
                     ).wait_for(timeout=30_000)
        # widget state reaches the page message by message: wait for it rather than sample it
        expect(page.locator(".ca-save-moderation")).to_be_disabled(timeout=30_000)
        text = page.inner_text("body")
        assert "Traceback" not in text and "moderation_app()" not in text
    saved = store.moderation_history(audit.id, case_id)[-1]
    assert saved.saved_by == "AUDIT-LEAD" and saved.grades[first] == 2 and saved.overall == 3
    assert saved.rationales == {first: "Synthetic rationale: agreed after hearing each agency."}
    assert saved.strengths == "Synthetic strengths: a clear chronology."
    assert store.round_locked(audit.id)
