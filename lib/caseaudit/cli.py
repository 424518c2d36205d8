"""The ``caseaudit`` command line, for scripted work: demo data, validation, exports, progress,
Excel returns, and closing or reopening a round for moderation.

Every user error (a bad file, an unknown round) is printed as its plain message and exits 1; a
traceback is only for a bug.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from . import settings
from .errors import InputFileError, NotFoundError, WorkbookError
from .export import EXPORT_FORMATS, export_round
from .framework import load_framework_file
from .rounds import load_round, load_round_file
from .store import open_store
from .synthetic import DEFAULT_SEED, build_partnership, write_partnership


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except WorkbookError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.version_option(package_name="caseaudit")
def main() -> None:
    """Safeguarding case-audit workbook: frameworks, audit rounds, scores and summaries."""


_ROUND = click.option("--round", "round_id", required=True, help="The round's id.")
_DB = click.option("--db", default=None, help="Database path or URL (default: CASEAUDIT_DB).")
_AUDITS = click.option("--audits", "audits_dir", default=None, type=click.Path(path_type=Path),
                       help="Folder of rounds (default: CASEAUDIT_AUDITS, else audits/).")


@main.command("demo-data")
@click.option("--cases", default=40, show_default=True, type=click.IntRange(1, 100_000),
              help="Cases per round.")
@click.option("--rounds", default=4, show_default=True, type=click.IntRange(1, 40),
              help="Quarterly rounds, the last one starting March 2026.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int,
              help="The same seed gives the same data, byte for byte.")
@click.option("--audits", "audits_dir", type=click.Path(path_type=Path),
              default=settings.DEMO_AUDITS_DIR, show_default=True,
              help="Where the demo rounds' folders are written.")
@click.option("--db", default=str(settings.DEMO_DB_PATH), show_default=True,
              help="Database (path or SQLAlchemy URL) the demo responses are saved into.")
@click.option("--label", default="maca", show_default=True,
              help="The end of each round id, e.g. 2026-03-maca.")
@click.option("--replace", is_flag=True,
              help="Delete an existing demo database file and demo rounds first.")
def demo_data(cases: int, rounds: int, seed: int, audits_dir: Path, db: str, label: str,
              replace: bool) -> None:
    """Generate a synthetic partnership (never your real rounds or database)."""
    url = settings.database_url(db)
    if url in _real_databases():
        raise WorkbookError(f"Refusing to write demo data into {url}, which is the real workbook "
                            "database. Give --db a separate file, e.g. data/demo.db.")
    if audits_dir.resolve() in _real_audit_dirs():
        raise WorkbookError(f"Refusing to write demo rounds into {audits_dir}, the folder of real "
                            "rounds. Give --audits a separate folder, e.g. data/demo/audits.")
    partnership = build_partnership(cases=cases, rounds=rounds, seed=seed, label=label)
    db_path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    existing = [r.id for r in partnership.rounds if (audits_dir / r.id).exists()]
    if replace:
        for round_id in existing:
            shutil.rmtree(audits_dir / round_id)
        if db_path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        existing = []
    store = open_store(url)
    if existing or store.round_ids():
        raise WorkbookError(f"Demo data already exists ({', '.join(existing or store.round_ids())} "
                            f"in {audits_dir} / {url}). Use --replace to generate it afresh.")
    write_partnership(partnership, audits_dir, store)
    saves = sum(len(s) for s in partnership.saves.values())
    click.echo(f"Wrote {len(partnership.rounds)} rounds of {cases} cases to {audits_dir} and "
               f"{saves} saved forms to {url}.")


def _real_databases() -> set[str]:
    """Databases that hold real work: the default one and whatever CASEAUDIT_DB names, unless that
    is the demo database itself (as under `make demo`)."""
    real = {settings.database_url(settings.DEFAULT_DB_PATH)}
    if os.environ.get(settings.DB_ENV):
        real.add(settings.database_url(None))
    real.discard(settings.database_url(settings.DEMO_DB_PATH))
    return real


def _real_audit_dirs() -> set[Path]:
    real = {settings.DEFAULT_AUDITS_DIR.resolve(), settings.audits_dir(None)}
    real.discard(settings.DEMO_AUDITS_DIR.resolve())
    return real


@main.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check framework files and audit rounds (audit.yaml, or a round's folder).

    A file whose top level has `domains` is read as a framework, otherwise as a round. Exit
    status 1 if any is invalid, after reporting every one.
    """
    failed = 0
    for path in paths:
        target = path / "audit.yaml" if path.is_dir() else path
        try:
            if target.suffix in (".yaml", ".yml") and _is_framework(target):
                framework = load_framework_file(target)
                click.echo(f"ok: framework {framework.id} {framework.version} ({target}): "
                           f"{len(framework.domains)} domains, "
                           f"{len(framework.criteria_by_id)} criteria")
            else:
                audit = load_round_file(target)
                click.echo(f"ok: round {audit.id} ({target}): {len(audit.cases)} cases, "
                           f"{len(audit.expected_forms())} forms expected")
        except (InputFileError, NotFoundError) as exc:
            failed += 1
            click.echo(str(exc), err=True)
    if failed:
        click.echo(f"{failed} of {len(paths)} file(s) invalid.", err=True)
        sys.exit(1)


def _is_framework(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(line.startswith("domains:") for line in text.splitlines())


@main.command("export")
@_ROUND
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv",
              show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False))
@_DB
@_AUDITS
def export(round_id: str, fmt: str, output: Path, db: str | None, audits_dir: Path | None) -> None:
    """Export a round's current responses, one row per case, agency, auditor and criterion."""
    audit = load_round(round_id, audits_dir)
    store = open_store(db, create=False)
    rows = export_round(store, audit, output, fmt)
    click.echo(f"Wrote {rows} rows to {output}.")


@main.command("excel-template")
@_ROUND
@click.option("--agency", required=True, help="The agency the return is for, e.g. Pol.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False))
@_AUDITS
def excel_template(round_id: str, agency: str, output: Path, audits_dir: Path | None) -> None:
    """Write an Excel return for one agency to fill in offline."""
    from .excel import write_template

    audit = load_round(round_id, audits_dir)
    rows = write_template(audit, audit.load_framework(), agency, output)
    click.echo(f"Wrote {output}: {rows} rows to fill for {agency} in round {round_id}.")


@main.command("import-excel")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--round", "round_id", default=None,
              help="Refuse returns that are not for this round.")
@_DB
@_AUDITS
def import_excel(files: tuple[Path, ...], round_id: str | None, db: str | None,
                 audits_dir: Path | None) -> None:
    """Import filled Excel returns; each file is imported whole or not at all."""
    from .excel import ExcelImportError, import_return, read_meta

    store = open_store(db)
    failed = 0
    for path in files:
        try:
            meta = read_meta(path)
            audit = load_round(meta.get("round_id", ""), audits_dir)
            result = import_return(store, audit, audit.load_framework(), path, round_id)
        except (ExcelImportError, NotFoundError) as exc:
            failed += 1
            click.echo(str(exc), err=True)
            continue
        click.echo(f"ok: {path}: {len(result.saved)} form(s) saved for {result.agency} in "
                   f"{result.round_id}, {result.unchanged} unchanged.")
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) not imported.", err=True)
        sys.exit(1)


@main.command("progress")
@_ROUND
@click.option("--by", type=click.Choice(["agency", "auditor"]), default="agency", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the table (.csv or .xlsx), with one row per expected form.")
@_DB
@_AUDITS
def progress(round_id: str, by: str, output: Path | None, db: str | None,
             audits_dir: Path | None) -> None:
    """Forms expected, missing, in draft and submitted for a round, by agency or auditor."""
    from .progress import form_progress, summarise_progress

    audit = load_round(round_id, audits_dir)
    store = open_store(db, create=False)
    click.echo(summarise_progress(store, audit, by).to_string())
    if output is not None:
        forms = form_progress(store, audit)
        if output.suffix == ".xlsx":
            forms.to_excel(output, index=False)
        elif output.suffix == ".csv":
            forms.to_csv(output, index=False, lineterminator="\n")
        else:
            raise WorkbookError(f"Write progress to a .csv or .xlsx file, not {output.name}.")
        click.echo(f"Wrote {len(forms)} forms to {output}.")


_BY = click.option("--by", required=True,
                   help="Your pseudonymous id (recorded with the change, e.g. AUDIT-LEAD).")


@main.command("close-round")
@_ROUND
@_BY
@click.option("--reason", default="", help="Why (recorded), e.g. 'audit meeting held'.")
@_DB
@_AUDITS
def close_round(round_id: str, by: str, reason: str, db: str | None,
                audits_dir: Path | None) -> None:
    """Close a round for moderation: its forms and moderations are locked until reopened."""
    audit = load_round(round_id, audits_dir)
    open_store(db, create=False).close_round(audit.id, by, reason)
    click.echo(f"Round {audit.id} is closed for moderation; reopening it needs a reason.")


@main.command("reopen-round")
@_ROUND
@_BY
@click.option("--reason", required=True, help="Why the round is reopened (recorded).")
@_DB
@_AUDITS
def reopen_round(round_id: str, by: str, reason: str, db: str | None,
                 audits_dir: Path | None) -> None:
    """Reopen a closed round; who and why are recorded in the round's history."""
    audit = load_round(round_id, audits_dir)
    open_store(db, create=False).reopen_round(audit.id, by, reason)
    click.echo(f"Round {audit.id} is open again; the reopening is recorded.")


if __name__ == "__main__":  # pragma: no cover
    main()
