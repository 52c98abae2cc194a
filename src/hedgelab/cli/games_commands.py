"""CLI commands of the game sub-models: ``hedgelab games dilemma|bargain|triangle|coercion|balance``.

Each command evaluates one model of :data:`hedgelab.games.MODELS` at its defaults or at the
values given as typed options ``--PARAM VALUE`` generated from the model's parameter table (names
with dashes; ``--help`` gives each one's unit, range and default), optionally over a grid of one parameter (``--sweep PARAM=LO:HI:N``), prints a
table or JSON, and with ``--plot FILE`` draws the sweep (matplotlib, imported only then).

Parameters that are also shapes of the simulation's event intensities (the dilemma's slopes,
the coercion game's scales, the Nash weight: :func:`hedgelab.games.responses.standalone_paths`)
default to the ``[responses]`` values of a scenario (``--scenario``, the default scenario unless
given), so a standalone game never silently differs from the model it stands behind.
"""

from __future__ import annotations

import inspect
import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from hedgelab.cli.common import OutputFormat, reports_errors, stdout_console
from hedgelab.errors import HedgelabError, error_line
from hedgelab.games import MODELS, ModelSpec, ParamSpec
from hedgelab.games.responses import standalone_paths
from hedgelab.scenarios import DEFAULT_SCENARIO, load_scenario
from hedgelab.games.triangle import ACTORS, CONFIGURATIONS, EXAMPLE_RELATIONS, structural_balance

games_app = typer.Typer(
    name="games",
    help="Game-theoretic sub-models of alliance politics, evaluated on their own.",
    no_args_is_help=True,
)

_REGIMES = ("E0 deterrence", "E1 separating", "E2 pooling", "E3 semi-separating")
_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "triangle": {"configuration": CONFIGURATIONS, "pivot": ACTORS, "pariah": ACTORS},
    "coercion": {"regime": _REGIMES},
}
_MAX_SWEEP = 10_000


def register(app: typer.Typer) -> None:
    """Add the ``games`` command group to ``app``."""
    app.add_typer(games_app, name="games")


def parse_sweep(model: ModelSpec, text: str) -> tuple[str, np.ndarray]:
    """Parse ``PARAM=LO:HI:N`` into a parameter name and an evenly spaced grid.

    Parameters
    ----------
    model : ModelSpec
        The model whose parameter is swept.
    text : str
        The ``--sweep`` value.

    Returns
    -------
    (str, ndarray)
        The parameter name and ``N`` values from ``LO`` to ``HI``.

    Raises
    ------
    HedgelabError
        For a malformed specification, an unknown parameter or ``N`` outside [2, 10000].
    """
    where = f"games {model.name}"
    name, sep, grid = text.partition("=")
    parts = grid.split(":")
    if not sep or len(parts) != 3:
        raise HedgelabError(error_line(where, "--sweep", f"PARAM=LO:HI:N, got {text!r}"))
    spec = model.param(name.strip().replace("-", "_"))
    try:
        lo, hi = float(parts[0]), float(parts[1])
        n = int(parts[2])
    except ValueError:
        raise HedgelabError(
            error_line(where, "--sweep", f"numbers LO, HI and an integer N, got {grid!r}")
        ) from None
    if not 2 <= n <= _MAX_SWEEP:
        raise HedgelabError(error_line(where, "--sweep", f"N in [2, {_MAX_SWEEP}], got {n}"))
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise HedgelabError(error_line(where, spec.name, f"{spec.expected()}, got {lo}:{hi}"))
    return spec.name, np.linspace(lo, hi, n)


def _label(model: str, name: str, value: float) -> str | None:
    labels = _LABELS.get(model, {}).get(name)
    if labels is None:
        return None
    code = int(round(value))
    return labels[code] if 0 <= code < len(labels) else "none"


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _print_single(model: ModelSpec, params: dict[str, float], results: dict[str, Any], fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        out: dict[str, Any] = {k: float(v) for k, v in results.items()}
        for k, v in results.items():
            label = _label(model.name, k, float(v))
            if label is not None:
                out[f"{k}_label"] = label
        print(json.dumps({"model": model.name, "params": params, "results": out}, indent=2))
        return
    if fmt is OutputFormat.csv:
        print("output,value,unit")
        for spec in model.outputs:
            print(f"{spec.name},{float(results[spec.name])!r},{spec.unit}")
        return
    inputs = Table(title=f"{model.title}: inputs")
    for col in ("parameter", "value", "unit"):
        inputs.add_column(col)
    for spec in model.params:
        inputs.add_row(spec.name, _fmt(params[spec.name]), spec.unit)
    outputs = Table(title="results")
    for col in ("output", "value", "unit", "meaning"):
        outputs.add_column(col)
    for spec in model.outputs:
        value = float(results[spec.name])
        label = _label(model.name, spec.name, value)
        shown = f"{_fmt(value)} ({label})" if label else _fmt(value)
        outputs.add_row(spec.name, shown, spec.unit, spec.description)
    stdout_console.print(inputs)
    stdout_console.print(outputs)


def _print_sweep(
    model: ModelSpec, params: dict[str, float], name: str, grid: np.ndarray,
    results: dict[str, Any], fmt: OutputFormat,
) -> None:
    names = [s.name for s in model.outputs]
    if fmt is OutputFormat.json:
        payload = {
            "model": model.name,
            "params": {k: v for k, v in params.items() if k != name},
            "sweep": {"param": name, "values": grid.tolist()},
            "results": {k: np.asarray(results[k]).tolist() for k in names},
        }
        print(json.dumps(payload, indent=2))
        return
    if fmt is OutputFormat.csv:
        print(",".join([name, *names]))
        for i, x in enumerate(grid):
            print(",".join([repr(float(x)), *(repr(float(results[k][i])) for k in names)]))
        return
    table = Table(title=f"{model.title}: sweep over {name}")
    for col in (name, *names):
        table.add_column(col)
    for i, x in enumerate(grid):
        row = [_fmt(float(x))]
        for k in names:
            value = float(results[k][i])
            label = _label(model.name, k, value)
            row.append(label if label else _fmt(value))
        table.add_row(*row)
    stdout_console.print(table)


def plot_sweep(
    model: ModelSpec, name: str, grid: np.ndarray, results: dict[str, Any], path: Path
) -> None:
    """Draw the outputs of a sweep against the swept parameter and save them to ``path``.

    Outputs that stay constant over the sweep are left out (all are drawn when none moves).

    Parameters
    ----------
    model : ModelSpec
        The model swept.
    name : str
        The swept parameter.
    grid : ndarray
        Its values.
    results : dict of str to ndarray
        The model's outputs on the grid.
    path : Path
        Image file to write (format from the suffix, e.g. ``.png``, ``.svg``, ``.pdf``).

    Raises
    ------
    HedgelabError
        When the file cannot be written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    varying = [s for s in model.outputs if np.ptp(np.asarray(results[s.name])) > 1e-12]
    shown = varying or list(model.outputs)  # outputs that do not move with the sweep are left out
    n = len(shown)
    ncols = min(3, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, 2.8 * nrows), squeeze=False)
    unit = model.param(name).unit
    for ax, spec in zip(axes.ravel(), shown, strict=False):
        ax.plot(grid, results[spec.name])
        ax.set_title(spec.name, fontsize=9)
        ax.set_xlabel(f"{name} ({unit})", fontsize=8)
        ax.set_ylabel(spec.unit, fontsize=8)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    fig.suptitle(model.title, fontsize=10)
    fig.tight_layout()
    try:
        fig.savefig(path)
    except (OSError, ValueError) as err:
        raise HedgelabError(error_line(f"games {model.name}", "--plot", f"a writable image path ({err})")) from None
    finally:
        plt.close(fig)


def scenario_defaults(model: ModelSpec, scenario: str) -> dict[str, float]:
    """Defaults of ``model``'s response-shape parameters, read from a scenario.

    Parameters
    ----------
    model : ModelSpec
        The standalone game.
    scenario : str
        A built-in scenario name or a scenario file (as ``hedgelab run --scenario``).

    Returns
    -------
    dict of str to float
        Game parameter name -> the scenario's value (empty for a game without response shapes;
        the scenario is then not read).

    Raises
    ------
    HedgelabError
        When the scenario cannot be loaded.
    """
    paths = standalone_paths(model.name)
    if not paths:
        return {}
    loaded = load_scenario(scenario)
    out: dict[str, float] = {}
    for name, path in paths.items():
        group, key = path.split(".")
        out[name] = float(getattr(getattr(loaded, group), key).value)
    return out


def run_model(
    model: ModelSpec, overrides: dict[str, float], sweep: str | None, plot: Path | None, fmt: OutputFormat,
    scenario: str = DEFAULT_SCENARIO,
) -> None:
    """Parse, evaluate and print one model (the body shared by every sub-command).

    Parameters
    ----------
    model : ModelSpec
        The model to evaluate.
    overrides : dict of str to float
        Parameters given on the command line (range-checked by the model).
    sweep : str or None
        ``PARAM=LO:HI:N`` or ``None``.
    plot : Path or None
        Image file for the sweep, or ``None``.
    fmt : OutputFormat
        ``table``, ``json`` or ``csv``.
    scenario : str
        Scenario whose ``[responses]`` values are the defaults of the response-shape
        parameters (:func:`scenario_defaults`).

    Raises
    ------
    HedgelabError
        For bad parameters, a bad sweep, ``--plot`` without ``--sweep``, or a scenario that
        cannot be loaded.
    """
    shapes = scenario_defaults(model, scenario)
    params = {**model.defaults(), **shapes, **overrides}
    if sweep is None:
        if plot is not None:
            raise HedgelabError(error_line(f"games {model.name}", "--plot", "--sweep as well"))
        results = model.evaluate(**params)
        _print_single(model, params, results, fmt)
        return
    name, grid = parse_sweep(model, sweep)
    if name in overrides:
        raise HedgelabError(
            error_line(f"games {model.name}", name, "either --sweep or a fixed value, not both")
        )
    results = model.evaluate(**{**params, name: grid})
    _print_sweep(model, params, name, grid, results, fmt)
    if plot is not None:
        plot_sweep(model, name, grid, results, plot)
        print(f"wrote {plot}", file=sys.stderr)


def _option_help(spec: ParamSpec, shapes: dict[str, str]) -> str:
    """``--help`` text of one game parameter: meaning, unit, admissible range, default."""
    low = ("(" if spec.low_open else "[") + f"{spec.low:g}"
    default = f"default {spec.default:g}" + (f", from the scenario's {shapes[spec.name]}" if spec.name in shapes else "")
    return f"{spec.description} Unit: {spec.unit}; in {low}, {spec.high:g}]; {default}."


def _make_command(model: ModelSpec) -> None:
    """Register ``hedgelab games MODEL`` with one typed option per parameter of the model's
    specification (so ``--help`` lists units, ranges and defaults, and shells complete them)."""
    shapes = standalone_paths(model.name)

    def command(
        sweep: str | None, plot: Path | None, fmt: OutputFormat, scenario: str, **values: float | None
    ) -> None:
        overrides = {name: value for name, value in values.items() if value is not None}
        run_model(model, overrides, sweep, plot, fmt, scenario)

    fixed = {
        "sweep": (Annotated[str | None, typer.Option("--sweep", help="Evaluate over PARAM=LO:HI:N.")], None),
        "plot": (Annotated[Path | None, typer.Option("--plot", help="Save a plot of the sweep to FILE.")], None),
        "fmt": (Annotated[OutputFormat, typer.Option("--format", help="Output format.")], OutputFormat.table),
        "scenario": (Annotated[str, typer.Option(
            "--scenario", help="Scenario (name or file) whose \\[responses] values are the defaults of the "
            "response-shape parameters.")], DEFAULT_SCENARIO),
    }
    options = {
        spec.name: (Annotated[float | None, typer.Option(
            f"--{spec.name.replace('_', '-')}", help=_option_help(spec, shapes), show_default=False)], None)
        for spec in model.params
    }
    parameters = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        for name, (annotation, default) in {**fixed, **options}.items()
    ]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__name__ = f"games_{model.name}"
    games_app.command(name=model.name, help=f"{model.title}.")(reports_errors(command))


for _model in MODELS.values():
    _make_command(_model)


def parse_edges(edges: list[str]) -> dict[tuple[str, str], float]:
    """Parse ``A:B:VALUE`` strings into signed relations.

    Parameters
    ----------
    edges : list of str
        One relation per string, signed intensity in [-1, 1].

    Returns
    -------
    dict of (str, str) to float

    Raises
    ------
    HedgelabError
        One line per malformed edge (range checks follow in :func:`structural_balance`).
    """
    relations: dict[tuple[str, str], float] = {}
    lines: list[str] = []
    for text in edges:
        pair, sep, raw = text.rpartition(":")
        a, sep2, b = pair.partition(":")
        try:
            if not (sep and sep2 and a.strip() and b.strip()):
                raise ValueError
            value = float(raw)
        except ValueError:
            lines.append(error_line("games balance", "--edge", f"A:B:VALUE, got {text!r}"))
            continue
        relations[(a.strip(), b.strip())] = value
    if lines:
        raise HedgelabError(lines)
    return relations


@games_app.command(name="balance")
@reports_errors
def balance(
    edge: Annotated[
        list[str] | None,
        typer.Option("--edge", help="Signed relation FIRST:SECOND:VALUE in [-1, 1] (repeatable)."),
    ] = None,
    focal: Annotated[str, typer.Option("--focal", help="The focal state.")] = "Japan",
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.table,
) -> None:
    """Structural balance of a signed partner graph (Cartwright–Harary), focal pivots.

    Without --edge, an illustrative graph around Japan (judgement) is used.
    """
    relations = parse_edges(edge) if edge else dict(EXAMPLE_RELATIONS)
    report = structural_balance(relations, focal)
    payload = {
        "focal": focal,
        "n_triads": report.n_triads,
        "balance_index": report.balance_index,
        "is_balanced": report.is_balanced,
        "camps": [sorted(c) for c in report.camps] if report.camps else None,
        "unbalanced_triads": [list(t) for t in report.unbalanced_triads],
        "focal_pivot_triads": [list(t) for t in report.focal_pivot_triads],
    }
    if fmt is OutputFormat.json:
        print(json.dumps(payload, indent=2))
        return
    if fmt is OutputFormat.csv:
        print("triad,balanced,focal_pivot")
        for t in report.unbalanced_triads:
            print(f"{'-'.join(t)},False,{t in report.focal_pivot_triads}")
        return
    table = Table(title=f"Structural balance around {focal}")
    table.add_column("quantity")
    table.add_column("value")
    table.add_row("triads", str(report.n_triads))
    table.add_row("balance index", _fmt(report.balance_index))
    table.add_row("balanced (two camps)", "yes" if report.is_balanced else "no")
    if report.camps:
        table.add_row("camps", " | ".join(", ".join(sorted(c)) for c in report.camps))
    table.add_row("unbalanced triads", "; ".join("-".join(t) for t in report.unbalanced_triads) or "none")
    table.add_row(f"{focal} as pivot", "; ".join("-".join(t) for t in report.focal_pivot_triads) or "none")
    stdout_console.print(table)
