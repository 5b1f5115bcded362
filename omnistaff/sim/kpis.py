"""KPIs from a run's records: per interval x channel and per interval x group frames.

Contacts are counted in the interval they arrived in; time-weighted figures (agents staffed,
busy, held) integrate the engine's load log, and the contacts held alone that it leaves out,
over each interval of the observation window. Every channel is counted at once over cells
`channel * intervals + interval`, so the work is a few numpy passes over the records whatever
the number of channels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.records import (
    ABANDONED,
    ANSWERED,
    BALKED,
    EXPIRED,
    OUTCOMES,
    QUEUED,
    WAITING,
    ContactRecords,
    Escalation,
)
from omnistaff.sim.reuse import per_scenario
from omnistaff.sim.state import LOAD_CHANGES, LoadLog


def contact_frame(records: ContactRecords, scenario: Scenario) -> pd.DataFrame:
    """One row per contact, warm-up included: channel, arrival, outcome, left, wait, group,
    priority, and work (agent-seconds of an answered contact, after proficiency, with
    wrap-up; 0 otherwise)."""
    return pd.DataFrame({
        "channel": pd.Categorical.from_codes(records.channel, categories=list(scenario.channels)),
        "arrival": records.arrival,
        "outcome": pd.Categorical.from_codes(records.outcome, categories=OUTCOMES),
        "left_queue": records.left_queue,
        "wait": records.wait,
        "group": pd.Categorical.from_codes(records.group, categories=list(scenario.groups)),
        "priority": records.priority,
        "work": records.work,
    })


def interval_frame(scenario: Scenario) -> pd.DataFrame:
    """The leading columns of every per-interval frame: interval index, day, weekday and
    clock time of each reporting interval (from the horizon's calendar)."""
    horizon = scenario.horizon
    k = np.arange(horizon.intervals)
    day = k // horizon.intervals_per_day
    return pd.DataFrame({
        "interval": k,
        "day": day,
        "weekday": np.asarray(horizon.weekdays(), dtype=object)[day],
        "time": [horizon.clock(i) for i in range(horizon.intervals_per_day)] * horizon.days,
    })


def labelled(key: str, names: list[str], scenario: Scenario) -> dict[str, np.ndarray]:
    """`_labelled`, made once per scenario (see `reuse`): a copy of the dict of columns."""
    return dict(_labels_of(scenario, key, tuple(names)))


@per_scenario
def _labels_of(scenario: Scenario, key: str, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    return _labelled(key, list(names), scenario)


def _labelled(key: str, names: list[str], scenario: Scenario) -> dict[str, np.ndarray]:
    """The leading columns of a per interval x channel (group) frame, `names` outermost."""
    labels = interval_frame(scenario)
    columns = {key: np.repeat(np.asarray(names, dtype=object), len(labels))}
    columns.update({c: np.tile(labels[c].to_numpy(), len(names)) for c in labels.columns})
    return columns


def channel_intervals(
    records: ContactRecords, escalations: list[Escalation], scenario: Scenario
) -> pd.DataFrame:
    """Per interval x channel: counts by outcome, SL, ASA, response mean and p90, backlog."""
    columns = labelled("channel", list(scenario.channels), scenario)
    columns.update(channel_interval_columns(records, escalations, scenario))
    return pd.DataFrame(columns)


def channel_interval_columns(
    records: ContactRecords, escalations: list[Escalation], scenario: Scenario
) -> dict[str, np.ndarray]:
    """The KPI columns of `channel_intervals`, one value per cell `channel * intervals +
    interval`, without the label columns (what replications stack)."""
    horizon = scenario.horizon
    names = list(scenario.channels)
    n, cells = horizon.intervals, len(names) * horizon.intervals
    k = records.arrival // horizon.interval_seconds
    seen = (records.arrival >= 0) & (k < n)
    cell = (records.channel[seen] * n + k[seen]).astype(np.int64)
    codes = records.outcome[seen]
    columns: dict[str, np.ndarray] = {}
    columns["offered"] = np.bincount(cell, minlength=cells)
    by_outcome = np.bincount(cell * len(OUTCOMES) + codes, minlength=cells * len(OUTCOMES))
    for code, outcome in enumerate(OUTCOMES):
        columns[outcome] = by_outcome[code::len(OUTCOMES)]
    columns["escalated"] = _escalated(escalations, n, cells, horizon.interval_seconds)
    thresholds = np.array([spec.sla.threshold for spec in scenario.channels.values()])
    columns.update(_service_level(columns, cell, codes, records.wait[seen],
                                  records.arrival[seen], thresholds[records.channel[seen]],
                                  scenario))
    columns.update(_waits(cell, codes, records.wait[seen], cells))
    columns["backlog_end"] = np.concatenate(
        [_backlog(records, c, scenario) for c in range(len(names))])
    return columns


def _escalated(escalations: list[Escalation], n: int, cells: int, size: float) -> np.ndarray:
    """Escalations per cell of their source contact's arrival (observed window only)."""
    count = len(escalations)
    channel = np.fromiter((e.channel for e in escalations), np.int64, count)
    arrival = np.fromiter((e.arrival for e in escalations), np.float64, count)
    k = arrival // size
    seen = (arrival >= 0) & (k < n)
    return np.bincount(channel[seen] * n + k[seen].astype(np.int64), minlength=cells)


def _service_level(columns: dict[str, np.ndarray], cell: np.ndarray, codes: np.ndarray,
                   wait: np.ndarray, arrival: np.ndarray, threshold: np.ndarray,
                   scenario: Scenario) -> dict[str, np.ndarray]:
    cells = len(columns["offered"])
    answered = codes == ANSWERED
    lost = _among(codes, (ABANDONED, BALKED, EXPIRED))
    late = (codes == WAITING) & (scenario.horizon.seconds - arrival > threshold)
    short = lost & (wait <= threshold)
    count = lambda mask: np.bincount(cell[mask], minlength=cells)  # noqa: E731
    within = count(answered & (wait <= threshold))
    definition = scenario.reporting.service_level
    if definition == "ignore_abandons":
        base = count(answered)
    elif definition == "ignore_short_abandons":
        base = count(answered | lost | late) - count(short)
    else:
        base = count(answered | lost | late)
    entered = columns["offered"] - columns["deflected"] - columns["triaged_out"]
    return {
        "answered_within_sla": within,
        "sla_base": base,
        "service_level": np.divide(within, base, out=np.full(cells, np.nan), where=base > 0),
        "abandon_rate": np.divide(count(lost), entered, out=np.full(cells, np.nan),
                                  where=entered > 0),
    }


def _waits(cell: np.ndarray, codes: np.ndarray, wait: np.ndarray,
           cells: int) -> dict[str, np.ndarray]:
    answered = codes == ANSWERED
    count = np.bincount(cell[answered], minlength=cells)
    total = np.bincount(cell[answered], weights=wait[answered], minlength=cells)
    mean = np.divide(total, count, out=np.full(cells, np.nan), where=count > 0)
    p90 = group_quantile(wait[answered], cell[answered], cells, 0.9)
    return {"asa_seconds": mean, "response_mean_seconds": mean,
            "response_p90_seconds": p90}


def group_quantile(values: np.ndarray, groups: np.ndarray, size: int, q: float) -> np.ndarray:
    """Per group 0..size-1, the q-quantile of its values by linear interpolation (NaN for a
    group without values): the arithmetic of pandas' `groupby().quantile(q)`, value for
    value, in a few numpy passes instead of a groupby."""
    order = np.lexsort((values, groups))
    ordered, counts = values[order], np.bincount(groups, minlength=size)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    known = counts > 0
    position = q * (counts[known] - 1).astype(np.float64)
    low = starts[known] + position.astype(np.int64)
    frac = position % 1
    value = ordered[low]
    step = frac != 0.0
    value[step] += (ordered[low[step] + 1] - value[step]) * frac[step]
    out = np.full(size, np.nan)
    out[known] = value
    return out


def _among(codes: np.ndarray, outcomes: tuple[int, ...]) -> np.ndarray:
    """Whether each code is one of a few outcomes (`np.isin`, quicker for a handful)."""
    found = codes == outcomes[0]
    for outcome in outcomes[1:]:
        found |= codes == outcome
    return found


def _backlog(records: ContactRecords, channel: int, scenario: Scenario) -> np.ndarray:
    """A channel's contacts waiting in the queue at the end of each interval."""
    queued = (records.channel == channel) & _among(records.outcome, QUEUED)
    ends = (np.arange(scenario.horizon.intervals) + 1) * scenario.horizon.interval_seconds
    arrived = np.searchsorted(records.arrival[queued], ends, side="right")  # in arrival order
    left = np.searchsorted(np.sort(records.left_queue[queued], kind="stable"), ends,
                           side="right")  # stable: a merge of runs, fast on nearly sorted
    return arrived - left


def group_intervals(loads: list[LoadLog], exclusive: list[tuple[np.ndarray, np.ndarray]],
                    scenario: Scenario) -> pd.DataFrame:
    """Per interval x group: agents staffed, busy and held (see `group_interval_columns`)."""
    columns = labelled("group", list(scenario.groups), scenario)
    columns.update(group_interval_columns(loads, exclusive, scenario))
    return pd.DataFrame(columns)


def group_interval_columns(loads: list[LoadLog],
                           exclusive: list[tuple[np.ndarray, np.ndarray]],
                           scenario: Scenario) -> dict[str, np.ndarray]:
    """Per interval x group: agents staffed (on queue), busy and held agent-seconds,
    occupancy and mean concurrency, over the observation window only.

    `exclusive` holds, per group, the start and end times of the contacts its agents held
    alone (limit 1): the engine does not log those; their records tell (`exclusive_work`).
    """
    horizon = scenario.horizon
    edges = np.arange(horizon.intervals + 1) * horizon.interval_seconds
    alone = ((0, 1, 1), (0, -1, -1))  # (staffed, busy, held) change at a start and an end
    per_group = []
    for load, work in zip(loads, exclusive, strict=True):
        steps = [(_binned(times, edges), change) for times, change in
                 zip((*load.kinds(), *work), LOAD_CHANGES + alone, strict=True)]
        per_group.append([_integral([(binned, change[metric]) for binned, change in steps],
                                    len(edges) - 1, edges[1] - edges[0])
                          for metric in range(3)])
    staffed, busy, held = (np.concatenate([metrics[metric] for metrics in per_group])
                           for metric in range(3))
    columns: dict[str, np.ndarray] = {}
    columns["staffed"] = staffed / horizon.interval_seconds
    columns["staffed_seconds"] = staffed
    columns["busy_seconds"] = busy
    columns["held_seconds"] = held
    columns["occupancy"] = np.divide(busy, staffed, out=np.full(len(busy), np.nan),
                                     where=staffed > 1e-9)
    columns["mean_concurrency"] = np.divide(held, busy, out=np.full(len(busy), np.nan),
                                            where=busy > 1e-9)
    return columns


def exclusive_work(records: ContactRecords,
                   rates: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per group, start and end times of the answered contacts its agents held alone, on a
    route with limit 1 (`rates[channel, group]` > 0, see `Model.alone_rates`): each ends
    work / rate after it starts, the time the engine scheduled its completion for."""
    rate = rates[records.channel, np.maximum(records.group, 0)]
    alone = (records.outcome == ANSWERED) & (rate > 0)
    work = []
    for group in range(rates.shape[1]):
        taken = alone & (records.group == group)
        starts = records.left_queue[taken]
        work.append((starts, starts + records.work[taken] / rate[taken]))
    return work


#: Changes at given times, binned by interval: (changes before the first interval, per
#: interval the time from each change to the interval's end, summed, and the changes).
Binned = tuple[int, np.ndarray, np.ndarray] | None


def _binned(times: Sequence[float], edges: np.ndarray) -> Binned:
    """`times` binned into the intervals [edges[k], edges[k+1]) (None if there are none):
    what `_integral` needs of them, computed once for every level they move."""
    if not len(times):
        return None
    size, n = edges[1] - edges[0], len(edges) - 1
    at = np.asarray(times, dtype=float)
    k = np.floor((at - edges[0]) / size)
    before = np.count_nonzero(k < 0)
    inside = (k >= 0) & (k < n)
    k, at = k[inside].astype(np.int64), at[inside]
    return before, np.bincount(k, weights=edges[k + 1] - at, minlength=n), np.bincount(
        k, minlength=n)


def _integral(steps: list[tuple[Binned, int]], n: int, size: float) -> np.ndarray:
    """Integral over each of `n` intervals of length `size` of a level that starts at 0 and
    moves by `delta` at each of the times binned in `steps` (`_binned`): a change inside an
    interval counts from its time to the interval's end, and in full in every later one.
    """
    partial, moved, level = np.zeros(n), np.zeros(n), 0.0
    for binned, delta in steps:
        if not delta or binned is None:
            continue
        before, to_end, count = binned
        level += delta * before
        partial += delta * to_end
        moved += delta * count
    levels = level + np.concatenate(([0.0], np.cumsum(moved[:-1])))
    return partial + levels * size


def paid_seconds(roster: list, worked: list[tuple], scenario: Scenario) -> dict[str, float]:
    """Paid agent-seconds per group within the horizon: scheduled paid time plus overtime.

    Each present agent-shift's paid time within the horizon, then each one's overtime, added
    up per group in that order (`np.bincount` adds its weights one by one, in order: the
    sums of a loop, in a few passes however many agent-shifts)."""
    end = scenario.horizon.seconds
    index = {name: i for i, name in enumerate(scenario.groups)}
    present = [shift for shift in roster if not shift.absent]
    groups: list[int] = []
    terms: list[np.ndarray] = []
    if present:
        names, login, logout, paid = _columns(present, 4)
        groups += [index[name] for name in names]
        overlap = np.maximum(0.0, np.minimum(logout, end) - np.maximum(login, 0.0))
        terms.append(paid * overlap / (logout - login))
    if worked:
        names, _, logout, actual, _ = _columns(worked, 5)
        groups += [index[name] for name in names]
        terms.append(np.maximum(0.0, np.minimum(actual, end) - np.maximum(logout, 0.0)))
    if not groups:
        return dict.fromkeys(scenario.groups, 0.0)
    sums = np.bincount(np.asarray(groups, dtype=np.int64), weights=np.concatenate(terms),
                       minlength=len(index))
    return {name: float(total) for name, total in zip(scenario.groups, sums, strict=True)}


def _columns(rows: list, count: int) -> list:
    """The first `count` fields of equal tuples as columns: the first as a tuple (names),
    the others as float arrays."""
    columns = list(zip(*rows, strict=True))[:count]
    return [columns[0], *(np.asarray(column, dtype=np.float64) for column in columns[1:])]
