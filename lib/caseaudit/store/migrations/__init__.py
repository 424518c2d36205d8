"""The workbook database's Alembic migrations: one script per schema change, in ``versions/``.

Run through :mod:`caseaudit.store.migrate` (``caseaudit upgrade-db``, or opening an older SQLite
workbook), never through an alembic.ini: Alembic's API is given the connection of the upgrade's
one transaction (``env.py``). Each script says which ``schema_info`` version it brings the
database to (``SCHEMA``), so an older release of the workbook, which knows nothing of Alembic,
still refuses a database a newer one upgraded.

A new schema change is a new script here (``script.py.mako`` is its template; number it after the
last, set ``SCHEMA`` and bump :data:`caseaudit.store.schema.SCHEMA_VERSION` to it), and a script,
once released, is never edited: it describes the tables as they were then, not as the current
code declares them (``schema5`` freezes the first).
"""
