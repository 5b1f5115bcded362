"""The Python examples in docs/api.md (in order, as one script) and the README run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_api_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = BLOCK.findall((DOCS / "api.md").read_text(encoding="utf-8"))
    assert len(blocks) == 3
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"docs/api.md, example {number}", "exec"), namespace)
    printed = capsys.readouterr().out
    assert "service_level" in printed and "diff_ci95_unpaired" in printed
    assert "channels" in printed  # the broken scenario's problem names its field


@pytest.mark.slow
def test_readme_python_example_runs() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    blocks = BLOCK.findall(readme)
    assert len(blocks) == 1
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    assert len(namespace["runs"].results) == 5  # type: ignore[attr-defined]
