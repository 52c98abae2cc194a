"""The fused kernel against the NumPy core, on the same shocks (issue 15, "Equal results").

Every test run draws random parameter samples over the scenario's ranges and random settings of
the policy family, and compares every variable of every quarter and every built-in recorder's
output (helpers.assert_equal_until_flip). This is how the two sources of the equations are kept
one: a change to the core that the kernel does not follow fails here.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from hedgelab.analysis.prepare import prepare  # noqa: E402
from hedgelab.model import draw_shocks, fast  # noqa: E402
from hedgelab.model.fast import kernel  # noqa: E402
from hedgelab.model.fast.pack import PARAM_DTYPE  # noqa: E402
from hedgelab.model.params import GROUPS  # noqa: E402
from hedgelab.model.recorders import VARIABLES, Recorder  # noqa: E402
from hedgelab.model.series import SERIES  # noqa: E402

from .helpers import (  # noqa: E402
    MAX_FLIP_SHARE, SCENARIO, assert_equal_until_flip, core_and_kernel, every_recorder, random_policy, sampled_case,
)

FLOAT32_TOLERANCE = 2e-5
"""The core computes in float32, the kernel in float64: they differ by float32 rounding. States
agree within about 1e-6; the prosperity parts, differences of nearly equal gains times 100 x
openness, reach about 9e-6 from the core's float32 rounding alone (400 paths x 40 quarters)."""


def test_the_kernels_copies_of_the_cores_constants():
    """The kernel keeps its own copies (numba's cache is keyed on its file): they must be the core's."""
    from hedgelab.games.dilemma import _ENTRAPMENT_FLOOR
    from hedgelab.model import state, step

    assert (kernel.SECURITY, kernel.ECONOMY, kernel.TECHNOLOGY, kernel.ENERGY) == (
        state.SECURITY, state.ECONOMY, state.TECHNOLOGY, state.ENERGY)
    assert kernel.N_DOMAINS == len(state.DOMAINS)
    assert (kernel.QUARTER, kernel.PERCENT, kernel.HALF_VARIANCE, kernel.ENTRAPMENT_FLOOR) == (
        state.QUARTER, step.PERCENT, step.HALF_VARIANCE, _ENTRAPMENT_FLOOR)


def test_the_kernel_computes_every_variable_of_the_core():
    assert set(VARIABLES) | set(SERIES) <= set(kernel.VARIABLES)
    assert len(PARAM_DTYPE.names) == sum(len(dataclasses.fields(cls)) for cls in GROUPS.values())  # unique names


@pytest.mark.parametrize("seed", [1, 2])
def test_random_parameter_samples_every_preset(seed):
    prepared, shocks, _ = sampled_case(seed, n_paths=300, n_quarters=24)
    core, out = core_and_kernel(prepared.params, prepared.policy, shocks, prepared.reference)
    assert_equal_until_flip(core, out)


@pytest.mark.parametrize("seed", [3, 4])
def test_random_strategies_on_random_samples(seed):
    prepared, shocks, rng = sampled_case(seed, n_paths=200, n_quarters=20, share=0.5)
    policy = random_policy(rng, prepared.policy, 5)
    core, out = core_and_kernel(prepared.params, policy, shocks, prepared.reference)
    assert_equal_until_flip(core, out)


def test_unsampled_parameters_and_base_year_normalisation():
    """0-d parameters take the core's closed-form coercion branch; without a reference the
    hazards are normalised at each path's own base-year state."""
    prepared = prepare(SCENARIO, None)
    shocks = draw_shocks(11, 0, 256, 16, np.float64)
    core, out = core_and_kernel(prepared.params, prepared.policy, shocks, None)
    assert_equal_until_flip(core, out)


def test_bluffing_coercer_quadrature():
    """A committed prior below 1 takes the 24-node quadrature in both."""
    prepared = prepare(SCENARIO, ["dual_hedge", "anchor", "leverage"],
                       overrides=["responses.coercion_committed_prior=0.6"])
    shocks = draw_shocks(12, 0, 256, 16, np.float64)
    core, out = core_and_kernel(prepared.params, prepared.policy, shocks, prepared.reference)
    assert_equal_until_flip(core, out)


def test_float32_runs_agree_to_rounding():
    prepared, shocks, _ = sampled_case(5, n_paths=200, n_quarters=16)
    shocks32 = draw_shocks(5, 0, 200, 16, np.float32)
    core, out = core_and_kernel(prepared.params, prepared.policy, shocks32, prepared.reference, dtype=np.float32)
    assert_equal_until_flip(core, out, tolerance=FLOAT32_TOLERANCE, max_flip_share=MAX_FLIP_SHARE)
    for name in ("prosperity", "security", "coercion_per_year", "first_coercion"):
        a, b = core[name].astype(float), out[name].astype(float)
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        assert abs(a.mean() - b.mean()) <= a.std() / np.sqrt(a.size), name  # means within one standard error


def test_unknown_recorders_are_named():
    class Custom(Recorder):
        def outputs(self):
            return {}

        def result(self):
            return {}

    assert "Custom" in fast.unsupported([Custom()])
    assert fast.unsupported(every_recorder()) is None


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10, 14))
def test_thorough_random_samples_presets_and_random_adaptive_strategies(seed):
    prepared, shocks, rng = sampled_case(seed, n_paths=1500, n_quarters=40)
    core, out = core_and_kernel(prepared.params, prepared.policy, shocks, prepared.reference)
    assert_equal_until_flip(core, out)
    policy = random_policy(rng, prepared.policy, 8)
    core, out = core_and_kernel(prepared.params, policy, shocks, prepared.reference)
    assert_equal_until_flip(core, out)


@pytest.mark.slow
@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), share=st.floats(0.0, 1.0), quarters=st.integers(1, 16),
       strategies=st.integers(1, 6))
def test_hypothesis_draws_of_samples_horizons_and_strategies(seed, share, quarters, strategies):
    prepared, shocks, rng = sampled_case(seed, n_paths=64, n_quarters=quarters, share=share)
    policy = random_policy(rng, prepared.policy, strategies, adaptive=bool(seed % 2))
    core, out = core_and_kernel(prepared.params, policy, shocks, prepared.reference)
    assert_equal_until_flip(core, out)
