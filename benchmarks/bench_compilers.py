"""Benchmark behind the fused kernel's compiler choice (issue 15; docs/performance.md): numba or JAX.

One representative piece of the quarter, written three ways and timed on the same inputs: the
move of every strategy's alignment toward its targets at limited speed with the adjustment cost
and the alignment moved against public preference (sums over partners and domains), then the
direct and routed exposures toward their gravity targets, capped (sums over partners) -- the
``[S, P, K, D]`` elementwise work and reductions the profile blames (issue 15), iterated over the
quarters with the state carried. Run by hand:

    python benchmarks/bench_compilers.py               # 9 strategies x 1,024 paths x 40 quarters, best of 5

- ``numpy``: vectorised over ``[S, P, K, D]`` as the core is written;
- ``numba``: one path at a time in scalar loops (``njit``), as :mod:`hedgelab.model.fast.kernel`;
- ``jax``: the NumPy form under ``jax.jit`` with ``lax.fori_loop`` over quarters (XLA fuses the
  elementwise work), on one CPU thread (``--xla_cpu_multi_thread_eigen=false``, as it would run
  inside a worker of the engine's pool) and in float64 (``jax_enable_x64``, a process-wide switch).

Prints ns per path-step for each, the compile time of the two compilers and the largest
difference from NumPy (the three compute the same numbers).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import numpy as np  # noqa: E402

SPEED, EXPOSURE_SPEED, CAP = 0.3, 0.2, 0.9


def inputs(n_strategies: int, n_paths: int, n_partners: int = 10, n_domains: int = 4, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "a0": rng.uniform(0.1, 0.9, (n_paths, n_partners, n_domains)),
        "pref": rng.uniform(-1, 1, (n_paths, n_partners, n_domains)),
        "target": rng.uniform(0, 1, (n_strategies, n_paths, n_partners, n_domains)),
        "e0": rng.uniform(0.0, 0.08, (n_paths, n_partners)),
        "r0": rng.uniform(0.0, 0.02, (n_paths, n_partners)),
        "gravity": rng.uniform(0.9, 1.1, (n_paths, n_partners)),
    }


def numpy_form(x: dict, n_quarters: int, xp=np):  # type: ignore[no-untyped-def]
    a = xp.broadcast_to(x["a0"], x["target"].shape)
    e = xp.broadcast_to(x["e0"], x["target"].shape[:3])
    r = xp.broadcast_to(x["r0"], x["target"].shape[:3])
    cost = xp.zeros(x["target"].shape[:2])

    def quarter(carry):  # type: ignore[no-untyped-def]
        a, e, r, cost = carry
        new = a + xp.clip(x["target"] - a, -SPEED, SPEED)
        adjustment = ((new - a) ** 2).sum((-2, -1))
        against = xp.maximum(-x["pref"] * (new - x["a0"]), 0.0).sum((-2, -1))
        ratio = new[..., 1] / x["a0"][..., 1]
        direct, routed = x["e0"] * ratio * x["gravity"], x["r0"] * ratio
        scale = xp.minimum(1.0, CAP / (direct + routed).sum(-1, keepdims=True))
        e = e + EXPOSURE_SPEED * (direct * scale - e)
        r = r + EXPOSURE_SPEED * (routed * scale - r)
        room = xp.maximum(CAP - r.sum(-1, keepdims=True), 0.0)
        e = e * xp.minimum(1.0, room / e.sum(-1, keepdims=True))
        return new, e, r, cost + adjustment + against

    if xp is np:
        carry = (a, e, r, cost)
        for _ in range(n_quarters):
            carry = quarter(carry)
        return carry
    from jax import lax

    return lax.fori_loop(0, n_quarters, lambda t, carry: quarter(carry), (a, e, r, cost))


def numba_form():  # type: ignore[no-untyped-def]
    from numba import njit

    @njit(nogil=True, error_model="numpy")
    def run(a0, pref, target, e0, r0, gravity, n_quarters, a, e, r, cost):  # noqa: PLR0913
        n_strategies, n_paths, n_partners, n_domains = target.shape
        for p in range(n_paths):
            for s in range(n_strategies):
                for k in range(n_partners):
                    for d in range(n_domains):
                        a[s, p, k, d] = a0[p, k, d]
                    e[s, p, k] = e0[p, k]
                    r[s, p, k] = r0[p, k]
                cost[s, p] = 0.0
            for _ in range(n_quarters):
                for s in range(n_strategies):
                    total = 0.0
                    for k in range(n_partners):
                        for d in range(n_domains):
                            old = a[s, p, k, d]
                            new = old + min(max(target[s, p, k, d] - old, -SPEED), SPEED)
                            a[s, p, k, d] = new
                            total += (new - old) * (new - old) + max(-pref[p, k, d] * (new - a0[p, k, d]), 0.0)
                    cost[s, p] += total
                    want = 0.0
                    for k in range(n_partners):
                        ratio = a[s, p, k, 1] / a0[p, k, 1]
                        want += e0[p, k] * ratio * gravity[p, k] + r0[p, k] * ratio
                    scale = min(1.0, CAP / want)
                    routed_sum = 0.0
                    exposure_sum = 0.0
                    for k in range(n_partners):
                        ratio = a[s, p, k, 1] / a0[p, k, 1]
                        e[s, p, k] += EXPOSURE_SPEED * (e0[p, k] * ratio * gravity[p, k] * scale - e[s, p, k])
                        r[s, p, k] += EXPOSURE_SPEED * (r0[p, k] * ratio * scale - r[s, p, k])
                        routed_sum += r[s, p, k]
                        exposure_sum += e[s, p, k]
                    fit = min(1.0, max(CAP - routed_sum, 0.0) / exposure_sum)
                    for k in range(n_partners):
                        e[s, p, k] *= fit

    return run


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategies", type=int, default=9)
    parser.add_argument("--paths", type=int, default=1024)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    x = inputs(args.strategies, args.paths)
    steps = args.strategies * args.paths * args.quarters
    reference = numpy_form(x, args.quarters)
    rows = [("numpy (vectorised, the core's form)", best_of(args.repeat, lambda: numpy_form(x, args.quarters)), 0.0, 0.0)]

    run = numba_form()
    out = [np.empty_like(x["target"]), np.empty(x["target"].shape[:3]), np.empty(x["target"].shape[:3]),
           np.empty(x["target"].shape[:2])]
    start = time.perf_counter()
    run(x["a0"], x["pref"], x["target"], x["e0"], x["r0"], x["gravity"], args.quarters, *out)
    compile_numba = time.perf_counter() - start
    seconds = best_of(args.repeat, lambda: run(x["a0"], x["pref"], x["target"], x["e0"], x["r0"], x["gravity"],
                                               args.quarters, *out))
    rows.append(("numba (per path, scalar loops)", seconds, compile_numba, float(np.abs(out[3] - reference[3]).max())))

    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    jitted = jax.jit(lambda x: numpy_form(x, args.quarters, jnp))
    device_x = {k: jnp.asarray(v) for k, v in x.items()}
    start = time.perf_counter()
    jitted(device_x)[3].block_until_ready()
    compile_jax = time.perf_counter() - start
    seconds = best_of(args.repeat, lambda: jitted(device_x)[3].block_until_ready())
    rows.append(("jax.jit (vectorised, XLA-fused, 1 thread)", seconds, compile_jax,
                 float(np.abs(np.asarray(jitted(device_x)[3]) - reference[3]).max())))

    print(f"{args.strategies} strategies x {args.paths:,} paths x {args.quarters} quarters = {steps:,} path-steps, "
          f"float64, best of {args.repeat}; jax {jax.__version__}")
    print(f"{'':44s}{'ns/path-step':>14s}{'vs numpy':>10s}{'compile s':>11s}{'max diff':>10s}")
    for label, seconds, compile_s, diff in rows:
        print(f"{label:44s}{seconds / steps * 1e9:14.1f}{rows[0][1] / seconds:9.1f}x{compile_s:11.2f}{diff:10.1e}")


if __name__ == "__main__":
    main()
