"""Charts for dashboards and reports (seaborn on matplotlib).

Figures are built as plain ``Figure`` objects, outside pyplot, so no backend can display them
twice or keep them alive; :func:`figure_png` turns them into the PNG a page shows.
Every chart draws from the board-facing form of its table (:mod:`caseaudit.disclosure`), so no
caller can forget the suppression rules: a share whose counts would be revealed is not drawn and is
labelled ``c`` instead, and every bar says its ``n``. ``threshold=0`` draws every row, for the QA
lead's notebook.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import disclosure
from .disclosure import SUPPRESSED

_GOOD = "#1b7f5f"


def _finish(fig: Figure, ax: Axes, title: str, despine: dict[str, bool] | None) -> Figure:
    """The chart's title, top left, and its frame trimmed (``despine``: seaborn's options;
    ``None`` keeps the frame, as a heatmap needs)."""
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    if despine is not None:
        sns.despine(fig=fig, **despine)
    return fig


def _criterion_labels(table: pd.DataFrame) -> list[str]:
    return [f"{cid} {title}" for cid, title in zip(table["criterion_id"], table["criterion"],
                                                     strict=True)]


def plot_good_or_better(by_criterion: pd.DataFrame, title: str = "",
                        threshold: int | None = None) -> Figure:
    """Horizontal bars of the good-or-better share per criterion, with 95% Wilson intervals and n.

    ``by_criterion`` is :attr:`RoundSummary.by_criterion`; it is not changed.
    """
    table = disclosure.shares_for_chart(by_criterion, threshold)
    labels = _criterion_labels(table)
    plot = pd.DataFrame({"criterion": labels, "share": table["share"] * 100})
    height = max(3.0, 0.32 * len(table) + 1.2)
    fig = Figure(figsize=(9, height), layout="constrained")
    ax = fig.subplots()
    sns.barplot(data=plot, x="share", y="criterion", color=_GOOD, errorbar=None, ax=ax)
    y = np.arange(len(table))
    shown = (table["state"] == "shown").to_numpy()
    lower = (table["share"] - table["ci_low"]).to_numpy() * 100
    upper = (table["ci_high"] - table["share"]).to_numpy() * 100
    ax.errorbar(plot["share"][shown], y[shown], xerr=[lower[shown], upper[shown]], fmt="none",
                ecolor="#222222", elinewidth=1, capsize=3)
    for i, (state, n) in enumerate(zip(table["state"], table["n_text"], strict=True)):
        note = f"n={n}"
        if state == "hidden":
            note = f"{SUPPRESSED}  ({note})"
        ax.text(101, i, note, va="center", fontsize=8, color="#444444")
    ax.set_xlim(0, 100)
    ax.set_xlabel("Good or better (%), with 95% Wilson interval")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=8)
    return _finish(fig, ax, title, despine={"left": True})


def plot_agency_heatmap(by_criterion_agency: pd.DataFrame, agencies: list[str] | None = None,
                        title: str = "", threshold: int | None = None) -> Figure:
    """A criterion × agency heatmap of the good-or-better share; suppressed cells say ``c``,
    cells with no graded answer are blank."""
    table = disclosure.shares_for_chart(by_criterion_agency, threshold)
    rows = list(dict.fromkeys(_criterion_labels(table)))
    cols = agencies or list(dict.fromkeys(table["agency"]))
    values = np.full((len(rows), len(cols)), np.nan)
    text = np.full((len(rows), len(cols)), "", dtype=object)
    row_of = {label: i for i, label in enumerate(rows)}
    col_of = {agency: j for j, agency in enumerate(cols)}
    for label, agency, share, state in zip(_criterion_labels(table), table["agency"],
                                           table["share"], table["state"], strict=True):
        if agency not in col_of or state == "none":
            continue
        i, j = row_of[label], col_of[agency]
        if state == "hidden":
            text[i, j] = SUPPRESSED
        else:
            values[i, j] = share * 100
            text[i, j] = f"{share:.0%}"
    height = max(3.0, 0.32 * len(rows) + 1.5)
    fig = Figure(figsize=(9, height), layout="constrained")
    ax = fig.subplots()
    sns.heatmap(pd.DataFrame(values, index=rows, columns=cols), vmin=0, vmax=100, cmap="RdYlGn",
                annot=False, cbar_kws={"label": "Good or better (%)"}, linewidths=0.5,
                linecolor="white", ax=ax)
    for i in range(len(rows)):
        for j in range(len(cols)):
            if text[i, j]:
                ax.text(j + 0.5, i + 0.5, text[i, j], ha="center", va="center", fontsize=8,
                        color="#555555" if text[i, j] == SUPPRESSED else "#111111")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=8)
    return _finish(fig, ax, title, despine=None)


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes, with no timestamp or software metadata (stable across runs)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def plot_leniency(table: pd.DataFrame, by: str = "agency", title: str = "",
                  threshold: int | None = None) -> Figure:
    """Each agency's (or auditor's) mean difference from the moderated grade with its interval:
    right of zero grades more generously than the meeting, left more harshly. Rows resting on few
    grades or cases are not drawn (``threshold=0`` draws every row, for the QA lead)."""
    table = disclosure.derived_for_chart(table, ["mean_difference", "ci_low", "ci_high"], threshold)
    table = table[table["state"] == "shown"].reset_index(drop=True)
    fig = Figure(figsize=(7, 0.45 * len(table) + 1.4), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(table))
    sns.scatterplot(x=table["mean_difference"], y=y, ax=ax, color=_GOOD, s=50)
    ax.errorbar(table["mean_difference"], y,
                xerr=[table["mean_difference"] - table["ci_low"],
                      table["ci_high"] - table["mean_difference"]],
                fmt="none", ecolor="#222222", elinewidth=1, capsize=3)
    ax.axvline(0, color="#888888", linewidth=1)
    ax.set_yticks(y, [f"{k} (n={n})" for k, n in zip(table[by], table["n_text"], strict=True)])
    ax.invert_yaxis()
    ax.set_xlabel("Mean difference from the moderated grade (levels; + more generous)")
    return _finish(fig, ax, title, despine={"left": True})


def plot_alpha_by_criterion(table: pd.DataFrame, titles: dict[str, str], title: str = "",
                            threshold: int | None = None) -> Figure:
    """Ordinal alpha of agency grades against the meeting's grade per criterion, with its
    bootstrap interval; the dashed line is all criteria together.

    Criteria with a suppressed number of pairs say ``c`` and are not drawn; ``:`` marks a criterion
    whose grades did not vary enough to give an alpha. ``table`` is the ``criteria`` frame of
    :func:`caseaudit.agreement.agreement_report`.
    """
    table = disclosure.derived_for_chart(table, ["alpha", "ci_low", "ci_high"], threshold)
    overall = table[table["criterion_id"] == "all criteria"]
    table = table[table["criterion_id"] != "all criteria"].reset_index(drop=True)
    hidden = (table["state"] == "hidden").to_numpy()
    missing = (table["state"] == "none").to_numpy() | (~hidden & table["alpha"].isna().to_numpy())
    shown = ~hidden & ~missing
    labels = [f"{cid} {titles.get(cid, '')}".strip() for cid in table["criterion_id"]]
    y = np.arange(len(table))
    fig = Figure(figsize=(9, max(3.0, 0.32 * len(table) + 1.2)), layout="constrained")
    ax = fig.subplots()
    sns.scatterplot(x=table["alpha"][shown], y=y[shown], color=_GOOD, s=40, ax=ax)
    low = np.where(table["ci_low"].isna(), table["alpha"], table["ci_low"])
    high = np.where(table["ci_high"].isna(), table["alpha"], table["ci_high"])
    ax.errorbar(table["alpha"][shown], y[shown],
                xerr=[(table["alpha"] - low)[shown], (high - table["alpha"])[shown]],
                fmt="none", ecolor="#222222", elinewidth=1, capsize=3)
    if not overall.empty and pd.notna(overall["alpha"].iloc[0]):  # blank unless shown
        ax.axvline(float(overall["alpha"].iloc[0]), color="#888888", linestyle="--", linewidth=1)
    for i, (hide, gap, n) in enumerate(zip(hidden, missing, table["n_text"], strict=True)):
        note = f"n={n}"
        if hide:
            note = f"{SUPPRESSED}  ({note})"
        elif gap:
            note = f":  ({note})"
        ax.text(1.02, i, note, va="center", fontsize=8, color="#444444",
                transform=ax.get_yaxis_transform())
    ax.set_yticks(y, labels)
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_xlim(min(-0.2, float(np.nanmin(low[shown])) - 0.05) if shown.any() else -0.2, 1.0)
    ax.set_xlabel("Krippendorff's ordinal alpha against the meeting's grade, with 95% "
                  "bootstrap interval")
    ax.tick_params(axis="y", labelsize=8)
    return _finish(fig, ax, title, despine={"left": True})


def plot_agreement_trend(across: pd.DataFrame, labels: dict[str, str], title: str = "",
                         threshold: int | None = None) -> Figure:
    """Exact agreement, agreement within one level and ordinal alpha with the meeting's grade,
    one point per moderated round, oldest first; a round whose figures rest on few grades or few
    fully moderated cases has no point."""
    across = disclosure.derived_for_chart(across, ["exact", "within_one", "alpha"], threshold)
    across = across[across["state"] == "shown"]
    long = across.melt(id_vars="round_id", value_vars=["exact", "within_one", "alpha"],
                       var_name="measure", value_name="value")
    long["round"] = long["round_id"].map(labels).fillna(long["round_id"])
    long["measure"] = long["measure"].map({"exact": "Exact agreement",
                                           "within_one": "Within one level",
                                           "alpha": "Ordinal alpha"})
    fig = Figure(figsize=(7, 3.4), layout="constrained")
    ax = fig.subplots()
    sns.lineplot(data=long, x="round", y="value", hue="measure", style="measure", markers=True,
                 dashes=False, sort=False, ax=ax)
    ax.set_ylim(min(0.0, float(long["value"].min()) - 0.05), 1.0)
    ax.set_xlabel("")
    ax.set_ylabel("Agreement with the meeting")
    ax.legend(title="", loc="lower right", fontsize=8)
    return _finish(fig, ax, title, despine={})
