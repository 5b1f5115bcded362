"""A starting state for a re-plan from now: the contacts already waiting (live) and the
deferred backlog at the start, by channel and age."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.limits import MAX_CHANNELS, MAX_LIST, MAX_NAME
from omnistaff.scenarios.units import ClockTime, Seconds, clock_seconds

if TYPE_CHECKING:
    from omnistaff.scenarios.scenario import Scenario

#: Contacts waiting at the start, over every channel: a deep backlog of a large center.
MAX_START_CONTACTS = 200_000


class Waiting(Frozen):
    """`count` contacts that have been waiting `age` when the simulation starts."""

    count: int = Field(ge=1, le=MAX_START_CONTACTS, description="How many.")
    age: Seconds = Field(ge=0, description="How long they have waited already, e.g. 3min "
                         "or 6h: the oldest are served first, and a deferred contact expires "
                         "`expiry` after it arrived.")


class StartState(Frozen):
    """What is already in the queues at `at` on day 0, for a re-plan from now."""

    at: ClockTime = Field(default="00:00", description="Time of day 0 the state holds (now): "
                          "no fresh contacts arrive on day 0 before it, and the waiting "
                          "contacts join the queues then.")
    waiting: dict[str, tuple[Waiting, ...]] = Field(
        default_factory=dict, max_length=MAX_CHANNELS,
        description="Per channel, the contacts waiting at `at` by age, e.g. {phone: "
        "[{count: 12, age: 2min}], email: [{count: 300, age: 6h}, {count: 40, age: 20h}]}. "
        "Live customers' remaining patience is drawn afresh from the channel's patience "
        "(exact for exponential patience, which is memoryless); their handle time, priority "
        "class and escalation as for any contact (no deflection or triage: they are queued "
        "already). Like every contact they are reported in the interval they arrived in "
        "(now - age) when it lies in the horizon: with `at` 00:00 none does, and they show "
        "in backlog and work only.")

    def seconds(self) -> float:
        """`at` in seconds from day 0, 00:00."""
        return float(clock_seconds(self.at))


def start_state_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """The channels exist, the run has no warm-up, no deferred contact has expired yet, and
    the state is not larger than omnistaff simulates."""
    state = scenario.start_state
    if state is None:
        return []
    problems = []
    if scenario.horizon.warmup > 0:
        problems.append(("start_state", "a start state is now, with nothing before it; set "
                         "horizon.warmup to 0"))
    total = 0
    for name, entries in state.waiting.items():
        path = f"start_state.waiting.{name[:MAX_NAME]}"
        channel = scenario.channels.get(name)
        if channel is None:
            problems.append((path, f"no channel '{name[:MAX_NAME]}'; name one of "
                             f"{', '.join(scenario.channels)}"))
            continue
        if len(entries) > MAX_LIST * 10:
            problems.append((path, f"more than {MAX_LIST * 10} entries; group them by age"))
        for i, entry in enumerate(entries):
            total += entry.count
            if channel.expiry is not None and entry.age >= channel.expiry:
                problems.append((f"{path}.{i}.age", f"{entry.age / 3600:g} h is at or past "
                                 f"the channel's expiry ({channel.expiry / 3600:g} h): those "
                                 "contacts have expired already; remove them"))
    if total > MAX_START_CONTACTS:
        problems.append(("start_state.waiting", f"{total:,} contacts waiting, more than "
                         f"{MAX_START_CONTACTS:,}; lower the counts"))
    return problems
