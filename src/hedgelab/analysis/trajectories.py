"""Per-quarter trajectories: what ``hedgelab simulate`` writes.

Records a fixed set of state and outcome variables every quarter, for all paths or as
quantiles over paths, as an :class:`xarray.Dataset` with dimensions ``strategy``, ``quarter``
and ``path`` (or ``quantile``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from hedgelab.api import _check_request, param_hash, prepare
from hedgelab import __version__
from hedgelab.errors import HedgelabError, error_line
from hedgelab.model import draw_shocks, simulate
from hedgelab.model.state import ECONOMY, SECURITY, State
from hedgelab.scenarios import Scenario
from hedgelab.model.step import PROSPERITY_PARTS, Quarter

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
MAX_VALUES = 400_000_000  # strategies x paths x quarters x variables held in memory at once


def _record_row(params, state: State, quarter: Quarter) -> dict[str, np.ndarray]:
    focal, env, mech = state.focal, state.environment, quarter.mechanisms
    shape = focal.spending.shape
    per_path = lambda x: np.broadcast_to(x, shape)  # noqa: E731 - environment is [P]
    return {
        "security": mech.security,
        "prosperity": sum(quarter.prosperity[p] for p in PROSPERITY_PARTS),
        "autonomy": mech.autonomy,
        "patron_security_alignment": focal.alignment[..., params.patron, SECURITY],
        "challenger_economic_alignment": focal.alignment[..., params.challenger, ECONOMY],
        "effective_exposure": mech.effective_exposure,
        "defence_spending": focal.spending,
        "support": focal.support,
        "coercion": quarter.events["coercion"].astype(np.float32),
        "abandonment": quarter.events["abandonment"].astype(np.float32),
        "us_reliability": per_path(quarter.reliability),
        "assertiveness": per_path(env.assertiveness),
        "convergence": per_path(env.convergence),
        "taiwan_tension": per_path(env.tension),
    }


EVENT_VARIABLES = ("coercion", "abandonment")
"""0/1 event indicators; summarised as the share of paths, not as quantiles."""

VARIABLES = (
    "security", "prosperity", "autonomy", "patron_security_alignment", "challenger_economic_alignment",
    "effective_exposure", "defence_spending", "support", "coercion", "abandonment", "us_reliability",
    "assertiveness", "convergence", "taiwan_tension",
)


def trajectories(
    scenario: str | Scenario = "japan-2026",
    strategies: Sequence[str] | None = None,
    *,
    n_paths: int = 500,
    years: int = 10,
    seed: int = 0,
    overrides: Sequence[str] | None = None,
    quantiles: bool = True,
) -> xr.Dataset:
    """Simulate and keep every quarter: all paths, or quantiles over paths (default; the event
    indicators then become ``coercion_share`` and ``abandonment_share``, the share of paths with
    an episode that quarter)."""
    _check_request(n_paths, years, seed)
    prepared = prepare(scenario, strategies, overrides)
    params, policy = prepared.params, prepared.policy
    n_quarters = 4 * years
    size = len(policy.names) * n_paths * n_quarters * len(VARIABLES)
    if size > MAX_VALUES:
        raise HedgelabError(error_line(
            "--paths", "paths", f"strategies x paths x quarters x {len(VARIABLES)} variables of at most {MAX_VALUES:,} (got {size:,}); use fewer paths or years"
        ))
    store = {v: np.empty((len(policy.names), n_quarters, n_paths), dtype=np.float32) for v in VARIABLES}

    def record(t: int, state: State, quarter: Quarter) -> None:
        for name, value in _record_row(params, state, quarter).items():
            store[name][:, t, :] = value

    simulate(params, policy, draw_shocks(seed, 0, n_paths, n_quarters), record=record, reference=prepared.reference)
    data = xr.Dataset(
        {name: (("strategy", "quarter", "path"), values) for name, values in store.items()},
        coords={"strategy": list(policy.names), "quarter": np.arange(1, n_quarters + 1), "path": np.arange(n_paths)},
        attrs={"scenario": prepared.scenario.name, "seed": seed, "years": years, "paths": n_paths,
               "version": __version__, "param_hash": param_hash(prepared.scenario)},
    )
    if quantiles:
        continuous = data.drop_vars(list(EVENT_VARIABLES))
        reduced = continuous.quantile(list(QUANTILES), dim="path")
        for name in EVENT_VARIABLES:  # quantiles of 0/1 flags hide the probability: keep the share
            reduced[f"{name}_share"] = data[name].mean("path")
        reduced.attrs = data.attrs
        return reduced
    return data
