"""The routing policies' KPIs: call-backs offered and accepted, redials and interruptions per
channel, and each group's occupancy against its cap.

Counted over the observation window (from time 0 to the horizon's end) by when each happened;
a channel without the policy shows zeros. They are added to a run's totals (the columns of
`SimResult.channels` and `.groups`) only when the scenario uses the policy, so other runs'
frames are as they were.
"""

from __future__ import annotations

import numpy as np

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.engine import Model

Columns = dict[str, np.ndarray]


def _count(events: list[tuple[int, float]], channels: int, end: float) -> np.ndarray:
    seen = [c for c, when in events if 0 <= when < end]
    return np.bincount(np.asarray(seen, dtype=np.int64), minlength=channels).astype(float)


def add_channel_policies(totals: Columns, by_interval: Columns, model: Model,
                         scenario: Scenario) -> Columns:
    """Per-channel totals with `callbacks_offered`, `called_back` (accepted),
    `callback_accept_rate`, `redials` and `interrupted` where the scenario has them."""
    returns = getattr(model, "returns", None)
    if returns is None:
        return totals
    n, end = len(scenario.channels), scenario.horizon.seconds
    totals = dict(totals)
    if any(c.callback is not None for c in scenario.channels.values()):
        offered = _count(returns.offers, n, end)
        accepted = np.asarray(by_interval["called_back"]).reshape(n, -1).sum(axis=1)
        totals["callbacks_offered"] = offered
        totals["called_back"] = accepted.astype(float)
        totals["callback_accept_rate"] = np.divide(
            accepted, offered, out=np.full(n, np.nan), where=offered > 0)
    if any(c.redial is not None for c in scenario.channels.values()):
        totals["redials"] = _count(returns.redials, n, end)
    if scenario.routing.preemption:
        totals["interrupted"] = _count(model.interruptions, n, end)  # type: ignore[attr-defined]
    return totals


def add_group_caps(totals: Columns, by_group: Columns, scenario: Scenario) -> Columns:
    """Per-group totals with `max_occupancy` and `intervals_over_cap` (the share of staffed
    intervals whose occupancy exceeded it) where some group sets a cap."""
    caps = [g.max_occupancy for g in scenario.groups.values()]
    if all(cap is None for cap in caps):
        return totals
    count = len(caps)
    occupancy = np.asarray(by_group["occupancy"]).reshape(count, -1)
    staffed = np.asarray(by_group["staffed_seconds"]).reshape(count, -1) > 1e-9
    over = np.full(count, np.nan)
    for g, cap in enumerate(caps):
        if cap is not None and staffed[g].any():
            over[g] = float(np.mean(occupancy[g][staffed[g]] > cap + 1e-12))
    totals = dict(totals)
    totals["max_occupancy"] = np.array([np.nan if c is None else c for c in caps])
    totals["intervals_over_cap"] = over
    return totals
