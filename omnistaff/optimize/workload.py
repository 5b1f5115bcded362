"""Expected queued contacts and agent work per channel and interval, as the engine would see
them: deflection and automated triage removed, agent triage added, escalations arriving on the
channels they continue on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from omnistaff.scenarios.channel import Channel
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.units import clock_seconds
from omnistaff.sim.demand import expected_per_interval


@dataclass(frozen=True)
class ChannelLoad:
    """One channel's expected queued contacts, work (agent-seconds at proficiency 1, one held
    at a time) and hours of operation, per interval."""

    contacts: np.ndarray
    work_seconds: np.ndarray
    open: np.ndarray


def channel_loads(scenario: Scenario) -> dict[str, ChannelLoad]:
    """Every channel's load, escalations included (chains are acyclic, so sources come first)."""
    escalated = {name: np.zeros(scenario.horizon.intervals) for name in scenario.channels}
    loads: dict[str, ChannelLoad] = {}
    for name in escalation_order(scenario):
        channel = scenario.channels[name]
        fresh, fresh_work = fresh_load(channel, scenario)
        inflow = escalated[name]
        contacts = fresh + inflow
        work = fresh * fresh_work + inflow * _handle_seconds(channel)
        loads[name] = ChannelLoad(contacts, work, open_intervals(channel, scenario))
        for link in channel.escalation:
            lag = _escalation_lag(channel, link.delay.mean)
            shift = round(lag / scenario.horizon.interval_seconds)
            escalated[link.to] += np.roll(_answered(channel, fresh, inflow) * link.share, shift)
    return {name: loads[name] for name in scenario.channels}


def fresh_load(channel: Channel, scenario: Scenario) -> tuple[np.ndarray, float]:
    """Fresh contacts that reach the queue per interval, and the work of each."""
    arrivals = expected_per_interval(channel.arrivals, scenario.horizon)
    if channel.deflection is not None:
        arrivals = arrivals * (1 - channel.deflection.share)
    work = _handle_seconds(channel)
    triage = channel.triage
    if triage is not None and triage.by == "automated":
        arrivals = arrivals * triage.actionable_share
    elif triage is not None:
        work = triage.seconds + triage.actionable_share * channel.handle_time.mean
        work += channel.after_contact_work
    return arrivals, work


def reference_throughput(channel: Channel) -> float:
    """Work a reference agent (full concurrency, proficiency 1) does per second: f(max)."""
    return channel.concurrency.curve()[channel.concurrency.max - 1]


def open_intervals(channel: Channel, scenario: Scenario) -> np.ndarray:
    """Intervals within the channel's hours of operation (all, for a 24/7 channel)."""
    horizon = scenario.horizon
    hours = channel.arrivals.hours
    if hours is None:
        return np.ones(horizon.intervals, dtype=bool)
    step = horizon.interval_seconds
    clock = (np.arange(horizon.intervals) % horizon.intervals_per_day) * step
    days = np.arange(horizon.intervals) // horizon.intervals_per_day
    weekday = np.asarray(horizon.weekdays())[days]
    close = clock_seconds(hours.close) or 86400
    inside = (clock + step > clock_seconds(hours.open)) & (clock < close)
    return inside & np.isin(weekday, list(hours.days))


def escalation_order(scenario: Scenario) -> list[str]:
    """Channel names with every escalation source before its targets."""
    order: list[str] = []
    remaining = list(scenario.channels)
    while remaining:
        targets = {e.to for name in remaining for e in scenario.channels[name].escalation}
        ready = [name for name in remaining if name not in targets]
        order += ready
        remaining = [name for name in remaining if name not in ready]
    return order


def _handle_seconds(channel: Channel) -> float:
    return channel.handle_time.mean + channel.after_contact_work


def _answered(channel: Channel, fresh: np.ndarray, inflow: np.ndarray) -> np.ndarray:
    """Contacts that are handled and may escalate: the actionable ones."""
    triage = channel.triage
    if triage is not None and triage.by == "agents":
        return fresh * triage.actionable_share + inflow
    return fresh + inflow


def _escalation_lag(channel: Channel, delay: float) -> float:
    """Typical time from arrival on the source to arrival on the target."""
    response = channel.sla.threshold / 2 if channel.mode == "deferred" else 0.0
    return response + _handle_seconds(channel) + delay
