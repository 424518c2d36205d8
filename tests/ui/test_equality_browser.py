"""The equality dashboard, served by a real Voila and read in headless Chromium at a laptop's
size: a sentence per case attribute with the figures disclosure allows, a chart per attribute at
its size with its figures in words, the symbols keyed, and nothing private on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseaudit import disclosure
from caseaudit.ui.equality import attribute_sentence
from tests.ui.dashboard_pages import (
    Latest,
    assert_every_chart_drawn_at_its_size,
    board_page,
    plain,
    sentences_on,
)
from tests.ui.server import Server

pytestmark = pytest.mark.browser

NOTEBOOK = "equality.ipynb"


def test_the_equality_dashboard_compares_groups_of_children(dashboard_server: Server, latest_results: Latest,
                                                            tmp_path: Path) -> None:
    rounds, results = latest_results
    breakdowns = results.breakdowns
    board = disclosure.breakdowns_for_board(breakdowns)
    chart = disclosure.breakdowns_for_chart(breakdowns)
    attributes = list(dict.fromkeys(board["attribute"]))
    with board_page(dashboard_server, NOTEBOOK, '[data-section="equality-findings"] li', tmp_path,
                    rounds, "the equality dashboard") as page:
        said = sentences_on(page, "equality-findings")
        overall = (board["level"] == "overall").to_numpy()
        assert said == [plain(attribute_sentence(
            chart[overall & (chart["attribute"] == a).to_numpy()],
            board[overall & (board["attribute"] == a).to_numpy()])) for a in attributes]
        assert any(s.startswith("By disability") for s in said)

        assert assert_every_chart_drawn_at_its_size(page) == len(attributes)
        # a hidden group's bar is not drawn and the chart says so in words under it
        hidden = chart[overall & (chart["state"] == "hidden").to_numpy()]
        for attribute in hidden["attribute"].unique():
            note = page.locator(f'[data-chart="by-{attribute}"] figcaption').inner_text()
            assert note.startswith("Not drawn:") and "marked c" in note
