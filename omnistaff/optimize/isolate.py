"""Solving a schedule MIP in a child process that is stopped at its deadline.

HiGHS checks its time limit between phases, but on these models a single cut round can run for
minutes past it. A solve must end when it promised to, so a MIP of any size runs in a child
Python process (`python -m omnistaff.optimize.isolate`, handed a pickled task in a temporary
folder), which is stopped if it overruns; the schedule in hand then stands. Small MIPs, which
cannot overrun by much, run in this process.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyomo.environ as pyo

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.model import build_model
from omnistaff.optimize.runner import Outcome, run

Values = dict[tuple[str, Any], float]
CONTINUOUS = ("staffed", "resting", "allocated", "backlog", "late", "late_waiting")
#: MIPs with more shift options x intervals with needs than this run in a child process.
ISOLATE_ABOVE = 100_000
#: A child gets its time limit plus this long to hand back its schedule before it is stopped.
GRACE_SECONDS = 5.0


def solve_mip(data: ScheduleData, solver: str, mip_gap: float,
              time_limit: float) -> tuple[Outcome, Values | None]:
    """The best schedule of `data` found within the time limit, as the outcome and every
    variable's value (None when none was found)."""
    if mip_size(data) <= ISOLATE_ABOVE:
        return solve_here(data, solver, mip_gap, time_limit)
    with tempfile.TemporaryDirectory(prefix="omnistaff-mip-") as folder:
        task, answer = Path(folder, "task.pickle"), Path(folder, "answer.pickle")
        task.write_bytes(pickle.dumps((data, solver, mip_gap, time_limit)))
        began = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", __name__, str(task), str(answer)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _, errors = child.communicate(timeout=time_limit + GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            return Outcome("interrupted", False, None, None, time.perf_counter() - began), None
        if child.returncode != 0 or not answer.exists():
            raise RuntimeError(f"the MIP solve failed: {errors.decode(errors='replace')[-2000:]}")
        return pickle.loads(answer.read_bytes())


def mip_size(data: ScheduleData, options: int | None = None) -> int:
    """Shift options (all of `data`'s, or `options` of them) times the intervals with something
    to cover: live requirements and minimum staff, or every interval where deferred work
    flows."""
    count = len(data.options) if options is None else options
    if data.deferred:
        return count * data.intervals
    return count * len(data.needed_intervals())


def solve_here(data: ScheduleData, solver: str, mip_gap: float,
               time_limit: float) -> tuple[Outcome, Values | None]:
    """`solve_mip` in this process."""
    model = build_model(data)
    outcome = run(model, solver, time_limit, mip_gap)
    if not outcome.feasible or outcome.objective is None:
        return outcome, None
    return outcome, model_values(model)


def model_values(model: pyo.ConcreteModel) -> Values:
    """Every decision variable's value, keyed by (variable name, index)."""
    values: Values = {("agents", s): var.value or 0.0 for s, var in model.agents.items()}
    for name in CONTINUOUS:
        values.update({(name, key): var.value or 0.0 for key, var in getattr(model, name).items()})
    return values


def load_values(model: pyo.ConcreteModel, values: Values) -> None:
    """Set a model's variables to these values (shift options not given work no one, or the
    kept staffing's agents)."""
    for var in model.agents.values():
        var.set_value(var.lb or 0)
    for (name, key), value in values.items():
        if name == "agents":
            model.agents[key].set_value(round(value))
        else:
            getattr(model, name)[key].set_value(value, skip_validation=True)


def main(task: str, answer: str) -> None:
    """The child's work: solve the pickled task, pickle the answer."""
    data, solver, mip_gap, time_limit = pickle.loads(Path(task).read_bytes())
    result = solve_here(data, solver, mip_gap, time_limit)
    Path(answer).write_bytes(pickle.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
