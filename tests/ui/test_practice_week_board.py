"""The practice week dashboard, served by a real Voila on a store holding a week of all four
streams (and the week before of the same theme), read in headless Chromium at a laptop's size:
every figure shown is the disclosure form's, small counts read ``c``, each chart is drawn at its
size with its figures in words, the symbols are keyed, no record id, person or free text appears,
and axe-core finds nothing to fix."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caseaudit import settings
from caseaudit.disclosure.practice_week import WeekForBoard, week_for_board
from caseaudit.framework import load_framework
from caseaudit.practice_week_summary import practice_week_summary
from caseaudit.rounds import AuditRound
from caseaudit.serve import DASHBOARDS_DIR
from caseaudit.store import open_store
from tests.practice_week_store import SECRETS, save_weeks
from tests.ui.dashboard_pages import assert_every_chart_drawn_at_its_size, board_page
from tests.ui.server import Server, running_server

pytestmark = pytest.mark.browser

NOTEBOOK = "practice_week.ipynb"


@pytest.fixture(scope="module")
def week_server(tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[Server, list[AuditRound], WeekForBoard]]:
    """The dashboard served alone on a store of its own, with the weeks' rounds and this week as
    the board form gives it (what the page is checked against)."""
    folder = tmp_path_factory.mktemp("practice-week")
    store = open_store(folder / "week.db", create=True)
    this, before = save_weeks(store, load_framework("practice-week", "1.0"), folder / "audits")
    week = week_for_board(practice_week_summary(store, this, rounds=[before, this]))
    store.dispose()
    pages = folder / "dashboards"
    pages.mkdir()
    shutil.copy(DASHBOARDS_DIR / NOTEBOOK, pages / NOTEBOOK)
    env = {**os.environ, settings.DB_ENV: str(folder / "week.db"),
           settings.AUDITS_ENV: str(folder / "audits")}
    with running_server(pages, folder, env=env) as server:
        yield server, [before, this], week


def _cells(page: Any, table: str) -> list[list[str]]:
    """The rows of a table on the page (header cells included), each cell's text."""
    rows = page.locator(f'table[data-table="{table}"] tbody tr')
    return [[" ".join(t.split()) for t in rows.nth(i).locator("th, td").all_inner_texts()]
            for i in range(rows.count())]


def test_the_practice_week_dashboard_shows_each_stream_through_disclosure(
        week_server: tuple[Server, list[AuditRound], WeekForBoard], tmp_path: Path) -> None:
    server, rounds, week = week_server
    with board_page(server, NOTEBOOK, '[data-section="practitioner_feedback"]', tmp_path, rounds,
                    "the practice week dashboard") as page:
        assert page.locator("select").first.input_value().startswith(rounds[-1].title)
        for stream in week.streams:
            card = page.locator(f'[data-figure="records-{stream.stream_id}"] .ca-value')
            assert card.inner_text() == (stream.answered if stream.kind == "feedback"
                                         else stream.records)
            figures = _cells(page, f"{stream.stream_id}-good-or-better")
            assert [row[1:] for row in figures] == [
                [r.n, r.share, r.interval] for r in stream.good_or_better.itertuples()]
            for measure, rows in stream.counts.groupby("measure", sort=False):
                shown = _cells(page, f"{stream.stream_id}-{str(measure).replace(' ', '-')}")
                assert shown == [[r.category, r.count] for r in rows.itertuples()]
            change = _cells(page, f"{stream.stream_id}-change")
            if stream.stream_id == "case_audit":
                assert [row[3:] for row in change] == [
                    [r.difference, r.interval, r.verdict] for r in stream.change.itertuples()]
        # small counts are c: two returns declined consent, so the returns in all are hidden too
        assert week.stream("family_feedback").records == "c"
        assert _cells(page, "family_feedback-consent") == [["given", "12"], ["declined", "c"]]
        assert _cells(page, "observation-event-kind")[0] == ["home visit", "6"]
        assert week.stream("case_audit").records == "8"
        assert page.get_by_text("CR1 The child's story: an improvement").count() == 1
        assert _cells(page, "themes") == [
            ["The child's lived experience and voice", "8"], ["Understanding and analysing risk", "6"],
            ["Other (local tags)", "7"]]
        charts = assert_every_chart_drawn_at_its_size(page)
        assert charts == 4  # one per stream
        content = page.content()
        for secret in (*SECRETS, "a local tag"):  # a free tag is free text: only its total shows
            assert secret not in content, secret
        # the page scrolls inside Voila's own container, so the whole of it is taken tall
        page.set_viewport_size({"width": 1366, "height": 9000})
        page.screenshot(path=tmp_path / "practice_week-whole.png")
        page.set_viewport_size({"width": 1366, "height": 768})
    for name in ("practice_week.png", "practice_week-whole.png"):
        shutil.copy(tmp_path / name, Path("/tmp") / name)
