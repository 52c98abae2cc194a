"""One loader module per dataset; each returns a tidy, typed table in ISO3.

Every loader takes ``data_dir`` (None = ``HEDGELAB_DATA``), checks the file and its columns,
parses through :func:`hedgelab.data.cache.cached` (Parquet keyed by the file's SHA-256 and the
loader's ``VERSION``), and raises :class:`~hedgelab.errors.HedgelabError` naming the dataset,
file and what was expected.
"""
