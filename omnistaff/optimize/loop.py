"""Simulation-optimization: requirements, then the cheapest schedule, then simulation; wherever a
channel clearly misses its SLA in an interval its requirement rises (a live channel gets more
agents, a deferred channel's work there is due sooner), until every channel meets its SLA over
the horizon in simulation or the iterations run out."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from omnistaff.optimize.data import schedule_data
from omnistaff.optimize.diagnose import infeasibility_reasons
from omnistaff.optimize.errors import ScheduleInfeasible
from omnistaff.optimize.evaluate import Evaluation, evaluate
from omnistaff.optimize.frames import coverage_frame, schedule_frame
from omnistaff.optimize.model import build_model
from omnistaff.optimize.requirements import Requirements, channel_requirements
from omnistaff.optimize.schedule import agent_shifts, paid_cost, paid_hours, schedule_shifts
from omnistaff.optimize.schedule import with_schedule as staffed_by
from omnistaff.optimize.solve import SolveReport, solve
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.workforce import Staffing


@dataclass(frozen=True)
class Iteration:
    """One round: the schedule's cost and shifts, how the solve went, simulated service level per
    channel, `attainment` (the share of channel-intervals with contacts whose simulated service
    level meets the target), and the intervals raised for the next round."""

    number: int
    cost: float
    currency: str
    paid_hours: dict[str, float]
    agent_shifts: int
    solve: SolveReport
    service_level: dict[str, float]
    half_width: dict[str, float]
    target: dict[str, float]
    met: dict[str, bool]
    attainment: float
    raised: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def all_met(self) -> bool:
        return all(self.met.values())

    def describe(self) -> str:
        """One line for a progress display."""
        levels = ", ".join(
            f"{c} {self.service_level[c]:.1%}{'' if self.met[c] else ' (miss)'}"
            for c in self.service_level)
        gap = f"{self.solve.gap:.2%}" if self.solve.gap is not None else "n/a"
        raised = sum(self.raised.values())
        tail = f"; {raised} intervals raised" if raised else ""
        return (f"iteration {self.number}: cost {self.cost:,.0f} {self.currency}, "
                f"{self.agent_shifts} agent-shifts, gap {gap}; SLA {levels}{tail}")

    def row(self) -> dict[str, object]:
        """The iteration as one flat row (for iterations.csv)."""
        row: dict[str, object] = {
            "iteration": self.number, "cost": self.cost, "agent_shifts": self.agent_shifts,
            "paid_hours": sum(self.paid_hours.values()), "attainment": self.attainment,
            "solver_status": self.solve.status,
            "gap": self.solve.gap, "solve_seconds": self.solve.seconds,
            "simulate_seconds": self.seconds.get("simulate"), "all_met": self.all_met,
        }
        for c in self.service_level:
            row[f"sla_{c}"] = self.service_level[c]
            row[f"sla_{c}_ci95"] = self.half_width[c]
            row[f"raised_{c}"] = self.raised.get(c, 0)
        return row


@dataclass(frozen=True)
class OptimizationResult:
    """The optimized scenario (its staffing is the schedule), the schedule and its coverage with
    simulated service level, every iteration, the final evaluation, and whether it converged."""

    scenario: Scenario
    schedule: pd.DataFrame
    coverage: pd.DataFrame
    iterations: tuple[Iteration, ...]
    evaluation: Evaluation
    converged: bool
    seconds: float

    @property
    def final(self) -> Iteration:
        return self.iterations[-1]

    @property
    def cost(self) -> float:
        """Paid cost of the schedule over the horizon."""
        return self.final.cost

    @property
    def staffing(self) -> Staffing:
        """The schedule as scenario staffing."""
        return self.scenario.staffing


Progress = Callable[[Iteration], None]

#: Replications per round unless the scenario sets them: enough that a channel's service level
#: over the horizon is known to about a point, so noise neither passes nor fails a round.
ROUND_REPLICATIONS = 10


def round_replications(scenario: Scenario) -> int:
    """Replications simulated per round: the optimizer's setting, or the horizon's, at least
    ROUND_REPLICATIONS."""
    return scenario.optimizer.replications or max(ROUND_REPLICATIONS,
                                                  scenario.horizon.replications)


@dataclass(frozen=True)
class _Plan:
    """How the loop runs: rounds, replications per round, workers, and the solve settings."""

    rounds: int
    replications: int
    workers: int
    solver: str
    mip_gap: float
    time_limit: float


@dataclass(frozen=True)
class _Round:
    """One round's schedule model, scheduled scenario, evaluation, record, and the
    requirements for the next round (None after the last)."""

    model: pyo.ConcreteModel
    staffed: Scenario
    evaluation: Evaluation
    iteration: Iteration
    next_requirements: Requirements | None


def optimize(scenario: Scenario, *, max_iterations: int | None = None, solver: str | None = None,
             time_limit: float | None = None, mip_gap: float | None = None,
             replications: int | None = None, workers: int = 1,
             progress: Progress | None = None) -> OptimizationResult:
    """The cheapest schedule found that meets every channel's SLA in simulation.

    Arguments left as None come from the scenario's `optimizer` settings; `workers` simulate
    replications in parallel; `progress` is called with each iteration as it completes. Raises
    ScheduleInfeasible, in words, when no schedule fits the limits.
    """
    settings = scenario.optimizer
    plan = _Plan(max_iterations or settings.max_iterations,
                 replications or round_replications(scenario),
                 workers, solver or settings.solver, mip_gap or settings.mip_gap,
                 time_limit or settings.time_limit)
    began = time.perf_counter()
    requirements: Requirements | None = channel_requirements(scenario)
    iterations: list[Iteration] = []
    while requirements is not None:
        done = _iterate(scenario, requirements, plan, len(iterations) + 1)
        iterations.append(done.iteration)
        if progress is not None:
            progress(done.iteration)
        requirements = done.next_requirements
    coverage = _coverage(coverage_frame(done.model), done.evaluation)
    return OptimizationResult(done.staffed, schedule_frame(done.model), coverage,
                              tuple(iterations), done.evaluation, done.evaluation.all_met,
                              time.perf_counter() - began)


def _iterate(scenario: Scenario, requirements: Requirements, plan: _Plan, number: int) -> _Round:
    """Schedule, simulate, judge; and unless this is the last round, raise what was missed."""
    model, report, build_seconds = _schedule(scenario, requirements, plan.solver, plan.mip_gap,
                                             plan.time_limit)
    staffed = staffed_by(scenario, schedule_shifts(model))
    clock = time.perf_counter()
    evaluation = evaluate(staffed, plan.replications, plan.workers)
    seconds = {"build": build_seconds, "solve": report.seconds,
               "simulate": time.perf_counter() - clock}
    raised: dict[str, int] = {}
    following = None
    if not evaluation.all_met and number < plan.rounds:
        raised, following = _raise(requirements, evaluation)
        following = following if raised else None  # nothing to raise: another round repeats
    iteration = _iteration(number, staffed, report, evaluation, raised, seconds)
    return _Round(model, staffed, evaluation, iteration, following)


def _schedule(scenario: Scenario, requirements: Requirements, solver: str, mip_gap: float,
              time_limit: float) -> tuple[pyo.ConcreteModel, SolveReport, float]:
    """Build and solve the schedule model; raise ScheduleInfeasible when nothing fits."""
    clock = time.perf_counter()
    data = schedule_data(scenario, requirements)
    model = build_model(data)
    built = time.perf_counter() - clock
    report = solve(model, solver, mip_gap, time_limit)
    if report.infeasible:
        raise ScheduleInfeasible(infeasibility_reasons(data, solver, time_limit))
    if not report.feasible:
        raise ScheduleInfeasible([f"the solver found no schedule within {time_limit:g} s "
                                  f"({report.status}); raise optimizer.time_limit"])
    return model, report, built


def _raise(requirements: Requirements,
           evaluation: Evaluation) -> tuple[dict[str, int], Requirements]:
    """Raise the requirement of every clearly missed interval (of a live channel, only while it
    is open: contacts escalated to it after hours do not call for night shifts), and lower the
    late share of a deferred channel missing its SLA by its shortfall; the number of intervals
    raised per channel changed."""
    raised = {}
    for c in evaluation.channels.index:
        before = requirements
        if c in requirements.late_share and not evaluation.channels.loc[c, "met"]:
            requirements = requirements.less_late(c, evaluation.shortfall(c))
        intervals = evaluation.to_raise(c)
        if c in requirements.required:
            intervals = intervals[requirements.open[c][intervals]]
        if intervals.size and c in requirements.required:
            requirements = requirements.raised(c, intervals, _more_agents(
                requirements, evaluation, c, intervals))
        elif intervals.size:
            requirements = requirements.tightened(c, intervals)
        if requirements is not before:
            raised[c] = int(intervals.size)
    return raised, requirements


def _more_agents(requirements: Requirements, evaluation: Evaluation, channel: str,
                 intervals: np.ndarray) -> np.ndarray:
    """At least one reference agent more, or the requirement times the shortfall in service
    level, whichever is more."""
    rows = evaluation.intervals[evaluation.intervals["channel"] == channel].set_index("interval")
    shortfall = (rows["target"] - rows["service_level"]).reindex(intervals).fillna(0).to_numpy()
    current = requirements.required[channel][intervals]
    return np.maximum(1.0, np.round(current * np.clip(shortfall, 0, 1)))


def _iteration(number: int, staffed: Scenario, report: SolveReport, evaluation: Evaluation,
               raised: dict[str, int], seconds: dict[str, float]) -> Iteration:
    channels = evaluation.channels
    return Iteration(
        number=number, cost=paid_cost(staffed), currency=staffed.currency,
        paid_hours=paid_hours(staffed), agent_shifts=agent_shifts(staffed), solve=report,
        service_level=channels["service_level"].fillna(1.0).to_dict(),
        half_width=channels["service_level_ci95"].to_dict(),
        target=channels["target"].to_dict(), met=channels["met"].astype(bool).to_dict(),
        attainment=evaluation.attainment, raised=raised, seconds=seconds,
    )


def _coverage(coverage: pd.DataFrame, evaluation: Evaluation) -> pd.DataFrame:
    """Coverage per channel and interval with the simulated service level beside it."""
    simulated = evaluation.intervals[["channel", "interval", "service_level",
                                      "service_level_ci95"]]
    merged = coverage.merge(simulated, on=["channel", "interval"], how="left")
    return merged.rename(columns={"service_level": "simulated_sla",
                                  "service_level_ci95": "simulated_sla_ci95"})
