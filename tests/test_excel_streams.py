"""A practice week's Excel returns, one per stream: template, filled with openpyxl, imported all
or nothing; every bad return refused with its file, sheet, row and column, and nothing saved."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from caseaudit.cli import main
from caseaudit.errors import WorkbookError
from caseaudit.excel import META_SHEET, SHEET, ExcelImportError
from caseaudit.excel_streams import (
    FIRST_ROW,
    LISTS_SHEET,
    columns,
    import_stream_return,
    write_stream_template,
)
from caseaudit.framework import Framework, load_framework
from caseaudit.rounds import AuditRound, write_round
from caseaudit.store import Store

TABLES = ("forms", "revisions", "scores", "stream_details")
OBSERVER, CSC_LEAD, HEALTH_LEAD = "PW-LEAD-CSC-2", "PW-LEAD-CSC-1", "PW-LEAD-HLTH-1"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_TODAY", "2026-05-20")


def _rows(store: Store) -> dict[str, int]:
    """Rows of the tables a record is saved in: a refused return leaves them as they were."""
    path = store.url.database
    conn = sqlite3.connect(path)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    conn.close()
    return counts


def _fill(path: Path, week: AuditRound, pw: Framework, stream: str,
          rows: list[dict[str, object]]) -> None:
    """Write ``rows`` (column name -> value) into the return's first rows, by column name."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    col = {name: i + 1 for i, (name, _) in enumerate(columns(week, pw, stream))}
    for r, values in enumerate(rows, start=FIRST_ROW):
        for name, value in values.items():
            ws.cell(r, col[name]).value = value
    wb.save(path)


def _template(tmp_path: Path, week: AuditRound, pw: Framework, stream: str, auditor: str,
              name: str = "return.xlsx", **kw: object) -> Path:
    path = tmp_path / name
    write_stream_template(week, pw, stream, auditor, path, **kw)  # type: ignore[arg-type]
    return path


OBSERVED = {"event_kind": "home visit", "event_date": date(2026, 5, 12), "practitioner": "P-01",
            "feedback_given": "Yes", "OB1": "Good", "OB2": "Good",
            "OB3": "Outstanding", "OB3:note": "Synthetic: the child's voice led the visit.",
            "OB4": "Yes", "text": "Synthetic observer's note."}
FAMILY = {"respondent": "parent or carer", "event_date": "2026-05-13", "consent": "given",
          "FF1": "Agree", "FF2": "Strongly agree", "FF3": "Yes",
          "text": "Synthetic feedback: we were listened to."}


# -- the template ---------------------------------------------------------------------------------

def test_a_stream_template_numbers_its_records_and_guides_each_field(tmp_path: Path, week, pw) -> None:  # type: ignore[no-untyped-def]
    path = _template(tmp_path, week, pw, "observation", OBSERVER, taken=["OBS-001", "OBS-002"],
                     rows=4)
    wb = load_workbook(path)
    ws = wb[SHEET]
    names = [name for name, _ in columns(week, pw, "observation")]
    assert [c.value for c in ws[2]] == [h for _, h in columns(week, pw, "observation")]
    assert names[:5] == ["record", "event_kind", "event_date", "practitioner", "feedback_given"]
    assert names[-1] == "text" and "OB1:note" in names and "OB4:note" not in names  # yes-no: none
    # the records are numbered after those already taken, locked; the rest is to fill
    assert [ws.cell(r, 1).value for r in range(FIRST_ROW, ws.max_row + 1)] == [
        "OBS-003", "OBS-004", "OBS-005", "OBS-006"]
    assert ws.cell(FIRST_ROW, 1).protection.locked and ws.protection.sheet
    assert not ws.cell(FIRST_ROW, 2).protection.locked
    # drop-downs from the framework and the round: event kinds, participants, scales, yes/no
    lists = wb[LISTS_SHEET]
    by_column = {"".join(ch for ch in str(dv.sqref).split()[0].split(":")[0] if ch.isalpha()): dv
                 for dv in ws.data_validations.dataValidation}
    kinds = by_column["B"].formula1.split("!")[1].replace("$", "").split(":")
    column = kinds[0][0]
    assert [lists[f"{column}{r}"].value for r in range(1, 7)] == \
        pw.streams_by_id["observation"].event_kinds
    assert by_column["C"].type == "date" and ws.cell(FIRST_ROW, 3).number_format == "yyyy-mm-dd"
    people = by_column["D"].formula1.split("!")[1].replace("$", "").split(":")
    assert int(people[1][1:]) == len(week.participants)
    meta = {r[0].value: r[1].value for r in wb[META_SHEET].iter_rows()}
    assert (meta["round_id"], meta["stream"], meta["auditor"], meta["agency"]) == (
        week.id, "observation", OBSERVER, "CSC")
    assert wb[META_SHEET].sheet_state == "veryHidden"


def test_a_case_audit_return_has_a_row_per_case_the_agency_holds(tmp_path: Path, week, pw) -> None:  # type: ignore[no-untyped-def]
    ws = load_workbook(_template(tmp_path, week, pw, "case_audit", CSC_LEAD))[SHEET]
    held = [c.id for c in week.cases if c.agencies[0] == "CSC"]
    assert [ws.cell(r, 1).value for r in range(FIRST_ROW, ws.max_row + 1)] == held
    police = next(a.id for a in week.auditors if a.agency == "Pol")
    with pytest.raises(WorkbookError, match="Pol holds none of round"):
        _template(tmp_path, week, pw, "case_audit", police, "police.xlsx")


def test_no_stream_template_for_a_case_audit_round_an_unknown_stream_or_auditor(
        tmp_path: Path, week, pw, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkbookError, match="is a multi-agency case audit, not a practice week"):
        write_stream_template(audit, jtai, "observation", audit.auditors[0].id, tmp_path / "a.xlsx")
    with pytest.raises(WorkbookError, match="stream 'huddles' is not one of round"):
        write_stream_template(week, pw, "huddles", OBSERVER, tmp_path / "b.xlsx")
    with pytest.raises(WorkbookError, match="PW-NOBODY is not one of round"):
        write_stream_template(week, pw, "observation", "PW-NOBODY", tmp_path / "c.xlsx")
    assert not list(tmp_path.glob("*.xlsx"))


# -- importing ------------------------------------------------------------------------------------

def test_each_stream_round_trips_and_a_second_import_adds_nothing(tmp_path: Path, store, week,
                                                                  pw) -> None:  # type: ignore[no-untyped-def]
    filled = {
        "case_audit": (CSC_LEAD, [{"practitioner": "P-01", "CR1": "Good", "CR2": "Good",
                                   "CR3": "Requires improvement to be good", "CR4": "Not applicable",
                                   "CP1": "Good", "CP2": "Yes",
                                   "text": "Synthetic reflection: plan with dates."}]),
        "observation": (OBSERVER, [OBSERVED, {"event_kind": "supervision", "OB1": "Good"}]),
        "family_feedback": ("PW-LEAD-CSC-2", [FAMILY, {"respondent": "child or young person",
                                                       "event_date": datetime(2026, 5, 14),
                                                       "consent": "declined"}]),
        "practitioner_feedback": (HEALTH_LEAD, [{"event_date": "14/05/2026", "consent": "given",
                                                 "PF1": 2, "PF2": "Agree", "PF3": "No"}]),
    }
    for stream, (auditor, rows) in filled.items():
        path = _template(tmp_path, week, pw, stream, auditor, f"{stream}.xlsx")
        _fill(path, week, pw, stream, rows)
        result = import_stream_return(store, week, pw, path)
        assert (result.stream_id, result.auditor, len(result.saved)) == (stream, auditor, len(rows))
        before = _rows(store)
        again = import_stream_return(store, week, pw, path)
        assert (len(again.saved), again.unchanged) == (0, len(rows)) and _rows(store) == before
    records = store.stream_records(week.id, status=None).set_index("record_id")
    assert records.loc["PW2605-001", "practitioner"] == "P-01"
    assert records.loc["PW2605-001", "status"] == "submitted"
    first, second = records.loc["OBS-001"], records.loc["OBS-002"]
    assert (first["event_kind"], first["event_date"], bool(first["feedback_given"]),
            first["status"]) == ("home visit", datetime(2026, 5, 12), True, "submitted")
    assert (second["event_kind"], second["status"]) == ("supervision", "draft")  # partly filled
    assert records.loc["FF-001", "respondent"] == "parent or carer"
    declined = records.loc["FF-002"]
    assert (declined["consent"], declined["status"]) == ("declined", "submitted")
    assert records.loc["PF-001", "event_date"] == datetime(2026, 5, 14)
    assert pd.isna(records.loc["PF-001", "practitioner"])  # left blank: anonymous
    latest = store.latest_revision(week.id, "OBS-001", "CSC", OBSERVER)
    assert latest.details.text == "Synthetic observer's note." and latest.grades["OB3"] == 1
    assert latest.notes == {"OB3": "Synthetic: the child's voice led the visit."}
    assert not store.latest_revision(week.id, "FF-002", "CSC", "PW-LEAD-CSC-2").grades


def test_an_edited_return_saves_a_new_revision_of_the_record(tmp_path: Path, store, week, pw) -> None:  # type: ignore[no-untyped-def]
    path = _template(tmp_path, week, pw, "observation", OBSERVER)
    _fill(path, week, pw, "observation", [OBSERVED])
    import_stream_return(store, week, pw, path)
    _fill(path, week, pw, "observation", [{"OB2": "Requires improvement to be good"}])
    result = import_stream_return(store, week, pw, path)
    assert [r.revision_no for r in result.saved] == [2]
    assert store.latest_revision(week.id, "OBS-001", "CSC", OBSERVER).grades["OB2"] == 3


# -- refusals: each names the file, sheet, row and column and the fix; nothing is saved ----------

def _refused(store: Store, week: AuditRound, pw: Framework, path: Path, *wanted: str,
             **kw: object) -> str:
    before = _rows(store)
    with pytest.raises(ExcelImportError) as caught:
        import_stream_return(store, week, pw, path, **kw)  # type: ignore[arg-type]
    message = str(caught.value)
    assert str(path) in message and "nothing from it was saved" in message
    for text in wanted:
        assert text in message, message
    assert _rows(store) == before
    return message


def _saved_one(store: Store, week: AuditRound, pw: Framework, tmp_path: Path) -> None:
    """One record already saved, so that a refusal must leave a store that holds something."""
    path = _template(tmp_path, week, pw, "family_feedback", "PW-LEAD-CSC-2", "first.xlsx")
    _fill(path, week, pw, "family_feedback", [FAMILY])
    import_stream_return(store, week, pw, path)


@pytest.mark.parametrize("row, where, fix", [
    ({**OBSERVED, "event_kind": "school visit"}, "column B",
     "event kind 'school visit' is not one of the kinds of event observed"),
    ({**OBSERVED, "practitioner": "P-99"}, "column D",
     "participant P-99 is not in round 2026-05-practice-week's participants"),
    ({**OBSERVED, "OB2": "Brilliant"}, "column H", "'Brilliant' is not on the scale of OB2; choose one of"),
    ({**OBSERVED, "OB3:note": None}, "column K", "a grade of Outstanding for OB3 needs an evidence note"),
    ({**OBSERVED, "event_date": "next Tuesday"}, "column C", "is not a date; type it as 2026-05-12"),
    ({**OBSERVED, "feedback_given": "Maybe"}, "column E", "'Maybe' is neither Yes nor No"),
    ({**OBSERVED, "OB1": "=B3"}, "column F", "is a formula; choose from the drop-down instead"),
    ({**OBSERVED, "event_date": date(2026, 3, 2)}, "(record OBS-002)", "is outside the week"),
    ({"OB1": "Good", "OB2": "Good", "OB3": "Good", "OB4": "Yes"}, "(record OBS-002)",
     "a submitted observation record needs the kind of event"),
])
def test_a_bad_observation_row_is_refused_in_its_column(tmp_path: Path, store, week, pw, row,
                                                        where, fix) -> None:  # type: ignore[no-untyped-def]
    _saved_one(store, week, pw, tmp_path)
    path = _template(tmp_path, week, pw, "observation", OBSERVER)
    _fill(path, week, pw, "observation", [OBSERVED, row])
    _refused(store, week, pw, path, f"sheet {SHEET}, row {FIRST_ROW + 1}", where, fix)


@pytest.mark.parametrize("row, column, fix", [
    ({**FAMILY, "consent": None}, "D", "consent is not recorded; choose given or declined"),
    ({**FAMILY, "consent": "maybe later"}, "D", "'maybe later' is not a consent; choose given or "
     "declined"),
    ({**FAMILY, "consent": "declined"}, "D", "consent was declined, so nothing the person said may "
     "be kept"),
    ({**FAMILY, "respondent": "neighbour"}, "B", "'neighbour' is not one of child or young person"),
])
def test_feedback_without_consent_or_from_nobody_known_is_refused(tmp_path: Path, store, week, pw,
                                                                  row, column, fix) -> None:  # type: ignore[no-untyped-def]
    _saved_one(store, week, pw, tmp_path)
    path = _template(tmp_path, week, pw, "family_feedback", "PW-LEAD-CSC-2", "second.xlsx",
                     taken=["FF-001"])
    _fill(path, week, pw, "family_feedback", [row])
    _refused(store, week, pw, path, f"sheet {SHEET}, row {FIRST_ROW}, column {column}", fix)


def test_a_record_id_taken_by_someone_else_or_edited_is_refused(tmp_path: Path, store, week, pw) -> None:  # type: ignore[no-untyped-def]
    _saved_one(store, week, pw, tmp_path)  # FF-001 by PW-LEAD-CSC-2
    # made before FF-001 was saved, by someone else: it numbers its first record FF-001 too
    path = _template(tmp_path, week, pw, "family_feedback", "PW-LEAD-CSC-1", "other.xlsx")
    _fill(path, week, pw, "family_feedback", [FAMILY])
    _refused(store, week, pw, path, "row 3, column A", "record FF-001 is already saved as "
             "PW-LEAD-CSC-2's family_feedback record; copy this row into a fresh template")
    path = _template(tmp_path, week, pw, "family_feedback", "PW-LEAD-CSC-1", "edited.xlsx",
                     taken=["FF-001"])
    wb = load_workbook(path)
    wb[SHEET].protection.sheet = False
    wb[SHEET]["A3"], wb[SHEET]["A4"] = "OBS-009", "FF-003"
    wb[SHEET]["A5"] = "FF-003"
    wb.save(path)
    _fill(path, week, pw, "family_feedback", [FAMILY, FAMILY, FAMILY])
    _refused(store, week, pw, path, "row 3, column A: 'OBS-009' is not a record id of the stream "
             "'family_feedback' (FF-001...); do not edit the Record column",
             "row 5, column A: record FF-003 is also on row 4; keep one row per record")


def test_a_return_for_another_stream_is_refused(tmp_path: Path, store, week, pw) -> None:  # type: ignore[no-untyped-def]
    _saved_one(store, week, pw, tmp_path)
    path = _template(tmp_path, week, pw, "observation", OBSERVER)
    _fill(path, week, pw, "observation", [OBSERVED])
    # --stream on import names another stream
    _refused(store, week, pw, path, "this return is for the stream 'observation', not "
             "'family_feedback'; import it with --stream observation",
             expected_stream="family_feedback")
    # the round no longer uses the stream the return was made for
    fewer = week.model_copy(update={"streams": ["case_audit", "family_feedback"]})
    _refused(store, fewer, pw, path, "stream 'observation' is not one of round 2026-05-practice-"
             "week's streams (case_audit, family_feedback)")
    # the columns are another stream's: a feedback sheet pasted over an observation return
    wb = load_workbook(path)
    for i, (_, heading) in enumerate(columns(week, pw, "family_feedback"), start=1):
        wb[SHEET].cell(2, i).value = heading
    for i in range(len(columns(week, pw, "family_feedback")) + 1, wb[SHEET].max_column + 1):
        wb[SHEET].cell(2, i).value = None
    wb.save(path)
    _refused(store, week, pw, path, f"sheet {SHEET}, row 2: the columns are those of a "
             "family_feedback return, but this file was made for the stream 'observation'")


def test_a_moved_or_renamed_column_is_refused(tmp_path: Path, store, week, pw) -> None:  # type: ignore[no-untyped-def]
    path = _template(tmp_path, week, pw, "observation", OBSERVER)
    _fill(path, week, pw, "observation", [OBSERVED])
    wb = load_workbook(path)
    ws = wb[SHEET]
    ws["B2"], ws["C2"] = ws["C2"].value, ws["B2"].value
    wb.save(path)
    _refused(store, week, pw, path, "sheet Return, row 2, column B: the heading is 'Date of the "
             "event' but should be 'Kind of event'; columns must not be moved, renamed or deleted")


def test_a_return_for_a_round_that_is_not_a_practice_week_is_refused(tmp_path: Path, store, week,
                                                                      pw) -> None:  # type: ignore[no-untyped-def]
    path = _template(tmp_path, week, pw, "observation", OBSERVER)
    _fill(path, week, pw, "observation", [OBSERVED])
    maca = week.model_copy(update={"kind": "maca"})
    _refused(store, maca, pw, path, "round 2026-05-practice-week is a multi-agency case audit, not "
             "a practice week; choose a practice-week round")


def test_an_agency_return_is_not_a_stream_return(tmp_path: Path, store, week, pw, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.excel import write_template

    path = tmp_path / "agency.xlsx"
    write_template(audit, jtai, "Pol", path)
    wb = load_workbook(path)
    meta = wb[META_SHEET]
    meta["B1"] = week.id  # an agency's return made out for the practice week
    wb.save(path)
    _refused(store, week, pw, path, "this is an agency's case-audit return, not a return of one "
             "of the practice week's streams")


# -- the command line -----------------------------------------------------------------------------

def test_the_command_line_writes_and_imports_a_stream_return(tmp_path: Path, store, week) -> None:  # type: ignore[no-untyped-def]
    audits = tmp_path / "audits"
    write_round(week, audits)
    db = str(store.url.database)
    where = ["--db", db, "--audits", str(audits)]
    runner = CliRunner()
    out = tmp_path / "obs.xlsx"
    made = runner.invoke(main, ["excel-template", "--round", week.id, "--stream", "observation",
                                "--auditor", OBSERVER, "--rows", "3", "-o", str(out), *where])
    assert made.exit_code == 0, made.output
    assert f"3 observation records to fill for {OBSERVER}" in made.output
    _fill(out, week, load_framework("practice-week", "1.0"), "observation", [OBSERVED])
    wrong = runner.invoke(main, ["import-excel", str(out), "--stream", "family_feedback", *where])
    assert wrong.exit_code == 1 and "not 'family_feedback'" in wrong.output
    assert store.stream_records(week.id, status=None).empty
    done = runner.invoke(main, ["import-excel", str(out), "--stream", "observation", *where])
    assert done.exit_code == 0, done.output
    assert f"1 observation record(s) saved for {OBSERVER} in {week.id}, 0 unchanged" in done.output
    # the next template's records follow the one saved
    again = runner.invoke(main, ["excel-template", "--round", week.id, "--stream", "observation",
                                 "--auditor", OBSERVER, "--rows", "1", "-o", str(out), *where])
    assert again.exit_code == 0 and load_workbook(out)[SHEET]["A3"].value == "OBS-002"
    agency = runner.invoke(main, ["excel-template", "--round", week.id, "--agency", "CSC", "-o",
                                  str(tmp_path / "csc.xlsx"), *where])
    assert agency.exit_code == 1 and "is a practice week: its returns are one per stream" in agency.output
    both = runner.invoke(main, ["excel-template", "--round", week.id, "-o", str(out), *where])
    assert both.exit_code == 1 and "--agency ID" in both.output and "--stream ID" in both.output
