"""The people file's roles as PostgreSQL roles, grants and row-level security.

The pages a person can open are only the first guard: whoever holds a notebook and a database
login can type any SQL. So on a shared PostgreSQL server the database itself refuses what a role
may not do, whatever the client:

* an **auditor** writes and reads only their own agency's forms (every table a form's save
  touches has a row-level policy comparing the row's agency with the agency the people file gives
  the signed-in login role), and sees the index of who records which case (``forms``, without
  answers), which a practice week's new record needs to take a free id;
* a **moderator** reads every form and records the meeting (moderations and their drafts);
* a **QA lead** reads everything, closes and reopens rounds and records action updates;
* a **board viewer** reads only aggregate views in the schema ``caseaudit_board`` (counts, no
  case, person or text, counts 1 to the suppression threshold shown as NULL): not one base table;
* the **dashboards** service reads what the board pages read (everything but the drafts, an
  action update's narrative and evidence and a practice-week record's text) and writes nothing.

Nobody may UPDATE or DELETE a log, and PUBLIC has no rights at all. The people file's rows live in
``caseaudit_access.people``, which only the owner reads; the policies ask for the signed-in
person's agency through a SECURITY DEFINER function. :func:`apply_roles` runs as the owner of the
workbook's tables, in one transaction, and may be run again at any time (after editing the people
file, or after ``upgrade-db`` adds tables): it rebuilds every grant, policy and view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .. import settings
from ..errors import StoreError
from ..people import ROLES, Person
from .connect import where, writing
from .schema import metadata

#: The group role of each person's role; a person's login role is a member of one.
GROUPS = {role: f"caseaudit_{role}" for role in ROLES}
#: The hub's dashboard service: reads what the board pages read, writes nothing.
DASHBOARDS = "caseaudit_dashboards"
ALL_GROUPS = (*GROUPS.values(), DASHBOARDS)
ACCESS_SCHEMA = "caseaudit_access"
BOARD_SCHEMA = "caseaudit_board"

_A, _M, _Q, _D = (GROUPS["auditor"], GROUPS["moderator"], GROUPS["qa_lead"], DASHBOARDS)

#: Who reads every row of each table (an auditor's own-agency reads are policies, below).
READERS: dict[str, tuple[str, ...]] = {
    "schema_info": (_A, _M, _Q, _D),
    "forms": (_A, _M, _Q, _D),
    "revisions": (_M, _Q, _D), "scores": (_M, _Q, _D), "form_heads": (_M, _Q, _D),
    "grade_tallies": (_M, _Q, _D), "stream_details": (_M, _Q, _D),
    "round_events": (_A, _M, _Q, _D),
    "moderations": (_M, _Q, _D), "moderation_grades": (_M, _Q, _D),
    "moderation_heads": (_M, _Q, _D), "moderation_drafts": (_M, _Q),
    "action_updates": (_Q, _D), "action_heads": (_Q, _D), "action_drafts": (_Q,),
}
#: Who writes each table, and how: logs are only ever inserted into; heads and tallies are moved.
WRITERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "forms": (_A, ("INSERT",)), "revisions": (_A, ("INSERT",)), "scores": (_A, ("INSERT",)),
    "stream_details": (_A, ("INSERT",)), "form_heads": (_A, ("INSERT", "UPDATE")),
    "grade_tallies": (_A, ("INSERT", "UPDATE")),
    "moderations": (_M, ("INSERT",)), "moderation_grades": (_M, ("INSERT",)),
    "moderation_heads": (_M, ("INSERT", "UPDATE")), "moderation_drafts": (_M, ("INSERT",)),
    "round_events": (_Q, ("INSERT",)),
    "action_updates": (_Q, ("INSERT",)), "action_heads": (_Q, ("INSERT", "UPDATE")),
    "action_drafts": (_Q, ("INSERT",)),
}
#: Free text the dashboards service does not read (the board pages never show it; the reads they
#: use leave it out). Scores' notes and moderations' rationales stay readable: the reads the
#: board pages share with the forms select them.
DASHBOARDS_WITHOUT = {"stream_details": ("text",), "action_updates": ("narrative", "evidence")}

_ME = f"(SELECT {ACCESS_SCHEMA}.my_agency())"
_FORM_OF = "EXISTS (SELECT 1 FROM public.forms f WHERE f.form_id = {t}.form_id AND f.agency = " + _ME + ")"
_REVISION_OF = ("EXISTS (SELECT 1 FROM public.revisions r JOIN public.forms f ON f.form_id = r.form_id "
                "WHERE r.revision_id = {t}.revision_id AND f.agency = " + _ME + ")")
#: An auditor's rows of each table a form's save touches: (USING, WITH CHECK). ``forms`` is read
#: whole (who records which case, no answers) but written only for their agency.
OWN_AGENCY: dict[str, tuple[str, str]] = {
    "forms": ("true", f"agency = {_ME}"),
    "grade_tallies": (f"agency = {_ME}", f"agency = {_ME}"),
    **{t: (_FORM_OF.format(t=t),) * 2 for t in ("revisions", "form_heads")},
    **{t: (_REVISION_OF.format(t=t),) * 2 for t in ("scores", "stream_details")},
}


def _count(expr: str) -> str:
    """A count shown only above the suppression threshold (1 to it become NULL, 0 stays 0): a
    board viewer querying the views directly sees no small count the board pages would hide."""
    return (f"CASE WHEN {expr} BETWEEN 1 AND {settings.suppression_threshold()} THEN NULL "
            f"ELSE {expr} END")


def board_views() -> dict[str, str]:
    """The board viewer's aggregate views by name: counts by round, criterion, agency, grade,
    status and stream; never a case, a person or a text. Action counts are not suppressed (they
    are about the plan, not children), as on the board pages."""
    n = "count(*)"
    return {
        "grade_counts": (
            "SELECT round_id, criterion_id, agency, CASE WHEN not_applicable THEN NULL ELSE grade "
            f"END AS grade, not_applicable, {_count('sum(count)')} AS count FROM public.grade_tallies "
            "WHERE status = 'submitted' AND count > 0 GROUP BY round_id, criterion_id, agency, "
            "not_applicable, grade"),
        "form_counts": (
            f"SELECT h.round_id, f.agency, h.status, {_count(n)} AS count FROM public.form_heads h "
            "JOIN public.forms f ON f.form_id = h.form_id GROUP BY h.round_id, f.agency, h.status"),
        "moderated_grade_counts": (
            f"SELECT h.round_id, g.criterion_id, g.grade, g.not_applicable, {_count(n)} AS count "
            "FROM public.moderation_heads h JOIN public.moderation_grades g ON g.moderation_id = "
            "h.moderation_id WHERE g.grade IS NOT NULL OR g.not_applicable "
            "GROUP BY h.round_id, g.criterion_id, g.grade, g.not_applicable"),
        "stream_record_counts": (
            f"SELECT h.round_id, d.stream_id, f.agency, h.status, {_count(n)} AS count "
            "FROM public.form_heads h JOIN public.forms f ON f.form_id = h.form_id "
            "JOIN public.stream_details d ON d.revision_id = h.revision_id "
            "GROUP BY h.round_id, d.stream_id, f.agency, h.status"),
        "action_status_counts": (
            "SELECT h.inspection_id, u.status, count(*) AS count FROM public.action_heads h "
            "JOIN public.action_updates u ON u.update_id = h.update_id "
            "GROUP BY h.inspection_id, u.status"),
    }


@dataclass
class Applied:
    """What :func:`apply_roles` did, for the command to report."""

    people: Counter[str] = field(default_factory=Counter)
    without_password: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def refuse_sqlite(url: str | sa.URL) -> None:
    """Database roles exist only on a server: say so, and what protects a file instead."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        raise StoreError(
            f"{parsed.database} is an SQLite file, which has no database accounts or roles: "
            "`caseaudit db-roles` works on a PostgreSQL workbook. Protect the file instead with "
            "its permissions (chmod 600, readable only by the account that runs the workbook) and "
            "the computer's sign-in. Nothing was changed.")


def _check_runner(conn: Connection, shown: str) -> None:
    """Refuse, before changing anything, a runner who could not finish: only the owner of the
    workbook's tables (or a superuser) can grant on them and set their policies, and only a
    role with CREATEROLE can make the people's roles."""
    me, superuser, createrole = conn.execute(sa.text(
        "SELECT current_user, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")).one()
    owner = conn.execute(sa.text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' "
                                 "AND tablename = 'forms'")).scalar()
    if not superuser and owner != me:
        raise StoreError(f"The account {me} does not own the workbook's tables in {shown} ({owner} "
                         f"does): run `caseaudit db-roles` signed in as {owner}. Nothing was changed.")
    if not (superuser or createrole):
        raise StoreError(f"The account {me} may not create roles in {shown}: a superuser must "
                         f"first run ALTER ROLE {me} CREATEROLE. Nothing was changed.")


def _ensure_role(conn: Connection, name: str) -> bool:
    """Make ``name`` (without login) unless it exists; whether it was made. An existing role that
    could get round row-level security (superuser, BYPASSRLS) is refused, never used."""
    row = conn.execute(sa.text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :n"),
                       {"n": name}).first()
    if row is None:
        conn.exec_driver_sql(f"CREATE ROLE {_quote(name)} NOLOGIN")
        return True
    if row[0]:
        raise StoreError(f"The role {name} already exists and is a superuser or may bypass "
                         "row-level security, so the database could not hold it to its role. Rename "
                         "the person in the people file or remove that right from the role; "
                         "nothing was changed.")
    return False


def _sync_people(conn: Connection, people: Mapping[str, Person], applied: Applied) -> None:
    """Every person's login role, in their one group; the mapping table the policies read; login
    roles of people no longer in the file lose their group and their login."""
    conn.exec_driver_sql(f"DELETE FROM {ACCESS_SCHEMA}.people")
    for person in people.values():
        role = person.login_role
        _ensure_role(conn, role)
        for group in ALL_GROUPS:
            verb = "GRANT" if group == GROUPS[person.role] else "REVOKE"
            conn.exec_driver_sql(f"{verb} {_quote(group)} {'TO' if verb == 'GRANT' else 'FROM'} "
                                 f"{_quote(role)}")
        conn.execute(sa.text(f"INSERT INTO {ACCESS_SCHEMA}.people VALUES (:r, :u, :role, :a, :id)"),
                     {"r": role, "u": person.user, "role": person.role, "a": person.agency,
                      "id": person.auditor})
        applied.people[person.role] += 1
        if not conn.execute(sa.text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"),
                            {"n": role}).scalar():
            applied.without_password.append(person.user)
    listed = {p.login_role for p in people.values()}
    members = conn.execute(sa.text(
        "SELECT DISTINCT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
        "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = ANY(:groups) AND m.rolname LIKE 'ca\\_%'"),
        {"groups": list(GROUPS.values())}).scalars().all()
    for role in sorted(set(members) - listed):
        for group in GROUPS.values():
            conn.exec_driver_sql(f"REVOKE {_quote(group)} FROM {_quote(role)}")
        conn.exec_driver_sql(f"ALTER ROLE {_quote(role)} NOLOGIN")
        applied.disabled.append(role)


def _access_schema(conn: Connection) -> None:
    """The mapping from login role to person, readable only by its owner, and the one function
    through which a policy learns the signed-in person's agency."""
    s = ACCESS_SCHEMA
    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {s}")
    conn.exec_driver_sql(f"REVOKE ALL ON SCHEMA {s} FROM PUBLIC")
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {s}.people (login_role name PRIMARY KEY, hub_user text NOT "
        "NULL UNIQUE, role text NOT NULL, agency text, auditor text)")
    conn.exec_driver_sql(f"REVOKE ALL ON {s}.people FROM PUBLIC")
    conn.exec_driver_sql(
        f"CREATE OR REPLACE FUNCTION {s}.my_agency() RETURNS text LANGUAGE sql STABLE "
        f"SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT agency FROM "
        f"{s}.people WHERE login_role = session_user AND role = 'auditor' $$")
    conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {s}.my_agency() FROM PUBLIC")
    groups = ", ".join(_quote(g) for g in ALL_GROUPS)
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {s} TO {groups}")
    conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {s}.my_agency() TO {groups}")


def _tables(conn: Connection) -> list[str]:
    """The workbook's tables present in this database (an older schema may lack some), and any
    other table in its schema (the migrations' version table) after them."""
    present = set(conn.execute(sa.text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    ours = [t.name for t in metadata.sorted_tables if t.name in present]
    return ours + sorted(present - set(ours))


def _grants(conn: Connection, database: str) -> None:
    """PUBLIC gets nothing; every group's rights are rebuilt from READERS and WRITERS, and each
    table's policies from them and OWN_AGENCY."""
    groups = ", ".join(_quote(g) for g in ALL_GROUPS)
    conn.exec_driver_sql(f"REVOKE ALL ON DATABASE {_quote(database)} FROM PUBLIC")
    conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {_quote(database)} TO {groups}")
    conn.exec_driver_sql("REVOKE ALL ON SCHEMA public FROM PUBLIC")
    conn.exec_driver_sql(f"REVOKE ALL ON SCHEMA public FROM {groups}")
    for kind in ("TABLES", "SEQUENCES", "FUNCTIONS"):
        conn.exec_driver_sql(f"REVOKE ALL ON ALL {kind} IN SCHEMA public FROM PUBLIC, {groups}")
    store_groups = ", ".join(_quote(g) for g in (_A, _M, _Q, _D))
    # USAGE only finds the tables (a board viewer's store then says it may not read them, instead
    # of finding no workbook); reading any of them needs the grants below
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {groups}")
    known = {t.name for t in metadata.sorted_tables}
    for table in _tables(conn):
        if table not in known:  # the migrations' version: read by every store on opening
            conn.exec_driver_sql(f"GRANT SELECT ON public.{_quote(table)} TO {store_groups}")
            continue
        _table_rights(conn, table)


def _table_rights(conn: Connection, table: str) -> None:
    qualified = f"public.{_quote(table)}"
    readers = READERS.get(table, ())
    for group in readers:
        if group == _D and table in DASHBOARDS_WITHOUT:
            columns = [c.name for c in metadata.tables[table].columns
                       if c.name not in DASHBOARDS_WITHOUT[table]]
            conn.exec_driver_sql(f"GRANT SELECT ({', '.join(columns)}) ON {qualified} TO {group}")
        else:
            conn.exec_driver_sql(f"GRANT SELECT ON {qualified} TO {group}")
    writer, verbs = WRITERS.get(table, (None, ()))
    if writer is not None:
        conn.exec_driver_sql(f"GRANT SELECT, {', '.join(verbs)} ON {qualified} TO {writer}")
        key = list(metadata.tables[table].primary_key)
        if len(key) == 1:  # a serial id: its sequence gives the next one
            sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": f"public.{table}", "c": key[0].name}).scalar()
            if sequence:
                conn.exec_driver_sql(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {writer}")
    if table == "schema_info":
        return
    conn.exec_driver_sql(f"ALTER TABLE {qualified} ENABLE ROW LEVEL SECURITY")
    for (name,) in conn.execute(sa.text("SELECT policyname FROM pg_policies WHERE schemaname = "
                                        "'public' AND tablename = :t"), {"t": table}).all():
        conn.exec_driver_sql(f"DROP POLICY {_quote(name)} ON {qualified}")
    whole = [g for g in readers if g != _A or table not in OWN_AGENCY]
    if whole:
        conn.exec_driver_sql(f"CREATE POLICY caseaudit_read ON {qualified} FOR SELECT TO "
                             f"{', '.join(whole)} USING (true)")
    if table in OWN_AGENCY:
        using, check = OWN_AGENCY[table]
        conn.exec_driver_sql(f"CREATE POLICY caseaudit_own_agency ON {qualified} FOR ALL TO {_A} "
                             f"USING ({using}) WITH CHECK ({check})")
    elif writer is not None:
        conn.exec_driver_sql(f"CREATE POLICY caseaudit_write ON {qualified} FOR ALL TO {writer} "
                             "USING (true) WITH CHECK (true)")


def _board_schema(conn: Connection) -> None:
    """The aggregate views, rebuilt whole (so a changed threshold or column takes effect), owned
    by the runner so that they read the tables past row-level security, with security_barrier so
    that no function a viewer passes in a WHERE sees rows before the aggregation."""
    s = BOARD_SCHEMA
    conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {s} CASCADE")
    conn.exec_driver_sql(f"CREATE SCHEMA {s}")
    conn.exec_driver_sql(f"REVOKE ALL ON SCHEMA {s} FROM PUBLIC")
    readers = f"{GROUPS['board_viewer']}, {_Q}, {_D}"
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {s} TO {readers}")
    for name, query in board_views().items():
        conn.exec_driver_sql(f"CREATE VIEW {s}.{name} WITH (security_barrier = true) AS {query}")
        conn.exec_driver_sql(f"GRANT SELECT ON {s}.{name} TO {readers}")


def apply_roles(engine: Engine, people: Mapping[str, Person]) -> Applied:
    """Make the database enforce ``people``'s roles (see the module's docstring), in one
    transaction: all of it or, on any refusal, nothing.

    Raises
    ------
    StoreError
        on SQLite; when the signed-in account does not own the workbook's tables or may not
        create roles; when a person's role name is taken by a role that could bypass the policies.
    """
    refuse_sqlite(engine.url)
    applied = Applied()
    shown = where(engine)
    with writing(engine, "the database roles") as conn:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('caseaudit db-roles'))")
        _check_runner(conn, shown)
        for group in ALL_GROUPS:
            _ensure_role(conn, group)
        _access_schema(conn)
        _sync_people(conn, people, applied)
        _grants(conn, conn.exec_driver_sql("SELECT current_database()").scalar_one())
        _board_schema(conn)
    return applied


def set_password(engine: Engine, role: str, password: str) -> None:
    """Give ``role`` (a person's login role, or the dashboards service) a password and let it
    sign in. The password is hashed here (SCRAM, as the server asks) and only its hash is sent, so
    it is in no server log.

    Raises
    ------
    StoreError
        on SQLite; when the role does not exist yet (db-roles makes it).
    """
    refuse_sqlite(engine.url)
    with writing(engine, f"the password of {role}") as conn:
        if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": role}).first() is None:
            raise StoreError(f"The database has no role {role} yet: run `caseaudit db-roles --people "
                             "FILE` first, then set its password. Nothing was changed.")
        raw = conn.connection.dbapi_connection  # psycopg's, whose libpq hashes the password
        algorithm = conn.exec_driver_sql("SHOW password_encryption").scalar_one()
        hashed = raw.pgconn.encrypt_password(password.encode(), role.encode(), algorithm.encode())
        hashed = hashed.decode("ascii")
        if "'" in hashed or "\\" in hashed:  # pragma: no cover - a hash is base64 and '$:'
            raise StoreError(f"The password of {role} could not be hashed; nothing was changed.")
        conn.exec_driver_sql(f"ALTER ROLE {_quote(role)} LOGIN PASSWORD '{hashed}'")

