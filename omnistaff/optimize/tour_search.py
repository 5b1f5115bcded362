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
