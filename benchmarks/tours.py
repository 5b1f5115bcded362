"""Benchmark of the tour model: people on contracts for the optimizer benchmark's center.

The week benchmark's center (phone, chat, email, 24/7 social; three groups; shift templates of
4, 6, 8 and 10 hours starting every 15 minutes, breaks within a window), every group on the
default full-time contract (five days of seven, the two days off together, 11 h rest), with a
25% weekend and a 20% night premium; solved for one week, then for a 4-week rotation of the
same weeks (at most 6 days in a row across weeks), then for a 4-week rotation with rotating
weekends (a full weekend off in every 2 weeks, at most 8 days in a row: a week with the
weekend worked cannot repeat). Both rotations are solved from their week (a circulation of
people through the contract's moves, the same every week: `tour_weeks.py`). For each: shift
options, tour variables, build and solve time (wall and CPU), the gap to the proven bound,
people and cost, and the roster built from the tours and checked against every rule. The
target is 1% in 120 s of CPU on one core; every solver call stops by work (nodes), and the
time limit is only the safety net, so the figures do not depend on the machine's load.

    .venv/bin/python benchmarks/tours.py [--weeks 1 4] [--weekend-weeks 4]
                                         [--weekend-off-every 2] [--max-days 8] [--gap 0.01]
                                         [--time-limit 1800] [--step 15min] [--widenings 3]
                                         [--no-prove]
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from optimize import benchmark_spec

from omnistaff.optimize import SolveSettings, build_model, channel_requirements, schedule_data
from omnistaff.optimize import solve as solve_model
from omnistaff.optimize.loop import _agents
from omnistaff.optimize.roster_check import roster_violations
from omnistaff.optimize.roster_out import build_roster, headcount_frame
from omnistaff.scenarios import scenario_from_dict


def tour_spec(weeks: int, step: str, weekend_off_every: int | None = None,
              max_days: int = 6) -> dict[str, Any]:
    """The benchmark center on contracts over `weeks` weeks, starts every `step`; with
    `weekend_off_every`, a full weekend off in every that many weeks and at most `max_days`
    working days in a row."""
    spec = benchmark_spec()
    spec["horizon"] = {**spec["horizon"], "days": 7 * weeks}
    contract = {} if weekend_off_every is None else {
        "weekend_off_every": weekend_off_every, "max_consecutive_days": max_days}
    spec["contracts"] = {"full_time": contract}
    spec["pay"] = {"weekend_premium": 0.25, "night_premium": 0.2}
    for template in spec["optimizer"]["templates"]:
        template["start_step"] = step
    return spec


def show_steps() -> None:
    """Print each solver call of the solve strategy: what it searched, found and cost in CPU."""
    strategy = sys.modules["omnistaff.optimize.solve"]
    call = strategy.run

    def shown(model: Any, *args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        outcome = call(model, *args, **kwargs)
        kind = "LP" if kwargs.get("relaxed") else "MIP"
        people = len(model.rota) if hasattr(model, "rota") else 0
        print(f"  {kind:3} {len(model.agents):6,} options {people:6,} tour variables: "
              f"{outcome.status}, objective {outcome.objective or float('nan'):,.1f}, bound "
              f"{outcome.bound or float('nan'):,.1f}, {time.process_time() - began:.1f} s CPU",
              flush=True)
        return outcome

    strategy.run = shown


def run(weeks: int, gap: float, time_limit: float, step: str, widenings: int = 3,
        prove: bool = True, weekend_off_every: int | None = None, max_days: int = 6) -> None:
    scenario = scenario_from_dict(tour_spec(weeks, step, weekend_off_every, max_days))
    began, cpu = time.perf_counter(), time.process_time()
    data = schedule_data(scenario, channel_requirements(scenario))
    prepared = time.perf_counter()
    model = build_model(data)
    built = time.perf_counter()
    report = solve_model(model, SolveSettings(mip_gap=gap, time_limit=time_limit,
                                              widenings=widenings, prove=prove))
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    weekends = "" if weekend_off_every is None else \
        f", a weekend off in every {weekend_off_every} weeks, at most {max_days} days in a row"
    print(f"== {weeks} week(s){weekends}, starts every {step}, {widenings} widenings, "
          f"proving MIP {'on' if prove else 'off'}: solved above; the figures")
    print(f"shift options          {len(data.options):,}")
    print(f"tour variables         {len(data.tours.rota):,} ({len(data.tours.lines):,} lines)")
    print(f"data / build           {prepared - began:.1f} s / {built - prepared:.1f} s")
    print(f"solve                  {report.seconds:.1f} s wall, {report.cpu_seconds:.1f} s CPU, "
          f"status {report.status}"
          f"{' (time limit)' if report.timed_out else ''}")
    print(f"total                  {wall:.1f} s wall, {cpu:.1f} s CPU (HiGHS on 1 thread)")
    if report.objective is None:
        print("no schedule found")
        return
    print(f"gap                    {report.gap:.3%} ({report.headline()})")
    print(f"objective              {report.objective:,.0f}  bound {report.bound:,.0f}")
    roster = build_roster(data, _agents(model))
    problems = roster_violations(scenario, roster)
    print(f"roster                 {len(roster):,} person-days, "
          f"{len({s.agent for s in roster}):,} people, "
          f"{'every rule kept' if not problems else f'{len(problems)} rule(s) broken'}")
    for problem in problems[:5]:
        print(f"  {problem}")
    print(headcount_frame(scenario, roster).round(1).to_string(index=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, nargs="*", default=[1, 4])
    parser.add_argument("--weekend-weeks", type=int, nargs="*", default=[4],
                        help="rotations of these many weeks with rotating weekends")
    parser.add_argument("--weekend-off-every", type=int, default=2)
    parser.add_argument("--max-days", type=int, default=8,
                        help="most working days in a row on the rotating-weekend rotations")
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--time-limit", type=float, default=1800.0)
    parser.add_argument("--step", default="15min")
    parser.add_argument("--widenings", type=int, default=3)
    parser.add_argument("--no-prove", action="store_true",
                        help="report the gap after the widenings instead of running the "
                        "proving MIP over every option")
    args = parser.parse_args()
    show_steps()
    for weeks in args.weeks:
        run(weeks, args.gap, args.time_limit, args.step, args.widenings, not args.no_prove)
    for weeks in args.weekend_weeks:
        run(weeks, args.gap, args.time_limit, args.step, args.widenings, not args.no_prove,
            args.weekend_off_every, args.max_days)


if __name__ == "__main__":
    main()
