"""Benchmark of a shared server under load (`make bench`): many auditors saving at once, board
viewers loading dashboards, and a check that no acknowledged save was lost.

For each database, SQLite (a file) and PostgreSQL (a throwaway cluster, tests/postgres.py), it
prints, measured in the same run on the same database:

- the single-save floor: one auditor alone saving drafts and submitting, back to back (p50, p95);
  and one viewer alone computing a round's results with nothing cached;
- under load: ``--auditors`` (50) auditors of the round's six agencies, each saving a draft of one
  of their own forms every few hundred milliseconds (think time ``--think``) and submitting it
  after a few drafts, then the next form, for ``--seconds`` (60); beside them ``--viewers`` (5)
  board viewers each loading what the partnership overview loads (``round_results`` of the live
  round, then of the round before, cached by the store's state as on a real page, so a save in
  between means computing again), with ``--viewer-think`` between loads. Figures: acknowledged
  saves per second, p50 and p95 save latency and the p95's ratio to the floor's; dashboard loads
  per second with p50 and p95; conflicts, store refusals and errors;
- lost revisions: every save an auditor was told succeeded (a revision number came back) must be
  in the revision log afterwards with exactly the answers, notes, status and saver sent; each
  form's revision numbers run 1, 2, 3... each based on the one before; its head points at its
  latest acknowledged revision. The count must be 0: the benchmark exits 1 otherwise.

Conflicts are expected: in each agency a pair of auditors (``--pairs``) share the first forms of
their lists (a colleague covering, or the same form open twice), so simultaneous saves of one form
happen, and the later one must be refused with a ``ConflictError`` naming who saved first; the
auditor reloads the form and goes on, as the form tells a person to. A refusal is not a loss. A
``StoreError`` (on PostgreSQL a race may still surface as one, from an IntegrityError or a
deadlock) is also a refusal reported to the person, counted apart and printed by message; any
other exception is an error, printed by type and message.

Each simulated person is a process of their own (forked, so they start in milliseconds and share
the imported code): on a shared server every auditor's form and every board page is a kernel
process with its own connection, which is what the database sees; threads in one process would
queue on Python's GIL and measure that queue as much as the database (the machine may have only
two cores). Synthetic data only: build_partnership's rounds, with 50 invented auditor ids.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import pickle
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bench_store as bs
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' throwaway PostgreSQL cluster

from caseaudit import settings  # noqa: E402
from caseaudit.errors import ConflictError, StoreError  # noqa: E402
from caseaudit.framework import Framework, answer_columns, load_framework  # noqa: E402
from caseaudit.results import compute_results, round_results  # noqa: E402
from caseaudit.rounds import Auditor, AuditRound  # noqa: E402
from caseaudit.store import FormKey, FormSave, Store, open_store  # noqa: E402
from caseaudit.store.schema import form_heads, forms, revisions, scores  # noqa: E402
from caseaudit.synthetic import build_partnership  # noqa: E402
from tests.postgres import throwaway_cluster  # noqa: E402

SEED = 13
#: How a message names a form (FormKey's str), left out when messages are counted by kind.
FORM_NAMED = re.compile(r"the \S+ form for case \S+ in round \S+ \(auditor [^)]+\)", re.IGNORECASE)
NOTE = "Synthetic evidence: the plan was reviewed at the core group."


# -- the round and who works on what --------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """A form an auditor works on: ``owner`` is the auditor it belongs to (FormKey.auditor); the
    one saving it may be a colleague of the same agency (a shared form)."""

    case_id: str
    agency: str
    owner: str


@dataclass(frozen=True)
class Partnership:
    """The rounds a benchmark database holds: ``history`` (moderated, written before the run) and
    ``live``, the round the auditors score during it, with its auditors."""

    history: list[AuditRound]
    live: AuditRound
    framework: Framework
    written: Any  # synthetic.Partnership: the earlier rounds' saves and moderations

    @property
    def rounds(self) -> list[AuditRound]:
        return [*self.history, self.live]


def partnership(auditors: int, cases: int) -> Partnership:
    """Two earlier rounds (written with their moderations by :func:`fill`) and a live round of
    ``cases`` cases whose ``auditors`` auditors are dealt round-robin over its agencies."""
    framework = load_framework("jtai-csa-family", "1.0")
    built = build_partnership(cases=cases, rounds=3, seed=SEED, framework=framework)
    *history, latest = built.rounds
    agencies = latest.agencies
    people = [Auditor(id=f"AUD-{agencies[i % len(agencies)].upper()}-{i // len(agencies) + 1}",
                      agency=agencies[i % len(agencies)]) for i in range(auditors)]
    live = AuditRound.model_validate({**latest.model_dump(), "auditors": [p.model_dump() for p in people]})
    return Partnership(history, live, framework, built)


def fill(store: Store, p: Partnership) -> None:
    """Write the earlier rounds' forms and moderations (so dashboards have trends and agreement)
    through the real save path; the live round starts empty."""
    for audit in p.history:
        store.save_forms(audit, p.framework, p.written.saves[audit.id])
        store.save_moderations(audit, p.framework, p.written.moderations.get(audit.id, []))


def work_lists(live: AuditRound, auditors: Sequence[str], pairs: int, shared: int
               ) -> dict[str, list[Item]]:
    """Each auditor's forms: the agency's cases dealt round-robin among its auditors. In each
    agency, the first ``pairs`` pairs of auditors also share the first ``shared`` forms of the
    pair's first auditor, which both work on first, so their saves of one form collide."""
    agency_of = {a.id: a.agency for a in live.auditors}
    lists: dict[str, list[Item]] = {}
    for agency in live.agencies:
        mine = [a for a in auditors if agency_of[a] == agency]
        cases = [c.id for c in live.cases if agency in c.agencies]
        for k, auditor in enumerate(mine):
            lists[auditor] = [Item(c, agency, auditor) for c in cases[k::len(mine)]]
        for first, second in list(zip(mine[0::2], mine[1::2], strict=False))[:pairs]:
            together = lists[first][:shared]
            lists[second] = [*together, *lists[second]]
    return lists


# -- what the simulated people did ----------------------------------------------------------------

@dataclass(frozen=True)
class Ack:
    """A save the auditor was told succeeded, with exactly what was sent."""

    key: FormKey
    revision_no: int
    based_on: int | None
    status: str
    grades: dict[str, object]
    notes: dict[str, str]
    saved_by: str


@dataclass
class Outcome:
    """One process's record of the run."""

    saves: list[float] = field(default_factory=list)  # seconds of each acknowledged save
    acks: list[Ack] = field(default_factory=list)
    conflicts: int = 0
    refused: list[str] = field(default_factory=list)  # StoreError messages
    errors: list[str] = field(default_factory=list)  # anything else, type and message
    loads: list[float] = field(default_factory=list)  # seconds of each dashboard load
    load_errors: list[str] = field(default_factory=list)
    late_saves: int = 0  # saves and loads that ended after the deadline: not in the rates
    late_loads: int = 0

    def merge(self, other: Outcome) -> None:
        for name in ("saves", "acks", "refused", "errors", "loads", "load_errors"):
            getattr(self, name).extend(getattr(other, name))
        self.conflicts += other.conflicts
        self.late_saves += other.late_saves
        self.late_loads += other.late_loads

    def save_rate(self, seconds: float) -> float:
        """Acknowledged saves per second of the run (those that ended within it)."""
        return (len(self.saves) - self.late_saves) / seconds

    def load_rate(self, seconds: float) -> float:
        return (len(self.loads) - self.late_loads) / seconds


class Auditing:
    """One auditor working through their forms until the deadline, as the scoring form saves:
    open a form (its latest revision), grade a few criteria and save a draft based on the revision
    opened, think, again, and submit once every criterion is graded; on a conflict, reload."""

    def __init__(self, store: Store, p: Partnership, me: str, items: list[Item], think: float,
                 rng: random.Random, out: Outcome) -> None:
        self.store, self.p, self.me, self.items = store, p, me, items
        self.think, self.rng, self.out = think, rng, out

    def run(self, deadline: float) -> None:
        n = 0
        while time.time() < deadline and self.items:
            self.form(self.items[n % len(self.items)], deadline)
            n += 1

    def pause(self) -> None:
        if self.think > 0:
            time.sleep(self.rng.uniform(0.5, 1.5) * self.think)

    def form(self, item: Item, deadline: float) -> None:
        live, framework = self.p.live, self.p.framework
        criteria = [c.id for c in framework.criteria_for(item.agency)]
        based_on, grades, notes = self.opened(item)
        drafts = self.rng.randint(2, 6)
        step = 0
        while step <= drafts and time.time() < deadline:
            submit = step == drafts
            for cid in criteria if submit else self.rng.sample(criteria, k=min(3, len(criteria))):
                if submit and cid in grades:
                    continue
                scale = framework.scale_of(cid)
                grades[cid] = self.rng.choice(scale.codes)
                if grades[cid] in scale.note_required_for:
                    notes[cid] = NOTE
                else:
                    notes.pop(cid, None)
            status = "submitted" if submit else "draft"
            save = FormSave(item.case_id, item.agency, item.owner, dict(grades), dict(notes), status,
                            based_on, saved_by=self.me)
            start = time.perf_counter()
            try:
                revision = self.store.save_form(live, framework, save)
            except ConflictError:
                self.out.conflicts += 1
                based_on, grades, notes = self.opened(item)  # reloaded, as the form says to
            except StoreError as exc:
                self.out.refused.append(f"{exc}{underneath(exc)}")
                based_on, grades, notes = self.opened(item)
            except Exception as exc:  # a finding: printed by type and message
                self.out.errors.append(f"{type(exc).__name__}: {exc}")
                based_on, grades, notes = self.opened(item)
            else:
                self.out.saves.append(time.perf_counter() - start)
                self.out.late_saves += time.time() > deadline
                self.out.acks.append(Ack(revision.key, revision.revision_no, based_on, status,
                                         dict(grades), dict(notes), self.me))
                based_on = revision.revision_no
                step += 1
            self.pause()

    def opened(self, item: Item) -> tuple[int | None, dict[str, object], dict[str, str]]:
        latest = self.store.latest_revision(self.p.live.id, item.case_id, item.agency, item.owner)
        if latest is None:
            return None, {}, {}
        return latest.revision_no, dict(latest.grades), dict(latest.notes)


def underneath(exc: BaseException) -> str:
    """The database's own error behind a StoreError (which the store raises ``from None``, for
    the person; the benchmark reports what happened precisely)."""
    cause = exc.__cause__ or exc.__context__
    orig = getattr(cause, "orig", cause)
    if orig is None:
        return ""
    return f" [underneath: {type(orig).__module__}.{type(orig).__name__}: {str(orig).splitlines()[0]}]"


def viewing(store: Store, p: Partnership, think: float, deadline: float, out: Outcome,
            fresh: bool = False) -> None:
    """A board member on the partnership overview: the live round's results, then the round
    before's, and again, each as the dashboard gets them (``round_results``, cached by the store's
    state); ``fresh``: computed with nothing cached (the floor)."""
    shown = [p.live, p.history[-1]]
    n = 0
    while time.time() < deadline:
        audit = shown[n % len(shown)]
        n += 1
        start = time.perf_counter()
        try:
            if fresh:
                history = p.rounds[: p.rounds.index(audit) + 1]
                results = compute_results(store, audit, history)
            else:
                results = round_results(store, audit, p.rounds)
            assert results.summary is not None
        except Exception as exc:
            out.load_errors.append(f"{type(exc).__name__}: {exc}")
        else:
            out.loads.append(time.perf_counter() - start)
            out.late_loads += time.time() > deadline
        if think > 0:
            time.sleep(think)


# -- running people as processes ------------------------------------------------------------------

@dataclass(frozen=True)
class Role:
    """What one process does: an auditor (``auditor`` and ``items``) or a viewer."""

    auditor: str | None = None
    items: tuple[Item, ...] = ()
    think: float = 0.0
    fresh: bool = False


def _person(url: str, p: Partnership, role: Role, seed: int, seconds: float, barrier: Any,
            result: Path) -> None:
    """A forked process: open its own store, wait for everyone, work until the deadline, and
    leave its Outcome in ``result``."""
    out = Outcome()
    store = None
    try:
        store = open_store(url, create=False)
        store.last_change()  # connected before the clock starts
        barrier.wait(timeout=120)
        deadline = time.time() + seconds
        if role.auditor is not None:
            Auditing(store, p, role.auditor, list(role.items), role.think, random.Random(seed),
                     out).run(deadline)
        else:
            viewing(store, p, role.think, deadline, out, role.fresh)
    except Exception:
        out.errors.append(traceback.format_exc())
    finally:
        if store is not None:
            store.dispose()
        result.write_bytes(pickle.dumps(out))


def run_people(url: str, p: Partnership, roles: Sequence[Role], seconds: float,
               watch: Callable[[float], None] | None = None) -> Outcome:
    """Run each role as a forked process against ``url`` for ``seconds`` once all are connected
    (the last save or load started in time is let finish); their outcomes together. ``watch``
    runs in this process meanwhile, given the deadline (after the forks: no thread is forked)."""
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(roles) + 1)
    folder = Path(tempfile.mkdtemp(prefix="caseaudit-load-"))
    try:
        procs = [ctx.Process(target=_person, args=(url, p, role, SEED * 1000 + i, seconds, barrier,
                                                    folder / f"{i}.pickle"), daemon=True)
                 for i, role in enumerate(roles)]
        for proc in procs:
            proc.start()
        barrier.wait(timeout=180)
        if watch is not None:
            watch(time.time() + seconds)
        for proc in procs:
            proc.join(timeout=seconds + 300)
        total = Outcome()
        for i, proc in enumerate(procs):
            path = folder / f"{i}.pickle"
            if proc.is_alive():
                proc.kill()
                total.errors.append(f"process {i} did not finish in time")
            elif not path.exists():
                total.errors.append(f"process {i} ended (exit code {proc.exitcode}) without a result")
            else:
                total.merge(pickle.loads(path.read_bytes()))
        return total
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Waits:
    """What PostgreSQL's busy connections were doing during the load, sampled every 0.1 s from
    pg_stat_activity: each sample of a connection running a statement counted under what it
    waited on (nothing: on the CPU) and the statement's first words, so a queue on one table's
    rows shows as a Lock wait on its statement. ``longest``: the longest any statement was seen
    running, by its first words (a slow read shows there)."""

    def __init__(self, url: str) -> None:
        self.url, self.seen, self.samples = url, Counter[str](), 0
        self.longest: dict[str, float] = {}

    def __call__(self, deadline: float) -> None:
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                while time.time() < deadline:
                    rows = conn.execute(sa.text(
                        "SELECT wait_event_type, wait_event, "
                        "left(regexp_replace(query, '\\s+', ' ', 'g'), 60), "
                        "extract(epoch FROM clock_timestamp() - query_start) "
                        "FROM pg_stat_activity WHERE datname = current_database() "
                        "AND state = 'active' AND pid <> pg_backend_pid()")).all()
                    conn.rollback()
                    self.samples += 1
                    for kind, event, query, running in rows:
                        self.seen[f"{kind or 'CPU'}:{event or '-'} in {query[:40]}"] += 1
                        self.longest[query] = max(float(running), self.longest.get(query, 0.0))
                    time.sleep(0.1)
        finally:
            engine.dispose()

    def top(self, n: int = 4) -> str:
        total = sum(self.seen.values()) or 1
        return "; ".join(f"{100 * k / total:.0f}% {what}" for what, k in self.seen.most_common(n))

    def slowest(self, n: int = 3) -> str:
        ranked = sorted(self.longest.items(), key=lambda kv: -kv[1])[:n]
        return "; ".join(f"{seconds:.1f} s {query}" for query, seconds in ranked)


# -- the lost-revision check ----------------------------------------------------------------------

def lost_revisions(store: Store, round_id: str, acks: Sequence[Ack]) -> list[str]:
    """Every way an acknowledged save is not in the revision log as sent, or a revision was
    silently overwritten, one line each (empty: nothing lost).

    Read straight from the log's tables, not through the store's reads, so a fault there cannot
    hide one: an acknowledged revision missing, or holding other answers, notes, status or saver
    than were sent; two acknowledgements of one revision number; a form whose revision numbers
    are not 1, 2, 3... each based on the one before; a head not on the form's latest revision,
    or below its latest acknowledged one; a revision in the log nobody was told was saved.
    """
    with store.engine.connect() as conn:
        logged = conn.execute(
            sa.select(forms.c.form_id, forms.c.case_id, forms.c.agency, forms.c.auditor,
                      revisions.c.revision_id, revisions.c.revision_no, revisions.c.based_on,
                      revisions.c.status, revisions.c.saved_by)
            .join(revisions, revisions.c.form_id == forms.c.form_id)
            .where(forms.c.round_id == round_id)).all()
        answers: dict[int, dict[str, tuple[object, object, str]]] = {}
        for rid, cid, grade, na, note in conn.execute(
                sa.select(scores.c.revision_id, scores.c.criterion_id, scores.c.grade,
                          scores.c.not_applicable, scores.c.note)
                .join(revisions, revisions.c.revision_id == scores.c.revision_id)
                .join(forms, forms.c.form_id == revisions.c.form_id)
                .where(forms.c.round_id == round_id)):
            answers.setdefault(rid, {})[cid] = (grade, bool(na), note or "")
        heads = {row.form_id: row.revision_no for row in conn.execute(
            sa.select(form_heads.c.form_id, form_heads.c.revision_no)
            .where(form_heads.c.round_id == round_id))}
    by_key = {(FormKey(round_id, r.case_id, r.agency, r.auditor), r.revision_no): r for r in logged}
    form_of = {FormKey(round_id, r.case_id, r.agency, r.auditor): r.form_id for r in logged}
    problems: list[str] = []
    acked: dict[tuple[FormKey, int], Ack] = {}
    for ack in acks:
        where = f"{ack.key}, revision {ack.revision_no} (saved by {ack.saved_by})"
        if (ack.key, ack.revision_no) in acked:
            problems.append(f"{where}: acknowledged twice, so one save was overwritten")
            continue
        acked[(ack.key, ack.revision_no)] = ack
        row = by_key.get((ack.key, ack.revision_no))
        if row is None:
            problems.append(f"{where}: acknowledged but not in the revision log")
            continue
        sent = {cid: (*answer_columns(answer), ack.notes.get(cid, "")) for cid, answer in ack.grades.items()}
        sent |= {cid: (None, False, note) for cid, note in ack.notes.items() if cid not in ack.grades}
        if answers.get(row.revision_id, {}) != sent:
            problems.append(f"{where}: the log holds other answers or notes than were sent")
        if (row.status, row.saved_by, row.based_on) != (ack.status, ack.saved_by, ack.based_on):
            problems.append(f"{where}: the log says status {row.status}, saved by {row.saved_by}, "
                            f"based on {row.based_on}; sent {ack.status}, {ack.saved_by}, {ack.based_on}")
    numbers: dict[FormKey, list[tuple[int, int | None]]] = {}
    for (key, number), row in by_key.items():
        numbers.setdefault(key, []).append((number, row.based_on))
    latest_ack: dict[FormKey, int] = {}
    for key, number in acked:
        latest_ack[key] = max(number, latest_ack.get(key, 0))
    for key, found in numbers.items():
        found.sort()
        if [n for n, _ in found] != list(range(1, len(found) + 1)):
            problems.append(f"{key}: revision numbers {[n for n, _ in found]} are not 1, 2, 3...")
        chained = [(n, b) for n, b in found if b != (n - 1 if n > 1 else None)]
        if chained:
            problems.append(f"{key}: revision(s) {chained} not based on the one before (overwritten)")
        head = heads.get(form_of[key])
        if head != found[-1][0] or head < latest_ack.get(key, 0):
            problems.append(f"{key}: its head is revision {head}, the log's latest {found[-1][0]}, "
                            f"the latest acknowledged {latest_ack.get(key)}")
        unacked = [n for n, _ in found if (key, n) not in acked]
        if unacked:
            problems.append(f"{key}: revision(s) {unacked} in the log but nobody was told they saved")
    return problems


# -- one database ---------------------------------------------------------------------------------

@dataclass
class Figures:
    """What a database's run measured."""

    name: str
    seconds: float
    load: Outcome
    floor_saves: Outcome
    floor_loads: Outcome
    lost: list[str]
    auditors: int
    viewers: int
    floor_seconds: float
    waits: Waits | None = None
    busy: tuple[float, float] = (float("nan"), float("nan"))  # load average before, after


def measure(name: str, url: str, p: Partnership, seconds: float, auditors: int, viewers: int,
            think: float, viewer_think: float, pairs: int, shared: int = 2,
            floor_seconds: float = 5.0) -> Figures:
    """The floors, then the load, then the lost-revision check, on the database at ``url``
    (created and filled here)."""
    cache = Path(tempfile.mkdtemp(prefix="caseaudit-load-cache-"))
    before = os.environ.get(settings.CACHE_ENV)
    os.environ[settings.CACHE_ENV] = str(cache)  # the viewers' disk cache, shared like a server's
    try:
        store = open_store(url, create=True)
        try:
            fill(store, p)
        finally:
            store.dispose()  # no connection crosses a fork
        ids = [a.id for a in p.live.auditors]
        lists = work_lists(p.live, ids, pairs, shared)
        bs.say(f"{name}: the floors (one auditor alone, one viewer alone, {floor_seconds:g} s each)...")
        alone = Role(ids[0], tuple(lists[ids[0]][shared:]))  # not the shared forms
        floor_saves = run_people(url, p, [alone], floor_seconds)
        floor_loads = run_people(url, p, [Role(fresh=True)], floor_seconds)
        bs.say(f"{name}: {auditors} auditors and {viewers} viewers for {seconds:g} s...")
        roles = [Role(a, tuple(lists[a]), think) for a in ids[:auditors]]
        roles += [Role(think=viewer_think) for _ in range(viewers)]
        waits = Waits(url) if url.startswith("postgresql") else None
        before_load = os.getloadavg()[0]
        load = run_people(url, p, roles, seconds, waits)
        busy = (before_load, os.getloadavg()[0])
        store = open_store(url, create=False)
        try:
            lost = lost_revisions(store, p.live.id, [*floor_saves.acks, *load.acks])
        finally:
            store.dispose()
        return Figures(name, seconds, load, floor_saves, floor_loads, lost, auditors, viewers, floor_seconds,
                       waits, busy)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if before is None:
            os.environ.pop(settings.CACHE_ENV, None)
        else:
            os.environ[settings.CACHE_ENV] = before


@contextmanager
def databases(which: Sequence[str]) -> Iterator[list[tuple[str, str]]]:
    """(name, URL) of each database to load: a new SQLite file, a database in a throwaway
    PostgreSQL cluster (tests/postgres.py); all removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix="caseaudit-load-db-"))
    try:
        with ExitStack() as stack:
            found = []
            if "sqlite" in which:
                found.append(("SQLite (a file)", str(folder / "load.db")))
            if "postgresql" in which:
                cluster = stack.enter_context(throwaway_cluster(folder / "pg"))
                database = cluster.create_database("load")
                found.append(("PostgreSQL (a throwaway cluster)", cluster.url(database)))
            yield found
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- printing -------------------------------------------------------------------------------------

def _by_message(messages: Sequence[str], limit: int = 5) -> str:
    """The messages counted by kind: the last line of each (a traceback's exception), with the
    form it names left out so that one kind is one line."""
    counted = Counter(FORM_NAMED.sub("<form>", m.strip().splitlines()[-1] if m.strip() else m)[:600]
                      for m in messages)
    return "; ".join(f"{n} x {text}" for text, n in counted.most_common(limit))


def report(f: Figures, say: Callable[[str], None] = print) -> None:
    med, p95, ms = bs.median, bs.p95, bs.ms
    load, fs, fl = f.load, f.floor_saves, f.floor_loads
    say(f"\n{f.name}: {f.auditors} auditors and {f.viewers} viewers for {f.seconds:.0f} s (a process "
        f"each; the machine's load average {f.busy[0]:.1f} before, {f.busy[1]:.1f} after, on "
        f"{os.cpu_count()} cores)")
    ratio = p95(load.saves) / p95(fs.saves) if fs.saves else float("nan")
    say(f"  saves: {len(load.saves):,} acknowledged, {load.save_rate(f.seconds):.1f}/s, p50 "
        f"{ms(med(load.saves))}, p95 {ms(p95(load.saves))} | floor, one auditor alone: "
        f"{fs.save_rate(f.floor_seconds):.0f}/s, p50 {ms(med(fs.saves))}, p95 {ms(p95(fs.saves))} "
        f"(p95 ratio {ratio:.1f})")
    ratio = p95(load.loads) / p95(fl.loads) if fl.loads else float("nan")
    say(f"  dashboard loads: {len(load.loads):,}, {load.load_rate(f.seconds):.1f}/s, p50 "
        f"{ms(med(load.loads))}, p95 {ms(p95(load.loads))} | floor, one viewer alone computing "
        f"with nothing cached: p50 {ms(med(fl.loads))}, p95 {ms(p95(fl.loads))} (p95 ratio {ratio:.1f})")
    say(f"  refused, reported to the person: {load.conflicts} conflicts (ConflictError, expected: "
        f"paired auditors share forms); {len(load.refused)} other store refusals (StoreError)"
        + (f": {_by_message(load.refused)}" if load.refused else ""))
    if f.waits is not None and f.waits.seen:
        say(f"  PostgreSQL's busy connections, sampled {f.waits.samples} times: {f.waits.top()}")
        say(f"  longest-running statements seen: {f.waits.slowest()}")
    errors = [*load.errors, *fs.errors, *fl.errors, *load.load_errors, *fl.load_errors]
    say(f"  errors (anything else): {len(errors)}" + (f": {_by_message(errors)}" if errors else ""))
    acks = len(load.acks) + len(fs.acks)
    forms_seen = len({a.key for a in [*load.acks, *fs.acks]})
    say(f"  lost or silently overwritten revisions: {len(f.lost)} (checked {acks:,} acknowledged saves "
        f"of {forms_seen:,} forms against the revision log)")
    for line in f.lost[:10]:
        say(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="load per database")
    parser.add_argument("--auditors", type=int, default=50)
    parser.add_argument("--viewers", type=int, default=5)
    parser.add_argument("--think", type=float, default=0.4,
                        help="seconds between an auditor's saves (0.5 to 1.5 times this)")
    parser.add_argument("--viewer-think", type=float, default=1.0, help="seconds between loads")
    parser.add_argument("--pairs", type=int, default=1, help="pairs sharing forms in each agency")
    parser.add_argument("--cases", type=int, default=120, help="cases per round")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    p = partnership(args.auditors, args.cases)
    failed = False
    with databases(args.databases) as found:
        for name, url in found:
            figures = measure(name, url, p, args.seconds, args.auditors, args.viewers, args.think,
                              args.viewer_think, args.pairs)
            report(figures)
            failed |= bool(figures.lost) or not figures.load.acks
    if failed:
        print("\nFAILED: acknowledged saves were lost or overwritten, or nothing was saved.")
        sys.exit(1)


if __name__ == "__main__":
    main()
