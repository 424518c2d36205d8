"""The synthetic partnership: deterministic, and realistic where the analysis cares."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseaudit.analysis import summarise_counts
from caseaudit.rounds import load_round_file, write_round
from caseaudit.synthetic import IMPROVING, build_partnership, write_partnership

PROJECT = Path(__file__).parents[1]


def test_the_committed_example_round_is_what_the_generator_makes(tmp_path: Path) -> None:
    committed = PROJECT / "audits" / "2026-03-example"
    example = build_partnership(cases=12, rounds=1, label="example").rounds[0]
    write_round(example, tmp_path)
    for name in ("audit.yaml", "cases.csv"):
        assert (tmp_path / example.id / name).read_bytes() == (committed / name).read_bytes(), (
            f"{name} differs: run `make example-round` and commit the result")
    assert load_round_file(committed / "audit.yaml") == example


def test_same_seed_same_partnership_other_seed_other(jtai) -> None:  # type: ignore[no-untyped-def]
    a = build_partnership(cases=10, rounds=2, seed=5, framework=jtai)
    b = build_partnership(cases=10, rounds=2, seed=5, framework=jtai)
    c = build_partnership(cases=10, rounds=2, seed=6, framework=jtai)
    assert a == b
    assert a.saves != c.saves


def test_the_partnership_looks_like_real_audit_work(tmp_path: Path, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.store import open_store

    partnership = build_partnership(cases=60, rounds=4, seed=3, framework=jtai)
    store = open_store(tmp_path / "p.db", create=True)
    write_partnership(partnership, tmp_path / "audits", store, jtai)
    first, last = partnership.rounds[0], partnership.rounds[-1]

    # five or six agencies, with auditors of differing leniency
    assert len(first.agencies) == 6
    assert max(partnership.leniency.values()) - min(partnership.leniency.values()) > 0.3
    # not-applicable answers, drafts and missing forms in the latest round, revised forms
    tidy = store.current_responses()
    assert tidy["not_applicable"].sum() > 0
    statuses = store.form_statuses(last.id)
    assert (statuses["status"] == "draft").any()
    assert len(statuses) < len(last.expected_forms())
    assert (store.form_statuses()["revision_no"] > 1).any()
    assert (store.form_statuses(first.id)["status"] == "submitted").all()
    # the targeted criteria improve from the first round to the last; on average the others less
    counts = store.grade_counts()
    by_round = summarise_counts(counts, jtai, ["round_id", "criterion_id"])
    share = by_round.pivot(index="criterion_id", columns="round_id", values="share")
    change = share[last.id] - share[first.id]
    improving = change[list(IMPROVING)]
    others = change.drop(list(IMPROVING))
    assert (improving > 0).all()
    assert improving.mean() > others.mean() + 0.1
    # cases have realistic attribute mixes
    assert {c.age_band for c in first.cases} >= {"1-4", "5-9", "10-15"}
    assert {c.plan_type for c in first.cases} >= {"child protection", "child in need"}


def test_the_demo_has_six_quarterly_rounds_to_september_2026() -> None:
    from datetime import date

    from caseaudit.synthetic import demo_partnership

    demo = demo_partnership(cases=4)
    assert [r.id for r in demo.rounds] == ["2025-06-maca", "2025-09-maca", "2025-12-maca",
                                           "2026-03-maca", "2026-06-maca", "2026-09-maca"]
    assert demo.rounds[-1].period.start == date(2026, 9, 1)
    assert demo.rounds[-1].period.end == date(2026, 9, 30)
    # the latest round is still in progress (no meeting yet); the others were moderated
    assert set(demo.moderations) == {r.id for r in demo.rounds[:-1]}


def test_rounds_before_the_action_plan_are_the_same_however_many_follow(jtai) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    shorter = build_partnership(cases=6, rounds=4, seed=11, framework=jtai)
    longer = build_partnership(cases=6, rounds=6, seed=11, framework=jtai, last=date(2026, 9, 1))
    # the generator draws in order, so the rounds before the shorter one's latest (which has
    # drafts and no meeting) are the same; the effect of the plan never reaches back
    for r in range(3):
        assert shorter.rounds[r] == longer.rounds[r]
        assert shorter.saves[shorter.rounds[r].id] == longer.saves[longer.rounds[r].id]
        assert (shorter.moderations[shorter.rounds[r].id]
                == longer.moderations[longer.rounds[r].id])


def test_the_demo_records_progress_on_the_example_plan_up_to_today(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from caseaudit import settings
    from caseaudit.example_inspection import EXAMPLE_INSPECTION_ID
    from caseaudit.practice_week import latest_case_audit, without_practice_weeks
    from caseaudit.rounds import load_rounds
    from caseaudit.store import open_store
    from caseaudit.synthetic import PLAN_RECORDER, write_demo

    def statuses(name: str, today: str) -> dict[str, str]:
        monkeypatch.setenv(settings.TODAY_ENV, today)
        store = open_store(tmp_path / name / "demo.db", create=True)
        folder = write_demo(build_partnership(cases=3, rounds=2, last=date(2026, 9, 1)),
                            tmp_path / name / "audits", store)
        assert folder == tmp_path / name / "inspections" / EXAMPLE_INSPECTION_ID
        assert (folder / "action_plan.yaml").exists()
        table = store.action_statuses(EXAMPLE_INSPECTION_ID)
        assert set(table["saved_by"]) == {PLAN_RECORDER} and not table["flagged"].any()
        history = store.action_history(EXAMPLE_INSPECTION_ID, "A3.1")
        store.dispose()
        assert [u.revision_no for u in history] == list(range(1, len(history) + 1))
        # the practice weeks are there, and the case-audit pages still open a case audit
        rounds = load_rounds(tmp_path / name / "audits")
        kept, set_apart = without_practice_weeks(rounds)
        assert [r.id for r in rounds if r not in kept] == ["2025-05-practice-week",
                                                            "2026-05-practice-week"]
        assert set_apart == ["The practice weeks 2025-05-practice-week and 2026-05-practice-week are not "
                             "shown here: this page is for case audits, and a practice week's streams "
                             "have their own forms and summary."]
        assert latest_case_audit(tmp_path / name / "audits").id == "2026-09-maca"
        return dict(zip(table["action_id"], table["status"], strict=True))

    late = statuses("late", "2026-10-15")
    assert late == {"A1.1": "at risk", "A2.1": "at risk", "A3.1": "complete",
                    "A4.1": "on track", "A5.1": "on track", "A7.1": "off track",
                    "A9.1": "on track"}  # A6.1 and A8.1 never updated: not started
    # generated on a day before some of the updates: only those recorded by then
    assert statuses("early", "2026-07-01") == {"A1.1": "on track", "A3.1": "on track",
                                               "A4.1": "on track"}


@pytest.fixture(scope="module")
def practice_weeks(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The demo's practice weeks written to a folder and saved through the store's checks."""
    from caseaudit.store import open_store
    from caseaudit.synthetic_practice_week import build_practice_weeks, write_practice_weeks

    folder = tmp_path_factory.mktemp("weeks")
    store = open_store(folder / "weeks.db", create=True)
    weeks = build_practice_weeks()
    write_practice_weeks(weeks, folder / "audits", store)
    yield weeks, store, folder / "audits"
    store.dispose()


#: What issue 12 asks of each week: 40 case audits, 25 observations, 60 feedback returns.
VOLUMES = {"case_audit": 40, "observation": 25, "family_feedback": 35, "practitioner_feedback": 25}


def test_the_demo_has_a_practice_week_each_may_with_every_stream(practice_weeks) -> None:  # type: ignore[no-untyped-def]
    from caseaudit import settings
    from caseaudit.practice_week import PRACTICE_WEEK

    weeks, store, audits = practice_weeks
    assert [w.audit.id for w in weeks] == ["2025-05-practice-week", "2026-05-practice-week"]
    assert {w.audit.theme for w in weeks} == {"Child sexual abuse in the family environment"}
    threshold = settings.suppression_threshold()
    for week in weeks:
        audit = week.audit
        assert audit.kind == PRACTICE_WEEK and audit.period.start.month == 5
        assert load_round_file(audits / audit.id / "audit.yaml") == audit  # what the files say
        records = store.stream_records(audit.id)
        assert records.groupby("stream_id").size().to_dict() == VOLUMES
        assert (records["status"] == "submitted").all() and not records["flagged"].any()
        # case audits: every case, by the case-holding agency, with a practitioner of it
        cases = records[records["stream_id"] == "case_audit"]
        assert set(cases["record_id"]) == {c.id for c in audit.cases}
        holder = {c.id: c.agencies[0] for c in audit.cases}
        assert (cases["agency"] == cases["record_id"].map(holder)).all()
        people = audit.participants_by_id
        assert all(people[p].agency == a for p, a in zip(cases["practitioner"], cases["agency"],
                                                         strict=True))
        # observations over the six kinds, some kinds so rare that the board must not see them
        seen = records[records["stream_id"] == "observation"]["event_kind"].value_counts()
        assert set(seen.index) <= set(audit.load_framework().streams_by_id["observation"].event_kinds)
        assert ((seen >= 1) & (seen <= threshold)).sum() >= 2 and (seen > threshold).sum() >= 2
        family = records[records["stream_id"] == "family_feedback"]["respondent"].value_counts()
        assert 1 <= family["other family member"] <= threshold < family["parent or carer"]
        # the free text is invented and says so
        texts = [s.details.text for s in week.saves if s.details.text]
        assert texts and all(t.startswith("Synthetic ") for t in texts)
    # in 2026 one kind of event was not observed at all: a true zero, which the board sees
    kinds_2026 = store.stream_records(weeks[1].audit.id)["event_kind"].dropna()
    assert "other" not in set(kinds_2026)


def test_consent_is_mostly_given_and_a_declined_return_keeps_nothing(practice_weeks) -> None:  # type: ignore[no-untyped-def]
    weeks, store, _ = practice_weeks
    consent = {w.audit.id: store.stream_records(w.audit.id).dropna(subset=["consent"])
               .groupby(["stream_id", "consent"]).size().to_dict() for w in weeks}
    assert consent == {
        "2025-05-practice-week": {("family_feedback", "given"): 32, ("family_feedback", "declined"): 3,
                                  ("practitioner_feedback", "given"): 24,
                                  ("practitioner_feedback", "declined"): 1},
        "2026-05-practice-week": {("family_feedback", "given"): 33, ("family_feedback", "declined"): 2,
                                  ("practitioner_feedback", "given"): 23,
                                  ("practitioner_feedback", "declined"): 2}}
    for week in weeks:
        records = store.stream_records(week.audit.id)
        declined = records[records["consent"] == "declined"]
        answers = store.current_responses(week.audit.id)
        assert not set(declined["record_id"]) & set(answers["case_id"])
        for row in declined.itertuples():
            latest = store.latest_revision(week.audit.id, row.record_id, row.agency, row.auditor)
            assert latest.details.text == "" and not latest.grades
        given = records[records["consent"] == "given"]
        assert set(given["record_id"]) <= set(answers["case_id"])


def test_the_2026_week_is_better_on_the_criteria_it_improved(practice_weeks) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.synthetic_practice_week import IMPROVED

    weeks, store, _ = practice_weeks
    framework = weeks[0].audit.load_framework()
    share = summarise_counts(store.grade_counts(), framework, ["round_id", "criterion_id"]).pivot(
        index="criterion_id", columns="round_id", values="share")
    change = share[weeks[1].audit.id] - share[weeks[0].audit.id]
    improved = change[list(IMPROVED)]
    assert (improved > 0.1).all(), improved
    assert improved.mean() > change.drop(list(IMPROVED)).mean() + 0.1


def test_some_case_audits_of_each_week_are_moderated_with_themes(practice_weeks) -> None:  # type: ignore[no-untyped-def]
    import json

    from caseaudit.synthetic_practice_week import MODERATED

    weeks, store, _ = practice_weeks
    for week in weeks:
        moderated = store.current_moderations(week.audit.id)
        assert moderated["case_id"].nunique() == MODERATED < len(week.audit.cases)
        asked = {c.id for c in week.audit.load_framework().stream_criteria("case_audit")}
        assert set(moderated["criterion_id"]) <= asked
        themes = {t for text in moderated["themes"] for t in json.loads(text)}
        assert themes and themes <= {t.id for t in week.audit.load_framework().themes}


def test_the_practice_weeks_are_the_same_for_the_same_seed() -> None:
    from caseaudit.synthetic_practice_week import build_practice_weeks

    assert build_practice_weeks(seed=5) == build_practice_weeks(seed=5)
    assert build_practice_weeks(seed=5)[0].saves != build_practice_weeks(seed=6)[0].saves
