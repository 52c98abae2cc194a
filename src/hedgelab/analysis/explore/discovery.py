"""Scenario discovery: boxes in the space of uncertainties where a strategy fails.

PRIM (Friedman and Fisher 1999, as implemented by EMA Workbench 2.5,
:class:`ema_workbench.analysis.prim.Prim`) peels the sampled futures toward the region where the
failure is dense; CART (:class:`ema_workbench.analysis.cart.CART`, a scikit-learn tree) gives a
partition to compare with. A box is described by its coverage (share of all failures inside it),
density (share of futures inside it that fail), mass (share of futures inside), the restricted
dimensions with their limits, and the quasi-p-value of each restriction (how unlikely the
density gain would be by chance; EMA's ``inspect``).

EMA's ``CART.boxes_to_dataframe`` returns zeros under pandas 3; this module reads ``CART.boxes``
and ``CART.stats`` directly.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis.explore.robustness import _sign
from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.analysis.optional import optional


@dataclass(frozen=True)
class Boxes:
    """A PRIM result: the peeling trajectory, the chosen box and its limits."""

    trajectory: pd.DataFrame  # per step: coverage, density, mass, res_dim (EMA's peeling_trajectory)
    chosen: int  # row of the trajectory chosen
    limits: pd.DataFrame  # restricted dimensions: parameter, low, high, range_low, range_high, qp_low, qp_high
    base_rate: float  # share of all futures that fail
    n_futures: int
    cart: pd.DataFrame  # CART leaves: coverage, density, mass, res_dim and limits (JSON), failing leaves first

    @property
    def coverage(self) -> float:
        """Share of the failing futures inside the chosen box."""
        return float(self.trajectory.loc[self.chosen, "coverage"])

    @property
    def density(self) -> float:
        """Share of the futures in the chosen box that fail."""
        return float(self.trajectory.loc[self.chosen, "density"])


def prim_boxes(
    x: pd.DataFrame, y: np.ndarray, *, density_target: float, peel_alpha: float, mass_min: float,
    ranges: dict[str, tuple[float, float]] | None = None,
) -> Boxes:
    """PRIM and CART on futures ``x`` (one column per uncertainty) and failure flags ``y``.

    Parameters
    ----------
    density_target : float
        The chosen box is the one of highest coverage on the peeling trajectory whose density is at
        least this (the densest box when none reaches it), in (0, 1].
    peel_alpha : float
        Share of the futures peeled at each step (EMA's ``peel_alpha``), in (0, 0.5).
    mass_min : float
        Smallest share of futures a box (and a CART leaf) may hold, in (0, 1).
    ranges : dict, optional
        Sampled range of each column, reported beside the box limits (default: the data's).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EMA's import warns about optional parallel back-ends
        cart = optional("ema_workbench.analysis.cart", "explore")
        prim = optional("ema_workbench.analysis.prim", "explore")

    y = np.asarray(y, dtype=bool)
    problems = []
    if not 0 < density_target <= 1:
        problems.append(error_line("request", "density_target", f"a number in (0, 1], got {density_target}"))
    if not 0 < peel_alpha < 0.5:
        problems.append(error_line("request", "peel_alpha", f"a number in (0, 0.5), got {peel_alpha}"))
    if not 0 < mass_min < 1:
        problems.append(error_line("request", "mass_min", f"a number in (0, 1), got {mass_min}"))
    if y.shape != (len(x),):
        problems.append(error_line("request", "y", f"one flag per future ({len(x)})"))
    elif not y.any() or y.all():
        problems.append(error_line("request", "y", f"some futures that fail and some that do not "
                                   f"({int(y.sum())} of {len(y)} fail)"))
    if problems:
        raise HedgelabError(problems)
    x = x.reset_index(drop=True).astype(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        finder = prim.Prim(x, y, threshold=density_target, peel_alpha=peel_alpha, mass_min=mass_min)
        box = finder.find_box()
        trajectory = box.peeling_trajectory.reset_index(drop=True)
        eligible = trajectory[trajectory["density"] >= density_target]
        chosen = int(eligible["coverage"].idxmax()) if len(eligible) else int(trajectory["density"].idxmax())
        _stats, qp_frame = box.inspect(chosen, style="data")[0]
    lims = box.box_lims[chosen]
    ranges = ranges or {c: (float(x[c].min()), float(x[c].max())) for c in x.columns}
    qp = qp_frame.droplevel(0, axis=1) if isinstance(qp_frame.columns, pd.MultiIndex) else qp_frame
    rows = []
    for name in qp.index:
        values = qp.loc[name].to_numpy()
        rows.append({"parameter": name, "low": float(lims[name].iloc[0]), "high": float(lims[name].iloc[1]),
                     "range_low": ranges[name][0], "range_high": ranges[name][1],
                     "qp_low": float(values[2]) if np.isfinite(values[2]) else np.nan,
                     "qp_high": float(values[3]) if np.isfinite(values[3]) else np.nan})
    limits = pd.DataFrame(rows, columns=["parameter", "low", "high", "range_low", "range_high", "qp_low", "qp_high"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = cart.CART(x, y, mass_min=mass_min)
        tree.build_tree()
    leaves = []
    for stats, leaf in zip(tree.stats, tree.boxes):
        restricted = {c: [float(leaf[c].iloc[0]), float(leaf[c].iloc[1])] for c in leaf.columns  # CART's leaves
                      if leaf[c].iloc[0] > x[c].min() or leaf[c].iloc[1] < x[c].max()}  # span the data, not the range
        leaves.append({"coverage": float(stats["coverage"]), "density": float(stats["density"]),
                       "mass": float(stats["mass"]), "res_dim": int(stats["res dim"]), "limits": restricted})
    cart_frame = pd.DataFrame(leaves).sort_values("density", ascending=False, kind="stable").reset_index(drop=True)
    return Boxes(trajectory[["coverage", "density", "mass", "res_dim"]], chosen, limits, float(y.mean()), len(y),
                 cart_frame)


def failures(results: xr.Dataset, strategy: str, versus: str | None, metric: str,
             threshold: float | None = None) -> np.ndarray:
    """``[sample]`` flags: ``strategy`` does worse on ``metric`` than ``versus`` (than the best of the
    other strategies when None), or worse than ``threshold`` when given (without ``versus``);
    direction from the registry."""
    sign = _sign(metric)
    if threshold is not None and versus is not None:
        raise HedgelabError(error_line("request", "threshold", "either a threshold or a strategy to compare with"))
    known = [str(s) for s in results.strategy.values]
    for name in (strategy, versus):
        if name is not None and name not in known:
            raise HedgelabError(error_line("request", "strategy", f"a strategy of the sweep ({', '.join(known)}), "
                                           f"not {name!r}{suggest(name, known)}"))
    oriented = sign * results[metric].transpose("strategy", "sample")
    mine = oriented.sel(strategy=strategy).values
    if threshold is not None:
        return mine < sign * threshold
    others = [s for s in known if s != strategy] if versus is None else [versus]
    if not others:
        raise HedgelabError(error_line("request", "versus", "another strategy in the sweep to compare with"))
    return mine < oriented.sel(strategy=others).max("strategy").values


def discover(
    results: xr.Dataset,
    strategy: str,
    *,
    versus: str | None = None,
    metric: str = "prosperity",
    threshold: float | None = None,
    density_target: float = 0.8,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> Boxes:
    """Where ``strategy`` does worse than ``versus`` (or than ``threshold``) on ``metric``: PRIM and
    CART boxes over the sweep's uncertainties (defaults: prosperity; density target 0.8, EMA's peel 0.05 and
    minimum mass 0.05, as documented in :func:`prim_boxes`)."""
    y = failures(results, strategy, versus, metric, threshold)
    if not y.any() or y.all():
        against = versus or ("the best other strategy" if threshold is None else f"the threshold {threshold}")
        raise HedgelabError(error_line("request", "strategy", (
            f"a strategy that does worse than {against} on {metric} in some futures and not in others; "
            f"{strategy} does worse in {int(y.sum())} of {len(y)}")))
    design = results["design"].transpose("sample", "uncertainty")
    x = pd.DataFrame(design.values, columns=[str(u) for u in results.uncertainty.values])
    ranges = {str(u): (float(lo), float(hi)) for u, lo, hi in
              zip(results.uncertainty.values, results.low.values, results.high.values)}
    return prim_boxes(x, y, density_target=density_target, peel_alpha=peel_alpha, mass_min=mass_min, ranges=ranges)
