"""A PostgreSQL workbook that cannot be reached or signed in to: a server that is down, a wrong
password, a database that does not exist, the driver not installed. Each is a StoreError saying
what to do (the command line prints it, never a traceback), never shows the password, and
writes nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseaudit.cli import main
from caseaudit.errors import StoreError
from caseaudit.rounds import AuditRound, write_round
from caseaudit.store import open_store

from .postgres import ADMIN, Cluster, free_port, throwaway_cluster

SECRET = "not-the-password-7Qx"


def _tables(cluster: Cluster, database: str) -> str:
    """The tables of ``database`` (psql's output: one name a line), to show nothing was made."""
    return cluster.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", database)


def _refused(url: str, create: bool = True) -> str:
    with pytest.raises(StoreError) as caught:
        open_store(url, create=create)
    message = str(caught.value)
    assert SECRET not in message and "Traceback" not in message
    return message


def test_a_server_that_is_down_is_named_with_what_to_check() -> None:
    port = free_port()  # nothing listens there
    message = _refused(f"postgresql://auditor:{SECRET}@127.0.0.1:{port}/workbook")
    assert message.startswith(f"The database server of postgresql+psycopg://auditor:***@127.0.0.1:{port}"
                              "/workbook is not answering. Check that it is running and that "
                              "CASEAUDIT_DB (or --db) names its host and port")
    assert message.endswith("Nothing was changed.")


def test_a_wrong_password_is_refused_without_showing_it(pg_cluster: Cluster, pg_database: str) -> None:
    message = _refused(pg_cluster.url(pg_database, password=SECRET))
    assert f"refused to sign in {ADMIN}: the password is wrong, or there is no such user" in message
    assert f"{ADMIN}:***@127.0.0.1:{pg_cluster.port}/{pg_database}" in message
    assert message.endswith("Nothing was changed.")
    assert _tables(pg_cluster, pg_database) == ""


def test_a_database_that_does_not_exist_is_named_and_not_made(pg_cluster: Cluster) -> None:
    message = _refused(pg_cluster.url("no_such_workbook"))
    assert message.startswith("There is no database no_such_workbook on the server of ")
    assert "(createdb no_such_workbook), then run `caseaudit init --db` with its URL" in message
    assert pg_cluster.password not in message
    assert "no_such_workbook" not in pg_cluster.psql("SELECT datname FROM pg_database")


def test_the_driver_not_installed_names_the_package_to_install(
        pg_cluster: Cluster, pg_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if `pip install` had not installed it
    message = _refused(pg_cluster.url(pg_database).replace(pg_cluster.password, SECRET))
    assert message.startswith(f"The database postgresql+psycopg://caseaudit_admin:***@127.0.0.1:"
                              f"{pg_cluster.port}/{pg_database} needs the Python package psycopg, "
                              "which is not installed: run `pip install 'caseaudit[postgres]'`")
    assert _tables(pg_cluster, pg_database) == ""


def test_the_command_line_prints_the_message_not_a_traceback(
        pg_cluster: Cluster, pg_database: str, audit: AuditRound, tmp_path: Path) -> None:
    write_round(audit, tmp_path / "audits")
    url = pg_cluster.url(pg_database, password=SECRET)
    result = CliRunner().invoke(main, ["progress", "--round", audit.id, "--db", url, "--audits",
                                       str(tmp_path / "audits")], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.startswith("Error: The database server of postgresql+psycopg://")
    assert "the password is wrong, or there is no such user" in result.output
    assert SECRET not in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["init", "--db", url], catch_exceptions=False)
    assert result.exit_code == 1 and "the password is wrong" in result.output
    assert SECRET not in result.output
    assert _tables(pg_cluster, pg_database) == ""


def test_a_server_restarted_under_an_open_store_is_reconnected_to_and_one_gone_is_named(
        tmp_path: Path) -> None:
    """A page stays open overnight while the server restarts: its next read reconnects; while
    the server is down, a read says so instead of raising the driver's error."""
    with throwaway_cluster(tmp_path / "own") as cluster:
        store = open_store(cluster.url(cluster.create_database("book")), create=True)
        try:
            assert store.round_ids() == []
            # every connection the store's pool holds is cut, as a restart does
            cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = 'book' AND pid <> pg_backend_pid()")
            assert store.round_ids() == []
            cluster.stop()
            with pytest.raises(StoreError) as caught:
                store.round_ids()
            message = str(caught.value)
            assert message.startswith("The database server of postgresql+psycopg://") \
                and "is not answering" in message and cluster.password not in message
        finally:
            store.dispose()
