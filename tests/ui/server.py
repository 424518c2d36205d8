"""What every browser test shares: the workbook's server started as `make demo` starts it (through
`caseaudit.voila_app`, the token in the environment, never on a command line), a request that does
not follow redirects, the kernels a server holds and the one a page was served by, and a page in
Debian's headless Chromium."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
import pytest

from caseaudit.serve import page_url, voila_command
from caseaudit.settings import TOKEN_ENV

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def status(url: str, timeout: float = 5) -> int:
    """The HTTP status of ``url`` as the server answers it (a redirect is not followed)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@dataclass(frozen=True)
class Server:
    """A running server: where it listens, its token, its process and where its output goes."""

    port: int
    token: str
    process: subprocess.Popen
    log: Path

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, page: str = "", **query: str) -> str:
        """The address of ``page`` with the token (and ``query``, as given: tests craft it)."""
        extra = "".join(f"&{name}={value}" for name, value in query.items())
        return page_url(self.root, page, self.token) + extra


def wait_until_answering(server: Server, deadline_s: float = 90) -> None:
    """Until the server answers (its login page), or fail with what it printed."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the server exited early:\n{server.log.read_text()}")
        try:
            if status(f"{server.root}login") == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the server did not answer within {deadline_s} s:\n{server.log.read_text()}")


def kernel_ids(server: Server) -> set[str]:
    """The kernels the server holds now, from its kernel processes' connection files."""
    found = set()
    for child in psutil.Process(server.process.pid).children(recursive=True):
        try:
            command = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        if match := re.search(r"kernel-([0-9a-f-]{36})\.json", command):
            found.add(match.group(1))
    return found


def wait_for_kernels(server: Server, count: int, deadline_s: float = 120) -> set[str]:
    """Until the server holds ``count`` kernels (its pool, say); return their ids."""
    deadline = time.monotonic() + deadline_s
    while len(held := kernel_ids(server)) != count:
        if time.monotonic() > deadline:
            pytest.fail(f"the server held {len(held)} kernels, not {count}, after {deadline_s} s:\n"
                        f"{server.log.read_text()}")
        time.sleep(0.2)
    return held


def served_by(html: str) -> str:
    """The kernel a page's HTML says it runs on."""
    found = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
    assert found, "the page names no kernel"
    return found.group(1)


def one_page(folder: Path, source: str) -> Path:
    """A folder holding one notebook, page.ipynb, of one code cell: a dashboard folder in small."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source)]
    pages = folder / "pages"
    pages.mkdir()
    nbformat.write(nb, pages / "page.ipynb")
    return pages


@contextmanager
def running_server(target: Path, log_dir: Path, env: Mapping[str, str] | None = None,
                   extra: Sequence[str] = ()) -> Iterator[Server]:
    """Serve ``target`` (a folder of dashboards or one notebook) with ``env`` (default: this
    process's) and Voila options ``extra``, on a free port with a fresh token; stop it after."""
    port, token = free_port(), secrets.token_urlsafe(16)
    log = log_dir / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(voila_command(target, port, extra),
                                   env={**(os.environ if env is None else env), TOKEN_ENV: token},
                                   stdout=out, stderr=subprocess.STDOUT)
    server = Server(port, token, process, log)
    try:
        wait_until_answering(server)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop a server the way Ctrl+C would, then for certain."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextmanager
def chromium_page(profile: Path, height: int = 1200):  # type: ignore[no-untyped-def]
    """A page in Debian's headless Chromium, driven by Playwright, with its own profile."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (make test does it for you)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": height})
        try:
            yield context.new_page()
        finally:
            context.close()
