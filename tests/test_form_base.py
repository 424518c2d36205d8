"""What every form that keeps drafts shares (caseaudit.ui.form_base), tested once against each
form: the scoring form and the meeting's form must behave alike where a person's typing is at
stake, so the same test drives both."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pytest

from caseaudit.rounds import AuditRound, Case
from caseaudit.store import Store
from caseaudit.ui.form_base import AUTOSAVE_SECONDS, FormBase
from caseaudit.ui.kit import Scheduler
from caseaudit.ui.meeting import ModerationForm
from caseaudit.ui.scoring import ScoringForm

pytestmark = pytest.mark.both_databases


class Driver:
    """One form on one case, opened by either of two people, with its autosave held back."""

    def __init__(self, store: Store, audit: AuditRound, case: Case, scheduler: Scheduler) -> None:
        self.store, self.audit, self.case, self.scheduler = store, audit, case, scheduler


class ScoringDriver(Driver):
    """The scoring form on one case, its criterion 1.1's grade and evidence note; both people
    open the same auditor's form (a second tab, or a colleague on the same login)."""

    people = ("AUD-CSC-1", "AUD-CSC-1")
    subject = "this form"

    def open(self, person: int = 0) -> ScoringForm:
        form = ScoringForm(self.store, [self.audit], auditor=self.people[person], remember=False,
                           scheduler=self.scheduler)
        form.case_picker.value = self.case.id
        return form

    def edit(self, form: Any, grade: int, text: str) -> None:
        form.rows["1.1"].grade.value = grade
        form.rows["1.1"].note.value = text

    def shown(self, form: Any) -> tuple[int | None, str]:
        return form.rows["1.1"].grade.value, form.rows["1.1"].note.value

    def save(self, form: Any) -> Any:
        return form.flush()  # a draft is a revision of the form

    def fields(self, form: Any) -> list[widgets.DOMWidget]:
        return [w for row in form.rows.values() for w in (row.grade, row.note)]

    def button(self, form: Any) -> widgets.Button:
        return form.submit_button

    def saved(self) -> list[tuple[int | None, str]]:
        """Grade and note of 1.1 in every saved revision, oldest first."""
        return [(r.grades.get("1.1"), r.notes.get("1.1", "")) for r in self.store.form_history(
            self.audit.id, self.case.id, "CSC", self.people[0])]

    def kept(self) -> tuple[int | None, str] | None:
        """What the autosave kept: the latest revision (a draft), if any."""
        saved = self.saved()
        return saved[-1] if saved else None


class MeetingDriver(Driver):
    """The meeting's form on one case, its criterion 1.1's agreed grade and rationale; the two
    people are the audit lead and an auditor recording on another laptop."""

    people = ("AUDIT-LEAD", "AUD-CSC-1")
    subject = "this case's moderation"

    def open(self, person: int = 0) -> ModerationForm:
        return ModerationForm(self.store, self.audit, self.people[person], self.case.id,
                              scheduler=self.scheduler)

    def edit(self, form: Any, grade: int, text: str) -> None:
        form.agreed["1.1"].value = grade
        form.rationale["1.1"].value = text

    def shown(self, form: Any) -> tuple[int | None, str]:
        return form.agreed["1.1"].value, form.rationale["1.1"].value

    def save(self, form: Any) -> Any:
        return form.save()

    def fields(self, form: Any) -> list[widgets.DOMWidget]:
        return [*form.agreed.values(), *form.rationale.values(), form.overall, form.strengths,
                form.development, form.other_themes, *form.theme_boxes.values()]

    def button(self, form: Any) -> widgets.Button:
        return form.save_button

    def saved(self) -> list[tuple[int | None, str]]:
        return [(m.grades.get("1.1"), m.rationales.get("1.1", ""))
                for m in self.store.moderation_history(self.audit.id, self.case.id)]

    def kept(self) -> tuple[int | None, str] | None:
        draft = self.store.moderation_draft(self.audit.id, self.case.id)
        if draft is None:
            return None
        return draft.state["grades"].get("1.1"), draft.state["rationales"].get("1.1", "")


@pytest.fixture(params=[ScoringDriver, MeetingDriver], ids=["scoring", "meeting"])
def driver(request, store, audit, case_with, later):  # type: ignore[no-untyped-def]
    """Each form on a case CSC answers for, its autosave waiting for ``later.run()``."""
    return request.param(store, audit, case_with(audit, "CSC"), later)


def test_both_forms_share_the_base(driver) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(driver.open(), FormBase)


def test_a_draft_is_kept_a_pause_after_the_last_change(driver, later) -> None:  # type: ignore[no-untyped-def]
    form = driver.open()
    driver.edit(form, 2, "Synthetic: first thoughts.")
    driver.edit(form, 3, "Synthetic: on reflection.")
    assert driver.kept() is None and form.dirty  # nothing kept while the typing goes on
    assert later.delays == [AUTOSAVE_SECONDS] * 4  # each change put the timer back
    assert later.run() == 1  # only the last timer was still due
    assert driver.kept() == (3, "Synthetic: on reflection.") and not form.dirty
    assert later.run() == 0 and form.flush() is None  # nothing new, nothing kept again

    driver.edit(form, 2, "Synthetic: switching case now.")
    form.flush()  # what leaving the case or round does: kept at once, the timer cancelled
    assert driver.kept() == (2, "Synthetic: switching case now.") and later.run() == 0


def test_a_stale_save_shows_who_saved_and_offers_reload_or_keep_mine(driver) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = driver.open(0), driver.open(1)
    driver.edit(theirs, 4, "Synthetic: theirs.")
    assert driver.save(theirs) is not None
    driver.edit(mine, 2, "Synthetic: mine.")
    assert driver.save(mine) is None  # based on nothing: refused
    assert driver.saved() == [(4, "Synthetic: theirs.")]  # nothing overwritten
    said = html.unescape(mine.save_message.value)
    assert f"Not saved: someone else changed {driver.subject}." in said and "ca-error" in said
    explanation, choices = mine.conflict.children
    text = html.unescape(explanation.value)
    assert f"{driver.people[1]} saved {driver.subject} at " in text
    assert "Nothing has been overwritten" in text
    reload, keep = choices.children
    assert (reload.description, keep.description) == ("Reload their version",
                                                      "Keep mine as a new revision")

    keep.click()
    assert driver.saved() == [(4, "Synthetic: theirs."), (2, "Synthetic: mine.")]
    assert mine.conflict.children == () and not mine.dirty and mine.based_on == 2

    driver.edit(theirs, 3, "Synthetic: theirs again.")  # now they are behind
    assert driver.save(theirs) is None and len(driver.saved()) == 2
    theirs.conflict.children[1].children[0].click()  # reload
    assert driver.shown(theirs) == (2, "Synthetic: mine.")
    assert theirs.based_on == 2 and not theirs.dirty
    assert theirs.conflict.children == () and theirs.save_message.value == ""


def test_a_closed_round_opens_read_only_and_says_so_before_anyone_types(driver) -> None:  # type: ignore[no-untyped-def]
    form = driver.open()
    driver.edit(form, 2, "Synthetic: before the meeting closed the round.")
    form.flush()
    before = driver.kept()
    driver.store.close_round(driver.audit.id, "AUDIT-LEAD")

    closed = driver.open()
    assert closed.locked and driver.button(closed).disabled
    assert all(field.disabled for field in driver.fields(closed))
    said = html.unescape(closed.message.value)
    assert f"Round {driver.audit.id} is closed" in said and "forms and moderations are final" in said
    assert "reopen" in said and "ca-warn" in said
    assert "Read-only: the round is closed." in closed.save_message.value
    closed.dirty = True  # as a stale page might claim: nothing is kept
    assert closed.flush() is None and driver.kept() == before

    driver.store.reopen_round(driver.audit.id, "AUDIT-LEAD", "a late correction")
    reopened = driver.open()
    assert not reopened.locked and not driver.button(reopened).disabled
    assert not any(field.disabled for field in driver.fields(reopened))
    assert reopened.save_message.value == ""
