"""The event chains (ArrivalStream, RecordFiling) and the callbacks that feed contacts in;
agent-shifts are worked in `shifts`."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator
from heapq import heappush
from itertools import chain
from typing import Any

import numpy as np
import simpy

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.busyness import shared_day_levels
from omnistaff.sim.demand import draw_arrival_times, minute_rates
from omnistaff.sim.engine import Model
from omnistaff.sim.opening import opening_delay
from omnistaff.sim.periods import PeriodDraws, period_of
from omnistaff.sim.records import DEFLECTED, TRIAGED
from omnistaff.sim.reuse import per_scenario
from omnistaff.sim.scheduling import NORMAL, reusable_event
from omnistaff.sim.sources import ContactDraws, DrawColumns, blocks, column
from omnistaff.sim.start_state import fresh_from
from omnistaff.sim.state import ChannelState, Contact
from omnistaff.sim.streams import Draws, Streams

INF = math.inf


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
        self.hours = [spec.arrivals.hours for spec in scenario.channels.values()]
        triage = [spec.triage for spec in scenario.channels.values()]
        self.automated = [t is not None and t.by == "automated" for t in triage]
        self.triage_seconds = [t.seconds if t is not None and t.by == "agents" else 0.0
                               for t in triage]
        # channels whose fresh contacts go straight to routing: no deflection, no triage
        self.direct = [spec.deflection is None and spec.triage is None
                       for spec in scenario.channels.values()]
        model.spawn = [self._escalation_of(i) for i in range(len(model.channels))]
        self.by_period = [PeriodDraws(f"channel:{name}:escalated", spec, streams,
                                      scenario.horizon) if spec.periods else None
                          for name, spec in scenario.channels.items()]

    def offer(self, contact: Contact, deflected: bool, actionable: bool, balk: float) -> None:
        """A contact appears on its channel (its arrival time is now)."""
        i = contact.channel.index
        if deflected:
            self.model.leave(contact, DEFLECTED, contact.arrival)
            return
        if not actionable and self.automated[i]:
            self.model.leave(contact, TRIAGED, contact.arrival)
            return
        if self.triage_seconds[i]:
            contact.work = self.triage_seconds[i] + (contact.work if actionable else 0.0)
        self.model.arrive(contact, balk)

    def _escalation_of(self, source: int) -> Any:
        def escalate(target: int) -> None:
            link = self.targets[source].index(target)
            delay = self.delays[source][link].next()
            # escalated while the target is closed: it waits for the next opening
            delay += opening_delay(self.hours[target], self.scenario.horizon.start_weekday,
                                   self.model.env.now + delay)
            event = self.model.env.timeout(delay)
            event.callbacks.append(lambda _: self._offer_escalated(target))
        return escalate

    def _offer_escalated(self, target: int) -> None:
        draw = next(self.escalated[target])
        work, patience = draw.work, draw.patience
        if self.by_period[target] is not None:
            work, patience = self.by_period[target].at(self.model.env.now, work, patience)
        contact = Contact(self.model.channels[target], self.model.env.now, work,
                          patience, draw.priority, draw.escalate)
        self.offer(contact, draw.deflected, draw.actionable, draw.balk)


class ArrivalStream:
    """A channel's fresh contacts, offered at their pre-drawn times.

    A callback chain rather than a process: one reusable event (see `scheduling`),
    rescheduled for each arrival, offers the contacts due and schedules the next, which
    spares a generator resumption and a Timeout per arrival. When the next arrival comes
    before everything queued (and before the agent-shifts' `calendar`, once `run` hands it
    over), it is the next event anyway: the clock moves on to it there and then, without a
    push and a pop of the queue. An arrival scheduled would come after any event due at the
    same time (its id is the newest), so only an arrival strictly earlier is taken.
    """

    def __init__(self, env: simpy.Environment, feeder: Feeder, channel: ChannelState,
                 times: array[float], draws: DrawColumns) -> None:
        self.env = env
        self.feeder = feeder
        self.channel = channel
        self.event = reusable_event(env)
        self.queue, self.eid = env._queue, env._eid
        self.calendar: list = []  # the agent-shifts' waits (`scheduling.run_until`)
        self.running = False  # set by `run` as the clock starts: taking arrivals early
        # is for the events' run only, not while the replication is being set up
        if feeder.direct[channel.index]:  # straight to routing: fewer columns a row
            model = feeder.model  # a chat team's arrivals go to its steps (`teams`) directly
            team = channel.team is not None and model.standing
            self.route = model.arrive_team if team else model.arrive
            rows: Iterator[tuple] = zip(times, draws.work, draws.patience, draws.priority,
                                        draws.escalate, draws.balk, strict=True)
            last: tuple = (math.inf, 0.0, 0.0, 0, -1, 0.0)
            self.callbacks = [self._arrive_direct]  # the event's, each time it is scheduled
        else:
            rows = zip(times, draws.work, draws.patience, draws.priority, draws.escalate,
                       draws.balk, draws.deflected, draws.actionable, strict=True)
            last = (math.inf, 0.0, 0.0, 0, -1, 0.0, 0, 0)
            self.callbacks = [self._arrive]
        # one row per contact, then a row no time reaches
        self.next_row = chain(rows, [last]).__next__
        self.row = self.next_row()
        self.callbacks[0](self.event)

    def _arrive_direct(self, event: simpy.Event) -> None:
        """Route every contact due by now, then the next ones while each is the next event,
        then wait for the next."""
        env, row, now = self.env, self.row, self.env._now
        route, channel, next_row = self.route, self.channel, self.next_row
        queue, calendar = self.queue, self.calendar
        while True:
            while row[0] <= now:
                when, work, patience, priority, escalate, balk = row
                route(Contact(channel, when, work, patience, priority, escalate), balk)
                row = next_row()
            when = row[0]
            if (self.running and when < queue[0][0]
                    and (not calendar or when < calendar[0][0])):
                env._now = now = when  # the next event anyway: taken here
                continue
            break
        self.row = row
        if when < INF:  # `env.schedule(event, NORMAL, when - now)`, inline (its sum)
            event.callbacks = self.callbacks
            heappush(queue, (now + (when - now), NORMAL, next(self.eid), event))

    def _arrive(self, event: simpy.Event) -> None:
        """Offer every contact due by now (deflection and triage first), then the next ones
        while each is the next event, then wait."""
        env, row, now = self.env, self.row, self.env._now
        offer, channel, next_row = self.feeder.offer, self.channel, self.next_row
        queue, calendar = self.queue, self.calendar
        while True:
            while row[0] <= now:
                when, work, patience, priority, escalate, balk, deflected, actionable = row
                contact = Contact(channel, when, work, patience, priority, escalate)
                offer(contact, deflected, actionable, balk)
                row = next_row()
            when = row[0]
            if (self.running and when < queue[0][0]
                    and (not calendar or when < calendar[0][0])):
                env._now = now = when
                continue
            break
        self.row = row
        if when < INF:
            event.callbacks = self.callbacks
            heappush(queue, (now + (when - now), NORMAL, next(self.eid), event))


def arrival_plan(scenario: Scenario, streams: Streams) -> list[tuple[array[float], DrawColumns]]:
    """Per channel, the arrival times and attributes of its fresh contacts."""
    index = {name: i for i, name in enumerate(scenario.channels)}
    shared = shared_day_levels(scenario, streams)
    plan = []
    for name, spec in scenario.channels.items():
        rates = _rates_of(scenario, name)
        times = draw_arrival_times(rates, scenario.horizon, spec.arrivals.day_cv,
                                   streams.rng(f"channel:{name}", "arrivals"), shared.get(name))
        if scenario.start_state is not None:  # a re-plan from now: nothing arrives before
            times = times[times >= fresh_from(scenario)]
        draws = ContactDraws(name, spec, "arrivals", streams, index).draw(
            times.size, period_of(spec, times, scenario.horizon))
        plan.append((column(times), draws))
    return plan


@per_scenario
def _rates_of(scenario: Scenario, channel: str) -> np.ndarray:
    """A channel's expected arrivals per minute: the same for every replication."""
    return minute_rates(scenario.channels[channel].arrivals, scenario.horizon)


#: Numbers of records (about 1,200 contacts) worth filing as an array at a check: fewer cost
#: more to convert in a call of their own than they spare.
FILE_AT = 8192


class RecordFiling:
    """Every `every` seconds, the records made since are filed as an array, once they are
    `FILE_AT` numbers or more (`Model.file_records`). One reusable event, rescheduled: no
    process or Timeout per check. It changes nothing the other events see."""

    def __init__(self, env: simpy.Environment, model: Model, every: float) -> None:
        self.env = env
        self.model = model
        self.every = every
        self.event = reusable_event(env)
        self.callbacks = [self._file]
        self._schedule()

    def _schedule(self) -> None:
        env = self.env
        self.event.callbacks = self.callbacks
        heappush(env._queue, (env._now + self.every, NORMAL, next(env._eid), self.event))

    def _file(self, _: simpy.Event) -> None:
        if len(self.model.records) >= FILE_AT:
            self.model.file_records()
        self._schedule()
