"""A practice week's records in the store: each stream's record is a form revision with its stream
details beside it, saved, read back now and as of a time, refused with a sentence naming the
record when it breaks a rule, and then nothing is written."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from caseaudit.errors import ConflictError, GradeError, RecordTakenError, RoundLockedError
from caseaudit.framework import NOT_APPLICABLE, Framework
from caseaudit.practice_week import (
    CONSENT,
    RESPONDENTS,
    next_record_id,
    record_prefix,
)
from caseaudit.rounds import AuditRound
from caseaudit.store import FormSave, Store, StreamDetails, revisions
from caseaudit.store.schema import utcnow

pytestmark = pytest.mark.both_databases

TABLES = ("forms", "revisions", "scores", "form_heads", "grade_tallies", "stream_details")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_TODAY", "2026-05-20")


def _every(framework: Framework, stream: str, grade: object = 1) -> dict[str, object]:
    return {c.id: grade for c in framework.stream_criteria(stream)}


def _record(save: FormSave, changes: dict[str, Any]) -> FormSave:
    """A builder's record with a test's changes to its details."""
    return dataclasses.replace(save, details=dataclasses.replace(save.details, **changes))


def case_audit(pw: Framework, **changes: Any) -> FormSave:
    """PW-LEAD-CSC-1 audits case PW2605-001 with its social worker P-01, every criterion graded."""
    return _record(FormSave("PW2605-001", "CSC", "PW-LEAD-CSC-1", _every(pw, "case_audit"),
                            status="submitted", details=StreamDetails(
                                "case_audit", practitioner="P-01", event_date=date(2026, 5, 12),
                                text="I would have asked about the older sibling sooner.")),
                   changes)


def observation(pw: Framework, record_id: str = "OBS-001", **changes: Any) -> FormSave:
    return _record(FormSave(record_id, "Pol", "PW-LEAD-POL-1", _every(pw, "observation"),
                            status="submitted", details=StreamDetails(
                                "observation", practitioner="P-06",
                                event_kind="strategy discussion", event_date=date(2026, 5, 13),
                                feedback_given=True,
                                text="Clear purpose; the child's school was not invited.")),
                   changes)


def family_feedback(pw: Framework, record_id: str = "FF-001", **changes: Any) -> FormSave:
    return _record(FormSave(record_id, "CSC", "PW-LEAD-CSC-2", _every(pw, "family_feedback", 2),
                            status="submitted", details=StreamDetails(
                                "family_feedback", event_date=date(2026, 5, 14), consent="given",
                                respondent="parent or carer",
                                text="They came when they said they would.")), changes)


def practitioner_feedback(pw: Framework, record_id: str = "PF-001", **changes: Any) -> FormSave:
    return _record(FormSave(record_id, "Hlth", "PW-LEAD-HLTH-1",
                            _every(pw, "practitioner_feedback"), status="submitted",
                            details=StreamDetails("practitioner_feedback",
                                                  event_date=date(2026, 5, 15), consent="given")),
                   changes)


def _rows(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in TABLES}


# -- saving and reading each stream ---------------------------------------------------------------

def test_each_stream_saves_a_record_and_reads_it_back(store: Store, week: AuditRound,
                                                      pw: Framework) -> None:
    saves = [case_audit(pw), observation(pw), family_feedback(pw), practitioner_feedback(pw)]
    saved = store.save_forms(week, pw, saves)
    assert [r.details.stream_id for r in saved] == ["case_audit", "observation", "family_feedback",
                                                    "practitioner_feedback"]
    records = store.stream_records(week.id).set_index("record_id")
    assert list(records.columns) == ["stream_id", "agency", "auditor", "status", "revision_no",
                                     "practitioner", "event_kind", "event_date", "feedback_given",
                                     "respondent", "consent", "flagged"]
    assert "text" not in records.columns  # the person's words never leave the form
    assert records.loc["OBS-001", "event_kind"] == "strategy discussion"
    assert bool(records.loc["OBS-001", "feedback_given"]) is True
    assert records.loc["OBS-001", "event_date"] == datetime(2026, 5, 13)
    assert records.loc["FF-001", "respondent"] == "parent or carer"
    assert records.loc["PW2605-001", "practitioner"] == "P-01"
    assert records["practitioner"].isna().tolist() == [False, True, False, True]  # FF, PF anonymous
    assert str(records["feedback_given"].dtype) == "boolean"
    assert str(records["event_date"].dtype).startswith("datetime64")
    responses = store.current_responses(week.id, status="submitted")
    ff = responses[responses["case_id"] == "FF-001"].set_index("criterion_id")["grade"]
    assert ff.to_dict() == {"FF1": 2, "FF2": 2, "FF3": 2}
    history = store.form_history(week.id, "OBS-001", "Pol", "PW-LEAD-POL-1")
    assert history[-1].details == saves[1].details and history[-1].flagged is False
    assert store.latest_revision(week.id, "FF-001", "CSC", "PW-LEAD-CSC-2").details.text == \
        "They came when they said they would."


def test_not_applicable_counts_as_graded_where_the_scale_allows(store: Store, week: AuditRound,
                                                                pw: Framework) -> None:
    save = observation(pw)
    save = dataclasses.replace(save, grades={**save.grades, "OB4": "n/a"})
    assert store.save_form(week, pw, save).grades["OB4"] is NOT_APPLICABLE
    with pytest.raises(GradeError, match=r"FF1: .*not applicable|FF1: .*n/a"):  # agree5 has no N/A
        store.save_form(week, pw, dataclasses.replace(
            family_feedback(pw), grades={**family_feedback(pw).grades, "FF1": "n/a"}))


def test_a_draft_then_a_submit_and_as_of(store: Store, week: AuditRound, pw: Framework) -> None:
    draft = store.save_form(week, pw, dataclasses.replace(
        observation(pw, event_kind=None, feedback_given=None), grades={"OB1": 2}, status="draft"))
    assert draft.status == "draft" and draft.revision_no == 1
    assert store.stream_records(week.id).empty  # submitted only, by default
    drafts = store.stream_records(week.id, status=None)
    assert drafts["status"].tolist() == ["draft"] and drafts["event_kind"].isna().all()
    between = utcnow() + timedelta(milliseconds=1)
    submitted = store.save_form(week, pw, dataclasses.replace(observation(pw), based_on=1,
                                saved_at=between + timedelta(seconds=1)))
    assert submitted.revision_no == 2
    now = store.stream_records(week.id)
    assert now["revision_no"].tolist() == [2] and now["event_kind"].tolist() == ["strategy discussion"]
    then = store.stream_records(week.id, as_of=between, status=None)
    assert then["status"].tolist() == ["draft"] and then["revision_no"].tolist() == [1]
    assert store.stream_records(week.id, as_of=between).empty


def test_a_stale_save_is_refused_naming_who_saved(store: Store, week: AuditRound,
                                                  pw: Framework) -> None:
    store.save_form(week, pw, family_feedback(pw))
    store.save_form(week, pw, dataclasses.replace(family_feedback(pw), based_on=1,
                                                  saved_by="PW-LEAD-CSC-2"))
    before = _rows(store)
    with pytest.raises(ConflictError, match="PW-LEAD-CSC-2"):
        store.save_form(week, pw, dataclasses.replace(family_feedback(pw), based_on=1))
    assert _rows(store) == before


def test_a_closed_round_takes_no_record(store: Store, week: AuditRound, pw: Framework) -> None:
    store.save_form(week, pw, observation(pw))
    store.close_round(week.id, "PW-LEAD-CSC-1")
    before = _rows(store)
    with pytest.raises(RoundLockedError):
        store.save_form(week, pw, observation(pw, "OBS-002"))
    assert _rows(store) == before


def test_last_change_moves_with_every_record(store: Store, week: AuditRound, pw: Framework) -> None:
    first = store.last_change()
    store.save_form(week, pw, practitioner_feedback(pw))
    second = store.last_change()
    store.save_form(week, pw, dataclasses.replace(practitioner_feedback(pw), based_on=1))
    assert len({first, second, store.last_change()}) == 3


def test_personal_data_in_the_text_is_saved_and_flagged(store: Store, week: AuditRound,
                                                        pw: Framework) -> None:
    words = "Mum said call her on 07700 900123 any time."
    saved = store.save_form(week, pw, family_feedback(pw, text=f"  {words} "))
    assert saved.flagged and saved.details.text == words  # kept, trimmed, flagged
    assert store.latest_revision(week.id, "FF-001", "CSC", "PW-LEAD-CSC-2").flagged
    assert store.stream_records(week.id)["flagged"].tolist() == [True]


def test_a_declined_consent_keeps_only_that_it_was_declined(store: Store, week: AuditRound,
                                                            pw: Framework) -> None:
    save = dataclasses.replace(family_feedback(pw, consent="declined", text=""), grades={})
    saved = store.save_form(week, pw, save)  # submitted with no answers at all
    assert saved.status == "submitted" and saved.grades == {}
    assert store.stream_records(week.id)["consent"].tolist() == ["declined"]


def test_the_stream_tables_refuse_update_and_delete(store: Store, week: AuditRound,
                                                    pw: Framework) -> None:
    store.save_form(week, pw, observation(pw))
    for statement in ("UPDATE stream_details SET text = ''", "DELETE FROM stream_details"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as conn:
            conn.exec_driver_sql(statement)


# -- record ids -----------------------------------------------------------------------------------

def test_record_ids_are_made_from_the_stream() -> None:
    assert [record_prefix(s) for s in ("observation", "family_feedback", "practitioner_feedback",
                                       "case_audit")] == ["OBS", "FF", "PF", "CA"]
    assert next_record_id([], "observation") == "OBS-001"
    assert next_record_id(["OBS-001", "OBS-003", "FF-002"], "observation") == "OBS-002"
    assert next_record_id(["FF-001", "FF-002"], "family_feedback") == "FF-003"
    assert CONSENT == ("given", "declined") and "parent or carer" in RESPONDENTS


def test_a_practice_week_expects_one_case_audit_per_case(week: AuditRound) -> None:
    assert week.expected_forms() == [(c.id, c.agencies[0]) for c in week.cases]
    assert ("PW2605-001", "CSC") in week.expected_forms() and len(week.expected_forms()) == 8


# -- refusals: each names the record, says what to do, writes nothing -----------------------------

def _refusals(pw: Framework) -> list[tuple[str, FormSave, str]]:
    ff, obs, ca, pf = family_feedback(pw), observation(pw), case_audit(pw), practitioner_feedback(pw)
    return [
        ("stream not in the round", observation(pw, stream_id="peer_review"),
         r"stream 'peer_review' is not one of round 2026-05-practice-week's streams .*choose"),
        ("case audit of a case not in the round", dataclasses.replace(ca, case_id="PW2605-099"),
         r"case 'PW2605-099' is not in round 2026-05-practice-week; choose a case"),
        ("case audit by an agency not involved", dataclasses.replace(
            ca, case_id="PW2605-002", agency="Pol", auditor="PW-LEAD-POL-1"),
         r"agency Pol is not involved with case PW2605-002 \(involved: CSC, Hlth\)"),
        ("observation under a case id", dataclasses.replace(obs, case_id="PW2605-001"),
         r"'PW2605-001' is not an id of the observation stream; use the next free id .*OBS-001"),
        ("observation under another stream's id", observation(pw, "FF-001"),
         r"'FF-001' is not an id of the observation stream"),
        ("participant not in the round", observation(pw, practitioner="P-99"),
         r"participant P-99 is not in round 2026-05-practice-week's participants .*audit.yaml"),
        ("event kind off the list", observation(pw, event_kind="case conference"),
         r"event kind 'case conference' is not one of the kinds .*choose one of them"),
        ("no consent on a feedback save", family_feedback(pw, consent=None),
         r"record whether the person consented .*even in a draft"),
        ("no consent on a draft either", dataclasses.replace(
            practitioner_feedback(pw, consent=None), status="draft", grades={}),
         r"record whether the person consented"),
        ("consent off the list", practitioner_feedback(pw, consent="yes"),
         r"consent 'yes' must be one of given, declined"),
        ("declined with answers", family_feedback(pw, consent="declined", text=""),
         r"consent was declined, so nothing .*clear the answers"),
        ("declined with text", dataclasses.replace(
            family_feedback(pw, consent="declined"), grades={}),
         r"consent was declined"),
        ("respondent off the list", family_feedback(pw, respondent="neighbour"),
         r"respondent 'neighbour' is not one of child or young person.*choose one"),
        ("date far before the week", observation(pw, event_date=date(2026, 4, 1)),
         r"the date, 1 April 2026, is outside the week \(11 May 2026 to 15 May 2026, give or take "
         r"14 days\)"),
        ("date in the future", observation(pw, event_date=date(2026, 5, 25)),
         r"the date, 25 May 2026, is after today \(20 May 2026\)"),
        ("an answer outside the stream", dataclasses.replace(obs, grades={**obs.grades, "FF1": 1}),
         r"criterion FF1 is not asked on the observation form; leave it out"),
        ("a note outside the stream", dataclasses.replace(obs, notes={"CR1": "note"}),
         r"a note is given for criterion 'CR1', which the observation form does not ask"),
        ("submitted without every criterion", dataclasses.replace(
            pf, grades={"PF1": 1}), r"must grade every criterion of its stream; not graded: PF2, PF3"),
        ("submitted observation without its fields", observation(
            pw, practitioner=None, event_kind=None, event_date=None, feedback_given=None),
         r"(?s)needs the practitioner.*needs the kind of event.*needs whether there was a feedback "
         r"conversation afterwards.*needs the date"),
        ("submitted family feedback without its respondent", family_feedback(pw, respondent=None),
         r"a submitted family feedback record needs who answered \(the respondent\); fill it in, "
         r"or save it as a draft"),
        ("feedback given not yes or no", observation(pw, feedback_given="yes"),
         r"whether there was a feedback conversation afterwards is 'yes'; answer yes \(True\) or no"),
        ("a date that is not a date", observation(pw, event_date="13/05/2026"),
         r"the date '13/05/2026' is not a date; give the day it happened"),
        ("a field of another stream", case_audit(pw, consent="given"),
         r"a case audit record has no consent; leave it blank"),
        ("a practitioner on family feedback", family_feedback(pw, practitioner="P-01"),
         r"a family feedback record has no practitioner"),
        ("text too long", practitioner_feedback(pw, text="x" * 20_000),
         r"what was said is 20,000 characters long.*shorten it"),
        ("no details in a practice week", dataclasses.replace(ff, details=None),
         r"say which stream the record belongs to"),
        ("an auditor not in the round", dataclasses.replace(obs, auditor="PW-LEAD-X"),
         r"auditor 'PW-LEAD-X' is not one of round 2026-05-practice-week's auditors"),
    ]


def test_every_refusal_names_the_record_and_writes_nothing(store: Store, week: AuditRound,
                                                           pw: Framework) -> None:
    store.save_form(week, pw, case_audit(pw))  # something already there, to see nothing changes
    before = _rows(store)
    for what, save, message in _refusals(pw):
        with pytest.raises(GradeError, match=message) as refused:
            store.save_form(week, pw, save)
        stream = save.details.stream_id.replace("_", " ") if save.details else "record"
        name = f"{stream} {save.case_id} by {save.auditor}"
        assert f"The form for {name} was not saved" in str(refused.value), what
        assert _rows(store) == before, what


def test_a_batch_with_one_bad_record_saves_none(store: Store, week: AuditRound,
                                                pw: Framework) -> None:
    before = _rows(store)
    with pytest.raises(GradeError):
        store.save_forms(week, pw, [observation(pw), family_feedback(pw, consent=None)])
    assert _rows(store) == before


def test_a_record_keeps_its_stream(store: Store, week: AuditRound, pw: Framework) -> None:
    store.save_form(week, pw, practitioner_feedback(pw, "PF-001"))
    before = _rows(store)
    moved = FormSave("PF-001", "Hlth", "PW-LEAD-HLTH-1", {}, status="draft", based_on=1,
                     details=StreamDetails("observation"))
    with pytest.raises(GradeError, match="'PF-001' is not an id of the observation stream"):
        store.save_form(week, pw, moved)  # the id says its stream, checked before the store
    assert _rows(store) == before


def test_a_record_keeps_its_first_stream_checked_in_the_store(store: Store, week: AuditRound,
                                                              pw: Framework) -> None:
    """Only the store knows a record's first stream. The id rules keep each stream's ids apart,
    so the engine's own guard is driven directly, as a framework whose streams shared a prefix
    would reach it: nothing is written, the refusal names the record and its stream."""
    store.save_form(week, pw, practitioner_feedback(pw))
    before = _rows(store)
    moved = dataclasses.replace(practitioner_feedback(pw), grades={}, status="draft", based_on=1,
                                details=StreamDetails("observation"))
    with pytest.raises(GradeError, match="PF-001 is a practitioner feedback record, and a record "
                                         "keeps its stream; save the observation as a new record"):
        revisions.save_forms(store.engine, week, pw, [(moved, {}, {}, False)])
    assert _rows(store) == before
    assert [r.details.stream_id for r in store.form_history(
        week.id, "PF-001", "Hlth", "PW-LEAD-HLTH-1")] == ["practitioner_feedback"]


def test_details_on_a_case_audit_round_are_refused(store: Store, audit: AuditRound,
                                                   jtai: Framework, case_with: Any) -> None:
    case = case_with(audit, "CSC")
    auditor = next(a.id for a in audit.auditors if a.agency == "CSC")
    before = _rows(store)
    with pytest.raises(GradeError, match=rf"round {audit.id} is a .*, not a practice week; choose a "
                                         "practice-week round"):
        store.save_form(audit, jtai, FormSave(case.id, "CSC", auditor, {"1.1": 2},
                                              details=StreamDetails("observation")))
    assert _rows(store) == before


def test_a_new_record_may_not_take_an_id_another_persons_record_holds(
        store: Store, week: AuditRound, pw: Framework) -> None:
    """Two observers offered the same next number at once: the second save is refused whole (the
    form then saves under the next id); a case audit, named by its case, is not concerned."""
    store.save_form(week, pw, observation(pw))  # OBS-001 by PW-LEAD-POL-1
    before = _rows(store)
    theirs = dataclasses.replace(observation(pw), agency="CSC", auditor="PW-LEAD-CSC-2",
                                 saved_by="PW-LEAD-CSC-2")
    with pytest.raises(RecordTakenError, match="OBS-001 is already PW-LEAD-POL-1's record in this "
                                               "week; save yours under the stream's next free id"):
        store.save_form(week, pw, theirs)
    assert _rows(store) == before
    store.save_form(week, pw, dataclasses.replace(theirs, case_id="OBS-002"))
    assert list(store.stream_records(week.id)["record_id"]) == ["OBS-001", "OBS-002"]
