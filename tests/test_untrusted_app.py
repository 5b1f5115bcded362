"""The app given hostile text: the Variants and YAML text areas take the same bounded, alias-
free YAML as uploads, and report problems instead of hanging or raising."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario, with_overrides
from omnistaff.ui import cli_app

MAIN = Path(cli_app.MAIN)
BOMB = "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x, x]",
                  *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9))])


@pytest.fixture(scope="module")
def small() -> Scenario:
    full = load_scenario(bundled_scenarios()["small_multichannel"])
    return with_overrides(full, {"horizon.days": 2, "horizon.replications": 2})


def started(scenario: Scenario) -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=60)
    at.session_state["scenario"] = scenario
    at.session_state["source"] = "test"
    return at.run()


def apply_text(at: AppTest, label: str, text: str, button: str) -> list[str]:
    next(t for t in at.text_area if t.label == label).set_value(text)
    next(b for b in at.button if b.label == button).click().run()
    assert not at.exception, at.exception
    return [e.value for e in at.error]


@pytest.mark.parametrize(("text", "expected"), [
    ("boom:\n" + "".join(f"  {line}\n" for line in BOMB.splitlines()), "aliases"),
    ("boom: " + "[" * 5_000 + "]" * 5_000, "nesting"),
    ("boom: {horizon.days: 1}\nboom: {horizon.days: 2}", "given twice"),
    ("x/../..: {horizon.days: 1}", "variants.x/../.."),
], ids=["alias-bomb", "deep", "duplicate-key", "path-name"])
def test_the_variants_text_area_is_bounded(small: Scenario, text: str, expected: str) -> None:
    at = started(small)
    began = time.perf_counter()
    found = apply_text(at, "Variants (YAML)", text, "Apply variants")
    assert time.perf_counter() - began < 30
    assert any(expected in e for e in found), found
    assert at.session_state["scenario"] == small


def test_the_yaml_text_area_is_bounded(small: Scenario) -> None:
    at = started(small)
    found = apply_text(at, "Scenario (YAML)", "name: " + "[" * 5_000 + "]" * 5_000,
                       "Apply YAML")
    assert any("nesting" in e for e in found), found
