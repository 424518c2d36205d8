"""A single-notebook Voila app on its own synthetic store, as `make auditor` and
`make moderation` serve it, for the browser tests."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from caseaudit.notebooks import demo_environment
from caseaudit.serve import app_url, voila_command
from tests.ui.test_dashboard_browser import _free_port


@contextmanager
def running_app(notebook: Path, folder: Path, **extra_env: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Serve ``notebook`` over a fresh synthetic partnership in ``folder``; yield its address and
    the environment the app runs with (so the test can open the same store)."""
    env = {**os.environ, **demo_environment(folder), "CASEAUDIT_WEB_APP": "1", **extra_env}
    port, token = _free_port(), secrets.token_urlsafe(16)
    log = folder / "voila.log"
    with log.open("w") as out:
        proc = subprocess.Popen(voila_command(notebook, port, token), env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"voila did not start:\n{log.read_text()}")
        yield app_url(port, token), env
    finally:
        proc.terminate()
        proc.wait(timeout=15)
