"""Run time of each bundled scenario at its default replications: the base alone, and the
base with every variant (what `omnistaff compare FILE` runs). Target: under a minute each.

Run: `python benchmarks/library.py [--workers W]`.
"""

from __future__ import annotations

import argparse
import time

from omnistaff.scenarios import bundled_scenarios, load_scenario
from omnistaff.sim.compare import compare_scenarios, variant_scenarios

TARGET_SECONDS = 60.0


def seconds(function: object) -> float:
    start = time.perf_counter()
    function()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="local worker processes")
    args = parser.parse_args()
    print(f"{'scenario':<22}{'reps':>5}{'variants':>9}{'base s':>9}{'compare s':>11}")
    for name, path in bundled_scenarios().items():
        scenario = load_scenario(path)
        every = variant_scenarios(scenario)
        base = seconds(lambda s=scenario: compare_scenarios({"base": s}, workers=args.workers))
        total = seconds(lambda e=every: compare_scenarios(e, workers=args.workers))
        flag = "" if total < TARGET_SECONDS else "  (over a minute)"
        print(f"{name:<22}{scenario.horizon.replications:>5}{len(every):>9}{base:>9.1f}"
              f"{total:>11.1f}{flag}")


if __name__ == "__main__":
    main()
