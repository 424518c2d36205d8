"""A practice week's records and answers written by hand, as the store's frames hold them
(:meth:`Store.stream_records`, :meth:`Store.current_responses`), for the summary's and its
disclosure's tests: small enough that every figure can be worked out on paper."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from caseaudit.rounds import AuditRound, load_round_file

EXAMPLE = Path(__file__).parents[1] / "audits" / "2026-05-practice-week" / "audit.yaml"
LEAD = "PW-LEAD-CSC-1"
NA = "n/a"


def example_week() -> AuditRound:
    """The committed example practice week (May 2026)."""
    return load_round_file(EXAMPLE)


def week_like(audit: AuditRound, round_id: str, start: str, end: str, **fields: Any) -> AuditRound:
    """``audit`` as another week: its id, period and any other ``fields`` (a theme) changed."""
    data = audit.model_dump()
    data.update(id=round_id, period={"start": start, "end": end}, **fields)
    return AuditRound.model_validate(data)


class Week:
    """Records and their answers, added one at a time, as the store's frames."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.answers: list[dict[str, Any]] = []

    def add(self, record_id: str, stream_id: str, answers: dict[str, int | str] | None = None,
            status: str = "submitted", agency: str = "CSC", auditor: str = LEAD,
            note: str = "", **details: Any) -> Week:
        """One record of ``stream_id`` with ``answers`` (criterion -> code, or :data:`NA`) and its
        ``details`` (event_kind, feedback_given, consent, respondent, practitioner...)."""
        self.records.append({
            "record_id": record_id, "stream_id": stream_id, "agency": agency, "auditor": auditor,
            "status": status, "revision_no": 1, "practitioner": details.get("practitioner"),
            "event_kind": details.get("event_kind"), "event_date": details.get("event_date"),
            "feedback_given": details.get("feedback_given"),
            "respondent": details.get("respondent"), "consent": details.get("consent"),
            "flagged": False})
        for criterion, value in (answers or {}).items():
            self.answers.append({
                "round_id": "any", "case_id": record_id, "agency": agency, "auditor": auditor,
                "criterion_id": criterion, "grade": None if value == NA else value,
                "not_applicable": value == NA, "note": note, "status": status, "revision_no": 1})
        return self

    def record_frame(self) -> pd.DataFrame:
        columns = ["record_id", "stream_id", "agency", "auditor", "status", "revision_no",
                   "practitioner", "event_kind", "event_date", "feedback_given", "respondent",
                   "consent", "flagged"]
        frame = pd.DataFrame(self.records, columns=columns)
        frame["event_date"] = pd.to_datetime(frame["event_date"])
        frame["feedback_given"] = frame["feedback_given"].astype("boolean")
        return frame

    def response_frame(self, status: str | None = "submitted") -> pd.DataFrame:
        columns = ["round_id", "case_id", "agency", "auditor", "criterion_id", "grade",
                   "not_applicable", "note", "status", "revision_no"]
        frame = pd.DataFrame(self.answers, columns=columns)
        frame["grade"] = frame["grade"].astype("Int64")
        frame["not_applicable"] = frame["not_applicable"].astype(bool)
        return frame if status is None else frame[frame["status"] == status]


def hand_week() -> Week:
    """The small week the tests work out by hand (see tests/test_practice_week_summary.py):
    three case audits, four observations (and a draft), three family feedback returns (one
    declined), no practitioner feedback."""
    week = Week()
    ca = [  # CR1 CR2 CR3 CR4 CP1 CP2
        ("PW2605-001", [1, 2, 3, 2, 1, 1]),
        ("PW2605-002", [2, 2, 4, 3, 1, 2]),
        ("PW2605-003", [3, NA, 4, 2, 3, 1]),
    ]
    for case_id, grades in ca:
        week.add(case_id, "case_audit", dict(zip(["CR1", "CR2", "CR3", "CR4", "CP1", "CP2"], grades,
                                                 strict=True)),
                 practitioner="P-01", note="Said by the practitioner: a named worry")
    obs = [  # OB1 OB2 OB3 OB4, event kind, feedback given
        ("OBS-001", [2, 2, 1, 1], "home visit", True),
        ("OBS-002", [3, 2, 2, 1], "home visit", True),
        ("OBS-003", [2, 3, 3, 2], "strategy discussion", False),
        ("OBS-004", [1, 1, 2, 1], "core group", True),
    ]
    for record_id, grades, kind, feedback in obs:
        week.add(record_id, "observation", dict(zip(["OB1", "OB2", "OB3", "OB4"], grades,
                                                    strict=True)),
                 practitioner="P-02", event_kind=kind, feedback_given=feedback,
                 event_date=date(2026, 5, 12), auditor="P-10")
    week.add("OBS-005", "observation", {"OB1": 4}, status="draft", event_kind="supervision",
             feedback_given=False, event_date=date(2026, 5, 13))
    week.add("FF-001", "family_feedback", {"FF1": 1, "FF2": 3, "FF3": 1}, consent="given",
             respondent="child or young person", event_date=date(2026, 5, 12))
    week.add("FF-002", "family_feedback", {"FF1": 2, "FF2": 4, "FF3": 2}, consent="given",
             respondent="parent or carer", event_date=date(2026, 5, 13))
    week.add("FF-003", "family_feedback", consent="declined", respondent="parent or carer",
             event_date=date(2026, 5, 13))
    return week
