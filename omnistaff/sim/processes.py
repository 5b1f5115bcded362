"""The SimPy processes (arrivals, work_shift) and the callbacks that feed contacts in."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.demand import draw_arrival_times, minute_rates
from omnistaff.sim.engine import Model
from omnistaff.sim.roster import AgentShift
from omnistaff.sim.sources import ContactDraws, Draw, blocks
from omnistaff.sim.state import DEFLECTED, TRIAGED, ChannelState, Contact
from omnistaff.sim.streams import Draws, Streams


class Feeder:
    """Turns draws into contacts: deflection and triage first, then routing."""

    def __init__(self, model: Model, scenario: Scenario, streams: Streams) -> None:
        self.model = model
        self.scenario = scenario
        index = {name: i for i, name in enumerate(scenario.channels)}
        self.escalated = [
            blocks(ContactDraws(name, spec, "escalated", streams, index))
            for name, spec in scenario.channels.items()
        ]
        self.delays = [
            [Draws(e.delay.sample, streams.rng(f"channel:{name}", f"delay:{e.to}"))
             for e in spec.escalation]
            for name, spec in scenario.channels.items()
        ]
        self.targets = [[index[e.to] for e in spec.escalation]
                        for spec in scenario.channels.values()]
        triage = [spec.triage for spec in scenario.channels.values()]
        self.automated = [t is not None and t.by == "automated" for t in triage]
        self.triage_seconds = [t.seconds if t is not None and t.by == "agents" else 0.0
                               for t in triage]
        model.spawn = [self._escalation_of(i) for i in range(len(model.channels))]

    def offer(self, channel: ChannelState, when: float, draw: Draw) -> None:
        """A contact appears on a channel."""
        i = channel.index
        contact = Contact(channel, when, draw.work, draw.patience, draw.priority,
                          draw.escalate, draw.actionable)
        if draw.deflected:
            self.model.leave(contact, DEFLECTED, when)
            return
        if not draw.actionable and self.automated[i]:
            self.model.leave(contact, TRIAGED, when)
            return
        if self.triage_seconds[i]:
            contact.work = self.triage_seconds[i] + (draw.work if draw.actionable else 0.0)
        self.model.arrive(contact, draw.balk)

    def _escalation_of(self, source: int) -> Any:
        def escalate(target: int) -> None:
            link = self.targets[source].index(target)
            delay = self.delays[source][link].next()
            event = self.model.env.timeout(delay)
            event.callbacks.append(lambda _: self.offer(
                self.model.channels[target], self.model.env.now, next(self.escalated[target])))
        return escalate


def arrivals(env: simpy.Environment, feeder: Feeder, channel: ChannelState,
             times: list[float], draws: list[Draw]) -> Generator[simpy.Event, Any, None]:
    """A channel's fresh contacts, at their pre-drawn times."""
    offer = feeder.offer
    for when, draw in zip(times, draws, strict=True):
        if when > env.now:
            yield env.timeout(when - env.now)
        offer(channel, when, draw)


def arrival_plan(scenario: Scenario, streams: Streams) -> list[tuple[list[float], list[Draw]]]:
    """Per channel, the arrival times and attributes of its fresh contacts."""
    index = {name: i for i, name in enumerate(scenario.channels)}
    plan = []
    for name, spec in scenario.channels.items():
        rates = minute_rates(spec.arrivals, scenario.horizon)
        times = draw_arrival_times(rates, scenario.horizon, spec.arrivals.day_cv,
                                   streams.rng(f"channel:{name}", "arrivals"))
        draws = ContactDraws(name, spec, "arrivals", streams, index).draw(times.size)
        plan.append((times.tolist(), draws))
    return plan


def work_shift(env: simpy.Environment, model: Model, shift: AgentShift,
               worked: list[tuple[str, float, float, float, float]]) -> Generator[
                   simpy.Event, Any, None]:
    """An agent logs in, takes pauses when the contact in hand ends, logs out, works over."""
    if shift.login > env.now:
        yield env.timeout(shift.login - env.now)
    agent = model.log_in(model.groups[model.group_index[shift.group]])
    for start, duration in shift.pauses:
        if start >= shift.logout:
            break
        if start > env.now:
            yield env.timeout(start - env.now)
        freed = model.stop_accepting(agent)
        if freed is not None:
            yield freed
        model.set_staffed(agent, False)
        yield env.timeout(duration)
        model.set_staffed(agent, True)
    if shift.logout > env.now:
        yield env.timeout(shift.logout - env.now)
    freed = model.stop_accepting(agent)
    if freed is not None:
        yield freed
    model.set_staffed(agent, False)
    worked.append((shift.group, shift.login, shift.logout, env.now, shift.paid_seconds))
