"""Flat arrays for the fused kernel, built from the NumPy core's own types.

Every layout here is generated from the core's dataclasses (their field names and order), so a
parameter, lever or environment field added to the core appears in the kernel's inputs without
a second list to keep in step; the kernel reads fields by name (``row.coercion_rate``), and a
field it does not know is simply not used (the equality tests in ``tests/model/fast`` then fail,
which is the guard against drift).

- scalar parameters: one NumPy structured array ``[Pp]`` (``Pp`` = 1, or P when sampled) with one
  float64 field per parameter of every group of :data:`hedgelab.model.params.GROUPS`;
- partner parameters: ``[Pp, len(PARTNER_FIELDS), K]`` and base-year alignment and public
  preference ``[Pp, K, D]``;
- policy: a structured array ``[S]`` of the scalar levers (switch fields included), and the same
  for the fallback levers in force after a switch;
- the policy targets' path-independent inputs over flat cells (partner ``k``, domain ``d`` at
  ``k * D + d``): the alignment shift ``[2, S, K * D]`` and where the threat-driven security push
  applies ``[2, S, K * D]`` (the core's :func:`~hedgelab.model.policy.security_push_toward`), each
  for the strategy's own levers and its fallback, and where the partners' push (secondary
  partners' security) and de-risking (the challenger's economy and technology) apply ``[2, K * D]``;
- environment: the trajectory of :class:`hedgelab.model.state.EnvironmentState` over the chunk's
  quarters, a structured array ``[T, P]`` and the economic weights ``[T, P, K]``, advanced by the core's own
  :func:`hedgelab.model.environment.step_environment` (1/S of the model's work: the environment
  is shared by every strategy), and the crisis flags ``[T, P]``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from hedgelab.model.environment import initial_environment, step_environment
from hedgelab.model.fast.kernel import P_DERISK, P_PARTNERS
from hedgelab.model.params import GROUPS, PARTNER_FIELDS, ModelParams
from hedgelab.model.policy import PolicyArrays, security_push_toward
from hedgelab.model.shocks import Shocks
from hedgelab.model.state import DOMAINS, ECONOMY, SECURITY, TECHNOLOGY, EnvironmentState

PARAM_DTYPE = np.dtype([(f.name, np.float64) for cls in GROUPS.values() for f in fields(cls)])
"""One float64 field per scalar parameter (names are unique across groups: a test checks it)."""
PARTNER_INDEX: dict[str, int] = {name: i for i, name in enumerate(PARTNER_FIELDS)}
ROLE_CODES: dict[str, int] = {"patron": 0, "challenger": 1, "secondary": 2}


def _policy_levers(policy_type: type = PolicyArrays) -> tuple[str, ...]:
    """The ``[S, 1]`` lever fields of the policy family (every array field but the shift)."""
    return tuple(f.name for f in fields(policy_type) if f.name not in {"names", "shift", "after"})


POLICY_LEVERS: tuple[str, ...] = _policy_levers()
POLICY_DTYPE = np.dtype([(name, np.float64) for name in POLICY_LEVERS])


PER_PARTNER_ENV = "economic_weight"
ENV_DTYPE = np.dtype([(f.name, np.float64) for f in fields(EnvironmentState) if f.name != PER_PARTNER_ENV])
"""One float64 field per ``[P]`` field of :class:`EnvironmentState` (the regime as a number)."""


@dataclass(frozen=True)
class Packed:
    """Kernel inputs of one chunk (see the module docstring for the layouts)."""

    scalars: np.ndarray
    partners: np.ndarray
    alignment0: np.ndarray
    preference: np.ndarray
    roles: np.ndarray
    levers: np.ndarray
    target_shift: np.ndarray
    adaptive: bool
    after_levers: np.ndarray
    security_rows: np.ndarray
    push_cells: np.ndarray
    environment: np.ndarray
    economic_weight: np.ndarray
    crisis: np.ndarray


def _per_path_rows(value: np.ndarray, n_rows: int, base_ndim: int) -> np.ndarray:
    value = np.asarray(value, dtype=np.float64)
    if value.ndim == base_ndim:
        value = value[None]
    return np.broadcast_to(value, (n_rows, *value.shape[1:]))


def pack_params(params: ModelParams) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scalar, partner, base-alignment and preference arrays and the role codes ``[K]``."""
    n_rows = params.n_paths or 1
    scalars = np.empty(n_rows, dtype=PARAM_DTYPE)
    for group in GROUPS:
        values = getattr(params, group)
        for f in fields(values):
            scalars[f.name] = _per_path_rows(getattr(values, f.name), n_rows, 0)
    partners = np.stack(
        [_per_path_rows(getattr(params.partners, name), n_rows, 1) for name in PARTNER_FIELDS], axis=1
    )
    alignment0 = np.ascontiguousarray(_per_path_rows(params.partners.alignment, n_rows, 2))
    preference = np.ascontiguousarray(_per_path_rows(params.partners.public_preference, n_rows, 2))
    roles = np.array([ROLE_CODES[r] for r in params.roles], dtype=np.int64)
    return scalars, np.ascontiguousarray(partners), alignment0, preference, roles


def _lever_rows(policy: PolicyArrays) -> np.ndarray:
    levers = np.empty(len(policy.names), dtype=POLICY_DTYPE)
    for name in POLICY_LEVERS:
        levers[name] = np.asarray(getattr(policy, name), dtype=np.float64).reshape(-1)
    return levers


def pack_policy(policy: PolicyArrays) -> tuple[np.ndarray, np.ndarray, bool, np.ndarray, np.ndarray]:
    """The levers as a structured array ``[S]``, the alignment shift ``[S, K, D]``, whether any
    strategy can switch (:attr:`PolicyArrays.adaptive`) and the fallback levers and shift (the
    strategy's own when it has none)."""
    levers = _lever_rows(policy)
    shift = np.ascontiguousarray(policy.shift, dtype=np.float64)
    if policy.after is None:
        return levers, shift, False, levers, shift
    after = policy.after
    return levers, shift, policy.adaptive, _lever_rows(after), np.ascontiguousarray(after.shift, dtype=np.float64)


def pack_targets(params: ModelParams, shift: np.ndarray, after_shift: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The policy targets' path-independent inputs over flat cells (see the module docstring):
    the shifts ``[2, S, K * D]`` (own levers, fallback), where the security push applies
    ``[2, S, K * D]`` and where the partners' push and de-risking apply ``[2, K * D]``, float64 0/1."""
    shifts = np.stack([shift, after_shift])  # [2, S, K, D]
    security = np.zeros_like(shifts)
    security[..., SECURITY] = security_push_toward(shifts[..., SECURITY], params)
    cells = np.zeros((2, *shift.shape[1:]))  # [2, K, D]
    cells[P_PARTNERS, params.secondary_mask, SECURITY] = 1.0
    cells[P_DERISK, params.challenger, [ECONOMY, TECHNOLOGY]] = 1.0
    n_cells = len(params.partner_codes) * len(DOMAINS)
    return (np.ascontiguousarray(shifts.reshape(2, -1, n_cells)), np.ascontiguousarray(security.reshape(2, -1, n_cells)),
            cells.reshape(2, n_cells))


def environment_path(
    params: ModelParams, shocks: Shocks, dtype: np.dtype
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The environment after each quarter (structured ``[T, P]`` and economic weight
    ``[T, P, K]``, float64) and the crisis flags ``[T, P]``, computed by the core's
    :func:`step_environment` in the run's dtype."""
    n_paths, n_quarters = shocks.n_paths, shocks.n_quarters
    env = initial_environment(params, shocks.initial_draw("since_trigger"), dtype)
    out = np.empty((n_quarters, n_paths), dtype=ENV_DTYPE)
    weight = np.empty((n_quarters, n_paths, len(params.partner_codes)), dtype=np.float64)
    crisis = np.empty((n_quarters, n_paths), dtype=np.bool_)
    for t in range(n_quarters):
        env, crisis[t] = step_environment(params, env, shocks.quarter(t))
        for name in ENV_DTYPE.names:
            out[name][t] = getattr(env, name)
        weight[t] = getattr(env, PER_PARTNER_ENV)
    return out, weight, crisis


def pack(params: ModelParams, policy: PolicyArrays, shocks: Shocks, dtype: np.dtype) -> Packed:
    """Every kernel input of a chunk (``params`` and ``policy`` already in the run's dtype)."""
    scalars, partners, alignment0, preference, roles = pack_params(params)
    levers, shift, adaptive, after_levers, after_shift = pack_policy(policy)
    target_shift, security_rows, push_cells = pack_targets(params, shift, after_shift)
    environment, weight, crisis = environment_path(params, shocks, dtype)
    return Packed(scalars, partners, alignment0, preference, roles, levers, target_shift, adaptive, after_levers,
                  security_rows, push_cells, environment, weight, crisis)
