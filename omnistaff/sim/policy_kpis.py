"""The routing policies' KPIs: call-backs offered, accepted and served within their window,
redials and interruptions per channel, and each group's occupancy against its cap.

Counted over the observation window (from time 0 to the horizon's end) by when each happened;
a channel without the policy shows zeros. They are added to a run's totals (the columns of
`SimResult.channels` and `.groups`) only when the scenario uses the policy, so other runs'
frames are as they were.
"""

from __future__ import annotations

import numpy as np

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.concurrency_limits import interval_limits
from omnistaff.sim.engine import Model
from omnistaff.sim.records import ANSWERED, ContactRecords

Columns = dict[str, np.ndarray]
#: Per-channel policy KPIs, in the order tables show them; a run has those its scenario uses.
POLICY_CHANNEL_KPIS = ["callbacks_offered", "called_back", "callback_accept_rate",
                       "callbacks_in_window", "callback_window_share", "redials",
                       "interrupted"]
#: Per-group: the cap, the occupancy it counts (`load_occupancy`: each contact held as
#: 1 / its route's limit, see `sim/pacing.py`) and the share of staffed intervals over it.
POLICY_GROUP_KPIS = ["max_occupancy", "load_occupancy", "intervals_over_cap"]
#: The policy KPIs that count events, so a run without the policy has zero of them (the
#: others, rates and caps, have no value there).
POLICY_COUNTS = frozenset({"callbacks_offered", "called_back", "callbacks_in_window",
                           "redials", "interrupted"})


def present(columns: object, kpis: list[str]) -> list[str]:
    """The KPIs of `kpis` among `columns` (a frame's columns, a dict's keys), in order."""
    have = set(columns)  # type: ignore[call-overload]
    return [k for k in kpis if k in have]


def _count(events: list[tuple[int, float]], channels: int, end: float) -> np.ndarray:
    seen = [c for c, when in events if 0 <= when < end]
    return np.bincount(np.asarray(seen, dtype=np.int64), minlength=channels).astype(float)


def add_channel_policies(totals: Columns, by_interval: Columns, model: Model,
                         scenario: Scenario, records: ContactRecords) -> Columns:
    """Per-channel totals with `callbacks_offered`, `called_back` (accepted),
    `callback_accept_rate`, `callbacks_in_window` (call-backs whose first response came
    within the callback channel's SLA threshold, the promised window),
    `callback_window_share` (of those accepted), `redials` and `interrupted` where the
    scenario has them."""
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
        in_window = callbacks_in_window(returns.accepted, records, scenario)
        totals["callbacks_in_window"] = in_window
        totals["callback_window_share"] = np.divide(
            in_window, accepted, out=np.full(n, np.nan), where=accepted > 0)
    if any(c.redial is not None for c in scenario.channels.values()):
        totals["redials"] = _count(returns.redials, n, end)
    if scenario.routing.preemption:
        totals["interrupted"] = _count(model.interruptions, n, end)  # type: ignore[attr-defined]
    return totals


def callbacks_in_window(accepted: list[tuple[int, int, float]], records: ContactRecords,
                        scenario: Scenario) -> np.ndarray:
    """Per live channel: its call-backs accepted in the observation window (as `called_back`
    counts them, by the caller's arrival) that were answered within the callback channel's
    threshold. A call-back is found among the records as the callback channel's contact
    arriving at the moment the caller accepted (a fresh contact arriving at that very
    instant, a zero-probability event, would be taken for it)."""
    n, end = len(scenario.channels), scenario.horizon.seconds
    thresholds = np.array([c.sla.threshold for c in scenario.channels.values()])
    served = np.zeros(n)
    for target in {t for _, t, _ in accepted}:
        mine = np.flatnonzero(records.channel == target)
        order = np.argsort(records.arrival[mine], kind="stable")
        arrivals, rows = records.arrival[mine][order], mine[order]
        for origin, t, when in accepted:
            if t != target or not 0 <= when < end:
                continue
            at = int(np.searchsorted(arrivals, when))
            if at == len(arrivals) or arrivals[at] != when:
                continue
            row = rows[at]
            wait = records.left_queue[row] - when
            if records.outcome[row] == ANSWERED and wait <= thresholds[target]:
                served[origin] += 1
    return served


def add_concurrency_limits(by_interval: Columns, scenario: Scenario) -> Columns:
    """Per interval x channel columns with `concurrency_limit` (the most contacts of the
    channel an agent could hold in the interval) where some channel sets limits by period."""
    limits = interval_limits(scenario)
    if limits is None:
        return by_interval
    return {**by_interval, "concurrency_limit": np.concatenate(limits).astype(float)}


def add_load_occupancy(by_group: Columns, model: Model, scenario: Scenario) -> Columns:
    """Per interval x group columns with `load_occupancy` (the occupancy an occupancy cap
    counts, NaN for groups without one) where some group sets a cap."""
    pacing = getattr(model, "pacing", None)
    if pacing is None or not pacing.any:
        return by_group
    return {**by_group, "load_occupancy": pacing.load_occupancy(scenario.horizon.seconds)}


def add_group_caps(totals: Columns, by_group: Columns, scenario: Scenario) -> Columns:
    """Per-group totals with `max_occupancy`, `load_occupancy` (over the horizon, the
    intervals' load occupancy weighted by their staffed time) and `intervals_over_cap` (the
    share of staffed intervals whose load occupancy exceeded the cap) where some group sets
    a cap."""
    caps = [g.max_occupancy for g in scenario.groups.values()]
    if all(cap is None for cap in caps) or "load_occupancy" not in by_group:
        return totals
    count = len(caps)
    occupancy = np.asarray(by_group["load_occupancy"]).reshape(count, -1)
    seconds = np.asarray(by_group["staffed_seconds"]).reshape(count, -1)
    # intervals with agents taking work (those only finishing contacts are not counted)
    staffed = (seconds > 1e-9) & np.isfinite(occupancy)
    over, overall = np.full(count, np.nan), np.full(count, np.nan)
    for g, cap in enumerate(caps):
        if cap is not None and staffed[g].any():
            mine, weight = occupancy[g][staffed[g]], seconds[g][staffed[g]]
            over[g] = float(np.mean(mine > cap + 1e-12))
            overall[g] = float(np.sum(mine * weight) / weight.sum())
    totals = dict(totals)
    totals["max_occupancy"] = np.array([np.nan if c is None else c for c in caps])
    totals["load_occupancy"] = overall
    totals["intervals_over_cap"] = over
    return totals
