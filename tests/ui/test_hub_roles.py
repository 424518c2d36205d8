"""deploy/jupyterhub_config.py on a real JupyterHub (with its proxy), signed in as people of each
role: the dashboards service opens for a board viewer through the hub's sign-in and is refused to
an auditor; a board viewer lands on the dashboards and may start no server; an auditor's server is
the workbook's launcher behind the hub, running as them with their database login in its
environment and without the hub's API token, and a server their role does not have is refused.

Only what cannot run in a test is replaced: sign-in (JupyterHub's dummy authenticator with a
password instead of Azure AD), servers as local processes (not systemd units), the dashboards
service under the test's own account, and what the servers serve (one page showing its
environment instead of the real forms, which need a filled workbook).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from caseaudit import hub
from caseaudit.page_headers import SECURITY_HEADERS
from caseaudit.people import load_people
from caseaudit.serve import voila_command
from caseaudit.settings import PROJECT_DIR
from tests.ui.server import chromium_page, free_port, one_page, stop
from tests.ui.test_page_headers import WATCH_VIOLATIONS, violations

pytestmark = pytest.mark.browser

CONFIG = PROJECT_DIR / "deploy" / "jupyterhub_config.py"
PEOPLE = PROJECT_DIR / "deploy" / "people.example.yaml"
#: What the test servers' page prints: who the server runs for, as the kernel sees it.
SHOW_ENVIRONMENT = """import os
for name in ("JUPYTERHUB_USER", "CASEAUDIT_DB", "CASEAUDIT_PEOPLE", "CASEAUDIT_WEB_APP"):
    print(f"{name}={os.environ.get(name, '-')}")
print("password given:", bool(os.environ.get("PGPASSWORD")))
print("hub token in kernel:", "JUPYTERHUB_API_TOKEN" in os.environ)"""

TEST_CONFIG = """# deploy/jupyterhub_config.py, with only what cannot run in a test replaced
c = get_config()  # noqa: F821
load_subconfig({config!r})  # noqa: F821
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["TEST_HUB_PASSWORD"]
c.JupyterHub.spawner_class = "simple"
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.JupyterHub.pid_file = "{folder}/jupyterhub.pid"
c.ConfigurableHTTPProxy.pid_file = "{folder}/proxy.pid"
(service,) = c.JupyterHub.services
service.pop("user")  # the test's own account
service["url"] = "http://127.0.0.1:{service_port}"
service["command"] = {service_command!r}
real_hook = c.Spawner.pre_spawn_hook


def test_hook(spawner):
    real_hook(spawner)  # the refusals, the command and the environment, as deployed
    assert spawner.cmd[:4] == [{python!r}, "-m", "caseaudit.serve", "--app"], spawner.cmd  # an app
    spawner.cmd = {server_command!r}


c.Spawner.pre_spawn_hook = test_hook
"""


@dataclass(frozen=True)
class Hub:
    root: str
    password: str
    log: Path

    def session(self, user: str) -> requests.Session:
        """A browser's session signed in as ``user``."""
        session = requests.Session()
        form = session.get(f"{self.root}hub/login", timeout=30)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
        data = {"username": user, "password": self.password, **({"_xsrf": xsrf.group(1)} if xsrf else {})}
        signed_in = session.post(f"{self.root}hub/login", data=data, allow_redirects=False, timeout=30)
        assert signed_in.status_code == 302, (signed_in.status_code, signed_in.text[:500])
        return session


def _wait_for(url: str, status: int, log: Path, process: subprocess.Popen, seconds: float = 90) -> None:
    """Until ``url`` answers ``status`` through the proxy (404 until the hub has added its route)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the hub exited:\n{log.read_text()}"
        try:
            if requests.get(url, timeout=5, allow_redirects=False).status_code == status:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    pytest.fail(f"the hub did not answer within {seconds} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def running_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    if shutil.which("configurable-http-proxy") is None:
        pytest.fail("configurable-http-proxy (JupyterHub's proxy) is missing: run `make hub-proxy` "
                    "(make test does it for you)")
    folder = tmp_path_factory.mktemp("hub")
    secrets_dir = folder / "db-passwords"
    hub.write_missing_passwords(load_people(PEOPLE), secrets_dir)
    (folder / "service").mkdir()
    (folder / "server").mkdir()
    dashboards = one_page(folder / "service", "print('The board overview')")
    servers = one_page(folder / "server", SHOW_ENVIRONMENT)
    port, password = free_port(), secrets.token_urlsafe(12)
    config = folder / "test_config.py"
    config.write_text("import os\n" + TEST_CONFIG.format(
        config=str(CONFIG), port=port, hub_port=free_port(), proxy_api_port=free_port(), folder=folder,
        service_port=free_port(), python=sys.executable,
        service_command=voila_command(dashboards, 0, ["--announce=The dashboards are"]),
        server_command=voila_command(servers / "page.ipynb", 0, ["--announce=The app is"])))
    env = {**os.environ, "TEST_HUB_PASSWORD": password, "CASEAUDIT_PEOPLE": str(PEOPLE),
           "CASEAUDIT_HUB_DB": "postgresql://127.0.0.1:5432/caseaudit",
           "CASEAUDIT_HUB_SECRETS": str(secrets_dir)}
    log = folder / "hub.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=folder,
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(f"{root}hub/login", 200, log, process)
        _wait_for(f"{root}services/dashboards/", 302, log, process)
        yield Hub(root, password, log)
    finally:
        stop(process)


def test_a_board_viewer_reads_the_dashboards_through_the_hub(running_hub: Hub) -> None:
    board = running_hub.session("board-1")
    landing = board.get(f"{running_hub.root}hub/", allow_redirects=False, timeout=30)
    assert landing.headers["Location"].endswith(
        "/services/dashboards/voila/render/partnership_overview.ipynb")
    page = board.get(f"{running_hub.root}services/dashboards/voila/render/page.ipynb", timeout=120)
    assert page.status_code == 200 and "The board overview" in page.text
    for name, value in SECURITY_HEADERS.items():
        assert page.headers.get(name) == value, name


def test_a_board_viewer_may_start_no_server(running_hub: Hub) -> None:
    board = running_hub.session("board-1")
    refused = board.post(f"{running_hub.root}hub/api/users/board-1/server", timeout=30,
                         headers={"X-XSRFToken": board.cookies.get("_xsrf", "")})
    assert refused.status_code == 403


def test_without_signing_in_the_dashboards_send_you_to_the_hub(running_hub: Hub) -> None:
    anonymous = requests.get(f"{running_hub.root}services/dashboards/voila/render/page.ipynb",
                             allow_redirects=False, timeout=30)
    assert anonymous.status_code == 302 and "/hub/api/oauth2/authorize" in anonymous.headers["Location"]
    followed = requests.get(f"{running_hub.root}services/dashboards/voila/render/page.ipynb", timeout=30)
    assert "The board overview" not in followed.text and "/hub/login" in followed.url


def test_an_auditor_is_refused_the_dashboards(running_hub: Hub) -> None:
    auditor = running_hub.session("csc-auditor-1")
    page = auditor.get(f"{running_hub.root}services/dashboards/voila/render/page.ipynb", timeout=60)
    assert page.status_code == 403 and "The board overview" not in page.text


def test_an_auditors_server_runs_as_them_with_their_own_login(running_hub: Hub) -> None:
    auditor = running_hub.session("csc-auditor-1")
    page = auditor.get(f"{running_hub.root}hub/spawn", timeout=180)
    deadline = time.monotonic() + 120
    while "JUPYTERHUB_USER=" not in page.text and time.monotonic() < deadline:
        time.sleep(1)
        page = auditor.get(f"{running_hub.root}user/csc-auditor-1/", timeout=120)
    assert page.status_code == 200, running_hub.log.read_text()[-3000:]
    assert "JUPYTERHUB_USER=csc-auditor-1" in page.text
    assert "CASEAUDIT_DB=postgresql://ca_csc_auditor_1@127.0.0.1:5432/caseaudit" in page.text
    assert f"CASEAUDIT_PEOPLE={PEOPLE}" in page.text and "CASEAUDIT_WEB_APP=1" in page.text
    shown = re.findall(r"(?:password given|hub token in kernel): \w+", page.text)
    assert shown == ["password given: True", "hub token in kernel: False"], shown
    for name, value in SECURITY_HEADERS.items():
        assert page.headers.get(name) == value, name
    # another person's server is not theirs to open
    other = auditor.get(f"{running_hub.root}user/pol-auditor-1/", timeout=60)
    assert "JUPYTERHUB_USER=" not in other.text


def test_a_server_the_role_does_not_have_is_refused(running_hub: Hub) -> None:
    auditor = running_hub.session("csc-auditor-1")
    refused = auditor.post(f"{running_hub.root}hub/api/users/csc-auditor-1/servers/lab", timeout=60,
                           headers={"X-XSRFToken": auditor.cookies.get("_xsrf", "")})
    assert refused.status_code == 403, refused.text
    assert "An auditor may have only these servers" in refused.text


def test_signing_in_in_a_browser_draws_every_page_under_the_policy(running_hub: Hub, tmp_path: Path) -> None:
    """The hub's own pages (login, home) and the dashboards behind it, in Chromium: the content
    security policy blocks nothing they need."""
    with chromium_page(tmp_path / "profile") as page:
        page.add_init_script(WATCH_VIOLATIONS)
        page.goto(f"{running_hub.root}hub/login", wait_until="load", timeout=60_000)
        assert page.evaluate("window.__csp") == []
        page.fill("input[name=username]", "board-1")
        page.fill("input[name=password]", running_hub.password)
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_url("**/services/dashboards/voila/render/partnership_overview.ipynb*", timeout=60_000)
        page.goto(f"{running_hub.root}services/dashboards/voila/render/page.ipynb", timeout=120_000)
        page.get_by_text("The board overview").wait_for(timeout=120_000)
        page.screenshot(path=str(tmp_path / "dashboards-behind-hub.png"))
        assert violations(page) == []
        page.goto(f"{running_hub.root}hub/home", wait_until="load", timeout=60_000)
        assert violations(page) == []
