"""`RunSettings` carries replications, seed, workers, Dask address and progress through every
study, and gives the same results as the separate arguments older callers pass."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import live, scenario

from omnistaff.scenarios import Scenario
from omnistaff.sim.compare import compare_scenarios
from omnistaff.sim.experiment import RunSettings, run_replications


@pytest.fixture(scope="module")
def small() -> Scenario:
    return scenario({"phone": live(per_interval=20.0)}, horizon={"replications": 4, "seed": 3})


def test_settings_and_separate_arguments_give_the_same_replications(small: Scenario) -> None:
    calls: list[tuple[int, int]] = []
    settings = RunSettings(replications=2, seed=9, progress=lambda *done: calls.append(done))
    by_settings = run_replications(small, settings=settings)
    by_arguments = run_replications(small, 2, 9)
    assert by_settings.seed == 9 and len(by_settings.results) == 2 and calls[-1] == (2, 2)
    pd.testing.assert_frame_equal(by_settings.channel_table(), by_arguments.channel_table())


def test_unset_settings_take_the_scenario_s_replications_and_seed(small: Scenario) -> None:
    comparison = compare_scenarios({"base": small}, settings=RunSettings())
    assert (comparison.replications, comparison.seed) == (4, 3)


def test_settings_and_separate_arguments_together_are_refused(small: Scenario) -> None:
    with pytest.raises(TypeError, match="not both"):
        run_replications(small, 2, settings=RunSettings(replications=3))
