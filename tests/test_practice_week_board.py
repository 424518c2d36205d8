"""The practice week dashboard in code: its notebook, as written, draws a week saved through the
store (figures equal to the disclosure form's, ``c`` where small, no record id, person or free
text anywhere), says plainly when nothing was submitted, offers practice weeks only, and the
case-audit dashboards point to it."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from caseaudit import settings
from caseaudit.disclosure.practice_week import week_for_board
from caseaudit.framework import load_framework
from caseaudit.practice_week_summary import practice_week_summary
from caseaudit.rounds import scan_rounds
from caseaudit.store import open_store
from caseaudit.ui.practice_week_board import NOTHING_SUBMITTED, PracticeWeekBoard
from tests.practice_week_store import PREVIOUS_ID, SECRETS, save_weeks

ROOT = Path(__file__).parents[1]
NOTEBOOK = ROOT / "notebooks" / "dashboards" / "practice_week.ipynb"


def run_notebook(path: Path) -> Any:
    """Run the notebook's code cells here, as Voila would, and return its last expression's
    value (the dashboard)."""
    namespace: dict[str, Any] = {}
    value = None
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = tree.body[:-1] if last is not None else tree.body
        exec(compile(ast.Module(body=body, type_ignores=[]), str(path), "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), str(path), "eval"), namespace)
    return value


def page_of(board: PracticeWeekBoard) -> str:
    return "".join(w.value for w in board.widget().children[:-1] if hasattr(w, "value")) + "".join(
        w.value for w in board.body.children)


@pytest.fixture
def week_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "week.db", create=True)
    audits = tmp_path / "audits"
    this, before = save_weeks(store, load_framework("practice-week", "1.0"), audits)
    monkeypatch.setenv(settings.DB_ENV, str(tmp_path / "week.db"))
    monkeypatch.setenv(settings.AUDITS_ENV, str(audits))
    yield store, this, before
    store.dispose()


def test_the_notebook_draws_a_week_saved_through_the_store(week_saved) -> None:  # type: ignore[no-untyped-def]
    store, this, _ = week_saved
    board = run_notebook(NOTEBOOK)
    assert isinstance(board, PracticeWeekBoard)
    assert [value for _, value in board.picker.options] == [this.id, PREVIOUS_ID]  # newest first
    assert board.picker.value == this.id and board.message.value == ""
    page = page_of(board)
    week = week_for_board(practice_week_summary(store, this, rounds=scan_rounds().rounds))
    for stream in week.streams:
        card = re.search(rf'data-figure="records-{stream.stream_id}"><div class="ca-value">([^<]*)<',
                         page)
        # a feedback stream's card is its returns with consent: the base of its answers, shown
        # even where the total is hidden
        shown = stream.answered if stream.kind == "feedback" else stream.records
        assert card is not None and card.group(1) == shown
        for row in stream.good_or_better.itertuples():
            if row.level == "criterion":
                cells = re.search(rf"<th scope=\"row\">{re.escape(row.label.replace(chr(39), '&#x27;'))}"
                                  r"</th><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", page)
                assert cells is not None and cells.groups() == (row.n, row.share, row.interval)
    ca = week.stream("case_audit")
    assert ca.records == "8" and week.stream("family_feedback").records == "c"  # 2 declined
    assert "+100 points" in page and "<b>an improvement</b>" in page and "<b>a decline</b>" in page
    assert "Each stream is compared with the last practice week of the same theme, May 2025." in page
    assert "<dt>c</dt>" in page  # the key to the symbols used
    for secret in SECRETS:
        assert secret not in page, secret


def test_an_empty_store_says_plainly_that_nothing_was_submitted(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "empty.db", create=True)
    monkeypatch.setenv(settings.DB_ENV, str(tmp_path / "empty.db"))
    monkeypatch.setenv(settings.AUDITS_ENV, str(ROOT / "audits"))  # the committed example week
    board = run_notebook(NOTEBOOK)
    page = page_of(board)
    assert board.picker.value == "2026-05-practice-week"
    assert [value for _, value in board.picker.options] == ["2026-05-practice-week"]
    assert NOTHING_SUBMITTED in page
    assert page.count("records were submitted this week.") == 4
    assert "There is no earlier practice week of this theme to compare it with." in page
    store.dispose()


def test_no_practice_week_is_said_plainly(tmp_path: Path) -> None:
    store = open_store(tmp_path / "none.db", create=True)
    board = PracticeWeekBoard(store, rounds=[])
    board.show(board.picker.value)
    assert "There are no practice weeks to show yet." in board.message.value
    store.dispose()


def test_the_case_audit_dashboards_point_to_it(filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.ui.dashboard import OverviewDashboard
    from caseaudit.ui.trends import TrendsDashboard

    store, audits = filled
    shutil.copytree(ROOT / "audits" / "2026-05-practice-week", audits / "2026-05-practice-week")
    monkeypatch.setenv(settings.AUDITS_ENV, str(audits))
    for board in (OverviewDashboard(store), TrendsDashboard(store)):
        assert ("The practice week 2026-05-practice-week is not shown here" in board.notice.value)
        assert ('Its summary is on the <a href="practice_week.ipynb">practice week dashboard</a>.'
                in board.notice.value)
    weeks = PracticeWeekBoard(store)
    assert [value for _, value in weeks.picker.options] == ["2026-05-practice-week"]
    assert weeks.notice.value == ""
    assert '<a href="practice_week.ipynb" aria-current="page">Practice week</a>' in page_of(weeks)


def test_every_demo_week_is_drawn_whole() -> None:
    """The demo's weeks (the session's synthetic partnership, read only) drawn as the page draws
    them: every stream's section, with nothing failing (a 25-of-25 criterion once stopped the
    whole page at its chart), and the feedback cards a count, not c."""
    from caseaudit.rounds import load_rounds

    store = open_store(create=False)
    rounds = load_rounds()
    board = PracticeWeekBoard(store, rounds=rounds)
    assert [r.id for r in board.rounds] == ["2025-05-practice-week", "2026-05-practice-week"]
    for week in board.rounds:
        page = "".join(w.value for w in board.render(board.compute(week)))
        for stream in week.streams:
            assert f'data-section="{stream}"' in page
            card = re.search(rf'data-figure="records-{stream}"><div class="ca-value">([^<]*)<', page)
            assert card is not None and card.group(1).isdigit()
    store.dispose()
