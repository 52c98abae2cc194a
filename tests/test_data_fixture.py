"""The ``data_dir`` fixture of tests/conftest.py: run, skip with one header line, or fail on demand.

Tiny pytest sessions run in a subprocess with a copy of tests/conftest.py, so the outcome seen here
is the outcome a real run gets: with ``HEDGELAB_REQUIRE_DATA=1`` and no data folder a test taking
``data_dir`` errors (the run fails); without it, the test is skipped and the run says so up front.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parent / "conftest.py"
TEST_FILE = """
def test_needs_data(data_dir):
    assert data_dir.is_dir()


def test_plain():
    pass
"""


def _conftest():
    spec = importlib.util.spec_from_file_location("hedgelab_tests_conftest", CONFTEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _session(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, data: Path, require: str | None,
             *args: str) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_tiny=TEST_FILE)
    monkeypatch.setenv("HEDGELAB_TEST_DATA", str(data))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # no hypothesis etc.: a faster start
    if require is None:
        monkeypatch.delenv("HEDGELAB_REQUIRE_DATA", raising=False)
    else:
        monkeypatch.setenv("HEDGELAB_REQUIRE_DATA", require)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_helper_decides_skip_or_fail(tmp_path: Path) -> None:
    conftest = _conftest()
    missing = tmp_path / "nowhere"
    assert conftest.missing_data(tmp_path, required=True) is None
    assert conftest.missing_data(tmp_path, required=False) is None
    action, reason = conftest.missing_data(missing, required=True)
    assert action == "fail" and str(missing) in reason
    action, reason = conftest.missing_data(missing, required=False)
    assert action == "skip" and str(missing) in reason
    assert conftest.data_required({"HEDGELAB_REQUIRE_DATA": "1"})
    assert not conftest.data_required({"HEDGELAB_REQUIRE_DATA": "0"}) and not conftest.data_required({})
    assert conftest.shared_data_path({"HEDGELAB_TEST_DATA": str(missing)}) == missing.resolve()
    assert conftest.shared_data_path({}) == (CONFTEST.parents[2] / "shared" / "data").resolve()


def test_required_and_missing_is_a_failure_not_a_skip(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = _session(pytester, monkeypatch, missing, "1")
    result.assert_outcomes(passed=1, errors=1, skipped=0)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([f"hedgelab: shared data directory not found at {missing}: data tests will FAIL*"])
    result.stdout.fnmatch_lines([f"*shared data directory not found at {missing} and HEDGELAB_REQUIRE_DATA=1*"])


def test_missing_is_a_skip_announced_in_one_header_line(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = _session(pytester, monkeypatch, missing, None)
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.OK
    line = f"hedgelab: shared data directory not found at {missing}: data tests will be skipped " \
           "(set HEDGELAB_REQUIRE_DATA=1 to fail instead)"
    assert result.stdout.lines.count(line) == 1
    # -q has no header: the line comes before the first result, with the number of data tests
    quiet = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    quiet.assert_outcomes(passed=1, skipped=1)
    assert quiet.stdout.lines[0].startswith(f"hedgelab: shared data directory not found at {missing}: 1 data test will")


def test_present_runs_and_says_nothing(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    result = _session(pytester, monkeypatch, tmp_path, "1")
    result.assert_outcomes(passed=2)
    assert not any("hedgelab:" in line for line in result.stdout.lines)
