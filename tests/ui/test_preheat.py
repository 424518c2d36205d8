"""Pages served from preheated kernels (issue 9: dashboards that answer at once).

Each notebook the server serves has a kernel that started, and ran the notebook, before anyone
asked: a page view takes it, and the pool refills. Asserted from what the server holds, never
from how fast a page came: the kernel named in a page was running before the page was asked for.
The workbook's settings reach a pooled kernel as they reach any other; the kernel learns the
address it serves, less the token, once asked for; and the address of the page view that
emptied the pool does not reach the next kernel. The scoring app, whose pooled
kernel waits for its request inside a cell, still learns its auditor from the address after
waiting longer than a cell may run.
"""

from __future__ import annotations

import os
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from caseaudit import settings
from caseaudit.serve import SCORING_NOTEBOOK
from caseaudit.settings import TOKEN_ENV
from tests.ui.server import (
    Server,
    chromium_page,
    one_page,
    running_server,
    served_by,
    wait_for_kernels,
)
from tests.ui.voila_app import app_server

pytestmark = pytest.mark.browser

PAGE = "voila/render/page.ipynb"
SETTINGS = (settings.DB_ENV, settings.AUDITS_ENV, settings.DEMO_HOME_ENV)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, dict[str, str]]]:
    """A folder of one page that prints the workbook's settings as its kernel sees them."""
    folder = tmp_path
    values = {name: str(folder / name.lower()) for name in SETTINGS}
    source = ("import os\n"
              "from caseaudit import wait_for_viewer\n"
              f"for name in {SETTINGS!r}:\n"
              "    print(name, '=', os.environ.get(name))\n"
              "wait_for_viewer()\n"
              "print('asked for', os.environ.get('QUERY_STRING'))")
    with running_server(one_page(folder, source), folder, {**os.environ, **values}) as running:
        yield running, values


def _open(server: Server, query: str = "") -> str:
    with urllib.request.urlopen(server.url(PAGE) + query, timeout=120) as response:
        return response.read().decode()


def test_a_page_is_served_by_a_kernel_started_before_it_was_asked_for(server) -> None:  # type: ignore[no-untyped-def]
    running, _ = server
    (pooled,) = wait_for_kernels(running, 1)
    assert served_by(_open(running)) == pooled
    # the pool refills with a kernel of its own, which serves the next page
    refilled = wait_for_kernels(running, 2) - {pooled}
    assert len(refilled) == 1
    assert served_by(_open(running)) == refilled.pop()


def test_the_workbook_settings_reach_a_pooled_kernel_and_no_viewer_address_does(server) -> None:  # type: ignore[no-untyped-def]
    running, values = server
    (pooled,) = wait_for_kernels(running, 1)
    html = _open(running, "&auditor=AUD-POL-7")
    assert served_by(html) == pooled, "the page came from the pool"
    for name, value in values.items():
        assert f"{name} = {value}" in html
    # the kernel hears of the address it serves once asked for, less the server's token
    assert "asked for auditor=AUD-POL-7" in html
    # the kernel that refills the pool serves someone else: neither the server's token nor the
    # address of the page view that emptied the pool is in its environment
    (fresh,) = wait_for_kernels(running, 2) - {pooled}
    for child in psutil.Process(running.process.pid).children(recursive=True):
        if fresh in " ".join(child.cmdline()):
            environ = child.environ()
            assert all(environ.get(name) == value for name, value in values.items())
            assert TOKEN_ENV not in environ
            assert not any(running.token in v or "AUD-POL-7" in v for v in environ.values())
            break
    else:
        pytest.fail("the refilled kernel's process was not found")


def test_the_scoring_app_from_its_pool_knows_its_auditor_after_a_long_wait(tmp_path: Path) -> None:
    # the pooled kernel waits for its request inside the notebook's cell (the form reads the
    # address): far longer than a cell may run once someone waits, and still serves its page
    with app_server(SCORING_NOTEBOOK, tmp_path, ["--VoilaExecutor.timeout=3"]) as (running, _), \
            chromium_page(tmp_path / "profile") as page:
        (pooled,) = wait_for_kernels(running, 1)
        time.sleep(6)
        page.goto(running.url(auditor="AUD-CSC-1"), wait_until="domcontentloaded", timeout=120_000)
        picker = page.locator("select").nth(1)
        page.wait_for_function("() => document.querySelectorAll('select').length > 2 && "
                               "document.querySelectorAll('select')[2].options.length > 1",
                               timeout=120_000)
        assert picker.evaluate("s => s.options[s.selectedIndex].text").startswith("AUD-CSC-1")
        assert page.evaluate("JSON.parse(document.getElementById('jupyter-config-data')"
                             ".textContent).kernelId") == pooled
        assert "timed out" not in page.content()

