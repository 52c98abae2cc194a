"""Global sensitivity: Sobol first-order (``S1``) and total (``ST``) indices with bootstrap
confidence intervals, computed by SALib (:func:`SALib.analyze.sobol.analyze`) on a Saltelli
design (:func:`hedgelab.analysis.explore.design.make_design` with ``kind="sobol"``).

Indices are computed for each outcome of each strategy and for strategy differences
(``dual_hedge - anchor``): which uncertainties decide whether one strategy beats another. Each
sample's outcome is a Monte-Carlo mean over its paths; with common random numbers across samples
that noise is shared, but with few paths per sample it still adds to every index's interval.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis.explore.design import Design, Uncertainty
from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.analysis.optional import optional

INDEX_COLUMNS = ("output", "parameter", "S1", "S1_conf", "ST", "ST_conf")


def sobol_indices(
    design: Design, outputs: dict[str, np.ndarray], *, n_resamples: int, conf_level: float, seed: int,
) -> pd.DataFrame:
    """Sobol indices of each output (an array over the design's rows, in design order).

    Parameters
    ----------
    n_resamples : int
        Bootstrap resamples for the confidence intervals.
    conf_level : float
        Confidence level of the intervals, in (0, 1); ``S1_conf`` is the half-width.
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        Columns ``output, parameter, S1, S1_conf, ST, ST_conf``.
    """
    sobol = optional("SALib.analyze.sobol", "explore")

    if design.kind != "sobol":
        raise HedgelabError(error_line("request", "design", f"a sobol design for Sobol indices, not {design.kind!r} "
                                       "(hedgelab explore --design sobol)"))
    if not 0 < conf_level < 1:
        raise HedgelabError(error_line("request", "conf_level", f"a number in (0, 1), got {conf_level}"))
    rows = []
    for name, values in outputs.items():
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (design.n_samples,) or not np.isfinite(values).all():
            raise HedgelabError(error_line("request", name, f"{design.n_samples} finite values, one per sample of the "
                                           "complete design"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a constant output: indices NaN
            found = sobol.analyze(design.problem(), values, calc_second_order=False, num_resamples=n_resamples,
                                  conf_level=conf_level, seed=seed, print_to_console=False)
        for i, parameter in enumerate(design.names):
            rows.append({"output": name, "parameter": parameter, "S1": found["S1"][i], "S1_conf": found["S1_conf"][i],
                         "ST": found["ST"][i], "ST_conf": found["ST_conf"][i]})
    return pd.DataFrame(rows, columns=list(INDEX_COLUMNS))


def design_of(results: xr.Dataset) -> Design:
    """The design behind a sweep's results (from its ``design`` variable and record)."""
    description = json.loads(results.attrs["design"])
    found = tuple(Uncertainty(u["name"], u["low"], u["high"], u.get("unit", "")) for u in description["uncertainties"])
    return Design(description["kind"], found, results["design"].transpose("sample", "uncertainty").values,
                  int(description["n_base"]), int(description["seed"]))


def sensitivity(
    results: xr.Dataset,
    metrics: Sequence[str],
    *,
    strategies: Sequence[str] | None = None,
    differences: Sequence[tuple[str, str]] = (),
    n_resamples: int = 1000,
    conf_level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Sobol indices of ``metrics`` for each strategy (all when None) and for each difference
    ``(a, b)`` (``a - b``) of a complete sobol sweep (:func:`hedgelab.analysis.explore.sweep.sweep`).

    ``n_resamples`` (default 1000, SALib's) bootstrap resamples give intervals at ``conf_level``
    (default 0.95); ``seed`` seeds the bootstrap. Output names are ``strategy:metric`` and
    ``a-b:metric``; ``attrs`` carry the units of each metric and the number of samples.
    """
    if int(results.attrs.get("complete", 1)) != 1:
        raise HedgelabError(error_line("request", "results", "a complete sweep for Sobol indices (resume it first: "
                                       "rerun the same hedgelab explore command)"))
    design = design_of(results)
    known = [str(s) for s in results.strategy.values]
    for name in [*(strategies or []), *(n for pair in differences for n in pair)]:
        if name not in known:
            raise HedgelabError(error_line("request", "strategies", f"strategies of the sweep ({', '.join(known)}), "
                                           f"not {name!r}{suggest(name, known)}"))
    for metric in metrics:
        if metric not in results.data_vars or metric == "design":
            raise HedgelabError(error_line("request", "metric", f"a metric of the sweep{suggest(metric, results.data_vars)}"))
    outputs: dict[str, np.ndarray] = {}
    for metric in metrics:
        for strategy in strategies if strategies is not None else known:
            outputs[f"{strategy}:{metric}"] = results[metric].sel(strategy=strategy).values
        for a, b in differences:
            outputs[f"{a}-{b}:{metric}"] = (results[metric].sel(strategy=a) - results[metric].sel(strategy=b)).values
    table = sobol_indices(design, outputs, n_resamples=n_resamples, conf_level=conf_level, seed=seed)
    table.attrs = {"units": {m: results[m].attrs.get("units", "") for m in metrics},
                   "n_samples": design.n_samples, "n_base": design.n_base, "conf_level": conf_level}
    return table
