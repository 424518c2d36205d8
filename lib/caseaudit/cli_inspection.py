"""The command line for an inspection and its action plan: ``caseaudit inspection list|check``
and ``caseaudit plan template|import`` (the Excel round trip of :mod:`caseaudit.plan_excel`).

Kept apart from :mod:`caseaudit.cli` so that each module stays readable; cli.py adds the two
groups to ``caseaudit``'s main command. As there, only click and the settings are
imported at the top: each command imports what it uses.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import settings
from .errors import WorkbookError

_INSPECTIONS = click.option("--inspections", "inspections_dir", default=None,
                            type=click.Path(path_type=Path, file_okay=False),
                            help="Folder of inspections (default: CASEAUDIT_INSPECTIONS, else "
                                 "the folder `inspections` beside the audits folder).")
_INSPECTION = click.option("--inspection", "inspection_id", required=True,
                           help="The inspection's id (its folder's name), e.g. 2026-02-jtai.")


def _inspections(inspections_dir: Path | None) -> Path | None:
    """The folder of inspections a command works on: the demo's under --demo, else
    --inspections (falling back to its environment variable and default)."""
    if not click.get_current_context().find_root().params.get("demo"):
        return inspections_dir
    if inspections_dir is not None:
        raise WorkbookError("--demo chooses the demo's inspections; leave out --inspections, or "
                            "leave out --demo.")
    if not settings.DEMO_INSPECTIONS_DIR.is_dir():
        raise WorkbookError(f"There is no demo inspection yet ({settings.DEMO_INSPECTIONS_DIR} is "
                            "missing). Run `make demo-data` (or `caseaudit demo-data`) first.")
    return settings.DEMO_INSPECTIONS_DIR


def inspection_summary(inspection) -> str:  # type: ignore[no-untyped-def]
    """Two lines about an inspection: what, when, and when its statement of action is due."""
    from .times import long_date

    soa = inspection.statement_of_action
    how = ("the date set in inspection.yaml" if soa.due is not None
           else f"{soa.working_days} working days after the letter")
    return (f"{inspection.id}: {inspection.type}, {inspection.theme} "
            f"({', '.join(inspection.inspectorates)}); letter {long_date(inspection.letter_date)}; "
            f"statement of action due {long_date(inspection.statement_due)} ({how}).\n"
            f"  {len(inspection.areas_for_improvement)} areas for improvement, "
            f"{len(inspection.strengths)} strengths, {len(inspection.lines_of_enquiry)} lines of "
            f"enquiry (framework {inspection.framework}).")


def plan_summary(plan, inspection) -> str:  # type: ignore[no-untyped-def]
    """One line about a plan: its size, and the areas for improvement it does not answer yet."""
    answered = {area.area for area in plan.areas if area.actions}
    missing = [a for a in inspection.areas_by_id if a not in answered]
    gap = (f"; no action yet for {', '.join(missing)}" if missing
           else "; every area for improvement has an action")
    return f"  Action plan: {len(plan.actions_by_id)} actions in {len(plan.areas)} areas{gap}."


def check_inspection_files(path: Path, kind: str) -> str:
    """Validate an inspection.yaml (``kind`` "inspection") or an action_plan.yaml ("plan", against
    the inspection.yaml beside it) for ``caseaudit validate``; the "ok" line, or the loader's
    error."""
    from .action_plan import load_plan
    from .errors import NotFoundError
    from .inspection import load_inspection_file

    if kind == "inspection":
        inspection = load_inspection_file(path)
        return f"ok: inspection {inspection_summary(inspection)}"
    beside = path.parent / "inspection.yaml"
    if not beside.exists():
        raise NotFoundError(f"{path}: an action plan is checked against its inspection, and there "
                            f"is no inspection.yaml beside it in {path.parent}. Keep the plan in "
                            "its inspection's folder.")
    inspection = load_inspection_file(beside)
    plan = load_plan(inspection, path)
    return f"ok: action plan for {inspection.id} ({path})\n{plan_summary(plan, inspection)}"


@click.group("inspection")
def inspection_group() -> None:
    """Inspections: their findings and the statement of action's due date."""


@inspection_group.command("list")
@_INSPECTIONS
def inspection_list(inspections_dir: Path | None) -> None:
    """List the inspections in the inspections folder."""
    from .inspection import list_inspection_ids

    inspections_dir = _inspections(inspections_dir)
    ids = list_inspection_ids(inspections_dir)
    folder = settings.inspections_dir(inspections_dir)
    if not ids:
        click.echo(f"No inspections in {folder}. Make a folder there named after the inspection, "
                   "holding its inspection.yaml (see the example: caseaudit demo-data).")
        return
    click.echo(f"Inspections in {folder}:")
    for inspection_id in ids:
        click.echo(f"  {inspection_id}")


@inspection_group.command("check")
@click.argument("inspection_id")
@_INSPECTIONS
def inspection_check(inspection_id: str, inspections_dir: Path | None) -> None:
    """Check an inspection and its action plan, and summarise them."""
    from .action_plan import load_plan, plan_path
    from .errors import NotFoundError
    from .inspection import load_inspection

    inspections_dir = _inspections(inspections_dir)
    inspection = load_inspection(inspection_id, inspections_dir)
    click.echo(f"Inspection {inspection_summary(inspection)}")
    if not plan_path(inspection, inspections_dir).exists():
        click.echo(f"  No action plan yet. Start one from the Excel template: caseaudit plan "
                   f"template --inspection {inspection.id} -o plan.xlsx")
        return
    try:
        plan = load_plan(inspection, inspections=inspections_dir)
    except NotFoundError as exc:  # removed in between
        raise WorkbookError(str(exc)) from None
    click.echo(plan_summary(plan, inspection))


@click.group("plan")
def plan_group() -> None:
    """The action plan answering an inspection: edit it in Excel and read it back."""


@plan_group.command("template")
@_INSPECTION
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The .xlsx file to write (never over an existing file).")
@_INSPECTIONS
def plan_template(inspection_id: str, output: Path, inspections_dir: Path | None) -> None:
    """Write the action plan as an Excel workbook to edit: the current plan if there is one,
    else a row per area for improvement to fill in."""
    from .action_plan import load_plan, plan_path
    from .inspection import load_inspection
    from .plan_excel import write_plan_template

    if output.suffix.lower() != ".xlsx":
        raise WorkbookError(f"Write the plan workbook to an .xlsx file, not {output.name}; e.g. "
                            f"-o {output.stem}.xlsx")
    if output.exists():
        raise WorkbookError(f"{output} already exists; nothing was written. Give another name, "
                            "or move that file aside first (it may hold edits not yet imported).")
    inspections_dir = _inspections(inspections_dir)
    inspection = load_inspection(inspection_id, inspections_dir)
    current = plan_path(inspection, inspections_dir)
    plan = load_plan(inspection, current) if current.exists() else None
    actions = write_plan_template(inspection, plan, output)
    source = (f"the current plan's {actions} actions" if plan is not None
              else f"a row for each of the {len(inspection.areas_for_improvement)} areas for "
                   "improvement, to fill in")
    click.echo(f"Wrote {output} with {source}. Edit it in Excel, then read it back with: "
               f"caseaudit plan import {output} --inspection {inspection.id}")


@plan_group.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False))
@_INSPECTION
@_INSPECTIONS
def plan_import(workbook: Path, inspection_id: str, inspections_dir: Path | None) -> None:
    """Read an edited plan workbook back into the inspection's action_plan.yaml: all or nothing,
    saying which actions were added, removed or changed."""
    from .action_plan import compare_plans, load_plan, plan_path, rounds_beside, write_plan
    from .errors import PlanError
    from .inspection import load_inspection
    from .plan_excel import read_plan_workbook

    inspections_dir = _inspections(inspections_dir)
    inspection = load_inspection(inspection_id, inspections_dir)
    plan = read_plan_workbook(inspection, workbook,
                              rounds_beside(settings.inspections_dir(inspections_dir)))
    target = plan_path(inspection, inspections_dir)
    old, note = None, ""
    if target.exists():
        try:
            old = load_plan(inspection, target)
        except PlanError:
            note = " The plan it replaces did not load (it had problems), so every action counts as added."
    changes = compare_plans(old, plan)
    if old is not None and not changes:
        click.echo(f"No change: {workbook} holds the same plan as {target}; nothing was written.")
        return
    write_plan(plan, target)
    click.echo(f"Wrote {target}: {len(plan.actions_by_id)} actions in {len(plan.areas)} areas.{note}")
    click.echo(changes.describe())
