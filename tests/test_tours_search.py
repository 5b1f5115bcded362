"""What a restricted MIP of a plan in people searches: whole lines (every break placement and
weekday of a shift the LP uses), and a stop at the first schedule within the gap of the whole
model's bound."""

from __future__ import annotations

import numpy as np
import pytest

from omnistaff.optimize import schedule_data
from omnistaff.optimize.requirements import Requirements
from omnistaff.optimize.tour_search import other_lengths, restricted_gap, whole_lines
from omnistaff.scenarios import scenario_from_dict


def data_of(contracts: dict, at: int = 20, lengths: tuple[str, ...] = ("8h",)) -> object:
    """One team on the contracts, shifts (8 hours unless `lengths`) starting 08:00 to 10:00,
    one agent required at the interval `at` of Monday (half hours: 20 is 10:00, which every
    start covers)."""
    scenario = scenario_from_dict({
        "name": "lines", "horizon": {"days": 7},
        "channels": {"phone": {"mode": "live", "arrivals": {"weekly_volume": 100},
                               "handle_time": {"mean": 300, "cv": 1},
                               "sla": {"target": 0.8, "threshold": "20s"}}},
        "groups": {"team": {"skills": ["phone"], "hourly_cost": 10}},
        "contracts": contracts,
        "optimizer": {"templates": [{"name": "day", "earliest_start": "08:00",
                                     "latest_start": "10:00", "start_step": "1h",
                                     "lengths": list(lengths), "breaks": [
                                         {"duration": "30min", "earliest": "3h",
                                          "latest": "5h", "step": "1h"}]}]},
    })
    count = scenario.horizon.intervals
    required = np.zeros(count)
    required[at] = 1
    requirements = Requirements(erlang={"phone": required}, required={"phone": required},
                                open={"phone": np.zeros(count, bool)}, work={}, window={})
    return schedule_data(scenario, requirements)


def test_a_restricted_mip_keeps_whole_lines() -> None:
    data = data_of({"full_time": {}})
    first = data.options[0]
    kept = whole_lines(data, [0])
    same = [s for s, o in enumerate(data.options)
            if (o.group, o.start, o.length) == (first.group, first.start, first.length)]
    # Three break placements on each of seven weekdays, and nothing of the other starts.
    assert kept == same and len(same) == 3 * 7
    assert whole_lines(data_of({}), [0]) == [0]  # without contracts: the options as kept


def test_the_first_widening_keeps_every_length_of_the_starts_kept() -> None:
    data = data_of({"full_time": {}}, lengths=("6h", "8h"))
    first = data.options[0]
    kept = whole_lines(data, [0])
    best = tuple(1 if s == 0 else 0 for s in range(len(data.options)))
    dearer = {"team": data.cost[0] / 2}  # the schedule costs more than the LP
    wider = other_lengths(data, kept, best, dearer)
    # Both lengths of the kept start (every break placement and weekday), no other start.
    assert set(kept) < set(wider)
    assert wider == [s for s, o in enumerate(data.options) if o.start == first.start]
    assert {data.options[s].length for s in wider} == {6 * 3600.0, 8 * 3600.0}
    assert other_lengths(data, wider, best, dearer) == []  # nothing to add: the usual widening
    # A group staffed at its LP cost keeps only the options its schedule uses: nothing added.
    assert other_lengths(data, kept, best, {"team": data.cost[0]}) == []
    assert other_lengths(data_of({}, lengths=("6h", "8h")), [0], best, dearer) == []
    nobody = tuple(0 for _ in data.options)  # a group with no one in the schedule
    assert other_lengths(data, kept, nobody, dearer) == []


def test_a_restricted_mip_stops_within_the_gap_of_the_whole_models_bound() -> None:
    tours, plain = data_of({"full_time": {}}), data_of({})
    gap, target = restricted_gap(tours, 0.01, 990.0, exact=False)
    assert gap == 0.01 and target == pytest.approx(1000.0)
    # A schedule at the target is within 1% of the bound: (1000 - 990) / 1000.
    assert restricted_gap(tours, 0.01, 990.0, exact=True) == (0.01, None)
    assert restricted_gap(plain, 0.01, 990.0, exact=False) == (0.01, None)
    assert restricted_gap(tours, 0.01, float("-inf"), exact=False) == (0.01, None)


def test_a_schedule_using_an_option_outside_costs_at_least_the_floor() -> None:
    from omnistaff.optimize import build_model
    from omnistaff.optimize.runner import run
    from omnistaff.optimize.tour_search import outside_floor

    # One agent at 08:30: only the 08:00 start covers it, so the later starts, outside the
    # lines the LP uses, have a reduced cost.
    data = data_of({"full_time": {}}, at=17)
    model = build_model(data)
    relaxation = run(model, "appsi_highs", 60, relaxed=True)
    keep = whole_lines(data, [s for s in model.OPTIONS if (model.agents[s].value or 0) > 1e-6])
    floor = outside_floor(data, relaxation, keep)
    assert floor is not None and floor > relaxation.objective + 1
    outside = [s for s in model.OPTIONS if s not in set(keep)]
    assert outside
    for s in outside[::5]:  # a schedule forced onto an outside option costs at least the floor
        model.agents[s].setlb(1)
        forced = run(model, "appsi_highs", 60, mip_gap=1e-9)
        model.agents[s].setlb(0)
        assert forced.objective is not None and forced.objective >= floor - 1e-6


def test_a_person_on_a_line_left_out_costs_at_least_its_floor() -> None:
    from omnistaff.optimize import build_model
    from omnistaff.optimize.runner import run
    from omnistaff.optimize.tour_search import line_floors, outside_floor

    # As above: only the 08:00 start covers 08:30, so the later starts' lines are left out.
    data = data_of({"full_time": {}}, at=17)
    model = build_model(data)
    relaxation = run(model, "appsi_highs", 60, relaxed=True)
    keep = whole_lines(data, [s for s in model.OPTIONS if (model.agents[s].value or 0) > 1e-6])
    floors = line_floors(data, relaxation, keep)
    tours = data.tours
    kept = {(data.options[s].group, data.options[s].start, data.options[s].length)
            for s in keep}
    assert floors and all(tours.lines[i].key not in kept for i in floors)
    # A person's line costs five working days of options besides its tour variable: more than
    # the old floor's one option, and the whole model's floor is the least line's.
    assert outside_floor(data, relaxation, keep) == pytest.approx(
        relaxation.objective + min(floors.values()), rel=1e-6)
    for r, (index, _, _) in enumerate(tours.rota):
        if index not in floors or r % 3:
            continue
        model.rota[r].setlb(1)  # a person forced onto a left-out line's days-off pattern
        forced = run(model, "appsi_highs", 60, mip_gap=1e-9)
        model.rota[r].setlb(0)
        assert forced.objective is not None
        assert forced.objective >= relaxation.objective + floors[index] - 1e-6


def test_without_the_proving_mip_the_gap_is_reported_as_it_stands() -> None:
    import dataclasses

    from omnistaff.optimize import build_model
    from omnistaff.optimize.solve import SolveSettings, solve

    base = data_of({"full_time": {}})
    needs = {17: 1.3, 20: 2.6, 26: 1.7, 70: 0.7}  # fractional: the LP splits people
    data = dataclasses.replace(base, required={("phone", t): v for t, v in needs.items()})
    asked = dict(mip_gap=1e-9, max_nodes=1, widenings=0)
    proving = solve(build_model(data), SolveSettings(**asked))
    stands = solve(build_model(data), SolveSettings(**asked, prove=False))
    assert proving.proven and proving.options_searched == len(data.options)
    # Without it the search ends after the restricted MIP, and says it is unproven.
    assert not stands.proven and stands.status == "unproven"
    assert stands.options_searched < len(data.options)
    assert stands.objective >= proving.objective and stands.gap > 0.01
