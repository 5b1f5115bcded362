"""The outcome of one replication: tidy frames and per-channel and per-group summaries."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.engine import Model
from omnistaff.sim.kpis import (
    channel_interval_columns,
    contact_frame,
    exclusive_work,
    group_interval_columns,
    group_quantile,
    labelled,
    paid_seconds,
)
from omnistaff.sim.policy_kpis import (
    add_channel_policies,
    add_concurrency_limits,
    add_group_caps,
    add_load_occupancy,
)
from omnistaff.sim.pooled import pooled_channels
from omnistaff.sim.records import ANSWERED, ContactRecords
from omnistaff.sim.roster import AgentShift
from omnistaff.sim.window import arrived_while_open, mean_wait, observed, pooled_p90, within

CHANNEL_COUNTS = ("offered", "answered", "abandoned", "expired", "deflected", "balked",
                  "blocked", "triaged_out", "waiting", "escalated", "answered_within_sla",
                  "sla_base")


@dataclass(frozen=True)
class ResultNumbers:
    """One replication's KPIs as numpy columns, before any frame is made: what replications
    stack (one frame for all of them, not one per replication) and what crosses processes.

    Channel (group) interval columns hold one value per cell `channel * intervals +
    interval`; totals one value per channel (group), in the scenario's order.
    """

    scenario: Scenario
    channel_cells: dict[str, np.ndarray]
    group_cells: dict[str, np.ndarray]
    channel_totals: dict[str, np.ndarray]
    group_totals: dict[str, np.ndarray]
    work_seconds: np.ndarray
    records: ContactRecords | None  # kept for the per-contact frame


class SimResult:
    """Frames of one replication. `channels` and `groups` hold one row of KPIs each.

    Made from frames, or from a replication's `ResultNumbers`, in which case each frame is
    built the first time it is read (a replication among hundreds is aggregated from its
    numbers and never builds one).
    """

    def __init__(self, scenario_name: str, seed: int, replication: int,
                 channel_intervals: pd.DataFrame | None = None,
                 group_intervals: pd.DataFrame | None = None,
                 channels: pd.DataFrame | None = None, groups: pd.DataFrame | None = None,
                 contacts: pd.DataFrame | None = None,
                 work_seconds: pd.DataFrame | None = None, *,
                 numbers: ResultNumbers | None = None,
                 pooled_p90: float = math.nan) -> None:
        self.scenario_name = scenario_name
        self.seed = seed
        self.replication = replication
        self.numbers = numbers
        #: The 90th percentile of every answered contact's wait, all channels pooled: the
        #: one figure of the pooled `total` the frames cannot give.
        self.pooled_p90 = pooled_p90
        self._frames = {"channel_intervals": channel_intervals,
                        "group_intervals": group_intervals, "channels": channels,
                        "groups": groups, "contacts": contacts, "work_seconds": work_seconds}

    def __getstate__(self) -> dict:
        """Pickled without the frames built from numbers (they are rebuilt on use)."""
        state = dict(self.__dict__)
        if self.numbers is not None:
            state["_frames"] = dict.fromkeys(self._frames)
        return state

    def _frame(self, name: str) -> pd.DataFrame | None:
        frame = self._frames[name]
        if frame is None and self.numbers is not None:
            frame = self._frames[name] = _FRAMES[name](self.numbers)
        return frame

    @property
    def channel_intervals(self) -> pd.DataFrame:
        """Per interval x channel: counts by outcome, SL, ASA, response, backlog."""
        return self._frame("channel_intervals")

    @property
    def group_intervals(self) -> pd.DataFrame:
        """Per interval x group: agents staffed, busy and held, occupancy, concurrency."""
        return self._frame("group_intervals")

    @property
    def channels(self) -> pd.DataFrame:
        return self._frame("channels")

    @property
    def groups(self) -> pd.DataFrame:
        return self._frame("groups")

    @property
    def contacts(self) -> pd.DataFrame | None:
        """One row per contact (when simulated with `contacts=True`), else None."""
        return self._frame("contacts")

    @property
    def total(self) -> pd.Series:
        """The channels pooled: counts summed, ratios over the summed parts."""
        return pooled_channels(self.channels, self.pooled_p90)

    @property
    def work_seconds(self) -> pd.DataFrame | None:
        """Handled work-seconds (after proficiency, with wrap-up), channels x groups, for
        contacts taken in the observation window: what costing splits paid time by."""
        return self._frame("work_seconds")


def build_result(scenario: Scenario, seed: int, replication: int, model: Model,
                 roster: list[AgentShift], worked: list[tuple], keep_contacts: bool) -> SimResult:
    records = ContactRecords.from_records(model.record_array(), len(scenario.channels),
                                          len(scenario.groups))
    by_interval = add_concurrency_limits(
        channel_interval_columns(records, model.escalations, scenario), scenario)
    by_group = add_load_occupancy(
        group_interval_columns([group.load for group in model.groups],
                               exclusive_work(records, model.alone_rates()), scenario),
        model, scenario)
    paid = paid_seconds(roster, worked, scenario)
    numbers = ResultNumbers(scenario, by_interval, by_group,
                            add_channel_policies(channel_summary(by_interval, records, scenario),
                                                 by_interval, model, scenario, records),
                            add_group_caps(group_summary(by_group, paid,
                                                         observed(scenario,
                                                                  scenario.reporting.drain)),
                                           by_group, scenario),
                            records.work_seconds, records if keep_contacts else None)
    p90 = pooled_p90(arrived_while_open(records, scenario, observed(scenario)))
    return SimResult(scenario.name, seed, replication, numbers=numbers, pooled_p90=p90)


def channel_summary(by_interval: dict[str, np.ndarray], records: ContactRecords,
                    scenario: Scenario) -> dict[str, np.ndarray]:
    """Per channel: totals over the horizon (its opening hours, when
    `reporting.open_hours` says) and the KPIs derived from them (the columns of
    `SimResult.channels`)."""
    count = len(scenario.channels)
    mask = observed(scenario)
    sums = {c: within(_per_row(by_interval[c], count), mask).sum(axis=1)
            for c in CHANNEL_COUNTS}
    records = arrived_while_open(records, scenario, mask)
    frame = {"handled" if c == "answered" else c: sums[c].astype(float)
             for c in CHANNEL_COUNTS}
    frame["service_level"] = _ratio(sums["answered_within_sla"], sums["sla_base"])
    lost = sums["abandoned"] + sums["balked"] + sums["expired"]
    entered = sums["offered"] - sums["deflected"] - sums["triaged_out"]
    frame["abandon_rate"] = _ratio(lost, entered)
    answered = (records.arrival >= 0) & (records.outcome == ANSWERED)
    waits, channel = records.wait[answered], records.channel[answered]
    answers = np.bincount(channel, minlength=count)
    total = np.bincount(channel, weights=waits, minlength=count)
    frame["asa_seconds"] = np.divide(total, answers, out=np.full(count, np.nan),
                                     where=answers > 0)
    frame["response_mean_seconds"] = frame["asa_seconds"]
    frame["response_p90_seconds"] = group_quantile(waits, channel, count, 0.9)
    frame["backlog_end"] = _per_row(by_interval["backlog_end"], count)[:, -1].astype(float)
    frame["mean_wait_seconds"] = mean_wait(records, count)
    return frame


def group_summary(by_group: dict[str, np.ndarray], paid: dict[str, float],
                  mask: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per group: hours staffed, busy (over the intervals of `mask`, default all) and paid;
    occupancy; mean concurrency (the columns of `SimResult.groups`)."""
    names = list(paid)  # the scenario's groups, in order, as in by_group
    staffed, busy, held = (within(_per_row(by_group[c], len(names)), mask).sum(axis=1)
                           for c in ("staffed_seconds", "busy_seconds", "held_seconds"))
    return {
        "staffed_hours": staffed / 3600,
        "busy_hours": busy / 3600,
        "paid_hours": np.array([paid[name] for name in names]) / 3600,
        "occupancy": _ratio(busy, staffed),
        "mean_concurrency": _ratio(held, busy),
    }


def _channel_frame(numbers: ResultNumbers) -> pd.DataFrame:
    return pd.DataFrame(numbers.channel_totals,
                        index=pd.Index(list(numbers.scenario.channels), name="channel"))


def _group_frame(numbers: ResultNumbers) -> pd.DataFrame:
    return pd.DataFrame(numbers.group_totals,
                        index=pd.Index(list(numbers.scenario.groups), name="group"))


def _channel_interval_frame(numbers: ResultNumbers) -> pd.DataFrame:
    names = list(numbers.scenario.channels)
    return pd.DataFrame({**labelled("channel", names, numbers.scenario),
                         **numbers.channel_cells})


def _group_interval_frame(numbers: ResultNumbers) -> pd.DataFrame:
    names = list(numbers.scenario.groups)
    return pd.DataFrame({**labelled("group", names, numbers.scenario),
                         **numbers.group_cells})


def _contact_frame(numbers: ResultNumbers) -> pd.DataFrame | None:
    if numbers.records is None:
        return None
    return contact_frame(numbers.records, numbers.scenario)


def _work_frame(numbers: ResultNumbers) -> pd.DataFrame:
    scenario = numbers.scenario
    return pd.DataFrame(numbers.work_seconds, index=pd.Index(list(scenario.channels),
                                                             name="channel"),
                        columns=list(scenario.groups))


def stack_numbers(numbers: list[ResultNumbers], frame: str) -> pd.DataFrame:
    """The replications' `frame` ('channels', 'groups', 'channel_intervals' or
    'group_intervals'), one below another, with the key columns the frames carry (`channel`
    or `group` first): the concatenation of their frames, made in one piece."""
    scenario = numbers[0].scenario
    scope = "channel" if frame.startswith("channel") else "group"
    names = list(scenario.channels if scope == "channel" else scenario.groups)
    if frame in ("channels", "groups"):
        labels = {scope: np.asarray(names, dtype=object)}
        values = [n.channel_totals if scope == "channel" else n.group_totals for n in numbers]
    else:
        labels = labelled(scope, names, scenario)
        values = [n.channel_cells if scope == "channel" else n.group_cells for n in numbers]
    columns = {key: np.tile(column, len(numbers)) for key, column in labels.items()}
    columns.update({kpi: np.concatenate([v[kpi] for v in values]) for kpi in values[0]})
    return pd.DataFrame(columns)


_FRAMES = {"channel_intervals": _channel_interval_frame, "group_intervals": _group_interval_frame,
           "channels": _channel_frame, "groups": _group_frame, "contacts": _contact_frame,
           "work_seconds": _work_frame}


def _per_row(column: np.ndarray, rows: int) -> np.ndarray:
    """A per interval x channel (group) column as a channels (groups) x intervals array."""
    return np.asarray(column).reshape(rows, -1)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    den = den.astype(float)
    return num.astype(float) / np.where(den > 0, den, np.nan)
