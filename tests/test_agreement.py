"""Agreement statistics against published worked examples."""

from __future__ import annotations

import math

import pytest

from caseaudit.agreement import (
    AgreementError,
    bootstrap_alpha,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
)

N = None
# Krippendorff K (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, Departmental Papers 43: the example of four observers
# and twelve units with missing values (section C), and its published alphas.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize(("level", "published"), [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011_example_with_missing_values(level: str, published: float) -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(published, abs=0.0005)


def _expand(table: list[list[int]]) -> tuple[list[int], list[int]]:
    a, b = [], []
    for i, row in enumerate(table, start=1):
        for j, count in enumerate(row, start=1):
            a += [i] * count
            b += [j] * count
    return a, b


def test_agresti_sexual_fun_unweighted_and_linear_weighted() -> None:
    # Agresti A (1990). Categorical Data Analysis, Wiley: husbands' and wives' ratings of sexual
    # fun (4 ordered categories, 91 couples), as the `SexualFun` data of R's vcd package, whose
    # Kappa() reports 0.1293 unweighted and 0.2374 with equal-spacing (linear) weights.
    table = [[7, 7, 2, 3], [2, 8, 3, 7], [1, 5, 4, 9], [2, 8, 9, 14]]
    husband, wife = _expand(table)
    assert cohen_kappa(husband, wife) == pytest.approx(0.1293, abs=0.00005)
    assert cohen_kappa(husband, wife, weights="linear") == pytest.approx(0.2374, abs=0.00005)
    assert cohen_kappa(husband, wife, weights="quadratic") > cohen_kappa(husband, wife,
                                                                         weights="linear")


@pytest.mark.parametrize(("table", "kappa", "weighted"), [
    # Table 14.2: two radiologists grade 85 xeromammograms normal / benign disease / suspected
    # cancer / cancer (Boyd et al. 1982); kappa 0.47, weighted kappa 0.57.
    ([[21, 12, 0, 0], [4, 17, 1, 0], [3, 9, 15, 2], [0, 0, 0, 1]], 0.47, 0.57),
    # Table 14.3: MAST against RAST allergy tests on 363 sera, five ordered grades
    # (Brostoff et al. 1984); kappa 0.32, weighted kappa 0.56.
    ([[86, 3, 14, 0, 2], [26, 0, 10, 4, 0], [20, 2, 22, 4, 1], [11, 1, 37, 16, 14],
      [3, 0, 15, 24, 48]], 0.32, 0.56),
], ids=["xeromammograms", "mast-rast"])
def test_altman_weighted_kappa_examples(table: list[list[int]], kappa: float,
                                        weighted: float) -> None:
    # Altman DG (1991). Practical Statistics for Medical Research, Chapman & Hall, section 14.3
    # "Inter-rater agreement": both tables, their published kappa and weighted kappa (to two
    # decimals), with the weights w_ij = 1 - |i - j| / (g - 1) of section 14.3.4, that is linear.
    a, b = _expand(table)
    assert cohen_kappa(a, b) == pytest.approx(kappa, abs=0.005)
    assert cohen_kappa(a, b, weights="linear") == pytest.approx(weighted, abs=0.005)


def test_sas_skin_condition_simple_kappa() -> None:
    # SAS/STAT User's Guide, The FREQ Procedure, "Agreement Study": two dermatologists rate 85
    # patients terrible/poor/marginal/clear; the simple kappa coefficient is 0.3449.
    table = [[10, 4, 1, 0], [5, 10, 12, 2], [2, 4, 12, 5], [0, 2, 6, 13]]
    derm1, derm2 = _expand(table)
    assert cohen_kappa(derm1, derm2, categories=[1, 2, 3, 4]) == pytest.approx(0.3449, abs=0.00005)


def test_kappa_weights_use_the_whole_scale_when_given() -> None:
    a, b = [1, 2, 2, 4], [1, 4, 2, 4]  # level 3 unused: distances differ on the whole scale
    observed = cohen_kappa(a, b, weights="linear")
    whole_scale = cohen_kappa(a, b, weights="linear", categories=[1, 2, 3, 4])
    assert observed != pytest.approx(whole_scale)
    with pytest.raises(AgreementError, match="not among the categories"):
        cohen_kappa([1, 5], [1, 2], categories=[1, 2, 3, 4])


def test_missing_pairs_are_dropped() -> None:
    assert cohen_kappa([1, 2, None, 3, math.nan], [1, 2, 3, None, 2]) == cohen_kappa([1, 2], [1, 2])
    assert percent_agreement([1, 2, 3, None], [1, 3, 3, 2]) == pytest.approx(2 / 3)
    assert percent_agreement([1, 2, 3, None], [1, 3, 4, 2], within=1) == pytest.approx(1.0)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: krippendorff_alpha([[1, 2, 3]]), "at least two raters"),
    (lambda: krippendorff_alpha([[1, 2, N], [N, N, 3]]), "no unit was rated by two"),
    (lambda: krippendorff_alpha(KRIPPENDORFF_2011, "fuzzy"), "level must be one of"),
    (lambda: cohen_kappa([1, None], [None, 2]), "no unit was rated by both"),
    (lambda: cohen_kappa([1, 2], [1]), "must rate the same units"),
    (lambda: cohen_kappa([1, 2], [1, 2], weights="cubic"), "weights must be"),
    (lambda: percent_agreement([1], [1], within=-1), "within must be"),
])
def test_too_little_to_compare_is_a_clear_error(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AgreementError, match=message):
        call()


def test_bootstrap_interval_is_seeded_and_brackets_alpha() -> None:
    alpha, low, high = bootstrap_alpha(KRIPPENDORFF_2011, "interval", n_boot=300, seed=4)
    assert alpha == pytest.approx(0.849, abs=0.0005)
    assert low < alpha < high <= 1
    assert bootstrap_alpha(KRIPPENDORFF_2011, "interval", n_boot=300, seed=4) == (alpha, low, high)


def _scored_round(store, audit, jtai, shifts: dict[str, float], seed: int = 1):  # type: ignore[no-untyped-def]
    """Every case moderated; each agency's auditor grades one level more generously than the
    meeting with probability ``shifts[agency]`` (negative: harsher), else the same."""
    import random

    from caseaudit.store import FormSave, ModerationSave

    rng = random.Random(seed)
    truth = {}
    for case in audit.cases:
        criteria = sorted({c.id for a in case.agencies for c in jtai.criteria_for(a)})
        truth[case.id] = {cid: rng.choice([2, 3]) for cid in criteria}  # Good or RI
        for agency in case.agencies:
            if agency not in shifts:
                continue
            auditor = next(a.id for a in audit.auditors if a.agency == agency)
            grades = {}
            for c in jtai.criteria_for(agency):
                step = (1 if rng.random() < abs(shifts[agency]) else 0) * (1 if shifts[agency] > 0
                                                                             else -1)
                grades[c.id] = truth[case.id][c.id] - step  # lower code = better grade
            store.save_form(audit, jtai, FormSave(case.id, agency, auditor, grades,
                                                  {c: "Synthetic." for c, g in grades.items()
                                                   if g in (1, 4)}, status="submitted"))
        rationale = dict.fromkeys(truth[case.id], "Agreed at the meeting.")
        store.save_moderation(audit, jtai, ModerationSave(case.id, truth[case.id], rationale,
                                                          overall=2, saved_by="LEAD-1"))


def test_known_leniency_is_recovered_within_its_interval(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.agreement import graded_pairs, leniency

    shifts = {"CSC": 0.6, "Pol": -0.5, "Hlth": 0.0}
    _scored_round(store, audit, jtai, shifts)
    # 99%: three intervals are checked at once, so 95% ones would miss one in seven runs of
    # fresh data; the data here are fixed by the seed, so the test is deterministic either way
    table = leniency(graded_pairs(store, audit, jtai), confidence=0.99).set_index("agency")
    for agency, shift in shifts.items():
        row = table.loc[agency]
        assert row["ci_low"] <= shift <= row["ci_high"] or (shift == 0 and row["n"] > 0
                                                             and row["mean_difference"] == 0)
    assert table.loc["CSC", "ci_low"] > 0 > table.loc["Pol", "ci_high"]  # told apart
    by_auditor = leniency(graded_pairs(store, audit, jtai), by="auditor")
    assert set(by_auditor["auditor"]) == {a.id for a in audit.auditors
                                          if a.agency in shifts and a.id.endswith("-1")}


def test_agreement_with_the_moderated_grade(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.agreement import agreement_with_moderation, graded_pairs

    _scored_round(store, audit, jtai, {"CSC": 0.0, "Pol": 0.5})
    pairs = graded_pairs(store, audit, jtai)
    table = agreement_with_moderation(pairs, jtai).set_index("criterion_id")
    overall = table.loc["all criteria"]
    assert overall["n"] == len(pairs)
    exact = (pairs["agency_pos"] == pairs["moderated_pos"]).mean()
    assert overall["exact"] == pytest.approx(exact) and overall["within_one"] == 1.0
    assert overall["alpha"] == pytest.approx(krippendorff_alpha(
        [pairs["agency_pos"].tolist(), pairs["moderated_pos"].tolist()], "ordinal",
        value_domain=range(4)))
    csc_only = table.loc["2.4"]  # answered by CSC and Hlth; Hlth not scored here
    assert csc_only["exact"] == 1.0 and csc_only["alpha"] == pytest.approx(1.0)


def test_the_generators_auditors_are_told_apart_by_the_leniency_report(tmp_path, jtai) -> None:  # type: ignore[no-untyped-def]
    # The generator's slant of an auditor (own leniency + agency's slant) is on its latent
    # scale, the report's in grade levels, so order and sign are what must be recovered; exact
    # recovery within the interval is tested on data built in grade levels above.
    import pandas as pd
    from scipy.stats import spearmanr

    from caseaudit.agreement import graded_pairs, leniency
    from caseaudit.store import open_store
    from caseaudit.synthetic import build_partnership, write_partnership

    partnership = build_partnership(cases=60, rounds=3, seed=11, framework=jtai)
    store = open_store(tmp_path / "p.db", create=True)
    write_partnership(partnership, tmp_path / "audits", store, jtai)
    pairs = pd.concat([graded_pairs(store, a, jtai) for a in partnership.rounds[:-1]])
    report = leniency(pairs, by="auditor").set_index("auditor")
    agency_of = {a.id: a.agency for a in partnership.rounds[0].auditors}
    slant = pd.Series({a: lenient + partnership.agency_effect[agency_of[a]]
                       for a, lenient in partnership.leniency.items()})
    assert spearmanr(report["mean_difference"], slant[report.index]).statistic > 0.85
    clear = slant[slant.abs() >= 0.15]
    assert (report.loc[clear.index, "mean_difference"].gt(0) == clear.gt(0)).all()


def test_the_report_needs_a_moderated_round(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.agreement import agreement_report, latest_moderated_round

    with pytest.raises(AgreementError, match="no round has moderations yet"):
        latest_moderated_round(store, [audit])
    _scored_round(store, audit, jtai, {"CSC": 0.5})
    assert latest_moderated_round(store, [audit]) is audit
    report = agreement_report(store, audit, jtai, n_boot=50)
    criteria = report["criteria"].set_index("criterion_id")
    assert criteria.loc["all criteria", "n"] == len(report["pairs"])
    scored = criteria.dropna(subset=["ci_low"])
    assert len(scored) and (scored["ci_low"] <= scored["alpha"] + 1e-9).all()
    assert list(report["agencies"]["agency"]) == ["CSC"]


def test_the_fast_two_rater_path_equals_the_general_one() -> None:
    import numpy as np

    from caseaudit.agreement import ordinal_alpha_from_pairs

    rng = np.random.default_rng(9)
    a = rng.integers(0, 4, 150)
    b = np.clip(a + rng.integers(-1, 2, 150), 0, 3)
    counts = np.zeros((4, 4))
    np.add.at(counts, (a, b), 1)
    assert float(ordinal_alpha_from_pairs(counts)) == pytest.approx(
        krippendorff_alpha([a.tolist(), b.tolist()], "ordinal", value_domain=range(4)))
    fast = bootstrap_alpha([a, b], "ordinal", n_boot=2000, value_domain=range(4))
    slow = bootstrap_alpha([a, b], "ordinal", n_boot=400)  # no value_domain: the general loop
    assert fast[0] == pytest.approx(slow[0])
    assert fast[1] == pytest.approx(slow[1], abs=0.02) and fast[2] == pytest.approx(slow[2],
                                                                                     abs=0.02)


def test_agreement_between_double_scorers(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.agreement import double_scorer_agreement
    from caseaudit.store import FormSave

    double = audit.model_copy(update={"scorers_per_form": 2})
    assert double_scorer_agreement(store, double, jtai).empty  # nothing scored yet
    criteria = [c.id for c in jtai.criteria_for("CSC")]
    cases = [c for c in double.cases if "CSC" in c.agencies]
    for i, case in enumerate(cases):
        one = {cid: 2 + (i + j) % 2 for j, cid in enumerate(criteria)}
        two = dict(one) | ({criteria[0]: 4} if i % 3 == 0 else {})  # they differ on some
        for auditor, grades in (("AUD-CSC-1", one), ("AUD-CSC-2", two)):
            notes = {c: "Synthetic." for c, g in grades.items() if g in (1, 4)}
            store.save_form(double, jtai, FormSave(case.id, "CSC", auditor, grades, notes,
                                                   status="submitted"))
    table = double_scorer_agreement(store, double, jtai).set_index("criterion_id")
    assert table.loc["all criteria", "units"] == len(cases) * len(criteria)
    assert table.loc[criteria[1], "exact"] == 1.0 and table.loc[criteria[1], "alpha"] == 1.0
    differ = sum(1 for i in range(len(cases)) if i % 3 == 0)
    assert table.loc[criteria[0], "exact"] == pytest.approx(1 - differ / len(cases))
    assert table.loc[criteria[0], "alpha"] < 1
    wide = sum(1 for i in range(len(cases)) if i % 6 == 0)  # 2 against 4; 3 against 4 is near
    assert table.loc[criteria[0], "within_one"] == pytest.approx(1 - wide / len(cases))
    assert table.loc[criteria[1], "within_one"] == 1.0

    from caseaudit.results import round_results
    from caseaudit.store import ModerationSave
    from caseaudit.ui.dashboard import render_consistency  # the board sees it once moderated

    store.save_moderation(double, jtai, ModerationSave(
        cases[1].id, {criteria[1]: 3}, {criteria[1]: "Agreed."}, saved_by="LEAD-1"))
    both = table.loc["all criteria"]
    assert (f"{int(both['units']):,} grades given by two or more auditors of the same agency: "
            f"exact agreement <b>{both['exact']:.0%}</b>") in render_consistency(
        round_results(store, double))
    assert table.loc["all criteria", "cases"] == len(cases)


def test_agreement_across_rounds_lists_the_moderated_rounds(filled) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.agreement import agreement_across_rounds
    from caseaudit.rounds import load_rounds

    store, audits = filled
    rounds = load_rounds(audits)
    table = agreement_across_rounds(store, rounds)
    assert list(table["round_id"]) == [r.id for r in rounds[:-1]]  # the latest is not moderated
    assert (table["n"] > 0).all() and table["exact"].between(0, 1).all()


def test_the_stores_pair_counts_equal_pairing_the_tidy_rows(filled, jtai) -> None:  # type: ignore[no-untyped-def]
    """graded_pairs counts pairs in SQL; pairing the current rows in pandas must give the same
    multiset, also after a form and a moderation were revised and with drafts and n/a left out."""
    from caseaudit.agreement import graded_pairs
    from caseaudit.framework import answer_from_columns, is_grade
    from caseaudit.rounds import load_rounds
    from caseaudit.store import FormSave, ModerationSave

    store, audits = filled
    audit = load_rounds(audits)[0]
    tidy = store.current_responses(audit.id, status="submitted")
    form = tidy.iloc[0]
    grades = {r.criterion_id: answer_from_columns(r.grade, r.not_applicable)
              for r in tidy[(tidy["case_id"] == form.case_id) & (tidy["agency"] == form.agency)
                            & (tidy["auditor"] == form.auditor)].itertuples()}
    first = next(c for c, g in grades.items() if is_grade(g))
    grades[first] = 1 if grades[first] != 1 else 4
    latest = store.latest_revision(audit.id, form.case_id, form.agency, form.auditor)
    store.save_form(audit, jtai, FormSave(form.case_id, form.agency, form.auditor,
                                          grades,
                                          {first: "Synthetic revised."}, "submitted",
                                          latest.revision_no))
    history = store.moderation_history(audit.id, form.case_id)
    revised = dict(history[-1].grades) | {first: 3}
    store.save_moderation(audit, jtai, ModerationSave(
        form.case_id, revised, history[-1].rationales | {first: "Synthetic."}, history[-1].overall,
        based_on=history[-1].revision_no, saved_by="LEAD-1"))

    tidy = store.current_responses(audit.id, status="submitted")
    tidy = tidy[tidy["grade"].notna() & ~tidy["not_applicable"]]
    agreed = store.current_moderations(audit.id)
    agreed = agreed[agreed["grade"].notna() & ~agreed["not_applicable"]]
    merged = tidy.merge(agreed[["case_id", "criterion_id", "grade"]],
                        on=["case_id", "criterion_id"], suffixes=("", "_agreed"))
    expected = sorted(
        (r.criterion_id, r.agency, r.auditor, jtai.scale_of(r.criterion_id).position(int(r.grade)),
         jtai.scale_of(r.criterion_id).position(int(r.grade_agreed)))
        for r in merged.itertuples())
    pairs = graded_pairs(store, audit, jtai)
    got = sorted(tuple(row) for row in pairs[["criterion_id", "agency", "auditor", "agency_pos",
                                              "moderated_pos"]].itertuples(index=False))
    assert got == expected and len(got) > 100
