"""The synthetic partnership: deterministic, and realistic where the analysis cares."""

from __future__ import annotations

from pathlib import Path

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
        return dict(zip(table["action_id"], table["status"], strict=True))

    late = statuses("late", "2026-10-15")
    assert late == {"A1.1": "at risk", "A2.1": "at risk", "A3.1": "complete",
                    "A4.1": "on track", "A5.1": "on track", "A7.1": "off track",
                    "A9.1": "on track"}  # A6.1 and A8.1 never updated: not started
    # generated on a day before some of the updates: only those recorded by then
    assert statuses("early", "2026-07-01") == {"A1.1": "on track", "A3.1": "on track",
                                               "A4.1": "on track"}
