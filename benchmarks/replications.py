"""Short replications: the per-replication fixed cost and the throughput of many short runs,
on a single-queue case of the shape of ContactCenters' call-center example (the data of
SSJ's `CallCenter`): one day open 08:00-21:00 in 13 hourly periods of 4-8 agents, 1,660
expected calls (Poisson, rates 60-200 an hour, times a gamma busyness factor of shape 10,
i.e. a day CV of 0.316), exponential service (mean 100 s), 10% of callers who would wait
balk, the others wait up to an exponential patience (mean 1,000 s); 20 s SLA threshold.

Figures, all CPU seconds of this process (`time.process_time`), with the load average:

- 300 replications through `run_replications` and its summary: calls per CPU second
  (target 170,000: 1.5x the 111k ContactCenters made on the machine the issue was measured
  on), and, in the same run, the classic SimPy design on the same case (a process per
  call, a `Resource` raced against patience; absent agents as high-priority holders that
  wait for a busy agent to finish, as ContactCenters' agents leave);
- the fixed cost of a replication (target < 2 ms): the intercept of a least-squares line
  through the CPU seconds of 100 replications of the same case at 1x, 2x and 4x the calls
  (and agents) against the calls in them, the quickest of 5 timings at each size, the sizes
  taking turns (a busy machine only ever adds time). Two points, as this script used until
  December 2026, moved the intercept by up to 3 ms from run to run on a quiet machine; the
  residual of the fit is printed so a timing spoiled by the machine shows;
- results unchanged: the summary against `benchmarks/data/contactcenters_reference.json`,
  the same 300 replications from the engine before the per-replication work (`git show
  caaec25`); the largest relative difference is printed.

Run: `python benchmarks/replications.py [--replications N] [--write-reference]`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import numpy as np
import simpy

from omnistaff.scenarios import Scenario, scenario_from_dict
from omnistaff.sim.experiment import run_replications

RATES = (100, 150, 150, 180, 200, 150, 150, 150, 120, 100, 80, 70, 60)  # calls an hour
AGENTS = (4, 6, 8, 8, 8, 7, 8, 8, 6, 6, 4, 4, 4)
OPEN = 8  # 08:00
BUSYNESS_SHAPE = 10.0
BALK, PATIENCE, SERVICE, THRESHOLD = 0.1, 1000.0, 100.0, 20.0
TARGET_RATE, TARGET_FIXED_MS = 170_000.0, 2.0
SCALES, TIMINGS = (1, 2, 4), 5
REFERENCE = Path(__file__).parent / "data" / "contactcenters_reference.json"


def case(scale: int = 1) -> Scenario:
    """The case as a scenario (half-hour intervals: each period is two); `scale` multiplies
    calls and agents. The last period's agents stay an hour after closing to clear the queue."""
    counts = [0.0] * 48
    staff = [0] * 48
    for period, (rate, agents) in enumerate(zip(RATES, AGENTS, strict=True)):
        for half in (0, 1):
            counts[2 * (OPEN + period) + half] = scale * rate / 2
            staff[2 * (OPEN + period) + half] = scale * agents
    staff[2 * (OPEN + 13)] = staff[2 * (OPEN + 13) + 1] = scale * AGENTS[-1]
    return scenario_from_dict({
        "name": f"ContactCenters-shape single queue x{scale}",
        "horizon": {"days": 1, "interval_minutes": 30, "seed": 1, "replications": 300},
        "channels": {"calls": {
            "mode": "live",
            "arrivals": {"counts": counts, "day_cv": 1 / math.sqrt(BUSYNESS_SHAPE)},
            "handle_time": {"dist": "exponential", "mean": SERVICE},
            "balking": BALK,
            "patience": {"dist": "exponential", "mean": PATIENCE},
            "sla": {"target": 0.8, "threshold": THRESHOLD},
        }},
        "groups": {"agents": {"skills": ["calls"]}},
        "staffing": {"per_interval": {"agents": staff}},
    })


def timed_replications(scenario: Scenario, count: int) -> tuple[float, float, dict[str, Any]]:
    """CPU seconds of `count` replications and their summary, calls offered, the summary."""
    start = time.process_time()
    runs = run_replications(scenario, count)
    summary = runs.summary()
    seconds = time.process_time() - start
    calls = sum(float(r.channels["offered"].sum()) for r in runs.results)  # untimed
    return seconds, calls, summary


def classic_day(replication: int) -> int:
    """The classic SimPy design, one replication of the case; returns the calls in it."""
    rng = np.random.default_rng([7, replication])
    env = simpy.Environment()
    agents = simpy.PriorityResource(env, capacity=max(AGENTS))
    calls = 0

    def caller() -> Generator[simpy.Event, Any, None]:
        if agents.count >= agents.capacity and rng.random() < BALK:
            return
        with agents.request(priority=1) as request:
            patience = env.timeout(rng.exponential(PATIENCE))
            outcome = yield request | patience
            if request in outcome:
                yield env.timeout(rng.exponential(SERVICE))

    def absent(until: float) -> Generator[simpy.Event, Any, None]:
        with agents.request(priority=0) as request:  # waits for a busy agent to finish
            yield request
            yield env.timeout(max(until - env.now, 0.0))

    def day() -> Generator[simpy.Event, Any, None]:
        nonlocal calls
        busyness = rng.gamma(BUSYNESS_SHAPE, 1 / BUSYNESS_SHAPE)
        for period, (rate, staffed) in enumerate(zip(RATES, AGENTS, strict=True)):
            start, end = period * 3600.0, (period + 1) * 3600.0
            for _ in range(max(AGENTS) - staffed):
                env.process(absent(end))
            times = start + np.cumsum(rng.exponential(3600.0 / (rate * busyness), 600))
            for when in times[times < end]:
                yield env.timeout(when - env.now)
                calls += 1
                env.process(caller())
            yield env.timeout(end - env.now)

    env.process(day())
    env.run()
    return calls


def classic(replications: int) -> tuple[float, float]:
    """The classic SimPy design on the same case: CPU seconds and calls simulated."""
    start = time.process_time()
    calls = sum(classic_day(r) for r in range(replications))
    return time.process_time() - start, float(calls)


def largest_difference(summary: dict[str, Any], reference: dict[str, Any]) -> float:
    """The largest relative difference between the summaries' figures (0: identical)."""
    worst = 0.0
    for scope in ("channels", "groups"):
        for name, kpis in reference[scope].items():
            for kpi, value in kpis.items():
                for part in ("mean", "ci95"):
                    a, b = summary[scope][name][kpi][part], value[part]
                    if a is None or b is None:
                        worst = max(worst, 0.0 if a is b else math.inf)
                    elif a != b:
                        worst = max(worst, abs(a - b) / max(abs(b), 1e-300))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=300)
    parser.add_argument("--write-reference", action="store_true",
                        help=f"write the summary to {REFERENCE.name} (run on the old engine)")
    args = parser.parse_args()
    single = case()
    run_replications(single, 2)  # imports and first-use work out of the timings
    seconds, calls, summary = timed_replications(single, args.replications)
    if args.write_reference:
        REFERENCE.parent.mkdir(exist_ok=True)
        REFERENCE.write_text(json.dumps(summary, indent=1) + "\n")
    classic_seconds, classic_calls = classic(args.replications)
    load = os.getloadavg()[0]
    print(f"{single.name}: {args.replications} replications, load average {load:.2f} on "
          f"{os.cpu_count()} CPU(s); CPU seconds")
    level = summary["channels"]["calls"]["service_level"]["mean"]
    rate, classic_rate = calls / seconds, classic_calls / classic_seconds
    print(f"  omnistaff      {calls / args.replications:8,.0f} calls/replication "
          f"{seconds:7.3f} s {rate:10,.0f} calls/s (target {TARGET_RATE:,.0f}: "
          f"{'met' if rate >= TARGET_RATE else 'not met'}); service level {level:.4f}")
    print(f"  classic SimPy  {classic_calls / args.replications:8,.0f} calls/replication "
          f"{classic_seconds:7.3f} s {classic_rate:10,.0f} calls/s; omnistaff is "
          f"{rate / classic_rate:.2f}x")
    sizes = {scale: case(scale) for scale in SCALES}
    for scenario in sizes.values():
        run_replications(scenario, 2)
    best = dict.fromkeys(SCALES, math.inf)
    calls_at: dict[int, float] = {}
    for _ in range(TIMINGS):
        for scale, scenario in sizes.items():
            seconds, calls_at[scale], _ = timed_replications(scenario, 100)
            best[scale] = min(best[scale], seconds)
    x = np.array([calls_at[scale] for scale in SCALES])
    y = np.array([best[scale] for scale in SCALES])
    per_call, intercept = np.polyfit(x, y, 1)
    residual = float(np.max(np.abs(y - (per_call * x + intercept))))
    fixed = intercept / 100
    print(f"  per replication: {1000 * fixed:.2f} ms fixed (target < {TARGET_FIXED_MS} ms: "
          f"{'met' if fixed < TARGET_FIXED_MS / 1000 else 'not met'}) + "
          f"{1e6 * per_call:.2f} us a call (a line through 100 replications at "
          f"{', '.join(f'{s}x' for s in SCALES)}, the quickest of {TIMINGS} each; largest "
          f"residual {1000 * residual / 100:.2f} ms a replication; load average "
          f"{os.getloadavg()[0]:.2f})")
    if REFERENCE.exists() and not args.write_reference:
        reference = json.loads(REFERENCE.read_text())
        if reference["replications"] == args.replications:
            worst = largest_difference(summary, reference)
            print(f"  results against {REFERENCE.name}: largest relative difference "
                  f"{worst:.1e}{' (identical)' if worst == 0 else ''}")


if __name__ == "__main__":
    main()
