"""Drive hedgelab from EMA Workbench: hedgelab's japan-2026 as an EMA model.

    python examples/ema_workbench_model.py                       # 40 futures x 3 strategies, sequential
    python examples/ema_workbench_model.py --processes 2         # EMA's MultiprocessingEvaluator
    python examples/ema_workbench_model.py --scenarios 200 --paths 200 --years 10

The model (``hedgelab.analysis.explore.ema.ema_model``) has the scenario's uncertainties as
RealParameters (names are the dotted parameter paths with ``.`` written ``__``), the strategy as a
CategoricalParameter lever, and every registry metric as a ScalarOutcome with MAXIMIZE/MINIMIZE
from the registry's direction. Here EMA samples the futures (Latin hypercube), runs each strategy
on each, and its own PRIM describes where the dual hedge's prosperity falls below the anchor's.
hedgelab's ``explore`` / ``discover`` do the same vectorised over futures (docs/explore.md).

(The file is not called ``ema_workbench.py``: run as a script it would shadow the package.)
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "ipyparallel not installed"
    from ema_workbench import MultiprocessingEvaluator, SequentialEvaluator, perform_experiments
    from ema_workbench.analysis import prim

from hedgelab.analysis.explore.ema import ema_model, strategy_policies

UNCERTAINTIES = [
    "environment.convergence_speed", "environment.assertiveness_mean", "events.coercion_severity",
    "events.coercion_rate", "events.tech_leverage", "environment.reliability_transactional",
    "partners.CHN.trade_gain",
]


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=40, help="futures EMA samples (default 40)")
    parser.add_argument("--paths", type=int, default=100, help="paths per experiment (default 100)")
    parser.add_argument("--years", type=int, default=5, help="horizon (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the shocks every experiment shares")
    parser.add_argument("--processes", type=int, default=0, help="EMA MultiprocessingEvaluator processes (0: sequential)")
    args = parser.parse_args(argv)

    model = ema_model("japan-2026", ["dual_hedge", "anchor", "multi_hedge"], UNCERTAINTIES,
                      n_paths=args.paths, years=args.years, seed=args.seed)
    print(f"model {model.name}: {len(model.uncertainties)} uncertainties, lever "
          f"{[lever.name for lever in model.levers]}, {len(model.outcomes)} outcomes "
          f"(prosperity: {'MAXIMIZE' if model.outcomes['prosperity'].kind == 1 else 'MINIMIZE'}, "
          f"p_coercion: {'MAXIMIZE' if model.outcomes['p_coercion'].kind == 1 else 'MINIMIZE'})")

    evaluator = MultiprocessingEvaluator(model, n_processes=args.processes) if args.processes else SequentialEvaluator(model)
    np.random.seed(args.seed)  # EMA's Latin hypercube draws from NumPy's global generator
    with warnings.catch_warnings(), evaluator:
        warnings.simplefilter("ignore")
        experiments, outcomes = perform_experiments(model, scenarios=args.scenarios,
                                                    policies=strategy_policies(model), evaluator=evaluator)
    results = experiments[["scenario", "policy"]].assign(**{m: outcomes[m] for m in ("prosperity", "security",
                                                                                       "p_coercion")})
    print(f"\n{len(experiments)} experiments; mean outcome per strategy across {args.scenarios} futures:")
    print(results.groupby("policy")[["prosperity", "security", "p_coercion"]].mean().round(4).to_string())

    # EMA's own scenario discovery on hedgelab's outcomes: where does the dual hedge lose to the anchor?
    wide = results.pivot(index="scenario", columns="policy", values="prosperity")
    futures = experiments.drop_duplicates("scenario").set_index("scenario").loc[wide.index]
    x = futures[[u.name for u in model.uncertainties]].reset_index(drop=True)
    y = (wide["dual_hedge"] < wide["anchor"]).to_numpy()
    print(f"\ndual_hedge below anchor on prosperity in {y.mean():.0%} of futures")
    if 0 < y.sum() < len(y):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            box = prim.Prim(x, y, threshold=0.6, peel_alpha=0.1).find_box()
            stats, limits = box.inspect(style="data")[0]  # the chosen box: its statistics, limits and qp values
        print(f"PRIM box (EMA Workbench): coverage {stats['coverage']:.2f}, density {stats['density']:.2f}, "
              f"{int(stats['res_dim'])} restricted dimensions:")
        limits.columns = ["min", "max", "qp_low", "qp_high"]
        print(limits.to_string(float_format=lambda v: f"{v:.4g}"))
    return results


if __name__ == "__main__":
    main()
