"""The data model of a practice week: the framework's streams and the round's theme, streams and
participants, each bad input refused with one message naming the file, line and fix."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from caseaudit.errors import FrameworkError, RoundError, WorkbookError
from caseaudit.framework import load_framework, load_framework_file
from caseaudit.practice_week import practice_week_problem, without_practice_weeks
from caseaudit.rounds import load_round_file
from caseaudit.settings import BUILTIN_FRAMEWORKS_DIR

PROJECT = Path(__file__).parents[1]
EXAMPLE = PROJECT / "audits" / "2026-05-practice-week"
FRAMEWORK = BUILTIN_FRAMEWORKS_DIR / "practice-week.yaml"


def test_the_built_in_framework_has_four_streams_each_grading_its_own_domains() -> None:
    framework = load_framework("practice-week", "1.0")
    assert [(s.id, s.kind) for s in framework.streams] == [
        ("case_audit", "case audit"), ("observation", "observation"),
        ("family_feedback", "feedback"), ("practitioner_feedback", "feedback")]
    owned = [d for s in framework.streams for d in s.domains]
    assert sorted(owned) == sorted(d.id for d in framework.domains)  # each domain in one stream
    observation = framework.streams_by_id["observation"]
    assert {"home visit", "strategy discussion", "child protection conference", "core group",
            "supervision", "other"} == set(observation.event_kinds)
    assert all(not s.event_kinds for s in framework.streams if s.kind != "observation")
    asked = {c.id for s in framework.streams for c in framework.stream_criteria(s.id)}
    assert asked == set(framework.criteria_by_id)
    # feedback is asked on scales of answers, not on Ofsted's grades
    feedback = {framework.scale_of(c.id).id for c in framework.stream_criteria("family_feedback")}
    assert feedback <= {"agree5", "yes-no"} and len(feedback) == 2
    assert framework.scales_by_id["agree5"].good_or_better == [1, 2]


def test_the_case_audit_frameworks_load_with_no_streams() -> None:
    for framework_id in ("jtai-csa-family", "maca-generic"):
        assert load_framework(framework_id, "1.0").streams == []


def test_the_example_practice_week_loads() -> None:
    audit = load_round_file(EXAMPLE / "audit.yaml")
    assert audit.kind == "practice_week" and audit.theme
    assert audit.streams == ["case_audit", "observation", "family_feedback", "practitioner_feedback"]
    assert audit.stream("observation").kind == "observation"
    assert set(audit.participants_by_id) == {p.id for p in audit.participants}
    assert {p.agency for p in audit.participants} <= set(audit.agencies)
    assert len(audit.cases) >= 6


def _framework_with(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    data["id"] = "practice-week-local"
    change(data)
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _one_problem(exc: pytest.ExceptionInfo, path: Path, place: str, *words: str) -> None:
    """The error names the file, one problem at ``place`` with its line, and the words of its
    message (its cause and fix)."""
    error = exc.value
    assert error.path == str(path) and str(path) in str(error)
    assert [p.place for p in error.problems] == [place], error.problems
    problem = error.problems[0]
    assert problem.line is not None and f"line {problem.line}" in str(error)
    for word in words:
        assert word in problem.message, problem.message
    assert "nothing was saved" in str(error)


def _stream(data: dict, stream_id: str) -> dict:
    return next(s for s in data["streams"] if s["id"] == stream_id)


@pytest.mark.parametrize(("change", "place", "words"), [
    (lambda d: _stream(d, "family_feedback")["domains"].append("ZZ"), "streams[2].domains[1]",
     ("'ZZ' is not one of the framework's domains", "CR, CP, OB, FF, PF")),
    (lambda d: _stream(d, "practitioner_feedback").update(id="family_feedback"),
     "streams[3].id", ("'family_feedback' is used twice (also at streams[2])", "unique")),
    (lambda d: _stream(d, "practitioner_feedback")["domains"].append("OB"), "streams[3].domains[1]",
     ("'OB' is already graded in stream 'observation'", "one stream only")),
    (lambda d: _stream(d, "family_feedback").update(event_kinds=["home visit"]),
     "streams[2].event_kinds", ("only an observation stream lists event_kinds", "remove them")),
    (lambda d: _stream(d, "observation").pop("event_kinds"), "streams[1].event_kinds",
     ("lists no event_kinds", "home visit")),
    (lambda d: _stream(d, "observation")["event_kinds"].append("Home visit"),
     "streams[1].event_kinds[6]", ("'Home visit' is listed twice", "once")),
    (lambda d: _stream(d, "case_audit")["domains"].remove("CP"), "domains[1].id",
     ("'CP' is in no stream", "add it")),
    (lambda d: _stream(d, "case_audit").update(kind="audit"), "streams[0].kind",
     ("'case audit'", "'observation'", "'feedback'")),
])
def test_a_framework_with_a_bad_stream_is_refused(tmp_path: Path, change: Any, place: str,
                                                  words: tuple[str, ...]) -> None:
    path = _framework_with(tmp_path, change)
    with pytest.raises(FrameworkError) as exc:
        load_framework_file(path)
    _one_problem(exc, path, place, *words)


def _round_with(tmp_path: Path, change: Any) -> Path:
    folder = tmp_path / EXAMPLE.name
    shutil.copytree(EXAMPLE, folder)
    data = yaml.safe_load((EXAMPLE / "audit.yaml").read_text(encoding="utf-8"))
    change(data)
    (folder / "audit.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder / "audit.yaml"


def _person(data: dict, index: int, **update: str) -> None:
    data["participants"][index].update(update)


def _as_maca(data: dict, **extra: Any) -> None:
    data.update({"kind": "maca", "framework": {"id": "maca-generic", "version": "1.0"}, **extra})
    for field in ("streams", "participants"):
        if field not in extra:
            data.pop(field)


@pytest.mark.parametrize(("change", "place", "words"), [
    (lambda d: d["streams"].append("supervision_audit"), "streams[4]",
     ("'supervision_audit' is not one of the framework practice-week 1.0's streams",
      "case_audit, observation", "correct it or remove it")),
    (lambda d: d.update(framework={"id": "maca-generic", "version": "1.0"}), "framework",
     ("maca-generic 1.0 has no streams", "practice-week")),
    (lambda d: _as_maca(d, streams=["observation"]), "streams",
     ("a maca round has no streams", "kind: practice_week")),
    (lambda d: _as_maca(d, participants=[{"id": "P-01", "role": "Social worker", "agency": "CSC"}]),
     "participants", ("a maca round has no participants",)),
    (lambda d: _as_maca(d, framework={"id": "practice-week", "version": "1.0"}), "framework",
     ("practice-week 1.0 is a practice week's", "case-audit framework")),
    (lambda d: d.pop("streams"), "streams", ("a practice week needs 'streams'", "case_audit")),
    (lambda d: d.pop("theme"), "theme", ("a practice week needs 'theme'",)),
    (lambda d: d.pop("participants"), "participants", ("a practice week needs 'participants'",)),
    (lambda d: _person(d, 2, id="jane.doe"), "participants[2].id",
     ("'jane.doe' looks like a person's name", "pseudonymous id such as P-03")),
    (lambda d: _person(d, 2, id="Jane Doe"), "participants[2].id",
     ("'Jane Doe' looks like a person's name",)),
    (lambda d: _person(d, 4, role="Amelia Jones"), "participants[4].role",
     ("names a person", "role")),
    (lambda d: _person(d, 5, agency="Prob"), "participants[5].agency",
     ("agency 'Prob' is not one of the round's agencies", "CSC, Pol, Hlth, Edu")),
    (lambda d: _person(d, 3, id="P-01"), "participants[3].id",
     ("'P-01' is listed twice (also at participants[0])",)),
    (lambda d: d["streams"].append("observation"), "streams[4]",
     ("'observation' is listed twice (also at streams[1])",)),
])
def test_a_bad_practice_week_is_refused(tmp_path: Path, change: Any, place: str,
                                        words: tuple[str, ...]) -> None:
    path = _round_with(tmp_path, change)
    with pytest.raises(RoundError) as exc:
        load_round_file(path)
    _one_problem(exc, path, place, *words)


def test_a_record_that_cannot_belong_to_the_round_is_said_in_one_sentence(audit) -> None:  # type: ignore[no-untyped-def]
    week = load_round_file(EXAMPLE / "audit.yaml")
    assert practice_week_problem(week, "observation", "P-10", "home visit") is None
    assert practice_week_problem(week, "family_feedback") is None
    said = practice_week_problem(audit, "observation")
    assert said == (f"round {audit.id} is a multi-agency case audit, not a practice week; "
                    "choose a practice-week round")
    said = practice_week_problem(week, "observation", event_kind="visit")
    assert said is not None and "event kind 'visit' is not one of" in said
    assert "home visit, strategy discussion" in said
    said = practice_week_problem(week, "observation", "P-99")
    assert said is not None and "participant P-99 is not in round 2026-05-practice-week's" in said
    assert "P-01, P-02" in said
    said = practice_week_problem(week, "case_audit", event_kind="home visit")
    assert said == "stream 'case_audit' records no event kind; only an observation does"
    trimmed = week.model_copy(update={"streams": ["case_audit"]})
    said = practice_week_problem(trimmed, "observation")
    assert said == "stream 'observation' is not one of round 2026-05-practice-week's streams (case_audit)"
    with pytest.raises(KeyError):
        trimmed.stream("observation")


def test_a_practice_week_is_kept_out_of_the_case_audit_pages_with_a_reason(filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from caseaudit import ModerationApp, ScoringForm
    from caseaudit.ui.dashboard import OverviewDashboard

    store, audits = filled
    shutil.copytree(EXAMPLE, audits / EXAMPLE.name)
    monkeypatch.setenv("CASEAUDIT_AUDITS", str(audits))
    board = OverviewDashboard(store)
    assert EXAMPLE.name not in [r.id for r in board.rounds] and len(board.rounds) == 2
    assert f"The practice week {EXAMPLE.name} is not shown here" in board.notice.value
    assert board.picker.value == board.rounds[-1].id  # the latest case audit, as before
    for app in (ScoringForm(store, remember=False), ModerationApp(store)):
        assert [r.id for r in app.rounds] == [r.id for r in board.rounds]
        assert f"The practice week {EXAMPLE.name} is not offered here" in app.notice.value
    kept, said = without_practice_weeks(board.rounds)
    assert kept == board.rounds and said == []


def test_the_committee_report_refuses_a_practice_week(filled) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.report.build import load_report_rounds

    _, audits = filled
    shutil.copytree(EXAMPLE, audits / EXAMPLE.name)
    with pytest.raises(WorkbookError, match="is a practice week: the committee report"):
        load_report_rounds(EXAMPLE.name, audits=audits)


def test_the_notebooks_open_the_latest_case_audit_not_a_later_practice_week(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from caseaudit import latest_case_audit
    from caseaudit.errors import NotFoundError
    from caseaudit.rounds import load_rounds

    _, audits = filled
    before = load_rounds(audits)[-1]
    shutil.copytree(EXAMPLE, audits / EXAMPLE.name)
    assert load_rounds(audits)[-1].id == EXAMPLE.name  # it started last
    assert latest_case_audit(audits) == before
    alone = tmp_path / "weeks"
    shutil.copytree(EXAMPLE, alone / EXAMPLE.name)
    with pytest.raises(NotFoundError, match="There is no case audit round in"):
        latest_case_audit(alone)


def test_a_practice_week_written_out_reads_back_the_same(tmp_path: Path) -> None:
    from caseaudit.rounds import write_round

    week = load_round_file(EXAMPLE / "audit.yaml")
    again = load_round_file(write_round(week, tmp_path))
    assert again == week and again.participants_by_id["P-10"].role == "Practice lead (observer)"
