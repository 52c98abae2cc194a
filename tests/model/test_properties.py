"""The properties that DESIGN.md says the model must show by mechanism.

Each property has a *direction* test (the driving input is moved over at least three values
and the response moves the stated way, every step a paired difference -- same seed, common
random numbers -- beyond 3 standard errors) and a *twin* that pushes the input to where the
property should reverse (or, where the mechanism implies it, vanish) and checks that it does.

Nothing here special-cases a strategy by name: strategies are :class:`Strategy` lever
settings; the named presets are used only where the property is about them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hedgelab.model import reference_intensity
from hedgelab.scenarios.compile import compile_params
from hedgelab.scenarios import Strategy, load_scenario
from hedgelab.scenarios.schema import DomainShift

from .helpers import PRESETS, fmt, outcomes, run, z

Z = 3.0  # standard errors a paired difference must clear
N = 3000  # paths per run (float64, 10 years unless stated)


def assert_steps(values: list[np.ndarray], direction: int, label: str, inputs: list[object]) -> None:
    """Each consecutive paired step moves in ``direction`` (+1 up, -1 down) by more than Z SE."""
    for (x0, a), (x1, b) in zip(zip(inputs, values), zip(inputs[1:], values[1:])):
        assert direction * z(b, a) > Z, f"{label}: {x0} -> {x1}: {fmt(b, a)}"


# ---------------------------------------------------------------------------------------------
# 1. The dual hedge does well while convergence and assertiveness are low, loses its edge as
#    they rise.
# ---------------------------------------------------------------------------------------------

DUAL = {"dual_hedge": PRESETS["dual_hedge"], "anchor": PRESETS["anchor"]}

CONVERGENCE_LEVELS = [  # (initial convergence, convergence speed)
    ("environment.convergence=0.2", "environment.convergence_speed=0.0"),
    ("environment.convergence=0.55", "environment.convergence_speed=0.05"),
    ("environment.convergence=0.9", "environment.convergence_speed=0.2"),
]
ASSERTIVENESS_LEVELS = [  # (initial assertiveness, its long-run mean)
    ("environment.assertiveness=0.5", "environment.assertiveness_mean=0.6"),
    ("environment.assertiveness=1.15", "environment.assertiveness_mean=1.2"),
    ("environment.assertiveness=2.0", "environment.assertiveness_mean=2.0"),
]
SEVERE_COERCION = ("events.coercion_severity=0.4", "events.coercion_rate=0.5")


def _dual_edges(levels: list[tuple[str, ...]], extra: tuple[str, ...] = ()) -> list[np.ndarray]:
    """Per-path prosperity edge of the dual hedge over the anchor at each level."""
    out = []
    for overrides in levels:
        m = run(DUAL, [*overrides, *extra], n_paths=N)
        out.append(m["dual_hedge"]["prosperity"] - m["anchor"]["prosperity"])
    return out


def test_dual_hedge_edge_shrinks_as_convergence_rises():
    edges = _dual_edges(CONVERGENCE_LEVELS)
    assert float(edges[0].mean()) > 0.0, "the dual hedge should beat the anchor at low convergence"
    assert_steps(edges, -1, "dual-anchor prosperity edge vs convergence", CONVERGENCE_LEVELS)


@pytest.mark.slow
def test_dual_hedge_edge_shrinks_as_convergence_speed_rises():
    levels = [(f"environment.convergence_speed={v}",) for v in (0.0, 0.1, 0.2)]
    assert_steps(_dual_edges(levels), -1, "dual-anchor prosperity edge vs convergence_speed", levels)


def test_dual_hedge_edge_shrinks_as_assertiveness_rises():
    edges = _dual_edges(ASSERTIVENESS_LEVELS)
    assert_steps(edges, -1, "dual-anchor prosperity edge vs assertiveness", ASSERTIVENESS_LEVELS)


@pytest.mark.slow
def test_dual_hedge_edge_shrinks_as_both_rise_together():
    levels = [c + a for c, a in zip(CONVERGENCE_LEVELS, ASSERTIVENESS_LEVELS)]
    assert_steps(_dual_edges(levels), -1, "dual-anchor prosperity edge vs convergence+assertiveness", levels)


def test_dual_hedge_twin_edge_reverses_at_high_convergence_and_assertiveness():
    """With coercion as costly as its plausible range allows (severity 0.4, rate 0.5 a year),
    the dual hedge still beats the anchor at low convergence and assertiveness, and loses to it
    on prosperity once both are at the top of their ranges: the compartments stop shielding."""
    low = CONVERGENCE_LEVELS[0] + ASSERTIVENESS_LEVELS[0]
    high = CONVERGENCE_LEVELS[-1] + ASSERTIVENESS_LEVELS[-1]
    edge_low, edge_high = _dual_edges([low, high], SEVERE_COERCION)
    zeros = np.zeros_like(edge_low)
    assert z(edge_low, zeros) > Z, f"low convergence/assertiveness: dual-anchor {fmt(edge_low, zeros)}"
    assert z(edge_high, zeros) < -Z, f"high convergence/assertiveness: dual-anchor {fmt(edge_high, zeros)}"


def test_dual_hedge_edge_is_a_compartment_effect():
    """The coercion-loss part of the edge is what erodes: dual minus anchor coercion losses grow
    more negative with convergence (the shield ``compartmentalisation x (1 - convergence)``)."""
    parts = []
    for overrides in CONVERGENCE_LEVELS:
        m = run(DUAL, overrides, n_paths=N)
        parts.append(m["dual_hedge"]["prosperity_coercion"] - m["anchor"]["prosperity_coercion"])
    assert_steps(parts, -1, "dual-anchor coercion-loss edge vs convergence", CONVERGENCE_LEVELS)


# ---------------------------------------------------------------------------------------------
# 2. No mix of secondary partners replaces the US in security.
# ---------------------------------------------------------------------------------------------

def _shift_to_partners(x: float, partners: dict[str, float] | None = None) -> Strategy:
    """Move ``x`` of security alignment from the patron to secondary partners."""
    if partners is None:
        return Strategy(patron=DomainShift(security=-x), secondary=DomainShift(security=x))
    return Strategy(
        patron=DomainShift(security=-x),
        partners={code: DomainShift(security=w) for code, w in partners.items()},
    )


def test_secondary_partners_do_not_replace_the_us():
    shifts = [0.1, 0.2, 0.4]
    m = run({"keep": Strategy(), **{f"shift{x}": _shift_to_partners(x) for x in shifts}}, n_paths=N)
    keep = m["keep"]["security"]
    losses = [m[f"shift{x}"]["security"] - keep for x in shifts]
    assert z(losses[0], np.zeros_like(keep)) < -Z, f"shift 0.1: {fmt(m['shift0.1']['security'], keep)}"
    assert_steps(losses, -1, "security loss vs shift from US to secondary partners", shifts)


def test_no_random_mix_of_secondary_partners_replaces_the_us():
    """Any mix (random weights, each partner up to +1 of security alignment, more in total than
    the patron loses) is worse for security than keeping the US."""
    rng = np.random.default_rng(7)
    codes = ["AUS", "IND", "KOR", "PHL", "EU", "ASEAN", "RUS"]
    mixes = {f"mix{i}": _shift_to_partners(0.3, dict(zip(codes, rng.uniform(0.0, 1.0, len(codes)))))
             for i in range(20)}
    m = run({"keep": Strategy(), **mixes}, n_paths=1000, years=5)
    for name in mixes:
        assert z(m[name]["security"], m["keep"]["security"]) < -Z, f"{name}: {fmt(m[name]['security'], m['keep']['security'])}"


@pytest.fixture
def strong_partner_scenario(tmp_path: Path) -> Path:
    """japan-2026 with Australia given more reachable capacity (ratio 3 × reach 0.3 = 0.9) than the US (0.6)."""
    path = tmp_path / "strong-partner.toml"
    path.write_text(
        'base = "japan-2026"\nname = "strong-partner"\n'
        "[partners.AUS.military_expenditure_ratio]\nvalue = 3.0\nrange = [0.0, 5.0]\n"
        'source = "test: a secondary partner stronger than the patron"\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_secondary_partner_twin_reverses_when_stronger_than_the_us(strong_partner_scenario: Path):
    shifts = [0.1, 0.2, 0.4]
    strategies = {"keep": Strategy(), **{f"shift{x}": _shift_to_partners(x, {"AUS": x}) for x in shifts}}
    m = run(strategies, scenario=strong_partner_scenario, n_paths=N)
    keep = m["keep"]["security"]
    gains = [m[f"shift{x}"]["security"] - keep for x in shifts]
    assert z(gains[0], np.zeros_like(keep)) > Z, f"shift 0.1 to a stronger AUS: {fmt(m['shift0.1']['security'], keep)}"
    assert_steps(gains, +1, "security gain vs shift from US to a stronger AUS", shifts)


# ---------------------------------------------------------------------------------------------
# 3. Perceived alternatives raise bargaining weight (autonomy) and abandonment risk.
# ---------------------------------------------------------------------------------------------

SIGNALS = [0.0, 0.35, 0.7, 1.0]


def _signal_runs(overrides: tuple[str, ...] = ()) -> dict[str, dict[str, np.ndarray]]:
    base = PRESETS["dual_hedge"]
    return run({f"s{s}": base.model_copy(update={"signal": s}) for s in SIGNALS}, overrides, n_paths=N)


def test_perceived_alternatives_raise_autonomy_and_abandonment():
    m = _signal_runs()
    autonomy = [m[f"s{s}"]["autonomy"] for s in SIGNALS]
    abandonment = [m[f"s{s}"]["abandonment"] for s in SIGNALS]
    assert_steps(autonomy, +1, "autonomy vs signal", SIGNALS)
    assert_steps(abandonment, +1, "p_abandonment vs signal", SIGNALS)


def test_perceived_alternatives_twin_vanish_without_signal_gain():
    """When signalling does not change how others perceive the options (signal_gain = 0),
    visibility buys no autonomy and costs no abandonment: the effect runs only through
    *perceived* options."""
    m = _signal_runs(("bargaining.signal_gain=0.0",))
    for s in SIGNALS[1:]:
        np.testing.assert_array_equal(m[f"s{s}"]["autonomy"], m["s0.0"]["autonomy"])
        np.testing.assert_array_equal(m[f"s{s}"]["abandonment"], m["s0.0"]["abandonment"])


# ---------------------------------------------------------------------------------------------
# 4. No strategy tops all three trilemma objectives.
# ---------------------------------------------------------------------------------------------

TRILEMMA = ("deterrence", "taiwan_preparedness", "security_without_us")


def _random_strategies(n: int, seed: int) -> dict[str, Strategy]:
    rng = np.random.default_rng(seed)

    def shift() -> DomainShift:
        return DomainShift(**{d: float(rng.uniform(-0.5, 0.5)) for d in ("security", "economy", "technology", "energy")})

    out = {}
    for i in range(n):
        out[f"r{i}"] = Strategy(
            patron=shift(), challenger=shift(), secondary=shift(),
            defence_shift=float(rng.uniform(-1.0, 3.0)),
            compartmentalisation=float(rng.uniform(0.0, 1.0)),
            speed=float(rng.uniform(0.0, 1.0)),
            signal=float(rng.uniform(0.0, 1.0)),
            defence_on_unreliability=float(rng.uniform(0.0, 2.0)),
            partners_on_unreliability=float(rng.uniform(0.0, 1.0)),
            derisk_on_coercion=float(rng.uniform(0.0, 1.0)),
        )
    return out


def _toppers(m: dict[str, dict[str, np.ndarray]]) -> list[str]:
    """Strategies at least as good as every other on all three objectives (means over paths)."""
    means = {name: np.array([m[name][o].mean() for o in TRILEMMA]) for name in m}
    best = np.max(np.stack(list(means.values())), axis=0)
    return [name for name, v in means.items() if np.all(v >= best)]


def test_trilemma_patron_alignment_trades_deterrence_against_security_without_us():
    """Moving security alignment with the patron over three values raises deterrence and Taiwan
    preparedness and lowers security without the US: a trade-off, not a dominance."""
    shifts = [-0.3, 0.0, 0.15]
    m = run({f"p{x}": Strategy(patron=DomainShift(security=x)) for x in shifts}, n_paths=N)
    for objective, direction in (("deterrence", +1), ("taiwan_preparedness", +1), ("security_without_us", -1)):
        assert_steps([m[f"p{x}"][objective] for x in shifts], direction, f"{objective} vs patron shift", shifts)
    assert _toppers(m) == [], "one patron setting topped all three objectives"


@pytest.mark.slow
def test_no_strategy_tops_all_three_trilemma_objectives():
    m = run({**PRESETS, **_random_strategies(500, seed=1)}, n_paths=200, years=5)
    assert _toppers(m) == []
    presets = {name: m[name] for name in PRESETS}
    assert _toppers(presets) == []


@pytest.fixture
def no_trilemma_scenario(tmp_path: Path) -> Path:
    """Every coupling between the objectives removed: no dependence of own capability on US
    supply, no threat provoked by security alignment, no support lost to entrapment, no US
    commitment withdrawn by abandonment or deal episodes."""
    path = tmp_path / "no-trilemma.toml"
    path.write_text(
        'base = "japan-2026"\nname = "no-trilemma"\n'
        "[focal_state.us_supply_dependence]\nvalue = 0.0\nrange = [0.0, 1.0]\n"
        "[threat.provocation_effect]\nvalue = 0.0\n"
        "[events.entrapment_support_loss]\nvalue = 0.0\n"
        "[events.abandonment_depth]\nvalue = 0.0\nrange = [0.0, 1.0]\n"
        "[events.deal_depth]\nvalue = 0.0\nrange = [0.0, 1.0]\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_trilemma_twin_one_strategy_tops_all_when_objectives_decouple(no_trilemma_scenario: Path):
    """Remove what couples the objectives (own capability that depends on US supply, a threat
    provoked by security alignment, support lost to entrapment, commitment withdrawn when the
    US abandons or deals): then the all-in strategy tops all three, also against the
    500 random policy vectors."""
    all_in = Strategy(
        patron=DomainShift(security=1.0), challenger=DomainShift(security=1.0),
        secondary=DomainShift(security=1.0), defence_shift=3.0, defence_on_unreliability=2.0,
        partners_on_unreliability=1.0, speed=1.0,
    )
    m = run({"all_in": all_in, **_random_strategies(500, seed=1)}, scenario=no_trilemma_scenario, n_paths=200, years=5)
    assert _toppers(m) == ["all_in"]


# ---------------------------------------------------------------------------------------------
# 5. A hesitant, incremental path shows the least depth in a crisis.
# ---------------------------------------------------------------------------------------------

SPEEDS = [1.0, 0.5, 0.25, 0.1]
DEEPENING = Strategy(  # a little of everything, every move toward more depth
    patron=DomainShift(security=0.1), challenger=DomainShift(economy=0.05),
    secondary=DomainShift(security=0.1, economy=0.05), defence_shift=0.3,
)


def test_hesitant_path_has_less_depth():
    m = run({f"v{s}": DEEPENING.model_copy(update={"speed": s}) for s in SPEEDS}, n_paths=N)
    assert_steps([m[f"v{s}"]["depth"] for s in SPEEDS], -1, "depth vs speed (deepening path)", SPEEDS)


def test_incremental_preset_speed_sweep():
    """The shipped ``incremental`` preset itself, its speed moved from full to hesitant: depth at
    the first crisis should fall as it hesitates."""
    m = run({f"v{s}": PRESETS["incremental"].model_copy(update={"speed": s}) for s in SPEEDS}, n_paths=N)
    assert_steps([m[f"v{s}"]["depth"] for s in SPEEDS], -1, "depth vs speed (incremental preset)", SPEEDS)


def test_hesitancy_twin_keeps_depth_on_a_loosening_path():
    """Reversal: on a path that *loosens* the deepest direction (the alliance), hesitating keeps
    more depth when the crisis comes."""
    loosening = Strategy(patron=DomainShift(security=-0.3))
    m = run({f"v{s}": loosening.model_copy(update={"speed": s}) for s in SPEEDS}, n_paths=N)
    assert_steps([m[f"v{s}"]["depth"] for s in SPEEDS], +1, "depth vs speed (loosening path)", SPEEDS)


# ---------------------------------------------------------------------------------------------
# 6. Routed investment: effective exposure exceeds direct exposure, and it changes outcomes.
# ---------------------------------------------------------------------------------------------

ROUTED = [0.0, 0.026, 0.06, 0.12]


def test_routed_exposure_makes_effective_exceed_direct_and_raises_coercion_losses():
    from hedgelab.model import draw_shocks
    from hedgelab.scenarios.compile import compile_policies

    from .helpers import outcomes

    scenario = load_scenario("japan-2026")
    params = compile_params(scenario)
    policy = compile_policies({"dual_hedge": PRESETS["dual_hedge"]}, params)
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    def record(t, state, quarter):
        seen.append((quarter.mechanisms.effective_exposure.copy(), state.focal.exposure[..., params.challenger].copy()))

    outcomes(params, policy, draw_shocks(0, 0, 256, 20, np.float64), dtype=np.float64, record=record)
    for effective, direct in seen:
        assert np.all(effective > direct)

    dual = {"dual_hedge": PRESETS["dual_hedge"]}
    runs = [run(dual, [f"partners.CHN.routed_exposure={r}"], n_paths=N)["dual_hedge"] for r in ROUTED]
    assert_steps([m["effective_exposure"] for m in runs], +1, "effective exposure vs routed", ROUTED)
    assert_steps([m["prosperity_coercion"] for m in runs], -1, "coercion losses vs routed", ROUTED)


@pytest.fixture
def shielded_scenario(tmp_path: Path) -> Path:
    """No convergence and a challenger that tolerates compartments whatever its assertiveness
    (so compartments shield fully), and no technology leverage."""
    path = tmp_path / "shielded.toml"
    path.write_text(
        'base = "japan-2026"\nname = "shielded"\n'
        "[environment.convergence]\nvalue = 0.0\nrange = [0.0, 1.0]\n"
        "[environment.convergence_speed]\nvalue = 0.0\n"
        "[environment.convergence_volatility]\nvalue = 0.0\n"
        "[events.tech_leverage]\nvalue = 0.0\n"
        "[events.tolerance_sensitivity]\nvalue = 0.0\n",
        encoding="utf-8",
    )
    return path


def test_routed_exposure_twin_fully_compartmentalised(shielded_scenario: Path):
    """Reversal: with full compartmentalisation and no convergence the routed exposure still
    shows in effective exposure, but no longer changes coercion losses: it acts through
    unshielded leverage, not as a label."""
    walled = {"walled": PRESETS["dual_hedge"].model_copy(update={"compartmentalisation": 1.0})}
    runs = [run(walled, [f"partners.CHN.routed_exposure={r}"], scenario=shielded_scenario, n_paths=N)["walled"] for r in ROUTED]
    assert_steps([m["effective_exposure"] for m in runs], +1, "effective exposure vs routed (walled)", ROUTED)
    for m in runs[1:]:
        np.testing.assert_allclose(m["prosperity_coercion"], runs[0]["prosperity_coercion"], rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# 7. An Australia-like focal state (more dependence on China, tighter US alignment) draws more
#    coercion.
# ---------------------------------------------------------------------------------------------

AUSTRALIA_LIKE = [(0.24, 0.85), (0.30, 0.90), (0.36, 0.95)]  # (CHN exposure, USA security alignment)


def _australia_overrides(exposure: float, alignment: float) -> list[str]:
    return [f"partners.CHN.exposure={exposure}", f"partners.USA.alignment.security={alignment}"]


def test_australia_like_state_has_higher_coercion_hazard():
    """The base-year coercion intensity (hazard = coercion_rate x this / the reference's)."""
    hazards = [
        reference_intensity(compile_params(load_scenario("japan-2026", _australia_overrides(e, a))))["coercion"]
        for e, a in AUSTRALIA_LIKE
    ]
    assert hazards[0] < hazards[1] < hazards[2], hazards
    # a visible difference, not a rounding one: at least 5% more hazard per step
    assert hazards[1] / hazards[0] > 1.05 and hazards[2] / hazards[1] > 1.05, hazards


def test_australia_like_state_draws_more_coercion():
    runs = [run({"status_quo": Strategy()}, _australia_overrides(e, a), n_paths=4000, years=5)["status_quo"]
            for e, a in AUSTRALIA_LIKE]
    assert_steps([m["coercion"] for m in runs], +1, "p_coercion vs Australia-likeness", AUSTRALIA_LIKE)
    assert_steps([m["prosperity_coercion"] for m in runs], -1, "coercion losses vs Australia-likeness", AUSTRALIA_LIKE)


def test_australia_like_twin_de_risking_reverses_it():
    """Reversal: tighten the US alignment the same way but *cut* dependence on China: the focal
    state draws less coercion, so dependence (leverage) is what drives it."""
    levels = [(0.24, 0.85), (0.12, 0.90), (0.05, 0.95)]
    runs = [run({"status_quo": Strategy()}, _australia_overrides(e, a), n_paths=4000, years=5)["status_quo"]
            for e, a in levels]
    assert_steps([m["coercion"] for m in runs], -1, "p_coercion vs de-risking", levels)


# ---------------------------------------------------------------------------------------------
# Dynamics that history can test (issue 11): economic drift and threat response.
# Each direction test has a twin that reverses it, and the effect must be material: beyond Z
# standard errors *and* at least 10% of the metric's spread across the nine presets.
# ---------------------------------------------------------------------------------------------

MATERIAL = 0.10  # share of the presets' spread an effect must reach


def _preset_spread(metric: str, overrides: tuple[str, ...] = ()) -> float:
    """Max - min over the nine presets of the metric's mean (japan-2026, same seed)."""
    m = run(PRESETS, list(overrides), n_paths=500)
    means = [float(np.mean(m[name][metric])) for name in PRESETS]
    return max(means) - min(means)


def _assert_material(values: list[np.ndarray], spread: float, label: str) -> None:
    effect = abs(float(np.mean(values[-1]) - np.mean(values[0])))
    assert effect >= MATERIAL * spread, f"{label}: effect {effect:.5f} < {MATERIAL:.0%} of the presets' spread {spread:.5f}"


CHINA_FASTER = [0.0, 0.035, 0.07]  # partners.CHN.growth, log share of world GDP per year
CHINA_SLOWER = [0.0, -0.035, -0.07]  # mirror image; below the estimate's range (-0.012), so run on the core


def _exposure_under_status_quo(growths: list[float]) -> list[np.ndarray]:
    return [run({"status_quo": Strategy()}, [f"partners.CHN.growth={g}"], n_paths=N)["status_quo"]["effective_exposure"]
            for g in growths]


@pytest.mark.slow
def test_exposure_to_china_rises_when_china_outgrows_the_world():
    values = _exposure_under_status_quo(CHINA_FASTER)
    assert_steps(values, +1, "effective exposure vs China's growth", CHINA_FASTER)
    _assert_material(values, _preset_spread("effective_exposure"), "China faster")


def _core_status_quo(metric: str, path: str, values: list[float], extra: tuple[str, ...] = ()) -> list[np.ndarray]:
    """The status quo on the core with ``path`` set to each value (no range check: the twins go
    beyond the estimate's plausible range, where a scenario override would be refused)."""
    from hedgelab.model import draw_shocks
    from hedgelab.scenarios.compile import compile_policies

    params = compile_params(load_scenario("japan-2026", list(extra)))
    policy = compile_policies({"status_quo": Strategy()}, params)
    shocks = draw_shocks(0, 0, N, 40, np.float64)
    reference = reference_intensity(compile_params(load_scenario("japan-2026")))
    out = []
    for v in values:
        sampled = params.with_samples({path: np.full(N, v)})
        out.append(outcomes(sampled, policy, shocks, reference=reference)[metric][0])
    return out


@pytest.mark.slow
def test_exposure_to_china_falls_when_china_grows_slower_than_the_world():
    values = _core_status_quo("effective_exposure", "partners.CHN.growth", CHINA_SLOWER)
    assert_steps(values, -1, "effective exposure vs China's slower growth", CHINA_SLOWER)
    _assert_material(values, _preset_spread("effective_exposure"), "China slower")


# threat_response at the top of its estimated range (0.26): the point estimate (0.043, SE 0.11)
# is not distinguishable from 0, so the test checks the mechanism where the data allow it to act.
RESPONSIVE = ("focal_state.threat_response=0.26",)
CAPACITY_UP = [0.0, 0.04, 0.088]  # threat.challenger_capacity_growth, per year
CAPACITY_DOWN = [0.0, -0.04, -0.088]  # mirror image, below the range: run on the core


def _own_protection(growths: list[float]) -> list[np.ndarray]:
    return [run({"status_quo": Strategy()}, [*RESPONSIVE, f"threat.challenger_capacity_growth={g}"], n_paths=N)
            ["status_quo"]["own_protection"] for g in growths]


@pytest.mark.slow
def test_spending_rises_when_the_challengers_capability_grows():
    """Own protection (capability bought by spending) rises with the challenger's capacity growth."""
    values = _own_protection(CAPACITY_UP)
    assert_steps(values, +1, "own protection vs challenger capacity growth", CAPACITY_UP)
    _assert_material(values, _preset_spread("own_protection", RESPONSIVE), "capacity up")


@pytest.mark.slow
def test_spending_falls_when_the_challengers_capability_shrinks():
    values = _core_status_quo("own_protection", "threat.challenger_capacity_growth", CAPACITY_DOWN, RESPONSIVE)
    assert_steps(values, -1, "own protection vs challenger capacity decline", CAPACITY_DOWN)
    _assert_material(values, _preset_spread("own_protection", RESPONSIVE), "capacity down")


# ---------------------------------------------------------------------------------------------
# Issue 12: seed claims by mechanism, each with a twin and a material effect (beyond Z standard
# errors and at least MATERIAL of the metric's spread across the nine presets).
# ---------------------------------------------------------------------------------------------


def _material(diff: np.ndarray, spread: float, label: str) -> None:
    zeros = np.zeros_like(diff)
    assert abs(z(diff, zeros)) > Z, f"{label}: {fmt(diff, zeros)}"
    assert abs(float(diff.mean())) >= MATERIAL * spread, (
        f"{label}: effect {float(diff.mean()):+.5f} < {MATERIAL:.0%} of the presets' spread {spread:.5f}")


def _tilt(x: float) -> Strategy:
    """Move x of alignment toward the challenger (security, economy, technology), x away from the patron."""
    return Strategy(patron=DomainShift(security=-x), challenger=DomainShift(security=x, economy=x, technology=x))


def _mirror(x: float) -> Strategy:
    """The same moves the other way: toward the patron, away from the challenger."""
    return Strategy(patron=DomainShift(security=x), challenger=DomainShift(security=-x, economy=-x, technology=-x))


TILTS = [0.0, 0.15, 0.3]


def test_tilt_toward_china_costs_domestic_support():
    """Japan's public distrusts China and favours the US (Cabinet Office affinity, Genron NPO):
    each step of a tilt toward the challenger lowers support, materially."""
    m = run({f"t{x}": _tilt(x) for x in TILTS}, n_paths=N)
    values = [m[f"t{x}"]["support"] for x in TILTS]
    assert_steps(values, -1, "support vs tilt toward the challenger", TILTS)
    _material(values[-1] - values[0], _preset_spread("support"), "tilt 0.3 vs none")


@pytest.fixture
def china_friendly_public(tmp_path: Path) -> Path:
    """japan-2026 with the public's preferences toward the patron and the challenger swapped."""
    lines = ['base = "japan-2026"', 'name = "china-friendly-public"']
    for code, value in (("CHN", 0.75), ("USA", -0.75)):
        for domain in ("security", "economy", "technology", "energy"):
            lines += [f"[partners.{code}.public_preference.{domain}]", f"value = {value}", "range = [-1.0, 1.0]"]
    path = tmp_path / "china-friendly.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_tilt_support_twin_reverses_with_a_china_friendly_public(china_friendly_public: Path):
    """Reversal: the tilt costs support against its mirror image (toward the US, away from China)
    under japan-2026's public, and gains against it under a public with the preferences swapped:
    the cost comes from the preferences, not from the direction as such."""
    strategies = {"tilt": _tilt(0.3), "mirror": _mirror(0.3)}
    spread = _preset_spread("support")
    base = run(strategies, n_paths=N)
    swapped = run(strategies, scenario=china_friendly_public, n_paths=N)
    edge, edge_swapped = (r["tilt"]["support"] - r["mirror"]["support"] for r in (base, swapped))
    assert edge.mean() < 0 < edge_swapped.mean(), (fmt(edge, 0 * edge), fmt(edge_swapped, 0 * edge))
    _material(edge, spread, "tilt - mirror (japan-2026 public)")
    _material(edge_swapped, spread, "tilt - mirror (swapped public)")


REGIMES = ["committed", "transactional", "retrenching"]


def _autonomy_by_regime(extra: tuple[str, ...] = ()) -> list[np.ndarray]:
    return [run({"dual": PRESETS["dual_hedge"]}, [f'environment.us_regime_initial="{g}"', *extra], n_paths=N)
            ["dual"]["autonomy"] for g in REGIMES]


def test_patron_offer_worsens_when_the_us_retrenches():
    """A less reliable patron needs the alliance less, so its disagreement value rises and the
    focal state's Nash share falls: each step committed -> transactional -> retrenching, materially."""
    values = _autonomy_by_regime()
    assert_steps(values, -1, "autonomy vs US regime at the start", REGIMES)
    _material(values[-1] - values[0], _preset_spread("autonomy"), "retrenching vs committed")


@pytest.mark.slow
def test_patron_offer_twin_static_bargain_without_the_regime_term():
    """Twin: with the regime term off (bargaining.patron_option_unreliability = 0, hedgelab v1's
    static bargain) the regime moves autonomy by less than 1% of the presets' spread."""
    values = _autonomy_by_regime(("bargaining.patron_option_unreliability=0.0",))
    effect = abs(float(np.mean(values[-1] - values[0])))
    assert effect < 0.01 * _preset_spread("autonomy"), effect


ASSERTIVE = [0.6, 1.15, 1.8]


def _autonomy_by_threat(extra: tuple[str, ...] = ()) -> list[np.ndarray]:
    return [run({"dual": PRESETS["dual_hedge"]},
                [f"environment.assertiveness={a}", f"environment.assertiveness_mean={a}", *extra], n_paths=N)
            ["dual"]["autonomy"] for a in ASSERTIVE]


def test_autonomy_varies_across_paths_and_rises_with_the_challengers_threat():
    """A more assertive challenger makes the focal state worth more to the patron: autonomy rises
    with assertiveness, and it varies across paths (regime and threat), unlike v1's constant."""
    values = _autonomy_by_threat()
    assert_steps(values, +1, "autonomy vs assertiveness", ASSERTIVE)
    _material(values[-1] - values[0], _preset_spread("autonomy"), "assertiveness 1.8 vs 0.6")
    assert float(np.std(values[1])) > 0.01, "autonomy should vary across paths"


@pytest.mark.slow
def test_autonomy_threat_twin_vanishes_without_the_threat_term():
    values = _autonomy_by_threat(("bargaining.patron_option_threat=0.0",))
    effect = abs(float(np.mean(values[-1] - values[0])))
    assert effect < 0.01 * _preset_spread("autonomy"), effect


PACES = [1.0, 0.5, 0.25]
BUILD_UP = PRESETS["autonomy"]  # own build-up and own partnerships: moves that deepen what stands without the US


def test_incremental_pacing_leaves_less_security_without_the_us_at_the_first_crisis():
    """The same moves (own build-up, partner ties) made at a quarter of the feasible pace leave
    materially less security without the US when the first crisis comes than made early."""
    m = run({f"v{s}": BUILD_UP.model_copy(update={"speed": s}) for s in PACES}, n_paths=N)
    values = [m[f"v{s}"]["security_without_us_at_crisis"] for s in PACES]
    assert_steps(values, -1, "security without the US at the first crisis vs pace", PACES)
    _material(values[-1] - values[0], _preset_spread("security_without_us_at_crisis"), "pace 0.25 vs 1")


@pytest.mark.slow
def test_incremental_pacing_twin_keeps_more_on_a_path_that_leans_on_the_us():
    """Reversal: on a path that leans harder on the US (deeper patron security alignment, so more
    US-supplied capability, and less own spending), hesitating keeps more security without the US."""
    leaning = Strategy(patron=DomainShift(security=0.15), secondary=DomainShift(security=-0.4), defence_shift=-0.6)
    m = run({f"v{s}": leaning.model_copy(update={"speed": s}) for s in PACES}, n_paths=N)
    values = [m[f"v{s}"]["security_without_us_at_crisis"] for s in PACES]
    assert_steps(values, +1, "security without the US at the first crisis vs pace (leaning)", PACES)
    _material(values[-1] - values[0], _preset_spread("security_without_us_at_crisis"), "leaning, pace 0.25 vs 1")


SECONDARY = ("AUS", "IND", "KOR", "PHL", "EU", "ASEAN", "RUS", "CAN")
REACH_ENDS = [0, 1]  # bottom, top of each secondary partner's plausible reach range


def _reach_overrides(end: int) -> list[str]:
    """Every secondary partner's reach at one end of its plausible range (0 bottom, 1 top), the
    patron's at the other: with ``end`` 1 the most favourable case for partners the ranges allow."""
    scenario = load_scenario("japan-2026")
    out = [f"partners.{c}.reach={scenario.partners[c].reach.range[end]}" for c in SECONDARY]
    return out + [f"partners.USA.reach={scenario.partners['USA'].reach.range[1 - end]}"]


def _multi_vs_anchor(overrides=(), scenario="japan-2026", metric="security_without_us") -> np.ndarray:
    """Per path: the multi-hedge's security without the US (``metric``: over the horizon, or at
    the first crisis) minus the anchor's security."""
    m = run({"multi": PRESETS["multi_hedge"], "anchor": PRESETS["anchor"]}, list(overrides), scenario=scenario, n_paths=N)
    return m["multi"][metric] - m["anchor"]["security"]


def _reach_spread() -> float:
    """The larger of the presets' spreads of the two metrics compared (the stricter threshold)."""
    return max(_preset_spread("security_without_us"), _preset_spread("security"))


@pytest.mark.parametrize("end", REACH_ENDS, ids=["partners-low", "partners-high"])
def test_multi_hedge_security_without_us_below_anchor_security_across_reach(end):
    """Across the plausible range of partner reach (every secondary's ``reach`` at the bottom,
    then at the top of its range, the patron's at the other end), the multi-hedge's security
    without the US stays materially below the anchor's security: partners are a supplement, not
    a substitute (Double Trouble, 2021; Anchored, 2017; Strategic autonomy 2026)."""
    for metric in ("security_without_us", "security_without_us_at_crisis"):
        diff = _multi_vs_anchor(_reach_overrides(end), metric=metric)
        assert z(diff, np.zeros_like(diff)) < -Z, f"{metric}: {fmt(diff, np.zeros_like(diff))}"
        _material(diff, _reach_spread(), f"multi {metric} - anchor security, reach end {end}")


def test_reach_moves_partner_capacity_and_the_multi_hedge():
    """Reach is a live parameter: the top of the reach ranges raises the multi-hedge's security
    without the US over the bottom (so exploring reach explores the conclusion)."""
    low, high = (_multi_vs_anchor(_reach_overrides(end)) for end in REACH_ENDS)
    assert z(high, low) > Z, fmt(high, low)


@pytest.fixture
def substitute_partners(tmp_path: Path) -> Path:
    """japan-2026 with implausible reach: every secondary partner brings all of its military
    expenditure to bear on Japan (reach 1, Russia included) and the US only 0.3 of its own."""
    lines = ['base = "japan-2026"', 'name = "substitute-partners"']
    for code in SECONDARY:
        lines += [f"[partners.{code}.reach]", "value = 1.0", "range = [0.0, 1.0]",
                  'source = "test: implausible reach, every partner fully committed to Japan"']
    lines += ["[partners.USA.reach]", "value = 0.3", "range = [0.0, 1.0]", 'source = "test"']
    path = tmp_path / "substitute-partners.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_multi_hedge_twin_partners_substitute_at_implausible_reach(substitute_partners: Path):
    """Twin: when every secondary partner's whole military expenditure could bear on Japan (reach
    1, far above any plausible range) and the patron's reach is 0.3, the multi-hedge's security
    without the US rises materially above the anchor's security: the conclusion rests on reach."""
    diff = _multi_vs_anchor(scenario=substitute_partners)
    assert z(diff, np.zeros_like(diff)) > Z, fmt(diff, np.zeros_like(diff))
    _material(diff, _reach_spread(), "multi without US - anchor, implausible reach")
