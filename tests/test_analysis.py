"""Round summaries, disclosure control, and what the dashboard renders."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import pytest

from caseaudit.analysis import format_key_figures, summarise_counts, summarise_round
from caseaudit.disclosure import render_summary, share_hidden
from caseaudit.results import round_results
from caseaudit.rounds import load_rounds
from caseaudit.stats import wilson_interval
from caseaudit.ui.dashboard import OverviewDashboard, render_headline, render_overview
from tests.charts import charts


@pytest.mark.both_databases
def test_per_criterion_figures_match_the_tidy_responses(filled, jtai) -> None:  # type: ignore[no-untyped-def]
    store, audits = filled
    audit = load_rounds(audits)[-1]
    summary = summarise_round(store, audit, jtai)
    tidy = store.current_responses(audit.id, status="submitted")
    graded = tidy[~tidy["not_applicable"] & tidy["grade"].notna()]
    for row in summary.by_criterion.itertuples():
        mine = graded[graded["criterion_id"] == row.criterion_id]
        good = int(mine["grade"].isin(jtai.scale_of(row.criterion_id).good_or_better).sum())
        assert (row.n, row.good) == (len(mine), good)
        assert row.not_applicable == int((tidy["not_applicable"]
                                          & (tidy["criterion_id"] == row.criterion_id)).sum())
        if row.n:
            assert (row.ci_low, row.ci_high) == pytest.approx(wilson_interval(good, len(mine)))
    assert summary.headline["judgements"] == len(graded)
    assert summary.headline["forms_submitted"] == tidy.groupby(
        ["case_id", "agency", "auditor"]).ngroups
    agency = summary.by_criterion_agency
    assert agency.groupby("criterion_id")["n"].sum().to_dict() == \
        summary.by_criterion.set_index("criterion_id")["n"].to_dict()


@pytest.mark.both_databases
def test_summaries_do_not_change_the_callers_frame(filled, jtai) -> None:  # type: ignore[no-untyped-def]
    store, _ = filled
    counts = store.grade_counts()
    before = counts.copy()
    summarise_counts(counts, jtai, ["criterion_id"])
    pd.testing.assert_frame_equal(counts, before)


def _table(rows: list[tuple[int, int]]) -> pd.DataFrame:
    return pd.DataFrame({"criterion": [f"c{i}" for i in range(len(rows))],
                         "n": [n for n, _ in rows], "good": [g for _, g in rows],
                         "share": [g / n if n else float("nan") for n, g in rows],
                         "ci_low": [0.1] * len(rows), "ci_high": [0.9] * len(rows)})


@pytest.mark.both_databases
def test_small_counts_and_the_shares_that_reveal_them_are_suppressed() -> None:
    table = _table([(3, 1), (20, 4), (20, 17), (20, 10), (0, 0), (12, 0), (6, 6)])
    shown = render_summary(table)
    assert shown["Judgements (n)"].tolist() == ["c", "20", "20", "20", "0", "12", "6"]
    # n=3: n small; 4/20: good small; 17/20: n-good=3 small; 10/20 shown; 0/0 nothing graded;
    # 0/12 a true zero; 6/6 shown (n-good is a true zero)
    assert shown["Good or better"].tolist() == ["c", "c", "c", "50%", ":", "0%", "100%"]
    assert shown["95% interval"].tolist()[3] == "10% – 90%"
    assert share_hidden(table).tolist() == [True, True, True, False, False, False, False]


@pytest.mark.both_databases
def test_the_threshold_is_a_setting() -> None:
    table = _table([(20, 8)])
    assert render_summary(table)["Good or better"].tolist() == ["40%"]
    assert render_summary(table, threshold=10)["Good or better"].tolist() == ["c"]


def test_the_overview_shows_no_case_ids_or_notes(filled, jtai) -> None:  # type: ignore[no-untyped-def]
    store, audits = filled
    audit = load_rounds(audits)[-1]
    items = render_overview(round_results(store, audit))
    assert len(charts(items)) == 2
    html = "".join(i.value for i in items if isinstance(i, widgets.HTML))
    assert not [c.id for c in audit.cases if c.id in html]
    assert "Synthetic note" not in html
    assert "Traceback" not in html


@pytest.mark.both_databases
def test_a_tiny_round_shows_c_not_numbers(filled, jtai) -> None:  # type: ignore[no-untyped-def]
    store, audits = filled
    audit = load_rounds(audits)[-1]
    summary = summarise_round(store, audit, jtai)
    tiny = summary.__class__(summary.round_id, summary.title,
                             {**summary.headline, "cases_in_round": 4, "cases_audited": 3},
                             summary.by_criterion, summary.by_criterion_agency)
    html = render_headline(tiny)
    assert '<div class="ca-value">c</div><div class="ca-label">cases audited, of c</div>' in html


@pytest.mark.both_databases
def test_the_dashboard_without_a_database_says_so_plainly(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CASEAUDIT_DB", str(tmp_path / "missing.db"))
    board = OverviewDashboard()
    board.show(board.picker.value)
    assert "cannot read the workbook" in board.message.value
    assert "Traceback" not in board.message.value


def test_key_figures_are_stable_text(filled, jtai) -> None:  # type: ignore[no-untyped-def]
    store, audits = filled
    audit = load_rounds(audits)[-1]
    text = format_key_figures(summarise_round(store, audit, jtai))
    assert text.splitlines()[0] == f"Round {audit.id}"
    assert text == format_key_figures(summarise_round(store, audit, jtai))
    assert len(text.splitlines()) == 3 + len(jtai.criteria_by_id)


def test_choosing_a_round_redraws_the_dashboard(filled) -> None:  # type: ignore[no-untyped-def]
    store, audits = filled
    rounds = load_rounds(audits)
    board = OverviewDashboard(store, rounds)
    assert board.picker.value == rounds[-1].id  # the latest round comes first
    board.show(board.picker.value)
    assert rounds[-1].title in board.body.children[0].value
    board.picker.value = rounds[0].id  # as a click in the browser would
    headline = board.body.children[0].value
    assert rounds[0].title in headline and rounds[-1].title not in headline
    expected = summarise_round(store, rounds[0]).headline
    assert f'<div class="ca-value">{expected["share"]:.0%}</div>' in headline
    assert board.message.value == ""


@pytest.mark.both_databases
def test_a_round_summarised_as_it_stood_earlier(filled, jtai) -> None:  # type: ignore[no-untyped-def]
    store, audits = filled
    audit = load_rounds(audits)[-1]
    saved = store.current_responses(audit.id)["saved_at"]
    before_any = saved.min().to_pydatetime() - pd.Timedelta(seconds=1)
    empty = summarise_round(store, audit, jtai, as_of=before_any)
    assert empty.headline["forms_submitted"] == 0 and empty.headline["judgements"] == 0
    assert "nothing graded" in format_key_figures(empty)
    assert '<div class="ca-value">:</div>' in render_headline(empty)

    middle = saved.sort_values().iloc[len(saved) // 2].to_pydatetime()
    then = summarise_round(store, audit, jtai, as_of=middle)
    now = summarise_round(store, audit, jtai)
    assert 0 < then.headline["forms_submitted"] < now.headline["forms_submitted"]
    tidy_then = store.current_responses(audit.id, as_of=middle, status="submitted")
    graded = tidy_then[~tidy_then["not_applicable"] & tidy_then["grade"].notna()]
    assert then.headline["judgements"] == len(graded)


@pytest.mark.both_databases
def test_a_moderated_round_shows_consistency_and_themes_without_names(tmp_path, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.agreement import agreement_across_rounds
    from caseaudit.store import open_store
    from caseaudit.synthetic import build_partnership, write_partnership
    from caseaudit.ui.dashboard import render_agreement, render_consistency

    store = open_store(tmp_path / "three.db", create=True)  # three rounds: two moderated, so a trend
    write_partnership(build_partnership(cases=8, rounds=3, seed=7, framework=jtai),
                      tmp_path / "audits", store, jtai)
    rounds = load_rounds(tmp_path / "audits")
    moderated, latest = rounds[-2], rounds[-1]
    html = render_consistency(round_results(store, moderated, rounds))
    assert 'data-section="consistency"' in html and "exact agreement" in html
    assert render_consistency(round_results(store, latest, rounds)) == ""  # not moderated yet

    items = render_agreement(round_results(store, moderated, rounds))
    text = "".join(getattr(w, "value", "") for w in items if isinstance(w, widgets.HTML))
    images = list(charts(items).values())
    # agencies' leniency, alpha by criterion, the trend (two moderated rounds); no auditors
    assert len(images) == 3 and all(png[:4] == b"\x89PNG" for png in images)
    for section in ("consistency", "agreement-trend", "themes"):
        assert f'data-section="{section}"' in text
    assert 'data-section="auditors"' not in text and "auditor A" not in text
    across = agreement_across_rounds(store, rounds)
    assert list(across["round_id"]) == [r.id for r in rounds[:-1]]
    for row in across.itertuples():  # each moderated round's row, as the library computes it
        assert (f"<td>{row.cases}</td><td>{row.n:,}</td><td>{row.exact:.0%}</td>"
                f"<td>{row.within_one:.0%}</td>") in text
    assert '<p data-figure="moderated">8 of 8 cases moderated.</p>' in text
    assert not any(a.id in text for r in rounds for a in r.auditors), "an auditor is named"
    assert not any(c.id in text for r in rounds for c in r.cases), "a case id is shown"
    assert "Synthetic rationale" not in text and "Synthetic strengths" not in text

    earliest = render_agreement(round_results(store, rounds[0], rounds))  # history stops there
    earliest_text = "".join(w.value for w in earliest if isinstance(w, widgets.HTML))
    assert rounds[1].period.start.strftime("%b %Y") not in earliest_text
    assert len(charts(earliest)) == 2  # one round: no trend chart

    unmoderated = render_agreement(round_results(store, latest, rounds))
    note = unmoderated[0].value
    assert "has not moderated this round yet" in note
    assert any('data-section="agreement-trend"' in w.value for w in unmoderated
               if isinstance(w, widgets.HTML))
    board = OverviewDashboard(store, rounds)
    board.picker.value = moderated.id
    assert any('data-section="consistency"' in getattr(w, "value", "")
               for w in board.body.children)


@pytest.mark.both_databases
def test_agreement_from_a_part_moderated_or_thinly_moderated_round_is_not_shown(tmp_path, jtai) -> None:  # type: ignore[no-untyped-def]
    """The trust issue's case: one case partly moderated (3 criteria, no overall grade) showed
    "13 agency grades compared, exact agreement 38%" and a trend point. Figures use complete
    moderations only, and figures resting on a handful of cases are hidden like small counts."""
    from caseaudit.agreement import agreement_across_rounds
    from caseaudit.moderation import case_criteria
    from caseaudit.store import ModerationSave, open_store
    from caseaudit.synthetic import build_partnership, write_partnership
    from caseaudit.ui.dashboard import render_agreement

    store = open_store(tmp_path / "three.db", create=True)
    write_partnership(build_partnership(cases=8, rounds=3, seed=7, framework=jtai),
                      tmp_path / "audits", store, jtai)
    rounds = load_rounds(tmp_path / "audits")
    latest = rounds[-1]
    submitted = set(store.form_statuses(latest.id).query("status == 'submitted'")["case_id"])
    cases = [c for c in latest.cases if c.id in submitted]

    def agree(case, criteria, overall):  # type: ignore[no-untyped-def]
        rationale = dict.fromkeys(criteria, "Synthetic rationale.")
        based_on = len(store.moderation_history(latest.id, case.id)) or None
        store.save_moderation(latest, jtai, ModerationSave(
            case.id, dict.fromkeys(criteria, 2), rationale, overall=overall, saved_by="LEAD-1",
            based_on=based_on))

    def shown() -> str:
        items = render_agreement(round_results(store, latest, rounds))
        return "".join(getattr(w, "value", "") for w in items if isinstance(w, widgets.HTML))

    agree(cases[0], case_criteria(jtai, cases[0])[:3], None)
    text = shown()
    assert '<p data-figure="moderated">0 of 8 cases moderated; c partly moderated' in text
    assert "No agency grades compared with the grade the multi-agency meeting agreed yet" in text
    assert "exact agreement <b>" not in text and 'data-table="leniency"' not in text
    row = agreement_across_rounds(store, rounds).set_index("round_id").loc[latest.id]
    assert (row["cases"], row["partly"], row["n"]) == (0, 1, 0)  # no trend point from it
    assert "<td>:</td><td>:</td><td>:</td></tr>" in text.split("agreement-trend")[-1]

    for case in cases[:2]:  # two cases fully moderated: many grades, but two children's cases
        agree(case, case_criteria(jtai, case), 2)
    text = shown()
    assert '<p data-figure="moderated">c of 8 cases moderated.</p>' in text
    assert "or too few cases behind them, to show agreement (<b>c</b>)" in text
    row = agreement_across_rounds(store, rounds).set_index("round_id").loc[latest.id]
    assert row["n"] > 5 and row["cases"] == 2
    trend = text.split('data-table="agreement-trend"')[1]
    assert f"<td>c</td><td>{int(row['n']):,}</td><td>c</td><td>c</td><td>c</td>" in trend
    leniency = text.split('data-table="leniency"')[1].split("</table>")[0].split("</th></tr>")[1]
    assert "+" not in leniency and "-0." not in leniency  # every agency's figure hidden


@pytest.mark.both_databases
def test_rounds_that_start_in_the_same_month_keep_apart(small_partnership) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.results import round_labels

    first, second = small_partnership.rounds
    twin = second.model_copy(update={"id": "2026-03-practice-week"})
    labels = round_labels([first, second, twin])
    assert labels[first.id] == f"{first.period.start:%b %Y}"
    assert labels[second.id] != labels[twin.id] and twin.id in labels[twin.id]


def test_one_broken_round_folder_leaves_the_other_rounds_on_the_dashboard(filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from caseaudit import ModerationApp, ScoringForm

    store, audits = filled
    broken = audits / "2026-09-maca"
    broken.mkdir()
    (broken / "audit.yaml").write_text("id: 2026-09-maca\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("CASEAUDIT_AUDITS", str(audits))
    board = OverviewDashboard(store)
    assert len(board.rounds) == 2 and board.picker.value == board.rounds[-1].id
    assert "2026-09-maca" in board.notice.value and "caseaudit validate" in board.notice.value
    assert "Traceback" not in board.notice.value and "[unclosed" not in board.notice.value
    board.show(board.picker.value)
    assert board.body.children  # the good rounds are drawn as usual
    for app in (ScoringForm(store, remember=False), ModerationApp(store)):
        assert len(app.rounds) == 2 and "2026-09-maca" in app.notice.value
