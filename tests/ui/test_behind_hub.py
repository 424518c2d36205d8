"""Started by JupyterHub (the dashboards service, or a person's app server), the workbook's
launcher serves where the hub says and lets nobody in without the hub's sign-in: the server's own
token opens nothing, every request is sent to the hub to sign in, and the headers still go out."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from caseaudit.page_headers import SECURITY_HEADERS
from caseaudit.serve import voila_command
from tests.ui.server import _NoRedirect, free_port, one_page, stop

pytestmark = pytest.mark.browser

PREFIX = "/services/dashboards/"


def _get(url: str) -> tuple[int, dict[str, str]]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def test_a_request_without_the_hubs_sign_in_is_sent_to_the_hub(tmp_path: Path) -> None:
    pages = one_page(tmp_path, "print('a board page')")
    port, voila_token = free_port(), secrets.token_urlsafe(16)
    env = {**os.environ, "VOILA_TOKEN": voila_token,
           "JUPYTERHUB_API_TOKEN": secrets.token_hex(16),
           "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api",
           "JUPYTERHUB_BASE_URL": "/", "JUPYTERHUB_SERVICE_NAME": "dashboards",
           "JUPYTERHUB_CLIENT_ID": "service-dashboards",
           "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}", "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
           "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{PREFIX}oauth_callback",
           "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps(["access:services!service=dashboards"])}
    log = tmp_path / "server.log"
    with log.open("w") as out:  # the port on the command line is the hub's to override
        process = subprocess.Popen(voila_command(pages, free_port(), ["--announce=The dashboards are"]),
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        root = f"http://127.0.0.1:{port}{PREFIX}"
        for _ in range(300):
            if "ready behind JupyterHub" in log.read_text():
                break
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
        assert f"The dashboards are ready behind JupyterHub, at {PREFIX}" in log.read_text()
        assert voila_token not in log.read_text()
        for page in ("voila/render/page.ipynb", f"voila/render/page.ipynb?token={voila_token}", ""):
            status, headers = _get(root + page)
            assert status == 302, (page, status)
            target = urlsplit(headers["Location"])
            assert target.path == "/hub/api/oauth2/authorize", headers["Location"]
            assert parse_qs(target.query)["client_id"] == ["service-dashboards"]
            for name, value in SECURITY_HEADERS.items():
                assert headers.get(name) == value
    finally:
        stop(process)
