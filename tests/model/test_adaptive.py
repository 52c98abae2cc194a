"""Threat-aware and adaptive strategies (issue 14, item 1): properties of the policy family."""

from __future__ import annotations

import numpy as np
import pytest

from hedgelab.model import draw_shocks
from hedgelab.scenarios import load_scenario
from hedgelab.scenarios.compile import compile_params, compile_policies
from hedgelab.scenarios.schema import Switch
from hedgelab.errors import HedgelabError

from .helpers import PRESETS, outcomes, z

N_PATHS = 1024
N_QUARTERS = 40


def _outcomes(strategies, values=None, record=None, n_paths=N_PATHS):
    params = compile_params(load_scenario("japan-2026"))
    if values:
        params = params.with_samples({k: np.full(n_paths, v) for k, v in values.items()})
    policy = compile_policies(strategies, params, PRESETS)
    return outcomes(params, policy, draw_shocks(3, 0, n_paths, N_QUARTERS, np.float64), record=record), policy


def _with_switch(base: str, **switch) -> object:
    return PRESETS[base].model_copy(update={"switch": Switch(**switch)})


def test_a_signpost_never_crossed_leaves_the_base_strategy_bit_for_bit():
    """The same base strategy with a threshold no path reaches, run beside a strategy that does
    switch (so the adaptive code path runs), equals the base strategy run alone."""
    never = _with_switch("dual_hedge", to="autonomy", signal="assertiveness", threshold=10.0, quarters=1, cost=1.0)
    often = _with_switch("dual_hedge", to="autonomy", signal="assertiveness", threshold=0.0, quarters=1, cost=1.0)
    mixed, policy = _outcomes({"never": never, "often": often}, n_paths=256)
    alone, plain = _outcomes({"dual_hedge": PRESETS["dual_hedge"]}, n_paths=256)
    assert policy.adaptive and not plain.adaptive
    assert mixed["switched"][1].all() and not mixed["switched"][0].any()
    for name, values in alone.items():
        np.testing.assert_array_equal(mixed[name][0], values[0], err_msg=name)


def test_the_switch_fires_when_the_signal_has_stayed_above_the_threshold_long_enough():
    """The quarter of the switch, recomputed here from the recorded assertiveness path: the first
    quarter closing a run of ``quarters`` consecutive quarters above the threshold."""
    threshold, quarters = 1.25, 3
    adaptive = _with_switch("dual_hedge", to="autonomy", signal="assertiveness", threshold=threshold,
                            quarters=quarters, cost=0.5)
    seen = []
    result, _ = _outcomes({"adaptive": adaptive}, record=lambda t, state, q: seen.append(state.environment.assertiveness.copy()))
    path = np.array(seen)  # [T, P]
    expected = np.full(path.shape[1], np.nan)
    for p in range(path.shape[1]):
        run = 0
        for t in range(path.shape[0]):
            run = run + 1 if path[t, p] > threshold else 0
            if run >= quarters:
                expected[p] = (t + 1) / 4
                break
    got = result["first_switched"][0]
    assert 0.1 < np.isfinite(expected).mean() < 0.9  # the case exercises both
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_allclose(got[np.isfinite(got)], expected[np.isfinite(expected)])


def test_after_a_switch_the_strategy_behaves_like_its_fallback():
    """Switching at once (threshold 0, one quarter) to autonomy at no cost reproduces autonomy."""
    at_once = _with_switch("dual_hedge", to="autonomy", signal="assertiveness", threshold=0.0, quarters=1, cost=0.0)
    result, _ = _outcomes({"at_once": at_once, "autonomy": PRESETS["autonomy"]}, n_paths=256)
    for name in ("security", "prosperity", "autonomy", "depth", "coercion_per_year"):
        np.testing.assert_allclose(result[name][0], result[name][1], rtol=1e-12, atol=1e-12, err_msg=name)


def test_a_switch_cost_is_charged_once():
    """Prosperity falls by exactly cost / years on the paths that switched (the rest unchanged)."""
    free = _with_switch("dual_hedge", to="autonomy", signal="assertiveness", threshold=1.25, quarters=2, cost=0.0)
    costly = _with_switch("dual_hedge", to="autonomy", signal="assertiveness", threshold=1.25, quarters=2, cost=0.8)
    result, _ = _outcomes({"free": free, "costly": costly}, n_paths=256)
    switched = result["switched"][0].astype(bool)
    gap = result["prosperity"][0] - result["prosperity"][1]
    np.testing.assert_allclose(gap[switched], 0.8 / (N_QUARTERS / 4), rtol=1e-9)
    np.testing.assert_allclose(gap[~switched], 0.0, atol=1e-12)


@pytest.mark.parametrize("mean, sign", [(1.8, +1), (0.7, -1)])
def test_threat_response_raises_spending_when_the_threat_rises_and_lowers_it_when_it_falls(mean, sign):
    """Twins: with assertiveness drifting above its base level the vigilant hedge spends more than
    the dual hedge it extends; drifting below, less. Material: at least 3 standard errors."""
    result, _ = _outcomes({"dual_hedge": PRESETS["dual_hedge"], "vigilant_hedge": PRESETS["vigilant_hedge"]},
                          values={"environment.assertiveness_mean": mean})
    gap = z(-result["prosperity_defence"][1], -result["prosperity_defence"][0])  # defence cost, % of GDP
    assert sign * gap > 3, gap


def test_a_switch_to_an_unknown_or_switching_strategy_is_refused():
    params = compile_params(load_scenario("japan-2026"))
    bad = _with_switch("dual_hedge", to="nowhere", signal="tension", threshold=1.0, quarters=1, cost=0.0)
    with pytest.raises(HedgelabError, match="strategies.bad.switch: to"):
        compile_policies({"bad": bad}, params, PRESETS)
    chained = _with_switch("dual_hedge", to="adaptive_dual_hedge", signal="tension", threshold=1.0, quarters=1, cost=0.0)
    with pytest.raises(HedgelabError, match="does not switch itself"):
        compile_policies({"chained": chained}, params, PRESETS)


@pytest.mark.parametrize("base_name, exercised", [
    ("multi_hedge", ("toward", "challenger")),  # shifts toward the secondary partners too
    ("dual_hedge", ("toward", "not toward", "challenger")),  # shifts toward the patron only
])
def test_threat_levers_move_targets_by_lever_times_signal(base_name, exercised):
    """Magnitudes, recomputed here: for an environment moved away from the base year, the spending
    target rises by ``defence_on_threat · θ``, security targets with the patron and with partners the
    strategy shifts toward by ``security_on_threat · θ`` (others not at all) and the challenger's
    economy and technology targets fall by ``derisk_on_threat · θ``, with
    ``θ = w_a Δassertiveness + w_c Δconvergence + w_t Δtension``."""
    from dataclasses import replace

    from hedgelab.model.environment import initial_environment
    from hedgelab.model.loop import initial_focal
    from hedgelab.model.policy import policy_targets
    from hedgelab.model.state import DOMAINS

    params = compile_params(load_scenario("japan-2026"))
    base = PRESETS[base_name]
    levers = {"defence_on_threat": 0.7, "security_on_threat": 0.05, "derisk_on_threat": 0.04}
    weights = {"assertiveness": 0.9, "convergence": 0.4, "tension": 0.3}
    threat_aware = base.model_copy(update={**levers, "threat": base.threat.model_copy(update=weights)})
    policy = compile_policies({"plain": base, "aware": threat_aware}, params, PRESETS)
    env0 = initial_environment(params, np.zeros(3), np.float64)
    moves = {"assertiveness": np.array([0.3, -0.2, 0.0]), "convergence": np.array([0.1, 0.05, 0.0]),
             "tension": np.array([0.2, -0.1, 0.0])}
    env = replace(env0, **{k: getattr(env0, k) + v for k, v in moves.items()})
    theta = sum(weights[k] * moves[k] for k in weights)
    focal = initial_focal(params, 2, 3, np.float64)
    alignment, spending = policy_targets(policy, params, env, np.full(3, 0.9), focal)
    np.testing.assert_allclose(spending[1] - spending[0], levers["defence_on_threat"] * theta, atol=1e-12)
    sec, eco, tec = (DOMAINS.index(d) for d in ("security", "economy", "technology"))
    gap = alignment[1] - alignment[0]  # [P, K, D]
    checked = {"toward": 0, "not toward": 0, "challenger": 0}  # the guards below must not skip everything
    for k, (code, role) in enumerate(zip(params.partner_codes, params.roles)):
        toward = role == "patron" or (role == "secondary" and (base.partners.get(code, base.secondary).security > 0))
        unclipped = (alignment[:, :, k, sec] > 0).all() and (alignment[:, :, k, sec] < 1).all()
        if unclipped:
            want = levers["security_on_threat"] * theta if toward else 0 * theta
            np.testing.assert_allclose(gap[:, k, sec], want, atol=1e-12, err_msg=code)
            checked["toward" if toward else "not toward"] += role != "challenger"
    c = params.challenger
    for d in (eco, tec):
        if ((alignment[:, :, c, d] > 0) & (alignment[:, :, c, d] < 1)).all():
            np.testing.assert_allclose(gap[:, c, d], -levers["derisk_on_threat"] * theta, atol=1e-12)
            checked["challenger"] += 1
    assert all(checked[kind] > 0 for kind in exercised), checked


def test_a_strategy_follows_its_base_until_the_switch_and_its_fallback_after():
    """Quarter by quarter on paths that switch mid-horizon: the posture (total alignment) equals the
    base strategy's up to the quarter before the switch, bit for bit, and departs from it in the
    switch quarter."""
    adaptive = _with_switch("dual_hedge", to="autonomy", signal="assertiveness", threshold=1.25, quarters=3, cost=0.0)
    posture = []
    result, _ = _outcomes({"adaptive": adaptive, "dual_hedge": PRESETS["dual_hedge"], "autonomy": PRESETS["autonomy"]},
                          n_paths=256, record=lambda t, state, q: posture.append(state.focal.alignment.sum((-2, -1))))
    series = np.array(posture)  # [T, S, P]
    first = result["first_switched"][0]
    mid = np.flatnonzero(np.isfinite(first) & (first > 1.0) & (first < 8.0))
    assert len(mid) > 5
    for p in mid:
        t_switch = int(round(first[p] * 4)) - 1
        np.testing.assert_array_equal(series[:t_switch, 0, p], series[:t_switch, 1, p])
        # from the switch quarter on, autonomy's levers are in force: the paths part there
        assert series[t_switch, 0, p] != series[t_switch, 1, p]
