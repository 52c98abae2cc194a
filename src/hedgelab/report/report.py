"""The self-contained HTML report of a comparison (``hedgelab report``) and the page pieces the
dashboard shares with it.

One file holds everything: the scenario's parameters with units, ranges and sources, the
comparison table (mean ± standard error), the charts as Vega-Lite specs drawn by the Vega
libraries inlined once (from vl-convert's bundle: no network is needed to open the file), the
definitions of the metrics, and the command, version and provenance that made it. Templates are
Jinja2 with autoescaping, so text from a user's scenario file is shown, never run.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from hedgelab.analysis.metrics import METRICS, direction_label
from hedgelab.errors import HedgelabError, error_line
from hedgelab.report import plots
from hedgelab.report.comparison import Comparison
from hedgelab.report.tables import comparison_tables
from hedgelab.scenarios import Scenario, load_scenario
from hedgelab.scenarios.table import parameter_rows
from hedgelab.store import write_atomic

FAN_STRATEGIES = 3
"""Strategies drawn in the fan charts at most (beyond three the bands hide one another)."""


@lru_cache(maxsize=1)
def environment():  # type: ignore[no-untyped-def]
    """The Jinja2 environment of the report's templates (autoescaped); the dashboard adds its own
    templates in front of these."""
    from hedgelab.analysis.optional import optional

    jinja2 = optional("jinja2", "report")
    return jinja2.Environment(loader=jinja2.PackageLoader("hedgelab.report", "templates"), autoescape=True)


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script (``window.vegaEmbed``), from vl-convert."""
    from hedgelab.analysis.optional import optional

    return optional("vl_convert", "report").javascript_bundle()


def comparison_charts(comparison: Comparison, fan_strategies: list[str] | None = None) -> dict[str, dict]:
    """The charts of a comparison as Vega-Lite specs (dicts), by name: ``bars``, ``fan`` (when
    the trajectories ran), ``rates`` and ``breakdown`` (with two strategies or more)."""
    fan = fan_strategies or (list(comparison.pair) if comparison.pair else comparison.strategies[:FAN_STRATEGIES])
    charts = {"bars": plots.comparison_bars(comparison.summary)}
    if comparison.trajectories is not None:  # None when the outcomes were interrupted
        charts["fan"] = plots.fan_chart(comparison.trajectories, fan)
    charts["rates"] = plots.event_rates(comparison.summary)
    if comparison.pair is not None and comparison.breakdown is not None:
        charts["breakdown"] = plots.breakdown_bars(comparison.breakdown, *comparison.pair)
    return {name: chart.to_dict() for name, chart in charts.items()}


def metric_tables(comparison: Comparison) -> list[dict]:
    """The comparison table cut by metric group (:func:`hedgelab.report.tables.comparison_tables`,
    as ``hedgelab compare`` prints it)."""
    return comparison_tables(comparison.summary, comparison.strategies)


def definitions() -> list[dict]:
    """Every metric of the registry: name, unit, direction and definition."""
    return [{"name": m.name, "unit": m.unit, "better": direction_label(m.better) or "neither",
             "definition": m.definition} for m in METRICS.values()]


def parameters(scenario: Scenario, overrides: tuple[str, ...]) -> list[dict]:
    """The parameters of ``scenario`` as run (``overrides`` applied): path, value, unit, range,
    kind, source, and whether an override set it."""
    changed = {item.partition("=")[0].strip() for item in overrides}
    return [{**row, "overridden": row["path"] in changed} for row in parameter_rows(scenario)]


BRIEF_LEFT_OUT = frozenset({"parameters", "strategy_definitions"})
"""Provenance fields shown only in the folded full record (they hold every resolved input)."""


def _brief(dataset) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """A run's provenance record and its table form (without the resolved inputs)."""
    record = json.loads(dataset.attrs["provenance"])
    return record, {k: v for k, v in record.items() if k not in BRIEF_LEFT_OUT}


def render(comparison: Comparison, command: str) -> str:
    """The report as one HTML document: both runs' provenance (outcomes; trajectories when they
    ran), marked incomplete when either run was interrupted."""
    record, brief = _brief(comparison.result)
    runs = [{"title": "Outcomes (the table, bars, event rates, breakdown)", "brief": brief}]
    records = {"outcomes": record}
    if comparison.trajectories is not None:
        records["trajectories"], trajectory_brief = _brief(comparison.trajectories)
        runs.append({"title": "Trajectories (the fan charts)", "brief": trajectory_brief})
    request = comparison.request
    scenario = load_scenario(request.scenario, list(request.overrides))
    return environment().get_template("report.html").render(
        scenario=scenario, request=request, pair=comparison.pair, command=command,
        tables=metric_tables(comparison), charts=comparison_charts(comparison), definitions=definitions(),
        parameters=parameters(scenario, request.overrides), provenance=brief, runs=runs,
        provenance_json=json.dumps(records, indent=1), complete=comparison.complete,
        trajectories_ran=comparison.trajectories is not None, vega=vega_bundle(),
    )


def write_report(path: Path, comparison: Comparison, command: str) -> None:
    """Write the report of ``comparison`` to ``path`` (``.html``), atomically."""
    path = Path(path)
    if path.suffix.lower() not in {".html", ".htm"}:
        raise HedgelabError(error_line(str(path), "out", "a file name ending in .html"))
    text = render(comparison, command)
    write_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
