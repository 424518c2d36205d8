"""Schema 6: stream details, what a practice week's record holds beside its form revision; and
the append-only guards on every log of a PostgreSQL database (the previous release had them on
SQLite only).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from caseaudit.store import schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: The schema_info version this revision brings the database to.
SCHEMA = 6

#: Every log as of schema 6 (schema 5's and stream_details).
APPEND_ONLY = ("forms", "revisions", "scores", "moderations", "moderation_grades",
               "round_events", "moderation_drafts", "action_updates", "action_drafts",
               "stream_details")


def upgrade() -> None:
    op.create_table(
        "stream_details",
        sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.revision_id"), primary_key=True),
        sa.Column("stream_id", sa.String(60), nullable=False),
        sa.Column("practitioner", sa.String(60), nullable=True),
        sa.Column("event_kind", sa.Text, nullable=True),
        sa.Column("event_date", sa.Date, nullable=True),
        sa.Column("feedback_given", sa.Boolean, nullable=True),
        sa.Column("respondent", sa.String(60), nullable=True),
        sa.Column("consent", sa.String(20), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("flagged", sa.Boolean, nullable=False),
    )
    schema.guard_append_only(op.get_bind(), APPEND_ONLY)
