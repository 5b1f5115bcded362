"""Solving a schedule model to a known gap within a time limit.

Handed the whole model, HiGHS spends its minute in cut rounds on the long level and backlog
chains and may return no schedule at all. The LP relaxation, though, solves in seconds (interior
point) and is tight, so a solve goes:

1. the LP relaxation of the whole model: the lower bound (raised to the next whole step of the
   objective where it has one: a quarter-hour's pay), and each shift option's reduced cost;
2. a MIP over the shift options the LP uses or nearly would, for 30% of the time (at least
   20 s, at most 80%): a good schedule;
3. while the gap is wider than asked and time remains, a MIP over twice as many options, the
   next ones by reduced cost. Once it holds every option whose reduced cost is within the
   gap (less a step), its bound holds for the whole model (reduced-cost fixing: a schedule
   using any other option costs more than the one in hand). The better schedule is kept.

Each MIP starts afresh: given a start, HiGHS 1.16 must run without presolve (with presolve it
loses the start's objective offset), and is then slower than starting over.

Where the horizon falls into independent parts (days no shift spans, nothing carried or
limited across them), each part goes through these steps on its own model, and the schedules
and bounds are added up.

The gap reported is always against a bound proven for the whole model.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import pyomo.environ as pyo

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.isolate import ISOLATE_ABOVE, Values, load_values, mip_size, solve_mip
from omnistaff.optimize.model import build_model
from omnistaff.optimize.parts import Part, independent_parts, restricted_part
from omnistaff.optimize.runner import Outcome, check_solver, run

#: Options the LP leaves at zero whose reduced cost is within this of the gap are kept.
RC_TOLERANCE = 1e-6
#: Relative tolerance of a bound's whole steps of the objective.
STEP_TOLERANCE = 1e-6
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
    bound: float = float("-inf")
    keep: list[int] = field(default_factory=list)
    objective: float | None = None
    values: Values | None = None
    status: str = "unknown"
    last_bound: float | None = None
    step: float = 0.0

    def prove(self, bound: float | None) -> None:
        """Raise the proven bound to a MIP's bound over options holding every option that
        could improve on the schedule in hand (never above that schedule's objective)."""
        if bound is not None:
            bound = self.rounded(bound)
            ceiling = bound if self.objective is None else min(bound, self.objective)
            self.bound = max(self.bound, ceiling)

    def rounded(self, bound: float) -> float:
        """A bound raised to the next whole step of the objective, if it has one: no schedule
        costs in between."""
        if self.step <= 0:
            return bound
        return math.ceil(bound / self.step - STEP_TOLERANCE) * self.step

    def improving(self) -> float:
        """The most a schedule better than the one in hand may cost."""
        return (self.objective or 0.0) - self.step

    def left(self) -> float:
        return self.time_limit - (time.perf_counter() - self.began)

    def gap(self) -> float:
        return relative_gap(self.objective, self.bound) if self.objective is not None else 1.0


def solve(model: pyo.ConcreteModel, solver: str = "appsi_highs", mip_gap: float = 0.01,
          time_limit: float = 60.0) -> SolveReport:
    """Solve to `mip_gap` within about `time_limit` seconds; the best schedule is loaded.

    Independent parts of the horizon (`independent_parts`: e.g. days no shift spans, with no
    backlog or horizon-wide limit between them) are solved one by one, each to the gap."""
    check_solver(solver)
    began = time.perf_counter()
    parts = [] if model.elastic else independent_parts(model.schedule_data)
    if len(parts) > 1:
        search = _search_apart(model.schedule_data, parts, solver, mip_gap, began, time_limit)
    else:
        search = _search(model, solver, mip_gap, _Search(began, time_limit))
    if search.values is None:
        return _report(solver, search.status, search, began)
    load_values(model, search.values)
    status = "optimal" if search.gap() <= mip_gap else "time_limit"
    return _report(solver, status, search, began)


def _search(model: pyo.ConcreteModel, solver: str, mip_gap: float, search: _Search) -> _Search:
    """The LP relaxation, then MIPs over ever more shift options until the gap is proven or
    time runs out; `search` (its clock set) ends holding the best schedule found."""
    relaxation = run(model, solver, search.left(), relaxed=True)
    if not relaxation.feasible or relaxation.objective is None:
        search.status = relaxation.status
        return search
    search.step = 0.0 if model.elastic else model.schedule_data.objective_step()
    support = _first_options(model, relaxation, search.step)
    search.bound, search.keep = search.rounded(relaxation.objective), support
    first = max(FIRST_SHARE, min(0.8, FIRST_FLOOR / max(search.time_limit, 1e-9)))
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
    return search


def _first_options(model: pyo.ConcreteModel, relaxation: Outcome, step: float) -> list[int]:
    """The options of the first MIP: those the LP uses and, on a roster of live channels only
    whose MIP stays small enough to solve in this process (a fraction of a second), those the
    LP could swap in for less than half a step of the objective (no two schedules' costs are
    closer than a step).

    A large first MIP is kept to what the LP uses, so that it finds a schedule fast. So is one
    with deferred work: there the wider first MIP found cheaper schedules that relied on the
    model's leniency with late work (`model.py`), and the simulation-optimization loop then
    took many more rounds to meet the SLA (`weekend_social`: 8 rounds unmet against 2)."""
    used = [s for s in model.OPTIONS if (model.agents[s].value or 0) > 1e-6]
    if step <= 0 or model.schedule_data.deferred:
        return used
    costs = relaxation.reduced_costs
    near = sorted({*used, *(s for s, rc in costs.items() if rc < step / 2)})
    return near if mip_size(model.schedule_data, len(near)) <= ISOLATE_ABOVE else used


def _search_apart(data: ScheduleData, parts: list[Part], solver: str, mip_gap: float,
                  began: float, time_limit: float) -> _Search:
    """Each part searched on its own model, with a share of the time left by its options; the
    schedules, objectives and bounds added up (a part without a schedule ends the search)."""
    whole = _Search(began, time_limit, bound=0.0, objective=0.0, values={})
    sizes = [len(part.options) + 1 for part in parts]
    for k, part in enumerate(parts):
        share = whole.left() * sizes[k] / sum(sizes[k:])
        model = build_model(restricted_part(data, part))
        found = _search(model, solver, mip_gap, _Search(time.perf_counter(), share))
        if found.values is None or found.objective is None:
            whole.status, whole.values, whole.objective = found.status, None, None
            return whole
        whole.objective = (whole.objective or 0.0) + found.objective
        whole.bound += found.bound
        whole.keep += [part.options[s] for s in found.keep]
        _add(whole.values, _renumbered(found.values, dict(enumerate(part.options))))
    return whole


def _add(total: Values | None, values: Values | None) -> None:
    """Add a part's values to the whole's: the parts' shift options and allocations are apart,
    and agents on shift or on a break, linear in the agents, are zero outside a part."""
    if total is not None and values is not None:
        for key, value in values.items():
            total[key] = total.get(key, 0.0) + value


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
    the gap, less one step of the objective), cheapest reduced cost first."""
    slack = search.improving() - search.bound + RC_TOLERANCE
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
