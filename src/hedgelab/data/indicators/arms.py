"""Arms-transfer indicators from the SIPRI Arms Transfers Database (user-supplied; not shipped)."""

from __future__ import annotations

import pandas as pd

from hedgelab.data.indicators import Request, indicator
from hedgelab.data.indicators._frame import empty
from hedgelab.data.loaders.sipri_arms import load_sipri_arms

__all__ = ["arms_import_share", "supplier_shares"]


def supplier_shares(arms: pd.DataFrame, recipient: str, first: int, last: int) -> pd.Series:
    """Shares of ``recipient``'s arms imports (TIV) by supplier over ``first..last`` (inclusive)."""
    d = arms[(arms["recipient"] == recipient) & arms["year"].between(first, last)]
    tiv = d.groupby("supplier")["tiv"].sum()
    total = tiv.sum()
    return (tiv / total).sort_values(ascending=False) if total > 0 else tiv.astype(float)


@indicator("arms_import_share", unit="share (0-1)", datasets=("sipri_arms_transfers",), dyadic=True)
def arms_import_share(req: Request) -> pd.DataFrame:
    """Share of the focal state's major-arms imports delivered by the partner (SIPRI TIV).

    Formula: ``TIV[p->c, t] / sum_s TIV[s->c, t]`` over all suppliers s (including "unknown
    supplier(s)") for delivery year t; years with no deliveries to c have no value. TIV are
    SIPRI trend-indicator values (a volume measure). Coverage 1995 onward. Computed only from the
    user's SIPRI file (SIPRI's terms forbid redistribution), so never in the shipped table.
    Unit: share in [0, 1].
    """
    if req.redistributable_only:
        return empty()
    arms = load_sipri_arms(req.data_dir)
    d = arms[arms["recipient"] == req.country]
    if d.empty:
        return empty()
    total = d.groupby("year")["tiv"].sum()
    total = total[total > 0]
    by = d.groupby(["supplier", "year"])["tiv"].sum()
    rows = []
    for p in req.partner_list():
        num = by.xs(p, level="supplier") if p in by.index.get_level_values("supplier") else pd.Series(dtype=float)
        share = num.reindex(total.index).fillna(0.0) / total
        rows.append(pd.DataFrame({"country": req.country, "partner": p, "year": share.index.to_numpy(),
                                  "value": share.to_numpy(), "source": "sipri_arms_transfers"}))
    return pd.concat(rows, ignore_index=True) if rows else empty()
