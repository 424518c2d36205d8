"""A round read as of a time gives the same frames after new saves: forms and moderations both."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

import pandas as pd
import pytest

from caseaudit.frames import read_moderations, read_round
from caseaudit.moderation import case_criteria
from caseaudit.results import compute_results, forget_results
from caseaudit.rounds import load_rounds
from caseaudit.store import FormSave, ModerationSave, open_store
from caseaudit.synthetic import build_partnership, write_partnership

pytestmark = pytest.mark.both_databases


@pytest.fixture
def three(tmp_path, jtai):  # type: ignore[no-untyped-def]
    """Three rounds of eight cases: the first two moderated in full, the latest not at all."""
    store = open_store(tmp_path / "three.db", create=True)
    write_partnership(build_partnership(cases=8, rounds=3, seed=7, framework=jtai),
                      tmp_path / "audits", store, jtai)
    forget_results()
    yield store, load_rounds(tmp_path / "audits")
    store.dispose()


def save_after(store, rounds, jtai) -> None:  # type: ignore[no-untyped-def]
    """What a QA lead's rerun must not see: a submitted form revised and a new one, a moderated
    case's moderation revised, and a first moderation in the latest round."""
    moderated, latest = rounds[-2], rounds[-1]
    statuses = store.form_statuses(latest.id)
    form = statuses[statuses["status"] == "submitted"].iloc[0]
    revised = store.current_responses(latest.id, case_id=form["case_id"])
    revised = revised[(revised["agency"] == form["agency"]) & (revised["auditor"] == form["auditor"])]
    store.save_form(latest, jtai, FormSave(
        form["case_id"], form["agency"], form["auditor"],
        dict.fromkeys(revised["criterion_id"], 4), based_on=int(form["revision_no"]),
        status="submitted"))
    saved = set(zip(statuses["case_id"], statuses["agency"], strict=True))
    case, agency = next((c, a) for c in latest.cases for a in c.agencies if (c.id, a) not in saved)
    auditor = next(a.id for a in latest.auditors if a.agency == agency)
    store.save_form(latest, jtai, FormSave(case.id, agency, auditor,
                                           {c.id: 1 for c in jtai.criteria_for(agency)},
                                           status="submitted"))
    for audit, revision in ((moderated, store.moderation_heads([moderated.id]).iloc[0]), (latest, None)):
        case = audit.cases_by_id[revision["case_id"]] if revision is not None else audit.cases[0]
        agreed = case_criteria(jtai, case)
        store.save_moderation(audit, jtai, ModerationSave(
            case.id, dict.fromkeys(agreed, 4), dict.fromkeys(agreed, "Synthetic rationale."),
            overall=4, based_on=None if revision is None else int(revision["revision_no"]),
            saved_by="LEAD-1"))


def assert_same_frames(first: object, second: object) -> None:
    """Every frame of two frame holders (dataclasses) equal, nested holders too."""
    for field in fields(first):  # type: ignore[arg-type]
        a, b = getattr(first, field.name), getattr(second, field.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, obj=field.name)
        elif hasattr(a, "__dataclass_fields__"):
            assert_same_frames(a, b)
        else:
            assert a == b, field.name


def test_frames_as_of_a_time_ignore_what_was_saved_after(three, jtai) -> None:  # type: ignore[no-untyped-def]
    store, rounds = three
    moment = datetime.now(UTC)
    before = {r.id: read_round(store, r, moment, read_moderations(store, rounds, moment))
              for r in rounds[-2:]}
    now_before = read_round(store, rounds[-1])

    save_after(store, rounds, jtai)

    for audit in rounds[-2:]:
        again = read_round(store, audit, moment, read_moderations(store, rounds, moment))
        assert_same_frames(before[audit.id], again)
    # the same reads now see the new saves (so the comparison above could fail)
    now = read_round(store, rounds[-1])
    assert now.moderation is not None and now_before.moderation is None
    assert not now.judgements.equals(now_before.judgements)
    assert not now.grade_counts.equals(now_before.grade_counts)
    moderated_now = read_moderations(store, rounds)[rounds[-2].id]
    assert not moderated_now.heads.equals(before[rounds[-2].id].moderation.heads)


NEW_FRAMES = ("good_or_better", "change", "practice_trend", "breakdowns", "strengths")


def test_results_as_of_a_time_are_the_same_after_new_saves(three, jtai) -> None:  # type: ignore[no-untyped-def]
    store, rounds = three
    moment = datetime.now(UTC)
    before = {r.id: compute_results(store, r, rounds[: i + 1], moment)
              for i, r in enumerate(rounds) if i >= 1}
    save_after(store, rounds, jtai)
    for i, audit in enumerate(rounds):
        if i == 0:
            continue
        again = compute_results(store, audit, rounds[: i + 1], moment)
        for name in NEW_FRAMES:
            pd.testing.assert_frame_equal(getattr(before[audit.id], name), getattr(again, name),
                                          obj=name)
        pd.testing.assert_frame_equal(before[audit.id].coverage, again.coverage)
        pd.testing.assert_frame_equal(before[audit.id].themes, again.themes)
        assert again.provenance == before[audit.id].provenance
        assert again.provenance["as_of"] == moment.isoformat()
    now = compute_results(store, rounds[-1], rounds)
    assert not now.good_or_better.equals(before[rounds[-1].id].good_or_better)
    assert now.provenance["as_of"] is None
