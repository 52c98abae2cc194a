"""The compile step: a validated :class:`~hedgelab.scenarios.schema.Scenario` to the model's arrays.

It lives on the scenarios side because it is the one place that knows both the schema types
and the model's array types; the model imports nothing from here (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields

import numpy as np

from hedgelab.model.params import DOMAIN_FIELDS, GROUPS, PARTNER_FIELDS, ModelParams, PartnerParams
from hedgelab.model.policy import LEVERS, PolicyArrays
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


def compile_policies(strategies: Mapping[str, Strategy], params: ModelParams) -> PolicyArrays:
    """Stack named strategies into :class:`PolicyArrays` for the partners of ``params``.

    A strategy's per-partner shift replaces its role's shift for that partner.
    """
    shifts = []
    for strategy in strategies.values():
        by_role = {"patron": strategy.patron, "challenger": strategy.challenger, "secondary": strategy.secondary}
        rows = []
        for code, role in zip(params.partner_codes, params.roles, strict=True):
            domain_shift = strategy.partners.get(code, by_role[role])
            rows.append([getattr(domain_shift, d) for d in DOMAINS])
        shifts.append(rows)
    levers = {
        name: np.array([[getattr(s, name)] for s in strategies.values()], dtype=float).reshape(-1, 1)
        for name in LEVERS
    }
    return PolicyArrays(names=tuple(strategies), shift=np.array(shifts, dtype=float).reshape(
        len(strategies), len(params.partner_codes), len(DOMAINS)), **levers)
