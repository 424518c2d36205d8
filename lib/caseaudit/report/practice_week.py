"""What a practice week's report says: its :class:`~caseaudit.practice_week_summary.WeekSummary`,
through disclosure control, laid out by stream, as a :class:`~.model.Report`.

A practice week gathers evidence in streams (collaborative case audits, observations of
practice, feedback from children and families and from practitioners), so the report has a part
for each, after a summary of what was done, then the strengths and areas for development, the
learning themes, the comparison with the last week of the same theme and what comes next: the
actions on an inspection's plan that answer the week's areas for development (a link the plan
makes, :mod:`caseaudit.plan_links`). The limits and methods are the committee report's.

Like :mod:`.content` for a case audit, this is the one place that decides the report's words;
every figure is text from the week's board-facing forms (:func:`week_forms`, the one seam with
:mod:`caseaudit.disclosure.practice_week`), never a summary frame directly. Nothing here quotes
what anyone wrote (a reflection, an observer's note, a family's words, a rationale, a local
tag), and no record, auditor or participant is named: the report goes to the board.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from .. import disclosure
from ..disclosure.practice_week import StreamForBoard, week_for_board
from ..practice_week_summary import STRENGTH_RULE, StreamSummary, WeekSummary
from ..rounds import AuditRound
from ..times import listing, long_date
from . import content
from .model import Block, Bullets, Paragraph, Report, Section, Table
from .practice import symbols_note


@dataclass(frozen=True)
class StreamForms:
    """One stream as the report reads it: its board form (every figure as text, hidden where
    disclosure control hides it) beside what is not a figure: its summary's title, kind,
    framework, and whether it holds any record at all (a true zero is never hidden)."""

    summary: StreamSummary
    board: StreamForBoard

    @property
    def records(self) -> str:
        return self.board.records

    @property
    def answered(self) -> str:
        """The records that could answer: a feedback stream's returns with consent given (as
        the page shows that count), every record otherwise."""
        return self.board.answered


@dataclass(frozen=True)
class WeekForms:
    """The week's board-facing forms: each stream's, and the learning themes."""

    streams: tuple[StreamForms, ...]
    themes: pd.DataFrame


def week_forms(summary: WeekSummary, threshold: int | None = None) -> WeekForms:
    """The one seam between the report and disclosure control: the week's board form
    (:func:`caseaudit.disclosure.practice_week.week_for_board`), the very figures the week's
    dashboard shows, so the board and the committee read the same."""
    week = week_for_board(summary, threshold)
    return WeekForms(streams=tuple(StreamForms(s, week.stream(s.stream_id))
                                   for s in summary.streams), themes=week.themes)


# -- small words ----------------------------------------------------------------------------------
_NOUNS = {"case audit": "Cases audited with their practitioners",
          "observation": "Events of practice observed", "feedback": "Returns"}


def _noun(stream: StreamSummary, count: str) -> str:
    """How many records a stream has, in its own words ("Returns: 22.")."""
    return f"{_NOUNS.get(stream.kind, 'Records')}: {count}."


def _as_of_text(as_of: datetime | None) -> str:
    return "as it stood when the report was made" if as_of is None else \
        f"as it stood at {as_of:%H:%M} UTC on {long_date(as_of.date())}"


def _figure(row: pd.Series) -> str:
    """A share with its interval and n, or the symbol standing for it."""
    if row["state"] != "shown":
        return f"not shown ({row['share']})"
    return f"{row['share']} (95% interval {row['interval']}; n={row['n']})"


# -- the report -----------------------------------------------------------------------------------
def build_practice_week_report(summary: WeekSummary, audit: AuditRound, links: pd.DataFrame,
                               unread: Sequence[str] = (), *, partnership: str, today: date,
                               threshold: int | None = None) -> Report:
    """The report of practice week ``audit`` from its ``summary``, with the plans' ``links`` to
    it (:func:`caseaudit.plan_links.actions_answering`) and a sentence for each plan that could
    not be read (``unread``). ``today`` is the report's date."""
    forms = week_forms(summary, threshold)
    board_links = disclosure.links_for_board(links)
    sections: tuple[Section, ...] = (
        Section("Summary of the week", tuple(_summary(summary, audit, forms, threshold))),
        *(Section(s.summary.title, tuple(_stream(s, threshold))) for s in forms.streams),
        Section("Strengths and areas for development",
                tuple(_strengths(forms, board_links))),
        Section("Learning themes", tuple(_themes(forms, threshold))),
        Section("Compared with the last practice week of the same theme",
                tuple(_compared(summary, forms, threshold))),
        Section("What comes next", tuple(_next(forms, board_links, unread))),
    )
    cells = [cell for s in sections for b in s.blocks if isinstance(b, Table)
             for row in b.rows for cell in row]
    sections = (
        *sections,
        Section("What the figures can and cannot say",
                tuple(_limits(threshold, disclosure.symbol_key(cells, threshold)))),
        Section("Methods", tuple(_methods(summary, audit, threshold))),
    )
    return Report(title=f"{summary.title}: report to the board and scrutiny committee",
                  partnership=partnership, date=long_date(today),
                  subtitle=f"Figures from the audit store {_as_of_text(summary.as_of)}.",
                  sections=sections,
                  provenance={"round": summary.round_id,
                              "compared with": summary.previous_id or "none",
                              "as-of": summary.as_of.isoformat() if summary.as_of else "when made",
                              "workbook": content.workbook_version()})


# -- summary --------------------------------------------------------------------------------------
def _summary(summary: WeekSummary, audit: AuditRound, forms: WeekForms,
             threshold: int | None) -> list[Block]:
    titles = listing([s.summary.title.lower() for s in forms.streams])
    rows = []
    for s in forms.streams:
        overall = s.board.good_or_better[s.board.good_or_better["level"] == "overall"]
        share = overall.iloc[0] if len(overall) else None
        rows.append((s.summary.title, s.records, s.answered,
                     str(share["share"]) if share is not None else ":",
                     str(share["interval"]) if share is not None else ":"))
    return [
        Paragraph(f"The practice week on {summary.theme[:1].lower()}{summary.theme[1:]} ran from "
                  f"{long_date(audit.period.start)} to {long_date(audit.period.end)}, with "
                  f"{len(audit.participants)} practitioners and observers taking part and "
                  f"{len(forms.streams)} streams of evidence: {titles}."),
        Paragraph("What was done in each stream: the records submitted (drafts are not counted), "
                  "those that could answer the stream's questions (a feedback return only where "
                  "the person consented), and the share of all the stream's judgements that were "
                  "good or better, with its 95% interval."),
        Table(caption="What was done, by stream",
              header=("Stream", "Records", "Answering", "Good or better", "95% interval"),
              rows=tuple(rows), note=symbols_note([c for r in rows for c in r], threshold)),
    ]


# -- the streams ----------------------------------------------------------------------------------
def _stream(forms: StreamForms, threshold: int | None) -> list[Block]:
    stream = forms.summary
    if stream.records == 0:
        return [Paragraph(f"No {stream.title.lower()} record had been submitted, so this stream "
                          "has no figures.")]
    blocks: list[Block] = [Paragraph(_noun(stream, forms.records))]
    if stream.kind == "feedback":
        blocks.append(Paragraph("Whether each person consented to their answers being kept (a "
                                "return without consent keeps no answer), and who answered:"))
        blocks += _counts(forms, "consent", "Consent", "Returns", threshold)
        blocks += _counts(forms, "respondent", "Who answered", "Returns", threshold)
    if stream.kind == "observation":
        blocks.append(Paragraph("The kinds of event observed, and whether the observer talked "
                                "it through with the practitioner afterwards:"))
        blocks += _counts(forms, "event kind", "Kind of event", "Observations", threshold)
        blocks += _counts(forms, "feedback given", "Feedback conversation with the practitioner "
                          "afterwards", "Observations", threshold)
    blocks += _grades(forms, threshold)
    blocks.append(Paragraph("How the answers spread over each scale's levels (answers of not "
                            "applicable, and questions left unanswered, are not counted here):"))
    blocks += _levels(forms, threshold)
    return blocks


def _counts(forms: StreamForms, measure: str, what: str, unit: str,
            threshold: int | None) -> list[Block]:
    rows = forms.board.counts[forms.board.counts["measure"] == measure]
    if rows.empty:
        return []
    cells = tuple((str(r["category"]).capitalize(), str(r["count"])) for _, r in rows.iterrows())
    return [Table(caption=f"{forms.summary.title}: {what.lower()}", header=(what, unit),
                  rows=cells, note=symbols_note([c for r in cells for c in r], threshold))]


def _grades(forms: StreamForms, threshold: int | None) -> list[Block]:
    rows = forms.board.good_or_better[forms.board.good_or_better["level"] == "criterion"]
    if rows.empty:
        return [Paragraph("No question of this stream was answered.")]
    cells = tuple((str(r["label"]), str(r["n"]), str(r["good"]), str(r["share"]),
                   str(r["interval"])) for _, r in rows.iterrows())
    good = ("agreed, or said yes" if forms.summary.kind == "feedback" else "good or better")
    return [Paragraph(f"The share of answers {good} on each criterion, with its 95% interval:"),
            Table(caption=f"{forms.summary.title}: answers good or better, by criterion",
                  header=("Criterion", "Answers (n)", f"{good.capitalize()}", "Share",
                          "95% interval"),
                  rows=cells, note=symbols_note([c for r in cells for c in r], threshold))]


def _levels(forms: StreamForms, threshold: int | None) -> list[Block]:
    """How many answers each level of each scale has: one table per scale the stream uses."""
    levels = forms.board.levels
    blocks: list[Block] = []
    for scale_id, part in levels.groupby("scale_id", sort=False):
        answers = list(dict.fromkeys(part["answer"].astype(str)))
        by = part.set_index(["label", "answer"])["count"]
        labels = list(dict.fromkeys(part["label"].astype(str)))
        cells = tuple((label, *(str(by.get((label, a), "")) for a in answers)) for label in labels)
        scale = forms.summary.framework.scales_by_id[str(scale_id)]
        blocks.append(Table(caption=f"{forms.summary.title}: answers by level ({scale.title})",
                            header=("Criterion", *answers), rows=cells,
                            note=symbols_note([c for r in cells for c in r[1:]], threshold)))
    return blocks


# -- strengths and areas --------------------------------------------------------------------------
def _ranked(forms: StreamForms, kind: str) -> pd.DataFrame:
    strengths = forms.board.strengths
    return strengths[strengths["kind"] == kind].sort_values("rank")


def _strengths(forms: WeekForms, links: pd.DataFrame) -> list[Block]:
    blocks: list[Block] = [Paragraph(STRENGTH_RULE)]
    for s in forms.streams:
        if s.summary.records == 0:
            continue
        said = []
        for kind, title in (("strength", "Strength"), ("area for development",
                                                       "Area for development")):
            for _, r in _ranked(s, kind).iterrows():
                text = f"{title}: {r['label']}, {_figure(r)}"
                if kind != "strength":
                    text += f"; {disclosure.answered_by(links, str(r['criterion_id']))}"
                said.append(text + ".")
        blocks.append(Paragraph(f"{s.summary.title}:"))
        blocks.append(Bullets(tuple(said)) if said else
                      Paragraph("None to name: no criterion stands out with enough answers to "
                                "be fairly sure of it."))
    return blocks


# -- themes ---------------------------------------------------------------------------------------
def _themes(forms: WeekForms, threshold: int | None) -> list[Block]:
    table = forms.themes
    if table.empty:
        return [Paragraph("The meeting has not tagged learning themes on any fully moderated case "
                          "audit of the week.")]
    rows = tuple((str(theme), *(str(v) for v in row)) for theme, row in table.iterrows())
    return [Paragraph("How many fully moderated case audits the meeting tagged with each learning "
                      "theme. Local tags are counted together, not named."),
            Table(caption="Learning themes: case audits tagged by the meeting",
                  header=("Theme", "Case audits"), rows=rows,
                  note=symbols_note([c for r in rows for c in r[1:]], threshold))]


# -- compared -------------------------------------------------------------------------------------
def _compared(summary: WeekSummary, forms: WeekForms, threshold: int | None) -> list[Block]:
    if summary.previous_id is None:
        return [Paragraph(f"There is no earlier practice week on {summary.theme[:1].lower()}"
                          f"{summary.theme[1:]} in the store, so there is nothing to compare "
                          "this week with yet.")]
    blocks: list[Block] = [Paragraph(
        f"Each criterion's share good or better in {summary.previous_label} (practice week "
        f"{summary.previous_id}) and in this week ({summary.label}), the difference in percentage "
        "points with its 95% interval, and the verdict: improved or declined only when the "
        "interval lies wholly above or below zero, otherwise no clear change.")]
    for s in forms.streams:
        change = s.board.change
        rows = change[change["level"] == "criterion"] if len(change) else change
        if rows.empty:
            blocks.append(Paragraph(f"{s.summary.title}: nothing to compare (the stream has no "
                                    "answers in one of the weeks)."))
            continue
        cells = tuple((str(r["label"]), f"{r['share_before']} (n={r['n_before']})",
                       f"{r['share_after']} (n={r['n_after']})", str(r["difference"]),
                       str(r["interval"]), str(r["verdict"]))
                      for _, r in rows.iterrows())
        blocks.append(Table(
            caption=f"{s.summary.title}: this week against {summary.previous_label}",
            header=("Criterion", summary.previous_label, summary.label, "Change",
                    "95% interval of the change", "Verdict"),
            rows=cells, note=symbols_note([c for r in cells for c in r[1:]], threshold)))
    return blocks


# -- what comes next ------------------------------------------------------------------------------
def _next(forms: WeekForms, links: pd.DataFrame, unread: Sequence[str]) -> list[Block]:
    areas = [(s.summary.title, str(r["criterion_id"]), str(r["label"]))
             for s in forms.streams for _, r in _ranked(s, "area for development").iterrows()]
    named = {c for _, c, _ in areas}
    blocks: list[Block] = [Paragraph(
        "The actions on an inspection's action plan that answer this week's findings: an action "
        "names the week and the criterion it answers (from_practice_weeks in the plan), and its "
        "status is the latest progress update recorded against it.")]
    if links.empty:
        blocks.append(Paragraph("No action on any inspection's plan names this practice week yet."))
    else:
        rows = tuple((f"{r['action_id']} {r['description']}", r["inspection_id"], r["criterion"],
                      "yes" if r["criterion"].split()[0] in named else "no", r["lead"], r["due"],
                      r["status"]) for _, r in links.iterrows())
        blocks.append(Table(caption="Actions answering this week's findings",
                            header=("Action", "Inspection", "Criterion", "An area for "
                                    "development this week", "Lead", "Due", "Status"), rows=rows))
    answered = {str(c).split()[0] for c in links["criterion"]}
    waiting = [f"{label} ({stream})" for stream, c, label in areas if c not in answered]
    if waiting:
        blocks.append(Paragraph("Areas for development no action answers yet, for the partnership "
                                "to consider:"))
        blocks.append(Bullets(tuple(waiting)))
    blocks += [Paragraph(sentence) for sentence in unread]
    return blocks


# -- limits and methods ---------------------------------------------------------------------------
def _limits(threshold: int | None, symbols: Sequence[tuple[str, str]]) -> list[Block]:
    blocks: list[Block] = [Bullets((
        "A practice week sees a small number of cases, events and people, chosen for the week "
        "rather than at random: each share is shown with its 95% interval, the range the share "
        "across similar practice plausibly lies in, and the figures describe what was seen, not "
        "all the partnership's practice.",
        "Feedback comes from those who agreed to give it; a return whose giver did not consent is "
        "counted, and nothing they said is kept.",
        "Each stream asks its own questions, so the streams' shares are not added together or "
        "ranked against each other.",
        content.CHANGE_RULE,
        content.suppression_text(threshold),
    ))]
    return blocks + content.symbols_table(symbols)


def _methods(summary: WeekSummary, audit: AuditRound, threshold: int | None) -> list[Block]:
    framework = audit.framework
    compared = (f" It is compared with practice week {summary.previous_id}, read as of the same "
                "time." if summary.previous_id else "")
    return [
        Paragraph(f"Practice week {audit.id} ({long_date(audit.period.start)} to "
                  f"{long_date(audit.period.end)}) recorded against framework {framework.id} "
                  f"version {framework.version}, each stream on its own criteria. The store was "
                  f"read {_as_of_text(summary.as_of)}; rerunning the report with the same --as-of "
                  f"gives the same figures.{compared}"),
        Paragraph("Each record answers each of its stream's criteria once: a case audited with "
                  "its practitioner, an event observed, or one person's feedback. Feedback "
                  "questions count as good or better when the answer is agree or strongly agree, "
                  "or yes."),
        content.wilson_paragraph(),
        content.change_paragraph(),
        content.disclosure_paragraph(threshold, named="No record, auditor, practitioner or "
                                     "family is named, and nothing anyone wrote or said is "
                                     "quoted."),
        Paragraph(f"Made with caseaudit {content.workbook_version()}."),
    ]
