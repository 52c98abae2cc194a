"""CLI commands of the model core: compare, simulate, scenarios, show, diff, partners."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.table import Table

from hedgelab import api
from hedgelab.analysis import provenance
from hedgelab.analysis.limits import MAX_PATHS, MAX_RESULT_BYTES, MAX_YEARS
from hedgelab.analysis.metrics import METRICS, VARIABLES, direction_label
from hedgelab.cli.common import (
    Backend, BackendOpt, OutputFormat, progress_bar, reports_errors, split_names, stdout_console, use_backend,
)
from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.report.tables import comparison_tables
from hedgelab.scenarios import DEFAULT_SCENARIO, builtin_names, load_scenario
from hedgelab.scenarios.loader import inapplicable_strategies
from hedgelab.scenarios.table import parameter_rows
from hedgelab.cli.entry import EXIT_INTERRUPTED
from hedgelab.store import parquet_writer, significant, write_atomic, write_output_set
from hedgelab.store.formats import TEXT_FLOAT_FORMAT

ScenarioOpt = Annotated[str, typer.Option("--scenario", "-s", help="Built-in name or a .toml/.yaml file.")]
StrategiesOpt = Annotated[Optional[str], typer.Option(help="Comma-separated strategy names (default: all).")]
PathsOpt = Annotated[int, typer.Option("--paths", help=(
    f"Sampled futures (1 to {MAX_PATHS:,}, with results of at most {MAX_RESULT_BYTES // 2**30} GiB: "
    f"{4 * len(VARIABLES)} bytes per path and strategy for compare, 4 per path, strategy, quarter and "
    "variable for simulate)."))]
YearsOpt = Annotated[int, typer.Option("--years", help=f"Horizon in years (1 to {MAX_YEARS}).")]
WorkersOpt = Annotated[Optional[int], typer.Option(
    "--workers", min=1, help="Worker threads (default: every available core); results do not depend on it.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the shocks shared by all strategies.")]
SetOpt = Annotated[Optional[list[str]], typer.Option("--set", help="dotted.path=VALUE (TOML literal); repeatable.")]
COMPARE_PATHS = 2000
"""Default paths of ``compare`` and ``report`` (standard errors about 2% of the spread)."""


def compare(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    strategies: StrategiesOpt = None,
    paths: PathsOpt = COMPARE_PATHS,
    years: YearsOpt = 10,
    seed: SeedOpt = 0,
    set_: SetOpt = None,
    format: Annotated[OutputFormat, typer.Option("--format", help="table, json or csv.")] = OutputFormat.table,
    out: Annotated[Optional[Path], typer.Option("--out", help="Directory for summary.csv, paths.parquet, run.json.")] = None,
    workers: WorkersOpt = None,
    backend: BackendOpt = Backend.auto,
    plot: Annotated[Optional[Path], typer.Option("--plot", help=(
        "Also draw the comparison (bars with standard errors, event rates, the breakdown of the first two "
        "strategies) to this .png or .svg file (the report extra)."))] = None,
) -> None:
    """Compare strategies on one scenario: the main job (metrics listed from the registry)."""
    if plot is not None:
        from hedgelab.report import plots

        plots.image_format(plot)  # a wrong suffix is refused before the run
    use_backend(backend)
    loaded = load_scenario(scenario, set_ or [])
    if strategies is None and (skipped := inapplicable_strategies(loaded)):
        print(f"note: left out {', '.join(skipped)} (partners not in this scenario)", file=sys.stderr)
    with progress_bar("simulating") as bar:
        task = bar.add_task("run", total=paths)
        result = api.run(  # by name with the overrides, so the provenance records them
            scenario, split_names(strategies), n_paths=paths, years=years, seed=seed, overrides=set_ or [], workers=workers,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    summary = api.summarise(result)
    if out is not None:
        _write_outputs(out, result, summary)
    if plot is not None:
        names = [str(s) for s in result.strategy.values]
        pair = (names[0], names[1]) if len(names) >= 2 else None
        plots.save_chart(plots.comparison_overview(summary, api.breakdown(result, *pair) if pair else None, pair), plot)
    if format is OutputFormat.json:
        print(json.dumps(_as_json(result, summary), allow_nan=False))
    elif format is OutputFormat.csv:
        sys.stdout.write(summary.to_csv(index=False, float_format=TEXT_FLOAT_FORMAT))
    else:
        _print_table(result, summary)
    _exit_if_interrupted(result, out)


def _exit_if_interrupted(result, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    """An interrupted run printed and wrote what finished (marked incomplete): say so, exit 130."""
    if result.attrs["complete"]:
        return
    where = f"; {out} holds them, marked complete: false" if out is not None else ""
    print(f"interrupted: results cover {result.attrs['paths']:,} of {result.attrs['paths_requested']:,} paths{where}",
          file=sys.stderr)
    raise typer.Exit(code=EXIT_INTERRUPTED)


def _as_json(result, summary) -> dict:  # type: ignore[no-untyped-def]
    strategies = []
    for name, rows in summary.groupby("strategy", sort=False):
        strategies.append({
            "name": name,
            "metrics": {r.metric: significant(r.mean) for r in rows.itertuples()},
            "stderr": {r.metric: significant(r.stderr) for r in rows.itertuples()},
        })
    record = json.loads(result.attrs["provenance"])
    brief = provenance.brief(record)
    return {**brief, "version": record["hedgelab_version"], "strategies": strategies}


TABLE_WIDTH = 80
"""Tables are cut into several so that each fits a terminal of this many columns."""
CELL_WIDTH = len("-0.000±0.000")
STRATEGY_WIDTH = len("russia_hedge")
COLUMN_GAP = 3


def _fit_columns(names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Split metric names into runs whose columns (header or ``mean±SE`` cell, whichever is wider)
    fit :data:`TABLE_WIDTH` beside the strategy column, in order."""
    runs: list[list[str]] = [[]]
    used = STRATEGY_WIDTH + COLUMN_GAP
    for name in names:
        width = max(len(name), CELL_WIDTH) + COLUMN_GAP
        if runs[-1] and used + width > TABLE_WIDTH:
            runs.append([])
            used = STRATEGY_WIDTH + COLUMN_GAP
        runs[-1].append(name)
        used += width
    return [tuple(run) for run in runs]


def _print_table(result, summary) -> None:  # type: ignore[no-untyped-def]
    """One narrow table per group of metrics, strategies as rows, each cell mean ± standard
    error; units in the titles (fits an 80-column terminal)."""
    attrs = result.attrs
    stdout_console.print(
        f"[bold]{attrs['scenario']}[/]: {attrs['paths']:,} paths x {attrs['years']} years, seed {attrs['seed']}; "
        "mean ± standard error over paths (`hedgelab metrics` defines each)"
    )
    for group in comparison_tables(summary, [str(s) for s in result.strategy.values]):
        names = tuple(m["name"] for m in group["metrics"])
        for metrics in _fit_columns(names):
            columns = [names.index(m) for m in metrics]
            table = Table("strategy", *metrics, title=group["title"], title_justify="left", box=box.SIMPLE_HEAD,
                          pad_edge=False)
            for column in table.columns[1:]:
                column.justify = "right"
            for row in group["rows"]:
                table.add_row(row["strategy"], *(row["cells"][i] for i in columns))
            stdout_console.print(table)


def _write_outputs(out: Path, result, summary) -> None:  # type: ignore[no-untyped-def]
    """``summary.csv``, ``paths.parquet`` and ``run.json`` as one set that replaces the previous
    one atomically (:func:`hedgelab.store.write_output_set`)."""
    record = json.loads(result.attrs["provenance"])
    variables = {name: dict(result[name].attrs) for name in result.data_vars}
    brief = provenance.brief(record)
    tidy = result.to_dataframe().reset_index()
    write_output_set(out, {
        "summary.csv": lambda path: summary.to_csv(path, index=False, float_format=TEXT_FLOAT_FORMAT),
        "paths.parquet": parquet_writer(tidy, {"provenance": brief, "variables": variables}),
        "run.json": lambda path: path.write_text(json.dumps({**record, "variables": variables}, indent=2)),
    })


def simulate(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    strategies: StrategiesOpt = None,
    paths: PathsOpt = 500,
    years: YearsOpt = 10,
    seed: SeedOpt = 0,
    set_: SetOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Output file: .parquet or .nc (NetCDF).")] = Path("trajectories.parquet"),
    all_paths: Annotated[bool, typer.Option("--all-paths", help="Keep every path instead of quantiles.")] = False,
    workers: WorkersOpt = None,
    backend: BackendOpt = Backend.auto,
) -> None:
    """Write per-quarter trajectories (quantiles over paths, or all paths) to Parquet or NetCDF."""
    use_backend(backend)
    if out.suffix not in {".parquet", ".nc"}:
        raise HedgelabError(error_line("--out", str(out), "a file name ending in .parquet or .nc"))
    data = api.trajectories(scenario, split_names(strategies), n_paths=paths, years=years, seed=seed,
                            overrides=set_ or [], quantiles=not all_paths, workers=workers)
    if out.suffix == ".nc":
        write_atomic(out, lambda tmp: data.to_netcdf(tmp))
    else:
        variables = {name: dict(data[name].attrs) for name in data.data_vars}
        metadata = {"provenance": provenance.brief(json.loads(data.attrs["provenance"])), "variables": variables}
        write_atomic(out, parquet_writer(data.to_dataframe().reset_index(), metadata))
    print(f"wrote {out} ({', '.join(f'{k}={v}' for k, v in data.sizes.items())})", file=sys.stderr)
    _exit_if_interrupted(data, out)


def scenarios() -> None:
    """List the built-in scenarios."""
    table = Table("name", "focal", "base year", "description")
    for name in builtin_names():
        s = load_scenario(name)
        table.add_row(name, s.focal, str(s.base_year), s.description)
    stdout_console.print(table)


def show(
    scenario: Annotated[str, typer.Argument(help="Built-in name or a scenario file.")] = DEFAULT_SCENARIO,
    set_: SetOpt = None,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Print a scenario's parameters with unit, range, kind and source."""
    loaded = load_scenario(scenario, set_ or [])
    rows = parameter_rows(loaded)
    if format is OutputFormat.json:
        print(json.dumps({"scenario": loaded.name, "parameters": rows}, allow_nan=False))
    elif format is OutputFormat.csv:
        import pandas as pd

        sys.stdout.write(pd.DataFrame(rows).to_csv(index=False))
    else:
        table = Table("path", "value", "unit", "range", "kind", "source", title=f"{loaded.name}: {loaded.description}")
        table.columns[0].no_wrap = True  # the full path is what --set takes: never cut it
        table.columns[0].min_width = max(len(r["path"]) for r in rows)
        for r in rows:
            rng = "" if r["range"] is None else f"[{r['range'][0]:g}, {r['range'][1]:g}]"
            table.add_row(r["path"], f"{r['value']}", r["unit"], rng, r["kind"], r["source"])
        stdout_console.print(table)


def metrics(
    format: Annotated[OutputFormat, typer.Option("--format", help="table, json or csv.")] = OutputFormat.table,
) -> None:
    """Define every summary metric of compare: unit, direction and definition (the registry)."""
    rows = [{"metric": m.name, "unit": m.unit, "direction": direction_label(m.better) or "neither",
             "definition": m.definition, "group": m.group} for m in METRICS.values()]
    if format is OutputFormat.json:
        print(json.dumps({"metrics": rows}))
    elif format is OutputFormat.csv:
        import pandas as pd

        sys.stdout.write(pd.DataFrame(rows).to_csv(index=False))
    else:
        table = Table("metric", "unit", "direction", "definition", title="metrics of hedgelab compare")
        table.columns[0].no_wrap = True
        for r in rows:
            table.add_row(r["metric"], r["unit"], r["direction"], r["definition"])
        stdout_console.print(table)


def diff(
    first: Annotated[str, typer.Argument(help="Scenario A (name or file).")],
    second: Annotated[str, typer.Argument(help="Scenario B (name or file).")],
) -> None:
    """Show the parameters whose values differ between two scenarios."""
    a = {r["path"]: r for r in parameter_rows(load_scenario(first))}
    b = {r["path"]: r for r in parameter_rows(load_scenario(second))}
    table = Table("path", first, second, "unit")
    table.columns[0].overflow = "fold"
    for path in sorted(set(a) | set(b)):
        va, vb = a.get(path, {}).get("value", "-"), b.get(path, {}).get("value", "-")
        if va != vb:
            table.add_row(path, str(va), str(vb), (a.get(path) or b.get(path))["unit"])
    stdout_console.print(table if table.row_count else "no parameter differs")


def partners(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    strategies: StrategiesOpt = None,
    paths: PathsOpt = 500,
    years: YearsOpt = 10,
    seed: SeedOpt = 0,
    set_: SetOpt = None,
    partner: Annotated[Optional[str], typer.Option("--partner", help="Only this partner (code, e.g. CAN).")] = None,
    format: Annotated[OutputFormat, typer.Option("--format", help="table, json or csv.")] = OutputFormat.table,
    workers: WorkersOpt = None,
    backend: BackendOpt = Backend.auto,
) -> None:
    """What each strategy means for third parties: change in alignment and trade exposure by partner."""
    use_backend(backend)
    loaded = load_scenario(scenario, set_ or [])
    codes = sorted(loaded.partners)
    by_upper = {code.upper(): code for code in codes}
    partner = by_upper.get(partner.upper(), partner) if partner is not None else None  # codes in any case
    if partner is not None and partner not in codes:
        raise HedgelabError(error_line("--partner", partner, f"a partner of the scenario ({', '.join(codes)}){suggest(partner, codes)}"))
    table = api.partner_effects(scenario, split_names(strategies), n_paths=paths, years=years, seed=seed,
                                overrides=set_ or [], workers=workers)
    if partner is not None:
        table = table[table["partner"] == partner]
    if format is OutputFormat.json:
        rows = [{k: significant(v) if isinstance(v, float) else v for k, v in row.items()}
                for row in table.to_dict(orient="records")]
        print(json.dumps({"scenario": loaded.name, "rows": rows}, allow_nan=False))
    elif format is OutputFormat.csv:
        sys.stdout.write(table.to_csv(index=False, float_format=TEXT_FLOAT_FORMAT))
    else:
        wide = table.pivot_table(index=["partner", "measure"], columns="strategy", values="change", sort=False)
        names = list(dict.fromkeys(table["strategy"]))
        out = Table("partner", "measure", *names, title="change by the horizon (alignment index, trade share)")
        for (code, measure), row in wide.iterrows():
            out.add_row(code, measure.removeprefix("alignment_"), *(f"{round(row[n], 3) + 0.0:+.3f}" for n in names))
        stdout_console.print(out)


def _compare_help() -> str:
    """``compare --help``: the job, then every metric with its unit and direction (the registry)."""
    metrics = "; ".join(
        f"{m.name} ({m.unit}{', ' + direction_label(m.better) if m.better != 'neither' else ''})"
        for m in METRICS.values()
    )
    return ("Compare strategies on one scenario: the main job. Metrics, each over paths with its "
            f"standard error: {metrics}. Definitions: docs/metrics.md.")


def register(app: typer.Typer) -> None:
    """Add the model commands to ``app``."""
    for command in (compare, simulate, scenarios, show, metrics, diff, partners):
        help_text = _compare_help() if command is compare else None
        app.command(name=command.__name__, help=help_text)(reports_errors(command))
