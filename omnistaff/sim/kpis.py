"""KPIs from a run's records: per interval x channel and per interval x group frames.

Contacts are counted in the interval they arrived in; time-weighted figures (agents staffed,
busy, held) integrate the engine's load log over each interval of the observation window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.units import WEEKDAYS
from omnistaff.sim.state import (
    ABANDONED,
    ANSWERED,
    BALKED,
    EXPIRED,
    OUTCOMES,
    WAITING,
)

QUEUED = (ANSWERED, ABANDONED, EXPIRED, WAITING)
COUNT_COLUMNS = ("offered", *OUTCOMES, "escalated")


def contact_frame(records: list[tuple], scenario: Scenario) -> pd.DataFrame:
    """One row per contact, warm-up included: channel, arrival, outcome, left, wait, group."""
    data = np.asarray(records, dtype=float).reshape(-1, 6)
    channels, groups = list(scenario.channels), list(scenario.groups)
    frame = pd.DataFrame({
        "channel": pd.Categorical.from_codes(data[:, 0].astype(int), categories=channels),
        "arrival": data[:, 1],
        "outcome": pd.Categorical.from_codes(data[:, 2].astype(int), categories=OUTCOMES),
        "left_queue": data[:, 3],
        "wait": data[:, 3] - data[:, 1],
        "group": pd.Categorical.from_codes(data[:, 4].astype(int), categories=groups),
        "priority": data[:, 5].astype(int),
    })
    return frame.sort_values("arrival", kind="stable").reset_index(drop=True)


def interval_labels(scenario: Scenario) -> pd.DataFrame:
    """Interval index, day, weekday and clock time of each reporting interval."""
    horizon = scenario.horizon
    k = np.arange(horizon.intervals)
    day = k // horizon.intervals_per_day
    minutes = (k % horizon.intervals_per_day) * horizon.interval_minutes
    first = WEEKDAYS.index(horizon.start_weekday)
    return pd.DataFrame({
        "interval": k,
        "day": day,
        "weekday": [WEEKDAYS[(first + d) % 7] for d in day],
        "time": [f"{m // 60:02d}:{m % 60:02d}" for m in minutes],
    })


def channel_intervals(
    contacts: pd.DataFrame, escalations: list[tuple], scenario: Scenario
) -> pd.DataFrame:
    """Per interval x channel: counts by outcome, SL, ASA, response mean and p90, backlog."""
    horizon = scenario.horizon
    n = horizon.intervals
    frames = []
    esc = np.asarray(escalations, dtype=float).reshape(-1, 3)
    for ci, (name, spec) in enumerate(scenario.channels.items()):
        rows = contacts[contacts["channel"] == name]
        frame = interval_labels(scenario)
        frame.insert(0, "channel", name)
        observed = rows[rows["arrival"] >= 0]
        k = (observed["arrival"].to_numpy() // horizon.interval_seconds).astype(int)
        codes = observed["outcome"].cat.codes.to_numpy()
        wait = observed["wait"].to_numpy()
        frame["offered"] = np.bincount(k, minlength=n)[:n]
        for code, outcome in enumerate(OUTCOMES):
            frame[outcome] = np.bincount(k[codes == code], minlength=n)[:n]
        esc_k = esc[(esc[:, 0] == ci) & (esc[:, 1] >= 0), 1] // horizon.interval_seconds
        frame["escalated"] = np.bincount(esc_k.astype(int), minlength=n)[:n]
        _service_level(frame, k, codes, wait, observed["arrival"].to_numpy(), spec.sla.threshold,
                       scenario)
        _waits(frame, k, codes, wait)
        frame["backlog_end"] = _backlog(rows, scenario)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _service_level(frame: pd.DataFrame, k: np.ndarray, codes: np.ndarray, wait: np.ndarray,
                   arrival: np.ndarray, threshold: float, scenario: Scenario) -> None:
    n = len(frame)
    end = scenario.horizon.seconds
    answered = codes == ANSWERED
    lost = np.isin(codes, (ABANDONED, BALKED, EXPIRED))
    late = (codes == WAITING) & (end - arrival > threshold)
    short = lost & (wait <= threshold)
    within = np.bincount(k[answered & (wait <= threshold)], minlength=n)[:n]
    count = lambda mask: np.bincount(k[mask], minlength=n)[:n]  # noqa: E731
    definition = scenario.reporting.service_level
    if definition == "ignore_abandons":
        base = count(answered)
    elif definition == "ignore_short_abandons":
        base = count(answered | lost | late) - count(short)
    else:
        base = count(answered | lost | late)
    frame["answered_within_sla"] = within
    frame["sla_base"] = base
    frame["service_level"] = np.divide(within, base, out=np.full(n, np.nan), where=base > 0)
    frame["abandon_rate"] = np.divide(
        count(lost), frame["offered"] - frame["deflected"] - frame["triaged_out"],
        out=np.full(n, np.nan), where=(frame["offered"] - frame["deflected"]
                                       - frame["triaged_out"]).to_numpy() > 0)


def _waits(frame: pd.DataFrame, k: np.ndarray, codes: np.ndarray, wait: np.ndarray) -> None:
    n = len(frame)
    answered = codes == ANSWERED
    count = np.bincount(k[answered], minlength=n)[:n]
    total = np.bincount(k[answered], weights=wait[answered], minlength=n)[:n]
    mean = np.divide(total, count, out=np.full(n, np.nan), where=count > 0)
    frame["asa_seconds"] = mean
    frame["response_mean_seconds"] = mean
    p90 = pd.Series(wait[answered]).groupby(k[answered]).quantile(0.9)
    frame["response_p90_seconds"] = p90.reindex(range(n)).to_numpy()


def _backlog(rows: pd.DataFrame, scenario: Scenario) -> np.ndarray:
    """Contacts waiting in the queue at the end of each interval."""
    queued = rows[rows["outcome"].cat.codes.isin(QUEUED)]
    ends = (np.arange(scenario.horizon.intervals) + 1) * scenario.horizon.interval_seconds
    arrived = np.searchsorted(np.sort(queued["arrival"].to_numpy()), ends, side="right")
    left = np.searchsorted(np.sort(queued["left_queue"].to_numpy()), ends, side="right")
    return arrived - left


def group_intervals(load_log: list[tuple], scenario: Scenario) -> pd.DataFrame:
    """Per interval x group: agents staffed (on queue), busy and held agent-seconds,
    occupancy and mean concurrency, over the observation window only."""
    horizon = scenario.horizon
    edges = np.arange(horizon.intervals + 1) * horizon.interval_seconds
    log = np.asarray(load_log, dtype=float).reshape(-1, 5)
    frames = []
    for gi, name in enumerate(scenario.groups):
        rows = log[log[:, 1] == gi]
        frame = interval_labels(scenario)
        frame.insert(0, "group", name)
        staffed, busy, held = (_integrate(rows[:, 0], rows[:, col], edges) for col in (2, 3, 4))
        frame["staffed"] = staffed / horizon.interval_seconds
        frame["staffed_seconds"] = staffed
        frame["busy_seconds"] = busy
        frame["held_seconds"] = held
        frame["occupancy"] = np.divide(busy, staffed, out=np.full(len(busy), np.nan),
                                       where=staffed > 1e-9)
        frame["mean_concurrency"] = np.divide(held, busy, out=np.full(len(busy), np.nan),
                                              where=busy > 1e-9)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _integrate(times: np.ndarray, deltas: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Integral over each [edge_k, edge_k+1) of the step function with these jumps."""
    if times.size == 0:
        return np.zeros(len(edges) - 1)
    level = np.cumsum(deltas)
    area = np.concatenate(([0.0], np.cumsum(level[:-1] * np.diff(times))))
    i = np.searchsorted(times, edges, side="right") - 1
    before = i < 0
    i = np.clip(i, 0, None)
    at_edges = np.where(before, 0.0, area[i] + level[i] * (edges - times[i]))
    return np.diff(at_edges)


def paid_seconds(roster: list, worked: list[tuple], scenario: Scenario) -> dict[str, float]:
    """Paid agent-seconds per group within the horizon: scheduled paid time plus overtime."""
    end = scenario.horizon.seconds
    paid = dict.fromkeys(scenario.groups, 0.0)
    for shift in roster:
        if shift.absent:
            continue
        overlap = max(0.0, min(shift.logout, end) - max(shift.login, 0.0))
        paid[shift.group] += shift.paid_seconds * overlap / (shift.logout - shift.login)
    for group, _, logout, actual, _ in worked:
        paid[group] += max(0.0, min(actual, end) - max(logout, 0.0))
    return paid

