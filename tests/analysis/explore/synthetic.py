"""Synthetic sweep results with quarterly series, for tests of tipping points and signposts."""

from __future__ import annotations

import numpy as np
import xarray as xr

from hedgelab.model.series import PREFIX


def sweep_like(series: dict[str, np.ndarray], design: np.ndarray, strategies: list[str]) -> xr.Dataset:
    """A dataset shaped like :func:`hedgelab.analysis.explore.sweep.sweep`'s with ``quarterly_<name>``
    ``[strategy, sample, quarter]`` from ``series`` and ``design`` ``[sample, uncertainty]`` in [0, 1]."""
    n_samples, n_uncertainties = design.shape
    n_quarters = next(iter(series.values())).shape[-1]
    names = [f"x{i}" for i in range(n_uncertainties)]
    data = {f"{PREFIX}{name}": (("strategy", "sample", "quarter"), values) for name, values in series.items()}
    data["design"] = (("sample", "uncertainty"), design)
    return xr.Dataset(data, coords={"strategy": strategies, "sample": np.arange(n_samples),
                                    "quarter": np.arange(1, n_quarters + 1), "uncertainty": names,
                                    "low": ("uncertainty", np.zeros(n_uncertainties)),
                                    "high": ("uncertainty", np.ones(n_uncertainties))},
                      attrs={"run_id": "synthetic"})
