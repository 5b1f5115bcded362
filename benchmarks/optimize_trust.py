"""Can the optimizer's answer be trusted? For each bundled study (and, with --scale, the three
scale cases), the whole optimization, then the checks a sceptical planner would make.

Per case it prints: rounds, the cost before and after the trim and what the trim removed, the
last round's gap to its bound (proven or not), the first round's lower bound (the LP bound of
the Erlang requirements), the cost of a naive plan (Erlang C per interval for every channel,
deferred ones too, rounded up, same templates), wall time, peak memory of the run, and per
channel the margin of its worst period (lower bound less target) in the optimizer's own
judging and out of sample (another seed, four times the replications: mean and lowest period
lower bound).

    .venv/bin/python benchmarks/optimize_trust.py [--scale] [--only NAME] [--workers 2]
                                                  [--keep DIR]

Where a channel is not met out of sample, each period short is printed with its verdict:
`unclear` (the target lies between the period's bounds) or `missed` (its upper bound is below
the target).

Each case runs in a child process, so its peak memory and CPU time are its own (with its
simulation workers'); CPU seconds are what holds on a busy machine, wall seconds are not.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path
from typing import Any

from omnistaff.optimize import (
    SolveSettings,
    build_model,
    channel_requirements,
    evaluate,
    optimize,
    schedule_data,
    solve,
)
from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario, with_overrides
from omnistaff.scenarios.variants import apply_variant
from omnistaff.sim.experiment import shutdown_pools
from omnistaff.ui.outputs import optimized_yaml

sys.path.insert(0, str(Path(__file__).parent))


def bundled(name: str, variant: str | None = None,
            overrides: dict[str, Any] | None = None) -> Scenario:
    scenario = load_scenario(bundled_scenarios()[name])
    if variant:
        scenario = apply_variant(scenario, variant)
    return with_overrides(scenario, overrides) if overrides else scenario


def weekend_4h() -> Scenario:
    return bundled("weekend_social", "no_weekend_social", {
        "channels.social_posts.sla.threshold": "4h", "channels.social_dms.sla.threshold": "4h"})


def cases(scale: bool) -> dict[str, Any]:
    """Name -> a function making the case's scenario (picklable, for the child process)."""
    found: dict[str, Any] = {
        "small_multichannel": (bundled, ("small_multichannel",)),
        "weekend_social 1h": (bundled, ("weekend_social", "no_weekend_social")),
        "weekend_social 4h": (weekend_4h, ()),
        "cost_per_channel": (bundled, ("cost_per_channel",)),
        "omni_vs_single specialists": (bundled, ("omni_vs_single",)),
        "omni_vs_single omni": (bundled, ("omni_vs_single", "omni")),
        "omni_vs_single hybrid": (bundled, ("omni_vs_single", "hybrid")),
    }
    if scale:
        from scale_cases import SCALE_CASES

        found.update({name: (make, ()) for name, make in SCALE_CASES.items()})
    return found


def naive_cost(scenario: Scenario) -> float | None:
    """Erlang C per interval for every channel, same templates: the plan to beat."""
    data = schedule_data(scenario, channel_requirements(scenario, deferred_as_backlog=False))
    report = solve(build_model(data), SolveSettings(mip_gap=0.01))
    return report.objective


def run_case(make: Any, args: tuple, workers: int, keep: Path | None = None
             ) -> dict[str, Any]:
    scenario = make(*args)
    began = time.perf_counter()
    result = optimize(scenario, workers=workers, progress=lambda i: print(
        f"   {i.describe()} [{time.perf_counter() - began:.0f} s]", flush=True),
        notes=lambda line: print(f"   {line} [{time.perf_counter() - began:.0f} s]",
                                 flush=True))
    seconds = time.perf_counter() - began
    first, last = result.iterations[0], result.final
    judging = result.evaluation.judging
    fresh = with_overrides(result.scenario, {"horizon.seed": scenario.horizon.seed + 1})
    check = evaluate(fresh, judging.fixed(4 * result.evaluation.replications), workers)
    channels = {}
    for c, row in result.evaluation.channels.iterrows():
        out = check.channels.loc[c]
        channels[c] = (row["target"], row["lower_bound"], out["service_level"],
                       out["lower_bound"], bool(out["met"]))
    short = check.periods[check.periods["verdict"] != "met"]
    out_short = [(c, int(p), v, m, lo, hi) for c, p, v, m, lo, hi in zip(
        short["channel"], short["period"], short["verdict"], short["service_level"],
        short["lower_bound"], short["upper_bound"], strict=True)]
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / "optimized.yaml").write_text(optimized_yaml(result))
    return {
        "rounds": len(result.iterations), "headline": result.headline(),
        "before": last.cost, "after": result.cost,
        "removed": result.trim.removed if result.trim else 0,
        "trim complete": result.trim.complete if result.trim else None,
        "gap": last.solve.gap, "proven": last.solve.proven,
        "first bound": first.solve.bound, "naive": naive_cost(scenario),
        "seconds": seconds, "replications": result.evaluation.replications,
        "out replications": check.replications, "channels": channels,
        "out short": out_short,
        "timed out": any(i.solve.timed_out for i in result.iterations),
        "round solves": [(i.solve.gap, i.solve.seconds, i.solve.cpu_seconds,
                          i.seconds.get("simulate", 0.0)) for i in result.iterations],
        "judging": f"{judging.confidence:.0%} lower bound per {judging.period}",
    }


def _child(queue: Any, make: Any, args: tuple, workers: int, keep: Path | None) -> None:
    try:
        figures = run_case(make, args, workers, keep)
    except Exception as exc:  # report a failed case instead of stopping the benchmark
        figures = {"error": f"{type(exc).__name__}: {exc}"}
    shutdown_pools()  # the kept workers exit, so their CPU is counted among the children's
    own, workers_ = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    figures["peak MiB"] = max(own.ru_maxrss, workers_.ru_maxrss) / 1024
    figures["cpu"] = own.ru_utime + own.ru_stime + workers_.ru_utime + workers_.ru_stime
    queue.put(figures)


def show(name: str, f: dict[str, Any]) -> None:
    print(f"\n== {name}")
    if "error" in f:
        print(f"   failed: {f['error']}  (peak {f['peak MiB']:.0f} MiB)")
        return
    money = lambda v: "n/a" if v is None else f"{v:,.0f}"  # noqa: E731
    last_gap = "n/a" if f["gap"] is None else f"{f['gap']:.2%}"
    print(f"   {f['headline']}")
    print(f"   rounds {f['rounds']}, wall {f['seconds']:.0f} s, CPU {f['cpu']:.0f} s (this "
          f"process and its workers), peak {f['peak MiB']:.0f} MiB, safety net fired: "
          f"{'yes' if f['timed out'] else 'no'}")
    for k, (round_gap, wall, cpu, simulate) in enumerate(f["round solves"], 1):
        shown = "n/a" if round_gap is None else f"{round_gap:.2%}"
        print(f"     round {k}: MIP gap {shown}, solve {wall:.0f} s wall / {cpu:.0f} s CPU "
              f"(one core), simulate {simulate:.0f} s wall")
    print(f"   cost before trim {money(f['before'])}, after {money(f['after'])} "
          f"({f['removed']} agent-shifts removed, trim complete: {f['trim complete']})")
    print(f"   last round gap {last_gap} ({'proven' if f['proven'] else 'not proven'}); "
          f"first-round lower bound {money(f['first bound'])}; naive plan {money(f['naive'])}")
    print(f"   judging: {f['judging']}, {f['replications']} replications; out of sample: "
          f"seed + 1, {f['out replications']} replications")
    print(f"   {'channel':<14}{'target':>8}{'worst LB':>10}{'out mean':>10}{'out worst LB':>14}"
          f"{'out met':>9}")
    for c, (target, lower, mean, out_lower, met) in f["channels"].items():
        print(f"   {c:<14}{target:>8.1%}{lower:>10.1%}{mean:>10.1%}{out_lower:>14.1%}"
              f"{'yes' if met else 'no':>9}")
    for c, period, verdict, mean, lower, upper in f["out short"]:
        where = f"day {period + 1}" if f["judging"].endswith("day") else "the horizon"
        print(f"   out of sample, {c} on {where}: {verdict} (mean {mean:.1%}, bounds "
              f"{lower:.1%} to {upper:.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="store_true", help="also the three scale cases")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="write each case's optimized scenario "
                        "(optimized.yaml) under this folder, to re-check it by hand")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    for name, (make, make_args) in cases(args.scale).items():
        if args.only and args.only not in name:
            continue
        queue = context.Queue()
        keep = None if args.keep is None else args.keep / name.replace(" ", "_")
        child = context.Process(target=_child, args=(queue, make, make_args, args.workers,
                                                     keep))
        child.start()
        figures = queue.get()
        child.join()
        show(name, figures)


if __name__ == "__main__":
    main()
