"""Partner rankings: a state's largest trading partners in a year, over every partner in the source.

:func:`top_partners` ranks the partners of the focal state's IMF DOTS report by exports, imports
or total trade. Aggregates (World, EU, euro area, regions, income groups, "not specified") are
excluded unless asked for, so the list is of countries and territories only. Shares are of the
focal state's trade with the World row. The definitions of
:mod:`hedgelab.data.indicators.trade_values` apply (in particular the EU's consignment
convention: :data:`hedgelab.data.definitions.NOTES` ``"eu_consignment"``).
"""

from __future__ import annotations

import os

import pandas as pd

from hedgelab.data.codes import validate_iso3
from hedgelab.data.indicators.trade_values import partner_flows
from hedgelab.data.loaders.imf_dots import load_dots
from hedgelab.data.sources import resolve_data_dir
from hedgelab.errors import HedgelabError, error_line

__all__ = ["RANK_BY", "top_partners"]

RANK_BY = ("exports", "imports", "total")
"""What partners can be ranked by."""


def top_partners(
    country: str,
    year: int,
    *,
    by: str,
    n: int | None,
    include_aggregates: bool,
    data_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """The focal state's largest goods-trade partners in ``year``.

    Parameters
    ----------
    country : str
        Focal state (reporter), ISO3.
    year : int
        Calendar year.
    by : {"exports", "imports", "total"}
        Flow to rank by (current US$).
    n : int or None
        Keep the first ``n`` (None: every partner).
    include_aggregates : bool
        Rank aggregates (World, EU, regions) among the partners too.
    data_dir : path, optional
        Data directory; default ``HEDGELAB_DATA``.

    Returns
    -------
    DataFrame
        ``rank`` (1 = largest), ``partner`` (code), ``partner_name`` (as in DOTS), ``exports``,
        ``imports``, ``total``, ``balance`` (current US$ m), ``share`` (the ranked flow as a share
        of the focal state's flow with the World row, 0-1). Ties keep the source's name order.
    """
    focal = validate_iso3(country, where="--country")
    if by not in RANK_BY:
        raise HedgelabError(error_line("rankings", "--by", f"one of {', '.join(RANK_BY)}, got {by!r}"))
    if n is not None and n < 1:
        raise HedgelabError(error_line("rankings", "--top", f"a whole number >= 1, got {n}"))
    flows = partner_flows(load_dots(resolve_data_dir(data_dir)), focal)
    years = sorted(set(flows["year"]))
    if not years:
        raise HedgelabError(error_line("imf_dots", "--country", f"a reporter in IMF DOTS, got {focal} (not a reporter)"))
    if year not in years:
        raise HedgelabError(error_line(f"imf_dots ({focal})", "--year", f"a year within {years[0]}-{years[-1]}, got {year}"))
    f = flows[(flows["year"] == year) & (flows["partner"] != focal)]
    world = f.loc[f["partner"] == "WLD", by]
    denom = float(world.iloc[0]) if not world.empty else float("nan")
    if not include_aggregates:
        f = f[f["partner_is_country"]]
    f = f[f[by].notna()].sort_values(by, ascending=False, kind="stable")
    if n is not None:
        f = f.head(n)
    out = f[["partner", "partner_name", "exports", "imports", "total", "balance"]].reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out["share"] = out[by] / denom
    return out
