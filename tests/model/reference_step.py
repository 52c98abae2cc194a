"""A slow, obviously correct reference of ONE quarter's update of ONE path of ONE strategy.

Plain Python floats, explicit loops over partners and domains, one ``if`` per event. It
deliberately does not import :mod:`hedgelab.model`: every formula is re-written here from
docs/model.md / DESIGN.md's reference formulation, so that a test can check that the vectorised
core (:func:`hedgelab.model.step.step`) computes the same numbers (to 1e-12 in float64) on the
same shocks. It imports only the scenario schema (parameter values) and the closed-form
responses of :mod:`hedgelab.games.responses` (the games are another module's contract).

The benchmark (``benchmarks/bench_model.py``) uses :func:`step` as its per-path loop.

Order within a quarter (as in the core):
1. environment (US regime, weakness, assertiveness, convergence, tension, North Korea, crisis);
2. policy targets from observed reliability and the *previous* coercion memory;
3. move toward targets at limited speed (alignment, spending, capability, exposures), support,
   decay of commitment loss and coercion memory;
4. mechanisms (protection, threat, leverage, options, autonomy, trade and energy terms);
5. events: hazard = base_rate x intensity / reference intensity; draw against the shock;
6. consequences and the quarter's prosperity parts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from hedgelab.games import responses
from hedgelab.scenarios import DOMAINS, Scenario, Strategy

DT = 0.25  # years per quarter
SEC, ECO, TEC, ENE = 0, 1, 2, 3
REGIME_INDEX = {"committed": 0, "transactional": 1, "retrenching": 2}
EVENTS = ("coercion", "abandonment", "entrapment", "deal")
LEVERS = (
    "defence_shift", "compartmentalisation", "speed", "signal", "defence_on_unreliability",
    "partners_on_unreliability", "derisk_on_coercion",
)


@dataclass
class Params:
    """Scenario parameters as plain floats; partner lists in scenario order."""

    g: dict[str, float]  # "group.name" -> value
    codes: list[str]
    roles: list[str]
    cap: list[float]
    exposure: list[float]
    routed: list[float]
    trade_gain: list[float]
    energy_capacity: list[float]
    alignment0: list[list[float]]  # [k][d]
    regime0: int

    @property
    def patron(self) -> int:
        return self.roles.index("patron")

    @property
    def challenger(self) -> int:
        return self.roles.index("challenger")

    def secondary(self, k: int) -> bool:
        return self.roles[k] == "secondary"


def params_from_scenario(scenario: Scenario) -> Params:
    g: dict[str, float] = {}
    for group in ("focal_state", "environment", "threat", "events", "economy", "bargaining"):
        node = getattr(scenario, group)
        for name in type(node).model_fields:
            value = getattr(node, name)
            if hasattr(value, "value") and hasattr(value, "unit"):
                g[f"{group}.{name}"] = float(value.value)
    codes = list(scenario.partners)
    partners = [scenario.partners[c] for c in codes]
    return Params(
        g=g,
        codes=codes,
        roles=[p.role for p in partners],
        cap=[p.security_capacity.value for p in partners],
        exposure=[p.exposure.value for p in partners],
        routed=[p.routed_exposure.value for p in partners],
        trade_gain=[p.trade_gain.value for p in partners],
        energy_capacity=[p.energy_capacity.value for p in partners],
        alignment0=[[getattr(p.alignment, d).value for d in DOMAINS] for p in partners],
        regime0=REGIME_INDEX[scenario.environment.us_regime_initial],
    )


@dataclass
class Policy:
    """One strategy's levers: shift[k][d] and the scalar levers."""

    shift: list[list[float]]
    levers: dict[str, float]


def policy_from_strategy(strategy: Strategy, rp: Params) -> Policy:
    shift = []
    for code, role in zip(rp.codes, rp.roles):
        by_role = {"patron": strategy.patron, "challenger": strategy.challenger, "secondary": strategy.secondary}[role]
        s = strategy.partners.get(code, by_role)
        shift.append([getattr(s, d) for d in DOMAINS])
    return Policy(shift=shift, levers={name: float(getattr(strategy, name)) for name in LEVERS})


@dataclass
class PathState:
    """Everything one path of one strategy carries from quarter to quarter."""

    regime: int
    assertiveness: float
    weakness: float
    convergence: float
    tension: float
    north_korea: float
    alignment: list[list[float]]
    exposure: list[float]
    routed: list[float]
    spending: float
    capability: float
    support: float
    commitment_loss: float
    coercion_memory: float


@dataclass
class Base:
    """Base-year reference values and the intensities hazards are normalised by."""

    provocation: float
    intensity: dict[str, float]
    trade_gain: float
    energy_security: float


@dataclass
class Outcome:
    """What one quarter produced for one path of one strategy."""

    crisis: bool
    reliability: float
    target: list[list[float]]
    spending_target: float  # the strategy's wish, before the domestic ceiling
    ceiling: float  # the domestic ceiling on spending this quarter
    mech: dict[str, float]
    intensity: dict[str, float]
    events: dict[str, bool]
    prosperity: dict[str, float] = field(default_factory=dict)


def initial_state(rp: Params) -> PathState:
    g = rp.g
    return PathState(
        regime=rp.regime0,
        assertiveness=g["environment.assertiveness"],
        weakness=g["environment.china_weakness"],
        convergence=g["environment.convergence"],
        tension=g["environment.taiwan_tension"],
        north_korea=g["environment.north_korea_threat"],
        alignment=[row[:] for row in rp.alignment0],
        exposure=rp.exposure[:],
        routed=rp.routed[:],
        spending=g["focal_state.defence_spending"],
        capability=g["focal_state.defence_spending"] / g["focal_state.capability_depreciation"],
        support=g["focal_state.support"],
        commitment_loss=0.0,
        coercion_memory=0.0,
    )


def reliability(rp: Params, regime: int) -> float:
    return rp.g[("environment.reliability_committed", "environment.reliability_transactional",
                 "environment.reliability_retrenching")[regime]]


def jump(rate: float) -> float:
    """Probability of at least one jump in a quarter at a yearly rate."""
    return -math.expm1(-rate * DT)


def clip(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


def provocation(rp: Params, a: list[list[float]], convergence: float) -> float:
    p = rp.patron
    num = a[p][SEC] + convergence * a[p][TEC]
    den = 2.0
    for k in range(len(rp.codes)):
        if rp.secondary(k):
            w = rp.cap[k] / rp.cap[p]
            num += w * a[k][SEC]
            den += w
    return num / den


def mechanisms(rp: Params, s: PathState, rel: float, compartmentalisation: float, signal: float,
               base_provocation: float) -> dict[str, float]:
    g, a, p, c = rp.g, s.alignment, rp.patron, rp.challenger
    n = len(rp.codes)
    us = rp.cap[p] * rel * a[p][SEC] * (1.0 - s.commitment_loss)
    partners = 0.0
    for k in range(n):
        if rp.secondary(k):
            partners += a[k][SEC] * rp.cap[k]
    base_capability = g["focal_state.defence_spending"] / g["focal_state.capability_depreciation"]
    own = g["focal_state.own_capacity"] * s.capability / base_capability
    independent_own = own * (1.0 - g["focal_state.us_supply_dependence"] * a[p][SEC])

    provoke = provocation(rp, a, s.convergence)
    provocation_factor = max(1.0 + g["threat.provocation_effect"] * (provoke - base_provocation), 0.0)
    accommodation = a[c][SEC] - rp.alignment0[c][SEC]
    accommodation_factor = max(1.0 - g["threat.accommodation_effect"] * accommodation, 0.0)
    challenger_threat = g["threat.challenger_capacity"] * s.assertiveness * provocation_factor * accommodation_factor
    threat = challenger_threat + g["threat.north_korea_capacity"] * s.north_korea

    protection = us + partners + own
    integrated = rp.cap[p] * a[p][SEC] * (1.0 - s.commitment_loss) + partners + own
    tension_threat = g["threat.challenger_capacity"] * s.tension
    without_us = independent_own + partners

    effective = s.exposure[c] + s.routed[c]
    # compartments shield only while the challenger tolerates them: the shield fades as
    # assertiveness rises above its 2020 level
    tolerance = math.exp(-g["events.tolerance_sensitivity"] * max(s.assertiveness - 1.0, 0.0))
    shield = compartmentalisation * (1.0 - s.convergence) * tolerance
    leverage = effective * (1.0 - shield) + g["events.tech_leverage"] * s.convergence * a[c][TEC]

    economic_options = 0.0
    for k in range(n):
        if k != p:
            economic_options += (s.exposure[k] + s.routed[k]) * a[k][ECO]
    real = own + partners + g["bargaining.economic_option_weight"] * economic_options
    perceived = real * (1.0 + g["bargaining.signal_gain"] * signal)
    autonomy = float(responses.nash_share(g["bargaining.alliance_surplus"], perceived, g["bargaining.patron_option"]))

    total_exposure = 0.0
    gains = 0.0
    energy = 0.0
    for k in range(n):
        total_exposure += s.exposure[k] + s.routed[k]
        gains += rp.trade_gain[k] * (s.exposure[k] + s.routed[k])
        energy += rp.energy_capacity[k] * a[k][ENE]
    trade_gain = gains + g["economy.rest_of_world_gain"] * (1.0 - total_exposure)

    return {
        "us_protection": us, "partner_protection": partners, "own_protection": own,
        "challenger_threat": challenger_threat, "threat": threat, "provocation": provoke,
        "leverage": leverage, "effective_exposure": effective, "perceived_options": perceived,
        "autonomy": autonomy,
        "security": protection / (protection + threat),
        "deterrence": protection / (protection + challenger_threat),
        "taiwan_preparedness": integrated / (integrated + tension_threat),
        "security_without_us": without_us / (without_us + threat),
        "trade_gain": trade_gain, "energy_security": energy,
    }


def intensities(rp: Params, s: PathState, rel: float, mech: dict[str, float]) -> dict[str, float]:
    g = rp.g
    commitment = s.alignment[rp.patron][SEC]
    transactional = 1.0 if s.regime >= 1 else 0.0
    return {
        "coercion": float(responses.coercion_probability(
            mech["leverage"], mech["provocation"], s.assertiveness, coercer_cost=g["events.coercer_cost"])),
        "abandonment": float(responses.abandonment_intensity(
            commitment, rel, mech["perceived_options"], g["events.burden_expectation"] - s.spending)),
        "entrapment": float(responses.entrapment_intensity(commitment, s.tension)),
        "deal": float(responses.deal_intensity(transactional, s.weakness, mech["autonomy"])),
    }


def baseline(rp: Params, reference: Params | None = None) -> Base:
    """Base-year values of ``rp``; intensities of ``reference``'s base year when given."""
    s0 = initial_state(rp)
    base_provocation = provocation(rp, s0.alignment, s0.convergence)
    rel = reliability(rp, s0.regime)
    mech = mechanisms(rp, s0, rel, rp.g["focal_state.compartmentalisation"], 0.0, base_provocation)
    intensity = intensities(rp, s0, rel, mech)
    if reference is not None:
        intensity = baseline(reference).intensity
    return Base(base_provocation, intensity, mech["trade_gain"], mech["energy_security"])


def step(rp: Params, pol: Policy, base: Base, s: PathState, shocks: dict[str, float]) -> tuple[PathState, Outcome]:
    """Advance one path of one strategy by one quarter; ``shocks`` maps kind -> float."""
    g, L = rp.g, pol.levers
    n = len(rp.codes)
    root = math.sqrt(DT)

    # 1. environment ---------------------------------------------------------------------------
    u = shocks["regime"]
    if s.regime == 0:
        regime = 1 if u < jump(g["environment.rate_committed_to_transactional"]) else 0
    elif s.regime == 1:
        up = g["environment.rate_transactional_to_committed"]
        down = g["environment.rate_transactional_to_retrenching"]
        leave = jump(up + down)
        if u < leave * up / (up + down):
            regime = 0
        elif u < leave:
            regime = 2
        else:
            regime = 1
    else:
        regime = 1 if u < jump(g["environment.rate_retrenching_to_transactional"]) else 2

    weakness = s.weakness + g["environment.china_weakness_reversion"] * (g["environment.china_weakness_mean"] - s.weakness) * DT
    weakness = max(weakness + g["environment.china_weakness_volatility"] * root * shocks["weakness"], 0.0)
    mean_assert = g["environment.assertiveness_mean"] - g["environment.weakness_effect"] * s.weakness
    assertiveness = s.assertiveness + g["environment.assertiveness_reversion"] * (mean_assert - s.assertiveness) * DT
    assertiveness = max(assertiveness + g["environment.assertiveness_volatility"] * root * shocks["assertiveness"], 0.0)
    convergence = s.convergence + g["environment.convergence_speed"] * (1.0 - s.convergence) * DT
    convergence = clip(convergence + g["environment.convergence_volatility"] * root * shocks["convergence"], 0.0, 1.0)
    tension = s.tension + g["environment.taiwan_reversion"] * (s.assertiveness - s.tension) * DT
    tension = max(tension + g["environment.taiwan_volatility"] * root * shocks["tension"], 0.0)
    north_korea = s.north_korea + g["environment.north_korea_reversion"] * (g["environment.north_korea_mean"] - s.north_korea) * DT
    north_korea = max(north_korea + g["environment.north_korea_volatility"] * root * shocks["north_korea"], 0.0)
    crisis_hazard = g["environment.crisis_rate"] * math.exp(g["environment.crisis_sensitivity"] * (tension - 1.0))
    crisis = shocks["crisis"] < jump(crisis_hazard)
    rel = reliability(rp, regime)

    # 2. policy targets --------------------------------------------------------------------------
    unreliability = 1.0 - rel
    target = [[rp.alignment0[k][d] + pol.shift[k][d] for d in range(4)] for k in range(n)]
    for k in range(n):
        if rp.secondary(k):
            target[k][SEC] += L["partners_on_unreliability"] * unreliability
    derisk = L["derisk_on_coercion"] * s.coercion_memory
    target[rp.challenger][ECO] -= derisk
    target[rp.challenger][TEC] -= derisk
    target = [[clip(x, 0.0, 1.0) for x in row] for row in target]
    spend0 = g["focal_state.defence_spending"]
    spending_target = spend0 + L["defence_shift"] + L["defence_on_unreliability"] * unreliability
    support_ratio = clip(s.support / g["focal_state.support"], 0.0, 1.0)
    ceiling = spend0 + (g["focal_state.defence_ceiling"] - spend0) * support_ratio
    wish = spending_target
    spending_target = min(spending_target, ceiling)

    # 3. move toward the targets ----------------------------------------------------------------
    max_align = g["economy.alignment_adjust_speed"] * L["speed"] * DT
    alignment = [[s.alignment[k][d] + clip(target[k][d] - s.alignment[k][d], -max_align, max_align)
                  for d in range(4)] for k in range(n)]
    max_spend = g["focal_state.defence_adjust_speed"] * L["speed"] * DT
    spending = s.spending + clip(spending_target - s.spending, -max_spend, max_spend)
    capability = s.capability + DT * (spending - g["focal_state.capability_depreciation"] * s.capability)

    direct_target, routed_target = [], []
    for k in range(n):
        base_econ = rp.alignment0[k][ECO]
        ratio = alignment[k][ECO] / base_econ if base_econ > 0 else 1.0
        direct_target.append(rp.exposure[k] * ratio)
        routed_target.append(rp.routed[k] * ratio)
    total = sum(direct_target) + sum(routed_target)
    scale = min(1.0, g["economy.exposure_cap"] / total) if total > 0 else 1.0
    exposure = [s.exposure[k] + g["economy.exposure_adjust_speed"] * DT * (direct_target[k] * scale - s.exposure[k]) for k in range(n)]
    routed = [s.routed[k] + g["economy.routed_adjust_speed"] * DT * (routed_target[k] * scale - s.routed[k]) for k in range(n)]

    support = s.support + DT * (
        g["focal_state.support_recovery"] * (g["focal_state.support"] - s.support)
        - g["focal_state.support_cost"] * max(spending - spend0, 0.0)
    )
    commitment_loss = s.commitment_loss * math.exp(-g["events.commitment_recovery"] * DT)
    memory = s.coercion_memory * math.exp(-g["events.coercion_memory"] * DT)

    moved = PathState(regime, assertiveness, weakness, convergence, tension, north_korea, alignment,
                      exposure, routed, spending, capability, support, commitment_loss, memory)

    # 4. mechanisms ----------------------------------------------------------------------------
    mech = mechanisms(rp, moved, rel, L["compartmentalisation"], L["signal"], base.provocation)

    # 5. events ------------------------------------------------------------------------------------
    intensity = intensities(rp, moved, rel, mech)
    rates = {kind: g[f"events.{kind}_rate"] for kind in EVENTS}
    events = {}
    for kind in EVENTS:
        hazard = rates[kind] * intensity[kind] / base.intensity[kind]
        events[kind] = shocks[kind] < jump(hazard)

    # 6. consequences ------------------------------------------------------------------------------
    disp = g["events.coercion_severity_dispersion"]
    severity = g["events.coercion_severity"] * math.exp(disp * shocks["coercion_severity"] - 0.5 * disp**2)
    coercion_loss = severity * g["economy.openness"] * 100.0 * mech["leverage"] if events["coercion"] else 0.0
    entrapment_loss = g["events.entrapment_cost"] if events["entrapment"] else 0.0
    episode = 0.0
    if events["abandonment"]:
        episode = max(episode, g["events.abandonment_depth"])
    if events["deal"]:
        episode = max(episode, g["events.deal_depth"])
    commitment_loss = max(commitment_loss, episode)
    if events["coercion"]:
        memory = 1.0
    if events["entrapment"]:
        support -= g["events.entrapment_support_loss"]
    support = clip(support, 0.0, 1.0)

    adjustment = 0.0
    for k in range(n):
        for d in range(4):
            adjustment += (alignment[k][d] - s.alignment[k][d]) ** 2
    prosperity = {
        "trade": g["economy.openness"] * 100.0 * (mech["trade_gain"] - base.trade_gain),
        "energy": g["economy.energy_gain"] * (mech["energy_security"] - base.energy_security),
        "defence": -g["economy.defence_cost"] * (spending - spend0),
        "adjustment": -g["economy.adjustment_cost"] * adjustment / DT**2,
        "coercion": -coercion_loss / DT,
        "entrapment": -entrapment_loss / DT,
    }
    new = replace(moved, support=support, commitment_loss=commitment_loss, coercion_memory=memory)
    return new, Outcome(crisis, rel, target, wish, ceiling, mech, intensity, events, prosperity)


def as_dict(state: PathState) -> dict[str, Any]:
    """The state as a flat dict (for comparisons)."""
    return {f: getattr(state, f) for f in state.__dataclass_fields__}
