"""The command line: thin adapters over the Python API (parse, call, print)."""
