"""Normal-form view: nashpy for two players, pure equilibria and pygambit for n players."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from hedgelab.errors import HedgelabError
from hedgelab.games.normal_form import (
    coercion_strategic_form,
    period_game,
    pure_equilibria,
    solve_bimatrix,
    solve_n_player,
)

PRISONERS = (np.array([[3, 0], [5, 1]]), np.array([[3, 5], [0, 1]]))


@pytest.mark.parametrize("method", ["support", "vertex", "lemke"])
def test_dominant_strategy_game_has_the_obvious_equilibrium(method: str) -> None:
    eqs = solve_bimatrix(*PRISONERS, method=method)
    assert len(eqs) == 1
    row, col = eqs[0]
    np.testing.assert_allclose(row, [0, 1])
    np.testing.assert_allclose(col, [0, 1])


def test_matching_pennies_mixes_evenly() -> None:
    a = np.array([[1, -1], [-1, 1]])
    eqs = solve_bimatrix(a, -a)
    assert len(eqs) == 1
    np.testing.assert_allclose(eqs[0][0], [0.5, 0.5])
    np.testing.assert_allclose(eqs[0][1], [0.5, 0.5])


def test_strategic_form_keeps_a_non_credible_threat() -> None:
    # the focal state would concede (concession cost < damage): the sequential game's outcome
    # is (coerce, concede); the strategic form also has (restrain, resist)
    eqs = solve_bimatrix(*coercion_strategic_form(1.0, 0.5, 0.3, 0.2))
    pure = {(int(np.argmax(r)), int(np.argmax(c))) for r, c in eqs if r.max() == 1 and c.max() == 1}
    assert (0, 0) in pure and (1, 1) in pure
    # a resolute focal state (cost > damage) deters coercion in every equilibrium
    for row, _ in solve_bimatrix(*coercion_strategic_form(1.0, 0.5, 2.0, 0.2)):
        np.testing.assert_allclose(row, [0, 1])


def test_pure_equilibria_agree_with_brute_force() -> None:
    rng = np.random.default_rng(5)
    for _ in range(30):
        u = rng.integers(0, 4, size=(3, 2, 3, 2)).astype(float)
        brute = []
        for prof in itertools.product(range(2), range(3), range(2)):
            ok = True
            for i in range(3):
                for dev in range(u.shape[i + 1]):
                    alt = list(prof)
                    alt[i] = dev
                    if u[i][tuple(alt)] > u[i][prof]:
                        ok = False
            if ok:
                brute.append(prof)
        assert pure_equilibria(u) == brute


def test_period_game_equilibrium_is_a_best_response_profile() -> None:
    u = period_game()
    eqs = pure_equilibria(u)
    assert eqs, "the default period game has a pure equilibrium"
    for prof in eqs:
        for i in range(3):
            alt = list(prof)
            alt[i] = 1 - prof[i]
            assert u[i][prof] >= u[i][tuple(alt)]


def test_bad_payoff_tables_are_rejected() -> None:
    with pytest.raises(HedgelabError, match="col_payoffs"):
        solve_bimatrix(np.ones((2, 2)), np.ones((2, 3)))
    with pytest.raises(HedgelabError, match="row_payoffs"):
        solve_bimatrix(np.array([[np.nan, 0], [0, 0]]), np.ones((2, 2)))
    with pytest.raises(HedgelabError, match="payoffs"):
        pure_equilibria(np.ones((3, 2, 2)))


def test_n_player_with_pygambit() -> None:
    pytest.importorskip("pygambit")
    u = np.stack([PRISONERS[0], PRISONERS[1]]).astype(float)
    eqs = solve_n_player(u, method="enumpure")
    assert len(eqs) == 1
    np.testing.assert_allclose(eqs[0][0], [0, 1])
    three = solve_n_player(period_game(), method="enumpure")
    assert {tuple(int(np.argmax(s)) for s in eq) for eq in three} == set(pure_equilibria(period_game()))


def test_n_player_without_pygambit_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def fake(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "pygambit":
            raise ModuleNotFoundError("No module named 'pygambit'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(ModuleNotFoundError, match=r"hedgelab\[gambit\]"):
        solve_n_player(period_game())
