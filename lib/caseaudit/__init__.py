"""caseaudit: a workbook for multi-agency case audits and practice weeks.

Notebooks import from here only; every name below is public and documented.
"""

from __future__ import annotations

import logging

from .analysis import (
    RoundSummary,
    format_key_figures,
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
from .framework import Framework, Scale, list_frameworks, load_framework, load_framework_file
from .identifiers import identifier_problem, is_valid_nhs_number
from .plots import (
    figure_png,
    plot_agency_heatmap,
    plot_agreement_trend,
    plot_alpha_by_criterion,
    plot_good_or_better,
    plot_leniency,
)
from .rounds import AuditRound, list_round_ids, load_round, load_round_file, load_rounds
from .stats import wilson_interval, wilson_intervals
from .store import FormKey, FormSave, Revision, Store, open_store
from .synthetic import build_partnership, write_partnership

logging.getLogger("caseaudit").addHandler(logging.NullHandler())

__all__ = [
    "SUPPRESSED",
    "AuditRound",
    "ConflictError",
    "FormKey",
    "FormSave",
    "Framework",
    "FrameworkError",
    "GradeError",
    "InputFileError",
    "NotFoundError",
    "Revision",
    "RoundError",
    "RoundSummary",
    "Scale",
    "Store",
    "StoreError",
    "WorkbookError",
    "build_partnership",
    "export_round",
    "figure_png",
    "format_key_figures",
    "identifier_problem",
    "is_valid_nhs_number",
    "list_frameworks",
    "list_round_ids",
    "load_framework",
    "load_framework_file",
    "load_round",
    "load_round_file",
    "load_rounds",
    "open_store",
    "plot_agency_heatmap",
    "plot_agreement_trend",
    "plot_alpha_by_criterion",
    "plot_good_or_better",
    "plot_leniency",
    "render_summary",
    "responses_with_labels",
    "share_hidden",
    "summarise_counts",
    "summarise_round",
    "summarise_store",
    "wilson_interval",
    "wilson_intervals",
    "write_partnership",
]
