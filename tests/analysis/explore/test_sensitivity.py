"""Sobol indices through the exploration's own design and analysis code, against published values."""

import numpy as np
import pytest

from hedgelab.analysis.explore.design import Uncertainty, make_design
from hedgelab.analysis.explore.sensitivity import sobol_indices
from hedgelab.errors import HedgelabError

# Ishigami function, a = 7, b = 0.1: analytic indices (Ishigami & Homma 1990; Saltelli et al. 2010,
# "Variance based sensitivity analysis of model output", table 2; SALib's test_regression.py)
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_ishigami_indices_match_the_published_values():
    design = make_design([Uncertainty(f"x{i}", -np.pi, np.pi) for i in (1, 2, 3)], 4096, "sobol", seed=1)
    table = sobol_indices(design, {"y": ishigami(design.samples)}, n_resamples=200, conf_level=0.95, seed=0)
    assert table["parameter"].tolist() == ["x1", "x2", "x3"]
    assert np.allclose(table["S1"], ISHIGAMI_S1, atol=0.03)
    assert np.allclose(table["ST"], ISHIGAMI_ST, atol=0.03)
    assert (table["S1_conf"] > 0).all() and (table["S1_conf"] < 0.1).all()
    # the published values lie within a few interval half-widths
    assert (np.abs(table["ST"] - ISHIGAMI_ST) < 3 * table["ST_conf"] + 0.01).all()


def test_sobol_needs_a_sobol_design_and_one_value_per_sample():
    lhs = make_design([Uncertainty("x", 0.0, 1.0), Uncertainty("z", 0.0, 1.0)], 16, "lhs", seed=0)
    with pytest.raises(HedgelabError, match="a sobol design"):
        sobol_indices(lhs, {"y": lhs.samples[:, 0]}, n_resamples=10, conf_level=0.95, seed=0)
    design = make_design([Uncertainty("x", 0.0, 1.0), Uncertainty("z", 0.0, 1.0)], 16, "sobol", seed=0)
    with pytest.raises(HedgelabError, match="64 finite values"):
        sobol_indices(design, {"y": np.zeros(10)}, n_resamples=10, conf_level=0.95, seed=0)
