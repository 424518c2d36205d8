"""The practice week's forms as the week's leads and observers use them: `make practice-week`'s
Voila app in headless Chromium, at a laptop's 1366x768.

For each stream: open a record, fill some of it, wait for the draft, reload the page (a new
kernel, a new form): the draft is back; fill the rest and submit: the answer is beside the button
and the record is in the store. Each stream's form passes axe-core's WCAG A/AA rules with its
fields open, and a screenshot of each is kept in the test's folder to look at.

The app runs on its own empty store and an audits folder holding only the repository's example
practice week, so the record ids (OBS-001, FF-001...) are known and the demo is never changed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.rounds import AuditRound, load_round_file
from caseaudit.serve import PRACTICE_WEEK_NOTEBOOK
from caseaudit.store import Store, open_store
from tests.ui.accessibility import assert_accessible
from tests.ui.server import chromium_page, running_server

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).parents[2] / "audits" / "2026-05-practice-week"
LEAD = "PW-LEAD-CSC-1"
WIDTH, HEIGHT = 1366, 768


@pytest.fixture(scope="module")
def practice_week_app(tmp_path_factory: pytest.TempPathFactory
                      ) -> Iterator[tuple[str, AuditRound, Store]]:
    """The app, its week and its store (read by the tests, written only by the app)."""
    folder = tmp_path_factory.mktemp("practice-week")
    audits = folder / "audits"
    shutil.copytree(EXAMPLE, audits / EXAMPLE.name)
    db = folder / "workbook.db"
    open_store(db, create=True).dispose()
    env = {**os.environ, "CASEAUDIT_DB": str(db), "CASEAUDIT_AUDITS": str(audits),
           "CASEAUDIT_WEB_APP": "1", "CASEAUDIT_SETTINGS": str(folder / "auditor.json")}
    env.pop("JUPYTERHUB_USER", None)
    with running_server(PRACTICE_WEEK_NOTEBOOK, folder, env) as server:
        store = open_store(db, create=False)
        yield server.url() + f"&auditor={LEAD}", load_round_file(audits / EXAMPLE.name / "audit.yaml"), store
        store.dispose()


def choose(page: Any, css: str, text: str) -> None:
    """In the drop-down inside ``css``, select the first option whose text starts with ``text``,
    as a person would (ipywidgets pads labels with no-break spaces)."""
    select = page.locator(f"{css} select")
    select.wait_for(timeout=30_000)
    page.wait_for_function(
        "([css, text]) => Array.from(document.querySelectorAll(css + ' select option'))"
        ".some(o => o.text.replace(/\\u00a0/g, ' ').startsWith(text))", arg=[css, text],
        timeout=30_000)
    options = select.evaluate("s => Array.from(s.options).map(o => o.text.replace(/\\u00a0/g, ' '))")
    select.select_option(index=next(i for i, o in enumerate(options) if o.startswith(text)))


def open_record(page: Any, url: str, stream: str, record: str) -> None:
    """Open the app (the address names the auditor), choose the stream and the record."""
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    choose(page, ".ca-stream-picker", stream)
    choose(page, ".ca-record-picker", record)
    page.locator(".ca-stream-form .ca-criterion").first.wait_for(timeout=30_000)


def press(page: Any, css: str, name: str) -> None:
    page.locator(css).get_by_role("button", name=name, exact=True).click()


def draft_kept(page: Any) -> None:
    page.locator(".ca-save-message", has_text="Draft saved").wait_for(timeout=30_000)


def pressed(page: Any, css: str) -> Any:
    return page.locator(f"{css} .widget-toggle-button.mod-active")


def submitted(page: Any, tmp_path: Path, name: str) -> None:
    """Press Submit; the answer appears beside the button, inside the window."""
    page.locator(".ca-submit").click()
    page.locator(".ca-save-message", has_text="Submitted").wait_for(timeout=30_000)
    button, beside = (page.locator(s).bounding_box() for s in (".ca-submit", ".ca-save-message"))
    assert button and beside and abs(button["y"] - beside["y"]) < 40  # beside the button
    assert 0 <= button["y"] <= HEIGHT - button["height"]  # in the window, not below it
    page.screenshot(path=str(tmp_path / f"{name}-submitted.png"))
    assert "Traceback" not in page.inner_text("body")


def new_page(context_page: Any) -> Any:
    context_page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return context_page


def test_a_collaborative_case_audit(practice_week_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, week, store = practice_week_app
    case = week.cases[0].id
    with chromium_page(tmp_path / "profile", height=HEIGHT) as page:
        new_page(page)
        open_record(page, url, "Collaborative case audit", case)
        choose(page, ".ca-practitioner", "P-03 — Senior practitioner (CSC)")
        press(page, ".ca-criterion-CR1", "Good")
        expect(pressed(page, ".ca-criterion-CR1")).to_have_text("Good")
        reflection = page.locator(".ca-stream-text textarea")
        reflection.click()
        reflection.press_sequentially("Synthetic: I would see the child alone sooner.", delay=10)
        draft_kept(page)
        page.screenshot(path=str(tmp_path / "case-audit-draft.png"))

        open_record(page, url, "Collaborative case audit", case)  # the page reloaded
        page.locator(".ca-message", has_text="Draft case audit").wait_for(timeout=30_000)
        expect(pressed(page, ".ca-criterion-CR1")).to_have_text("Good")
        expect(reflection).to_have_value("Synthetic: I would see the child alone sooner.")
        assert page.locator(".ca-practitioner select").evaluate(
            "s => s.options[s.selectedIndex].text").startswith("P-03")
        page.locator(".ca-submit").click()  # not complete: what is missing, beside the button
        page.locator(".ca-save-message .ca-error", has_text="Still to do").wait_for(timeout=30_000)
        page.screenshot(path=str(tmp_path / "case-audit-refused.png"))
        assert_accessible(page, what="the collaborative case audit's form")
        for cid in ("CR2", "CR3", "CR4", "CP1"):
            press(page, f".ca-criterion-{cid}", "Requires improvement to be good")
        press(page, ".ca-criterion-CP2", "Yes")
        submitted(page, tmp_path, "case-audit")
    saved = store.latest_revision(week.id, case, "CSC", LEAD)
    assert saved.status == "submitted" and saved.details.practitioner == "P-03"
    assert saved.grades["CR1"] == 2 and saved.grades["CP2"] == 1
    assert saved.details.text == "Synthetic: I would see the child alone sooner."


def test_an_observation(practice_week_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, week, store = practice_week_app
    with chromium_page(tmp_path / "profile", height=HEIGHT) as page:
        new_page(page)
        open_record(page, url, "Observation of practice", "New observation")
        page.locator(".ca-message", has_text="New observation OBS-001").wait_for(timeout=30_000)
        choose(page, ".ca-event-kind", "Home visit")
        page.locator(".ca-event-date input").fill("2026-05-12")
        choose(page, ".ca-practitioner", "P-02")
        press(page, ".ca-criterion-OB1", "Good")
        press(page, ".ca-feedback-given", "Yes")
        draft_kept(page)

        open_record(page, url, "Observation of practice", "OBS-001")  # the page reloaded
        page.locator(".ca-message", has_text="Draft observation OBS-001").wait_for(timeout=30_000)
        assert page.locator(".ca-record-picker select").evaluate(
            "s => s.options[s.selectedIndex].text").replace("\u00a0", " ").startswith(
            "OBS-001 — home visit, 12 May 2026, P-02")
        expect(page.locator(".ca-event-date input")).to_have_value("2026-05-12")
        expect(pressed(page, ".ca-criterion-OB1")).to_have_text("Good")
        expect(pressed(page, ".ca-feedback-given")).to_have_text("Yes")
        assert_accessible(page, what="the observation's form")  # before a scroll puts buttons
        # under the bar at the foot of the window, which axe counts as targets too small
        page.locator(".ca-event-kind").evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(tmp_path / "observation-draft.png"))
        for cid in ("OB2", "OB3"):
            press(page, f".ca-criterion-{cid}", "Good")
        press(page, ".ca-criterion-OB4", "Yes")
        submitted(page, tmp_path, "observation")
    saved = store.latest_revision(week.id, "OBS-001", "CSC", LEAD)
    assert saved.status == "submitted" and saved.details.event_kind == "home visit"
    assert saved.details.feedback_given is True and saved.details.practitioner == "P-02"
    records = store.stream_records(week.id)
    assert records.loc[records["stream_id"] == "observation", "record_id"].tolist() == ["OBS-001"]


def test_family_feedback_asks_consent_first(practice_week_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, week, store = practice_week_app
    said = "Synthetic: she comes when she says she will."
    with chromium_page(tmp_path / "profile", height=HEIGHT) as page:
        new_page(page)
        open_record(page, url, "Feedback from children and families", "New feedback return")
        question = page.locator(".ca-criterion-FF1").get_by_role("button", name="Agree", exact=True)
        expect(question).to_be_disabled()  # consent first
        expect(page.locator(".ca-stream-text textarea")).to_be_disabled()
        expect(page.locator(".ca-never-shown")).to_contain_text("never shown on a dashboard")
        page.locator(".ca-consent").evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(tmp_path / "family-feedback-before-consent.png"))
        press(page, ".ca-consent", "Given")
        expect(question).to_be_enabled()
        press(page, ".ca-respondent", "Parent or carer")
        page.locator(".ca-event-date input").fill("2026-05-13")
        question.click()
        page.locator(".ca-stream-text textarea").fill(said)
        draft_kept(page)

        open_record(page, url, "Feedback from children and families", "FF-001")  # reloaded
        page.locator(".ca-message", has_text="Draft feedback return FF-001").wait_for(timeout=30_000)
        expect(pressed(page, ".ca-consent")).to_have_text("Given")
        expect(pressed(page, ".ca-respondent")).to_have_text("Parent or carer")
        expect(pressed(page, ".ca-criterion-FF1")).to_have_text("Agree")
        expect(page.locator(".ca-stream-text textarea")).to_have_value(said)
        press(page, ".ca-criterion-FF2", "Strongly agree")
        press(page, ".ca-criterion-FF3", "Yes")
        page.screenshot(path=str(tmp_path / "family-feedback-filled.png"))
        assert_accessible(page, what="the family feedback form")
        submitted(page, tmp_path, "family-feedback")
    saved = store.latest_revision(week.id, "FF-001", "CSC", LEAD)
    assert saved.status == "submitted" and saved.details.consent == "given"
    assert saved.details.respondent == "parent or carer" and saved.grades == {"FF1": 2, "FF2": 1, "FF3": 1}


def test_practitioner_feedback_may_be_anonymous(practice_week_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, week, store = practice_week_app
    with chromium_page(tmp_path / "profile", height=HEIGHT) as page:
        new_page(page)
        open_record(page, url, "Feedback from practitioners", "New feedback return")
        press(page, ".ca-consent", "Given")
        choose(page, ".ca-practitioner", "Anonymous")
        page.locator(".ca-event-date input").fill("2026-05-14")
        press(page, ".ca-criterion-PF1", "Agree")
        draft_kept(page)

        open_record(page, url, "Feedback from practitioners", "PF-001")  # reloaded
        page.locator(".ca-message", has_text="Draft feedback return PF-001").wait_for(timeout=30_000)
        expect(pressed(page, ".ca-criterion-PF1")).to_have_text("Agree")
        assert page.locator(".ca-practitioner select").evaluate(
            "s => s.options[s.selectedIndex].text").startswith("Anonymous")
        press(page, ".ca-criterion-PF2", "Disagree")
        press(page, ".ca-criterion-PF3", "No")
        expect(page.locator(".ca-submit")).to_be_enabled()
        page.screenshot(path=str(tmp_path / "practitioner-feedback-filled.png"))
        assert_accessible(page, what="the practitioner feedback form")
        submitted(page, tmp_path, "practitioner-feedback")
    saved = store.latest_revision(week.id, "PF-001", "CSC", LEAD)
    assert saved.status == "submitted" and saved.details.practitioner is None
    assert saved.grades == {"PF1": 2, "PF2": 4, "PF3": 2}
