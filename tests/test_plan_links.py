"""An action's link to a practice week's area for development: checked when the plan is read
(in YAML and back from Excel), each bad link refused naming its file, line or cell and the fix;
and shown from both ends: the plan's dashboard and progress report name the week, and the
week's side finds the action with its latest status."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from caseaudit.action_plan import load_plan, plan_yaml, write_plan
from caseaudit.errors import PlanError
from caseaudit.excel import ExcelImportError
from caseaudit.inspection import Inspection, load_inspection
from caseaudit.plan_excel import COLUMNS, FIRST_ROW, PLAN_SHEET, read_plan_workbook, write_plan_template
from caseaudit.plan_links import actions_answering
from caseaudit.rounds import load_round
from caseaudit.store import ActionUpdateSave, Store
from tests.inspections import INSPECTION_ID, write_inspection

PROJECT = Path(__file__).resolve().parents[1]
WEEK = "2026-05-practice-week"
CASE_AUDIT = "2026-03-example"
LINKS = f"""        from_practice_weeks:
          - {{round: {WEEK}, criterion: OB3}}
          - {{round: {WEEK}, criterion: CR2}}
"""
LETTER = {name: chr(64 + i) for i, name in enumerate(COLUMNS, start=1)}


@pytest.fixture
def audits(tmp_path: Path) -> Path:
    """A folder holding the committed practice week and case audit."""
    folder = tmp_path / "audits"
    for round_id in (WEEK, CASE_AUDIT):
        shutil.copytree(PROJECT / "audits" / round_id, folder / round_id)
    return folder


@pytest.fixture
def inspections(tmp_path: Path) -> Path:
    folder = write_inspection(tmp_path / "inspections")
    _edit(folder, "        criteria: [\"1.2\"]\n", "        criteria: [\"1.2\"]\n" + LINKS)
    return folder


@pytest.fixture
def inspection(inspections: Path) -> Inspection:
    return load_inspection(INSPECTION_ID, inspections)


def _plan_file(inspections: Path) -> Path:
    return inspections / INSPECTION_ID / "action_plan.yaml"


def _edit(inspections: Path, old: str, new: str) -> Path:
    path = _plan_file(inspections)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    """The last line holding ``text`` (a link listed twice is refused where it is repeated)."""
    return max(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if text in line)


# -- checked on load ------------------------------------------------------------------------------

def test_a_link_loads_and_a_written_plan_keeps_it(inspection: Inspection, inspections: Path,
                                                  audits: Path, tmp_path: Path) -> None:
    plan = load_plan(inspection, inspections=inspections, audits=audits)
    links = plan.actions_by_id["A1.2"].from_practice_weeks
    assert [(link.round, link.criterion) for link in links] == [(WEEK, "OB3"), (WEEK, "CR2")]
    assert plan.actions_by_id["A1.1"].from_practice_weeks == []
    out = write_plan(plan, tmp_path / "again" / "action_plan.yaml")
    assert load_plan(inspection, out, audits=audits) == plan
    # only the action that links says so: the others carry no empty list
    assert plan_yaml(plan).count("from_practice_weeks") == 1


def test_a_plan_reads_the_weeks_beside_its_inspections_folder(
        inspection: Inspection, inspections: Path, audits: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``--demo`` keeps data/demo/inspections beside data/demo/audits: the plan's weeks are
    looked for there, whatever the audits setting says."""
    assert audits.parent == inspections.parent
    monkeypatch.setenv("CASEAUDIT_AUDITS", str(tmp_path / "elsewhere"))
    plan = load_plan(inspection, inspections=inspections)
    assert len(plan.actions_by_id["A1.2"].from_practice_weeks) == 2
    shutil.rmtree(audits)
    with pytest.raises(PlanError, match="there is no round '2026-05-practice-week' in "
                                        f"{tmp_path / 'elsewhere'}"):
        load_plan(inspection, inspections=inspections)


@pytest.mark.parametrize(("old", "new", "expected"), [
    (f"round: {WEEK}, criterion: OB3", "round: 2026-06-practice-week, criterion: OB3",
     f"there is no round '2026-06-practice-week' in {{audits}}; name a practice week ({WEEK})"),
    (f"round: {WEEK}, criterion: OB3", f"round: {CASE_AUDIT}, criterion: OB3",
     f"round {CASE_AUDIT} is a multi-agency case audit, not a practice week; choose a "
     "practice-week round: only a practice week's area for development can be linked here"),
    (f"round: {WEEK}, criterion: OB3", f"round: {WEEK}, criterion: OB9",
     f"criterion 'OB9' is not one of practice week {WEEK}'s criteria; use one of CR1, CR2"),
    (f"round: {WEEK}, criterion: CR2", f"round: {WEEK}, criterion: OB3",
     f"the link to {WEEK} OB3 is listed twice on this action; list it once"),
])
def test_each_bad_link_is_refused_naming_its_line_and_fix(
        inspection: Inspection, inspections: Path, audits: Path, old: str, new: str,
        expected: str) -> None:
    path = _edit(inspections, old, new)
    with pytest.raises(PlanError) as caught:
        load_plan(inspection, path, audits=audits)
    message = str(caught.value)
    assert str(path) in message and "nothing was saved" in message
    assert f"line {_line_of(path, new)}, areas[0].actions[1].from_practice_weeks[" in message
    assert expected.format(audits=audits) in message


def test_a_criterion_of_a_stream_the_week_does_not_use_is_refused(
        inspection: Inspection, inspections: Path, audits: Path) -> None:
    week = audits / WEEK / "audit.yaml"
    text = week.read_text(encoding="utf-8")
    week.write_text(text.replace("- observation\n", "", 1), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(inspection, inspections=inspections, audits=audits)
    assert ("criterion 'OB3' is not one of practice week 2026-05-practice-week's criteria (it is in "
            "the framework, in a stream the week does not use)") in str(caught.value)


def test_a_link_to_a_round_that_cannot_be_read_says_so(
        inspection: Inspection, inspections: Path, audits: Path) -> None:
    (audits / WEEK / "audit.yaml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(inspection, inspections=inspections, audits=audits)
    assert f"round '{WEEK}' cannot be read (" in str(caught.value)
    assert "correct the round, or the link" in str(caught.value)


# -- the Excel round trip -------------------------------------------------------------------------

def _workbook(inspection: Inspection, inspections: Path, audits: Path, tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    write_plan_template(inspection, load_plan(inspection, inspections=inspections, audits=audits),
                        path)
    return path


def _cell(path: Path, action_id: str, value: object | None = None) -> tuple[int, object]:
    wb = openpyxl.load_workbook(path)
    ws = wb[PLAN_SHEET]
    column = COLUMNS.index("from_practice_weeks") + 1
    row = next(r for r in range(FIRST_ROW, ws.max_row + 1)
               if ws.cell(r, COLUMNS.index("action_id") + 1).value == action_id)
    if value is not None:
        ws.cell(row, column).value = value
        wb.save(path)
    return row, ws.cell(row, column).value


def test_the_excel_template_writes_the_links_and_reads_them_back(
        inspection: Inspection, inspections: Path, audits: Path, tmp_path: Path) -> None:
    path = _workbook(inspection, inspections, audits, tmp_path)
    assert _cell(path, "A1.2")[1] == f"{WEEK}: OB3; {WEEK}: CR2"
    plan = load_plan(inspection, inspections=inspections, audits=audits)
    assert read_plan_workbook(inspection, path, audits) == plan
    _cell(path, "A1.1", f"{WEEK}: CR4\n{WEEK}: PF2")
    links = read_plan_workbook(inspection, path, audits).actions_by_id["A1.1"].from_practice_weeks
    assert [(link.round, link.criterion) for link in links] == [(WEEK, "CR4"), (WEEK, "PF2")]


@pytest.mark.parametrize(("value", "expected"), [
    ("OB3", "'OB3' is not a practice week and a criterion; write each as the week's round id, a "
            "colon and the criterion, e.g. 2026-05-practice-week: OB3, separated by ;"),
    (f"{CASE_AUDIT}: OB3", f"round {CASE_AUDIT} is a multi-agency case audit, not a practice week"),
    (f"{WEEK}: 1.1", f"criterion '1.1' is not one of practice week {WEEK}'s criteria"),
])
def test_a_bad_link_in_the_workbook_is_refused_at_its_cell(
        inspection: Inspection, inspections: Path, audits: Path, tmp_path: Path, value: str,
        expected: str) -> None:
    path = _workbook(inspection, inspections, audits, tmp_path)
    row, _ = _cell(path, "A2.1", value)
    with pytest.raises(ExcelImportError) as caught:
        read_plan_workbook(inspection, path, audits)
    message = str(caught.value)
    letter = LETTER["from_practice_weeks"]
    assert f"sheet {PLAN_SHEET}, row {row}, column {letter} (Practice weeks answered): " in message
    assert expected in message


# -- shown from both ends ---------------------------------------------------------------------------

def _updated(store: Store, inspection: Inspection, inspections: Path, audits: Path) -> None:
    plan = load_plan(inspection, inspections=inspections, audits=audits)
    store.save_action_update(plan, ActionUpdateSave(
        INSPECTION_ID, "A1.2", "at risk", date(2026, 6, 1), "Synthetic narrative NARR-XYZ",
        "EVIDENCE-XYZ", "BUSINESS-MANAGER", None, saved_at=datetime(2026, 6, 1, 16)))


def test_the_plans_pages_name_the_week_an_action_answers(
        store: Store, inspection: Inspection, inspections: Path, audits: Path) -> None:
    from caseaudit.report.inspection import build_inspection_report
    from caseaudit.review import inspection_review
    from caseaudit.ui.action_plan import render_action_plan, render_practice_weeks

    _updated(store, inspection, inspections, audits)
    review = inspection_review(store, INSPECTION_ID, inspections=inspections, audits=audits,
                               today=date(2026, 10, 1))
    page = render_practice_weeks(review)
    title = load_round(WEEK, audits).title
    for said in ("A1.2", title, "OB3 Child-focused", "CR2 Risk understood",
                 "at risk (overdue)"):
        assert said in page
    assert 'data-section="practice-weeks"' in "".join(w.value for w in render_action_plan(review))
    report = build_inspection_report(review, partnership="Synthetic partnership").text()
    assert "Answering practice weeks" in report
    assert (f"A1.2 Police record the child's account in the child's words. | A1 | {title} | "
            "OB3 Child-focused | at risk (overdue)") in report
    for private in ("NARR-XYZ", "EVIDENCE-XYZ", "BUSINESS-MANAGER"):
        assert private not in page and private not in report


def test_a_plan_without_links_shows_no_practice_week_part(
        store: Store, inspection: Inspection, inspections: Path, audits: Path) -> None:
    from caseaudit.report.inspection import build_inspection_report
    from caseaudit.review import inspection_review
    from caseaudit.ui.action_plan import render_practice_weeks

    _edit(inspections, LINKS, "")
    review = inspection_review(store, INSPECTION_ID, inspections=inspections, audits=audits,
                               today=date(2026, 10, 1))
    assert render_practice_weeks(review) == ""
    assert "Answering practice weeks" not in build_inspection_report(
        review, partnership="Synthetic partnership").text()


def test_the_week_finds_the_actions_answering_it_with_their_status_as_of(
        store: Store, inspection: Inspection, inspections: Path, audits: Path) -> None:
    week = load_round(WEEK, audits)
    before, said = actions_answering(store, week, inspections=inspections, audits=audits,
                                     today=date(2026, 10, 1))
    assert said == []
    assert list(before["action_id"]) == ["A1.2", "A1.2"]
    assert list(before["criterion"]) == ["OB3", "CR2"]
    assert set(before["status"]) == {"not started"} and set(before["inspection_id"]) == {INSPECTION_ID}
    _updated(store, inspection, inspections, audits)
    now, _ = actions_answering(store, week, inspections=inspections, audits=audits,
                               today=date(2026, 10, 1))
    assert set(now["status"]) == {"at risk"} and now["overdue"].all()  # due 30 September
    then, _ = actions_answering(store, week, inspections=inspections, audits=audits,
                                as_of=datetime(2026, 5, 31))
    assert set(then["status"]) == {"not started"} and not then["overdue"].any()


def test_the_week_says_which_plan_it_could_not_read(
        store: Store, inspections: Path, audits: Path) -> None:
    _edit(inspections, "criterion: OB3", "criterion: OB9")
    links, said = actions_answering(store, load_round(WEEK, audits), inspections=inspections,
                                    audits=audits, today=date(2026, 10, 1))
    assert links.empty
    assert said == [f"The action plan of inspection {INSPECTION_ID} could not be read, so any "
                    f"action it links to this week is not shown (action plan "
                    f"{_plan_file(inspections)} cannot be used (1 problem(s))). Check it with: "
                    f"caseaudit inspection check {INSPECTION_ID}"]


def test_the_week_dashboard_names_the_action_answering_each_area_for_development(
        store: Store, inspections: Path, audits: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from caseaudit.framework import load_framework
    from caseaudit.ui.practice_week_board import PracticeWeekBoard
    from tests.practice_week_store import save_weeks

    # this week's 12 observations: OB1 and OB4 good in 12, OB2 in 8, OB3 in 9, so the stream's
    # share is (12 + 8 + 9 + 12) / 48 = 41/48 (85%) and OB2 (8/12 = 67%) and OB3 (9/12 = 75%),
    # below it, are its areas for development; the plan's A1.2 (due 30 September) says it
    # answers OB3, and nothing answers OB2
    this, before = save_weeks(store, load_framework("practice-week", "1.0"))
    monkeypatch.setenv("CASEAUDIT_INSPECTIONS", str(inspections))
    monkeypatch.setenv("CASEAUDIT_AUDITS", str(audits))
    monkeypatch.setenv("CASEAUDIT_TODAY", "2026-10-01")
    board = PracticeWeekBoard(store, rounds=[before, this])
    page = "".join(w.value for w in board.render(board.compute(this)))
    assert (f'<span data-answered="OB3">answered by action A1.2 of inspection {INSPECTION_ID} '
            "(not started, overdue)</span>") in page
    assert '<span data-answered="OB2">no action on the plan answers it yet</span>' in page
