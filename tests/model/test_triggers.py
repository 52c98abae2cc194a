"""Political triggers in the coercion hazard (issue 11, item 4): properties checked against
counts made here, not against the model's own formula."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hedgelab.model import draw_shocks
from hedgelab.model.step import trigger_multiplier
from hedgelab.scenarios import load_scenario
from hedgelab.scenarios.compile import compile_params, compile_policies
from tests.model.helpers import PRESETS, outcomes

N_PATHS = 4096
N_QUARTERS = 40


def _run(values, strategy="dual_hedge", n_paths=N_PATHS, record=None):
    """Outcomes with ``values`` ({dotted path: value}, also outside the scenario's plausible range)."""
    params = compile_params(load_scenario("japan-2026"))
    params = params.with_samples({k: np.full(n_paths, v) for k, v in values.items()})
    policy = compile_policies({strategy: PRESETS[strategy]}, params)
    shocks = draw_shocks(0, 0, n_paths, N_QUARTERS, np.float64)
    return outcomes(params, policy, shocks, record=record), params


@pytest.mark.parametrize("window", [2.0, 1.1, 2.6, 0.3])
def test_the_trigger_factor_averages_one_for_any_window(window):
    """Over paths and quarters the factor's mean is 1 (within 4 standard errors of per-path means,
    and 2%), whether or not the window is a whole number of quarters; the share of path-quarters
    with a recent trigger is ``1 - exp(-rate · ceil(4·window) / 4)``."""
    rate, effect = 0.5, 12.0
    environments = []
    _, params = _run({"events.trigger_effect": effect, "events.trigger_rate": rate, "events.trigger_window": window},
                     record=lambda t, state, quarter: environments.append(state.environment))
    factors = [trigger_multiplier(params, env) for env in environments]
    recent = [env.since_trigger < window for env in environments]
    per_path = np.mean(factors, axis=0)
    se = per_path.std(ddof=1) / math.sqrt(len(per_path))
    assert abs(per_path.mean() - 1) < max(4 * se, 1e-9) and abs(per_path.mean() - 1) < 0.02, (per_path.mean(), se)
    share = 1 - math.exp(-rate * math.ceil(4 * window) / 4)
    share_se = math.sqrt(share * (1 - share) / N_PATHS)
    assert abs(np.mean(recent) - share) < 4 * share_se, (np.mean(recent), share)


class _Tally:
    """Coercion episodes and path-quarters, split by whether a trigger is recent (counted here
    from the state's trigger clock and the events)."""

    def __init__(self, window: float):
        self.window = window
        self.events = {True: 0, False: 0}
        self.quarters = {True: 0, False: 0}
        self.recent_share: list[float] = []

    def __call__(self, t, state, quarter):
        recent = state.environment.since_trigger < self.window
        self.recent_share.append(float(recent.mean()))
        coerced = quarter.events["coercion"][0]
        for flag in (True, False):
            self.events[flag] += int(coerced[recent == flag].sum())
            self.quarters[flag] += int((recent == flag).sum())


def test_no_trigger_effect_makes_triggers_irrelevant_bit_for_bit():
    """With an effect of 1 the trigger rate and window change nothing at all."""
    a, _ = _run({"events.trigger_effect": 1, "events.trigger_rate": 0.1, "events.trigger_window": 1}, n_paths=512)
    b, _ = _run({"events.trigger_effect": 1, "events.trigger_rate": 2.0, "events.trigger_window": 3}, n_paths=512)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


@pytest.mark.slow
def test_trigger_clock_is_stationary_and_episodes_cluster_after_triggers():
    """The share of paths with a recent trigger is ``1 - exp(-rate × window)`` from the base year
    on; episodes are ``trigger_effect`` times as frequent after a trigger (up to the convexity of
    ``1 - exp(-h/4)``); the mean episode rate is the scenario's, whatever the effect."""
    effect, rate, window = 12.0, 0.5, 2.0
    tally = _Tally(window)
    clustered, _ = _run({"events.trigger_effect": effect, "events.trigger_rate": rate, "events.trigger_window": window}, record=tally)
    share = 1 - math.exp(-rate * window)
    se = math.sqrt(share * (1 - share) / N_PATHS)
    assert abs(tally.recent_share[0] - share) < 4 * se, (tally.recent_share[0], share)
    assert abs(np.mean(tally.recent_share) - share) < 4 * se, (np.mean(tally.recent_share), share)

    rate_recent = tally.events[True] / tally.quarters[True]
    rate_quiet = tally.events[False] / tally.quarters[False]
    ratio = rate_recent / rate_quiet
    # log-ratio SE from the Poisson counts
    log_se = math.sqrt(1 / tally.events[True] + 1 / tally.events[False])
    assert 0.85 * effect * math.exp(-3 * log_se) < ratio < effect * math.exp(3 * log_se), (ratio, tally.events)

    plain, _ = _run({"events.trigger_effect": 1, "events.trigger_rate": rate, "events.trigger_window": window})
    mean_clustered = clustered["coercion_per_year"].mean()
    mean_plain = plain["coercion_per_year"].mean()
    # normalising by the stationary mean keeps the rate up to the convexity of 1 - exp(-h/4) (about
    # 2% lower here); without it the rate would be 1 + 11·(1 - e^-1) = 7.95 times higher
    assert abs(mean_clustered / mean_plain - 1) < 0.06, (mean_clustered, mean_plain)


def test_zero_trigger_rate_never_makes_a_trigger_recent():
    """At a zero rate the clock starts at infinity and the hazard is the base hazard."""
    tally = _Tally(2.0)
    a, _ = _run({"events.trigger_rate": 0, "events.trigger_effect": 20}, n_paths=256, record=tally)
    b, _ = _run({"events.trigger_rate": 0, "events.trigger_effect": 1}, n_paths=256)
    assert tally.quarters[True] == 0
    np.testing.assert_array_equal(a["coercion_per_year"], b["coercion_per_year"])
