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
    levels = [("overall", OVERALL, OVERALL_LABEL, None)]
    levels += [("domain", d.id, d.title, d.id) for d in framework.domains]
    rows = []
    for attribute in ATTRIBUTE_COLUMNS:
        for group in attribute_groups(attribute):
            mine = judged[judged[attribute] == group]
            for level, key, label, domain_id in levels:
                part = mine if domain_id is None else mine[mine["domain_id"] == domain_id]
                rows.append((attribute, ATTRIBUTE_LABELS[attribute], group, level, key, label,
                             int(part["n"].sum()), int(part["good"].sum()),
                             int(part.loc[part["n"] > 0, "case_id"].nunique())))
    table = pd.DataFrame(rows, columns=["attribute", "attribute_label", "group", "level", "key",
                                        "label", "n", "good", "cases"])
    n, good = table["n"].to_numpy(), table["good"].to_numpy()
    low, high = wilson_intervals(good, n, confidence)
    share = np.divide(good, n, out=np.full(len(n), np.nan), where=n > 0)
    return table.assign(share=share, ci_low=low, ci_high=high)[BREAKDOWN_COLUMNS]
