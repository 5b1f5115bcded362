"""Start-up: wall and CPU seconds of quick commands, each run as a user runs it (a fresh
`omnistaff` process). Targets: `omnistaff --help` under 0.3 s, `omnistaff validate` and
`omnistaff erlang` under 0.5 s of wall time (Erlang C needs neither numpy nor scipy;
Erlang A, with --patience, imports scipy.special).

Wall time is what a user waits, but on a busy machine it includes waiting for a core: the
CPU seconds of the process (user + system, from the OS) are shown beside it, with the
machine's load average, and each command runs --repeat times and the quickest is kept.

Run: `python benchmarks/startup.py [--repeat N]`.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = (
    (("--help",), 0.3),
    (("validate", "small_multichannel"), 0.5),
    (("erlang", "--rate", "120", "--aht", "300", "--agents", "12"), 0.5),
    (("erlang", "--rate", "120", "--aht", "300", "--target", "0.8", "--json"), 0.5),
    (("erlang", "--rate", "120", "--aht", "300", "--agents", "12", "--patience", "180"), 0.5),
)


def executable() -> list[str]:
    """The `omnistaff` entry point next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name("omnistaff")
    found = str(beside) if beside.exists() else shutil.which("omnistaff")
    if found is None:
        raise SystemExit("no omnistaff command found; pip install -e . first")
    return [found]


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command")
    args = parser.parse_args()
    base = executable()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPU(s); "
          f"quickest of {args.repeat}")
    print(f"{'command':<58}{'wall s':>8}{'cpu s':>8}{'target':>8}{'met':>5}")
    for words, target in COMMANDS:
        runs = [timed([*base, *words]) for _ in range(args.repeat)]
        wall, cpu = min(runs)
        shown = " ".join(("omnistaff", *words))
        print(f"{shown:<58}{wall:>8.3f}{cpu:>8.3f}{target:>8.1f}"
              f"{'yes' if wall < target else 'no':>5}")


if __name__ == "__main__":
    main()
