"""Every response of the workbook's server carries the security headers a council's IT security
review expects (caseaudit.page_headers): pages, the list of dashboards, static files, the kernel
API, the login page, a refusal and a 404 alike; and under that content security policy a
dashboard and the scoring form still draw, with no violation reported by the browser."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseaudit.page_headers import SECURITY_HEADERS
from caseaudit.serve import SCORING_NOTEBOOK
from tests.ui.server import Server, chromium_page, one_page, running_server, served_by
from tests.ui.voila_app import running_app

pytestmark = pytest.mark.browser

#: Records, in the page, every content-security-policy violation the browser reports.
WATCH_VIOLATIONS = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


#: Voila's lab page links Font Awesome's stylesheets from a CDN, although its own bundle carries the
#: same icons: the policy blocks them on purpose (a page must not tell another site who reads it).
BLOCKED_ON_PURPOSE = "https://cdn.jsdelivr.net/npm/@fortawesome/"


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """What the page's policy blocked, less the stylesheets it blocks on purpose."""
    return [v for v in page.evaluate("window.__csp") if BLOCKED_ON_PURPOSE not in v]


def _fetch(url: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and body of ``url`` as the server answers it (errors included)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("headers")
    pages = one_page(folder, "import ipywidgets as w\nw.Dropdown(options=['one', 'two'])")
    with running_server(pages, folder) as running:
        yield running


def _kernel(server: Server) -> str:
    """The kernel API's address for the kernel a notebook page was served by."""
    _, _, page = _fetch(server.url("voila/render/page.ipynb"))
    return f"api/kernels/{served_by(page)}"


def _static_file(server: Server) -> str:
    """The address of a script the notebook page loads from the server itself."""
    _, _, page = _fetch(server.url("voila/render/page.ipynb"))
    found = re.search(r'<script src="([^"]+\.js)"', page)
    assert found, "the page loads no script from the server"
    return f"{server.root.rstrip('/')}{found.group(1)}" if found.group(1).startswith("/") \
        else found.group(1)


@pytest.mark.parametrize("what", ["notebook page", "list of dashboards", "static file", "kernel API",
                                  "kernel API without token", "login page", "refused theme",
                                  "no such page"])
def test_every_kind_of_response_carries_the_security_headers(what: str, server: Server) -> None:
    url = {"notebook page": lambda: server.url("voila/render/page.ipynb"),
           "list of dashboards": lambda: server.url(""),
           "static file": lambda: _static_file(server),
           "kernel API": lambda: server.url(_kernel(server)),
           "kernel API without token": lambda: f"{server.root}{_kernel(server)}",
           "login page": lambda: f"{server.root}login",
           "refused theme": lambda: server.url("voila/render/page.ipynb", theme="x"),
           "no such page": lambda: server.url("no/such/page")}[what]()
    status, headers, _ = _fetch(url)
    expected_status = {"kernel API without token": 403, "refused theme": 400, "no such page": 404}
    assert status == expected_status.get(what, 200), (what, status)
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (what, name, headers.get(name))
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]


def test_the_policy_keeps_pages_to_the_server_itself() -> None:
    policy = dict(part.split(" ", 1) for part in SECURITY_HEADERS["Content-Security-Policy"].split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'self'" and policy["object-src"] == "'none'"
    # no source names another site or a whole scheme of them: only the server itself, data:, blob:
    for directive, sources in policy.items():
        for source in sources.split():
            assert source.startswith("'") or source in ("data:", "blob:"), (directive, source)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with chromium_page(tmp_path_factory.mktemp("chromium-profile")) as page:
        page.add_init_script(WATCH_VIOLATIONS)
        yield page


def test_a_widget_page_draws_under_the_policy(server: Server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    response = browser.goto(server.url("voila/render/page.ipynb"), wait_until="domcontentloaded",
                            timeout=120_000)
    assert response is not None and response.headers["content-security-policy"]
    select = browser.locator("select").first
    select.wait_for(timeout=120_000)  # the widget came from the kernel over the websocket
    select.select_option(label="two")
    browser.screenshot(path=str(tmp_path / "widget-page.png"))
    assert violations(browser) == []


def test_the_scoring_form_draws_under_the_policy(browser, tmp_path_factory: pytest.TempPathFactory) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("scoring")
    with running_app(SCORING_NOTEBOOK, folder, CASEAUDIT_SETTINGS=str(folder / "auditor.json")) as (url, _):
        browser.goto(url, wait_until="domcontentloaded", timeout=120_000)
        browser.get_by_text("I am").first.wait_for(timeout=120_000)
        browser.screenshot(path=str(folder / "scoring.png"))
        assert violations(browser) == []
