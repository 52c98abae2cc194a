"""Per-quarter trajectories: what ``hedgelab simulate`` writes.

Records a fixed set of state and outcome variables every quarter with the
:class:`~hedgelab.model.recorders.Trajectory` recorder, for all paths or as quantiles over paths,
as an :class:`xarray.Dataset` with dimensions ``strategy``, ``quarter`` (the end date of each
quarter) and ``path`` (or ``quantile``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis import provenance, runner
from hedgelab.analysis.compare import result_attrs
from hedgelab.analysis.prepare import prepare
from hedgelab.model.recorders import EVENT_VARIABLES, Trajectory
from hedgelab.scenarios import Scenario

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
DTYPE = np.dtype(np.float32)
"""Trajectories are simulated and kept in float32 (they hold every quarter)."""

VARIABLES: dict[str, tuple[str, str]] = {
    "security": ("index in [0, 1]", "security"),
    "prosperity": ("% of GDP per year, relative to the base year", "prosperity this quarter"),
    "autonomy": ("index in [0, 1]", "autonomy (share of alliance surplus)"),
    "patron_security_alignment": ("index in [0, 1]", "security alignment with the patron"),
    "challenger_economic_alignment": ("index in [0, 1]", "economic alignment with the challenger"),
    "effective_exposure": ("share of trade", "direct plus routed exposure to the challenger"),
    "defence_spending": ("% of GDP", "defence spending"),
    "support": ("index in [0, 1]", "domestic support"),
    "coercion": ("1 if an episode began this quarter", "economic coercion"),
    "abandonment": ("1 if an episode began this quarter", "US abandonment episode"),
    "us_reliability": ("index in [0, 1]", "US reliability"),
    "assertiveness": ("index (2020 = 1)", "challenger assertiveness"),
    "convergence": ("index in [0, 1]", "convergence of technology, economy and security"),
    "taiwan_tension": ("index (2020 = 1)", "Taiwan-strait tension"),
}
"""Recorded variables: name -> (unit, long name)."""


def quarter_ends(base_year: int, n_quarters: int) -> pd.DatetimeIndex:
    """End dates of the simulated quarters, starting in January of the base year."""
    return pd.date_range(f"{base_year}-01-01", periods=n_quarters, freq="QE")


def trajectories(
    scenario: str | Scenario = "japan-2026",
    strategies: Sequence[str] | None = None,
    *,
    n_paths: int = 500,
    years: int = 10,
    seed: int = 0,
    overrides: Sequence[str] | None = None,
    quantiles: bool = True,
    workers: int | None = None,
    progress: runner.Progress | None = None,
) -> xr.Dataset:
    """Simulate and keep every quarter: all paths, or quantiles over paths (default; the 0/1
    event indicators are then summarised as the share of paths with an episode that quarter,
    not as quantiles)."""
    started = provenance.now()
    prepared = prepare(scenario, strategies, overrides)
    output = runner.run(prepared, [Trajectory(tuple(VARIABLES))], n_paths=n_paths, years=years, seed=seed,
                        dtype=DTYPE, workers=workers, progress=progress, what="trajectories")
    dates = quarter_ends(prepared.scenario.base_year, output.n_quarters)
    data = xr.Dataset(
        {name: (dims, values, {"units": VARIABLES[name][0], "long_name": VARIABLES[name][1]})
         for name, (dims, values) in output.outputs.items()},
        coords={"strategy": list(prepared.policy.names), "path": output.paths, "quarter": dates},
        attrs=result_attrs(provenance.record(prepared, output, seed=seed, n_paths=n_paths, years=years,
                                             started=started, workers=output.n_workers, dtype=DTYPE.name)),
    ).transpose("strategy", "quarter", "path")
    if not quantiles:
        return data
    events = [name for name in VARIABLES if name in EVENT_VARIABLES]
    reduced = data.drop_vars(events).quantile(list(QUANTILES), dim="path", keep_attrs=True)
    for name in events:  # quantiles of 0/1 flags hide the probability: keep the share
        reduced[name] = data[name].mean("path").astype(np.float32)
        reduced[name].attrs = {"units": "share of paths", "long_name": f"{VARIABLES[name][1]}: share of paths with an episode this quarter"}
    reduced.attrs = data.attrs
    return reduced
