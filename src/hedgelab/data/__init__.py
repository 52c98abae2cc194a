"""Public datasets in, hedging indicators out.

* :mod:`hedgelab.data.codes` - one country-code system (ISO3) and the mappings to it.
* :mod:`hedgelab.data.sources` - the data directory, the dataset registry, input checks.
* :mod:`hedgelab.data.cache` - Parquet cache keyed by file checksum and loader version.
* :mod:`hedgelab.data.loaders` - one module per dataset, each returning a tidy typed table.
* :mod:`hedgelab.data.indicators` - the indicator registry and :func:`compute`.
"""

from __future__ import annotations

from hedgelab.data.indicators import compute, registry

__all__ = ["compute", "registry"]
