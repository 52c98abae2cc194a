"""The explore page's run: a small sweep over the key uncertainties, then the robustness ranking
(:mod:`hedgelab.analysis.explore.robustness`) and scenario discovery with PRIM
(:mod:`hedgelab.analysis.explore.discovery`), drawn with the explore plots of
:mod:`hedgelab.report.plots`. Larger explorations belong to ``hedgelab explore`` (docs/explore.md)."""

from __future__ import annotations

from dataclasses import dataclass

from hedgelab.analysis.explore.design import make_design, uncertainties
from hedgelab.analysis.explore.discovery import discover
from hedgelab.analysis.explore.robustness import ranking, robustness
from hedgelab.analysis.explore.sweep import sweep
from hedgelab.errors import HedgelabError
from hedgelab.report import plots
from hedgelab.scenarios import Scenario

FUTURES = 48
"""Sampled futures of a dashboard exploration (Latin hypercube over the key uncertainties)."""
MIN_FUTURES = 24
"""Fewest futures the page accepts: PRIM and CART keep boxes of at least 5% of the futures, which
needs 20 or more (CART fails on an empty leaf below that)."""
PATHS_PER_FUTURE = 64
YEARS = 10


@dataclass(frozen=True)
class Settings:
    """An exploration request from the page."""

    metric: str = "prosperity"
    strategy: str = "dual_hedge"  # whose failures PRIM explains (worse than the best other strategy)
    futures: int = FUTURES
    paths: int = PATHS_PER_FUTURE
    years: int = YEARS
    seed: int = 0


def run_exploration(scenario: str, overrides: tuple[str, ...], loaded: Scenario, names: list[str],
                    strategies: tuple[str, ...] | None, settings: Settings, progress) -> dict:  # type: ignore[no-untyped-def]
    """Sweep, rank and discover; return what the page shows (tables as records, figures as SVG)."""
    design = make_design(uncertainties(loaded, names), settings.futures, "lhs", settings.seed)
    results = sweep(scenario, list(strategies) if strategies else None, design, paths_per_sample=settings.paths,
                    years=settings.years, seed=settings.seed, overrides=list(overrides),
                    progress=lambda done, total: progress("futures", done, total))
    table = robustness(results, settings.metric)
    ranks, agreement = ranking(table)
    page = {
        "settings": settings, "uncertainties": design.describe()["uncertainties"],
        "robustness": table.reset_index().to_dict(orient="records"), "units": table.attrs["units"],
        "ranks": ranks.reset_index().to_dict(orient="records"), "agreement": agreement,
        "robustness_svg": plots.figure_svg(plots.robustness_bars(table)),
        "discovery": None, "discovery_error": None,
    }
    try:
        boxes = discover(results, settings.strategy, metric=settings.metric)
    except HedgelabError as err:
        page["discovery_error"] = err.lines
    else:
        page["discovery"] = {"coverage": boxes.coverage, "density": boxes.density,
                             "limits": boxes.limits.to_dict(orient="records"),
                             "svg": plots.figure_svg(plots.prim_plot(boxes))}
    return page
