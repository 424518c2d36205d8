"""The trends dashboard, served by a real Voila and read in headless Chromium at a laptop's size:
the sentences say what the trend shows with the figures disclosure allows, every line is drawn
at its size with its figures in words, the symbols are keyed, and nothing private appears."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from caseaudit import disclosure
from caseaudit.results import round_results
from caseaudit.rounds import load_rounds
from caseaudit.store import open_store
from caseaudit.ui.trends import trend_sentences
from tests.ui.dashboard_pages import (
    assert_dashboard_accessible,
    assert_every_chart_drawn_at_its_size,
    assert_nothing_private,
    assert_symbols_key,
    open_page,
    plain,
    sentences_on,
    serving,
)
from tests.ui.server import Server, chromium_page

pytestmark = pytest.mark.browser

NOTEBOOK = "trends.ipynb"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(NOTEBOOK, tmp_path_factory.mktemp("trends")) as running:
        yield running


def test_the_trends_dashboard_says_what_changed_round_by_round(server: Server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rounds = load_rounds()
    latest = rounds[-1]
    results = round_results(open_store(create=False), latest, rounds)
    expected = trend_sentences(disclosure.trend_for_board(results.practice_trend))
    with chromium_page(tmp_path / "profile") as page:
        open_page(page, server, NOTEBOOK, '[data-section="trend-findings"] li')
        assert latest.title in page.locator("h2").first.inner_text()
        said = sentences_on(page, "trend-findings")
        assert said == [plain(text) for _, text in expected]
        overall = results.practice_trend.query("level == 'overall'")
        assert len(overall) == len(rounds) and said[0].startswith("Overall, good or better was")
        page.screenshot(path=tmp_path / "trends.png")  # the top of the page, as a laptop shows it

        charts = assert_every_chart_drawn_at_its_size(page)
        domains = results.practice_trend.query("level == 'criterion'")["domain"].nunique()
        assert charts == 1 + domains  # the domains, then each domain's criteria
        verdicts = page.locator('[data-chart="trend-domains"] td').all_text_contents()
        assert {"improved", "declined", "no clear change"} & set(verdicts)
        assert_symbols_key(page)
        assert_nothing_private(page, rounds)
        assert_dashboard_accessible(page, "the trends dashboard")
        page.screenshot(path=tmp_path / "trends-full.png", full_page=True)
