"""The shift model against pyworkforce's CP-SAT scheduler on the same problems.

The same-day subset of `benchmarks/optimize.py`, then its five weekdays: the phone requirement
in quarter-hours (Erlang A, 80% in 20 s), as whole agents on shift and not on a break per
interval (the requirement over the 85% of agents on queue after shrinkage, rounded up); shift
options starting every 15 minutes, 4, 6, 8 and 10 hours long, with every break placement of
the benchmark's templates as its own option (explicit break templates), each within its day;
cost = paid hours x USD 28. Both solvers get exactly this set-covering problem: omnistaff's
Pyomo model on HiGHS (`solve`, one core) and pyworkforce's `MinRequiredResources` (OR-Tools
CP-SAT, the same options every day). Each schedule's coverage and cost are recomputed here
from the shifts it picked; no schedule can cost less than the agent-hours required x USD 28.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python benchmarks/versus_pyworkforce.py [--seconds 120] [--gap 0.001]
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass, replace

import numpy as np
from optimize import benchmark_scenario  # benchmarks/optimize.py, beside this script
from pyworkforce.scheduling import MinRequiredResources

from omnistaff.optimize import ScheduleData, build_model, channel_requirements, solve
from omnistaff.optimize.levels import shift_levels
from omnistaff.optimize.shifts import DAY, ShiftOption, shift_options
from omnistaff.scenarios.units import WEEKDAYS

QUARTER = 900
PERIODS = DAY // QUARTER
RATE = 28  # USD per paid hour of the phone team
GROUP, CHANNEL, WEEKDAY = "phone_team", "phone", "mon"


@dataclass(frozen=True)
class Problem:
    """Whole agents required per quarter-hour of each day (days x 96), the shift options of
    one day, each option's coverage (1 where an agent is on shift and not on a break) and
    cost."""

    required: np.ndarray
    options: list[ShiftOption]
    coverage: np.ndarray
    cost: np.ndarray

    @property
    def days(self) -> int:
        return len(self.required)


@dataclass(frozen=True)
class Outcome:
    """What one solver picked: agents per day and option."""

    solver: str
    status: str
    agents: np.ndarray
    seconds: float
    bound: float | None


def phone_problem(days: int) -> Problem:
    """The first `days` weekdays' phone requirement and the phone team's shift options that
    end by midnight."""
    scenario = benchmark_scenario()
    requirements = channel_requirements(scenario)
    group = scenario.groups[GROUP]
    on_queue = (1 - group.shrinkage) * (1 - group.absenteeism)
    reference = requirements.required[CHANNEL][:days * PERIODS].reshape(days, PERIODS)
    required = np.ceil(reference / on_queue - 1e-9).astype(int)
    options = [o for o in shift_options(scenario) if o.group == GROUP and o.weekday == WEEKDAY
               and o.start + o.length <= DAY]
    coverage = np.array([covered(o) for o in options])
    cost = np.array([round(o.paid_seconds / 3600 * RATE) for o in options])
    return Problem(required, options, coverage, cost)


def covered(option: ShiftOption) -> np.ndarray:
    """1 in each quarter-hour the option's agent is on shift and not on a break."""
    marks = np.zeros(PERIODS, dtype=int)
    first = option.start // QUARTER
    marks[first:first + int(option.length // QUARTER)] = 1
    for offset, duration, _ in option.breaks:
        begin = int((option.start + offset) // QUARTER)
        marks[begin:begin + int(duration // QUARTER)] = 0
    return marks


def schedule_data(problem: Problem) -> ScheduleData:
    """The problem as omnistaff's model data: one group, one live channel, each day's options
    on its own weekday."""
    weekdays = WEEKDAYS[:problem.days]
    days = {w: ([d] if d < problem.days else []) for d, w in enumerate(WEEKDAYS)}
    options = [replace(o, weekday=w) for w in weekdays for o in problem.options]
    required = {(CHANNEL, d * PERIODS + t): float(r) for d, row in enumerate(problem.required)
                for t, r in enumerate(row) if r > 0}
    intervals = problem.days * PERIODS
    return ScheduleData(
        intervals=intervals, interval_seconds=QUARTER,
        labels=[f"{WEEKDAYS[t // PERIODS]} {t % PERIODS // 4:02d}:{t % 4 * 15:02d}"
                for t in range(intervals)],
        groups=[GROUP], live=[CHANNEL], deferred=[], skills=[(GROUP, CHANNEL)],
        efficiency={(GROUP, CHANNEL): 1.0}, availability={GROUP: 1.0},
        required=required, work={}, allowed={}, options=options,
        cost=[float(c) for c in problem.cost] * problem.days, occurrences=[1] * len(options),
        levels=shift_levels(options, QUARTER, intervals, days), weekday_days=days,
        least_agents={key: math.ceil(value) for key, value in required.items()},
    )


def with_omnistaff(problem: Problem, seconds: float, gap: float) -> Outcome:
    began = time.perf_counter()
    model = build_model(schedule_data(problem))
    report = solve(model, mip_gap=gap, time_limit=seconds)
    agents = np.array([round(model.agents[s].value or 0) for s in model.OPTIONS])
    agents = agents.reshape(problem.days, len(problem.options))
    return Outcome(f"omnistaff (Pyomo + HiGHS, gap {gap:g})", report.status, agents,
                   time.perf_counter() - began, report.bound)


def with_pyworkforce(problem: Problem, seconds: float, workers: int) -> Outcome:
    names = [f"s{k}" for k in range(len(problem.options))]
    most = int(problem.required.max())
    scheduler = MinRequiredResources(
        num_days=problem.days, periods=PERIODS,
        shifts_coverage={n: problem.coverage[k].tolist() for k, n in enumerate(names)},
        required_resources=problem.required.tolist(), max_period_concurrency=3 * most,
        max_shift_concurrency=most, cost_dict={n: int(c) for n, c in zip(names, problem.cost,
                                                                           strict=True)},
        max_search_time=float(seconds), num_search_workers=workers)
    # pyworkforce sets `num_search_workers` as an attribute of its CpSolver, which OR-Tools
    # does not read (CP-SAT would search on every core); set it where CP-SAT looks.
    scheduler.solver.parameters.num_workers = workers
    began = time.perf_counter()
    solution = scheduler.solve()
    elapsed = time.perf_counter() - began
    chosen = {(row["day"], row["shift"]): row["resources"]
              for row in solution["resources_shifts"]}
    agents = np.array([[max(int(chosen.get((d, n), 0)), 0) for n in names]
                       for d in range(problem.days)])
    bound = scheduler.solver.BestObjectiveBound() if solution["cost"] >= 0 else None
    return Outcome(f"pyworkforce (CP-SAT, {workers} worker(s))", solution["status"], agents,
                   elapsed, bound)


def report(problem: Problem, outcome: Outcome) -> None:
    """One row: status, cost and hours recomputed from the shifts, coverage check, time, gap."""
    cost = float((outcome.agents @ problem.cost).sum())
    on_queue = outcome.agents @ problem.coverage
    short = int(np.maximum(problem.required - on_queue, 0).sum())
    hours = cost / RATE
    gap = "n/a" if outcome.bound is None or cost == 0 else f"{(cost - outcome.bound) / cost:.2%}"
    print(f"{outcome.solver:<38} {outcome.status:<10} USD {cost:>8,.0f} {hours:>8,.2f} h "
          f"{int(outcome.agents.sum()):>6} {short:>7} {outcome.seconds:>8.1f} s {gap:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0,
                        help="time limit for each solver (default 120)")
    parser.add_argument("--gap", type=float, default=0.001,
                        help="relative gap at which omnistaff's solve stops (default 0.001; "
                        "it also runs at 0.01, its default)")
    parser.add_argument("--workers", type=int, default=1,
                        help="CP-SAT search workers (default 1, as HiGHS uses one core)")
    args = parser.parse_args()
    for days in (1, 5):
        problem = phone_problem(days)
        print(f"\n{days} day(s) of {PERIODS} quarter-hours, {len(problem.options):,} shift "
              f"options a day, peak {problem.required.max()} agents on queue; no schedule "
              f"costs less than USD {problem.required.sum() / 4 * RATE:,.0f} (the agent-hours "
              "required)")
        print(f"{'solver':<38} {'status':<10} {'paid cost':>12} {'paid hours':>10} "
              f"{'shifts':>6} {'short':>7} {'time':>10} {'gap':>8}")
        for gap in sorted({0.01, args.gap}, reverse=True):
            report(problem, with_omnistaff(problem, args.seconds, gap))
        report(problem, with_pyworkforce(problem, args.seconds, args.workers))

if __name__ == "__main__":
    main()
