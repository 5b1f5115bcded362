"""The optimizer: channel requirements, the Pyomo shift-schedule model, and the
simulation-optimization loop that proves a schedule in simulation."""

from omnistaff.optimize.data import ScheduleData, schedule_data
from omnistaff.optimize.diagnose import infeasibility_reasons
from omnistaff.optimize.errors import ScheduleInfeasible
from omnistaff.optimize.evaluate import Evaluation, Judging, evaluate
from omnistaff.optimize.frames import coverage_frame, schedule_frame
from omnistaff.optimize.loop import (
    Plan,
    lowering_trials,
    optimize,
    plan_of,
    round_replications,
    run_plan,
)
from omnistaff.optimize.model import build_model
from omnistaff.optimize.outcome import Iteration, OptimizationResult
from omnistaff.optimize.requirements import Requirements, channel_requirements
from omnistaff.optimize.schedule import schedule_shifts, with_schedule
from omnistaff.optimize.solve import SolveReport, SolveSettings, solve
from omnistaff.optimize.trim import TrimReport

__all__ = [
    "Evaluation",
    "Iteration",
    "Judging",
    "OptimizationResult",
    "Plan",
    "Requirements",
    "ScheduleData",
    "ScheduleInfeasible",
    "SolveReport",
    "SolveSettings",
    "TrimReport",
    "build_model",
    "channel_requirements",
    "coverage_frame",
    "evaluate",
    "infeasibility_reasons",
    "lowering_trials",
    "optimize",
    "plan_of",
    "round_replications",
    "run_plan",
    "schedule_data",
    "schedule_frame",
    "schedule_shifts",
    "solve",
    "with_schedule",
]
