"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, a free local
port, password sign-in over TCP (so a wrong password is refused as on a real server), stopped and
removed at the end.

`make test` installs Debian's PostgreSQL server when it is missing (see the Makefile's
``postgres`` target); these tests fail, never skip, when it is not there, saying so.

The server runs as the ``postgres`` system user when the tests run as root (initdb refuses root),
with durability switched off (``fsync=off``): the cluster is thrown away, and the tests measure
behaviour, not speed.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: The cluster's superuser, who owns the workbook's databases in the tests.
ADMIN = "caseaudit_admin"


class NoPostgres(RuntimeError):
    """The PostgreSQL server programs are not installed."""


def server_bin() -> Path:
    """The folder of initdb and pg_ctl: Debian keeps them out of PATH, under
    /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parent.parent.name))
    if versions:
        return Path(versions[-1]).parent
    raise NoPostgres("The PostgreSQL server is not installed, so the PostgreSQL tests cannot run. "
                     "Run `make test` (it installs Debian's postgresql package) or "
                     "`apt-get install postgresql`.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running throwaway cluster: its folder, port, and the superuser's password."""

    root: Path
    port: int
    password: str
    bin: Path

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def url(self, database: str = "postgres", user: str = ADMIN, password: str | None = None,
            driver: str = "postgresql+psycopg") -> str:
        """A SQLAlchemy URL for ``database`` over TCP, signed in as ``user`` (the superuser, with
        its password, unless said)."""
        secret = self.password if password is None and user == ADMIN else password
        auth = f"{user}:{secret}" if secret is not None else user
        return f"{driver}://{auth}@127.0.0.1:{self.port}/{database}"

    def run(self, *argv: str, check: bool = True, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run one of the server's programs (psql, pg_dump, ...) as the cluster's owner."""
        return subprocess.run(_as_owner([str(self.bin / argv[0]), *argv[1:]]), check=check,
                              text=True, capture_output=True, input=input,
                              env={**os.environ, **(env or {})})

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run ``sql`` as the superuser through the cluster's socket; what psql printed."""
        done = self.run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", str(self.socket_dir),
                        "-p", str(self.port), "-U", ADMIN, "-d", database, input=sql)
        return done.stdout

    def create_database(self, name: str | None = None) -> str:
        """A new empty database owned by the superuser; its name."""
        name = name or f"t_{uuid.uuid4().hex[:16]}"
        self.psql(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop", check=False)


def _as_owner(argv: list[str]) -> list[str]:
    """``argv`` as run by the ``postgres`` system user when we are root (initdb and the server
    refuse to run as root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


@contextmanager
def throwaway_cluster(root: Path) -> Iterator[Cluster]:
    """Start a cluster in ``root`` (which must not exist yet), yield it, stop it and remove the
    folder."""
    bin_dir = server_bin()
    root.mkdir(parents=True)
    (root / "socket").mkdir()
    password = secrets.token_urlsafe(16)
    pwfile = root / "pwfile"
    pwfile.write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(root / "socket", "postgres")
        shutil.chown(pwfile, "postgres")
        # the folders above must be reachable by the postgres user
        for parent in root.parents:
            if parent == Path("/"):
                break
            mode = parent.stat().st_mode
            if not mode & 0o001:
                os.chmod(parent, mode | 0o001)
    cluster = Cluster(root=root, port=free_port(), password=password, bin=bin_dir)
    try:
        cluster.run("initdb", "-D", str(root / "data"), "-U", ADMIN, f"--pwfile={pwfile}",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {cluster.port} -k {root / 'socket'} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        cluster.run("pg_ctl", "-D", str(root / "data"), "-o", options, "-l", str(root / "server.log"),
                    "-w", "-t", "60", "start")
    except subprocess.CalledProcessError as exc:
        log = root / "server.log"
        raise RuntimeError(f"The throwaway PostgreSQL cluster did not start: {exc.stderr}\n"
                           f"{log.read_text() if log.exists() else ''}") from None
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def db_option(store_url: object) -> str:
    """What a test passes as ``--db`` (or CASEAUDIT_DB) for a store whose engine URL is
    ``store_url`` (or a path): an SQLite file's path, or the full URL with its password (a command signs in
    afresh, and SQLAlchemy hides the password when the URL is printed)."""
    import sqlalchemy as sa

    if "://" not in str(store_url):
        return str(store_url)  # a path already
    url = sa.make_url(store_url)  # type: ignore[call-overload]
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=False)
