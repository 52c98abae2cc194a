"""A slow, independent reference of the whole model: one path of one strategy, quarter by quarter.

Plain Python floats, explicit loops over partners and domains, one ``if`` per event. It imports
NOTHING from :mod:`hedgelab` (``tests/reference/test_isolation.py`` parses this file and fails
on any import outside the standard library and NumPy, and runs it with ``hedgelab`` blocked):

- scenario parameters are read from the scenario's TOML file with :mod:`tomllib`
  (``src/hedgelab/scenarios/builtin/japan-2026.toml``) and strategies from ``strategies.toml``,
  filling in the levers' documented defaults;
- the closed-form responses of the games (coercion game, alliance security dilemma, Nash
  bargaining, the reduced-form deal intensity) are re-written here as scalar formulas from
  their definitions (docs/model.md, docs/games.md), shaped by the scenario's ``[responses]``
  parameters (the games' defaults for a file without that group; committed coercer only);
- the shocks are drawn here from the documented stream specification (docs/model.md, "State and
  axes"): SFC64 streams ``SeedSequence(seed, spawn_key=(block, 0))`` for the normal draws and
  ``(block, 1)`` for the uniform ones, blocks of 1024 paths, arrays ``[quarters, kinds, 1024]``;
  ``(block, 2)`` first for the base-year draw of the time since the last trigger (``[1, 1024]``),
  then for the quarterly trigger draws (``[quarters, 1, 1024]``);
- hazards are normalised by the event intensities at the base-year state of
  ``events.reference_scenario`` (the scenario itself for japan-2026), computed in float64.

:func:`run_path` returns, for a strategy, seed and path index, one record per quarter (security
and the other mechanism values, the prosperity parts, support, each event flag, the crisis flag,
the depth in each direction…); the tests reduce those series with their own code and compare
with :func:`hedgelab.api.run`.

Order within a quarter:
1. environment (US regime, weakness, assertiveness, convergence, tension, North Korea, crisis,
   political trigger events);
2. policy targets from observed reliability and the *previous* coercion memory;
3. move toward targets at limited speed (alignment, spending, capability, exposures), support,
   decay of commitment loss and coercion memory;
4. mechanisms (protection, threat, leverage, options, autonomy, trade and energy terms);
5. events: hazard = base_rate x intensity / reference intensity (coercion: x the trigger factor,
   effect while a trigger is recent, else 1, over its stationary mean); draw against the shock;
6. consequences and the quarter's prosperity parts.
"""

from __future__ import annotations

import copy
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

DT = 0.25  # years per quarter
DOMAINS = ("security", "economy", "technology", "energy")
SEC, ECO, TEC, ENE = 0, 1, 2, 3
REGIME_INDEX = {"committed": 0, "transactional": 1, "retrenching": 2}
GROUPS = ("focal_state", "environment", "threat", "events", "economy", "bargaining", "responses")
EVENTS = ("coercion", "abandonment", "entrapment", "deal")
PROSPERITY_PARTS = ("trade", "energy", "defence", "adjustment", "coercion", "entrapment")
DIRECTIONS = ("patron", "challenger", "partners", "own")
# Levers of the policy family and their defaults when a strategy does not set them (the
# documented defaults of a strategy: no shift, half compartmentalisation, full speed).
LEVER_DEFAULTS = {
    "defence_shift": 0.0, "compartmentalisation": 0.5, "speed": 1.0, "signal": 0.0,
    "defence_on_unreliability": 0.0, "partners_on_unreliability": 0.0, "derisk_on_coercion": 0.0,
    "defence_on_threat": 0.0, "security_on_threat": 0.0, "derisk_on_threat": 0.0,
}
# Weights of the threat signal (a strategy's ``threat`` table), per unit rise since the base year.
THREAT_WEIGHTS = ("assertiveness", "convergence", "tension")
LEVERS = tuple(LEVER_DEFAULTS)
# Mechanism values recorded every quarter (the per-path time averages of the results).
MECHANISM_SERIES = (
    "security", "autonomy", "deterrence", "taiwan_preparedness", "security_without_us",
    "us_protection", "partner_protection", "own_protection", "threat", "perceived_options",
    "leverage", "effective_exposure",
)

# Shock streams (docs/model.md): kinds in this order, one draw per path, quarter and kind.
NORMAL_KINDS = ("assertiveness", "weakness", "convergence", "tension", "north_korea", "coercion_severity")
UNIFORM_KINDS = ("regime", "crisis", "coercion", "abandonment", "entrapment", "deal")
TRIGGER_KINDS = ("trigger",)
BLOCK = 1024

# Shapes of the games' closed forms: the scenario's [responses] group (docs/games.md). These are
# the games' own defaults, used only for a scenario file without that group.
RESPONSE_DEFAULTS = {
    "abandonment_commitment_slope": 2.0,
    "abandonment_alternatives_slope": 2.0,
    "abandonment_burden_slope": 1.0,
    "abandonment_reliability_floor": 0.02,
    "entrapment_commitment_exponent": 2.0,
    "coercion_gain_scale": 1.0,
    "coercion_damage_scale": 1.0,
    "coercion_resolve": 0.2,
    "coercion_cost_spread": 1.0,  # logistic scale of the log cost: P = T^a / (T^a + c^a), a = 1/spread
    "coercion_committed_prior": 1.0,  # 1: the focal state takes every threat as real (no bluffing)
    "coercion_bluff_premium": 0.5,  # matters only when bluffing is possible (prior < 1)
    "coercion_baseline_demand": 0.5,
    "deal_base_intensity": 0.1,
    "deal_weakness_slope": 1.0,
    "deal_weight_slope": 2.0,
    "focal_bargaining_power": 0.5,
    "provocation_tech_weight": 1.0,
}
ENTRAPMENT_FLOOR = 1e-6  # intensity left at zero commitment (a constant of the dilemma)

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------
# Parameters from the scenario files
# ---------------------------------------------------------------------------------------------


def builtin_file(filename: str) -> Path:
    """A built-in scenario file, found by name under ``src/`` (read as data, never imported)."""
    usual = ROOT / "src" / "hedgelab" / "scenarios" / "builtin" / filename
    if usual.is_file():
        return usual
    found = sorted((ROOT / "src").rglob(filename))
    if not found:
        raise FileNotFoundError(f"{filename} under {ROOT / 'src'}")
    return found[0]


def scenario_mapping(name: str = "japan-2026") -> dict[str, Any]:
    """The scenario file ``<name>.toml`` as a mapping (files without ``base =`` inheritance)."""
    with builtin_file(f"{name}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    if "base" in data:
        raise NotImplementedError(f"{name} inherits from {data['base']!r}; the reference reads standalone files only")
    return data


def _value(entry: Any) -> float:
    return float(entry["value"] if isinstance(entry, Mapping) else entry)


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
    growth: list[float]  # yearly log growth of each partner's share of world GDP
    alignment0: list[list[float]]  # [k][d]
    preference: list[list[float]]  # [k][d] net public preference for closer alignment, in [-1, 1]
    regime0: int
    reference_scenario: str = "japan-2026"

    @property
    def patron(self) -> int:
        return self.roles.index("patron")

    @property
    def challenger(self) -> int:
        return self.roles.index("challenger")

    def secondary(self, k: int) -> bool:
        return self.roles[k] == "secondary"


def params_from_mapping(data: Mapping[str, Any]) -> Params:
    """Parameters from a scenario mapping shaped like the TOML file (numeric entries are tables
    with a ``value``; strings such as ``us_regime_initial`` are settings)."""
    g: dict[str, float] = {f"responses.{name}": value for name, value in RESPONSE_DEFAULTS.items()}
    for group in GROUPS:
        for name, entry in (data.get(group) or {}).items():
            if isinstance(entry, Mapping) and "value" in entry:
                g[f"{group}.{name}"] = float(entry["value"])
    partners = data["partners"]
    codes = list(partners)
    return Params(
        g=g,
        codes=codes,
        roles=[partners[c]["role"] for c in codes],
        # security capacity = military expenditure ratio (data) × reach (the share that bears on
        # the focal state): both factors read from the file, multiplied here
        cap=[_value(partners[c]["military_expenditure_ratio"]) * _value(partners[c]["reach"]) for c in codes],
        exposure=[_value(partners[c]["exposure"]) for c in codes],
        routed=[_value(partners[c]["routed_exposure"]) for c in codes],
        trade_gain=[_value(partners[c]["trade_gain"]) for c in codes],
        energy_capacity=[_value(partners[c]["energy_capacity"]) for c in codes],
        growth=[_value(partners[c]["growth"]) for c in codes],
        alignment0=[[_value(partners[c]["alignment"][d]) for d in DOMAINS] for c in codes],
        preference=[[_value(partners[c]["public_preference"][d]) for d in DOMAINS] for c in codes],
        regime0=REGIME_INDEX[data["environment"]["us_regime_initial"]],
        reference_scenario=str(data["events"].get("reference_scenario", "japan-2026")),
    )


def params_from_scenario(scenario: Any) -> Params:
    """Parameters of an already loaded scenario object (duck-typed: anything with
    ``model_dump()`` giving the file's shape, e.g. a validated scenario with overrides)."""
    return params_from_mapping(scenario.model_dump(mode="python"))


def apply_overrides(data: Mapping[str, Any], overrides: tuple[str, ...]) -> dict[str, Any]:
    """A copy of a scenario mapping with ``dotted.path=VALUE`` overrides (numbers, or words
    such as ``environment.us_regime_initial=committed``)."""
    out = copy.deepcopy(dict(data))
    for item in overrides:
        path, _, text = item.partition("=")
        *parents, last = path.strip().split(".")
        node = out
        for key in parents:
            node = node[key]
        try:
            value: Any = float(text)
        except ValueError:
            value = text.strip()
        if isinstance(node[last], Mapping):
            node[last]["value"] = value
        else:
            node[last] = value
    return out


@lru_cache(maxsize=None)
def load_params(name: str = "japan-2026", overrides: tuple[str, ...] = ()) -> Params:
    """Parameters of the built-in scenario ``name``, read from its TOML file, with overrides."""
    return params_from_mapping(apply_overrides(scenario_mapping(name), overrides))


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------


@dataclass
class Policy:
    """One strategy's levers: shift[k][d] and the scalar levers."""

    shift: list[list[float]]
    levers: dict[str, float]
    threat: dict[str, float] = field(default_factory=dict)
    switch: dict[str, Any] | None = None  # signal, threshold, quarters, cost
    fallback: Policy | None = None  # the levers after a switch


def policy_from_mapping(data: Mapping[str, Any], rp: Params, known: Mapping[str, Any] | None = None) -> Policy:
    """A strategy from a mapping shaped like a ``strategies.toml`` table (missing levers and
    domains take their defaults; ``partners`` replaces a partner's role shift). A ``switch``
    table's ``to`` is looked up in ``known`` (default: the built-in strategies)."""
    own = data.get("partners") or {}
    shift = []
    for code, role in zip(rp.codes, rp.roles):
        s = own.get(code, data.get(role) or {})
        shift.append([float(s.get(d, 0.0)) for d in DOMAINS])
    levers = {name: float(data.get(name, default)) for name, default in LEVER_DEFAULTS.items()}
    threat = {w: float((data.get("threat") or {}).get(w, 0.0)) for w in THREAT_WEIGHTS}
    switch = data.get("switch")
    fallback = None
    if switch:
        fallback = policy_from_mapping((known or strategies_mapping())[switch["to"]], rp, known)
    return Policy(shift=shift, levers=levers, threat=threat, switch=switch or None, fallback=fallback)


def policy_from_strategy(strategy: Any, rp: Params, known: Mapping[str, Any] | None = None) -> Policy:
    """A strategy object (duck-typed: ``model_dump()`` gives the table's shape); ``known`` maps
    names to strategy objects for a switch's target."""
    dumped = None if known is None else {k: v.model_dump(mode="python") for k, v in known.items()}
    return policy_from_mapping(strategy.model_dump(mode="python"), rp, dumped)


@lru_cache(maxsize=None)
def strategies_mapping() -> dict[str, Any]:
    """The built-in strategies (``strategies.toml``)."""
    with builtin_file("strategies.toml").open("rb") as fh:
        return tomllib.load(fh)


def load_policy(name: str, rp: Params) -> Policy:
    return policy_from_mapping(strategies_mapping()[name], rp)


# ---------------------------------------------------------------------------------------------
# Shocks (re-derived from the documented stream specification)
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _block(seed: int, block: int, n_quarters: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All draws of one block of 1024 paths, float64: normal ``[T, 6, 1024]``, uniform
    ``[T, 6, 1024]``, the base-year trigger draw ``[1, 1024]`` and the trigger draws ``[T, 1, 1024]``."""
    normal_rng, uniform_rng, trigger_rng = (
        np.random.Generator(np.random.SFC64(np.random.SeedSequence(seed, spawn_key=(block, stream))))
        for stream in (0, 1, 2)
    )
    normal = normal_rng.standard_normal((n_quarters, len(NORMAL_KINDS), BLOCK), dtype=np.float64)
    uniform = uniform_rng.random((n_quarters, len(UNIFORM_KINDS), BLOCK), dtype=np.float64)
    initial = trigger_rng.random((1, BLOCK), dtype=np.float64)
    trigger = trigger_rng.random((n_quarters, len(TRIGGER_KINDS), BLOCK), dtype=np.float64)
    return normal, uniform, initial, trigger


def path_shocks(seed: int, path: int, n_quarters: int) -> list[dict[str, float]]:
    """The shocks of one path, one ``{kind: float}`` per quarter."""
    normal, uniform, _, trigger = _block(seed, path // BLOCK, n_quarters)
    column = path % BLOCK
    out = []
    for t in range(n_quarters):
        q = {kind: float(normal[t, i, column]) for i, kind in enumerate(NORMAL_KINDS)}
        q.update({kind: float(uniform[t, i, column]) for i, kind in enumerate(UNIFORM_KINDS)})
        q.update({kind: float(trigger[t, i, column]) for i, kind in enumerate(TRIGGER_KINDS)})
        out.append(q)
    return out


def path_initial_draw(seed: int, path: int) -> float:
    """The base-year uniform draw that sets a path's years since the last trigger."""
    return float(_block(seed, path // BLOCK, 1)[2][0, path % BLOCK])


# ---------------------------------------------------------------------------------------------
# Closed forms of the games (scalar)
# ---------------------------------------------------------------------------------------------


def coercion_probability(g: Mapping[str, float], leverage: float, provocation: float, assertiveness: float) -> float:
    """Coercion game with a committed coercer (prior 1) and a log-logistic cost of median
    ``events.coercer_cost`` and log-scale ``spread``: coercing pays below the cost
    ``T = G (e^(D/resolve) - 1)``, ``D = damage_scale · leverage``,
    ``G = gain_scale · x · (baseline_demand + provocation)``, so ``P(cost < T) = T^a / (T^a + c^a)``
    with ``a = 1/spread``."""
    if g["responses.coercion_committed_prior"] != 1.0:
        raise NotImplementedError("the reference has the closed form of a committed coercer only (prior 1)")
    gain = g["responses.coercion_gain_scale"] * assertiveness * (g["responses.coercion_baseline_demand"] + provocation)
    threshold = gain * math.expm1(g["responses.coercion_damage_scale"] * leverage / g["responses.coercion_resolve"])
    if threshold <= 0.0:
        return 0.0
    a = 1.0 / g["responses.coercion_cost_spread"]
    return threshold**a / (threshold**a + g["events.coercer_cost"] ** a)


def abandonment_intensity(
    g: Mapping[str, float], commitment: float, reliability: float, alternatives: float, burden_gap: float
) -> float:
    """Alliance security dilemma: ``(1 - R + floor) exp(-k_c c + k_a O + k_g gap)``."""
    return (1.0 - reliability + g["responses.abandonment_reliability_floor"]) * math.exp(
        -g["responses.abandonment_commitment_slope"] * commitment
        + g["responses.abandonment_alternatives_slope"] * alternatives
        + g["responses.abandonment_burden_slope"] * burden_gap
    )


def entrapment_intensity(g: Mapping[str, float], commitment: float, tension: float) -> float:
    """Alliance security dilemma: ``tension · c^gamma + 1e-6``."""
    return tension * commitment ** g["responses.entrapment_commitment_exponent"] + ENTRAPMENT_FLOOR


def deal_intensity(g: Mapping[str, float], transactional: float, weakness: float, focal_weight: float) -> float:
    """Reduced form: ``(base + transactional) exp(k_w weakness - k_n focal weight)``."""
    return (g["responses.deal_base_intensity"] + transactional) * math.exp(
        g["responses.deal_weakness_slope"] * weakness - g["responses.deal_weight_slope"] * focal_weight
    )


def nash_share(g: Mapping[str, float], surplus: float, focal_option: float, patron_option: float) -> float:
    """Nash bargaining: ``(d_f + beta (S - d_f - d_p)) / S``, clipped to [0, 1]."""
    payoff = focal_option + g["responses.focal_bargaining_power"] * (surplus - focal_option - patron_option)
    return clip(payoff / surplus, 0.0, 1.0)


# ---------------------------------------------------------------------------------------------
# The model, one path of one strategy
# ---------------------------------------------------------------------------------------------


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
    log_weight: list[float] = field(default_factory=list)  # partners' GDP shares vs the base year, log
    log_capacity: float = 0.0  # challenger capacity vs the base year, log
    since_trigger: float = math.inf  # years since the last political trigger event
    signal_run: float = 0.0  # consecutive quarters the switch signal has been above its threshold
    switched: bool = False  # the strategy has switched to its fallback levers


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


def initial_state(rp: Params, since_trigger_draw: float) -> PathState:
    """The base-year state; ``since_trigger_draw`` (uniform) sets the whole quarters since the last
    trigger: the smallest k with ``P(K <= k) = 1 - (1 - p)^(k+1) > u`` for the quarterly trigger
    probability p (geometric, the stationary law of the quarterly process), found by counting."""
    g = rp.g
    rate = g["events.trigger_rate"]
    since = math.inf
    if rate > 0:
        stay = math.exp(-rate * DT)  # probability of no trigger in a quarter
        k, survive = 0, stay  # survive = P(K > k)
        while 1.0 - survive <= since_trigger_draw:
            k, survive = k + 1, survive * stay
        since = k * DT
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
        log_weight=[0.0 for _ in rp.codes],
        log_capacity=0.0,
        since_trigger=since,
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
    """Security tightening with the challenger's rivals; the denominator is the numerator's
    maximum (every alignment 1, full convergence)."""
    p = rp.patron
    tech_weight = rp.g["responses.provocation_tech_weight"]
    num = a[p][SEC] + tech_weight * convergence * a[p][TEC]
    den = 1.0 + tech_weight
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
    # the challenger's capacity has grown by exp(log_capacity) since the base year
    capacity_now = g["threat.challenger_capacity"] * math.exp(s.log_capacity)
    challenger_threat = capacity_now * s.assertiveness * provocation_factor * accommodation_factor
    threat = challenger_threat + g["threat.north_korea_capacity"] * s.north_korea

    protection = us + partners + own
    integrated = rp.cap[p] * a[p][SEC] * (1.0 - s.commitment_loss) + partners + own
    tension_threat = capacity_now * s.tension
    without_us = independent_own + partners

    effective = s.exposure[c] + s.routed[c]
    # compartments shield only while the challenger tolerates them: the shield fades as
    # assertiveness rises above its 2020 level
    tolerance = math.exp(-g["events.tolerance_sensitivity"] * max(s.assertiveness - 1.0, 0.0))
    shield = compartmentalisation * (1.0 - s.convergence) * tolerance
    within_reach = s.exposure[c] + g["events.routed_reach"] * s.routed[c]  # routed exposure the coercer can hit
    leverage = within_reach * (1.0 - shield) + g["events.tech_leverage"] * s.convergence * a[c][TEC]

    economic_options = 0.0
    for k in range(n):
        if k != p:
            economic_options += (s.exposure[k] + s.routed[k]) * a[k][ECO]
    # only the capability that does not need US supply is an option against the patron
    real = independent_own + partners + g["bargaining.economic_option_weight"] * economic_options
    perceived = real * (1.0 + g["bargaining.signal_gain"] * signal)
    # the patron's disagreement value moves with its reliability (relative to a transactional US)
    # and with the challenger's threat before the focal state's moves (relative to 2020)
    threat_index = s.assertiveness * math.exp(s.log_capacity)  # assertiveness index (2020 = 1) x grown capacity
    patron_value = clip(
        g["bargaining.patron_option"]
        + g["bargaining.patron_option_unreliability"] * (g["environment.reliability_transactional"] - rel)
        - g["bargaining.patron_option_threat"] * (threat_index - 1.0),
        0.0, 1.0,
    )
    autonomy = nash_share(g, g["bargaining.alliance_surplus"], perceived, patron_value)

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
        "autonomy": autonomy, "patron_option": patron_value,
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
        "coercion": coercion_probability(g, mech["leverage"], mech["provocation"], s.assertiveness),
        "abandonment": abandonment_intensity(
            g, commitment, rel, mech["perceived_options"], g["events.burden_expectation"] - s.spending),
        "entrapment": entrapment_intensity(g, commitment, s.tension),
        "deal": deal_intensity(g, transactional, s.weakness, mech["autonomy"]),
    }


def baseline(rp: Params, reference: Params | None = None) -> Base:
    """Base-year values of ``rp``; intensities of ``reference``'s base year when given."""
    s0 = initial_state(rp, 0.5)  # the trigger clock does not enter the intensities
    base_provocation = provocation(rp, s0.alignment, s0.convergence)
    rel = reliability(rp, s0.regime)
    mech = mechanisms(rp, s0, rel, rp.g["focal_state.compartmentalisation"], 0.0, base_provocation)
    intensity = intensities(rp, s0, rel, mech)
    if reference is not None:
        intensity = baseline(reference).intensity
    return Base(base_provocation, intensity, mech["trade_gain"], mech["energy_security"])


def depth(rp: Params, s: PathState) -> dict[str, float]:
    """Usable depth in each direction, in [0, 1] (docs/model.md, "Depth")."""
    total, weighted = 0.0, 0.0
    for k in range(len(rp.codes)):
        if rp.secondary(k):
            total += rp.cap[k]
            weighted += rp.cap[k] * s.alignment[k][SEC]
    full_capability = rp.g["focal_state.defence_ceiling"] / rp.g["focal_state.capability_depreciation"]
    return {
        "patron": s.alignment[rp.patron][SEC],
        "challenger": s.alignment[rp.challenger][ECO],
        "partners": weighted / total if total > 0 else 0.0,
        "own": min(s.capability / full_capability, 1.0),
    }


def step(rp: Params, pol: Policy, base: Base, s: PathState, shocks: dict[str, float]) -> tuple[PathState, Outcome]:
    """Advance one path of one strategy by one quarter; ``shocks`` maps kind -> float."""
    g = rp.g
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
    log_weight = [s.log_weight[k] + rp.growth[k] * DT for k in range(n)]
    log_capacity = s.log_capacity + g["threat.challenger_capacity_growth"] * DT
    if shocks["trigger"] < jump(g["events.trigger_rate"]):
        since_trigger = 0.0
    else:
        since_trigger = s.since_trigger + DT

    # 2. switch, then policy targets -------------------------------------------------------------
    unreliability = 1.0 - rel
    signal_run, switched, newly_switched = s.signal_run, s.switched, False
    if pol.switch is not None:
        observed = {"assertiveness": assertiveness, "convergence": convergence, "tension": tension,
                    "unreliability": unreliability}[pol.switch["signal"]]
        signal_run = signal_run + 1.0 if observed > pol.switch["threshold"] else 0.0
        if not switched and signal_run >= pol.switch["quarters"]:
            switched, newly_switched = True, True
    active = pol.fallback if switched else pol
    L = active.levers
    threat_signal = (active.threat["assertiveness"] * (assertiveness - g["environment.assertiveness"])
                     + active.threat["convergence"] * (convergence - g["environment.convergence"])
                     + active.threat["tension"] * (tension - g["environment.taiwan_tension"]))
    target = [[rp.alignment0[k][d] + active.shift[k][d] for d in range(4)] for k in range(n)]
    for k in range(n):
        if rp.secondary(k):
            target[k][SEC] += L["partners_on_unreliability"] * unreliability
        if k != rp.challenger and (k == rp.patron or active.shift[k][SEC] > 0):
            target[k][SEC] += L["security_on_threat"] * threat_signal
    derisk = L["derisk_on_coercion"] * s.coercion_memory + L["derisk_on_threat"] * threat_signal
    target[rp.challenger][ECO] -= derisk
    target[rp.challenger][TEC] -= derisk
    target = [[clip(x, 0.0, 1.0) for x in row] for row in target]
    spend0 = g["focal_state.defence_spending"]
    spending_target = spend0 + L["defence_shift"] + L["defence_on_unreliability"] * unreliability
    spending_target += L["defence_on_threat"] * threat_signal
    # action-reaction, whatever the strategy: the challenger's capacity growth since the base
    # year, and US reliability below what the base-year regime offered
    spending_target += g["focal_state.threat_response"] * log_capacity
    spending_target += g["focal_state.reliability_response"] * (reliability(rp, rp.regime0) - rel)
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
        # gravity: the partner's grown economic weight raised to the long-run elasticity
        direct_target.append(rp.exposure[k] * ratio * math.exp(g["economy.gravity_elasticity"] * log_weight[k]))
        routed_target.append(rp.routed[k] * ratio)
    total = sum(direct_target) + sum(routed_target)
    scale = min(1.0, g["economy.exposure_cap"] / total) if total > 0 else 1.0
    exposure = []
    for k in range(n):
        partial = g["economy.exposure_adjust_speed"] * DT * (direct_target[k] * scale - s.exposure[k])
        same_quarter = g["economy.gravity_impact"] * rp.growth[k] * DT * s.exposure[k]
        exposure.append(s.exposure[k] + partial + same_quarter)
    routed = [s.routed[k] + g["economy.routed_adjust_speed"] * DT * (routed_target[k] * scale - s.routed[k]) for k in range(n)]
    room = max(g["economy.exposure_cap"] - sum(routed), 0.0)
    if sum(exposure) > room:  # never above the cap: shrink direct exposure proportionally
        shrink = room / sum(exposure)
        exposure = [x * shrink for x in exposure]

    # legitimacy: alignment moved against the public's preference since the base year
    against = 0.0
    for k in range(n):
        for d in range(4):
            moved = alignment[k][d] - rp.alignment0[k][d]
            against += max(-rp.preference[k][d] * moved, 0.0)
    support = s.support + DT * (
        g["focal_state.support_recovery"] * (g["focal_state.support"] - s.support)
        - g["focal_state.support_cost"] * max(spending - spend0, 0.0)
        - g["focal_state.legitimacy_cost"] * against
    )
    commitment_loss = s.commitment_loss * math.exp(-g["events.commitment_recovery"] * DT)
    memory = s.coercion_memory * math.exp(-g["events.coercion_memory"] * DT)

    moved = PathState(regime, assertiveness, weakness, convergence, tension, north_korea, alignment,
                      exposure, routed, spending, capability, support, commitment_loss, memory,
                      log_weight, log_capacity, since_trigger, signal_run, switched)

    # 4. mechanisms ----------------------------------------------------------------------------
    mech = mechanisms(rp, moved, rel, L["compartmentalisation"], L["signal"], base.provocation)

    # 5. events ------------------------------------------------------------------------------------
    intensity = intensities(rp, moved, rel, mech)
    events = {}
    effect, window = g["events.trigger_effect"], g["events.trigger_window"]
    # stationary share of quarters with a recent trigger: sum the geometric law of the quarters
    # since the last trigger over the clock values below the window
    p = 1.0 - math.exp(-g["events.trigger_rate"] * DT)
    recent_share = math.fsum(p * (1.0 - p) ** k for k in range(int(window / DT) + 2) if k * DT < window)
    trigger_factor = (effect if since_trigger < window else 1.0) / (1.0 + (effect - 1.0) * recent_share)
    for kind in EVENTS:
        hazard = g[f"events.{kind}_rate"] * intensity[kind] / base.intensity[kind]
        if kind == "coercion":
            hazard *= trigger_factor
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
        "adjustment": -g["economy.adjustment_cost"] * adjustment / DT**2
        - (pol.switch["cost"] / DT if newly_switched else 0.0),
        "coercion": -coercion_loss / DT,
        "entrapment": -entrapment_loss / DT,
    }
    new = replace(moved, support=support, commitment_loss=commitment_loss, coercion_memory=memory)
    return new, Outcome(crisis, rel, target, wish, ceiling, mech, intensity, events, prosperity)


def as_dict(state: PathState) -> dict[str, Any]:
    """The state as a flat dict (for comparisons)."""
    return {f: getattr(state, f) for f in state.__dataclass_fields__}


# ---------------------------------------------------------------------------------------------
# The multi-quarter loop
# ---------------------------------------------------------------------------------------------


def simulate_path(rp: Params, pol: Policy, base: Base, shocks: list[dict[str, float]],
                  since_trigger_draw: float) -> list[dict[str, Any]]:
    """Run one path of one strategy over the shocks' quarters; one record per quarter.

    Each record holds the quarter's mechanism values (:data:`MECHANISM_SERIES`), ``support``
    at the end of the quarter, ``prosperity_<part>`` and their sum ``prosperity``, each event
    flag, ``crisis``, ``switched`` (the strategy has switched by the quarter's end), ``regime`` and ``reliability``, ``depth_<direction>`` of the end-of-quarter
    state with ``depth`` (deepest) and ``depth_min`` (shallowest), and the end-of-quarter
    ``spending``, ``capability``, ``commitment_loss`` and ``coercion_memory``.
    """
    state = initial_state(rp, since_trigger_draw)
    records = []
    for q in shocks:
        state, out = step(rp, pol, base, state, q)
        rec: dict[str, Any] = {name: out.mech[name] for name in MECHANISM_SERIES}
        rec["support"] = state.support
        for part in PROSPERITY_PARTS:
            rec[f"prosperity_{part}"] = out.prosperity[part]
        rec["prosperity"] = math.fsum(out.prosperity.values())
        for kind in EVENTS:
            rec[kind] = out.events[kind]
        rec["crisis"] = out.crisis
        rec["switched"] = state.switched
        rec["regime"] = state.regime
        rec["reliability"] = out.reliability
        by_direction = depth(rp, state)
        for direction, value in by_direction.items():
            rec[f"depth_{direction}"] = value
        rec["depth"] = max(by_direction.values())
        rec["depth_min"] = min(by_direction.values())
        rec["security_without_us_at_crisis"] = out.mech["security_without_us"]
        for name in ("spending", "capability", "commitment_loss", "coercion_memory"):
            rec[name] = getattr(state, name)
        records.append(rec)
    return records


@lru_cache(maxsize=None)
def scenario_base(name: str = "japan-2026", overrides: tuple[str, ...] = ()) -> tuple[Params, Base]:
    """A built-in scenario's parameters (with overrides) and its baseline, hazards normalised at
    the base-year state of its ``events.reference_scenario`` as published (no overrides;
    japan-2026 itself for japan-2026)."""
    rp = load_params(name, tuple(overrides))
    reference = load_params(rp.reference_scenario)
    return rp, baseline(rp, reference)


def run_path(
    strategy: str, seed: int, path: int, years: int, scenario: str = "japan-2026", overrides: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Per-quarter records (:func:`simulate_path`) of one built-in strategy on one path, for
    ``4 * years`` quarters, with the shocks of ``seed`` (and ``dotted.path=VALUE`` overrides)."""
    rp, base = scenario_base(scenario, tuple(overrides))
    return simulate_path(rp, load_policy(strategy, rp), base, path_shocks(seed, path, 4 * years),
                         path_initial_draw(seed, path))
