"""A link crafted to run script through the page settings Voila writes into the page unescaped
(``theme``, ``template``) is refused, on the dashboards and on the apps, and runs nothing in the
browser of whoever opens it; the address as given still opens the page. The token goes through the
environment only: the launcher refuses one on its command line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from caseaudit.serve import DASHBOARDS_DIR, PAGE_TEMPLATE, SCORING_NOTEBOOK
from caseaudit.settings import TOKEN_ENV
from tests.ui.server import Server, chromium_page, running_server, status
from tests.ui.voila_app import running_app

pytestmark = pytest.mark.browser

SCRIPT = "window.__pwned=1;document.title='pwned'"
#: Each would run SCRIPT on Voila 0.5.13 as installed: the theme lands in the <body> tag of a
#: notebook page, the template in the stylesheet links of the list of dashboards.
CRAFTED = {"theme": quote(f'x" onload="{SCRIPT}"'),
           "template": quote(f'x"><img src=x onerror="{SCRIPT}">')}
OVERVIEW = "voila/render/partnership_overview.ipynb"


@pytest.fixture(scope="module")
def dashboards(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(DASHBOARDS_DIR, tmp_path_factory.mktemp("dashboards")) as server:
        yield server


@pytest.fixture(scope="module")
def scoring_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(SCORING_NOTEBOOK, tmp_path_factory.mktemp("scoring")) as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with chromium_page(tmp_path_factory.mktemp("chromium-profile")) as page:
        yield page


def _address(where: str, dashboards: Server, scoring_app: str) -> str:
    return {"overview": lambda: dashboards.url(OVERVIEW),
            "list of dashboards": lambda: dashboards.url(""),
            "scoring app": lambda: scoring_app}[where]()


def _pwned(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__pwned !== undefined") or page.title() == "pwned"


@pytest.mark.parametrize("setting", sorted(CRAFTED))
@pytest.mark.parametrize("where", ["overview", "list of dashboards", "scoring app"])
def test_a_crafted_link_is_refused_and_runs_no_script(where: str, setting: str, dashboards: Server,
                                                      scoring_app: str, browser) -> None:  # type: ignore[no-untyped-def]
    crafted = f"{_address(where, dashboards, scoring_app)}&{setting}={CRAFTED[setting]}"
    response = browser.goto(crafted, wait_until="load", timeout=120_000)
    assert response is not None and response.status == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert f"asks for a page {setting} the workbook does not offer" in browser.inner_text("body")
    assert not _pwned(browser), "the crafted link ran script"


@pytest.mark.parametrize("where", ["overview", "list of dashboards", "scoring app"])
def test_the_address_as_given_still_opens_the_page(where: str, dashboards: Server, scoring_app: str,
                                                   browser) -> None:  # type: ignore[no-untyped-def]
    response = browser.goto(_address(where, dashboards, scoring_app), wait_until="domcontentloaded",
                            timeout=120_000)
    assert response is not None and response.status == 200
    if where == "list of dashboards":
        # The server writes the list itself: it is in the page as sent, whatever script does later.
        assert "partnership_overview.ipynb" in response.text()
        browser.get_by_text("partnership_overview.ipynb").wait_for(timeout=120_000)
    else:
        browser.locator("select").first.wait_for(timeout=120_000)  # the page's widgets are live
    assert not _pwned(browser)


def test_the_server_own_theme_and_template_may_be_named(dashboards: Server) -> None:
    assert status(dashboards.url("", theme="light", template=PAGE_TEMPLATE)) == 200


def test_the_launcher_refuses_a_token_on_its_command_line(tmp_path: Path) -> None:
    for option in ("--token=a-secret", "--Voila.token=a-secret", "--token"):
        done = subprocess.run([sys.executable, "-m", "caseaudit.voila_app", str(DASHBOARDS_DIR), option],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode != 0
        assert f"visible to every user of this machine. Set {TOKEN_ENV} instead" in done.stderr
