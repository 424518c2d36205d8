"""Keeping the notebooks honest: the demo environment they are tested in, and refreshing the
key figures they are checked against.

The convention (see the README): a notebook is committed without outputs, except for cells that
start with ``# NBVAL_CHECK_OUTPUT``. Those print key figures as plain text, and ``pytest
--nbval-lax`` compares them with what the notebook prints on the synthetic demo partnership
(default seed), so a change that moves a key figure fails the tests until someone reruns
``make refresh-notebooks`` and commits the new figures on purpose.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import settings
from .store import open_store
from .synthetic import demo_partnership, write_demo

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def demo_environment(folder: str | Path) -> dict[str, str]:
    """Generate the demo partnership (what `caseaudit demo-data` writes) under ``folder``; return
    the environment variables that point the workbook (and any kernel started with them) at it."""
    folder = Path(folder)
    db = folder / "demo.db"
    audits = folder / "audits"
    if not db.exists():
        store = open_store(db, create=True)
        write_demo(demo_partnership(), audits, store)
        store.dispose()
    return {settings.DB_ENV: str(db), settings.AUDITS_ENV: str(audits)}


def _is_checked(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and cell.get("source", "").lstrip().startswith(CHECK_MARK)


def strip_unchecked(nb: dict) -> dict:
    """Clear outputs and counts of every code cell not marked for checking (in place)."""
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        cell["metadata"].pop("execution", None)
        if not _is_checked(cell):
            cell["outputs"] = []
            cell["execution_count"] = None
    nb["metadata"].pop("widgets", None)
    return nb


def refresh_notebook(path: Path, env: dict[str, str]) -> None:
    """Run ``path`` top to bottom in ``env`` and keep only its checked cells' outputs."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if not any(_is_checked(cell) for cell in nb["cells"]):
        # nothing to store; and nbclient idles out its whole cell timeout on widget output
        nbformat.write(strip_unchecked(nb), path)
        return
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    nbformat.write(strip_unchecked(nb), path)


@click.group()
def main() -> None:
    """Notebook maintenance."""


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default="notebooks")
def refresh(folder: Path) -> None:
    """Rerun every notebook under FOLDER on fresh demo data and store its key figures."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="caseaudit-nb-") as tmp:
        env = demo_environment(tmp)
        for path in sorted(folder.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            click.echo(f"refreshing {path}")
            refresh_notebook(path, env)
    sys.stdout.flush()


if __name__ == "__main__":  # pragma: no cover
    main()
