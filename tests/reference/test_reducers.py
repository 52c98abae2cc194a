"""Every reducer of the results layer against a recomputation written another way.

The engine side is only the public API: ``hedgelab.api.run`` (per-path results) and
``hedgelab.api.summarise`` (tidy summary). The other side is the independent per-path reference
(``reference_model.py``, which imports nothing from hedgelab and draws its own shocks) run
quarter by quarter, reduced here by plain-Python code:

- time average = sum over quarters / number of quarters;
- event indicator = 1 if the event happened in ANY quarter of the path;
- depth = the deepest (``depth_min``: shallowest) direction at the first crisis quarter, else at
  the horizon;
- first-event time (``first_<kind>``, ``first_crisis``) = (t + 1) / 4 years for the first
  quarter index t with the event, else NaN;
- summary mean = fsum / n, stderr = sqrt(sum of squared deviations / (n - 1)) / sqrt(n);
  CVaR = mean of the ceil(5% n) lowest prosperities of an independent sort.

Two cases run: japan-2026 as published and a stressed variant (``overrides``) with frequent
crises and episodes. Each fixture (seed, paths, strategies) is chosen so that each reducer is exercised where a wrong
reducer would give a different number, and the tests assert that coverage (see
``test_fixture_exercises_every_reducer``): e.g. events that happen but not in the last quarter,
first crises before the horizon where the depth then differs from the depth at the horizon.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hedgelab import api

from . import reference_model as ref

N_PATHS = 12
YEARS = 4
N_QUARTERS = 4 * YEARS
STRATEGIES = ("dual_hedge", "anchor", "autonomy", "adaptive_dual_hedge")  # autonomy: ceiling and reactive
# levers; adaptive_dual_hedge: a signpost that fires on some paths (stressed case) and switches to autonomy
# (seed, overrides): japan-2026 as published, and with frequent crises and episodes, so that
# paths see several crises (depth must be taken at the FIRST one) and every kind of episode.
CASES = {
    "published": (5, ()),
    "stressed": (1, ("environment.crisis_rate=0.2", "environment.crisis_sensitivity=3.0",
                     "environment.taiwan_volatility=0.3", "events.entrapment_rate=0.2", "events.deal_rate=0.2",
                     "events.abandonment_rate=0.4", "environment.assertiveness_volatility=0.3")),
}

TIME_AVERAGED = (
    *ref.MECHANISM_SERIES, "support", *(f"prosperity_{p}" for p in ref.PROSPERITY_PARTS), "prosperity",
)
EVER = (*ref.EVENTS, "crisis")
AT_FIRST_CRISIS = ("depth", "depth_min", *(f"depth_{d}" for d in ref.DIRECTIONS), "security_without_us_at_crisis")
FIRST_TIME = {f"first_{kind}": kind for kind in ref.EVENTS}
FIRST_CRISIS = "first_crisis"
SWITCH = ("switched", "first_switched")  # adaptive strategies: switched by the horizon, and when
PER_YEAR = {f"{kind}_per_year": kind for kind in ref.EVENTS}
LOSS_PER_YEAR = {"coercion_loss_per_year": "coercion", "entrapment_loss_per_year": "entrapment"}
HEADLINE = {  # summary metric -> per-path result variable it averages
    "security": "security", "prosperity": "prosperity", "autonomy": "autonomy", "depth": "depth",
    "p_coercion": "coercion", "p_abandonment": "abandonment", "p_entrapment": "entrapment",
    "p_deal": "deal", "deterrence": "deterrence", "taiwan_preparedness": "taiwan_preparedness",
    "security_without_us": "security_without_us", "support": "support",
    "security_without_us_at_crisis": "security_without_us_at_crisis",
    **{f"rate_{kind}": f"{kind}_per_year" for kind in ref.EVENTS},
    "loss_coercion": "coercion_loss_per_year", "loss_entrapment": "entrapment_loss_per_year",
    "p_switched": "switched",
}
CVAR_LEVEL = 0.05


# -- reducers, written here (not the engine's) ------------------------------------------------


def per_year(records: list[dict], kind: str) -> float:
    """Episodes that began on the path / years of the horizon (4 quarters a year)."""
    return sum(1 for r in records if r[kind]) / (len(records) * ref.DT)


def loss_per_year(records: list[dict], kind: str) -> float:
    """One-off losses summed over the path (each quarter's prosperity part is -loss / DT) / years."""
    return math.fsum(-r[f"prosperity_{kind}"] * ref.DT for r in records) / (len(records) * ref.DT)


def time_average(records: list[dict], name: str) -> float:
    return math.fsum(r[name] for r in records) / len(records)


def ever(records: list[dict], kind: str) -> float:
    return 1.0 if any(r[kind] for r in records) else 0.0


def first_crisis(records: list[dict]) -> int | None:
    return next((t for t, r in enumerate(records) if r["crisis"]), None)


def at_first_crisis(records: list[dict], name: str) -> float:
    t = first_crisis(records)
    return records[-1 if t is None else t][name]


def first_time(records: list[dict], kind: str) -> float:
    """Years from the start to the end of the quarter of the first episode; NaN if none."""
    for t, r in enumerate(records):
        if r[kind]:
            return (t + 1) * ref.DT
    return math.nan


def mean_and_stderr(values: list[float]) -> tuple[float, float]:
    n = len(values)
    mean = math.fsum(values) / n
    variance = math.fsum((x - mean) ** 2 for x in values) / (n - 1)
    return mean, math.sqrt(variance / n)


def lower_tail_mean(values: list[float], level: float = CVAR_LEVEL) -> float:
    ordered = sorted(values)
    n_tail = max(1, math.ceil(level * len(values) - 1e-12))
    return math.fsum(ordered[:n_tail]) / n_tail


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=list(CASES))
def case(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def engine(case):
    seed, overrides = CASES[case]
    return api.run(
        "japan-2026", list(STRATEGIES), n_paths=N_PATHS, years=YEARS, seed=seed, overrides=list(overrides),
        dtype=np.float64,
    )


@pytest.fixture(scope="module")
def reference(case) -> dict[str, list[list[dict]]]:
    """strategy -> path -> per-quarter records."""
    seed, overrides = CASES[case]
    return {s: [ref.run_path(s, seed, p, YEARS, overrides=overrides) for p in range(N_PATHS)] for s in STRATEGIES}


def tolerance(values: np.ndarray) -> tuple[float, float]:
    """(rtol, atol) for comparing stored results with the float64 reference: 1e-9 when results
    are stored in float64; the float32 rounding of a float64 result (half an ulp, 2**-24
    relative) when they are stored in float32, as ``api.run`` does at present."""
    if values.dtype == np.float64:
        return 1e-9, 1e-12
    return float(np.finfo(values.dtype).eps), 1e-12


def compare(engine, reference, name: str, reduce) -> list[str]:
    """Mismatches between the engine's per-path ``name`` and the reduced reference series."""
    stored = engine[name]
    rtol, atol = tolerance(stored.values)
    bad = []
    for s in STRATEGIES:
        got = stored.sel(strategy=s).values
        for p in range(N_PATHS):
            want = reduce(reference[s][p])
            g = float(got[p])
            same = (math.isnan(g) and math.isnan(want)) or abs(g - want) <= atol + rtol * abs(want)
            if not same:
                bad.append(f"{name} {s} path {p}: engine {g!r}, reference {want!r}")
    return bad


# -- per-path reducers ------------------------------------------------------------------------


def test_result_has_the_expected_shape(engine, case):
    assert list(engine.strategy.values) == list(STRATEGIES)
    assert engine.sizes["path"] == N_PATHS
    assert engine.attrs["years"] == YEARS and engine.attrs["seed"] == CASES[case][0]


def test_every_result_variable_is_checked(engine):
    """A new per-path variable needs a recomputation here (or in the first-event test)."""
    checked = {*TIME_AVERAGED, *EVER, *AT_FIRST_CRISIS, *FIRST_TIME, FIRST_CRISIS, *PER_YEAR, *LOSS_PER_YEAR, *SWITCH}
    unchecked = sorted(set(engine.data_vars) - checked)
    assert not unchecked, f"per-path variables without an independent recomputation: {unchecked}"


@pytest.mark.parametrize("name", TIME_AVERAGED)
def test_time_averages_match_reference(engine, reference, name):
    """Per-path time averages = sum over the 4·years quarters / 4·years (not / (n + 4), not the
    last quarter's value)."""
    bad = compare(engine, reference, name, lambda records: time_average(records, name))
    assert not bad, "\n".join(bad[:10])


@pytest.mark.parametrize("kind", EVER)
def test_event_indicators_are_ever_happened(engine, reference, kind):
    """1 if the event happened in any quarter of the path (not only the last), else 0."""
    bad = compare(engine, reference, kind, lambda records: ever(records, kind))
    assert not bad, "\n".join(bad[:10])


@pytest.mark.parametrize("name", PER_YEAR)
def test_episodes_per_year(engine, reference, name):
    """``<kind>_per_year`` counts every episode (not only the first) over the horizon in years."""
    bad = compare(engine, reference, name, lambda records: per_year(records, PER_YEAR[name]))
    assert not bad, "\n".join(bad[:10])


@pytest.mark.parametrize("name", LOSS_PER_YEAR)
def test_loss_per_year(engine, reference, name):
    bad = compare(engine, reference, name, lambda records: loss_per_year(records, LOSS_PER_YEAR[name]))
    assert not bad, "\n".join(bad[:10])


@pytest.mark.parametrize("name", AT_FIRST_CRISIS)
def test_depth_at_first_crisis_else_horizon(engine, reference, name):
    bad = compare(engine, reference, name, lambda records: at_first_crisis(records, name))
    assert not bad, "\n".join(bad[:10])


@pytest.mark.parametrize("name", FIRST_TIME)
def test_first_event_time(engine, reference, name):
    """``first_<kind>`` = years to the end of the quarter of the first episode, NaN if none."""
    bad = compare(engine, reference, name, lambda records: first_time(records, FIRST_TIME[name]))
    assert not bad, "\n".join(bad[:10])


def test_first_crisis_time(engine, reference):
    """``first_crisis`` = years to the end of the quarter of the first crisis, NaN if none."""
    bad = compare(engine, reference, FIRST_CRISIS, lambda records: first_time(records, "crisis"))
    assert not bad, "\n".join(bad[:10])


def test_fixture_exercises_every_reducer(reference, case):
    """The seed gives cases where a wrong reducer gives a different number (else change the
    case's seed)."""
    paths = [records for s in STRATEGIES for records in reference[s]]
    for kind in EVER:
        # happened, but not in the last quarter (a "last quarter only" flag would miss it)
        assert any(any(r[kind] for r in rs[:-1]) and not rs[-1][kind] for rs in paths), kind
        assert any(not any(r[kind] for r in rs) for rs in paths), f"{kind} on every path"
    for kind in EVER:  # a first episode after the first quarter (time = 0.25 would miss it)
        assert any(first_time(rs, kind) > ref.DT for rs in paths), kind
    early = [rs for rs in paths if (first_crisis(rs) or N_QUARTERS) < N_QUARTERS - 1]
    assert early and len(early) < len(paths)
    for name in ("depth", "depth_min"):
        assert any(rs[first_crisis(rs)][name] != rs[-1][name] for rs in early), name
    for name in TIME_AVERAGED:  # the series moves, so the average is not just any quarter's value
        assert any(len({r[name] for r in rs}) > 1 for rs in paths), name
    if case == "stressed":  # several crises on a path, the depth moving between the first and the last
        several = [rs for rs in paths if sum(r["crisis"] for r in rs) >= 2]
        last = {id(rs): max(t for t, r in enumerate(rs) if r["crisis"]) for rs in several}
        for name in ("depth", "depth_min"):
            assert any(rs[first_crisis(rs)][name] != rs[last[id(rs)]][name] for rs in several), name


# -- summaries --------------------------------------------------------------------------------


def _summary(result) -> dict[tuple[str, str], tuple[float, float]]:
    table = api.summarise(result)
    assert list(table.columns[:4]) == ["strategy", "metric", "mean", "stderr"]
    out = {}
    for row in table.itertuples(index=False):
        key = (row.strategy, row.metric)
        assert key not in out, f"duplicate summary row {key}"
        out[key] = (float(row.mean), float(row.stderr))
    return out


def test_summary_metrics_are_all_checked(engine):
    metrics = {metric for _, metric in _summary(engine)}
    unchecked = sorted(metrics - {*HEADLINE, "cvar_prosperity"})
    assert not unchecked, f"summary metrics without an independent recomputation: {unchecked}"
    assert metrics >= {*HEADLINE, "cvar_prosperity"}


def test_summary_mean_and_stderr_match_recomputation(engine):
    """Mean and stderr (sample std with ddof=1 over sqrt(n)) of each headline metric, from the
    stored per-path values, recomputed with plain Python."""
    summary = _summary(engine)
    bad = []
    for s in STRATEGIES:
        for metric, variable in HEADLINE.items():
            values = [float(x) for x in engine[variable].sel(strategy=s).values]
            mean, stderr = mean_and_stderr(values)
            got_mean, got_stderr = summary[(s, metric)]
            if not math.isclose(got_mean, mean, rel_tol=1e-9, abs_tol=1e-12):
                bad.append(f"{s} {metric} mean: summary {got_mean!r}, recomputed {mean!r}")
            if not math.isclose(got_stderr, stderr, rel_tol=1e-9, abs_tol=1e-12):
                bad.append(f"{s} {metric} stderr: summary {got_stderr!r}, recomputed {stderr!r}")
        cvar = lower_tail_mean([float(x) for x in engine["prosperity"].sel(strategy=s).values])
        if not math.isclose(summary[(s, "cvar_prosperity")][0], cvar, rel_tol=1e-9, abs_tol=1e-12):
            bad.append(f"{s} cvar_prosperity: summary {summary[(s, 'cvar_prosperity')][0]!r}, recomputed {cvar!r}")
    assert not bad, "\n".join(bad)


def test_summary_means_match_reference(engine, reference):
    """The summary's means straight from the reference's per-quarter series (the whole chain:
    per-quarter values, per-path reducer, mean over paths)."""
    summary = _summary(engine)
    rtol = tolerance(engine["security"].values)[0] * 4
    reducers = {metric: (lambda rs, v=variable: time_average(rs, v)) for metric, variable in HEADLINE.items()}
    reducers.update({f"rate_{k}": (lambda rs, k=k: per_year(rs, k)) for k in ref.EVENTS})
    reducers.update({f"loss_{k}": (lambda rs, k=k: loss_per_year(rs, k)) for k in LOSS_PER_YEAR.values()})
    reducers["depth"] = lambda rs: at_first_crisis(rs, "depth")
    reducers["security_without_us_at_crisis"] = lambda rs: at_first_crisis(rs, "security_without_us_at_crisis")
    for metric in ("p_coercion", "p_abandonment", "p_entrapment", "p_deal", "p_switched"):
        reducers[metric] = lambda rs, k=HEADLINE[metric]: ever(rs, k)
    bad = []
    for s in STRATEGIES:
        for metric, reduce in reducers.items():
            want = math.fsum(reduce(rs) for rs in reference[s]) / N_PATHS
            got = summary[(s, metric)][0]
            if not math.isclose(got, want, rel_tol=rtol, abs_tol=1e-9):
                bad.append(f"{s} {metric}: summary {got!r}, reference {want!r}")
        want_cvar = lower_tail_mean([time_average(rs, "prosperity") for rs in reference[s]])
        got_cvar = summary[(s, "cvar_prosperity")][0]
        if not math.isclose(got_cvar, want_cvar, rel_tol=rtol, abs_tol=1e-9):
            bad.append(f"{s} cvar_prosperity: summary {got_cvar!r}, reference {want_cvar!r}")
    assert not bad, "\n".join(bad)


def test_cvar_with_a_longer_tail():
    """CVaR over 400 paths (a tail of 20 paths, not just the minimum), against an independent sort."""
    result = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=400, years=2, seed=3)
    summary = _summary(result)
    for s in ("dual_hedge", "anchor"):
        values = [float(x) for x in result["prosperity"].sel(strategy=s).values]
        want = lower_tail_mean(values)
        assert want != min(values)
        assert math.isclose(summary[(s, "cvar_prosperity")][0], want, rel_tol=1e-9, abs_tol=1e-12), s


# -- standard errors against the spread across independent seeds ----------------------------

SPREAD_SEEDS = 100
SPREAD_PATHS = 200
SPREAD_YEARS = 2
SPREAD_FACTOR = 1.5


@pytest.mark.slow
def test_stderr_matches_spread_across_seeds():
    """The reported stderr of each headline mean is the spread of that mean across independent
    seeds.

    For each strategy and metric: ``spread`` = sample std (ddof=1) of the k = 100 per-seed means
    (200 paths each), ``reported`` = root mean square of the 100 reported stderrs. With correct
    code both estimate sigma/sqrt(200). The per-seed means are means of 200 independent paths,
    close to normal (CLT), so spread/true ~ sqrt(chi2_99 / 99): its 1-sigma relative error is
    about 1/sqrt(2·99) = 7%. ``reported`` averages 100 estimates of 200 paths each, error < 1%.
    The test asks 1/1.5 < spread/reported < 1.5; under correct code
    P(chi2_99 < 99/2.25) = 3e-7 and P(chi2_99 > 99·2.25) = 2e-11, so over the 22 checks the
    chance of a false failure for any model that keeps the metrics' variance finite is below
    1e-5 (and the seeds are fixed, so the outcome is deterministic). ``cvar_prosperity`` (whose
    stderr is the asymptotic influence-function one) is held to the same band: at 200 paths (a
    tail of 10) its ratio was 1.02-1.04 when this test was written, the other metrics 0.86-1.08. A stderr divided by n
    instead of sqrt(n) is sqrt(200) = 14 times too small: spread/reported = 14, far outside.
    Metrics constant across paths (e.g. autonomy of a strategy without reactive levers) must
    report ~0 and show ~0 spread.
    """
    means: dict[tuple[str, str], list[float]] = {}
    stderrs: dict[tuple[str, str], list[float]] = {}
    for seed in range(1000, 1000 + SPREAD_SEEDS):
        result = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=SPREAD_PATHS, years=SPREAD_YEARS, seed=seed)
        for key, (mean, stderr) in _summary(result).items():
            if key[1] in HEADLINE or key[1] == "cvar_prosperity":
                means.setdefault(key, []).append(mean)
                stderrs.setdefault(key, []).append(stderr)
    bad, checked = [], 0
    for key in means:
        spread = float(np.std(means[key], ddof=1))
        reported = math.sqrt(math.fsum(x * x for x in stderrs[key]) / len(stderrs[key]))
        if reported < 1e-6 and spread < 1e-6:  # constant across paths
            continue
        checked += 1
        ratio = spread / reported if reported > 0 else math.inf
        if not 1 / SPREAD_FACTOR < ratio < SPREAD_FACTOR:
            bad.append(f"{key}: spread of means {spread:.4g}, reported stderr {reported:.4g} (ratio {ratio:.3g})")
    assert checked >= 20, checked
    assert not bad, "\n".join(bad)


def test_switch_indicator_and_time_match_reference(engine, reference, case):
    """``switched`` = 1 if the strategy has switched by the horizon (it never switches back);
    ``first_switched`` = (t + 1) / 4 for the quarter t of the switch, NaN without one."""
    bad = compare(engine, reference, "switched", lambda records: ever(records, "switched"))
    bad += compare(engine, reference, "first_switched", lambda records: first_time(records, "switched"))
    assert not bad, "\n".join(bad[:10])
    if case == "stressed":  # the fixture exercises it: some paths switch before the horizon, some never
        paths = reference["adaptive_dual_hedge"]
        assert any(rs[-1]["switched"] and not rs[0]["switched"] for rs in paths)
        assert any(not rs[-1]["switched"] for rs in paths)
