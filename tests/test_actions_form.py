"""The progress-update form (caseaudit.ui.actions), driven through its widgets against a real
store: choosing the inspection and the action, what the action shows, drafts kept as the person
types and offered back, the privacy warning before the save, refusals beside the button and two
people updating the same action."""

from __future__ import annotations

import html
from datetime import date, timedelta
from pathlib import Path

import pytest

from caseaudit.action_plan import ActionPlan
from caseaudit.inspection import Inspection
from caseaudit.store import Store
from caseaudit.ui.actions import ActionUpdateForm, open_inspections
from caseaudit.ui.form_base import AUTOSAVE_SECONDS, FormBase
from tests.inspections import INSPECTION_ID, PLAN_YAML, load_small, write_inspection

TODAY = date(2026, 9, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_TODAY", TODAY.isoformat())
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)


@pytest.fixture
def inspections(tmp_path: Path) -> Path:
    return write_inspection(tmp_path / "inspections")


@pytest.fixture
def small(inspections: Path) -> tuple[Inspection, ActionPlan]:
    return load_small(inspections)


def form(store: Store, small, later=None, recorder: str | None = "BM-1",  # type: ignore[no-untyped-def]
         action: str | None = "A1.1") -> ActionUpdateForm:
    opened = ActionUpdateForm(store, [small], recorder=recorder,
                              **({"scheduler": later} if later is not None else {}))
    if action is not None:
        opened.action_picker.value = action
    return opened


def said(widget) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(widget.value)


def test_it_offers_the_plans_actions_by_area_with_their_status(store: Store, small) -> None:  # type: ignore[no-untyped-def]
    opened = form(store, small, action=None)
    assert isinstance(opened, FormBase)
    assert opened.inspection_picker.value == INSPECTION_ID
    assert opened.inspection_picker.layout.display == "none"  # one inspection: nothing to choose
    assert "JTAI: Child sexual abuse in the family environment" in said(opened.heading)
    assert "statement of action due 3 March 2026" in said(opened.heading)
    labels = [label for label, _ in opened.action_picker.options]
    assert [value for _, value in opened.action_picker.options] == ["A1.1", "A1.2", "A2.1"]
    assert labels[0].startswith("A1 Direct work with children › A1.1 Train social workers")
    assert labels[2].startswith("A2 Information shared across the partnersh… › A2.1")
    assert all(label.endswith("— no update yet") for label in labels)
    assert opened.save_button.disabled  # nothing to save before an action is chosen


def test_an_action_shows_what_it_promised_its_status_and_history(store: Store, small) -> None:  # type: ignore[no-untyped-def]
    opened = form(store, small)
    info = said(opened.info)
    for shown in ("A1.1 Train social workers", '<th scope="row">Due</th><td>30 June 2026</td>',
                  "CSC (Children's social care): Principal social worker",
                  "Audits find the child's words", "<td>1.1</td>"):
        assert shown in info
    assert "No update yet: the action counts as not started. It was due on 30 June 2026 and is " \
           "not complete." in said(opened.message) and "ca-warn" in opened.message.value
    assert "No update has been recorded" in said(opened.history)
    assert opened.status.value is None and opened.recorded_on.value == TODAY
    assert "ca-choice" in opened.status._dom_classes  # the pressed status is unmistakable

    opened.status.value = "on track"
    opened.narrative.value = "Synthetic: two of five teams trained."
    opened.evidence.value = "Training register"
    saved = opened.save()
    assert saved is not None and saved.saved_by == "BM-1" and saved.recorded_on == TODAY
    assert "Update saved (revision 1" in said(opened.save_message)
    assert "the action is on track." in said(opened.save_message)
    history = said(opened.history)
    assert "<td>15 September 2026</td><td>on track</td><td>BM-1</td>" in history
    assert "Synthetic: two of five teams trained." in history and "Training register" in history
    assert "Now on track, as recorded on 15 September 2026 by BM-1 (revision 1)" in said(
        opened.message)
    assert dict((v, label) for label, v in opened.action_picker.options)["A1.1"].endswith(
        "— on track")

    again = form(store, small)  # the next update starts from the latest status, blank
    assert (again.status.value, again.narrative.value, again.based_on) == ("on track", "", 1)
    again.status.value = "complete"
    assert again.save().revision_no == 2
    later_first = said(again.history).index("complete")
    assert later_first < said(again.history).index("on track")  # latest first


def test_a_draft_is_kept_as_the_person_types_and_offered_back(store: Store, small, later) -> None:  # type: ignore[no-untyped-def]
    opened = form(store, small, later)
    opened.status.value = "at risk"
    opened.narrative.value = "Synthetic: the trainer left"
    opened.narrative.value = "Synthetic: the trainer left; a new one starts in October."
    assert store.action_draft(INSPECTION_ID, "A1.1") is None and opened.dirty
    assert later.delays == [AUTOSAVE_SECONDS] * 3 and later.run() == 1
    draft = store.action_draft(INSPECTION_ID, "A1.1")
    assert draft.state == {"status": "at risk", "recorded_on": "2026-09-15", "evidence": "",
                           "narrative": "Synthetic: the trainer left; a new one starts in October."}
    assert "Draft kept at" in said(opened.draft_status) and not opened.dirty

    opened.evidence.value = "Subgroup minutes"
    opened.action_picker.value = "A1.2"  # leaving the action keeps what was typed at once
    assert store.action_draft(INSPECTION_ID, "A1.1").state["evidence"] == "Subgroup minutes"
    assert opened.narrative.value == "" and opened.status.value is None

    back = form(store, small)  # a new page: what was typed comes back, said so
    assert (back.status.value, back.evidence.value) == ("at risk", "Subgroup minutes")
    assert back.narrative.value.endswith("a new one starts in October.")
    assert "Brought back what BM-1 typed at" in said(back.draft_status)
    assert not back.dirty and back.save() is not None
    assert store.action_draft(INSPECTION_ID, "A1.1") is None  # the update overtook it
    assert form(store, small).narrative.value == ""


def test_personal_data_is_warned_of_before_saving_and_the_update_flagged(store: Store, small, later) -> None:  # type: ignore[no-untyped-def]
    opened = form(store, small, later)
    opened.status.value = "on track"
    opened.narrative.value = "Synthetic: met Jane Smith at the school."
    assert opened.warnings["narrative"].value == ""  # not on every keystroke
    later.run()
    warning = said(opened.warnings["narrative"])
    assert "may contain personal data: name (Jane Smith)" in warning
    assert opened.warnings["evidence"].value == ""
    saved = opened.save()
    assert saved.flagged and saved.narrative == "Synthetic: met Jane Smith at the school."
    message = said(opened.save_message)
    assert "Update saved (revision 1" in message and "may contain personal data" in message
    assert "ca-warn" in opened.save_message.value
    assert "Jane Smith" in said(opened.warnings["narrative"])  # the text and its warning stay
    assert "⚠ may contain personal data" in said(opened.history)


@pytest.mark.parametrize(("change", "problem"), [
    ({"recorded_on": TODAY + timedelta(days=3)}, "the date recorded, 18 September 2026, is after "
                                                 "today (15 September 2026)"),
    ({"recorded_on": None}, "give the date the progress was recorded"),
    ({"status": None}, "status '' is not one of not started, on track, at risk, off track, "
                       "complete"),
    ({"narrative": "x" * 5_001}, "the narrative is 5,001 characters long"),
], ids=["future date", "no date", "no status", "too long"])
def test_a_refusal_is_said_beside_the_button_and_nothing_is_written(  # type: ignore[no-untyped-def]
        store: Store, small, change: dict, problem: str) -> None:
    opened = form(store, small)
    opened.status.value = "on track"
    for name, value in change.items():
        getattr(opened, name).value = value
    assert opened.save() is None
    message = said(opened.save_message)
    assert "Not saved: nothing was recorded. Please put right:" in message and problem in message
    assert "ca-error" in opened.save_message.value
    assert store.action_history(INSPECTION_ID, "A1.1") == []


def test_who_records_comes_from_jupyterhub_and_is_required(store: Store, small,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    nobody = form(store, small, recorder=None)
    assert nobody.recorder.value == ""
    nobody.status.value = "on track"
    assert nobody.save() is None
    assert "say who records the update (I am)" in said(nobody.save_message)
    monkeypatch.setenv("JUPYTERHUB_USER", "bm-hub-1")
    hub = form(store, small, recorder=None)
    assert hub.recorder.value == "bm-hub-1"
    hub.status.value = "on track"
    assert hub.save().saved_by == "bm-hub-1"


def test_a_stale_save_shows_who_saved_and_offers_reload_or_keep_mine(store: Store, small) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = form(store, small, recorder="BM-1"), form(store, small, recorder="QA-LEAD")
    theirs.status.value = "off track"
    theirs.narrative.value = "Synthetic: theirs."
    assert theirs.save() is not None
    mine.status.value = "on track"
    mine.narrative.value = "Synthetic: mine."
    assert mine.save() is None
    assert [u.narrative for u in store.action_history(INSPECTION_ID, "A1.1")] == ["Synthetic: theirs."]
    assert "Not saved: someone else changed this action's progress." in said(mine.save_message)
    explanation, choices = mine.conflict.children
    text = said(explanation)
    assert "QA-LEAD saved this action's progress at " in text and "(revision 1)" in text
    assert "<th>Their update</th><th>Yours</th>" in text
    assert "<td>Synthetic: theirs.</td><td>Synthetic: mine.</td>" in text
    reload, keep = choices.children
    assert reload.description == "Reload their version"
    keep.click()
    assert [u.narrative for u in store.action_history(INSPECTION_ID, "A1.1")] == [
        "Synthetic: theirs.", "Synthetic: mine."]
    assert mine.conflict.children == () and mine.based_on == 2

    theirs.narrative.value = "Synthetic: theirs again."
    assert theirs.save() is None  # now they are behind
    theirs.conflict.children[1].children[0].click()  # reload
    assert (theirs.status.value, theirs.narrative.value, theirs.based_on) == ("on track", "", 2)
    assert "Synthetic: mine." in said(theirs.history)


def test_several_inspections_are_offered_latest_first_and_a_broken_one_is_named(  # type: ignore[no-untyped-def]
        store: Store, inspections: Path) -> None:
    other = inspections / "2026-05-ilacs"
    other.mkdir()
    text = (inspections / INSPECTION_ID / "inspection.yaml").read_text(encoding="utf-8")
    (other / "inspection.yaml").write_text(
        text.replace(INSPECTION_ID, "2026-05-ilacs").replace("2025-10-", "2026-05-")
        .replace("2025-11-20", "2026-06-12"), encoding="utf-8")
    (other / "action_plan.yaml").write_text(PLAN_YAML.replace(INSPECTION_ID, "2026-05-ilacs"),
                                            encoding="utf-8")
    broken = inspections / "2026-07-jtai"
    broken.mkdir()
    (broken / "inspection.yaml").write_text("id: 2026-07-jtai\n", encoding="utf-8")
    found, notice = open_inspections(inspections)
    assert [i.id for i, _ in found] == [INSPECTION_ID, "2026-05-ilacs"]
    assert "Inspection 2026-07-jtai is not offered." in html.unescape(notice)
    opened = ActionUpdateForm(store, found)
    assert opened.inspection_picker.layout.display != "none"
    assert [v for _, v in opened.inspection_picker.options] == ["2026-05-ilacs", INSPECTION_ID]
    assert opened.inspection_picker.value == "2026-05-ilacs"


def test_without_an_inspection_it_says_where_to_add_one(store: Store, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_INSPECTIONS", str(tmp_path / "none"))
    opened = ActionUpdateForm(store)
    assert "There is no inspection with an action plan in" in said(opened.message)
    assert opened.action_picker.options == () and opened.save_button.disabled
