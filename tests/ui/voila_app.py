"""A single-notebook Voila app on its own synthetic store, as `make auditor` and
`make moderation` serve it, for the browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from caseaudit.notebooks import demo_environment
from tests.ui.server import Server, running_server


@contextmanager
def app_server(notebook: Path, folder: Path, extra: Sequence[str] = (),
               **extra_env: str) -> Iterator[tuple[Server, dict[str, str]]]:
    """Serve ``notebook`` over a fresh synthetic partnership in ``folder``, with Voila options
    ``extra``; yield the server and the environment the app runs with (so the test can open the
    same store)."""
    env = {**os.environ, **demo_environment(folder), "CASEAUDIT_WEB_APP": "1", **extra_env}
    with running_server(notebook, folder, env, extra) as server:
        yield server, env


@contextmanager
def running_app(notebook: Path, folder: Path, **extra_env: str) -> Iterator[tuple[str, dict[str, str]]]:
    """As `app_server`, yielding the app's address instead of the server."""
    with app_server(notebook, folder, **extra_env) as (server, env):
        yield server.url(), env
