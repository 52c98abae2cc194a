"""Quarterly series per path: the recorder behind tipping points and signposts.

:class:`QuarterlySeries` keeps every quarter of named per-quarter variables on every path, like
:class:`~hedgelab.model.recorders.Trajectory`, over a wider set of names (:data:`SERIES`): the
recorders' :data:`~hedgelab.model.recorders.VARIABLES` plus the observables an analyst can watch
that are not model variables as such (US unreliability, whether the US is in a non-committed
regime). The exploration sweep reduces them to across-path means per sampled future
(:mod:`hedgelab.analysis.explore.sweep`) and keeps the per-path values of the observables only
for the first few paths of each future (``path_<series>``: what one government would see on one
path, the data per-path signposts are scored on); the rest live only for one engine run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hedgelab.model.recorders import VARIABLES, Extractor, Trajectory
from hedgelab.model.state import COMMITTED
from hedgelab.model.step import Quarter

OBSERVABLES: dict[str, Extractor] = {
    "unreliability": lambda params, state, quarter: 1.0 - quarter.reliability,
    "us_not_committed": lambda params, state, quarter: (state.environment.regime != COMMITTED).astype(
        quarter.reliability.dtype),
}
"""Observables that are not recorder variables: ``unreliability`` = 1 − US reliability ``[P]``
(the switching signal of the policy family); ``us_not_committed`` = 1 where the US is in the
transactional or retrenching regime ``[P]`` (its across-path mean is the share of such futures)."""

SERIES: dict[str, Extractor] = {**VARIABLES, **OBSERVABLES}
"""Every name :class:`QuarterlySeries` can record: ``[S, P]`` or ``[P]`` per quarter."""

PREFIX = "quarterly_"
"""Outputs are named ``quarterly_<series>`` (beside the time averages of the same variables)."""
PATH_PREFIX = "path_"
"""A sweep's per-path values of a series are named ``path_<series>`` (dims strategy, sample,
observed_path, quarter)."""


@dataclass
class QuarterlySeries(Trajectory):
    """Every quarter of each named series (:data:`SERIES`) on every path, dims
    ``(strategy, path, quarter)`` in the run's dtype (event indicators as 0/1), as outputs
    ``quarterly_<series>``."""

    def outputs(self) -> dict[str, tuple[str, ...]]:
        return {f"{PREFIX}{name}": dims for name, dims in super().outputs().items()}

    def result(self) -> dict[str, np.ndarray]:
        return {f"{PREFIX}{name}": values for name, values in super().result().items()}

    def update(self, t: int, state, quarter: Quarter) -> None:  # type: ignore[no-untyped-def]
        shape = state.focal.spending.shape
        for name, store in self._store.items():
            store[:, :, t] = np.broadcast_to(SERIES[name](self._params, state, quarter), shape)
