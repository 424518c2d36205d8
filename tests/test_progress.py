"""Round progress for the audit lead."""

from __future__ import annotations

import pytest

from caseaudit.progress import form_progress, plot_progress, summarise_progress
from caseaudit.rounds import load_rounds

pytestmark = pytest.mark.both_databases


def test_progress_counts_every_expected_form_once(filled) -> None:  # type: ignore[no-untyped-def]
    store, audits = filled
    audit = load_rounds(audits)[-1]
    forms = form_progress(store, audit)
    assert len(forms) == len(audit.expected_forms())
    saved = store.form_statuses(audit.id)
    assert (forms["state"] == "submitted").sum() == (saved["status"] == "submitted").sum()
    assert (forms["state"] == "draft").sum() == (saved["status"] == "draft").sum()
    assert (forms["state"] == "missing").sum() == len(audit.expected_forms()) - len(saved)

    by_agency = summarise_progress(store, audit)
    assert by_agency.loc["Total", "expected"] == len(audit.expected_forms())
    assert (by_agency["expected"] == by_agency[["missing", "draft", "submitted"]].sum(axis=1)).all()
    for agency in by_agency.index.drop("Total"):
        assert by_agency.loc[agency, "expected"] == sum(
            1 for _, a in audit.expected_forms() if a == agency)

    by_auditor = summarise_progress(store, audit, by="auditor")
    assert by_auditor.loc["Total", ["draft", "submitted"]].sum() == len(saved)
    counted = saved.groupby(["auditor", "status"]).size()  # what the database's GROUP BY gives
    assert {(a, s): by_auditor.loc[a, s] for a, s in counted.index} == counted.to_dict()
    assert list(by_auditor.index) == [*sorted(saved["auditor"].unique()), "Total"]
    assert plot_progress(by_agency).axes


def test_a_round_with_nothing_saved_is_all_missing(store, audit) -> None:  # type: ignore[no-untyped-def]
    table = summarise_progress(store, audit)
    assert table.loc["Total", "missing"] == table.loc["Total", "expected"] == \
        len(audit.expected_forms())
    assert summarise_progress(store, audit, by="auditor").loc["Total"].sum() == 0


def test_a_double_scored_form_is_submitted_only_when_both_scorers_have(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.store import FormSave

    double = audit.model_copy(update={"scorers_per_form": 2})
    case = next(c for c in double.cases if "CSC" in c.agencies)
    every = [c.id for c in jtai.criteria_for("CSC")]

    def state() -> str:
        forms = form_progress(store, double).set_index(["case_id", "agency"])
        return forms.loc[(case.id, "CSC"), "state"]

    assert state() == "missing"
    store.save_form(double, jtai, FormSave(case.id, "CSC", "AUD-CSC-1", dict.fromkeys(every, 2),
                                           status="submitted"))
    assert state() == "draft"  # one of two: not done yet
    assert form_progress(store, audit).set_index(["case_id", "agency"]).loc[
        (case.id, "CSC"), "state"] == "submitted"  # the same form in a single-scored round
    store.save_form(double, jtai, FormSave(case.id, "CSC", "AUD-CSC-2", dict.fromkeys(every, 3),
                                           status="submitted"))
    assert state() == "submitted"
    forms = form_progress(store, double).set_index(["case_id", "agency"])
    assert forms.loc[(case.id, "CSC"), "auditors"] == "AUD-CSC-1, AUD-CSC-2"


def test_a_practice_weeks_progress_counts_each_streams_records(tmp_path, database_url) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from caseaudit.cli import main
    from caseaudit.framework import load_framework
    from caseaudit.progress import stream_progress
    from caseaudit.store import open_store
    from tests.postgres import db_option
    from tests.practice_week_store import save_weeks

    store = open_store(database_url("pw"), create=True)
    this, _ = save_weeks(store, load_framework("practice-week", "1.0"), tmp_path / "audits")
    table = stream_progress(store, this)
    records = store.stream_records(this.id, status=None)
    counted = store.stream_counts(this.id).set_index(["stream_id", "status"])
    assert counted["count"].to_dict() == records.groupby(["stream_id", "status"]).size().to_dict()
    store.dispose()
    # 8 case audits; 12 observations submitted and OBS-013 a draft; 14 family returns, 2 of them
    # declined; 7 practitioner returns (tests/practice_week_store.py)
    assert table.to_dict("index") == {
        "Collaborative case audit": {"draft": 0, "submitted": 8, "declined": 0},
        "Observation of practice": {"draft": 1, "submitted": 12, "declined": 0},
        "Feedback from children and families": {"draft": 0, "submitted": 14, "declined": 2},
        "Feedback from practitioners": {"draft": 0, "submitted": 7, "declined": 0}}
    result = CliRunner().invoke(main, ["progress", "--round", this.id, "--db", db_option(database_url("pw")),
                                       "--audits", str(tmp_path / "audits")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Collaborative case audits (one expected per case")
    assert "Every stream's records" in result.output and "Observation of practice" in result.output
