"""The ``caseaudit`` command line, for scripted work: a new workbook, demo data, validation,
exports, the committee report, progress, Excel returns, and closing or reopening a round.

Every user error (a bad file, an unknown round) is printed as its plain message and exits 1; a
traceback is only for a bug.

Only click and the settings are imported here; each command imports what it uses (the store
brings SQLAlchemy and pandas, a round brings pydantic and YAML), so that ``--help`` or
``validate`` does not wait for pandas, seaborn and statsmodels.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

import click

from . import settings
from .cli_inspection import _INSPECTIONS, _inspections
from .errors import InputFileError, NotFoundError, WorkbookError
from .export import EXPORT_FORMATS
from .times import parse_as_of


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except WorkbookError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.option("--demo", is_flag=True,
              help="Work on the demo partnership that `make demo` made (data/demo.db and "
                   "data/demo/audits) instead of CASEAUDIT_DB and CASEAUDIT_AUDITS.")
@click.version_option(package_name="caseaudit")
def main(demo: bool) -> None:
    """Safeguarding case-audit workbook: frameworks, audit rounds, scores and summaries."""


_ROUND = click.option("--round", "round_id", required=True, help="The round's id.")
_DB = click.option("--db", default=None, help="Database path or URL (default: CASEAUDIT_DB, "
                   "else data/workbook.db).")
_AUDITS = click.option("--audits", "audits_dir", default=None, type=click.Path(path_type=Path),
                       help="Folder of rounds (default: CASEAUDIT_AUDITS, else audits/).")


def _demo() -> bool:
    return bool(click.get_current_context().find_root().params.get("demo"))


def _places(db: str | None, audits_dir: Path | None) -> tuple[str | None, Path | None]:
    """The database and folder of rounds a command works on: the demo's under --demo, else
    what --db and --audits say (each falling back to its environment variable)."""
    if not _demo():
        return db, audits_dir
    if db is not None or audits_dir is not None:
        raise WorkbookError("--demo chooses the demo's database and rounds; leave out --db and "
                            "--audits, or leave out --demo.")
    if not settings.DEMO_DB_PATH.exists():
        raise WorkbookError(f"There is no demo partnership yet ({settings.DEMO_DB_PATH} is "
                            "missing). Run `make demo-data` (or `caseaudit demo-data`) first.")
    return str(settings.DEMO_DB_PATH), settings.DEMO_AUDITS_DIR


def _store(db: str | None):  # type: ignore[no-untyped-def]
    """An existing workbook database (commands other than init and demo-data never make one)."""
    from .store import open_store

    return open_store(db, create=False)


def _round(round_id: str, audits_dir: Path | None):  # type: ignore[no-untyped-def]
    from .rounds import load_round

    return load_round(round_id, audits_dir)


@main.command("init")
@_DB
def init(db: str | None) -> None:
    """Create a new, empty workbook database (default: CASEAUDIT_DB, else data/workbook.db).

    Refuses a file that already holds anything: the database is where every saved form lives.
    """
    from .errors import StoreError
    from .store import open_store

    if _demo():
        raise WorkbookError("`caseaudit init` makes a new database for real work; the demo's is "
                            "made by `caseaudit demo-data`. Leave out --demo.")
    url = settings.database_url(db)
    path = _sqlite_path(url)
    if path is not None and path.exists() and path.stat().st_size > 0:
        raise WorkbookError(f"{path} already exists ({path.stat().st_size:,} bytes); `caseaudit "
                            "init` only makes a new database and never touches one that holds "
                            "anything. To start afresh, move that file aside first.")
    if path is None:
        try:
            existing = open_store(url, create=False)
        except StoreError:
            pass  # not a workbook yet, or unreachable: creating it says which
        else:
            existing.dispose()  # named without its password
            raise WorkbookError(f"{existing.url.render_as_string(hide_password=True)} already holds "
                                "a workbook; nothing was changed.")
    store = open_store(url, create=True)
    where = store.url.render_as_string(hide_password=True)
    store.dispose()
    click.echo(f"Created a new, empty workbook database at {where}. Set up a round under "
               f"{settings.audits_dir(None)} (see audits/2026-03-example), then score it.")


def _sqlite_path(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


@main.command("demo-data")
@click.option("--cases", default=40, show_default=True, type=click.IntRange(1, 100_000),
              help="Cases per round.")
@click.option("--rounds", default=6, show_default=True, type=click.IntRange(1, 40),
              help="Quarterly rounds, the last one starting in --last-round's month.")
@click.option("--last-round", "last_round", default="2026-09", show_default=True,
              type=click.DateTime(["%Y-%m"]),
              help="The month (YYYY-MM) the latest round starts in.")
@click.option("--seed", default=None, type=int,
              help="The same seed gives the same data, byte for byte (default: the demo's seed).")
@click.option("--audits", "audits_dir", type=click.Path(path_type=Path),
              default=settings.DEMO_AUDITS_DIR, show_default=True,
              help="Where the demo rounds' folders are written.")
@click.option("--db", default=str(settings.DEMO_DB_PATH), show_default=True,
              help="Database (path or SQLAlchemy URL) the demo responses are saved into.")
@click.option("--label", default="maca", show_default=True,
              help="The end of each round id, e.g. 2026-03-maca.")
@click.option("--replace", is_flag=True,
              help="Delete an existing demo database file and demo rounds first.")
def demo_data(cases: int, rounds: int, last_round: datetime, seed: int | None, audits_dir: Path,
              db: str, label: str, replace: bool) -> None:
    """Generate a synthetic partnership (never your real rounds or database)."""
    from .store import open_store
    from .synthetic import DEFAULT_SEED, build_partnership, write_demo
    from .synthetic_practice_week import build_practice_weeks

    url = settings.database_url(db)
    if url in _real_databases():
        raise WorkbookError(f"Refusing to write demo data into {url}, which is the real workbook "
                            "database. Give --db a separate file, e.g. data/demo.db.")
    if audits_dir.resolve() in _real_audit_dirs():
        raise WorkbookError(f"Refusing to write demo rounds into {audits_dir}, the folder of real "
                            "rounds. Give --audits a separate folder, e.g. data/demo/audits.")
    partnership = build_partnership(cases=cases, rounds=rounds,
                                    seed=DEFAULT_SEED if seed is None else seed, label=label,
                                    last=last_round.date())
    weeks = build_practice_weeks(partnership.seed)
    db_path = _sqlite_path(url)
    existing = [r.id for r in [*partnership.rounds, *(w.audit for w in weeks)]
                if (audits_dir / r.id).exists()]
    if replace:
        for round_id in existing:
            shutil.rmtree(audits_dir / round_id)
        if db_path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        existing = []
    store = open_store(url, create=True)
    if existing or store.round_ids():
        raise WorkbookError(f"Demo data already exists ({', '.join(existing or store.round_ids())} "
                            f"in {audits_dir} / {url}). Use --replace to generate it afresh.")
    # the inspections folder sits beside the rounds' (settings.inspections_dir's rule)
    inspection = write_demo(partnership, audits_dir, store, weeks)
    store.dispose()  # the last connection checkpoints the WAL into the file
    saves = sum(len(s) for s in partnership.saves.values())
    records = sum(len({(s.case_id, s.auditor) for s in w.saves}) for w in weeks)
    click.echo(f"Wrote {len(partnership.rounds)} rounds of {cases} cases and {len(weeks)} practice "
               f"weeks ({records} records) to {audits_dir}, {saves} saved forms to {url} and the "
               f"example inspection to {inspection}.")


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
    """Check framework files, audit rounds (audit.yaml, or a round's folder) and inspections
    (inspection.yaml, action_plan.yaml, or an inspection's folder).

    A file whose top level has `domains` is read as a framework, one with
    `areas_for_improvement` as an inspection, one with `areas` as an action plan (checked against
    the inspection.yaml beside it), otherwise as a round. Exit status 1 if any is invalid, after
    reporting every one.
    """
    from . import settings
    from .cli_inspection import check_inspection_files
    from .framework import load_framework, load_framework_file
    from .rounds import load_round_file

    failed = 0
    for path in paths:
        if path.is_dir() and (path / "inspection.yaml").exists():
            targets = [path / name for name in ("inspection.yaml", "action_plan.yaml")
                       if (path / name).exists()]
        else:
            targets = [path / "audit.yaml" if path.is_dir() else path]
        try:
            for target in targets:
                kind = _top_level_kind(target)
                if kind == "framework":
                    framework = load_framework_file(target)
                    if target.resolve().parent in settings.framework_dirs():
                        # a clash with another framework on the search path shows here, not
                        # first when a round uses it
                        load_framework(framework.id, framework.version)
                    click.echo(f"ok: framework {framework.id} {framework.version} ({target}): "
                               f"{len(framework.domains)} domains, "
                               f"{len(framework.criteria_by_id)} criteria")
                elif kind in ("inspection", "plan"):
                    click.echo(check_inspection_files(target, kind))
                else:
                    audit = load_round_file(target)
                    what = (f"{len(audit.streams)} streams, {len(audit.participants)} participants"
                            if audit.streams else f"{len(audit.expected_forms())} forms expected")
                    click.echo(f"ok: round {audit.id} ({target}): {len(audit.cases)} cases, {what}")
        except (InputFileError, NotFoundError) as exc:
            failed += 1
            click.echo(str(exc), err=True)
    if failed:
        click.echo(f"{failed} of {len(paths)} file(s) invalid.", err=True)
        sys.exit(1)


#: A top-level key that tells what a YAML file is (a round has none of these).
_KIND_OF_KEY = {"domains": "framework", "areas_for_improvement": "inspection", "areas": "plan"}


def _top_level_kind(path: Path) -> str:
    """What a YAML file reads as, from a top-level key in its first 64 KB only (the loader
    refuses an over-large file itself, with its message): "framework", "inspection", "plan",
    else "round"."""
    if path.suffix not in (".yaml", ".yml"):
        return "round"
    try:
        with path.open("rb") as handle:
            text = handle.read(65_536).decode("utf-8", errors="replace")
    except OSError:
        return "round"
    for line in text.splitlines():
        kind = _KIND_OF_KEY.get(line.split(":", 1)[0]) if ":" in line else None
        if kind is not None:
            return kind
    return "round"


@main.command("export")
@_ROUND
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="csv, xlsx or parquet (default: what the output's name ends with, else csv).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", default=None, metavar="TIME",
              help="Export the round as the database stood at this time, e.g. 2026-05-01 (the "
                   "start of that day) or 2026-05-01T17:30; UTC unless it ends in an offset such "
                   "as +01:00. Default: as it is now.")
@click.option("--by", "exported_by", default=None,
              help="Who is exporting (your pseudonymous id), written on the xlsx file's "
                   "'About this file' sheet. Default: the computer account running the command, "
                   "and the sheet says so.")
@_DB
@_AUDITS
def export(round_id: str, fmt: str | None, output: Path, as_of: str | None, exported_by: str | None,
           db: str | None, audits_dir: Path | None) -> None:
    """Export a round's current responses, one row per case, agency, auditor and criterion."""
    from .export import export_round

    fmt = _export_format(fmt, output)
    when = parse_as_of(as_of)
    db, audits_dir = _places(db, audits_dir)
    audit = _round(round_id, audits_dir)
    rows = export_round(_store(db), audit, output, fmt, as_of=when, exported_by=exported_by)
    stood = f" as the database stood at {when:%Y-%m-%d %H:%M} UTC" if when is not None else ""
    empty = ""
    if not rows:
        empty = (f" Nothing had been saved in round {audit.id} by then." if when is not None
                 else f" Nothing has been saved in round {audit.id} yet.")
    click.echo(f"Wrote {rows} rows to {output}{stood}.{empty}")


def _export_format(fmt: str | None, output: Path) -> str:
    """The format asked for, else the one the output's name ends with, else CSV. A name that
    says another format is refused: Excel will not open CSV text saved as .xlsx."""
    named = output.suffix.lower().lstrip(".")
    if fmt is None:
        return named if named in EXPORT_FORMATS else "csv"
    if named in EXPORT_FORMATS and named != fmt:
        raise WorkbookError(f"{output.name} ends in .{named} but --format is {fmt}; name the file "
                            f"{output.stem}.{fmt}, or leave out --format.")
    return fmt


@main.command("report")
@click.option("--round", "round_id", default=None, metavar="ID",
              help="The round whose committee report to write.")
@click.option("--inspection", "inspection_id", default=None, metavar="ID",
              help="Instead of --round: the inspection whose action plan's progress report to "
                   "write (implementation, impact measured by the audits, what comes next).")
@click.option("--compare", multiple=True, metavar="ID",
              help="With --round: an earlier round of the same framework to set beside it "
                   "(repeat for more).")
@click.option("--as-of", "as_of", default=None, metavar="TIME",
              help="Read the forms (and progress updates) as they stood then, e.g. 2026-05-01 or "
                   "2026-05-01T14:30 (UTC unless an offset is given); the same TIME always gives "
                   "the same figures.")
@click.option("--format", "fmt", default=None, metavar="FORMAT",
              help="html, docx or pdf (default: from the output file's suffix).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The report file to write.")
@click.option("--partnership", default=None,
              help="The partnership's name at the top of the report (default: "
                   "CASEAUDIT_PARTNERSHIP).")
@_INSPECTIONS
@_DB
@_AUDITS
def report(round_id: str | None, inspection_id: str | None, compare: tuple[str, ...],
           as_of: str | None, fmt: str | None, output: Path, partnership: str | None,
           inspections_dir: Path | None, db: str | None, audits_dir: Path | None) -> None:
    """Write a report for the scrutiny committee: a round's committee report (--round: headline
    findings, results by domain with charts, rounds compared, learning themes; for a practice
    week, its report by stream, compared with the last week of the same theme, with the plan's
    actions answering its areas for development), or the progress
    report on an inspection's action plan (--inspection: progress by area, impact measured by
    the audits, strengths, readiness by line of enquiry, what comes next).

    Runs the report's notebook with papermill; the file holds no code, and every figure has
    passed disclosure control.
    """
    from .report import REPORT_FORMATS
    from .report.run import run_inspection_report, run_report

    if (round_id is None) == (inspection_id is None):
        raise WorkbookError("Say which report to write: --round ID for a round's committee "
                            "report, or --inspection ID for the progress report on an "
                            "inspection's action plan (one of them, not both).")
    if inspection_id is not None and compare:
        raise WorkbookError("--compare sets earlier rounds beside a round's report; leave it out "
                            "with --inspection (the progress report compares the rounds before "
                            "and after each action itself).")
    db, audits_dir = _places(db, audits_dir)
    if inspection_id is not None or inspections_dir is not None:
        inspections_dir = _inspections(inspections_dir)
    if fmt is None:
        fmt = {".htm": "html"}.get(output.suffix.lower(), output.suffix.lower().lstrip("."))
        if fmt not in REPORT_FORMATS:
            raise WorkbookError(f"Say which format to write with --format ({', '.join(REPORT_FORMATS)}); "
                                f"{output.name} does not end in one.")
    if inspection_id is not None:
        written = run_inspection_report(inspection_id, fmt, output, as_of, db, audits_dir,
                                        inspections_dir, partnership)
        click.echo(f"Wrote the {fmt.upper()} progress report for inspection {inspection_id} "
                   f"to {written}.")
        return
    written = run_report(round_id, fmt, output, compare, as_of, db, audits_dir, partnership,
                         inspections=inspections_dir)
    click.echo(f"Wrote the {fmt.upper()} report for round {round_id} to {written}.")


@main.command("excel-template")
@_ROUND
@click.option("--agency", help="The agency a case audit's return is for, e.g. Pol.")
@click.option("--stream", "stream_id", help="Instead of --agency, for a practice week: the stream "
              "whose return to write (case_audit, observation, family_feedback...).")
@click.option("--auditor", help="With --stream: who records the return's records (one of the "
              "round's auditors).")
@click.option("--rows", default=10, show_default=True, type=click.IntRange(1, 500),
              help="With --stream: records to fill (a case audit's return has a row per case).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False))
@_DB
@_AUDITS
def excel_template(round_id: str, agency: str | None, stream_id: str | None, auditor: str | None,
                   rows: int, output: Path, db: str | None, audits_dir: Path | None) -> None:
    """Write an Excel return to fill in offline: one agency's case audit, or a practice week's
    stream (--stream, --auditor; its record ids follow those saved in --db)."""
    from .cli_excel import write_return

    click.echo(write_return(round_id, agency, stream_id, auditor, rows, output,
                            *_places(db, audits_dir)))


@main.command("import-excel")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--round", "round_id", default=None,
              help="Refuse returns that are not for this round.")
@click.option("--stream", "stream_id", default=None,
              help="Refuse returns that are not for this practice-week stream.")
@_DB
@_AUDITS
def import_excel(files: tuple[Path, ...], round_id: str | None, stream_id: str | None,
                 db: str | None, audits_dir: Path | None) -> None:
    """Import filled Excel returns (an agency's, or a practice week stream's); each file is
    imported whole or not at all."""
    from .cli_excel import import_returns

    if import_returns(files, round_id, stream_id, *_places(db, audits_dir)):
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
    from .practice_week import PRACTICE_WEEK
    from .progress import form_progress, stream_progress, summarise_progress

    db, audits_dir = _places(db, audits_dir)
    audit = _round(round_id, audits_dir)
    store = _store(db)
    if audit.kind == PRACTICE_WEEK:
        click.echo("Collaborative case audits (one expected per case, by the agency holding it):")
    click.echo(summarise_progress(store, audit, by).to_string())
    if audit.kind == PRACTICE_WEEK:
        click.echo("\nEvery stream's records (declined: feedback returns whose giver declined "
                   "consent):")
        click.echo(stream_progress(store, audit).to_string())
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


def _round_event(change: str, round_id: str, by: str, reason: str, db: str | None,
                 audits_dir: Path | None) -> None:
    """Close or reopen a round: both record who, when and why in the round's history."""
    db, audits_dir = _places(db, audits_dir)
    audit = _round(round_id, audits_dir)
    store = _store(db)
    if change == "close":
        store.close_round(audit.id, by, reason)
        click.echo(f"Round {audit.id} is closed: its forms and moderations are final until it is "
                   "reopened, which needs a reason.")
    else:
        store.reopen_round(audit.id, by, reason)
        click.echo(f"Round {audit.id} is open again; the reopening is recorded.")


@main.command("close-round")
@_ROUND
@_BY
@click.option("--reason", default="", help="Why (recorded), e.g. 'audit meeting held'.")
@_DB
@_AUDITS
def close_round(round_id: str, by: str, reason: str, db: str | None,
                audits_dir: Path | None) -> None:
    """Close a round once the meeting is done: its forms and moderations are final until reopened."""
    _round_event("close", round_id, by, reason, db, audits_dir)


@main.command("reopen-round")
@_ROUND
@_BY
@click.option("--reason", required=True, help="Why the round is reopened (recorded).")
@_DB
@_AUDITS
def reopen_round(round_id: str, by: str, reason: str, db: str | None,
                 audits_dir: Path | None) -> None:
    """Reopen a closed round; who and why are recorded in the round's history."""
    _round_event("reopen", round_id, by, reason, db, audits_dir)


from .cli_backup import backup_command, restore_command  # noqa: E402  (it imports only click)
from .cli_inspection import inspection_group, plan_group  # noqa: E402  (it imports only click)
from .cli_roles import db_roles_command  # noqa: E402  (it imports only click)
from .cli_upgrade import upgrade_db_command  # noqa: E402  (it imports only click)

main.add_command(inspection_group)
main.add_command(plan_group)
main.add_command(backup_command)
main.add_command(restore_command)
main.add_command(db_roles_command)
main.add_command(upgrade_db_command)

if __name__ == "__main__":  # pragma: no cover
    main()
