"""Good or better by the children's characteristics: age band, gender, ethnicity group,
disability and plan type, overall and per domain.

The national review of child sexual abuse in the family found identification weakest for disabled
children and for Black and minoritised children, so a partnership needs to see whether its own
practice differs by group. The unit is the same judgement as everywhere else (the meeting's agreed
grade where there is one, the agencies' grades otherwise; :meth:`Store.case_judgements`), read per
case so each case falls in its group by the attributes its round lists. Groups are small: every
share carries ``n``, ``cases`` and a Wilson interval, and a board sees them only through
disclosure control (secondary suppression within each attribute).
"""

from __future__ import annotations

from typing import get_args

import numpy as np
import pandas as pd

from .analysis import OVERALL, OVERALL_LABEL
from .framework import Framework
from .rounds import ATTRIBUTE_COLUMNS, AuditRound, Case
from .stats import wilson_intervals

#: What each attribute is called where people read it.
ATTRIBUTE_LABELS = {"age_band": "Age band", "gender": "Gender",
                    "ethnicity_group": "Ethnicity group", "disability": "Disability",
                    "plan_type": "Plan type"}
BREAKDOWN_COLUMNS = ["attribute", "attribute_label", "group", "level", "key", "label", "n", "good",
                     "share", "ci_low", "ci_high", "cases"]


def attribute_groups(attribute: str) -> list[str]:
    """Every value a case may hold for ``attribute``, in the order the round's schema lists
    them: a group with no cases in a round keeps its row (0 cases), so rounds line up."""
    return list(get_args(Case.model_fields[attribute].annotation))


def by_case_attribute(case_judgements: pd.DataFrame, audit: AuditRound, framework: Framework,
                      confidence: float = 0.95) -> pd.DataFrame:
    """Good-or-better share per attribute group, over the round and per domain.

    ``case_judgements`` is :meth:`Store.case_judgements` output (one row per case and domain);
    cases the round's list no longer holds have no attributes and are left out.
    """
    cases = pd.DataFrame([c.model_dump(include=set(ATTRIBUTE_COLUMNS)) | {"case_id": c.id}
                          for c in audit.cases])
    judged = case_judgements.merge(cases, on="case_id", how="inner")
    # each case's totals over the round, beside its totals per domain, as rows of one frame
    whole = judged.groupby(["case_id", *ATTRIBUTE_COLUMNS], as_index=False)[["n", "good"]].sum()
    judged = pd.concat([whole.assign(key=OVERALL), judged.rename(columns={"domain_id": "key"})],
                       ignore_index=True)
    judged["judged_case"] = judged["case_id"].where(judged["n"] > 0)
    levels = pd.DataFrame([("overall", OVERALL, OVERALL_LABEL)]
                          + [("domain", d.id, d.title) for d in framework.domains],
                          columns=["level", "key", "label"])
    parts = []
    for attribute in ATTRIBUTE_COLUMNS:
        sums = (judged.groupby([attribute, "key"])
                .agg(n=("n", "sum"), good=("good", "sum"), cases=("judged_case", "nunique")))
        # group by group, in the schema's order: the group's overall row, then its domains
        grid = pd.DataFrame({"group": attribute_groups(attribute)}).merge(levels, how="cross")
        grid = grid.merge(sums.rename_axis(["group", "key"]).reset_index(), on=["group", "key"],
                          how="left").fillna({"n": 0, "good": 0, "cases": 0})
        parts.append(grid.assign(attribute=attribute,
                                 attribute_label=ATTRIBUTE_LABELS[attribute]))
    table = pd.concat(parts, ignore_index=True).astype({"n": "int64", "good": "int64",
                                                        "cases": "int64"})
    n, good = table["n"].to_numpy(), table["good"].to_numpy()
    low, high = wilson_intervals(good, n, confidence)
    share = np.divide(good, n, out=np.full(len(n), np.nan), where=n > 0)
    return table.assign(share=share, ci_low=low, ci_high=high)[BREAKDOWN_COLUMNS]
