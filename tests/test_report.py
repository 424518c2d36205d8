"""The committee report: one model through disclosure, laid out as HTML, DOCX and PDF that a
committee clerk can use (real headings, tables with header rows, charts with alt text), holding
no case, auditor or note, and giving the same figures when rerun as of the same time."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from caseaudit import disclosure, settings
from caseaudit.errors import WorkbookError
from caseaudit.framework import Framework
from caseaudit.report import NOTEBOOK, writers
from caseaudit.report.build import committee_report, load_report_rounds, parse_as_of
from caseaudit.report.html_writer import render_html
from caseaudit.report.model import Chart, Report, Table
from caseaudit.rounds import load_round
from caseaudit.store import FormSave, Store
from caseaudit.store.records import ModerationSave

PARTNERSHIP = "Northshire Safeguarding Children Partnership"
TODAY = date(2026, 6, 26)
FIRST, LATEST = "2025-12-maca", "2026-03-maca"


def _report(filled: tuple[Store, Path], round_id: str = LATEST, **kwargs: object) -> Report:
    store, audits = filled
    return committee_report(round_id, database=store.url.render_as_string(hide_password=False),
                            audits=audits, partnership=PARTNERSHIP, today=TODAY, **kwargs)


@pytest.fixture
def report(filled: tuple[Store, Path]) -> Report:
    return _report(filled, compare=[FIRST])


# -- HTML -----------------------------------------------------------------------------------------
class _Page(HTMLParser):
    """The parts of an HTML page the checks read: tags with their attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self.headings: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open and re.fullmatch(r"h[1-6]", self._open[-1]):
            self.headings.append((self._open[-1], data))


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def test_html_is_self_contained_with_real_headings_tables_and_alt_text(report: Report,
                                                                      jtai: Framework) -> None:
    page = render_html(report)
    parsed = _parse(page)
    tags = [t for t, _ in parsed.tags]
    assert page.startswith("<!DOCTYPE html>") and ('html', {"lang": "en-GB"}) in parsed.tags
    # nothing fetched from elsewhere: no script, no linked style sheet, every image inline
    assert "script" not in tags and "link" not in tags
    images = [a for t, a in parsed.tags if t == "img"]
    assert images and all(a["src"].startswith("data:image/png;base64,") for a in images)
    charts = [b for s in report.sections for b in s.blocks if isinstance(b, Chart)]
    assert [a["alt"] for a in images] == [c.alt for c in charts]
    # one title, the report's parts as h2 and each domain as h3
    assert [h for h in parsed.headings if h[0] == "h1"] == [("h1", report.title)]
    h2 = [text for tag, text in parsed.headings if tag == "h2"]
    assert h2[0] == "Headline findings" and "Methods" in h2
    assert "What the figures can and cannot say" in h2
    domains = [text for tag, text in parsed.headings if tag == "h3"]
    assert domains == [d.title for d in jtai.domains]
    # every table has a caption and a header row of column headers, rows named by a row header
    assert tags.count("table") == tags.count("caption") == tags.count("thead") >= 3
    scopes = [a.get("scope") for t, a in parsed.tags if t == "th"]
    assert set(scopes) == {"col", "row"}
    text = " ".join(parsed.text)
    assert PARTNERSHIP in text and "26 June 2026" in text


def test_each_charts_alt_text_states_the_figures_its_table_shows(report: Report) -> None:
    domains = [s for s in report.sections if s.level == 2]
    assert domains
    for section in domains:
        _, chart, table = section.blocks
        assert isinstance(chart, Chart) and isinstance(table, Table)
        for criterion, n, _cases, share, interval, *_ in table.rows:
            said = re.search(re.escape(criterion) + r": (judgements.*?)(?:; |\.$)", chart.alt)
            assert said, f"{criterion} is not in the chart's alt text"
            assert said.group(1) == (f"judgements (n) {n}, good or better {share}, 95% interval "
                                     f"{interval}")
            if share in (disclosure.SUPPRESSED, disclosure.NOTHING):
                assert "Not drawn: " in chart.alt  # and the chart says what it leaves out


def test_no_share_or_interval_is_shown_that_would_reveal_a_small_count(
        filled: tuple[Store, Path], report: Report) -> None:
    """Every figure passes disclosure: a share resting on a count from 1 to the threshold (its
    n, its good ones, the rest, or its cases) is ``c`` in the report, whatever the layout, and a
    share shown is the share of its counts."""
    store, audits = filled
    from caseaudit.results import round_results
    from caseaudit.rounds import load_rounds

    figures = round_results(store, load_round(LATEST, audits), load_rounds(audits)).good_or_better
    criteria = figures[figures["level"] == "criterion"].reset_index(drop=True)
    small = disclosure.figure_hidden(criteria)
    assert small.any() and not small.all(), "the fixture must have both kinds of row"
    rows = {r[0]: r for s in report.sections if s.level == 2
            for b in s.blocks if isinstance(b, Table) for r in b.rows}
    assert set(rows) == set(criteria["label"])
    for (label, n, good, cases), hidden in zip(
            criteria[["label", "n", "good", "cases"]].itertuples(index=False), small, strict=True):
        _, n_text, cases_text, share, interval, *_ = rows[label]
        if hidden and n:
            assert share == interval == "c"
        if 1 <= n <= settings.suppression_threshold():
            assert n_text == "c"
        if share not in ("c", ":"):
            assert share == f"{good / n:.0%}" and n_text == f"{n:,}" and cases_text == f"{cases:,}"


def test_the_childrens_characteristics_are_shown_as_disclosure_shows_them(
        filled: tuple[Store, Path], report: Report) -> None:
    store, audits = filled
    from caseaudit.results import round_results
    from caseaudit.rounds import load_rounds

    breakdowns = round_results(store, load_round(LATEST, audits), load_rounds(audits)).breakdowns
    board = disclosure.breakdowns_for_board(breakdowns[breakdowns["level"] == "overall"])
    section = next(s for s in report.sections if s.title == "Children's characteristics")
    (table,) = [b for b in section.blocks if isinstance(b, Table)]
    expected = {(f"{r['attribute_label']}: {r['group']}", r["n"], r["cases"], r["share"],
                 r["interval"]) for _, r in board.iterrows() if r["state"] != "none"}
    assert set(table.rows) == expected and len(table.rows) == len(expected) > 0
    hidden = board[board["state"] == "hidden"]  # eight cases: every group is a small one
    assert len(hidden) and all(row[1:] == ("c",) * 4 for row in table.rows
                               if row[0].split(": ")[1] in set(hidden["group"]))


# -- DOCX -----------------------------------------------------------------------------------------
def test_docx_has_heading_styles_header_rows_and_pictures_with_alt_text(report: Report) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(writers.render(report, "docx")))
    styles = {p.text: p.style.name for p in document.paragraphs if p.text}
    assert styles[report.title] == "Title"
    for section in report.sections:
        assert styles[section.title] == f"Heading {section.level}"
    assert PARTNERSHIP in styles and "26 June 2026" in styles
    assert document.core_properties.title == report.title
    tables = [b for s in report.sections for b in s.blocks if isinstance(b, Table)]
    assert len(document.tables) == len(tables)
    for table, expected in zip(document.tables, tables, strict=True):
        header = table.rows[0]
        marked = header._tr.trPr.find(qn("w:tblHeader"))
        assert marked is not None and marked.get(qn("w:val")) == "true"
        assert tuple(c.text for c in header.cells) == expected.header
        assert all(r.bold for c in header.cells for p in c.paragraphs for r in p.runs)
        assert [tuple(c.text for c in row.cells) for row in table.rows[1:]] == list(expected.rows)
        assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
                   for row in table.rows[1:])
    charts = [b for s in report.sections for b in s.blocks if isinstance(b, Chart)]
    pictures = document.inline_shapes
    assert len(pictures) == len(charts)
    for picture, chart in zip(pictures, charts, strict=True):
        assert picture._inline.docPr.get("descr") == chart.alt
        assert picture.width.inches <= 6.31  # within an A4 page's text width, never stretched
        assert abs(picture.height / picture.width - chart.height_in / chart.width_in) < 0.01


# -- PDF ------------------------------------------------------------------------------------------
def test_pdf_is_made_without_a_browser_and_holds_the_reports_text(report: Report) -> None:
    from pypdf import PdfReader

    data = writers.render(report, "pdf")
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for words in (PARTNERSHIP, "26 June 2026", "Headline findings", "Results by domain",
                  "Learning themes", "What the figures can and cannot say", "Methods"):
        assert words in text
    assert len(reader.pages) >= 2
    images = sum(len(page.images) for page in reader.pages)
    assert images == sum(isinstance(b, Chart) for s in report.sections for b in s.blocks)


# -- what must never be in it ---------------------------------------------------------------------
def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    parts += [s._inline.docPr.get("descr") or "" for s in document.inline_shapes]
    properties = document.core_properties
    parts += [properties.title, properties.subject, properties.author, properties.comments]
    return "\n".join(parts)


def test_no_case_auditor_or_note_text_reaches_the_report(filled: tuple[Store, Path],
                                                         jtai: Framework) -> None:
    """Case ids, auditor and moderator ids, evidence notes, rationales, strengths, areas for
    development and the meeting's own free tags are in the store; none is in the report."""
    store, audits = filled
    first, latest = load_round(FIRST, audits), load_round(LATEST, audits)
    case = latest.cases[0]
    auditor = next(a for a in latest.auditors if a.agency == case.agencies[0])
    note = "Seen at the kitchen table on Tuesday with her aunt present"
    store.save_form(latest, jtai, FormSave(
        case.id, auditor.agency, auditor.id, {c.id: 2 for c in jtai.criteria_for(auditor.agency)},
        notes={c.id: note for c in jtai.criteria_for(auditor.agency)}, status="submitted",
        based_on=store.latest_revision(latest.id, case.id, auditor.agency, auditor.id).revision_no
        if store.latest_revision(latest.id, case.id, auditor.agency, auditor.id) else None))
    moderated = first.cases[0]
    head = store.moderation_history(first.id, moderated.id)[-1]
    tag = "neighbour raised concern in the shop"
    store.save_moderation(first, jtai, ModerationSave(
        moderated.id, head.grades, {cid: "Rationale naming the stepfather's van" for cid in head.grades},
        head.overall, "Strength: the school nurse listened", "Develop: the GP letter was late",
        [*head.themes, tag], based_on=head.revision_no, saved_by=first.moderators[0]))
    report = _report(filled, compare=[FIRST])
    page = " ".join(_parse(render_html(report)).text) + " ".join(
        a.get("alt", "") + a.get("content", "") for _, a in _parse(render_html(report)).tags)
    word = _docx_text(writers.render(report, "docx"))
    forbidden = {c.id for r in (first, latest) for c in r.cases}
    forbidden |= {a.id for r in (first, latest) for a in r.auditors}
    forbidden |= {m for r in (first, latest) for m in r.moderators}
    for round_id in (FIRST, LATEST):
        notes = store.current_responses(round_id)["note"]
        forbidden |= {n for n in notes if n}
        moderations = store.current_moderations(round_id)
        forbidden |= {r for r in moderations["rationale"] if r}
        forbidden |= {t for themes in moderations["themes"] for t in json.loads(themes or "[]")
                      if t not in {"voice", "identification", "oversight"} and " " in t}
    history = store.moderation_history(first.id, moderated.id)[-1]
    forbidden |= {history.strengths, history.development}
    assert note in forbidden and tag in forbidden and len(forbidden) > 30
    for text, what in ((page, "HTML"), (word, "DOCX")):
        leaked = sorted(f for f in forbidden if re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text))
        assert not leaked, f"{what} holds {leaked[:5]}"
    assert disclosure.LOCAL_TAGS in page  # the free tag is counted, unnamed


# -- rerunning ------------------------------------------------------------------------------------
def test_a_rerun_as_of_the_same_time_gives_the_same_figures(filled: tuple[Store, Path],
                                                            jtai: Framework) -> None:
    store, audits = filled
    as_of = "2026-06-01T00:00"
    before = _report(filled, as_of=as_of, compare=[FIRST])
    now_before = _report(filled)
    latest = load_round(LATEST, audits)
    for case in latest.cases[:4]:  # later revisions: every criterion of these forms inadequate
        for auditor in [a for a in latest.auditors if a.agency in case.agencies][:2]:
            head = store.latest_revision(latest.id, case.id, auditor.agency, auditor.id)
            if head is None:
                continue
            store.save_form(latest, jtai, FormSave(
                case.id, auditor.agency, auditor.id,
                {c.id: 4 for c in jtai.criteria_for(auditor.agency)}, status="submitted",
                based_on=head.revision_no))
    after = _report(filled, as_of=as_of, compare=[FIRST])
    assert after.text() == before.text()
    assert [c.png for s in after.sections for c in s.blocks if isinstance(c, Chart)] == \
        [c.png for s in before.sections for c in s.blocks if isinstance(c, Chart)]
    assert after.provenance["as-of"] == "2026-06-01T00:00:00"
    assert _report(filled).text() != now_before.text(), "the new revisions change today's figures"


def test_as_of_is_read_as_a_date_or_a_utc_time_and_refused_otherwise() -> None:
    assert parse_as_of("2026-05-01") == datetime(2026, 5, 1)
    assert parse_as_of("2026-05-01T14:30+01:00") == datetime(2026, 5, 1, 13, 30)
    assert parse_as_of(None) is None and parse_as_of(" ") is None
    with pytest.raises(WorkbookError, match="not a date or time"):
        parse_as_of("last Tuesday")


def test_rounds_are_compared_only_within_one_framework(filled: tuple[Store, Path]) -> None:
    _, audits = filled
    audit, others = load_report_rounds(LATEST, [FIRST], audits)
    assert audit.id == LATEST and [o.id for o in others] == [FIRST]
    with pytest.raises(WorkbookError, match="own round"):
        load_report_rounds(LATEST, [LATEST], audits)
    with pytest.raises(WorkbookError, match="--compare takes earlier rounds"):
        load_report_rounds(FIRST, [LATEST], audits)
    folder = audits / FIRST / "audit.yaml"
    folder.write_text(folder.read_text().replace("id: jtai-csa-family", "id: maca-generic"))
    with pytest.raises(WorkbookError, match="not the same questions"):
        load_report_rounds(LATEST, [FIRST], audits)


# -- writing --------------------------------------------------------------------------------------
def test_a_report_file_is_written_whole_or_not_at_all(tmp_path: Path, report: Report,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "report.html"
    assert writers.write_report(report, "html", target) == target
    assert target.read_text(encoding="utf-8") == render_html(report)

    def broken(*_: object) -> str:
        raise RuntimeError("the writer failed half way")

    monkeypatch.setattr("caseaudit.report.html_writer.render_html", broken)
    with pytest.raises(RuntimeError):
        writers.write_report(report, "html", folder / "other.html")
    assert sorted(p.name for p in folder.iterdir()) == ["report.html"]


def test_bad_formats_and_places_are_refused_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="Unknown report format 'rtf'"):
        writers.check_format("rtf")
    assert writers.check_format("DOCX") == "docx"
    with pytest.raises(WorkbookError, match="is a folder"):
        writers.check_output(tmp_path)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(WorkbookError, match="does not exist"):
        writers.check_output(tmp_path / "a-file" / "report.html")
    assert list(tmp_path.iterdir()) == [tmp_path / "a-file"]


def test_the_report_notebook_is_thin_and_uses_only_the_public_face() -> None:
    from tests import test_notebooks

    test_notebooks.test_notebooks_use_only_the_public_face(NOTEBOOK)
    cells = [c for c in json.loads(NOTEBOOK.read_text())["cells"] if c["cell_type"] == "code"]
    assert "parameters" in cells[0]["metadata"]["tags"]
    assert all(not c["outputs"] for c in cells)
    assert sum(len("".join(c["source"]).splitlines()) for c in cells[1:]) <= 8


def test_the_model_is_what_every_writer_lays_out(report: Report) -> None:
    """A paragraph changed in the model changes the HTML: the writers hold no words of their own
    about the round."""
    first = report.sections[0]
    changed = replace(report, sections=(replace(first, blocks=first.blocks[1:]),
                                        *report.sections[1:]))
    lead = first.blocks[0]
    assert lead.text in render_html(report).replace("&#x27;", "'")
    assert lead.text not in render_html(changed).replace("&#x27;", "'")
