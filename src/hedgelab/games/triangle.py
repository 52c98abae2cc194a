"""The strategic triangle (Dittmer 1981) and structural balance of a partner graph.

Three actors – the United States (0), China (1) and the focal state (2) – and three signed
relations in [-1, 1] (amity > 0, enmity <= 0; the magnitude is the intensity). Dittmer's four
configurations:

=================  ==================  ======================================================
configuration      amities             positions
=================  ==================  ======================================================
ménage à trois     3                   three "friends"
romantic triangle  2                   a "pivot" courted by two hostile "wings"
stable marriage    1                   two "partners" against a "pariah"
unit-veto          0                   three "foes"
=================  ==================  ======================================================

Each actor's *position* is ``r_ij + r_ik - r_jk``: it gains from amity with both others and
from their enmity with each other (they then compete for it). This index is our
operationalisation of Dittmer's ranking (pivot best, pariah worst), not a formula of his.

For a focal state with several partners the triangle generalises to the signed partner graph:
a triad is balanced when the product of its signs is positive (Cartwright and Harary 1956), the
graph is balanced when it splits into two camps with amity inside and enmity across, and the
focal state is a *pivot* in each unbalanced triad where it has amity with two actors that are
hostile to each other.

References
----------
Dittmer, L. (1981). The strategic triangle: an elementary game-theoretical analysis.
*World Politics* 33(4), 485-515.
Cartwright, D. and Harary, F. (1956). Structural balance. *Psychological Review* 63(5).
"Japan's Search for a More Equal Alliance" (2013): Japan's hedge as triangular politics.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from hedgelab.errors import HedgelabError, error_line
from hedgelab.games._params import (
    FloatArray,
    ModelSpec,
    OutputSpec,
    ParamSpec,
    broadcast_results,
    resolve_params,
)

if TYPE_CHECKING:  # networkx is imported where a graph is built, not with the simulation
    import networkx as nx

CONFIGURATIONS: tuple[str, ...] = ("ménage à trois", "romantic triangle", "stable marriage", "unit-veto")
ACTORS: tuple[str, ...] = ("US", "China", "focal")

TRIANGLE_PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "us_china", -0.5, -1.0, 1.0, "signed intensity (-1 enmity … 1 amity)",
        "Relation between the United States and China.",
        "judgement: strategic rivalry (“Double Trouble…”, 2021)",
    ),
    ParamSpec(
        "us_focal", 0.8, -1.0, 1.0, "signed intensity (-1 enmity … 1 amity)",
        "Relation between the United States and the focal state.",
        "judgement: alliance anchor (“Japan Remains Anchored With US Alliance…”, 2017)",
    ),
    ParamSpec(
        "china_focal", 0.1, -1.0, 1.0, "signed intensity (-1 enmity … 1 amity)",
        "Relation between China and the focal state.",
        "judgement: dual hedge era, China not named a rival (“Double Trouble…”, 2021)",
    ),
)

TRIANGLE_OUTPUTS: tuple[OutputSpec, ...] = (
    OutputSpec("configuration", "code", "0 ménage à trois, 1 romantic, 2 marriage, 3 unit-veto"),
    OutputSpec("pivot", "actor code", "pivot of a romantic triangle (0 US, 1 China, 2 focal), -1"),
    OutputSpec("pariah", "actor code", "pariah of a stable marriage, -1 otherwise"),
    OutputSpec("position_us", "index in [-3, 3]", "r_ij + r_ik - r_jk for the US"),
    OutputSpec("position_china", "index in [-3, 3]", "same for China"),
    OutputSpec("position_focal", "index in [-3, 3]", "same for the focal state"),
    OutputSpec("focal_is_pivot", "0/1", "whether the focal state is the pivot"),
)


def triangle_positions(
    r01: ArrayLike, r02: ArrayLike, r12: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Position index of each actor: ``r_ij + r_ik - r_jk``.

    Parameters
    ----------
    r01, r02, r12 : array, signed intensity in [-1, 1]
        Relations between actors 0-1, 0-2 and 1-2 (Dittmer 1981).

    Returns
    -------
    tuple of three arrays, index in [-3, 3]
        Positions of actors 0, 1 and 2; relabelling the actors permutes them.
    """
    a, b, c = np.asarray(r01), np.asarray(r02), np.asarray(r12)
    return a + b - c, a + c - b, b + c - a


def classify_triangle(
    r01: ArrayLike, r02: ArrayLike, r12: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Dittmer configuration, pivot and pariah of a triangle (vectorised).

    Parameters
    ----------
    r01, r02, r12 : array, signed intensity in [-1, 1]
        Relations between actors 0-1, 0-2 and 1-2; a relation is amity when it is > 0.

    Returns
    -------
    configuration : array of float codes
        Index into :data:`CONFIGURATIONS` (0 ménage à trois, 1 romantic triangle, 2 stable
        marriage, 3 unit-veto).
    pivot : array of float codes
        The actor with amity to both others in a romantic triangle, else -1.
    pariah : array of float codes
        The actor with enmity to both others in a stable marriage, else -1.
    """
    a, b, c = np.broadcast_arrays(*(np.asarray(x) > 0.0 for x in (r01, r02, r12)))
    amities = a.astype(int) + b.astype(int) + c.astype(int)
    configuration = (3 - amities).astype(np.float64)
    # actor i's two relations: 0 -> (a, b); 1 -> (a, c); 2 -> (b, c)
    both_amity = np.stack([a & b, a & c, b & c])
    both_enmity = np.stack([~a & ~b, ~a & ~c, ~b & ~c])
    pivot = np.where(amities == 2, np.argmax(both_amity, axis=0), -1).astype(np.float64)
    pariah = np.where(amities == 1, np.argmax(both_enmity, axis=0), -1).astype(np.float64)
    return configuration, pivot, pariah


def solve_triangle(**params: ArrayLike) -> dict[str, FloatArray]:
    """Classify the US–China–focal triangle and compute positions (checked, vectorised).

    Parameters
    ----------
    **params : array-like
        ``us_china``, ``us_focal``, ``china_focal`` (signed intensities in [-1, 1]); missing
        ones take the defaults in :data:`TRIANGLE_PARAMS`.

    Returns
    -------
    dict of str to ndarray
        Every output in :data:`TRIANGLE_OUTPUTS`.

    Raises
    ------
    HedgelabError
        For an unknown name or a value outside [-1, 1].
    """
    p = resolve_params("games triangle", TRIANGLE_PARAMS, params)
    r01, r02, r12 = p["us_china"], p["us_focal"], p["china_focal"]
    configuration, pivot, pariah = classify_triangle(r01, r02, r12)
    pos = triangle_positions(r01, r02, r12)
    out = {
        "configuration": configuration, "pivot": pivot, "pariah": pariah,
        "position_us": pos[0], "position_china": pos[1], "position_focal": pos[2],
        "focal_is_pivot": (pivot == 2).astype(np.float64),
    }
    return broadcast_results(p, out)


@dataclass(frozen=True)
class BalanceReport:
    """Structural balance of a signed partner graph.

    Attributes
    ----------
    n_triads : int
        Number of triads with all three relations present.
    unbalanced_triads : tuple of tuple of str
        Triads whose sign product is negative (sorted names).
    balance_index : float
        Share of triads that are balanced (1.0 when there are none).
    is_balanced : bool
        Cartwright–Harary: every cycle has an even number of negative ties.
    camps : tuple of frozenset of str, or None
        The two camps of a balanced graph (amity inside, enmity across), else ``None``.
    focal_pivot_triads : tuple of tuple of str
        Unbalanced triads in which the focal state has amity with two mutually hostile actors.
    """

    n_triads: int
    unbalanced_triads: tuple[tuple[str, ...], ...]
    balance_index: float
    is_balanced: bool
    camps: tuple[frozenset[str], frozenset[str]] | None
    focal_pivot_triads: tuple[tuple[str, ...], ...]


def signed_graph(relations: Mapping[tuple[str, str], float]) -> nx.Graph:
    """Build the signed partner graph (edge attributes ``weight`` and ``sign``).

    Parameters
    ----------
    relations : mapping of (str, str) to float
        Signed intensity in [-1, 1] of each pair; 0 means no relation (no edge).

    Returns
    -------
    networkx.Graph

    Raises
    ------
    HedgelabError
        For a value outside [-1, 1], NaN, a self-relation or a pair given twice.
    """
    import networkx as nx

    graph = nx.Graph()
    lines: list[str] = []
    for (u, v), value in relations.items():
        field = f"{u}-{v}"
        if u == v:
            lines.append(error_line("games balance", field, "two different actors"))
        elif graph.has_edge(u, v):
            lines.append(error_line("games balance", field, "each pair at most once"))
        elif not (isinstance(value, numbers.Real) and np.isfinite(float(value)) and -1.0 <= value <= 1.0):
            lines.append(
                error_line("games balance", field, f"a finite number in [-1, 1], got {value!r}")
            )
        else:
            graph.add_nodes_from((u, v))
            if value != 0.0:
                graph.add_edge(u, v, weight=float(value), sign=1 if value > 0 else -1)
    if lines:
        raise HedgelabError(lines)
    return graph


def _triads(graph: nx.Graph) -> Iterable[tuple[str, str, str]]:
    for u, v, w in combinations(sorted(graph.nodes, key=str), 3):
        if graph.has_edge(u, v) and graph.has_edge(u, w) and graph.has_edge(v, w):
            yield u, v, w


def _camps(graph: nx.Graph) -> tuple[frozenset[str], frozenset[str]] | None:
    import networkx as nx

    side: dict[str, int] = {}
    for start in sorted(graph.nodes, key=str):
        if start in side:
            continue
        side[start] = 0
        for u, v in nx.bfs_edges(graph, start):
            side[v] = side[u] if graph.edges[u, v]["sign"] > 0 else 1 - side[u]
    for u, v, sign in graph.edges(data="sign"):
        if (side[u] == side[v]) != (sign > 0):
            return None
    return (
        frozenset(n for n, s in side.items() if s == 0),
        frozenset(n for n, s in side.items() if s == 1),
    )


def structural_balance(relations: Mapping[tuple[str, str], float] | nx.Graph, focal: str) -> BalanceReport:
    """Structural balance of the focal state's signed partner graph (Cartwright–Harary).

    Parameters
    ----------
    relations : mapping of (str, str) to float, or networkx.Graph with a ``sign`` attribute
        Signed relations in [-1, 1] between actors (0 = none).
    focal : str
        Name of the focal state (must be a node).

    Returns
    -------
    BalanceReport

    Raises
    ------
    HedgelabError
        For bad relation values or a focal state that is not in the graph.
    """
    graph = signed_graph(relations) if isinstance(relations, Mapping) else relations
    if focal not in graph:
        raise HedgelabError(error_line("games balance", "focal", f"one of {sorted(graph.nodes)}"))
    triads = list(_triads(graph))
    unbalanced = []
    pivots = []
    for triad in triads:
        signs = [graph.edges[u, v]["sign"] for u, v in combinations(triad, 2)]
        if np.prod(signs) < 0:
            unbalanced.append(triad)
            if focal in triad:
                others = [n for n in triad if n != focal]
                if (
                    graph.edges[focal, others[0]]["sign"] > 0
                    and graph.edges[focal, others[1]]["sign"] > 0
                ):
                    pivots.append(triad)
    camps = _camps(graph)
    return BalanceReport(
        n_triads=len(triads),
        unbalanced_triads=tuple(unbalanced),
        balance_index=1.0 - len(unbalanced) / len(triads) if triads else 1.0,
        is_balanced=camps is not None,
        camps=camps,
        focal_pivot_triads=tuple(pivots),
    )


EXAMPLE_RELATIONS: dict[tuple[str, str], float] = {
    ("US", "China"): -0.6,
    ("US", "Japan"): 0.8,
    ("China", "Japan"): -0.2,
    ("US", "Australia"): 0.9,
    ("Japan", "Australia"): 0.7,
    ("China", "Australia"): -0.4,
    ("US", "India"): 0.3,
    ("Japan", "India"): 0.5,
    ("China", "India"): -0.5,
    ("China", "Russia"): 0.7,
    ("Japan", "Russia"): 0.1,
    ("US", "Russia"): -0.8,
}
"""Illustrative signed partner graph around Japan (judgement, after "Double Trouble…" (2021),
"Japan Remains Anchored With US Alliance, but Hedges on the Edges" (2017) and "Japan's
strategic autonomy beyond hedging" (2026): Quad partners friendly, a small opening to Russia)."""


TRIANGLE = ModelSpec(
    name="triangle",
    title="Strategic triangle US–China–focal state (Dittmer 1981)",
    params=TRIANGLE_PARAMS,
    outputs=TRIANGLE_OUTPUTS,
    evaluate=solve_triangle,
)

__all__ = [
    "ACTORS", "CONFIGURATIONS", "EXAMPLE_RELATIONS", "TRIANGLE", "TRIANGLE_OUTPUTS", "TRIANGLE_PARAMS",
    "BalanceReport", "classify_triangle", "signed_graph", "solve_triangle",
    "structural_balance", "triangle_positions",
]
