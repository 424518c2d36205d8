"""The migration scripts, loaded by Alembic by their file names (0001_..., 0002_...)."""
