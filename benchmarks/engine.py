"""Engine throughput: contacts simulated per second, end to end through `simulate()`.

Scenarios:

- (a) one M/M/c+M channel: 50 agents, 9.5 arrivals a minute around the clock, exponential
  handle time (mean 5 min) and patience (mean 3 min), 200,000 expected arrivals;
- (b) one week of a multichannel centre: about 200 agents a weekday in 4 groups, 5 channels
  (phone, chat with concurrency 3 on the default efficiency curve, messaging with concurrency
  2, email, and 24/7 social with triage and escalation to messaging), shifts with breaks;
- a classic SimPy M/M/c+M model on workload (a) for reference: a process per customer, a
  `Resource` request raced against a patience timeout with `AnyOf`.

Run: `python benchmarks/engine.py [--repeat N]`. Each scenario runs N times (seeds 1..N), the
scenarios taking turns, and the fastest run is reported, with the machine it ran on and,
beside each figure, its ratio to the classic design measured in the same run. Seconds are
this process's CPU time, which is what one core did whatever else the machine runs;
wall-clock seconds are shown beside them (on an idle machine the two agree). Peak memory
of (b) comes from one further run under tracemalloc (not timed).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
import tracemalloc
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import numpy as np
import simpy

from omnistaff.scenarios import Scenario, scenario_from_dict
from omnistaff.sim import simulate

MMC_AGENTS = 50
MMC_PER_MINUTE = 9.5
MMC_AHT = 300.0
MMC_PATIENCE = 180.0
MMC_ARRIVALS = 200_000
TARGETS = {"(a) M/M/c+M": 250_000.0, "(b) multichannel week": 150_000.0}
CLASSIC = "classic SimPy on (a)"


def mmc_scenario() -> Scenario:
    """Workload (a): a flat 24/7 forecast of 200,000 calls, then nothing until day 15 ends."""
    per_interval = MMC_PER_MINUTE * 30
    full, rest = divmod(MMC_ARRIVALS / per_interval, 1)
    counts = [per_interval] * int(full) + [rest * per_interval]
    counts += [0.0] * (15 * 48 - len(counts))
    return scenario_from_dict({
        "name": "M/M/c+M benchmark",
        "horizon": {"days": 15, "interval_minutes": 30, "seed": 1},
        "channels": {"phone": {
            "mode": "live",
            "arrivals": {"counts": counts},
            "handle_time": {"dist": "exponential", "mean": MMC_AHT},
            "patience": {"dist": "exponential", "mean": MMC_PATIENCE},
            "sla": {"target": 0.8, "threshold": 20},
        }},
        "groups": {"agents": {"skills": ["phone"]}},
        "staffing": {"per_interval": {"agents": [MMC_AGENTS] * 48}},
    })


def _shift(group: str, start: str, count: int, days: str = "weekdays") -> dict[str, Any]:
    return {"group": group, "days": days, "start": start, "length": "8h", "count": count,
            "breaks": [{"after": "4h", "duration": "30min"}]}


def multichannel_scenario() -> Scenario:
    """Workload (b): one week, 5 channels, 4 groups, about 200 agents on a weekday."""
    return scenario_from_dict({
        "name": "Multichannel benchmark",
        "horizon": {"days": 7, "interval_minutes": 30, "warmup": "4h", "seed": 1},
        "channels": {
            "phone": {
                "mode": "live",
                "arrivals": {"weekly_volume": 45_000, "weekly": "weekdays",
                             "intraday": "business_hours",
                             "hours": {"open": "07:00", "close": "21:00", "days": "weekdays"}},
                "handle_time": {"mean": 240, "cv": 1.2},
                "after_contact_work": 20,
                "patience": {"dist": "exponential", "mean": 400},
                "sla": {"target": 0.8, "threshold": 20},
            },
            "chat": {
                "mode": "live",
                "arrivals": {"weekly_volume": 16_000, "weekly": "weekdays",
                             "intraday": "business_hours",
                             "hours": {"open": "08:00", "close": "20:00", "days": "weekdays"}},
                "handle_time": {"mean": 420, "cv": 0.9},
                "patience": {"dist": "exponential", "mean": 300},
                "concurrency": {"max": 3},
                "sla": {"target": 0.8, "threshold": 60},
            },
            "messaging": {
                "mode": "live",
                "arrivals": {"weekly_volume": 12_000, "intraday": "evening"},
                "handle_time": {"mean": 300, "cv": 1.0},
                "patience": {"dist": "exponential", "mean": 900},
                "concurrency": {"max": 2},
                "sla": {"target": 0.8, "threshold": 120},
            },
            "email": {
                "mode": "deferred",
                "arrivals": {"weekly_volume": 8_000,
                             "weekly": [1.2, 1.1, 1.0, 1.0, 0.9, 0.4, 0.4],
                             "intraday": "business_hours"},
                "handle_time": {"mean": 360, "cv": 0.8},
                "expiry": "72h",
                "sla": {"target": 0.9, "threshold": "24h"},
            },
            "social": {
                "mode": "deferred",
                "arrivals": {"weekly_volume": 10_000, "intraday": "evening"},
                "handle_time": {"mean": 240, "cv": 1.0},
                "expiry": "24h",
                "triage": {"actionable_share": 0.6, "by": "automated"},
                "escalation": [{"to": "messaging", "share": 0.2,
                                "delay": {"dist": "exponential", "mean": "30min"}}],
                "sla": {"target": 0.8, "threshold": "1h"},
            },
        },
        "groups": {
            "phone_team": {"skills": ["phone"], "shrinkage": 0.1, "absenteeism": 0.05},
            "chat_team": {"skills": ["chat", "messaging", "email"], "shrinkage": 0.1},
            "social_team": {"skills": ["social", "messaging", "email"], "shrinkage": 0.1},
            "omni": {"skills": ["phone", "chat", "email"], "shrinkage": 0.1,
                     "absenteeism": 0.05},
        },
        "staffing": {"shifts": [
            _shift("phone_team", "07:00", 48), _shift("phone_team", "13:00", 42),
            _shift("chat_team", "08:00", 18), _shift("chat_team", "12:00", 18),
            _shift("social_team", "00:00", 5, "all"), _shift("social_team", "08:00", 12, "all"),
            _shift("social_team", "16:00", 12, "all"),
            _shift("omni", "09:00", 22), _shift("omni", "12:00", 22),
        ]},
    })


def classic_mmc(seed: int) -> int:
    """The classic SimPy design on workload (a): a process per customer racing a Resource
    request against its patience. Returns the number of arrivals simulated."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=MMC_AGENTS)
    served = [0, 0]

    def customer(patience: float, work: float) -> Generator[simpy.Event, Any, None]:
        with agents.request() as request:
            outcome = yield request | env.timeout(patience)
            if request not in outcome:
                served[1] += 1
                return
            served[0] += 1
            yield env.timeout(work)

    def source() -> Generator[simpy.Event, Any, None]:
        gaps = rng.exponential(60 / MMC_PER_MINUTE, MMC_ARRIVALS).tolist()
        patience = rng.exponential(MMC_PATIENCE, MMC_ARRIVALS).tolist()
        work = rng.exponential(MMC_AHT, MMC_ARRIVALS).tolist()
        for gap, wait, handle in zip(gaps, patience, work, strict=True):
            yield env.timeout(gap)
            env.process(customer(wait, handle))

    env.process(source())
    env.run()
    return MMC_ARRIVALS


def engine_run(scenario: Scenario) -> Callable[[int], int]:
    """A timed body: one `simulate()` call; returns the contacts offered in it."""
    def run(seed: int) -> int:
        result = simulate(scenario, seed)
        return int(result.channels["offered"].sum())
    return run


def interleaved_best(cases: list[tuple[str, Callable[[int], int]]],
                     repeat: int) -> dict[str, tuple[int, float, float]]:
    """Per case, (contacts, CPU s, wall s) of its fastest of `repeat` runs (seeds 1..repeat).
    The cases take turns within each round, so each figure and the classic reference beside
    it are measured under the same conditions."""
    best = {name: (0, float("inf"), float("inf")) for name, _ in cases}
    for seed in range(1, repeat + 1):
        for name, run in cases:
            cpu, wall = time.process_time(), time.perf_counter()
            contacts = run(seed)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if cpu < best[name][1]:
                best[name] = (contacts, cpu, wall)
    return best


def machine() -> str:
    """The CPU model, cores and load average this run had."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{model}, {os.cpu_count()} CPU(s), load average {load:.2f}, "
            f"Python {platform.python_version()}")


def peak_memory(scenario: Scenario) -> int:
    """Peak bytes allocated (tracemalloc) during one `simulate()` of the scenario."""
    tracemalloc.start()
    simulate(scenario, 1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per scenario")
    args = parser.parse_args()
    cases = [
        ("(a) M/M/c+M", engine_run(mmc_scenario())),
        ("(b) multichannel week", engine_run(multichannel_scenario())),
        (CLASSIC, classic_mmc),
    ]
    print(f"machine: {machine()}; CPU seconds, best of {args.repeat}, cases interleaved")
    best = interleaved_best(cases, args.repeat)
    classic = best[CLASSIC][0] / best[CLASSIC][1]
    header = f"{'scenario':<24}{'contacts':>10}{'seconds':>9}{'wall s':>8}{'contacts/s':>12}"
    print(f"{header}{'target':>10}{'met':>5}{'x classic':>11}")
    for name, _ in cases:
        contacts, seconds, wall = best[name]
        rate = contacts / seconds
        target = TARGETS.get(name)
        met = "-" if target is None else ("yes" if rate >= target else "no")
        shown = "-" if target is None else f"{target:,.0f}"
        print(f"{name:<24}{contacts:>10,}{seconds:>9.3f}{wall:>8.3f}{rate:>12,.0f}"
              f"{shown:>10}{met:>5}{rate / classic:>10.2f}x")
    print(f"\nbeside each figure, the classic SimPy design on workload (a) in the same run: "
          f"{classic:,.0f} contacts/s; the ratio is what carries to another machine")
    peak = peak_memory(multichannel_scenario())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(b) peak memory: {peak / 2**20:.1f} MiB traced (tracemalloc); "
          f"process max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
