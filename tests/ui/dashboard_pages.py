"""What the dashboards' browser tests share: one dashboard served on its own (as `make demo`
serves the folder, through our launcher, token in the environment), read at a laptop's size, and
the checks every board page must pass: charts at the size they were drawn for with their figures
in words, a key to the symbols the page uses, and no case id, auditor or note text."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from caseaudit import settings
from caseaudit.practice_week import without_practice_weeks
from caseaudit.results import RoundResults
from caseaudit.rounds import AuditRound, load_rounds
from caseaudit.serve import DASHBOARDS_DIR
from caseaudit.ui.findings import symbols_on
from tests.ui.accessibility import assert_accessible
from tests.ui.server import Server, chromium_page, running_server

#: The rounds, and the latest round's results (the ``latest_results`` fixture)
Latest = tuple[list[AuditRound], RoundResults]


def case_audits() -> list[AuditRound]:
    """The demo's case-audit rounds, oldest first: what the round dashboards offer (the demo's
    practice weeks have their own dashboard)."""
    return without_practice_weeks(load_rounds())[0]


#: A common laptop screen, in CSS pixels: where a board member reads the dashboards.
LAPTOP = {"width": 1366, "height": 768}


@contextmanager
def serving(notebook: str, folder: Path) -> Iterator[Server]:
    """Serve ``notebook`` of notebooks/dashboards/ alone (one preheated kernel, not one per
    dashboard: the machine is shared), exactly as the folder is served."""
    pages = folder / "dashboards"
    pages.mkdir()
    shutil.copy(DASHBOARDS_DIR / notebook, pages / notebook)
    with running_server(pages, folder) as server:
        yield server


def open_page(page: Any, server: Server, notebook: str, ready: str) -> None:
    """Open ``notebook`` at a laptop's size and wait until ``ready`` (a selector) shows."""
    page.set_viewport_size(LAPTOP)
    page.goto(server.url(f"voila/render/{notebook}"), wait_until="domcontentloaded",
              timeout=120_000)
    page.wait_for_selector(ready, timeout=120_000)


def assert_drawn_at_its_size(chart: Any) -> None:
    """A chart is shown at the size it was drawn for, sharp on a screen of twice the density:
    the PNG has two pixels for each CSS pixel it is shown at, the page shows it at its own width
    and height (no CSS stretching), and it states its figures in words."""
    chart.scroll_into_view_if_needed()
    size = chart.evaluate("""img => ({natural: [img.naturalWidth, img.naturalHeight],
        shown: [img.clientWidth, img.clientHeight],
        attrs: [Number(img.getAttribute('width')), Number(img.getAttribute('height'))],
        alt: img.alt,
        description: (document.getElementById(img.getAttribute('aria-describedby')) || {}).textContent})""")
    assert size["shown"] == size["attrs"], size  # not scaled by CSS at a laptop's width
    for natural, shown in zip(size["natural"], size["shown"], strict=True):
        assert natural / shown == pytest.approx(2, abs=0.02), size
    assert size["shown"][0] > 300
    assert re.search(r"\d+%|[-+]\d\.\d\d", size["alt"]), size["alt"]  # its figures, in words
    assert size["description"] and "n" in size["description"], "no table describes the chart"


def plain(html_text: str) -> str:
    """What a reader sees of a sentence's HTML: list items apart, other tags gone, one space
    between words (as the browser's text of the element, whitespace collapsed)."""
    spaced = re.sub(r"</?(ul|li)[^>]*>", " ", html_text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", spaced)).split())


def sentences_on(page: Any, section: str) -> list[str]:
    """The sentences of a findings section as the page shows them."""
    items = page.locator(f'[data-section="{section}"] > ul > li')
    return [" ".join(text.split()) for text in items.all_inner_texts()]


def assert_every_chart_drawn_at_its_size(page: Any) -> int:
    charts = page.locator("img.ca-chart")
    charts.first.wait_for(timeout=60_000)
    for i in range(charts.count()):
        assert_drawn_at_its_size(charts.nth(i))
    return charts.count()


def assert_symbols_key(page: Any) -> list[str]:
    """The key lists the symbols the page shows in place of figures, each with its meaning, and
    no other."""
    key = page.locator('[data-section="symbols"]')
    key.wait_for(timeout=30_000)
    listed = [s.strip() for s in key.locator("dt").all_text_contents()]
    assert set(listed) == set(symbols_on([page.content()])), listed
    assert all(len(d) > 20 for d in key.locator("dd").all_text_contents())
    return listed


def assert_dashboard_accessible(page: Any, what: str) -> None:
    """axe-core's WCAG A/AA rules pass on the page with every chart's table of figures open."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert_accessible(page, what=what)


def assert_links_to_every_dashboard(page: Any, notebook: str) -> None:
    """The page links to each board dashboard by name, and says which one it is."""
    nav = page.get_by_role("navigation", name="Board dashboards")
    links = nav.get_by_role("link")
    assert links.all_text_contents() == [name for _, name in settings.DASHBOARDS]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == \
        [file for file, _ in settings.DASHBOARDS]
    current = nav.locator('[aria-current="page"]')
    assert current.count() == 1 and current.get_attribute("href") == notebook


def assert_nothing_private(page: Any, rounds: list[AuditRound]) -> None:
    """No case id, auditor, note text, code or traceback on the page."""
    text = page.inner_text("body")
    assert "Traceback" not in text and "There was an error" not in text
    assert page.locator(".ca-problem").count() == 0
    assert not any(c.id in text for r in rounds for c in r.cases), "a case id reached the page"
    assert not any(a.id in text for r in rounds for a in r.auditors), "an auditor is named"
    assert "Synthetic note" not in text and "Synthetic rationale" not in text


@contextmanager
def board_page(server: Server, notebook: str, ready: str, folder: Path,
               rounds: list[AuditRound], what: str, heading: str | None = None) -> Iterator[Any]:
    """``notebook`` open in Chromium at a laptop's size, its heading naming the latest round (or
    ``heading``, for a page that is not about a round), for the test's own checks; then the checks
    every board page must pass (the symbols keyed, nothing private, accessible) and a screenshot
    of the whole page in ``folder``."""
    name = Path(notebook).stem
    with chromium_page(folder / "profile") as page:
        open_page(page, server, notebook, ready)
        assert (heading or rounds[-1].title) in page.locator("h2").first.inner_text()
        assert_links_to_every_dashboard(page, notebook)
        page.screenshot(path=folder / f"{name}.png")  # the top of the page, as a laptop shows it
        yield page
        assert_symbols_key(page)
        assert_nothing_private(page, rounds)
        assert_dashboard_accessible(page, what)
        page.screenshot(path=folder / f"{name}-full.png", full_page=True)
