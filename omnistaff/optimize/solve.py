"""Solving a schedule model to a known gap within a time limit.

Handed the whole model, HiGHS spends its minute in cut rounds on the long level and backlog
chains and may return no schedule at all. The LP relaxation, though, solves in seconds (interior
point) and is tight, so a solve goes:

1. the LP relaxation of the whole model: the lower bound, and each shift option's reduced cost;
2. a MIP over the shift options the LP uses, for 30% of the time (at least 20 s, at most 80%):
   a good schedule;
3. while the gap is wider than asked and time remains, a MIP over twice as many options, the
   next ones by reduced cost. Once it holds every option whose reduced cost is within the
   gap, its bound holds for the whole model (reduced-cost fixing: a schedule using any other
   option costs more than the one in hand). The better schedule is kept.

Each MIP starts afresh: given a start, HiGHS 1.16 must run without presolve (with presolve it
loses the start's objective offset), and is then slower than starting over.

The gap reported is always against a bound proven for the whole model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyomo.environ as pyo

from omnistaff.optimize.isolate import Values, load_values, solve_mip
from omnistaff.optimize.runner import Outcome, check_solver, run

#: Options the LP leaves at zero whose reduced cost is within this of the gap are kept.
RC_TOLERANCE = 1e-6
#: Each widening adds at least this many options.
WIDEN_MIN = 200
#: Share of the time left that a MIP which cannot prove the gap may use: the first, over the
#: options the LP uses, finds a schedule; wider ones, with the options it lacked, improve it.
FIRST_SHARE = 0.3
ROUND_SHARE = 0.6
#: The first MIP may use at least this long (seconds, at most 80% of the limit): a hard model
#: needs it to find any good schedule.
FIRST_FLOOR = 20.0
#: No further round is started with less time than this left (seconds).
MIN_ROUND = 10.0


@dataclass(frozen=True)
class SolveReport:
    """How a solve ended: status (`optimal`: within the gap asked; `time_limit`: a schedule,
    gap wider; otherwise the solver's word, e.g. `infeasible`), best schedule's objective, proven
    bound, relative gap, time, and how many shift options the last MIP searched."""

    solver: str
    status: str
    feasible: bool
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    options_searched: int = 0

    @property
    def infeasible(self) -> bool:
        return self.status in ("infeasible", "infeasibleOrUnbounded")


@dataclass
class _Search:
    """The state of one solve: bound, best schedule (values by the full model's indices),
    options searched last, and the clock."""

    began: float
    time_limit: float
    bound: float
    keep: list[int]
    objective: float | None = None
    values: Values | None = None
    status: str = "unknown"
    last_bound: float | None = None

    def prove(self, bound: float | None) -> None:
        """Raise the proven bound to a MIP's bound over options holding every option that
        could improve on the schedule in hand (never above that schedule's objective)."""
        if bound is not None:
            ceiling = bound if self.objective is None else min(bound, self.objective)
            self.bound = max(self.bound, ceiling)

    def left(self) -> float:
        return self.time_limit - (time.perf_counter() - self.began)

    def gap(self) -> float:
        return relative_gap(self.objective, self.bound) if self.objective is not None else 1.0


def solve(model: pyo.ConcreteModel, solver: str = "appsi_highs", mip_gap: float = 0.01,
          time_limit: float = 60.0) -> SolveReport:
    """Solve to `mip_gap` within about `time_limit` seconds; the best schedule is loaded."""
    check_solver(solver)
    began = time.perf_counter()
    relaxation = run(model, solver, time_limit, relaxed=True)
    if not relaxation.feasible or relaxation.objective is None:
        return _report(solver, relaxation.status, None, began)
    support = [s for s in model.OPTIONS if (model.agents[s].value or 0) > 1e-6]
    search = _Search(began, time_limit, relaxation.objective, support)
    first = max(FIRST_SHARE, min(0.8, FIRST_FLOOR / max(time_limit, 1e-9)))
    _round(model, search, solver, mip_gap, support, exact=False, share=first)
    if search.values is None:
        _round(model, search, solver, mip_gap, list(model.OPTIONS), exact=True)
    while search.values is not None and search.gap() > mip_gap and search.left() > MIN_ROUND:
        candidates = _within_gap(relaxation, search)
        if set(candidates) <= set(search.keep):
            # The last MIP held every option that could improve: its bound is the model's.
            search.prove(search.last_bound)
            break
        wider = _widen(search.keep, candidates)
        _round(model, search, solver, mip_gap, wider, exact=set(candidates) <= set(wider))
    if search.values is None:
        return _report(solver, search.status, search, began)
    load_values(model, search.values)
    status = "optimal" if search.gap() <= mip_gap else "time_limit"
    return _report(solver, status, search, began)


def _round(model: pyo.ConcreteModel, search: _Search, solver: str, mip_gap: float,
           keep: list[int], exact: bool, share: float = ROUND_SHARE) -> None:
    """A MIP over the options `keep`; when `keep` holds every option that could improve on the
    best schedule so far (`exact`), its bound holds for the whole model. The better schedule
    of the two is kept."""
    data = model.schedule_data.restricted(keep)
    limit = max(search.left() * (1 if exact else share), 1.0)
    outcome, values = solve_mip(data, solver, mip_gap, limit)
    search.keep, search.status, search.last_bound = keep, outcome.status, outcome.bound
    if exact:
        search.prove(outcome.bound)
    if values is not None and outcome.objective is not None and (
            search.objective is None or outcome.objective < search.objective - 1e-9):
        search.objective = outcome.objective
        search.values = _renumbered(values, dict(enumerate(keep)))


def _renumbered(values: Values | None, mapping: dict[int, int]) -> Values | None:
    """Values with shift options renumbered (options not mapped are dropped)."""
    if values is None:
        return None
    return {(name, mapping[key] if name == "agents" else key): value
            for (name, key), value in values.items() if name != "agents" or key in mapping}


def _within_gap(relaxation: Outcome, search: _Search) -> list[int]:
    """Options that might be in a schedule cheaper than the one in hand (reduced cost within
    the gap), cheapest reduced cost first."""
    slack = (search.objective or 0.0) - search.bound + RC_TOLERANCE
    costs = relaxation.reduced_costs
    return sorted((s for s, rc in costs.items() if rc <= slack), key=costs.__getitem__)


def _widen(keep: list[int], candidates: list[int]) -> list[int]:
    """`keep` and as many again of the candidates not in it, in their order."""
    kept = set(keep)
    extra = [s for s in candidates if s not in kept][: max(len(keep), WIDEN_MIN)]
    return sorted(kept | set(extra))


def relative_gap(objective: float, bound: float) -> float:
    """(objective - bound) / |objective|, never negative."""
    return max(0.0, objective - bound) / max(abs(objective), 1e-9)


def _report(solver: str, status: str, search: _Search | None, began: float) -> SolveReport:
    objective = search.objective if search is not None else None
    bound = search.bound if search is not None else None
    gap = relative_gap(objective, bound) if objective is not None and bound is not None else None
    searched = len(search.keep) if search is not None else 0
    return SolveReport(solver, status, objective is not None, objective, bound, gap,
                       time.perf_counter() - began, searched)
