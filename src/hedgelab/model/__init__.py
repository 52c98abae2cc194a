"""The pure, vectorised model core: state, environment, policy family, events, outcomes.

No I/O, no printing, no schema types: arrays in, arrays out (the compile step from a scenario
is :mod:`hedgelab.scenarios.compile`). Entry points: :func:`draw_shocks`, :func:`simulate` (the
quarterly loop, feeding :mod:`recorders <hedgelab.model.recorders>`) and
:func:`reference_intensity`.
"""

from hedgelab.model.params import ModelParams
from hedgelab.model.policy import PolicyArrays, policy_targets
from hedgelab.model.shocks import Shocks, draw_shocks
from hedgelab.model.loop import reference_intensity, simulate

__all__ = [
    "ModelParams",
    "PolicyArrays",
    "Shocks",
    "draw_shocks",
    "policy_targets",
    "reference_intensity",
    "simulate",
]
