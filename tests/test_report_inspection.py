"""The progress report on an inspection's action plan: the same report model and writers as the
round's committee report (real headings in order, tables with header rows, the same layout in
HTML, DOCX and PDF), every figure as the dashboard's disclosure forms show it, the limits of the
evidence said in words, nothing private in any format, and a one-line refusal (and no file) for
every mistake.

The review is the hand-made one the disclosure tests use (tests/review_frames.py), with impact
figures chosen here so that each verdict appears: A1.1 improved, A2.1 no clear change, A2.2 not
enough evidence yet (4 judgements since it started, a count disclosure hides), A3.1 no audit
criterion; area A2 pools A2.2's hidden figures, so its own are hidden too."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from caseaudit.action_plan import write_plan
from caseaudit.cli import main
from caseaudit.report import INSPECTION_NOTEBOOK, writers
from caseaudit.report.html_writer import render_html
from caseaudit.report.inspection import board_forms, build_inspection_report
from caseaudit.report.model import Bullets, Chart, Report, Table
from caseaudit.store import Store
from tests import review_frames as hand
from tests.test_report import _docx_text, _parse

PARTNERSHIP = "Northshire Safeguarding Children Partnership"
INSPECTION_ID = "2026-02-jtai"
#: The review's own reason for A2.2, with its exact small count: never in a report.
RAW_REASON = "only 3 cases audited since the action started"


def _impact() -> pd.DataFrame:
    return pd.DataFrame([
        hand.impact_row("area", "A1", "", "1.1", (60, 24, 15), (64, 50, 16)),
        hand.impact_row("action", "A1", "A1.1", "1.1", (60, 24, 15), (64, 50, 16)),
        hand.impact_row("area", "A2", "", "2.1, 2.3", (70, 35, 22), (46, 25, 15)),
        hand.impact_row("action", "A2", "A2.1", "2.1", (40, 20, 12), (42, 22, 12)),
        hand.impact_row("action", "A2", "A2.2", "2.3", (30, 15, 10), (4, 3, 3),
                        "not enough evidence yet"),
        hand.impact_row("area", "A3", "", "", (0, 0, 0), (0, 0, 0), "no audit criterion"),
        hand.impact_row("action", "A3", "A3.1", "", (0, 0, 0), (0, 0, 0), "no audit criterion"),
    ]).assign(basis=["moderated", "moderated", "mixed", "mixed", "mixed", "", ""])


@pytest.fixture
def review() -> hand.HandReview:
    return hand.hand_review(impact=_impact(), provenance={"computed_with": "0.test"})


@pytest.fixture
def report(review: hand.HandReview) -> Report:
    return build_inspection_report(review, partnership=PARTNERSHIP)  # type: ignore[arg-type]


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
    # each line of enquiry is a part of the readiness view, weakest shown first, a hidden one after
    order = [text for tag, text in parsed.headings if tag in ("h2", "h3")]
    lines = order[order.index("Readiness by line of enquiry") + 1:order.index("What comes next")]
    assert lines == ["Identification title", "Assessment title"]
    assert [text for tag, text in parsed.headings if tag == "h3"] == lines
    assert tags.count("table") == tags.count("caption") == tags.count("thead") == len(_tables(report))
    assert len(_tables(report)) >= 7
    scopes = [a.get("scope") for t, a in parsed.tags if t == "th"]
    assert scopes.count("col") == sum(len(t.header) for t in _tables(report))
    assert scopes.count("row") == sum(len(t.rows) for t in _tables(report))
    text = " ".join(parsed.text)
    assert PARTNERSHIP in text and "15 October 2026" in text
    # the dashboard's three charts, inline, each with the text alternative that states its figures
    assert "script" not in tags and "link" not in tags
    images = [a for t, a in parsed.tags if t == "img"]
    charts = [b for s in report.sections for b in s.blocks if isinstance(b, Chart)]
    assert len(charts) == 3 and [a["alt"] for a in images] == [c.alt for c in charts]
    assert all(a["src"].startswith("data:image/png;base64,") for a in images)
    assert "78%" in charts[1].alt and "not enough evidence yet" in charts[1].alt


def test_every_figure_is_the_dashboards_disclosure_form(review: hand.HandReview,
                                                        report: Report) -> None:
    forms = board_forms(review)  # type: ignore[arg-type]
    tables = {t.caption: t for t in _tables(report)}
    progress = tables["Actions by status and area, as at 15 October 2026"]
    assert progress.header == ("Area for improvement", "Actions", "Not started", "On track",
                               "At risk", "Off track", "Complete", "Overdue")
    assert progress.rows[-1] == ("All areas", "4", "1", "1", "1", "0", "1", "1")
    assert [r[0] for r in progress.rows[:-1]] == ["A1 Area 1 title", "A2 Area 2 title",
                                                  "A3 Area 3 title"]
    impact = tables["Impact on the linked audit criteria: before and after each action started"]
    board = forms.impact
    assert [r[2:] for r in impact.rows] == list(zip(
        board["before"], board["after"], board["change"], board["change_interval"],
        board["verdict"], strict=True))
    assert impact.rows[1][2:5] == ("40% (n=60)", "78% (n=64)", "+38 points")
    # A2.2's four judgements since it started are hidden, and so is area A2, which pools them
    assert impact.rows[4][3:] == ("c", "c", "c", "not enough evidence yet")
    assert impact.rows[2][3:] == ("c", "c", "c", "c")
    assert impact.rows[5][1:] == ("none", ":", ":", ":", ":", "no audit criterion")
    lines = tables["Readiness by line of enquiry, weakest first"]
    readiness = forms.readiness[forms.readiness["level"] == "line"]
    assert lines.rows == tuple(zip(readiness["line_title"], readiness["round_id"], readiness["n"],
                                   readiness["cases"], readiness["share"], readiness["interval"],
                                   readiness["trend"], strict=True))
    assert lines.rows[1][2:] == ("c",) * 5  # 2.3 rests on 3 judgements: its line is hidden too
    assert "c: confidential" in lines.note


def test_the_limits_of_the_evidence_are_said_in_words(report: Report) -> None:
    text = report.text()
    summary = next(s for s in report.sections if s.title == "Summary")
    said = " ".join(b.text for b in summary.blocks if hasattr(b, "text"))
    assert said.startswith("4 actions in 3 areas for improvement: 1 not started, 1 on track, "
                           "1 at risk and 1 complete.")
    assert "1 action overdue." in text
    assert ("improved in A1; no audit criterion in A3; not shown for A2 (the figures rest on, or "
            "would reveal, a count too small to publish).") in said
    assert "does not prove the actions caused it" in text
    why = next(b for s in report.sections for b in s.blocks if isinstance(b, Bullets)
               and b.items[0].startswith("A1.1"))
    assert why.items == (
        "A1.1 (improved): the 95% interval for the change lies wholly above zero.",
        "A2.1 (no clear change): the 95% interval for the change includes zero, so it may be chance.",
        "A2.2 (not enough evidence yet): fewer than 6 cases audited since the action started on "
        "1 June 2026; a verdict needs at least 10 judgements from 5 cases.",
        "A3.1 (no audit criterion): measured by data, not audits: no audit criterion is linked to it.")
    assert "not the same as no effect" in text and "consistent with the action working, not proof" in text
    assert "Some impact figures rest on the grade the multi-agency meeting agreed for each case" in text
    assert "Some impact figures rest on the grade the multi-agency meeting agreed where" in text
    # what comes next: the overdue action, the one due within six weeks, what to sample
    tables = {t.caption: t for t in _tables(report)}
    assert tables["Overdue actions at 15 October 2026"].rows == ((
        "A1.1", "A1", "Action A1.1 description", "CSC", "Head of Service", "30 September 2026",
        "overdue by 15 days", "on track"),)
    assert [r[0] for r in tables["Actions due in the next 6 weeks"].rows] == ["A2.1"]
    assert tables["Criteria the next audit round should sample"].rows == (("2.3 A criterion", "A2.2"),)
    assert "at least 10 judgements from 5 cases audited since it started" in text
    assert "S1 A strength: Strength text." in text  # the letter's strengths, listed


def test_a_plan_with_nothing_due_and_nothing_to_sample_says_so(review: hand.HandReview) -> None:
    from dataclasses import replace

    quiet = replace(review, progress=review.progress.assign(overdue=False, due_soon=False,
                                                            status="complete"),
                    suggestions=review.suggestions.iloc[0:0])
    text = build_inspection_report(quiet, partnership=PARTNERSHIP).text()  # type: ignore[arg-type]
    assert "No action is overdue." in text and "No action falls due in the next 6 weeks." in text
    assert "the next round can sample as usual" in text


def test_the_report_says_when_its_figures_were_read(review: hand.HandReview) -> None:
    from dataclasses import replace
    from datetime import datetime

    report = build_inspection_report(replace(review, as_of=datetime(2026, 10, 1, 9, 30)),  # type: ignore[arg-type]
                                     partnership=PARTNERSHIP)
    assert "as they stood at 09:30 UTC on 1 October 2026" in report.subtitle
    assert report.provenance["inspection"] == INSPECTION_ID
    assert report.provenance["rounds"] == ", ".join(hand.ROUNDS)


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
    charts = [b for s in report.sections for b in s.blocks if isinstance(b, Chart)]
    assert [p._inline.docPr.get("descr") for p in document.inline_shapes] == [c.alt for c in charts]


def test_pdf_holds_the_reports_parts_and_figures(report: Report) -> None:
    from pypdf import PdfReader

    data = writers.render(report, "pdf")
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for words in (PARTNERSHIP, "15 October 2026", *PARTS, "not enough evidence yet",
                  "A1 label (area)", "78% (n=64)"):
        assert words in text, words
    assert sum(len(page.images) for page in reader.pages) == 3


# -- nothing private ------------------------------------------------------------------------------
def test_nothing_private_reaches_any_format(review: hand.HandReview, report: Report) -> None:
    """The review's progress frame holds an update's narrative, evidence and who saved it, and its
    impact frame each verdict's reason with exact small counts; none is in the report, in any
    format. Nor is the cases a suggestion still needs: 3, the minimum less the cases audited."""
    assert set(hand.PRIVATE[:3]) <= set(review.progress.to_numpy().ravel().tolist())
    assert review.impact["reason"].str.contains(RAW_REASON).all()
    page = " ".join(_parse(render_html(report)).text) + " ".join(
        a.get("alt", "") + a.get("content", "") for _, a in _parse(render_html(report)).tags)
    word = _docx_text(writers.render(report, "docx"))
    for text in (page, word, report.text()):
        for private in (*hand.PRIVATE, RAW_REASON, "Needed", "3 cases", "3 more"):
            assert private not in text, private


# -- the command line -----------------------------------------------------------------------------
def _write_inspection(folder: Path, plan: bool = True) -> Path:
    """The hand-made review's inspection and plan as files, in ``folder``/2026-02-jtai/."""
    place = folder / INSPECTION_ID
    place.mkdir(parents=True)
    data = hand.inspection().model_dump(mode="json", exclude_defaults=True)
    (place / "inspection.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    if plan:
        write_plan(hand.plan(), place / "action_plan.yaml")
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
    assert inspection.id == INSPECTION_ID and [a.area for a in plan.areas] == ["A1", "A2", "A3"]
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


# -- the whole command, on a store ----------------------------------------------------------------
def _measured_inspection(folder: Path) -> Path:
    """The hand-made inspection, its letter and actions moved so the small partnership's two rounds
    (December 2025, March 2026) fall before and after A1.1 and A2.1; A2.2 starts after both."""
    data = hand.inspection().model_dump(mode="json", exclude_defaults=True)
    data |= {"visit": {"start": "2025-10-06", "end": "2025-10-10"}, "letter_date": "2025-11-20"}
    plan = hand.plan().model_dump(mode="json")
    for area in plan["areas"]:
        for action in area["actions"]:
            action["start"] = "2026-04-01" if action["id"] == "A2.2" else "2026-01-05"
    place = folder / INSPECTION_ID
    place.mkdir(parents=True)
    (place / "inspection.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    (place / "action_plan.yaml").write_text(yaml.safe_dump(plan, sort_keys=False))
    return folder


def _words(path: Path) -> str:
    """What an HTML report says: its text and every attribute (alt texts, metadata)."""
    parsed = _parse(path.read_text(encoding="utf-8"))
    return " ".join(parsed.text) + " " + " ".join(v for _, a in parsed.tags for v in a.values())


def test_the_command_writes_each_format_with_nothing_private_and_reruns_as_of_alike(
        filled: tuple[Store, Path], tmp_path: Path) -> None:
    from datetime import UTC, date, datetime, timedelta

    from caseaudit.action_plan import load_plan
    from caseaudit.inspection import load_inspection
    from caseaudit.rounds import load_round
    from caseaudit.store.records import ActionUpdateSave

    store, audits = filled
    inspections = _measured_inspection(tmp_path / "inspections")
    plan = load_plan(load_inspection(INSPECTION_ID, inspections), inspections=inspections)
    narrative, evidence, who = "Synthetic narrative: the lead met the family", "EVIDENCE-REF-77", "BM-77"
    for action, status in (("A1.1", "on track"), ("A2.1", "complete")):
        store.save_action_update(plan, ActionUpdateSave(INSPECTION_ID, action, status,
                                                        date(2026, 4, 20), narrative, evidence, who,
                                                        None))
    # a second after the updates (the papermill runs below take longer than that)
    as_of = (datetime.now(UTC) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
    out = tmp_path / "out"
    out.mkdir()
    places = ["--db", store.url.render_as_string(hide_password=False), "--audits", str(audits),
              "--inspections", str(inspections), "--as-of", as_of]
    for fmt in ("html", "docx", "pdf"):
        made = _run("report", "--inspection", INSPECTION_ID, "-o", str(out / f"progress.{fmt}"),
                    "--partnership", "Northshire SCP", *places)
        assert made.exit_code == 0, made.output
        assert made.output.strip() == (f"Wrote the {fmt.upper()} progress report for inspection "
                                       f"{INSPECTION_ID} to {out / f'progress.{fmt}'}.")
    page = _words(out / "progress.html")
    assert "Northshire SCP" in page and "import caseaudit" not in page
    assert all(part in page for part in PARTS)
    assert "4 actions in 3 areas for improvement: 2 not started, 1 on track and 1 complete." in page
    word = _docx_text((out / "progress.docx").read_bytes())
    assert (out / "progress.pdf").read_bytes().startswith(b"%PDF")
    rounds = [load_round(r, audits) for r in ("2025-12-maca", "2026-03-maca")]
    forbidden = {narrative, evidence, who} | {c.id for r in rounds for c in r.cases}
    forbidden |= {a.id for r in rounds for a in r.auditors} | {m for r in rounds for m in r.moderators}
    for r in rounds:
        forbidden |= {n for n in store.current_responses(r.id)["note"] if n}
        forbidden |= {n for n in store.current_moderations(r.id)["rationale"] if n}
    assert len(forbidden) > 20
    for text, what in ((page, "HTML"), (word, "DOCX")):
        leaked = sorted(f for f in forbidden if re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text))
        assert not leaked, f"{what} holds {leaked[:5]}"

    # a later update does not change a report as of the earlier time; it changes today's
    head = store.action_history(INSPECTION_ID, "A1.1")[-1]
    store.save_action_update(plan, ActionUpdateSave(INSPECTION_ID, "A1.1", "off track",
                                                    date(2026, 4, 21), "", "", who, head.revision_no))
    again = _run("report", "--inspection", INSPECTION_ID, "-o", str(out / "again.html"),
                 "--partnership", "Northshire SCP", *places)
    assert again.exit_code == 0, again.output
    assert _words(out / "again.html") == page
    now = _run("report", "--inspection", INSPECTION_ID, "-o", str(out / "now.html"),
               *places[:-2])
    assert now.exit_code == 0, now.output
    assert "1 off track" in _words(out / "now.html") and "1 off track" not in page
