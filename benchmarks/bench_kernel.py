"""Benchmark: the fused kernel alone, compiled with and without its fastmath flags.

A kernel micro-benchmark (the public-runner figures are ``bench_model.py``'s): nanoseconds per
path-step of :func:`hedgelab.model.fast.kernel.run_paths` on one chunk, one thread, japan-2026
with every built-in strategy and the comparison's recorders, inputs packed once before the
timing. Run by hand (not collected by pytest):

    python benchmarks/bench_kernel.py               # 4,096 paths x 40 quarters, best of 7
    python benchmarks/bench_kernel.py --paths 8192
    python benchmarks/bench_kernel.py --set responses.coercion_committed_prior=0.7   # a coercer that may bluff

Two compilations of the same source are compared in one process, the timings alternating:
the kernel as shipped (``kernel.OPTIONS``: ``fastmath`` with reassociation, contraction and no
signed zeros) and the same options without ``fastmath``. Both must agree with each other to
rounding (the largest difference of any output is printed), which the equality tests of
``tests/model/fast`` check against the NumPy core on every test run.
"""

from __future__ import annotations

import argparse
import gc
import os
import time
import types

import numpy as np
from numba import njit

from hedgelab.analysis.compare import outcome_recorders
from hedgelab.analysis.prepare import prepare
from hedgelab.model import draw_shocks
from hedgelab.model.fast import kernel, run

SCENARIO = "japan-2026"


def compile_variant(options: dict) -> types.SimpleNamespace:
    """The kernel module's names with ``run_paths`` and its ``path_step`` compiled with
    ``options`` (no disk cache, so the shipped cache is untouched)."""
    options = {**options, "cache": False}
    step = njit(**options)(kernel.path_step)
    outer = types.FunctionType(kernel.run_paths.py_func.__code__, {**vars(kernel), "path_step_cpu": step})
    return types.SimpleNamespace(**{**vars(kernel), "run_paths": njit(**options)(outer)})


def run_once(variant: types.SimpleNamespace, prepared, shocks) -> tuple[float, dict[str, np.ndarray]]:
    """Seconds inside ``variant.run_paths`` for one chunk, and the recorders' outputs."""
    seconds: list[float] = []
    compiled = variant.run_paths

    def timed(*args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        compiled(*args)
        seconds.append(time.perf_counter() - start)

    shipped = run.kernel
    run.kernel = types.SimpleNamespace(**{**vars(variant), "run_paths": timed})
    try:
        out = run.run_kernel(prepared.params, prepared.policy, shocks, outcome_recorders(), dtype=np.dtype(np.float32),
                             reference=prepared.reference, device="cpu")
    finally:
        run.kernel = shipped
    return seconds[0], out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=4096, help="paths of the chunk (default 4,096)")
    parser.add_argument("--quarters", type=int, default=40, help="quarters (default 40)")
    parser.add_argument("--repeat", type=int, default=7, help="timings of each variant, best kept (default 7)")
    parser.add_argument("--set", action="append", default=[], metavar="GROUP.FIELD=VALUE",
                        help="override a parameter of the scenario, as the CLI's --set (repeatable)")
    args = parser.parse_args(argv)

    prepared = prepare(SCENARIO, None, overrides=args.set)
    shocks = draw_shocks(0, 0, args.paths, args.quarters, np.float32)
    plain = {key: value for key, value in kernel.OPTIONS.items() if key != "fastmath"}
    variants = {"as shipped (kernel.OPTIONS)": compile_variant(kernel.OPTIONS),
                "without fastmath": compile_variant(plain)}
    outputs = {label: run_once(v, prepared, shocks)[1] for label, v in variants.items()}  # compiles
    best = dict.fromkeys(variants, float("inf"))
    labels = list(variants)
    for i in range(args.repeat):
        for label in labels[i % 2:] + labels[: i % 2]:
            gc.collect()
            best[label] = min(best[label], run_once(variants[label], prepared, shocks)[0])
    steps = len(prepared.policy.names) * args.paths * args.quarters
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{SCENARIO}{' with ' + ', '.join(args.set) if args.set else ''}, {len(prepared.policy.names)} strategies "
          f"x {args.paths:,} paths x {args.quarters} quarters, one thread, best of {args.repeat}")
    for label in labels:
        print(f"  {label:30s} {best[label] * 1e9 / steps:7.1f} ns per path-step")
    print(f"  speed-up from fastmath: {best[labels[1]] / best[labels[0]]:.2f}x")
    a, b = (outputs[label] for label in labels)
    first_differs = [k for k in a if not np.array_equal(np.isnan(np.asarray(a[k], float)), np.isnan(np.asarray(b[k], float)))]
    largest = max(float(np.nanmax(np.abs(np.asarray(a[k], float) - np.asarray(b[k], float)))) for k in a)
    print(f"  largest difference of any output between the two: {largest:.1e}; first-event times that differ in "
          f"whether the event happened: {', '.join(first_differs) or 'none'}")


if __name__ == "__main__":
    main()
