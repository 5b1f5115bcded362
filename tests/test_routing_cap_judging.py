"""Occupancy caps in the optimizer's judging (`optimize/occupancy.py`): an interval clearly
over its group's cap in simulation fails the schedule, and the round raises staff there, so
the schedule the loop returns holds the cap in simulation, on fresh replications too."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import HALF_HOURS, deferred, live, scenario

from omnistaff.optimize import optimize
from omnistaff.optimize.evaluate import Judging, evaluate
from omnistaff.optimize.occupancy import cap_verdicts, raise_over_cap
from omnistaff.optimize.requirements import channel_requirements
from omnistaff.scenarios import with_overrides
from omnistaff.sim.experiment import Replications
from omnistaff.sim.run import simulate

CAP = 0.8
OPEN = [0] * 16 + [1] * 24 + [0] * 8  # 08:00 to 20:00


def phone_team(calls: float, agents: int) -> object:
    """Phone alone, `agents` all day, capped at 80%: load occupancy is calls x 240 s over
    1,800 s, over agents."""
    return scenario({"phone": live(240, calls, threshold=60, patience=600)},
                    {"team": {"skills": ["phone"], "max_occupancy": CAP}},
                    {"per_interval": {"team": [agents] * HALF_HOURS}}, warmup=3600)


@pytest.mark.parametrize(("calls", "over"), [(90, True), (38, False)])
def test_an_interval_clearly_over_the_cap_fails_the_schedule(calls: float, over: bool) -> None:
    """Ten agents offered a load of 1.2 (90 calls of 240 s a half-hour, callers who wait up
    to 10 minutes) are busy nearly all the time, clearly over an 80% cap in every interval;
    at a load of 0.5, in none."""
    evaluation = evaluate(phone_team(calls, 10), Judging().fixed(10))
    caps = evaluation.caps
    assert len(caps) == HALF_HOURS
    assert bool(caps["over"].all()) is over and bool(caps["over"].any()) is over
    assert evaluation.caps_held is not over
    assert evaluation.all_met is (not over and bool(evaluation.channels["met"].all()))
    expected = calls * 240 / 1800 / 10
    assert caps["load_occupancy"].mean() == pytest.approx(min(expected, 1.0), abs=0.05)


def test_a_round_raises_the_groups_first_live_channel_by_its_excess_and_doubles_a_repeat() -> None:
    scen = scenario({"phone": live(240, [60 * o for o in OPEN], threshold=60),
                     "email": deferred(300, [10 * o for o in OPEN], threshold=4 * 3600)},
                    {"blend": {"skills": ["phone", "email"], "max_occupancy": CAP},
                     "mail": {"skills": ["email"], "max_occupancy": CAP}},
                    {"per_interval": {"blend": [0] * HALF_HOURS, "mail": [0] * HALF_HOURS}})
    requirements = channel_requirements(scen)
    caps = pd.DataFrame({"group": ["blend", "mail", "blend"], "interval": [20, 22, 24],
                         "load_occupancy": [0.92, 0.95, 0.75], "lower_bound": [0.85, 0.9, 0.7],
                         "upper_bound": [0.99, 1.0, 0.79], "replications": 4,
                         "staffed": [12.0, 3.0, 12.0], "max_occupancy": CAP,
                         "verdict": ["over", "over", "held"], "over": [True, True, False]})
    raised, more = raise_over_cap(scen, requirements, caps, {})
    assert raised == {"phone": 1, "email": 1}
    step = np.ceil(12 * (0.92 - CAP) / CAP)  # 1.8 agents more, rounded up
    np.testing.assert_allclose(more.required["phone"] - requirements.required["phone"],
                               np.where(np.arange(HALF_HOURS) == 20, step, 0.0))
    assert more.window["email"][22] < requirements.window["email"][22]
    assert (np.delete(more.window["email"], 22) == np.delete(requirements.window["email"],
                                                             22)).all()
    _, again = raise_over_cap(scen, more, caps, {})
    assert again.required["phone"][20] - more.required["phone"][20] == step  # max(2, 2)
    _, third = raise_over_cap(scen, again, caps, {})
    assert third.required["phone"][20] - again.required["phone"][20] == 2 * step


@pytest.mark.slow  # six rounds of the loop on one day (about 10 s of CPU)
def test_the_loop_returns_a_schedule_that_holds_the_cap_in_simulation() -> None:
    """Phone tries the cheaper phone specialists first, so they run hotter than the plan's
    allocation says: the rounds raise phone where they are clearly over 80% (while every
    SLA is met), and the final schedule holds the cap on fresh replications: no judged
    interval's lower bound (one-sided 95%, Bonferroni over the day) is above it, and each
    group's load over the day's judged intervals is within the cap plus its 95% half-width
    (t over the 8 replications' day means)."""
    groups = {"phones": {"skills": ["phone"], "hourly_cost": 20, "max_occupancy": CAP},
              "blend": {"skills": ["phone", "email"], "hourly_cost": 24,
                        "max_occupancy": CAP}}
    scen = scenario({"phone": live(240, [120 * o for o in OPEN], threshold=60,
                                   sla={"target": 0.6}),
                     "email": deferred(300, [40 * o for o in OPEN], threshold=4 * 3600)},
                    groups, {"per_interval": {"phones": [0] * HALF_HOURS,
                                              "blend": [0] * HALF_HOURS}},
                    horizon={"days": 1, "replications": 4, "seed": 11},
                    routing={"channels": {"phone": {"groups": ["phones", "blend"]}}},
                    optimizer={"templates": [{"name": "ft", "lengths": ["8h"],
                                              "start_step": "1h", "earliest_start": "06:00",
                                              "latest_start": "13:00"}],
                               "replications": 4, "max_replications": 8, "lowerings": 0,
                               "trim": False, "max_iterations": 10})
    result = optimize(scen)
    assert result.converged and result.evaluation.caps_held
    cap_rounds = [it for it in result.iterations if all(it.met.values()) and it.raised]
    assert cap_rounds, "no round raised staff for the cap alone"
    fresh = with_overrides(result.scenario, {"horizon.seed": 911})
    runs = Replications(fresh, 911, [simulate(fresh, 911, r) for r in range(8)])
    caps = cap_verdicts(runs, fresh, 0.95)
    assert not caps["over"].any(), caps[caps["over"]]
    for group in groups:
        judged = caps.loc[caps["group"] == group, "interval"].to_numpy()
        days = []
        for r in runs.results:
            rows = r.group_intervals[r.group_intervals["group"] == group].set_index("interval")
            rows = rows.loc[judged]
            days.append(float((rows["load_occupancy"] * rows["staffed_seconds"]).sum()
                              / rows["staffed_seconds"].sum()))
        half = 2.365 * np.std(days, ddof=1) / np.sqrt(len(days))  # t(0.975, 7 df)
        assert np.mean(days) <= CAP + half, (group, np.mean(days), half)
