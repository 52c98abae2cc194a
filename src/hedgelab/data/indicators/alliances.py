"""Alliance indicators from ATOP v5.1 (directed dyad-years)."""

from __future__ import annotations

import pandas as pd

from hedgelab.data.indicators import Request, indicator
from hedgelab.data.indicators._frame import empty, has_file
from hedgelab.data.loaders.atop import load_atop
from hedgelab.data.loaders.cow_states import load_states, state_years

__all__ = ["alliance_defense"]


@indicator("alliance_defense", unit="0/1", datasets=("alliances_atop", "cow_states"), dyadic=True, optional=("cow_states",))
def alliance_defense(req: Request) -> pd.DataFrame:
    """Whether a defence obligation links the focal state and the partner, in either direction.

    Formula: ``max(defense[c->p, t], defense[p->c, t])`` from ATOP v5.1 directed dyad-years
    (``atop_defense``). ATOP is directed: the US pledges to defend Japan, Japan makes no such
    pledge to the US, and this indicator is 1 for the dyad either way. Years run over ATOP's
    coverage; a year is 0 when both states are members of the state system (COW v2016, read
    from ``cow_states/`` when present) and ATOP records no defence obligation; without the
    membership file, 0 is given only for years in which both states appear in ATOP. Unit: 0/1.
    """
    atop = load_atop(req.data_dir)
    first, last = int(atop["year"].min()), int(atop["year"].max())
    mine = atop[(atop["country"] == req.country) | (atop["partner"] == req.country)]
    use_states = has_file("cow_states", req.data_dir)
    states = load_states(req.data_dir) if use_states else None
    present = set(zip(atop["country"], atop["year"])) | set(zip(atop["partner"], atop["year"])) if not use_states else set()
    rows = []
    for p in req.partner_list():
        fwd = mine[(mine["country"] == req.country) & (mine["partner"] == p)].set_index("year")["defense"]
        bwd = mine[(mine["country"] == p) & (mine["partner"] == req.country)].set_index("year")["defense"]
        flag = pd.concat([fwd, bwd], axis=1).max(axis=1)
        if states is not None:
            years = sorted(state_years(states, req.country, first, last) & state_years(states, p, first, last))
        else:
            years = sorted(y for y in range(first, last + 1) if (req.country, y) in present and (p, y) in present)
        years = sorted(set(years) | set(flag.index))
        if not years:
            continue
        val = flag.reindex(years).fillna(0).astype(float)
        rows.append(pd.DataFrame({"country": req.country, "partner": p, "year": years, "value": val.to_numpy(),
                                  "source": "alliances_atop"}))
    return pd.concat(rows, ignore_index=True) if rows else empty()
