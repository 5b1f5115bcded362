"""The engine's shortcuts through SimPy internals: two each spare an event per contact, the
third a method call per event.

`Environment.step` pops the next `(time, priority, id, event)` from the queue, calls the
event's `callbacks` and then, unless the event's `_ok` is true, raises the event's `_value`.
So anything with `callbacks` and a true `_ok`, put on the queue with the public
`Environment.schedule`, is processed like a triggered event:

- `SelfScheduled`: a contact worked at a fixed rate is itself the event of its completion
  (no Timeout, no `Event.__init__`);
- `reusable_event`: one event an arrival stream schedules again for every arrival (no
  Timeout or generator resumption per arrival);
- `run_until`: `Environment.run(until)` with `step` inlined in its loop (the same events in
  the same order).

`_ok` and `_value` are private to SimPy 4; `tests/test_scheduling.py` fails loudly if they
stop working this way, and `pyproject.toml` pins the SimPy major version it was run on.
"""

from __future__ import annotations

from heapq import heappop

import simpy
from simpy.events import NORMAL, URGENT

__all__ = ["NORMAL", "URGENT", "SelfScheduled", "reusable_event", "run_until", "stop_time"]


class SelfScheduled(simpy.Event):
    """An object that is its own completion event: scheduled by the engine with
    `env.schedule(obj, NORMAL, delay)` after setting `callbacks`, and processed as a success.

    Subclasses do not call `Event.__init__` and have no `env`; nothing may `succeed`,
    `fail` or `yield` them.
    """

    __slots__ = ()
    _ok = True  # what `Environment.step` checks after the callbacks: a success


def reusable_event(env: simpy.Environment) -> simpy.Event:
    """An event already in the state `succeed` leaves it (ok, value None), never scheduled:
    its owner sets `callbacks` and calls `env.schedule(event, NORMAL, delay)` each time."""
    event = simpy.Event(env)
    event._ok, event._value = True, None
    return event


def stop_time(env: simpy.Environment, at: float) -> float:
    """When `run_until(env, at)`, called at the current time, stops: the time its stop is
    scheduled at (`env.schedule` adds the delay to now). An event of NORMAL priority due then
    or later is never processed (the stop is URGENT)."""
    return env.now + (at - env.now)


def run_until(env: simpy.Environment, at: float, calendar: list | None = None) -> None:
    """What `env.run(until=at)` does, event for event: the stop is scheduled as `run`
    schedules it (URGENT at `at`, so events due at `at` stay queued), and each event is
    processed as `Environment.step` processes it, without a method call per event. A
    failed event that nothing defused raises as in `step`.

    `calendar`, if given, is a second heap of `(time, priority, id, event)` entries, ids
    from `env`'s counter, that is merged in: the events of both are processed in the one
    order a single queue would give (ids are unique, so no two entries tie). Long waits
    (an agent-shift's logout) kept there leave the queue the contacts go through shallow:
    its depth, not the number of agents, sets the cost of scheduling a contact."""
    if at <= env.now:
        raise ValueError(f"until ({at}) must be greater than the current simulation time")
    stop = reusable_event(env)
    env.schedule(stop, URGENT, at - env.now)
    queue = env._queue
    calendar = calendar if calendar is not None else []
    while True:  # the queue holds `stop` until the end, so it is never empty here
        if calendar and calendar[0] < queue[0]:
            env._now, _, _, event = heappop(calendar)
        else:
            env._now, _, _, event = heappop(queue)
            if event is stop:
                return
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            failure = type(event._value)(*event._value.args)
            failure.__cause__ = event._value
            raise failure
