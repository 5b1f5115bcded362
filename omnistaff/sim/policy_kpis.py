"""The routing policies' KPIs: call-backs offered and accepted, redials and interruptions per
channel, and each group's occupancy against its cap.

Counted over the observation window (from time 0 to the horizon's end) by when each happened;
a channel without the policy shows zeros. They are added to a run's summaries only when the
scenario uses the policy, so other runs' frames are as they were.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.engine import Model


def _count(events: list[tuple[int, float]], channels: int, end: float) -> np.ndarray:
    seen = [c for c, when in events if 0 <= when < end]
    return np.bincount(np.asarray(seen, dtype=np.int64), minlength=channels).astype(float)


def add_channel_policies(frame: pd.DataFrame, by_interval: pd.DataFrame, model: Model,
                         scenario: Scenario) -> pd.DataFrame:
    """The per-channel summary with `callbacks_offered`, `called_back` (accepted),
    `callback_accept_rate`, `redials` and `interrupted` where the scenario has them."""
    returns = getattr(model, "returns", None)
    if returns is None:
        return frame
    n, end = len(scenario.channels), scenario.horizon.seconds
    frame = frame.copy()
    if any(c.callback is not None for c in scenario.channels.values()):
        frame["callbacks_offered"] = _count(returns.offers, n, end)
        frame["called_back"] = by_interval.groupby("channel", sort=False)["called_back"].sum(
        ).reindex(frame.index).to_numpy(dtype=float)
        frame["callback_accept_rate"] = frame["called_back"] / frame["callbacks_offered"].where(
            frame["callbacks_offered"] > 0)
    if any(c.redial is not None for c in scenario.channels.values()):
        frame["redials"] = _count(returns.redials, n, end)
    if scenario.routing.preemption:
        frame["interrupted"] = _count(model.interruptions, n, end)  # type: ignore[attr-defined]
    return frame


def add_group_caps(frame: pd.DataFrame, by_group: pd.DataFrame,
                   scenario: Scenario) -> pd.DataFrame:
    """The per-group summary with `max_occupancy` and `intervals_over_cap` (the share of
    staffed intervals whose occupancy exceeded it) where some group sets a cap."""
    caps = {name: g.max_occupancy for name, g in scenario.groups.items()}
    if all(cap is None for cap in caps.values()):
        return frame
    frame = frame.copy()
    frame["max_occupancy"] = [np.nan if caps[g] is None else caps[g] for g in frame.index]
    over = []
    for name in frame.index:
        rows = by_group[(by_group["group"] == name) & (by_group["staffed_seconds"] > 1e-9)]
        cap = caps[name]
        over.append(np.nan if cap is None or rows.empty
                    else float((rows["occupancy"] > cap + 1e-12).mean()))
    frame["intervals_over_cap"] = over
    return frame
