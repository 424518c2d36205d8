"""Schema 5, the previous release's tables: forms, revisions and scores; moderations, their grades,
heads and drafts; round events; action updates, their heads and drafts; grade tallies.

The baseline: a database the previous release made is stamped here without running it.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from alembic import op

from caseaudit.store.migrations import schema5

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: The schema_info version this revision brings the database to.
SCHEMA = 5


def upgrade() -> None:
    schema5.create(op.get_bind())
