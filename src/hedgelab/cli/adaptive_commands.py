"""CLI commands for adaptation under deep uncertainty: tipping, signposts, front, pathways."""

from __future__ import annotations

import sys
from typing import Annotated, Any, Callable, Optional

import numpy as np
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from hedgelab.analysis.explore.front import MAX_PATHS, PRECISION, RECHECK_SEED_OFFSET
from hedgelab.analysis.explore.front import front as trilemma_front
from hedgelab.analysis.explore.pathways import pathways as compare_pathways
from hedgelab.analysis.explore.quarterly import OBJECTIVES, OBSERVABLES
from hedgelab.analysis.explore.signposts import HELD_OUT, HOLD, MAX_FALSE_ALARM, MIN_LEAD
from hedgelab.analysis.explore.signposts import signposts as fit_signposts
from hedgelab.analysis.explore.sweep import load
from hedgelab.analysis.explore.tipping import (
    PRIM_DENSITY, PRIM_MASS_MIN, PRIM_PEEL_ALPHA, WINDOW, Criterion, Tipping,
)
from hedgelab.analysis.explore.tipping import tipping as tipping_dates
from hedgelab.cli.common import OutputFormat, reports_errors, split_names, stderr_console
from hedgelab.cli.explore_commands import (
    EXPLORE_FLAGS, DirArg, FormatOpt, PlotOpt, _number, _print, _thresholds, flag_mapper,
)
from hedgelab.errors import HedgelabError, error_line
from hedgelab.report import plots
from hedgelab.scenarios import DEFAULT_SCENARIO

ADAPTIVE_FLAGS = {
    "criteria": "--threshold", "window": "--window", "early_year": "--early", "held_out": "--held-out",
    "max_false_alarm": "--max-false-alarm", "min_lead": "--min-lead", "objective": "--metric",
    "observable": "--observables", "levers": "--levers", "population": "--population",
    "generations": "--generations", "precision": "--precision", "stay": "--stay", "adaptive": "--adaptive",
    "at_once": "--at-once", "hold": "--hold",
}
"""Library parameter names -> this module's flags (error lines name the flag the user typed)."""


_flags = flag_mapper({**EXPLORE_FLAGS, **ADAPTIVE_FLAGS})


StrategyOpt = Annotated[str, typer.Option("--strategy", help="The strategy whose tipping points to find.")]
ThresholdOpt = Annotated[Optional[list[str]], typer.Option("--threshold", help=(
    "METRIC=BOUND the strategy must meet in the rolling mean of each quarter (>= for higher-is-better "
    f"metrics, <= for risks such as rate_coercion); repeatable: it fails where any is missed. METRIC: "
    f"{', '.join(OBJECTIVES)}."))]
VersusOpt = Annotated[Optional[str], typer.Option("--versus", help=(
    "Also fails where its rolling --metric is worse than this strategy's."))]
MetricOpt = Annotated[str, typer.Option("--metric", help="The metric compared with --versus.")]
WindowOpt = Annotated[int, typer.Option("--window", help="Quarters of the rolling objective.")]


def _criteria(threshold: list[str] | None, versus: str | None, metric: str) -> list[Criterion]:
    found = [Criterion(name, value) for name, value in _thresholds(threshold).items()]
    if versus is not None:
        found.append(Criterion(metric, versus=versus))
    if not found:
        raise HedgelabError(error_line("--threshold", "missing", "METRIC=BOUND (e.g. security=0.45) or --versus B"))
    return found


def _box_rows(found: Tipping) -> list[dict]:
    if found.box is None:
        return []
    return [{k: _number(v) for k, v in r.items()} for r in found.box.limits.to_dict("records")]


def tipping(
    directory: DirArg,
    strategy: StrategyOpt,
    threshold: ThresholdOpt = None,
    versus: VersusOpt = None,
    metric: MetricOpt = "prosperity",
    window: WindowOpt = WINDOW,
    early: Annotated[Optional[float], typer.Option("--early", help=(
        "Years within which tipping counts as early for the PRIM box (default: the median tipping year)."))] = None,
    density: Annotated[float, typer.Option("--density", help=(
        "PRIM: the box of highest coverage with at least this density."))] = PRIM_DENSITY,
    peel_alpha: Annotated[float, typer.Option("--peel-alpha", help="PRIM: share peeled per step.")] = PRIM_PEEL_ALPHA,
    mass_min: Annotated[float, typer.Option("--mass-min", help="PRIM: smallest share of futures in a box.")] = PRIM_MASS_MIN,
    format: FormatOpt = OutputFormat.table,
    plot: PlotOpt = None,
) -> None:
    """When STRATEGY stops meeting its objectives in each future of DIR (explore --quarterly)."""
    results = load(directory)
    found = tipping_dates(results, strategy, _criteria(threshold, versus, metric), window=window, early_year=early,
                          density_target=density, peel_alpha=peel_alpha, mass_min=mass_min)
    criteria = [c.describe() for c in found.criteria]
    quantiles = found.quantiles()
    later = found.quantiles(from_start=False)
    n = len(found.dates)

    def years(q: dict[str, float]) -> dict[str, Any]:
        return {k: "never" if v == float("inf") else _number(v) if v == v else None for k, v in q.items()}

    extra = {"run_id": results.attrs["run_id"], "strategy": strategy, "criteria": criteria, "window": window,
             "n_futures": n, "n_quarters": found.n_quarters, "share_never": found.share_never,
             "share_from_start": found.share_from_start, "n_from_start": int(found.dates["from_start"].sum()),
             "tip_year_quantiles": years(quantiles), "tip_year_quantiles_after_start": years(later),
             "distribution": [{k: _number(v) for k, v in r.items()} for r in found.distribution.to_dict("records")],
             "early_year": found.early_year, "box": None if found.box is None else {
                 "coverage": found.box.coverage, "density": found.box.density, "limits": _box_rows(found)},
             "complete": bool(results.attrs["complete"])}
    if format is OutputFormat.table:
        def year(q: dict[str, float]) -> str:
            return ", ".join(f"{k} {'never' if v == float('inf') else f'{v:g}'}" for k, v in q.items())

        print(f"{strategy} ({' and '.join(criteria)}, rolling {window} quarters) over {n} futures of run "
              f"{results.attrs['run_id']}: never tips in {found.share_never:.1%}; fails from the start (tips in "
              f"quarter {window}, the first with a rolling value) in {found.share_from_start:.1%}; tipping year "
              f"{year(quantiles)}; without the futures failing from the start {year(later)}")
        print(found.distribution.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
        if found.box is not None:
            print(f"tips within {found.early_year:g} years: PRIM box coverage {found.box.coverage:.2f}, "
                  f"density {found.box.density:.2f} (qp: quasi-p-value of each limit)")
            print(found.box.limits.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        else:
            print("no PRIM box: every future, or none, tips early (or too few futures)")
    else:
        _print(found.dates, format, extra)
    if plot is not None:
        plots.save(plots.tipping_plot(found), plot)


def signposts(
    directory: DirArg,
    strategy: StrategyOpt,
    threshold: ThresholdOpt = None,
    versus: VersusOpt = None,
    metric: MetricOpt = "prosperity",
    window: WindowOpt = WINDOW,
    observables: Annotated[Optional[str], typer.Option("--observables", help=(
        f"Comma-separated observables (default: all of {', '.join(OBSERVABLES)})."))] = None,
    held_out: Annotated[float, typer.Option("--held-out", help="Share of futures held out for scoring.")] = HELD_OUT,
    max_false_alarm: Annotated[float, typer.Option("--max-false-alarm", help=(
        "Largest false-alarm rate (share of calm paths) a fitted threshold may have on the fitting futures."))
    ] = MAX_FALSE_ALARM,
    min_lead: Annotated[int, typer.Option("--min-lead", help="Quarters of warning a hit needs at least.")] = MIN_LEAD,
    hold: Annotated[int, typer.Option("--hold", help=(
        "Consecutive quarters beyond the threshold before a signpost fires (a switch's quarters)."))] = HOLD,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the fitting/held-out split.")] = 0,
    format: FormatOpt = OutputFormat.table,
    plot: PlotOpt = None,
) -> None:
    """Observables and thresholds that warn earliest and most reliably, on one path, that STRATEGY will tip."""
    results = load(directory)
    found = fit_signposts(results, strategy, _criteria(threshold, versus, metric), observables=split_names(observables),
                          window=window, held_out=held_out, seed=seed, max_false_alarm=max_false_alarm,
                          min_lead=min_lead, hold=hold)
    table = found.table
    attrs = table.attrs
    first = table.iloc[0]
    extra = {"run_id": results.attrs["run_id"], "strategy": strategy, "criteria": attrs["criteria"],
             "window": window, "n_fit": attrs["n_fit"], "n_held_out": attrs["n_held_out"],
             "n_paths": int(first["n_paths"]), "n_fit_from_start": int(first["n_fit_from_start"]),
             "n_heldout_from_start": int(first["n_heldout_from_start"]), "hold": hold,
             "max_false_alarm": max_false_alarm, "min_lead": min_lead, "seed": seed,
             "share_never": found.tipping.share_never if found.tipping is not None else None,
             "firing": found.firing.to_dict("records")}  # held-out paths firing per quarter: hits, late, false alarms
    shown = table
    if format is OutputFormat.table:
        shown = table[["signal", "direction", "threshold", "unit", "fit_warning", "fit_false_alarm_rate",
                       "heldout_warning", "heldout_median_lead", "heldout_hit_rate", "heldout_false_alarm_rate",
                       "heldout_median_fire", "heldout_first_quarter", "at_once"]]
        shown = shown.assign(direction=shown["direction"].fillna("none"))  # no warning within the false-alarm cap
    _print(shown, format, extra, title=(
        f"signposts of {strategy} tipping ({' and '.join(attrs['criteria'])}) in run {results.attrs['run_id']}, "
        f"scored path by path on {int(first['n_paths'])} paths per future: fitted on {attrs['n_fit']} futures "
        f"({int(first['n_fit_tipped'])} tip), scored on {attrs['n_held_out']} held out "
        f"({int(first['n_heldout_tipped'])} tip); {int(first['n_fit_from_start'] + first['n_heldout_from_start'])} "
        f"futures failing from the start (quarter {window}) set aside; fires after {hold} quarter(s) beyond; "
        f"warning = quarters of lead per path of a tipping future, misses 0; false alarms = share of paths of "
        f"never-tipping futures, at most {max_false_alarm:g} when fitted; at_once: every hit fires in the first "
        f"quarter (reads which future it is, not a change along the path)"))
    if plot is not None:
        plots.save(plots.signpost_plot(found), plot)


FRONT_ROWS = 12
"""Front points a table shows at most."""


def _spread(points, objectives: list[str], most: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Row labels of the best point in each objective and others evenly spaced (points are sorted)."""
    best = [int(points[name].idxmax()) for name in objectives]
    even = [int(i) for i in np.linspace(0, len(points) - 1, max(0, most - len(best))).round()]
    return sorted(set(best) | set(even))


class _Generations:
    """A progress bar over NSGA-II generations (stderr, terminals only)."""

    def __enter__(self) -> Callable[[int, int], None]:
        self.bar = Progress(TextColumn("[bold]searching"), BarColumn(), TextColumn("{task.completed}/{task.total} "
                            "generations"), TimeElapsedColumn(), console=stderr_console, transient=True,
                            disable=not sys.stderr.isatty())
        self.bar.__enter__()
        self.task = self.bar.add_task("front", total=None)
        return lambda done, total: self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *args: Any) -> None:
        self.bar.__exit__(*args)


def front(
    scenario: Annotated[str, typer.Option("--scenario", "-s", help="Built-in name or a .toml/.yaml file.")] = DEFAULT_SCENARIO,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="dotted.path=VALUE; repeatable.")] = None,
    levers: Annotated[Optional[str], typer.Option("--levers", help=(
        "Comma-separated levers to search (default: every scalar lever and role shift, e.g. patron.security)."))] = None,
    paths: Annotated[Optional[int], typer.Option("--paths", help=(
        f"Paths per evaluation (default: chosen by a pilot run so standard errors are under {PRECISION:.0%} of each "
        f"range, at most {MAX_PATHS:,}; a warning says when the achieved ratio is above it)."))] = None,
    years: Annotated[int, typer.Option("--years", help="Horizon in years.")] = 10,
    seed: Annotated[int, typer.Option("--seed", help=(
        f"Seed of the shocks and the search (seed + {RECHECK_SEED_OFFSET} re-checks)."))] = 0,
    population: Annotated[int, typer.Option("--population", help="NSGA-II population.")] = 40,
    generations: Annotated[int, typer.Option("--generations", help="NSGA-II generations.")] = 25,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Worker threads (default: all cores).")] = None,
    format: FormatOpt = OutputFormat.table,
    plot: PlotOpt = None,
) -> None:
    """The trilemma front (deterrence, Taiwan preparedness, security without the US) and the named strategies on it."""
    with _Generations() as progress:
        found = trilemma_front(scenario, lever_names=split_names(levers), overrides=set_, n_paths=paths, years=years,
                               seed=seed, population=population, generations=generations, workers=workers,
                               progress=progress)
    s, r = found.settings, found.recheck
    extra = {"settings": s, "recheck": r, "warning": found.warning,
             "named": [{k: _number(v) for k, v in row.items()} for row in found.named.to_dict("records")]}
    if format is OutputFormat.table:
        ratio = max(s["se_over_range"].values())
        print(f"trilemma front of {s['scenario']}: {len(found.points)} non-dominated points of {s['evaluations']} "
              f"evaluated ({s['population']} x {s['generations']} generations, {len(s['levers'])} levers), "
              f"{s['n_paths']:,} paths x {s['years']} years each, seed {s['seed']}; largest standard error "
              f"{ratio:.2%} of an objective's range")
        print(f"re-checked on seed {r['seed']} ({r['n_rechecked']} points: the named strategies and the first "
              f"{r['layers']} non-dominated layers): {r['share_still_non_dominated']:.0%} of the front still "
              f"non-dominated, {len(r['joined_from_behind'])} from behind join it; largest shift "
              f"{r['max_shift_over_se']:.1f} standard errors of a difference")
        print("named strategies (distance: IGD+ to the front in units of its range; 0 = on it)")
        print(found.named.drop(columns=[c for c in found.named.columns if c.endswith("_se")]).to_string(
            index=False, float_format=lambda v: f"{v:.4g}"))
        cols = ["point", "origin", "deterrence", "taiwan_preparedness", "security_without_us"]
        shown = _spread(found.points, cols[2:], FRONT_ROWS)
        print(f"front: {len(shown)} of its {len(found.points)} points, the best in each objective and others spread "
              "along it by deterrence (--format csv gives every point and lever)")
        print(found.points.loc[shown, cols].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    else:
        _print(found.points, format, extra)
    if plot is not None:
        plots.save(plots.front_plot(found), plot)


def pathways(
    directory: DirArg,
    adaptive: Annotated[str, typer.Option("--adaptive", help="The adaptive strategy (switches on a signpost).")],
    stay: Annotated[str, typer.Option("--stay", help="The strategy it starts as (never switching).")],
    at_once: Annotated[str, typer.Option("--at-once", help="The strategy it switches to (switching at once).")],
    metric: Annotated[str, typer.Option("--metric", help="A registry metric with a direction.")] = "prosperity",
    threshold: ThresholdOpt = None,
    window: WindowOpt = WINDOW,
    format: FormatOpt = OutputFormat.table,
) -> None:
    """Does switching on a signpost beat staying put and switching at once? Robustness and tipping side by side."""
    results = load(directory)
    found = compare_pathways(results, adaptive=adaptive, stay=stay, at_once=at_once, metric=metric,
                             criteria=[Criterion(n, v) for n, v in _thresholds(threshold).items()], window=window)
    extra = {"run_id": results.attrs["run_id"], "metric": metric, **found.summary}
    table = found.table.reset_index()
    if format is OutputFormat.table:  # the three compared; ranks are among every strategy of the sweep
        table = table[table["role"] != ""]
    _print(table, format, extra, title=(
        f"{adaptive} against staying with {stay} and switching at once to {at_once} on {metric} "
        f"({found.summary['units']}) over {found.summary['n_futures']} futures of run {results.attrs['run_id']}"))
    if format is OutputFormat.table:
        print(found.verdict)


def register(app: typer.Typer) -> None:
    """Add the adaptation commands to ``app``."""
    for command in (tipping, signposts, front, pathways):
        app.command(name=command.__name__)(reports_errors(_flags(command)))

