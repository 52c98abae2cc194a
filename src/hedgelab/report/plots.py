"""Plots shared by the CLI (``--plot FILE``), the dashboard, the HTML report and Python users.

Two kinds, each taking the labelled result of the analysis function it draws:

- exploration plots (robustness, Sobol, PRIM, tipping, signposts, front): a
  :class:`matplotlib.figure.Figure` each (no pyplot state, so safe in threads and servers),
  written by :func:`save` and embedded in pages by :func:`figure_svg`;
- model-result charts (comparison bars, fan charts, event rates, breakdown, indicator series): an
  Altair (Vega-Lite) chart each, interactive where embedded, written as PNG or SVG by
  :func:`save_chart` (offline, through vl-convert).

Both write the formats of :data:`FORMATS`, chosen by the file's suffix.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from hedgelab.errors import HedgelabError, error_line
from hedgelab.store import write_atomic

FORMATS = ("png", "svg")
"""Image formats written, by file suffix (either case)."""


def image_format(path: Path) -> str:
    """The format of :data:`FORMATS` that ``path``'s suffix names, or a one-line error."""
    fmt = Path(path).suffix[1:].lower()
    if fmt not in FORMATS:
        raise HedgelabError(error_line(str(path), "plot", f"a file name ending in {' or '.join('.' + f for f in FORMATS)}"))
    return fmt

_ERRORS = {"mean": "mean_se", "mean_regret": "mean_regret_se", "satisficing": "satisficing_se"}


def robustness_bars(table: pd.DataFrame, measures: tuple[str, ...] = ("mean", "mean_regret")) -> Figure:
    """One panel per robustness measure of :func:`hedgelab.analysis.explore.robustness.robustness`:
    a bar per strategy, with ± one standard error over futures where the measure has one."""
    measures = tuple(m for m in measures if m in table.columns)
    from matplotlib.figure import Figure  # matplotlib loads when a plot is drawn

    fig = Figure(figsize=(4.2 * len(measures), 0.45 * len(table) + 1.6), layout="constrained")
    axes = fig.subplots(1, len(measures), sharey=True, squeeze=False)[0]
    order = table.index.tolist()
    for ax, measure in zip(axes, measures):
        error = table[_ERRORS[measure]].to_numpy() if measure in _ERRORS and _ERRORS[measure] in table else None
        ax.barh(order, table[measure].to_numpy(), xerr=error, color="#4c72b0", ecolor="black", capsize=3)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_title(measure.replace("_", " "))
        ax.set_xlabel(table.attrs.get("units", "") if measure != "satisficing" else "share of futures")
    axes[0].invert_yaxis()
    fig.suptitle(f"{table.attrs.get('metric', '')} across {table.attrs.get('n_futures', '?')} futures")
    return fig


def sobol_bars(indices: pd.DataFrame, output: str, top: int) -> Figure:
    """First-order and total Sobol indices of one output (:func:`~hedgelab.analysis.explore.
    sensitivity.sensitivity`) for the ``top`` parameters by total index, with their intervals."""
    rows = indices[indices["output"] == output].sort_values("ST", ascending=False).head(top)
    if rows.empty:
        raise HedgelabError(error_line("request", "output", f"an output of the indices, not {output!r}"))
    y = np.arange(len(rows))
    from matplotlib.figure import Figure  # matplotlib loads when a plot is drawn

    fig = Figure(figsize=(7, 0.4 * len(rows) + 1.5), layout="constrained")
    ax = fig.subplots()
    ax.barh(y - 0.2, rows["S1"], 0.4, xerr=rows["S1_conf"], label="first order (S1)", color="#4c72b0", capsize=2)
    ax.barh(y + 0.2, rows["ST"], 0.4, xerr=rows["ST_conf"], label="total (ST)", color="#dd8452", capsize=2)
    ax.set_yticks(y, rows["parameter"])
    ax.invert_yaxis()
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlabel("share of variance")
    ax.set_title(f"Sobol indices of {output}")
    ax.legend(loc="lower right")
    return fig


def prim_plot(boxes) -> Figure:  # type: ignore[no-untyped-def]
    """The PRIM peeling trade-off (coverage against density, coloured by restricted dimensions,
    the chosen box circled) and the chosen box's limits within each sampled range."""
    from matplotlib.figure import Figure  # matplotlib loads when a plot is drawn

    fig = Figure(figsize=(11, 4.2), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1, 1.3))
    t = boxes.trajectory
    points = left.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=18)
    left.scatter([boxes.coverage], [boxes.density], s=160, facecolors="none", edgecolors="red", lw=1.5)
    left.set_xlabel("coverage")
    left.set_ylabel("density")
    left.set_title(f"peeling trajectory (base rate {boxes.base_rate:.2f})")
    fig.colorbar(points, ax=left, label="restricted dimensions")
    limits = boxes.limits
    span = (limits["range_high"] - limits["range_low"]).replace(0, np.nan)
    low = ((limits["low"] - limits["range_low"]) / span).to_numpy()
    high = ((limits["high"] - limits["range_low"]) / span).to_numpy()
    y = np.arange(len(limits))
    right.barh(y, high - low, left=low, color="#c44e52", alpha=0.8)
    for i, row in enumerate(limits.itertuples()):
        right.text(1.02, i, f"[{row.low:.3g}, {row.high:.3g}]", va="center", fontsize=8)
    right.set_yticks(y, limits["parameter"])
    right.set_xlim(0, 1.35)
    right.axvline(1, color="grey", lw=0.8)
    right.invert_yaxis()
    right.set_xlabel("position within the sampled range")
    right.set_title(f"box: coverage {boxes.coverage:.2f}, density {boxes.density:.2f}")
    return fig


def save(fig: Figure, path: Path) -> None:
    """Write ``fig`` to ``path`` (``.png`` or ``.svg``), atomically."""
    fmt = image_format(path)
    write_atomic(Path(path), lambda tmp: fig.savefig(tmp, format=fmt, dpi=120))


# --- Model-result charts (issue 16) -------------------------------------------------------------
# One Altair (Vega-Lite) definition per chart: the dashboard and the HTML report embed its spec
# (interactive: tooltips, zoom on time axes), and :func:`chart_image` / :func:`save_chart` render
# the same spec to PNG or SVG offline with vl-convert (no browser). Altair and vl-convert are the
# ``report`` extra; the explore plots above stay matplotlib figures (static images in the faces).

_BAR_METRICS = ("security", "prosperity", "autonomy")
_FAN_VARIABLES = ("security", "prosperity", "autonomy", "effective_exposure")
_FAN_BANDS = ((0.05, 0.95, 0.15), (0.25, 0.75, 0.35))
"""Fan chart bands: (lower quantile, upper quantile, opacity); the median is drawn as a line."""


_LINES = {"labelExpr": "split(datum.label, '|')", "labelFontWeight": "bold"}
"""Facet headers written ``line|line|line`` are drawn on several lines."""
_TOP = {"labelAngle": 0, "labelAlign": "left", "labelOrient": "top", "labelFontWeight": "bold"}
"""Row headers above each panel, horizontal."""


def _altair():  # type: ignore[no-untyped-def]
    from hedgelab.analysis.optional import optional

    return optional("altair", "report")


def _metric_rows(summary: pd.DataFrame, metrics: tuple[str, ...]) -> pd.DataFrame:
    """Rows of :func:`hedgelab.api.summarise` for ``metrics`` with units, long names and the ±1
    standard-error interval (``low``, ``high``; the mean alone where the error is undefined)."""
    from hedgelab.analysis.metrics import METRICS

    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise HedgelabError(error_line("request", "metrics", f"metrics of the registry, not {', '.join(unknown)}"))
    rows = summary[summary["metric"].isin(metrics)].copy()
    stderr = rows["stderr"].fillna(0.0)
    rows["low"], rows["high"] = rows["mean"] - stderr, rows["mean"] + stderr
    rows["unit"] = rows["metric"].map(lambda m: METRICS[m].unit)
    rows["title"] = rows["metric"].map(lambda m: f"{m}|{METRICS[m].unit}|{METRICS[m].better} is better")
    return rows


def comparison_bars(summary: pd.DataFrame, metrics: tuple[str, ...] = _BAR_METRICS):  # type: ignore[no-untyped-def]
    """One panel per metric of a comparison (:func:`hedgelab.api.summarise`): a bar per strategy
    at the mean over paths, with ± one standard error."""
    alt = _altair()
    rows = _metric_rows(summary, metrics)
    order = list(dict.fromkeys(rows["strategy"]))
    base = alt.Chart(rows).encode(y=alt.Y("strategy:N", sort=order, title=None))
    bars = base.mark_bar(color="#4c72b0").encode(
        x=alt.X("mean:Q", title=None),
        tooltip=["strategy", "metric", alt.Tooltip("mean:Q", format=".4f"), alt.Tooltip("stderr:Q", format=".4f"), "unit"],
    )
    errors = base.mark_errorbar(ticks=True).encode(x=alt.X("low:Q", title=None), x2="high:Q")
    return (bars + errors).properties(width=220, height=alt.Step(16)).facet(
        column=alt.Column("title:N", sort=[rows.loc[rows.metric == m, "title"].iloc[0] for m in metrics
                                           if (rows.metric == m).any()], title=None, header=_LINES),
    ).resolve_scale(x="independent").properties(title="Mean over paths ± one standard error")


def event_rates(summary: pd.DataFrame):  # type: ignore[no-untyped-def]
    """Expected episodes per year of each event (the registry's ``rate_*`` metrics) by strategy,
    with ± one standard error."""
    from hedgelab.analysis.metrics import METRICS

    alt = _altair()
    rates = tuple(m.name for m in METRICS.values() if m.unit == "episodes per year")
    rows = _metric_rows(summary, rates)
    rows["event"] = rows["metric"].str.removeprefix("rate_")
    order = list(dict.fromkeys(rows["strategy"]))
    base = alt.Chart(rows).encode(y=alt.Y("strategy:N", sort=order, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("mean:Q", title="episodes per year"),
        color=alt.Color("event:N", legend=None),
        tooltip=["strategy", "event", alt.Tooltip("mean:Q", format=".4f"), alt.Tooltip("stderr:Q", format=".4f")],
    )
    errors = base.mark_errorbar(ticks=True).encode(x=alt.X("low:Q", title="episodes per year"), x2="high:Q")
    return (bars + errors).properties(width=180, height=alt.Step(14)).facet(
        column=alt.Column("event:N", title=None)).properties(title="Event rates: mean episodes per year ± one standard error")


def fan_chart(data, strategies: list[str] | None = None,  # type: ignore[no-untyped-def]
              variables: tuple[str, ...] = _FAN_VARIABLES):
    """Fan charts over the quarters of :func:`hedgelab.api.trajectories` (quantiles over paths):
    the 5–95% and 25–75% bands and the median, one panel per variable, one colour per strategy."""
    alt = _altair()
    if "quantile" not in data.dims:
        raise HedgelabError(error_line("request", "trajectories", "quantiles over paths (quantiles=True)"))
    missing = [v for v in variables if v not in data]
    if missing:
        raise HedgelabError(error_line("request", "variables", f"recorded trajectory variables, not {', '.join(missing)}"))
    chosen = strategies or [str(s) for s in data.strategy.values]
    frames = []
    for variable in variables:
        cut = data[variable].sel(strategy=chosen)
        wide = {f"q{round(100 * q):02d}": cut.sel(quantile=q, method="nearest").to_pandas().stack()
                for q in (0.05, 0.25, 0.5, 0.75, 0.95)}
        frame = pd.DataFrame(wide).reset_index()
        frame.columns = ["strategy", "quarter", *wide]
        frame["variable"] = f"{variable} ({data[variable].attrs.get('units', '')})"
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    base = alt.Chart(rows).encode(x=alt.X("quarter:T", title="quarter ending"),
                                  color=alt.Color("strategy:N", sort=chosen))
    layers = [base.mark_area(opacity=opacity).encode(y=alt.Y(f"q{round(100 * lo):02d}:Q", title=None),
                                                     y2=f"q{round(100 * hi):02d}:Q")
              for lo, hi, opacity in _FAN_BANDS]
    median = base.mark_line().encode(y="q50:Q", tooltip=["strategy", "quarter:T", alt.Tooltip("q50:Q", format=".4f")])
    return alt.layer(*layers, median).properties(width=520, height=140).facet(
        row=alt.Row("variable:N", sort=[f"{v} ({data[v].attrs.get('units', '')})" for v in variables], title=None,
                    header=_TOP),
    ).resolve_scale(y="independent").properties(title="Median, 25–75% and 5–95% of paths by quarter")


def breakdown_bars(table: pd.DataFrame, strategy: str, reference: str, metric: str = "prosperity"):  # type: ignore[no-untyped-def]
    """The paired differences of :func:`hedgelab.api.breakdown` for one metric: the gap
    ``strategy − reference`` and each component, with ± one standard error (prosperity's parts add
    up to its gap)."""
    alt = _altair()
    rows = table[table["metric"] == metric].copy()
    if rows.empty:
        raise HedgelabError(error_line("request", "metric", f"a metric of the breakdown, not {metric!r}"))
    stderr = rows["stderr"].fillna(0.0)
    rows["low"], rows["high"] = rows["difference"] - stderr, rows["difference"] + stderr
    rows["kind"] = np.where(rows["component"] == rows["component"].iloc[0], "total", "component")
    order = rows["component"].tolist()
    base = alt.Chart(rows).encode(y=alt.Y("component:N", sort=order, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("difference:Q", title=f"{strategy} − {reference}"),
        color=alt.Color("kind:N", scale=alt.Scale(domain=["total", "component"], range=["#c44e52", "#4c72b0"]),
                        legend=None),
        tooltip=["component", alt.Tooltip("difference:Q", format=".4f"), alt.Tooltip("stderr:Q", format=".4f")],
    )
    errors = base.mark_errorbar(ticks=True).encode(x=alt.X("low:Q", title=f"{strategy} − {reference}"), x2="high:Q")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="grey").encode(x="x:Q")
    return (bars + errors + zero).properties(
        width=420, height=alt.Step(18),
        title=f"Why {metric} differs: {strategy} − {reference}, paired over paths ± one standard error")


def indicator_series(table: pd.DataFrame, country: str):  # type: ignore[no-untyped-def]
    """Indicators of :func:`hedgelab.data.indicators.compute` as yearly series, one panel per
    indicator (its own unit and scale), one line per partner."""
    alt = _altair()
    if table.empty:
        raise HedgelabError(error_line("request", "indicators", "at least one indicator value to draw"))
    rows = table.assign(series=table["partner"].fillna("(national)").astype(str),
                        panel=table["indicator"] + " (" + table["unit"].astype(str) + ")")
    rows = rows[["panel", "series", "year", "value", "source"]]
    line = alt.Chart(rows).mark_line(point=True).encode(
        x=alt.X("year:Q", axis=alt.Axis(format="d")), y=alt.Y("value:Q", title=None),
        color=alt.Color("series:N", title="partner"),
        tooltip=["panel", "series", "year", alt.Tooltip("value:Q", format=".4g"), "source"],
    )
    return line.properties(width=520, height=140).facet(row=alt.Row("panel:N", title=None, header=_TOP)).resolve_scale(
        y="independent").properties(title=f"Indicators for {country}")


def comparison_overview(summary: pd.DataFrame, breakdown: pd.DataFrame | None = None,
                        pair: tuple[str, str] | None = None):  # type: ignore[no-untyped-def]
    """The model-result charts of one comparison stacked in one chart (``hedgelab compare
    --plot``): :func:`comparison_bars`, :func:`event_rates` and, given a ``breakdown`` of ``pair``,
    :func:`breakdown_bars`."""
    alt = _altair()
    charts = [comparison_bars(summary), event_rates(summary)]
    if breakdown is not None and pair is not None:
        charts.append(breakdown_bars(breakdown, *pair))
    return alt.vconcat(*charts).resolve_scale(color="independent")


def chart_image(chart, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
    """``chart`` (an Altair chart) rendered offline to PNG or SVG bytes by vl-convert."""
    from hedgelab.analysis.optional import optional

    if fmt not in FORMATS:
        raise HedgelabError(error_line("request", "format", f"one of {', '.join(FORMATS)}, not {fmt!r}"))
    convert = optional("vl_convert", "report")
    spec = chart.to_json()
    return convert.vegalite_to_png(spec, scale=1.5) if fmt == "png" else convert.vegalite_to_svg(spec).encode()


def save_chart(chart, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Write an Altair chart to ``path`` (``.png`` or ``.svg``), atomically."""
    image = chart_image(chart, image_format(path))
    write_atomic(Path(path), lambda tmp: Path(tmp).write_bytes(image))


def figure_svg(fig: Figure) -> str:
    """A matplotlib figure (the explore plots above) as SVG text, for embedding in a page."""
    import io

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    return buffer.getvalue()


# --- adaptation under deep uncertainty (issue 14): tipping points, signposts, the trilemma front ---


def tipping_plot(found) -> Figure:  # type: ignore[no-untyped-def]
    """Tipping dates of :func:`hedgelab.analysis.explore.tipping.tipping`: the share of futures
    tipping in each year of the horizon (bars) and the cumulative share (line), with the share
    that never tips."""
    from matplotlib.figure import Figure  # matplotlib loads when a plot is drawn

    fig = Figure(figsize=(7.5, 4), layout="constrained")
    ax = fig.subplots()
    d = found.distribution
    ax.bar(d["year"], d["share"], color="#4c72b0", label="tips in the year")
    ax.plot(d["year"], d["cumulative_share"], color="#c44e52", marker="o", label="tipped by the end of the year")
    ax.set_ylim(0, 1)
    ax.set_xlabel("year from the start")
    ax.set_ylabel("share of futures")
    ax.legend(loc="upper left")
    ax.set_title(f"{found.strategy}: {' and '.join(c.describe() for c in found.criteria)} "
                 f"(never tips in {found.share_never:.0%})", fontsize=10)
    return fig


def signpost_plot(found) -> Figure:  # type: ignore[no-untyped-def]
    """Signposts of :func:`hedgelab.analysis.explore.signposts.signposts`, scored path by path: for
    each observable (its fitted direction) the most warning per failure any candidate threshold
    gives at a false-alarm rate up to x on the fitting futures' paths, the fitted threshold circled;
    and the held-out hit rate against the false-alarm rate of each fitted signpost (a cross where
    every hit fires in the first quarter: it reads which future the path is in); and when the best
    one fires on the held-out paths (hits, too late, false alarms, by quarter)."""
    from matplotlib.figure import Figure  # matplotlib loads when a plot is drawn

    fig = Figure(figsize=(15, 4.3), layout="constrained")
    left, right, when = fig.subplots(1, 3)
    chosen = found.table.dropna(subset=["threshold"])
    for row in chosen.itertuples():
        curve = found.curves[(found.curves["signal"] == row.signal) & (found.curves["direction"] == row.direction)]
        curve = curve.sort_values(["false_alarm_rate", "warning"])  # the most warning at each false-alarm rate or less
        line = left.step(curve["false_alarm_rate"], np.maximum.accumulate(curve["warning"].to_numpy()), where="post",
                         lw=1.2, label=f"{row.signal} ({row.direction})")
        left.scatter([row.fit_false_alarm_rate], [row.fit_warning], s=70, facecolors="none",
                     edgecolors=line[0].get_color(), lw=1.5)
        right.scatter([row.heldout_false_alarm_rate], [row.heldout_hit_rate], color=line[0].get_color(),
                      marker="x" if row.at_once else "o")
        right.annotate(f"{row.signal}: lead {row.heldout_median_lead:.0f} q, fires q{row.heldout_median_fire:.0f}",
                       (row.heldout_false_alarm_rate, row.heldout_hit_rate), fontsize=7, xytext=(3, 3),
                       textcoords="offset points")
    left.axvline(found.table.attrs.get("max_false_alarm", np.nan), color="grey", ls=":", lw=0.8)
    left.set_xlabel("false-alarm rate (paths of fitting futures that never tip)")
    left.set_ylabel("warning per path of a tipping future (quarters)")
    left.set_title("lead time against false alarms")
    left.legend(fontsize=7)
    right.set_xlim(-0.02, 1.02)
    right.set_ylim(-0.02, 1.02)
    right.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":")
    right.set_xlabel("false-alarm rate (paths of held-out futures)")
    right.set_ylabel("hit rate (paths of held-out futures)")
    right.set_title("fitted signposts on held-out futures")
    if len(chosen):
        best = chosen.iloc[0]
        counts = found.firing[found.firing["signal"] == best["signal"]]
        bottom = np.zeros(len(counts))
        for kind, label in (("hit", "hit"), ("late", "too late"), ("false_alarm", "false alarm")):
            when.bar(counts["quarter"], counts[kind], bottom=bottom, label=label, width=0.85)
            bottom += counts[kind].to_numpy()
        when.set_title(f"when {best['signal']} {best['direction']} {best['threshold']:.3g} fires (held-out paths)")
        when.legend(fontsize=7)
    when.set_xlabel("quarter")
    when.set_ylabel("paths")
    return fig


def front_plot(found) -> Figure:  # type: ignore[no-untyped-def]
    """The trilemma front of :func:`hedgelab.analysis.explore.front.front` in its three 2-D
    projections (points coloured by the third objective) with the named strategies labelled."""
    from matplotlib.figure import Figure  # matplotlib loads when a plot is drawn

    from hedgelab.analysis.explore.front import OBJECTIVES as names
    fig = Figure(figsize=(14, 4.3), layout="constrained")
    axes = fig.subplots(1, 3)
    for ax, (i, j, k) in zip(axes, ((0, 1, 2), (0, 2, 1), (1, 2, 0))):
        x, y, c = names[i], names[j], names[k]
        points = ax.scatter(found.points[x], found.points[y], c=found.points[c], cmap="viridis", s=22)
        fig.colorbar(points, ax=ax, label=c.replace("_", " "))
        named = found.named
        ax.scatter(named[x], named[y], marker="x", color="#c44e52", s=40)
        for row in named.itertuples():
            ax.annotate(row.strategy, (getattr(row, x), getattr(row, y)), fontsize=7, xytext=(3, 3),
                        textcoords="offset points", color="#c44e52")
        ax.set_xlabel(x.replace("_", " "))
        ax.set_ylabel(y.replace("_", " "))
    fig.suptitle(f"trilemma front ({len(found.points)} points; x: named strategies)")
    return fig
