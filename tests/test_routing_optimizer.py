"""The occupancy cap in the schedule model: each capped group's busy agents (its allocations
weighted by the share of time each channel keeps them busy) within its cap of its agents on
queue, on tiny instances with hand-computed optima; and the busy shares the requirements
give it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import HALF_HOURS, live, scenario
from test_optimize_model import agents, option, solved, tiny

from omnistaff.optimize.data import occupancy_caps
from omnistaff.optimize.requirements import channel_requirements


def two_groups(cap: float | None, busy: float, dear: float) -> object:
    """One hour needing 10 agents on channel a whose load keeps them `busy` of the time;
    `cheap` agents cost 1 an hour (with the cap), `dear` ones `dear` an hour (no cap)."""
    data = tiny([option(0, 1, "cheap"), option(0, 1, "dear")], {"a": [10]},
                skills=[("cheap", "a"), ("dear", "a")], cost=[1.0, dear])
    if cap is None:
        return data
    return replace(data, max_occupancy={"cheap": cap}, busy_share={("a", 0): busy})


def test_a_cap_that_does_not_bind_changes_nothing() -> None:
    # busy 0.5 of the time, cap 0.6: ten cheap agents, as without a cap
    model, cost = solved(two_groups(0.6, 0.5, 1.2))
    assert cost == pytest.approx(10) and agents(model) == [10, 0]
    assert solved(two_groups(None, 0.5, 1.2))[1] == pytest.approx(10)


def test_a_binding_cap_needs_more_of_the_capped_group() -> None:
    # busy 0.8, cap 0.6: a cheap agent may cover 0.6 / 0.8 = 0.75 of an agent's need. With
    # d dear agents (1.5 an hour) the cheap ones are ceil((10 - d) / 0.75): d = 0: 14 (cost
    # 14); d = 1: 12 (13.5); d = 2: 11 (14); d = 4: 8 (14); more dear ones cost more. So 12
    # cheap and 1 dear, and without the cap 10 cheap (10).
    model, cost = solved(two_groups(0.6, 0.8, 1.5))
    assert cost == pytest.approx(13.5) and agents(model) == [12, 1]
    busy = 0.8 * model.allocated["cheap", "a", 0].value
    assert busy <= 0.6 * 12 + 1e-6 and model.allocated["cheap", "a", 0].value >= 9 - 1e-6
    assert solved(two_groups(None, 0.8, 1.5))[1] == pytest.approx(10)


def test_a_binding_cap_can_make_the_uncapped_group_the_cheaper() -> None:
    # the same at 1.2 an hour for dear agents: a cheap agent's cover costs 1 / 0.75 = 1.33,
    # a dear one's 1.2, so ten dear agents (12) beat 14 cheap (14) and every mix (the best,
    # 4 cheap covering 3 plus 7 dear: 12.4)
    model, cost = solved(two_groups(0.6, 0.8, 1.2))
    assert cost == pytest.approx(12) and agents(model) == [0, 10]


def test_the_requirements_give_each_channel_its_busy_share() -> None:
    """Live: offered load over the requirement (at most the loosest cap of its groups, here
    none, since one group has no cap), so the capped group is held to its own cap."""
    scen = scenario({"phone": live(300, 60)},
                    {"capped": {"skills": ["phone"], "max_occupancy": 0.7},
                     "free": {"skills": ["phone"]}},
                    {"per_interval": {"capped": [10] * HALF_HOURS, "free": [0] * HALF_HOURS}})
    requirements = channel_requirements(scen)
    parts = occupancy_caps(scen, requirements)
    assert parts["max_occupancy"] == {"capped": 0.7}
    load = 60 * 300 / 1800  # 10 Erlangs
    required = requirements.required["phone"]
    assert requirements.load["phone"] == pytest.approx(np.full(HALF_HOURS, load))
    assert parts["busy_share"][("phone", 0)] == pytest.approx(load / required[0])
    assert load / required[0] > 0.7  # the SLA alone would run the capped group above its cap
    assert occupancy_caps(scenario({"phone": live(300, 60)}), requirements) == {}
