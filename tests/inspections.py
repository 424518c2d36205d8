"""A small inspection and its action plan, written by hand for the tests of progress updates, so
they depend neither on the demo's example inspection nor on how it changes: two areas for
improvement, three actions led by an agency, another agency and the partnership."""

from __future__ import annotations

from pathlib import Path

from caseaudit.action_plan import ActionPlan, load_plan
from caseaudit.inspection import Inspection, load_inspection

INSPECTION_ID = "2025-10-jtai"

INSPECTION_YAML = f"""\
id: {INSPECTION_ID}
type: JTAI
theme: Child sexual abuse in the family environment
inspectorates: [Ofsted, CQC, HMICFRS, HMI Probation]
visit: {{start: 2025-10-06, end: 2025-10-10}}
letter_date: 2025-11-20
framework: jtai-csa-family
lines_of_enquiry:
  - {{id: identification, title: Identification, criteria: ["1.1", "1.2"]}}
areas_for_improvement:
  - id: A1
    title: Direct work with children
    text: Children's words are not always recorded in assessments.
  - id: A2
    title: Information shared across the partnership
    text: Partners do not always share what they know before a strategy meeting.
strengths:
  - {{id: S1, title: Leadership, text: Leaders know their services well.}}
"""

PLAN_YAML = f"""\
inspection: {INSPECTION_ID}
areas:
  - area: A1
    outcome: Children's words shape their plans.
    governance_owner: CSA subgroup
    actions:
      - id: A1.1
        description: Train social workers in recording children's words.
        lead_agency: CSC
        lead_role: Principal social worker
        start: 2026-01-05
        due: 2026-06-30
        success_measure: Audits find the child's words in the assessment.
        criteria: ["1.1"]
      - id: A1.2
        description: Police record the child's account in the child's words.
        lead_agency: Pol
        lead_role: Detective inspector, public protection
        start: 2026-02-01
        due: 2026-09-30
        success_measure: Audits find the child's account recorded.
        criteria: ["1.2"]
  - area: A2
    outcome: Strategy meetings hear from every partner.
    governance_owner: Partnership board
    actions:
      - id: A2.1
        description: A checklist of partners to ask before each strategy meeting.
        lead_agency: Partnership
        lead_role: Partnership business manager
        start: 2026-01-05
        due: 2026-12-31
        success_measure: Every strategy meeting record lists the partners asked.
"""


def write_inspection(folder: Path) -> Path:
    """Write the inspection and its plan under ``folder`` (the inspections folder); return it."""
    where = folder / INSPECTION_ID
    where.mkdir(parents=True, exist_ok=True)
    (where / "inspection.yaml").write_text(INSPECTION_YAML, encoding="utf-8")
    (where / "action_plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    return folder


def load_small(folder: Path) -> tuple[Inspection, ActionPlan]:
    """The inspection and plan :func:`write_inspection` wrote under ``folder``."""
    inspection = load_inspection(INSPECTION_ID, folder)
    return inspection, load_plan(inspection, inspections=folder)
