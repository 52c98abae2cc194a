"""CLI commands for exploration under deep uncertainty: explore, robust, sensitivity, discover, runs."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import numpy as np
import pandas as pd
import typer
from rich.progress import TextColumn, TimeElapsedColumn

from hedgelab.analysis.distributed import DaskExecutor
from hedgelab.analysis.explore.catalog import list_runs
from hedgelab.analysis.explore.design import make_design, read_ranges, uncertainties
from hedgelab.analysis.explore.discovery import discover as discover_boxes
from hedgelab.analysis.explore.quarterly import SERIES as QUARTERLY_SERIES
from hedgelab.analysis.explore.robustness import MEASURES, ranking, robustness
from hedgelab.analysis.explore.sensitivity import sensitivity as sobol_sensitivity
from hedgelab.analysis.explore.signposts import OBSERVED_SERIES
from hedgelab.analysis.explore.sweep import OBSERVED_PATHS, load, sweep
from hedgelab.cli.common import (
    FLAGS, Backend, BackendOpt, OutputFormat, as_flags, progress_bar, reports_errors, split_names, use_backend,
)
from hedgelab.cli.entry import EXIT_INTERRUPTED
from hedgelab.errors import HedgelabError, error_line
from hedgelab.report import plots
from hedgelab.scenarios import DEFAULT_SCENARIO, load_scenario
from hedgelab.store import significant
from hedgelab.store.formats import TEXT_FLOAT_FORMAT

EXPLORE_FLAGS = {
    "n_samples": "--samples", "design": "--design", "uncertainties": "--uncertainties", "metric": "--metric",
    "thresholds": "--threshold", "threshold": "--threshold", "density_target": "--density", "peel_alpha": "--peel-alpha",
    "mass_min": "--mass-min", "strategy": "--strategy", "versus": "--versus", "query": "--query",
    "address": "--scheduler", "n_workers": "--workers",
}
"""Library parameter names -> this module's flags (error lines name the flag the user typed)."""


class DesignOpt(str, Enum):
    """Designs ``explore`` can draw."""

    lhs = "lhs"
    sobol = "sobol"


class Engine(str, Enum):
    """Where the sweep's chunks run."""

    local = "local"
    ray = "ray"
    dask = "dask"


def flag_mapper(own: dict[str, str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator mapping library parameter names in error lines to ``own`` flags (then the shared ones)."""
    flags = {**FLAGS, **own}

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except HedgelabError as err:
                raise HedgelabError([as_flags(line, flags) for line in err.lines]) from None

        return wrapper

    return decorate


_flags = flag_mapper(EXPLORE_FLAGS)
"""Map library parameter names in error lines to this module's flags (then the shared ones)."""


def _number(x: Any) -> Any:
    if isinstance(x, (float, np.floating)):
        return significant(float(x))
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def _print(frame: pd.DataFrame, format: OutputFormat, extra: dict | None = None, title: str = "") -> None:
    if format is OutputFormat.csv:
        sys.stdout.write(frame.to_csv(index=False, float_format=TEXT_FLOAT_FORMAT))
    elif format is OutputFormat.json:
        rows = [{k: _number(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        print(json.dumps({**(extra or {}), "rows": rows}, allow_nan=False, default=_number))
    else:
        if title:
            print(title)
        print(frame.to_string(index=False, float_format=lambda v: f"{v:.4g}"))


def _check_engine(engine: Engine, scheduler: str | None, workers: int | None) -> None:
    """One line for a combination of --engine, --scheduler and --workers that cannot run."""
    if engine is Engine.ray:
        raise HedgelabError(error_line("--engine", "ray", (
            "local or dask: hedgelab scales out with Dask distributed (pure-Python wheels, a local cluster "
            "for tests, no object store or daemon; docs/explore.md)")))
    if scheduler is not None and engine is not Engine.dask:
        raise HedgelabError(error_line("--scheduler", scheduler, "to come with --engine dask"))
    if scheduler is not None and workers is not None:
        raise HedgelabError(error_line("--workers", str(workers), (
            "not given with --scheduler (the cluster's own workers run the chunks)")))


FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table, json or csv.")]
PlotOpt = Annotated[Optional[Path], typer.Option("--plot", help="Also draw the result to FILE (.png or .svg).")]
DirArg = Annotated[Path, typer.Argument(help="An exploration directory (hedgelab explore --out DIR).")]


def explore(
    out: Annotated[Path, typer.Option("--out", help="Directory for the sweep (resumed when it holds the same one).")],
    samples: Annotated[int, typer.Option("--samples", help=(
        "lhs: number of sampled futures; sobol: base samples N, a power of 2, giving N x (D + 2) futures "
        "for D uncertainties."))],
    scenario: Annotated[str, typer.Option("--scenario", "-s", help="Built-in name or a .toml/.yaml file.")] = DEFAULT_SCENARIO,
    strategies: Annotated[Optional[str], typer.Option(help="Comma-separated strategy names (default: all).")] = None,
    design: Annotated[DesignOpt, typer.Option("--design", help="lhs (Latin hypercube) or sobol (Saltelli, for "
                                              "hedgelab sensitivity).")] = DesignOpt.lhs,
    uncertainties_: Annotated[Optional[str], typer.Option("--uncertainties", help=(
        "Comma-separated parameter paths to sample (default: every kind=uncertainty parameter with a range)."))] = None,
    ranges: Annotated[Optional[Path], typer.Option("--ranges", help=(
        'A TOML/YAML/JSON file of "dotted.path" = [low, high] to sample instead (inside the plausible ranges).'))] = None,
    paths: Annotated[int, typer.Option("--paths", help="Paths per sampled future (all futures share their shocks).")] = 200,
    years: Annotated[int, typer.Option("--years", help="Horizon in years.")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the design and of the shocks.")] = 0,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="dotted.path=VALUE; repeatable.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help=(
        "Worker threads, or worker processes of the local cluster with --engine dask (default: every available "
        "core); results do not depend on it."))] = None,
    chunk_samples: Annotated[Optional[int], typer.Option("--chunk-samples", min=1, help=(
        "Futures per engine run and per stored chunk (default: 16,384 paths' worth); results do not depend on it."))] = None,
    engine: Annotated[Engine, typer.Option("--engine", help=(
        "local (threads on this machine) or dask (Dask distributed: a local cluster of --workers processes, or "
        "the cluster at --scheduler; needs pip install 'hedgelab[distributed]'). ray is not supported."))] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help=(
        "Address of a running Dask scheduler (tcp://host:8786) for --engine dask."))] = None,
    quarterly: Annotated[bool, typer.Option("--quarterly", help=(
        "Also keep each future's across-path mean per quarter of the objectives and observables "
        "(for hedgelab tipping and signposts)."))] = False,
    observed_paths: Annotated[int, typer.Option("--observed-paths", min=1, help=(
        "With --quarterly, paths per future whose observables are kept path by path (what hedgelab signposts "
        "scores warnings on: a government sees one path)."))] = OBSERVED_PATHS,
    backend: BackendOpt = Backend.auto,
) -> None:
    """Run every strategy on every sampled future into DIR (Parquet chunks, sweep.json, catalog.duckdb)."""
    use_backend(backend)
    _check_engine(engine, scheduler, workers)
    loaded = load_scenario(scenario, set_ or [])
    chosen = uncertainties(loaded, split_names(uncertainties_), read_ranges(ranges) if ranges else None,
                           where=str(ranges) if ranges else "request")
    drawn = make_design(chosen, samples, design.value, seed)
    with contextlib.ExitStack() as stack:
        executor = None
        if engine is Engine.dask:  # closed (a local cluster stopped) when the sweep ends, however it ends
            executor = stack.enter_context(DaskExecutor(scheduler, n_workers=None if scheduler else workers))
        bar = stack.enter_context(progress_bar("exploring", TextColumn("{task.fields[rate]}"), TimeElapsedColumn()))
        task = bar.add_task("sweep", total=drawn.n_samples * paths, rate="")

        def progress(done: int, total: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{done * 4 * years / elapsed / 1e3:,.0f}k path-quarters/s" if elapsed > 0 else ""
            bar.update(task, completed=done, rate=rate)

        result = sweep(loaded, split_names(strategies), drawn, paths_per_sample=paths, years=years, seed=seed,
                       overrides=set_, out=out, samples_per_chunk=chunk_samples, workers=workers,
                       executor=executor, progress=progress, series=QUARTERLY_SERIES if quarterly else (),
                       observed=OBSERVED_SERIES if quarterly else (), observed_paths=observed_paths)
    attrs = result.attrs
    where = "" if executor is None else f" on Dask ({attrs['workers']} workers{', ' + scheduler if scheduler else ''})"
    print(f"run {attrs['run_id']}: {attrs['samples_done']:,} of {drawn.n_samples:,} futures "
          f"({len(chosen)} uncertainties, {design.value}) x {len(result.strategy)} strategies x {paths:,} paths x "
          f"{years} years in {attrs['elapsed_s']:.1f} s{where} -> {out}")
    if not attrs["complete"]:
        print(f"interrupted: {attrs['samples_done']:,} of {drawn.n_samples:,} futures are stored in {out}; "
              "run the same command again to resume", file=sys.stderr)
        raise typer.Exit(code=EXIT_INTERRUPTED)


def _thresholds(items: list[str] | None) -> dict[str, float]:
    """``METRIC=NUMBER`` items as a mapping; one line naming --threshold for a malformed item, a
    non-finite number or a metric given twice."""
    found: dict[str, float] = {}
    errors = []
    for item in items or []:
        name, sep, value = item.partition("=")
        try:
            number = float(value) if sep else None
        except ValueError:
            number = None
        if number is None or not np.isfinite(number):
            errors.append(error_line("--threshold", item, "METRIC=NUMBER with a finite number, e.g. security=0.45"))
        elif name.strip() in found:
            errors.append(error_line("--threshold", item, f"each METRIC once; {name.strip()} is given twice"))
        else:
            found[name.strip()] = number
    if errors:
        raise HedgelabError(errors[:1])
    return found


def robust(
    directory: DirArg,
    metric: Annotated[str, typer.Option("--metric", help="A registry metric with a direction.")] = "prosperity",
    threshold: Annotated[Optional[list[str]], typer.Option("--threshold", help=(
        "METRIC=BOUND a future must meet for satisficing (>= for higher-is-better metrics, <= for lower); "
        "repeatable."))] = None,
    format: FormatOpt = OutputFormat.table,
    plot: PlotOpt = None,
) -> None:
    """Robustness of each strategy across the sweep's futures: regret, satisficing, percentiles, rankings."""
    results = load(directory)
    table = robustness(results, metric, thresholds=_thresholds(threshold))
    ranks, agreement = ranking(table)
    merged = table.join(ranks.drop(columns="rank_range").add_prefix("rank_")).join(ranks["rank_range"]).reset_index()
    extra = {"run_id": results.attrs["run_id"], "metric": metric, "units": table.attrs["units"],
             "better": table.attrs["better"], "n_futures": table.attrs["n_futures"],
             "thresholds": table.attrs["thresholds"], "measures": {m: MEASURES[m] for m in agreement["measures"]},
             "agreement": agreement, "complete": bool(results.attrs["complete"])}
    _print(merged, format, extra, title=(
        f"{metric} ({table.attrs['units']}, {table.attrs['better']} is better) across {table.attrs['n_futures']} "
        f"futures of run {results.attrs['run_id']}"))
    if format is OutputFormat.table:
        print(f"most robust: {', '.join(f'{m}: {s}' for m, s in agreement['best'].items())}; "
              f"Kendall's W across measures {agreement['kendall_w']:.3f} (1 = every measure ranks alike)")
    if plot is not None:
        plots.save(plots.robustness_bars(table, ("mean", "mean_regret", *(("satisficing",) if threshold else ()))), plot)


def sensitivity(
    directory: DirArg,
    metric: Annotated[str, typer.Option("--metric", help="Comma-separated metrics.")] = "prosperity",
    difference: Annotated[Optional[list[str]], typer.Option("--difference", help=(
        "A-B: indices of strategy A minus strategy B (repeatable), e.g. dual_hedge-anchor."))] = None,
    resamples: Annotated[int, typer.Option("--resamples", help="Bootstrap resamples for the intervals.")] = 1000,
    top: Annotated[int, typer.Option("--top", help="Rows per output in the table and the plot, by total index.")] = 10,
    format: FormatOpt = OutputFormat.table,
    plot: PlotOpt = None,
) -> None:
    """Sobol first-order and total indices (95% intervals) of each strategy's metric and of differences."""
    results = load(directory)
    known = [str(s) for s in results.strategy.values]
    pairs = [_pair(d, known) for d in difference or []]
    metrics = split_names(metric) or []
    table = sobol_sensitivity(results, metrics, strategies=[] if pairs else None, differences=pairs,
                              n_resamples=resamples, conf_level=0.95, seed=0)
    shown = table.sort_values(["output", "ST"], ascending=[True, False], kind="stable").groupby(
        "output", sort=False).head(top)
    _print(shown, format, {"run_id": results.attrs["run_id"], "conf_level": 0.95, "n_samples": table.attrs["n_samples"],
                           "units": table.attrs["units"]},
           title=f"Sobol indices over {table.attrs['n_samples']:,} futures of run {results.attrs['run_id']} "
                 "(S1 first order, ST total; _conf: 95% half-width)")
    if plot is not None:
        plots.save(plots.sobol_bars(table, str(shown["output"].iloc[0]), top), plot)


def _pair(text: str, known: list[str]) -> tuple[str, str]:
    for i, char in enumerate(text):
        if char == "-" and text[:i] in known and text[i + 1:] in known:
            return text[:i], text[i + 1:]
    raise HedgelabError(error_line("--difference", text, f"A-B with two strategies of the sweep ({', '.join(known)})"))


def discover(
    directory: DirArg,
    strategy: Annotated[str, typer.Option("--strategy", help="The strategy whose failures to describe.")],
    versus: Annotated[Optional[str], typer.Option("--versus", help=(
        "Fails where it does worse than this strategy (default: than the best other strategy)."))] = None,
    metric: Annotated[str, typer.Option("--metric", help="A registry metric with a direction.")] = "prosperity",
    threshold: Annotated[Optional[float], typer.Option("--threshold", help=(
        "Fails where the metric is worse than this value instead (not with --versus)."))] = None,
    density: Annotated[float, typer.Option("--density", help=(
        "Choose the box of highest coverage with at least this density."))] = 0.8,
    peel_alpha: Annotated[float, typer.Option("--peel-alpha", help="Share peeled per PRIM step.")] = 0.05,
    mass_min: Annotated[float, typer.Option("--mass-min", help="Smallest share of futures in a box.")] = 0.05,
    format: FormatOpt = OutputFormat.table,
    plot: PlotOpt = None,
) -> None:
    """Scenario discovery (PRIM, with CART beside it): where STRATEGY does worse than VERSUS."""
    results = load(directory)
    boxes = discover_boxes(results, strategy, versus=versus, metric=metric, threshold=threshold, density_target=density,
                           peel_alpha=peel_alpha, mass_min=mass_min)
    against = versus or ("the best other strategy" if threshold is None else f"{threshold:g}")
    extra = {"run_id": results.attrs["run_id"], "strategy": strategy, "versus": versus, "metric": metric,
             "threshold": threshold, "n_futures": boxes.n_futures, "base_rate": boxes.base_rate, "coverage": boxes.coverage,
             "density": boxes.density, "mass": float(boxes.trajectory.loc[boxes.chosen, "mass"]),
             "trajectory": [{k: _number(v) for k, v in r.items()} for r in boxes.trajectory.to_dict("records")],
             "cart": [{k: _number(v) for k, v in r.items()} for r in boxes.cart.head(5).to_dict("records")]}
    _print(boxes.limits, format, extra, title=(
        f"{strategy} does worse than {against} on {metric} in {boxes.base_rate:.1%} of {boxes.n_futures} futures; "
        f"PRIM box: coverage {boxes.coverage:.2f}, density {boxes.density:.2f}, mass "
        f"{extra['mass']:.2f} (qp: quasi-p-value of each limit)"))
    if format is OutputFormat.table and len(boxes.cart):
        leaf = boxes.cart.iloc[0]
        print(f"CART's densest leaf: density {leaf['density']:.2f}, coverage {leaf['coverage']:.2f}, "
              f"limits {json.dumps({k: [significant(v) for v in lim] for k, lim in leaf['limits'].items()})}")
    if plot is not None:
        plots.save(plots.prim_plot(boxes), plot)


def runs(
    roots: Annotated[Optional[list[Path]], typer.Argument(help="Directories to search (default: the current one).")] = None,
    query: Annotated[Optional[str], typer.Option("--query", help=(
        "SQL over the tables runs and chunks of every catalogue found, e.g. "
        "\"SELECT run_id, design, samples_done FROM runs WHERE NOT complete\"."))] = None,
    format: FormatOpt = OutputFormat.table,
) -> None:
    """List the explorations (DuckDB catalogues) under the given directories, or query them."""
    found = list_runs(roots or [Path(".")], query)
    _print(found, format, {"n_runs": len(found)})


def register(app: typer.Typer) -> None:
    """Add the exploration commands to ``app``."""
    for command in (explore, robust, sensitivity, discover, runs):
        app.command(name=command.__name__)(reports_errors(_flags(command)))
