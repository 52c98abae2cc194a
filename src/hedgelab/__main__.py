"""``python -m hedgelab``: the same command line as ``hedgelab``."""

from hedgelab.cli.entry import main

main()
