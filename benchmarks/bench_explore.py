"""Benchmark: an exploration sweep three ways, side by side in one run (issue 13, "Benchmark").

    python benchmarks/bench_explore.py                     # 48 futures x all strategies x 1,000 paths x 10 years
    python benchmarks/bench_explore.py --samples 200       # the issue's full size (about 3 x 1 min on 2 cores)
    python benchmarks/bench_explore.py --backend numpy     # (b) and (c) on the NumPy core instead of the fused kernel

A path-step is one path of one strategy advanced by one quarter; an experiment is one sampled
future x one strategy. All three sides evaluate the same futures (a Latin hypercube over the 13
uncertainties of docs/explore.md's worked example on japan-2026), every strategy of the scenario,
``--paths`` paths each, ``--years`` years, the same seed.

(a) **The way EMA Workbench runs a Python model**: ``ema_workbench.perform_experiments`` calling
    a per-path model once per experiment, the replications in a Python loop. The model is the
    per-path reference (``tests/reference/reference_model.py``, plain floats, loaded by path as
    ``benchmarks/bench_model.py`` does): per experiment it builds its parameters with the
    future's values as overrides, then steps each path through every quarter. Timed on a subset
    (``--reference-futures`` futures x all strategies x ``--reference-paths`` paths), compared per
    path-step; the full size is extrapolated as experiments x (fixed cost + paths x quarters x
    time per path-step).
(b) **hedgelab's api.run once per experiment** (one strategy, the future's values as per-path
    samples, 1,000 paths: one chunk, so workers do not matter), timed on ``--api-futures``
    futures x all strategies; the numbers are checked against the sweep's.
(c) **The batched sweep** (``hedgelab.analysis.explore.sweep``: futures vectorised together,
    every strategy in one engine run): one worker, every local core (threads), and the Dask
    engine on a LocalCluster of one process per core; the three must be bit-identical.

Rates are path-steps per second of wall time; the machine's load average is printed before and
after (other processes skew the timings).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from pathlib import Path

import numpy as np

from _reference import load_reference  # benchmarks/_reference.py
from hedgelab import __version__, api
from hedgelab.analysis.backends import BACKENDS, pinned_backend
from hedgelab.analysis.distributed import DaskExecutor
from hedgelab.analysis.executors import available_cores
from hedgelab.analysis.explore.design import make_design, uncertainties
from hedgelab.analysis.explore.ema import ema_model, strategy_policies
from hedgelab.analysis.explore.sweep import sweep
from hedgelab.analysis.prepare import prepare
from hedgelab.analysis.summary import summarise
from hedgelab.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "japan-2026"
UNCERTAIN = [
    "environment.convergence_speed", "environment.assertiveness_mean", "events.coercion_severity",
    "events.coercion_rate", "events.tolerance_sensitivity", "events.tech_leverage",
    "environment.reliability_transactional", "partners.CHN.trade_gain", "partners.AUS.reach",
    "partners.IND.reach", "partners.KOR.reach", "partners.PHL.reach",
    "partners.EU.reach",
]
QUARTERS_PER_YEAR = 4


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


class ReferenceExperiment:
    """One EMA experiment of the per-path reference model: parameters with the future's values,
    then every path stepped through every quarter in Python. Keeps its own timings."""

    def __init__(self, ref, n_paths: int, n_quarters: int, seed: int):
        self.ref, self.n_paths, self.n_quarters, self.seed = ref, n_paths, n_quarters, seed
        self.fixed_seconds = self.loop_seconds = 0.0
        self.path_steps = self.calls = 0

    def __call__(self, strategy: str, **values: float) -> dict[str, float]:
        ref = self.ref
        start = time.perf_counter()
        rp, base = ref.scenario_base(SCENARIO, tuple(f"{k}={v!r}" for k, v in sorted(values.items())))
        policy = ref.load_policy(strategy, rp)
        middle = time.perf_counter()
        crises = 0
        for p in range(self.n_paths):
            state = ref.initial_state(rp, ref.path_initial_draw(self.seed, p))
            for shocks in ref.path_shocks(self.seed, p, self.n_quarters):
                state, outcome = ref.step(rp, policy, base, state, shocks)
                crises += outcome.crisis
        end = time.perf_counter()
        self.fixed_seconds += middle - start
        self.loop_seconds += end - middle
        self.path_steps += self.n_paths * self.n_quarters
        self.calls += 1
        return {"crisis_quarters": crises / (self.n_paths * self.n_quarters)}


def bench_reference(design, strategies, n_futures: int, n_paths: int, n_quarters: int, seed: int) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "ipyparallel not installed"
        from ema_workbench import Model, ScalarOutcome, Scenario, SequentialEvaluator, perform_experiments

    ref = load_reference()
    function = ReferenceExperiment(ref, n_paths, n_quarters, seed)
    template = ema_model(SCENARIO, strategies, UNCERTAIN, n_paths=n_paths, years=n_quarters // 4, seed=seed)
    model = Model("reference", function=function)
    model.uncertainties = list(template.uncertainties)
    model.levers = list(template.levers)
    model.outcomes = [ScalarOutcome("crisis_quarters")]
    futures = [Scenario(f"future {i}", **{u.name: float(design.samples[i, j]) for j, u in enumerate(template.uncertainties)})
               for i in range(n_futures)]
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        perform_experiments(model, scenarios=futures, policies=strategy_policies(template),
                            evaluator=SequentialEvaluator(model))
    wall = time.perf_counter() - start
    return {"experiments": function.calls, "path_steps": function.path_steps, "wall": wall,
            "fixed_per_experiment": function.fixed_seconds / function.calls,
            "per_path_step": function.loop_seconds / function.path_steps,
            "rate": function.path_steps / wall}


def bench_api(loaded, design, strategies, n_futures: int, n_paths: int, years: int, seed: int) -> dict:
    rows = {}
    # warm-up, untimed: a kernel compiled for a new signature (or a cold cache) costs seconds once
    api.run(loaded, strategies[:1], n_paths=n_paths, years=1, seed=seed,
            samples={name: np.full(n_paths, design.samples[0, j]) for j, name in enumerate(design.names)}, workers=1)
    start = time.perf_counter()
    for i in range(n_futures):
        samples = {name: np.full(n_paths, design.samples[i, j]) for j, name in enumerate(design.names)}
        for strategy in strategies:
            result = api.run(loaded, [strategy], n_paths=n_paths, years=years, seed=seed, samples=samples, workers=1)
            rows[i, strategy] = result
    wall = time.perf_counter() - start
    steps = n_futures * len(strategies) * n_paths * years * QUARTERS_PER_YEAR
    return {"experiments": len(rows), "path_steps": steps, "wall": wall, "rate": steps / wall,
            "per_experiment": wall / len(rows), "results": rows}


def _sweep(loaded, strategies, design, n_paths, years, seed, **kwargs):
    start = time.perf_counter()
    result = sweep(loaded, strategies, design, paths_per_sample=n_paths, years=years, seed=seed, **kwargs)
    return result, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="\n".join(__doc__.splitlines()[2:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=48, help="sampled futures of the sweep (default 48)")
    parser.add_argument("--paths", type=int, default=1000, help="paths per future (default 1,000)")
    parser.add_argument("--years", type=int, default=10, help="horizon (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--full-samples", type=int, default=200, help="sweep size the extrapolation reports (default 200)")
    parser.add_argument("--api-futures", type=int, default=6, help="futures of (b), every strategy each (default 6)")
    parser.add_argument("--reference-futures", type=int, default=2, help="futures of (a) (default 2)")
    parser.add_argument("--reference-paths", type=int, default=10, help="paths per experiment of (a) (default 10)")
    parser.add_argument("--backend", choices=BACKENDS, default="auto",
                        help="numerical backend of (b) and (c) (default auto: the fused kernel when installed)")
    args = parser.parse_args(argv)
    with pinned_backend(args.backend):
        _main(args)


def _main(args: argparse.Namespace) -> None:

    cores = available_cores()
    loaded = load_scenario(SCENARIO)
    strategies = list(prepare(loaded, None).policy.names)
    design = make_design(uncertainties(loaded, UNCERTAIN), args.samples, "lhs", args.seed)
    n_quarters = QUARTERS_PER_YEAR * args.years
    n_exp = args.samples * len(strategies)
    steps = n_exp * args.paths * n_quarters
    full_exp = args.full_samples * len(strategies)
    full_steps = full_exp * args.paths * n_quarters
    print(f"hedgelab {__version__}, numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{cores} available cores")
    print(f"load average before: {_load()}")
    print(f"backend: {args.backend} (the sweep's provenance records the one that ran)")
    print(f"sweep: {args.samples} LHS futures ({len(UNCERTAIN)} uncertainties) x {len(strategies)} strategies "
          f"({', '.join(strategies)}) x {args.paths:,} paths x {args.years} years = {n_exp:,} experiments, "
          f"{steps:,} path-steps; seed {args.seed}, float32")

    # warm-up: imports, caches
    sweep(loaded, strategies, make_design(uncertainties(loaded, UNCERTAIN), 2, "lhs", 1), paths_per_sample=64,
          years=1, seed=0, workers=1)

    # (c) the batched sweep: 1 worker, all local cores, Dask on local workers
    one, t_one = _sweep(loaded, strategies, design, args.paths, args.years, args.seed, workers=1)
    local, t_local = _sweep(loaded, strategies, design, args.paths, args.years, args.seed, workers=None)
    clock = time.perf_counter()
    with DaskExecutor(n_workers=cores) as executor:
        t_cluster = time.perf_counter() - clock
        dask, t_dask = _sweep(loaded, strategies, design, args.paths, args.years, args.seed, executor=executor)
    identical = all(one[v].values.tobytes() == other[v].values.tobytes()
                    for other in (local, dask) for v in one.data_vars)
    print(f"backend that ran the sweep: {one.attrs['backend']}")

    # (b) api.run once per experiment, on a subset, checked against the sweep
    api_side = bench_api(loaded, design, strategies, args.api_futures, args.paths, args.years, args.seed)
    worst = 0.0
    for (i, strategy), result in api_side["results"].items():
        table = summarise(result).set_index(["strategy", "metric"])
        for metric in ("prosperity", "security", "p_coercion"):
            worst = max(worst, abs(table.loc[(strategy, metric), "mean"] - one[metric].sel(strategy=strategy, sample=i).item()))

    # (a) EMA-style: one call per experiment of the per-path reference, replications in a Python loop
    reference = bench_reference(design, strategies, args.reference_futures, args.reference_paths, n_quarters, args.seed)

    rate_one, rate_local, rate_dask = steps / t_one, steps / t_local, steps / t_dask
    best = max(rate_one, rate_local, rate_dask)
    ref_exp_seconds = reference["fixed_per_experiment"] + args.paths * n_quarters * reference["per_path_step"]
    rows = [
        ("(a) EMA-style: reference per-path model, 1 call per experiment", 1.0 / reference["per_path_step"],
         f"{reference['experiments']} experiments x {args.reference_paths} paths in {reference['wall']:.1f} s",
         full_exp * ref_exp_seconds),
        (f"(b) api.run once per experiment (1 strategy, {args.paths:,} paths)", api_side["rate"],
         f"{api_side['experiments']} experiments in {api_side['wall']:.1f} s ({api_side['per_experiment'] * 1e3:.0f} ms each)",
         full_exp * api_side["per_experiment"]),
        ("(c) sweep, 1 worker", rate_one, f"{n_exp:,} experiments in {t_one:.1f} s", full_steps / rate_one),
        (f"(c) sweep, {cores} local workers (threads)", rate_local, f"{n_exp:,} experiments in {t_local:.1f} s",
         full_steps / rate_local),
        (f"(c) sweep, Dask LocalCluster {cores} processes", rate_dask,
         f"{n_exp:,} experiments in {t_dask:.1f} s (+ {t_cluster:.1f} s cluster start)", full_steps / rate_dask),
    ]
    w = 62
    print(f"\n{'':{w}s}{'path-steps/s':>14s}  {'measured on':<46s}{f'{args.full_samples} futures':>12s}")
    for label, rate, measured, full in rows:
        print(f"{label:{w}s}{rate:14,.0f}  {measured:<46s}{_duration(full):>12s}")
    print(f"\nlast column: {args.full_samples} futures x {len(strategies)} strategies x {args.paths:,} paths x "
          f"{args.years} years = {full_steps:,} path-steps, extrapolated from the measured rates "
          "((a): experiments x (fixed cost + paths x quarters x time per path-step))")
    print(f"(a) rate of the Python loop alone (favours it): {reference['per_path_step'] * 1e6:.1f} us per path-step, plus "
          f"{reference['fixed_per_experiment'] * 1e3:.0f} ms fixed per experiment (parameters with the overrides); "
          f"EMA's own overhead is in the wall time shown")
    print(f"sweep (best) / (a) EMA-style reference, per path-step: {best / rows[0][1]:,.0f}x (target >= 200x)")
    print(f"sweep, 1 worker / (b) api.run per experiment: {rate_one / api_side['rate']:.1f}x; "
          f"best sweep / (b): {best / api_side['rate']:.1f}x (target >= 3x)")
    print(f"{cores} local workers / 1 worker: {rate_local / rate_one:.2f}x; Dask {cores} processes / 1 worker: "
          f"{rate_dask / rate_one:.2f}x")
    print(f"1 worker, {cores} threads and Dask: bit-identical results: {identical}; (b) api.run vs the sweep's numbers "
          f"for the same futures: largest difference {worst:.1e} (prosperity, security, p_coercion)")
    print(f"load average after: {_load()}")
    if not identical:
        raise SystemExit("results differ between the engines")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


if __name__ == "__main__":
    main()
