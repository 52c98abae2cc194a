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

from hedgelab.analysis import runner
from hedgelab.analysis.prepare import prepare
from hedgelab.model.recorders import FinalPosture
from hedgelab.model.state import DOMAINS
from hedgelab.scenarios import Scenario

ROUNDING_NOISE = 1e-12
"""Changes smaller than this (alignment index, trade share) are float64 rounding of a mean over
paths, not a change: reported as 0."""


def partner_effects(
    scenario: str | Scenario = "japan-2026",
    strategies: Sequence[str] | None = None,
    *,
    n_paths: int = 500,
    years: int = 10,
    seed: int = 0,
    overrides: Sequence[str] | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Change in alignment and exposure toward each partner, per strategy, by the horizon.

    Returns
    -------
    DataFrame with columns ``strategy``, ``partner``, ``role``, ``measure`` (``alignment_<domain>``
    or ``exposure``, the latter direct + routed share of goods trade), ``base``, ``horizon``
    (mean over paths) and ``change``.
    """
    prepared = prepare(scenario, strategies, overrides)
    params = prepared.params
    output = runner.run(prepared, [FinalPosture()], n_paths=n_paths, years=years, seed=seed,
                        dtype=np.float64, workers=workers, what="partner effects")
    alignment = output.outputs["final_alignment"][1].mean(axis=1)  # [S, K, D]
    exposure = output.outputs["final_exposure"][1].mean(axis=1)  # [S, K]
    base_exposure = params.partners.exposure + params.partners.routed_exposure
    rows = []
    for s, strategy in enumerate(prepared.policy.names):
        for k, (code, role) in enumerate(zip(params.partner_codes, params.roles, strict=True)):
            for d, domain in enumerate(DOMAINS):
                base = float(params.partners.alignment[k, d])
                rows.append((strategy, code, role, f"alignment_{domain}", base, float(alignment[s, k, d])))
            rows.append((strategy, code, role, "exposure", float(base_exposure[k]), float(exposure[s, k])))
    table = pd.DataFrame(rows, columns=["strategy", "partner", "role", "measure", "base", "horizon"])
    change = table["horizon"] - table["base"]
    table["change"] = change.where(change.abs() > ROUNDING_NOISE, 0.0)  # a mean over paths of equal values
    return table
