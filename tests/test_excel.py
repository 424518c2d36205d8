"""Excel returns: template, filled with openpyxl, imported; every bad return refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from caseaudit.cli import main
from caseaudit.excel import (
    COLUMNS,
    FIRST_ROW,
    META_SHEET,
    SHEET,
    ExcelImportError,
    import_return,
    write_template,
)
from caseaudit.rounds import write_round

AGENCY = "Pol"
COL = {name: i + 1 for i, name in enumerate(COLUMNS)}


@pytest.fixture
def template(tmp_path: Path, audit, jtai) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "return.xlsx"
    write_template(audit, jtai, AGENCY, path)
    return path


def _fill(path: Path, audit, grade_for=lambda i: "Good", skip_cases: int = 0) -> dict:  # type: ignore[no-untyped-def]
    """Fill every row (cases after the first ``skip_cases``); returns what was written."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    auditor = next(a.id for a in audit.auditors if a.agency == AGENCY)
    written: dict[tuple[str, str], str] = {}
    cases = []
    for row in range(FIRST_ROW, ws.max_row + 1):
        case_id = ws.cell(row, COL["case_id"]).value
        if case_id not in cases:
            cases.append(case_id)
        if cases.index(case_id) < skip_cases:
            continue
        label = grade_for(row)
        ws.cell(row, COL["grade"]).value = label
        if label in ("Outstanding", "Inadequate"):
            ws.cell(row, COL["evidence_note"]).value = "Synthetic evidence."
        ws.cell(row, COL["auditor"]).value = auditor
        written[(case_id, ws.cell(row, COL["criterion_id"]).value)] = label
    wb.save(path)
    return written


def test_the_template_guides_and_locks(template: Path, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    wb = load_workbook(template)
    ws = wb[SHEET]
    expected_rows = sum(len(jtai.criteria_for(AGENCY)) for c in audit.cases if AGENCY in c.agencies)
    assert ws.max_row - FIRST_ROW + 1 == expected_rows
    assert ws.protection.sheet
    assert ws.cell(2, COL["grade"]).protection.locked
    assert not ws.cell(FIRST_ROW, COL["grade"]).protection.locked
    assert ws.cell(FIRST_ROW, COL["case_id"]).protection.locked
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"Outstanding,Good,Requires improvement to be good,Inadequate,Not applicable"' in formulas
    assert "evidence note required for: Outstanding, Inadequate" in ws.cell(FIRST_ROW, COL["question"]).value
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    assert {r[0].value: r[1].value for r in meta.iter_rows()}["round_id"] == audit.id


def test_a_filled_return_round_trips_and_imports_once(store, audit, jtai, template: Path) -> None:  # type: ignore[no-untyped-def]
    labels = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate",
              "Not applicable"]
    written = _fill(template, audit, grade_for=lambda row: labels[row % 5], skip_cases=1)
    result = import_return(store, audit, jtai, template)
    cases = {c for c, _ in written}
    assert len(result.saved) == len(cases) and result.unchanged == 0
    tidy = store.current_responses(audit.id)
    assert set(tidy["status"]) == {"submitted"}
    scale = jtai.scales_by_id["ofsted4"]
    got = {(r.case_id, r.criterion_id): ("Not applicable" if r.not_applicable else
                                         scale.label(int(r.grade)))
           for r in tidy.itertuples()}
    assert got == written

    again = import_return(store, audit, jtai, template)
    assert again.saved == [] and again.unchanged == len(cases)
    assert store.form_statuses(audit.id)["revision_no"].max() == 1


def test_a_return_for_a_closed_round_is_refused_whole(store, audit, jtai, template: Path) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.errors import RoundLockedError

    _fill(template, audit)
    store.close_round(audit.id, "AUDIT-LEAD")
    with pytest.raises(RoundLockedError, match=r"closed for moderation by AUDIT-LEAD.*reopen"):
        import_return(store, audit, jtai, template)
    assert store.current_responses(audit.id).empty
    store.reopen_round(audit.id, "AUDIT-LEAD", "a late police return")
    assert import_return(store, audit, jtai, template).saved


def test_a_partly_filled_case_is_saved_as_a_draft(store, audit, jtai, template: Path) -> None:  # type: ignore[no-untyped-def]
    wb = load_workbook(template)
    ws = wb[SHEET]
    auditor = next(a.id for a in audit.auditors if a.agency == AGENCY)
    ws.cell(FIRST_ROW, COL["grade"]).value = "Good"
    ws.cell(FIRST_ROW, COL["auditor"]).value = auditor
    wb.save(template)
    result = import_return(store, audit, jtai, template)
    assert [r.status for r in result.saved] == ["draft"]


def _edit(path: Path, row: int, column: str, value: object) -> None:
    wb = load_workbook(path)
    wb[SHEET].cell(row, COL[column]).value = value
    wb.save(path)


def _meta(path: Path, key: str, value: str) -> None:
    wb = load_workbook(path)
    for row in wb[META_SHEET].iter_rows():
        if row[0].value == key:
            row[1].value = value
    wb.save(path)


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda p: _edit(p, FIRST_ROW + 1, "case_id", "X-999"),
         f"row {FIRST_ROW + 1}, column A: case 'X-999' is not a case of Pol"),
        (lambda p: _edit(p, FIRST_ROW + 2, "grade", "Excellent"),
         f"row {FIRST_ROW + 2}, column G: 'Excellent' is not on the scale"),
        (lambda p: (_edit(p, FIRST_ROW, "grade", "Inadequate"),
                    _edit(p, FIRST_ROW, "evidence_note", None)),
         f"row {FIRST_ROW}, column H: a grade of Inadequate needs an evidence note"),
        (lambda p: _edit(p, FIRST_ROW + 3, "auditor", "AUD-POL-9"),
         "several auditors are chosen"),
        (lambda p: _meta(p, "round_id", "2019-01-maca"), "this return is for round 2019-01-maca"),
        (lambda p: _meta(p, "framework_version", "0.9"), "version 0.9, but round"),
        (lambda p: _edit(p, 2, "grade", "Score"), "row 2, column G: the heading is 'Score'"),
        (lambda p: p.write_text("case,grade\nM1,Good\n"), "not an Excel workbook"),
        (lambda p: p.write_bytes(b""), "the file is empty"),
    ],
)
def test_bad_returns_are_refused_whole_with_their_place(store, audit, jtai, template: Path,
                                                        spoil, message: str) -> None:  # type: ignore[no-untyped-def]
    _fill(template, audit)
    spoil(template)
    with pytest.raises(ExcelImportError) as caught:
        import_return(store, audit, jtai, template)
    assert message in str(caught.value)
    assert "nothing from it was saved" in str(caught.value)
    assert store.current_responses().empty


def test_the_command_line_round_trip(tmp_path: Path, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    write_round(audit, tmp_path / "audits")
    db = tmp_path / "cli.db"
    out = tmp_path / "pol.xlsx"
    args = ["--audits", str(tmp_path / "audits")]
    runner = CliRunner()
    made = runner.invoke(main, ["excel-template", "--round", audit.id, "--agency", AGENCY,
                                "-o", str(out), *args])
    assert made.exit_code == 0, made.output
    _fill(out, audit)
    first = runner.invoke(main, ["import-excel", str(out), "--db", str(db), *args])
    assert first.exit_code == 0, first.output
    assert "0 unchanged" in first.output
    second = runner.invoke(main, ["import-excel", str(out), "--db", str(db), *args])
    assert "0 form(s) saved" in second.output
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    failed = runner.invoke(main, ["import-excel", str(bad), "--db", str(db), *args])
    assert failed.exit_code == 1 and "not an Excel workbook" in failed.output
    wrong_round = runner.invoke(main, ["import-excel", str(out), "--round", "2020-01-maca",
                                       "--db", str(db), *args])
    assert wrong_round.exit_code == 1 and "not 2020-01-maca" in wrong_round.output
