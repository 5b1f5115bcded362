"""Occupancy caps judged in simulation, as SLAs are: a schedule holds a group's
`max_occupancy` when no interval's simulated load occupancy is clearly over it, and a round
raises staff where one is.

Why in the judging as well as in the model: the schedule model bounds the *planned* load
(`model._occupancy_cap`), but simulation routes differently from the plan's allocations (an
idle omni-channel agent takes a call the plan gave to a specialist, live peaks come in
bursts), so a plan within its cap can still run a group over it. Deferred work is paced by
the router (`sim/pacing.py`); what is left over the cap is live work, and the remedy is
more agents where it happens, as for a missed SLA.

The measure is `load_occupancy` (each contact held counts 1 / its route's limit), the one
the requirements and the model plan with. An interval is clearly over when the one-sided
lower confidence bound of its mean over replications, Bonferroni-corrected over the group's
judged intervals of the day, is above the cap; intervals with less than one agent on queue
on average (agents finishing a contact past their shift's end) are not judged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from omnistaff.optimize.requirements import Requirements
from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.experiment import Replications
from omnistaff.sim.stats import one_sided_half_widths

#: Intervals with fewer agents on queue than this, on average, are not judged.
LEAST_STAFFED = 1.0

COLUMNS = ["group", "interval", "load_occupancy", "lower_bound", "replications", "staffed",
           "max_occupancy", "over"]


def cap_verdicts(runs: Replications, scenario: Scenario, confidence: float) -> pd.DataFrame:
    """Per capped group and judged interval: mean load occupancy over the replications in
    which it was staffed, its one-sided lower bound (Bonferroni over the group's judged
    intervals of each day), replications, mean agents on queue, the cap, and `over`."""
    caps = {n: g.max_occupancy for n, g in scenario.groups.items()
            if g.max_occupancy is not None}
    frames = [r.group_intervals for r in runs.results]
    if not caps or not frames or "load_occupancy" not in frames[0]:
        return pd.DataFrame(columns=COLUMNS)
    stacked = pd.concat([f.loc[f["group"].isin(caps), ["group", "interval", "staffed",
                                                        "load_occupancy"]]
                         for f in frames], ignore_index=True)
    grouped = stacked.groupby(["group", "interval"], sort=True)
    table = grouped["load_occupancy"].agg(["mean", "std", "count"]).reset_index()
    table.columns = ["group", "interval", "load_occupancy", "sd", "replications"]
    table["staffed"] = grouped["staffed"].mean().to_numpy()
    table = table[(table["staffed"] >= LEAST_STAFFED) & (table["replications"] >= 2)].copy()
    day = table["interval"] // scenario.horizon.intervals_per_day
    tests = table.groupby([table["group"], day])["interval"].transform("count").clip(lower=1)
    corrected = 1 - (1 - confidence) / tests.to_numpy(dtype=float)
    half = one_sided_half_widths(table["sd"].fillna(0).to_numpy(),
                                 table["replications"].to_numpy(dtype=float), corrected)
    table["lower_bound"] = table["load_occupancy"] - half
    table["max_occupancy"] = table["group"].map(caps)
    table["over"] = table["lower_bound"] > table["max_occupancy"] + 1e-9
    return table[COLUMNS].reset_index(drop=True)


def caps_held(caps: pd.DataFrame) -> bool:
    """Whether no judged interval of a capped group is clearly over its cap."""
    return not bool(caps["over"].any()) if len(caps) else True


def over_cap(caps: pd.DataFrame) -> dict[str, int]:
    """Per group with some: its judged intervals clearly over its cap."""
    if not len(caps):
        return {}
    counts = caps.loc[caps["over"], "group"].value_counts()
    return {str(g): int(n) for g, n in counts.items()}


def raise_over_cap(scenario: Scenario, requirements: Requirements, caps: pd.DataFrame,
                   raised: dict[str, int]) -> tuple[dict[str, int], Requirements]:
    """Requirements with more agents where a group was clearly over its cap: for each such
    interval, the group's most preferred live channel that needs agents there gets the
    agents that would bring the group's load to its cap if it kept its load (at least one),
    or, where that interval was raised before, as many as were raised there so far if more
    (so a repeated miss doubles its raise: a group that others overflow to, or that is
    tried first, takes on more load as it grows); a group serving no live channel there
    gets that interval's deferred work due sooner. `raised` (intervals raised per channel)
    with these counted in."""
    over = caps[caps["over"]] if len(caps) else caps
    if over.empty:
        return raised, requirements
    more: dict[str, dict[int, float]] = {}
    sooner: dict[str, set[int]] = {}
    for row in over.itertuples():
        group = scenario.groups[row.group]
        agents = max(1.0, float(np.ceil(row.staffed * (row.load_occupancy - row.max_occupancy)
                                        / row.max_occupancy)))
        t = int(row.interval)
        live = [s.channel for s in group.skills if s.channel in requirements.required
                and requirements.required[s.channel][t] > 0]
        if live:
            c = live[0]
            before = float(requirements.required[c][t] - requirements.erlang[c][t])
            more.setdefault(c, {})
            more[c][t] = max(more[c].get(t, 0.0), agents, before)
            continue
        for s in group.skills:
            if s.channel in requirements.work:
                sooner.setdefault(s.channel, set()).add(t)
    raised = dict(raised)
    for channel, by_interval in more.items():
        intervals = np.array(sorted(by_interval), dtype=int)
        requirements = requirements.raised(channel, intervals,
                                           np.array([by_interval[t] for t in intervals]))
        raised[channel] = raised.get(channel, 0) + len(intervals)
    for channel, intervals_set in sooner.items():
        intervals = np.array(sorted(intervals_set), dtype=int)
        requirements = requirements.tightened(channel, intervals)
        raised[channel] = raised.get(channel, 0) + len(intervals)
    return raised, requirements
