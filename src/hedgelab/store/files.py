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
import functools
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
    the platform or the file system does not offer it (then the caller falls back)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


AT_FDCWD = -100  # <fcntl.h>: paths relative to the working directory
RENAME_EXCHANGE = 2  # <linux/fs.h>


@functools.cache
def _renameat2():  # type: ignore[no-untyped-def]
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    if libc is None or not hasattr(libc, "renameat2"):
        return None
    function = libc.renameat2
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _staging_prefix(name: str) -> str:
    return f"{TEMP_PREFIX}{name}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _remove_stale(directory: Path, name: str) -> None:
    """Remove staging directories of ``name`` left by runs that were killed (their process is
    gone); a live run's staging directory, or another target's, is never touched."""
    prefix = _staging_prefix(name)
    for entry in directory.iterdir():
        if not entry.name.startswith(prefix):
            continue
        pid_text = entry.name[len(prefix):].split(".", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(entry, ignore_errors=True)


def _check_replaceable(target: Path, names: set[str]) -> None:
    """Only an empty directory or a previous set of the same files may be replaced: anything
    else in ``target`` (a user's notes, figures) would be deleted with the previous set."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise HedgelabError(error_line(str(target), "path", "a directory for the output set (a file or link is in the way)"))
    if target.is_dir():
        foreign = sorted(p.name for p in target.iterdir() if p.name not in names)
        if foreign:
            shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
            raise HedgelabError(error_line(
                str(target), "path", f"an empty directory or a previous output set of {', '.join(sorted(names))} "
                f"(it also holds {shown}: choose another directory)"))


def write_output_set(target: Path, files: dict[str, Callable[[Path], None]]) -> None:
    """Write a set of files into directory ``target`` so that it always holds one complete set.

    The files are written into a temporary directory beside ``target`` (named with this
    process's id); then the temporary directory and ``target`` are exchanged in one atomic step
    (``renameat2``; where that is not available, two renames, with a window of microseconds in
    which ``target`` is absent but the previous set survives under the temporary name) and the
    previous set is removed. A run killed at any moment leaves the previous complete set or the
    new one in ``target``, never a mix; the next write removes a killed run's leftovers.
    ``target`` must be absent, empty, or hold only a previous set of the same file names.

    Parameters
    ----------
    files : dict of file name to writer
        Each writer is called with the path to write.
    """
    target = Path(target)
    parent = target.parent
    _check_replaceable(target, set(files))
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(parent, target.name)
        staging = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(target.name)}{os.getpid()}.", dir=parent))
    except OSError as err:
        raise _problem(target, err) from None
    try:
        for name, write in files.items():
            write(staging / name)
            os.chmod(staging / name, FILE_MODE & ~_umask())
        os.chmod(staging, DIR_MODE & ~_umask())
        if target.is_dir():
            if not _exchange(staging, target):
                previous = staging.with_name(staging.name + ".previous")
                os.rename(target, previous)
                os.rename(staging, target)
                staging = previous
        else:
            os.rename(staging, target)
    except OSError as err:
        raise _problem(target, err) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
