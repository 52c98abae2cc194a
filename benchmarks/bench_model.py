"""Benchmark: path-steps per second of the full model against the per-path reference loop.

A path-step is one path of one strategy advanced by one quarter. Run by hand (not collected by
pytest):

    python benchmarks/bench_model.py                 # model vs reference, side by side
    python benchmarks/bench_model.py --million       # + peak memory of a 1,000,000-path api.run

The model side is :func:`hedgelab.api.run` (all nine named strategies on japan-2026, float32,
shocks drawn from the seed inside the timing, chunked as the API chunks) and, separately, the
core :func:`hedgelab.model.simulate` on pre-drawn shocks. The reference side is the per-path
loop of ``tests/model/reference_step.py`` (plain floats, one path of one strategy at a time; its
shocks are drawn and converted to floats before the timing starts, which favours it).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import platform
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from hedgelab import __version__, api
from hedgelab.model import draw_shocks, simulate
from hedgelab.scenarios import builtin_strategies, load_scenario

ROOT = Path(__file__).resolve().parents[1]


def _load_reference():
    path = ROOT / "tests" / "model" / "reference_step.py"
    spec = importlib.util.spec_from_file_location("reference_step", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["reference_step"] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def bench_model(n_paths: int, n_quarters: int, repeat: int) -> dict[str, float]:
    strategies = list(builtin_strategies())
    years = n_quarters // 4
    api.run("japan-2026", strategies, n_paths=1024, years=1, seed=0)  # warm-up (imports, caches)
    best_api = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        api.run("japan-2026", strategies, n_paths=n_paths, years=years, seed=0, dtype=np.float32)
        best_api = min(best_api, time.perf_counter() - start)

    best_core, best_shocks = time_core(n_paths, n_quarters, min(n_paths, api.CHUNK_PATHS), repeat)
    steps = len(strategies) * n_paths * n_quarters
    return {
        "path_steps": steps,
        "api_seconds": best_api,
        "api_rate": steps / best_api,
        "core_seconds": best_core,
        "core_rate": steps / best_core,
        "shock_seconds": best_shocks,
    }


def time_core(n_paths: int, n_quarters: int, chunk: int, repeat: int) -> tuple[float, float]:
    """Best-of-``repeat`` seconds in the core ``simulate`` and in drawing shocks, paths in chunks."""
    prepared = api.prepare("japan-2026", None, None)
    best_core = best_shocks = float("inf")
    for _ in range(repeat):
        elapsed_core = elapsed_shocks = 0.0
        for first in range(0, n_paths, chunk):
            width = min(chunk, n_paths - first)
            t0 = time.perf_counter()
            shocks = draw_shocks(0, first, width, n_quarters, np.float32)
            t1 = time.perf_counter()
            simulate(prepared.params, prepared.policy, shocks, dtype=np.float32, reference=prepared.reference)
            elapsed_shocks += t1 - t0
            elapsed_core += time.perf_counter() - t1
        best_core = min(best_core, elapsed_core)
        best_shocks = min(best_shocks, elapsed_shocks)
    return best_core, best_shocks


def bench_reference(n_paths: int, n_quarters: int) -> dict[str, float]:
    ref = _load_reference()
    scenario = load_scenario("japan-2026")
    rp = ref.params_from_scenario(scenario)
    base = ref.baseline(rp, ref.params_from_scenario(load_scenario(scenario.events.reference_scenario)))
    policies = [ref.policy_from_strategy(s, rp) for s in builtin_strategies().values()]
    shocks = draw_shocks(0, 0, n_paths, n_quarters, np.float64)
    per_quarter = [
        [{k: float(v[p]) for k, v in shocks.quarter(t).items()} for p in range(n_paths)]
        for t in range(n_quarters)
    ]
    start = time.perf_counter()
    for pol in policies:
        for p in range(n_paths):
            state = ref.initial_state(rp)
            for t in range(n_quarters):
                state, _ = ref.step(rp, pol, base, state, per_quarter[t][p])
    elapsed = time.perf_counter() - start
    steps = len(policies) * n_paths * n_quarters
    return {"path_steps": steps, "seconds": elapsed, "rate": steps / elapsed}


def bench_million(n_paths: int, years: int) -> dict[str, float]:
    strategies = list(builtin_strategies())
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    start = time.perf_counter()
    result = api.run("japan-2026", strategies, n_paths=n_paths, years=years, seed=0, dtype=np.float32)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result_bytes = sum(v.values.nbytes for v in result.data_vars.values())
    return {
        "paths": n_paths,
        "years": years,
        "seconds": elapsed,
        "rate": len(strategies) * n_paths * 4 * years / elapsed,
        "traced_peak_mib": peak / 2**20,
        "result_mib": result_bytes / 2**20,
        "max_rss_mib_before": rss_before,
        "max_rss_mib_after": rss_after,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=20_000, help="paths for the model timing")
    parser.add_argument("--quarters", type=int, default=40, help="quarters (a multiple of 4)")
    parser.add_argument("--reference-paths", type=int, default=20, help="paths for the reference loop")
    parser.add_argument("--repeat", type=int, default=3, help="model timings to take the best of")
    parser.add_argument("--million", action="store_true", help="also measure a 1,000,000-path api.run")
    parser.add_argument("--million-years", type=int, default=10)
    parser.add_argument("--chunks", action="store_true",
                        help="also time the core at chunk sizes 1,024 to 16,384 paths (api.CHUNK_PATHS is chosen from this)")
    args = parser.parse_args(argv)

    print(f"hedgelab {__version__}, numpy {np.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs")
    model = bench_model(args.paths, args.quarters, args.repeat)
    reference = bench_reference(args.reference_paths, args.quarters)
    print(f"\nall 9 named strategies on japan-2026, float32, {args.paths:,} paths x {args.quarters} quarters "
          f"= {model['path_steps']:,} path-steps")
    print(f"{'':32s}{'path-steps/s':>16s}{'seconds':>10s}")
    print(f"{'model: api.run (incl. shocks)':32s}{model['api_rate']:16,.0f}{model['api_seconds']:10.2f}")
    print(f"{'model: core simulate only':32s}{model['core_rate']:16,.0f}{model['core_seconds']:10.2f}"
          f"   (+ {model['shock_seconds']:.2f} s drawing shocks)")
    print(f"{'reference per-path loop':32s}{reference['rate']:16,.0f}{reference['seconds']:10.2f}"
          f"   ({reference['path_steps']:,} path-steps)")
    print(f"\nratio model (api.run) / reference: {model['api_rate'] / reference['rate']:,.0f}x")
    print(f"ratio model (core)    / reference: {model['core_rate'] / reference['rate']:,.0f}x")
    if args.chunks:
        print("\ncore simulate by chunk size (paths per chunk -> path-steps/s):")
        for chunk in (1024, 2048, 4096, 8192, 16384):
            seconds, _ = time_core(max(args.paths, chunk), args.quarters, chunk, args.repeat)
            print(f"{chunk:>8,d}{9 * max(args.paths, chunk) * args.quarters / seconds:16,.0f}")
    if args.million:
        m = bench_million(1_000_000, args.million_years)
        print(f"\napi.run, 1,000,000 paths x {m['years']} years x 9 strategies, float32: {m['seconds']:.1f} s "
              f"({m['rate']:,.0f} path-steps/s)")
        print(f"peak traced memory (tracemalloc): {m['traced_peak_mib']:,.0f} MiB "
              f"(of which the returned per-path result: {m['result_mib']:,.0f} MiB)")
        print(f"max RSS of the process: {m['max_rss_mib_before']:,.0f} MiB before, {m['max_rss_mib_after']:,.0f} MiB after")


if __name__ == "__main__":
    main()
