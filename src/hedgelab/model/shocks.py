"""Shocks drawn up front from the seed and shared by every strategy (common random numbers).

There is one draw per path, quarter and shock kind, whether or not the draw is used, so that
a strategy's events never shift another strategy's random stream. Paths are generated in blocks
of :data:`BLOCK` from independent SFC64 streams, ``SeedSequence(seed, spawn_key=(block, 0))``
for the normal draws and ``(block, 1)`` for the uniform ones, quarter by quarter: results do not
depend on how paths are chunked, and a longer horizon shares its first years with a shorter one.

Kinds added after the first release (:data:`TRIGGER_KINDS`: political trigger events, issue 11)
come from a third stream, ``(block, 2)``, which first draws the base-year draws
(:data:`INITIAL_KINDS`) and then the quarterly ones: adding them left every earlier draw as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NORMAL_KINDS: tuple[str, ...] = (
    "assertiveness", "weakness", "convergence", "tension", "north_korea", "coercion_severity",
)
UNIFORM_KINDS: tuple[str, ...] = (
    "regime", "crisis", "coercion", "abandonment", "entrapment", "deal",
)
TRIGGER_KINDS: tuple[str, ...] = ("trigger",)
"""Uniform quarterly draws of the third stream."""
INITIAL_KINDS: tuple[str, ...] = ("since_trigger",)
"""Uniform draws that set the base-year state (once per path, not per quarter)."""
UNIFORM_ALL: tuple[str, ...] = UNIFORM_KINDS + TRIGGER_KINDS
"""Rows of :attr:`Shocks.uniform`: the second stream's kinds, then the third's."""
BLOCK = 1024  # paths per independent random stream
STREAMS = (0, 1, 2)  # spawn keys of the normal, uniform and trigger streams of a block


@dataclass(frozen=True)
class QuarterShocks:
    """The shocks of one quarter, each ``[P]`` (standard normal, or uniform on [0, 1))."""

    assertiveness: np.ndarray
    weakness: np.ndarray
    convergence: np.ndarray
    tension: np.ndarray
    north_korea: np.ndarray
    coercion_severity: np.ndarray
    regime: np.ndarray
    crisis: np.ndarray
    coercion: np.ndarray
    abandonment: np.ndarray
    entrapment: np.ndarray
    deal: np.ndarray
    trigger: np.ndarray


@dataclass(frozen=True)
class Shocks:
    """Shocks for a range of paths."""

    normal: np.ndarray  # [T, len(NORMAL_KINDS), P] standard normal
    uniform: np.ndarray  # [T, len(UNIFORM_ALL), P] uniform on [0, 1)
    initial: np.ndarray  # [len(INITIAL_KINDS), P] uniform on [0, 1), the base-year draws

    def initial_draw(self, kind: str) -> np.ndarray:
        """The [P] base-year draw of ``kind`` (one of :data:`INITIAL_KINDS`)."""
        return self.initial[INITIAL_KINDS.index(kind)]

    @property
    def n_quarters(self) -> int:
        """Number of quarters T."""
        return self.normal.shape[0]

    @property
    def n_paths(self) -> int:
        """Number of paths P."""
        return self.normal.shape[-1]

    def take(self, paths: np.ndarray) -> Shocks:
        """The shocks of the paths at positions ``paths`` (an index array along P)."""
        return Shocks(normal=self.normal[..., paths], uniform=self.uniform[..., paths], initial=self.initial[..., paths])

    def quarter(self, t: int) -> QuarterShocks:
        """The shocks of quarter ``t``, each of shape [P]."""
        return QuarterShocks(
            **{k: self.normal[t, i] for i, k in enumerate(NORMAL_KINDS)},
            **{k: self.uniform[t, i] for i, k in enumerate(UNIFORM_ALL)},
        )


def draw_shocks(
    seed: int, first_path: int, n_paths: int, n_quarters: int, dtype: np.dtype = np.float32
) -> Shocks:
    """Draw the shocks of paths ``first_path … first_path + n_paths - 1``.

    ``first_path`` must be a multiple of :data:`BLOCK`; the same seed gives the same shocks to
    the same path whatever the chunking.
    """
    if first_path % BLOCK:
        raise ValueError(f"first_path must be a multiple of {BLOCK}")
    normal = np.empty((n_quarters, len(NORMAL_KINDS), n_paths), dtype=dtype)
    uniform = np.empty((n_quarters, len(UNIFORM_ALL), n_paths), dtype=dtype)
    initial = np.empty((len(INITIAL_KINDS), n_paths), dtype=dtype)
    n_first = len(UNIFORM_KINDS)
    for start in range(0, n_paths, BLOCK):
        block = (first_path + start) // BLOCK
        width = min(BLOCK, n_paths - start)
        normal_rng, uniform_rng, trigger_rng = (
            np.random.Generator(np.random.SFC64(np.random.SeedSequence(seed, spawn_key=(block, stream))))
            for stream in STREAMS
        )
        normal[:, :, start : start + width] = normal_rng.standard_normal(
            (n_quarters, len(NORMAL_KINDS), BLOCK), dtype=dtype
        )[:, :, :width]
        uniform[:, :n_first, start : start + width] = uniform_rng.random(
            (n_quarters, n_first, BLOCK), dtype=dtype
        )[:, :, :width]
        initial[:, start : start + width] = trigger_rng.random((len(INITIAL_KINDS), BLOCK), dtype=dtype)[:, :width]
        uniform[:, n_first:, start : start + width] = trigger_rng.random(
            (n_quarters, len(TRIGGER_KINDS), BLOCK), dtype=dtype
        )[:, :, :width]
    return Shocks(normal=normal, uniform=uniform, initial=initial)
