"""Which shift options a restricted MIP of a plan in people searches.

The LP relaxation of a tour model uses few options (a basic solution: about as many as it has
binding rows), each a break placement of one shift on one weekday. Kept alone, they leave the
restricted MIP almost no room: a whole person works their shift on five days, and each of
those days needs an option the LP happened to use, with a break placement that fits. So the
MIP keeps whole lines instead: every option (every break placement, every weekday) of each
shift the LP puts people on. The LP's people stay feasible, the MIP can move a person's days
off and breaks freely, and the model stays small (a few dozen shifts of the thousand offered).
"""

from __future__ import annotations

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.runner import Outcome


def whole_lines(data: ScheduleData, keep: list[int]) -> list[int]:
    """`keep` and every other option of a contracted group's shift (group, start, length)
    among them; `keep` as it is without tours."""
    tours = data.tours
    if tours is None:
        return keep
    shifts = {(data.options[s].group, data.options[s].start, data.options[s].length)
              for s in keep if data.options[s].group in tours.groups}
    kept = set(keep)
    return [s for s, o in enumerate(data.options)
            if s in kept or (o.group, o.start, o.length) in shifts]


def other_lengths(data: ScheduleData, keep: list[int], best: tuple[int, ...] | None,
                  relaxed: dict[str, float]) -> list[int]:
    """The next MIP of a tour model after one over whole lines (`keep`): every option, of any
    length, starting when a kept shift of a group starts, for each contracted group whose
    best schedule (`best`) costs more than in the LP (`relaxed`: paid cost per group); of
    the other groups, only the options the schedule uses. Empty without tours or a schedule,
    or when it adds nothing.

    The LP's lines are few and often of one length (it fills a group's hours with its longest,
    cheapest-per-hour shift), so a MIP over them rounds a group's people up to whole people
    on that shift; the same starts with shorter shifts let it make up the fraction of a person
    with a shorter week instead. Groups the schedule already staffs at their LP cost are held
    to its options, which keeps the MIP about as small as the first."""
    tours = data.tours
    if tours is None or best is None:
        return []
    spent = group_costs(data, best)
    above = {g for g in tours.groups if spent.get(g, 0.0) > relaxed.get(g, 0.0)
             + COST_TOLERANCE * max(1.0, spent.get(g, 0.0))}
    starts = {(data.options[s].group, data.options[s].start) for s in keep
              if data.options[s].group in above}
    kept = set(keep)
    wider = [s for s, o in enumerate(data.options)
             if (o.group, o.start) in starts or (s in kept and (
                 o.group not in tours.groups or o.group in above or best[s] > 0))]
    return wider if starts and set(wider) - kept else []


def group_costs(data: ScheduleData, agents: list[float] | tuple[int, ...]) -> dict[str, float]:
    """Paid cost per group of agents per option (their first `len(data.options)`)."""
    costs: dict[str, float] = {}
    for o, c, a in zip(data.options, data.cost, agents[:len(data.options)], strict=True):
        if a:
            costs[o.group] = costs.get(o.group, 0.0) + c * a
    return costs


#: Relative margin of "costs more than in the LP".
COST_TOLERANCE = 1e-6


def restricted_gap(data: ScheduleData, gap: float, bound: float, exact: bool
                   ) -> tuple[float, float | None]:
    """The gap a restricted MIP of a plan in people is asked for, and the objective at which
    it may stop at once (None: no target).

    The MIP's own bound holds only for the options it keeps (and up to `outside_floor` for
    the whole model); on a tour model HiGHS's root cuts raise it above the whole model's LP
    bound, so a schedule within the gap of the MIP's bound may be outside the gap of the whole
    model's. A MIP whose bound proves nothing for the whole model by itself (not `exact`)
    therefore also stops at the first schedule within the gap of the whole model's bound
    (`target`), besides its own gap and its node limit."""
    if data.tours is None or exact or not bound > float("-inf"):
        return gap, None
    return gap, bound / (1 - gap) - TARGET_TOLERANCE * abs(bound)


#: Relative margin below the target objective, against rounding in the solver.
TARGET_TOLERANCE = 1e-7


def outside_floor(data: ScheduleData, relaxation: Outcome, keep: list[int]) -> float | None:
    """The least objective of a schedule of a tour model using an option outside `keep`
    (None without tours or reduced costs).

    At the LP's optimum every schedule costs the LP's objective plus each variable's reduced
    cost times its distance from its bound (all at least zero). A restricted MIP keeps whole
    lines (`whole_lines`), so a schedule outside it either has a person on a line the MIP left
    out, or an agent on a left-out option of a group without contracts (or of a start a kept
    band line may take). A person on a left-out line is a whole unit on one of its tour
    variables, on some tour variable of the line in every other week (the weeks are a
    circulation), and on each of their working days an agent on some option of their shift
    that weekday (`tour_link`), all left out: the schedule costs at least the LP's objective
    plus the least of those reduced costs added up (`line_floors`). A left-out option of the
    other kinds costs its reduced cost plus the least reduced cost of a tour variable that may
    work it. A restricted MIP's bound then holds for the whole model up to the least of these:
    the whole model's bound is the lesser of the two. Widening by reduced cost raises it step
    by step."""
    tours, costs = data.tours, relaxation.reduced_costs
    if tours is None or relaxation.objective is None or not costs:
        return None
    complete = len(relaxation.tour_costs) == len(tours.rota)  # else the options' alone
    carried = _least_tour_costs(data, relaxation.tour_costs) if complete else {}
    kept = set(keep)
    shifts = _kept_shifts(data, keep)
    outside = list(line_floors(data, relaxation, keep).values()) if complete else []
    for s, rc in costs.items():
        if s in kept:
            continue
        o = data.options[s]
        if complete and o.group in tours.groups and (o.group, o.start, o.length) not in shifts:
            continue  # only people on a left-out line work it: in their line's floor
        extra = carried.get((o.group, o.start, o.length, o.weekday), float("inf")) \
            if complete and o.group in tours.groups else 0.0
        outside.append(max(0.0, rc) + max(0.0, extra))
    if not outside:
        return None
    return relaxation.objective + min(outside) - RC_MARGIN * abs(relaxation.objective)


def _kept_shifts(data: ScheduleData, keep: list[int]) -> set[tuple[str, int, float]]:
    """The (group, start, length) of the options kept: a line is kept when one of its shifts
    is among them (`TourData.restricted`)."""
    return {(data.options[s].group, data.options[s].start, data.options[s].length)
            for s in keep}


def line_floors(data: ScheduleData, relaxation: Outcome, keep: list[int]) -> dict[int, float]:
    """Per line a restricted MIP over `keep` leaves out, the least a person on it adds to the
    LP's objective: the least reduced cost of its tour variables of one week plus, on each
    day that variable works, the least reduced cost of an option of the line's shift that
    weekday, plus the least reduced cost of the line's tour variables of each other week
    (reduced costs below zero count as zero; a line that cannot be worked, infinity)."""
    tours = data.tours
    assert tours is not None
    costs, people = relaxation.reduced_costs, relaxation.tour_costs
    least: dict[tuple[str, int, float, str], float] = {}
    for s, o in enumerate(data.options):
        key = (o.group, o.start, o.length, o.weekday)
        least[key] = min(least.get(key, float("inf")), max(0.0, costs.get(s, 0.0)))
    shifts = _kept_shifts(data, keep)
    week_least: dict[tuple[int, int], float] = {}
    worked: dict[tuple[int, int], float] = {}
    for r, (index, week, _) in enumerate(tours.rota):
        line = tours.lines[index]
        if any(k in shifts for k in line.shift_keys()):
            continue
        rc = max(0.0, people.get(r, 0.0))
        week_least[(index, week)] = min(week_least.get((index, week), float("inf")), rc)
        days = sum(min(least.get((*k, tours.weekdays[d]), float("inf"))
                       for k in line.shift_keys()) for d in range(7) if tours.works(r, d))
        worked[(index, week)] = min(worked.get((index, week), float("inf")), rc + days)
    floors: dict[int, float] = {}
    for (index, week), value in worked.items():
        others = sum(week_least.get((index, w), float("inf"))
                     for w in range(tours.weeks) if w != week)
        floors[index] = min(floors.get(index, float("inf")), value + others)
    return floors


def _least_tour_costs(data: ScheduleData, tour_costs: dict[int, float]
                      ) -> dict[tuple[str, int, float, str], float]:
    """Per (group, start, length, weekday), the least reduced cost of a tour variable whose
    people may work that shift that weekday."""
    tours = data.tours
    assert tours is not None
    least: dict[tuple[str, int, float, str], float] = {}
    for r, rc in tour_costs.items():
        line = tours.lines[tours.rota[r][0]]
        for d in (d for d in range(7) if tours.works(r, d)):
            for group, start, length in line.shift_keys():
                key = (group, start, length, tours.weekdays[d])
                least[key] = min(least.get(key, float("inf")), rc)
    return least


#: Relative margin below the floor, against the LP's tolerances.
RC_MARGIN = 1e-7
