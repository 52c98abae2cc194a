"""One comparison as the faces show it: per-path outcomes, their summary, quarterly quantiles
and the paired breakdown of two strategies, from one request (the dashboard and the HTML report
both build theirs here, so they show the same thing for the same settings).

Both runs' result sizes are checked before either starts (:func:`check_size`), and an interrupted
phase (Ctrl-C) stops the comparison: no trajectories after interrupted outcomes, and the
comparison is :attr:`Comparison.complete` only when both runs were."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab import api
from hedgelab.analysis.compare import outcome_recorders
from hedgelab.analysis.limits import MAX_RESULT_BYTES, check_result_size
from hedgelab.analysis.runner import QUARTERS_PER_YEAR
from hedgelab.analysis.trajectories import DTYPE as TRAJECTORY_DTYPE, VARIABLES as TRAJECTORY_VARIABLES
from hedgelab.errors import HedgelabError, error_line
from hedgelab.model.recorders import Trajectory
from hedgelab.scenarios import Scenario, load_scenario, strategies_for

DEFAULT_PATHS = 512
"""Paths of a comparison unless asked for more (the dashboard's default; a run takes about a second)."""
DEFAULT_YEARS = 10
"""Horizon of a comparison unless asked for another, in years."""

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: ``phase`` is ``"outcomes"`` or ``"trajectories"``, counts in paths."""


@dataclass(frozen=True)
class Request:
    """What a comparison runs: the scenario (a built-in name or a file path), ``--set`` style
    overrides, strategy names (None: every applicable one), paths, horizon in years and seed."""

    scenario: str
    overrides: tuple[str, ...] = ()
    strategies: tuple[str, ...] | None = None
    n_paths: int = DEFAULT_PATHS
    years: int = DEFAULT_YEARS
    seed: int = 0
    pair: tuple[str, str] | None = None  # (strategy, reference) of the breakdown; default the first two


@dataclass(frozen=True)
class Comparison:
    """The outputs of one :class:`Request`."""

    request: Request
    result: xr.Dataset  # api.run: [strategy, path] (without per-path variables once slimmed)
    summary: pd.DataFrame  # api.summarise
    trajectories: xr.Dataset | None  # api.trajectories, quantiles over paths; None when outcomes were interrupted
    pair: tuple[str, str] | None  # the breakdown's (strategy, reference); None with one strategy
    breakdown: pd.DataFrame | None = field(default=None)  # api.breakdown(result, *pair)

    @property
    def strategies(self) -> list[str]:
        """Strategy names in the order they were run."""
        return [str(s) for s in self.result.strategy.values]

    @property
    def complete(self) -> bool:
        """Whether both runs covered every path asked for (neither was interrupted)."""
        return (bool(self.result.attrs["complete"]) and self.trajectories is not None
                and bool(self.trajectories.attrs["complete"]))

    def slim(self) -> Comparison:
        """The same comparison without the per-path outcomes (kept only to make the summary and
        breakdown): what a cache holds (a few hundred kB instead of up to the result limit)."""
        return replace(self, result=self.result.drop_dims("path"))


def _per_path(loaded: Scenario, n_strategies: int, years: int) -> dict[str, tuple[int, int]]:
    """Numbers kept per path and their size in bytes, by phase."""
    quarters, partners = QUARTERS_PER_YEAR * years, len(loaded.partners)
    outcomes = sum(r.values_per_path(n_strategies, quarters, partners) for r in outcome_recorders())
    trajectory = Trajectory(tuple(TRAJECTORY_VARIABLES)).values_per_path(n_strategies, quarters, partners)
    return {"outcomes": (outcomes, np.dtype(np.float32).itemsize),
            "trajectories": (trajectory, TRAJECTORY_DTYPE.itemsize)}


def max_paths(loaded: Scenario, n_strategies: int, years: int) -> int:
    """Most paths a comparison of ``n_strategies`` over ``years`` may ask for: both runs' results
    within :data:`~hedgelab.analysis.limits.MAX_RESULT_BYTES`, and within ``api.MAX_PATHS``."""
    return min(api.MAX_PATHS, *(MAX_RESULT_BYTES // (values * size)
                                for values, size in _per_path(loaded, n_strategies, years).values()))


def check_size(request: Request, loaded: Scenario | None = None) -> None:
    """Refuse ``request`` before anything runs when either run's results would exceed the limit."""
    loaded = loaded or load_scenario(request.scenario, list(request.overrides))
    names = list(request.strategies) if request.strategies is not None else None
    n_strategies = len(strategies_for(loaded, names))
    for phase, (values, size) in _per_path(loaded, n_strategies, request.years).items():
        check_result_size(request.n_paths, values, size, f"a comparison's {phase}")


def run_comparison(request: Request, progress: Progress | None = None, workers: int | None = None) -> Comparison:
    """Run ``request``: outcomes (:func:`hedgelab.api.run`), then trajectories on the same seed
    (:func:`hedgelab.api.trajectories`), then the breakdown of ``request.pair``. ``progress`` may
    raise to stop the run between chunks. Both runs' sizes are checked first; when the outcomes
    are interrupted (Ctrl-C) the trajectories are not run (``trajectories`` None)."""
    check_size(request)
    names = list(request.strategies) if request.strategies is not None else None
    common = {"n_paths": request.n_paths, "years": request.years, "seed": request.seed,
              "overrides": list(request.overrides), "workers": workers}

    def reporter(phase: str):  # type: ignore[no-untyped-def]
        return None if progress is None else (lambda done, total: progress(phase, done, total))

    if progress is not None:
        progress("outcomes", 0, request.n_paths)
    result = api.run(request.scenario, names, progress=reporter("outcomes"), **common)
    strategies = [str(s) for s in result.strategy.values]
    pair = request.pair or (tuple(strategies[:2]) if len(strategies) >= 2 else None)
    if pair is not None and (pair[0] == pair[1] or not set(pair) <= set(strategies)):
        raise HedgelabError(error_line("request", "pair", f"two different strategies of the comparison "
                                       f"({', '.join(strategies)}), not {', '.join(pair)}"))
    trajectories = None
    if result.attrs["complete"]:
        if progress is not None:
            progress("trajectories", 0, request.n_paths)
        trajectories = api.trajectories(request.scenario, strategies, progress=reporter("trajectories"), **common)
    breakdown = api.breakdown(result, *pair) if pair is not None else None
    return Comparison(request, result, api.summarise(result), trajectories, pair, breakdown)
