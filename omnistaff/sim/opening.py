"""When a channel next opens: contacts escalated to a channel while it is closed wait for its
next opening rather than reach an empty queue."""

from __future__ import annotations

import math

from omnistaff.scenarios.channel import Hours
from omnistaff.scenarios.units import WEEKDAYS, clock_seconds

DAY = 86400.0


def opening_delay(hours: Hours | None, first_weekday: str, now: float) -> float:
    """Seconds from `now` (seconds from the start of the horizon, negative in the warm-up) until
    a channel with these hours is open: 0 while it is open, or when it has no hours (24/7) or
    no open day."""
    if hours is None or not hours.days:
        return 0.0
    opens, closes = clock_seconds(hours.open), clock_seconds(hours.close) or DAY
    first = WEEKDAYS.index(first_weekday)
    open_days = {WEEKDAYS.index(d) for d in hours.days}
    today = math.floor(now / DAY)
    for day in range(today, today + 8):
        if (first + day) % 7 in open_days and now < day * DAY + closes:
            return max(0.0, day * DAY + opens - now)
    return 0.0
