"""One call of a Pyomo solver on a model: HiGHS and the other APPSI solvers through their
persistent interface (reduced costs), any other solver through the SolverFactory; the outcome
as plain numbers, with the solution loaded when there is one.

A call is deterministic: HiGHS runs on one thread with a fixed random seed and a MIP stops
after a number of branch-and-bound nodes (`nodes`), so the same model gives the same answer on
any machine at any load. The time limit is only a safety net; an outcome that hit it says so
(`Outcome.timed_out`)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo
from pyomo.contrib.appsi.base import SolverFactory as AppsiSolverFactory
from pyomo.contrib.appsi.base import TerminationCondition as AppsiCondition
from pyomo.opt import TerminationCondition

#: The relative-gap option of each solver we know, by Pyomo solver name.
GAP_OPTION = {"appsi_highs": "mip_rel_gap", "highs": "mip_rel_gap", "cbc": "ratioGap",
              "appsi_cbc": "ratioGap", "glpk": "mipgap", "gurobi": "MIPGap",
              "appsi_gurobi": "MIPGap", "gurobi_direct": "MIPGap", "cplex": "mipgap",
              "appsi_cplex": "mipgap", "scip": "limits/gap"}
#: LP options that help these solvers on the relaxation (its simplex stalls on the level and
#: backlog chains; interior point with crossover takes seconds).
LP_OPTIONS = {"appsi_highs": {"solver": "ipm"}}
#: Options that make each solver's answer independent of the machine and its load.
DETERMINISTIC = {"appsi_highs": {"threads": 1, "random_seed": 0},
                 "highs": {"threads": 1, "random_seed": 0}}
#: The node-limit option of each solver we know (a deterministic stop for a MIP).
NODE_OPTION = {"appsi_highs": "mip_max_nodes", "highs": "mip_max_nodes", "cbc": "maxNodes",
               "appsi_cbc": "maxNodes", "gurobi": "NodeLimit", "appsi_gurobi": "NodeLimit",
               "gurobi_direct": "NodeLimit", "cplex": "mip_limits_nodes",
               "appsi_cplex": "mip_limits_nodes", "scip": "limits/nodes"}
#: The option of each solver we know that stops a MIP at the first schedule at or below an
#: objective (a target: a cheaper schedule than needed is not worth more search).
TARGET_OPTION = {"appsi_highs": "objective_target", "highs": "objective_target",
                 "gurobi": "BestObjStop", "appsi_gurobi": "BestObjStop",
                 "gurobi_direct": "BestObjStop"}
_LEGACY_FEASIBLE = {TerminationCondition.optimal, TerminationCondition.maxTimeLimit,
                    TerminationCondition.maxIterations, TerminationCondition.feasible,
                    TerminationCondition.other, TerminationCondition.maxEvaluations}


@dataclass(frozen=True)
class Outcome:
    """What one solver call found: status, best objective, proven bound, and the reduced cost
    of each shift option (LP relaxations only)."""

    status: str
    feasible: bool
    objective: float | None
    bound: float | None
    seconds: float
    reduced_costs: dict[int, float] = field(default_factory=dict)
    #: The reduced cost of each tour variable (LP relaxations of tour models only).
    tour_costs: dict[int, float] = field(default_factory=dict)

    @property
    def infeasible(self) -> bool:
        return self.status in ("infeasible", "infeasibleOrUnbounded")

    @property
    def timed_out(self) -> bool:
        """Whether the wall-clock safety net stopped the solver (its answer then depends on
        the machine)."""
        return self.status in ("maxTimeLimit", str(TerminationCondition.maxTimeLimit))


def check_solver(solver: str) -> None:
    """Raise a clear error when a solver is not installed."""
    available = False
    try:
        available = bool(_factory(solver).available())
    except Exception:  # any failure to load a solver means "not available"
        available = False
    if not available:
        raise ValueError(f"solver '{solver}' is not available; use appsi_highs (installed with "
                         "omnistaff) or install it and check its name")


def run(model: pyo.ConcreteModel, solver: str, time_limit: float, mip_gap: float | None = None,
        relaxed: bool = False, nodes: int | None = None,
        start: dict[int, int] | None = None,
        start_people: dict[int, int] | None = None, target: float | None = None) -> Outcome:
    """Solve `model` once (its integers relaxed if `relaxed`, a MIP stopped after `nodes`
    branch-and-bound nodes or at a schedule costing at most `target`, starting from the
    schedule `start`, agents per option, where the solver takes a start); load the solution
    if any."""
    options = dict(DETERMINISTIC.get(solver, {}))
    if relaxed:
        options.update(LP_OPTIONS.get(solver, {}))
    if mip_gap is not None and solver in GAP_OPTION:
        options[GAP_OPTION[solver]] = mip_gap
    if nodes is not None and not relaxed and solver in NODE_OPTION:
        options[NODE_OPTION[solver]] = nodes
    if target is not None and not relaxed and solver in TARGET_OPTION:
        options[TARGET_OPTION[solver]] = target
    integers = [v for v in model.component_data_objects(pyo.Var) if v.is_integer()]
    if relaxed:
        for var in integers:
            var.domain = pyo.NonNegativeReals
    try:
        if solver.startswith("appsi_"):
            return _run_appsi(model, solver, options, time_limit, relaxed, start, start_people)
        return _run_legacy(model, solver, options, time_limit)
    finally:
        if relaxed:
            for var in integers:
                var.domain = pyo.NonNegativeIntegers


def _factory(solver: str) -> Any:
    if solver.startswith("appsi_"):
        return AppsiSolverFactory(solver.removeprefix("appsi_"))
    return pyo.SolverFactory(solver)


def _run_appsi(model: pyo.ConcreteModel, solver: str, options: dict[str, Any],
               time_limit: float, relaxed: bool, start: dict[int, int] | None = None,
               start_people: dict[int, int] | None = None) -> Outcome:
    opt = _factory(solver)
    opt.config.load_solution = False
    if start is not None and not relaxed and opt.warm_start_capable():
        # A MIP start: the solver fixes these agents, fills in the rest by LP, and searches
        # from that schedule's cost, so it can only return a cheaper one.
        for var in model.component_data_objects(pyo.Var):
            if not var.fixed:
                var.set_value(None)
        for s, var in model.agents.items():
            var.set_value(start.get(s, 0))
        for r, var in (model.rota.items() if hasattr(model, "rota") else ()):
            var.set_value((start_people or {}).get(r, 0))  # people on tours, with agents
        opt.config.warmstart = True
    opt.config.time_limit = max(time_limit, 1.0)
    for name in ("highs_options", "gurobi_options", "cplex_options", "cbc_options"):
        if hasattr(opt, name):
            setattr(opt, name, options)
    began = time.perf_counter()
    results = opt.solve(model)
    seconds = time.perf_counter() - began
    feasible = results.best_feasible_objective is not None
    reduced: dict[int, float] = {}
    tours: dict[int, float] = {}
    objective = None
    if feasible:
        results.solution_loader.load_vars()
        objective = pyo.value(model.cost)
        if relaxed and results.termination_condition == AppsiCondition.optimal:
            costs = results.solution_loader.get_reduced_costs(list(model.agents.values()))
            reduced = {s: float(costs[var]) for s, var in model.agents.items()}
            if hasattr(model, "rota"):
                people = results.solution_loader.get_reduced_costs(list(model.rota.values()))
                tours = {r: float(people[var]) for r, var in model.rota.items()}
    bound = _number(results.best_objective_bound)
    return Outcome(results.termination_condition.name, feasible, objective, bound, seconds,
                   reduced, tours)


def _run_legacy(model: pyo.ConcreteModel, solver: str, options: dict[str, Any],
                time_limit: float) -> Outcome:
    opt = _factory(solver)
    began = time.perf_counter()
    results = opt.solve(model, load_solutions=False, timelimit=time_limit, options=options)
    seconds = time.perf_counter() - began
    condition = results.solver.termination_condition
    feasible = len(results.solution) > 0 and condition in _LEGACY_FEASIBLE
    if feasible:
        model.solutions.load_from(results)
    objective = pyo.value(model.cost) if feasible else None
    return Outcome(str(condition), feasible, objective, _number(results.problem.lower_bound),
                   seconds)


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
