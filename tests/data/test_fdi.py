"""FDI origin shares and conduit routing: bounds, routing invariants, real-data checks."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgelab.data import compute
from hedgelab.data.indicators.fdi import CONDUITS, Routing, origin_shares, routed_shares
from hedgelab.errors import HedgelabError

ORIGINS = ["USA", "CHN", "KOR", "HKG", "SGP", "NLD", "VGB", "DEU", "AUS"]
flow = st.one_of(st.integers(-5_000, 50_000).map(float), st.just(float("nan")))


def _unctad_like(host: str, year: int, world: float, economies: list[float], unspecified: float) -> pd.DataFrame:
    """A host table: World (row 1) > Developed (row 2) > economies (rows 10..), Unspecified (row 3)."""
    rows = [(None, "World", "aggregate", 1, -1, world),
            (None, "Developed economies", "aggregate", 2, 1, float(np.nansum(economies))),
            (None, "Unspecified", "unspecified", 3, 1, unspecified)]
    rows += [(o, o, "economy", 10 + i, 2, v) for i, (o, v) in enumerate(zip(ORIGINS, economies))]
    df = pd.DataFrame(rows, columns=["origin", "origin_label", "kind", "row", "parent_row", "value"])
    return df.assign(host=host, year=year)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    st.lists(flow, min_size=len(ORIGINS), max_size=len(ORIGINS)),
    flow,
    st.integers(-10_000, 200_000).map(float),
)
def test_origin_shares_in_unit_interval_and_sum_at_most_one(econ: list[float], unspec: float, world: float) -> None:
    shares = origin_shares(_unctad_like("JPN", 2005, world, econ, unspec))
    assert ((shares["value"] >= 0) & (shares["value"] <= 1)).all()
    assert shares["value"].sum() <= 1 + 1e-12


def test_origin_shares_hand_computed() -> None:
    # positive parts 600 + 300 (+ negative -100 dropped) + unspecified 100, World residual 0
    econ = [600.0, 300.0, -100.0] + [0.0] * (len(ORIGINS) - 3)
    df = _unctad_like("JPN", 2005, 900.0, econ, 100.0)
    s = origin_shares(df).set_index("origin")["value"]
    assert s["USA"] == pytest.approx(0.6) and s["CHN"] == pytest.approx(0.3) and s["KOR"] == 0.0
    # an aggregate larger than its members adds its positive remainder to the denominator
    df.loc[df["origin_label"] == "World", "value"] = 1_900.0
    s = origin_shares(df).set_index("origin")["value"]
    assert s["USA"] == pytest.approx(600 / 2000)


direct_tables = st.lists(
    st.floats(0, 1, allow_nan=False), min_size=len(ORIGINS), max_size=len(ORIGINS)
).map(lambda v: np.array(v) / max(1.0, sum(v)))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(direct_tables, st.floats(0, 1), st.floats(0, 1))
def test_routing_invariants(values: np.ndarray, pass_through: float, round_trip: float) -> None:
    direct = pd.DataFrame({"host": "TWN", "origin": ORIGINS, "year": 2010, "value": values})
    routed = routed_shares(direct, Routing(pass_through, round_trip)).set_index("origin")
    foreign = routed.drop(index="TWN", errors="ignore")
    assert ((routed["value"] >= -1e-12) & (routed["value"] <= 1 + 1e-12)).all()
    assert routed["value"].sum() == pytest.approx(values.sum(), abs=1e-9)  # sums are preserved (<= 1)
    non_conduit = [o for o in ORIGINS if o not in CONDUITS]
    assert (foreign.loc[non_conduit, "value"] >= foreign.loc[non_conduit, "direct"] - 1e-12).all()
    for k in [o for o in ORIGINS if o in CONDUITS]:
        assert foreign.loc[k, "value"] == pytest.approx((1 - pass_through) * foreign.loc[k, "direct"])
    zero = routed_shares(direct, Routing(0.0, round_trip)).set_index("origin")
    assert np.allclose(zero.loc[ORIGINS, "value"], zero.loc[ORIGINS, "direct"])


def test_routing_hand_computed_and_strictly_larger() -> None:
    direct = pd.DataFrame({"host": "CHN", "origin": ["JPN", "USA", "HKG"], "year": 2010, "value": [0.1, 0.3, 0.5]})
    r = routed_shares(direct, Routing(pass_through=0.5)).set_index("origin")["value"]
    # passed through = 0.25, split 1:3 between JPN and USA
    assert r["JPN"] == pytest.approx(0.1 + 0.25 * 0.25) and r["USA"] == pytest.approx(0.3 + 0.25 * 0.75)
    assert r["HKG"] == pytest.approx(0.25) and r["JPN"] > 0.1
    rt = routed_shares(direct, Routing(pass_through=0.5, round_trip=0.4)).set_index("origin")["value"]
    assert rt["CHN"] == pytest.approx(0.1) and rt["JPN"] == pytest.approx(0.1 + 0.15 * 0.25)


@pytest.mark.parametrize("bad", [{"pass_through": 1.5}, {"round_trip": -0.1}, {"pass_through": "x"}])
def test_routing_rejects_out_of_range(bad: dict) -> None:
    with pytest.raises(HedgelabError) as err:
        Routing(**bad)
    assert "fdi routing" in err.value.lines[0] and "[0, 1]" in err.value.lines[0]


def test_real_data_origin_and_routed_share(data_dir: Path) -> None:
    df = compute("JPN", indicators=["fdi_origin_share", "routed_share"], partners=["CHN", "USA", "THA"],
                 data_dir=data_dir)
    wide = df.pivot_table(index=["partner", "year"], columns="indicator", values="value")
    assert set(wide.index.get_level_values("year")) == set(range(2001, 2013))
    assert (wide["routed_share"] >= wide["fdi_origin_share"] - 1e-12).all()
    assert wide[["routed_share", "fdi_origin_share"]].stack().between(0, 1).all()
    # Japan's direct share of China's 2010 inflows: 4,084 of 114,734 (US$ m, UNCTAD)
    assert wide.loc[("CHN", 2010), "fdi_origin_share"] == pytest.approx(4084 / 114734, rel=2e-3)
    # the capital-flows paradox: routed exposure to China well above the direct one
    assert wide.loc[("CHN", 2010), "routed_share"] > 2 * wide.loc[("CHN", 2010), "fdi_origin_share"]
    assert set(df["unit"]) == {"share of the partner's FDI inflows (0-1)"}
    assert set(df["source"]) == {"unctad_fdi"}
    assert not math.isnan(df["value"].sum())
