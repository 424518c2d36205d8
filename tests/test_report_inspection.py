"""The progress report on an inspection's action plan: the same report model and writers as the
round's committee report (real headings in order, tables with header rows, the same layout in
HTML, DOCX and PDF), every figure as disclosure control shows it, the limits of the evidence said
in words, nothing private in any format, and a one-line refusal (and no file) for every mistake.

The review here is written by hand with the contract's columns (issue 11), so each figure is
known: area A1's actions improved its criteria, A2's action names no audit criterion, A3's started
after the last round (not enough evidence yet), and A4's shows no clear change."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from caseaudit.action_plan import ActionPlan, write_plan
from caseaudit.cli import main
from caseaudit.inspection import Inspection
from caseaudit.report import INSPECTION_NOTEBOOK, writers
from caseaudit.report.html_writer import render_html
from caseaudit.report.inspection import BoardForms, build_inspection_report
from caseaudit.report.model import Report, Table
from caseaudit.store import Store
from tests.test_report import _docx_text, _parse

PARTNERSHIP = "Northshire Safeguarding Children Partnership"
TODAY = date(2026, 11, 2)
INSPECTION_ID = "2026-02-jtai"

INSPECTION: dict[str, Any] = {
    "id": INSPECTION_ID, "type": "JTAI", "theme": "Child sexual abuse in the family environment",
    "inspectorates": ["Ofsted", "CQC", "HMICFRS", "HMI Probation"],
    "visit": {"start": "2026-02-09", "end": "2026-02-13"}, "letter_date": "2026-05-14",
    "framework": "jtai-csa-family",
    "lines_of_enquiry": [
        {"id": "identification", "title": "Identification", "criteria": ["1.1", "1.3"]},
        {"id": "protection", "title": "Protection, support and care",
         "criteria": ["4.1", "4.2", "6.3"]}],
    "areas_for_improvement": [
        {"id": "A1", "title": "Safety planning", "text": "The quality of safety planning."},
        {"id": "A2", "title": "Data", "text": "Analysis of performance information."},
        {"id": "A3", "title": "Probation", "text": "Probation at a strategic level."},
        {"id": "A4", "title": "Curiosity", "text": "Professional curiosity without disclosure."}],
    "strengths": [
        {"id": "S1", "title": "Timely strategy meetings", "text": "Strategy meetings are prompt."},
        {"id": "S2", "title": "Specialist support", "text": "Children get specialist help."}],
}


def _action(id_: str, agency: str, start: str, due: str, criteria: list[str]) -> dict[str, Any]:
    return {"id": id_, "description": f"Action {id_} of the plan", "lead_agency": agency,
            "lead_role": "Head of Service", "start": start, "due": due,
            "success_measure": "Audits show it", "criteria": criteria}


PLAN: dict[str, Any] = {"inspection": INSPECTION_ID, "areas": [
    {"area": "A1", "outcome": "Children have a plan that keeps them safe.",
     "governance_owner": "CSA subgroup",
     "actions": [_action("A1.1", "CSC", "2026-06-01", "2026-08-31", ["4.1", "4.2"])]},
    {"area": "A2", "outcome": "The partnership knows its children.",
     "governance_owner": "Partnership board",
     "actions": [_action("A2.1", "Partnership", "2026-06-15", "2026-11-20", [])]},
    {"area": "A3", "outcome": "Probation is part of the partnership.",
     "governance_owner": "Partnership board",
     "actions": [_action("A3.1", "Prob", "2026-10-01", "2027-03-31", ["4.1"])]},
    {"area": "A4", "outcome": "Risk is seen without a disclosure.",
     "governance_owner": "CSA subgroup",
     "actions": [_action("A4.1", "Pol", "2026-06-01", "2026-10-15", ["1.3", "6.3"])]},
]}

#: What is kept in the review but must never reach a report: an impact reason's raw small count,
#: and the cases a suggestion still needs (a shortfall from the minimum gives the count back).
SECRET_REASON = "only 3 cases (7 judgements) audited on these criteria since the action started"


@dataclass(frozen=True)
class HandReview:
    """An InspectionReview's shape (the contract's fields), written by hand."""

    inspection: Inspection
    plan: ActionPlan
    progress: pd.DataFrame
    by_area: pd.DataFrame
    impact: pd.DataFrame
    readiness: pd.DataFrame
    suggestions: pd.DataFrame
    today: date
    as_of: datetime | None
    rounds: list[str]
    provenance: dict[str, Any] = field(default_factory=dict)


STATUS = {"A1.1": "complete", "A2.1": "on track", "A3.1": "not started", "A4.1": "at risk"}


def _review(as_of: datetime | None = None) -> HandReview:
    inspection = Inspection.model_validate(INSPECTION)
    plan = ActionPlan.model_validate(PLAN)
    progress = pd.DataFrame([{
        "area_id": area.area, "area_title": inspection.areas_by_id[area.area].title,
        "action_id": a.id, "description": a.description, "lead_agency": a.lead_agency,
        "lead_role": a.lead_role, "start": a.start, "due": a.due, "status": STATUS[a.id],
        "recorded_on": pd.NaT, "overdue": a.due < TODAY and STATUS[a.id] != "complete",
        "due_soon": TODAY <= a.due <= date(2026, 11, 30), "days_overdue": 0}
        for area, a in plan.all_actions()])
    impact = pd.DataFrame([
        ("area", "A1", "", "A1 Safety planning", "4.1, 4.2", "improved", "moderated"),
        ("action", "A1", "A1.1", "A1.1 Action A1.1 of the plan", "4.1, 4.2", "improved", "moderated"),
        ("area", "A2", "", "A2 Data", "", "no audit criterion", ""),
        ("action", "A2", "A2.1", "A2.1 Action A2.1 of the plan", "", "no audit criterion", ""),
        ("area", "A3", "", "A3 Probation", "4.1", "not enough evidence yet", "mixed"),
        ("action", "A3", "A3.1", "A3.1 Action A3.1 of the plan", "4.1", "not enough evidence yet",
         "mixed"),
        ("area", "A4", "", "A4 Curiosity", "1.3, 6.3", "no clear change", "mixed"),
        ("action", "A4", "A4.1", "A4.1 Action A4.1 of the plan", "1.3, 6.3", "no clear change",
         "mixed"),
    ], columns=["level", "area_id", "action_id", "label", "criteria", "verdict", "basis"])
    impact["reason"] = SECRET_REASON
    readiness = pd.DataFrame([
        ("line", "protection", "Protection, support and care", "", "Protection, support and care"),
        ("criterion", "protection", "Protection, support and care", "6.3", "6.3 Harmful sexual behaviour"),
        ("criterion", "protection", "Protection, support and care", "4.1", "4.1 Specific plan"),
        ("criterion", "protection", "Protection, support and care", "4.2", "4.2 Plan shared"),
        ("line", "identification", "Identification", "", "Identification"),
        ("criterion", "identification", "Identification", "1.3", "1.3 Professional curiosity"),
        ("criterion", "identification", "Identification", "1.1", "1.1 Indicators without disclosure"),
    ], columns=["level", "line_id", "line_title", "criterion_id", "label"])
    suggestions = pd.DataFrame([("4.1", "4.1 Specific plan", "A3.1", 4)],
                               columns=["criterion_id", "label", "actions", "cases_needed"])
    return HandReview(inspection, plan, progress, pd.DataFrame(), impact, readiness, suggestions,
                      TODAY, as_of, ["2026-03-maca", "2026-06-maca", "2026-09-maca"],
                      {"as_of": as_of.isoformat() if as_of else None, "computed_with": "0.test"})


def _forms(review: HandReview) -> BoardForms:
    """Board forms as disclosure control writes them: text figures, ``c`` where hidden."""
    by_area = review.progress.groupby("area_id", sort=False)
    progress = pd.DataFrame([{"area_id": area, "area_title": rows["area_title"].iloc[0],
                              "actions": len(rows),
                              **{s: int((rows["status"] == s).sum()) for s in
                                 ("not started", "on track", "at risk", "off track", "complete")},
                              "overdue": int(rows["overdue"].sum())} for area, rows in by_area])
    due = review.progress[review.progress["overdue"] | review.progress["due_soon"]]
    due = due[["area_id", "action_id", "description", "lead_agency", "lead_role", "due", "status",
               "overdue"]]
    figures = {"A1": ("41%", "68%", "+27", "improved"), "A2": (":", ":", "z", "no audit criterion"),
               "A3": ("55%", "c", "c", "not enough evidence yet"),
               "A4": ("50%", "56%", "+6", "no clear change")}
    impact = review.impact.drop(columns=["reason"]).copy()
    for column, i in (("before", 0), ("after", 1), ("change", 2)):
        impact[column] = [figures[a][i] for a in impact["area_id"]]
    readiness = review.readiness.assign(
        round_id="2026-09-maca", n=["40", "c", "14", "21", "30", "12", "18"],
        cases=["12", "c", "8", "9", "11", "7", "9"], share=["45%", "c", "43%", "52%", "60%", "58%", "61%"],
        interval=["31% to 60%", "c", "21% to 67%", "32% to 72%", "42% to 75%", "32% to 81%", "39% to 80%"],
        trend=["no clear change", "c", "improved", "no clear change", "", "", ""])
    return BoardForms(progress=progress, due=due, impact=impact, readiness=readiness)


@pytest.fixture
def review() -> HandReview:
    return _review()


@pytest.fixture
def report(review: HandReview) -> Report:
    return build_inspection_report(review, partnership=PARTNERSHIP, forms=_forms(review))  # type: ignore[arg-type]


PARTS = ["Summary", "The inspection and the plan", "Implementation progress by area",
         "Impact for children: what the audits show", "Strengths sustained",
         "Readiness by line of enquiry", "What comes next", "What the figures can and cannot say",
         "Methods"]


def _tables(report: Report) -> list[Table]:
    return [b for s in report.sections for b in s.blocks if isinstance(b, Table)]


# -- HTML -----------------------------------------------------------------------------------------
def test_html_has_its_parts_in_order_and_tables_with_header_rows(report: Report) -> None:
    page = render_html(report)
    parsed = _parse(page)
    tags = [t for t, _ in parsed.tags]
    assert [h for h in parsed.headings if h[0] == "h1"] == [("h1", report.title)]
    assert [text for tag, text in parsed.headings if tag == "h2"] == PARTS
    # each line of enquiry is a part of the readiness view, weakest (as the review orders) first
    assert [text for tag, text in parsed.headings if tag == "h3"] == [
        "Protection, support and care", "Identification"]
    order = [text for tag, text in parsed.headings if tag in ("h2", "h3")]
    assert order.index("Readiness by line of enquiry") < order.index("Identification") < \
        order.index("What comes next")
    assert tags.count("table") == tags.count("caption") == tags.count("thead") == len(_tables(report))
    scopes = [a.get("scope") for t, a in parsed.tags if t == "th"]
    assert set(scopes) == {"col", "row"}
    text = " ".join(parsed.text)
    assert PARTNERSHIP in text and "2 November 2026" in text
    assert "script" not in tags and "img" not in tags  # no chart: nothing without its text


def test_progress_impact_and_readiness_tables_hold_the_board_forms_figures(
        review: HandReview, report: Report) -> None:
    tables = {t.caption: t for t in _tables(report)}
    progress = tables["Actions by status and area, as at 2 November 2026"]
    assert progress.header == ("Area for improvement", "Actions", "Not started", "On track",
                               "At risk", "Off track", "Complete", "Overdue")
    assert progress.rows[0] == ("A1 Safety planning", "1", "0", "0", "0", "0", "1", "0")
    assert progress.rows[3] == ("A4 Curiosity", "1", "0", "0", "1", "0", "0", "1")  # due 15 Oct
    impact = tables["Impact on the linked audit criteria: before and after each action started"]
    assert impact.rows[0] == ("A1 Safety planning (area)", "4.1, 4.2", "41%", "68%", "+27", "improved")
    assert impact.rows[2][1:] == ("none", ":", ":", "z", "no audit criterion")
    assert impact.rows[5][2:] == ("55%", "c", "c", "not enough evidence yet")
    lines = tables["Readiness by line of enquiry, weakest first"]
    assert [r[0] for r in lines.rows] == ["Protection, support and care", "Identification"]
    assert lines.rows[0] == ("Protection, support and care", "2026-09-maca", "40", "12", "45%",
                             "31% to 60%", "no clear change")
    assert "c: " in tables["Protection, support and care: its criteria in the latest round"].note


def test_the_limits_of_the_evidence_are_said_in_words(report: Report) -> None:
    text = report.text()
    summary = next(s for s in report.sections if s.title == "Summary")
    said = " ".join(b.text for b in summary.blocks if hasattr(b, "text"))
    assert "1 action overdue." in text and "1 not started, 1 on track, 1 at risk and 1 complete" in said
    assert ("improved in A1; no audit criterion in A2; not enough evidence yet in A3; no clear "
            "change in A4") in said
    assert "does not prove the actions caused it" in text
    assert "No clear change (A4.1): the interval for the change includes zero" in text
    assert "Not enough evidence yet (A3.1, started 1 October 2026): fewer than 10" in text
    assert "at least 10 judgements from 5 cases" in text
    # the bases the figures rest on: moderated grades, and both where the meeting has not agreed one
    assert "rests on the grade the multi-agency meeting agreed for each case" in text
    assert "on each agency's own grade otherwise" in text
    # what comes next: the overdue action, the one due within six weeks, what to sample
    tables = {t.caption: t for t in _tables(report)}
    assert [r[0] for r in tables["Overdue actions at 2 November 2026"].rows] == ["A4.1"]
    assert tables["Actions due in the next 6 weeks"].rows == ((
        "A2.1", "A2 Data", "Action A2.1 of the plan", "Partnership", "Head of Service",
        "20 November 2026", "on track"),)
    assert tables["Criteria the next audit round should sample"].rows == (("4.1 Specific plan", "A3.1"),)
    # the letter's strengths, listed
    assert "S1 Timely strategy meetings: Strategy meetings are prompt." in text


def test_a_report_with_nothing_to_say_says_so(review: HandReview) -> None:
    from dataclasses import replace

    forms = _forms(review)
    quiet = replace(forms, due=forms.due.iloc[0:0])
    report = build_inspection_report(replace(review, suggestions=review.suggestions.iloc[0:0]),  # type: ignore[arg-type]
                                     partnership=PARTNERSHIP, forms=quiet)
    text = report.text()
    assert "No action is overdue." in text and "No action falls due in the next 6 weeks." in text
    assert "the next round can sample as usual" in text


# -- DOCX and PDF ---------------------------------------------------------------------------------
def test_docx_has_heading_styles_and_tables_with_repeating_header_rows(report: Report) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(writers.render(report, "docx")))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [("Title", report.title),
                        *((f"Heading {s.level}", s.title) for s in report.sections)]
    tables = _tables(report)
    assert len(document.tables) == len(tables)
    for table, expected in zip(document.tables, tables, strict=True):
        marked = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert marked is not None and marked.get(qn("w:val")) == "true"
        assert tuple(c.text for c in table.rows[0].cells) == expected.header
        assert [tuple(c.text for c in row.cells) for row in table.rows[1:]] == list(expected.rows)


def test_pdf_holds_the_reports_parts_and_figures(report: Report) -> None:
    from pypdf import PdfReader

    data = writers.render(report, "pdf")
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for words in (PARTNERSHIP, "2 November 2026", *PARTS, "not enough evidence yet",
                  "A1 Safety planning (area)"):
        assert words in text, words


# -- nothing private ------------------------------------------------------------------------------
def test_no_reason_count_or_shortfall_reaches_any_format(review: HandReview, report: Report) -> None:
    """The review keeps each verdict's reason with its raw counts, and the cases a suggestion
    still needs; a report shows neither (either gives back a count disclosure control hides)."""
    page = " ".join(_parse(render_html(report)).text)
    word = _docx_text(writers.render(report, "docx"))
    for text in (page, word, report.text()):
        assert SECRET_REASON not in text and "only 3 cases" not in text
        assert not re.search(r"\b4 (more )?cases\b", text)


# -- the command line -----------------------------------------------------------------------------
def _write_inspection(folder: Path, plan: bool = True) -> Path:
    place = folder / INSPECTION_ID
    place.mkdir(parents=True)
    (place / "inspection.yaml").write_text(yaml.safe_dump(INSPECTION, sort_keys=False))
    if plan:
        write_plan(ActionPlan.model_validate(PLAN), place / "action_plan.yaml")
    return folder


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("change", "says"), [
    ({"--inspection": "1999-01-none"}, "There is no inspection '1999-01-none'"),
    ({"--inspections": "bare"}, "has no action plan yet"),
    ({"--round": "2026-03-maca"}, "one of them, not both"),
    ({"--inspection": None}, "Say which report to write: --round ID"),
    ({"--compare": "2025-12-maca"}, "leave it out with --inspection"),
    ({"--as-of": "last Tuesday"}, "is not a date or time"),
    ({"--format": "rtf"}, "Unknown report format 'rtf'"),
    ({"-o": "missing/report.html"}, "does not exist"),
    ({"-o": ".", "--format": "html"}, "is a folder"),
])
def test_a_mistake_is_one_line_and_leaves_no_file(filled: tuple[Store, Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  change: dict[str, str | None], says: str) -> None:
    store, audits = filled
    inspections = _write_inspection(tmp_path / "inspections")
    _write_inspection(tmp_path / "bare", plan=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    options: dict[str, str | None] = {
        "--inspection": INSPECTION_ID, "-o": "report.html",
        "--db": store.url.render_as_string(hide_password=False), "--audits": str(audits),
        "--inspections": str(inspections), **change}
    if options["--inspections"] == "bare":
        options["--inspections"] = str(tmp_path / "bare")
    result = _run("report", *[p for k, v in options.items() if v is not None for p in (k, v)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0], result.output
    assert "Traceback" not in result.output
    assert list(work.iterdir()) == []


def test_the_inspections_folder_is_found_beside_the_rounds(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from caseaudit.report.build import inspections_folder, load_report_inspection

    monkeypatch.delenv("CASEAUDIT_INSPECTIONS", raising=False)
    _write_inspection(tmp_path / "inspections")
    assert inspections_folder(None, tmp_path / "audits") == tmp_path / "inspections"
    inspection, plan = load_report_inspection(None, audits=tmp_path / "audits")
    assert inspection.id == INSPECTION_ID and [a.area for a in plan.areas] == ["A1", "A2", "A3", "A4"]
    monkeypatch.setenv("CASEAUDIT_INSPECTIONS", str(tmp_path / "elsewhere"))
    assert inspections_folder(None, tmp_path / "audits") == tmp_path / "elsewhere"


def test_the_progress_report_notebook_is_thin_and_uses_only_the_public_face() -> None:
    import json

    from tests import test_notebooks

    test_notebooks.test_notebooks_use_only_the_public_face(INSPECTION_NOTEBOOK)
    cells = [c for c in json.loads(INSPECTION_NOTEBOOK.read_text())["cells"]
             if c["cell_type"] == "code"]
    assert "parameters" in cells[0]["metadata"]["tags"]
    assert all(not c["outputs"] for c in cells)
    assert sum(len("".join(c["source"]).splitlines()) for c in cells[1:]) <= 8
