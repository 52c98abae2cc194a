"""The Python API that the CLI and the dashboard are thin layers over.

>>> from hedgelab import api
>>> result = api.run("japan-2026", ["dual_hedge", "anchor"], n_paths=256, years=5, seed=0)
>>> summary = api.summarise(result)              # tidy table: strategy x metric, mean and stderr
>>> why = api.breakdown(result, "anchor", "dual_hedge")  # which mechanism drives each gap

Results are :class:`xarray.Dataset` objects with dimensions ``strategy`` and ``path``, units and
long names on every variable (from :data:`METRICS` and :data:`VARIABLES`, the metric registry)
and the scenario, seed, package version and parameter hash in ``attrs``. Every run goes through
one engine, :mod:`hedgelab.analysis.runner`.
"""

from hedgelab.analysis.compare import run
from hedgelab.analysis.limits import MAX_PATHS, MAX_YEARS
from hedgelab.analysis.metrics import METRICS, VARIABLES
from hedgelab.analysis.partners import partner_effects
from hedgelab.analysis.prepare import prepare
from hedgelab.analysis.summary import breakdown, summarise
from hedgelab.analysis.trajectories import trajectories

__all__ = [
    "MAX_PATHS",
    "MAX_YEARS",
    "METRICS",
    "VARIABLES",
    "breakdown",
    "partner_effects",
    "prepare",
    "run",
    "summarise",
    "trajectories",
]
