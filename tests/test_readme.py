"""Every Python snippet in the README and the API docstring runs as shown."""

import doctest
import re
from pathlib import Path

import hedgelab.api

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_snippets_run():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "the README shows Python usage"
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own docs
        if "result" in namespace:
            assert namespace["result"].attrs["paths"] > 0


def test_api_docstring_examples_run():
    failures, tried = doctest.testmod(hedgelab.api, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_readme_quick_start_names_the_test_command_ci_runs():
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install ".[test]" && python -m pytest -q' in README.read_text(encoding="utf-8")
    assert "python -m pytest -q" in ci and '".[test]"' in ci
