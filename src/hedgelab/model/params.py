"""Model parameters as typed arrays, one frozen dataclass per scenario group.

Every field of a group is an array that broadcasts over a leading path axis ``[P]``: a 0-d array
(the same value on every path) until :meth:`ModelParams.with_samples` gives some of them one value
per path, so one simulation call evaluates many sampled futures. Partner parameters are ``[K]``
vectors (``[P, K]`` once sampled) and base-year alignments ``[K, D]`` (``[P, K, D]``).

Field names are the scenario file's names (``params.events.coercion_rate`` is the scenario's
``[events] coercion_rate``), and parameters are addressed by the same dotted paths as the
scenario file and ``--set`` (``environment.convergence_speed``, ``partners.AUS.reach``,
``partners.AUS.alignment.security``). A partner's security capacity is not a parameter of its own
but :attr:`PartnerParams.security_capacity`, military expenditure ratio × reach, so sampling
either factor moves it. The compile step from a scenario to these arrays lives on
the scenarios side (:mod:`hedgelab.scenarios.compile`): the model knows no schema types.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property

import numpy as np

from hedgelab.model.state import DOMAINS


class ParameterPathError(KeyError):
    """A dotted parameter path that names no model parameter (raised with the path)."""


@dataclass(frozen=True)
class FocalStateParams:
    """The focal (hedging) state: defence, capability, compartmentalisation, domestic support."""

    defence_spending: np.ndarray  # % of GDP, base year
    defence_ceiling: np.ndarray  # % of GDP the domestic consensus allows
    defence_adjust_speed: np.ndarray  # pp of GDP per year
    capability_depreciation: np.ndarray  # per year
    own_capacity: np.ndarray  # index (patron military expenditure = 1)
    us_supply_dependence: np.ndarray  # share of own capability that needs US supply
    compartmentalisation: np.ndarray  # share, base-year separation of economy and security
    support: np.ndarray  # index in [0, 1], base-year domestic support
    support_cost: np.ndarray  # support per year per pp of GDP of extra spending
    support_recovery: np.ndarray  # per year
    legitimacy_cost: np.ndarray  # support per year per unit of alignment moved against a public preference of ±1
    threat_response: np.ndarray  # pp of GDP per unit of log challenger capacity growth (long run)
    reliability_response: np.ndarray  # pp of GDP per unit fall of US reliability below the base regime's


@dataclass(frozen=True)
class EnvironmentParams:
    """Exogenous processes: US regimes, assertiveness, weakness, convergence, Taiwan, North Korea."""

    reliability_committed: np.ndarray
    reliability_transactional: np.ndarray
    reliability_retrenching: np.ndarray
    rate_committed_to_transactional: np.ndarray  # per year
    rate_transactional_to_committed: np.ndarray
    rate_transactional_to_retrenching: np.ndarray
    rate_retrenching_to_transactional: np.ndarray
    assertiveness: np.ndarray  # index (2020 = 1), base year
    assertiveness_mean: np.ndarray
    assertiveness_reversion: np.ndarray  # per year
    assertiveness_volatility: np.ndarray  # index per sqrt(year)
    weakness_effect: np.ndarray
    china_weakness: np.ndarray
    china_weakness_mean: np.ndarray
    china_weakness_reversion: np.ndarray
    china_weakness_volatility: np.ndarray
    convergence: np.ndarray  # index in [0, 1], base year
    convergence_speed: np.ndarray  # per year
    convergence_volatility: np.ndarray
    taiwan_tension: np.ndarray
    taiwan_reversion: np.ndarray
    taiwan_volatility: np.ndarray
    crisis_rate: np.ndarray  # per year at tension index 1
    crisis_sensitivity: np.ndarray  # log-hazard per unit of tension
    north_korea_threat: np.ndarray
    north_korea_mean: np.ndarray
    north_korea_reversion: np.ndarray
    north_korea_volatility: np.ndarray


@dataclass(frozen=True)
class ThreatParams:
    """How the threat is built from the environment and the focal state's own moves."""

    challenger_capacity: np.ndarray  # index (patron military expenditure = 1)
    north_korea_capacity: np.ndarray
    provocation_effect: np.ndarray
    accommodation_effect: np.ndarray
    challenger_capacity_growth: np.ndarray  # per year, log growth of challenger capacity (vs the patron's)


@dataclass(frozen=True)
class EventsParams:
    """Base rates (per year, at the reference state) and consequences of episodes."""

    coercion_rate: np.ndarray
    coercer_cost: np.ndarray
    tolerance_sensitivity: np.ndarray
    coercion_severity: np.ndarray
    coercion_severity_dispersion: np.ndarray
    tech_leverage: np.ndarray
    routed_reach: np.ndarray
    abandonment_rate: np.ndarray
    abandonment_depth: np.ndarray
    commitment_recovery: np.ndarray
    entrapment_rate: np.ndarray
    entrapment_cost: np.ndarray
    entrapment_support_loss: np.ndarray
    deal_rate: np.ndarray
    deal_depth: np.ndarray
    burden_expectation: np.ndarray
    coercion_memory: np.ndarray
    trigger_rate: np.ndarray  # per year, the focal state's political trigger events toward the challenger
    trigger_effect: np.ndarray  # rate ratio on the coercion hazard while a trigger is recent
    trigger_window: np.ndarray  # years a trigger stays recent


@dataclass(frozen=True)
class EconomyParams:
    """Economic accounting: openness, gains from exposure, adjustment and defence costs."""

    openness: np.ndarray
    rest_of_world_gain: np.ndarray
    exposure_cap: np.ndarray
    exposure_adjust_speed: np.ndarray
    routed_adjust_speed: np.ndarray
    alignment_adjust_speed: np.ndarray
    adjustment_cost: np.ndarray
    defence_cost: np.ndarray
    energy_gain: np.ndarray
    gravity_elasticity: np.ndarray  # long-run elasticity of a trade share on the partner's share of world GDP
    gravity_impact: np.ndarray  # short-run (same-year) elasticity of a trade share on that GDP share


@dataclass(frozen=True)
class BargainingParams:
    """Nash bargaining inside the alliance with perceived outside options."""

    alliance_surplus: np.ndarray
    patron_option: np.ndarray
    economic_option_weight: np.ndarray
    signal_gain: np.ndarray
    patron_option_unreliability: np.ndarray  # patron option per unit fall of US reliability below the base regime's
    patron_option_threat: np.ndarray  # patron option lost per unit rise of the challenger's threat index


@dataclass(frozen=True)
class ResponsesParams:
    """Shapes of the event intensities (the games' closed forms, :mod:`hedgelab.games.responses`)."""

    abandonment_commitment_slope: np.ndarray
    abandonment_alternatives_slope: np.ndarray
    abandonment_burden_slope: np.ndarray
    abandonment_reliability_floor: np.ndarray
    entrapment_commitment_exponent: np.ndarray
    coercion_gain_scale: np.ndarray
    coercion_damage_scale: np.ndarray
    coercion_resolve: np.ndarray
    coercion_cost_spread: np.ndarray
    coercion_committed_prior: np.ndarray
    coercion_bluff_premium: np.ndarray
    coercion_baseline_demand: np.ndarray
    deal_base_intensity: np.ndarray
    deal_weakness_slope: np.ndarray
    deal_weight_slope: np.ndarray
    focal_bargaining_power: np.ndarray
    provocation_tech_weight: np.ndarray


@dataclass(frozen=True)
class PartnerParams:
    """Partner parameters along the partner axis ``K`` (scenario-file order)."""

    military_expenditure_ratio: np.ndarray  # [K] partner / patron military expenditure (current US$)
    reach: np.ndarray  # [K] share of that expenditure that can bear on the focal state's security, [0, 1]
    exposure: np.ndarray  # [K] direct share of goods trade, base year
    routed_exposure: np.ndarray  # [K] share routed through third economies
    trade_gain: np.ndarray  # [K] gain per unit of trade share
    energy_capacity: np.ndarray  # [K] energy-security contribution per unit of alignment
    growth: np.ndarray  # [K] per year, log growth of the partner's share of world GDP
    alignment: np.ndarray  # [K, D] base-year alignment in [0, 1]
    public_preference: np.ndarray  # [K, D] net public preference for closer alignment, in [-1, 1]

    @property
    def security_capacity(self) -> np.ndarray:
        """[K] or [P, K] protection a fully aligned partner could give: expenditure ratio × reach
        (index, patron military expenditure = 1)."""
        return self.military_expenditure_ratio * self.reach


GROUPS: dict[str, type] = {
    "focal_state": FocalStateParams,
    "environment": EnvironmentParams,
    "threat": ThreatParams,
    "events": EventsParams,
    "economy": EconomyParams,
    "bargaining": BargainingParams,
    "responses": ResponsesParams,
}
"""Scalar parameter groups: scenario table name -> array dataclass."""

DOMAIN_FIELDS: tuple[str, ...] = ("alignment", "public_preference")
"""Partner parameters given per domain (``[K, D]``; dotted paths ``partners.<k>.<field>.<domain>``)."""
PARTNER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PartnerParams) if f.name not in DOMAIN_FIELDS)
_BASE_NDIM = {**{name: 1 for name in PARTNER_FIELDS}, **{name: 2 for name in DOMAIN_FIELDS}}  # trailing axes besides [P]


@dataclass(frozen=True)
class ModelParams:
    """All numeric parameters of one scenario, as typed arrays (see the module docstring)."""

    focal_state: FocalStateParams
    environment: EnvironmentParams
    threat: ThreatParams
    events: EventsParams
    economy: EconomyParams
    bargaining: BargainingParams
    responses: ResponsesParams
    partners: PartnerParams
    partner_codes: tuple[str, ...]
    roles: tuple[str, ...]  # "patron", "challenger" or "secondary", one per partner
    regime0: int  # base-year US regime, index into hedgelab.model.state.REGIMES
    n_paths: int | None = None  # set once any parameter varies along paths

    @property
    def patron(self) -> int:
        """Index of the patron on the partner axis."""
        return self.roles.index("patron")

    @property
    def challenger(self) -> int:
        """Index of the challenger on the partner axis."""
        return self.roles.index("challenger")

    @cached_property
    def patron_mask(self) -> np.ndarray:
        """[K] True for the patron."""
        return np.array([r == "patron" for r in self.roles])

    @cached_property
    def challenger_mask(self) -> np.ndarray:
        """[K] True for the challenger."""
        return np.array([r == "challenger" for r in self.roles])

    @cached_property
    def secondary_mask(self) -> np.ndarray:
        """[K] True for secondary partners."""
        return np.array([r == "secondary" for r in self.roles])

    @cached_property
    def non_patron_mask(self) -> np.ndarray:
        """[K] True for every partner but the patron."""
        return np.array([r != "patron" for r in self.roles])

    @cached_property
    def secondary_capacity(self) -> np.ndarray:
        """[K] or [P, K] security capacity of secondary partners, 0 for the patron and challenger."""
        return self.partners.security_capacity * self.secondary_mask

    def paths(self) -> list[str]:
        """Every dotted path that can be sampled or overridden."""
        out = [f"{group}.{f.name}" for group, cls in GROUPS.items() for f in fields(cls)]
        for code in self.partner_codes:
            out += [f"partners.{code}.{name}" for name in PARTNER_FIELDS]
            out += [f"partners.{code}.{table}.{d}" for table in DOMAIN_FIELDS for d in DOMAINS]
        return out

    def with_samples(self, samples: Mapping[str, np.ndarray]) -> ModelParams:
        """Parameters where each dotted path in ``samples`` takes one value per path.

        Parameters
        ----------
        samples : mapping of str to array [P]
            Values of each sampled parameter (all of the same length P, equal to ``n_paths``
            when some parameters already vary along paths).

        Raises
        ------
        ValueError
            When the lengths differ. :class:`ParameterPathError` for an unknown path.
        """
        lengths = {len(np.asarray(v)) for v in samples.values()} | ({self.n_paths} if self.n_paths else set())
        if len(lengths) > 1:
            raise ValueError(f"one length for every sampled parameter, got {sorted(lengths)}")
        if not lengths:
            return self
        n_paths = lengths.pop()
        groups = {name: dict(vars(getattr(self, name))) for name in GROUPS}
        partner = {f.name: getattr(self.partners, f.name) for f in fields(PartnerParams)}
        codes = self.partner_codes
        for path, values in samples.items():
            values = np.asarray(values, dtype=float)
            match path.split("."):
                case [group, name] if group in groups and name in groups[group]:
                    groups[group][name] = values
                case ["partners", code, table, domain] if code in codes and table in DOMAIN_FIELDS and domain in DOMAINS:
                    partner[table] = _per_path(partner[table], n_paths, _BASE_NDIM[table])
                    partner[table][:, codes.index(code), DOMAINS.index(domain)] = values
                case ["partners", code, name] if code in codes and name in PARTNER_FIELDS:
                    partner[name] = _per_path(partner[name], n_paths, _BASE_NDIM[name])
                    partner[name][:, codes.index(code)] = values
                case _:
                    raise ParameterPathError(path)
        return replace(
            self,
            **{name: GROUPS[name](**values) for name, values in groups.items()},
            partners=PartnerParams(**partner),
            n_paths=n_paths,
        )

    def take(self, paths: slice) -> ModelParams:
        """Restrict path-varying parameters to a slice of paths (for chunked simulation)."""
        if self.n_paths is None:
            return self
        cut = _map_arrays(self, lambda a, base_ndim: a[paths] if a.ndim > base_ndim else a)
        return replace(cut, n_paths=len(range(self.n_paths)[paths]))

    def astype(self, dtype: np.dtype) -> ModelParams:
        """Cast every array to ``dtype`` (float32 for speed, float64 for tests)."""
        return _map_arrays(self, lambda a, base_ndim: a.astype(dtype))


def _per_path(array: np.ndarray, n_paths: int, base_ndim: int) -> np.ndarray:
    """A writable copy of ``array`` with a leading path axis of length ``n_paths``."""
    if array.ndim > base_ndim:
        return array.copy()
    return np.broadcast_to(array, (n_paths, *array.shape)).copy()


def _map_arrays(params: ModelParams, fn: Callable[[np.ndarray, int], np.ndarray]) -> ModelParams:
    """Apply ``fn(array, base_ndim)`` to every parameter array (``base_ndim``: axes besides [P])."""
    groups = {
        name: cls(**{f.name: fn(getattr(getattr(params, name), f.name), 0) for f in fields(cls)})
        for name, cls in GROUPS.items()
    }
    partners = PartnerParams(**{
        f.name: fn(getattr(params.partners, f.name), _BASE_NDIM[f.name]) for f in fields(PartnerParams)
    })
    return replace(params, **groups, partners=partners)
