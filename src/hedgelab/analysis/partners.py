"""What the focal state's strategy means for third parties (DESIGN.md, "third parties").

For each strategy and partner: how the focal state's alignment with that partner (per domain)
and its trade exposure to it change between the base year and the horizon, averaged over paths
(same shocks for every strategy). A partner such as Canada or Australia reads off what, say,
Japan's multi-hedge would bring it in security and trade ties, and what an anchor would.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hedgelab.api import _check_request, prepare
from hedgelab.errors import HedgelabError, error_line
from hedgelab.model import draw_shocks, simulate
from hedgelab.model.state import State
from hedgelab.model.step import Quarter
from hedgelab.scenarios import DOMAINS, Scenario

MAX_PATHS = 20_000
"""Paths per request (one simulation call keeps the final state of every path)."""


def partner_effects(
    scenario: str | Scenario = "japan-2026",
    strategies: Sequence[str] | None = None,
    *,
    n_paths: int = 500,
    years: int = 10,
    seed: int = 0,
    overrides: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Change in alignment and exposure toward each partner, per strategy, by the horizon.

    Returns
    -------
    DataFrame with columns ``strategy``, ``partner``, ``role``, ``measure`` (``alignment_<domain>``
    or ``exposure``, the latter direct + routed share of goods trade), ``base``, ``horizon``
    (mean over paths) and ``change``.
    """
    if n_paths > MAX_PATHS:
        raise HedgelabError(error_line("--paths", "paths", f"at most {MAX_PATHS:,} paths for partner effects, got {n_paths:,}"))
    _check_request(n_paths, years, seed)
    prepared = prepare(scenario, strategies, overrides)
    params, policy = prepared.params, prepared.policy
    final: dict[str, State] = {}

    def keep_last(t: int, state: State, quarter: Quarter) -> None:
        final["state"] = state

    simulate(params, policy, draw_shocks(seed, 0, n_paths, 4 * years), dtype=np.float64,
             record=keep_last, reference=prepared.reference)
    focal = final["state"].focal
    alignment = focal.alignment.mean(axis=1)  # [S, K, D]
    exposure = (focal.exposure + focal.routed).mean(axis=1)  # [S, K]
    base_exposure = params.partner_vectors["exposure"] + params.partner_vectors["routed_exposure"]
    rows = []
    for s, strategy in enumerate(policy.names):
        for k, (code, role) in enumerate(zip(params.partners, params.roles, strict=True)):
            for d, domain in enumerate(DOMAINS):
                base = float(params.alignment0[k, d])
                rows.append((strategy, code, role, f"alignment_{domain}", base, float(alignment[s, k, d])))
            rows.append((strategy, code, role, "exposure", float(base_exposure[k]), float(exposure[s, k])))
    table = pd.DataFrame(rows, columns=["strategy", "partner", "role", "measure", "base", "horizon"])
    table["change"] = table["horizon"] - table["base"]
    return table
