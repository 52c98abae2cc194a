"""Analysis on the one engine: the runner (chunks of paths over an executor), the metric
registry, summaries, and the analyses built on them (strategy comparison, trajectories, third
parties, backtests, the coercion ranking).

Layering (enforced by import-linter, see ``.importlinter``): analysis imports the model, the
scenarios and the data; the faces (``hedgelab.api``, ``hedgelab.cli``) import analysis.
"""
