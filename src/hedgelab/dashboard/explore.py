"""The explore page's run: a small sweep over the key uncertainties (with quarterly series), then
the robustness ranking (:mod:`hedgelab.analysis.explore.robustness`), scenario discovery with
PRIM (:mod:`hedgelab.analysis.explore.discovery`), tipping points and signposts of the chosen
strategy against a reference (:mod:`~hedgelab.analysis.explore.tipping`,
:mod:`~hedgelab.analysis.explore.signposts`) and, when asked, a small trilemma front
(:mod:`hedgelab.analysis.explore.front`), drawn with the explore plots of
:mod:`hedgelab.report.plots`. Larger explorations belong to ``hedgelab explore`` and its
companions (docs/explore.md)."""

from __future__ import annotations

from dataclasses import dataclass

from hedgelab.analysis.explore.design import make_design, uncertainties
from hedgelab.analysis.explore.discovery import discover
from hedgelab.analysis.explore.front import front
from hedgelab.analysis.explore.quarterly import OBJECTIVES, SERIES
from hedgelab.analysis.explore.robustness import ranking, robustness
from hedgelab.analysis.explore.signposts import OBSERVED_SERIES, signposts
from hedgelab.analysis.explore.sweep import sweep
from hedgelab.analysis.explore.tipping import Criterion, tipping
from hedgelab.errors import HedgelabError, error_line
from hedgelab.report import plots
from hedgelab.scenarios import Scenario

FUTURES = 32
"""Sampled futures of a dashboard exploration (Latin hypercube over the key uncertainties)."""
MIN_FUTURES = 24
"""Fewest futures the page accepts: PRIM and CART keep boxes of at least 5% of the futures, which
needs 20 or more (CART fails on an empty leaf below that)."""
MAX_FUTURES = 512
"""Most futures the page accepts (larger sweeps belong to ``hedgelab explore``)."""
PATHS_PER_FUTURE = 64
"""Paths per future of a dashboard exploration unless the user asks for another number."""
MIN_PATHS_PER_FUTURE = 8
"""Fewest paths per future the page accepts (fewer leave a future's mean mostly noise)."""
MAX_PATHS_PER_FUTURE = 4096
"""Most paths per future the page accepts (with :data:`MAX_FUTURES`, about two million paths)."""
YEARS = 10
"""Horizon of a dashboard exploration unless the user asks for another, in years."""
FRONT_PATHS = 128
"""Paths per evaluation of the page's trilemma front (``hedgelab front`` picks them for 1% precision)."""
FRONT_POPULATION = 12
FRONT_GENERATIONS = 4
SIGNPOSTS_SHOWN = 6
"""Rows of the signpost table on the page (the best by warning per failure)."""


@dataclass(frozen=True)
class Settings:
    """An exploration request from the page."""

    metric: str = "prosperity"
    strategy: str = "dual_hedge"  # whose failures PRIM explains (worse than the best other strategy)
    reference: str = "anchor"  # tipping and signposts: where the strategy's rolling metric falls below this one's
    futures: int = FUTURES
    paths: int = PATHS_PER_FUTURE
    years: int = YEARS
    seed: int = 0
    front: bool = False  # also search a small trilemma front


def run_exploration(scenario: str, overrides: tuple[str, ...], loaded: Scenario, names: list[str],
                    strategies: tuple[str, ...] | None, settings: Settings, progress) -> dict:  # type: ignore[no-untyped-def]
    """Sweep, rank, discover, find tipping points and signposts (and the front when asked); return
    what the page shows (tables as records, figures as SVG, each analysis's error lines when it has
    nothing to show for these futures)."""
    design = make_design(uncertainties(loaded, names), settings.futures, "lhs", settings.seed)
    results = sweep(scenario, list(strategies) if strategies else None, design, paths_per_sample=settings.paths,
                    years=settings.years, seed=settings.seed, overrides=list(overrides), series=SERIES,
                    observed=OBSERVED_SERIES,  # signposts are scored path by path
                    progress=lambda done, total: progress("futures", done, total))
    table = robustness(results, settings.metric)
    ranks, agreement = ranking(table)
    page = {
        "settings": settings, "uncertainties": design.describe()["uncertainties"],
        "robustness": table.reset_index().to_dict(orient="records"), "units": table.attrs["units"],
        "ranks": ranks.reset_index().to_dict(orient="records"), "agreement": agreement,
        "robustness_svg": plots.figure_svg(plots.robustness_bars(table)),
    }
    page["discovery"], page["discovery_error"] = _attempt(lambda: _discovery(results, settings))
    page["tipping"], page["tipping_error"] = _attempt(lambda: _tipping(results, settings))
    page["front"], page["front_error"] = (None, None) if not settings.front else _attempt(lambda: _front(
        scenario, overrides, settings, progress))
    return page


def _attempt(analysis) -> tuple[dict | None, list[str] | None]:  # type: ignore[no-untyped-def]
    """``(result, None)``, or ``(None, error lines)`` when the analysis has nothing to show."""
    try:
        return analysis(), None
    except HedgelabError as err:
        return None, err.lines


def _discovery(results, settings: Settings) -> dict:  # type: ignore[no-untyped-def]
    boxes = discover(results, settings.strategy, metric=settings.metric)
    return {"coverage": boxes.coverage, "density": boxes.density, "limits": boxes.limits.to_dict(orient="records"),
            "svg": plots.figure_svg(plots.prim_plot(boxes))}


def _tipping(results, settings: Settings) -> dict:  # type: ignore[no-untyped-def]
    if settings.metric not in OBJECTIVES:
        raise HedgelabError(error_line("form", "metric", f"a metric with a quarterly value for tipping points "
                                       f"({', '.join(OBJECTIVES)}), not {settings.metric}"))
    criteria = [Criterion(settings.metric, versus=settings.reference)]
    found = tipping(results, settings.strategy, criteria)
    posts = signposts(results, settings.strategy, criteria)
    shown = posts.table.dropna(subset=["threshold"]).head(SIGNPOSTS_SHOWN)
    return {"criteria": [c.describe() for c in criteria], "share_never": found.share_never,
            "quantiles": found.quantiles(), "distribution": found.distribution.to_dict(orient="records"),
            "svg": plots.figure_svg(plots.tipping_plot(found)),
            "signposts": shown[["signal", "direction", "threshold", "unit", "fit_warning", "heldout_hit_rate",
                                "heldout_false_alarm_rate", "heldout_median_lead"]].to_dict(orient="records"),
            "signposts_svg": plots.figure_svg(plots.signpost_plot(posts)) if len(shown) else None}


def _front(scenario: str, overrides: tuple[str, ...], settings: Settings, progress) -> dict:  # type: ignore[no-untyped-def]
    found = front(scenario, overrides=list(overrides), n_paths=FRONT_PATHS, years=settings.years, seed=settings.seed,
                  population=FRONT_POPULATION, generations=FRONT_GENERATIONS,
                  progress=lambda done, total: progress("front generations", done, total))
    return {"points": len(found.points), "named": found.named.to_dict(orient="records"),
            "svg": plots.figure_svg(plots.front_plot(found)), "n_paths": found.settings["n_paths"]}
