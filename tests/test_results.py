"""Compute once, then render: the read step, analyses on frames, the results cache, and the
overview dashboard drawing results only, every figure through disclosure."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest

import caseaudit
from caseaudit import disclosure, framework, results
from caseaudit.moderation import case_criteria
from caseaudit.results import forget_results, round_results
from caseaudit.rounds import load_rounds
from caseaudit.store import FormSave, ModerationSave, open_store
from caseaudit.synthetic import build_partnership, write_partnership
from caseaudit.ui.dashboard import LOADING, OverviewDashboard
from tests.charts import charts

pytestmark = pytest.mark.both_databases

READS = ("grade_counts", "form_statuses", "moderation_heads", "moderated_pair_counts",
         "current_responses", "judgement_counts", "case_judgements")


@pytest.fixture
def three(tmp_path, jtai):  # type: ignore[no-untyped-def]
    """Three rounds of eight cases: the first two moderated in full, the latest not at all."""
    store = open_store(tmp_path / "three.db", create=True)
    write_partnership(build_partnership(cases=8, rounds=3, seed=7, framework=jtai),
                      tmp_path / "audits", store, jtai)
    forget_results()  # as a new kernel starts
    yield store, load_rounds(tmp_path / "audits")
    store.dispose()


def _count_reads(store, monkeypatch) -> Counter:  # type: ignore[no-untyped-def]
    """Every frame read from ``store`` from now on, by method and round."""
    calls: Counter = Counter()
    for name in READS:
        method = getattr(store, name)

        def counted(*args, _name=name, _method=method, **kwargs):  # type: ignore[no-untyped-def]
            first = args[0] if args else kwargs.get("round_id", kwargs.get("round_ids"))
            calls[(_name, str(first))] += 1
            return _method(*args, **kwargs)

        monkeypatch.setattr(store, name, counted)
    return calls


def _count_computes(monkeypatch) -> list[str]:
    computed: list[str] = []
    real = results.compute_results

    def counted(store, audit, history, as_of=None):  # type: ignore[no-untyped-def]
        computed.append(audit.id)
        return real(store, audit, history, as_of)

    monkeypatch.setattr(results, "compute_results", counted)
    return computed


def _submit_one_more(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    """Submit a form nobody has saved yet: the store's state moves."""
    saved = set(map(tuple, store.form_statuses(audit.id)[["case_id", "agency"]].to_numpy()))
    case, agency = next((c, a) for c in audit.cases for a in c.agencies if (c.id, a) not in saved)
    auditor = next(a.id for a in audit.auditors if a.agency == agency)
    store.save_form(audit, jtai, FormSave(case.id, agency, auditor,
                                          {c.id: 2 for c in jtai.criteria_for(agency)},
                                          status="submitted"))


def _open_widgets() -> list[str]:
    """The ids of every widget the kernel holds (each is state a page fetches)."""
    from ipywidgets.widgets.widget import _instances

    return list(_instances)


def _page(board: OverviewDashboard) -> str:
    """The text of the dashboard's body (its HTML widgets)."""
    return "".join(w.value for w in board.body.children if isinstance(w, widgets.HTML))


# -- analyses are functions of frames -----------------------------------------------------------


def test_the_analyses_need_no_database(audit, jtai) -> None:  # type: ignore[no-untyped-def]
    """Frames written by hand, as the read step would return them, give the figures."""
    from caseaudit.agreement import agreement_tables, pairs_from_counts
    from caseaudit.analysis import round_summary
    from caseaudit.moderation import count_themes, coverage_of
    from caseaudit.progress import progress_of

    case = next(c for c in audit.cases if "CSC" in c.agencies)
    auditor = next(a.id for a in audit.auditors if a.agency == "CSC")
    counts = pd.DataFrame({"round_id": audit.id, "criterion_id": ["1.1", "1.1", "1.1"],
                           "agency": "CSC", "grade": pd.array([1, 3, None], dtype="Int64"),
                           "not_applicable": [False, False, True], "count": [3, 1, 2]})
    statuses = pd.DataFrame({"round_id": [audit.id], "case_id": [case.id], "agency": ["CSC"],
                             "auditor": [auditor], "status": ["submitted"], "revision_no": [1]})
    summary = round_summary(audit, jtai, counts, statuses)
    row = summary.by_criterion.set_index("criterion_id").loc["1.1"]
    good = 3 if 1 in jtai.scale_of("1.1").good_or_better else 0
    assert (row["n"], row["good"], row["not_applicable"]) == (4, good, 2)
    assert summary.headline["forms_submitted"] == 1 and summary.headline["cases_audited"] == 1

    expected = len(case_criteria(jtai, case))
    heads = pd.DataFrame({"round_id": [audit.id], "case_id": [case.id], "revision_no": [2],
                          "overall_grade": [2], "themes": [json.dumps(["voice", "a local tag"])],
                          "agreed": [expected]})
    cover = coverage_of(heads, audit, jtai)
    assert cover["complete"].tolist() == [True]
    themes = count_themes(heads, {audit.id: cover}, {audit.id: {"voice": "The child's voice"}})
    assert themes[audit.id].to_dict() == {"The child's voice": 1, "a local tag": 1}

    pair_counts = pd.DataFrame({"criterion_id": ["1.1", "1.1"], "agency": "CSC",
                                "auditor": auditor, "grade": [2, 3], "moderated_grade": [2, 2],
                                "count": [6, 2]})
    pairs = pairs_from_counts(pair_counts, jtai)
    assert len(pairs) == 8
    tables = agreement_tables(pairs, cover, statuses, jtai, n_boot=20)
    overall = tables["criteria"].set_index("criterion_id").loc["all criteria"]
    assert (overall["n"], overall["exact"], overall["within_one"], overall["cases"]) == (
        8, 0.75, 1.0, 1)
    agency = tables["agencies"].set_index("agency").loc["CSC"]
    assert agency["mean_difference"] == pytest.approx(-0.25) and agency["cases"] == 1

    progress = progress_of(audit, statuses).set_index(["case_id", "agency"])["state"]
    assert progress.loc[(case.id, "CSC")] == "submitted"
    assert (progress.drop((case.id, "CSC")) == "missing").all()


# -- read once -----------------------------------------------------------------------------------


def test_drawing_a_moderated_round_reads_each_framework_and_round_once(three, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store, rounds = three
    moderated = rounds[-2]
    board = OverviewDashboard(store, rounds)
    reads: list[str] = []
    real = framework.load_framework_file
    monkeypatch.setattr(framework, "load_framework_file",
                        lambda path: reads.append(str(path)) or real(path))
    framework._read_framework.cache_clear()
    calls = _count_reads(store, monkeypatch)

    board.show(moderated.id)

    assert 'data-section="consistency"' in _page(board)
    keys = {(r.framework.id, r.framework.version) for r in rounds}
    assert len(reads) == len(keys) == 1  # every round scores against one framework version
    # each moderated round's pairs read once, the chosen round's forms once, the heads once
    assert calls[("moderated_pair_counts", rounds[0].id)] == 1
    assert calls[("moderated_pair_counts", moderated.id)] == 1
    assert calls[("grade_counts", moderated.id)] == calls[("form_statuses", moderated.id)] == 1
    assert sum(n for (name, _), n in calls.items() if name == "moderation_heads") == 1
    assert max(calls.values()) == 1


def test_an_edited_framework_file_is_read_again(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    source = (framework.settings.BUILTIN_FRAMEWORKS_DIR / "maca-generic.yaml").read_text()
    folder = tmp_path / "frameworks"
    folder.mkdir()
    local = folder / "local.yaml"
    local.write_text(re.sub(r"(?m)^id: .*$", "id: local-audit", source, count=1))
    monkeypatch.setenv(framework.settings.FRAMEWORKS_ENV, str(folder))
    first = framework.load_framework("local-audit")
    assert framework.load_framework("local-audit") is first  # read once while unchanged
    edited = re.sub(r"(?m)^title: .*$", "title: Our own audit", local.read_text(), count=1)
    local.write_text(edited)
    stat = local.stat()
    os.utime(local, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert framework.load_framework("local-audit").title == "Our own audit"


# -- the cache ------------------------------------------------------------------------------------


def test_a_second_request_computes_nothing_and_a_change_recomputes(three, jtai, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store, rounds = three
    latest = rounds[-1]
    computed = _count_computes(monkeypatch)
    first = round_results(store, latest, rounds)
    assert computed == [latest.id]
    calls = _count_reads(store, monkeypatch)
    again = round_results(store, latest, rounds)
    board = OverviewDashboard(store, rounds)  # a second view in this process
    board.show(latest.id)
    assert again is first and computed == [latest.id] and not calls

    _submit_one_more(store, latest, jtai)
    changed = round_results(store, latest, rounds)
    assert computed == [latest.id, latest.id]
    assert changed.summary.headline["forms_submitted"] == \
        first.summary.headline["forms_submitted"] + 1


def test_the_disk_cache_serves_a_second_process(three) -> None:  # type: ignore[no-untyped-def]
    """Each Voila page view is a kernel of its own: what one computed, the next one reads."""
    store, rounds = three
    moderated = rounds[-2]
    mine = round_results(store, moderated, rounds)
    folder = Path(store.url.database).parent / "three.db.cache"
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)  # readable by its owner only
    assert [oct(p.stat().st_mode & 0o777) for p in folder.glob("*.pickle")] == [oct(0o600)]
    script = f"""
import json, sys
from caseaudit import results
from caseaudit.rounds import load_rounds
from caseaudit.store import open_store
def refuse(*args, **kwargs):
    sys.exit("computed again instead of reading the cache")
results.compute_results = refuse
rounds = load_rounds({str(Path(store.url.database).parent / "audits")!r})
found = results.round_results(open_store({store.url.database!r}), rounds[-2], rounds)
print(json.dumps({{"headline": found.summary.headline, "trend": found.trend["n"].tolist()}}))
"""
    env = {**os.environ, "PYTHONPATH": str(Path(caseaudit.__file__).parents[1])}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    theirs = json.loads(run.stdout)
    assert theirs["headline"] == json.loads(json.dumps(mine.summary.headline))
    assert theirs["trend"] == mine.trend["n"].tolist()


def test_a_cache_entry_never_holds_the_databases_password(three) -> None:  # type: ignore[no-untyped-def]
    """Each entry on disk keeps its key beside the results; a database reached with a password
    (PostgreSQL on a shared server) must not leave it in the cache folder."""
    store, rounds = three
    store.url = store.url.set(username="workbook", password="s3cret-Pa55")
    round_results(store, rounds[-1], rounds)
    [entry] = (Path(store.url.database).parent / "three.db.cache").glob("*.pickle")
    assert b"s3cret-Pa55" not in entry.read_bytes()
    key, _ = pickle.loads(entry.read_bytes())
    assert any("workbook:***@" in str(part) for part in key)  # still says which database


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other results"])
def test_a_damaged_cache_entry_is_computed_again(three, monkeypatch, damage: str) -> None:  # type: ignore[no-untyped-def]
    store, rounds = three
    first = round_results(store, rounds[-1], rounds)
    [entry] = (Path(store.url.database).parent / "three.db.cache").glob("*.pickle")
    if damage == "garbage":
        entry.write_bytes(b"\x00not a pickle at all")
    elif damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:100])
    else:  # a whole entry, but of another round
        other = round_results(store, rounds[0], rounds)
        key, _ = pickle.loads(entry.read_bytes())
        entry.write_bytes(pickle.dumps((key, other)))
    forget_results()
    computed = _count_computes(monkeypatch)
    again = round_results(store, rounds[-1], rounds)
    assert computed == [rounds[-1].id]
    assert again.summary.headline == first.summary.headline
    forget_results()  # and the entry was written anew
    assert round_results(store, rounds[-1], rounds).summary.headline == first.summary.headline
    assert computed == [rounds[-1].id]


# -- the dashboard renders results, through disclosure --------------------------------------------


def _spy_on_chart_disclosure(monkeypatch) -> list[pd.DataFrame]:  # type: ignore[no-untyped-def]
    """What each chart was given to draw, as disclosure made it."""
    drawn: list[pd.DataFrame] = []
    for name in ("shares_for_chart", "derived_for_chart", "cross_table_for_chart"):
        real = getattr(disclosure, name)

        def spy(*args, _real=real, **kwargs):  # type: ignore[no-untyped-def]
            drawn.append(_real(*args, **kwargs))
            return drawn[-1]

        monkeypatch.setattr(disclosure, name, spy)
    return drawn


_FIGURE = re.compile(r"[-+]?[\d.,]+%?( to [-+]?[\d.,]+)?|[\d%]+ – [\d%]+")


def test_every_figure_on_the_dashboard_passes_through_disclosure(three, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store, rounds = three
    moderated = rounds[-2]
    drawn = _spy_on_chart_disclosure(monkeypatch)
    everything = OverviewDashboard(store, rounds, threshold=0)  # every figure shown
    everything.show(moderated.id)
    images = charts(everything.body.children)
    assert len(images) == 5 == len(drawn)  # bars, heatmap, leniency, alpha, trend
    assert all((frame["state"] == "shown").any() for frame in drawn)

    drawn.clear()
    nothing = OverviewDashboard(store, rounds, threshold=10**6)  # every count is "small"
    nothing.show(moderated.id)
    images = charts(nothing.body.children)
    assert len(images) == 2 == len(drawn)  # the overview's two charts, with nothing drawn
    assert not any((frame["state"] == "shown").any() for frame in drawn)
    assert all(frame[["share", "ci_low", "ci_high"]].isna().all().all() for frame in drawn)
    page = _page(nothing)
    cards = re.findall(r'<div class="ca-value">(.*?)</div>', page)
    assert cards and set(cards) <= {"c", ":"}
    cells = [cell for cell in re.findall(r"<td>(.*?)</td>", page) if _FIGURE.fullmatch(cell)]
    assert set(cells) <= {"0"}, cells  # a true zero (a theme not tagged in a round) may show
    assert '<p data-figure="moderated">c of c cases moderated.</p>' in page
    assert "exact agreement <b>" not in page and "Too few agency grades" in page


def test_a_round_switch_shows_that_the_round_is_loading(three, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.ui import board as dashboards  # where every dashboard computes a round

    store, rounds = three
    board = OverviewDashboard(store, rounds)
    board.show(board.picker.value)
    seen: list[str] = []
    real = dashboards.round_results

    def watch(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(_page(board))
        return real(*args, **kwargs)

    monkeypatch.setattr(dashboards, "round_results", watch)
    board.picker.value = rounds[0].id  # as a click in the browser would
    assert seen == [LOADING]  # right under the picker, while the round is computed
    assert "Loading the round" in LOADING
    shown = _page(board)
    assert rounds[0].title in shown and "Loading the round" not in shown
    board.picker.value = rounds[-1].id  # back to a round already drawn: nothing to compute
    assert len(seen) == 1 and rounds[-1].title in _page(board)


def test_a_page_prepared_ahead_switches_rounds_without_computing(three, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A preheated page draws every round before anyone asks, keeping only what they are drawn
    of: the page carries no widget nobody looks at, and a switch computes nothing unless the
    store changed since."""
    from caseaudit.ui import board as dashboards  # where every dashboard computes a round

    store, rounds = three
    board = OverviewDashboard(store, rounds)
    board.show(rounds[-1].id)
    live = set(_open_widgets())
    assert board.prepare() == len(rounds) - 1
    assert set(_open_widgets()) == live  # drawn ahead, but no widget left open for them
    assert board.prepare() == 0  # nothing changed: nothing drawn again
    computed: list[str] = []
    real = dashboards.round_results
    monkeypatch.setattr(dashboards, "round_results",
                        lambda store, audit, *a, **k: computed.append(audit.id) or real(
                            store, audit, *a, **k))
    board.picker.value = rounds[0].id
    shown = _page(board)
    assert computed == [] and rounds[0].title in shown and "Loading the round" not in shown
    assert charts(board.body.children)  # its charts, as drawn
    store.close_round(rounds[1].id, "LEAD-1")  # the store's state moves
    board.picker.value = rounds[1].id  # prepared, but the store has changed since: drawn anew
    assert computed == [rounds[1].id]


def test_a_preheated_overview_is_drawn_ahead_and_brought_up_to_date_when_opened(
        three, jtai, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """In a kernel Voila keeps in its pool, the overview draws every round while nobody waits,
    then waits for the viewer; a form submitted in the meantime is on the page they get."""
    import voila.utils

    store, rounds = three
    latest = rounds[-1]
    monkeypatch.setenv(framework.settings.AUDITS_ENV, str(Path(store.url.database).parent / "audits"))
    monkeypatch.setenv(framework.settings.PREHEAT_ENV, "True")
    waited: list[int] = []

    def a_viewer_arrives() -> None:  # meanwhile an auditor submits a form
        waited.append(len(board_drawn))
        _submit_one_more(store, latest, jtai)

    board_drawn: dict = {}
    real_init = OverviewDashboard.__init__

    def keep(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_init(self, *args, **kwargs)
        nonlocal board_drawn
        board_drawn = self._drawn

    monkeypatch.setattr(OverviewDashboard, "__init__", keep)
    monkeypatch.setattr(voila.utils, "wait_for_request", a_viewer_arrives)
    board = caseaudit.overview_dashboard(store)
    assert waited == [len(rounds)]  # every round was drawn before the viewer came
    submitted = round_results(store, latest, rounds).summary.headline["forms_submitted"]
    assert f'<div class="ca-value">{submitted}</div>' in board.body.children[0].value


def test_refresh_redraws_only_when_the_store_changed(three, jtai, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store, rounds = three
    latest = rounds[-1]
    monkeypatch.setenv(framework.settings.AUDITS_ENV, str(Path(store.url.database).parent / "audits"))
    board = caseaudit.overview_dashboard(store)  # as the notebook builds it, ahead of a request
    assert board.shown == latest.id
    before = board.body.children
    assert board.refresh() is False and board.body.children is before
    assert board._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"]["model_id"] == \
        board.widget().model_id
    _submit_one_more(store, latest, jtai)
    assert board.refresh() is True
    submitted = round_results(store, latest, rounds).summary.headline["forms_submitted"]
    assert f'<div class="ca-value">{submitted}</div>' in board.body.children[0].value
    assert board.refresh() is False


def test_a_partly_moderated_case_moves_the_boards_figures(three, jtai) -> None:  # type: ignore[no-untyped-def]
    """A save by the meeting changes the store's marker, so the next view counts it."""
    store, rounds = three
    latest = rounds[-1]
    before = round_results(store, latest, rounds)
    assert not before.moderated and before.coverage.empty
    case = latest.cases[0]
    agreed = case_criteria(jtai, case)[:2]
    store.save_moderation(latest, jtai, ModerationSave(
        case.id, dict.fromkeys(agreed, 2), dict.fromkeys(agreed, "Synthetic rationale."),
        saved_by="LEAD-1"))
    after = round_results(store, latest, rounds)
    assert after.moderated and after.coverage["complete"].tolist() == [False]
    assert after.trend.set_index("round_id").loc[latest.id, "partly"] == 1


def test_the_results_say_what_the_board_should_conclude(three) -> None:  # type: ignore[no-untyped-def]
    """Good or better, the change since the last round, the trend, the breakdowns, strengths and
    what they rest on, for a round whose predecessor the meeting moderated."""
    from caseaudit.analysis import GOOD_OR_BETTER_COLUMNS, STRENGTH_COLUMNS
    from caseaudit.breakdowns import BREAKDOWN_COLUMNS
    from caseaudit.change import CHANGE_COLUMNS, TREND_COLUMNS

    store, rounds = three
    latest, moderated = rounds[-1], rounds[-2]
    mine = round_results(store, latest, rounds)
    assert list(mine.good_or_better.columns) == GOOD_OR_BETTER_COLUMNS
    overall = mine.good_or_better.set_index("level").loc["overall"]
    counts = store.judgement_counts(latest.id, latest.load_framework())
    assert overall["n"] == counts.set_index("level").loc["overall", "n"]
    assert set(mine.good_or_better["basis"]) == {"agency grades"}  # the latest is not moderated
    assert set(round_results(store, moderated, rounds).good_or_better.query(
        "level != 'agency'")["basis"]) <= {"moderated", "mixed"}
    assert list(mine.change.columns) == CHANGE_COLUMNS
    assert set(mine.change["round_before"]) == {moderated.id}
    assert set(mine.change["verdict"]) <= {"improved", "declined", "no clear change"}
    assert list(mine.practice_trend.columns) == TREND_COLUMNS
    assert list(dict.fromkeys(mine.practice_trend["round_id"])) == [r.id for r in rounds]
    assert list(mine.breakdowns.columns) == BREAKDOWN_COLUMNS
    assert list(mine.strengths.columns) == STRENGTH_COLUMNS
    assert mine.provenance == {
        "round_id": latest.id, "rounds": [r.id for r in rounds],
        "framework_versions": {r.id: "jtai-csa-family 1.0" for r in rounds}, "as_of": None,
        "computed_with": results._package_version(),
        "code": results._code_version()}
    first = round_results(store, rounds[0], rounds)
    assert first.change.empty and list(first.change.columns) == CHANGE_COLUMNS
    assert set(first.practice_trend["verdict"]) == {""}
