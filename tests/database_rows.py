"""Every row of every table of a database, for tests that compare a database before and after
(an upgrade, a restore), on SQLite and PostgreSQL alike; and the previous release's workbook."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

#: A workbook written by the previous release (schema 5): tests/data/make_workbook_schema5.py.
PREVIOUS = Path(__file__).parent / "data" / "workbook-schema5"


def rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            found = {}
            for table in sorted(sa.inspect(conn).get_table_names()):
                width = len(conn.exec_driver_sql(f"SELECT * FROM {table} LIMIT 0").keys())
                order = ", ".join(str(i) for i in range(1, width + 1))
                found[table] = [tuple(r) for r in
                                conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY {order}")]
    finally:
        engine.dispose()
    return found
