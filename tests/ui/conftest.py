"""What the browser tests of the apps share: the scoring, meeting and progress-update apps and a
dashboard, served once per test module, and choosing from an ipywidgets drop-down as a person
would, by the start of the option's text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from caseaudit.results import round_results
from caseaudit.serve import ACTIONS_NOTEBOOK, MEETING_NOTEBOOK, SCORING_NOTEBOOK
from caseaudit.store import open_store
from tests.inspections import write_inspection
from tests.ui.dashboard_pages import Latest, case_audits, serving
from tests.ui.server import Server
from tests.ui.voila_app import running_app


def _choose(page: Any, index: int, text: str) -> None:
    select = page.locator("select").nth(index)
    # ipywidgets pads labels with no-break spaces; a person reads them as spaces
    options = select.evaluate("s => Array.from(s.options).map(o => o.text.replace(/\\u00a0/g, ' '))")
    select.select_option(index=next(i for i, o in enumerate(options) if o.startswith(text)))


@pytest.fixture
def choose() -> Callable[[Any, int, str], None]:
    """``choose(page, 1, "AUD-CSC-1")``: in the page's drop-down number ``index`` (from 0),
    select the first option whose text starts with ``text``."""
    return _choose


@pytest.fixture(scope="module")
def scoring_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("scoring")
    with running_app(SCORING_NOTEBOOK, folder, CASEAUDIT_SETTINGS=str(folder / "auditor.json")) \
            as app:
        yield app


@pytest.fixture(scope="module")
def meeting_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    with running_app(MEETING_NOTEBOOK, tmp_path_factory.mktemp("meeting")) as app:
        yield app


#: The day the progress-update app counts from, and who its JupyterHub login says is recording.
ACTIONS_TODAY = "2026-09-15"
ACTIONS_RECORDER = "BM-WEB"


@pytest.fixture(scope="module")
def actions_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The progress-update app on its own store, with the tests' small inspection and plan
    (tests/inspections.py), a fixed today and a JupyterHub login."""
    folder = tmp_path_factory.mktemp("actions")
    # a folder of its own: the app's demo (beside it) brings the example inspection too
    inspections = write_inspection(folder / "small-plan")
    with running_app(ACTIONS_NOTEBOOK, folder, CASEAUDIT_INSPECTIONS=str(inspections),
                     CASEAUDIT_TODAY=ACTIONS_TODAY, JUPYTERHUB_USER=ACTIONS_RECORDER) as app:
        yield app


@pytest.fixture(scope="module")
def dashboard_server(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The dashboard notebook the test module names in ``NOTEBOOK``, served on its own once for
    the module (see :func:`tests.ui.dashboard_pages.serving`)."""
    notebook = request.module.NOTEBOOK
    with serving(notebook, tmp_path_factory.mktemp(Path(notebook).stem)) as running:
        yield running


@pytest.fixture(scope="module")
def latest_results() -> Latest:
    """The rounds and the latest round's results as a dashboard computes them: what a board
    page's figures are checked against."""
    rounds = case_audits()
    return rounds, round_results(open_store(create=False), rounds[-1], rounds)
