"""The cost of each routing policy: engine throughput on the multichannel week of
`benchmarks/engine.py` (workload (b)) with the standing rule, then with each policy on.

Run: `python benchmarks/routing.py [--repeat N]`. Each row is the fastest of N runs (seeds
1..N) in CPU seconds, the cases taking turns within each round as in `engine.py` (so every
row and the standing rule's are measured under the same conditions); "cost" is the CPU time
relative to the standing rule. Policies change what happens (who answers, who waits), so a
row's contact count can differ from the first: call-backs and redials add contacts.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import sys
from pathlib import Path
from typing import Any

from omnistaff.scenarios import Scenario, scenario_from_dict


def _engine_benchmark() -> Any:
    spec = importlib.util.spec_from_file_location("engine_benchmark",
                                                  Path(__file__).with_name("engine.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["engine_benchmark"] = module
    spec.loader.exec_module(module)
    return module


BENCH = _engine_benchmark()


def with_policy(base: dict[str, Any], routing: dict[str, Any] | None = None,
                phone: dict[str, Any] | None = None) -> Scenario:
    """Workload (b) with routing settings and phone-channel settings added."""
    data = copy.deepcopy(base)
    if routing:
        data["routing"] = {**data.get("routing", {}), **routing}
    if phone:
        data["channels"]["phone"].update(phone)
    if phone and "callback" in phone:
        data["channels"]["phone_callbacks"] = {
            "mode": "deferred", "arrivals": {"weekly_volume": 0},
            "handle_time": {"mean": 240, "cv": 1.2}, "expiry": "8h",
            "sla": {"target": 0.8, "threshold": "30min"}}
        data["groups"]["phone_team"]["skills"] = ["phone", "phone_callbacks"]
    return scenario_from_dict(data)


def cases() -> list[tuple[str, Scenario]]:
    base = BENCH.multichannel_scenario().model_dump(mode="json")
    order = {"groups": ["phone_team", "omni"]}
    return [
        ("standing rule (Model)", scenario_from_dict(base)),
        ("no-op policy (PolicyModel)", with_policy(base, {"channels": {"phone": order}})),
        ("group order", with_policy(base, {"channels": {"phone": {
            "groups": ["omni", "phone_team"]}}})),
        ("overflow after 20 s", with_policy(base, {"channels": {"phone": {
            **order, "overflow_after": 20}}})),
        ("reserve 3 omni for phone", with_policy(base, {"channels": {"phone": {
            "reserve": [{"group": "omni", "agents": 3}]}}})),
        ("queue threshold 5 (chat)", with_policy(base, {"channels": {"chat": {
            "groups": ["chat_team", "omni"], "queue_threshold": {"omni": 5}}}})),
        ("longest weighted wait", with_policy(base, {
            "selection": "longest_weighted_wait", "channels": {"phone": {"weight": 3}}})),
        ("preemption", with_policy(base, {"preemption": True})),
        ("call-backs (phone)", with_policy(base, phone={"callback": {
            "to": "phone_callbacks", "offer_above": 60, "accept_share": 0.5}})),
        ("redials (phone)", with_policy(base, phone={"redial": {
            "share": 0.3, "delay": {"dist": "exponential", "mean": "10min"}}})),
        ("chat one at a time at night", with_chat_periods(base)),
        ("occupancy cap 85% (pacing)", with_caps(base, 0.85)),
    ]


def with_caps(base: dict[str, Any], cap: float) -> Scenario:
    """Workload (b) with every group capped: deferred work paced (`sim/pacing.py`)."""
    data = copy.deepcopy(base)
    for group in data["groups"].values():
        group["max_occupancy"] = cap
    return scenario_from_dict(data)


def with_chat_periods(base: dict[str, Any]) -> Scenario:
    """Workload (b) with chat limited to one at a time from 20:00 to 08:00."""
    data = copy.deepcopy(base)
    data["channels"]["chat"]["concurrency"]["by_period"] = [
        {"start": "00:00", "end": "08:00", "max": 1}, {"start": "20:00", "end": "00:00",
                                                        "max": 1}]
    return scenario_from_dict(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case")
    args = parser.parse_args()
    runs = [(name, BENCH.engine_run(scen)) for name, scen in cases()]
    print(f"machine: {BENCH.machine()}; CPU seconds, best of {args.repeat}, cases interleaved")
    best = BENCH.interleaved_best(runs, args.repeat)
    print(f"{'policy':<30}{'contacts':>10}{'seconds':>9}{'contacts/s':>12}{'cost':>8}")
    first = best[runs[0][0]][1]
    for name, _ in runs:
        contacts, seconds, _ = best[name]
        print(f"{name:<30}{contacts:>10,}{seconds:>9.3f}{contacts / seconds:>12,.0f}"
              f"{seconds / first:>7.2f}x")


if __name__ == "__main__":
    main()
