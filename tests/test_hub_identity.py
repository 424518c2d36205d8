"""On a partnership's hub the sign-in says who is scoring: the scoring and practice-week forms
offer only the signed-in person under "I am", disabled; neither an address's ``?auditor=`` nor the
form's own argument names anyone else; and a signed-in person who does not score the round (a
board viewer, a moderator, an auditor of another round, someone the people file does not list)
sees a refusal saying why instead of a form."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseaudit import PracticeWeekForm, ScoringForm
from caseaudit.rounds import AuditRound

PEOPLE = """people:
  - user: hlth-auditor-1
    role: auditor
    agency: Hlth
    auditor: AUD-HLTH-1
  - user: pw-lead
    role: auditor
    agency: CSC
    auditor: PW-LEAD-CSC-1
  - user: stranger-auditor
    role: auditor
    agency: Pol
    auditor: AUD-POL-99
  - user: board-1
    role: board_viewer
  - user: moderator-1
    role: moderator
"""


@pytest.fixture(autouse=True)
def _on_a_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    people = tmp_path / "people.yaml"
    people.write_text(PEOPLE, encoding="utf-8")
    monkeypatch.setenv("CASEAUDIT_PEOPLE", str(people))
    monkeypatch.setenv("CASEAUDIT_SETTINGS", str(tmp_path / "auditor.json"))
    monkeypatch.delenv("CASEAUDIT_WEB_APP", raising=False)


def _sign_in(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", user)


def test_the_scoring_form_offers_only_the_signed_in_auditor(store, audit: AuditRound,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    _sign_in(monkeypatch, "hlth-auditor-1")
    form = ScoringForm(store, [audit], autosave_seconds=0)
    assert form.auditor_picker.options == (("AUD-HLTH-1 (Hlth)", "AUD-HLTH-1"),)
    assert form.auditor_picker.value == "AUD-HLTH-1" and form.auditor_picker.disabled
    assert form.agency_picker.options == ("Hlth",)
    assert [cid for _, cid in form.case_picker.options] == [c.id for c in audit.cases
                                                            if "Hlth" in c.agencies]
    assert "&auditor=" not in form.message.value  # the sign-in recognises them; no address to keep


def test_neither_the_address_nor_the_forms_argument_overrides_the_sign_in(  # type: ignore[no-untyped-def]
        store, audit: AuditRound, monkeypatch) -> None:
    _sign_in(monkeypatch, "hlth-auditor-1")
    monkeypatch.setenv("CASEAUDIT_WEB_APP", "1")
    monkeypatch.setenv("QUERY_STRING", "auditor=AUD-CSC-1")
    for form in (ScoringForm(store, [audit], autosave_seconds=0),
                 ScoringForm(store, [audit], auditor="AUD-CSC-1", autosave_seconds=0)):
        assert form.auditor_picker.value == "AUD-HLTH-1"
        assert [v for _, v in form.auditor_picker.options] == ["AUD-HLTH-1"]
        assert "&auditor=" not in form.message.value


@pytest.mark.parametrize(("user", "says"), [
    ("board-1", "You are signed in as board-1, a board viewer (who reads the dashboards and reports "
                "only): this form is for the auditors of round"),
    ("moderator-1", "You are signed in as moderator-1, a moderator"),
    ("stranger-auditor", "You are signed in as stranger-auditor (auditor AUD-POL-99), who is not among "
                         "the auditors of round"),
    ("nobody-listed", "You are signed in as nobody-listed, but the people file"),
])
def test_someone_who_does_not_score_the_round_sees_a_refusal_not_a_form(  # type: ignore[no-untyped-def]
        store, audit: AuditRound, monkeypatch, user: str, says: str) -> None:
    _sign_in(monkeypatch, user)
    form = ScoringForm(store, [audit], autosave_seconds=0)
    assert says in form.message.value and "ca-error" in form.message.value
    assert form.auditor_picker.options == () and form.auditor_picker.disabled
    assert form.auditor is None and form.case_picker.options == ()
    assert form.rows == {} and form.submit_button.disabled


def test_the_practice_week_form_offers_only_the_signed_in_auditor(store, week: AuditRound,  # type: ignore[no-untyped-def]
                                                                 monkeypatch) -> None:
    _sign_in(monkeypatch, "pw-lead")
    monkeypatch.setenv("CASEAUDIT_WEB_APP", "1")
    monkeypatch.setenv("QUERY_STRING", f"auditor={week.auditors[-1].id}")
    form = PracticeWeekForm(store, [week], autosave_seconds=0)
    assert [v for _, v in form.auditor_picker.options] == ["PW-LEAD-CSC-1"]
    assert form.auditor_picker.value == "PW-LEAD-CSC-1" and form.auditor_picker.disabled
    assert form.auditor is not None and form.auditor.id == "PW-LEAD-CSC-1"


def test_the_practice_week_form_refuses_a_board_viewer(store, week: AuditRound, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _sign_in(monkeypatch, "board-1")
    form = PracticeWeekForm(store, [week], autosave_seconds=0)
    assert "a board viewer" in form.message.value and "ca-error" in form.message.value
    assert form.auditor_picker.options == () and form.auditor is None
    assert form.record_picker.options == ()


def test_off_a_hub_the_picker_offers_every_auditor_as_before(store, audit: AuditRound,  # type: ignore[no-untyped-def]
                                                             monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    form = ScoringForm(store, [audit], autosave_seconds=0)
    assert len(form.auditor_picker.options) == len(audit.auditors) and not form.auditor_picker.disabled
    # a hub without a people file: JUPYTERHUB_USER names the auditor id, as before
    monkeypatch.setenv("CASEAUDIT_PEOPLE", str(tmp_path / "absent.yaml"))
    _sign_in(monkeypatch, "AUD-HLTH-1")
    form = ScoringForm(store, [audit], autosave_seconds=0)
    assert form.auditor_picker.value == "AUD-HLTH-1" and not form.auditor_picker.disabled
