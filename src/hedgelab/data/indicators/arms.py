"""Arms-transfer indicators from the SIPRI Arms Transfers Database (user-supplied; not shipped)."""

from __future__ import annotations

import pandas as pd

from hedgelab.data.indicators import Request, indicator
from hedgelab.data.indicators._frame import empty, growth_percent
from hedgelab.data.loaders.sipri_arms import load_sipri_arms

__all__ = [
    "WINDOW_YEARS",
    "arms_import_share",
    "arms_imports_growth",
    "arms_imports_tiv",
    "arms_supplier_share_window",
    "supplier_shares",
    "window_totals",
]

WINDOW_YEARS = 5
"""Length of the delivery windows of the window indicators, in years: SIPRI's own convention for
comparing arms-import volumes (its fact sheets compare 2015-19 with 2020-24), because single
years swing with single deliveries. Windows end with the latest delivery year in the data."""


def supplier_shares(arms: pd.DataFrame, recipient: str, first: int, last: int) -> pd.Series:
    """Shares of ``recipient``'s arms imports (TIV) by supplier over ``first..last`` (inclusive)."""
    d = arms[(arms["recipient"] == recipient) & arms["year"].between(first, last)]
    tiv = d.groupby("supplier")["tiv"].sum()
    total = tiv.sum()
    return (tiv / total).sort_values(ascending=False) if total > 0 else tiv.astype(float)


@indicator("arms_import_share", unit="share (0-1)", datasets=("sipri_arms_transfers",), dyadic=True,
           notes=("sipri_tiv",))
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
    for p in req.present_partners(d["supplier"].unique()):
        num = by.xs(p, level="supplier") if p in by.index.get_level_values("supplier") else pd.Series(dtype=float)
        share = num.reindex(total.index).fillna(0.0) / total
        rows.append(pd.DataFrame({"country": req.country, "partner": p, "year": share.index.to_numpy(),
                                  "value": share.to_numpy(), "source": "sipri_arms_transfers"}))
    return pd.concat(rows, ignore_index=True) if rows else empty()


def window_totals(arms: pd.DataFrame, recipient: str, *, window: int) -> pd.DataFrame:
    """TIV delivered to ``recipient`` per supplier and delivery window.

    Windows of ``window`` years end with the latest delivery year in ``arms`` (any recipient)
    and run back to the first year; a window that starts before the first delivery year in the
    data is incomplete and left out. Returns ``supplier, first, last, tiv`` (one row per supplier
    with deliveries in the window; ``unknown supplier(s)`` is ``QUN``).
    """
    if arms.empty:
        return pd.DataFrame(columns=["supplier", "first", "last", "tiv"])
    newest, oldest = int(arms["year"].max()), int(arms["year"].min())
    d = arms[arms["recipient"] == recipient]
    last = newest - ((newest - d["year"]) // window) * window
    d = d.assign(last=last, first=last - window + 1)
    d = d[d["first"] >= oldest]
    out = d.groupby(["supplier", "first", "last"], as_index=False)["tiv"].sum()
    return out


def _window_rows(req: Request, values: pd.Series, partner: object) -> pd.DataFrame:
    return pd.DataFrame({"country": req.country, "partner": partner, "year": values.index.to_numpy(),
                         "value": values.to_numpy(), "source": "sipri_arms_transfers"})


def _windows(req: Request) -> pd.DataFrame:
    if req.redistributable_only:
        return pd.DataFrame(columns=["supplier", "first", "last", "tiv"])
    return window_totals(load_sipri_arms(req.data_dir), req.country, window=WINDOW_YEARS)


@indicator("arms_imports_tiv", unit="TIV m per 5-year window", datasets=("sipri_arms_transfers",), dyadic=False,
           notes=("sipri_tiv",))
def arms_imports_tiv(req: Request) -> pd.DataFrame:
    """Volume of the focal state's major-arms imports over a 5-year delivery window (SIPRI TIV).

    Formula: ``sum_s sum_{t in w} TIV[s->c, t]`` over all suppliers (unknown ones included) and
    the delivery years of window ``w`` (:data:`WINDOW_YEARS` years, the latest ending with the
    newest delivery year, 2024 in the shared data). The row's year is the window's last year
    (2024 = 2020-2024). Windows without deliveries to c have no row. Unit: TIV millions.
    """
    w = _windows(req)
    total = w.groupby("last")["tiv"].sum()
    return _window_rows(req, total, None) if not total.empty else empty()


@indicator("arms_imports_growth", unit="percent per 5-year window", datasets=("sipri_arms_transfers",), dyadic=False,
           notes=("sipri_tiv",))
def arms_imports_growth(req: Request) -> pd.DataFrame:
    """Change of the focal state's arms-import volume from the previous 5-year window (SIPRI TIV).

    Formula: ``100 * (V[w] / V[w-1] - 1)`` with V = ``arms_imports_tiv`` and ``w-1`` the window
    just before (SIPRI's "2020-24 compared with 2015-19"); defined when the previous window had
    deliveries. Year = last year of ``w``. Unit: percent.
    """
    w = _windows(req)
    total = w.groupby("last")["tiv"].sum()
    g = growth_percent(total, WINDOW_YEARS)
    return _window_rows(req, g, None) if not g.empty else empty()


@indicator("arms_supplier_share_window", unit="share (0-1) of a 5-year window", datasets=("sipri_arms_transfers",),
           dyadic=True, notes=("sipri_tiv",))
def arms_supplier_share_window(req: Request) -> pd.DataFrame:
    """The partner's share of the focal state's major-arms imports over a 5-year window (SIPRI TIV).

    Formula: ``sum_{t in w} TIV[p->c, t] / sum_s sum_{t in w} TIV[s->c, t]`` (unknown suppliers in
    the denominator). Year = last year of the window (2024 = 2020-2024). A requested partner
    without deliveries in a window with deliveries gets 0. Unit: share in [0, 1].
    """
    w = _windows(req)
    total = w.groupby("last")["tiv"].sum()
    total = total[total > 0]
    rows = []
    for p in req.present_partners(w["supplier"].unique()):
        num = w[w["supplier"] == p].set_index("last")["tiv"].reindex(total.index).fillna(0.0)
        rows.append(_window_rows(req, num / total, p))
    return pd.concat(rows, ignore_index=True) if rows else empty()
