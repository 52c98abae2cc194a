"""Calibrate the built-in scenarios from the data and write the numbers into their TOML files.

Usage::

    python scripts/calibrate_scenarios.py [--data-dir DIR] [--check]

The data directory is ``--data-dir``, else ``HEDGELAB_DATA``, else ``shared/data`` beside the
repository. Writes ``value``, ``source`` and ``as_of`` (and ``range`` where estimated) of the
calibrated parameters (see hedgelab.data.calibration, hedgelab.analysis.trigger_calibration and
docs/calibration.md) with tomlkit, keeping
everything else, then regenerates docs/parameters.md. Running it twice changes nothing.
``--check`` writes nothing and exits 1 if any file would change. This script is the only writer
of these numbers.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("HEDGELAB_DATA"):
        return Path(os.environ["HEDGELAB_DATA"])
    return ROOT.parent / "shared" / "data"


def _render_docs() -> None:
    spec = importlib.util.spec_from_file_location("render", ROOT / "scripts" / "render_parameter_docs.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    target = module.DOCS
    text = module.render()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    args = parser.parse_args(argv)

    from hedgelab.analysis.trigger_calibration import builtin_trigger_calibration
    from hedgelab.scenarios.calibrate import calibrate_all, write_scenarios
    from hedgelab.errors import HedgelabError
    from hedgelab.scenarios.loader import _BUILTIN

    try:
        data_dir = _data_dir(args.data_dir)
        results = calibrate_all(data_dir)
        for name, items in builtin_trigger_calibration(list(results), data_dir).items():
            results[name] = results[name] + items
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                for p in Path(str(_BUILTIN)).glob("*.toml"):
                    shutil.copy(p, Path(tmp) / p.name)
                changed = write_scenarios(results, Path(tmp))
            for p in changed:
                print(f"would change {p.name}")
            return 1 if changed else 0
        changed = write_scenarios(results)
    except HedgelabError as err:
        for line in err.lines:
            print(line, file=sys.stderr)
        return 2
    for p in changed:
        print(f"wrote {p}")
    if not changed:
        print("scenario files already agree with the data")
    _render_docs()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
