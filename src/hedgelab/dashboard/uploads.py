"""Uploaded scenario files: validated exactly as the CLI validates a file (the loader's size
limit, syntax and schema checks, the same error lines), and kept from reaching outside the
upload: an uploaded file may inherit from a built-in scenario only, never from a path."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from hedgelab.errors import HedgelabError, error_line
from hedgelab.scenarios import Scenario, builtin_names, load_scenario
from hedgelab.scenarios.loader import MAX_SCENARIO_BYTES, read_scenario_file

SUFFIXES = (".toml", ".yaml", ".yml")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    """A validated upload: where the session keeps it, the name it is shown by, its SHA-256."""

    path: Path
    name: str
    digest: str
    scenario: Scenario


def safe_name(filename: str) -> str:
    """The upload's base name with anything but letters, digits, ``.``, ``_`` and ``-`` replaced,
    or a one-line error when it is not a ``.toml``/``.yaml`` file."""
    name = _UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).lstrip(".") or "upload"
    if Path(name).suffix.lower() not in SUFFIXES:
        raise HedgelabError(error_line(name, "file", "a scenario file ending in .toml, .yaml or .yml"))
    return name


def accept(filename: str, data: bytes, directory: Path) -> Upload:
    """Validate the bytes of an uploaded scenario file and keep it in ``directory`` (the session's
    own); raise :class:`HedgelabError` with the loader's lines (naming the upload, not the server's
    path) and leave ``directory`` as it was when it is invalid. At most
    ``MAX_SCENARIO_BYTES + 1`` bytes of ``data`` are used: more is refused by the loader's limit."""
    name = safe_name(filename)
    digest = hashlib.sha256(data).hexdigest()
    staging = directory / f".{digest[:16]}"
    staging.mkdir(parents=True, exist_ok=True)
    path = staging / name
    path.write_bytes(data[: MAX_SCENARIO_BYTES + 1])
    try:
        base = read_scenario_file(path, name).get("base")  # the loader's read: size limit, syntax, a table
        if base is not None and base not in builtin_names():
            raise HedgelabError(error_line(name, "base", f"a built-in scenario ({', '.join(builtin_names())}); an "
                                           "uploaded file cannot inherit from another file"))
        scenario = load_scenario(str(path))
    except HedgelabError as err:
        path.unlink()
        staging.rmdir()
        raise HedgelabError([line.replace(str(path), name) for line in err.lines]) from None
    return Upload(path, name, digest, scenario)
