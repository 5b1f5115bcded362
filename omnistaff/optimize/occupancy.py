"""Occupancy caps judged in simulation, as SLAs are: a schedule holds a group's
`max_occupancy` when every judged interval's simulated load occupancy is clearly within it,
and a round raises staff where one is not.

Why in the judging as well as in the model: the schedule model bounds the *planned* load
(`model._occupancy_cap`), but simulation routes differently from the plan's allocations (an
idle omni-channel agent takes a call the plan gave to a specialist, live peaks come in
bursts), so a plan within its cap can still run a group over it. Deferred work is paced by
the router to the cap less a margin (`sim/pacing.py`); what is left over the cap is live
work, and the remedy is more agents where it happens, as for a missed SLA.

The measure is `load_occupancy` (each contact held counts 1 / its route's limit), the one
the requirements and the model plan with. The rule mirrors the SLA's (`evaluate.py`), with
the cap in place of the target and the sides turned: an interval is `held` when the
one-sided upper confidence bound of its mean over replications is at or under the cap,
`over` when the lower bound is above it, and `unclear` otherwise; unclear intervals call
for more replications by the same sequential rule, and one still unclear at the cap on
replications counts as not held (a schedule passes only on clear evidence).

Both bounds are at the judging's confidence; the lower one, which raises an interval on
clear evidence, is also Bonferroni-corrected over the group's judged intervals of the day
(`stats.bonferroni`), the guard the SLA's interval raises use, so that with hundreds of
interval tests a round noise does not raise intervals at random. The upper one is not, as
an SLA period's verdict is not: correcting it would widen the unclear band and so raise
*more* intervals (those still unclear at the cap on replications), the opposite of what
the guard is for; on the slow loop test it left the rounds stuck short of the cap after 14
rounds (USD 12,960 a day) where the plain bound converged in 11 (USD 11,840). Intervals
with less than one agent on queue on average (agents finishing a contact past their
shift's end) are not judged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from omnistaff.optimize.requirements import Requirements
from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.experiment import Replications
from omnistaff.sim.stats import bonferroni, one_sided_half_widths

#: Intervals with fewer agents on queue than this, on average, are not judged.
LEAST_STAFFED = 1.0
#: Slack on the comparisons with the cap.
TOLERANCE = 1e-9

COLUMNS = ["group", "interval", "load_occupancy", "lower_bound", "upper_bound",
           "replications", "staffed", "max_occupancy", "verdict", "over"]


def cap_verdicts(runs: Replications, scenario: Scenario, confidence: float) -> pd.DataFrame:
    """Per capped group and judged interval: mean load occupancy over the replications in
    which it was staffed, its one-sided lower bound (Bonferroni over the group's judged
    intervals of each day) and upper bound, replications, mean agents on queue, the cap,
    the `verdict` (`held`, `over` or `unclear`) and `over` (the verdict is `over`)."""
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
    tests = table.groupby([table["group"], day])["interval"].transform("count")
    sd, n = table["sd"].fillna(0).to_numpy(), table["replications"].to_numpy(dtype=float)
    corrected = one_sided_half_widths(sd, n, bonferroni(confidence, tests.to_numpy(float)))
    table["lower_bound"] = table["load_occupancy"] - corrected
    table["upper_bound"] = table["load_occupancy"] + one_sided_half_widths(sd, n, confidence)
    table["max_occupancy"] = table["group"].map(caps)
    ceiling = table["max_occupancy"] + TOLERANCE
    table["verdict"] = np.where(table["upper_bound"] <= ceiling, "held",
                                np.where(table["lower_bound"] > ceiling, "over", "unclear"))
    table["over"] = table["verdict"] == "over"
    return table[COLUMNS].reset_index(drop=True)


def caps_held(caps: pd.DataFrame) -> bool:
    """Whether every judged interval of a capped group is clearly within its cap."""
    return bool((caps["verdict"] == "held").all()) if len(caps) else True


def over_cap(caps: pd.DataFrame) -> dict[str, int]:
    """Per group with some: its judged intervals clearly over its cap."""
    return _count(caps, "over")


def unclear_cap(caps: pd.DataFrame) -> dict[str, int]:
    """Per group with some: its judged intervals neither clearly within nor clearly over
    its cap (on the replications simulated)."""
    return _count(caps, "unclear")


def _count(caps: pd.DataFrame, verdict: str) -> dict[str, int]:
    if not len(caps):
        return {}
    counts = caps.loc[caps["verdict"] == verdict, "group"].value_counts()
    return {str(g): int(n) for g, n in counts.items()}


def to_raise(caps: pd.DataFrame, intervals_per_day: int, settled: bool = True
             ) -> pd.DataFrame:
    """The judged intervals a round raises, per group and day with some not held: those
    clearly over (a missed SLA period raises its clear misses first too); where none is,
    every unclear one (near the cap, each wants about an agent, and an agent's shift spans
    many intervals). Unclear intervals only when `settled` (judged on the most
    replications): a judging stopped early by a clear miss elsewhere leaves them to the
    next round's replications."""
    judged = caps if settled or not len(caps) else caps[caps["over"]]
    failing = judged[judged["verdict"] != "held"] if len(judged) else judged
    if failing.empty:
        return failing
    day = failing["interval"] // intervals_per_day
    clear = failing.groupby([failing["group"], day])["over"].transform("any")
    return failing[failing["over"] | ~clear]


def raise_over_cap(scenario: Scenario, requirements: Requirements, caps: pd.DataFrame,
                   raised: dict[str, int], settled: bool = True,
                   ) -> tuple[dict[str, int], Requirements]:
    """Requirements with more agents where a group's interval was not held (`to_raise`,
    unclear ones only when `settled`): for each such interval, the group's most preferred
    live channel that needs agents there gets the agents that would bring the group's load
    to its cap if it kept its load (at least one): its mean load where clearly over, its
    upper bound where unclear. Where the channel was raised there before, the next live
    channel in the group's order not yet raised there is raised instead (the load may be
    another channel's: raising phone adds phone specialists, not the omni agents busy with
    chat); where every one was, the one raised least. A clear excess raised before is
    raised by as many as were raised there so far if more (so a repeated excess doubles
    its raise: a group that others overflow to, or that is tried first, takes on more load
    as it grows); an unclear interval is near its cap, and its raise does not double. A
    group serving no live channel there gets that interval's deferred work due sooner.
    `raised` (intervals raised per channel) with these counted in."""
    over = to_raise(caps, scenario.horizon.intervals_per_day, settled)
    if over.empty:
        return raised, requirements
    more: dict[str, dict[int, float]] = {}
    sooner: dict[str, set[int]] = {}
    for row in over.itertuples():
        group = scenario.groups[row.group]
        level = row.load_occupancy if row.over else row.upper_bound
        agents = max(1.0, float(np.ceil(row.staffed * (level - row.max_occupancy)
                                        / row.max_occupancy)))
        t = int(row.interval)
        live = [s.channel for s in group.skills if s.channel in requirements.required
                and requirements.required[s.channel][t] > 0]
        if live:
            c, before = _least_raised(requirements, live, t)
            more.setdefault(c, {})
            more[c][t] = max(more[c].get(t, 0.0), agents, before if row.over else 0.0)
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


def _least_raised(requirements: Requirements, live: list[str], t: int) -> tuple[str, float]:
    """Of a group's live channels needing agents in interval t (in its order), the first
    not raised there yet, else the one raised least; and how much it was raised there."""
    raised = [float(requirements.required[c][t] - requirements.erlang[c][t]) for c in live]
    i = int(np.argmin([r if r > 1e-9 else 0.0 for r in raised]))
    return live[i], raised[i]
