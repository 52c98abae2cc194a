"""Plots of exploration results, shared by the CLI (``--plot FILE``), the dashboard and the report.

Every function takes the labelled result of the analysis function it draws and returns a
:class:`matplotlib.figure.Figure` (no pyplot state, so it is safe in threads and servers);
:func:`save` writes one as PNG or SVG.
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

FORMATS = (".png", ".svg")

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
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise HedgelabError(error_line(str(path), "plot", f"a file name ending in {' or '.join(FORMATS)}"))
    write_atomic(path, lambda tmp: fig.savefig(tmp, format=path.suffix[1:].lower(), dpi=120))
