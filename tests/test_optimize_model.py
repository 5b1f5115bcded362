"""The schedule model on tiny instances with hand-computed optima, its level tracking held
against a brute-force count of agents on shift, and the solve around the solver (MIPs in a
child process stopped at its deadline)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyomo.environ as pyo
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnistaff.optimize import ScheduleData, SolveReport, SolveSettings, build_model, solve
from omnistaff.optimize.frames import coverage_frame, schedule_frame
from omnistaff.optimize.levels import Levels, shift_levels
from omnistaff.optimize.requirements import allowed_backlog
from omnistaff.optimize.shifts import ShiftOption

HOUR = 3600.0
DAYS = {"mon": [0], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []}


def option(start_hour: float, hours: float, group: str = "team",
           breaks: tuple[tuple[float, float, bool], ...] = ()) -> ShiftOption:
    """A shift option on the single day of the tiny horizons below."""
    return ShiftOption(group, "t", "mon", int(start_hour * HOUR), hours * HOUR, breaks)


def tiny(options: list[ShiftOption], required: dict[str, list[float]] | None = None,
         skills: list[tuple[str, str]] | None = None, cost: list[float] | None = None,
         work: dict[str, list[float]] | None = None, window: int = 0) -> ScheduleData:
    """Hourly intervals, one agent on shift = one agent on queue, cost = paid hours."""
    required, work = required or {}, work or {}
    count = len(next(iter({**required, **work}.values())))
    skills = skills or [("team", c) for c in [*required, *work]]
    groups = sorted({g for g, _ in skills})
    return ScheduleData(
        intervals=count, interval_seconds=HOUR, labels=[f"h{t}" for t in range(count)],
        groups=groups, live=list(required), deferred=list(work), skills=skills,
        efficiency=dict.fromkeys(skills, 1.0), availability=dict.fromkeys(groups, 1.0),
        required={(c, t): v for c, row in required.items() for t, v in enumerate(row) if v},
        work={(c, t): v for c, row in work.items() for t, v in enumerate(row) if v},
        allowed={(c, t): v for c, row in work.items() for t, v in enumerate(
            allowed_backlog(np.asarray(row, float), np.full(count, window)))},
        options=options,
        cost=cost or [o.paid_seconds / HOUR for o in options],
        occurrences=[1] * len(options),
        levels=shift_levels(options, HOUR, count, DAYS),
        weekday_days=DAYS,
    )


def solved(data: ScheduleData) -> tuple[pyo.ConcreteModel, float]:
    model = build_model(data)
    report = solve(model, SolveSettings(mip_gap=1e-6))
    assert report.status == "proven"
    return model, report.objective


def agents(model: pyo.ConcreteModel) -> list[int]:
    return [round(model.agents[s].value) for s in model.OPTIONS]


def test_cheapest_mix_of_full_and_part_time_shifts() -> None:
    # Needs 1, 1, 2, 2, 2, 2, 1, 1 over eight hours. A full 8-hour shift costs 7.2 (cheaper per
    # hour), 4-hour shifts 4. Best: the full shift plus the 4-hour one from hour 2 = 11.2;
    # early + mid + late costs 12, two full shifts 14.4.
    options = [option(0, 4), option(2, 4), option(4, 4), option(0, 8)]
    model, objective = solved(tiny(options, {"phone": [1, 1, 2, 2, 2, 2, 1, 1]},
                                   cost=[4, 4, 4, 7.2]))
    assert objective == pytest.approx(11.2)
    assert agents(model) == [0, 1, 0, 1]


def test_a_break_takes_the_agent_off_queue() -> None:
    # A 4-hour shift with an unpaid hour off at hour 2 costs 3 and covers hours 0, 1 and 3.
    with_break = option(0, 4, breaks=((2 * HOUR, HOUR, False),))
    options = [with_break, option(0, 4)]
    model, objective = solved(tiny(options, {"phone": [1, 1, 0, 1, 0, 0]}))
    assert (objective, agents(model)) == (pytest.approx(3), [1, 0])
    model, objective = solved(tiny(options, {"phone": [1, 1, 1, 1, 0, 0]}))
    assert (objective, agents(model)) == (pytest.approx(4), [0, 1])


def test_a_shift_past_the_end_continues_at_the_start() -> None:
    # Needs one agent in hours 6, 7, 0, 1 of a repeating eight-hour horizon: the 4-hour shift
    # from hour 6 (cost 4) beats two 2-hour ones (2.5 each).
    options = [option(6, 4), option(0, 2), option(6, 2)]
    model, objective = solved(tiny(options, {"phone": [1, 1, 0, 0, 0, 0, 1, 1]},
                                   cost=[4, 2.5, 2.5]))
    assert (objective, agents(model)) == (pytest.approx(4), [1, 0, 0])


def test_omni_skilled_agents_pool_channels_that_peak_apart() -> None:
    # Two agents needed on channel a in hours 0-3 and on b in hours 4-7; only 8-hour shifts.
    a, b = [2, 2, 2, 2, 0, 0, 0, 0], [0, 0, 0, 0, 2, 2, 2, 2]
    specialists = tiny([option(0, 8, "sa"), option(0, 8, "sb")], {"a": a, "b": b},
                       skills=[("sa", "a"), ("sb", "b")])
    omni = tiny([option(0, 8, "omni")], {"a": a, "b": b}, skills=[("omni", "a"), ("omni", "b")])
    assert solved(specialists)[1] == pytest.approx(32)
    assert solved(omni)[1] == pytest.approx(16)


def test_deferred_work_waits_within_its_window() -> None:
    # Four agent-hours of work arrive in hour 0. Allowed to wait seven hours, one 4-hour shift
    # works it off; due within the hour, four agents are needed in hour 0.
    options = [option(start, 4) for start in range(5)]
    relaxed = tiny(options, work={"email": [4, 0, 0, 0, 0, 0, 0, 0]}, window=7)
    model, objective = solved(relaxed)
    assert objective == pytest.approx(4)
    backlog = coverage_frame(model).set_index("interval")["backlog"]
    assert backlog.iloc[-1] == pytest.approx(0) and backlog.max() <= 4 + 1e-9
    urgent = tiny(options, work={"email": [4, 0, 0, 0, 0, 0, 0, 0]}, window=0)
    assert solved(urgent)[1] == pytest.approx(16)


def test_schedule_frame_lists_the_shifts_worked() -> None:
    options = [option(0, 4), option(2, 4), option(4, 4), option(0, 8)]
    model, _ = solved(tiny(options, {"phone": [1, 1, 2, 2, 2, 2, 1, 1]}, cost=[4, 4, 4, 7.2]))
    frame = schedule_frame(model)
    assert frame[["start", "end", "count"]].values.tolist() == [["02:00", "06:00", 1],
                                                               ["00:00", "08:00", 1]]


def test_an_infeasible_model_says_so() -> None:
    # Nobody can work hour 5.
    report = solve(build_model(tiny([option(0, 4)], {"phone": [1, 0, 0, 0, 0, 1]})))
    assert report.infeasible and not report.feasible


def brute_force_levels(options: list[ShiftOption], counts: list[int], width: float,
                       count: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean agents on shift and on a break per interval, by direct overlap (cyclic)."""
    cycle = width * count
    staffed, resting = np.zeros(count), np.zeros(count)
    for opt, n in zip(options, counts, strict=True):
        spans = [(opt.start, opt.start + opt.length, staffed)]
        spans += [(opt.start + a, opt.start + a + d, resting) for a, d, _ in opt.breaks]
        for begin, end, target in spans:
            for t in range(count):
                for shift in (-cycle, 0.0, cycle):
                    low, high = max(begin + shift, t * width), min(end + shift, (t + 1) * width)
                    target[t] += n * max(0.0, high - low) / width
    return staffed, resting


def levels_from_terms(levels: Levels, counts: list[int], group: str,
                      count: int) -> tuple[np.ndarray, np.ndarray]:
    """Levels rebuilt from interval 0's anchor and the changes, as the model does."""
    result = []
    for anchor, delta in ((levels.staffed_anchor, levels.staffed_delta),
                          (levels.resting_anchor, levels.resting_delta)):
        def value(terms: tuple[list[int], list[float]]) -> float:
            return sum(counts[s] * c for s, c in zip(*terms, strict=True))
        row = [value(anchor.get(group, ([], [])))]
        for t in range(1, count):
            row.append(row[-1] + value(delta.get((group, t), ([], []))))
        result.append(np.asarray(row))
    return result[0], result[1]


shift = st.builds(
    lambda start, length, brk, n: (start * 900, length * 900, brk, n),
    st.integers(0, 8 * 4 - 1), st.integers(2, 4 * 6), st.integers(0, 3), st.integers(0, 3))


@settings(max_examples=60, deadline=None)
@given(st.lists(shift, min_size=1, max_size=6))
def test_level_changes_add_up_to_the_agents_on_shift(shifts: list) -> None:
    # Quarter-hour starts and breaks on half-hour intervals: levels are fractional.
    width, count = 1800.0, 16
    options, counts = [], []
    for start, length, brk, n in shifts:
        breaks = ((brk * 900.0, 900.0, False),) if brk and brk * 900 + 900 <= length else ()
        options.append(ShiftOption("team", "t", "mon", start, float(length), breaks))
        counts.append(n)
    levels = shift_levels(options, width, count, DAYS)
    expected = brute_force_levels(options, counts, width, count)
    tracked = levels_from_terms(levels, counts, "team", count)
    assert tracked[0] == pytest.approx(expected[0], abs=1e-9)
    assert tracked[1] == pytest.approx(expected[1], abs=1e-9)


def test_each_shift_touches_a_handful_of_level_rows() -> None:
    # Covering form: an 8-hour shift appears in 16 half-hour rows; level form: 2 rows, plus
    # 2 for its break.
    options = [option(h, 8, breaks=((4 * HOUR, 1800.0, False),)) for h in range(16)]
    levels = shift_levels(options, 1800.0, 48, DAYS)
    terms = sum(len(t[0]) for t in [*levels.staffed_delta.values(),
                                    *levels.resting_delta.values()])
    assert terms <= 4 * len(options)
    assert levels.staffed_anchor["team"] == ([0], [1.0])


NEEDS = {"phone": [1, 1, 2, 2, 2, 2, 1, 1]}
OPTIONS = [option(0, 4), option(2, 4), option(4, 4), option(0, 8)]
COSTS = [4, 4, 4, 7.2]


def test_the_direct_strategy_finds_what_the_restricted_one_does() -> None:
    data = tiny(OPTIONS, NEEDS, cost=COSTS)
    found = {}
    for strategy in ("restricted", "direct"):
        model = build_model(data)
        report = solve(model, SolveSettings(mip_gap=1e-6, strategy=strategy))
        found[strategy] = (report.objective, [model.agents[s].value for s in model.OPTIONS])
        assert report.proven and report.status == "proven"
    assert found["direct"][0] == pytest.approx(found["restricted"][0]) == pytest.approx(11.2)


def test_a_node_limited_solve_gives_the_same_schedule_every_time() -> None:
    data = tiny(OPTIONS, NEEDS, cost=COSTS)
    schedules = set()
    for _ in range(3):
        model = build_model(data)
        solve(model, SolveSettings(mip_gap=1e-6, max_nodes=1, widenings=0))
        schedules.add(tuple(model.agents[s].value for s in model.OPTIONS))
    assert len(schedules) == 1


def test_an_unproven_gap_is_headlined() -> None:
    report = SolveReport("appsi_highs", "unproven", True, 103.0, 100.0, 0.0291, 1.0, 4, 0.01)
    assert not report.proven
    assert report.headline().startswith("not proven: 2.9% above the lower bound")
    proven = SolveReport("appsi_highs", "proven", True, 100.5, 100.0, 0.005, 1.0, 4, 0.01)
    assert proven.proven and "not proven" not in proven.headline()


def test_a_missing_solver_is_named() -> None:
    with pytest.raises(ValueError, match="solver 'no_such_solver' is not available"):
        solve(build_model(tiny(OPTIONS, NEEDS)), SolveSettings(solver="no_such_solver"))


def test_the_gap_is_against_a_bound_for_the_whole_model() -> None:
    report = solve(build_model(tiny(OPTIONS, NEEDS, cost=COSTS)), SolveSettings(mip_gap=1e-6))
    assert report.bound is not None and report.bound <= report.objective + 1e-9
    assert report.gap == pytest.approx(0, abs=1e-6)
    assert report.options_searched >= 2


def test_a_part_time_cap_binds_at_its_share() -> None:
    # One agent needed for 8 hours: two 4-hour shifts at 3.5 each beat one 8-hour shift at 8,
    # unless at most half the agent-shifts may be part-time.
    options = [option(0, 8), option(0, 4), option(4, 4)]
    data = tiny(options, required={"phone": [1] * 8}, cost=[8, 3.5, 3.5])
    data = replace(data, part_time=[False, True, True])
    _, cost = solved(data)
    assert cost == pytest.approx(7)
    capped, cost = solved(replace(data, max_part_time_share=0.5))
    assert cost == pytest.approx(8)
    assert [round(capped.agents[s].value) for s in capped.OPTIONS] == [1, 0, 0]


def test_kept_agents_stay_and_the_rest_is_added_on_top() -> None:
    # Two agents needed 0-4, one 4-8; one agent is kept on the 4-hour 0-4 shift. The 8-hour
    # shift costs 7: the kept agent plus one 8-hour shift (11) beats two more 4-hour ones (12).
    options = [option(0, 8), option(0, 4), option(4, 4)]
    data = replace(tiny(options, required={"phone": [2] * 4 + [1] * 4}, cost=[7, 4, 4]),
                   kept=[0, 1, 0])
    model, cost = solved(data)
    assert [round(model.agents[s].value) for s in model.OPTIONS] == [1, 1, 0]
    assert cost == pytest.approx(11)


def test_late_work_within_its_share_waits_until_its_expiry() -> None:
    # Half an agent-hour of work arrives every hour, due within its hour. Strictly someone must
    # be there all 8 hours (0-4 and 4-8, cost 8); with the first two hours' work (1 unit)
    # allowed late and done within 6 hours, one 6-hour shift from hour 2 does it all (cost 6).
    options = [option(0, 4), option(4, 4), option(2, 6)]
    data = replace(tiny(options, work={"email": [0.5] * 8}, window=0),
                   window={"email": [0] * 8}, expiry={"email": 6})
    _, cost = solved(replace(data, late_allowance={("email", 0): 0.0}))
    assert cost == pytest.approx(8)
    model, cost = solved(replace(data, late_allowance={("email", 0): 1.0}))
    assert cost == pytest.approx(6)
    # Which work is labelled late does not matter (the horizon is cyclic), how much does.
    assert sum(model.late["email", t].value for t in model.INTERVALS) == pytest.approx(1.0)
    # Late work past its expiry is not allowed: done within 1 hour, it cannot wait for hour 2.
    _, cost = solved(replace(data, expiry={"email": 1}, late_allowance={("email", 0): 1.0}))
    assert cost == pytest.approx(8)


def test_the_objective_step_is_the_least_cost_two_schedules_can_differ_by() -> None:
    # Shifts of 4, 5.5, 7.5 and 9.5 paid hours at USD 28: every schedule costs a multiple of 14.
    data = tiny(OPTIONS, NEEDS, cost=[112, 154, 210, 266])
    assert data.objective_step() == pytest.approx(14)
    assert replace(data, tiebreak=0.25).objective_step() == pytest.approx(0.25)
    assert tiny(OPTIONS, NEEDS, cost=[np.pi, 4, 4, 7.2]).objective_step() == 0

