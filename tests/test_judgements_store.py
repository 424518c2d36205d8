"""The store's counts on the best grade each case has, and its moderation reads as of a time,
checked against the answers saved (read back as tidy rows and counted in pandas)."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from caseaudit.store import FormSave, ModerationSave

pytestmark = pytest.mark.both_databases

BEFORE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FORMS_AT = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
MODERATED_AT = datetime(2026, 1, 20, 14, 0, tzinfo=UTC)
BETWEEN = datetime(2026, 1, 10, tzinfo=UTC)


@pytest.fixture
def saved(store, audit, jtai, case_with):  # type: ignore[no-untyped-def]
    """Case A (CSC and police) and case B (CSC), submitted on 5 January; A's moderation on
    20 January agrees 1.1 at Requires improvement and 1.3 not applicable."""
    a = case_with(audit, "CSC", "Pol")
    b = next(c for c in audit.cases if "CSC" in c.agencies and c.id != a.id)

    def submit(case, agency, grades, every):  # type: ignore[no-untyped-def]
        auditor = next(x.id for x in audit.auditors if x.agency == agency)
        answers = {c.id: every for c in jtai.criteria_for(agency)} | grades
        store.save_form(audit, jtai, FormSave(case.id, agency, auditor, answers,
                                              status="submitted", saved_at=FORMS_AT))

    submit(a, "CSC", {"1.1": 1}, every=2)
    submit(a, "Pol", {"1.1": 4}, every=3)
    submit(b, "CSC", {"1.1": 2}, every=4)
    store.save_moderation(audit, jtai, ModerationSave(
        a.id, {"1.1": 3, "1.3": "not applicable"},
        {"1.1": "Synthetic rationale.", "1.3": "Synthetic rationale."},
        saved_by="LEAD-1", saved_at=MODERATED_AT))
    return a, b


def _oracle(store, audit, jtai, moderated: bool) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """One row per judgement, chosen in pandas from every saved answer."""
    agency = store.current_responses(audit.id, status="submitted")[
        ["case_id", "criterion_id", "grade", "not_applicable"]].assign(basis="agency grades")
    agency = agency[agency["grade"].notna() | agency["not_applicable"]]
    if moderated:
        agreed = store.current_moderations(audit.id)[
            ["case_id", "criterion_id", "grade", "not_applicable"]].assign(basis="moderated")
        agreed = agreed[agreed["grade"].notna() | agreed["not_applicable"]]
        keys = set(zip(agreed["case_id"], agreed["criterion_id"], strict=True))
        agency = agency[[k not in keys for k in zip(agency["case_id"], agency["criterion_id"],
                                                    strict=True)]]
        agency = pd.concat([agency, agreed], ignore_index=True)
    domain = {c.id: d.id for d, c in jtai.criteria()}
    graded = ~agency["not_applicable"]
    return agency.assign(
        domain_id=agency["criterion_id"].map(domain), n=graded.astype(int),
        good=(graded & agency["grade"].isin([1, 2])).astype(int))


def _expected(judged: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for level, column in (("criterion", "criterion_id"), ("domain", "domain_id"),
                          ("overall", None)):
        groups = judged.groupby(column) if column else [("overall", judged)]
        for key, part in groups:
            bases = set(part["basis"])
            rows.append((level, key, bases.pop() if len(bases) == 1 else "mixed",
                         int(part["n"].sum()), int(part["good"].sum()),
                         int((part["not_applicable"]).sum()),
                         part.loc[part["n"] > 0, "case_id"].nunique()))
    return pd.DataFrame(rows, columns=["level", "key", "basis", "n", "good", "not_applicable",
                                       "cases"])


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["level", "key"]).reset_index(drop=True)


@pytest.mark.usefixtures("saved")
def test_an_agreed_answer_takes_the_place_of_the_agencies_grades(  # type: ignore[no-untyped-def]
        store, audit, jtai) -> None:
    counts = store.judgement_counts(audit.id, jtai)
    pd.testing.assert_frame_equal(_sorted(counts), _sorted(_expected(_oracle(store, audit, jtai,
                                                                              True))))
    rows = counts.set_index(["level", "key"])
    # 1.1: A's agreed Requires improvement (not good) and B's CSC Good; A's agencies left out
    assert rows.loc[("criterion", "1.1"), ["basis", "n", "good", "cases"]].tolist() == [
        "mixed", 2, 1, 2]
    # 1.3: agreed not applicable for A, so only B's CSC Inadequate is a grade
    assert rows.loc[("criterion", "1.3"), ["basis", "n", "good", "not_applicable", "cases"]
                    ].tolist() == ["mixed", 1, 0, 1, 1]
    assert rows.loc[("criterion", "1.2"), "basis"] == "agency grades"  # Pol only, not agreed

    by_case = store.case_judgements(audit.id, jtai)
    judged = _oracle(store, audit, jtai, True)
    expected = (judged.groupby(["case_id", "domain_id"])[["n", "good", "not_applicable"]].sum()
                .reset_index().astype({"case_id": str, "domain_id": str, "n": "int64",
                                       "good": "int64", "not_applicable": "int64"}))
    pd.testing.assert_frame_equal(by_case, expected)


def test_counts_and_moderations_as_they_stood_before_the_meeting(  # type: ignore[no-untyped-def]
        store, audit, jtai, saved) -> None:
    a, _ = saved
    earlier = store.judgement_counts(audit.id, jtai, as_of=BETWEEN)
    pd.testing.assert_frame_equal(_sorted(earlier),
                                  _sorted(_expected(_oracle(store, audit, jtai, False))))
    assert earlier.set_index(["level", "key"]).loc[("criterion", "1.1"),
                                                   ["basis", "n", "good"]].tolist() == [
        "agency grades", 3, 2]
    assert store.judgement_counts(audit.id, jtai, as_of=BEFORE).empty  # nothing saved yet

    assert store.moderation_heads([audit.id], as_of=BETWEEN).empty
    assert store.moderated_pair_counts(audit.id, as_of=BETWEEN).empty
    later = datetime(2026, 2, 1, tzinfo=UTC)
    pd.testing.assert_frame_equal(store.moderation_heads([audit.id], as_of=later),
                                  store.moderation_heads([audit.id]))
    pd.testing.assert_frame_equal(store.moderated_pair_counts(audit.id, as_of=later),
                                  store.moderated_pair_counts(audit.id))
    # a second revision after that: as of then, the first still stands
    store.save_moderation(audit, jtai, ModerationSave(
        a.id, {"1.1": 2}, {"1.1": "Synthetic rationale."}, based_on=1, saved_by="LEAD-1"))
    assert store.moderation_heads([audit.id])["revision_no"].tolist() == [2]
    assert store.moderation_heads([audit.id], as_of=later)["revision_no"].tolist() == [1]
    pairs = store.moderated_pair_counts(audit.id, as_of=later)
    assert set(pairs.loc[pairs["criterion_id"] == "1.1", "moderated_grade"]) == {3}
    assert set(store.judgement_counts(audit.id, jtai, as_of=later)["basis"]) == {
        "mixed", "agency grades"}
