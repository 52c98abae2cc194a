"""One comparison as the faces show it: per-path outcomes, their summary, quarterly quantiles
and the paired breakdown of two strategies, from one request (the dashboard and the HTML report
both build theirs here, so they show the same thing for the same settings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import xarray as xr

from hedgelab import api
from hedgelab.errors import HedgelabError, error_line

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: ``phase`` is ``"outcomes"`` or ``"trajectories"``, counts in paths."""


@dataclass(frozen=True)
class Request:
    """What a comparison runs: the scenario (a built-in name or a file path), ``--set`` style
    overrides, strategy names (None: every applicable one), paths, horizon in years and seed."""

    scenario: str
    overrides: tuple[str, ...] = ()
    strategies: tuple[str, ...] | None = None
    n_paths: int = 512
    years: int = 10
    seed: int = 0
    pair: tuple[str, str] | None = None  # (strategy, reference) of the breakdown; default the first two


@dataclass(frozen=True)
class Comparison:
    """The outputs of one :class:`Request`."""

    request: Request
    result: xr.Dataset  # api.run: [strategy, path]
    summary: pd.DataFrame  # api.summarise
    trajectories: xr.Dataset  # api.trajectories, quantiles over paths
    pair: tuple[str, str] | None  # the breakdown's (strategy, reference); None with one strategy
    breakdown: pd.DataFrame | None = field(default=None)  # api.breakdown(result, *pair)

    @property
    def strategies(self) -> list[str]:
        """Strategy names in the order they were run."""
        return [str(s) for s in self.result.strategy.values]


def run_comparison(request: Request, progress: Progress | None = None, workers: int | None = None) -> Comparison:
    """Run ``request``: outcomes (:func:`hedgelab.api.run`), then trajectories on the same seed
    (:func:`hedgelab.api.trajectories`), then the breakdown of ``request.pair``. ``progress`` may
    raise to stop the run between chunks."""
    names = list(request.strategies) if request.strategies is not None else None
    common = {"n_paths": request.n_paths, "years": request.years, "seed": request.seed,
              "overrides": list(request.overrides), "workers": workers}

    def reporter(phase: str):  # type: ignore[no-untyped-def]
        return None if progress is None else (lambda done, total: progress(phase, done, total))

    if progress is not None:
        progress("outcomes", 0, request.n_paths)
    result = api.run(request.scenario, names, progress=reporter("outcomes"), **common)
    strategies = [str(s) for s in result.strategy.values]
    if progress is not None:
        progress("trajectories", 0, request.n_paths)
    trajectories = api.trajectories(request.scenario, strategies, progress=reporter("trajectories"), **common)
    pair = request.pair or (tuple(strategies[:2]) if len(strategies) >= 2 else None)
    if pair is not None and (pair[0] == pair[1] or not set(pair) <= set(strategies)):
        raise HedgelabError(error_line("request", "pair", f"two different strategies of the comparison "
                                       f"({', '.join(strategies)}), not {', '.join(pair)}"))
    breakdown = api.breakdown(result, *pair) if pair is not None else None
    return Comparison(request, result, api.summarise(result), trajectories, pair, breakdown)
