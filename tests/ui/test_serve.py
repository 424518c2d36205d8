"""`make demo`'s, `make auditor`'s and `make moderation`'s server: the address it prints opens
the page, and only with its token."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.ui.test_dashboard_browser import _free_port, _status

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("app", "given_token", "title"), [
    ("dashboards", "a-token-from-the-environment", "Partnership overview"),
    ("dashboards", None, "Partnership overview"),
    ("scoring", None, "Score a case"),
    ("moderation", None, "The multi-agency audit meeting"),
])
def test_serve_prints_a_working_address(app: str, given_token: str | None, title: str) -> None:
    port = _free_port()
    env = {**os.environ, "PORT": str(port)}
    env.pop("VOILA_TOKEN", None)
    if given_token:
        env["VOILA_TOKEN"] = given_token
    proc = subprocess.Popen([sys.executable, "-m", "caseaudit.serve", "--app", app], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            found = re.search(r"http://127\.0\.0\.1:\d+/\S*\?token=\S+", line)
            url = found.group(0) if found else None
        assert url, "serve did not print the address to open"
        assert f":{port}/" in url
        token = url.rsplit("token=", 1)[1]
        assert token == given_token if given_token else len(token) >= 20
        for _ in range(120):
            try:
                if _status(url) == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        with urllib.request.urlopen(url, timeout=120) as response:
            page = response.read().decode()
        assert title in page
        assert not any(call in page for call in ("overview_dashboard()", "scoring_form()",
                                                 "moderation_app()")), "code reached the page"
        assert _status(url.split("?")[0]) in (302, 403)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
