"""Writing results to disk atomically: one file (a temporary file, then a rename) or a whole set
of files (a temporary directory beside the target, then an atomic swap).

Files and directories get the permissions a plain ``open()``/``mkdir()`` would give under the
process umask (``tempfile`` creates them 0600/0700, which would hide results from colleagues).
A full disk or an unwritable location is one :class:`~hedgelab.errors.HedgelabError` line naming
the path; what was there before is left intact, and no temporary file or directory is left behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from hedgelab.errors import HedgelabError, error_line

FILE_MODE = 0o666  # what open() asks for, before the umask
DIR_MODE = 0o777  # what mkdir() asks for, before the umask
TEMP_PREFIX = ".hedgelab-tmp-"
"""Prefix of the temporary siblings of an output set; stale ones (a killed run's) are removed."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _problem(path: Path, err: OSError) -> HedgelabError:
    reason = "disk full" if err.errno == errno.ENOSPC else err.strerror or type(err).__name__
    return HedgelabError(error_line(str(path), "path", f"a writable location ({reason})"))


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it into place.

    A reader never sees a half-written file; on any failure (a full disk included) the previous
    file is intact and the temporary file is removed.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise _problem(path, err) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, FILE_MODE & ~_umask())
        os.replace(tmp, path)
    except OSError as err:
        raise _problem(path, err) from None
    finally:
        tmp.unlink(missing_ok=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where
    the platform or file system does not offer it."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def _remove_stale(directory: Path, name: str) -> None:
    for stale in directory.glob(f"{TEMP_PREFIX}{name}.*"):
        shutil.rmtree(stale, ignore_errors=True)


def write_output_set(target: Path, files: dict[str, Callable[[Path], None]]) -> None:
    """Write a set of files into directory ``target`` so that it always holds one complete set.

    The files are written into a temporary directory beside ``target``; then the temporary
    directory and ``target`` are exchanged in one atomic step (``renameat2``; where that is not
    available, two renames, with a window of microseconds in which ``target`` is absent but the
    previous set survives under the temporary name) and the previous set is removed. A run killed
    at any moment leaves the previous complete set or the new one in ``target``, never a mix;
    leftovers of a killed run are removed by the next write.

    Parameters
    ----------
    files : dict of file name to writer
        Each writer is called with the path to write.
    """
    target = Path(target)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(parent, target.name)
        staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{target.name}.", dir=parent))
    except OSError as err:
        raise _problem(target, err) from None
    try:
        for name, write in files.items():
            write(staging / name)
            os.chmod(staging / name, FILE_MODE & ~_umask())
        os.chmod(staging, DIR_MODE & ~_umask())
        if target.is_dir() and not target.is_symlink():
            if not _exchange(staging, target):
                previous = staging.with_name(staging.name + ".previous")
                os.rename(target, previous)
                os.rename(staging, target)
                staging = previous
        elif target.exists():
            raise HedgelabError(error_line(str(target), "path", "a directory for the output set (a file is in the way)"))
        else:
            os.rename(staging, target)
    except OSError as err:
        raise _problem(target, err) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
