"""Moderation: the grid, required rationales, locking and reopening, themes, schema upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from caseaudit.errors import ConflictError, GradeError, RoundLockedError, StoreError
from caseaudit.moderation import moderation_grid, theme_counts
from caseaudit.store import SCHEMA_VERSION, FormSave, ModerationSave, open_store

pytestmark = pytest.mark.both_databases


def _auditor(audit, agency: str) -> str:  # type: ignore[no-untyped-def]
    return next(a.id for a in audit.auditors if a.agency == agency)


def _agreed(jtai, case) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Every criterion of the case agreed as Good: with an overall grade, a complete moderation."""
    from caseaudit.moderation import case_criteria

    return dict.fromkeys(case_criteria(jtai, case), 2)


def test_the_grid_shows_every_scorer_and_flags_wide_disagreement(  # type: ignore[no-untyped-def]
        store, audit, jtai, case_with, submit) -> None:
    case = case_with(audit, "CSC", "Pol")
    submit(audit, case, "CSC", {"1.1": 1, "1.3": 2})
    submit(audit, case, "Pol", {"1.1": 4, "1.3": 3})
    grid = moderation_grid(store, audit, jtai, case.id).set_index("criterion_id")
    csc, pol = f"CSC · {_auditor(audit, 'CSC')}", f"Pol · {_auditor(audit, 'Pol')}"
    assert grid.loc["1.1", csc] == "Outstanding" and grid.loc["1.1", pol] == "Inadequate"
    assert grid.loc["1.1", "spread"] == 3 and bool(grid.loc["1.1", "disagreement"])
    assert grid.loc["1.3", "spread"] == 1 and not bool(grid.loc["1.3", "disagreement"])
    assert grid.loc["1.2", csc] == ""  # 1.2 is not on CSC's form
    from caseaudit.moderation import describe_grid, style_grid

    assert describe_grid(grid.reset_index()).endswith("two or more levels apart: 1.1")
    assert "#fde2cf" in style_grid(grid.reset_index()).to_html()


def test_a_rationale_is_required_where_the_agreed_grade_differs(  # type: ignore[no-untyped-def]
        store, audit, jtai, case_with, submit) -> None:
    case = case_with(audit, "CSC", "Pol")
    submit(audit, case, "CSC", {"1.1": 1})
    submit(audit, case, "Pol", {"1.1": 4})
    with pytest.raises(GradeError, match=r"1\.1: the agreed grade Good differs"):
        store.save_moderation(audit, jtai, ModerationSave(case.id, {"1.1": 2, "1.3": 2}, saved_by="LEAD-1"))
    assert store.moderation_history(audit.id, case.id) == []
    saved = store.save_moderation(audit, jtai, ModerationSave(
        case.id, {"1.1": "Good", "1.3": 2}, {"1.1": "Strong identification, weak police follow-up."},
        overall="Requires improvement to be good", strengths="Joint visit",
        themes=["identification", "curiosity", " curiosity "], saved_by="LEAD-1"))
    assert saved.revision_no == 1 and saved.grades == {"1.1": 2, "1.3": 2}
    assert saved.overall == 3 and saved.themes == ["identification", "curiosity"]
    history = store.moderation_history(audit.id, case.id)
    assert history[0].rationales == {"1.1": "Strong identification, weak police follow-up."}
    with pytest.raises(ConflictError):  # a second meeting laptop on revision 0
        store.save_moderation(audit, jtai, ModerationSave(case.id, {"1.3": 2}, saved_by="LEAD-2"))


@pytest.mark.parametrize(("case_id", "grades", "message"), [
    ("NOPE-1", {"1.1": 2}, "is not in round"),
    (None, {"1.1": 9}, "9 is not on the scale"),
    (None, {"9.9": 2}, "criterion '9.9' is not in framework"),
])
def test_bad_moderations_write_nothing(store, audit, jtai, case_id, grades, message) -> None:  # type: ignore[no-untyped-def]
    case_id = case_id or audit.cases[0].id
    with pytest.raises(GradeError, match=message):
        store.save_moderation(audit, jtai, ModerationSave(case_id, grades, saved_by="LEAD-1"))
    assert store.current_moderations().empty


def test_a_closed_round_is_locked_until_reopened_with_a_reason(store, audit, jtai, case_with, submit) -> None:  # type: ignore[no-untyped-def]
    case = case_with(audit, "CSC")
    submit(audit, case, "CSC", {})
    store.close_round(audit.id, by="LEAD-1", reason="moderation meeting 12 May")
    assert store.round_locked(audit.id)
    with pytest.raises(RoundLockedError, match=r"closed by LEAD-1 at .*: its forms and moderations are"):
        store.save_form(audit, jtai, FormSave(case.id, "CSC", _auditor(audit, "CSC"), {"1.1": 3},
                                              based_on=1))
    with pytest.raises(RoundLockedError):
        store.save_moderation(audit, jtai, ModerationSave(case.id, {"1.1": 2}, saved_by="LEAD-1"))
    with pytest.raises(StoreError, match="needs a reason"):
        store.reopen_round(audit.id, by="LEAD-1", reason="  ")
    assert store.round_locked(audit.id)
    store.reopen_round(audit.id, by="LEAD-2", reason="Police grades entered against wrong case")
    store.save_form(audit, jtai, FormSave(case.id, "CSC", _auditor(audit, "CSC"), {"1.1": 3},
                                          based_on=1))
    history = store.round_history(audit.id)
    assert history[["action", "by"]].values.tolist() == [["close", "LEAD-1"], ["reopen", "LEAD-2"]]
    assert history["reason"].iloc[1] == "Police grades entered against wrong case"


def test_themes_are_counted_per_round(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    for case, themes in zip(audit.cases[:3], [["voice", "oversight"], ["voice"],
                                              ["local tag"]], strict=True):
        store.save_moderation(audit, jtai, ModerationSave(case.id, _agreed(jtai, case), overall=2,
                                                          themes=themes, saved_by="LEAD-1"))
    partly = audit.cases[3]  # not finished: its themes are not counted yet
    store.save_moderation(audit, jtai, ModerationSave(partly.id, {}, themes=["voice"], saved_by="LEAD-1"))
    counts = theme_counts(store, [audit])
    voice = next(t.title for t in jtai.themes if t.id == "voice")
    assert counts.loc[voice, audit.id] == 2
    assert counts.loc["local tag", audit.id] == 1


def test_a_case_is_moderated_only_when_every_criterion_and_overall_are_agreed(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.moderation import case_criteria, moderation_coverage

    case = audit.cases[0]
    expected = case_criteria(jtai, case)
    store.save_moderation(audit, jtai, ModerationSave(case.id, dict.fromkeys(expected[:3], 2),
                                                      saved_by="LEAD-1"))
    row = moderation_coverage(store, audit, jtai).set_index("case_id").loc[case.id]
    assert (row["agreed"], row["expected"], row["overall"], row["complete"]) == (
        3, len(expected), False, False)
    every = dict.fromkeys(expected, "n/a") | {expected[0]: 2}  # not applicable counts as agreed
    store.save_moderation(audit, jtai, ModerationSave(case.id, every, saved_by="LEAD-1", based_on=1))
    assert not moderation_coverage(store, audit, jtai).set_index("case_id").loc[case.id, "complete"]
    store.save_moderation(audit, jtai, ModerationSave(case.id, every, overall=2, saved_by="LEAD-1",
                                                      based_on=2))
    assert moderation_coverage(store, audit, jtai).set_index("case_id").loc[case.id, "complete"]


def test_themes_keep_the_titles_of_each_rounds_framework(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.framework import load_framework
    from caseaudit.results import round_results
    from caseaudit.ui.dashboard import render_theme_counts

    # an earlier round scored against the generic framework: its "voice" is another theme
    maca = load_framework("maca-generic", "1.0")
    earlier = audit.model_copy(update={
        "id": "practice-week-2025", "framework": audit.framework.model_copy(
            update={"id": maca.id, "version": maca.version})})
    assert earlier.load_framework().id == maca.id
    store.save_moderation(earlier, maca, ModerationSave(
        audit.cases[0].id, _agreed(maca, audit.cases[0]), overall=2, themes=["voice", "oversight"],
        saved_by="LEAD-1"))
    store.save_moderation(audit, jtai, ModerationSave(
        audit.cases[0].id, _agreed(jtai, audit.cases[0]), overall=2, themes=["voice"],
        saved_by="LEAD-1"))
    counts = theme_counts(store, [earlier, audit])
    assert list(counts.columns) == [earlier.id, audit.id]  # the rounds' order, not the ids'
    title = {f.id: next(t.title for t in f.themes if t.id == "voice") for f in (maca, jtai)}
    assert counts.loc[title[maca.id], earlier.id] == 1 and counts.loc[title[maca.id], audit.id] == 0
    assert counts.loc[title[jtai.id], audit.id] == 1
    html = render_theme_counts(round_results(store, audit, [earlier, audit]),
                               threshold=0).replace("&#x27;", "'")
    assert "Other (local tags)" not in html  # every theme is a framework's
    assert f"<td>{title[maca.id]}</td><td>1</td><td>0</td>" in html


def test_an_older_workbook_database_is_upgraded_in_place(tmp_path: Path, audit, jtai, case_with) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.db"
    store = open_store(path, create=True)
    case = case_with(audit, "CSC")
    store.save_form(audit, jtai, FormSave(case.id, "CSC", _auditor(audit, "CSC"), {"1.1": 2}))
    store.dispose()
    with sqlite3.connect(path) as conn:  # make it look like a schema-1 workbook
        for table in ("moderation_grades", "moderations", "round_events", "moderation_drafts",
                      "stream_details", "alembic_version"):  # schema 1 came before the migrations
            conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE schema_info SET value = '1' WHERE key = 'schema_version'")
    upgraded = open_store(path)
    assert upgraded.schema_version() == SCHEMA_VERSION
    assert len(upgraded.current_responses()) == 1
    upgraded.save_moderation(audit, jtai, ModerationSave(case.id, {"1.1": 2}, saved_by="LEAD-1"))
    assert len(upgraded.current_moderations()) == 1


def test_local_tags_reach_the_dashboard_only_as_a_total(store, audit, jtai, case_with, submit) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.moderation import theme_counts
    from caseaudit.results import round_results
    from caseaudit.ui.dashboard import render_theme_counts

    case = case_with(audit, "CSC")
    submit(audit, case, "CSC", {})
    store.save_moderation(audit, jtai, ModerationSave(
        case.id, _agreed(jtai, case), overall=2, themes=["voice", "Mrs X's flat"], saved_by="LEAD-1"))
    assert "Mrs X's flat" in theme_counts(store, [audit]).index  # the QA lead sees the tag
    html = render_theme_counts(round_results(store, audit), threshold=0)
    assert "Mrs X" not in html and "<td>Other (local tags)</td><td>1</td>" in html
    voice = next(t.title for t in jtai.themes if t.id == "voice")
    assert f"<td>{voice}</td><td>1</td>" in html.replace("&#x27;", "'")
    assert "<td>Other (local tags)</td><td>c</td>" in render_theme_counts(
        round_results(store, audit))  # one case: suppressed at the usual threshold


def test_the_moderation_form_saves_the_meetings_grades(store, audit, case_with, submit) -> None:  # type: ignore[no-untyped-def]
    from caseaudit import ModerationForm

    case = case_with(audit, "CSC", "Pol")
    submit(audit, case, "CSC", {"1.1": 1})
    submit(audit, case, "Pol", {"1.1": 4})
    form = ModerationForm(store, audit, moderator="LEAD-1", case_id=case.id)
    assert "two or more levels apart: 1.1" in form.summary.value
    assert "⚠" in form.row_boxes["1.1"].children[0].value
    form.agreed["1.1"].value = 2
    form.save_button.click()
    assert "write the rationale" in form.save_message.value
    assert store.moderation_history(audit.id, case.id) == []
    form.rationale["1.1"].value = "Police follow-up was slow; identification was strong."
    form.overall.value = 3
    form.theme_boxes["identification"].value = True
    form.save_button.click()
    assert "Moderation saved (revision 1)" in form.save_message.value
    saved = store.moderation_history(audit.id, case.id)[-1]
    assert saved.grades == {"1.1": 2} and saved.overall == 3 and saved.themes == ["identification"]
    again = ModerationForm(store, audit, moderator="LEAD-2", case_id=case.id)
    assert again.agreed["1.1"].value == 2 and again.based_on == 1
    assert again.rationale["1.1"].value.startswith("Police follow-up")


def test_a_criterion_no_agency_of_the_case_answers_is_refused(store, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.moderation import case_criteria

    case = next(c for c in audit.cases if set(case_criteria(jtai, c)) != set(jtai.criteria_by_id))
    outside = next(cid for cid in jtai.criteria_by_id if cid not in case_criteria(jtai, case))
    with pytest.raises(GradeError, match=f"criterion {outside} is not asked of any agency"):
        store.save_moderation(audit, jtai, ModerationSave(case.id, {outside: 2}, saved_by="LEAD-1"))
    assert store.moderation_history(audit.id, case.id) == []


def test_an_over_long_rationale_or_note_is_refused_and_nothing_saved(store, audit, jtai, case_with) -> None:  # type: ignore[no-untyped-def]
    from caseaudit import settings
    from caseaudit.errors import GradeError

    case = case_with(audit, "CSC")
    long = "x" * (settings.NOTE_MAX_CHARS + 1)
    with pytest.raises(GradeError, match="rationale is 5,001 characters long"):
        store.save_moderation(audit, jtai, ModerationSave(case.id, {"1.1": 2}, {"1.1": long}, saved_by="L"))
    with pytest.raises(GradeError, match="Strengths is 5,001 characters long"):
        store.save_moderation(audit, jtai, ModerationSave(case.id, {"1.1": 2}, strengths=long, saved_by="L"))
    with pytest.raises(GradeError, match="evidence note is 5,001 characters long"):
        store.save_form(audit, jtai, FormSave(case.id, "CSC", _auditor(audit, "CSC"),
                                              {"1.1": 2}, {"1.1": long}))
    assert store.moderation_history(audit.id, case.id) == []
    assert store.latest_revision(audit.id, case.id, "CSC", _auditor(audit, "CSC")) is None
