"""The vectorised core's quarterly update equals the per-path reference on the same shocks.

``tests/reference/reference_model.py`` re-writes the model for one path of one strategy with
plain floats and loops, without importing anything from :mod:`hedgelab`. Here the core's
:func:`hedgelab.model.step.step` is run for several quarters on several paths and strategies
(float64) and, quarter by quarter, the reference is fed the core's state of the previous quarter
and must reproduce the core's next state, policy targets, mechanism values, event intensities,
events and prosperity parts to 1e-12. The reference's own shocks (drawn from the documented
stream specification) must equal the core's draws.

Unlike the reference module, this file uses the core's internals (``hedgelab.model``); the
reducer tests (``test_reducers.py``) use only ``hedgelab.api``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from hedgelab.model import draw_shocks, policy_targets
from hedgelab.model.environment import initial_environment
from hedgelab.model.loop import initial_focal
from hedgelab.model.state import State
from hedgelab.model.step import action_reaction, EVENTS, PROSPERITY_PARTS, baseline, step
from hedgelab.scenarios import Strategy, builtin_strategies, load_scenario
from hedgelab.scenarios.compile import compile_params, compile_policies
from hedgelab.scenarios.schema import DomainShift, Switch, ThreatWeights

from . import reference_model as ref

PRESETS = builtin_strategies()

TOL = 1e-12
N_PATHS = 48
N_QUARTERS = 12

CUSTOM = Strategy(  # exercises every lever, including the reactive ones
    patron=DomainShift(security=0.1, economy=-0.2, technology=0.15, energy=0.05),
    challenger=DomainShift(security=0.05, economy=0.2, technology=-0.1),
    secondary=DomainShift(security=0.3, economy=0.1, energy=0.2),
    partners={"RUS": DomainShift(energy=0.4)},
    defence_shift=1.2, compartmentalisation=0.7, speed=0.6, signal=0.5,
    defence_on_unreliability=1.5, partners_on_unreliability=0.6, derisk_on_coercion=0.8,
    threat=ThreatWeights(assertiveness=1.2, convergence=0.7, tension=0.9),
    defence_on_threat=1.1, security_on_threat=0.4, derisk_on_threat=0.3,
)
ADAPTIVE = PRESETS["dual_hedge"].model_copy(update={  # switches to "custom" on a signpost about half the paths pass
    "switch": Switch(to="custom", signal="assertiveness", threshold=1.15, quarters=2, cost=0.3),
})
STRATEGIES = {name: PRESETS[name] for name in ("dual_hedge", "anchor", "tilt_china", "leverage", "incremental")}
STRATEGIES["custom"] = CUSTOM
STRATEGIES["adaptive"] = ADAPTIVE

STRESSED = [  # more episodes, so that every event kind and its consequences are exercised
    "events.coercion_rate=0.5", "events.abandonment_rate=0.6", "events.entrapment_rate=0.2",
    "events.deal_rate=0.2", "environment.crisis_rate=0.2", "environment.assertiveness_volatility=0.3",
    "environment.convergence_volatility=0.1", "environment.rate_transactional_to_retrenching=0.3",
]
SHAPES = [  # every [responses] shape away from its default (the reference reads them from the scenario)
    "responses.abandonment_commitment_slope=3.0", "responses.abandonment_alternatives_slope=1.5",
    "responses.abandonment_burden_slope=0.5", "responses.abandonment_reliability_floor=0.05",
    "responses.entrapment_commitment_exponent=3.0", "responses.coercion_gain_scale=1.5",
    "responses.coercion_damage_scale=0.7", "responses.coercion_resolve=0.3", "responses.coercion_cost_spread=0.7",
    "responses.coercion_baseline_demand=0.3", "responses.deal_base_intensity=0.2",
    "responses.deal_weakness_slope=1.5", "responses.deal_weight_slope=1.0", "responses.focal_bargaining_power=0.4",
    "responses.provocation_tech_weight=0.5",
]


DYNAMICS = [  # drift and action-reaction at the edges of their ranges, with a cap on exposure that binds
    "partners.CHN.growth=0.075", "partners.USA.growth=-0.014", "partners.ASEAN.growth=0.034",
    "economy.gravity_elasticity=0.93", "economy.gravity_impact=0.47", "economy.exposure_cap=0.8",
    "threat.challenger_capacity_growth=0.088", "focal_state.threat_response=0.26",
    "focal_state.reliability_response=1.9", "environment.rate_committed_to_transactional=0.3",
]


def _shocks_of_path(q_shocks, p: int) -> dict[str, float]:
    """One path's shocks of a quarter as ``{kind: float}`` (the core holds them as a dataclass)."""
    return {k: float(getattr(q_shocks, k)[p]) for k in (*ref.NORMAL_KINDS, *ref.UNIFORM_KINDS, *ref.TRIGGER_KINDS)}


def _path_state(state: State, s: int, p: int) -> ref.PathState:
    env, f = state.environment, state.focal
    return ref.PathState(
        regime=int(env.regime[p]), assertiveness=float(env.assertiveness[p]), weakness=float(env.weakness[p]),
        convergence=float(env.convergence[p]), tension=float(env.tension[p]), north_korea=float(env.north_korea[p]),
        alignment=f.alignment[s, p].tolist(), exposure=f.exposure[s, p].tolist(), routed=f.routed[s, p].tolist(),
        spending=float(f.spending[s, p]), capability=float(f.capability[s, p]), support=float(f.support[s, p]),
        commitment_loss=float(f.commitment_loss[s, p]), coercion_memory=float(f.coercion_memory[s, p]),
        log_weight=env.economic_weight[p].tolist(), log_capacity=float(env.challenger_capability[p]),
        since_trigger=float(env.since_trigger[p]),
        signal_run=float(f.signal_run[s, p]), switched=bool(f.switched[s, p]),
    )


def _close(name: str, got: float, want: float, where: str) -> None:
    assert abs(got - want) <= TOL * max(1.0, abs(want)), f"{where}: {name}: core {want!r} vs reference {got!r}"


def _compare_states(got: ref.PathState, want: ref.PathState, where: str) -> None:
    assert got.regime == want.regime, f"{where}: regime"
    for name, value in ref.as_dict(want).items():
        if name == "regime":
            continue
        if isinstance(value, list):
            flat_w = np.ravel(value)
            flat_g = np.ravel(getattr(got, name))
            for i, (a, b) in enumerate(zip(flat_g, flat_w)):
                _close(f"{name}[{i}]", float(a), float(b), where)
        else:
            _close(name, getattr(got, name), value, where)


@pytest.mark.parametrize(
    "overrides, normalise_at",
    [([], None), (STRESSED, "japan-2026"), (["partners.CHN.routed_exposure=0.1", "environment.convergence=0.8"], "japan-2026"),
     (SHAPES, "japan-2026"), (DYNAMICS, "japan-2026")],
    ids=["japan-2026", "stressed-events", "routed-converged", "response-shapes", "dynamics-cap-binds"],
)
def test_core_step_matches_reference(overrides, normalise_at):
    scenario = load_scenario("japan-2026", overrides)
    params = compile_params(scenario).astype(np.float64)
    policy = compile_policies(STRATEGIES, params).astype(np.float64)
    shocks = draw_shocks(11, 0, N_PATHS, N_QUARTERS, np.float64)

    rp = ref.params_from_scenario(scenario)
    reference = ref.params_from_scenario(load_scenario(normalise_at)) if normalise_at else None
    rbase = ref.baseline(rp, reference)
    pols = [ref.policy_from_strategy(st, rp, STRATEGIES) for st in STRATEGIES.values()]

    dtype = np.float64
    env0 = initial_environment(params, shocks.initial_draw("since_trigger"), dtype)
    base = baseline(params, env0, initial_focal(params, 1, N_PATHS, dtype))
    if reference is not None:
        base = replace(base, intensity={k: np.asarray(v, dtype=dtype) for k, v in rbase.intensity.items()})
    for kind in EVENTS:
        np.testing.assert_allclose(np.ravel(base.intensity[kind]), rbase.intensity[kind], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(np.ravel(base.provocation), rbase.provocation, rtol=TOL, atol=TOL)
    state = State(environment=env0, focal=initial_focal(params, len(STRATEGIES), N_PATHS, dtype))
    for s in range(len(STRATEGIES)):  # the initial state, too
        _compare_states(ref.initial_state(rp, float(shocks.initial[0, 0])), _path_state(state, s, 0), "initial")

    seen = dict.fromkeys((*EVENTS, "crisis", "regime_change", "ceiling_binds", "switch"), 0)
    for t in range(N_QUARTERS):
        q_shocks = shocks.quarter(t)
        new_state, quarter = step(params, policy, base, state, q_shocks)
        levers = policy.in_force(new_state.focal.switched > 0)  # the levers in force this quarter
        targets, wishes = policy_targets(levers, params, new_state.environment, quarter.reliability, state.focal)
        wishes = wishes + action_reaction(params, new_state.environment, quarter.reliability)
        for s, (name, pol) in enumerate(zip(STRATEGIES, pols)):
            for p in range(N_PATHS):
                where = f"t={t} strategy={name} path={p}"
                before = _path_state(state, s, p)
                got, out = ref.step(rp, pol, rbase, before, _shocks_of_path(q_shocks, p))
                _compare_states(got, _path_state(new_state, s, p), where)
                assert out.crisis == bool(quarter.crisis[p]), where
                _close("reliability", out.reliability, float(quarter.reliability[p]), where)
                for k, row in enumerate(out.target):
                    for d, x in enumerate(row):
                        _close(f"target[{k}][{d}]", x, float(targets[s, p, k, d]), where)
                _close("spending_target", out.spending_target, float(np.broadcast_to(wishes, (len(STRATEGIES), N_PATHS))[s, p]), where)
                for field, value in out.mech.items():
                    if hasattr(quarter.mechanisms, field):
                        _close(field, value, float(getattr(quarter.mechanisms, field)[s, p]), where)
                for kind in EVENTS:
                    assert out.events[kind] == bool(quarter.events[kind][s, p]), f"{where}: event {kind}"
                    seen[kind] += out.events[kind]
                for part in PROSPERITY_PARTS:
                    _close(f"prosperity_{part}", out.prosperity[part], float(quarter.prosperity[part][s, p]), where)
                seen["regime_change"] += got.regime != before.regime
                seen["ceiling_binds"] += out.spending_target > out.ceiling
                seen["switch"] += got.switched and not before.switched
            seen["crisis"] += int(quarter.crisis.sum())
        state = new_state
    if overrides is STRESSED:  # the comparison covered every kind of episode and switch
        assert all(v > 0 for v in seen.values()), seen


@pytest.mark.parametrize("seed, first_path, n_paths, n_quarters", [(11, 0, 5, 12), (3, 1024, 1030, 8), (0, 0, 1, 40)])
def test_reference_shocks_match_core_draws(seed, first_path, n_paths, n_quarters):
    """The reference draws its shocks itself; they must be the core's, path by path (also in a
    second block of 1024 paths, and past the first block boundary)."""
    shocks = draw_shocks(seed, first_path, n_paths, n_quarters, np.float64)
    for p in sorted({0, n_paths // 2, n_paths - 1}):
        mine = ref.path_shocks(seed, first_path + p, n_quarters)
        for t in range(n_quarters):
            assert mine[t] == _shocks_of_path(shocks.quarter(t), p), f"path {first_path + p}, quarter {t}"
        assert ref.path_initial_draw(seed, first_path + p) == float(shocks.initial_draw("since_trigger")[p])


def test_reference_reads_the_scenario_files_as_the_loader_does():
    """Parameters and strategies read from the TOML files equal those of the validated objects."""
    scenario = load_scenario("japan-2026")
    assert ref.load_params("japan-2026") == ref.params_from_scenario(scenario)
    rp = ref.load_params("japan-2026")
    for name, strategy in PRESETS.items():
        assert ref.load_policy(name, rp) == ref.policy_from_strategy(strategy, rp), name
