"""CLI commands of the faces: ``hedgelab serve`` (the dashboard) and ``hedgelab report`` (a
self-contained HTML report of a comparison)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from hedgelab.cli.common import progress_bar, reports_errors, split_names
from hedgelab.cli.entry import EXIT_INTERRUPTED
from hedgelab.cli.model_commands import (
    COMPARE_PATHS,
    PathsOpt,
    ScenarioOpt,
    SeedOpt,
    SetOpt,
    StrategiesOpt,
    WorkersOpt,
    YearsOpt,
)
from hedgelab.dashboard.jobs import MAX_RUNNING
from hedgelab.dashboard.server import DEFAULT_HOST, DEFAULT_PORT, check_host
from hedgelab.errors import HedgelabError, error_line
from hedgelab.scenarios import DEFAULT_SCENARIO


def serve(
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port (0: any free one).")] = DEFAULT_PORT,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback unless --allow-remote).")] = DEFAULT_HOST,
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help=(
        "Allow a non-loopback --host: anyone who reaches it can run simulations (there is no login)."))] = False,
    max_runs: Annotated[int, typer.Option("--max-runs", min=1, help=(
        "Comparisons and explorations running at once over all sessions (each uses every core)."))] = MAX_RUNNING,
) -> None:
    """Start the local web dashboard (Scenario, Compare, Explore, Data pages); Ctrl-C stops it."""
    check_host(host, allow_remote)
    from hedgelab.dashboard.server import serve as run_server

    run_server(host, port, allow_remote, max_runs)


def report(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    strategies: StrategiesOpt = None,
    paths: PathsOpt = COMPARE_PATHS,
    years: YearsOpt = 10,
    seed: SeedOpt = 0,
    set_: SetOpt = None,
    breakdown: Annotated[Optional[str], typer.Option("--breakdown", help=(
        "STRATEGY,REFERENCE: the pair whose prosperity gap is broken down (default: the first two strategies)."))] = None,
    workers: WorkersOpt = None,
) -> None:
    """Write one self-contained HTML report of a comparison: parameters and sources, the table,
    the charts, the metric definitions, and the command, version and provenance. Ctrl-C stops the
    run: the report of what finished is written, marked incomplete, and the exit code is 130."""
    from hedgelab.report.comparison import Request, run_comparison
    from hedgelab.report.report import write_report

    pair = split_names(breakdown)
    if pair is not None and len(pair) != 2:
        raise HedgelabError(error_line("--breakdown", breakdown or "", "two strategy names, STRATEGY,REFERENCE"))
    names = split_names(strategies)
    request = Request(scenario, tuple(set_ or ()), tuple(names) if names is not None else None, paths, years, seed,
                      tuple(pair) if pair else None)  # type: ignore[arg-type]
    with progress_bar("simulating") as bar:
        task = bar.add_task("run", total=2 * paths)
        comparison = run_comparison(request, lambda phase, done, total: bar.update(
            task, completed=done + (paths if phase == "trajectories" else 0)), workers=workers)
    command = shlex.join(["hedgelab", *sys.argv[1:]]) if sys.argv[1:2] == ["report"] else "hedgelab report"
    write_report(out, comparison, command)
    if not comparison.complete:
        print(f"interrupted: {out} covers only what finished, marked incomplete", file=sys.stderr)
        raise typer.Exit(code=EXIT_INTERRUPTED)
    print(f"wrote {out}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``report`` to ``app``."""
    for command in (serve, report):
        app.command(name=command.__name__)(reports_errors(command))
