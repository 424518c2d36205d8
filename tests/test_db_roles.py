"""Roles the database enforces: on a real PostgreSQL workbook, `caseaudit db-roles` gives each
person of the people file a login in their role's group, and each role, signed in with its own
password, can do its work and is refused (a clear StoreError through the store, a permission error
in raw SQL) what it must not do."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.exc import ProgrammingError

from caseaudit import settings
from caseaudit.cli import main
from caseaudit.errors import RecordTakenError, StoreError
from caseaudit.framework import Framework
from caseaudit.store import ActionUpdateSave, FormSave, ModerationSave, Store, StreamDetails, open_store
from caseaudit.store.roles import ALL_GROUPS, BOARD_SCHEMA, board_views
from caseaudit.store.schema import APPEND_ONLY, metadata
from caseaudit.synthetic import write_partnership
from caseaudit.ui.practice_week import NEW, PracticeWeekForm

from .inspections import INSPECTION_ID, load_small, write_inspection
from .postgres import Cluster
from .practice_week_frames import example_week
from .practice_week_store import TEXT, this_week_saves

PASSWORD = "synthetic-password-1"
PEOPLE = """\
people:
  - user: pol-auditor-1
    role: auditor
    agency: Pol
    auditor: AUD-POL-1
  - user: csc-auditor-1
    role: auditor
    agency: CSC
    auditor: AUD-CSC-1
  - user: moderator-1
    role: moderator
  - user: qa-lead-1
    role: qa_lead
  - user: board-1
    role: board_viewer
"""
LOGINS = {"pol-auditor-1": "ca_pol_auditor_1", "csc-auditor-1": "ca_csc_auditor_1",
          "moderator-1": "ca_moderator_1", "qa-lead-1": "ca_qa_lead_1", "board-1": "ca_board_1",
          "dashboards": "caseaudit_dashboards"}


@dataclasses.dataclass
class Workbook:
    """A PostgreSQL workbook holding the small partnership and a practice week, with roles."""

    cluster: Cluster
    database: str
    people: Path
    audits: Path
    inspections: Path

    @property
    def admin_url(self) -> str:
        return self.cluster.url(self.database)

    def url(self, user: str) -> str:
        return self.cluster.url(self.database, user=LOGINS[user], password=PASSWORD)

    def store(self, user: str | None = None) -> Store:
        return open_store(self.admin_url if user is None else self.url(user))

    def sql(self, user: str, statement: str) -> list[sa.Row]:
        """``statement`` run as ``user`` in raw SQL (no store in between), rolled back."""
        engine = sa.create_engine(self.url(user))
        try:
            with engine.connect() as conn:
                return list(conn.execute(sa.text(statement)))
        finally:
            engine.dispose()

    def count(self, table: str) -> int:
        return int(self.cluster.psql(f"SELECT count(*) FROM {table}", self.database))


def db_roles(*args: str, input: str | None = None, env: dict[str, str] | None = None
             ) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["db-roles", *args], input=input, env=env)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def workbook(pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory, small_partnership,  # type: ignore[no-untyped-def]
             jtai: Framework, pw: Framework) -> Iterator[Workbook]:
    folder = tmp_path_factory.mktemp("roles")
    people = folder / "people.yaml"
    people.write_text(PEOPLE, encoding="utf-8")
    database = pg_cluster.create_database()
    book = Workbook(pg_cluster, database, people, folder / "audits",
                    write_inspection(folder / "inspections"))
    store = open_store(book.admin_url, create=True)
    write_partnership(small_partnership, book.audits, store, jtai)
    store.save_forms(example_week(), pw, this_week_saves(example_week(), pw))
    store.dispose()
    code, output = db_roles("--people", str(people), "--db", book.admin_url)
    assert code == 0, output
    for user in LOGINS:
        code, output = db_roles("--people", str(people), "--db", book.admin_url,
                                "--set-password", LOGINS[user] if user == "dashboards" else user,
                                input=PASSWORD + "\n")
        assert code == 0, output
    yield book
    pg_cluster.drop_database(database)


def refused_in_sql(book: Workbook, user: str, statement: str) -> str:
    with pytest.raises(ProgrammingError) as caught:
        book.sql(user, statement)
    assert getattr(caught.value.orig, "sqlstate", None) == "42501", caught.value
    return str(caught.value.orig)


def test_sqlite_is_refused_with_what_protects_a_file_instead(tmp_path: Path) -> None:
    people = tmp_path / "people.yaml"
    people.write_text(PEOPLE, encoding="utf-8")
    code, output = db_roles("--people", str(people), "--db", str(tmp_path / "workbook.db"))
    assert code == 1
    assert "is an SQLite file, which has no database accounts or roles" in output
    assert "chmod 600" in output and "Nothing was changed." in output
    assert not (tmp_path / "workbook.db").exists()


def test_each_person_has_a_login_in_their_groups_only(workbook: Workbook) -> None:
    found = workbook.cluster.psql(
        "SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
        "JOIN pg_roles m ON m.oid = a.member WHERE m.rolname LIKE 'ca\\_%' ORDER BY 1, 2")
    pairs = {tuple(line.split("|")) for line in found.splitlines()}
    expected = {("ca_pol_auditor_1", "caseaudit_auditor"), ("ca_csc_auditor_1", "caseaudit_auditor"),
                ("ca_moderator_1", "caseaudit_moderator"), ("ca_qa_lead_1", "caseaudit_qa_lead"),
                ("ca_board_1", "caseaudit_board_viewer")}
    assert {pair for pair in pairs if pair[0] in dict(expected)} == expected
    groups = workbook.cluster.psql("SELECT rolname FROM pg_roles WHERE rolname LIKE 'caseaudit\\_%' "
                                   "AND rolname <> 'caseaudit_admin'").split()
    assert set(ALL_GROUPS) <= set(groups)


def test_running_it_again_changes_nothing_and_a_new_person_cannot_sign_in_yet(
        workbook: Workbook, tmp_path: Path) -> None:
    before = workbook.cluster.psql("SELECT tablename, policyname, cmd, roles::text FROM pg_policies "
                                   "ORDER BY 1, 2", workbook.database)
    code, output = db_roles("--people", str(workbook.people), "--db", workbook.admin_url)
    assert code == 0, output
    assert "2 auditors, 1 board viewer, 1 moderator, 1 QA lead" in output
    assert "cannot sign in" not in output  # every login has its password
    assert workbook.cluster.psql("SELECT tablename, policyname, cmd, roles::text FROM pg_policies "
                                 "ORDER BY 1, 2", workbook.database) == before
    assert workbook.store("pol-auditor-1").round_ids()  # passwords kept

    changed = tmp_path / "changed.yaml"
    changed.write_text(PEOPLE.replace("role: moderator", "role: qa_lead"), encoding="utf-8")
    code, output = db_roles("--people", str(changed), "--db", workbook.admin_url)
    groups_of = ("SELECT g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN "
                 "pg_roles m ON m.oid = a.member WHERE m.rolname = 'ca_moderator_1'")
    assert workbook.cluster.psql(groups_of).split() == ["caseaudit_qa_lead"]
    code, output = db_roles("--people", str(workbook.people), "--db", workbook.admin_url)
    assert workbook.cluster.psql(groups_of).split() == ["caseaudit_moderator"]

    more = tmp_path / "people.yaml"
    more.write_text(PEOPLE + "  - user: edu-auditor-9\n    role: auditor\n    agency: Edu\n"
                    "    auditor: AUD-EDU-9\n", encoding="utf-8")
    code, output = db_roles("--people", str(more), "--db", workbook.admin_url)
    assert code == 0, output
    assert "cannot sign in until their password is set (caseaudit db-roles --set-password USER): " \
           "edu-auditor-9." in output
    assert workbook.cluster.psql("SELECT rolcanlogin FROM pg_roles WHERE rolname = "
                                 "'ca_edu_auditor_9'").strip() == "f"
    code, output = db_roles("--people", str(workbook.people), "--db", workbook.admin_url)
    assert "No longer in the people file, so their login is switched off: ca_edu_auditor_9." in output
    assert workbook.cluster.psql("SELECT count(*) FROM pg_auth_members a JOIN pg_roles m ON m.oid = "
                                 "a.member WHERE m.rolname = 'ca_edu_auditor_9'").strip() == "0"


def test_passwords_never_come_from_the_command_line_and_short_ones_are_refused(
        workbook: Workbook) -> None:
    args = ("--people", str(workbook.people), "--db", workbook.admin_url, "--set-password")
    code, output = db_roles(*args, "board-1", input="short\n")
    assert code == 1 and "The password for ca_board_1 is too short" in output
    # the server logs every statement of this database from now on: the password must not be there
    workbook.cluster.psql(f'ALTER DATABASE "{workbook.database}" SET log_statement = \'all\'')
    try:
        code, output = db_roles(*args, "board-1", env={settings.NEW_PASSWORD_ENV: PASSWORD})
    finally:
        workbook.cluster.psql(f'ALTER DATABASE "{workbook.database}" RESET log_statement')
    assert code == 0 and "ca_board_1 may now sign in" in output
    log = (workbook.cluster.root / "server.log").read_text(encoding="utf-8", errors="replace")
    assert 'ALTER ROLE "ca_board_1" LOGIN PASSWORD \'SCRAM-SHA-256$' in log and PASSWORD not in log
    assert workbook.sql("board-1", "SELECT 1") == [(1,)]  # signs in with it
    code, output = db_roles(*args, "nobody-7", input=PASSWORD + "\n")
    assert code == 1 and "nobody-7 is not in the people file" in output


def test_a_password_waits_for_the_persons_login(workbook: Workbook, tmp_path: Path) -> None:
    people = tmp_path / "people.yaml"
    people.write_text(PEOPLE + "  - user: later-9\n    role: moderator\n", encoding="utf-8")
    code, output = db_roles("--people", str(people), "--db", workbook.admin_url, "--set-password",
                            "later-9", input=PASSWORD + "\n")
    assert code == 1
    assert "The database has no role ca_later_9 yet: run `caseaudit db-roles --people FILE` first" \
        in output


# -- auditor ---------------------------------------------------------------------------------------

def test_an_auditor_saves_and_reads_only_their_own_agencys_forms(
        workbook: Workbook, small_partnership, jtai: Framework) -> None:  # type: ignore[no-untyped-def]
    audit = small_partnership.rounds[-1]
    case = next(c for c in audit.cases if {"Pol", "CSC"} <= set(c.agencies))
    store = workbook.store("pol-auditor-1")
    try:
        theirs = store.current_responses(audit.id)
        assert not theirs.empty and set(theirs["agency"]) == {"Pol"}
        current = store.latest_revision(audit.id, case.id, "Pol", "AUD-POL-1")
        saved = store.save_form(audit, jtai, FormSave(
            case.id, "Pol", "AUD-POL-1", {"1.1": 3}, {"1.1": "Synthetic note"}, status="draft",
            based_on=current.revision_no if current else None))
        assert saved.key.agency == "Pol"
        assert set(store.grade_counts(audit.id, status=None)["agency"]) == {"Pol"}

        revisions = workbook.count("revisions")
        with pytest.raises(StoreError) as caught:
            # the store's checks pass (AUD-CSC-1 does audit for CSC); the database refuses
            store.save_form(audit, jtai, FormSave(case.id, "CSC", "AUD-CSC-1", {"1.1": 1}))
        message = str(caught.value)
        assert message.startswith(f"Your database account ca_pol_auditor_1 may not save the CSC form "
                                  f"for case {case.id} in round {audit.id} (auditor AUD-CSC-1): it "
                                  "lets your account write only its own agency's records")
        assert "row-level security" in message and "Nothing was saved; ask whoever runs the server" \
            in message
        assert workbook.count("revisions") == revisions
    finally:
        store.dispose()


def test_an_auditor_cannot_read_another_agencys_scores_in_raw_sql(workbook: Workbook) -> None:
    agencies = workbook.sql("pol-auditor-1", "SELECT DISTINCT f.agency FROM scores s JOIN revisions r "
                            "ON r.revision_id = s.revision_id JOIN forms f ON f.form_id = r.form_id")
    assert [a for (a,) in agencies] == ["Pol"]
    own = workbook.sql("pol-auditor-1", "SELECT count(*) FROM scores")[0][0]
    everything = workbook.count("scores")
    assert 0 < own < everything
    tallies = workbook.sql("pol-auditor-1", "SELECT DISTINCT agency FROM grade_tallies")
    assert [a for (a,) in tallies] == ["Pol"]
    texts = workbook.sql("pol-auditor-1", "SELECT text FROM stream_details")
    assert len(texts) == 13  # the Pol observations of the week, none of the other agencies'
    refused_in_sql(workbook, "pol-auditor-1", "SELECT * FROM moderations")
    refused_in_sql(workbook, "pol-auditor-1", "SELECT * FROM action_updates")


def test_an_auditor_cannot_write_another_agencys_rows_even_in_raw_sql(workbook: Workbook) -> None:
    message = refused_in_sql(workbook, "pol-auditor-1", "INSERT INTO forms (round_id, case_id, "
                             "agency, auditor, created_at) VALUES ('r', 'c', 'CSC', 'x', now())")
    assert 'new row violates row-level security policy for table "forms"' in message
    message = refused_in_sql(workbook, "pol-auditor-1", "INSERT INTO grade_tallies VALUES "
                             "('r', 'submitted', 'CR1', 'CSC', false, 1, 99)")
    assert "row-level security" in message
    csc_head = workbook.cluster.psql("SELECT h.form_id FROM form_heads h JOIN forms f USING (form_id) "
                                     "WHERE f.agency = 'CSC' LIMIT 1", workbook.database).strip()
    # another agency's head is invisible to the auditor, so an update moves nothing
    engine = sa.create_engine(workbook.url("pol-auditor-1"))
    with engine.begin() as conn:
        moved = conn.execute(sa.text(f"UPDATE form_heads SET revision_no = 99 WHERE form_id = {csc_head}"))
        assert moved.rowcount == 0
    engine.dispose()


def test_an_auditor_records_a_practice_week_observation_for_their_agency(
        workbook: Workbook, pw: Framework) -> None:
    week = example_week()
    store = workbook.store("pol-auditor-1")
    try:
        records = store.stream_records(week.id, status=None)
        assert set(records["agency"]) == {"Pol"}
        saved = store.save_form(week, pw, FormSave(
            "OBS-014", "Pol", "PW-LEAD-POL-1", {"OB1": 2, "OB2": 2, "OB3": 2, "OB4": 1},
            status="submitted",
            details=StreamDetails("observation", practitioner="P-06", event_kind="home visit",
                                  event_date=week.period.start, feedback_given=True, text=TEXT)))
        assert saved.details is not None and saved.details.stream_id == "observation"
        with pytest.raises(StoreError, match="may not save the CSC form for case FF-099"):
            store.save_form(week, pw, FormSave(
                "FF-099", "CSC", "PW-LEAD-CSC-2", {}, status="draft",
                details=StreamDetails("family_feedback", event_date=week.period.start,
                                      consent="declined", respondent="parent or carer")))
    finally:
        store.dispose()
    # another agency's observer is told the id is taken (the index of who records which case is
    # read whole), though the records themselves stay out of their sight
    store, admin = workbook.store("csc-auditor-1"), workbook.store()
    try:
        assert set(store.stream_records(week.id, status=None)["agency"]) == {"CSC"}
        with pytest.raises(RecordTakenError, match="OBS-001 is already PW-LEAD-POL-1's record"):
            store.save_form(week, pw, FormSave(
                "OBS-001", "CSC", "PW-LEAD-CSC-1", {"OB1": 2}, status="draft",
                details=StreamDetails("observation", practitioner="P-01", event_kind="home visit",
                                      event_date=week.period.start)))
        # so the practice week's form offers them an id nobody holds, though they cannot see
        # the records holding the others
        form = PracticeWeekForm(store, [week], autosave_seconds=0)
        form.auditor_picker.value = "PW-LEAD-CSC-1"
        form.stream_picker.value = "observation"
        form.record_picker.value = NEW
        held = set(admin.stream_records(week.id, status=None)["record_id"])
        assert form.record_id.startswith("OBS-") and form.record_id not in held
        assert {i for i in held if i.startswith("OBS-")} - set(store.stream_records(
            week.id, status=None)["record_id"]), "other agencies' observations stay out of sight"
    finally:
        store.dispose()
        admin.dispose()


def test_an_auditor_may_not_moderate_close_a_round_or_update_an_action(
        workbook: Workbook, small_partnership, jtai: Framework, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    audit = small_partnership.rounds[-1]
    store = workbook.store("pol-auditor-1")
    try:
        with pytest.raises(StoreError, match="ca_pol_auditor_1 may not save the moderation of case"):
            store.save_moderation(audit, jtai, ModerationSave(audit.cases[0].id, {}, saved_by="x"))
        with pytest.raises(StoreError, match="ca_pol_auditor_1 may not save the closing of round"):
            store.close_round(audit.id, "AUD-POL-1")
        plan = load_small(workbook.inspections)[1]
        with pytest.raises(StoreError, match=r"ca_pol_auditor_1 may not save the progress of action A1\.1"):
            store.save_action_update(plan, _update())
    finally:
        store.dispose()


def _next_form(store: Store, audit, case_id: str) -> FormSave:  # type: ignore[no-untyped-def]
    """A save of Pol's form for ``case_id`` on top of its latest revision (one that reads every
    form is refused by the database, not for being stale)."""
    current = store.latest_revision(audit.id, case_id, "Pol", "AUD-POL-1")
    return FormSave(case_id, "Pol", "AUD-POL-1", {"1.1": 3},
                    based_on=current.revision_no if current else None)


# -- moderator -------------------------------------------------------------------------------------

def test_a_moderator_records_the_meeting_and_reads_every_form_but_writes_none(
        workbook: Workbook, small_partnership, jtai: Framework) -> None:  # type: ignore[no-untyped-def]
    audit = small_partnership.rounds[-1]
    case = audit.cases[-1]
    admin = workbook.store()
    store = workbook.store("moderator-1")
    try:
        everything = admin.current_responses(audit.id, status="submitted")
        assert len(store.current_responses(audit.id, status="submitted")) == len(everything)
        history = store.moderation_history(audit.id, case.id)
        submitted = everything[everything["case_id"] == case.id]
        grades = {cid: int(g) for cid, g in submitted.groupby("criterion_id")["grade"].min().items()
                  if pd.notna(g)}
        store.save_moderation_draft(audit.id, case.id, history[-1].revision_no if history else None,
                                    {"note": "x"}, "AUDIT-LEAD")
        saved = store.save_moderation(audit, jtai, ModerationSave(
            case.id, grades, {cid: "Synthetic rationale" for cid in grades},
            based_on=history[-1].revision_no if history else None, saved_by="AUDIT-LEAD"))
        assert admin.moderation_history(audit.id, case.id)[-1].revision_no == saved.revision_no

        with pytest.raises(StoreError, match="ca_moderator_1 may not save the Pol form"):
            store.save_form(audit, jtai, _next_form(store, audit, case.id))
        with pytest.raises(StoreError, match="ca_moderator_1 may not save the closing"):
            store.close_round(audit.id, "AUDIT-LEAD")
    finally:
        store.dispose()
        admin.dispose()
    refused_in_sql(workbook, "moderator-1", "SELECT * FROM action_updates")


# -- QA lead ---------------------------------------------------------------------------------------

def _update() -> ActionUpdateSave:
    return ActionUpdateSave(INSPECTION_ID, "A1.1", "on track", date(2026, 9, 1),
                            "Synthetic: training delivered.", "Register", "QA-1", None)


def test_a_qa_lead_reads_everything_closes_rounds_and_records_action_updates(
        workbook: Workbook, small_partnership, jtai: Framework,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_TODAY", "2026-09-15")
    audit = small_partnership.rounds[0]
    admin = workbook.store()
    store = workbook.store("qa-lead-1")
    try:
        assert len(store.current_responses()) == len(admin.current_responses())
        assert store.judgement_counts(audit.id, jtai).equals(admin.judgement_counts(audit.id, jtai))
        assert len(store.moderated_pair_counts(audit.id)) == len(admin.moderated_pair_counts(audit.id))
        workbook.sql("qa-lead-1", "SELECT * FROM moderation_drafts")  # not refused
        store.close_round(audit.id, "QA-1")
        assert admin.round_locked(audit.id)
        store.reopen_round(audit.id, "QA-1", "Synthetic: a late form")
        plan = load_small(workbook.inspections)[1]
        current = store.action_history(INSPECTION_ID, "A1.1")
        saved = store.save_action_update(plan, dataclasses.replace(
            _update(), based_on=current[-1].revision_no if current else None))
        store.save_action_draft(INSPECTION_ID, "A1.1", saved.revision_no, {"x": 1}, "QA-1")
        assert admin.action_statuses(INSPECTION_ID)["status"].tolist()[:1] == ["on track"]

        with pytest.raises(StoreError, match="ca_qa_lead_1 may not save the Pol form"):
            store.save_form(audit, jtai, _next_form(store, audit, audit.cases[0].id))
        case = audit.cases[0].id
        history = store.moderation_history(audit.id, case)
        with pytest.raises(StoreError, match="ca_qa_lead_1 may not save the moderation"):
            store.save_moderation(audit, jtai, ModerationSave(
                case, {}, based_on=history[-1].revision_no if history else None, saved_by="QA-1"))
    finally:
        store.dispose()
        admin.dispose()


# -- board viewer and dashboards -------------------------------------------------------------------

def test_a_board_viewer_reads_only_the_aggregate_views(workbook: Workbook) -> None:
    for name in board_views():
        workbook.sql("board-1", f"SELECT * FROM {BOARD_SCHEMA}.{name}")
    for table in ("scores", "revisions", "stream_details", "forms", "moderations", "grade_tallies",
                  "schema_info", "action_updates"):
        assert "permission denied" in refused_in_sql(workbook, "board-1", f"SELECT * FROM public.{table}")
    refused_in_sql(workbook, "board-1", "SELECT * FROM caseaudit_access.people")
    with pytest.raises(StoreError) as caught:
        open_store(workbook.url("board-1"))
    assert str(caught.value).startswith("Your database account ca_board_1 may not read this")


def test_the_views_hold_no_case_person_or_text_and_hide_small_counts(workbook: Workbook) -> None:
    columns = workbook.cluster.psql(
        f"SELECT DISTINCT column_name FROM information_schema.columns WHERE table_schema = "
        f"'{BOARD_SCHEMA}'", workbook.database).split()
    assert set(columns) == {"round_id", "criterion_id", "agency", "grade", "not_applicable", "count",
                            "status", "stream_id", "inspection_id"}
    counts = workbook.sql("board-1", f"SELECT count FROM {BOARD_SCHEMA}.grade_counts")
    shown = [c for (c,) in counts if c is not None]
    assert shown and min(shown) > settings.SUPPRESSION_THRESHOLD
    assert any(c is None for (c,) in counts)  # the 1-5s
    raw = workbook.cluster.psql("SELECT min(count) FROM (SELECT sum(count) AS count FROM grade_tallies "
                                "WHERE status = 'submitted' AND count > 0 GROUP BY round_id, "
                                "criterion_id, agency, not_applicable, grade) t", workbook.database)
    assert 1 <= int(raw) <= settings.SUPPRESSION_THRESHOLD
    views = workbook.cluster.psql(f"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                                  f"c.relnamespace WHERE n.nspname = '{BOARD_SCHEMA}' AND "
                                  "c.reloptions::text LIKE '%security_barrier=true%'", workbook.database)
    assert int(views) == len(board_views())


def test_the_dashboards_read_the_board_pages_figures_and_no_record_text(
        workbook: Workbook, small_partnership, jtai: Framework) -> None:  # type: ignore[no-untyped-def]
    audit = small_partnership.rounds[0]
    store = workbook.store("dashboards")
    admin = workbook.store()
    try:
        assert store.grade_counts(audit.id).equals(admin.grade_counts(audit.id))
        assert store.judgement_counts(audit.id, jtai).equals(admin.judgement_counts(audit.id, jtai))
        assert len(store.moderation_heads([audit.id])) == len(admin.moderation_heads([audit.id]))
        assert len(store.stream_records(example_week().id)) == len(admin.stream_records(example_week().id))
        store.action_statuses(INSPECTION_ID)
        store.last_change()
        with pytest.raises(StoreError, match="caseaudit_dashboards may not save the closing"):
            store.close_round(audit.id, "DASH")
    finally:
        store.dispose()
        admin.dispose()
    refused_in_sql(workbook, "dashboards", "SELECT text FROM stream_details")
    refused_in_sql(workbook, "dashboards", "SELECT narrative FROM action_updates")
    refused_in_sql(workbook, "dashboards", "SELECT * FROM moderation_drafts")
    assert workbook.sql("dashboards", f"SELECT count(*) FROM {BOARD_SCHEMA}.form_counts")[0][0] > 0


# -- everyone --------------------------------------------------------------------------------------

@pytest.mark.parametrize("user", [u for u in LOGINS if u != "csc-auditor-1"])
def test_nobody_updates_or_deletes_a_log(workbook: Workbook, user: str) -> None:
    for table in APPEND_ONLY:
        column = metadata.tables[table].columns.keys()[-1]
        for statement in (f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}"):
            refused_in_sql(workbook, user, statement)


def test_an_account_not_in_the_people_file_reads_nothing(workbook: Workbook) -> None:
    workbook.cluster.psql(f"DO $$ BEGIN CREATE ROLE stranger LOGIN PASSWORD '{PASSWORD}'; "
                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    url = workbook.cluster.url(workbook.database, user="stranger", password=PASSWORD)
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert str(caught.value).startswith("Your database account stranger may not connect to the "
                                        "workbook")
    assert "permission denied for database" in str(caught.value)


def test_only_the_tables_owner_may_set_the_roles(workbook: Workbook) -> None:
    code, output = db_roles("--people", str(workbook.people), "--db", workbook.url("qa-lead-1"))
    assert code == 1
    assert "The account ca_qa_lead_1 does not own the workbook's tables" in output
    assert "Nothing was changed." in output


def test_an_owner_who_is_not_a_superuser_sets_the_roles(
        pg_cluster: Cluster, tmp_path: Path, small_partnership, jtai: Framework) -> None:  # type: ignore[no-untyped-def]
    """As on a real server: the workbook's owner may create roles, and is no superuser."""
    pg_cluster.psql(f"DO $$ BEGIN CREATE ROLE workbook_owner LOGIN CREATEROLE PASSWORD '{PASSWORD}'; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    database = pg_cluster.create_database()
    try:
        pg_cluster.psql(f'ALTER DATABASE "{database}" OWNER TO workbook_owner')
        owner_url = pg_cluster.url(database, user="workbook_owner", password=PASSWORD)
        open_store(owner_url, create=True).dispose()
        people = tmp_path / "people.yaml"
        people.write_text(PEOPLE, encoding="utf-8")
        code, output = db_roles("--people", str(people), "--db", owner_url)
        assert code == 0, output
        code, output = db_roles("--people", str(people), "--db", owner_url, "--set-password",
                                "pol-auditor-1", input=PASSWORD + "\n")
        assert code == 0, output
        audit = small_partnership.rounds[-1]
        case = next(c for c in audit.cases if "Pol" in c.agencies)
        store = open_store(pg_cluster.url(database, user="ca_pol_auditor_1", password=PASSWORD))
        try:
            store.save_form(audit, jtai, FormSave(case.id, "Pol", "AUD-POL-1", {"1.1": 2}))
            with pytest.raises(StoreError, match="only its own agency's records"):
                store.save_form(audit, jtai, FormSave(case.id, "CSC", "AUD-CSC-1", {"1.1": 2}))
        finally:
            store.dispose()
        assert pg_cluster.psql("SELECT count(*) FROM revisions", database).strip() == "1"
    finally:
        pg_cluster.drop_database(database)


def test_the_board_pages_draw_from_the_dashboards_account(
        workbook: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hub's dashboard service signs in as caseaudit_dashboards: every board page draws its
    latest round from what that account may read, with no message in place of a figure."""
    from caseaudit.rounds import load_rounds
    from caseaudit.ui.action_plan import ActionPlanDashboard
    from caseaudit.ui.dashboard import OverviewDashboard
    from caseaudit.ui.equality import EqualityDashboard
    from caseaudit.ui.practice_week_board import PracticeWeekBoard
    from caseaudit.ui.trends import TrendsDashboard

    monkeypatch.setenv(settings.CACHE_ENV, str(tmp_path / "cache"))
    rounds = load_rounds(workbook.audits)
    store = workbook.store("dashboards")
    try:
        for board in (OverviewDashboard(store, rounds), EqualityDashboard(store, rounds),
                      TrendsDashboard(store, rounds), PracticeWeekBoard(store, [example_week()])):
            board.show(board.picker.value)  # the latest round, which the page opens on
            assert board.message.value == "", (type(board).__name__, board.message.value)
            assert board.body.children
        monkeypatch.setenv(settings.AUDITS_ENV, str(workbook.audits))
        monkeypatch.setenv(settings.TODAY_ENV, "2026-09-15")
        plan = ActionPlanDashboard(store, inspections=workbook.inspections)
        plan.show(plan.picker.value)
        assert plan.message.value == "" and plan.body.children
    finally:
        store.dispose()
