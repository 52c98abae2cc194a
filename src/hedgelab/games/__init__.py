"""Closed-form and small-equilibrium sub-models of alliance politics.

The simulation uses only the vectorised ``response`` functions in
:mod:`hedgelab.games.responses`; the standalone models behind them can be explored on their own
(``hedgelab games dilemma|bargain|triangle|coercion``):

* :mod:`~hedgelab.games.dilemma` – alliance security dilemma (Snyder 1984);
* :mod:`~hedgelab.games.bargaining` – Nash and Rubinstein bargaining with perceived outside
  options;
* :mod:`~hedgelab.games.triangle` – strategic triangle (Dittmer 1981) and structural balance;
* :mod:`~hedgelab.games.coercion` – coercion game, perfect Bayesian equilibria;
* :mod:`~hedgelab.games.normal_form` – payoff tables solved with nashpy / pygambit.

:data:`MODELS` maps each sub-command name to its :class:`ModelSpec` (parameter table with
units, ranges and sources; output table; checked, vectorised ``evaluate``).
"""

from hedgelab.games._params import ModelSpec, OutputSpec, ParamSpec
from hedgelab.games.bargaining import (
    BARGAIN,
    nash_payoff,
    outside_option_limit,
    rubinstein_share,
    solve_bargain,
)
from hedgelab.games.coercion import (
    COERCION,
    CoercionEquilibrium,
    coercion_equilibria,
    coercion_outcome,
    leverage,
    solve_coercion,
)
from hedgelab.games.dilemma import (
    DILEMMA,
    best_commitment,
    commitment_statics,
    solve_dilemma,
)
from hedgelab.games.normal_form import (
    PeriodPayoffs,
    coercion_strategic_form,
    period_game,
    pure_equilibria,
    solve_bimatrix,
    solve_n_player,
)
from hedgelab.games.triangle import (
    TRIANGLE,
    BalanceReport,
    classify_triangle,
    solve_triangle,
    structural_balance,
    triangle_positions,
)

MODELS: dict[str, ModelSpec] = {m.name: m for m in (DILEMMA, BARGAIN, TRIANGLE, COERCION)}

__all__ = [
    "MODELS", "BalanceReport", "CoercionEquilibrium", "ModelSpec", "OutputSpec", "ParamSpec",
    "PeriodPayoffs", "best_commitment", "classify_triangle", "coercion_equilibria",
    "coercion_outcome", "coercion_strategic_form", "commitment_statics", "leverage",
    "nash_payoff", "outside_option_limit", "period_game", "pure_equilibria",
    "rubinstein_share", "solve_bargain", "solve_bimatrix", "solve_coercion", "solve_dilemma",
    "solve_n_player", "solve_triangle", "structural_balance", "triangle_positions",
]
