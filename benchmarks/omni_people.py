"""Specialists or omni-channel agents, in people: the `omni_vs_single` library scenario's
`people_specialists` and `people_omni` variants (contracts, the omni-channel agents' skill
premium) each optimized to the same SLAs, then compared on headcount, FTE, pay with premiums,
training (per person and skill) and, paired on the same simulated customers, service level and
cost per channel.

Each variant runs solve-and-simulate rounds until every channel meets its SLA on every day
(the 95% lower bound rule) or `--rounds` run out, then the trim takes whole people away within
`--trim` simulations. A comparison is only called a verdict when both variants met every SLA;
the script says which did not. Lowering trials are off unless asked (`--lowerings`).

    .venv/bin/python benchmarks/omni_people.py [--rounds 8] [--replications 10] [--trim 30]
                                               [--lowerings 0]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from omnistaff.optimize import optimize
from omnistaff.optimize.outcome import OptimizationResult
from omnistaff.optimize.roster_out import headcount_frame
from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario
from omnistaff.scenarios.variants import apply_variant, with_overrides
from omnistaff.sim.compare import compare_scenarios

VARIANTS = ("people_specialists", "people_omni")
WEEKS_PER_YEAR = 52


def people_of(scenario: Scenario, rounds: int, replications: int, trim: int, lowerings: int
              ) -> tuple[Scenario, pd.DataFrame, OptimizationResult]:
    """The variant optimized within the bounds: its scenario staffed by the roster, its
    headcount frame and the loop's result."""
    bounded = with_overrides(scenario, {
        "optimizer.max_iterations": rounds, "optimizer.replications": replications,
        "optimizer.trim_evaluations": trim, "optimizer.lowerings": lowerings})
    result = optimize(bounded)
    return result.scenario, headcount_frame(result.scenario, list(result.roster)), result


def training(scenario: Scenario, heads: pd.DataFrame) -> float:
    """A year's training of the people: per person and skill held."""
    return float(sum(row.people * len(scenario.groups[row.group].skills)
                     * scenario.groups[row.group].training_cost_per_skill
                     for row in heads.itertuples()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--trim", type=int, default=30)
    parser.add_argument("--lowerings", type=int, default=0)
    args = parser.parse_args()
    library = load_scenario(bundled_scenarios()["omni_vs_single"])
    optimized: dict[str, Scenario] = {}
    met: dict[str, bool] = {}
    doubted: dict[str, tuple[str, ...]] = {}  # periods the fresh replications did not confirm
    for name in VARIANTS:
        began, cpu = time.perf_counter(), time.process_time()
        scenario, heads, result = people_of(apply_variant(library, name), args.rounds,
                                            args.replications, args.trim, args.lowerings)
        optimized[name] = scenario
        met[name] = result.converged
        doubted[name] = result.trim.missed_afresh if result.trim is not None else ()
        year = training(scenario, heads)
        print(f"== {name} ({time.perf_counter() - began:.0f} s wall, "
              f"{time.process_time() - cpu:.0f} s CPU in this process)\n{result.headline()}")
        for iteration in result.iterations:
            print(f"  {iteration.describe()}")
        if result.trim is not None:
            print(f"  {result.trim.describe(result.final.currency)}")
        print(heads.round(1).to_string(index=False))
        print(f"people {int(heads['people'].sum())}, FTE {heads['fte'].sum():.1f}, "
              f"pay USD {heads['total_cost'].sum():,.0f} a week of which premiums USD "
              f"{heads['premium_cost'].sum():,.0f}; training USD {year:,.0f} a year "
              f"(USD {year / WEEKS_PER_YEAR:,.0f} a week)")
    missed = [name for name, ok in met.items() if not ok]
    doubts = "; ".join(f"{name}: {', '.join(periods)}" for name, periods in doubted.items()
                       if periods)
    print("== verdict: " + (
        "both variants met every SLA on every day; the comparison below is at equal SLAs"
        + (f" (fresh replications, another seed, did not clearly confirm {doubts})"
           if doubts else "") if not missed else
        f"no verdict: {', '.join(missed)} did not meet every SLA"))
    comparison = compare_scenarios(optimized, replications=2 * args.replications)
    table = comparison.kpi_table()
    shown = table[(table["scope"] == "channel")
                  & table["kpi"].isin(["service_level", "total_cost"])]
    print(f"== paired on the same customers ({comparison.replications} replications; "
          f"difference: {VARIANTS[1]} less {VARIANTS[0]}, 95% half-width)")
    print(shown[["variant", "name", "kpi", "mean", "ci95", "diff", "diff_ci95"]]
          .round(3).to_string(index=False))


if __name__ == "__main__":
    main()
