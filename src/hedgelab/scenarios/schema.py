"""The scenario schema: every number the model uses, with its unit, range, kind and source.

A scenario file (TOML or YAML) is validated against :class:`Scenario`. Unknown fields are
rejected (``extra="forbid"``) so that a typo never becomes a silent default, and every numeric
parameter is a :class:`Parameter` table carrying ``value``, ``unit``, ``range``, ``kind``,
``source`` and ``as_of``. Strategies are :class:`Strategy` settings of one policy family
(:mod:`hedgelab.model.policy`); a scenario may define its own next to the built-in presets.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator, model_validator


ROLES: tuple[str, ...] = ("patron", "challenger", "secondary")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Strict):
    """One model parameter with its provenance.

    ``kind`` follows the XLRM vocabulary: ``uncertainty`` (an exogenous quantity nobody
    controls, to be sampled over ``range`` in exploratory runs), ``lever`` (set by policy) or
    ``constant`` (fixed by definition or by data).
    """

    value: Annotated[float, Strict()]  # a number: booleans and strings are rejected, not coerced
    unit: str
    range: tuple[Annotated[float, Strict()], Annotated[float, Strict()]] | None = None  # numbers, not strings
    kind: Literal["uncertainty", "lever", "constant"]
    source: str = Field(min_length=3)
    as_of: str | None = None

    @model_validator(mode="after")
    def _value_in_range(self) -> Parameter:
        if self.range is not None:
            low, high = self.range
            if low > high:
                raise ValueError(f"range [{low}, {high}] with lower bound above upper bound")
            if not low <= self.value <= high:
                raise ValueError(f"a value in [{low}, {high}], got {self.value}")
        return self


class DomainParameters(_Strict):
    """A parameter given separately for each domain of alignment."""

    security: Parameter
    economy: Parameter
    technology: Parameter
    energy: Parameter


class Partner(_Strict):
    """A state (or bloc) the focal state can align with; partners are data, not code.

    Its security capacity (what a fully aligned partner could add to the focal state's
    protection, patron military expenditure = 1) is not a parameter of its own: the model takes
    it as ``military_expenditure_ratio`` (data, a constant) times ``reach`` (the share of that
    expenditure that could bear on the focal state, an uncertainty), so that exploring reach
    moves capacity and each factor keeps one source (:attr:`security_capacity`).
    """

    name: str
    role: Literal["patron", "challenger", "secondary"]
    military_expenditure_ratio: Parameter
    reach: Parameter
    alignment: DomainParameters
    public_preference: DomainParameters
    exposure: Parameter
    routed_exposure: Parameter
    trade_gain: Parameter
    energy_capacity: Parameter
    growth: Parameter

    @property
    def security_capacity(self) -> float:
        """Military expenditure ratio × reach (index, patron military expenditure = 1)."""
        return self.military_expenditure_ratio.value * self.reach.value


class FocalStateSpec(_Strict):
    """Parameters of the focal (hedging) state."""

    defence_spending: Parameter
    defence_ceiling: Parameter
    defence_adjust_speed: Parameter
    capability_depreciation: Parameter
    own_capacity: Parameter
    us_supply_dependence: Parameter
    compartmentalisation: Parameter
    support: Parameter
    support_cost: Parameter
    support_recovery: Parameter
    legitimacy_cost: Parameter
    threat_response: Parameter
    reliability_response: Parameter

    @model_validator(mode="after")
    def _ceiling_above_spending(self) -> FocalStateSpec:
        for name in ("support", "capability_depreciation", "defence_spending"):
            if getattr(self, name).value <= 0:
                raise ValueError(f"{name} above 0 (it divides: the model measures relative to it)")
        if self.defence_ceiling.value < self.defence_spending.value:
            raise ValueError(
                f"defence_ceiling ({self.defence_ceiling.value}) at least the base-year "
                f"defence_spending ({self.defence_spending.value}) % of GDP"
            )
        return self


class EnvironmentSpec(_Strict):
    """Exogenous, uncertain processes (quarterly dynamics; rates per year)."""

    us_regime_initial: Literal["committed", "transactional", "retrenching"]
    reliability_committed: Parameter
    reliability_transactional: Parameter
    reliability_retrenching: Parameter
    rate_committed_to_transactional: Parameter
    rate_transactional_to_committed: Parameter
    rate_transactional_to_retrenching: Parameter
    rate_retrenching_to_transactional: Parameter
    assertiveness: Parameter
    assertiveness_mean: Parameter
    assertiveness_reversion: Parameter
    assertiveness_volatility: Parameter
    weakness_effect: Parameter
    china_weakness: Parameter
    china_weakness_mean: Parameter
    china_weakness_reversion: Parameter
    china_weakness_volatility: Parameter
    convergence: Parameter
    convergence_speed: Parameter
    convergence_volatility: Parameter
    taiwan_tension: Parameter
    taiwan_reversion: Parameter
    taiwan_volatility: Parameter
    crisis_rate: Parameter
    crisis_sensitivity: Parameter
    north_korea_threat: Parameter
    north_korea_mean: Parameter
    north_korea_reversion: Parameter
    north_korea_volatility: Parameter


class ThreatSpec(_Strict):
    """How the threat the focal state faces is built from the environment and its own moves."""

    challenger_capacity: Parameter
    north_korea_capacity: Parameter
    provocation_effect: Parameter
    accommodation_effect: Parameter
    challenger_capacity_growth: Parameter


class EventsSpec(_Strict):
    """Base rates (per year, at the reference state) and consequences of episodes.

    ``reference_scenario`` names the scenario whose base-year state the base rates were
    estimated at: every hazard is ``base_rate × intensity(state) / intensity(reference)``, so
    the response is 1 at that scenario's base-year state and a focal state that differs from it
    (more exposure, tighter alignment, another base year) draws a different hazard.
    """

    reference_scenario: str = "japan-2026"

    coercion_rate: Parameter
    coercer_cost: Parameter
    tolerance_sensitivity: Parameter
    coercion_severity: Parameter
    coercion_severity_dispersion: Parameter
    tech_leverage: Parameter
    routed_reach: Parameter
    abandonment_rate: Parameter
    abandonment_depth: Parameter
    commitment_recovery: Parameter
    entrapment_rate: Parameter
    entrapment_cost: Parameter
    entrapment_support_loss: Parameter
    deal_rate: Parameter
    deal_depth: Parameter
    burden_expectation: Parameter
    coercion_memory: Parameter
    trigger_rate: Parameter
    trigger_effect: Parameter
    trigger_window: Parameter


class EconomySpec(_Strict):
    """Economic accounting: openness, gains from exposure, costs of adjustment and defence."""

    openness: Parameter
    rest_of_world_gain: Parameter
    exposure_cap: Parameter
    exposure_adjust_speed: Parameter
    routed_adjust_speed: Parameter
    alignment_adjust_speed: Parameter
    adjustment_cost: Parameter
    defence_cost: Parameter
    energy_gain: Parameter
    gravity_elasticity: Parameter
    gravity_impact: Parameter


class BargainingSpec(_Strict):
    """Nash bargaining inside the alliance with perceived outside options."""

    alliance_surplus: Parameter
    patron_option: Parameter
    economic_option_weight: Parameter
    signal_gain: Parameter
    patron_option_unreliability: Parameter
    patron_option_threat: Parameter


class ResponsesSpec(_Strict):
    """Shapes of the event-intensity functions: the games' closed forms, each a :class:`Parameter`.

    The simulation turns each intensity of :mod:`hedgelab.games.responses` into a hazard
    (``base_rate × I(state) / I(reference)``); these parameters set how ``I`` responds to the
    state. Their meaning is in the games' docstrings and docs/games.md; the standalone games
    (``hedgelab games``) take their defaults from the same values.
    """

    abandonment_commitment_slope: Parameter
    abandonment_alternatives_slope: Parameter
    abandonment_burden_slope: Parameter
    abandonment_reliability_floor: Parameter
    entrapment_commitment_exponent: Parameter
    coercion_gain_scale: Parameter
    coercion_damage_scale: Parameter
    coercion_resolve: Parameter
    coercion_cost_spread: Parameter
    coercion_committed_prior: Parameter
    coercion_bluff_premium: Parameter
    coercion_baseline_demand: Parameter
    deal_base_intensity: Parameter
    deal_weakness_slope: Parameter
    deal_weight_slope: Parameter
    focal_bargaining_power: Parameter
    provocation_tech_weight: Parameter

    @model_validator(mode="after")
    def _shapes_the_maths_allows(self) -> ResponsesSpec:
        def value(name: str) -> float:
            return float(getattr(self, name).value)

        problems: list[str] = []
        positive = {
            "abandonment_commitment_slope": "abandonment must fall with commitment (Snyder 1984), "
            "and the dilemma's loss is strictly convex only then",
            "abandonment_reliability_floor": "with a fully reliable patron the intensity would be 0 "
            "and the hazard's normalisation would divide by it",
            "coercion_gain_scale": "at 0 coercion never pays and the hazard's normalisation divides "
            "by a zero probability",
            "coercion_damage_scale": "at 0 the coercer has no leverage and coercion never pays",
            "coercion_resolve": "it divides the expected damage (concession probability "
            "1 - exp(-damage / resolve))",
            "coercion_cost_spread": "alpha = 1 / cost_spread is the response's exponent",
            "coercion_baseline_demand": "at 0 a focal state with no provocation draws no coercion "
            "and the hazard's normalisation can divide by 0",
            "deal_base_intensity": "at 0 no deal can happen under a committed patron, and a "
            "scenario whose base-year patron is committed would divide by 0",
        }
        for name, why in positive.items():
            if not value(name) > 0:
                problems.append(f"{name} above 0 ({why}), got {value(name)}")
        non_negative = {
            "abandonment_alternatives_slope": "perceived alternatives raise abandonment",
            "abandonment_burden_slope": "a burden-sharing gap raises abandonment",
            "coercion_bluff_premium": "backing down costs a bluffer at least what it saves",
            "deal_weakness_slope": "a weak challenger seeks a deal",
            "deal_weight_slope": "bargaining weight protects against deals over the focal state's head",
            "provocation_tech_weight": "technology alignment with the patron cannot reduce provocation",
        }
        for name, why in non_negative.items():
            if value(name) < 0:
                problems.append(f"{name} at least 0 (the sign is the mechanism's: {why}), got {value(name)}")
        if value("entrapment_commitment_exponent") < 1:
            problems.append(
                "entrapment_commitment_exponent at least 1 (entrapment convex in commitment; "
                f"the dilemma's loss is convex only then), got {value('entrapment_commitment_exponent')}"
            )
        if not 0 < value("coercion_committed_prior") <= 1:
            problems.append(
                "coercion_committed_prior in (0, 1] (a probability; at 0 no threat is ever "
                f"believed), got {value('coercion_committed_prior')}"
            )
        if not 0 <= value("focal_bargaining_power") <= 1:
            problems.append(
                "focal_bargaining_power in [0, 1] (the Nash weight of the focal state), "
                f"got {value('focal_bargaining_power')}"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self


class DomainShift(_Strict):
    """A shift of alignment targets from the base-year state, per domain, in [-1, 1]."""

    security: float = Field(0.0, ge=-1.0, le=1.0)
    economy: float = Field(0.0, ge=-1.0, le=1.0)
    technology: float = Field(0.0, ge=-1.0, le=1.0)
    energy: float = Field(0.0, ge=-1.0, le=1.0)


def _lever(default: float, low: float, high: float, unit: str, description: str) -> float:
    return Field(
        default,
        ge=low,
        le=high,
        description=description,
        json_schema_extra={"unit": unit, "range": [low, high], "kind": "lever"},
    )


class ThreatWeights(_Strict):
    """Weights of the strategy's threat signal: per unit rise of each index since the base year."""

    assertiveness: float = _lever(0.0, 0.0, 2.0, "per unit of assertiveness index", "weight of challenger assertiveness")
    convergence: float = _lever(0.0, 0.0, 2.0, "per unit of convergence index", "weight of the convergence of technology, economy and security")
    tension: float = _lever(0.0, 0.0, 2.0, "per unit of Taiwan tension index", "weight of Taiwan-strait tension")


class Switch(_Strict):
    """A signpost and the strategy to switch to when it fires (once per path).

    The switch fires in the first quarter in which ``signal`` has been above ``threshold`` for
    ``quarters`` consecutive quarters; from then on the levers of strategy ``to`` are in force
    (the focal state moves toward their targets at its limited speed) and ``cost`` % of GDP is
    lost once.
    """

    to: str = Field(description="name of the strategy whose levers apply after the switch")
    signal: Literal["assertiveness", "convergence", "tension", "unreliability"] = Field(
        description="observed level watched: an environment index, or US unreliability 1 - reliability")
    threshold: float = Field(ge=0.0, le=10.0, description="level of the signal (index units)",
                             json_schema_extra={"unit": "index units of the signal", "range": [0.0, 10.0], "kind": "lever"})
    quarters: int = Field(ge=1, le=40, description="consecutive quarters above the threshold before switching",
                          json_schema_extra={"unit": "quarters", "range": [1, 40], "kind": "lever"})
    cost: float = _lever(0.0, 0.0, 5.0, "% of GDP, once", "one-off cost of switching (transition, credibility)")


class Strategy(_Strict):
    """One setting of the policy family (see :mod:`hedgelab.model.policy` and docs/model.md).

    Targets are shifts from the base-year state, so a strategy is portable across focal states
    and base years.
    """

    description: str = ""
    patron: DomainShift = DomainShift()
    challenger: DomainShift = DomainShift()
    secondary: DomainShift = DomainShift()
    partners: dict[str, DomainShift] = Field(
        default_factory=dict,
        description="per-partner shifts that replace the role's shift for that partner",
    )
    defence_shift: float = _lever(
        0.0, -1.0, 3.0, "percentage points of GDP", "defence spending target minus base year"
    )
    compartmentalisation: float = _lever(
        0.5, 0.0, 1.0, "share", "how far economic ties are kept apart from security"
    )
    speed: float = _lever(
        1.0, 0.0, 1.0, "share of the maximum adjustment speed", "pace of realignment"
    )
    signal: float = _lever(
        0.0, 0.0, 1.0, "share", "visibility given to alternatives (perceived minus real)"
    )
    defence_on_unreliability: float = _lever(
        0.0, 0.0, 2.0, "percentage points of GDP per unit of US unreliability",
        "extra defence target when the US is observed to be unreliable",
    )
    partners_on_unreliability: float = _lever(
        0.0, 0.0, 1.0, "alignment per unit of US unreliability",
        "extra security alignment with secondary partners when the US is unreliable",
    )
    derisk_on_coercion: float = _lever(
        0.0, 0.0, 1.0, "alignment per unit of coercion memory",
        "cut of economic and technology alignment with the challenger after coercion",
    )
    threat: ThreatWeights = ThreatWeights()
    defence_on_threat: float = _lever(
        0.0, 0.0, 3.0, "percentage points of GDP per unit of threat signal",
        "extra defence target as the observed threat rises",
    )
    security_on_threat: float = _lever(
        0.0, 0.0, 1.0, "alignment per unit of threat signal",
        "extra security alignment with the patron and the partners the strategy shifts toward, as the threat rises",
    )
    derisk_on_threat: float = _lever(
        0.0, 0.0, 1.0, "alignment per unit of threat signal",
        "cut of economic and technology alignment with the challenger as the threat rises",
    )
    switch: Switch | None = Field(None, description="a signpost that switches to another strategy's levers")


class Scenario(_Strict):
    """A complete, validated scenario."""

    name: str
    description: str
    focal: str = Field(pattern=r"^[A-Z]{3}$", description="ISO3 code of the focal state")
    focal_name: str
    base_year: int = Field(ge=1990, le=2100)
    focal_state: FocalStateSpec
    environment: EnvironmentSpec
    threat: ThreatSpec
    events: EventsSpec
    economy: EconomySpec
    bargaining: BargainingSpec
    responses: ResponsesSpec
    partners: dict[str, Partner]
    strategies: dict[str, Strategy] = Field(default_factory=dict)

    @field_validator("partners")
    @classmethod
    def _one_patron_one_challenger(cls, partners: dict[str, Partner]) -> dict[str, Partner]:
        for role in ("patron", "challenger"):
            holders = [code for code, p in partners.items() if p.role == role]
            if len(holders) != 1:
                raise ValueError(f"exactly one partner with role '{role}', got {holders or 'none'}")
        patron = next(p for p in partners.values() if p.role == "patron")
        if patron.security_capacity <= 0:
            raise ValueError("a patron with military_expenditure_ratio × reach above 0 (partner weights are relative to it)")
        total = sum(p.exposure.value + p.routed_exposure.value for p in partners.values())
        if total > 1.0 + 1e-9:
            raise ValueError(f"direct plus routed exposure shares summing to at most 1, got {total:.3f}")
        return partners

    def partner_codes(self) -> list[str]:
        """Partner codes in file order (the partner axis ``K`` of the model)."""
        return list(self.partners)
