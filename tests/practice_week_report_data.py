"""A practice week saved in a store through its own checks, for the tests of the week's report:
the committed example week (and, for the comparison, an earlier week of the same theme) in a
folder of rounds, with records in every stream, each text field holding :data:`MARKER` so a
test can look for it in every output."""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from caseaudit.framework import NOT_APPLICABLE, Framework, load_framework
from caseaudit.rounds import AuditRound, load_round
from caseaudit.store import FormSave, ModerationSave, Store, StreamDetails

PROJECT = Path(__file__).resolve().parents[1]
WEEK = "2026-05-practice-week"
EARLIER = "2025-05-practice-week"
#: Free text saved in every text field of every record: never in any output.
MARKER = "FREETEXT-MARKER-7Q"
#: When the week's records were saved (the earlier week's a year before).
SAVED = datetime(2026, 5, 15, 12, 0)
SIZES = {"case_audit": 20, "observation": 25, "family_feedback": 22, "practitioner_feedback": 16}
#: Cases in each week's case list (the committed week's eight, written again under new ids).
CASES = 20


def framework() -> Framework:
    return load_framework("practice-week", "1.0")


def write_weeks(audits: Path, earlier: bool = True) -> Path:
    """The committed example week in ``audits`` with :data:`CASES` cases, and a copy of it a
    year earlier, same theme."""
    shutil.copytree(PROJECT / "audits" / WEEK, audits / WEEK)
    header, *rows = (audits / WEEK / "cases.csv").read_text(encoding="utf-8").splitlines()
    more = [f"PW2605-{i + 1:03d}," + rows[i % len(rows)].split(",", 1)[1] for i in range(CASES)]
    (audits / WEEK / "cases.csv").write_text("\n".join([header, *more]) + "\n", encoding="utf-8")
    if earlier:
        folder = audits / EARLIER
        folder.mkdir(parents=True)
        text = (PROJECT / "audits" / WEEK / "audit.yaml").read_text(encoding="utf-8")
        text = (text.replace(f"id: {WEEK}", f"id: {EARLIER}").replace("May 2026", "May 2025")
                .replace("'2026-05-11'", "'2025-05-12'").replace("'2026-05-15'", "'2025-05-16'"))
        (folder / "audit.yaml").write_text(text, encoding="utf-8")
        cases = (audits / WEEK / "cases.csv").read_text(encoding="utf-8")
        (folder / "cases.csv").write_text(cases.replace("PW2605-", "PW2505-"), encoding="utf-8")
    return audits


def _grades(pw: Framework, stream: str, records: int, shift: float,
            rng: random.Random) -> list[dict[str, object]]:
    """Each record's grades in ``stream``: per criterion, a share of the records (65%, 35% or
    50% in turn, plus ``shift``) at the scale's lowest good level and the rest at the highest
    other, shuffled; so some criteria are strengths and some areas, and with 16 records or more
    every count is above the suppression threshold and the report has figures to show."""
    rows: list[dict[str, object]] = [{} for _ in range(records)]
    for i, criterion in enumerate(pw.stream_criteria(stream)):
        scale = pw.scale_of(criterion.id)
        best = [lv.code for lv in scale.levels if lv.code in scale.good_or_better][-1]
        rest = next(lv.code for lv in scale.levels if lv.code not in scale.good_or_better)
        good = round(records * ((0.65, 0.35, 0.5)[i % 3] + shift))
        flags = [True] * good + [False] * (records - good)
        rng.shuffle(flags)
        for row, flag in zip(rows, flags, strict=True):
            row[criterion.id] = best if flag else rest
    return rows


def fill_week(store: Store, audit: AuditRound, pw: Framework, sizes: dict[str, int] | None = None,
              shift: float = 0.0, seed: int = 3, saved_at: datetime = SAVED,
              moderate: bool = True) -> None:
    """Save ``sizes`` submitted records per stream (all four by default; 0 leaves a stream
    empty), each with :data:`MARKER` in its text and notes; a draft too, and two family
    feedback returns with consent declined; and the meeting's moderation of the case audits
    with a learning theme."""
    sizes = SIZES if sizes is None else sizes
    rng = random.Random(seed)
    start = audit.period.start
    auditors = {a.agency: a.id for a in reversed(audit.auditors)}
    people = [p for p in audit.participants]
    saves: list[FormSave] = []

    def note(grades: dict[str, object]) -> dict[str, str]:
        return {c: f"{MARKER} note on {c}" for c in grades}

    cases = audit.cases[:sizes.get("case_audit", 0)]
    for i, (case, grades) in enumerate(zip(cases, _grades(pw, "case_audit", len(cases), shift, rng),
                                           strict=True)):
        agency = case.agencies[0]
        saves.append(FormSave(case.id, agency, auditors[agency], grades, note(grades),
                              status="submitted", saved_at=saved_at, details=StreamDetails(
                                  "case_audit", practitioner=people[i % 5].id,
                                  event_date=start, text=f"{MARKER} reflection")))
    kinds = pw.streams_by_id["observation"].event_kinds
    observed = _grades(pw, "observation", sizes.get("observation", 0), shift, rng)
    for i, grades in enumerate(observed):
        person = people[i % len(people)]
        saves.append(FormSave(f"OBS-{i + 1:03d}", person.agency, auditors[person.agency], grades,
                              note(grades), status="submitted", saved_at=saved_at,
                              details=StreamDetails(
                                  "observation", practitioner=person.id,
                                  event_kind=kinds[0] if i < 13 else kinds[1 + (i >= 19)],
                                  event_date=start + timedelta(days=i % 4),
                                  feedback_given=bool(i % 4), text=f"{MARKER} observer's note")))
    for stream, prefix in (("family_feedback", "FF"), ("practitioner_feedback", "PF")):
        said = iter(_grades(pw, stream, sizes.get(stream, 0), shift, rng))
        for i in range(sizes.get(stream, 0)):
            declined = stream == "family_feedback" and i < 2
            grades = next(said)
            grades = {} if declined else grades
            saves.append(FormSave(
                f"{prefix}-{i + 1:03d}", "CSC", auditors["CSC"], grades,
                {} if declined else note(grades), status="submitted", saved_at=saved_at,
                details=StreamDetails(
                    stream, event_date=start + timedelta(days=1),
                    practitioner=(people[i % len(people)].id if stream == "practitioner_feedback" and i % 2
                                  else None),
                    respondent=("parent or carer" if i % 3 else "child or young person")
                    if stream == "family_feedback" else None,
                    consent="declined" if declined else "given",
                    text="" if declined else f"{MARKER} in their own words")))
    if sizes.get("observation", 0):  # a draft: never counted
        saves.append(FormSave("OBS-900", "CSC", auditors["CSC"], {"OB1": 4},
                              {"OB1": f"{MARKER} draft"}, status="draft", saved_at=saved_at,
                              details=StreamDetails("observation", text=f"{MARKER} draft note")))
    store.save_forms(audit, pw, saves)
    if moderate and sizes.get("case_audit", 0):
        criteria = [c.id for c in pw.stream_criteria("case_audit")]
        heads = store.current_responses(audit.id, status="submitted")
        moderations = []
        for case in audit.cases[:sizes["case_audit"]]:
            mine = heads[heads["case_id"] == case.id].set_index("criterion_id")
            agreed = {c: (NOT_APPLICABLE if bool(mine.at[c, "not_applicable"])
                          else int(mine.at[c, "grade"])) for c in criteria}
            moderations.append(ModerationSave(
                case.id, agreed, {c: f"{MARKER} rationale" for c in criteria}, overall=2,
                strengths=f"{MARKER} strengths", development=f"{MARKER} development",
                themes=["voice", f"{MARKER} local tag"], saved_by=auditors["CSC"],
                saved_at=saved_at + timedelta(hours=1)))
        store.save_moderations(audit, pw, moderations)


def filled_weeks(store: Store, audits: Path, sizes: dict[str, int] | None = None) -> AuditRound:
    """Both weeks in ``audits`` and ``store`` (the earlier one a little worse); the May 2026
    week."""
    write_weeks(audits)
    pw = framework()
    fill_week(store, load_round(EARLIER, audits), pw, shift=-0.05, seed=5,
              saved_at=SAVED - timedelta(days=365))
    week = load_round(WEEK, audits)
    fill_week(store, week, pw, sizes)
    return week


