"""Every page the workbook serves passes axe-core's WCAG 2.2 A and AA rules, with its widgets open
(the public sector accessibility regulations bind the councils and health bodies that use it), and
the forms work from the keyboard alone, with the focus visible and the chosen answer said in words
and state, not only in colour.

Each app runs on its own small synthetic store, as in its own browser test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from caseaudit import settings
from caseaudit.framework import is_grade
from caseaudit.inspection import list_inspection_ids
from caseaudit.moderation import grid_notes, moderation_grid
from caseaudit.rounds import load_rounds
from caseaudit.store import FormSave, open_store
from tests.ui.accessibility import assert_accessible
from tests.ui.dashboard_pages import assert_dashboard_accessible, open_page, serving
from tests.ui.server import chromium_page

pytestmark = pytest.mark.browser


def _unscored_case(env: dict[str, str]) -> str:
    """A CSC case AUD-CSC-1 has not saved yet: each test takes a fresh one."""
    audit = load_rounds(env["CASEAUDIT_AUDITS"])[-1]
    store = open_store(env["CASEAUDIT_DB"], create=False)
    return next(c.id for c in audit.cases if "CSC" in c.agencies and
                store.latest_revision(audit.id, c.id, "CSC", "AUD-CSC-1") is None)


def _open_scoring_case(page, choose, url: str, case_id: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "&auditor=AUD-CSC-1", wait_until="domcontentloaded", timeout=120_000)
    page.locator("select").nth(1).wait_for(timeout=120_000)
    page.wait_for_function("() => document.querySelectorAll('select')[2].options.length > 1",
                           timeout=30_000)
    choose(page, 2, case_id)
    page.locator(".ca-criterion-1-1 .widget-toggle-button").first.wait_for(timeout=30_000)


def test_the_scoring_form_passes_axe_with_its_criteria_open(scoring_app, choose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, env = scoring_app
    with chromium_page(tmp_path / "profile") as page:
        _open_scoring_case(page, choose, url, _unscored_case(env))
        row = page.locator(".ca-criterion-1-1")
        row.get_by_role("button", name="What good looks like").click()
        row.locator(".ca-guidance").wait_for(state="visible", timeout=10_000)
        row.get_by_role("button", name="Good", exact=True).click()
        page.locator(".ca-save-message", has_text="Draft saved").wait_for(timeout=30_000)
        page.locator(".ca-submit").click()  # the refusal and the marks on the criteria, too
        page.locator(".ca-save-message .ca-error").wait_for(timeout=30_000)
        expect(page.locator(".ca-attention").first).to_be_visible()
        assert_accessible(page, what="the scoring form")


def _open_meeting_case(page, choose, url: str, case_id: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    page.locator("select").nth(1).wait_for(timeout=120_000)
    choose(page, 1, "AUDIT-LEAD")
    page.wait_for_function("() => document.querySelectorAll('select').length > 2 && "
                           "document.querySelectorAll('select')[2].options.length > 1",
                           timeout=30_000)
    choose(page, 2, case_id)
    page.locator(".ca-grid-summary").wait_for(timeout=30_000)
    page.locator(".ca-moderation-row").first.wait_for(timeout=30_000)


def _noted_case(env: dict[str, str]) -> str:
    """A case of the latest round, not its first (the keyboard's), with an evidence note to show."""
    audit = load_rounds(env["CASEAUDIT_AUDITS"])[-1]
    store = open_store(env["CASEAUDIT_DB"], create=False)
    return next(c.id for c in audit.cases[1:] if not grid_notes(store, audit, c.id).empty)


def test_the_meeting_form_passes_axe_with_a_case_open(meeting_app, choose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, env = meeting_app
    with chromium_page(tmp_path / "profile") as page:
        _open_meeting_case(page, choose, url, _noted_case(env))
        page.get_by_role("button", name="The whole grid").click()  # the grid open too
        page.locator(".ca-grid-table").wait_for(state="visible", timeout=10_000)
        page.locator(".ca-moderation-row button:not([disabled])", has_text="Notes").first.click()
        page.locator(".ca-notes >> visible=true").first.wait_for(timeout=10_000)
        first = page.locator(".ca-moderation-row").first
        first.get_by_role("button", name="Good", exact=True).click()
        page.locator(".ca-draft-status", has_text="Draft kept").wait_for(timeout=30_000)
        page.locator(".ca-save-moderation").click()  # a refusal beside the button, marks on rows
        page.locator(".ca-save-message .ca-error").wait_for(timeout=30_000)
        assert_accessible(page, what="the meeting's form")


def test_the_progress_update_form_passes_axe_with_its_history_and_warnings(  # type: ignore[no-untyped-def]
        actions_app, choose, tmp_path: Path) -> None:
    url, _ = actions_app
    with chromium_page(tmp_path / "profile") as page:
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_function("() => document.querySelectorAll('select').length > 1 && "
                               "document.querySelectorAll('select')[1].options.length > 1",
                               timeout=120_000)
        choose(page, 1, "A1 Direct work with children › A1.2")
        page.locator(".ca-action-info", has_text="30 September 2026").wait_for(timeout=30_000)
        page.locator(".ca-recorder input").fill("")  # a refusal beside the button first
        page.locator(".ca-status").get_by_role("button", name="On track", exact=True).click()
        page.locator(".ca-save-update").click()
        page.locator(".ca-save-message .ca-error", has_text="say who records").wait_for(
            timeout=30_000)
        page.locator(".ca-recorder input").fill("BM-A11Y")
        page.locator(".ca-narrative textarea").fill("Synthetic: met Jane Smith at the station.")
        page.locator(".ca-privacy").first.wait_for(timeout=30_000)  # the warning, then the save
        page.locator(".ca-save-update").click()
        page.locator(".ca-save-message", has_text="Update saved").wait_for(timeout=30_000)
        page.locator(".ca-history-table").wait_for(timeout=10_000)
        assert_accessible(page, what="the progress-update form")


# -- the keyboard alone -------------------------------------------------------------------------------

#: The focused element is plain to see: an outline this wide, not ipywidgets' faint 1px line.
FOCUS_OUTLINE_PX = 2


def _focus_to(page, selector: str, text: str | None = None, backwards: bool = False,  # type: ignore[no-untyped-def]
              limit: int = 400) -> None:
    """Press Tab (Shift+Tab when ``backwards``) until the focus is on ``selector`` (with ``text``,
    when given), as a person who uses no mouse does; fail if it never gets there. Each stop on
    the way must show where the focus is."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        here = page.evaluate(
            """([selector, text]) => {
                const e = document.activeElement;
                if (!e || e === document.body) return null;
                const style = getComputedStyle(e);
                return {match: e.matches(selector) &&
                               (text === null || e.textContent.replace(/\\u2713/g, '').trim() === text),
                        outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
                        what: e.outerHTML.slice(0, 160)};
            }""", [selector, text])
        if here is None:
            continue
        assert here["outline"] >= FOCUS_OUTLINE_PX, f"the focus is not visible on {here['what']}"
        if here["match"]:
            return
    pytest.fail(f"{key} never reached {selector} {text or ''}")


def _choose_by_keyboard(page, index: int, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Tab to drop-down number ``index`` and move down ``times`` options with the arrow key (how
    a drop-down is worked without a mouse)."""
    select = page.locator("select").nth(index)
    select_id = select.get_attribute("id")
    _focus_to(page, f'[id="{select_id}"]')
    for _ in range(times):
        page.keyboard.press("ArrowDown")


def _pressed_state(page, row: str) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    """Each answer button of ``row`` with its aria-pressed: what a screen reader says of it."""
    return page.locator(f"{row} .widget-toggle-buttons .widget-toggle-button").evaluate_all(
        "bs => bs.map(b => [b.textContent.replace(/\\u2713/g, '').trim(), b.getAttribute('aria-pressed')])")


def test_a_form_is_scored_and_submitted_from_the_keyboard(scoring_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, env = scoring_app
    audit = load_rounds(env["CASEAUDIT_AUDITS"])[-1]
    framework = audit.load_framework()
    store = open_store(env["CASEAUDIT_DB"], create=False)
    cases = [c for c in audit.cases if "CSC" in c.agencies]
    case = next(c for c in cases if store.latest_revision(audit.id, c.id, "CSC", "AUD-CSC-1") is None)
    # a draft with every criterion graded but the first: the keyboard does the rest
    criteria = [c.id for c in framework.criteria_for("CSC")]
    first, scale = criteria[0], framework.scale_of(criteria[0])
    plain = {cid: next(a for _, a in framework.scale_of(cid).choices()
                       if is_grade(a) and a not in framework.scale_of(cid).note_required_for)
             for cid in criteria[1:]}
    store.save_form(audit, framework, FormSave(case.id, "CSC", "AUD-CSC-1", plain, {}, "draft",
                                               None, saved_by="AUD-CSC-1"))
    needs_note = scale.label(scale.note_required_for[0])  # e.g. "Outstanding"
    row = f".ca-criterion-{first.replace('.', '-')}"
    typed = "Synthetic note: the chronology shows the hypothesis was held from the first visit."
    with chromium_page(tmp_path / "profile") as page:
        page.goto(url + "&auditor=AUD-CSC-1", wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_function("() => document.querySelectorAll('select').length > 2 && "
                               "document.querySelectorAll('select')[2].options.length > 1",
                               timeout=120_000)
        _choose_by_keyboard(page, 2, times=cases.index(case) + 1)
        page.locator(".ca-message", has_text=f"Draft form for case {case.id}").wait_for(timeout=30_000)

        _focus_to(page, f"{row} .widget-toggle-button", "Good")
        page.keyboard.press("Space")
        # the chosen answer is said in words and state, not only in colour
        expect(page.locator(f"{row} .widget-toggle-button.mod-active")).to_have_attribute(
            "aria-pressed", "true")
        pressed = [(label, state) for label, state in _pressed_state(page, row)]
        assert [label for label, state in pressed if state == "true"] == ["Good"]
        assert all(state == "false" for label, state in pressed if label != "Good")
        assert "✓" in page.locator(f"{row} .widget-toggle-button.mod-active").evaluate(
            "b => getComputedStyle(b, '::before').content")  # a tick as well as the fill
        assert page.locator(f"{row} .widget-toggle-buttons").get_attribute("role") == "group"
        assert page.locator(f"{row} .widget-toggle-buttons").evaluate(
            "g => document.getElementById(g.getAttribute('aria-labelledby')).textContent"
        ).startswith(f"Grade for {first}")

        _focus_to(page, f"{row} textarea")
        page.keyboard.type(typed)
        _focus_to(page, f"{row} .widget-toggle-button", needs_note, backwards=True)  # changed mind
        page.keyboard.press("Space")
        expect(page.locator(f"{row} .widget-toggle-button.mod-active")).to_have_text(needs_note)
        _focus_to(page, ".ca-submit")
        page.keyboard.press("Enter")
        page.locator(".ca-save-message", has_text="Submitted").wait_for(timeout=30_000)
        page.screenshot(path=str(tmp_path / "submitted.png"))
    saved = store.latest_revision(audit.id, case.id, "CSC", "AUD-CSC-1")
    assert saved.status == "submitted"
    assert saved.grades[first] == scale.note_required_for[0] and saved.notes == {first: typed}


def test_the_meeting_agrees_a_grade_from_the_keyboard(meeting_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, env = meeting_app
    audit = load_rounds(env["CASEAUDIT_AUDITS"])[-1]
    framework = audit.load_framework()
    store = open_store(env["CASEAUDIT_DB"], create=False)
    case_id = audit.cases[0].id  # the first case: one press of the arrow key chooses it
    people = [*audit.moderators, *(a.id for a in audit.auditors if a.id not in audit.moderators)]
    first = moderation_grid(store, audit, framework, case_id)["criterion_id"].iloc[0]
    row = f".ca-moderate-{first.replace('.', '-')}"
    rationale = "Synthetic rationale: agreed after hearing each agency."
    with chromium_page(tmp_path / "profile") as page:
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.locator("select").nth(1).wait_for(timeout=120_000)
        _choose_by_keyboard(page, 1, times=people.index("AUDIT-LEAD") + 1)
        page.wait_for_function("() => document.querySelectorAll('select').length > 2 && "
                               "document.querySelectorAll('select')[2].options.length > 1",
                               timeout=30_000)
        _choose_by_keyboard(page, 2)
        page.locator(row).wait_for(timeout=30_000)
        page.locator(".ca-grid-summary").wait_for(timeout=30_000)

        # the whole grid opens from the keyboard too (a section header, not a button, in ipywidgets)
        _focus_to(page, ".jupyter-widget-Collapse-header")
        expect(page.locator(".jupyter-widget-Collapse-header").first).to_have_attribute(
            "aria-expanded", "false")
        page.keyboard.press("Enter")
        page.locator(".ca-grid-table").wait_for(state="visible", timeout=10_000)
        expect(page.locator(".jupyter-widget-Collapse-header").first).to_have_attribute(
            "aria-expanded", "true")

        _focus_to(page, f"{row} .widget-toggle-button", "Good")
        page.keyboard.press("Space")
        expect(page.locator(f"{row} .widget-toggle-button.mod-active")).to_have_attribute(
            "aria-pressed", "true")
        _focus_to(page, f"{row} textarea")
        page.keyboard.type(rationale)
        _focus_to(page, ".ca-overall .widget-toggle-button", "Good")
        page.keyboard.press("Space")
        _focus_to(page, ".ca-save-moderation")
        page.keyboard.press("Enter")
        page.locator(".ca-save-message", has_text="Moderation saved").wait_for(timeout=30_000)
        page.screenshot(path=str(tmp_path / "saved.png"))
    saved = store.moderation_history(audit.id, case_id)[-1]
    assert saved.saved_by == "AUDIT-LEAD"
    good = next(a for label, a in framework.scale_of(first).choices() if label == "Good")
    assert saved.grades[first] == good and saved.rationales == {first: rationale}


# -- the board's pages ----------------------------------------------------------------------------------


def test_the_action_plan_dashboard_passes_axe_with_its_tables_open(
        tmp_path_factory: pytest.TempPathFactory, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from caseaudit.example_inspection import EXAMPLE_INSPECTION_ID, copy_example_inspection

    if EXAMPLE_INSPECTION_ID not in list_inspection_ids():  # as caseaudit demo-data puts it
        copy_example_inspection(settings.inspections_dir())
    monkeypatch.setenv(settings.TODAY_ENV, "2026-10-15")  # actions overdue and due: every table
    with serving("action_plan.ipynb", tmp_path_factory.mktemp("action_plan")) as server, \
            chromium_page(tmp_path / "profile") as page:
        open_page(page, server, "action_plan.ipynb", '[data-section="suggestions"]')
        assert page.locator('[data-table="due"] tbody tr').count() > 0
        assert_dashboard_accessible(page, "the action plan dashboard")
