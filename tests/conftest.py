"""Shared fixtures: a small synthetic partnership in a fresh database per test."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from caseaudit.framework import Answer, Framework, load_framework
from caseaudit.rounds import AuditRound, Case, load_round_file
from caseaudit.store import FormSave, Store, open_store
from caseaudit.synthetic import build_partnership, write_partnership

from .postgres import Cluster, throwaway_cluster

TESTS = Path(__file__).parent
#: The committed synthetic practice week (May 2026, every stream, participants P-01 to P-10).
PRACTICE_WEEK_EXAMPLE = TESTS.parent / "audits" / "2026-05-practice-week" / "audit.yaml"


@pytest.fixture(scope="session")
def jtai() -> Framework:
    return load_framework("jtai-csa-family", "1.0")


@pytest.fixture(scope="session")
def pw() -> Framework:
    """The built-in practice-week framework."""
    return load_framework("practice-week", "1.0")


@pytest.fixture(scope="session")
def week() -> AuditRound:
    """The committed example practice week."""
    return load_round_file(PRACTICE_WEEK_EXAMPLE)


@pytest.fixture(scope="session")
def small_partnership(jtai: Framework):  # type: ignore[no-untyped-def]
    return build_partnership(cases=8, rounds=2, seed=7, framework=jtai)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_databases: run the module's tests that use the store "
                            "(store, filled, database_url) on SQLite and on PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module marked ``both_databases`` runs each test that needs a database twice: on SQLite
    and on a throwaway PostgreSQL cluster."""
    if "db_kind" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_databases"):
        metafunc.parametrize("db_kind", ["sqlite", "postgresql"])


@pytest.fixture
def db_kind() -> str:
    """Which database a test's store is on: SQLite unless its module is marked both_databases."""
    return "sqlite"


@pytest.fixture(scope="session")
def pg_cluster() -> Cluster:
    """One throwaway PostgreSQL cluster per test worker, stopped and removed at the end.

    Its folder is a temporary folder of its own, not under pytest's: another pytest session
    started as root resets pytest's folder to owner-only, which would cut the server (running as
    the postgres user) off from its own socket in the middle of this run."""
    with (tempfile.TemporaryDirectory(prefix="caseaudit-pg-") as folder,
          throwaway_cluster(Path(folder) / "cluster") as cluster):
        yield cluster


@pytest.fixture
def pg_database(pg_cluster: Cluster) -> str:
    """A new empty PostgreSQL database for one test, dropped after it; its name."""
    name = pg_cluster.create_database()
    yield name
    pg_cluster.drop_database(name)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, db_kind: str, tmp_path: Path) -> Callable[[str], str]:
    """``database_url("filled")``: where a test's workbook called that lives: a file in the
    test's folder on SQLite, a new database (dropped after the test) on PostgreSQL."""
    if db_kind == "sqlite":
        yield lambda name="workbook": str(tmp_path / f"{name}.db")
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    made: dict[str, str] = {}

    def url(name: str = "workbook") -> str:
        if name not in made:
            made[name] = cluster.create_database()
        return cluster.url(made[name])

    yield url
    for database in made.values():
        cluster.drop_database(database)


@pytest.fixture
def store(database_url: Callable[[str], str]) -> Store:
    s = open_store(database_url("workbook"), create=True)
    yield s
    s.dispose()


@pytest.fixture
def audit(small_partnership) -> AuditRound:  # type: ignore[no-untyped-def]
    return small_partnership.rounds[-1]


@pytest.fixture
def filled(tmp_path: Path, database_url: Callable[[str], str], small_partnership,  # type: ignore[no-untyped-def]
           jtai: Framework):
    """A store and audits folder holding the small partnership."""
    s = open_store(database_url("filled"), create=True)
    write_partnership(small_partnership, tmp_path / "audits", s, jtai)
    yield s, tmp_path / "audits"
    s.dispose()


@pytest.fixture
def case_with() -> Callable[..., Case]:
    """``case_with(audit, "CSC", "Pol")``: the round's first case that involves every agency
    named, so a test says which agencies it needs rather than which case."""
    def find(audit: AuditRound, *agencies: str) -> Case:
        return next(c for c in audit.cases if set(agencies) <= set(c.agencies))
    return find


@pytest.fixture
def submit(store: Store, jtai: Framework) -> Callable[..., None]:
    """``submit(audit, case, "Pol", {"1.1": 4})``: the agency's first auditor submits its
    form for the case in ``store`` (or ``into=`` another), ``every`` grade (Good unless said) on
    every criterion the agency answers but those given."""
    def submit_form(audit: AuditRound, case: Case, agency: str,
                    grades: Mapping[str, Answer] | None = None, every: Answer = 2,
                    into: Store | None = None) -> None:
        auditor = next(a.id for a in audit.auditors if a.agency == agency)
        answers = {c.id: every for c in jtai.criteria_for(agency)} | dict(grades or {})
        (into or store).save_form(audit, jtai, FormSave(case.id, agency, auditor, answers,
                                                        status="submitted"))
    return submit_form


class Later:
    """A form's scheduler whose calls wait until the test runs them (the kernel's loop, by hand):
    what a form asked for, after which delays, and what is still due."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.waiting: list[list[Callable[[], None]]] = []

    def __call__(self, delay: float, fn: Callable[[], None]) -> Any:
        entry = [fn]
        self.delays.append(delay)
        self.waiting.append(entry)
        return type("Handle", (), {"cancel": lambda _self: entry.clear()})()

    def run(self) -> int:
        """Fire what is still due (cancelled calls are not); how many fired."""
        due = [e[0] for e in self.waiting if e]
        self.waiting.clear()
        for fn in due:
            fn()
        return len(due)


@pytest.fixture
def later() -> Later:
    """A scheduler for a form whose autosave the test fires by hand (``later.run()``)."""
    return Later()
