"""Independent parts of a schedule: found where no shift spans two stretches of the horizon and
nothing ties them, solved apart to the same optimum as the whole, with a bound for the whole."""

from __future__ import annotations

import importlib
from dataclasses import replace

import numpy as np
import pyomo.environ as pyo
import pytest

from omnistaff.optimize import ScheduleData, SolveSettings, build_model, solve
from omnistaff.optimize import parts as parting
from omnistaff.optimize.levels import shift_levels
from omnistaff.optimize.parts import Part, independent_parts
from omnistaff.optimize.requirements import allowed_backlog
from omnistaff.optimize.shifts import ShiftOption
from omnistaff.scenarios.units import WEEKDAYS

solving = importlib.import_module("omnistaff.optimize.solve")  # the module, not the function
HOUR = 3600.0


def shift(weekday: str, start_hour: float, hours: float,
          breaks: tuple[tuple[float, float, bool], ...] = ()) -> ShiftOption:
    return ShiftOption("team", "t", weekday, int(start_hour * HOUR), hours * HOUR, breaks)


def days_data(options: list[ShiftOption], needs: list[float], days: int = 2,
              work: list[float] | None = None) -> ScheduleData:
    """Hourly intervals over `days` days from Monday (a weekday recurring after a week), one
    agent on shift = one agent on queue, cost = paid hours on each day worked."""
    count = 24 * days
    weekday_days = {w: [d for d in range(days) if d % 7 == k] for k, w in enumerate(WEEKDAYS)}
    occurrences = [len(weekday_days[o.weekday]) for o in options]
    channels = {"phone": needs, **({"email": work} if work else {})}
    skills = [("team", c) for c in channels]
    return ScheduleData(
        intervals=count, interval_seconds=HOUR, labels=[f"h{t}" for t in range(count)],
        groups=["team"], live=["phone"], deferred=["email"] if work else [], skills=skills,
        efficiency=dict.fromkeys(skills, 1.0), availability={"team": 1.0},
        required={("phone", t): v for t, v in enumerate(needs) if v},
        work={("email", t): v for t, v in enumerate(work or []) if v},
        allowed={("email", t): v for t, v in enumerate(
            allowed_backlog(np.asarray(work, float), np.full(count, 4)))} if work else {},
        options=options,
        cost=[o.paid_seconds / HOUR * n for o, n in zip(options, occurrences, strict=True)],
        occurrences=occurrences,
        levels=shift_levels(options, HOUR, count, weekday_days),
        weekday_days=weekday_days,
        window={"email": [4] * count} if work else {},
        expiry={"email": 20} if work else {},
    )


def hours(first: int, last: int, agents: float = 1.0, days: int = 2) -> list[float]:
    """`agents` needed from hour `first` to `last` (exclusive) of the horizon."""
    return [agents if first <= t < last else 0.0 for t in range(24 * days)]


TWO_DAYS = [shift("mon", 8, 8), shift("mon", 12, 8), shift("mon", 8, 4), shift("tue", 8, 8),
            shift("tue", 10, 8), shift("tue", 14, 4)]
NEEDS = [a + b for a, b in zip(hours(8, 20, 2), hours(24 + 8, 24 + 18, 3), strict=True)]


def test_days_no_shift_spans_are_solved_apart() -> None:
    found = independent_parts(days_data(TWO_DAYS, NEEDS))
    assert [part.options for part in found] == [[0, 1, 2], [3, 4, 5]]
    # Each part is the stretch its shifts cover; the hours no shift covers need nothing.
    assert found[0].intervals == frozenset(range(8, 20))
    assert found[1].intervals == frozenset(range(24 + 8, 24 + 18))


def test_a_shift_past_midnight_joins_the_days_only_where_it_meets_both() -> None:
    # Monday 19:00 to 03:00 meets Monday's stretch but ends before Tuesday's begins.
    late = independent_parts(days_data([*TWO_DAYS, shift("mon", 19, 8)], NEEDS))
    assert [part.options for part in late] == [[0, 1, 2, 6], [3, 4, 5]]
    # Monday 18:00 to Tuesday 10:00 is on shift in both days' stretches.
    overnight = [*TWO_DAYS, shift("mon", 18, 16)]
    assert len(independent_parts(days_data(overnight, NEEDS))) == 1


def test_a_shift_past_the_end_of_the_horizon_joins_it_to_the_start() -> None:
    # Tuesday 16:00 runs on into hours 0-10 of the repeating horizon: Monday's stretch.
    wrapping = [*TWO_DAYS, shift("tue", 16, 18)]
    assert len(independent_parts(days_data(wrapping, NEEDS))) == 1


def test_a_weekday_worked_twice_joins_both_of_its_days() -> None:
    # Nine days: Monday is days 0 and 7, and one Monday option is worked on both.
    options = [shift("mon", 8, 8), shift("tue", 8, 8), shift("wed", 8, 8)]
    found = independent_parts(days_data(options, hours(8, 16, 1, days=9), days=9))
    monday = next(part for part in found if 0 in part.options)
    assert monday.intervals == set(range(8, 16)) | set(range(7 * 24 + 8, 7 * 24 + 16))
    assert sorted(len(part.options) for part in found) == [1, 1, 1]


def test_a_budget_a_part_time_share_or_deferred_work_ties_the_horizon() -> None:
    data = days_data(TWO_DAYS, NEEDS)
    for tied in (replace(data, budget=1000.0), replace(data, max_part_time_share=0.5),
                 days_data(TWO_DAYS, NEEDS, work=hours(9, 11, 0.5))):
        assert len(independent_parts(tied)) == 1


def whole(_: ScheduleData) -> list[Part]:
    """What `independent_parts` would say were nothing separable."""
    return []


def test_parts_solved_apart_give_the_optimum_of_the_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Monday: 2 agents 8-20: two 8-12 and two 12-20 shifts (24) beat two 8-16 and two 12-20
    # (32). Tuesday: 3 agents 8-18: three 8-16 and three 14-18 (36) beat three 8-16 and three
    # 10-18 (48); 10-18 alone leaves 8-10 open. 60 in all.
    data = days_data(TWO_DAYS, NEEDS)
    model = build_model(data)
    apart = solve(model, SolveSettings(mip_gap=1e-6))
    agents = [round(model.agents[s].value) for s in model.OPTIONS]
    monkeypatch.setattr(solving, "independent_parts", whole)
    together = solve(build_model(data), SolveSettings(mip_gap=1e-6))
    assert apart.status == together.status == "proven"
    assert apart.objective == pytest.approx(together.objective) == pytest.approx(60)
    assert agents == [0, 2, 2, 3, 0, 3]
    assert pyo.value(model.cost) == pytest.approx(apart.objective)
    assert apart.bound == pytest.approx(60)
    # The levels loaded are those of the agents loaded, on both days.
    on_shift = [model.staffed["team", t].value for t in model.INTERVALS]
    assert on_shift[10] == pytest.approx(2) and on_shift[24 + 15] == pytest.approx(6)
    assert on_shift[3] == pytest.approx(0)


def test_a_part_no_shift_can_cover_makes_the_whole_infeasible() -> None:
    needs = [a + b for a, b in zip(NEEDS, hours(40, 42), strict=True)]  # Tuesday 16-18 only
    options = [o for o in TWO_DAYS if o.weekday == "mon"]
    report = solve(build_model(days_data(options, needs)),
                   SolveSettings(mip_gap=1e-6))
    assert report.infeasible and not report.feasible


def test_parts_are_in_horizon_order_and_a_day_with_nothing_is_left_out() -> None:
    # Three days; Wednesday has neither shifts nor needs.
    data = days_data([shift("tue", 8, 8), shift("mon", 8, 8)],
                     hours(8, 16, 1, days=3), days=3)
    found = independent_parts(data)
    assert [part.options for part in found] == [[1], [0]]
    tuesday = parting.restricted_part(data, found[1])
    assert tuesday.required == {} and [o.weekday for o in tuesday.options] == ["tue"]
    assert parting.restricted_part(data, found[0]).required == data.required


def two_teams(phone_agents: float = 40.0) -> ScheduleData:
    """A phone team needing `phone_agents` from 8 to 20 on Monday (4- and 8-hour shifts), and a
    mail team with half an agent-hour of email arriving at 9, answered within 4 hours, on a
    3-hour shift: two parts of the center that share no channel. Cost = paid hours."""
    phone = [shift("mon", 8, 4), shift("mon", 12, 8), shift("mon", 8, 8)]
    mail = [ShiftOption("mail", "t", "mon", int(9 * HOUR), 3 * HOUR, ())]
    data = days_data(phone, hours(8, 20, phone_agents, days=1), days=1,
                     work=[0.5 if t == 9 else 0.0 for t in range(24)])
    options = [*phone, *mail]
    skills = [("team", "phone"), ("mail", "email")]
    return replace(data, groups=["team", "mail"], skills=skills,
                   efficiency=dict.fromkeys(skills, 1.0), availability={"team": 1.0, "mail": 1.0},
                   options=options, cost=[o.paid_seconds / HOUR for o in options],
                   occurrences=[1] * len(options),
                   levels=shift_levels(options, HOUR, 24, data.weekday_days))


def test_teams_that_share_no_channel_are_parts_of_their_own() -> None:
    data = two_teams()
    found = independent_parts(data)
    # The mail team's deferred email keeps its part whole; the phone team's day is its own.
    assert sorted(part.options for part in found) == [[0, 1, 2], [3]]
    mail = next(part for part in found if part.options == [3])
    assert mail.groups == {"mail"} and mail.channels == {"email"}
    alone = parting.restricted_part(data, mail)
    assert alone.groups == ["mail"] and alone.live == [] and alone.deferred == ["email"]
    assert alone.required == {} and set(alone.work) == {("email", 9)}
    assert alone.skills == [("mail", "email")]
    # A budget over the whole center ties the teams together.
    assert len(independent_parts(replace(data, budget=1000.0))) == 1
    # A group serving both channels joins them, but only when it is offered shifts.
    both = [*data.skills, ("omni", "phone"), ("omni", "email")]
    listed = replace(data, groups=[*data.groups, "omni"], skills=both,
                     efficiency=dict.fromkeys(both, 1.0),
                     availability={**data.availability, "omni": 1.0})
    assert sorted(part.options for part in independent_parts(listed)) == [[0, 1, 2], [3]]
    omni = ShiftOption("omni", "t", "mon", int(9 * HOUR), 3 * HOUR, ())
    options = [*listed.options, omni]
    scheduled = replace(listed, options=options, cost=[*listed.cost, 3.0],
                        occurrences=[1] * len(options),
                        levels=shift_levels(options, HOUR, 24, listed.weekday_days))
    assert [part.options for part in independent_parts(scheduled)] == [[0, 1, 2, 3, 4]]
    # Email with no mail shift offered is a part of its own, which no schedule can meet.
    phone_only = replace(data, options=data.options[:3], cost=data.cost[:3],
                         occurrences=[1] * 3,
                         levels=shift_levels(data.options[:3], HOUR, 24, data.weekday_days))
    unserved = [part for part in independent_parts(phone_only) if part.channels == {"email"}]
    assert [part.options for part in unserved] == [[]]
    assert solve(build_model(phone_only), SolveSettings()).infeasible


def test_parts_of_the_center_prove_what_the_whole_model_cannot(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Phone: 40 agents 8-20, 480 hours whether whole or not. Email: the LP pays a sixth of the
    # 3-hour shift (0.5), a schedule the whole shift (3). The whole model's bound is its LP's
    # raised to the next whole hour (481, every cost a whole number of hours): 483 is 0.41%
    # above it. The mail team's own shifts cost 3 hours each, so its bound is 3, and the
    # parts' bounds add up to the schedule's cost.
    data = two_teams()
    settings = SolveSettings(mip_gap=0.002, widenings=0, prove=False)
    report = solve(build_model(data), settings)
    assert report.proven and report.objective == pytest.approx(483)
    assert report.bound == pytest.approx(483)
    monkeypatch.setattr(solving, "independent_parts", whole)
    together = solve(build_model(data), settings)
    assert together.objective == pytest.approx(483) and together.bound == pytest.approx(481)
    assert not together.proven


def test_a_part_is_asked_for_what_the_others_leave_of_the_whole_gap() -> None:
    # The whole may be 1/99 of its bound 990 above it: 10; the others use 4, so the part
    # (bound 90) may be 6 above: 6 / 96 of its objective.
    assert solving.part_gap(0.01, 990.0, 4.0, 90.0) == pytest.approx(6 / 96)
    # Nothing left: the gap asked itself.
    assert solving.part_gap(0.01, 990.0, 12.0, 90.0) == 0.01
