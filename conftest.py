"""Test-session set-up shared by the library tests and the notebook tests (nbval).

Notebook kernels inherit this process's environment, so before any test runs the workbook is
pointed at a freshly generated synthetic partnership (default seed) in a temporary folder: the
tests never read or write data/workbook.db or audits/.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_TMP: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CASEAUDIT_TEST_DEMO"):
        return  # already prepared by a parent process (xdist controller)
    from caseaudit.notebooks import demo_environment

    folder = tempfile.mkdtemp(prefix="caseaudit-test-")
    _TMP.append(folder)
    os.environ.update(demo_environment(folder))
    os.environ["CASEAUDIT_TEST_DEMO"] = folder
    os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _TMP:
        shutil.rmtree(folder, ignore_errors=True)
