"""Uploaded scenario files: validated exactly as the CLI validates a file (the loader's size
limit, syntax and schema checks, the same error lines), and kept from reaching outside the
upload: an uploaded file may inherit from a built-in scenario only, never from a path."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hedgelab.errors import HedgelabError, error_line
from hedgelab.scenarios import builtin_names, load_scenario
from hedgelab.scenarios.loader import MAX_SCENARIO_BYTES, read_scenario_file

SUFFIXES = (".toml", ".yaml", ".yml")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    """A validated upload: where the session keeps it (alone in ``path.parent``, removed when the
    session replaces or forgets it), the name it is shown by, its SHA-256."""

    path: Path
    name: str
    digest: str


def safe_name(filename: str) -> str:
    """The upload's base name with anything but letters, digits, ``.``, ``_`` and ``-`` replaced
    and the suffix in lower case (the loader reads ``.toml``, ``.yaml`` and ``.yml``), or a
    one-line error when it is not such a file."""
    name = Path(_UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).lstrip(".") or "upload")
    if name.suffix.lower() not in SUFFIXES:
        raise HedgelabError(error_line(name.name, "file", "a scenario file ending in .toml, .yaml or .yml"))
    return name.stem + name.suffix.lower()


def accept(filename: str, data: bytes, directory: Path) -> Upload:
    """Validate the bytes of an uploaded scenario file and keep it in a new folder of its own
    under ``directory`` (the session's); raise :class:`HedgelabError` with the loader's lines
    (naming the upload, not the server's path) and leave ``directory`` as it was when it is
    invalid. At most ``MAX_SCENARIO_BYTES + 1`` bytes of ``data`` are used: more is refused by
    the loader's limit."""
    name = safe_name(filename)
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=directory))
    path = staging / name
    try:
        path.write_bytes(data[: MAX_SCENARIO_BYTES + 1])
        base = read_scenario_file(path, name).get("base")  # the loader's read: size limit, syntax, a table
        if base is not None and base not in builtin_names():
            raise HedgelabError(error_line(name, "base", f"a built-in scenario ({', '.join(builtin_names())}); an "
                                           "uploaded file cannot inherit from another file"))
        load_scenario(str(path))
    except HedgelabError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise HedgelabError([line.replace(str(path), name) for line in err.lines]) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Upload(path, name, hashlib.sha256(data).hexdigest())
