"""The observation window of a run's summaries and the per-contact figures read over it: the
intervals `reporting.open_hours` covers (all by default), the contacts that arrived in them,
the mean wait over every contact and the pooled 90th percentile of answered waits."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from omnistaff.scenarios.observation import open_intervals
from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.records import ABANDONED, ANSWERED, EXPIRED, ContactRecords

#: Outcomes of contacts that joined a queue and left it before the end.
LEFT_QUEUE_OUTCOMES = (ANSWERED, ABANDONED, EXPIRED)


def observed(scenario: Scenario, drain: float = 0.0) -> np.ndarray:
    """The reporting intervals the summaries cover: the opening hours (and `drain` after
    each closing) when `reporting.open_hours` is given, else every one."""
    return open_intervals(scenario.reporting.open_hours, scenario.horizon, drain)


def within(values: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """The columns (intervals) of a rows x intervals array that are observed; the array
    itself, untouched (so sums add up in the same order as ever), when every one is."""
    return values if mask is None or mask.all() else values[:, mask]


def arrived_while_open(records: ContactRecords, scenario: Scenario,
                       mask: np.ndarray) -> ContactRecords:
    """The records of contacts that arrived in an observed interval (those before the
    horizon are kept: readers leave them out by `arrival >= 0`); all of them when every
    interval is observed."""
    if mask.all():
        return records
    k = (records.arrival // scenario.horizon.interval_seconds).astype(np.int64)
    inside = (k >= 0) & (k < len(mask))
    keep = k < 0
    keep[inside] = mask[k[inside]]
    return replace(records, **{name: getattr(records, name)[keep] for name in (
        "channel", "arrival", "outcome", "left_queue", "group", "priority", "work")})


def mean_wait(records: ContactRecords, channels: int) -> np.ndarray:
    """Per channel: the mean time in queue of every contact that arrived in the horizon and
    left the queue (answered, abandoned or expired; an abandoned one waited until it left),
    the E[W] over all customers that Erlang A tables quote. Contacts still waiting at the
    end are left out (their wait is censored)."""
    left = (records.arrival >= 0) & np.isin(records.outcome, LEFT_QUEUE_OUTCOMES)
    count = np.bincount(records.channel[left], minlength=channels)
    total = np.bincount(records.channel[left], weights=records.wait[left], minlength=channels)
    return np.divide(total, count, out=np.full(channels, np.nan), where=count > 0)


def pooled_p90(records: ContactRecords) -> float:
    """The 90th percentile of every answered contact's wait, over all channels."""
    answered = (records.arrival >= 0) & (records.outcome == ANSWERED)
    return float(np.quantile(records.wait[answered], 0.9)) if answered.any() else np.nan
