"""Sweep throughput: the speed-up of 2 local worker processes over 1 on the same sweep.

The sweep is the bundled `small_multichannel` week over phone agents on the 07:00 shift x
weekend social agents (12 points, 2 replications each: 24 runs of about 0.1-0.3 s). Each
timing runs the whole sweep into a fresh output folder, so nothing is resumed, and the
results of the two worker counts are checked to be identical. Target: a speed-up of at
least 1.8 on 2 cores.

A speed-up needs idle cores. On Linux each timing also reports the CPU time other processes
used meanwhile (from /proc/stat, less this process and its workers), in cores: a timing is
representative only when that is near zero. The script retries until it gets a quiet pair
of timings (or gives up after --attempts and shows the busiest-free one it saw).

Run: `python benchmarks/sweep.py [--repeat N] [--workers W] [--attempts A]`.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from omnistaff.scenarios import bundled_scenarios, load_scenario
from omnistaff.sim import experiment
from omnistaff.sim.sweep import SweepResult, parse_param, run_sweep

PARAMS = ("staffing.shifts.0.count=9,10,11,12", "staffing.shifts.5.count=1,2,3")
REPLICATIONS = 2
TARGET = 1.8
QUIET = 0.15  # other processes' load, in cores, below which a timing counts


def machine_busy_seconds() -> float:
    """CPU-seconds all processes have used since boot (NaN where /proc/stat is missing)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return float("nan")
    ticks = [int(f) for f in fields]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU-seconds of this process and its reaped workers."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


def pool_cpu_seconds() -> dict[int, float]:
    """CPU seconds so far of each live worker of the local pools, by pid (from /proc): the
    pools live as long as this process (`experiment._POOLS`), so their workers are never
    reaped and `RUSAGE_CHILDREN` does not see them."""
    seconds = {}
    for pool in experiment._POOLS.values():
        for pid in list(pool._processes or {}):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def timed_sweep(workers: int) -> tuple[float, float, SweepResult]:
    """Seconds to run the sweep from scratch, and other processes' load meanwhile (cores)."""
    scenario = load_scenario(bundled_scenarios()["small_multichannel"])
    params = [parse_param(p) for p in PARAMS]
    with tempfile.TemporaryDirectory() as folder:
        busy, own, start = machine_busy_seconds(), own_cpu_seconds(), time.perf_counter()
        pool = pool_cpu_seconds()
        result = run_sweep(scenario, params, Path(folder), REPLICATIONS, workers=workers)
        wall = time.perf_counter() - start
        workers_cpu = sum(s - pool.get(pid, 0.0) for pid, s in pool_cpu_seconds().items())
        foreign = (machine_busy_seconds() - busy) - (own_cpu_seconds() - own) - workers_cpu
    return wall, max(foreign, 0.0) / wall, result


def best_of(repeat: int, workers: int) -> tuple[float, float, SweepResult]:
    """The quickest of `repeat` timings, with its foreign load."""
    runs = [timed_sweep(workers) for _ in range(repeat)]
    wall, foreign, _ = min(runs, key=lambda run: run[0])
    return wall, foreign, runs[-1][2]


def attempt(repeat: int, workers: int) -> tuple[float, float, float, float]:
    """(serial s, its foreign load, pooled s, its foreign load); results checked equal."""
    serial, serial_load, serial_result = best_of(repeat, 1)
    pooled, pooled_load, pooled_result = best_of(repeat, workers)
    pd.testing.assert_frame_equal(serial_result.runs, pooled_result.runs)
    return serial, serial_load, pooled, pooled_load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per worker count")
    parser.add_argument("--workers", type=int, default=2, help="workers to compare with 1")
    parser.add_argument("--attempts", type=int, default=10, help="tries for a quiet machine")
    args = parser.parse_args()
    runs = 12 * REPLICATIONS
    print(f"sweep of {runs} runs ({' x '.join(PARAMS)}), {os.cpu_count()} CPU(s), "
          f"best of {args.repeat}; other load in cores")
    best: tuple[float, float, float, float] | None = None
    for number in range(1, args.attempts + 1):
        serial, serial_load, pooled, pooled_load = attempt(args.repeat, args.workers)
        print(f"  try {number}: 1 worker {serial:5.2f} s (other load {serial_load:.2f}), "
              f"{args.workers} workers {pooled:5.2f} s (other load {pooled_load:.2f}): "
              f"speed-up {serial / pooled:.2f}")
        if best is None or max(serial_load, pooled_load) < max(best[1], best[3]):
            best = (serial, serial_load, pooled, pooled_load)
        if max(serial_load, pooled_load) < QUIET:
            break
        time.sleep(5)
    assert best is not None
    speedup = best[0] / best[2]
    quiet = max(best[1], best[3]) < QUIET
    verdict = "meets" if speedup >= TARGET else "misses"
    note = "" if quiet else f" (no quiet window: other load up to {max(best[1], best[3]):.2f})"
    print(f"speed-up {speedup:.2f} ({verdict} the {TARGET} target){note}; {runs} runs at "
          f"{runs / best[2]:.1f} runs/s on {args.workers} workers; results identical")


if __name__ == "__main__":
    main()
