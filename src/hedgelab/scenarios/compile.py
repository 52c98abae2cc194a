"""The compile step: a validated :class:`~hedgelab.scenarios.schema.Scenario` to the model's arrays.

It lives on the scenarios side because it is the one place that knows both the schema types
and the model's array types; the model imports nothing from here (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields

import numpy as np

from hedgelab.model.params import DOMAIN_FIELDS, GROUPS, PARTNER_FIELDS, ModelParams, PartnerParams
from hedgelab.errors import HedgelabError, error_line
from hedgelab.model.policy import LEVERS, SIGNALS, PolicyArrays
from hedgelab.model.state import DOMAINS, REGIMES
from hedgelab.scenarios.schema import Parameter, Scenario, Strategy


def parameter_names(spec: object) -> list[str]:
    """Names of the :class:`Parameter` fields of a schema group."""
    return [name for name in type(spec).model_fields if isinstance(getattr(spec, name), Parameter)]


def compile_params(scenario: Scenario) -> ModelParams:
    """Turn a validated scenario into :class:`ModelParams` (float64, no path axis yet).

    Raises
    ------
    TypeError
        When a schema group and its array dataclass name different parameters (a programming
        error: a parameter the model would silently ignore, or one it would miss).
    """
    groups = {}
    for name, cls in GROUPS.items():
        spec = getattr(scenario, name)
        expected = [f.name for f in fields(cls)]
        if sorted(parameter_names(spec)) != sorted(expected):
            raise TypeError(f"schema group {name!r} and {cls.__name__} name different parameters")
        groups[name] = cls(**{f: np.asarray(getattr(spec, f).value, dtype=float) for f in expected})
    codes = scenario.partner_codes()
    partners = [scenario.partners[c] for c in codes]
    vectors = {f: np.array([getattr(p, f).value for p in partners], dtype=float) for f in PARTNER_FIELDS}
    tables = {
        table: np.array([[getattr(getattr(p, table), d).value for d in DOMAINS] for p in partners], dtype=float)
        for table in DOMAIN_FIELDS
    }
    return ModelParams(
        **groups,
        partners=PartnerParams(**vectors, **tables),
        partner_codes=tuple(codes),
        roles=tuple(p.role for p in partners),
        regime0=REGIMES.index(scenario.environment.us_regime_initial),
    )


def _lever_value(strategy: Strategy, name: str) -> float:
    """A scalar lever of a strategy; the threat weights live in its ``threat`` table."""
    if name.startswith("threat_"):
        return getattr(strategy.threat, name.removeprefix("threat_"))
    return getattr(strategy, name)


def _stack(strategies: list[Strategy], params: ModelParams) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``[S, K, D]`` shifts and ``[S, 1]`` scalar levers of ``strategies``."""
    shifts = []
    for strategy in strategies:
        by_role = {"patron": strategy.patron, "challenger": strategy.challenger, "secondary": strategy.secondary}
        rows = []
        for code, role in zip(params.partner_codes, params.roles, strict=True):
            domain_shift = strategy.partners.get(code, by_role[role])
            rows.append([getattr(domain_shift, d) for d in DOMAINS])
        shifts.append(rows)
    levers = {
        name: np.array([[_lever_value(s, name)] for s in strategies], dtype=float).reshape(-1, 1)
        for name in LEVERS
    }
    return np.array(shifts, dtype=float).reshape(len(strategies), len(params.partner_codes), len(DOMAINS)), levers


def _fallback(name: str, strategy: Strategy, known: Mapping[str, Strategy]) -> Strategy:
    """The strategy ``name`` switches to (itself when it never switches)."""
    if strategy.switch is None:
        return strategy
    where = f"strategies.{name}.switch"
    target = strategy.switch.to
    if target == name or target not in known:
        raise HedgelabError(error_line(where, "to", f"the name of another strategy ({', '.join(sorted(k for k in known if k != name))}), got {target!r}"))
    if known[target].switch is not None:
        raise HedgelabError(error_line(where, "to", f"a strategy that does not switch itself (one switch per path), got {target!r}"))
    return known[target]


def compile_policies(
    strategies: Mapping[str, Strategy], params: ModelParams, known: Mapping[str, Strategy] | None = None
) -> PolicyArrays:
    """Stack named strategies into :class:`PolicyArrays` for the partners of ``params``.

    A strategy's per-partner shift replaces its role's shift for that partner. A strategy with a
    ``switch`` gets the levers of the strategy it names, looked up in ``strategies``, then in
    ``known`` (e.g. every strategy of the scenario), as its fallback levers.
    """
    lookup = {**(known or {}), **strategies}
    shift, levers = _stack(list(strategies.values()), params)
    after_shift, after_levers = _stack([_fallback(n, s, lookup) for n, s in strategies.items()], params)
    switch = {
        "switch_signal": [SIGNALS.index(s.switch.signal) if s.switch else 0 for s in strategies.values()],
        "switch_threshold": [s.switch.threshold if s.switch else np.inf for s in strategies.values()],
        "switch_quarters": [s.switch.quarters if s.switch else 1 for s in strategies.values()],
        "switch_cost": [s.switch.cost if s.switch else 0.0 for s in strategies.values()],
    }
    switch = {k: np.array(v, dtype=float).reshape(-1, 1) for k, v in switch.items()}
    after = PolicyArrays(names=tuple(strategies), shift=after_shift, **after_levers, **switch)
    return PolicyArrays(names=tuple(strategies), shift=shift, **levers, **switch, after=after)
