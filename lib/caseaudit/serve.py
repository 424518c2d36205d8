"""Serving the dashboards, the scoring form and the audit meeting's form with Voila, the same way
for `make demo`, `make auditor`, `make moderation`, a real server and the tests.

Voila serves only ``notebooks/dashboards/`` (or, as an app, the one scoring or meeting notebook), on
127.0.0.1, behind a token (``VOILA_TOKEN``, else a fresh random one), without code cells or
tracebacks in the page, and culls kernels of closed tabs.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from . import settings

DASHBOARDS_DIR = settings.PROJECT_DIR / "notebooks" / "dashboards"
SCORING_NOTEBOOK = settings.PROJECT_DIR / "notebooks" / "score_a_case.ipynb"
MEETING_NOTEBOOK = settings.PROJECT_DIR / "notebooks" / "audit_meeting.ipynb"
#: The single-notebook apps: what ``--app`` serves and how the address is announced.
APPS = {"scoring": (SCORING_NOTEBOOK, "The scoring form is"),
        "moderation": (MEETING_NOTEBOOK, "The audit meeting's moderation form is")}
DEFAULT_PORT = 8866


def voila_command(target: Path, port: int, token: str, extra: Sequence[str] = ()) -> list[str]:
    """The Voila command line for a folder or one notebook: token on, sources and tracebacks
    off."""
    return [
        sys.executable, "-m", "voila", str(target),
        "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", f"--token={token}",
        "--strip_sources=True", "--show_tracebacks=False",
        "--VoilaExecutor.timeout=120",
        "--MappingKernelManager.cull_interval=60", "--MappingKernelManager.cull_idle_timeout=300",
        *extra,
    ]


def dashboard_url(port: int, token: str, notebook: str = "partnership_overview.ipynb") -> str:
    """The address a person opens to read ``notebook``."""
    return f"http://127.0.0.1:{port}/voila/render/{notebook}?token={token}"


def app_url(port: int, token: str) -> str:
    """The address of a single-notebook app (the scoring or the meeting's form)."""
    return f"http://127.0.0.1:{port}/?token={token}"


@click.command()
@click.option("--demo/--no-demo", default=False,
              help="Serve the synthetic demo partnership (the apps do so unless CASEAUDIT_DB "
                   "is set).")
@click.option("--app", type=click.Choice(["dashboards", *APPS]), default="dashboards",
              show_default=True,
              help="The dashboards, or the scoring form or the meeting's form as a web app.")
def main(demo: bool, app: str) -> None:
    """Serve the dashboards or an app; port from PORT (default 8866), token from VOILA_TOKEN
    (else a fresh random one)."""
    port = int(os.environ.get("PORT") or DEFAULT_PORT)
    token = os.environ.get("VOILA_TOKEN") or secrets.token_urlsafe(24)
    env = dict(os.environ)
    if demo or (app in APPS and not env.get(settings.DB_ENV)):
        env[settings.DB_ENV] = str(settings.DEMO_DB_PATH)
        env[settings.AUDITS_ENV] = str(settings.DEMO_AUDITS_DIR)
    if app in APPS:
        env["CASEAUDIT_WEB_APP"] = "1"
        notebook, what = APPS[app]
        command, url = voila_command(notebook, port, token), app_url(port, token)
    else:
        command, url, what = voila_command(DASHBOARDS_DIR, port, token), \
            dashboard_url(port, token), "The dashboards are"
    click.echo("")
    click.echo(f"{what} being served. Open this address in your browser:")
    click.echo(f"    {url}")
    click.echo(f"(database: {settings.database_url(env.get(settings.DB_ENV))}; "
               "press Ctrl+C to stop)")
    click.echo("")
    sys.stdout.flush()
    os.execve(sys.executable, command, env)


if __name__ == "__main__":  # pragma: no cover
    main()
