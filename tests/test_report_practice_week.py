"""A practice week's report: laid out by stream in HTML, DOCX and PDF, with the week's figures
through disclosure control, the actions on an inspection's plan that answer its areas for
development, and nothing anyone wrote, nor any record, auditor or participant id; and
`caseaudit report --round` on a week, with each mistake refused in a line, writing nothing."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseaudit.cli import main
from caseaudit.errors import WorkbookError
from caseaudit.report import writers
from caseaudit.report.build import practice_week_report
from caseaudit.report.model import Report
from caseaudit.rounds import load_round
from caseaudit.store import open_store
from tests.inspections import INSPECTION_ID, write_inspection
from tests.practice_week_report_data import EARLIER, MARKER, SAVED, WEEK, filled_weeks

PARTNERSHIP = "Northshire Safeguarding Children Partnership"
TODAY = date(2026, 6, 26)
STREAMS = ("Collaborative case audit", "Observation of practice",
           "Feedback from children and families", "Feedback from practitioners")
LINK = """        from_practice_weeks:
          - {round: 2026-05-practice-week, criterion: OB2}
          - {round: 2026-05-practice-week, criterion: CR1}
"""


@pytest.fixture
def places(tmp_path: Path) -> tuple[str, Path, Path]:
    """A store holding both weeks, its audits folder, and an inspections folder beside it whose
    plan links action A1.2 to two criteria of the May 2026 week."""
    store = open_store(tmp_path / "workbook.db", create=True)
    filled_weeks(store, tmp_path / "audits")
    url = store.url.render_as_string(hide_password=False)
    store.dispose()
    inspections = write_inspection(tmp_path / "inspections")
    plan = inspections / INSPECTION_ID / "action_plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("        criteria: [\"1.2\"]\n",
                                 "        criteria: [\"1.2\"]\n" + LINK, 1), encoding="utf-8")
    return url, tmp_path / "audits", inspections


def _report(places: tuple[str, Path, Path], round_id: str = WEEK, **kwargs: object) -> Report:
    url, audits, _ = places
    return practice_week_report(round_id, database=url, audits=audits, partnership=PARTNERSHIP,
                                today=TODAY, **kwargs)


@pytest.fixture
def report(places: tuple[str, Path, Path]) -> Report:
    return _report(places)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.headings: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag
        self.parts += [v or "" for _, v in attrs]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self._tag in ("h1", "h2", "h3"):
            self.headings.append(data)


def _html(report: Report) -> _Text:
    page = _Text()
    page.feed(writers.render(report, "html").decode("utf-8"))
    return page


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    properties = document.core_properties
    parts += [properties.title, properties.subject, properties.comments]
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


# -- laid out by stream ---------------------------------------------------------------------------

def test_the_report_is_laid_out_by_stream(report: Report) -> None:
    titles = [s.title for s in report.sections if s.level == 1]
    assert titles == ["Summary of the week", *STREAMS, "Strengths and areas for development",
                      "Learning themes", "Compared with the last practice week of the same theme",
                      "What comes next", "What the figures can and cannot say", "Methods"]
    text = report.text()
    assert "ran from 11 May 2026 to 15 May 2026" in text
    # what was done per stream: the submitted records, the draft left out; good or better on
    # OB1-OB4 in round(25 x .65) + round(25 x .35) + round(25 x .5) + round(25 x .65)
    # = 16 + 9 + 12 + 16 = 53 of 100 answers, 53%, Wilson 95% interval 43% – 62%
    assert "Observation of practice | 25 | 25 | 53% | 43% – 62%" in text
    # two returns declined consent: hidden, and so the returns in all, which would give it back
    assert "Feedback from children and families | c | 20 |" in text
    assert "Consent | Returns\nGiven | 20\nDeclined | c" in text
    assert "Kind of event | Observations\nHome visit | 13\nStrategy discussion | 6" in text
    assert "Feedback conversation with the practitioner afterwards | Observations\nYes | 18" in text
    assert "CR2 Risk understood | 0 | 7 | 13 | 0" in text  # the answers by level
    assert "answers by level (Five-point agreement scale)" in text
    assert "95% Wilson score intervals" in text  # the committee report's methods words
    assert report.provenance["compared with"] == EARLIER


def test_every_figure_is_the_weeks_board_form(report: Report, places: tuple[str, Path, Path]
                                              ) -> None:
    from caseaudit.disclosure import practice_week as board
    from caseaudit.practice_week_summary import practice_week_summary
    from caseaudit.rounds import scan_rounds

    url, audits, _ = places
    store = open_store(url, create=False)
    try:
        summary = practice_week_summary(store, load_round(WEEK, audits), None,
                                        scan_rounds(audits).rounds)
    finally:
        store.dispose()
    figures = board.week_for_board(summary).stream("observation").good_or_better
    text = report.text()
    for _, row in figures[figures["level"] == "criterion"].iterrows():
        assert (f"{row['label']} | {row['n']} | {row['good']} | {row['share']} | "
                f"{row['interval']}") in text


def test_each_format_holds_the_report(report: Report, tmp_path: Path) -> None:
    html = _html(report)
    assert [h for h in html.headings if h in STREAMS] == list(STREAMS)
    word = _docx_text(writers.render(report, "docx"))
    pdf = writers.render(report, "pdf")
    assert pdf.startswith(b"%PDF")
    said = _pdf_text(pdf)
    for text in (" ".join(html.parts), word, said):
        for words in (PARTNERSHIP, "26 June 2026", *STREAMS, "What comes next", "Methods"):
            assert words in text
    for fmt in ("html", "docx", "pdf"):
        written = writers.write_report(report, fmt, tmp_path / f"week.{fmt}")
        assert written.read_bytes() == writers.render(report, fmt) or fmt != "html"


def test_no_free_text_nor_any_id_reaches_any_format(report: Report,
                                                    places: tuple[str, Path, Path]) -> None:
    _, audits, _ = places
    week = load_round(WEEK, audits)
    outputs = [report.text(), " ".join(_html(report).parts),
               _docx_text(writers.render(report, "docx")), _pdf_text(writers.render(report, "pdf"))]
    ids = re.compile(r"\b(?:OBS|FF|PF|CA)-\d{3}\b|PW2[56]05-\d{3}|PW-LEAD|\bP-\d\d\b")
    for text in outputs:
        assert MARKER not in text
        assert not ids.search(text), ids.search(text)
        for person in week.participants:
            assert person.id not in text


def test_the_areas_for_development_name_the_actions_answering_them(report: Report) -> None:
    text = report.text()
    assert "Area for development: OB2 Purposeful" in text
    assert f"answered by action A1.2 of inspection {INSPECTION_ID} (not started)" in text
    assert (f"| {INSPECTION_ID} | OB2 Purposeful | yes | Detective inspector, public protection, "
            "Pol | 30 September 2026 | not started") in text
    assert f"| {INSPECTION_ID} | CR1 The child's story | no |" in text  # linked, not an area
    assert "Areas for development no action answers yet" in text
    assert "OB3 Child-focused (Observation of practice)" in text


def test_an_actions_status_is_read_as_of_the_reports_time(places: tuple[str, Path, Path]) -> None:
    from caseaudit.action_plan import load_plan
    from caseaudit.inspection import load_inspection
    from caseaudit.store import ActionUpdateSave

    url, audits, inspections = places
    inspection = load_inspection(INSPECTION_ID, inspections)
    store = open_store(url, create=False)
    try:
        store.save_action_update(load_plan(inspection, inspections=inspections, audits=audits),
                                 ActionUpdateSave(INSPECTION_ID, "A1.2", "on track",
                                                  date(2026, 6, 1), "Synthetic narrative NARR-1",
                                                  "EVIDENCE-1", "BUSINESS-MANAGER", None,
                                                  saved_at=datetime(2026, 6, 1, 16)))
    finally:
        store.dispose()
    now = _report(places).text()
    assert "A1.2 of inspection 2025-10-jtai (on track)" in now
    assert "NARR-1" not in now and "EVIDENCE-1" not in now and "BUSINESS-MANAGER" not in now
    before = _report(places, as_of=datetime(2026, 5, 31)).text()
    assert "A1.2 of inspection 2025-10-jtai (not started)" in before


def test_a_week_with_an_empty_stream_says_so(tmp_path: Path) -> None:
    store = open_store(tmp_path / "workbook.db", create=True)
    filled_weeks(store, tmp_path / "audits", sizes={"case_audit": 8, "observation": 0,
                                                     "family_feedback": 10,
                                                     "practitioner_feedback": 7})
    url = store.url.render_as_string(hide_password=False)
    store.dispose()
    report = _report((url, tmp_path / "audits", tmp_path / "inspections"))
    part = next(s for s in report.sections if s.title == "Observation of practice")
    assert report.text().count("Observation of practice | 0 |") == 1
    assert [b.text for b in part.blocks] == [  # type: ignore[union-attr]
        "No observation of practice record had been submitted, so this stream has no figures."]
    for fmt in ("html", "docx", "pdf"):
        assert writers.render(report, fmt)


def test_the_week_is_compared_with_the_last_of_the_same_theme(report: Report) -> None:
    text = report.text()
    assert "in May 2025 (practice week 2025-05-practice-week) and in this week (May 2026)" in text
    assert "Observation of practice: this week against May 2025" in text


# -- bad input ------------------------------------------------------------------------------------

def test_a_week_nothing_of_which_was_saved_by_then_is_refused(places: tuple[str, Path, Path]
                                                              ) -> None:
    with pytest.raises(WorkbookError) as caught:
        _report(places, as_of=datetime(2026, 5, 1))
    assert str(caught.value) == (f"Nothing of practice week {WEEK} had been saved by 00:00 UTC on "
                                 "1 May 2026; give a later --as-of, or leave it out for the week "
                                 "as it stands now.")
    assert _report(places, as_of=SAVED).text()


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("change", "says"), [
    ({"--round": "2026-06-practice-week"}, "There is no audit round '2026-06-practice-week'"),
    ({"--as-of": "2026-05-01"}, f"Nothing of practice week {WEEK} had been saved by 00:00 UTC on "
                                "1 May 2026"),
    ({"--compare": EARLIER}, f"Round {WEEK} is a practice week: its report compares it with the "
                             "last practice week of the same theme itself; leave out --compare."),
    ({"--format": "rtf"}, "Unknown report format 'rtf'"),
])
def test_a_mistake_is_one_line_and_writes_nothing(places: tuple[str, Path, Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  change: dict[str, str], says: str) -> None:
    url, audits, _ = places
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    options = {"--round": WEEK, "-o": "week.html", "--db": url, "--audits": str(audits), **change}
    result = _run("report", *[part for item in options.items() for part in item])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0], result.output
    assert list(work.iterdir()) == []


def test_inspections_with_a_case_audit_round_is_refused(tmp_path: Path) -> None:
    audits = tmp_path / "audits"
    shutil.copytree(Path(__file__).resolve().parents[1] / "audits" / "2026-03-example",
                    audits / "2026-03-example")
    result = _run("report", "--round", "2026-03-example", "-o", str(tmp_path / "r.html"),
                  "--audits", str(audits), "--inspections", str(tmp_path))
    assert result.exit_code == 1
    assert "--inspections goes with --inspection, or with a practice week's --round" in result.output


def test_the_command_runs_the_weeks_notebook(places: tuple[str, Path, Path], tmp_path: Path
                                             ) -> None:
    url, audits, _ = places
    target = tmp_path / "week.html"
    result = _run("report", "--round", WEEK, "-o", str(target), "--db", url, "--audits",
                  str(audits), "--as-of", "2026-06-01", "--partnership", PARTNERSHIP)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote the HTML report for round {WEEK} to {target}."
    page = target.read_text(encoding="utf-8")
    assert "Observation of practice" in page and MARKER not in page
    assert f"action A1.2 of inspection {INSPECTION_ID}" in page  # the plans beside the rounds
    assert 'content="2026-06-01T00:00:00"' in page
