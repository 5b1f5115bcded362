"""Agent-shifts worked as callback chains: an agent logs in, takes its pauses when the contact
in hand ends, logs out, works over.

This is what a SimPy process per agent-shift did (a generator yielding timeouts), event for
event: the same events at the same times, scheduled in the same order, so the same seed
gives the same results. It spares what a process costs per agent-shift and grows with the
center: the generator, the `Process` and its `Initialize` and end events, a `Timeout` per
wait. Each `ShiftWork` is its own event (see `scheduling.SelfScheduled`): an agent-shift
waits for one thing at a time, so one object, rescheduled, serves all its waits. The waits
are kept on a calendar of their own (see `scheduling.run_until`), so the queue the contacts
go through does not deepen with the agent count. One `start_shifts` event at the start does
what every process's `Initialize` did, in roster order: those were consecutive on the
queue, with nothing processed between them.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

import simpy

from omnistaff.sim.engine import Model
from omnistaff.sim.roster import AgentShift
from omnistaff.sim.scheduling import NORMAL, URGENT, SelfScheduled, reusable_event, stop_time
from omnistaff.sim.state import Agent

#: What an agent-shift reports at its end: (group, login, logout, actual logout, paid s).
Worked = tuple[str, float, float, float, float]


class ShiftWork(SelfScheduled):
    """One agent-shift's working; its steps are callbacks of itself, rescheduled."""

    __slots__ = ("agent", "began", "calendar", "callbacks", "duration", "env", "model",
                 "next_pause", "shift", "stop", "worked")

    def __init__(self, env: simpy.Environment, model: Model, shift: AgentShift,
                 worked: list[Worked], calendar: list, stop: float) -> None:
        self.env = env
        self.calendar = calendar
        self.stop = stop  # when the run stops: a wait ending then or later never ends
        self.model = model
        self.shift = shift
        self.worked = worked
        self.agent: Agent | None = None
        self.began = 0.0
        self.duration = 0.0  # of the pause under way
        self.next_pause = 0  # index into `shift.pauses`

    def begin(self) -> None:
        """At the start of the run: wait for the login, or log in now."""
        now = self.env._now
        if self.shift.login > now:
            self._wait(self.shift.login - now, self._log_in)
        else:
            self._log_in(self)

    def _wait(self, delay: float, then: Callable[[Any], None]) -> None:
        """`yield env.timeout(delay)`: scheduled as a Timeout is (time, priority, order),
        on the calendar `run_until` merges with the queue. A wait the run stops before
        (most logouts of a short run) is left out: it would never be processed, and what is
        scheduled after it keeps its order."""
        env = self.env
        when = env._now + delay
        if when >= self.stop:
            return
        self.callbacks = [then]
        heappush(self.calendar, (when, NORMAL, next(env._eid), self))

    def _log_in(self, _: Any) -> None:
        model = self.model
        self.agent = model.log_in(model.groups[model.group_index[self.shift.group]])
        self.began = self.env._now
        self._next()

    def _next(self) -> None:
        """On to the next pause that falls within the shift, else to the logout."""
        shift, now = self.shift, self.env._now
        pauses = shift.pauses
        while self.next_pause < len(pauses):
            start, duration = pauses[self.next_pause]
            self.next_pause += 1
            if start >= shift.logout:
                break
            if start < self.began:  # under way when the simulation began: what is left
                start, duration = self.began, start + duration - self.began
                if duration <= 0:
                    continue
            self.duration = duration
            if start > now:
                self._wait(start - now, self._pause)
            else:
                self._pause(self)
            return
        self.next_pause = len(pauses)
        if shift.logout > now:
            self._wait(shift.logout - now, self._log_out)
        else:
            self._log_out(self)

    def _when_free(self, then: Callable[[Any], None]) -> None:
        """Take no new work; `then` once the contacts in hand are done."""
        freed = self.model.stop_accepting(self.agent)  # type: ignore[arg-type]
        if freed is None:
            then(self)
        else:
            freed.callbacks.append(then)

    def _pause(self, _: Any) -> None:
        self._when_free(self._off)

    def _off(self, _: Any) -> None:
        self.model.set_staffed(self.agent, False)  # type: ignore[arg-type]
        self._wait(self.duration, self._back)

    def _back(self, _: Any) -> None:
        self.model.set_staffed(self.agent, True)  # type: ignore[arg-type]
        self._next()

    def _log_out(self, _: Any) -> None:
        self._when_free(self._logged_out)

    def _logged_out(self, _: Any) -> None:
        self.model.set_staffed(self.agent, False)  # type: ignore[arg-type]
        shift = self.shift
        self.worked.append((shift.group, shift.login, shift.logout, self.env._now,
                            shift.paid_seconds))


def start_shifts(env: simpy.Environment, model: Model, roster: list[AgentShift],
                 worked: list[Worked]) -> list:
    """Every agent-shift not absent starts working at the current time, in roster order,
    as processes started here would (their `Initialize` events are URGENT, now). Returns
    the calendar of their waits, for `run_until`.

    An agent-shift on at the start, without pauses, that the run stops before it logs out
    (every one of a short run staffed by interval) only logs in: it has nothing to wait
    for, so it needs no `ShiftWork`."""
    calendar: list = []
    stop = stop_time(env, model.scenario.horizon.seconds)
    groups = {group.name: group for group in model.groups}
    present = [shift for shift in roster if not shift.absent]

    def begin_all(_: Any) -> None:
        now, log_in = env._now, model.log_in
        for shift in present:
            if shift.login <= now and shift.logout >= stop and not shift.pauses:
                log_in(groups[shift.group])
            else:
                ShiftWork(env, model, shift, worked, calendar, stop).begin()

    starter = reusable_event(env)
    starter.callbacks = [begin_all]
    env.schedule(starter, URGENT)
    return calendar
