"""A round whose raise the last schedule already covered: it raises again from the last
round's evaluation (nothing simulated) until the schedule changes, up to RAISE_REPEATS times;
where the schedule still does not change, the same schedule on the same replications has the
same evaluation, so the last round's simulation stands, and the round says which it repeats."""

from __future__ import annotations

import pytest

from omnistaff.optimize import loop
from omnistaff.optimize.loop import _round, plan_of
from omnistaff.optimize.requirements import channel_requirements
from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario, with_overrides


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    base = load_scenario(bundled_scenarios()["small_multichannel"])
    return with_overrides(base, {"horizon.days": 1, "optimizer": {
        "mip_gap": 0.02, "replications": 3, "max_replications": 3}})


@pytest.fixture(scope="module")
def first(scenario: Scenario) -> loop._Round:
    done = _round(scenario, channel_requirements(scenario), plan_of(scenario), 1, None)
    assert not done.evaluation.all_met  # round 1 misses, so there is something to raise
    return done


def test_a_raise_the_schedule_covered_is_raised_again_until_it_changes(
        scenario: Scenario, first: loop._Round) -> None:
    # The first round's own requirements again, from its schedule as floors: the schedule
    # covers them, so only raising again from its evaluation can change it.
    again = _round(scenario, first.requirements, plan_of(scenario), 2, first)
    assert 1 <= again.iteration.raise_repeats <= loop.RAISE_REPEATS
    assert again.agents != first.agents and again.iteration.same_as is None
    assert again.evaluation is not first.evaluation
    assert "the last schedule already covered the raise, raised again" in \
        again.iteration.describe()
    assert again.iteration.row()["raise_repeats"] == again.iteration.raise_repeats


def test_a_round_that_repeats_the_last_schedule_reuses_its_simulation(
        scenario: Scenario, first: loop._Round, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loop, "RAISE_REPEATS", 0)
    again = _round(scenario, first.requirements, plan_of(scenario), 2, first)
    assert again.agents == first.agents and again.iteration.raise_repeats == 0
    assert again.evaluation is first.evaluation
    assert again.iteration.same_as == 1 and first.iteration.same_as is None
    assert "the same schedule as round 1" in again.iteration.describe()
    assert again.iteration.row()["same_as"] == 1
