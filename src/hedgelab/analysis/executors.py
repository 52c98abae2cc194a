"""Executors: where the runner's independent chunks of paths are computed.

The runner hands an executor a function and a list of tasks and takes results back as they
finish; it never depends on the order, so any executor gives results bit-identical to the serial
run. :class:`SerialExecutor` runs in the calling thread; :class:`LocalPool` spreads chunks over
the local cores with threads (NumPy releases the GIL inside its array loops, and the model is
array arithmetic over thousands of paths: ``benchmarks/bench_model.py --workers`` measures how
well that scales). Inside a worker the model runs single-threaded: NumPy's elementwise loops do
not start threads of their own, so pools never nest. A distributed executor (Dask, Ray) implements
the same two methods.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def available_cores() -> int:
    """Cores this process may run on (the affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class Executor(Protocol):
    """What the runner needs from an executor."""

    n_workers: int

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for every task, in any order. Closing the iterator early (for
        example on Ctrl-C) must cancel the tasks that have not started."""
        ...


class SerialExecutor:
    """Runs every task in the calling thread, in order."""

    n_workers = 1

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        for task in tasks:
            yield fn(task)


class LocalPool:
    """A pool of ``n_workers`` threads on this machine, at most ``n_workers`` tasks in flight."""

    def __init__(self, n_workers: int | None = None):
        self.n_workers = n_workers or available_cores()

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        pending: set[Future[R]] = set()
        queue = iter(tasks)
        pool = ThreadPoolExecutor(max_workers=self.n_workers, thread_name_prefix="hedgelab")
        try:
            for task in queue:  # fill the pool, then top it up as tasks finish (bounded memory)
                pending.add(pool.submit(fn, task))
                if len(pending) >= self.n_workers:
                    break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    next_task = next(queue, None)
                    if next_task is not None:
                        pending.add(pool.submit(fn, next_task))
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=False, cancel_futures=True)


def make_executor(workers: int | None) -> Executor:
    """The serial executor for one worker, else a local pool (``None``: every available core)."""
    n_workers = workers or available_cores()
    return SerialExecutor() if n_workers == 1 else LocalPool(n_workers)
