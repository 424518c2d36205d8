"""Serving the dashboards, the scoring form, the audit meeting's form, the action plan's
progress-update form and the practice week's forms with Voila, the same way for `make demo`,
`make auditor`, `make moderation`, `make actions`, `make practice-week`, a real server and the
tests.

The server is our launcher, `caseaudit.voila_app` (see there why): it serves only
``notebooks/dashboards/`` (or, as an app, the one scoring, meeting, update or practice-week notebook), on
127.0.0.1, behind a token taken from ``VOILA_TOKEN`` (else a fresh random one) and never put on a
command line, without code cells or tracebacks in the page, from a preheated kernel per notebook that has run
the notebook before anyone asks, with a capped number of kernels culled soon after their page
closes, and prints the address to open once it answers. Kernels, pooled or not, inherit the
server's environment: the ``CASEAUDIT_*`` settings set here reach every page. Started by a
partnership's JupyterHub (deploy/), the same command serves where the hub says, behind the hub's
sign-in instead of a token (`caseaudit.hub_server`); every page carries the security headers of
`caseaudit.page_headers` either way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import click

from . import settings

DASHBOARDS_DIR = settings.PROJECT_DIR / "notebooks" / "dashboards"
SCORING_NOTEBOOK = settings.PROJECT_DIR / "notebooks" / "score_a_case.ipynb"
MEETING_NOTEBOOK = settings.PROJECT_DIR / "notebooks" / "audit_meeting.ipynb"
ACTIONS_NOTEBOOK = settings.PROJECT_DIR / "notebooks" / "record_progress.ipynb"
PRACTICE_WEEK_NOTEBOOK = settings.PROJECT_DIR / "notebooks" / "practice_week.ipynb"
#: The single-notebook apps: what ``--app`` serves and how the address is announced.
APPS = {"scoring": (SCORING_NOTEBOOK, "The scoring form is"),
        "moderation": (MEETING_NOTEBOOK, "The audit meeting's moderation form is"),
        "actions": (ACTIONS_NOTEBOOK, "The action plan's progress-update form is"),
        "practice-week": (PRACTICE_WEEK_NOTEBOOK, "The practice week's forms are")}
DEFAULT_PORT = 8866
OVERVIEW = settings.DASHBOARDS[0][0]


#: The Voila template every page is drawn with: Voila's "lab" page plus what makes ipywidgets'
#: markup usable from the keyboard and by a screen reader (the public sector accessibility
#: regulations bind the partnership's councils and health bodies). It lives in
#: ``PAGE_TEMPLATE_ROOT``, which the launcher puts on Jupyter's data path.
PAGE_TEMPLATE = "caseaudit"
PAGE_TEMPLATE_ROOT = Path(__file__).parent / "page_template"
#: What every page is served with unless ``extra`` says otherwise: no code, no tracebacks, the
#: workbook's template, and a cell that runs longer than two minutes while someone waits is
#: stopped with a message.
PAGE_OPTIONS = ("--strip_sources=True", "--show_tracebacks=False", f"--template={PAGE_TEMPLATE}",
                "--VoilaExecutor.timeout=120")


def voila_command(target: Path, port: int, extra: Sequence[str] = ()) -> list[str]:
    """The command line that serves a folder or one notebook through our launcher, with
    `PAGE_OPTIONS` less those ``extra`` sets itself (Voila refuses an option given twice). It
    holds no token: run it with the token in ``VOILA_TOKEN`` (or none, and read the address it
    prints)."""
    given = {option.split("=", 1)[0] for option in extra}
    return [sys.executable, "-m", "caseaudit.voila_app", str(target), f"--port={port}",
            *(option for option in PAGE_OPTIONS if option.split("=", 1)[0] not in given), *extra]


def page_url(base: str, page: str, token: str) -> str:
    """The address of ``page`` (relative to the server's root ``base``) with its token."""
    return f"{base.rstrip('/')}/{page}?token={quote(token, safe='')}"


def dashboard_url(port: int, token: str, notebook: str = OVERVIEW) -> str:
    """The address a person opens to read ``notebook``."""
    return page_url(f"http://127.0.0.1:{port}/", f"voila/render/{notebook}", token)


def app_url(port: int, token: str) -> str:
    """The address of a single-notebook app (the scoring or the meeting's form)."""
    return page_url(f"http://127.0.0.1:{port}/", "", token)


@click.command()
@click.option("--demo/--no-demo", default=False,
              help="Serve the synthetic demo partnership (the apps do so unless CASEAUDIT_DB "
                   "is set).")
@click.option("--app", type=click.Choice(["dashboards", *APPS]), default="dashboards",
              show_default=True,
              help="The dashboards, or the scoring form, the meeting's form, the progress-update "
                   "form or the practice week's forms as a web app.")
def main(demo: bool, app: str) -> None:
    """Serve the dashboards or an app; port from PORT (default 8866), token from VOILA_TOKEN
    (else a fresh random one). The address to open is printed last, once the server answers."""
    port = int(os.environ.get(settings.PORT_ENV) or DEFAULT_PORT)
    env = dict(os.environ)
    if demo or (app in APPS and not env.get(settings.DB_ENV)):
        env[settings.DB_ENV] = str(settings.DEMO_DB_PATH)
        env[settings.AUDITS_ENV] = str(settings.DEMO_AUDITS_DIR)
    if app in APPS:
        env[settings.WEB_APP_ENV] = "1"
        notebook, what = APPS[app]
        command = voila_command(notebook, port, [f"--announce={what}"])
    else:
        what = "The dashboards are"
        command = voila_command(DASHBOARDS_DIR, port,
                                [f"--page=voila/render/{OVERVIEW}", f"--announce={what}"])
    click.echo(f"Starting the server on {settings.database_url(env.get(settings.DB_ENV))} "
               "(a few seconds)...")
    sys.stdout.flush()
    os.execve(sys.executable, command, env)


if __name__ == "__main__":  # pragma: no cover
    main()
