"""Benchmark: path-steps per second of the full model against the per-path reference loop.

A path-step is one path of one strategy advanced by one quarter. Run by hand (not collected by
pytest):

    python benchmarks/bench_model.py                 # NumPy core and fused kernel (1 worker, all cores) vs reference
    python benchmarks/bench_model.py --workers 4     # the parallel side with 4 workers instead
    python benchmarks/bench_model.py --chunks        # + chunk sizes: the NumPy core 1,024 to 16,384, the kernel 1,024 to 4,096
    python benchmarks/bench_model.py --million       # + time and peak memory of a 1,000,000-path api.run
    python benchmarks/bench_model.py --memory        # + peak memory of 1,000,000 paths reduced per future, 10 and 20 years

The model side is :func:`hedgelab.api.run` (every built-in strategy on japan-2026, float32,
shocks drawn from the seed inside the timing, chunked and spread over workers as the API does),
timed on both backends (:mod:`hedgelab.analysis.backends`): the NumPy core with ``workers=1``
(serial, in the calling thread) and ``workers=None`` (every available core, or ``--workers N``),
and the fused kernel (``fast``) with the same two settings, in the same run: the repeats cycle
through the four (in a rotating order) and each keeps its best. Before the timings, one small
multi-chunk run with each worker count must give bit-identical results on each backend.
Separately, the core :func:`hedgelab.model.simulate` (one thread, the comparison's outcome
recorders) is timed on shocks drawn outside its timing.

The reference side is the per-path loop of ``tests/reference/reference_model.py`` (plain
floats, one path of one strategy at a time, its ``step`` function only, no per-quarter records;
its shocks are drawn and converted to floats before the timing starts, which favours it).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from _reference import load_reference  # benchmarks/_reference.py
from hedgelab import __version__, api
from hedgelab.analysis import runner
from hedgelab.analysis.backends import pinned_backend
from hedgelab.analysis.compare import outcome_recorders
from hedgelab.analysis.executors import available_cores
from hedgelab.analysis.prepare import prepare
from hedgelab.model import draw_shocks, simulate
from hedgelab.scenarios import builtin_strategies

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "japan-2026"
QUARTERS_PER_YEAR = runner.QUARTERS_PER_YEAR


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):  # Windows
        return "n/a"


def _strategies() -> list[str]:
    return list(builtin_strategies())


def _run(n_paths: int, years: int, workers: int | None, seed: int = 0, backend: str = "numpy"):
    with pinned_backend(backend):
        result = api.run(SCENARIO, _strategies(), n_paths=n_paths, years=years, seed=seed,
                         dtype=np.float32, workers=workers)
    assert result.attrs["backend"] == backend, result.attrs["backend"]
    return result


def check_workers_identical(workers: int | None, backend: str) -> tuple[int, int]:
    """One small run with ``workers=1`` and with ``workers`` on ``backend``: the results must be
    bit-identical (same variables, dims, dtypes, bytes, coordinates and attrs). Returns (paths, chunks)."""
    years = 2
    prepared = prepare(SCENARIO, _strategies())
    most = runner.max_chunk_paths(backend, len(prepared.policy.names), len(prepared.params.partner_codes))
    n_paths = 2 * most + most // 2  # three chunks, the last one partial
    serial = _run(n_paths, years, 1, seed=7, backend=backend)
    parallel = _run(n_paths, years, workers, seed=7, backend=backend)
    assert list(serial.data_vars) == list(parallel.data_vars), "variables differ"
    for name, var in serial.data_vars.items():
        other = parallel[name]
        assert var.dims == other.dims and var.dtype == other.dtype, f"{name}: dims or dtype differ"
        assert var.values.tobytes() == other.values.tobytes(), f"{name}: values not bit-identical"
    assert serial.attrs["run_id"] == parallel.attrs["run_id"], "run ids differ"
    # the provenance differs only in the worker count and the clock
    assert serial.drop_attrs().identical(parallel.drop_attrs()), "coordinates differ"
    chunk = runner.chunk_size(QUARTERS_PER_YEAR * years, n_paths, np.dtype(np.float32).itemsize, max_paths=most)
    return n_paths, -(-n_paths // chunk)


SETTINGS: tuple[tuple[str, str, bool], ...] = (
    ("numpy_serial", "numpy", False), ("numpy_parallel", "numpy", True),
    ("fast_serial", "fast", False), ("fast_parallel", "fast", True),
)
"""(label, backend, all workers?) of the api.run timings."""


def bench_workers(n_paths: int, n_quarters: int, repeat: int, workers: int | None) -> dict[str, float]:
    """Best-of-``repeat`` seconds of ``api.run`` on each backend with one worker and with
    ``workers``, the four settings rotating their order from one repeat to the next."""
    years = n_quarters // QUARTERS_PER_YEAR
    for _, backend, parallel in SETTINGS:  # warm-up (imports, caches, compiled kernel, reference intensities)
        _run(1024, 1, workers if parallel else 1, backend=backend)
    best = {label: float("inf") for label, _, _ in SETTINGS}
    for i in range(repeat):
        for label, backend, parallel in SETTINGS[i % len(SETTINGS):] + SETTINGS[: i % len(SETTINGS)]:
            gc.collect()
            start = time.perf_counter()
            _run(n_paths, years, workers if parallel else 1, backend=backend)
            best[label] = min(best[label], time.perf_counter() - start)
    steps = len(_strategies()) * n_paths * n_quarters
    out: dict[str, float] = {"path_steps": steps}
    for label, seconds in best.items():
        out[f"{label}_seconds"] = seconds
        out[f"{label}_rate"] = steps / seconds
    return out


def time_core(n_paths: int, n_quarters: int, chunk: int, repeat: int) -> tuple[float, float]:
    """Best-of-``repeat`` seconds in the core ``simulate`` (with the comparison's recorders,
    their results merged) and in drawing shocks, paths in chunks, one thread."""
    prepared = prepare(SCENARIO, _strategies())
    best_core = best_shocks = float("inf")
    for _ in range(repeat):
        gc.collect()
        elapsed_core = elapsed_shocks = 0.0
        for first in range(0, n_paths, chunk):
            width = min(chunk, n_paths - first)
            t0 = time.perf_counter()
            shocks = draw_shocks(0, first, width, n_quarters, np.float32)
            t1 = time.perf_counter()
            recorders = outcome_recorders()
            simulate(prepared.params, prepared.policy, shocks, recorders,
                     dtype=np.float32, reference=prepared.reference)
            results: dict[str, np.ndarray] = {}
            for recorder in recorders:
                results.update(recorder.result())
            elapsed_shocks += t1 - t0
            elapsed_core += time.perf_counter() - t1
        best_core = min(best_core, elapsed_core)
        best_shocks = min(best_shocks, elapsed_shocks)
    return best_core, best_shocks


def bench_core(n_paths: int, n_quarters: int, repeat: int) -> dict[str, float]:
    chunk = runner.chunk_size(n_quarters, n_paths, np.dtype(np.float32).itemsize)
    time_core(min(n_paths, 1024), QUARTERS_PER_YEAR, 1024, 1)  # warm-up
    seconds, shock_seconds = time_core(n_paths, n_quarters, chunk, repeat)
    steps = len(_strategies()) * n_paths * n_quarters
    return {"chunk": chunk, "seconds": seconds, "rate": steps / seconds, "shock_seconds": shock_seconds}


def bench_reference(n_paths: int, n_quarters: int, repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` seconds of the reference loop (best of, like the model side, so that
    a slow moment on the shared machine does not flatter the ratios)."""
    ref = load_reference()
    rp, base = ref.scenario_base(SCENARIO)  # hazards normalised at the reference scenario
    policies = [ref.load_policy(name, rp) for name in _strategies()]
    per_path = [ref.path_shocks(0, p, n_quarters) for p in range(n_paths)]
    initial = [ref.path_initial_draw(0, p) for p in range(n_paths)]
    elapsed = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for pol in policies:
            for p in range(n_paths):
                state = ref.initial_state(rp, initial[p])
                for t in range(n_quarters):
                    state, _ = ref.step(rp, pol, base, state, per_path[p][t])
        elapsed = min(elapsed, time.perf_counter() - start)
    steps = len(policies) * n_paths * n_quarters
    return {"path_steps": steps, "seconds": elapsed, "rate": steps / elapsed}


def bench_fast_chunks(n_paths: int, n_quarters: int, repeat: int, workers: int | None,
                      sizes: tuple[int, ...] = (1024, 2048, 4096)) -> dict[int, float]:
    """Best-of-``repeat`` seconds of ``api.run`` on the fused kernel with ``workers`` and at most
    each of ``sizes`` paths per chunk (``runner.CHUNK_PATHS``), the sizes interleaved."""
    shipped = runner.CHUNK_PATHS
    best = dict.fromkeys(sizes, float("inf"))
    try:
        for i in range(repeat):
            for size in sizes[i % len(sizes):] + sizes[: i % len(sizes)]:
                runner.CHUNK_PATHS = size
                gc.collect()
                start = time.perf_counter()
                _run(n_paths, n_quarters // QUARTERS_PER_YEAR, workers, backend="fast")
                best[size] = min(best[size], time.perf_counter() - start)
    finally:
        runner.CHUNK_PATHS = shipped
    return best


def bench_million(n_paths: int, years: int, workers: int | None) -> dict[str, float]:
    strategies = _strategies()
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    start = time.perf_counter()
    result = api.run(SCENARIO, strategies, n_paths=n_paths, years=years, seed=0, dtype=np.float32,
                     workers=workers)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result_bytes = sum(v.values.nbytes for v in result.data_vars.values())
    return {
        "backend": result.attrs["backend"],
        "paths": n_paths,
        "years": years,
        "seconds": elapsed,
        "rate": len(strategies) * n_paths * QUARTERS_PER_YEAR * years / elapsed,
        "traced_peak_mib": peak / 2**20,
        "result_mib": result_bytes / 2**20,
        "max_rss_mib_before": rss_before,
        "max_rss_mib_after": rss_after,
    }


MEMORY_CHILD = """
import json, resource, sys, time
from hedgelab.analysis.explore.design import make_design, uncertainties
from hedgelab.analysis.explore.sweep import sweep
from hedgelab.scenarios import load_scenario
from bench_explore import UNCERTAIN  # the 13 uncertainties of docs/explore.md's worked example
years, workers = int(sys.argv[1]), (int(sys.argv[2]) or None)
loaded = load_scenario("japan-2026")
design = make_design(uncertainties(loaded, UNCERTAIN), 1000, "lhs", 0)
start = time.perf_counter()
result = sweep(loaded, None, design, paths_per_sample=1000, years=years, seed=0, workers=workers)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "strategies": result.sizes["strategy"], "backend": result.attrs["backend"],
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_memory(years: int, workers: int | None) -> dict[str, float]:
    """Seconds and peak RSS of a fresh process that runs 1,000,000 paths (1,000 futures x 1,000
    paths) for ``years`` through the exploration sweep, which keeps per-future statistics only."""
    done = subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(years), str(workers or 0)],
                          capture_output=True, text=True, check=True, cwd=Path(__file__).parent)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["rate"] = 1_000_000 * out["strategies"] * QUARTERS_PER_YEAR * years / out["seconds"]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="\n".join(__doc__.splitlines()[2:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paths", type=int, default=20_000, help="paths for the model timings (default 20,000)")
    parser.add_argument("--quarters", type=int, default=40, help="quarters, a multiple of 4 (default 40)")
    parser.add_argument("--reference-paths", type=int, default=20, help="paths for the reference loop (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="timings of each kind to take the best of (default 3)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="worker count of the parallel api.run timing, compared with workers=1 "
                             "(default: None, every available core)")
    parser.add_argument("--chunks", action="store_true",
                        help="also time the core at chunk sizes 1,024 to 16,384 paths "
                             "(runner.CHUNK_PATHS is chosen from this)")
    parser.add_argument("--million", action="store_true", help="also measure a 1,000,000-path api.run")
    parser.add_argument("--million-years", type=int, default=10, help="years of the --million run (default 10)")
    parser.add_argument("--memory", action="store_true",
                        help="also measure the peak memory of 1,000,000 paths (1,000 futures x 1,000 paths, every "
                             "strategy, reduced per future by the sweep), each horizon in a fresh process")
    parser.add_argument("--memory-years", default="10,20", help="horizons of --memory (default 10,20)")
    args = parser.parse_args(argv)
    if args.quarters % QUARTERS_PER_YEAR:
        parser.error("--quarters must be a multiple of 4")
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")

    cores = available_cores()
    n_parallel = args.workers or cores
    parallel_label = f"workers={args.workers}" if args.workers else f"workers=None ({cores})"
    print(f"hedgelab {__version__}, numpy {np.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {cores} available cores (hedgelab.analysis.executors.available_cores)")
    print(f"load average before: {_load()} (other processes on the machine skew the timings)")

    for backend in ("numpy", "fast"):
        check_paths, check_chunks = check_workers_identical(args.workers, backend)
        print(f"{backend}: workers=1 and {parallel_label}: bit-identical results on {check_paths:,} paths x 2 years "
              f"({check_chunks} chunks, seed 7)")

    model = bench_workers(args.paths, args.quarters, args.repeat, args.workers)
    core = bench_core(args.paths, args.quarters, args.repeat)
    reference = bench_reference(args.reference_paths, args.quarters, args.repeat)

    n_strategies = len(_strategies())
    print(f"\nall {n_strategies} built-in strategies on {SCENARIO}, float32, {args.paths:,} paths x {args.quarters} "
          f"quarters = {model['path_steps']:,} path-steps; best of {args.repeat}; api.run's chunks: at most "
          f"{runner.CHUNK_PATHS:,} paths")
    w = 52
    print(f"{'':{w}s}{'path-steps/s':>16s}{'seconds':>10s}{'/ reference':>13s}{'/ NumPy 1 worker':>18s}")
    rows = [
        ("NumPy core: api.run, workers=1 (incl. shocks)", model["numpy_serial_rate"], model["numpy_serial_seconds"]),
        (f"NumPy core: api.run, {parallel_label}", model["numpy_parallel_rate"], model["numpy_parallel_seconds"]),
        ("fused kernel: api.run, workers=1 (incl. shocks)", model["fast_serial_rate"], model["fast_serial_seconds"]),
        (f"fused kernel: api.run, {parallel_label}", model["fast_parallel_rate"], model["fast_parallel_seconds"]),
        ("NumPy core: simulate only (1 thread)", core["rate"], core["seconds"]),
        ("reference per-path loop", reference["rate"], reference["seconds"]),
    ]
    for label, rate, seconds in rows:
        print(f"{label:{w}s}{rate:16,.0f}{seconds:10.2f}{rate / reference['rate']:12,.0f}x"
              f"{rate / model['numpy_serial_rate']:17.2f}x")
    print(f"(core simulate: + {core['shock_seconds']:.2f} s drawing shocks, chunks of {core['chunk']:,}; "
          f"reference: {reference['path_steps']:,} path-steps)")
    for backend in ("numpy", "fast"):
        speedup = model[f"{backend}_parallel_rate"] / model[f"{backend}_serial_rate"]
        print(f"workers ({backend}): {parallel_label} / workers=1: {speedup:.2f}x on {n_parallel} workers "
              f"({speedup / n_parallel:.0%} parallel efficiency; {cores} available cores)")
    print(f"targets (issue 15): fused kernel on all workers / NumPy core on 1 worker = "
          f"{model['fast_parallel_rate'] / model['numpy_serial_rate']:.2f}x (>= 4x); "
          f"/ reference = {model['fast_parallel_rate'] / reference['rate']:,.0f}x (>= 800x)")

    print(f"load average after the timings: {_load()}")

    if args.chunks:
        print("\ncore simulate by chunk size, 1 thread (paths per chunk -> path-steps/s):")
        for chunk in (1024, 2048, 4096, 8192, 16384):
            n = max(args.paths, chunk)
            seconds, _ = time_core(n, args.quarters, chunk, args.repeat)
            print(f"{chunk:>8,d}{len(_strategies()) * n * args.quarters / seconds:16,.0f}")
        print(f"fused kernel, api.run, {parallel_label}, by the most paths per chunk (runner.CHUNK_PATHS = "
              f"{runner.CHUNK_PATHS:,}), best of {max(args.repeat, 5)}, interleaved (paths per chunk -> seconds, "
              "path-steps/s):")
        for chunk, seconds in bench_fast_chunks(args.paths, args.quarters, max(args.repeat, 5), args.workers).items():
            print(f"{chunk:>8,d}{seconds:10.3f}{model['path_steps'] / seconds:16,.0f}")
    if args.million:
        m = bench_million(1_000_000, args.million_years, args.workers)
        print(f"\napi.run, 1,000,000 paths x {m['years']} years x {n_strategies} strategies, float32, {parallel_label}, "
              f"backend {m['backend']}: "
              f"{m['seconds']:.1f} s ({m['rate']:,.0f} path-steps/s)")
        print(f"peak traced memory (tracemalloc): {m['traced_peak_mib']:,.0f} MiB "
              f"(of which the returned per-path result: {m['result_mib']:,.0f} MiB)")
        print(f"max RSS of the process: {m['max_rss_mib_before']:,.0f} MiB before, {m['max_rss_mib_after']:,.0f} MiB after")
    if args.memory:
        print("\n1,000,000 paths reduced per future (sweep: 1,000 LHS futures of bench_explore's 13 uncertainties x "
              "1,000 paths, every strategy, float32, "
              f"{parallel_label}, auto backend), each horizon in a fresh process:")
        for years in (int(y) for y in args.memory_years.split(",")):
            m = bench_memory(years, args.workers)
            print(f"{years:>3d} years: {m['seconds']:7.1f} s, {m['rate']:12,.0f} path-steps/s, peak RSS "
                  f"{m['max_rss_mib']:,.0f} MiB, backend {m['backend']}")


if __name__ == "__main__":
    main()
