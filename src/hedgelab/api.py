"""The Python API that the CLI is a thin layer over.

>>> from hedgelab import api
>>> result = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=256, years=5, seed=0)
>>> summary = api.summarise(result)              # tidy table: strategy x metric, mean and stderr
>>> why = api.breakdown(result, "anchor", "dual_hedge")  # which mechanism drives each gap

Results are :class:`xarray.Dataset` objects with dimensions ``strategy`` and ``path`` and the
scenario, seed, package version and parameter hash in ``attrs``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab import __version__
from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.model import compile_params, compile_policies, draw_shocks, reference_intensity, simulate
from hedgelab.model.params import ModelParams
from hedgelab.model.policy import PolicyArrays
from hedgelab.model.shocks import BLOCK, NORMAL_KINDS, UNIFORM_KINDS
from hedgelab.model.step import PROSPERITY_PARTS
from hedgelab.scenarios import Scenario, Strategy, load_scenario, strategies_for

MAX_PATHS = 10_000_000
"""Largest number of paths one request may ask for (refused before anything is allocated)."""
MAX_PATH_STRATEGIES = 18_000_000
"""Largest paths x strategies per request: per-path results take about 110 bytes per path and
strategy (27 float32 metrics), so this keeps them under about 2 GiB."""

HEADLINE_METRICS: tuple[str, ...] = (
    "security", "prosperity", "autonomy", "depth", "p_coercion", "p_abandonment",
    "p_entrapment", "p_deal", "cvar_prosperity", "deterrence", "taiwan_preparedness",
    "security_without_us",
)
EVENT_METRICS = {"p_coercion": "coercion", "p_abandonment": "abandonment", "p_entrapment": "entrapment", "p_deal": "deal"}
CVAR_LEVEL = 0.05
CHUNK_BYTES = 64 * 2**20  # memory budget for one chunk's shocks
CHUNK_PATHS = 4096  # paths per chunk; `benchmarks/bench_model.py --chunks` compares sizes

Progress = Callable[[int, int], None]


def param_hash(scenario: Scenario) -> str:
    """SHA-256 (first 16 hex digits) of the validated scenario, canonical JSON."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _check_request(n_paths: int, years: int, seed: int = 0) -> None:
    errors = []
    if seed < 0:
        errors.append(error_line("--seed", "seed", f"a whole number of at least 0, got {seed}"))
    if n_paths < 1:
        errors.append(error_line("--paths", "paths", f"a whole number of at least 1, got {n_paths}"))
    if n_paths > MAX_PATHS:
        errors.append(error_line("--paths", "paths", f"at most {MAX_PATHS:,} paths, got {n_paths:,}"))
    if not 1 <= years <= 50:
        errors.append(error_line("--years", "years", f"a horizon between 1 and 50 years, got {years}"))
    if errors:
        raise HedgelabError(errors)


def check_samples(scenario: Scenario, samples: dict[str, np.ndarray], n_paths: int) -> dict[str, np.ndarray]:
    """Validate per-path parameter values: known numeric paths, finite, one per path, in range."""
    from hedgelab.scenarios.table import parameter_rows

    rows = {r["path"]: r for r in parameter_rows(scenario) if isinstance(r["value"], float)}
    checked, errors = {}, []
    for path, values in samples.items():
        if path not in rows:
            errors.append(error_line("samples", path, f"a numeric scenario parameter path{suggest(path, rows)}"))
            continue
        try:
            array = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            errors.append(error_line("samples", path, "an array of numbers"))
            continue
        low, high = rows[path]["range"] or (-np.inf, np.inf)
        if array.shape != (n_paths,):
            errors.append(error_line("samples", path, f"one value per path, shape ({n_paths},), got {array.shape}"))
        elif not np.isfinite(array).all():
            errors.append(error_line("samples", path, "finite numbers (no NaN or infinity)"))
        elif array.min() < low or array.max() > high:
            errors.append(error_line("samples", path, f"values in [{low}, {high}], got [{array.min()}, {array.max()}]"))
        else:
            checked[path] = array
    if errors:
        raise HedgelabError(errors)
    return checked


def check_sampled_state(params: ModelParams) -> None:
    """Cross-parameter constraints on sampled paths (what the schema checks for one scenario)."""
    exposure = params.partner_vectors["exposure"] + params.partner_vectors["routed_exposure"]
    errors = []
    if np.any(exposure.sum(-1) > 1.0 + 1e-9):
        errors.append(error_line("samples", "partners.*.exposure", "direct plus routed exposure summing to at most 1 on every path"))
    fs = params.group("focal_state")
    if np.any(fs.defence_ceiling < fs.defence_spending):
        errors.append(error_line("samples", "focal_state.defence_ceiling", "at least focal_state.defence_spending on every path"))
    if errors:
        raise HedgelabError(errors)


def reference_for(scenario: Scenario) -> dict[str, float]:
    """Event intensities at the base-year state of the scenario's ``events.reference_scenario``
    (loaded as published, without overrides), where the base rates were estimated."""
    return dict(_builtin_reference(scenario.events.reference_scenario))


@lru_cache(maxsize=None)
def _builtin_reference(name: str) -> tuple[tuple[str, float], ...]:
    # The reference is a built-in scenario (the loader checks), fixed for the process: read once.
    return tuple(reference_intensity(compile_params(load_scenario(name))).items())


def chunk_size(n_quarters: int, n_paths: int, itemsize: int = 4) -> int:
    """Paths per chunk so that one chunk's shocks fit :data:`CHUNK_BYTES` (a multiple of BLOCK)."""
    per_path = n_quarters * (len(NORMAL_KINDS) + len(UNIFORM_KINDS)) * itemsize
    blocks = max(1, min(CHUNK_BYTES // (per_path * BLOCK), CHUNK_PATHS // BLOCK))
    return min(blocks * BLOCK, -(-n_paths // BLOCK) * BLOCK)


@dataclass(frozen=True)
class Prepared:
    """A scenario and strategies compiled for the core: what every simulation entry point needs."""

    scenario: Scenario
    strategies: dict[str, Strategy]
    params: ModelParams
    policy: PolicyArrays
    reference: dict[str, float]  # event intensities where the base rates hold


def prepare(
    scenario: str | Scenario, strategies: Sequence[str] | None, overrides: Sequence[str] | None
) -> Prepared:
    """Load the scenario (with overrides), resolve the strategy names (all when None) and compile
    both for :func:`hedgelab.model.simulate`."""
    if isinstance(scenario, str):
        scenario = load_scenario(scenario, list(overrides or []))
    elif overrides:
        raise HedgelabError(error_line("overrides", "scenario", "a scenario name or path when overrides are given"))
    chosen = strategies_for(scenario, list(strategies) if strategies is not None else None)
    params = compile_params(scenario)
    return Prepared(scenario, chosen, params, compile_policies(chosen, params), reference_for(scenario))


def run(
    scenario: str | Scenario = "japan-2026",
    strategies: Sequence[str] | None = None,
    *,
    n_paths: int = 2000,
    years: int = 10,
    seed: int = 0,
    overrides: Sequence[str] | None = None,
    samples: dict[str, np.ndarray] | None = None,
    dtype: np.dtype = np.float32,
    progress: Progress | None = None,
) -> xr.Dataset:
    """Simulate strategies on one scenario and return per-path metrics.

    Parameters
    ----------
    scenario : str or Scenario
        Built-in name, path to a scenario file, or a loaded :class:`Scenario`.
    strategies : list of str, optional
        Strategy names (built-in presets or the scenario's own); all when omitted.
    n_paths, years, seed : int
        Number of sampled futures, horizon in years, and the seed of the shared shocks.
    overrides : list of str
        ``dotted.path=VALUE`` overrides (like ``--set``).
    samples : dict of str to array [n_paths], optional
        Parameters that vary across paths (exploratory runs over uncertainties).
    dtype : numpy dtype
        float32 (fast) or float64.
    progress : callable, optional
        Called as ``progress(paths_done, n_paths)`` after each chunk.

    Returns
    -------
    xarray.Dataset
        Variables ``[strategy, path]`` in float32 (see :func:`hedgelab.model.simulate.simulate`),
        preallocated and filled chunk by chunk (about 110 bytes per path and strategy); attrs
        ``scenario``, ``seed``, ``years``, ``paths``, ``version``, ``param_hash``.
        Interrupting (Ctrl-C) returns the chunks finished so far, with ``attrs['complete'] = 0``.
    """
    _check_request(n_paths, years, seed)
    prepared = prepare(scenario, strategies, overrides)
    scenario, params, policy = prepared.scenario, prepared.params, prepared.policy
    if n_paths * len(policy.names) > MAX_PATH_STRATEGIES:
        raise HedgelabError(error_line(
            "--paths", "paths", f"paths x strategies of at most {MAX_PATH_STRATEGIES:,} "
            f"(got {n_paths:,} x {len(policy.names)}); run fewer strategies or paths at a time",
        ))
    if samples:
        params = params.with_samples(check_samples(scenario, samples, n_paths))
        check_sampled_state(params)
    n_quarters = 4 * years
    step = chunk_size(n_quarters, n_paths, np.dtype(dtype).itemsize)
    columns: dict[str, np.ndarray] = {}  # metric -> [S, n_paths] float32, filled chunk by chunk
    done = 0
    complete = True
    try:
        for start in range(0, n_paths, step):
            width = min(step, n_paths - start)
            shocks = draw_shocks(seed, start, width, n_quarters, dtype)
            chunk_params = params.take(slice(start, start + width))
            metrics = simulate(chunk_params, policy, shocks, dtype=dtype, reference=prepared.reference)
            for name, values in metrics.items():
                if name not in columns:
                    columns[name] = np.empty((len(policy.names), n_paths), dtype=np.float32)
                columns[name][:, start : start + width] = values
            done = start + width
            if progress is not None:
                progress(done, n_paths)
    except KeyboardInterrupt:
        if not done:
            raise
        complete = False
    data = {name: (("strategy", "path"), values[:, :done]) for name, values in columns.items()}
    return xr.Dataset(
        data,
        coords={"strategy": list(policy.names), "path": np.arange(done)},
        attrs={
            "scenario": scenario.name,
            "focal": scenario.focal,
            "seed": seed,
            "years": years,
            "paths": done,
            "version": __version__,
            "param_hash": param_hash(scenario),
            "complete": int(complete),
        },
    )


def _mean_stderr(values: np.ndarray) -> tuple[float, float]:
    """Mean and its standard error (0 for a single value), in float64."""
    values = np.asarray(values, dtype=np.float64)
    stderr = float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else 0.0
    return float(values.mean()), stderr


def _cvar(values: np.ndarray, level: float = CVAR_LEVEL) -> tuple[float, float]:
    """Mean of the worst ``level`` share of values, and its standard error.

    The standard error comes from the influence function of the lower-tail CVaR,
    ``φ(x) = q + min(x − q, 0)/level − CVaR`` with ``q`` the ``level`` quantile, which accounts
    for the uncertainty of the cut-off as well as of the tail mean.
    """
    n_tail = max(1, int(np.ceil(level * len(values))))
    ordered = np.sort(values)
    cvar = float(ordered[:n_tail].mean())
    if len(values) < 2:
        return cvar, 0.0
    cutoff = ordered[n_tail - 1]
    influence = cutoff + np.minimum(values - cutoff, 0.0) / level - cvar
    return cvar, float(influence.std(ddof=1) / np.sqrt(len(values)))


def summarise(result: xr.Dataset) -> pd.DataFrame:
    """Headline metrics per strategy: a tidy table (strategy, metric, mean, stderr).

    Every metric is a mean over paths of a per-path value, except ``cvar_prosperity``, the
    mean prosperity of the worst 5% of paths.
    """
    rows = []
    for strategy in result.strategy.values:
        per_path = result.sel(strategy=strategy)
        for metric in HEADLINE_METRICS:
            if metric == "cvar_prosperity":
                mean, stderr = _cvar(per_path["prosperity"].values.astype(np.float64))
            else:
                mean, stderr = _mean_stderr(per_path[EVENT_METRICS.get(metric, metric)].values)
            rows.append({"strategy": str(strategy), "metric": metric, "mean": mean, "stderr": stderr})
    return pd.DataFrame(rows)


BREAKDOWN: dict[str, tuple[str, ...]] = {
    "prosperity": tuple(f"prosperity_{p}" for p in PROSPERITY_PARTS),
    "security": ("us_protection", "partner_protection", "own_protection", "threat"),
    "autonomy": ("perceived_options", "own_protection", "partner_protection"),
    "p_coercion": ("leverage", "effective_exposure"),
}


def breakdown(result: xr.Dataset, strategy: str, reference: str) -> pd.DataFrame:
    """Why ``strategy`` differs from ``reference``: paired differences of each mechanism.

    Prosperity is an exact sum of its parts (trade gains, energy, defence burden, adjustment
    costs, coercion and entrapment losses), so those rows add up to the prosperity gap. For
    security and autonomy the rows are the paired differences of the quantities they are built
    from (protection by source, threat, perceived options); both strategies saw the same shocks.
    """
    for name in (strategy, reference):
        if name not in result.strategy.values:
            raise HedgelabError(error_line("breakdown", name, f"a strategy in the result ({', '.join(map(str, result.strategy.values))})"))
    a, b = result.sel(strategy=strategy), result.sel(strategy=reference)
    rows = []
    for metric, parts in BREAKDOWN.items():
        source = EVENT_METRICS.get(metric, metric)
        for part in (source, *parts):
            difference, stderr = _mean_stderr(a[part].values.astype(np.float64) - b[part].values)
            rows.append({"metric": metric, "component": part, "difference": difference, "stderr": stderr})
    return pd.DataFrame(rows)
