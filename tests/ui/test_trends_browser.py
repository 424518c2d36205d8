"""The trends dashboard, served by a real Voila and read in headless Chromium at a laptop's size:
the sentences say what the trend shows with the figures disclosure allows, every line is drawn
at its size with its figures in words, the symbols are keyed, and nothing private appears."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseaudit import disclosure
from caseaudit.ui.trends import trend_sentences
from tests.ui.dashboard_pages import (
    Latest,
    assert_every_chart_drawn_at_its_size,
    board_page,
    plain,
    sentences_on,
)
from tests.ui.server import Server

pytestmark = pytest.mark.browser

NOTEBOOK = "trends.ipynb"


def test_the_trends_dashboard_says_what_changed_round_by_round(
        dashboard_server: Server, latest_results: Latest, tmp_path: Path) -> None:
    rounds, results = latest_results
    expected = trend_sentences(disclosure.trend_for_board(results.practice_trend))
    with board_page(dashboard_server, NOTEBOOK, '[data-section="trend-findings"] li', tmp_path,
                    rounds, "the trends dashboard") as page:
        said = sentences_on(page, "trend-findings")
        assert said == [plain(text) for _, text in expected]
        overall = results.practice_trend.query("level == 'overall'")
        assert len(overall) == len(rounds) and said[0].startswith("Overall, good or better was")

        charts = assert_every_chart_drawn_at_its_size(page)
        domains = results.practice_trend.query("level == 'criterion'")["domain"].nunique()
        assert charts == 1 + domains  # the domains, then each domain's criteria
        verdicts = page.locator('[data-chart="trend-domains"] td').all_text_contents()
        assert {"improved", "declined", "no clear change"} & set(verdicts)
