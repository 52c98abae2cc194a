"""The built-in recorders as reductions inside the kernel, and their results afterwards.

The kernel cannot call a recorder's Python code each quarter, so each built-in recorder of
:mod:`hedgelab.model.recorders` is translated into the reductions it needs (:class:`Plan`): sums
over quarters of some variables (time averages, event counts, losses), first event times, a
stored trajectory (also :class:`~hedgelab.model.series.QuarterlySeries`), depth at the first
crisis, the final posture. :func:`results` turns the
reductions back into exactly the outputs the recorder's own :meth:`result` gives (same names,
dimensions and meaning). A recorder of any other class (a user's, or a subclass that might
change the behaviour) is not supported: :func:`unsupported` names it and the runner falls back
to the NumPy core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hedgelab.model.fast.kernel import VARIABLES
from hedgelab.model.mechanisms import DIRECTIONS
from hedgelab.model.recorders import (
    LOSS_EVENTS,
    DepthAtFirstCrisis,
    EventRates,
    EverEvents,
    FinalPosture,
    FirstEvent,
    Recorder,
    TimeAverages,
    Trajectory,
)
from hedgelab.model.series import PREFIX, QuarterlySeries
from hedgelab.model.state import QUARTER

SUPPORTED: tuple[type, ...] = (TimeAverages, EverEvents, EventRates, FirstEvent, DepthAtFirstCrisis, Trajectory,
                               QuarterlySeries, FinalPosture)
"""Recorder classes the kernel reduces itself (exact classes, not subclasses)."""


def unsupported(recorders: Sequence[Recorder]) -> str | None:
    """Why the kernel cannot feed ``recorders`` (None when it can)."""
    for recorder in recorders:
        if type(recorder) not in SUPPORTED:
            return f"recorder {type(recorder).__name__} is not one of the built-in recorders"
        names = _variables(recorder)
        missing = [name for name in names if name not in VARIABLES]
        if missing:
            return f"recorder {type(recorder).__name__} asks for {', '.join(missing)}, which the kernel does not compute"
    return None


def _loss_variable(kind: str) -> str:
    return f"prosperity_{kind}"


def _variables(recorder: Recorder) -> tuple[str, ...]:
    match recorder:
        case TimeAverages():
            return recorder.names
        case EverEvents() | FirstEvent():
            return recorder.kinds
        case EventRates():
            return (*recorder.kinds, *(_loss_variable(k) for k in recorder.kinds if k in LOSS_EVENTS))
        case Trajectory():
            return recorder.names
    return ()


@dataclass(frozen=True)
class Plan:
    """What the kernel reduces: variable indices (into :data:`VARIABLES`) per reduction."""

    sums: tuple[str, ...]
    firsts: tuple[str, ...]
    trajectory: tuple[str, ...]
    keep_depth: bool
    keep_final: bool

    def index(self, names: tuple[str, ...]) -> np.ndarray:
        """``names`` as an int64 array of variable indices."""
        return np.array([VARIABLES.index(n) for n in names], dtype=np.int64)


def _unique(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def make_plan(recorders: Sequence[Recorder]) -> Plan:
    """The union of the reductions ``recorders`` need (each variable reduced once)."""
    sums: list[str] = []
    firsts: list[str] = []
    trajectory: list[str] = []
    for recorder in recorders:
        match recorder:
            case TimeAverages() | EverEvents() | EventRates():
                sums += _variables(recorder)
            case FirstEvent():
                firsts += recorder.kinds
            case Trajectory():
                trajectory += recorder.names
    return Plan(
        sums=_unique(sums), firsts=_unique(firsts), trajectory=_unique(trajectory),
        keep_depth=any(isinstance(r, DepthAtFirstCrisis) for r in recorders),
        keep_final=any(isinstance(r, FinalPosture) for r in recorders),
    )


@dataclass(frozen=True)
class Reduced:
    """The kernel's reductions over a chunk (``[S, P, ...]``)."""

    sums: np.ndarray  # [S, P, len(plan.sums)] float64
    firsts: np.ndarray  # [S, P, len(plan.firsts)] float64, NaN where the event never happened
    trajectory: np.ndarray  # [S, P, T, len(plan.trajectory)] in the run's dtype
    depth: np.ndarray  # [S, P, 5]: depth by direction and security without the US (at the first crisis)
    final_alignment: np.ndarray  # [S, P, K, D]
    final_exposure: np.ndarray  # [S, P, K], direct + routed


def results(recorders: Sequence[Recorder], plan: Plan, reduced: Reduced, n_quarters: int,
            dtype: np.dtype) -> dict[str, np.ndarray]:
    """Every recorder's outputs, as its :meth:`~hedgelab.model.recorders.Recorder.result` gives them."""
    summed = {name: reduced.sums[..., i] for i, name in enumerate(plan.sums)}
    years = n_quarters * QUARTER
    out: dict[str, np.ndarray] = {}
    for recorder in recorders:
        match recorder:
            case TimeAverages():
                averages = {name: summed[name] / n_quarters for name in recorder.names}
                for total, parts in recorder.totals:
                    averages[total] = sum(averages[part] for part in parts)
                out.update(averages)
            case EverEvents():
                out.update({kind: (summed[kind] > 0).astype(float) for kind in recorder.kinds})
            case EventRates():
                out.update({f"{k}_per_year": summed[k] / years for k in recorder.kinds})
                out.update({f"{k}_loss_per_year": -summed[_loss_variable(k)] * QUARTER / years
                            for k in recorder.kinds if k in LOSS_EVENTS})
            case FirstEvent():
                out.update({f"first_{k}": reduced.firsts[..., plan.firsts.index(k)] for k in recorder.kinds})
            case DepthAtFirstCrisis():
                depths = {f"depth_{d}": reduced.depth[..., i] for i, d in enumerate(DIRECTIONS)}
                stacked = reduced.depth[..., : len(DIRECTIONS)]
                out.update({**depths, "depth": stacked.max(-1), "depth_min": stacked.min(-1),
                            "security_without_us_at_crisis": reduced.depth[..., len(DIRECTIONS)]})
            case QuarterlySeries():
                out.update({f"{PREFIX}{name}": reduced.trajectory[..., plan.trajectory.index(name)]
                            for name in recorder.names})
            case Trajectory():
                out.update({name: reduced.trajectory[..., plan.trajectory.index(name)] for name in recorder.names})
            case FinalPosture():
                out.update({"final_alignment": reduced.final_alignment.astype(dtype),
                            "final_exposure": reduced.final_exposure.astype(dtype)})
    return out
