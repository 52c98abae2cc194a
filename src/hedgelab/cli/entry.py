"""The console script: ``hedgelab`` and ``python -m hedgelab``.

Everything heavy (typer, the model, pandas) is imported inside the handler, so Ctrl-C at any
moment, start-up included, exits 130 with one line and no traceback. A closed pipe
(``hedgelab … | head``) ends the process the way it ends any Unix filter, by SIGPIPE (the shell
reports 141), with nothing printed; outputs given with ``--out`` are written before anything is
printed, so they are complete.
"""

from __future__ import annotations

import os
import signal
import sys

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE


def main() -> None:
    """Run the command line; Ctrl-C and closed pipes end without a traceback."""
    if hasattr(signal, "SIGPIPE"):  # click would turn a closed pipe into exit status 1
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        from hedgelab.cli.main import app

        app()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:  # platforms without SIGPIPE
        devnull = os.open(os.devnull, os.O_WRONLY)  # Python's flush at exit must not fail again
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)
    finally:  # worker threads of an interrupted run finish at exit: a second Ctrl-C must not
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # print a traceback from their join
