"""The partnership overview, served by a real Voila and read in headless Chromium.

Voila runs as a subprocess on a free port against the session's synthetic partnership (see the
root conftest.py), exactly as `make demo` starts it, token included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from caseaudit.agreement import agreement_across_rounds
from caseaudit.analysis import summarise_round
from caseaudit.disclosure import format_count
from caseaudit.results import round_results
from caseaudit.serve import DASHBOARDS_DIR, dashboard_url
from caseaudit.store import open_store
from caseaudit.ui.findings import findings
from tests.ui.dashboard_pages import (
    LAPTOP,
    assert_dashboard_accessible,
    assert_every_chart_drawn_at_its_size,
    assert_nothing_private,
    assert_symbols_key,
    case_audits,
    plain,
    sentences_on,
)
from tests.ui.server import chromium_page, running_server
from tests.ui.server import status as _status

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    with running_server(DASHBOARDS_DIR, tmp_path_factory.mktemp("voila")) as server:
        yield server.port, server.token


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with chromium_page(tmp_path_factory.mktemp("chromium-profile"), height=900) as page:
        page.set_viewport_size(LAPTOP)  # where a board member reads it
        yield page


def test_the_dashboard_needs_its_token(voila: tuple[int, str]) -> None:
    port, token = voila
    page = "voila/render/partnership_overview.ipynb"
    assert _status(f"http://127.0.0.1:{port}/{page}") in (302, 403)
    assert _status(f"http://127.0.0.1:{port}/{page}?token=wrong-{token}") in (302, 403)
    assert _status(f"http://127.0.0.1:{port}/{page}?token={token}") == 200


def _value(page, key: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-figure="{key}"] .ca-value')


def _card(page, key: str) -> str:  # type: ignore[no-untyped-def]
    return _value(page, key).inner_text().strip()


def test_overview_shows_headline_figures_and_charts(voila: tuple[int, str], browser_page,  # type: ignore[no-untyped-def]
                                                     tmp_path) -> None:
    port, token = voila
    rounds = case_audits()
    store = open_store(create=False)
    latest, earlier = rounds[-1], rounds[0]
    expected = summarise_round(store, latest).headline

    page = browser_page
    page.goto(dashboard_url(port, token), wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector('[data-figure="share_good"]', timeout=120_000)

    assert _card(page, "forms_submitted") == format_count(expected["forms_submitted"])
    assert _card(page, "cases_audited") == format_count(expected["cases_audited"])
    assert _card(page, "judgements") == format_count(expected["judgements"])
    assert _card(page, "share_good") == f"{expected['share']:.0%}"
    assert latest.title in page.locator("h2").first.inner_text()
    page.screenshot(path=tmp_path / "overview.png")  # the top of the page, as a laptop shows it

    # it opens with what changed since the last round, in sentences with their figures
    results = round_results(store, latest, rounds)
    said = sentences_on(page, "what-changed")
    assert said == [plain(text) for _, text in findings(results)]
    assert said[0].startswith(f"In {results.labels[latest.id]}, ")
    assert any(s.startswith(("Improved since", "Declined since", "No criterion")) for s in said)
    assert any(s.startswith("Weakest this round: ") for s in said)

    assert assert_every_chart_drawn_at_its_size(page) >= 2
    # the heatmap says each cell's share and n, c and : in words too, never by colour alone
    heatmap = page.locator('[data-chart="criterion-agency"]')
    cells = heatmap.locator("td").all_text_contents()
    assert any(re.fullmatch(r"\d+% n=[\d,]+", c) for c in cells)
    assert "c" in cells and ("x" in cells or "z" in cells)
    assert heatmap.locator("figcaption").inner_text().startswith("Not drawn: ")

    # the latest round is not moderated yet: the agreement section shows the rounds before it
    trend = page.locator('[data-table="agreement-trend"] tr')
    trend.first.wait_for(timeout=30_000)
    moderated = agreement_across_rounds(store, rounds)
    assert trend.count() == 1 + len(moderated) and len(moderated) >= 2
    assert "has not moderated this round yet" in page.inner_text("body")

    assert_symbols_key(page)
    assert page.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0
    assert_nothing_private(page, rounds)
    assert_dashboard_accessible(page, "the partnership overview")

    # choosing another round redraws the figures for that round
    before = summarise_round(store, earlier).headline
    # ipywidgets renders spaces in option labels as non-breaking spaces
    options = page.locator("select").evaluate(
        "s => Array.from(s.options).map(o => o.text.replace(/\u00a0/g, ' '))")
    assert len(options) == len(rounds)
    index = next(i for i, o in enumerate(options) if earlier.title in o)
    page.select_option("select", index=index)
    page.wait_for_function(
        "title => document.querySelector('h2') && document.querySelector('h2').innerText.includes(title)",
        arg=earlier.title, timeout=60_000)
    # the redraw reaches the page message by message: wait for each part rather than sample it
    expect(_value(page, "judgements")).to_have_text(format_count(before["judgements"]))
    expect(_value(page, "share_good")).to_have_text(f"{before['share']:.0%}")
    # a moderated round: its consistency figures and the rounds up to it
    page.locator('[data-section="consistency"]', has_text="How consistently").wait_for(
        timeout=30_000)
    assert "exact agreement" in page.inner_text("body")
    expect(trend).to_have_count(1 + 1)  # the earliest round has no rounds before it
    expect(page.locator('[data-table="leniency"] tr')).to_have_count(1 + len(earlier.agencies))
    # the figures say how many cases they rest on, and the board sees agencies, never auditors
    expect(page.locator('[data-figure="moderated"]')).to_have_text(
        f"{len(earlier.cases)} of {len(earlier.cases)} cases moderated.")
    text = page.inner_text("body")
    assert not any(a.id in text for r in rounds for a in r.auditors), "an auditor is named"
    assert "auditor A" not in text and 'data-section="auditors"' not in page.content()
