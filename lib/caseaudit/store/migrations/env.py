"""Alembic's environment: run the migrations on the connection caseaudit.store.migrate hands over,
inside its transaction (so an upgrade that fails half-way leaves the database as it was)."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():  # the caller's transaction: Alembic opens none of its own
    context.run_migrations()
