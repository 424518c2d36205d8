"""The action plan's Excel round trip and its commands: a template that guides, a read-back that
is all or nothing with the sheet, row, column and fix of every problem, and commands that write
nothing when they refuse."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from caseaudit.action_plan import load_plan
from caseaudit.cli import main
from caseaudit.example_inspection import EXAMPLE_INSPECTION_ID, copy_example_inspection
from caseaudit.excel import ExcelImportError
from caseaudit.inspection import Inspection, load_inspection
from caseaudit.plan_excel import (
    COLUMNS,
    FIRST_ROW,
    HEADINGS,
    PLAN_SHEET,
    REFERENCE_SHEET,
    read_plan_workbook,
    write_plan_template,
)

ID = EXAMPLE_INSPECTION_ID
COL = {name: i for i, name in enumerate(COLUMNS, start=1)}
LETTER = {name: chr(64 + i) for name, i in COL.items()}


@pytest.fixture
def inspections(tmp_path: Path) -> Path:
    folder = tmp_path / "inspections"
    copy_example_inspection(folder)
    return folder


@pytest.fixture
def inspection(inspections: Path) -> Inspection:
    return load_inspection(ID, inspections)


@pytest.fixture
def workbook(inspection: Inspection, inspections: Path, tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    write_plan_template(inspection, load_plan(inspection, inspections=inspections), path)
    return path


def _row_of(path: Path, action_id: str) -> int:
    ws = openpyxl.load_workbook(path)[PLAN_SHEET]
    return next(r for r in range(FIRST_ROW, ws.max_row + 1)
                if ws.cell(r, COL["action_id"]).value == action_id)


def _set(path: Path, row: int, name: str, value: object) -> None:
    wb = openpyxl.load_workbook(path)
    wb[PLAN_SHEET].cell(row, COL[name]).value = value
    wb.save(path)


def _refused(inspection: Inspection, path: Path) -> str:
    with pytest.raises(ExcelImportError) as caught:
        read_plan_workbook(inspection, path)
    message = str(caught.value)
    assert message.startswith(f"The plan workbook {path} was not imported")
    assert "nothing from it was saved" in message
    return message


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# -- the template -----------------------------------------------------------------------------------

def test_the_template_holds_the_plan_and_reads_back_the_same(inspection: Inspection,
                                                             inspections: Path,
                                                             workbook: Path) -> None:
    plan = load_plan(inspection, inspections=inspections)
    assert read_plan_workbook(inspection, workbook) == plan
    wb = openpyxl.load_workbook(workbook)
    ws = wb[PLAN_SHEET]
    assert [ws.cell(2, c).value for c in range(1, len(COLUMNS) + 1)] == [HEADINGS[c] for c in COLUMNS]
    row = _row_of(workbook, "A3.1")
    assert ws.cell(row, COL["area_id"]).value == "A3"
    assert ws.cell(row, COL["area_title"]).value == "Safety planning"
    assert ws.cell(row, COL["due"]).is_date and ws.cell(row, COL["due"]).value == datetime(2026, 8, 31)
    assert ws.cell(row, COL["criteria"]).value == "4.1, 4.2, 4.5"
    assert ws.cell(row, COL["criteria"]).number_format == "@"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and lists[0].formula1 == '"CSC,Pol,Hlth,Edu,Prob,VCS,Partnership"'
    assert f"{LETTER['lead_agency']}{row}" in lists[0].sqref
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert {str(dv.sqref).split(":")[0] for dv in dates} == {f"{LETTER['start']}3", f"{LETTER['due']}3"}
    reference = [c for r in wb[REFERENCE_SHEET].iter_rows(values_only=True) for c in r if c]
    assert "A9" in reference and "4.5" in reference and "Safety planning" in reference
    assert wb["caseaudit"].sheet_state == "veryHidden"
    assert ["inspection_id", ID] in [list(r) for r in wb["caseaudit"].iter_rows(values_only=True)]


def test_a_template_without_a_plan_lists_the_areas_to_fill(inspection: Inspection,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    assert write_plan_template(inspection, None, path) == 0
    ws = openpyxl.load_workbook(path)[PLAN_SHEET]
    assert [ws.cell(r, COL["area_id"]).value for r in range(FIRST_ROW, FIRST_ROW + 9)] == \
        [f"A{i}" for i in range(1, 10)]
    assert "no actions" in _refused(inspection, path)
    # fill in one area's plan; the others' rows stay as the template left them
    for name, value in [("outcome", "Safer plans."), ("governance_owner", "CSA subgroup"),
                        ("action_id", "A3.1"), ("description", "New guidance."),
                        ("lead_agency", "CSC"), ("lead_role", "Head of Service"),
                        ("start", datetime(2026, 6, 1)), ("due", "31/08/2026"),
                        ("success_measure", "Audits find specific plans."), ("criteria", 4.1)]:
        _set(path, FIRST_ROW + 2, name, value)
    _set(path, FIRST_ROW + 3, "outcome", "Information flows.")
    _set(path, FIRST_ROW + 3, "governance_owner", "CSA subgroup")
    plan = read_plan_workbook(inspection, path)
    assert [a.area for a in plan.areas] == ["A3", "A4"] and plan.areas[1].actions == []
    action = plan.actions_by_id["A3.1"]
    # a text date and a criterion Excel made a number come back as meant
    assert (action.start, action.due, action.criteria) == (date(2026, 6, 1), date(2026, 8, 31), ["4.1"])


def test_a_new_row_adds_an_action_to_its_area(inspection: Inspection, workbook: Path) -> None:
    row = openpyxl.load_workbook(workbook)[PLAN_SHEET].max_row + 1
    for name, value in [("area_id", "A3"), ("action_id", "A3.2"), ("description", "Audit plans."),
                        ("lead_agency", "hlth"), ("lead_role", "Designated Nurse"),
                        ("start", datetime(2026, 9, 1)), ("due", datetime(2026, 12, 1)),
                        ("success_measure", "Plans shared with health."),
                        ("criteria", "4.2; 4.4")]:
        _set(workbook, row, name, value)
    plan = read_plan_workbook(inspection, workbook)
    assert [a.id for a in plan.areas[2].actions] == ["A3.1", "A3.2"]
    assert plan.actions_by_id["A3.2"].criteria == ["4.2", "4.4"]
    assert plan.actions_by_id["A3.2"].lead_agency == "Hlth"  # the agency's own spelling


# -- bad workbooks: one message each, naming sheet, row, column and fix ------------------------------

def test_a_moved_renamed_or_deleted_column_is_refused(inspection: Inspection, workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb[PLAN_SHEET]
    ws.move_range(f"{LETTER['due']}2:{LETTER['due']}40", cols=10)  # Due moved to the far right
    wb.save(workbook)
    assert (f"sheet Plan, row 2, column {LETTER['due']}: the heading is empty but should be 'Due'; "
            "columns must not be moved, renamed or deleted (make a fresh template with `caseaudit "
            "plan template --inspection 2026-02-jtai -o plan.xlsx` and copy your rows into it)") in \
        _refused(inspection, workbook)
    wb = openpyxl.load_workbook(workbook)
    wb[PLAN_SHEET].delete_cols(COL["lead_role"])
    wb.save(workbook)
    assert (f"sheet Plan, row 2, column {LETTER['lead_role']}: the heading is 'Start' but should be "
            "'Lead role (never a name)'") in _refused(inspection, workbook)


def test_a_renamed_heading_is_refused(inspection: Inspection, workbook: Path) -> None:
    _set(workbook, 2, "success_measure", "Measure")
    assert (f"column {LETTER['success_measure']}: the heading is 'Measure' but should be 'Success "
            "measure'") in _refused(inspection, workbook)


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("due", "end of August", "column J (Due): 'end of August' is not a date; type the due date as "
                             "a date, e.g. 30/06/2026"),
    ("start", None, "column I (Start): the start date is missing; type it as a date"),
    ("due", datetime(2026, 5, 1), "column J (Due): the action is due (2026-05-01) before it starts "
                                  "(2026-06-01); correct one of the dates"),
    ("criteria", "4.1, 4.9", "column L (Audit criteria): criterion '4.9' is not in framework "
                             "jtai-csa-family (version 1.0); use one of its criteria: 1.1"),
    ("lead_agency", "Police", "column G (Lead agency): lead agency 'Police' is not one of CSC, Pol, "
                              "Hlth, Edu, Prob, VCS, Partnership; use one of those"),
    ("lead_role", "Amelia Jones", "column H (Lead role): 'Amelia Jones' looks like it names a "
                                  "person or their contact details (name 'Amelia Jones'); write "
                                  "the role or body only"),
    ("area_id", "A10", "column A (Area): area 'A10' is not one of inspection 2026-02-jtai's areas "
                       "for improvement (A1, A2, A3, A4, A5, A6, A7, A8, A9); use one of those ids"),
    ("area_id", None, "column A (Area): the area is missing; write the id of the area for "
                      "improvement this action answers"),
    ("action_id", "A3 1", "column E (Action id): 'A3 1' may use only letters, digits"),
    ("action_id", "A2.1", "column E (Action id): action id 'A2.1' is also on row 4; give each "
                          "action its own"),
    ("action_id", None, "column E (Action id): the action id is missing; give the action an id, "
                        "e.g. A3.1"),
    ("description", "=B5", "column F: the action is a formula; type the value itself"),
    ("success_measure", "  ", "column K (Success measure): the success measure is missing; fill it in"),
    ("outcome", "Another outcome.", None),  # A3 has one row: its outcome is simply changed
])
def test_each_bad_cell_is_refused_naming_its_place(inspection: Inspection, workbook: Path,
                                                   name: str, value: object,
                                                   expected: str | None) -> None:
    row = _row_of(workbook, "A3.1")
    assert row == 5  # the messages above name it
    _set(workbook, row, name, value)
    if expected is None:
        assert read_plan_workbook(inspection, workbook).areas[2].outcome == value
        return
    message = _refused(inspection, workbook)
    assert f"sheet Plan, row {row}, {expected}" in message
    assert message.count("\n  - ") == 1  # one clear message, not a cascade


def test_a_number_in_a_cell_not_kept_as_a_date_is_refused(inspection: Inspection,
                                                          workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    cell = wb[PLAN_SHEET].cell(5, COL["start"])
    cell.value, cell.number_format = 46000, "General"
    wb.save(workbook)
    assert ("sheet Plan, row 5, column I (Start): 46000 is a number, not a date; type the start "
            "date as a date, e.g. 30/06/2026") in _refused(inspection, workbook)


def test_an_areas_rows_must_agree_on_its_outcome(inspection: Inspection, workbook: Path) -> None:
    row = openpyxl.load_workbook(workbook)[PLAN_SHEET].max_row + 1
    for name, value in [("area_id", "A3"), ("outcome", "Something else."), ("action_id", "A3.2"),
                        ("description", "More."), ("lead_agency", "CSC"), ("lead_role", "Team Manager"),
                        ("start", datetime(2026, 9, 1)), ("due", datetime(2026, 12, 1)),
                        ("success_measure", "Audits.")]:
        _set(workbook, row, name, value)
    assert (f"sheet Plan, row {row}, column C (Intended outcome for children): area A3 is given a "
            "different intended outcome for children on row 5; make them the same, or leave it "
            "blank on all but the area's first row") in _refused(inspection, workbook)
    _set(workbook, row, "outcome", None)
    _set(workbook, 5, "governance_owner", None)
    assert ("sheet Plan, row 5, column D (Governance owner): area A3 has no governance owner; write "
            "it on the area's first row") in _refused(inspection, workbook)


def test_every_problem_is_listed_at_once(inspection: Inspection, workbook: Path) -> None:
    _set(workbook, 5, "due", "soon")
    _set(workbook, 6, "lead_agency", "Police")
    _set(workbook, 10, "action_id", "A3.1")
    message = _refused(inspection, workbook)
    assert "(3 problem(s))" in message
    assert "row 10, column E (Action id): action id 'A3.1' is also on row 5" in message


def test_a_workbook_for_another_inspection_or_not_a_plan_is_refused(
        inspection: Inspection, workbook: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    wb["caseaudit"]["B2"] = "2025-11-jtai"
    wb.save(workbook)
    assert ("this plan workbook is for inspection 2025-11-jtai, not 2026-02-jtai; import it with "
            "--inspection 2025-11-jtai") in _refused(inspection, workbook)
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    assert "this workbook is not a caseaudit action plan" in _refused(inspection, plain)
    text = tmp_path / "plan-as-text.xlsx"
    text.write_text("area,action\n")
    assert ("this is not an Excel workbook (.xlsx) (BadZipFile); make sure you send the plan "
            "workbook itself, saved as .xlsx") in _refused(inspection, text)


# -- the commands -----------------------------------------------------------------------------------

def test_plan_template_and_import_round_trip_and_say_what_changed(inspections: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    made = _run("plan", "template", "--inspection", ID, "-o", str(out), "--inspections", str(inspections))
    assert made.exit_code == 0, made.output
    assert "with the current plan's 9 actions" in made.output
    assert f"caseaudit plan import {out}" in made.output
    target = inspections / ID / "action_plan.yaml"
    before = target.read_bytes()
    same = _run("plan", "import", str(out), "--inspection", ID, "--inspections", str(inspections))
    assert same.exit_code == 0 and "No change" in same.output and target.read_bytes() == before

    _set(out, _row_of(out, "A4.1"), "due", datetime(2026, 11, 30))
    _set(out, _row_of(out, "A8.1"), "action_id", "A8.2")
    result = _run("plan", "import", str(out), "--inspection", ID, "--inspections", str(inspections))
    assert result.exit_code == 0, result.output
    assert "Actions added: A8.2\nActions removed: A8.1\nActions changed: A4.1" in result.output
    plan = load_plan(load_inspection(ID, inspections), target)
    assert plan.actions_by_id["A4.1"].due == date(2026, 11, 30) and "A8.1" not in plan.actions_by_id


def test_plan_commands_refuse_and_write_nothing(inspections: Path, tmp_path: Path) -> None:
    target = inspections / ID / "action_plan.yaml"
    before = target.read_bytes()
    csv = tmp_path / "plan.csv"
    result = _run("plan", "template", "--inspection", ID, "-o", str(csv), "--inspections", str(inspections))
    assert result.exit_code == 1 and "to an .xlsx file, not plan.csv" in result.output
    assert not csv.exists()
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"edits not yet imported")
    result = _run("plan", "template", "--inspection", ID, "-o", str(out), "--inspections", str(inspections))
    assert result.exit_code == 1 and "already exists; nothing was written" in result.output
    assert out.read_bytes() == b"edits not yet imported"

    out.unlink()
    assert _run("plan", "template", "--inspection", ID, "-o", str(out),
                "--inspections", str(inspections)).exit_code == 0
    _set(out, 5, "criteria", "4.1, 9.9")
    result = _run("plan", "import", str(out), "--inspection", ID, "--inspections", str(inspections))
    assert result.exit_code == 1
    assert result.output.count("\n  - ") == 1 and "criterion '9.9' is not in framework" in result.output
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["action_plan.yaml", "inspection.yaml"]
    result = _run("plan", "import", str(out), "--inspection", "2026-09-jtai", "--inspections",
                  str(inspections))
    assert result.exit_code == 1 and "no inspection '2026-09-jtai'" in result.output


def test_inspection_list_and_check(inspections: Path) -> None:
    listed = _run("inspection", "list", "--inspections", str(inspections))
    assert listed.exit_code == 0 and f"  {ID}\n" in listed.output
    checked = _run("inspection", "check", ID, "--inspections", str(inspections))
    assert checked.exit_code == 0, checked.output
    assert "statement of action due 21 August 2026 (70 working days after the letter)" in checked.output
    assert "9 areas for improvement, 8 strengths, 4 lines of enquiry" in checked.output
    assert "Action plan: 9 actions in 9 areas; every area for improvement has an action." in checked.output
    (inspections / ID / "action_plan.yaml").unlink()
    checked = _run("inspection", "check", ID, "--inspections", str(inspections))
    assert checked.exit_code == 0 and "No action plan yet" in checked.output
    empty = _run("inspection", "list", "--inspections", str(inspections / "none"))
    assert empty.exit_code == 0 and "No inspections in" in empty.output


def test_inspection_check_and_validate_refuse_a_bad_plan(inspections: Path) -> None:
    plan = inspections / ID / "action_plan.yaml"
    plan.write_text(plan.read_text().replace("lead_agency: CSC", "lead_agency: Police"))
    checked = _run("inspection", "check", ID, "--inspections", str(inspections))
    assert checked.exit_code == 1 and "lead agency 'Police' is not one of" in checked.output
    result = _run("validate", str(inspections / ID / "inspection.yaml"), str(plan))
    assert result.exit_code == 1
    assert "ok: inspection 2026-02-jtai" in result.output and "1 of 2 file(s) invalid" in result.output
    assert f"line {plan.read_text().splitlines().index('        lead_agency: Police') + 1}" in result.output
    plan.write_text(plan.read_text().replace("lead_agency: Police", "lead_agency: CSC"))
    folder = _run("validate", str(inspections / ID))
    assert folder.exit_code == 0 and folder.output.count("ok:") == 2
    lone = inspections.parent / "action_plan.yaml"
    lone.write_bytes(plan.read_bytes())
    result = _run("validate", str(lone))
    assert result.exit_code == 1 and "no inspection.yaml beside it" in result.output


def test_demo_works_on_the_demos_inspections(inspections: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from caseaudit import settings

    monkeypatch.setattr(settings, "DEMO_INSPECTIONS_DIR", tmp_path / "no-demo-yet")
    result = _run("--demo", "inspection", "list")
    assert result.exit_code == 1 and "Run `make demo-data`" in result.output
    monkeypatch.setattr(settings, "DEMO_INSPECTIONS_DIR", inspections)
    letter = inspections / ID / "inspection.yaml"
    letter.write_text(letter.read_text().replace("  working_days: 70\n", "  due: 2026-08-28\n"))
    result = _run("--demo", "inspection", "check", ID)
    assert result.exit_code == 0, result.output
    assert "due 28 August 2026 (the date set in inspection.yaml)" in result.output
    result = _run("--demo", "inspection", "list", "--inspections", str(inspections))
    assert result.exit_code == 1 and "leave out --inspections, or leave out --demo" in result.output
