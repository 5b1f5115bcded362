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


def restricted_gap(data: ScheduleData, gap: float, bound: float, exact: bool
                   ) -> tuple[float, float | None]:
    """The gap a restricted MIP of a plan in people is asked for, and the objective at which
    it may stop (None: no target).

    The MIP's own bound holds only for the options it keeps, and on a tour model HiGHS's root
    cuts raise it above the whole model's LP bound, so a MIP stopped at the gap asked of its
    own bound can return a schedule just outside that gap of the whole model's, which no
    wider MIP started from it improves (it is within their gap at once). So a MIP whose bound
    proves nothing for the whole model (not `exact`) stops instead at the first schedule
    within the gap of the whole model's bound (`target`), or at half the gap of its own, or
    at its node limit."""
    if data.tours is None or exact or not bound > float("-inf"):
        return gap, None
    return gap / 2, bound / (1 - gap) - TARGET_TOLERANCE * abs(bound)


#: Relative margin below the target objective, against rounding in the solver.
TARGET_TOLERANCE = 1e-7
