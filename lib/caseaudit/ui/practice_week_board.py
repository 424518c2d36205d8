"""The practice week dashboard: what a board member sees of a week, stream by stream.

For each stream (collaborative case audits, observations of practice, feedback from children and
families, feedback from practitioners): how many records were submitted, how the evidence was
gathered (kinds of event observed, feedback given afterwards, consent, who answered), each
criterion's share good or better as a chart with its text alternative and its table, each
question's answers per level, the strengths and areas for development with the rule that names
them, and the change since the last practice week of the same theme; then the learning themes of
the week's case audits. Beside each area for development, the actions of the inspections' plans
that say they answer it, with their status (:func:`caseaudit.plan_links.actions_answering`: a
link, not a copy), or that none does yet.

It renders a :class:`~caseaudit.practice_week_summary.WeekSummary` through
:func:`caseaudit.disclosure.practice_week.week_for_board` only, so every figure on the page is
that form's text; the charts draw the same form's hidden rows as not drawn. Aggregates only: no
record id, auditor, participant or free text reaches the page (the summary holds none). The
notebook calls :func:`practice_week_dashboard` and nothing else.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from ..change import DECLINED, IMPROVED
from ..disclosure.plan import answered_by, links_for_board
from ..disclosure.practice_week import StreamForBoard, WeekForBoard, week_for_board
from ..findings import verdict_words
from ..plots import criteria_chart
from ..practice_week import PRACTICE_WEEK
from ..practice_week_summary import (
    CONSENT_MEASURE,
    EVENT_KIND,
    FEEDBACK_GIVEN,
    RESPONDENT,
    STRENGTH_RULE,
    StreamSummary,
    WeekSummary,
    practice_week_summary,
)
from ..rounds import AuditRound
from ..store import Store
from ..times import long_date
from .board import STYLE, RoundDashboard, serve
from .charts import CHART_STYLE, chart_html
from .findings import FINDINGS_STYLE

#: What the page says of a week with no submitted record.
NOTHING_SUBMITTED = ("Nothing has been submitted for this practice week yet. Its figures appear "
                     "here as the records of each stream are submitted: collaborative case "
                     "audits, observations of practice, and feedback from children, families "
                     "and practitioners.")
#: The week's own layout: each stream set apart, captions read as the table's title, and the
#: small count tables of a stream side by side rather than a long column of two-row tables.
WEEK_STYLE = """
<style>
.ca-stream {border-top:1px solid #d0d7de; padding-top:14px; margin-top:28px;}
.ca-week-tables {display:flex; flex-wrap:wrap; gap:8px 36px; align-items:flex-start;}
table.ca-table {margin:4px 0 18px 0;}
table.ca-table caption {text-align:left; font-weight:600; padding:6px 0 4px 0; white-space:nowrap;}
</style>
"""
#: What a record is called in each kind of stream (one, several).
_RECORDS = {"case audit": ("case audited", "cases audited"),
            "observation": ("event observed", "events observed"),
            "feedback": ("return", "returns")}
_MEASURES = {EVENT_KIND: "Kind of event observed", FEEDBACK_GIVEN: "Feedback conversation with "
             "the practitioner afterwards", CONSENT_MEASURE: "Consent to use what was said",
             RESPONDENT: "Who gave the feedback"}


def _escape(value: object) -> str:
    return html.escape(str(value))


def _table(key: str, caption: str, header: Sequence[str], rows: Sequence[Sequence[object]],
           row_headers: bool = True) -> str:
    """A table with a caption, column headers and (``row_headers``) each row's first cell as
    its header, every cell escaped."""
    head = "".join(f'<th scope="col">{_escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join((f'<th scope="row">{_escape(v)}</th>' if i == 0 and row_headers
                          else f"<td>{_escape(v)}</td>") for i, v in enumerate(row)) + "</tr>"
        for row in rows)
    return (f'<table class="ca-table" data-table="{_escape(key)}"><caption>{_escape(caption)}'
            f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _records_word(stream: StreamForBoard, count: str | None = None) -> str:
    one, many = _RECORDS.get(stream.kind, ("record", "records"))
    return one if (stream.records if count is None else count) == "1" else many


def _headline(stream: StreamForBoard) -> tuple[str, str]:
    """A stream's card: its records, or for feedback the returns with consent given, the base of
    every answer shown below, which stays shown where the returns in all are hidden (so few
    declined that the total would give them back): a board reads "33 returns with consent", not
    "c returns"."""
    if stream.kind == "feedback":
        return stream.answered, f"{_records_word(stream, stream.answered)} with consent"
    return stream.records, _records_word(stream)


def render_heading(week: WeekForBoard, summary: WeekSummary) -> str:
    """The week's title, theme and dates, what it is compared with, and a card per stream with
    its records."""
    cards = "".join(
        f'<div class="ca-card" data-figure="records-{_escape(s.stream_id)}"><div class="ca-value">'
        f'{_escape(value)}</div><div class="ca-label">{_escape(s.title)}: '
        f"{_escape(noun)}</div></div>" for s in week.streams for value, noun in [_headline(s)])
    compared = (f"Each stream is compared with the last practice week of the same theme, "
                f"{_escape(week.previous_label)}." if week.previous_label else
                "There is no earlier practice week of this theme to compare it with.")
    empty = (f'<div class="ca-loading" data-state="empty" role="status">{_escape(NOTHING_SUBMITTED)}'
             "</div>" if summary.records == 0 else "")
    return (STYLE + FINDINGS_STYLE + f"<h2>{_escape(week.title)}</h2>"
            f'<p data-figure="theme">{_escape(long_date(summary.start))} to '
            f"{_escape(long_date(summary.end))}. Theme: <b>{_escape(week.theme)}</b>. {compared}</p>"
            f'{empty}<div class="ca-cards">{cards}</div>')


def _counts_html(stream: StreamForBoard) -> str:
    """How the stream's evidence was gathered: a small table per measure."""
    out = []
    for measure, rows in stream.counts.groupby("measure", sort=False):
        out.append(_table(f"{stream.stream_id}-{str(measure).replace(' ', '-')}",
                          _MEASURES.get(str(measure), str(measure).capitalize()),
                          [str(measure).capitalize(), "Records"],
                          [(r.category, r.count) for r in rows.itertuples()]))
    return f'<div class="ca-week-tables">{"".join(out)}</div>' if out else ""


def _figures_table(stream: StreamForBoard) -> str:
    """Good or better for the stream, each domain and each criterion: share, interval and n."""
    board = stream.good_or_better
    rows = [("All criteria of the stream" if r.level == "overall" else
             f"{r.label} (domain)" if r.level == "domain" else r.label, r.n, r.share, r.interval)
            for r in board.itertuples()]
    return _table(f"{stream.stream_id}-good-or-better",
                  f"{stream.title}: answers good or better", ["Criterion", "Answers (n)",
                                                              "Good or better", "95% interval"],
                  rows)


def _levels_table(stream: StreamForBoard) -> str:
    """Each question's answers per level, a table per scale (its levels as columns)."""
    out = []
    for scale_id, rows in stream.levels.groupby("scale_id", sort=False):
        answers = list(dict.fromkeys(rows["answer"]))
        grid = rows.pivot(index="label", columns="answer", values="count").reindex(
            index=list(dict.fromkeys(rows["label"])), columns=answers)
        out.append(_table(f"{stream.stream_id}-answers-{scale_id}", "How each question was "
                          "answered (records per answer)", ["Criterion", *answers],
                          [(label, *values) for label, values in zip(grid.index, grid.to_numpy(),
                                                                      strict=True)]))
    return "".join(out)


@dataclass(frozen=True, eq=False)
class WeekView:
    """What the dashboard draws of a week: its summary, the actions answering its areas for
    development (:func:`links_for_board` rows; ``None`` when the plans were not read) and a
    sentence for each plan that could not be read."""

    summary: WeekSummary
    links: pd.DataFrame | None = None
    unread: tuple[str, ...] = ()


def _strengths_html(stream: StreamForBoard, links: pd.DataFrame | None = None) -> str:
    """Strengths and areas for development, each with its share, interval and n, and the rule;
    with ``links``, what answers each area for development on the inspections' action plans."""
    parts = []
    for kind, title in (("strength", "Strengths"), ("area for development", "Areas for development")):
        rows = stream.strengths[stream.strengths["kind"] == kind].sort_values("rank")
        answers = (kind != "strength" and links is not None)
        items = "".join(f"<li>{_escape(r.label)}: {_escape(r.share)}"
                        + (f" (95% interval {_escape(r.interval)}; n={_escape(r.n)})"
                           if r.state == "shown" else "")
                        + (f'; <span data-answered="{_escape(r.criterion_id)}">'
                           f"{_escape(answered_by(links, str(r.criterion_id)))}</span>"
                           if answers else "") + "</li>"
                        for r in rows.itertuples())
        parts.append(f"<p><b>{title}</b>: " + (f"</p><ul>{items}</ul>" if items else
                                               "none to name this week.</p>"))
    return (f'<section class="ca-findings" data-section="{_escape(stream.stream_id)}-strengths" '
            f'aria-label="{_escape(stream.title)}: strengths and areas for development">'
            + "".join(parts) + f'<p class="ca-note">{_escape(STRENGTH_RULE)}</p></section>')


def _change_html(stream: StreamForBoard, previous: str) -> str:
    """The change since the previous week of the same theme, per criterion and for the stream."""
    if not previous:
        return ""
    change = stream.change
    if change.empty:
        return f"<p>The stream was not part of {_escape(previous)}, so there is nothing to compare.</p>"
    if (change["state_before"] == "none").all():
        return (f'<p data-figure="{_escape(stream.stream_id)}-nothing-before">Nothing of this stream '
                f"was graded in {_escape(previous)}, so there is nothing to compare.</p>")
    rows = [("All criteria of the stream" if r.level == "overall" else
             f"{r.label} (domain)" if r.level == "domain" else r.label,
             f"{r.share_before} (n={r.n_before})", f"{r.share_after} (n={r.n_after})",
             r.difference, r.interval, r.verdict) for r in change.itertuples()]
    moved = [f"<li>{_escape(r.label)}: <b>{_escape(verdict_words(str(r.verdict)))}</b> "
             f"({_escape(r.difference)}; 95% interval {_escape(r.interval)})</li>"
             for r in change.itertuples()
             if r.state == "shown" and r.verdict in (IMPROVED, DECLINED) and r.level == "criterion"]
    said = (f"<p>Since {_escape(previous)}:</p><ul>{''.join(moved)}</ul>" if moved else
            f"<p>No criterion clearly improved or declined since {_escape(previous)}: each "
            "difference is within what chance alone could give with samples of this size.</p>")
    return (said + _table(f"{stream.stream_id}-change", f"{stream.title}: good or better, "
                          f"{previous} and this week", ["Criterion", previous, "This week",
                                                        "Difference", "95% interval", "Verdict"],
                          rows)
            + '<p class="ca-note">A verdict says improved or declined only where the 95% interval '
              "for the difference lies wholly above or below zero.</p>")


def render_stream(stream: StreamForBoard, summary: StreamSummary, previous: str,
                  threshold: int | None = None, links: pd.DataFrame | None = None
                  ) -> list[widgets.HTML]:
    """One stream's section: its records and counts, chart, tables, strengths and change."""
    heading = (STYLE + WEEK_STYLE + CHART_STYLE + FINDINGS_STYLE
               + f'<h3 class="ca-stream" data-section="{_escape(stream.stream_id)}">'
               f"{_escape(stream.title)}</h3>")
    if summary.records == 0:
        return [widgets.HTML(heading + f'<p data-figure="{_escape(stream.stream_id)}-none">No '
                             f"{_escape(stream.title.lower())} records were submitted this week."
                             "</p>")]
    said = (f'<p>Submitted this week: <b>{_escape(stream.records)}</b> '
            f"{_escape(_records_word(stream))}")
    if stream.kind == "feedback":
        said += (f", <b>{_escape(stream.answered)}</b> of them with consent given to use what was "
                 "said (only those are counted below)")
    said += ". Shares are of the answers graded, not-applicable answers left out.</p>"
    hidden = (stream.good_or_better["state"] == "hidden").to_numpy()
    chart = criteria_chart(summary.good_or_better, title=f"{stream.title}: good or better by "
                           "criterion", threshold=threshold, also=hidden)
    return [widgets.HTML(heading + said + _counts_html(stream)),
            widgets.HTML(CHART_STYLE + chart_html(chart, f"{stream.stream_id}-good-or-better")),
            widgets.HTML(STYLE + WEEK_STYLE + _figures_table(stream) + _levels_table(stream)),
            widgets.HTML(FINDINGS_STYLE + _strengths_html(stream, links) + _change_html(stream, previous))]


def render_themes(week: WeekForBoard) -> str:
    """The learning themes the meeting tagged on the week's case audits (cases per theme)."""
    table = week.themes
    if table.empty:
        return ""
    rows = [(theme, *values) for theme, values in zip(table.index, table.to_numpy(), strict=True)]
    return (STYLE + WEEK_STYLE + '<h3 class="ca-stream" data-section="themes">Learning themes of '
            "the case audits</h3>"
            + _table("themes", "Cases the meeting tagged with each theme", ["Theme", "Cases"],
                     rows))


def render_week(summary: WeekSummary, threshold: int | None = None,
                links: pd.DataFrame | None = None, unread: Sequence[str] = ()) -> list[widgets.HTML]:
    """Everything the dashboard shows of a week, in order (the dashboard adds the key to the
    symbols used); ``links`` and ``unread`` as :class:`WeekView` holds them."""
    week = week_for_board(summary, threshold)
    items = [widgets.HTML(render_heading(week, summary))]
    items += [widgets.HTML(f'<p class="ca-note" role="status">{_escape(text)}</p>') for text in unread]
    for board, stream in zip(week.streams, summary.streams, strict=True):
        items += render_stream(board, stream, week.previous_label, threshold, links)
    themes = render_themes(week)
    if themes:
        items.append(widgets.HTML(themes))
    return items


class PracticeWeekBoard(RoundDashboard):
    """A picker of the practice weeks above the summary of the chosen one (the latest by
    default)."""

    page = "practice_week.ipynb"
    picker_label = "Practice week"
    nothing_yet = ("There are no practice weeks to show yet. A practice week is a round of kind "
                   "practice_week in the audits folder.")

    def __init__(self, store: Store | None = None, rounds: Sequence[AuditRound] | None = None,
                 threshold: int | None = None) -> None:
        self.every_round: list[AuditRound] = list(rounds or [])
        super().__init__(store, None if rounds is None else self.choose(rounds)[0], threshold)

    def choose(self, rounds: Sequence[AuditRound]) -> tuple[list[AuditRound], list[str]]:
        """The practice weeks, and every round kept to find each week's previous one."""
        self.every_round = list(rounds)
        return [r for r in rounds if r.kind == PRACTICE_WEEK], []

    def option(self, audit: AuditRound) -> str:
        """A week by its title and its dates (its title names the month already)."""
        return f"{audit.title} ({long_date(audit.period.start)} to {long_date(audit.period.end)})"

    def compute(self, audit: AuditRound) -> WeekView:  # type: ignore[override]
        """The week's summary and the actions answering it, from every inspection's plan in the
        inspections folder (beside the rounds, as the settings place it)."""
        from ..plan_links import actions_answering

        summary = practice_week_summary(self.store, audit, rounds=self.every_round)  # type: ignore[arg-type]
        links, unread = actions_answering(self.store, audit)  # type: ignore[arg-type]
        return WeekView(summary, links_for_board(links), tuple(unread))

    def view(self, results: WeekView) -> list[widgets.HTML]:  # type: ignore[override]
        return render_week(results.summary, self.threshold, results.links, results.unread)


def practice_week_dashboard(store: Store | None = None) -> PracticeWeekBoard:
    """Build and draw the practice week dashboard (the notebook's only call)."""
    return serve(PracticeWeekBoard(store))  # type: ignore[return-value]

