"""Progress of a round for its audit lead: which forms are missing, in draft or submitted.

A form is expected for every case and agency involved with it. Progress is for the people
running the round, so it names cases; it is never shown on a board dashboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .rounds import AuditRound

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .store import Store

STATES = ("missing", "draft", "submitted")


def form_states(saved: pd.DataFrame, scorers_per_form: int = 1) -> pd.DataFrame:
    """Each saved form's state per case and agency, from :meth:`Store.form_statuses` rows: submitted
    once as many of its auditors as the round asks for (``scorers_per_form``) have submitted it,
    else draft. Columns ``case_id``, ``agency``, ``state``, ``auditors``."""
    columns = ["case_id", "agency", "state", "auditors"]
    if saved.empty:
        return pd.DataFrame(columns=columns)
    best = (saved.assign(submitted=saved["status"] == "submitted")
            .groupby(["case_id", "agency"])
            .agg(submitted=("submitted", "sum"),
                 auditors=("auditor", lambda a: ", ".join(sorted(a))))
            .reset_index())
    best["state"] = ["submitted" if n >= scorers_per_form else "draft" for n in best["submitted"]]
    return best[columns]


def progress_of(audit: AuditRound, statuses: pd.DataFrame) -> pd.DataFrame:
    """One row per expected form (case × agency) with its state and who saved it, from the
    round's :meth:`Store.form_statuses`: missing where nobody has saved it, else as
    :func:`form_states` says."""
    expected = pd.DataFrame(audit.expected_forms(), columns=["case_id", "agency"])
    states = form_states(statuses, audit.scorers_per_form)
    out = expected.merge(states, on=["case_id", "agency"], how="left")
    out["state"] = out["state"].fillna("missing")
    out["auditors"] = out["auditors"].fillna("")
    return out


def progress_summary(audit: AuditRound, statuses: pd.DataFrame) -> pd.DataFrame:
    """Forms expected, missing, in draft and submitted per agency, with a total row, from the
    round's :meth:`Store.form_statuses`: one row per saved form is needed here, since a form is
    missing against the round's expected forms (a file, not a table) and a double-scored form is
    submitted only once enough of its auditors have submitted it."""
    forms = progress_of(audit, statuses)
    table = pd.crosstab(forms["agency"], forms["state"])
    table = table.reindex(index=[a for a in audit.agencies if a in table.index])
    table = _states(table)
    table.insert(0, "expected", table.sum(axis=1))
    return _total(table)


def auditor_summary(counts: pd.DataFrame) -> pd.DataFrame:
    """Forms in draft and submitted per auditor (the forms each has saved: none is missing from
    one auditor), with a total row, from :meth:`Store.form_counts` (counted by the database)."""
    table = (counts.pivot(index="auditor", columns="status", values="count") if not counts.empty
             else pd.DataFrame(index=pd.Index([], name="auditor")))
    return _total(_states(table.reindex(index=sorted(table.index))))


def _states(table: pd.DataFrame) -> pd.DataFrame:
    return table.reindex(columns=list(STATES), fill_value=0).fillna(0).astype(int)


def _total(table: pd.DataFrame) -> pd.DataFrame:
    table.loc["Total"] = table.sum()
    table.columns.name = None
    return table


def form_progress(store: Store, audit: AuditRound) -> pd.DataFrame:
    """:func:`progress_of` the round as the store holds it now."""
    return progress_of(audit, store.form_statuses(audit.id))


def summarise_progress(store: Store, audit: AuditRound, by: str = "agency") -> pd.DataFrame:
    """The round's forms as the store holds them now, per agency (:func:`progress_summary`) or
    per auditor (:func:`auditor_summary`)."""
    if by == "agency":
        return progress_summary(audit, store.form_statuses(audit.id))
    if by == "auditor":
        return auditor_summary(store.form_counts(audit.id, "auditor"))
    raise ValueError(f"by must be 'agency' or 'auditor', not {by!r}")


def stream_progress(store: Store, audit: AuditRound) -> pd.DataFrame:
    """A practice week's records per stream, in the round's order: ``stream`` (its title),
    ``draft``, ``submitted`` and, of those submitted, ``declined`` (feedback whose giver declined
    consent: a return counted, with no answers). Only the case audits have a number expected
    (:func:`summarise_progress`); observations and feedback are as many as the week gathers, so
    their lead is shown how many there are rather than how many are missing."""
    framework = audit.load_framework()
    counts = store.stream_counts(audit.id).set_index(["stream_id", "status"])

    def count(stream_id: str, status: str, column: str = "count") -> int:
        return int(counts[column].get((stream_id, status), 0))

    rows = [{"stream": framework.streams_by_id[stream_id].title,
             "draft": count(stream_id, "draft"), "submitted": count(stream_id, "submitted"),
             "declined": count(stream_id, "submitted", "declined")} for stream_id in audit.streams]
    frame = pd.DataFrame(rows, columns=["stream", "draft", "submitted", "declined"])
    return frame.set_index("stream")


def plot_progress(summary: pd.DataFrame, title: str = "") -> Figure:
    """Stacked bars of submitted, draft and missing forms per agency."""
    import seaborn as sns  # only the chart needs it: `caseaudit progress` starts without it
    from matplotlib.figure import Figure
    data = summary.drop(index="Total", errors="ignore")[["submitted", "draft", "missing"]]
    fig = Figure(figsize=(8, 0.45 * len(data) + 1.5), layout="constrained")
    ax = fig.subplots()
    left = pd.Series(0, index=data.index)
    colours = dict(zip(["submitted", "draft", "missing"], sns.color_palette("Set2", 3),
                       strict=True))
    for state in ["submitted", "draft", "missing"]:
        ax.barh(data.index.astype(str), data[state], left=left, color=colours[state], label=state)
        left = left + data[state]
    ax.invert_yaxis()
    ax.set_xlabel("forms")
    ax.legend(loc="lower right", frameon=False)
    if title:
        ax.set_title(title, loc="left")
    sns.despine(fig=fig)
    return fig
