"""caseaudit: a workbook for multi-agency case audits and practice weeks.

Notebooks import from here only; every name below is public and documented.

The names are loaded on first use (PEP 562): ``import caseaudit`` alone, which every command
line start and every ``caseaudit.<module>`` import pays for, costs nothing, while
``from caseaudit import summarise_round`` and ``ca.plot_leniency`` work as before and bring in
pandas, seaborn or statsmodels only when a name that needs them is asked for.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

#: Each public name and the submodule that defines it.
_SOURCES = {
    "agreement": ("agreement_across_rounds", "agreement_report", "double_scorer_agreement",
                  "format_agreement_figures", "latest_moderated_round"),
    "analysis": ("RoundSummary", "format_key_figures", "round_summary", "summarise_counts",
                 "summarise_round", "summarise_store"),
    "disclosure": ("SUPPRESSED", "render_summary", "share_hidden"),
    "errors": ("ConflictError", "FrameworkError", "GradeError", "InputFileError", "NotFoundError",
               "RoundError", "StoreError", "WorkbookError"),
    "export": ("export_round", "responses_with_labels"),
    "framework": ("NOT_APPLICABLE", "NOT_GRADED", "Answer", "Framework", "NotGrade", "Scale",
                  "list_frameworks", "load_framework", "load_framework_file"),
    "identifiers": ("identifier_problem", "is_valid_nhs_number"),
    "moderation": ("describe_grid", "grid_notes", "moderation_grid", "style_grid", "theme_counts"),
    "practice_week": ("latest_case_audit", "practice_week_problem"),
    # practice_week_summary() is reached as caseaudit.practice_week_summary.practice_week_summary:
    # a package attribute of its module's own name would be replaced by the module on import
    "practice_week_summary": ("WeekSummary", "week_summary"),
    "plots": ("figure_png", "plot_agency_heatmap", "plot_agreement_trend", "plot_alpha_by_criterion",
              "plot_good_or_better", "plot_leniency"),
    "progress": ("form_progress", "plot_progress", "summarise_progress"),
    "report.build": ("committee_report", "inspection_report", "practice_week_report"),
    "report.writers": ("write_report",),
    "results": ("RoundResults", "round_labels", "round_results"),
    "rounds": ("AuditRound", "BrokenRound", "RoundsFound", "list_round_ids", "load_round",
               "load_round_file", "load_rounds", "scan_rounds"),
    "stats": ("wilson_interval", "wilson_intervals"),
    "store": ("ActionUpdate", "ActionUpdateSave", "FormKey", "FormSave", "Revision", "Store",
              "open_store"),
    "synthetic": ("build_partnership", "write_partnership"),
    "ui.actions": ("ActionUpdateForm", "action_updates_form"),
    "ui.meeting": ("ModerationForm",),
    "ui.meeting_app": ("ModerationApp", "moderation_app"),
    "ui.scoring": ("ScoringForm", "scoring_form"),
    "ui.practice_week": ("PracticeWeekForm", "practice_week_form"),
    "ui.action_plan": ("ActionPlanDashboard", "action_plan_dashboard"),
    "ui.dashboard": ("OverviewDashboard", "overview_dashboard"),
    "ui.equality": ("EqualityDashboard", "equality_dashboard"),
    "ui.practice_week_board": ("PracticeWeekBoard", "practice_week_dashboard"),
    "ui.trends": ("TrendsDashboard", "trends_dashboard"),
    "ui.kit": ("wait_for_viewer",),
}
_MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}

logging.getLogger("caseaudit").addHandler(logging.NullHandler())

__all__ = [
    "NOT_APPLICABLE",
    "NOT_GRADED",
    "SUPPRESSED",
    "ActionPlanDashboard",
    "ActionUpdate",
    "ActionUpdateForm",
    "ActionUpdateSave",
    "Answer",
    "AuditRound",
    "BrokenRound",
    "ConflictError",
    "EqualityDashboard",
    "FormKey",
    "FormSave",
    "Framework",
    "FrameworkError",
    "GradeError",
    "InputFileError",
    "ModerationApp",
    "ModerationForm",
    "NotFoundError",
    "NotGrade",
    "OverviewDashboard",
    "PracticeWeekBoard",
    "PracticeWeekForm",
    "Revision",
    "RoundError",
    "RoundResults",
    "RoundSummary",
    "RoundsFound",
    "Scale",
    "ScoringForm",
    "Store",
    "StoreError",
    "TrendsDashboard",
    "WeekSummary",
    "WorkbookError",
    "action_plan_dashboard",
    "action_updates_form",
    "agreement_across_rounds",
    "agreement_report",
    "build_partnership",
    "committee_report",
    "describe_grid",
    "double_scorer_agreement",
    "equality_dashboard",
    "export_round",
    "figure_png",
    "form_progress",
    "format_agreement_figures",
    "format_key_figures",
    "grid_notes",
    "identifier_problem",
    "inspection_report",
    "is_valid_nhs_number",
    "latest_case_audit",
    "latest_moderated_round",
    "list_frameworks",
    "list_round_ids",
    "load_framework",
    "load_framework_file",
    "load_round",
    "load_round_file",
    "load_rounds",
    "moderation_app",
    "moderation_grid",
    "open_store",
    "overview_dashboard",
    "plot_agency_heatmap",
    "plot_agreement_trend",
    "plot_alpha_by_criterion",
    "plot_good_or_better",
    "plot_leniency",
    "plot_progress",
    "practice_week_dashboard",
    "practice_week_form",
    "practice_week_problem",
    "practice_week_report",
    "render_summary",
    "responses_with_labels",
    "round_labels",
    "round_results",
    "round_summary",
    "scan_rounds",
    "scoring_form",
    "share_hidden",
    "style_grid",
    "summarise_counts",
    "summarise_progress",
    "summarise_round",
    "summarise_store",
    "theme_counts",
    "trends_dashboard",
    "wait_for_viewer",
    "week_summary",
    "wilson_interval",
    "wilson_intervals",
    "write_partnership",
    "write_report",
]


def __getattr__(name: str) -> Any:
    """Import the submodule that defines ``name`` and keep the name here for next time."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'caseaudit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # what type checkers and editors see: the eager imports this file used to make
    from .agreement import (
        agreement_across_rounds,
        agreement_report,
        double_scorer_agreement,
        format_agreement_figures,
        latest_moderated_round,
    )
    from .analysis import (
        RoundSummary,
        format_key_figures,
        round_summary,
        summarise_counts,
        summarise_round,
        summarise_store,
    )
    from .disclosure import SUPPRESSED, render_summary, share_hidden
    from .errors import (
        ConflictError,
        FrameworkError,
        GradeError,
        InputFileError,
        NotFoundError,
        RoundError,
        StoreError,
        WorkbookError,
    )
    from .export import export_round, responses_with_labels
    from .framework import (
        NOT_APPLICABLE,
        NOT_GRADED,
        Answer,
        Framework,
        NotGrade,
        Scale,
        list_frameworks,
        load_framework,
        load_framework_file,
    )
    from .identifiers import identifier_problem, is_valid_nhs_number
    from .moderation import describe_grid, grid_notes, moderation_grid, style_grid, theme_counts
    from .plots import (
        figure_png,
        plot_agency_heatmap,
        plot_agreement_trend,
        plot_alpha_by_criterion,
        plot_good_or_better,
        plot_leniency,
    )
    from .practice_week import latest_case_audit, practice_week_problem
    from .practice_week_summary import WeekSummary, week_summary
    from .progress import form_progress, plot_progress, summarise_progress
    from .report.build import committee_report, inspection_report, practice_week_report
    from .report.writers import write_report
    from .results import RoundResults, round_labels, round_results
    from .rounds import (
        AuditRound,
        BrokenRound,
        RoundsFound,
        list_round_ids,
        load_round,
        load_round_file,
        load_rounds,
        scan_rounds,
    )
    from .stats import wilson_interval, wilson_intervals
    from .store import ActionUpdate, ActionUpdateSave, FormKey, FormSave, Revision, Store, open_store
    from .synthetic import build_partnership, write_partnership
    from .ui.action_plan import ActionPlanDashboard, action_plan_dashboard
    from .ui.actions import ActionUpdateForm, action_updates_form
    from .ui.dashboard import OverviewDashboard, overview_dashboard
    from .ui.equality import EqualityDashboard, equality_dashboard
    from .ui.kit import wait_for_viewer
    from .ui.meeting import ModerationForm
    from .ui.meeting_app import ModerationApp, moderation_app
    from .ui.practice_week import PracticeWeekForm, practice_week_form
    from .ui.practice_week_board import PracticeWeekBoard, practice_week_dashboard
    from .ui.scoring import ScoringForm, scoring_form
    from .ui.trends import TrendsDashboard, trends_dashboard
