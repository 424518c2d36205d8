"""The inspection review on generated partnerships: the known effect the generator injects after
the plan's start is found and its absence is not mistaken for one; the figures are the store's
judgement counts (moderated grades where there are any) pooled; as of a time, the same figures
after new saves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from caseaudit import settings
from caseaudit.action_plan import load_plan
from caseaudit.analysis import MIN_CASES, MIN_JUDGEMENTS
from caseaudit.inspection import load_inspection
from caseaudit.moderation import case_criteria
from caseaudit.review import InspectionReview, inspection_review
from caseaudit.rounds import load_rounds
from caseaudit.store import ActionUpdateSave, ModerationSave, Store, open_store
from caseaudit.synthetic import build_partnership, write_partnership
from tests.test_as_of import save_after

INSPECTION = """\
id: 2026-02-test
type: JTAI
theme: Child sexual abuse in the family environment
inspectorates: [Ofsted, CQC, HMICFRS, HMI Probation]
visit: {start: 2026-02-09, end: 2026-02-13}
letter_date: 2026-05-14
framework: jtai-csa-family
lines_of_enquiry:
  - {id: identification, title: Identification, criteria: ["1.1", "1.2", "1.3", "1.4"]}
  - {id: protection, title: "Protection, support and care",
     criteria: ["3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "4.4", "4.5", "6.1", "6.2", "6.3", "6.4"]}
areas_for_improvement:
  - {id: A2, title: Data, text: The partnership's data on child sexual abuse.}
  - {id: A3, title: Protection, text: Protection from abuse in the family.}
  - {id: A8, title: Adults, text: Work with adults who pose a risk.}
  - {id: A9, title: Voice, text: Children's voice in the family.}
strengths:
  - {id: S1, title: Leadership, text: Leaders know their partnership.}
"""

PLAN = """\
inspection: 2026-02-test
areas:
  - area: A2
    outcome: The board knows how many children are affected.
    governance_owner: Partnership board
    actions:
      - {id: A2.1, description: A data set, lead_agency: Partnership, lead_role: Business manager,
         start: 2026-06-15, due: 2026-12-31, success_measure: The data set is reported}
  - area: A3
    outcome: Children are protected at home.
    governance_owner: CSA subgroup
    actions:
      - {id: A3.1, description: Joint protection planning, lead_agency: CSC,
         lead_role: Head of Service, start: 2026-06-01, due: 2026-08-31,
         success_measure: Audits show protection, criteria: ["4.1", "4.2", "4.5"]}
  - area: A8
    outcome: Adults who pose a risk are known.
    governance_owner: CSA subgroup
    actions:
      - {id: A8.1, description: Probation checks, lead_agency: Prob, lead_role: Head of Service,
         start: 2026-10-01, due: 2027-03-31, success_measure: Audits show checks,
         criteria: ["2.3", "4.3"]}
  - area: A9
    outcome: Children are heard.
    governance_owner: Partnership board
    actions:
      - {id: A9.1, description: Voice training, lead_agency: Partnership,
         lead_role: Training lead, start: 2026-06-01, due: 2026-11-30,
         success_measure: Audits show voice, criteria: ["1.3", "6.3"]}
"""

TODAY = date(2026, 11, 27)


def _inspections(folder: Path) -> Path:
    (folder / "2026-02-test").mkdir(parents=True)
    (folder / "2026-02-test" / "inspection.yaml").write_text(INSPECTION)
    (folder / "2026-02-test" / "action_plan.yaml").write_text(PLAN)
    return folder


def _written(folder: Path, **kwargs: object) -> Store:
    store = open_store(folder / "review.db", create=True)
    write_partnership(build_partnership(**kwargs), folder / "audits", store)  # type: ignore[arg-type]
    return store


@pytest.fixture(scope="module")
def demo_sized(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The demo's partnership (six rounds of 40 cases to September 2026) and its review."""
    folder = tmp_path_factory.mktemp("review")
    store = _written(folder, cases=40, rounds=6, last=date(2026, 9, 1))
    review = inspection_review(store, "2026-02-test", inspections=_inspections(folder / "insp"),
                               audits=folder / "audits", today=TODAY)
    yield store, folder / "audits", review
    store.dispose()


def _action(review: InspectionReview, action_id: str) -> pd.Series:
    return review.impact.set_index("action_id").loc[action_id]


def test_the_injected_effect_is_found_and_no_effect_is_no_clear_change(demo_sized) -> None:  # type: ignore[no-untyped-def]
    _, _, review = demo_sized
    improved = _action(review, "A3.1")
    assert improved["verdict"] == "improved", improved["reason"]
    assert improved["rounds_before"] == "2025-06-maca, 2025-09-maca, 2025-12-maca, 2026-03-maca"
    assert improved["rounds_after"] == "2026-06-maca, 2026-09-maca"
    assert improved["diff_low"] > 0
    none = _action(review, "A9.1")
    assert none["verdict"] == "no clear change", none["reason"]
    assert none["diff_low"] < 0 < none["diff_high"]
    # A8.1 starts after the latest round: no evidence yet, and the next round should sample it
    later = _action(review, "A8.1")
    assert later["verdict"] == "not enough evidence yet" and later["rounds_after"] == ""
    assert later["reason"] == "No audit round has started since the action started on 1 October 2026."
    suggested = review.suggestions.set_index("criterion_id")
    assert set(suggested.index) == {"2.3", "4.3"}
    assert suggested.loc["4.3", "actions"] == "A8.1"
    assert suggested.loc["4.3", "cases_needed"] == max(MIN_CASES, MIN_JUDGEMENTS)
    assert _action(review, "A2.1")["verdict"] == "no audit criterion"


def test_the_figures_are_the_stores_judgements_pooled(demo_sized) -> None:  # type: ignore[no-untyped-def]
    store, audits, review = demo_sized
    rounds = {r.id: r for r in load_rounds(audits)}
    row = _action(review, "A3.1")
    for side in ("before", "after"):
        n = good = 0
        for round_id in row[f"rounds_{side}"].split(", "):
            audit = rounds[round_id]
            counts = store.judgement_counts(round_id, audit.load_framework())
            mine = counts[(counts["level"] == "criterion") & counts["key"].isin(["4.1", "4.2", "4.5"])]
            n, good = n + int(mine["n"].sum()), good + int(mine["good"].sum())
        assert (row[f"n_{side}"], row[f"good_{side}"]) == (n, good)
    # the earlier rounds were moderated, the latest not yet: the basis says so
    assert row["basis"] == "mixed"
    assert review.rounds == list(rounds)
    assert review.provenance["framework_versions"]["2026-09-maca"] == "jtai-csa-family 1.0"
    assert review.provenance["today"] == "2026-11-27" and review.provenance["as_of"] is None


def test_progress_and_readiness_come_with_the_review(demo_sized) -> None:  # type: ignore[no-untyped-def]
    _, _, review = demo_sized
    assert review.today == TODAY and review.inspection.id == review.plan.inspection
    assert list(review.progress["action_id"]) == ["A2.1", "A3.1", "A8.1", "A9.1"]
    assert set(review.by_area["area_id"]) == {"A2", "A3", "A8", "A9"}
    lines = review.readiness[review.readiness["level"] == "line"]
    assert set(lines["line_id"]) == {"identification", "protection"}
    assert set(lines["round_id"]) == {"2026-09-maca"}
    assert (lines["n"] > 0).all()


def test_a_review_as_of_a_time_is_the_same_after_new_saves(tmp_path: Path, jtai,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.TODAY_ENV, TODAY.isoformat())  # updates may not be dated later
    store = _written(tmp_path, cases=8, rounds=3, seed=7, last=date(2026, 9, 1), framework=jtai)
    inspections, audits = _inspections(tmp_path / "insp"), tmp_path / "audits"
    plan = load_plan(load_inspection("2026-02-test", inspections), inspections=inspections)

    def update(status: str, based_on: int | None) -> None:
        store.save_action_update(plan, ActionUpdateSave(
            "2026-02-test", "A3.1", status, date(2026, 8, 1), "Synthetic update.", "", "BM",
            based_on))

    def review(as_of: datetime | None) -> InspectionReview:
        return inspection_review(store, "2026-02-test", inspections=inspections, audits=audits,
                                 today=TODAY, as_of=as_of)

    update("on track", None)
    moment = datetime.now(UTC)
    before = review(moment)
    save_after(store, load_rounds(audits), jtai)
    update("complete", 1)
    again = review(moment)
    for name in ("progress", "by_area", "impact", "readiness", "suggestions"):
        pd.testing.assert_frame_equal(getattr(before, name), getattr(again, name), obj=name)
    assert again.provenance == before.provenance and again.provenance["as_of"] == moment.isoformat()
    assert before.progress.set_index("action_id").loc["A3.1", "status"] == "on track"
    # read now, the new saves show (so the comparison above could fail)
    now = review(None)
    assert not now.impact.equals(before.impact)
    assert now.progress.set_index("action_id").loc["A3.1", "status"] == "complete"
    store.dispose()


def test_a_moderated_case_counts_on_its_agreed_grades(tmp_path: Path, jtai) -> None:  # type: ignore[no-untyped-def]
    store = _written(tmp_path, cases=8, rounds=3, seed=7, last=date(2026, 9, 1), framework=jtai)
    inspections, audits = _inspections(tmp_path / "insp"), tmp_path / "audits"
    latest = load_rounds(audits)[-1]  # September 2026: after A3.1 started, not yet moderated

    def a31() -> pd.Series:
        return _action(inspection_review(store, "2026-02-test", inspections=inspections,
                                         audits=audits, today=TODAY), "A3.1")

    before = a31()
    linked = ["4.1", "4.2", "4.5"]
    case = next(c for c in latest.cases if set(linked) <= set(case_criteria(jtai, c)))
    graded = store.current_responses(latest.id, case_id=case.id, status="submitted")
    graded = graded[graded["criterion_id"].isin(linked) & ~graded["not_applicable"].astype(bool)]
    agency_good = int(graded["grade"].isin(list(jtai.scale_of("4.1").good_or_better)).sum())
    assert agency_good > 0 and len(graded) > len(linked)  # so that the meeting changes both
    # the meeting agrees Inadequate on everything: the case's agency grades of 4.1, 4.2 and 4.5
    # give way to one agreed (not good) judgement each
    agreed = case_criteria(jtai, case)
    store.save_moderation(latest, jtai, ModerationSave(
        case.id, dict.fromkeys(agreed, 4), dict.fromkeys(agreed, "Synthetic rationale."),
        overall=4, saved_by="LEAD-1"))
    after = a31()
    assert after["n_after"] == before["n_after"] - len(graded) + len(linked)
    assert after["good_after"] == before["good_after"] - agency_good
    assert (after["n_before"], after["good_before"]) == (before["n_before"], before["good_before"])
    store.dispose()
