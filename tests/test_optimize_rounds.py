"""A round whose solve returns the last round's schedule (its staffing already covered the
raise) is not simulated again: the same schedule on the same replications has the same
evaluation, and the round says which round it repeats."""

from __future__ import annotations

from omnistaff.optimize.loop import _round, plan_of
from omnistaff.optimize.requirements import channel_requirements
from omnistaff.scenarios import bundled_scenarios, load_scenario, with_overrides


def test_a_round_that_repeats_the_last_schedule_reuses_its_simulation() -> None:
    base = load_scenario(bundled_scenarios()["small_multichannel"])
    scenario = with_overrides(base, {"horizon.days": 1, "optimizer": {
        "mip_gap": 0.02, "replications": 3, "max_replications": 3}})
    plan = plan_of(scenario)
    first = _round(scenario, channel_requirements(scenario), plan, 1, None)
    # The same requirements again, from the first round's schedule as floors: nothing to add.
    again = _round(scenario, first.requirements, plan, 2, first)
    assert again.agents == first.agents
    assert again.evaluation is first.evaluation
    assert again.iteration.same_as == 1 and first.iteration.same_as is None
    assert "the same schedule as round 1" in again.iteration.describe()
    assert again.iteration.row()["same_as"] == 1
    # A round from other requirements is simulated: raising phone where it is open changes the
    # schedule, so its evaluation is its own.
    raised = first.requirements.raised(
        "phone", first.requirements.open["phone"].nonzero()[0][:4], 5.0)
    other = _round(scenario, raised, plan, 3, first)
    assert other.agents != first.agents and other.iteration.same_as is None
    assert other.evaluation is not first.evaluation
