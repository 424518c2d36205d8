"""A framework small enough to compute its figures by hand, and variants of it, for the analyses'
tests: two domains, three criteria, two agencies; 1.1 and 2.1 on a four-point scale (1 and 2 are
good or better), 1.2 on yes/partly/no (only 1 is)."""

from __future__ import annotations

import copy
from typing import Any

from caseaudit.framework import Framework
from caseaudit.rounds import AuditRound

TINY: dict[str, Any] = {
    "id": "tiny", "version": "1.0", "title": "Tiny audit",
    "agencies": [{"id": "CSC", "name": "Children's social care"}, {"id": "Pol", "name": "Police"}],
    "scales": [
        {"id": "four", "title": "Four levels",
         "levels": [{"code": 1, "label": "Outstanding"}, {"code": 2, "label": "Good"},
                    {"code": 3, "label": "Requires improvement"}, {"code": 4, "label": "Inadequate"}],
         "good_or_better": [1, 2], "not_applicable": True},
        {"id": "ypn", "title": "Yes, partly, no",
         "levels": [{"code": 1, "label": "Yes"}, {"code": 2, "label": "Partly"},
                    {"code": 3, "label": "No"}],
         "good_or_better": [1], "not_applicable": True},
    ],
    "domains": [
        {"id": "V", "title": "Voice", "criteria": [
            {"id": "1.1", "title": "Heard", "question": "Was the child heard?",
             "good_looks_like": "Seen alone.", "scale": "four"},
            {"id": "1.2", "title": "Recorded", "question": "Were the child's words recorded?",
             "good_looks_like": "In their words.", "scale": "ypn"},
        ]},
        {"id": "P", "title": "Plans", "criteria": [
            {"id": "2.1", "title": "Planned", "question": "Was the plan clear?",
             "good_looks_like": "Outcomes named.", "scale": "four"},
        ]},
    ],
}


def tiny(version: str = "1.0", edit: Any = None) -> Framework:
    """The tiny framework at ``version``, after ``edit(data)`` changed its dict (a reworded
    question, a moved good-or-better line...)."""
    data = copy.deepcopy(TINY)
    data["version"] = version
    if edit is not None:
        edit(data)
    return Framework.model_validate(data)


def tiny_round(round_id: str, cases: list[dict[str, Any]], start: str = "2026-01-01") -> AuditRound:
    """A round of the tiny framework with the cases given (``id`` and any attributes; the rest
    are a four-year-old White girl without a disability on a child in need plan)."""
    usual = {"agencies": ["CSC", "Pol"], "age_band": "1-4", "gender": "female",
             "ethnicity_group": "White", "disability": "no", "plan_type": "child in need"}
    return AuditRound.model_validate({
        "id": round_id, "title": f"Round {round_id}", "kind": "maca",
        "framework": {"id": "tiny", "version": "1.0"},
        "period": {"start": start, "end": start}, "agencies": ["CSC", "Pol"],
        "auditors": [{"id": "A-1", "agency": "CSC"}, {"id": "A-2", "agency": "Pol"}],
        "cases": [usual | case for case in cases]})
