"""Results on disk: atomic files, atomic sets of files, permissions that honour the umask, and the
provenance record written with every output.

Layer: below everything but :mod:`hedgelab.errors`; it knows nothing of scenarios or the model.
"""

from hedgelab.store.files import write_atomic, write_output_set
from hedgelab.store.formats import parquet_writer, read_parquet_metadata, significant

__all__ = ["parquet_writer", "read_parquet_metadata", "significant", "write_atomic", "write_output_set"]
