"""Benchmark of the shift optimizer on a one-week, quarter-hour instance.

Four channels (phone, chat, email, 24/7 social), three agent groups, shift templates starting
every 15 minutes with lengths of 4, 6, 8 and 10 hours and a break placed within a window:
672 intervals and about 40,000 integer shift options. Prints the requirement, build and solve
times, the gap reached and the objective; with --loop, also runs the whole
simulation-optimization loop and prints each iteration; with --versus-pyworkforce, also solves
the same-day subset with pyworkforce's CP-SAT scheduler and with this model, side by side
(benchmarks/versus_pyworkforce.py, which says how; it needs the "bench" extra).

    .venv/bin/python benchmarks/optimize.py [--loop] [--versus-pyworkforce] [--time-limit 60]
                                            [--gap 0.01]

`benchmarks/versus_pyworkforce.py` solves this instance's phone subset (Monday, then the
week) with this model and with pyworkforce's CP-SAT scheduler.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from omnistaff.optimize import (
    Iteration,
    ScheduleInfeasible,
    SolveSettings,
    build_model,
    channel_requirements,
    optimize,
    schedule_data,
    solve,
)
from omnistaff.scenarios import Scenario, scenario_from_dict

#: The shift templates: name, length (h), break (min), whether it is paid, and the window its
#: start may fall in (h after the shift start) with the step between starts (min).
TEMPLATES = (("four", 4, 15, True, 1.5, 2.5, 15), ("six", 6, 30, False, 2.5, 3.5, 15),
             ("eight", 8, 30, False, 3, 5, 30), ("ten", 10, 30, False, 4, 6, 30))


def shift_templates(fixed_breaks: bool = False, within_day: bool = False) -> list[dict[str, Any]]:
    """The benchmark's templates, starting every 15 minutes; with `fixed_breaks`, each break at
    the middle of its window; with `within_day`, only starts that end by midnight."""
    templates = []
    for name, hours, minutes, paid, earliest, latest, step in TEMPLATES:
        if fixed_breaks:
            earliest = latest = (earliest + latest) / 2
        last = f"{24 - hours:02d}:00" if within_day else "23:45"
        templates.append({
            "name": name, "earliest_start": "00:00", "latest_start": last, "start_step": "15min",
            "lengths": [f"{hours}h"],
            "breaks": [{"duration": f"{minutes}min", "paid": paid, "earliest": f"{earliest}h",
                        "latest": f"{latest}h", "step": f"{step}min"}],
        })
    return templates


def benchmark_scenario() -> Scenario:
    """A week of quarter-hour intervals: phone, chat, email and 24/7 social; three groups."""
    return scenario_from_dict(benchmark_spec())


def benchmark_spec() -> dict[str, Any]:
    """The benchmark scenario as plain data, for variants of it."""
    hours = {"open": "07:00", "close": "21:00", "days": "weekdays"}
    return {
        "name": "Optimizer benchmark week",
        "horizon": {"days": 7, "interval_minutes": 15, "replications": 3, "seed": 7},
        "channels": {
            "phone": {"mode": "live", "arrivals": {"weekly_volume": 20000, "weekly": "weekdays",
                                                   "intraday": "business_hours", "hours": hours},
                      "handle_time": {"mean": 190, "cv": 1.2}, "after_contact_work": "20s",
                      "patience": {"dist": "exponential", "mean": 400},
                      "sla": {"target": 0.8, "threshold": "20s"}},
            "chat": {"mode": "live", "arrivals": {"weekly_volume": 8000, "weekly": "weekdays",
                                                  "intraday": "business_hours",
                                                  "hours": {**hours, "open": "08:00",
                                                            "close": "20:00"}},
                     "handle_time": {"mean": 420, "cv": 0.9},
                     "patience": {"dist": "exponential", "mean": 300},
                     "concurrency": {"max": 3}, "sla": {"target": 0.8, "threshold": "60s"}},
            "email": {"mode": "deferred",
                      "arrivals": {"weekly_volume": 5000,
                                   "weekly": [1.2, 1.1, 1.0, 1.0, 0.9, 0.4, 0.4],
                                   "intraday": "business_hours"},
                      "handle_time": {"mean": 360, "cv": 0.8}, "expiry": "72h",
                      "sla": {"target": 0.9, "threshold": "24h"}},
            "social": {"mode": "deferred",
                       "arrivals": {"weekly_volume": 3000,
                                    "weekly": [1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.2],
                                    "intraday": "evening"},
                       "handle_time": {"mean": 240, "cv": 1.0}, "expiry": "24h",
                       "sla": {"target": 0.8, "threshold": "1h"}},
        },
        "groups": {
            "phone_team": {"skills": ["phone"], "hourly_cost": 28, "shrinkage": 0.15},
            "digital_team": {"skills": ["chat", "email"], "hourly_cost": 30, "shrinkage": 0.15},
            "social_team": {"skills": ["social", "email"], "hourly_cost": 32,
                            "shrinkage": 0.15},
        },
        "optimizer": {"templates": shift_templates()},
    }


def run_model(scenario: Scenario, time_limit: float, gap: float) -> None:
    """Requirements, build and one solve, timed."""
    began = time.perf_counter()
    requirements = channel_requirements(scenario)
    data = schedule_data(scenario, requirements)
    prepared = time.perf_counter()
    model = build_model(data)
    built = time.perf_counter()
    report = solve(model, SolveSettings(mip_gap=gap, time_limit=time_limit))
    print(f"shift options          {len(data.options):,}")
    print(f"requirements + data    {prepared - began:.2f} s")
    print(f"build                  {built - prepared:.2f} s")
    print(f"solve                  {report.seconds:.2f} s  status {report.status}")
    if report.objective is None:
        print(f"no schedule found ({report.status}); no objective, bound "
              f"{shown(report.bound, ',.2f')}")
        return
    print(f"gap                    {shown(report.gap, '.4%')} ({report.headline()})")
    print(f"objective              {report.objective:,.2f}  bound "
          f"{shown(report.bound, ',.2f')}")


def shown(value: float | None, spec: str) -> str:
    """A figure the solve may not have produced (no bound, no gap): 'none' for None."""
    return "none" if value is None else format(value, spec)


def run_loop(scenario: Scenario, time_limit: float, gap: float) -> None:
    """The whole simulation-optimization loop, timed, one line per iteration."""
    def show(iteration: Iteration) -> None:
        print(iteration.describe())

    began = time.perf_counter()
    try:
        result = optimize(scenario, time_limit=time_limit, mip_gap=gap, progress=show)
    except (ScheduleInfeasible, ValueError) as exc:  # a run without a schedule, reported
        print(f"sim-opt loop           {time.perf_counter() - began:.1f} s: no schedule "
              f"({exc})")
        return
    print(f"sim-opt loop           {time.perf_counter() - began:.1f} s")
    print(result.headline())
    if result.trim is not None:
        print(result.trim.describe(result.final.currency))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop", action="store_true", help="also run the sim-opt loop")
    parser.add_argument("--versus-pyworkforce", action="store_true",
                        help="also compare with pyworkforce on the same-day subset (120 s each)")
    parser.add_argument("--time-limit", type=float, default=600.0,
                        help="safety net per solve (the deterministic stop is the node limit)")
    parser.add_argument("--gap", type=float, default=0.01)
    args = parser.parse_args()
    scenario = benchmark_scenario()
    run_model(scenario, args.time_limit, args.gap)
    if args.loop:
        run_loop(scenario, args.time_limit, args.gap)
    if args.versus_pyworkforce:
        from versus_pyworkforce import compare  # needs the "bench" extra

        compare()


if __name__ == "__main__":
    main()
