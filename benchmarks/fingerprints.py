"""Fingerprints of the engine's results, to show that a change to the engine leaves them
byte-identical: one SHA-256 per case of everything a user reads from its replications (the
summary as JSON, the tables and every replication's frames as CSV, `parallel.fingerprint`).

Cases: every bundled scenario's base and each of its variants (2 replications), and the
days of `scale.py` (100 and 5,000 agents, chat 3 at once, 1 replication), the 100-agent day
also staffed unevenly, as stacked agent-shifts and as a pool (`first_free`).

Run: `python benchmarks/fingerprints.py --out before.txt`, change the engine, then
`python benchmarks/fingerprints.py --against before.txt` (prints how many are identical and
exits non-zero if any differs).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterator

from parallel import fingerprint
from scale import day

from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario, with_overrides
from omnistaff.scenarios.variants import apply_variant
from omnistaff.sim.experiment import run_replications


def cases() -> Iterator[tuple[str, Scenario, int]]:
    """(name, scenario, replications) of every case."""
    for name, path in bundled_scenarios().items():
        base = load_scenario(path)
        yield name, base, 2
        for variant in base.variants:
            yield f"{name}:{variant}", apply_variant(base, variant), 2
    for agents in (100, 5000):
        yield f"day {agents} agents", day(agents, 30_000), 1
    yield "day chat 3 at once", day(100, 30_000, concurrency=3), 1
    uneven = {"staffing.per_interval.agents": [100, 90, 110, 80] * 12}
    yield "day uneven", with_overrides(day(100, 30_000), uneven), 1
    yield "day uneven pooled", with_overrides(
        day(100, 30_000), {**uneven, "staffing.per_interval_drop": "first_free"}), 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="write the fingerprints to this file")
    parser.add_argument("--against", help="compare with the fingerprints in this file")
    args = parser.parse_args()
    lines = []
    for name, scenario, replications in cases():
        digest = hashlib.sha256(fingerprint(run_replications(scenario, replications)))
        lines.append(f"{digest.hexdigest()}  {name}")
        print(lines[-1], flush=True)
    if args.out:
        with open(args.out, "w") as out:
            out.write("\n".join(lines) + "\n")
    if args.against:
        with open(args.against) as before:
            old = dict(reversed(line.split("  ", 1)) for line in before.read().splitlines())
        new = dict(reversed(line.split("  ", 1)) for line in lines)
        same = sum(old.get(name) == digest for name, digest in new.items())
        print(f"{same} of {len(new)} fingerprints identical to {args.against}")
        sys.exit(0 if same == len(new) == len(old) else 1)


if __name__ == "__main__":
    main()
