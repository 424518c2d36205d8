"""`caseaudit report`: the report notebook run with papermill, a file in each format, the same
figures when rerun as of the same time, and a one-line error (and no file) for every mistake."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from caseaudit.cli import main
from caseaudit.errors import WorkbookError
from caseaudit.framework import Framework
from caseaudit.report import NOTEBOOK
from caseaudit.report.run import run_report
from caseaudit.rounds import load_round
from caseaudit.store import FormSave, Store

LATEST, FIRST = "2026-03-maca", "2025-12-maca"


def _places(filled: tuple[Store, Path]) -> list[str]:
    store, audits = filled
    return ["--db", store.url.render_as_string(hide_password=False), "--audits", str(audits)]


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts += [v or "" for k, v in attrs if k == "alt"]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _figures(path: Path) -> str:
    """What an HTML report says, words and chart alt texts (where the figures are)."""
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def test_the_report_command_writes_each_format_and_a_rerun_as_of_gives_the_same_figures(
        filled: tuple[Store, Path], jtai: Framework, tmp_path: Path) -> None:
    store, audits = filled
    out = tmp_path / "out"
    out.mkdir()
    as_of = ["--as-of", "2026-06-01"]
    first = _run("report", "--round", LATEST, "--compare", FIRST, *as_of, "-o",
                 str(out / "first.html"), "--partnership", "Northshire SCP", *_places(filled))
    assert first.exit_code == 0, first.output
    assert first.output.strip() == f"Wrote the HTML report for round {LATEST} to {out / 'first.html'}."
    for fmt in ("docx", "pdf"):
        made = _run("report", "--round", LATEST, *as_of, "--format", fmt, "-o",
                    str(out / f"report.{fmt}"), *_places(filled))
        assert made.exit_code == 0, made.output
    import docx

    document = docx.Document(io.BytesIO((out / "report.docx").read_bytes()))
    assert {"Title", "Heading 1", "Heading 2"} <= {p.style.name for p in document.paragraphs}
    assert document.tables and document.inline_shapes
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    # no code reaches the report: it is the model laid out, not the executed notebook
    page = (out / "first.html").read_text(encoding="utf-8")
    assert "import caseaudit" not in page and "committee_report(" not in page
    assert "Northshire SCP" in page

    latest = load_round(LATEST, audits)
    changed = 0
    for case in latest.cases:  # new revisions, saved now (after --as-of): all inadequate
        for auditor in latest.auditors:
            head = store.latest_revision(latest.id, case.id, auditor.agency, auditor.id)
            if head is not None and changed < 10:
                store.save_form(latest, jtai, FormSave(
                    case.id, auditor.agency, auditor.id,
                    {c.id: 4 for c in jtai.criteria_for(auditor.agency)}, status="submitted",
                    based_on=head.revision_no))
                changed += 1
    assert changed == 10
    again = _run("report", "--round", LATEST, "--compare", FIRST, *as_of, "-o",
                 str(out / "again.html"), "--partnership", "Northshire SCP", *_places(filled))
    assert again.exit_code == 0, again.output
    assert _figures(out / "again.html") == _figures(out / "first.html")
    now = _run("report", "--round", LATEST, "--compare", FIRST, "-o", str(out / "now.html"),
               "--partnership", "Northshire SCP", *_places(filled))
    assert now.exit_code == 0, now.output
    shares = re.compile(r"\d+%\s+of [\d,]+ judgements")
    assert shares.findall(_figures(out / "now.html")) != shares.findall(_figures(out / "first.html"))


@pytest.mark.parametrize(("change", "says"), [
    ({"--round": "1999-01-none"}, "There is no audit round '1999-01-none'"),
    ({"--compare": "1999-01-none"}, "There is no audit round '1999-01-none'"),
    ({"--compare": LATEST}, "own round"),
    ({"--format": "rtf"}, "Unknown report format 'rtf'"),
    ({"-o": "report.rtf"}, "Say which format to write with --format"),
    ({"-o": "missing/report.html"}, "does not exist"),
    ({"-o": ".", "--format": "html"}, "is a folder"),
    ({"--as-of": "last Tuesday"}, "is not a date or time"),
    ({"--db": "no-such.db"}, "There is no database"),
])
def test_a_mistake_is_one_line_and_leaves_no_file(filled: tuple[Store, Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  change: dict[str, str], says: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    options = {"--round": LATEST, "-o": "report.html",
               **dict(zip(_places(filled)[::2], _places(filled)[1::2], strict=True)), **change}
    result = _run("report", *[part for item in options.items() for part in item])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0], result.output
    assert "Traceback" not in result.output
    assert list(work.iterdir()) == []


def _notebook_raising(tmp_path: Path, statement: str) -> Path:
    """The report notebook with the cell that writes the file replaced by ``statement``."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells[-1].source = statement
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_failure_inside_the_notebook_is_one_sentence_and_writes_nothing(
        filled: tuple[Store, Path], tmp_path: Path) -> None:
    store, audits = filled
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "report.html"
    notebook = _notebook_raising(folder, "raise ca.NotFoundError('The round has no submitted forms.')")
    with pytest.raises(WorkbookError) as raised:
        run_report(LATEST, "html", target, database=store.url.render_as_string(hide_password=False),
                   audits=audits, notebook=notebook)
    assert str(raised.value) == "The round has no submitted forms."
    assert not target.exists()
    assert sorted(p.name for p in folder.iterdir()) == ["broken.ipynb"]


def test_the_command_says_its_options_in_help() -> None:
    result = _run("report", "--help")
    assert result.exit_code == 0
    for option in ("--round", "--compare", "--as-of", "--format", "-o", "--partnership"):
        assert option in result.output
    assert json.loads(NOTEBOOK.read_text())["metadata"]["kernelspec"]["name"] == "python3"
