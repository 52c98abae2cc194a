"""Recorders: per-quarter reducers that :func:`hedgelab.model.loop.simulate` feeds.

A recorder sees the state and the quarter's outcomes after every quarter and keeps only what it
needs (a running sum, a first time, a value at an event), so a run never holds more than one
quarter of the model at once unless a recorder asks for it (:class:`Trajectory`).

Every recorder names its outputs and their dimensions (:meth:`Recorder.outputs`); outputs have
the axes ``("strategy", "path", ...)``, so the runner can stitch chunks of paths together
along ``path``. Recorders are plain objects with their configuration as fields: the runner
copies a fresh set for every chunk (:func:`copy.deepcopy`), which also lets them cross process
boundaries.

Per-quarter variables are addressed by name (:data:`VARIABLES`): the mechanism quantities of
:class:`hedgelab.model.mechanisms.Mechanisms`, the parts of prosperity (``prosperity_trade`` …),
the focal state's posture, the event indicators and the environment.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from hedgelab.model.mechanisms import DIRECTIONS, Mechanisms, depth_by_direction
from hedgelab.model.params import ModelParams
from hedgelab.model.state import DOMAINS, ECONOMY, QUARTER, SECURITY, State
from hedgelab.model.step import EVENTS, PROSPERITY_PARTS, Quarter

Extractor = Callable[[ModelParams, State, "Quarter"], np.ndarray]


def _mechanism(name: str) -> Extractor:
    return lambda params, state, quarter: getattr(quarter.mechanisms, name)


def _prosperity_part(part: str) -> Extractor:
    return lambda params, state, quarter: quarter.prosperity[part]


def _event(kind: str) -> Extractor:
    return lambda params, state, quarter: quarter.events[kind]


def _environment(name: str) -> Extractor:
    return lambda params, state, quarter: getattr(state.environment, name)


VARIABLES: dict[str, Extractor] = {
    **{f.name: _mechanism(f.name) for f in fields(Mechanisms)},
    **{f"prosperity_{part}": _prosperity_part(part) for part in PROSPERITY_PARTS},
    "prosperity": lambda params, state, quarter: sum(quarter.prosperity[p] for p in PROSPERITY_PARTS),
    "patron_security_alignment": lambda params, state, quarter: state.focal.alignment[..., params.patron, SECURITY],
    "challenger_economic_alignment": lambda params, state, quarter: state.focal.alignment[
        ..., params.challenger, ECONOMY
    ],
    "patron_exposure": lambda params, state, quarter: state.focal.exposure[..., params.patron],
    "challenger_exposure": lambda params, state, quarter: state.focal.exposure[..., params.challenger],
    "defence_spending": lambda params, state, quarter: state.focal.spending,
    "capability": lambda params, state, quarter: state.focal.capability,
    "support": lambda params, state, quarter: state.focal.support,
    "commitment_loss": lambda params, state, quarter: state.focal.commitment_loss,
    "switched": lambda params, state, quarter: state.focal.switched > 0,
    **{kind: _event(kind) for kind in EVENTS},
    "crisis": lambda params, state, quarter: quarter.crisis,
    "us_reliability": lambda params, state, quarter: quarter.reliability,
    "assertiveness": _environment("assertiveness"),
    "china_weakness": _environment("weakness"),
    "convergence": _environment("convergence"),
    "taiwan_tension": _environment("tension"),
    "north_korea_threat": _environment("north_korea"),
}
"""Per-quarter variables by name: each ``[S, P]`` (or ``[P]`` for the environment, shared by all
strategies)."""

EVENT_VARIABLES: tuple[str, ...] = (*EVENTS, "crisis", "switched")
"""Boolean per-quarter variables (an episode began this quarter; for ``switched``: the strategy
has switched to its fallback levers by this quarter, so "ever" is "by the horizon" and "first"
is the quarter of the switch)."""


class Recorder(ABC):
    """Abstract base of per-quarter reducers. Subclasses are dataclasses whose fields are their
    configuration; state kept between quarters lives in attributes set by :meth:`start`. They
    must say what they output (:meth:`outputs`) and return it (:meth:`result`); :meth:`start`
    and :meth:`update` default to doing nothing."""

    @abstractmethod
    def outputs(self) -> dict[str, tuple[str, ...]]:
        """Output name -> dimensions (always starting ``("strategy", "path")``)."""

    def values_per_path(self, n_strategies: int, n_quarters: int, n_partners: int) -> int:
        """Numbers kept per path in the result (for the runner's memory bound)."""
        return n_strategies * len(self.outputs())

    def start(self, params: ModelParams, state: State, n_quarters: int) -> None:
        """Called once with the base-year state, before the first quarter."""

    def update(self, t: int, state: State, quarter: Quarter) -> None:
        """Called after quarter ``t`` (0-based) with the end-of-quarter state."""

    @abstractmethod
    def result(self) -> dict[str, np.ndarray]:
        """The outputs, each with the dimensions of :meth:`outputs`."""


@dataclass
class TimeAverages(Recorder):
    """Mean over the quarters of the horizon of each named variable, per path (float64 sums).

    ``totals`` adds outputs that are sums of some of those averages (``prosperity`` = the sum of
    its parts' averages), so a total and its parts add up exactly.
    """

    names: tuple[str, ...]
    totals: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def outputs(self) -> dict[str, tuple[str, ...]]:
        return {name: ("strategy", "path") for name in (*self.names, *(total for total, _ in self.totals))}

    def start(self, params: ModelParams, state: State, n_quarters: int) -> None:
        self._params = params
        self._shape = state.focal.spending.shape
        self._sums = {name: np.zeros(self._shape) for name in self.names}
        self._count = 0

    def update(self, t: int, state: State, quarter: Quarter) -> None:
        for name in self.names:
            self._sums[name] += VARIABLES[name](self._params, state, quarter)
        self._count += 1

    def result(self) -> dict[str, np.ndarray]:
        averages = {name: total / self._count for name, total in self._sums.items()}
        for total, parts in self.totals:
            averages[total] = sum(averages[part] for part in parts)
        return averages


@dataclass
class EverEvents(Recorder):
    """1.0 where at least one episode of each named kind happened on the path, else 0.0."""

    kinds: tuple[str, ...] = EVENT_VARIABLES

    def outputs(self) -> dict[str, tuple[str, ...]]:
        return {kind: ("strategy", "path") for kind in self.kinds}

    def start(self, params: ModelParams, state: State, n_quarters: int) -> None:
        self._params = params
        self._shape = state.focal.spending.shape
        self._happened = {kind: np.zeros(self._shape, dtype=bool) for kind in self.kinds}

    def update(self, t: int, state: State, quarter: Quarter) -> None:
        for kind in self.kinds:
            self._happened[kind] |= VARIABLES[kind](self._params, state, quarter)

    def result(self) -> dict[str, np.ndarray]:
        return {kind: flags.astype(float) for kind, flags in self._happened.items()}


LOSS_EVENTS: tuple[str, ...] = ("coercion", "entrapment")
"""Event kinds with a one-off prosperity loss (a part of prosperity of the same name)."""


@dataclass
class EventRates(Recorder):
    """Episodes per year of each kind (``<kind>_per_year``: the count over the horizon divided by
    its length in years) and, for kinds with a one-off loss, the loss per year
    (``<kind>_loss_per_year``, % of GDP: the lost prosperity summed over quarters, divided by the
    years). Unlike :class:`EverEvents` these do not saturate at one episode."""

    kinds: tuple[str, ...] = EVENTS

    def outputs(self) -> dict[str, tuple[str, ...]]:
        names = [f"{k}_per_year" for k in self.kinds] + [f"{k}_loss_per_year" for k in self.kinds if k in LOSS_EVENTS]
        return {name: ("strategy", "path") for name in names}

    def start(self, params: ModelParams, state: State, n_quarters: int) -> None:
        self._params = params
        shape = state.focal.spending.shape
        self._counts = {k: np.zeros(shape) for k in self.kinds}
        self._losses = {k: np.zeros(shape) for k in self.kinds if k in LOSS_EVENTS}
        self._quarters = 0

    def update(self, t: int, state: State, quarter: Quarter) -> None:
        for kind in self.kinds:
            self._counts[kind] += VARIABLES[kind](self._params, state, quarter)
        for kind in self._losses:
            self._losses[kind] -= quarter.prosperity[kind] * QUARTER  # loss of this quarter, % of GDP
        self._quarters += 1

    def result(self) -> dict[str, np.ndarray]:
        years = self._quarters * QUARTER
        out = {f"{k}_per_year": c / years for k, c in self._counts.items()}
        out.update({f"{k}_loss_per_year": loss / years for k, loss in self._losses.items()})
        return out


@dataclass
class FirstEvent(Recorder):
    """Years from the start to the end of the quarter of the first episode of each kind
    (``(t + 1) / 4`` for quarter ``t``); NaN on paths without one. Outputs ``first_<kind>``."""

    kinds: tuple[str, ...] = EVENT_VARIABLES

    def outputs(self) -> dict[str, tuple[str, ...]]:
        return {f"first_{kind}": ("strategy", "path") for kind in self.kinds}

    def start(self, params: ModelParams, state: State, n_quarters: int) -> None:
        self._params = params
        self._first = {kind: np.full(state.focal.spending.shape, np.nan) for kind in self.kinds}

    def update(self, t: int, state: State, quarter: Quarter) -> None:
        for kind, first in self._first.items():
            new = VARIABLES[kind](self._params, state, quarter) & np.isnan(first)
            first[new] = (t + 1) * QUARTER

    def result(self) -> dict[str, np.ndarray]:
        return {f"first_{kind}": first for kind, first in self._first.items()}


WITHOUT_US = "security_without_us"


@dataclass
class DepthAtFirstCrisis(Recorder):
    """Depth in each direction (:func:`~hedgelab.model.mechanisms.depth_by_direction`) at the end
    of the quarter of the first Taiwan-strait crisis, or at the horizon on paths without one.
    Outputs ``depth_<direction>``, ``depth`` (the deepest direction), ``depth_min`` (the
    shallowest) and ``security_without_us_at_crisis`` (own supply-independent capability plus
    partners against the threat, :attr:`~hedgelab.model.mechanisms.Mechanisms.security_without_us`,
    in the quarter of the first crisis, else in the last quarter): the depth the 2026 analysis
    means, what the focal state can stand on if the US does not come."""

    def outputs(self) -> dict[str, tuple[str, ...]]:
        names = (*(f"depth_{d}" for d in DIRECTIONS), "depth", "depth_min", "security_without_us_at_crisis")
        return {name: ("strategy", "path") for name in names}

    def start(self, params: ModelParams, state: State, n_quarters: int) -> None:
        self._params = params
        shape = state.focal.spending.shape
        self._seen = np.zeros(shape[1], dtype=bool)
        self._at_crisis = {d: np.zeros(shape) for d in (*DIRECTIONS, WITHOUT_US)}
        self._last = state
        self._last_without_us = np.zeros(shape)

    def update(self, t: int, state: State, quarter: Quarter) -> None:
        without_us = quarter.mechanisms.security_without_us
        first = quarter.crisis & ~self._seen
        if first.any():
            values = {**depth_by_direction(self._params, state.focal), WITHOUT_US: without_us}
            for name, value in values.items():
                self._at_crisis[name][:, first] = value[:, first]
            self._seen |= first
        self._last = state
        self._last_without_us = without_us

    def result(self) -> dict[str, np.ndarray]:
        at_horizon = depth_by_direction(self._params, self._last.focal)
        depths = {f"depth_{d}": np.where(self._seen, self._at_crisis[d], at_horizon[d]) for d in DIRECTIONS}
        stacked = np.stack(list(depths.values()))
        without_us = np.where(self._seen, self._at_crisis[WITHOUT_US], self._last_without_us)
        return {**depths, "depth": stacked.max(0), "depth_min": stacked.min(0),
                "security_without_us_at_crisis": without_us}


@dataclass
class Trajectory(Recorder):
    """Every quarter of each named variable on every path (in the run's dtype), dims
    ``(strategy, path, quarter)``: memory grows with the horizon."""

    names: tuple[str, ...]

    def outputs(self) -> dict[str, tuple[str, ...]]:
        return {name: ("strategy", "path", "quarter") for name in self.names}

    def values_per_path(self, n_strategies: int, n_quarters: int, n_partners: int) -> int:
        return n_strategies * n_quarters * len(self.names)

    def start(self, params: ModelParams, state: State, n_quarters: int) -> None:
        self._params = params
        n_strategies, n_paths = state.focal.spending.shape
        dtype = state.focal.spending.dtype
        self._store = {name: np.empty((n_strategies, n_paths, n_quarters), dtype=dtype) for name in self.names}

    def update(self, t: int, state: State, quarter: Quarter) -> None:
        shape = state.focal.spending.shape
        for name, store in self._store.items():
            store[:, :, t] = np.broadcast_to(VARIABLES[name](self._params, state, quarter), shape)

    def result(self) -> dict[str, np.ndarray]:
        return self._store


@dataclass
class FinalPosture(Recorder):
    """The focal state's alignment ``[S, P, K, D]`` and direct plus routed exposure ``[S, P, K]``
    at the horizon (what a strategy leaves each partner)."""

    def outputs(self) -> dict[str, tuple[str, ...]]:
        return {
            "final_alignment": ("strategy", "path", "partner", "domain"),
            "final_exposure": ("strategy", "path", "partner"),
        }

    def values_per_path(self, n_strategies: int, n_quarters: int, n_partners: int) -> int:
        return n_strategies * n_partners * (len(DOMAINS) + 1)

    def start(self, params: ModelParams, state: State, n_quarters: int) -> None:
        self._last = state

    def update(self, t: int, state: State, quarter: Quarter) -> None:
        self._last = state

    def result(self) -> dict[str, np.ndarray]:
        focal = self._last.focal
        return {"final_alignment": focal.alignment, "final_exposure": focal.exposure + focal.routed}
