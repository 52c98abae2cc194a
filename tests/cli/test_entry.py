"""The console script: version, ``python -m hedgelab``, Ctrl-C at start-up, closed pipes."""

from __future__ import annotations

import pytest

import signal
import subprocess
import sys
import time

from hedgelab import __version__


def test_version_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "hedgelab", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"hedgelab {__version__}"


def test_ctrl_c_during_start_up_exits_130_without_a_traceback():
    # Ctrl-C lands while the command line's modules are being imported (made deterministic: the
    # import of hedgelab.cli.main raises KeyboardInterrupt, as a SIGINT at that moment would)
    code = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        "    if name == 'hedgelab.cli.main':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        "sys.argv = ['hedgelab', 'compare']\n"
        "from hedgelab.cli.entry import main\n"
        "main()\n"
    )
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert process.returncode == 130 and "Traceback" not in process.stderr and "interrupted" in process.stderr


def test_a_real_ctrl_c_soon_after_start_exits_cleanly():
    process = subprocess.Popen([sys.executable, "-m", "hedgelab", "compare", "--paths", "100000"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)  # past the interpreter's own start-up (before it, Python itself has no handler)
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=60)
    stderr = process.stderr.read()
    assert code == 130 and "Traceback" not in stderr and "interrupted" in stderr


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly():
    # the reader exits before reading anything: every write of the command meets a closed pipe
    shell = f"{sys.executable} -m hedgelab show japan-2026 --format json | true; echo ${{PIPESTATUS[0]}}"
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True)
    assert result.stdout.strip() in {"0", "141"}  # 141: closed pipe (0 if the output fit the buffer first)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
