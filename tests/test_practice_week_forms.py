"""The practice week's forms, driven without a browser: each stream's widgets set, Submit pressed,
the store read. The round is the repository's example practice week, on a fresh store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from caseaudit import PracticeWeekForm
from caseaudit.framework import NOT_APPLICABLE
from caseaudit.rounds import AuditRound
from caseaudit.store import Store
from caseaudit.ui.practice_week import NEW
from caseaudit.ui.practice_week_fields import ANONYMOUS

LEAD = "PW-LEAD-CSC-1"
DAY = date(2026, 5, 12)  # in the example week


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_SETTINGS", str(tmp_path / "auditor.json"))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("CASEAUDIT_WEB_APP", raising=False)


def _open(store: Store, week: AuditRound, stream: str, record: str = NEW, auditor: str = LEAD,
          **kwargs) -> PracticeWeekForm:  # type: ignore[no-untyped-def]
    form = PracticeWeekForm(store, [week], autosave_seconds=0, **kwargs)
    form.auditor_picker.value = auditor
    form.stream_picker.value = stream
    form.record_picker.value = record
    return form


def _history(store: Store, week: AuditRound, record: str, auditor: str = LEAD):  # type: ignore[no-untyped-def]
    return store.form_history(week.id, record, week.auditors_by_id[auditor].agency, auditor)


def _fill_observation(form: PracticeWeekForm) -> None:
    fields = form.fields
    fields.event_kind.value = "home visit"
    fields.event_date.value = DAY
    fields.practitioner.value = "P-02"
    for row in fields.rows.values():
        row.grade.value = 2 if row.scale.id == "ofsted4" else 1
    fields.feedback_given.value = True
    fields.text.value = "Synthetic: the social worker saw the child alone first."


def test_only_practice_weeks_are_offered_with_the_weeks_streams_and_people(  # type: ignore[no-untyped-def]
        store, week, audit) -> None:
    form = PracticeWeekForm(store, [audit, week], autosave_seconds=0)
    assert form.round_picker.options == ((week.title, week.id),)  # a case audit is not offered
    assert form.round_picker.value == week.id
    assert [label for label, _ in form.stream_picker.options] == [
        "Collaborative case audit", "Observation of practice",
        "Feedback from children and families", "Feedback from practitioners"]
    assert [value for _, value in form.auditor_picker.options] == [a.id for a in week.auditors]
    form.auditor_picker.value = LEAD
    form.stream_picker.value = "case_audit"
    assert form.record_picker.description == "Case"
    assert all(label.endswith("○ not started") for label, _ in form.record_picker.options)
    form.record_picker.value = week.cases[0].id
    offered = [label for label, _ in form.fields.practitioner.options]
    assert "P-03 — Senior practitioner (CSC)" in offered
    assert list(form.fields.rows) == ["CR1", "CR2", "CR3", "CR4", "CP1", "CP2"]
    assert f"Agencies involved: {', '.join(week.cases[0].agencies)}" in form.body.children[0].value
    assert form.submit_button.disabled is False
    form.submit_button.click()
    assert "Choose the case-holding practitioner." in form.save_message.value


@pytest.mark.both_databases
def test_a_case_audit_is_drafted_brought_back_and_submitted(store, week) -> None:  # type: ignore[no-untyped-def]
    case = week.cases[0].id
    form = _open(store, week, "case_audit", case)
    form.fields.practitioner.value = "P-03"
    form.fields.rows["CR1"].grade.value = 2
    form.fields.text.value = "Synthetic: I would have seen the child alone sooner."
    history = _history(store, week, case)
    assert [r.status for r in history] == ["draft"] * 3  # a draft is a revision
    assert history[-1].details.practitioner == "P-03" and history[-1].details.stream_id == "case_audit"
    assert history[-1].grades == {"CR1": 2}
    assert "✎ draft" in form.record_picker.label

    again = _open(store, week, "case_audit", case)  # a new kernel, a new form
    assert again.fields.practitioner.value == "P-03" and again.fields.rows["CR1"].grade.value == 2
    assert again.fields.text.value == "Synthetic: I would have seen the child alone sooner."
    assert f"Draft case audit of case {case} (revision 3" in again.message.value

    again.fields.rows["CR4"].grade.value = 1  # outstanding needs its evidence note
    again.submit_button.click()
    said = again.save_message.value
    assert "Not submitted yet: your work is kept as a draft" in said
    assert "The record and the plan: grade CR2, CR3; write the evidence note for CR4" in said
    assert "The practitioner&#x27;s reflection: grade CP1, CP2" in said
    assert "ca-attention" in again.fields.rows["CR2"].box._dom_classes
    assert _history(store, week, case)[-1].grades == {"CR1": 2, "CR4": 1}  # the draft is kept
    for cid, row in again.fields.rows.items():
        if row.grade.value is None:
            row.grade.value = NOT_APPLICABLE if cid == "CP2" else 3
    again.fields.rows["CR4"].note.value = "Synthetic: the child's views shaped the plan."
    again.submit_button.click()
    latest = _history(store, week, case)[-1]
    assert latest.status == "submitted" and "Submitted (case audit of case" in again.save_message.value
    assert "ca-attention" not in again.fields.rows["CR2"].box._dom_classes
    records = store.stream_records(week.id)
    assert records.loc[records["record_id"] == case, "practitioner"].tolist() == ["P-03"]


@pytest.mark.both_databases
def test_an_observation_takes_the_next_id_and_is_listed_among_mine(store, week) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, week, "observation")
    assert form.record_picker.options[0] == ("New observation", NEW)
    assert form.record_id == "OBS-001" and "New observation OBS-001" in form.message.value
    assert [label for label, _ in form.fields.event_kind.options][:2] == ["Home visit",
                                                                         "Strategy discussion"]
    _fill_observation(form)
    saved = _history(store, week, "OBS-001")[-1]
    assert saved.status == "draft" and saved.details.event_kind == "home visit"
    assert saved.details.event_date == DAY and saved.details.feedback_given is True
    assert form.record_picker.value == "OBS-001"  # the new record is chosen in the list
    assert form.record_picker.label == "OBS-001 — home visit, 12 May 2026, P-02 — ✎ draft"

    again = _open(store, week, "observation", "OBS-001")
    assert again.fields.event_kind.value == "home visit" and again.fields.event_date.value == DAY
    assert again.fields.feedback_given.value is True and again.fields.practitioner.value == "P-02"
    assert again.submit() is not None
    assert _history(store, week, "OBS-001")[-1].status == "submitted"
    assert store.stream_records(week.id)["record_id"].tolist() == ["OBS-001"]

    other = _open(store, week, "observation", auditor="PW-LEAD-POL-1")
    assert other.record_id == "OBS-002"  # ids are the week's, not one auditor's
    assert [v for _, v in other.record_picker.options] == [NEW]  # someone else's is not listed


def test_an_observation_submit_names_what_is_missing(store, week) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, week, "observation")
    # the feedback conversation afterwards is asked once, as the record's detail, not graded too
    assert list(form.fields.rows) == ["OB1", "OB2", "OB3", "OB4"]
    form.fields.rows["OB1"].grade.value = 2
    form.submit_button.click()
    said = form.save_message.value
    for missing in ("Choose the kind of event.", "Give the date of the event.",
                    "Choose the practitioner observed.",
                    "Say whether feedback was given to the practitioner afterwards.",
                    "Observed practice: grade OB2, OB3, OB4"):
        assert missing in said
    assert [r.status for r in _history(store, week, "OBS-001")] == ["draft"]


@pytest.mark.both_databases
def test_feedback_asks_consent_first_and_a_decline_keeps_no_answers(store, week) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, week, "family_feedback")
    fields = form.fields
    assert form.record_id == "FF-001"
    assert all(row.grade.disabled for row in fields.rows.values()) and fields.text.disabled
    assert not any(row.note.layout.display != "none" for row in fields.rows.values())
    assert "never shown on a dashboard" in "".join(
        w.value for w in fields.parts() if hasattr(w, "value") and isinstance(w.value, str))
    fields.respondent.value = "parent or carer"  # before consent: nothing is kept
    assert _history(store, week, "FF-001") == []
    assert "record consent first" in form.save_message.value
    form.submit_button.click()
    assert "nothing is kept until consent is recorded" in form.save_message.value
    assert "Record consent: given or declined." in form.save_message.value

    fields.consent.value = "given"
    assert not any(row.grade.disabled for row in fields.rows.values()) and not fields.text.disabled
    fields.rows["FF1"].grade.value = 2
    fields.text.value = "Synthetic: she comes when she says she will."
    saved = _history(store, week, "FF-001")[-1]
    assert saved.details.consent == "given" and saved.details.respondent == "parent or carer"
    assert saved.grades == {"FF1": 2}

    fields.consent.value = "declined"  # they changed their mind: their answers go
    assert fields.rows["FF1"].grade.value is None and fields.text.value == ""
    assert fields.rows["FF1"].grade.disabled
    declined = _history(store, week, "FF-001")[-1]
    assert declined.details.consent == "declined" and declined.grades == {}
    assert declined.details.text == ""
    fields.event_date.value = DAY
    assert form.submit() is not None  # a decline needs no answers
    done = _history(store, week, "FF-001")[-1]
    assert done.status == "submitted" and done.grades == {} and done.details.consent == "declined"


def test_practitioner_feedback_may_be_anonymous(store, week) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, week, "practitioner_feedback")
    fields = form.fields
    assert form.record_id == "PF-001" and fields.practitioner.options[0] == (
        "Anonymous (no practitioner named)", ANONYMOUS)
    fields.consent.value = "given"
    fields.practitioner.value = ANONYMOUS
    fields.event_date.value = DAY
    for row in fields.rows.values():
        row.grade.value = 1
    assert form.submit() is not None
    saved = _history(store, week, "PF-001")[-1]
    assert saved.status == "submitted" and saved.details.practitioner is None
    again = _open(store, week, "practitioner_feedback", "PF-001")
    assert again.fields.practitioner.value == ANONYMOUS  # brought back as anonymous, not blank


@pytest.mark.both_databases
def test_a_stale_save_shows_the_conflict_and_overwrites_nothing(store, week) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, week, "observation")
    _fill_observation(form)
    mine = _open(store, week, "observation", "OBS-001")
    theirs = _open(store, week, "observation", "OBS-001")  # a second tab
    theirs.fields.rows["OB1"].grade.value = 4
    theirs.fields.rows["OB1"].note.value = "Synthetic: the history was not read."
    mine.fields.rows["OB2"].grade.value = 3  # based on an older revision: refused
    assert "someone else changed this record" in mine.save_message.value
    panel = mine.conflict.children[0].value
    assert f"{LEAD} saved this record" in panel and "Inadequate" in panel
    assert _history(store, week, "OBS-001")[-1].grades["OB1"] == 4
    mine.conflict.children[1].children[1].click()  # keep mine on top
    latest = _history(store, week, "OBS-001")[-1]
    assert latest.grades["OB2"] == 3 and latest.grades["OB1"] == 2


@pytest.mark.both_databases
def test_a_new_record_whose_id_was_taken_meanwhile_takes_the_next(store, week) -> None:  # type: ignore[no-untyped-def]
    first = _open(store, week, "observation")
    second = _open(store, week, "observation")  # both opened as OBS-001
    first.fields.event_kind.value = "supervision"
    second.fields.event_kind.value = "core group"
    assert second.record_id == "OBS-002" and second.conflict.children == ()
    assert _history(store, week, "OBS-001")[-1].details.event_kind == "supervision"
    assert _history(store, week, "OBS-002")[-1].details.event_kind == "core group"


@pytest.mark.both_databases
def test_a_closed_round_opens_read_only_and_says_why(store, week) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, week, "family_feedback")
    form.fields.consent.value = "given"
    form.fields.rows["FF2"].grade.value = 1
    store.close_round(week.id, "PW-LEAD-CSC-1")
    closed = _open(store, week, "family_feedback", "FF-001")
    assert closed.fields.rows["FF2"].grade.value == 1  # still readable
    assert all(w.disabled for w in closed.fields.inputs()) and closed.submit_button.disabled
    assert f"Round {week.id} is closed" in closed.message.value
    assert "Read-only" in closed.save_message.value
    assert closed.submit() is None
    assert len(_history(store, week, "FF-001")) == 2


def test_personal_data_in_a_text_is_warned_of_and_kept(store, week) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, week, "case_audit", week.cases[1].id)
    form.fields.text.value = "Synthetic: met Amelia Jones at LS6 2AB."
    assert "postcode (LS6 2AB)" in form.fields.text_warning.value
    assert "may contain personal data" in form.save_message.value
    saved = _history(store, week, week.cases[1].id)[-1]
    assert saved.details.text == "Synthetic: met Amelia Jones at LS6 2AB." and saved.flagged
    again = _open(store, week, "case_audit", week.cases[1].id)
    assert "LS6 2AB" in again.fields.text_warning.value  # the warning comes back with the text
    again.fields.text.value = "Synthetic: met the mother at home."
    assert again.fields.text_warning.value == ""


def test_a_refused_save_says_why_beside_the_button_and_writes_nothing(store, week) -> None:  # type: ignore[no-untyped-def]
    form = _open(store, week, "observation")
    form.fields.event_date.value = date(2025, 1, 6)  # long before the week
    said = form.save_message.value
    assert "Not saved: nothing was recorded. Please put right:" in said and "<li>" in said
    assert "Traceback" not in said
    assert _history(store, week, "OBS-001") == []


@pytest.mark.both_databases
def test_a_new_record_whose_id_another_observer_took_meanwhile_takes_the_next(store, week) -> None:  # type: ignore[no-untyped-def]
    mine = _open(store, week, "observation")  # opened as OBS-001
    other = "PW-LEAD-POL-1"
    theirs = _open(store, week, "observation", auditor=other)  # also offered OBS-001
    theirs.fields.event_kind.value = "strategy discussion"  # their draft takes OBS-001
    mine.fields.event_kind.value = "supervision"
    assert mine.record_id == "OBS-002" and "Not saved" not in mine.save_message.value
    assert _history(store, week, "OBS-001", other)[-1].details.event_kind == "strategy discussion"
    assert _history(store, week, "OBS-002")[-1].details.event_kind == "supervision"
