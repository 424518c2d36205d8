"""A practice week saved through the store, every stream, with figures known in advance: what the
summary's store test, the dashboard notebook's test and the dashboard's browser test read back.

This week (May 2026): 8 case audits (CR1 good in all, CR3 in none, the rest mixed), 12
observations (6 home visits, 3 strategy discussions, 2 conferences, 1 core group; OB2 good in 8,
OB3 in 9, the others in all; feedback given after 9), 14 family returns (12 consented, 2
declined; 4 children, 8 parents, 2 other family) and 7 practitioner returns. The week before of
the same theme (May 2025): 8 case audits with CR1 good in none and CR3 in all, so CR1 improved
and CR3 declined. The meeting moderated this week's case audits, tagging every case with the
child's voice, six with risk and seven with a local tag. Every record carries a note or text
with words no board page may show (:data:`SECRETS`).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from caseaudit.framework import Framework
from caseaudit.rounds import AuditRound, write_round
from caseaudit.store import FormSave, ModerationSave, Store, StreamDetails

from .practice_week_frames import example_week, week_like

#: Words in the records' texts and notes: none may reach a board page.
TEXT = "Quokka reflection on the visit"
NOTE = "Wombat evidence note"
SECRETS = ("Quokka", "Wombat", "PW2605-", "OBS-0", "FF-0", "PF-0", "PW-LEAD", "P-0", "P-10")
PREVIOUS_ID = "2025-05-practice-week"


def previous_week_round(audit: AuditRound | None = None) -> AuditRound:
    """The May 2025 practice week of the same theme as the example."""
    return week_like(audit or example_week(), PREVIOUS_ID, "2025-05-12", "2025-05-16",
                     title="Practice week: children at risk of sexual abuse in the family, May 2025")


def _lead(audit: AuditRound, agency: str) -> str:
    return next(a.id for a in audit.auditors if a.agency == agency)


def _notes(grades: dict[str, object], framework: Framework) -> dict[str, str]:
    """A note wherever the scale asks for one (and on CR1 always, to be sure notes stay home)."""
    out = {cid: NOTE for cid, g in grades.items()
           if isinstance(g, int) and g in framework.scale_of(cid).note_required_for}
    return out | ({"CR1": NOTE} if "CR1" in grades else {})


def case_audits(audit: AuditRound, framework: Framework, cr1: int, cr3: int) -> list[FormSave]:
    """One collaborative audit per case, by a lead of the case-holding agency."""
    saves = []
    for i, case in enumerate(audit.cases):
        grades: dict[str, object] = {"CR1": cr1, "CR2": 2 if i < 4 else 3, "CR3": cr3,
                                     "CR4": 2 if i % 2 else 3, "CP1": 2 if i < 5 else 3,
                                     "CP2": 1 if i < 6 else 2}
        saves.append(FormSave(case.id, case.agencies[0], _lead(audit, case.agencies[0]), grades,
                              _notes(grades, framework), status="submitted",
                              details=StreamDetails("case_audit", practitioner="P-01",
                                                    event_date=audit.period.start, text=TEXT)))
    return saves


def this_week_saves(audit: AuditRound, framework: Framework) -> list[FormSave]:
    """Every record of the May 2026 week (see the module docstring)."""
    day = audit.period.start + timedelta(days=1)
    saves = case_audits(audit, framework, cr1=2, cr3=3)
    kinds = (["home visit"] * 6 + ["strategy discussion"] * 3 + ["child protection conference"] * 2
             + ["core group"])
    for i, kind in enumerate(kinds):
        grades: dict[str, object] = {"OB1": 2, "OB2": 2 if i < 8 else 3, "OB3": 2 if i < 9 else 3,
                                     "OB4": 1}
        saves.append(FormSave(f"OBS-{i + 1:03d}", "Pol", "PW-LEAD-POL-1", grades, status="submitted",
                              details=StreamDetails("observation", practitioner="P-06",
                                                    event_kind=kind, event_date=day,
                                                    feedback_given=i < 9, text=TEXT)))
    who = ["child or young person"] * 4 + ["parent or carer"] * 8 + ["other family member"] * 2
    for i, respondent in enumerate(who):
        given = i not in (4, 13)
        grades = ({"FF1": 1 if i % 2 else 2, "FF2": 2 if i < 7 else (3 if i < 10 else 4), "FF3": 1}
                  if given else {})
        saves.append(FormSave(f"FF-{i + 1:03d}", "CSC", "PW-LEAD-CSC-2", grades, status="submitted",
                              details=StreamDetails("family_feedback", event_date=day,
                                                    consent="given" if given else "declined",
                                                    respondent=respondent,
                                                    text=TEXT if given else "")))
    for i in range(7):
        grades = {"PF1": 2, "PF2": 2 if i < 4 else 4, "PF3": 1}
        saves.append(FormSave(f"PF-{i + 1:03d}", "Hlth", "PW-LEAD-HLTH-1", grades,
                              status="submitted",
                              details=StreamDetails("practitioner_feedback", event_date=day,
                                                    consent="given", text=TEXT)))
    saves.append(FormSave("OBS-013", "Pol", "PW-LEAD-POL-1", {"OB1": 4}, {"OB1": NOTE},
                          details=StreamDetails("observation", practitioner="P-06",
                                                event_kind="supervision", event_date=day)))
    return saves


def moderate(store: Store, audit: AuditRound, framework: Framework) -> None:
    """The meeting's agreed grades and learning themes for every case audit of ``audit``."""
    criteria = [c.id for c in framework.stream_criteria("case_audit")]
    for i, case in enumerate(audit.cases):
        themes = ["voice", *(["risk"] if i < 6 else []), *(["a local tag"] if i < 7 else [])]
        store.save_moderation(audit, framework, ModerationSave(
            case.id, {c: 1 if c == "CP2" else 2 for c in criteria},
            {c: NOTE for c in criteria}, overall=2, strengths=TEXT, themes=themes,
            saved_by=_lead(audit, "CSC")))


def save_weeks(store: Store, framework: Framework, audits: Path | None = None
               ) -> tuple[AuditRound, AuditRound]:
    """Save both weeks' records; with ``audits``, write both rounds there as an audits folder.
    Returns (this week, the week before)."""
    this, before = example_week(), previous_week_round()
    store.save_forms(before, framework, case_audits(before, framework, cr1=3, cr3=2))
    store.save_forms(this, framework, this_week_saves(this, framework))
    moderate(store, this, framework)
    if audits is not None:
        for audit in (before, this):
            write_round(audit, audits)
    return this, before

