"""omnistaff's shift model against pyworkforce's CP-SAT scheduler, on the same problem.

The same-day subset of `benchmarks/optimize.py`, the part of it pyworkforce can state (its
shifts lie within a day): the week's phone requirement in quarter-hours (Erlang A, 80% answered
in 20 s; open 07:00-21:00 on weekdays), for the phone team alone (15% shrinkage, USD 28 an
hour), with the week benchmark's shift templates: starts every 15 minutes, 4, 6, 8 and 10 hours
long, each ending by midnight, its break fixed at the middle of the benchmark's break window
(`--break-windows`: every placement in the window, each its own shift option, as in the week).
By default Monday alone, then the whole week (`--days 1 7`; any number of days from Monday),
with the same options every day. Both solvers get the same set-covering problem, cost = paid
hours x USD 28:

- omnistaff: a scenario of those days through `schedule_data`, `build_model` and `solve`
  (Pyomo, HiGHS); no shift spans midnight, so `solve` schedules each day apart;
- pyworkforce: `MinRequiredResources` (OR-Tools CP-SAT) with the same shift options, each as its
  coverage (1 where its agent is on shift and not on a break) and cost, and the whole agents on
  queue the requirement implies per quarter-hour (the model's own floor).

Each schedule's coverage and paid cost are recomputed here from the shifts it picked. Paid cost
comes in whole steps (a quarter-hour at USD 28), so a bound within one step of a schedule's cost
proves it optimal. Times include building each solver's model. Each subset ends with a line
saying which solver's schedule is cheaper and which was faster.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python benchmarks/versus_pyworkforce.py [--days 1 7] [--break-windows]
        [--seconds 120] [--workers 1] [--gap 0.0001]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np
from optimize import benchmark_scenario, benchmark_spec, shift_templates

from omnistaff.optimize import (
    Requirements,
    ScheduleData,
    SolveSettings,
    build_model,
    channel_requirements,
    schedule_data,
    solve,
)
from omnistaff.optimize.shifts import DAY, ShiftOption
from omnistaff.scenarios import Scenario, scenario_from_dict
from omnistaff.scenarios.units import WEEKDAYS

try:
    from pyworkforce.scheduling import MinRequiredResources
except ImportError as missing:  # the optional "bench" extra
    raise SystemExit('pyworkforce is missing: .venv/bin/pip install -e ".[bench]"') from missing

QUARTER = 900
PERIODS = DAY // QUARTER
CHANNEL, GROUP = "phone", "phone_team"


@dataclass(frozen=True)
class Subset:
    """The problem both solvers get: omnistaff's model data and, as pyworkforce takes it, one
    day's shift options (the same every day), each as its coverage, whole-dollar cost and paid
    hours, and the whole agents required on queue per day and quarter-hour."""

    data: ScheduleData
    coverage: np.ndarray
    cost: np.ndarray
    paid_hours: np.ndarray
    required: np.ndarray
    reference: np.ndarray
    position: list[tuple[int, int]]

    @property
    def days(self) -> int:
        return len(self.required)

    @property
    def cost_step(self) -> int:
        """Every schedule's paid cost is a multiple of this."""
        return int(np.gcd.reduce(self.cost))

    def per_day(self, agents: list[int]) -> np.ndarray:
        """Agents per day and daily option, from agents per option of the model data."""
        table = np.zeros((self.days, len(self.cost)), dtype=int)
        for (day, k), n in zip(self.position, agents, strict=True):
            table[day, k] += n
        return table


@dataclass(frozen=True)
class Schedule:
    """What one solver picked: agents per day and daily shift option, with its status, time
    and bound."""

    solver: str
    status: str
    agents: np.ndarray
    seconds: float
    bound: float | None


def subset_scenario(days: int, break_windows: bool) -> Scenario:
    """The benchmark's first `days` days (from Monday), phone channel and team only, shifts
    ending by midnight; no floor of agents beyond the requirement and no tie-breaker, so the
    objective is paid cost alone."""
    spec = benchmark_spec()
    return scenario_from_dict({
        **spec, "name": f"Optimizer benchmark, phone subset of {days} day(s)",
        "horizon": {**spec["horizon"], "days": days},
        "channels": {CHANNEL: spec["channels"][CHANNEL]},
        "groups": {GROUP: spec["groups"][GROUP]},
        "optimizer": {"templates": shift_templates(fixed_breaks=not break_windows,
                                                   within_day=True),
                      "min_agents": 0, "shift_tiebreak": 0},
    })


def first_days(requirements: Requirements, days: int) -> Requirements:
    """The phone requirement of the first `days` days."""
    head = slice(0, days * PERIODS)
    return Requirements(erlang={CHANNEL: requirements.erlang[CHANNEL][head]},
                        required={CHANNEL: requirements.required[CHANNEL][head]},
                        open={CHANNEL: requirements.open[CHANNEL][head]}, work={}, window={})


def phone_subset(week: Requirements, days: int, break_windows: bool) -> Subset:
    """The subset as omnistaff's model data and as pyworkforce's inputs."""
    requirements = first_days(week, days)
    data = schedule_data(subset_scenario(days, break_windows), requirements)
    daily = {_key(o): (s, o) for s, o in enumerate(data.options) if o.weekday == WEEKDAYS[0]}
    index = {key: k for k, key in enumerate(daily)}
    cost = np.array([data.cost[s] for s, _ in daily.values()])
    if not np.allclose(cost, np.rint(cost)):
        raise ValueError("pyworkforce takes whole costs; these shift costs are not")
    floors = [data.staff_floor((CHANNEL, t)) for t in range(data.intervals)]
    return Subset(data, np.array([on_queue(o) for _, o in daily.values()]),
                  np.rint(cost).astype(int),
                  np.array([o.paid_seconds / 3600 for _, o in daily.values()]),
                  np.reshape(floors, (days, PERIODS)),
                  requirements.required[CHANNEL].reshape(days, PERIODS),
                  [(WEEKDAYS.index(o.weekday), index[_key(o)]) for o in data.options])


def _key(option: ShiftOption) -> tuple:
    return option.start, option.length, option.breaks


def on_queue(option: ShiftOption) -> np.ndarray:
    """1 in each quarter-hour the option's agent is on shift and not on a break."""
    marks = np.zeros(PERIODS, dtype=int)
    first = option.start // QUARTER
    marks[first:first + int(option.length // QUARTER)] = 1
    for offset, duration, _ in option.breaks:
        begin = int((option.start + offset) // QUARTER)
        marks[begin:begin + int(duration // QUARTER)] = 0
    return marks


def with_omnistaff(problem: Subset, seconds: float, gap: float) -> Schedule:
    """Build and solve omnistaff's model of the problem."""
    began = time.perf_counter()
    model = build_model(problem.data)
    report = solve(model, SolveSettings(mip_gap=gap, time_limit=seconds))
    agents = problem.per_day([round(model.agents[s].value or 0) for s in model.OPTIONS])
    return Schedule(f"omnistaff (Pyomo + HiGHS, gap {gap:g})", report.status, agents,
                    time.perf_counter() - began, report.bound)


def with_pyworkforce(problem: Subset, seconds: float, workers: int) -> Schedule:
    """Build and solve pyworkforce's `MinRequiredResources` model of the problem.

    Its limits are set so they never bind: no option needs more agents than the peak
    requirement, nor any quarter-hour more than all the agent-intervals required.
    """
    names = [f"s{k}" for k in range(len(problem.cost))]
    began = time.perf_counter()
    scheduler = MinRequiredResources(
        num_days=problem.days, periods=PERIODS,
        shifts_coverage={n: row.tolist() for n, row in zip(names, problem.coverage, strict=True)},
        required_resources=problem.required.tolist(),
        max_period_concurrency=int(problem.required.sum()),
        max_shift_concurrency=int(problem.required.max()),
        cost_dict={n: int(c) for n, c in zip(names, problem.cost, strict=True)},
        max_search_time=float(seconds), num_search_workers=workers)
    # pyworkforce 0.5.1 sets `num_search_workers` as a plain attribute of its CpSolver, which
    # CP-SAT never reads (it would search on every core); set it where CP-SAT looks.
    scheduler.solver.parameters.num_workers = workers
    solution = scheduler.solve()
    elapsed = time.perf_counter() - began
    picked = {(r["day"], r["shift"]): r["resources"] for r in solution["resources_shifts"]}
    agents = np.array([[max(int(picked.get((d, n), 0)), 0) for n in names]
                       for d in range(problem.days)])
    bound = scheduler.solver.BestObjectiveBound() if solution["cost"] >= 0 else None
    plural = "s" if workers > 1 else ""
    return Schedule(f"pyworkforce (CP-SAT, {workers} worker{plural})", solution["status"],
                    agents, elapsed, bound)


COLUMNS = (f"{'solver':<37} {'status':<10} {'optimal':>7} {'paid cost':>11} {'paid hours':>10} "
           f"{'shifts':>6} {'covered':>9} {'time':>8} {'gap':>7}")


def paid_cost(problem: Subset, schedule: Schedule) -> float:
    """The schedule's paid cost, recomputed from the shifts it picked."""
    return float((schedule.agents @ problem.cost).sum())


def covered(problem: Subset, schedule: Schedule) -> int:
    """Quarter-hours covered, in whole agents and in the requirement after shrinkage."""
    agents = schedule.agents @ problem.coverage
    availability = problem.data.availability[GROUP]
    return int(np.sum((agents >= problem.required)
                      & (agents * availability >= problem.reference - 1e-9)))


def proved(problem: Subset, schedule: Schedule) -> bool:
    """Whether the schedule's bound proves it optimal (within one cost step)."""
    cost = paid_cost(problem, schedule)
    return schedule.bound is not None and cost - schedule.bound < problem.cost_step - 1e-6


def row(problem: Subset, schedule: Schedule) -> str:
    """One line: status, whether optimality is proved, paid cost and hours, agent-shifts,
    quarter-hours covered, time, gap."""
    cost = paid_cost(problem, schedule)
    gap = "n/a" if schedule.bound is None else f"{max(cost - schedule.bound, 0) / cost:.2%}"
    return (f"{schedule.solver:<37} {schedule.status:<10} "
            f"{'yes' if proved(problem, schedule) else 'no':>7} "
            f"USD {cost:>7,.0f} {(schedule.agents @ problem.paid_hours).sum():>10,.2f} "
            f"{int(schedule.agents.sum()):>6} {covered(problem, schedule):>4}/"
            f"{problem.required.size:<4} {schedule.seconds:>6.1f} s {gap:>7}")


def verdict(problem: Subset, ours: Schedule, theirs: Schedule) -> str:
    """Which schedule is cheaper (both must cover every quarter-hour) and which came faster."""
    full = problem.required.size
    if covered(problem, ours) < full or covered(problem, theirs) < full:
        return "verdict: a schedule leaves quarter-hours uncovered; no comparison"
    difference = paid_cost(problem, theirs) - paid_cost(problem, ours)
    cost = ("the same paid cost" if abs(difference) < 0.5 else
            f"omnistaff USD {difference:,.0f} {'cheaper' if difference > 0 else 'dearer'}")
    faster, slower = sorted((ours, theirs), key=lambda s: s.seconds)
    return (f"verdict: {cost}; {faster.solver.split()[0]} {slower.seconds / faster.seconds:.1f}x "
            f"as fast ({faster.seconds:.1f} s against {slower.seconds:.1f} s)")


def compare(days: tuple[int, ...] = (1, 7), seconds: float = 120.0, gap: float = 1e-4,
            workers: int = 1, break_windows: bool = False) -> None:
    """Solve the phone subset of each number of days with both solvers; one row each."""
    week = channel_requirements(benchmark_scenario())
    breaks = "every placement in its window" if break_windows else "at a fixed time"
    for count in days:
        problem = phone_subset(week, count, break_windows)
        print(f"\nPhone subset, {count} day(s) of {PERIODS} quarter-hours: {len(problem.cost):,} "
              f"shift options a day (breaks {breaks}), peak {problem.required.max()} agents on "
              f"queue, {problem.required.sum() / 4:,.2f} agent-hours on queue required; "
              f"{seconds:g} s per solver")
        print(COLUMNS)
        ours = with_omnistaff(problem, seconds, gap)
        print(row(problem, ours))
        theirs = with_pyworkforce(problem, seconds, workers)
        print(row(problem, theirs))
        print(verdict(problem, ours, theirs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, nargs="+", choices=range(1, 8), default=[1, 7],
                        help="subsets to solve, in days from Monday (default 1 7: Monday, then "
                        "the week)")
    parser.add_argument("--seconds", type=float, default=120.0,
                        help="time limit of each solver (default 120)")
    parser.add_argument("--gap", type=float, default=1e-4,
                        help="relative gap at which omnistaff's solve stops (default 0.0001)")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    parser.add_argument("--break-windows", action="store_true",
                        help="every break placement in its window, not one fixed break")
    args = parser.parse_args()
    compare(tuple(args.days), args.seconds, args.gap, args.workers, args.break_windows)


if __name__ == "__main__":
    main()
