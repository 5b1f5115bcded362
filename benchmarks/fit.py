"""Fit speed: seconds to read and fit a contact log, by size.

A synthetic log of N contacts over 12 weeks on three channels (numpy draws: Poisson arrivals
in business hours, lognormal handle times, exponential patience against exponential offered
waits, so a fifth abandon) is written as CSV, then read and fitted as `omnistaff fit` does
(reading, arrivals, day-level CV, handle time with three families, patience with its
Kaplan-Meier curve). Seconds are this process's CPU time; wall-clock beside them.

Run: `python benchmarks/fit.py [--sizes 100000,1000000]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from omnistaff.fit import fit_contact_log, read_contact_log


def synthetic_log(n: int, rng: np.random.Generator) -> pd.DataFrame:
    day = rng.integers(0, 84, n)
    seconds = rng.uniform(8 * 3600, 20 * 3600, n)
    arrived = pd.Timestamp("2026-01-05") + pd.to_timedelta(day * 86400 + seconds, unit="s")
    offered = rng.exponential(60, n)
    patience = rng.exponential(240, n)
    answered = offered < patience
    wait = np.where(answered, offered, patience)
    left = arrived + pd.to_timedelta(wait, unit="s")
    iso = "%Y-%m-%dT%H:%M:%S.%f"
    return pd.DataFrame({
        "channel": rng.choice(["phone", "chat", "email"], n, p=[0.6, 0.3, 0.1]),
        "arrived_at": arrived.strftime(iso),
        "answered_at": np.where(answered, left.strftime(iso), ""),
        "abandoned_at": np.where(answered, "", left.strftime(iso)),
        "handle_seconds": np.where(answered, rng.lognormal(5.2, 0.8, n).round(1), np.nan),
    }).sort_values("arrived_at")


def main() -> None:
    parser = argparse.ArgumentParser(description="Fit speed by log size.")
    parser.add_argument("--sizes", default="100000,1000000")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    print(f"{'contacts':>10} {'CSV MB':>8} {'read s':>8} {'fit s':>8} {'wall s':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for n in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"log{n}.csv"
            synthetic_log(n, rng).to_csv(path, index=False)
            wall, cpu = time.perf_counter(), time.process_time()
            log = read_contact_log(path)
            read = time.process_time() - cpu
            fit_contact_log(log, 30)
            fit = time.process_time() - cpu - read
            print(f"{n:>10,} {path.stat().st_size / 1e6:>8.1f} {read:>8.2f} {fit:>8.2f} "
                  f"{time.perf_counter() - wall:>8.2f}")


if __name__ == "__main__":
    main()
