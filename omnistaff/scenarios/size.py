"""How much work a scenario asks for: expected contacts per replication and agents on the
roster at once, estimated from the scenario alone (an upper estimate, cheap to compute), so
that too large a run is refused at validation and a large one says how large before it
starts."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from omnistaff.scenarios.profiles import WEEKLY_SHAPES, intraday_weights

if TYPE_CHECKING:
    from omnistaff.scenarios.channel import Arrivals
    from omnistaff.scenarios.scenario import Horizon, Scenario

DAY = 86400.0


def expected_contacts(scenario: Scenario) -> dict[str, float]:
    """Expected contacts per replication by channel, escalations in (an upper estimate)."""
    own = {name: _arrivals(c.arrivals, scenario.horizon) for name, c in scenario.channels.items()}
    offered: dict[str, float] = {}

    def total(name: str, seen: frozenset[str]) -> float:
        if name not in offered:
            into = [(src, e.share) for src, c in scenario.channels.items() for e in c.escalation
                    if e.to == name and src not in seen]
            offered[name] = own[name] + sum(share * total(src, seen | {src})
                                            for src, share in into)
        return offered[name]

    return {name: total(name, frozenset({name})) for name in scenario.channels}


def agents_at_once(scenario: Scenario) -> int:
    """The most agents the staffing could have logged in at once (every shift overlapping)."""
    shifts = sum(shift.count for shift in scenario.staffing.shifts)
    return shifts + sum(max(counts, default=0) for counts in
                        scenario.staffing.per_interval.values())


def _arrivals(arrivals: Arrivals, horizon: Horizon) -> float:
    """Expected arrivals over the horizon (warm-up in), surges at the busiest time of day."""
    days = horizon.days + math.ceil(horizon.warmup / DAY)
    if arrivals.counts is not None:
        per_day = horizon.intervals_per_day
        mean_day = sum(arrivals.counts) / max(1, len(arrivals.counts)) * per_day
        peak = max(arrivals.counts, default=0) * per_day
    else:
        weights = (WEEKLY_SHAPES[arrivals.weekly] if isinstance(arrivals.weekly, str)
                   else arrivals.weekly)
        mean_day = arrivals.weekly_volume / 7 * 7 * max(weights) / max(sum(weights), 1e-12)
        shape = intraday_weights(arrivals.intraday)
        peak = mean_day * float(shape.max() / max(shape.mean(), 1e-12))
    extra = sum((s.multiplier - 1) * min(s.duration, DAY) / DAY * peak
                * (1 if isinstance(s.day, int) else math.ceil(days / 7))
                for s in arrivals.surges if s.multiplier > 1)
    return mean_day * days + extra
