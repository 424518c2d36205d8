"""Browser benchmark of the served pages (`make bench`): what a person waits for, in headless Chromium.

Each page is served as `make demo`, `make auditor` and `make moderation` serve it (our Voila launcher,
preheated kernels), and timed in the browser from the moment the address is opened (or the picker
changed) until the result is on screen, beside a FLOOR served the same way in the same run: a
preheated notebook that shows one chart drawn beforehand (bench/floor/floor.ipynb) and whose picker
swaps it for another. Every figure is a ratio to the floor's matching time (median of the runs,
and the 95th percentile):

- the partnership overview, the trends and the equality dashboards: time to the first chart; time
  from choosing another round until that round's chart shows;
- the scoring app (the address names the auditor): time until the case list is ready to choose
  from; time from choosing another case until its criteria show;
- the meeting's app: time until the recorder can be chosen; time from choosing another case until
  its rows show.

On the demo partnership and on the million-row bench store (bench_store.py's, reused with
``--keep``). For information, on the demo data, the same pages without preheating (a kernel
started for each page view, as before). The first page time is split, from the browser's own
timing, into the server's part (the HTML complete: the notebook's cells run) and the browser's
(loading the page's script, fetching the widgets' state, drawing them).

The runs wait, before each page view, until every server has refilled its pool and is quiet (a
page view right after another may find its notebook's kernel still warming), and before each
switch until the page has loaded and the servers are quiet again: the pool's refill starts a second
after a page takes the pooled kernel and runs the whole notebook, and a switch in those seconds
shares the two cores with it (on the demo data it took about twice as long).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import bench_store as bs
import psutil
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the browser tests' server and Chromium helpers

from caseaudit.notebooks import demo_environment  # noqa: E402
from caseaudit.rounds import load_rounds  # noqa: E402
from caseaudit.serve import DASHBOARDS_DIR, MEETING_NOTEBOOK, OVERVIEW, SCORING_NOTEBOOK  # noqa: E402
from tests.ui.server import Server, chromium_page, running_server  # noqa: E402

FLOOR_NOTEBOOK = Path(__file__).resolve().parent / "floor" / "floor.ipynb"
#: The dashboards timed, all served by one server of the dashboards folder (as `make demo`).
DASHBOARDS = {"overview": OVERVIEW, "trends": "trends.ipynb", "equality": "equality.ipynb"}
FLOOR_ENV = "CASEAUDIT_BENCH_FLOOR"
RESULTS = ROOT / "bench" / "results"
TIMEOUT_MS = 120_000
HEADING = ("browser benchmark (headless Chromium; times from opening the address, or changing the "
           "picker, to the result on screen)")

#: Installed in every page before its own script runs: on each frame, note the first time each
#: named condition holds (``performance.now()``: milliseconds since the address was opened).
WATCH = """
window.__bench = {marks: {}, checks: {}, old: new Set(), messages: []};
window.WebSocket = class extends window.WebSocket {  // when each kernel message arrives
  constructor(...args) {
    super(...args);
    this.addEventListener('message', () => window.__bench.messages.push(performance.now()));
  }
};
window.__benchWatch = (name, check) => { window.__bench.checks[name] = check; };
window.__benchShown = (selector) => Array.from(document.querySelectorAll(selector)).some(el => {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') return false;
  if (el.tagName === 'IMG' && !(el.complete && el.naturalWidth > 0)) return false;
  return !el.hasAttribute('data-bench-old') || (el.tagName === 'IMG' && !window.__bench.old.has(el.src));
});
window.__benchOptions = (index) => {
  const select = document.querySelectorAll('select')[index];
  return select && select.getBoundingClientRect().height > 0 ? select.options.length : 0;
};
(function frame() {
  for (const [name, check] of Object.entries(window.__bench.checks)) {
    if (!(name in window.__bench.marks)) {
      try { if (check()) window.__bench.marks[name] = performance.now(); } catch (e) {}
    }
  }
  requestAnimationFrame(frame);
})();
"""

#: Before a switch: mark what shows now as old, then change picker ``index`` to option ``option``.
SWITCH = """([selector, index, option]) => {
  document.querySelectorAll(selector).forEach(el => {
    el.setAttribute('data-bench-old', '');
    if (el.tagName === 'IMG') window.__bench.old.add(el.src);
  });
  const select = document.querySelectorAll('select')[index];
  window.__bench.start = performance.now();
  select.selectedIndex = option;
  select.dispatchEvent(new Event('change', {bubbles: true}));
}"""


@dataclass(frozen=True)
class Steps:
    """How one page is timed in the browser: ``ready`` (a JavaScript condition) says the page is
    usable; ``prepare`` (picker index, option) choices are made untimed; ``switch`` (picker
    index, option) is the timed change, done when a new element matching ``shown`` is on screen."""

    path: str
    ready: str
    shown: str
    switch: tuple[int, int]
    prepare: tuple[tuple[int, int, str], ...] = ()
    query: str = ""


@dataclass
class Timings:
    """Seconds, one entry a run: to the page ready (``first``) and, of that, to its HTML complete
    (``html``: the server's part); the switch, and of it the time to the kernel's last message
    before the result showed (``switch_kernel``: the kernel's work and its messages' way)."""

    first: list[float] = field(default_factory=list)
    html: list[float] = field(default_factory=list)
    switch: list[float] = field(default_factory=list)
    switch_kernel: list[float] = field(default_factory=list)
    failed: int = 0  # page views that did not show their result within TIMEOUT_MS


def page_steps(audits: Path) -> dict[str, Steps]:
    """The pages timed, on the partnership in ``audits``: the latest round, its first auditor and
    two of that auditor's agency's cases, its first recorder and its first two cases."""
    auditor = load_rounds(audits)[-1].auditors[0]
    image = "img.ca-chart"  # the floor shows its chart as the dashboards do
    return {
        "floor": Steps("", f"__benchShown('{image}')", image, switch=(0, 1)),
        **{name: Steps(f"voila/render/{notebook}", f"__benchShown('{image}')", image, switch=(0, 1))
           for name, notebook in DASHBOARDS.items()},
        # pickers: round 0, I am 1, case 2; the first case chosen untimed, then the second timed
        # the next case of the same agency keeps the criteria's widgets and changes their values:
        # the form's message (which revision is open) is written after them, so its new text is
        # the sign that the other case is on screen
        "scoring": Steps("", "__benchOptions(2) > 1", ".ca-message .ca-msg", switch=(2, 1),
                         prepare=((2, 0, ".ca-criterion"),), query=f"auditor={auditor.id}"),
        # pickers: round 0, recorder 1 (an audit lead first), then the form's case 2
        "meeting": Steps("", "__benchOptions(1) > 0", ".ca-moderation-row", switch=(2, 1),
                         prepare=((1, 0, ""), (2, 0, ".ca-moderation-row"))),
    }


def _choose(page, index: int, option: int, shown: str) -> None:  # type: ignore[no-untyped-def]
    """An untimed choice: pick option ``option`` of picker ``index``, wait for ``shown`` if given."""
    page.wait_for_function(f"() => __benchOptions({index}) > {option}", timeout=TIMEOUT_MS)
    page.evaluate(SWITCH, [shown or "nothing-to-mark", index, option])
    if shown:
        page.wait_for_function(f"() => __benchShown('{shown}')", timeout=TIMEOUT_MS)


def time_page(page, server: Server, steps: Steps, into: Timings,  # type: ignore[no-untyped-def]
              quiet: Callable[[], None]) -> None:
    """One page view: time to ready (and the server's share of it), then a timed switch."""
    page.add_init_script(WATCH + f"window.__benchWatch('ready', () => {steps.ready});")
    url = server.url(steps.path) + (f"&{steps.query}" if steps.query else "")
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function("() => 'ready' in window.__bench.marks", timeout=TIMEOUT_MS)
    into.first.append(page.evaluate("window.__bench.marks.ready") / 1000)
    into.html.append(page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd") / 1000)
    # A choice made while the page's scripts still load sometimes leaves the scoring form without
    # its criteria (the widgets' race, see bench/README.md): the switches are timed on a loaded page.
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    for index, option, shown in steps.prepare:
        _choose(page, index, option, shown)
    page.wait_for_function(f"() => __benchOptions({steps.switch[0]}) > {steps.switch[1]}",
                           timeout=TIMEOUT_MS)
    quiet()
    page.evaluate(SWITCH, [steps.shown, *steps.switch])
    page.evaluate(f"window.__benchWatch('switched', () => __benchShown('{steps.shown}'))")
    page.wait_for_function("() => 'switched' in window.__bench.marks", timeout=TIMEOUT_MS)
    switched, kernel = page.evaluate("""() => {
      const b = window.__bench, done = b.marks.switched;
      const last = Math.max(b.start, ...b.messages.filter(t => t <= done));
      return [done - b.start, last - b.start];
    }""")
    into.switch.append(switched / 1000)
    into.switch_kernel.append(kernel / 1000)


def settle(servers: list[tuple[Server, int]], deadline_s: float = 300, open_pages: int = 0) -> None:
    """Until every server holds just its ``pooled`` kernels (the closed pages' kernels gone, the
    pools refilled) and its processes have been quiet for a second."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        procs, ready = [], True
        for server, pooled in servers:
            parent = psutil.Process(server.process.pid)
            kernels = parent.children(recursive=True)
            ready &= len(kernels) in (pooled, pooled + open_pages)
            procs += [parent, *kernels]
        if ready:
            for proc in procs:
                proc.cpu_percent(None)
            time.sleep(1.0)
            if all(proc.cpu_percent(None) < 5 for proc in procs):
                return
        else:
            time.sleep(0.3)
    raise SystemExit("the servers did not settle (pools refilled, quiet) within "
                     f"{deadline_s:.0f} s; see their logs under bench/results/browser/")


def run(label: str, env: dict[str, str], audits: Path, floor_dir: Path, logs: Path, runs: int,
        preheat: bool = True, with_floor: bool = True) -> dict[str, Timings]:
    """Serve the floor, the dashboards and both apps at once on one store; time each page
    ``runs`` times (after one untimed view that fills the browser's cache), in turn."""
    steps = page_steps(audits)
    targets = {"floor": FLOOR_NOTEBOOK, "dashboards": DASHBOARDS_DIR, "scoring": SCORING_NOTEBOOK,
               "meeting": MEETING_NOTEBOOK}
    if not with_floor:
        targets.pop("floor")
    served_by = {name: "dashboards" if name in DASHBOARDS else name for name in steps}
    served_by = {name: where for name, where in served_by.items() if where in targets}
    extra = [] if preheat else ["--preheat_kernel=False"]
    results = {name: Timings() for name in served_by}
    with ExitStack() as stack:
        servers: dict[str, Server] = {}
        for name, target in targets.items():
            folder = logs / f"{label}-{name}"
            folder.mkdir(parents=True, exist_ok=True)
            served = {**env, FLOOR_ENV: str(floor_dir), "CASEAUDIT_WEB_APP": "1"}
            if name == "dashboards":
                served.pop("CASEAUDIT_WEB_APP")
            servers[name] = stack.enter_context(running_server(target, folder, served, extra))
        # a pooled kernel per notebook: the dashboards' server keeps one for each dashboard
        pools = [(server, (len(DASHBOARDS) if name == "dashboards" else 1) if preheat else 0)
                 for name, server in servers.items()]
        browser = stack.enter_context(chromium_page(logs / f"{label}-profile")).context
        for attempt in range(runs + 1):
            for name, where in served_by.items():
                server = servers[where]
                settle(pools)
                page = browser.new_page()
                said: list[str] = []
                page.on("console", lambda message, said=said: said.append(f"{message.type}: {message.text}"))
                page.on("pageerror", lambda error, said=said: said.append(f"page error: {error}"))
                try:
                    time_page(page, server, steps[name], results[name] if attempt else Timings(),
                              lambda: settle(pools, open_pages=1))
                except PlaywrightError:
                    results[name].failed += 1
                    folder = logs / f"{label}-{where}"
                    page.screenshot(path=folder / f"failed-{attempt}.png", full_page=True)
                    (folder / f"console-{attempt}.txt").write_text("\n".join(said))
                    bs.say(f"{label}: {name} did not show its result in run {attempt}; its "
                           f"screenshot, console and server log are in {folder}")
                finally:
                    page.close(run_before_unload=True)
            bs.say(f"{label}: run {attempt}/{runs} done" + (" (untimed: fills the cache)" if not attempt
                                                            else ""))
    return results


def floor_charts(env: dict[str, str], audits: Path, folder: Path) -> None:
    """The floor's two charts: the overview's first chart of the two latest demo rounds, drawn
    once here, so the floor's page carries images of the real charts' size."""
    from caseaudit.analysis import summarise_round
    from caseaudit.plots import chart_png, good_or_better_chart
    from caseaudit.store import open_store

    store = open_store(env["CASEAUDIT_DB"], create=False)
    try:
        for name, audit in zip(("first", "second"), load_rounds(audits)[-2:][::-1], strict=True):
            summary = summarise_round(store, audit)
            chart = good_or_better_chart(summary.by_criterion)
            (folder / f"{name}.png").write_bytes(chart_png(chart.figure)[0])
    finally:
        store.dispose()


def ratios(results: dict[str, Timings]) -> Iterator[str]:
    floor = results["floor"]
    what = {**{name: ("first chart", "round switch") for name in DASHBOARDS},
            "scoring": ("form ready", "case switch"), "meeting": ("form ready", "case switch")}
    f1, f2 = bs.median(floor.first), bs.median(floor.switch)
    yield (f"  floor: first chart {f1:.2f} s (p95 {bs.p95(floor.first):.2f}; HTML complete "
           f"{bs.median(floor.html):.2f}), chart switch {f2:.2f} s (p95 {bs.p95(floor.switch):.2f}; "
           f"to the kernel's last message {bs.median(floor.switch_kernel):.2f})")
    for name, (first, switch) in what.items():
        t = results[name]
        if t.failed:
            yield f"  {name}: {t.failed} page views did not show their result within {TIMEOUT_MS // 1000} s"
        if not (t.first and t.switch):
            continue
        yield (f"  {name}: {first} {bs.median(t.first) / f1:.2f}× the floor (p95 "
               f"{bs.p95(t.first) / bs.p95(floor.first):.2f}×; {bs.median(t.first):.2f} s, of which "
               f"HTML complete {bs.median(t.html):.2f} s), {switch} {bs.median(t.switch) / f2:.2f}× "
               f"(p95 {bs.p95(t.switch) / bs.p95(floor.switch):.2f}×; {bs.median(t.switch):.2f} s, "
               f"of which to the kernel's last message {bs.median(t.switch_kernel):.2f} s)")


def cold_lines(cold: dict[str, Timings], floor: Timings) -> Iterator[str]:
    f1 = bs.median(floor.first)
    for name, t in cold.items():
        if not (t.first and t.switch):
            continue
        yield (f"  {name}, a kernel started for the page view: first {bs.median(t.first):.2f} s "
               f"({bs.median(t.first) / f1:.1f}× the floor; HTML complete {bs.median(t.html):.2f} "
               f"s), switch {bs.median(t.switch):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="the million-row store of bench_store.py --keep DIR (built if missing)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="timed page views of each page")
    parser.add_argument("--cold-runs", type=int, default=3,
                        help="page views without preheating, for information (0: none)")
    parser.add_argument("--demo-only", action="store_true", help="skip the million-row store")
    args = parser.parse_args()
    if not Path("/usr/bin/chromium").exists():
        raise SystemExit("/usr/bin/chromium is missing: run `make chromium`")
    work = Path(tempfile.mkdtemp(prefix="caseaudit-bench-browser-"))
    logs = RESULTS / "browser"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    lines: list[str] = []
    raw: dict[str, dict[str, dict[str, object]]] = {}

    def report(label: str, results: dict[str, Timings], text: list[str]) -> None:
        """Keep a data set's figures, on screen and in bench/results/, as soon as they are in."""
        raw[label] = {name: vars(t) for name, t in results.items()}
        lines.extend(text)
        print("\n".join(text), flush=True)
        (RESULTS / "browser.txt").write_text(HEADING + "\n" + "\n".join(lines) + "\n")
        (RESULTS / "browser.json").write_text(json.dumps(raw, indent=1))

    try:
        demo_env = {**os.environ, **demo_environment(work / "demo")}
        demo_audits = Path(demo_env["CASEAUDIT_AUDITS"])
        floor_dir = work / "floor"
        floor_dir.mkdir()
        floor_charts(demo_env, demo_audits, floor_dir)
        datasets: list[tuple[str, dict[str, str], Path]] = [("demo", demo_env, demo_audits)]
        if not args.demo_only:
            kept = (args.keep or work / "store").resolve()  # the kernels run elsewhere
            kept.mkdir(parents=True, exist_ok=True)
            if not (kept / bs.STORE_FILE).exists():
                bs.build(kept, args.rows)
            copy = work / "million"
            copy.mkdir()
            bs.working_copy(kept / bs.STORE_FILE, copy / bs.STORE_FILE)  # the apps may save drafts
            big_env = {**os.environ, "CASEAUDIT_DB": str(copy / bs.STORE_FILE),
                       "CASEAUDIT_AUDITS": str(kept / bs.AUDITS_DIR)}
            datasets.append(("million-row store", big_env, kept / bs.AUDITS_DIR))
        print(HEADING, flush=True)
        for label, env, audits in datasets:
            results = run(label.split()[0], env, audits, floor_dir, logs, args.runs)
            report(label, results, [f"{label} (preheated; median of {args.runs} runs, p95 in brackets):",
                                    *ratios(results)])
            if label == "demo" and args.cold_runs:
                cold = run("cold", env, audits, floor_dir, logs, args.cold_runs, preheat=False,
                           with_floor=False)
                report("demo, not preheated", cold, ["  for information, without preheating:",
                                                     *cold_lines(cold, results["floor"])])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
