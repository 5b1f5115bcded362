"""Why no schedule fits, in words: which channel, which intervals, which limit, and what to change.

Two quick checks come first (no shift lets a skilled group work when a channel needs someone;
headcount limits below a requirement). Otherwise the elastic model, where every limit may give
at a high price, is solved as an LP, and what had to give is reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import pyomo.environ as pyo

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.model import build_model
from omnistaff.optimize.runner import run

#: Violations below this are solver noise.
TOLERANCE = 1e-5
#: Intervals named in a message before "and N more".
SHOWN = 3


def infeasibility_reasons(data: ScheduleData, solver: str, time_limit: float) -> list[str]:
    """Each reason no schedule meets the requirements within the limits, with its fix."""
    reasons = uncovered_reasons(data) or headcount_reasons(data)
    return reasons or elastic_reasons(data, solver, time_limit)


def uncovered_reasons(data: ScheduleData) -> list[str]:
    """Channels needing someone when no shift option of a skilled group is worked."""
    present = data.presence()
    reasons = []
    for c in [*data.live, *data.deferred]:
        groups = data.skilled(c)
        covered = np.zeros(data.intervals, dtype=bool)
        for g in groups:
            covered |= present.get(g, np.zeros(data.intervals, dtype=bool))
        bare = [t for t in _needed(data, c) if not covered[t]]
        if bare:
            reasons.append(
                f"channel '{c}' needs agents at {_when(data, bare)}, but no shift template lets "
                f"a group skilled for it ({', '.join(groups)}) work then; widen a template's "
                "start window, lengths or days (optimizer.templates) or its groups")
    return reasons


def headcount_reasons(data: ScheduleData) -> list[str]:
    """Live requirements above what the headcount limits of the groups serving them allow."""
    reasons = []
    for c in data.live:
        groups = data.skilled(c)
        if not groups or any(g not in data.headcount for g in groups):
            continue
        most = sum(data.headcount[g] * data.availability[g] * data.efficiency[(g, c)]
                   for g in groups)
        short = [t for t in range(data.intervals) if data.required.get((c, t), 0) > most + 1e-9]
        if short:
            worst = max(short, key=lambda t: data.required[(c, t)])
            limits = ", ".join(f"groups.{g}.max_headcount {data.headcount[g]}" for g in groups)
            reasons.append(
                f"channel '{c}' needs {data.required[(c, worst)]:.1f} agents on queue at "
                f"{data.labels[worst]} (and {len(short) - 1} other intervals), but its groups "
                f"can have at most {most:.1f} on queue ({limits}, less shrinkage and absence); "
                "raise max_headcount or add a skill to another group")
    return reasons


def elastic_reasons(data: ScheduleData, solver: str, time_limit: float) -> list[str]:
    """What had to give in the elastic model's cheapest plan."""
    model = build_model(data, elastic=True)
    outcome = run(model, solver, time_limit, relaxed=True)
    if not outcome.feasible:
        return [f"the solver could not analyse the model ({outcome.status}); try another "
                "solver or a longer optimizer.time_limit"]
    reasons = [*_gap_reasons(model, data), *_limit_reasons(model, data)]
    return reasons or ["the limits can be met only by fractions of agents; raise max_headcount, "
                       "optimizer.budget or optimizer.max_part_time_share slightly"]


def _gap_reasons(model: pyo.ConcreteModel, data: ScheduleData) -> list[str]:
    reasons = []
    for c, rows in _by_channel(model.coverage_gap).items():
        reasons.append(f"channel '{c}' is short of up to {max(rows.values()):.1f} agents on "
                       f"queue at {_when(data, rows)}; raise max_headcount, the budget, or "
                       "widen the shift templates")
    for c, rows in _by_channel(model.staff_gap).items():
        reasons.append(f"channel '{c}' cannot have its least number of agents on shift at "
                       f"{_when(data, rows)}; lower optimizer.min_agents or widen the templates")
    for c, rows in _by_channel(model.late_work).items():
        reasons.append(f"channel '{c}': work waiting at {_when(data, rows)} is past its "
                       "response window; raise max_headcount, the budget, or lengthen "
                       f"channels.{c}.sla.threshold")
    return reasons


def _limit_reasons(model: pyo.ConcreteModel, data: ScheduleData) -> list[str]:
    reasons = []
    for g, rows in _by_channel(model.headcount_gap).items():
        reasons.append(f"group '{g}' needs up to {data.headcount[g] + max(rows.values()):.1f} "
                       f"agents on shift at {_when(data, rows)}, above its max_headcount "
                       f"{data.headcount[g]}; raise groups.{g}.max_headcount")
    over = model.budget_gap.value or 0.0
    if over > TOLERANCE and data.budget is not None:
        reasons.append(f"optimizer.budget {data.budget:,.0f} is below the least cost of a "
                       f"schedule meeting the requirements, about {data.budget + over:,.0f} "
                       f"{data.currency}; raise the budget or lower an SLA target")
    if (model.part_time_gap.value or 0.0) > TOLERANCE:
        reasons.append(f"optimizer.max_part_time_share {data.max_part_time_share:g} cannot be "
                       "met within the other limits; raise it or allow more full-time shifts")
    return reasons


def _by_channel(gaps: pyo.Var) -> dict[str, dict[int, float]]:
    """Positive gaps by their first index (channel or group), then interval."""
    found: dict[str, dict[int, float]] = {}
    for (name, t), var in gaps.items():
        if (var.value or 0.0) > TOLERANCE:
            found.setdefault(name, {})[t] = var.value
    return found


def _needed(data: ScheduleData, channel: str) -> list[int]:
    """Intervals in which a channel needs agents on queue."""
    keys = (set(data.required) | set(data.min_agents)) if channel in data.live else set(
        data.min_agents)
    return sorted(t for c, t in keys if c == channel)


def _clock_after(data: ScheduleData, interval: int) -> str:
    """HH:MM at which an interval ends."""
    minutes = round((interval + 1) * data.interval_seconds / 60) % 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _when(data: ScheduleData, intervals: Iterable[int]) -> str:
    """'Sat 00:00-06:00, Sun 00:00-06:00 and 3 more': runs of consecutive intervals."""
    steps = sorted(intervals)
    runs = [[t for _, t in run] for _, run in itertools.groupby(
        enumerate(steps), key=lambda pair: pair[1] - pair[0])]
    texts = [f"{data.labels[r[0]]}-{_clock_after(data, r[-1])}" for r in runs]
    more = f" and {len(texts) - SHOWN} more" if len(texts) > SHOWN else ""
    return ", ".join(texts[:SHOWN]) + more
