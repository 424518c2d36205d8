"""Excel returns: template, filled with openpyxl, imported; every bad return refused whole."""

from __future__ import annotations

import zipfile
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
    with pytest.raises(RoundLockedError, match=r"closed by AUDIT-LEAD.*are final.*reopen"):
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
        (lambda p: _rewrite_sheet(p, b"<sheetData>", b"<sheetData"),
         "the workbook is damaged and cannot be read (not well-formed"),
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
    nowhere = runner.invoke(main, ["import-excel", str(out), "--db", str(db), *args])
    assert nowhere.exit_code == 1 and f"caseaudit init --db {db}" in nowhere.output
    assert not db.exists()  # importing never makes a database
    assert runner.invoke(main, ["init", "--db", str(db)]).exit_code == 0
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


# -- returns that are not what they seem -------------------------------------------------------------

def _append_copy(path: Path, row: int, **changes: object) -> int:
    """Copy ``row`` below the last row (as a pasted row would be), changing some cells."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    target = ws.max_row + 1
    for name, column in COL.items():
        ws.cell(target, column).value = changes.get(name, ws.cell(row, column).value)
    wb.save(path)
    return target


@pytest.mark.parametrize(
    ("column", "formula", "message"),
    [
        ("grade", '=IF(1,"Good")', "column G: the grade is a formula; choose a grade from the drop-down"),
        ("grade", "=G3", "column G: the grade is a formula"),
        ("evidence_note", '=HYPERLINK("http://example.invalid","see")',
         "column H: the evidence note is a formula; type the note as plain text"),
        ("auditor", '=I3', "column I: the auditor is a formula; choose your auditor id"),
    ],
)
def test_a_formula_in_an_answer_is_refused_naming_its_cell(store, audit, jtai, template: Path,  # type: ignore[no-untyped-def]
                                                           column: str, formula: str,
                                                           message: str) -> None:
    _fill(template, audit)
    _edit(template, FIRST_ROW + 11, column, formula)
    with pytest.raises(ExcelImportError) as caught:
        import_return(store, audit, jtai, template)
    assert f"sheet Return, row {FIRST_ROW + 11}, {message}" in str(caught.value)
    assert store.current_responses().empty


def test_a_copied_row_with_a_different_grade_is_refused_naming_both_rows(store, audit, jtai,  # type: ignore[no-untyped-def]
                                                                        template: Path) -> None:
    _fill(template, audit)
    copy = _append_copy(template, FIRST_ROW + 2, grade="Requires improvement to be good")
    with pytest.raises(ExcelImportError) as caught:
        import_return(store, audit, jtai, template)
    assert f"rows {FIRST_ROW + 2} and {copy}: both are for case" in str(caught.value)
    assert "delete the copied row" in str(caught.value)
    assert store.current_responses().empty


def test_a_copied_row_that_says_the_same_is_read_once(store, audit, jtai, template: Path) -> None:  # type: ignore[no-untyped-def]
    written = _fill(template, audit)
    _append_copy(template, FIRST_ROW + 2)
    import_return(store, audit, jtai, template)
    tidy = store.current_responses(audit.id)
    assert len(tidy) == len(written)
    assert not tidy.duplicated(["case_id", "criterion_id"]).any()


def test_a_note_longer_than_the_cap_is_refused_naming_the_cap_and_the_cell(store, audit, jtai,  # type: ignore[no-untyped-def]
                                                                          template: Path) -> None:
    from caseaudit.settings import NOTE_MAX_CHARS

    _fill(template, audit)
    _edit(template, FIRST_ROW + 4, "evidence_note", "x" * NOTE_MAX_CHARS)  # at the cap: fine
    _edit(template, FIRST_ROW + 5, "evidence_note", "y" * (NOTE_MAX_CHARS + 1))
    with pytest.raises(ExcelImportError) as caught:
        import_return(store, audit, jtai, template)
    problems = caught.value.problems
    assert problems == [f"sheet Return, row {FIRST_ROW + 5}, column H: the evidence note is "
                        f"{NOTE_MAX_CHARS + 1:,} characters long, more than the {NOTE_MAX_CHARS:,} a "
                        "note may hold; shorten it"]
    assert store.current_responses().empty


def _rewrite_sheet(path: Path, replace: bytes, by: bytes, compression: int = zipfile.ZIP_DEFLATED) -> None:
    """Replace bytes in the return sheet's XML, as a program other than Excel might write it."""
    with zipfile.ZipFile(path) as package:
        parts = {m.filename: package.read(m) for m in package.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert replace in parts[sheet]
    parts[sheet] = parts[sheet].replace(replace, by)
    with zipfile.ZipFile(path, "w", compression) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def _row_key(template: Path, row: int) -> tuple[str, str]:
    ws = load_workbook(template)[SHEET]
    return ws.cell(row, COL["case_id"]).value, ws.cell(row, COL["criterion_id"]).value


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (b"Seen at home\x00 by\x0bthe social worker\x0c.", "Seen at home by\nthe social worker\n."),
        (b"Seen at home&#0; by&#x0B;the social worker.", "Seen at home by\nthe social worker."),
        (b"Seen at home_x0000_ by_x000B_the social worker_x000D_.", "Seen at home by\nthe social worker\n."),
    ],
    ids=["raw", "character-references", "excel-escapes"],
)
def test_control_characters_in_a_note_are_cleaned(store, audit, jtai, template: Path,  # type: ignore[no-untyped-def]
                                                  written: bytes, read: str) -> None:
    _fill(template, audit)
    _edit(template, FIRST_ROW, "evidence_note", "NOTE-MARK")
    case_id, cid = _row_key(template, FIRST_ROW)
    _rewrite_sheet(template, b"NOTE-MARK", written)
    import_return(store, audit, jtai, template)
    tidy = store.current_responses(audit.id)
    assert tidy[(tidy["case_id"] == case_id) & (tidy["criterion_id"] == cid)]["note"].iloc[0] == read


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(store, audit, jtai, template: Path,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import caseaudit.excel as excel

    _fill(template, audit)
    _edit(template, FIRST_ROW, "evidence_note", "NOTE-MARK")
    _rewrite_sheet(template, b"NOTE-MARK", b"A" * 8_000_000)  # packs to a few kilobytes
    assert template.stat().st_size < 200_000
    monkeypatch.setattr(excel, "load_workbook", lambda *a, **k: pytest.fail("unpacked"))
    with pytest.raises(ExcelImportError) as caught:
        import_return(store, audit, jtai, template)
    assert "its part xl/worksheets/sheet1.xml unpacks" in str(caught.value)
    assert "(a return packs at most 100 times)" in str(caught.value)
    assert store.current_responses().empty


def test_a_return_too_large_to_unpack_is_refused(store, audit, jtai, template: Path,  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import caseaudit.excel as excel

    _fill(template, audit)
    monkeypatch.setattr(excel, "MAX_UNPACKED_BYTES", 2**20)
    monkeypatch.setattr(excel, "load_workbook", lambda *a, **k: pytest.fail("unpacked"))
    _edit(template, FIRST_ROW, "evidence_note", "NOTE-MARK")
    _rewrite_sheet(template, b"NOTE-MARK", b"x" * 3 * 2**20, zipfile.ZIP_STORED)
    with pytest.raises(ExcelImportError, match=r"the file unpacks to 3.1 MB, more than a return can "
                                               r"hold \(1 MB\)"):
        import_return(store, audit, jtai, template)


def test_a_password_protected_return_says_so(store, audit, jtai, template: Path) -> None:  # type: ignore[no-untyped-def]
    from msoffcrypto.format.ooxml import OOXMLFile

    _fill(template, audit)
    encrypted = template.with_name("protected.xlsx")
    with template.open("rb") as plain, encrypted.open("wb") as out:
        OOXMLFile(plain).encrypt("synthetic-password", out)
    with pytest.raises(ExcelImportError) as caught:
        import_return(store, audit, jtai, encrypted)
    assert "the return is password-protected; open it in Excel, remove the password (File > Info > " \
        "Protect Workbook > Encrypt with Password, clear it)" in str(caught.value)
    assert store.current_responses().empty


def _compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors, streams of at least 4 KB so none
    lives in the mini stream) holding ``streams`` side by side, as Excel 97-2003 writes a .xls."""
    import struct

    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    sector = 512
    data, fat, starts = b"", [fat_sector, end], []
    for content in streams.values():
        content = content.ljust(max(4096, -(-len(content) // sector) * sector), b"\0")
        first = 2 + len(data) // sector
        count = len(content) // sector
        starts.append((first, len(content)))
        fat += [first + i + 1 for i in range(count - 1)] + [end]
        data += content
    assert len(fat) <= sector // 4 and len(streams) <= 3

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, no_stream,
                                                        right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    names = list(streams)
    entries = [entry("Root Entry", 5, 1 if names else no_stream, no_stream, end, 0)]
    for i, (first, size) in enumerate(starts):
        entries.append(entry(names[i], 2, no_stream, i + 2 if i + 1 < len(names) else no_stream,
                             first, size))
    directory = b"".join(entries).ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, end, 0,
                            end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(sector, b"\xff")
    return header + fat_bytes + directory + data


def test_an_old_xls_file_says_to_save_it_as_xlsx(store, audit, jtai, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old = tmp_path / "return.xls"
    old.write_bytes(_compound_file({"Workbook": b"\x09\x08" + b"\0" * 5000}))
    with pytest.raises(ExcelImportError, match=r"this is an old Excel 97-2003 file \(\.xls\); open it "
                                               r"in Excel, save it as an Excel Workbook \(\.xlsx\)"):
        import_return(store, audit, jtai, old)
    word = tmp_path / "letter.doc"
    word.write_bytes(_compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 5000}))
    with pytest.raises(ExcelImportError, match="not an Excel workbook"):
        import_return(store, audit, jtai, word)
