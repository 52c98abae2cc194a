"""The runner: one engine for every analysis.

It splits the paths of a request into chunks (a multiple of the shocks' block, so results do
not depend on chunking), simulates each chunk with a fresh copy of the recorders on an executor,
and stitches the recorders' outputs together along the ``path`` axis. It is

- **deterministic**: the same seed gives the same numbers whatever the chunking, the number of
  workers and the order in which chunks finish;
- **memory-bounded**: a chunk's shocks fit :data:`CHUNK_BYTES`, and a request whose results would
  exceed :data:`hedgelab.analysis.limits.MAX_RESULT_BYTES` is refused before anything runs;
- **interruptible**: on Ctrl-C it returns what finished, flagged ``complete=False``, with the
  indices of the paths it covers;
- **on one backend**: the NumPy core or the fused kernel (:mod:`hedgelab.analysis.backends`),
  chosen once per run and recorded in :attr:`RunOutput.backend`; the guarantees above hold within
  each, and the two agree to rounding (``tests/model/fast``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from hedgelab.analysis import backends
from hedgelab.analysis.executors import Executor, make_executor
from hedgelab.analysis.limits import check_request, check_result_size
from hedgelab.analysis.prepare import Prepared
from hedgelab.model import ModelParams, PolicyArrays, draw_shocks, fast, policy_targets, simulate
from hedgelab.model.recorders import Recorder
from hedgelab.model.shocks import BLOCK, NORMAL_KINDS, UNIFORM_KINDS, Shocks
from hedgelab.model.step import TargetFn

QUARTERS_PER_YEAR = 4
CHUNK_BYTES = 64 * 2**20
"""Memory budget for one chunk's shocks."""
CHUNK_PATHS = 1024
"""Paths per chunk at most (one shock block): smaller chunks keep the quarter's temporaries in cache.
1,024 ran 1.26x faster than 4,096 single-threaded in an interleaved A/B (3.70 s against 4.67 s for
16,384 paths x 10 years x 9 strategies); ``benchmarks/bench_model.py --chunks`` compares sizes,
on the fused kernel too (there 1,024 and 2,048 ran alike, 4,096 about 10% slower on 2 workers)."""


def max_chunk_paths(backend: str, n_strategies: int, n_partners: int) -> int:
    """The most paths per chunk on ``backend``: :data:`CHUNK_PATHS` on the CPU, and on the GPU
    (one thread per path) as many as the per-thread scratch of
    :data:`hedgelab.model.fast.gpu.SCRATCH_BYTES` allows."""
    if backend == backends.GPU:
        from hedgelab.model.fast.gpu import max_paths

        return max_paths(n_strategies, n_partners)
    return CHUNK_PATHS


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunOutput:
    """What the recorders produced over the finished paths."""

    outputs: dict[str, tuple[tuple[str, ...], np.ndarray]]  # name -> (dims, values)
    paths: np.ndarray  # indices of the paths covered, ascending
    complete: bool  # False when interrupted before every path finished
    n_quarters: int
    n_workers: int  # workers of the executor that ran the chunks
    backend: str = field(default_factory=lambda: backends.choose(None))  # numpy, fast or gpu (see backends)


@dataclass(frozen=True)
class _Chunk:
    params: ModelParams
    policy: PolicyArrays
    reference: Mapping[str, float]
    recorders: tuple[Recorder, ...]
    seed: int
    start: int
    width: int
    n_quarters: int
    dtype: np.dtype
    target_fn: TargetFn
    shock_period: int | None = None
    backend: str = backends.NUMPY


def _chunk_shocks(chunk: _Chunk) -> Shocks:
    if chunk.shock_period is None:
        return draw_shocks(chunk.seed, chunk.start, chunk.width, chunk.n_quarters, chunk.dtype)
    # path p sees the shocks of path p % shock_period: for each run of the chunk that does not wrap
    # around the period, draw only the blocks that run needs, then pick its paths
    index = (chunk.start + np.arange(chunk.width)) % chunk.shock_period
    pieces = []
    for run in np.split(index, np.flatnonzero(np.diff(index) < 0) + 1):
        first = int(run[0]) // BLOCK * BLOCK
        drawn = draw_shocks(chunk.seed, first, int(run[-1]) + 1 - first, chunk.n_quarters, chunk.dtype)
        pieces.append(drawn.take(run - first))
    return Shocks(**{f.name: np.concatenate([getattr(p, f.name) for p in pieces], axis=-1) for f in fields(Shocks)})


def _run_chunk(chunk: _Chunk) -> tuple[int, int, dict[str, np.ndarray]]:
    recorders = copy.deepcopy(chunk.recorders)
    shocks = _chunk_shocks(chunk)
    params = chunk.params.take(slice(chunk.start, chunk.start + chunk.width))
    if chunk.backend != backends.NUMPY:
        device = "gpu" if chunk.backend == backends.GPU else "cpu"
        return chunk.start, chunk.width, fast.simulate(params, chunk.policy, shocks, recorders, dtype=chunk.dtype,
                                                       reference=chunk.reference, device=device)
    simulate(params, chunk.policy, shocks, recorders, dtype=chunk.dtype,
             target_fn=chunk.target_fn, reference=chunk.reference)
    results: dict[str, np.ndarray] = {}
    for recorder in recorders:
        results.update(recorder.result())
    return chunk.start, chunk.width, results


def chunk_size(n_quarters: int, n_paths: int, itemsize: int = 4, max_paths: int = CHUNK_PATHS) -> int:
    """Paths per chunk so that one chunk's shocks fit :data:`CHUNK_BYTES` (a multiple of BLOCK),
    at most ``max_paths`` (:func:`max_chunk_paths` of the backend)."""
    per_path = n_quarters * (len(NORMAL_KINDS) + len(UNIFORM_KINDS)) * itemsize
    blocks = max(1, min(CHUNK_BYTES // (per_path * BLOCK), max_paths // BLOCK))
    return min(blocks * BLOCK, -(-n_paths // BLOCK) * BLOCK)


def run(
    prepared: Prepared,
    recorders: Sequence[Recorder],
    *,
    n_paths: int,
    years: int,
    seed: int,
    dtype: np.dtype = np.float32,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    target_fn: TargetFn = policy_targets,
    what: str = "this run",
    shock_period: int | None = None,
    backend: str | None = None,
) -> RunOutput:
    """Simulate ``prepared`` on ``n_paths`` paths of ``years`` years, feeding ``recorders``.

    Parameters
    ----------
    workers : int, optional
        Size of the local pool when ``executor`` is not given (default: every available core;
        1 runs in the calling thread).
    progress : callable, optional
        Called as ``progress(paths_done, n_paths)`` after each chunk.
    what : str
        How a refusal names the request (``"partner effects"`` …).
    shock_period : int, optional
        When given, path ``p`` sees the shocks of path ``p % shock_period`` (common random numbers
        across the samples of an exploration, each a run of ``shock_period`` consecutive paths:
        :mod:`hedgelab.analysis.explore.sweep`). Default: every path its own shocks, as always.
    backend : {"auto", "numpy", "fast", "gpu"}, optional
        The numerical backend (:mod:`hedgelab.analysis.backends`); default: the pinned one, else
        ``auto``. A GPU run goes chunk by chunk in the calling thread.
    """
    check_request(n_paths, years, seed)
    dtype = np.dtype(dtype)
    n_quarters = QUARTERS_PER_YEAR * years
    n_strategies, n_partners = len(prepared.policy.names), len(prepared.params.partner_codes)
    per_path = sum(r.values_per_path(n_strategies, n_quarters, n_partners) for r in recorders)
    check_result_size(n_paths, per_path, dtype.itemsize, what)
    if prepared.params.n_paths not in (None, n_paths):
        raise ValueError(f"parameters vary along {prepared.params.n_paths} paths, not {n_paths}")
    if shock_period is not None and shock_period < 1:
        raise ValueError(f"shock_period must be at least 1, got {shock_period}")

    chosen = backends.choose(backend, recorders, target_fn)
    step = chunk_size(n_quarters, n_paths, dtype.itemsize, max_paths=max_chunk_paths(chosen, n_strategies, n_partners))
    chunks = [
        _Chunk(prepared.params, prepared.policy, prepared.reference, tuple(recorders), seed,
               start, min(step, n_paths - start), n_quarters, dtype, target_fn, shock_period, chosen)
        for start in range(0, n_paths, step)
    ]
    dims = {name: d for r in recorders for name, d in r.outputs().items()}
    stitched: dict[str, np.ndarray] = {}
    finished = np.zeros(n_paths, dtype=bool)
    complete = True
    executor = executor or make_executor(1 if chosen == backends.GPU else workers)
    results = executor.map_unordered(_run_chunk, chunks)
    try:
        for start, width, values in results:
            for name, value in values.items():
                axis = dims[name].index("path")
                if name not in stitched:
                    shape = list(value.shape)
                    shape[axis] = n_paths
                    stitched[name] = np.empty(shape, dtype=dtype)
                index = [slice(None)] * value.ndim
                index[axis] = slice(start, start + width)
                stitched[name][tuple(index)] = value
            finished[start : start + width] = True
            if progress is not None:
                progress(int(finished.sum()), n_paths)
    except KeyboardInterrupt:
        results.close()  # cancels the chunks that have not started
        if not finished.any():
            raise
        complete = False
    paths = np.flatnonzero(finished)
    outputs = {
        name: (dims[name], values if complete else np.take(values, paths, axis=dims[name].index("path")))
        for name, values in stitched.items()
    }
    return RunOutput(outputs, paths, complete, n_quarters, executor.n_workers, chosen)
