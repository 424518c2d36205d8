"""The committee reports: a round's results, or an inspection's action plan, as a written
update for a scrutiny committee.

``caseaudit report --round`` runs :data:`NOTEBOOK` with papermill (:mod:`.run`); the notebook
calls :func:`.build.committee_report`, which reads the round's results and has :mod:`.content`
decide what the report says, as a :class:`.model.Report`; :func:`.writers.write_report` lays that
one model out as HTML, DOCX or PDF. ``caseaudit report --inspection`` runs
:data:`INSPECTION_NOTEBOOK` the same way: :func:`.build.inspection_report` reads the inspection's
review and :mod:`.inspection` decides what the progress report says, in the same model, laid out
by the same writers. ``caseaudit report --round`` on a practice week runs
:data:`PRACTICE_WEEK_NOTEBOOK`: :func:`.build.practice_week_report` reads the week's summary
(:mod:`caseaudit.practice_week_summary`) and the plans' actions answering it, and
:mod:`.practice_week` decides what it says, stream by stream. Importing this package costs
nothing: each part imports its libraries (pandas, python-docx, xhtml2pdf) when used.
"""

from __future__ import annotations

from pathlib import Path

#: The formats a report is written in.
REPORT_FORMATS = ("html", "docx", "pdf")
#: The report notebook, shipped inside the package so an installed workbook has it.
NOTEBOOK = Path(__file__).resolve().parent / "committee_report.ipynb"
#: The progress report on an inspection's action plan, run the same way.
INSPECTION_NOTEBOOK = Path(__file__).resolve().parent / "inspection_report.ipynb"
#: A practice week's report, laid out by stream: what ``--round`` runs for a practice week.
PRACTICE_WEEK_NOTEBOOK = Path(__file__).resolve().parent / "practice_week_report.ipynb"
