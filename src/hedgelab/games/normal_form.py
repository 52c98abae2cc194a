"""Normal-form view: equilibria of payoff tables for the US–China–focal interaction.

Two-player games are solved with `nashpy <https://nashpy.readthedocs.io>`_ (support, vertex
enumeration or Lemke–Howson); n-player games with `pygambit <https://gambitproject.org>`_, an
optional extra (``pip install hedgelab[gambit]``), and in pure strategies with
:func:`pure_equilibria` (exact, NumPy only).

:func:`coercion_strategic_form` gives the strategic form of the complete-information coercion
game, whose Nash equilibria include non-credible threats that the sequential game of
:mod:`hedgelab.games.coercion` rules out. :func:`period_game` gives a three-player payoff table
for one period of the US–China–focal interaction.

References
----------
Knight, V. and Campbell, J. (2018). Nashpy: a Python library for the computation of Nash
equilibria. *JOSS* 3(30). McKelvey, R., McLennan, A. and Turocy, T. Gambit: software tools for
game theory. Selten, R. (1975): subgame perfection.
"""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hedgelab.errors import HedgelabError, error_line

Profile = tuple[NDArray[np.float64], ...]


def _payoff_array(where: str, field: str, value: ArrayLike, ndim: int | None = None) -> NDArray[np.float64]:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise HedgelabError(error_line(where, field, "an array of numbers")) from None
    if ndim is not None and arr.ndim != ndim:
        raise HedgelabError(error_line(where, field, f"a {ndim}-dimensional array, got {arr.ndim}"))
    if arr.size == 0 or not np.all(np.isfinite(arr)):
        raise HedgelabError(error_line(where, field, "a non-empty array of finite numbers"))
    return arr


def solve_bimatrix(
    row_payoffs: ArrayLike, col_payoffs: ArrayLike, *, method: str = "support"
) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Nash equilibria of a two-player game with nashpy.

    Parameters
    ----------
    row_payoffs, col_payoffs : array of shape (m, n), payoff units
        Payoffs to the row and column player.
    method : {"support", "vertex", "lemke"}, default "support"
        nashpy's support enumeration (all equilibria of a non-degenerate game), vertex
        enumeration, or Lemke–Howson from every starting label (some equilibria).

    Returns
    -------
    list of (row strategy, column strategy)
        Mixed strategies as probability vectors, duplicates removed.

    Raises
    ------
    HedgelabError
        For arrays of different shapes, non-finite payoffs or an unknown method.
    """
    import nashpy

    a = _payoff_array("games normal-form", "row_payoffs", row_payoffs, 2)
    b = _payoff_array("games normal-form", "col_payoffs", col_payoffs, 2)
    if a.shape != b.shape:
        raise HedgelabError(
            error_line("games normal-form", "col_payoffs", f"shape {a.shape}, got {b.shape}")
        )
    game = nashpy.Game(a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns about degenerate games
        if method == "support":
            found = list(game.support_enumeration())
        elif method == "vertex":
            found = list(game.vertex_enumeration())
        elif method == "lemke":
            found = list(game.lemke_howson_enumeration())
        else:
            raise HedgelabError(
                error_line("games normal-form", "method", "one of support, vertex, lemke")
            )
    unique: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    for sigma_r, sigma_c in found:
        if not (np.all(np.isfinite(sigma_r)) and np.all(np.isfinite(sigma_c))):
            continue
        if not any(np.allclose(sigma_r, r) and np.allclose(sigma_c, c) for r, c in unique):
            unique.append((np.asarray(sigma_r, float), np.asarray(sigma_c, float)))
    return unique


def pure_equilibria(payoffs: ArrayLike) -> list[tuple[int, ...]]:
    """All pure-strategy Nash equilibria of an n-player game (exact, vectorised).

    Parameters
    ----------
    payoffs : array of shape (n_players, k_1, ..., k_n), payoff units
        ``payoffs[i][s]`` is player ``i``'s payoff at pure profile ``s``.

    Returns
    -------
    list of tuple of int
        Profiles where every player's strategy is a best response (ties count as best).

    Raises
    ------
    HedgelabError
        When the leading axis does not equal the number of strategy axes.
    """
    u = _payoff_array("games normal-form", "payoffs", payoffs)
    n = u.shape[0]
    if u.ndim != n + 1:
        raise HedgelabError(
            error_line("games normal-form", "payoffs", f"shape (n_players, k_1..k_n) with n={n}")
        )
    best = np.ones(u.shape[1:], dtype=bool)
    for i in range(n):  # one vectorised comparison per player
        best &= u[i] >= u[i].max(axis=i, keepdims=True) - 1e-12
    return [tuple(int(x) for x in idx) for idx in np.argwhere(best)]


def solve_n_player(payoffs: ArrayLike, *, method: str = "gnm") -> list[Profile]:
    """Nash equilibria of an n-player game with pygambit (optional extra ``gambit``).

    Parameters
    ----------
    payoffs : array of shape (n_players, k_1, ..., k_n), payoff units
        As in :func:`pure_equilibria`.
    method : {"gnm", "enumpure", "logit"}, default "gnm"
        Gambit's global Newton method, pure-strategy enumeration, or the logit QRE limit.

    Returns
    -------
    list of tuple of arrays
        One probability vector per player for each equilibrium found.

    Raises
    ------
    ModuleNotFoundError
        When pygambit is not installed (``pip install hedgelab[gambit]``).
    HedgelabError
        For a malformed payoff array or an unknown method.
    """
    u = _payoff_array("games normal-form", "payoffs", payoffs)
    if u.ndim != u.shape[0] + 1:
        raise HedgelabError(error_line("games normal-form", "payoffs", "shape (n, k_1..k_n)"))
    try:
        gbt: Any = importlib.import_module("pygambit")
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            "solve_n_player needs pygambit: pip install 'hedgelab[gambit]'"
        ) from err
    solvers = {"gnm": "gnm_solve", "enumpure": "enumpure_solve", "logit": "logit_solve"}
    if method not in solvers:
        raise HedgelabError(error_line("games normal-form", "method", "one of gnm, enumpure, logit"))
    game = gbt.Game.from_arrays(*[u[i] for i in range(u.shape[0])])
    result = getattr(gbt.nash, solvers[method])(game)
    equilibria = getattr(result, "equilibria", result)
    out: list[Profile] = []
    for eq in equilibria:
        out.append(
            tuple(
                np.array([float(eq[s]) for s in player.strategies]) for player in game.players
            )
        )
    return out


def coercion_strategic_form(
    damage: float, gain: float, concession_cost: float, coercer_cost: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Strategic form of the complete-information coercion game.

    Rows: coercer {coerce, restrain}; columns: focal state {concede, resist}.

    Parameters
    ----------
    damage : float, damage units
        Focal loss when it resists and sanctions are carried out.
    gain : float, damage units
        Coercer's gain from a concession.
    concession_cost : float, damage units
        Focal loss from conceding (its resolve).
    coercer_cost : float, damage units
        Coercer's cost of carrying out sanctions.

    Returns
    -------
    (row_payoffs, col_payoffs) : arrays of shape (2, 2)
        With ``concession_cost > damage`` the focal state resists and coercion is deterred;
        with ``concession_cost < damage`` the subgame-perfect outcome is (coerce, concede),
        but (restrain, resist) is also a Nash equilibrium resting on a non-credible threat.
    """
    row = np.array([[gain, -coercer_cost], [0.0, 0.0]])
    col = np.array([[-concession_cost, -damage], [0.0, 0.0]])
    return row, col


@dataclass(frozen=True)
class PeriodPayoffs:
    """Payoff parameters of the one-period US–China–focal game (all in payoff units).

    Attributes
    ----------
    security_value : float, default 1.0
        Focal security from US support when aligned (judgement; numeraire).
    hedge_security_share : float, default 0.6
        Share of that security a hedging focal state still gets (judgement).
    economic_value : float, default 0.5
        Focal gain from economic ties with China kept by hedging ("Double Trouble…", 2021).
    coercion_damage : float, default 0.4
        Focal loss when coerced while aligned; a hedger loses half (judgement).
    alignment_value : float, default 1.0
        US gain from an aligned focal state (judgement).
    support_cost : float, default 0.3
        US cost of supporting the focal state (judgement; "Under Trump", 2017).
    credibility_loss : float, default 0.5
        US loss when the focal state is coerced while the US retrenches (judgement).
    coercion_gain : float, default 0.6
        China's gain from coercing an aligned focal state, halved by US support (judgement).
    coercion_cost : float, default 0.3
        China's own cost of coercing (judgement).
    """

    security_value: float = 1.0
    hedge_security_share: float = 0.6
    economic_value: float = 0.5
    coercion_damage: float = 0.4
    alignment_value: float = 1.0
    support_cost: float = 0.3
    credibility_loss: float = 0.5
    coercion_gain: float = 0.6
    coercion_cost: float = 0.3


def period_game(params: PeriodPayoffs | None = None) -> NDArray[np.float64]:
    """Three-player payoff table of one period: US, China, focal state.

    Strategies: US {0 support, 1 retrench}; China {0 coerce, 1 restrain}; focal {0 align,
    1 hedge}. Payoffs (``[s]`` is 1 when the strategy is played):

    * focal: ``V_s [support] (1 if align else h) + E [hedge] - D [coerce] (1 if align else 1/2)``
    * US: ``A [align] - c_s [support] - L [coerce][retrench]``
    * China: ``[coerce] (G [align] (1 - [support]/2) - c_c) + E/2 [hedge]``

    Parameters
    ----------
    params : PeriodPayoffs, optional
        Payoff parameters (defaults documented on :class:`PeriodPayoffs`).

    Returns
    -------
    array of shape (3, 2, 2, 2)
        Payoffs of US, China and focal state at each pure profile (US, China, focal).
    """
    p = params or PeriodPayoffs()
    u = np.zeros((3, 2, 2, 2))
    for us, cn, fs in product(range(2), repeat=3):
        support, coerce, align = us == 0, cn == 0, fs == 0
        focal = (
            p.security_value * support * (1.0 if align else p.hedge_security_share)
            + p.economic_value * (not align)
            - p.coercion_damage * coerce * (1.0 if align else 0.5)
        )
        usa = p.alignment_value * align - p.support_cost * support - p.credibility_loss * (
            coerce and not support
        )
        china = coerce * (p.coercion_gain * align * (1.0 - 0.5 * support) - p.coercion_cost) + (
            0.5 * p.economic_value * (not align)
        )
        u[:, us, cn, fs] = (usa, china, focal)
    return u


__all__ = [
    "PeriodPayoffs", "coercion_strategic_form", "period_game", "pure_equilibria",
    "solve_bimatrix", "solve_n_player",
]
