"""A round folder that cannot be used gets one clear message per problem, never a traceback, and
never shows another file's contents; one broken folder does not hide the other rounds."""

from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl
import pytest

from caseaudit import settings
from caseaudit.errors import RoundError
from caseaudit.identifiers import identifier_problem
from caseaudit.rounds import (
    CASE_COLUMNS,
    AuditRound,
    BrokenRound,
    load_round_file,
    load_rounds,
    scan_rounds,
    write_round,
)
from caseaudit.synthetic import build_partnership

#: Would be quoted by a validation message if the file holding it were ever read as a case list.
SECRET_ROW = "Jessica Smith,CSC,5-9,female,White,no,child protection\n"


def _written(tmp_path: Path, audit: AuditRound) -> Path:
    return write_round(audit, tmp_path / "audits")


def _refused(path: Path) -> RoundError:
    with pytest.raises(RoundError) as caught:
        load_round_file(path)
    assert "nothing was saved" in str(caught.value)
    return caught.value


def _point_cases_at(path: Path, written: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert "cases: cases.csv\n" in text
    path.write_text(text.replace("cases: cases.csv\n", f"cases: {written}\n"), encoding="utf-8")


def _unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``path`` unreadable; as root chmod does not stop reading, so refuse the read instead."""
    path.chmod(0)
    try:
        path.read_bytes()
    except PermissionError:
        return
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)


# -- audit.yaml ---------------------------------------------------------------------------------


def test_an_audit_yaml_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "2026-06-maca" / "audit.yaml"
    path.mkdir(parents=True)
    error = _refused(path)
    assert error.path == str(path)
    assert "this is a folder, not a file" in str(error.problems[0])


def test_an_unreadable_audit_yaml_is_refused(tmp_path: Path, audit: AuditRound,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = _written(tmp_path, audit)
    _unreadable(path, monkeypatch)
    error = _refused(path)
    assert error.path == str(path)
    assert "may not read this file (permission denied)" in str(error.problems[0])


# -- where cases: points ------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["../../other/secret.csv", "../secret.csv", "ABSOLUTE", "~/secret.csv"])
def test_a_case_list_outside_the_round_folder_is_refused_unread(tmp_path: Path, audit: AuditRound,
                                                                written: str) -> None:
    path = _written(tmp_path, audit)
    secret = tmp_path / "other" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(",".join(CASE_COLUMNS) + "\n" + SECRET_ROW, encoding="utf-8")
    (tmp_path / "audits" / "secret.csv").write_text(secret.read_text(), encoding="utf-8")
    written = str(secret) if written == "ABSOLUTE" else written
    _point_cases_at(path, written)
    error = _refused(path)
    assert [p.place for p in error.problems] == ["cases"]
    message = str(error)
    assert f"the case list '{written}' is outside the round's folder" in message
    assert "cases: cases.csv" in message and error.problems[0].line is not None
    assert "Jessica" not in message


def test_a_case_list_linking_outside_the_round_folder_is_refused_unread(
        tmp_path: Path, audit: AuditRound) -> None:
    path = _written(tmp_path, audit)
    secret = tmp_path / "secret.csv"
    secret.write_text(",".join(CASE_COLUMNS) + "\n" + SECRET_ROW, encoding="utf-8")
    (path.parent / "cases.csv").unlink()
    (path.parent / "cases.csv").symlink_to(secret)
    message = str(_refused(path))
    assert "'cases.csv' is a link to a file outside the round's folder" in message
    assert "Jessica" not in message


def test_a_case_list_in_a_subfolder_of_the_round_is_read(tmp_path: Path, audit: AuditRound) -> None:
    path = _written(tmp_path, audit)
    (path.parent / "lists").mkdir()
    (path.parent / "cases.csv").rename(path.parent / "lists" / "cases.csv")
    _point_cases_at(path, "lists/cases.csv")
    assert load_round_file(path) == audit


@pytest.mark.parametrize("written", [".", "lists", "lists/"])
def test_a_case_list_that_is_a_folder_is_refused(tmp_path: Path, audit: AuditRound,
                                                 written: str) -> None:
    path = _written(tmp_path, audit)
    (path.parent / "lists").mkdir()
    _point_cases_at(path, written)
    error = _refused(path)
    assert error.problems[0].place == "cases"
    assert f"'{written}' is a folder, not a case list" in error.problems[0].message


# -- what is in cases.csv -----------------------------------------------------------------------


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(CASE_COLUMNS)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "expected"), [
    (None, "this is an Excel workbook (or another packed file), not text"),
    (",".join(CASE_COLUMNS).encode() + b"\nC-1,CSC,5-9,female,White,no,none\nC-2,CSC,5-9,f\xe9minin,"
     b"White,no,none\n", "row 3: the text is not UTF-8 (byte 0xE9"),
    (",".join(CASE_COLUMNS).encode() + b"\nC-1,CSC,5-9,female,\x00White,no,none\n",
     "row 2: the file holds binary data (a NUL byte)"),
])
def test_a_case_list_that_is_not_csv_text_says_how_to_save_it(tmp_path: Path, audit: AuditRound,
                                                              content: bytes | None,
                                                              expected: str) -> None:
    path = _written(tmp_path, audit)
    csv_path = path.parent / "cases.csv"
    csv_path.write_bytes(_xlsx_bytes() if content is None else content)
    error = _refused(path)
    assert error.path == str(csv_path)
    assert len(error.problems) == 1
    assert expected in str(error.problems[0])
    assert "save it as CSV UTF-8 from Excel: File > Save As > CSV UTF-8" in str(error)


def _with_rows(tmp_path: Path, audit: AuditRound, rows: dict[int, str]) -> tuple[Path, Path]:
    """The written round with the case list's lines (1 = header) replaced as given."""
    path = _written(tmp_path, audit)
    csv_path = path.parent / "cases.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    for number, text in rows.items():
        lines[number - 1] = text
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, csv_path


def test_rows_with_more_or_fewer_values_than_the_header_are_named(tmp_path: Path,
                                                                 audit: AuditRound) -> None:
    path, _ = _with_rows(tmp_path, audit, {
        3: "C-3,CSC,Pol,5-9,female,White,no,child protection",
        4: "jane.doe,CSC,5-9,female,White,no,none",
        5: "C-5,CSC,5-9,female",
    })
    error = _refused(path)
    assert error.path == str(path)
    assert [str(p) for p in error.problems] == [
        "cases.csv row 3: this row has 8 values but the header has 7 columns; write the agencies "
        "with ';' between them (CSC;Pol), and put any value holding a comma in quotes",
        "cases.csv row 4, column case_id: case id 'jane.doe' looks like a person's name ('jane' is "
        "a first name); use a pseudonymous case reference such as C-014 instead",
        "cases.csv row 5: this row has 4 values but the header has 7 columns; fill in every column",
    ]


def test_a_case_list_whose_every_row_is_misshapen_names_them_all(tmp_path: Path,
                                                                 audit: AuditRound) -> None:
    path = _written(tmp_path, audit)
    csv_path = path.parent / "cases.csv"
    csv_path.write_text(",".join(CASE_COLUMNS) + "\nC-1,CSC,Pol,5-9,female,White,no,none\nC-2\n",
                        encoding="utf-8")
    error = _refused(path)
    assert error.path == str(csv_path)
    assert [p.place for p in error.problems] == ["cases.csv row 2", "cases.csv row 3"]


def test_a_quoted_comma_and_rows_excel_left_empty_are_read(tmp_path: Path, audit: AuditRound) -> None:
    first = audit.cases[0]
    quoted = (f'{first.id},"{", ".join(first.agencies)}",{first.age_band},{first.gender},'
              f"{first.ethnicity_group},{first.disability},{first.plan_type}")
    path, csv_path = _with_rows(tmp_path, audit, {2: quoted})
    csv_path.write_text(csv_path.read_text(encoding="utf-8") + ",,,,,,\n\n", encoding="utf-8")
    assert load_round_file(path) == audit


def test_a_bad_value_after_a_blank_line_names_the_row_the_editor_shows(tmp_path: Path,
                                                                       audit: AuditRound) -> None:
    path = _written(tmp_path, audit)
    csv_path = path.parent / "cases.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(audit.cases[2].plan_type, "foster care")
    lines.insert(2, "")
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    places = [p.place for p in _refused(path).problems]
    assert places == ["cases.csv row 5, column plan_type"]


def test_a_header_naming_a_column_twice_is_refused(tmp_path: Path, audit: AuditRound) -> None:
    path, _ = _with_rows(tmp_path, audit, {1: ",".join([*CASE_COLUMNS, "gender"])})
    assert "column(s) gender appear more than once" in str(_refused(path).problems[0])


# -- case ids that are names in other shapes ----------------------------------------------------


NAMES_IN_OTHER_SHAPES = ["jane.doe", "JANE-DOE", "jane_doe", "Jane.Doe", "DOE, Jane", "DOE_JANE",
                         "doe-jane", "JANE DOE", "mary-jane.smith", "o'neil.mary"]
PSEUDONYMOUS = ["C-014", "CASE-0001", "2026-03-C014", "MACA26-017", "HSB-A", "C014-REVIEW",
                "T26-001", "CSC-0042", "PW-07", "LA12-CIN-0042"]


@pytest.mark.parametrize("case_id", NAMES_IN_OTHER_SHAPES)
def test_names_in_other_shapes_are_refused_as_case_ids(case_id: str) -> None:
    problem = identifier_problem(case_id)
    assert problem and "looks like a person's name" in problem


@pytest.mark.parametrize("case_id", PSEUDONYMOUS)
def test_pseudonymous_references_stay_accepted(case_id: str) -> None:
    assert identifier_problem(case_id) is None


def test_the_synthetic_generators_ids_stay_accepted(jtai) -> None:  # type: ignore[no-untyped-def]
    partnership = build_partnership(cases=30, rounds=4, seed=3, framework=jtai)
    ids = [case.id for audit in partnership.rounds for case in audit.cases]
    assert len(ids) == 120
    assert [i for i in ids if identifier_problem(i)] == []


def test_a_name_in_the_case_list_is_refused_at_its_row(tmp_path: Path, audit: AuditRound) -> None:
    path, _ = _with_rows(tmp_path, audit, {4: "jane.doe,CSC,5-9,female,White,no,none"})
    error = _refused(path)
    assert [p.place for p in error.problems] == ["cases.csv row 4, column case_id"]
    assert "looks like a person's name ('jane' is a first name)" in error.problems[0].message


# -- scan_rounds: one broken folder does not hide the others -----------------------------------


def test_scan_rounds_shows_the_rounds_that_load_and_names_the_broken_one(
        filled, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _, audits = filled
    good = load_rounds(audits)
    broken_id = good[0].id
    csv_path = audits / broken_id / "cases.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    lines[6] = "Jessica Smith" + lines[6][lines[6].index(","):]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(settings, "PROJECT_DIR", audits.parent)

    found = scan_rounds(audits)

    assert found.rounds == good[1:]
    assert found.broken == [BrokenRound(
        broken_id, f"The round folder {broken_id} cannot be read: cases.csv has a problem in row 7. Run "
        f"`caseaudit validate audits/{broken_id}` to see every problem and what to do.")]
    assert "Jessica" not in found.broken[0].message
    with pytest.raises(RoundError, match="Jessica Smith"):
        load_rounds(audits)


def test_scan_rounds_names_the_line_of_a_broken_audit_yaml(filled) -> None:  # type: ignore[no-untyped-def]
    _, audits = filled
    good = load_rounds(audits)
    path = audits / good[-1].id / "audit.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("kind: maca") + 1
    path.write_text(text.replace("kind: maca", "kind: audit"), encoding="utf-8")
    found = scan_rounds(audits)
    assert found.rounds == good[:-1]
    assert found.broken == [BrokenRound(
        good[-1].id, f"The round folder {good[-1].id} cannot be read: audit.yaml has a problem at "
        f"line {line}. Run `caseaudit validate {audits / good[-1].id}` to see every problem and what to do.")]


def test_scan_rounds_reports_an_audit_yaml_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "2026-06-maca" / "audit.yaml").mkdir(parents=True)
    found = scan_rounds(tmp_path)
    assert found.rounds == []
    assert [b.folder for b in found.broken] == ["2026-06-maca"]
    assert "cannot be read: audit.yaml cannot be used. Run" in found.broken[0].message


def test_os_level_paths_are_not_reachable_through_cases(tmp_path: Path, audit: AuditRound) -> None:
    path = _written(tmp_path, audit)
    _point_cases_at(path, os.devnull)
    assert "is outside the round's folder" in _refused(path).problems[0].message
