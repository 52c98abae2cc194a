"""Invariants of the core under random parameters and random policies (Hypothesis).

- alignments stay in [0, 1]; exposures are non-negative and direct + routed sum to at most 1;
  support stays in [0, 1]; commitment loss and coercion memory stay in [0, 1]; every
  mechanism value and every metric is finite;
- the order of the secondary partners in the scenario does not matter (equivariance): permuting
  them leaves every outcome unchanged.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hedgelab.model import draw_shocks
from hedgelab.scenarios.compile import compile_params, compile_policies
from hedgelab.scenarios import DOMAINS, Strategy, load_scenario
from hedgelab.scenarios.schema import DomainShift
from hedgelab.scenarios.table import parameter_rows

from .helpers import outcomes

BASE = load_scenario("japan-2026")
UNCERTAIN = [r for r in parameter_rows(BASE) if r["kind"] == "uncertainty" and r["range"] is not None]
SECONDARY = [code for code, p in BASE.partners.items() if p.role == "secondary"]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

unit = st.floats(0.0, 1.0, allow_nan=False)
shift_value = st.floats(-1.0, 1.0, allow_nan=False)
domain_shifts = st.builds(DomainShift, **{d: shift_value for d in DOMAINS})
strategies = st.builds(
    Strategy,
    patron=domain_shifts, challenger=domain_shifts, secondary=domain_shifts,
    partners=st.dictionaries(st.sampled_from(list(BASE.partners)), domain_shifts, max_size=3),
    defence_shift=st.floats(-1.0, 3.0), compartmentalisation=unit, speed=unit, signal=unit,
    defence_on_unreliability=st.floats(0.0, 2.0), partners_on_unreliability=unit, derisk_on_coercion=unit,
)


@st.composite
def overrides(draw) -> list[str]:
    """Up to 12 uncertain parameters set anywhere in their plausible ranges."""
    rows = draw(st.lists(st.sampled_from(UNCERTAIN), max_size=12, unique_by=lambda r: r["path"]))
    out = []
    for row in rows:
        lo, hi = row["range"]
        out.append(f"{row['path']}={draw(st.floats(lo, hi, allow_nan=False))!r}")
    return out


def _check_state(state, quarter) -> None:
    f = state.focal
    tol = 1e-12
    assert np.all(f.alignment >= 0.0) and np.all(f.alignment <= 1.0)
    assert np.all(f.exposure >= -tol) and np.all(f.routed >= -tol)
    assert np.all((f.exposure + f.routed).sum(-1) <= 1.0 + tol)
    assert np.all(f.support >= 0.0) and np.all(f.support <= 1.0)
    assert np.all(f.commitment_loss >= 0.0) and np.all(f.commitment_loss <= 1.0)
    assert np.all(f.coercion_memory >= 0.0) and np.all(f.coercion_memory <= 1.0)
    assert np.all(np.isfinite(f.capability)) and np.all(np.isfinite(f.spending))
    assert np.all(state.environment.convergence >= 0.0) and np.all(state.environment.convergence <= 1.0)
    for name, value in vars(quarter.mechanisms).items():
        assert np.all(np.isfinite(value)), name
    for name in ("security", "deterrence", "taiwan_preparedness", "security_without_us", "autonomy"):
        value = getattr(quarter.mechanisms, name)
        assert np.all(value >= 0.0) and np.all(value <= 1.0), name
    for name, value in quarter.prosperity.items():
        assert np.all(np.isfinite(value)), name


@SETTINGS
@given(policy=st.lists(strategies, min_size=1, max_size=3), changes=overrides(), seed=st.integers(0, 2**32 - 1),
       dtype=st.sampled_from([np.float64, np.float32]))
def test_state_stays_in_bounds_and_metrics_finite(policy, changes, seed, dtype):
    scenario = load_scenario("japan-2026", changes)
    params = compile_params(scenario)
    pol = compile_policies({f"s{i}": s for i, s in enumerate(policy)}, params)
    calls = []

    def record(t, state, quarter):
        calls.append(t)
        _check_state(state, quarter)

    metrics = outcomes(params, pol, draw_shocks(seed, 0, 64, 24, dtype), dtype=dtype, record=record)
    assert calls == list(range(24))
    for name, value in metrics.items():
        assert value.shape == (len(policy), 64), name
        if name.startswith("first_"):  # years to the first episode, NaN on paths without one
            finite = value[np.isfinite(value)]
            assert np.all((finite > 0) & (finite <= 24 / 4)) and np.all(np.isnan(value) == (metrics[name[6:]] == 0)), name
        else:
            assert np.all(np.isfinite(value)), name
    for name in ("coercion", "abandonment", "entrapment", "deal", "crisis"):
        assert set(np.unique(metrics[name])) <= {0.0, 1.0}, name
    assert np.all(metrics["depth_min"] <= metrics["depth"])


@SETTINGS
@given(order=st.permutations(SECONDARY), policy=st.lists(strategies, min_size=1, max_size=3),
       changes=overrides(), seed=st.integers(0, 2**32 - 1))
def test_permuting_secondary_partners_leaves_outcomes_unchanged(order, policy, changes, seed):
    scenario = load_scenario("japan-2026", changes)
    codes = list(scenario.partners)
    slots = iter(order)
    reordered_codes = [next(slots) if scenario.partners[c].role == "secondary" else c for c in codes]
    permuted = scenario.model_copy(update={"partners": {c: scenario.partners[c] for c in reordered_codes}})
    assert list(permuted.partners) == reordered_codes
    named = {f"s{i}": s for i, s in enumerate(policy)}
    shocks = draw_shocks(seed, 0, 64, 20, np.float64)
    results = []
    for sc in (scenario, permuted):
        params = compile_params(sc)
        results.append(outcomes(params, compile_policies(named, params), shocks, dtype=np.float64))
    for name in results[0]:
        np.testing.assert_allclose(results[1][name], results[0][name], rtol=1e-9, atol=1e-12, err_msg=name)
