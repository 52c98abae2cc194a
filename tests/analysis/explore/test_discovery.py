"""PRIM and CART through the exploration's own code recover a box planted in synthetic data."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from hedgelab.analysis.explore.discovery import failures, prim_boxes
from hedgelab.errors import HedgelabError


def test_prim_recovers_a_planted_box():
    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.random((2000, 5)), columns=["convergence", "assertiveness", "reliability", "d4", "d5"])
    y = ((x.convergence > 0.6) & (x.assertiveness > 0.4)).to_numpy()
    boxes = prim_boxes(x, y, density_target=0.95, peel_alpha=0.05, mass_min=0.05)
    limits = boxes.limits.set_index("parameter")
    assert set(limits.index) == {"convergence", "assertiveness"}  # no noise dimension restricted
    assert limits.loc["convergence", "low"] == pytest.approx(0.6, abs=0.03)
    assert limits.loc["assertiveness", "low"] == pytest.approx(0.4, abs=0.03)
    assert boxes.density >= 0.95 and boxes.coverage >= 0.9
    assert (limits[["qp_low"]].to_numpy() < 1e-6).all()  # both restrictions significant
    assert boxes.base_rate == pytest.approx(y.mean())
    # the trajectory trades coverage for density
    assert boxes.trajectory["density"].iloc[-1] > boxes.trajectory["density"].iloc[0]
    assert boxes.trajectory["coverage"].iloc[-1] <= boxes.trajectory["coverage"].iloc[0]
    # CART's densest leaf is the planted box too
    leaf = boxes.cart.iloc[0]
    assert leaf["density"] > 0.95 and set(leaf["limits"]) == {"convergence", "assertiveness"}


def test_failures_compare_with_a_rival_or_the_best_other_strategy():
    results = xr.Dataset({"prosperity": (("strategy", "sample"), np.array([[1.0, 0.0, 2.0], [0.5, 0.5, 1.0],
                                                                             [0.0, 3.0, 0.0]]))},
                         coords={"strategy": ["a", "b", "c"], "sample": [0, 1, 2]})
    assert failures(results, "a", "b", "prosperity").tolist() == [False, True, False]
    assert failures(results, "a", None, "prosperity").tolist() == [False, True, False]
    assert failures(results, "b", None, "prosperity").tolist() == [True, True, True]
    with pytest.raises(HedgelabError, match="a strategy of the sweep"):
        failures(results, "d", None, "prosperity")


def test_all_or_nothing_failing_is_an_error():
    x = pd.DataFrame({"a": np.linspace(0, 1, 50)})
    with pytest.raises(HedgelabError, match="some futures that fail"):
        prim_boxes(x, np.zeros(50, bool), density_target=0.8, peel_alpha=0.05, mass_min=0.05)
