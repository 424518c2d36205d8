"""The equality dashboard, served by a real Voila and read in headless Chromium at a laptop's
size: a sentence per case attribute with the figures disclosure allows, a chart per attribute at
its size with its figures in words, the symbols keyed, and nothing private on the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from caseaudit import disclosure
from caseaudit.results import round_results
from caseaudit.rounds import load_rounds
from caseaudit.store import open_store
from caseaudit.ui.equality import attribute_sentence
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

NOTEBOOK = "equality.ipynb"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(NOTEBOOK, tmp_path_factory.mktemp("equality")) as running:
        yield running


def test_the_equality_dashboard_compares_groups_of_children(server: Server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rounds = load_rounds()
    latest = rounds[-1]
    breakdowns = round_results(open_store(create=False), latest, rounds).breakdowns
    board = disclosure.breakdowns_for_board(breakdowns)
    chart = disclosure.breakdowns_for_chart(breakdowns)
    attributes = list(dict.fromkeys(board["attribute"]))
    with chromium_page(tmp_path / "profile") as page:
        open_page(page, server, NOTEBOOK, '[data-section="equality-findings"] li')
        assert latest.title in page.locator("h2").first.inner_text()
        said = sentences_on(page, "equality-findings")
        overall = (board["level"] == "overall").to_numpy()
        assert said == [plain(attribute_sentence(
            chart[overall & (chart["attribute"] == a).to_numpy()],
            board[overall & (board["attribute"] == a).to_numpy()])) for a in attributes]
        assert any(s.startswith("By disability") for s in said)
        page.screenshot(path=tmp_path / "equality.png")  # the top of the page, as a laptop shows it

        assert assert_every_chart_drawn_at_its_size(page) == len(attributes)
        # a hidden group's bar is not drawn and the chart says so in words under it
        hidden = chart[overall & (chart["state"] == "hidden").to_numpy()]
        for attribute in hidden["attribute"].unique():
            note = page.locator(f'[data-chart="by-{attribute}"] figcaption').inner_text()
            assert note.startswith("Not drawn:") and "marked c" in note
        assert_symbols_key(page)
        assert_nothing_private(page, rounds)
        assert_dashboard_accessible(page, "the equality dashboard")
        page.screenshot(path=tmp_path / "equality-full.png", full_page=True)
