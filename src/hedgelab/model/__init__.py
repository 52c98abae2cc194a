"""The pure, vectorised model core: state, environment, policy family, events, outcomes.

No I/O, no printing. Public entry points: :func:`compile_params`, :func:`compile_policies`,
:func:`draw_shocks` and :func:`simulate`.
"""

from hedgelab.model.params import ModelParams, compile_params
from hedgelab.model.policy import PolicyArrays, compile_policies, policy_targets
from hedgelab.model.shocks import Shocks, draw_shocks
from hedgelab.model.simulate import reference_intensity, simulate

__all__ = [
    "ModelParams",
    "PolicyArrays",
    "Shocks",
    "compile_params",
    "compile_policies",
    "draw_shocks",
    "policy_targets",
    "reference_intensity",
    "simulate",
]
