"""The engine's two shortcuts through SimPy internals, each sparing an event per contact.

`Environment.step` pops the next `(time, priority, id, event)` from the queue, calls the
event's `callbacks` and then, unless the event's `_ok` is true, raises the event's `_value`.
So anything with `callbacks` and a true `_ok`, put on the queue with the public
`Environment.schedule`, is processed like a triggered event:

- `SelfScheduled`: a contact worked at a fixed rate is itself the event of its completion
  (no Timeout, no `Event.__init__`);
- `reusable_event`: one event an arrival stream schedules again for every arrival (no
  Timeout or generator resumption per arrival).

`_ok` and `_value` are private to SimPy 4; `tests/test_scheduling.py` fails loudly if they
stop working this way, and `pyproject.toml` pins the SimPy major version it was run on.
"""

from __future__ import annotations

import simpy
from simpy.events import NORMAL

__all__ = ["NORMAL", "SelfScheduled", "reusable_event"]


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
