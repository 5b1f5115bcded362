"""What each channel asks of the schedule, interval by interval.

Live channels need agents on queue: the least that meet the SLA by Erlang A (Erlang C where no
patience is given), counted in *reference agents* (an agent at the channel's full concurrency and
proficiency 1). A chat agent holding k chats whose work stretches by k / f(k) is k servers each
that much slower, so it serves f(k) times what a phone agent does, not k times.

Deferred channels need work done by a deadline, not agents at a time: the work arriving in an
interval may wait until its response window closes. A 24-hour email SLA may be worked off the next
morning; a 1-hour social SLA needs someone within the hour, weekends included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from omnistaff.optimize.errors import ScheduleInfeasible
from omnistaff.optimize.workload import ChannelLoad, channel_loads, reference_throughput
from omnistaff.scenarios.channel import Channel
from omnistaff.scenarios.concurrency_periods import limits_by_interval
from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.erlang import agents_for_target, queue_metrics

#: Each tightening of a deferred window keeps this share of it (at least one interval less).
WINDOW_KEEP = 0.75
#: A window already at zero is tightened by adding this share to the interval's work.
WORK_MARGIN = 0.25


@dataclass(frozen=True)
class Requirements:
    """Per channel and interval, what the schedule must provide; the sim-opt loop raises it.

    `erlang` and `required` are reference agents on queue (live channels, and deferred ones
    scheduled per interval); `work` is deferred work arriving, in reference agent-intervals;
    `window` is how many intervals after its arrival interval that work may still wait;
    `late_share`, per deferred channel and day, the share of the day's work that may miss its
    window (at first what the SLA target leaves; the loop lowers it when simulation shows the
    channel missing its SLA, as late work delays the work behind it).
    `open` marks the intervals that need someone on shift: live channels while open, deferred
    channels whose window is shorter than any shift wherever work is due (a 1-hour social SLA
    cannot wait for the next shift, so the schedule must keep someone there).
    `load`, per live channel, is the offered load in reference agents (the contacts staying
    in the live queue, redials included): over `required` it is the share of its agents'
    time a channel keeps busy, which a group's occupancy cap bounds in the schedule model.
    """

    erlang: dict[str, np.ndarray]
    required: dict[str, np.ndarray]
    open: dict[str, np.ndarray]
    work: dict[str, np.ndarray]
    window: dict[str, np.ndarray]
    late_share: dict[str, np.ndarray] = field(default_factory=dict)
    load: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def live(self) -> list[str]:
        """Channels with a per-interval requirement of agents."""
        return list(self.required)

    @property
    def deferred(self) -> list[str]:
        """Channels scheduled as backlog with deadlines."""
        return list(self.work)

    def allowed_backlog(self, channel: str) -> np.ndarray:
        """Most work that may still wait at the end of each interval.

        Work is served oldest first, so what waits is the newest arrivals; the oldest of them
        must still be within its window.
        """
        return allowed_backlog(self.work[channel], self.window[channel])

    def raised(self, channel: str, intervals: np.ndarray, agents: np.ndarray) -> Requirements:
        """These requirements with `agents` more reference agents in the given intervals."""
        required = dict(self.required)
        required[channel] = required[channel].copy()
        required[channel][intervals] += agents
        return replace(self, required=required)

    def resized(self, scenario: Scenario, sizing: dict[str, np.ndarray]) -> Requirements:
        """These requirements with live channels' intervals sized for `sizing` (per channel and
        interval, the service level sized for), what the loop raised kept on top."""
        sized = channel_requirements(scenario, sizing=sizing)
        erlang = sized.erlang
        required = {c: erlang[c] + (self.required[c] - self.erlang[c]) for c in self.required}
        return replace(self, erlang=erlang, required=required, load=sized.load)

    def less_late(self, channel: str, shortfall: float | np.ndarray) -> Requirements:
        """These requirements with a deferred channel's late share lowered by `shortfall` (the
        service level it missed its target by, over the horizon or per day), never below
        zero."""
        late_share = dict(self.late_share)
        late_share[channel] = np.maximum(
            0.0, late_share[channel] - np.maximum(np.nan_to_num(shortfall), 0.0))
        return replace(self, late_share=late_share)

    def tightened(self, channel: str, intervals: np.ndarray) -> Requirements:
        """These requirements with the deferred work of the given intervals due earlier.

        A window shrinks to three quarters (at least one interval less); a window already zero
        gets a quarter more work instead, a margin for what simulation showed to be late.
        """
        window, work = dict(self.window), dict(self.work)
        window[channel], work[channel] = window[channel].copy(), work[channel].copy()
        shut = intervals[window[channel][intervals] == 0]
        work[channel][shut] *= 1 + WORK_MARGIN
        waiting = intervals[window[channel][intervals] > 0]
        current = window[channel][waiting]
        window[channel][waiting] = np.minimum(current - 1, np.floor(current * WINDOW_KEEP))
        return replace(self, window=window, work=work)


def allowed_backlog(work: np.ndarray, window: np.ndarray) -> np.ndarray:
    """At the end of interval t, the work of intervals t, t-1, ... back to the newest one whose
    window has closed (cyclic: the horizon repeats)."""
    count = len(work)
    allowed = np.zeros(count)
    waiting = np.ones(count, dtype=bool)
    t = np.arange(count)
    for lag in range(min(int(window.max(initial=0)), count - 1) + 1):
        source = (t - lag) % count
        waiting &= window[source] > lag
        allowed += np.where(waiting, work[source], 0.0)
    return allowed


def channel_requirements(scenario: Scenario, deferred_as_backlog: bool = True,
                         sizing: dict[str, np.ndarray] | None = None) -> Requirements:
    """The requirements of every channel the scenario's optimizer schedules for
    (`optimizer.channels`; all when empty).

    With `deferred_as_backlog=False` deferred channels get a per-interval Erlang requirement
    like live ones: the naive plan, which the backlog formulation should never cost more than.
    `sizing`, per live channel and interval, is the service level each interval is sized for
    instead of the SLA's target (the loop lowers it on days met with room to spare).
    """
    loads = channel_loads(scenario)
    scheduled = scenario.optimizer.channels or tuple(loads)
    loads = {name: load for name, load in loads.items() if name in scheduled}
    interval = scenario.horizon.interval_seconds
    erlang, opened, work, window, offered = {}, {}, {}, {}, {}
    called_back: dict[str, np.ndarray] = {}
    for name, load in loads.items():
        channel = scenario.channels[name]
        if channel.mode == "live" or not deferred_as_backlog:
            erlang[name], called_back[name], offered[name] = live_requirements(
                name, channel, load, interval, occupancy_cap(scenario, name),
                None if sizing is None else sizing.get(name),
                limits_by_interval(channel.concurrency.by_period, channel.concurrency.max,
                                   scenario.horizon))
            opened[name] = load.open & (load.contacts > 0)
        else:
            work[name] = load.work_seconds / (interval * reference_throughput(channel)
                                              * (occupancy_cap(scenario, name) or 1.0))
            window[name] = np.full(len(load.contacts), deadline_window(channel, interval,
                                                                       len(load.contacts)))
            if channel.sla.target >= 1 and (window[name][0] + 1) * interval < _shortest_shift(
                    scenario):
                opened[name] = work_due(work[name], int(window[name][0]))
    _add_callbacks(scenario, called_back, work)
    required = {name: values.copy() for name, values in erlang.items()}
    late_share = {name: np.full(scenario.horizon.days, 1 - scenario.channels[name].sla.target)
                  for name in work}
    return Requirements(erlang, required, opened, work, window, late_share, offered)


def work_due(work: np.ndarray, window: int) -> np.ndarray:
    """Intervals with work still within its window: someone must be there to answer it."""
    arriving = work > 0
    due = arriving.copy()
    for lag in range(1, window + 1):
        due |= np.roll(arriving, lag)
    return due


def _shortest_shift(scenario: Scenario) -> float:
    return min(length for t in scenario.optimizer.templates for length in t.lengths)


def deadline_window(channel: Channel, interval_seconds: float, intervals: int) -> int:
    """Intervals after its arrival interval that deferred work may wait: work arriving at the
    start of interval u and done by the end of u + window waited at most the SLA threshold."""
    window = math.floor(channel.sla.threshold / interval_seconds + 1e-9) - 1
    return int(min(max(window, 0), intervals - 1))


def live_requirement(name: str, channel: Channel, load: ChannelLoad,
                     interval_seconds: float, cap: float | None = None) -> np.ndarray:
    """Reference agents on queue that meet the channel's SLA in each open interval."""
    return live_requirements(name, channel, load, interval_seconds, cap)[0]


def live_requirements(name: str, channel: Channel, load: ChannelLoad, interval_seconds: float,
                      cap: float | None = None, sizing: np.ndarray | None = None,
                      limits: list[int] | None = None,
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference agents on queue that meet the channel's SLA in each open interval (or, where
    `sizing` is given, the service level it names for each interval), the contacts per
    interval that accept a call-back (zero without one), and the offered load in reference
    agents. `limits`, per interval, are the most contacts an agent holds there
    (`concurrency.by_period`; default the channel's max): an agent holding k contacts at
    f(k) is k servers each slowed by k / f(k), and the agents are the servers over k.

    Redials add to the arrivals and accepted call-backs leave them, each by the share the
    staffing itself implies (abandonment, and waits beyond the offer threshold, by Erlang
    A/C): a fixed point of a few steps. With an occupancy cap the agents are also at least
    the offered load over the cap.
    """
    curve = channel.concurrency.curve()
    patience = channel.patience.mean if channel.patience is not None else None
    required = np.zeros(len(load.contacts))
    called_back = np.zeros(len(load.contacts))
    offered = np.zeros(len(load.contacts))
    for t in np.flatnonzero(load.open & (load.contacts > 0)):
        slots = channel.concurrency.max if limits is None else limits[t]
        rate = load.contacts[t] / interval_seconds
        aht = load.work_seconds[t] / load.contacts[t] * slots / curve[slots - 1]
        target = channel.sla.target if sizing is None else float(sizing[t])
        servers, live_rate, back = _with_returns(name, channel, rate, aht, patience, target)
        if cap is not None:
            servers = max(servers, math.ceil(live_rate * aht / cap - 1e-9))
        required[t] = servers / slots
        called_back[t] = back * interval_seconds
        offered[t] = live_rate * aht / slots
    return required, called_back, offered


def _with_returns(name: str, channel: Channel, rate: float, aht: float,
                  patience: float | None, target: float) -> tuple[int, float, float]:
    """Servers meeting the service level `target` (and the SLA's abandonment ceiling), the
    rate of contacts that stay in the live queue, and the rate that accept a call-back, once
    redials and call-backs settle."""
    def servers_for(live: float) -> int:
        return _servers(_rounded(live), _rounded(aht), channel.sla.threshold,
                        _rounded(target), patience, channel.sla.max_abandon_rate, name)

    live, back = rate, 0.0
    servers = servers_for(live)
    if channel.redial is None and channel.callback is None:
        return servers, live, back
    for _ in range(20):
        attempts = rate
        if channel.redial is not None:
            abandon = queue_metrics(live, aht, servers, channel.sla.threshold,
                                    patience).abandon_rate
            attempts = rate / max(1 - channel.redial.share * abandon, 1e-6)
        back = 0.0
        if channel.callback is not None:
            long_wait = 1 - queue_metrics(live, aht, servers, channel.callback.offer_above,
                                          patience).service_level
            back = attempts * channel.callback.accept_share * long_wait
        settled = abs(attempts - back - live) <= 1e-9 * rate
        live = attempts - back
        before, servers = servers, servers_for(live)
        if settled and servers == before:
            break
    return servers, live, back


def occupancy_cap(scenario: Scenario, channel: str) -> float | None:
    """The most occupancy a plan may run a channel's agents at: the loosest `max_occupancy`
    of the groups skilled in it (none when one of them has no cap)."""
    caps = [g.max_occupancy for g in scenario.groups.values()
            if any(s.channel == channel for s in g.skills)]
    if not caps or any(cap is None for cap in caps):
        return None
    return max(cap for cap in caps if cap is not None)


def _add_callbacks(scenario: Scenario, called_back: dict[str, np.ndarray],
                   work: dict[str, np.ndarray]) -> None:
    """Accepted call-backs become deferred work of the channel that holds them, arriving
    in the interval of the call they replace."""
    interval = scenario.horizon.interval_seconds
    for name, contacts in called_back.items():
        callback = scenario.channels[name].callback
        if callback is None or callback.to not in work or not contacts.any():
            continue
        target = scenario.channels[callback.to]
        seconds = target.handle_time.mean + target.after_contact_work
        work[callback.to] = work[callback.to] + contacts * seconds / (
            interval * reference_throughput(target) * (occupancy_cap(scenario, callback.to)
                                                       or 1.0))


def _rounded(value: float) -> float:
    """A value rounded to 9 significant digits, so repeated intervals share a cache entry."""
    return float(f"{value:.9g}")


@lru_cache(maxsize=65536)
def _servers(rate: float, aht: float, threshold: float, target: float, patience: float | None,
             max_abandon: float | None, name: str) -> int:
    """Least servers meeting the SLA (cached: weekly profiles repeat their rates)."""
    try:
        return agents_for_target(rate, aht, threshold, target, patience, max_abandon)
    except ValueError:
        raise ScheduleInfeasible([
            f"channel '{name}': no number of agents up to 10,000 meets its SLA at "
            f"{rate * 3600:.0f} contacts an hour; lower channels.{name}.sla.target or "
            "max_abandon_rate, or check the volume"
        ]) from None
