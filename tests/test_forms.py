"""The scoring form, driven without a browser: widgets set, buttons pressed, the store read."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseaudit import ScoringForm
from caseaudit.framework import ANSWER_LABELS, NOT_APPLICABLE
from caseaudit.ui.identity import identify_auditor, remembered_auditor


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_SETTINGS", str(tmp_path / "auditor.json"))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("CASEAUDIT_WEB_APP", raising=False)


def _open(store, audit, auditor: str = "AUD-CSC-1", agency: str = "CSC",  # type: ignore[no-untyped-def]
          case_index: int = 0) -> ScoringForm:
    form = ScoringForm(store, [audit], autosave_seconds=0)
    form.auditor_picker.value = auditor
    case = [c for c in audit.cases if agency in c.agencies][case_index]
    form.case_picker.value = case.id
    form.agency_picker.value = agency
    return form


def test_choosing_a_case_shows_its_criteria_grouped_by_domain(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, audit)
    assert list(form.rows) == [c.id for c in jtai.criteria_for("CSC")]
    accordion = form.criteria_box.children[0]
    titles = [accordion.get_title(i) for i in range(len(accordion.children))]
    assert titles == [d.title for d in jtai.domains]
    row = form.rows["1.1"]
    assert row.grade.options[-1] == (ANSWER_LABELS[NOT_APPLICABLE], NOT_APPLICABLE)
    assert "Outstanding, Inadequate" in row.needs_note.value
    assert row.guidance.layout.display == "none"
    row.show_guidance.value = True
    assert row.guidance.layout.display == "block"
    assert f"0 of {len(form.rows)} criteria graded" in form.remaining.value
    assert "CSC ○ missing" in form.case_picker.label


def test_the_next_case_reuses_the_criteria_and_shows_only_its_own_answers(store, audit) -> None:  # type: ignore[no-untyped-def]
    """A case switch changes the values, not the widgets (building them was most of its time),
    and nothing of the case left behind shows: grades, notes, warnings, marks, open guidance."""
    form = _open(store, audit)
    first, second = [c.id for c in audit.cases if "CSC" in c.agencies][:2]
    rows = dict(form.rows)
    form.rows["1.1"].grade.value = 1  # needs a note it does not have
    form.rows["1.3"].note.value = "Spoke to Mrs Jane Smith on 07700 900123."
    form.rows["1.1"].show_guidance.value = True
    form.submit()  # refused: 1.1 and the ungraded criteria are marked
    assert "ca-attention" in form.rows["1.1"].box._dom_classes and form.rows["1.3"].warning.value
    form.case_picker.value = second
    assert form.rows == rows and all(form.rows[c] is rows[c] for c in rows)  # the same widgets
    assert all(row.grade.value is None and row.note.value == "" for row in form.rows.values())
    assert not any(row.warning.value or row.todo.value for row in form.rows.values())
    assert not any("ca-attention" in row.box._dom_classes for row in form.rows.values())
    assert form.rows["1.1"].guidance.layout.display == "none"
    assert "⚠" not in "".join(form.accordion.get_title(i) for i in range(len(form.accordion.children)))
    assert form.based_on is None and f"New form for case {second}" in form.message.value
    form.rows["2.1"].grade.value = 3  # saves to the second case's form, not the first
    assert store.latest_revision(audit.id, second, "CSC", "AUD-CSC-1").grades == {"2.1": 3}
    form.case_picker.value = first
    assert form.rows["1.1"].grade.value == 1 and "Mrs Jane Smith" in form.rows["1.3"].note.value
    assert form.rows["1.3"].warning.value  # a restored note keeps its warning


@pytest.mark.both_databases
def test_every_change_is_saved_as_a_draft_and_survives_a_restart(store, audit) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, audit)
    form.rows["1.1"].grade.value = 2
    form.rows["3.1"].grade.value = NOT_APPLICABLE
    form.rows["1.3"].note.value = "Alternative explanations were tested."
    history = store.form_history(audit.id, form.case_picker.value, "CSC", "AUD-CSC-1")
    assert [r.status for r in history] == ["draft"] * 3
    assert history[-1].grades == {"1.1": 2, "3.1": NOT_APPLICABLE}
    assert "CSC ✎ draft" in form.case_picker.label  # the case list shows the new draft
    total = len(form.rows)
    assert f"2 of {total} criteria graded; {total - 2} to grade" in form.remaining.value

    again = _open(store, audit)  # a new kernel: a new form object for the same case
    assert again.rows["1.1"].grade.value == 2
    assert again.rows["3.1"].grade.value == NOT_APPLICABLE
    assert again.rows["1.3"].note.value == "Alternative explanations were tested."
    assert again.based_on == 3 and \
        f"Draft form for case {again.case_picker.value} (revision 3" in again.message.value


@pytest.mark.both_databases
def test_a_closed_round_opens_read_only_and_says_why(store, audit) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, audit)
    form.rows["1.1"].grade.value = 2  # a draft before the meeting closed the round
    store.close_round(audit.id, "AUDIT-LEAD")
    closed = _open(store, audit)
    assert closed.rows["1.1"].grade.value == 2  # still readable
    assert all(r.grade.disabled and r.note.disabled for r in closed.rows.values())
    assert closed.submit_button.disabled
    assert f"Round {audit.id} is closed" in closed.message.value and "reopen" in closed.message.value
    assert closed.submit() is None  # even if called, nothing is written
    assert len(store.form_history(audit.id, closed.case_picker.value, "CSC", "AUD-CSC-1")) == 1

    store.reopen_round(audit.id, "AUDIT-LEAD", "a late correction")
    reopened = _open(store, audit)
    assert not reopened.rows["1.1"].grade.disabled and not reopened.submit_button.disabled


def test_the_auditor_is_remembered_locally(store, audit) -> None:  # type: ignore[no-untyped-def]
    _open(store, audit, auditor="AUD-POL-2", agency="Pol")
    assert remembered_auditor() == {"auditor": "AUD-POL-2", "agency": "Pol"}
    fresh = ScoringForm(store, [audit], autosave_seconds=0)
    assert fresh.auditor_picker.value == "AUD-POL-2"
    assert fresh.agency_picker.value == "Pol"


def test_the_web_app_knows_the_auditor_from_the_address_it_was_given(store, audit, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CASEAUDIT_WEB_APP", "1")
    _open(store, audit, auditor="AUD-CSC-1")  # a remembered auditor is not used in the web app
    monkeypatch.setenv("QUERY_STRING", "token=t0k&auditor=AUD-POL-2")
    named = ScoringForm(store, [audit], remember=False)
    assert named.auditor_picker.value == "AUD-POL-2" and named.message.value == ""
    monkeypatch.setenv("QUERY_STRING", "token=t0k")
    anonymous = ScoringForm(store, [audit], remember=False)
    assert anonymous.auditor_picker.value is None
    anonymous.auditor_picker.value = "AUD-HLTH-1"
    assert "&amp;auditor=AUD-HLTH-1" in anonymous.message.value  # how to be known next time
    monkeypatch.setenv("QUERY_STRING", "auditor=%3Cscript%3Ealert(1)%3C/script%3E")
    forged = ScoringForm(store, [audit], remember=False)
    assert forged.auditor_picker.value is None and "<script>" not in forged.message.value


def test_an_auditor_opens_only_their_own_agencys_forms(store, audit) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, audit, auditor="AUD-POL-1", agency="Pol")
    assert form.agency_picker.options == ("Pol",) and form.agency_picker.disabled
    listed = [case_id for _, case_id in form.case_picker.options]
    assert listed == [c.id for c in audit.cases if "Pol" in c.agencies]


def test_jupyterhub_user_names_the_auditor(store, audit, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JUPYTERHUB_USER", "AUD-HLTH-1")
    assert identify_auditor(audit).agency == "Hlth"
    assert ScoringForm(store, [audit]).auditor_picker.value == "AUD-HLTH-1"


@pytest.mark.both_databases
def test_submit_names_what_is_missing_then_submits(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, audit)
    form.rows["1.1"].grade.value = 1  # outstanding needs a note
    form.submit_button.click()
    text = form.save_message.value  # beside the button that was pressed
    assert "Not submitted yet" in text and "write the evidence note for 1.1" in text
    assert "grade 1.3, 1.4" in text
    # listed and marked by section: the first domain's title says how many are to do
    first = jtai.domains[0]
    assert f"<li>{first.title}: grade 1.3, 1.4" in text
    accordion = form.criteria_box.children[0]
    assert accordion.get_title(0).startswith(f"{first.title} — ⚠")
    assert accordion.selected_index == 0
    assert "ca-attention" in form.rows["1.1"].box._dom_classes
    assert "needs one" in form.rows["1.1"].todo.value
    assert "Choose a grade" in form.rows["1.3"].todo.value
    form.rows["1.3"].grade.value = 2  # marks follow the work
    assert form.rows["1.3"].todo.value == "" and "ca-attention" not in form.rows["1.3"].box._dom_classes
    for cid, row in form.rows.items():
        if cid != "1.1":
            row.grade.value = 2
    form.rows["1.1"].note.value = "Synthetic: exemplary joint visit."
    form.submit_button.click()
    latest = store.latest_revision(audit.id, form.case_picker.value, "CSC", "AUD-CSC-1")
    assert latest.status == "submitted" and "Submitted" in form.save_message.value
    assert accordion.get_title(0) == first.title and form.rows["1.1"].todo.value == ""
    # reopening a submitted form and changing it makes a new (draft) revision; history keeps both
    again = _open(store, audit)
    again.rows["2.2"].grade.value = 3
    history = store.form_history(audit.id, form.case_picker.value, "CSC", "AUD-CSC-1")
    assert [r.status for r in history][-2:] == ["submitted", "draft"]
    assert history[-2].grades["2.2"] == 2 and history[-1].grades["2.2"] == 3


@pytest.mark.both_databases
def test_a_conflict_is_explained_and_nothing_is_overwritten(store, audit) -> None:  # type: ignore[no-untyped-def]
    mine = _open(store, audit)
    mine.rows["1.1"].grade.value = 2
    theirs = _open(store, audit)  # a second tab, or a colleague on the same login
    theirs.rows["1.1"].grade.value = 4
    theirs.rows["1.1"].note.value = "Synthetic: no evidence of curiosity."
    mine.rows["1.3"].grade.value = 3  # based on revision 1: refused
    assert "someone else changed this form" in mine.save_message.value
    panel = mine.conflict.children[0].value
    assert "AUD-CSC-1 saved this form" in panel and "Inadequate" in panel and "Good" in panel
    history = store.form_history(audit.id, mine.case_picker.value, "CSC", "AUD-CSC-1")
    assert history[-1].grades == {"1.1": 4}

    _reload, keep_button = mine.conflict.children[1].children
    keep_button.click()
    history = store.form_history(audit.id, mine.case_picker.value, "CSC", "AUD-CSC-1")
    assert history[-1].grades == {"1.1": 2, "1.3": 3} and len(history) == 4
    assert history[-2].grades == {"1.1": 4}  # their revision is kept

    theirs.rows["2.2"].grade.value = 2  # now they are behind
    theirs.conflict.children[1].children[0].click()  # reload
    assert theirs.rows["1.3"].grade.value == 3 and theirs.rows["2.2"].grade.value is None


@pytest.mark.both_databases
def test_a_note_with_personal_data_is_saved_and_flagged(store, audit) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, audit)
    form.rows["1.1"].note.value = "Spoke to Amelia Jones at LS6 2AB."
    saved = store.latest_revision(audit.id, form.case_picker.value, "CSC", "AUD-CSC-1")
    assert saved.notes == {"1.1": "Spoke to Amelia Jones at LS6 2AB."}
    assert "name (Amelia Jones)" in form.rows["1.1"].warning.value
    assert "postcode (LS6 2AB)" in form.rows["1.1"].warning.value
    assert "may contain personal data" in form.save_message.value
    again = _open(store, audit)  # a reload brings the note back with its warning
    assert "name (Amelia Jones)" in again.rows["1.1"].warning.value
    form.rows["1.1"].note.value = "Spoke to the mother at the family home."
    assert form.rows["1.1"].warning.value == ""


def test_autosave_waits_for_a_pause(store, audit) -> None:  # type: ignore[no-untyped-def]
    scheduled = []
    form = ScoringForm(store, [audit], scheduler=lambda delay, fn: scheduled.append((delay, fn)))
    form.auditor_picker.value = "AUD-CSC-1"
    form.case_picker.value = next(c.id for c in audit.cases if "CSC" in c.agencies)
    form.rows["1.1"].grade.value = 2
    form.rows["1.3"].grade.value = 2
    assert store.latest_revision(audit.id, form.case_picker.value, "CSC", "AUD-CSC-1") is None
    assert [d for d, _ in scheduled] == [2.0, 2.0]
    scheduled[-1][1]()  # the timer fires
    saved = store.latest_revision(audit.id, form.case_picker.value, "CSC", "AUD-CSC-1")
    assert saved.grades == {"1.1": 2, "1.3": 2} and saved.revision_no == 1


@pytest.mark.both_databases
def test_double_scoring_is_blind_until_both_have_submitted(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    double = audit.model_copy(update={"scorers_per_form": 2})

    def fill(auditor: str, grade: int) -> ScoringForm:
        form = ScoringForm(store, [double], auditor=auditor, autosave_seconds=0)
        form.case_picker.value = next(c.id for c in double.cases if "CSC" in c.agencies)
        for row in form.rows.values():
            row.grade.value = grade
        form.submit_button.click()
        return form

    first = fill("AUD-CSC-1", 2)
    assert "shown once all 2 have submitted" in first.others.value
    assert "Requires improvement" not in first.others.value
    # the case list: the agency's form is not done until both have submitted; each sees their own
    assert "CSC ✎ draft (yours ✓ submitted)" in first.case_picker.label
    waiting = ScoringForm(store, [double], auditor="AUD-CSC-2", autosave_seconds=0)
    labels = {v: label for label, v in waiting.case_picker.options}
    assert "CSC ✎ draft (yours ○ missing)" in labels[first.case_picker.value]
    second = fill("AUD-CSC-2", 3)
    assert "CSC ✓ submitted (yours ✓ submitted)" in second.case_picker.label
    assert "All scorers have submitted" in second.others.value
    assert "AUD-CSC-1" in second.others.value and "Good" in second.others.value
    first.open_form()  # reopening shows the comparison now
    assert "AUD-CSC-2" in first.others.value
