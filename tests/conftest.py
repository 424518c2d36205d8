"""Shared fixtures: a small synthetic partnership in a fresh database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseaudit.framework import Framework, load_framework
from caseaudit.rounds import AuditRound
from caseaudit.store import Store, open_store
from caseaudit.synthetic import build_partnership, write_partnership

TESTS = Path(__file__).parent


@pytest.fixture(scope="session")
def jtai() -> Framework:
    return load_framework("jtai-csa-family", "1.0")


@pytest.fixture(scope="session")
def small_partnership(jtai: Framework):  # type: ignore[no-untyped-def]
    return build_partnership(cases=8, rounds=2, seed=7, framework=jtai)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "workbook.db", create=True)
    yield s
    s.dispose()


@pytest.fixture
def audit(small_partnership) -> AuditRound:  # type: ignore[no-untyped-def]
    return small_partnership.rounds[-1]


@pytest.fixture
def filled(tmp_path: Path, small_partnership, jtai: Framework):  # type: ignore[no-untyped-def]
    """A store and audits folder holding the small partnership."""
    s = open_store(tmp_path / "filled.db", create=True)
    write_partnership(small_partnership, tmp_path / "audits", s, jtai)
    yield s, tmp_path / "audits"
    s.dispose()
