"""The audit meeting's app, driven through its widgets against a real store: choosing the round
and who records, case labels, closing and reopening, and two people saving the same case."""

from __future__ import annotations

import html

import pytest

from caseaudit import ModerationApp, ModerationForm
from caseaudit.errors import RoundLockedError


def _app(store, audit):  # type: ignore[no-untyped-def]
    app = ModerationApp(store, [audit])
    app.moderator_picker.value = "AUDIT-LEAD"
    return app


def test_the_audit_lead_is_offered_first_and_cases_say_their_state(store, audit, case_with, submit) -> None:  # type: ignore[no-untyped-def]
    case = case_with(audit, "CSC", "Pol")
    submit(audit, case, "CSC", {"1.1": 1})
    app = ModerationApp(store, [audit])
    assert app.round_picker.value == audit.id
    assert app.moderator_picker.options[0] == ("AUDIT-LEAD (audit lead)", "AUDIT-LEAD")
    assert {a.id for a in audit.auditors} <= {v for _, v in app.moderator_picker.options}
    assert app.form is None  # nothing can be recorded before saying who records it
    app.moderator_picker.value = "AUDIT-LEAD"
    labels = dict((v, label) for label, v in app.form.case_picker.options)
    assert labels[case.id] == (f"{case.id} — ○ not moderated; 1 of {len(case.agencies)} agency "
                               "forms submitted")
    assert f"0 of {len(audit.cases)} cases moderated" in app.status.value

    form = app.form
    form.case_picker.value = case.id
    form.agreed["1.1"].value = 1
    form.save_button.click()
    expected = len(form.agreed)
    said = form.save_message.value  # beside the button that was pressed
    assert "Moderation saved (revision 1)" in said
    assert f"partly moderated (1 of {expected} criteria, no overall grade yet)" in said
    labels = dict((v, label) for label, v in form.case_picker.options)
    assert labels[case.id].startswith(
        f"{case.id} — ◐ partly moderated (1 of {expected} criteria, no overall grade yet)")
    assert f"0 of {len(audit.cases)} cases moderated; 1 partly moderated" in app.status.value
    assert store.moderation_history(audit.id, case.id)[-1].saved_by == "AUDIT-LEAD"

    for cid, agreed in form.agreed.items():  # every criterion and the overall grade: moderated
        agreed.value = 1 if cid == "1.1" else "n/a"
    form.overall.value = 2
    form.save_button.click()
    assert "Moderation saved (revision 2): the case is moderated" in form.save_message.value
    labels = dict((v, label) for label, v in form.case_picker.options)
    assert labels[case.id].startswith(f"{case.id} — ✓ moderated (revision 2)")
    assert f"1 of {len(audit.cases)} cases moderated." in app.status.value


def test_a_missing_rationale_is_marked_on_its_criterion_and_listed_by_section(  # type: ignore[no-untyped-def]
        store, audit, jtai, case_with, submit) -> None:
    case = case_with(audit, "CSC", "Pol")
    submit(audit, case, "Pol", {"1.1": 4})
    form = ModerationForm(store, audit, "AUDIT-LEAD", case.id)
    form.agreed["1.1"].value = 2
    assert form.save() is None
    said = html.unescape(form.save_message.value)
    domain = jtai.domains[0]
    title = jtai.criteria_by_id["1.1"].title
    assert (f"<li>{domain.title}, 1.1 {title}: the agreed grade Good differs from Pol "
            "(Inadequate): write the rationale the meeting agreed</li>") in said
    assert "criterion 1.1:" not in said
    assert "ca-attention" in form.row_boxes["1.1"]._dom_classes
    assert "write the rationale" in form.todo["1.1"].value
    assert store.moderation_history(audit.id, case.id) == []
    form.rationale["1.1"].value = "Synthetic rationale."  # the mark goes as the fix is typed
    assert "ca-attention" not in form.row_boxes["1.1"]._dom_classes
    assert form.save().revision_no == 1


def test_nothing_can_be_closed_before_saying_who_you_are(store, audit) -> None:  # type: ignore[no-untyped-def]
    app = ModerationApp(store, [audit])
    assert app.round_box.layout.display == "none"
    app.moderator_picker.value = "AUDIT-LEAD"
    assert app.round_box.layout.display == "flex"
    form = app.form
    labels = [w.value for w in form.widget().children if isinstance(w, type(form.summary))]
    assert any("Learning themes" in text for text in labels)
    assert all(box.description for box in form.theme_boxes.values())


@pytest.mark.both_databases
def test_a_double_scored_form_counts_as_submitted_when_both_have(store, audit, jtai, case_with) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.store import FormSave

    double = audit.model_copy(update={"scorers_per_form": 2})
    case = case_with(double, "CSC")
    grades = {c.id: 2 for c in jtai.criteria_for("CSC")}

    def label() -> str:
        form = ModerationForm(store, double, "AUDIT-LEAD")
        return dict((v, text) for text, v in form.case_picker.options)[case.id]

    store.save_form(double, jtai, FormSave(case.id, "CSC", "AUD-CSC-1", grades,
                                           status="submitted"))
    assert f"0 of {len(case.agencies)} agency forms submitted" in label()
    store.save_form(double, jtai, FormSave(case.id, "CSC", "AUD-CSC-2", grades,
                                           status="submitted"))
    assert f"1 of {len(case.agencies)} agency forms submitted" in label()


def test_wide_disagreements_are_highlighted_in_the_form(store, audit, case_with, submit) -> None:  # type: ignore[no-untyped-def]
    case = case_with(audit, "CSC", "Pol")
    submit(audit, case, "CSC", {"1.1": 1, "1.3": 2})
    submit(audit, case, "Pol", {"1.1": 4, "1.3": 3})
    form = ModerationForm(store, audit, "AUDIT-LEAD", case.id)
    wide = [cid for cid, box in form.row_boxes.items()
            if "ca-wide" in box.children[0]._dom_classes]
    assert wide == ["1.1"]
    table = form.grid.value  # the whole grid, side by side, the same row highlighted
    assert table.count('class="ca-wide-row"') == 1
    wide_row = table.split("ca-wide-row")[1].split("</tr>")[0]
    # ... and said in words, not by its colour alone
    assert '<th scope="row">1.1 ' in wide_row and "⚠ two or more levels apart" in wide_row
    assert table.count("⚠") == 1
    assert '<th scope="col">CSC · AUD-CSC-1</th>' in table and '<th scope="col">Pol · AUD-POL-1</th>' in table


def test_a_preheated_meeting_app_shows_the_round_as_it_is_when_opened(filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Prepared in a pooled kernel before anyone asked, the app reads the round's state again
    when a person opens it: a round closed in the meantime says so."""
    import voila.utils

    from caseaudit import moderation_app, settings

    store, audits = filled
    latest = sorted(p.name for p in audits.iterdir())[-1]
    monkeypatch.setenv(settings.AUDITS_ENV, str(audits))
    monkeypatch.setenv(settings.PREHEAT_ENV, "True")
    monkeypatch.setattr(voila.utils, "wait_for_request",
                        lambda: store.close_round(latest, "AUDIT-LEAD", "meeting held"))
    page = moderation_app(store)
    status = next(w for w in page.children if "ca-round-status" in w._dom_classes)
    assert "Closed by AUDIT-LEAD" in status.value


@pytest.mark.both_databases
def test_closing_needs_a_second_press_and_locks_the_form(store, audit, case_with, submit) -> None:  # type: ignore[no-untyped-def]
    case = case_with(audit, "CSC")
    submit(audit, case, "CSC", {})
    app = _app(store, audit)
    app.form.case_picker.value = case.id
    app.close_button.click()
    assert "again to confirm" in app.message.value and not store.round_locked(audit.id)
    app.close_button.click()
    assert store.round_locked(audit.id)
    assert "Closed by AUDIT-LEAD" in app.status.value
    assert "forms and moderations are final" in app.status.value
    assert f"Round {audit.id} is closed" in app.message.value
    assert app.close_button.disabled and not app.reopen_button.disabled
    form = app.form
    assert form.save_button.disabled and form.agreed["1.1"].disabled
    assert f"Round {audit.id} is closed" in form.message.value
    form.save()  # as a stale page might: refused, nothing written
    assert "closed by AUDIT-LEAD" in form.save_message.value and "final" in form.save_message.value
    assert store.moderation_history(audit.id, case.id) == []


@pytest.mark.both_databases
def test_reopening_needs_a_reason_and_records_who_and_why(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    app = _app(store, audit)
    store.close_round(audit.id, "AUDIT-LEAD")
    app._show_status()
    app.reopen_button.click()
    assert "needs a reason" in app.message.value and store.round_locked(audit.id)
    app.reason.value = "The police form for one case arrived late"
    app.reopen_button.click()
    assert not store.round_locked(audit.id)
    last = store.round_history(audit.id).iloc[-1]
    assert (last["action"], last["by"], last["reason"]) == (
        "reopen", "AUDIT-LEAD", "The police form for one case arrived late")
    assert "Reopened by AUDIT-LEAD" in app.status.value and app.reason.value == ""


@pytest.mark.both_databases
def test_two_people_saving_the_same_case_overwrite_nothing(store, audit, case_with, submit) -> None:  # type: ignore[no-untyped-def]
    case = case_with(audit, "CSC")
    submit(audit, case, "CSC", {"1.1": 2})
    first = ModerationForm(store, audit, "AUDIT-LEAD", case.id)
    second = ModerationForm(store, audit, "AUD-CSC-1", case.id)
    first.agreed["1.1"].value = 2
    first.save()
    second.agreed["1.1"].value = 3
    second.rationale["1.1"].value = "Drift after the strategy discussion."
    assert second.save() is None
    assert "someone else changed" in second.save_message.value
    assert "AUDIT-LEAD saved this case's moderation" in html.unescape(
        second.conflict.children[0].value)
    assert [m.grades["1.1"] for m in store.moderation_history(audit.id, case.id)] == [2]

    keep = second.conflict.children[1].children[1]
    keep.click()
    history = store.moderation_history(audit.id, case.id)
    assert [m.grades["1.1"] for m in history] == [2, 3] and history[-1].based_on == 1
    assert second.conflict.children == ()

    first.agreed["1.1"].value = 1
    first.rationale["1.1"].value = "Outstanding identification."
    assert first.save() is None  # now the first form is stale
    first.conflict.children[1].children[0].click()  # reload theirs
    assert first.agreed["1.1"].value == 3 and first.based_on == 2
    assert first.rationale["1.1"].value == "Drift after the strategy discussion."



@pytest.mark.both_databases
def test_what_the_meeting_typed_survives_a_lost_connection(store, audit, case_with, submit, later) -> None:  # type: ignore[no-untyped-def]
    case = case_with(audit, "CSC")
    submit(audit, case, "CSC", {"1.1": 2})
    form = ModerationForm(store, audit, "AUDIT-LEAD", case.id, scheduler=later)
    form.agreed["1.1"].value = 3
    form.rationale["1.1"].value = "Synthetic rationale: drift after the strategy discussion."
    form.overall.value = 3
    form.theme_boxes["voice"].value = True
    form.other_themes.value = "a local tag"
    assert store.moderation_draft(audit.id, case.id) is None  # nothing kept until a pause
    assert later.run() == 1  # one draft for the four changes
    assert "Draft kept at" in form.draft_status.value
    assert store.moderation_history(audit.id, case.id) == []  # a draft is not a moderation
    assert store.moderation_heads([audit.id]).empty

    again = ModerationForm(store, audit, "AUD-CSC-1", case.id)  # a new page, a new kernel
    assert again.agreed["1.1"].value == 3 and again.overall.value == 3
    assert again.rationale["1.1"].value.startswith("Synthetic rationale")
    assert again.themes() == ["voice", "a local tag"]
    assert again.theme_boxes["voice"].value and again.other_themes.value == "a local tag"
    assert "Brought back what AUDIT-LEAD typed" in html.unescape(again.draft_status.value)
    assert again.save().revision_no == 1 and again.draft_status.value == ""

    third = ModerationForm(store, audit, "AUDIT-LEAD", case.id)  # the save overtook the draft
    assert third.draft_status.value == "" and third.based_on == 1
    assert third.agreed["1.1"].value == 3


def test_switching_case_or_closing_the_round_keeps_the_typing(store, audit, later) -> None:  # type: ignore[no-untyped-def]
    first, second = [c for c in audit.cases if "CSC" in c.agencies][:2]
    app = _app(store, audit)
    form = app.form
    form.scheduler = later
    form.case_picker.value = first.id
    form.agreed["1.1"].value = 2
    form.case_picker.value = second.id  # before the autosave's pause
    kept = store.moderation_draft(audit.id, first.id)
    assert kept is not None and kept.state["grades"] == {"1.1": 2}
    assert form.agreed["1.1"].value is None  # the second case's own, empty form

    form.strengths.value = "Synthetic strengths: a clear chronology."
    app.close_button.click()
    app.close_button.click()
    assert store.round_locked(audit.id) and later.run() == 0
    assert store.moderation_draft(audit.id, second.id).state["strengths"].startswith("Synthetic")
    assert form.strengths.value == ""  # read-only: the saved moderation, which is none
    form.strengths.value = "typed into a stale page"  # the widget is disabled; nothing is kept
    assert form.flush() is None

    store.reopen_round(audit.id, "AUDIT-LEAD", "one more case to discuss")
    reopened = ModerationForm(store, audit, "AUDIT-LEAD", second.id)
    assert reopened.strengths.value == "Synthetic strengths: a clear chronology."


@pytest.mark.both_databases
def test_a_draft_for_a_closed_round_is_refused(store, audit) -> None:  # type: ignore[no-untyped-def]
    store.close_round(audit.id, "AUDIT-LEAD")
    with pytest.raises(RoundLockedError, match="nothing was saved"):
        store.save_moderation_draft(audit.id, audit.cases[0].id, None, {}, "AUDIT-LEAD")


@pytest.mark.both_databases
def test_the_web_app_says_plainly_when_it_cannot_open_the_workbook(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from caseaudit import moderation_app

    monkeypatch.setenv("CASEAUDIT_DB", str(tmp_path / "missing.db"))
    monkeypatch.setenv("CASEAUDIT_WEB_APP", "1")
    page = moderation_app()
    assert 'class="ca-problem"' in page.value and "missing.db" in page.value
    assert "Traceback" not in page.value
