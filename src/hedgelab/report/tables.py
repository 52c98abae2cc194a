"""The comparison table, built once for every face: ``hedgelab compare``'s terminal tables, the
HTML report and the dashboard's Compare page show the same groups, titles and cells.

Metrics are grouped as the registry groups them (:data:`~hedgelab.analysis.metrics.GROUP_TITLES`),
each group titled with its direction (and prosperity's unit); a cell is ``mean±SE`` to
:data:`DECIMALS` decimals.
"""

from __future__ import annotations

import math

import pandas as pd

from hedgelab.analysis.metrics import GROUP_TITLES, METRICS, direction_label

DECIMALS = 3
"""Decimals of a cell's mean and standard error (metrics are shares, indices or % of GDP, whose
standard errors at the default paths are in the second or third decimal)."""


def metric_groups() -> dict[str, tuple[str, ...]]:
    """Table title -> metrics, from the registry: direction and units in the title."""
    groups: dict[str, list[str]] = {}
    for metric in METRICS.values():
        groups.setdefault(metric.group, []).append(metric.name)
    titled = {}
    for group, names in groups.items():
        directions = {direction_label(METRICS[n].better) for n in names}
        note = f" ({directions.pop()})" if len(directions) == 1 else ""
        if "prosperity" in names:
            note = f" (higher is better; prosperity in {METRICS['prosperity'].unit})"
        titled[GROUP_TITLES[group] + note] = tuple(names)
    return titled


def cell(mean: float, stderr: float) -> str:
    """``mean±SE`` (SE ``n/a`` when undefined, with one path)."""
    se = f"{stderr:.{DECIMALS}f}" if math.isfinite(stderr) else "n/a"
    return f"{mean:.{DECIMALS}f}±{se}"


def comparison_tables(summary: pd.DataFrame, strategies: list[str]) -> list[dict]:
    """The table of :func:`hedgelab.api.summarise`'s ``summary`` cut by metric group, strategies in
    the given order: ``[{title, metrics: [{name, unit, better}], rows: [{strategy, cells}]}]``."""
    mean = summary.pivot(index="strategy", columns="metric", values="mean")
    stderr = summary.pivot(index="strategy", columns="metric", values="stderr")
    return [{"title": title,
             "metrics": [{"name": m, "unit": METRICS[m].unit, "better": direction_label(METRICS[m].better)} for m in names],
             "rows": [{"strategy": s, "cells": [cell(mean.loc[s, m], stderr.loc[s, m]) for m in names]} for s in strategies]}
            for title, names in metric_groups().items()]
