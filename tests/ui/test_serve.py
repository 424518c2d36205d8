"""`make demo`'s, `make auditor`'s, `make moderation`'s, `make actions`'s and
`make practice-week`'s server: the last thing
it prints is an address that opens the page, only with its token; the token is on no command line;
kernels of closed pages go soon, those of open pages stay, a preheated kernel waiting for its page stays
however long it waits, and the server holds no more than its cap, pooled kernels included."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from caseaudit.settings import MAX_KERNELS_ENV, TOKEN_ENV
from caseaudit.voila_app import BUSY_MESSAGE
from tests.ui.server import (
    Server,
    chromium_page,
    free_port,
    kernel_ids,
    one_page,
    running_server,
    served_by,
    status,
    wait_for_kernels,
)

pytestmark = pytest.mark.browser

ADDRESS = re.compile(r"http://\S+")


def _follow(process: subprocess.Popen, lines: list[str]) -> None:
    """Collect what the server prints, line by line, as it prints it."""
    for line in process.stdout:  # type: ignore[union-attr]
        lines.append(line.rstrip("\n"))


def _wait_for(condition, what: str, seconds: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.2)


@pytest.mark.parametrize(("app", "given_token", "title"), [
    ("dashboards", "a-token-from-the-environment", "Partnership overview"),
    ("dashboards", None, "Partnership overview"),
    ("scoring", None, "Score a case"),
    ("moderation", None, "The multi-agency audit meeting"),
    ("actions", None, "Record progress on the action plan"),
    ("practice-week", None, "Practice week"),
])
def test_serve_prints_a_working_address_last(app: str, given_token: str | None, title: str) -> None:
    port = free_port()
    env = {**os.environ, "PORT": str(port)}
    env.pop(TOKEN_ENV, None)
    if given_token:
        env[TOKEN_ENV] = given_token
    proc = subprocess.Popen([sys.executable, "-m", "caseaudit.serve", "--app", app], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=_follow, args=(proc, lines), daemon=True).start()
    try:
        _wait_for(lambda: any(ADDRESS.search(line) for line in lines) or proc.poll() is not None,
                  "the address")
        addresses = [found.group(0) for line in lines if (found := ADDRESS.search(line))]
        assert len(addresses) == 1, f"one address, the one to open, is printed:\n{lines}"
        url = addresses[0]
        assert url.startswith(f"http://127.0.0.1:{port}/") and "?token=" in url
        token = url.rsplit("token=", 1)[1]
        assert token == given_token if given_token else len(token) >= 20
        assert lines[0].startswith("Starting the server on ")

        with urllib.request.urlopen(url, timeout=180) as response:
            page = response.read().decode()
        assert title in page
        assert not any(call in page for call in ("overview_dashboard()", "scoring_form()",
                                                 "moderation_app()", "action_updates_form()",
                                                 "practice_week_form()")), \
            "code reached the page"
        assert status(url.split("?")[0]) in (302, 403)

        # the page view started a kernel: neither it nor the server shows the token to other users
        server = psutil.Process(proc.pid)
        kernels = server.children(recursive=True)
        assert kernels, "the page view started no kernel"
        for process in [server, *kernels]:
            assert token not in " ".join(process.cmdline()), f"the token is on {process.cmdline()}"
        for kernel in kernels:
            assert TOKEN_ENV not in kernel.environ(), "the kernel was handed the server's token"
            assert not any(token in value for name, value in kernel.environ().items()
                           if name != "PYTEST_CURRENT_TEST")  # which names this test's token

        time.sleep(1)  # anything the page view made the server print has arrived by now
        assert [line for line in lines if line.strip()][-1].strip() == url, \
            f"the address is not the last thing printed:\n{lines}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_bad_kernel_cap_stops_the_server_with_a_sentence(tmp_path: Path) -> None:
    env = {**os.environ, MAX_KERNELS_ENV: "lots", "PORT": str(free_port())}
    done = subprocess.run([sys.executable, "-m", "caseaudit.serve"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert f"{MAX_KERNELS_ENV} is 'lots': set it to a whole number of at least 1" in done.stderr
    assert "Traceback" not in done.stderr


# --- kernels: one page of our own, with a widget, so that each page view is cheap ------------------

PAGE = "voila/render/page.ipynb"


def _widget_page(folder: Path) -> Path:
    """A folder holding one page whose slider writes its value into a label, through the kernel."""
    return one_page(folder,
                    "import ipywidgets as w\n"
                    "slider, label = w.IntSlider(value=3), w.Label('moved to 3')\n"
                    "slider.observe(lambda c: setattr(label, 'value', f'moved to {c.new}'), 'value')\n"
                    "display(slider, label)")


def _fetch(server: Server) -> str:
    """Open the page without a browser, as a closed tab leaves it: rendered, never connected."""
    with urllib.request.urlopen(server.url(PAGE), timeout=120) as response:
        return served_by(response.read().decode())


def _exists(server: Server, kernel_id: str) -> bool:
    return status(f"{server.root}api/kernels/{kernel_id}?token={server.token}") == 200


def _open_in_browser(page, server: Server) -> str:  # type: ignore[no-untyped-def]
    page.goto(server.url(PAGE), wait_until="domcontentloaded", timeout=120_000)
    page.get_by_text("moved to 3").wait_for(timeout=120_000)
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def _move_slider(page, expected: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(".widget-slider .noUi-handle, .widget-slider .ui-slider-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.get_by_text(expected).wait_for(timeout=30_000)


def test_a_closed_page_loses_its_kernel_and_an_open_page_keeps_it(tmp_path: Path) -> None:
    culling = ["--MappingKernelManager.cull_idle_timeout=2", "--MappingKernelManager.cull_interval=1"]
    with running_server(_widget_page(tmp_path), tmp_path, extra=culling) as server, \
            chromium_page(tmp_path / "profile") as page:
        # a preheated kernel waiting for its page is never culled, however long it waits
        (pooled,) = wait_for_kernels(server, 1)
        time.sleep(4)
        assert kernel_ids(server) == {pooled}
        # the page it serves keeps it, though it had been idle longer than culling allows
        reading = _open_in_browser(page, server)
        assert reading == pooled
        closed = _fetch(server)
        assert _exists(server, closed)
        _wait_for(lambda: not _exists(server, closed), "the kernel of the closed page to go", 60)
        # the open page's kernel has been idle longer than the closed page's, and stays
        time.sleep(2)
        assert _exists(server, reading)
        _move_slider(page, "moved to 4")
        waiting = kernel_ids(server) - {reading}
        assert len(waiting) == 1, "the pool refilled after each page view"
        page.close(run_before_unload=True)
        _wait_for(lambda: not _exists(server, reading), "the kernel of the page just closed to go", 60)
        assert kernel_ids(server) == waiting, "the pool's kernel outlived both pages"


def test_the_server_holds_no_more_kernels_than_its_cap(tmp_path: Path) -> None:
    env = {**os.environ, MAX_KERNELS_ENV: "2"}
    options = ["--MappingKernelManager.cull_idle_timeout=0", "--WorkbookKernelManager.min_idle_to_evict=5"]
    with running_server(_widget_page(tmp_path), tmp_path, env, options) as server, \
            chromium_page(tmp_path / "profile") as page:
        (pooled,) = wait_for_kernels(server, 1)
        reading = _open_in_browser(page, server)
        assert reading == pooled
        left = _fetch(server)  # from the refilled pool: two kernels, the cap, and no third
        assert kernel_ids(server) == {reading, left}
        # at the cap, and the page left behind was idle a moment only: the next viewer is told
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server.url(PAGE), timeout=120)
        assert refused.value.code == 503
        assert refused.value.headers["Content-Type"].startswith("text/plain")
        assert refused.value.read().decode() == BUSY_MESSAGE
        # once it has been idle a while, the kernel nobody is connected to makes room
        time.sleep(6)
        newest = _fetch(server)
        assert not _exists(server, left)
        assert _exists(server, reading) and _exists(server, newest)
        assert len(psutil.Process(server.process.pid).children()) == 2
        _move_slider(page, "moved to 4")
        # a closed page asks for its kernel's shutdown (culling is off here); the pool refills
        # into the room it leaves
        page.close(run_before_unload=True)
        _wait_for(lambda: not _exists(server, reading), "the kernel of the page just closed to go", 30)
        refilled = wait_for_kernels(server, 2)
        assert newest in refilled and reading not in refilled


def test_a_closed_page_gives_up_its_kernel_while_the_pool_waits_for_room(tmp_path: Path) -> None:
    """At the cap, the pool's refill fails and waits for room; a page closed then still loses its
    kernel (Voila's shutdown looked through the pool and stopped at the failed refill)."""
    env = {**os.environ, MAX_KERNELS_ENV: "2"}
    options = ["--MappingKernelManager.cull_idle_timeout=0", "--debug"]  # the server says when
    with running_server(_widget_page(tmp_path), tmp_path, env, options) as server, \
            chromium_page(tmp_path / "profile") as page:
        wait_for_kernels(server, 1)
        reading = _open_in_browser(page, server)
        left = _fetch(server)  # the pool's refill finds no room: the page just rendered holds it
        _wait_for(lambda: "every one in use: the preheated pool refills" in server.log.read_text(),
                  "the pool's refill to wait for room", 60)
        page.close(run_before_unload=True)
        _wait_for(lambda: not _exists(server, reading), "the kernel of the page just closed to go", 60)
        refilled = wait_for_kernels(server, 2)
        assert left in refilled and reading not in refilled
