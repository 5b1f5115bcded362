"""The engine's shortcuts give what the long way gives, contact for contact: arrivals taken
without the event queue when each is the next event anyway (`processes.ArrivalStream`), a
one-channel group's next contact taken inline (`GroupState.solo`), a one-group channel's
arrival taken by its pool's head (`ChannelState.single`), a chat team's steps inline
(`teams`); and a run leaves its agents to reference counting, not to the cyclic collector
(`run._unlink`)."""

from __future__ import annotations

import gc
from collections import Counter
from typing import Any

import pytest
from conftest import deferred, live, scenario, single_queue

from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario
from omnistaff.sim import engine, run
from omnistaff.sim.processes import ArrivalStream


class QueuedArrivals(ArrivalStream):
    """Every arrival through the event queue, as before the shortcut."""

    @property
    def running(self) -> bool:
        return False

    @running.setter
    def running(self, _: bool) -> None:
        pass


def frames_csv(scen: Scenario, seed: int) -> str:
    result = run.simulate(scen, seed, contacts=True)
    frames = (result.channels, result.groups, result.channel_intervals,
              result.group_intervals, result.contacts)
    return "".join(frame.to_csv() for frame in frames)


def cases() -> list[Scenario]:
    bundled = [load_scenario(bundled_scenarios()[name])
               for name in ("small_multichannel", "weekend_social")]
    phone = scenario({"phone": live(200, 160, patience=120)}, {"a": {"skills": ["phone"]},
                     "b": {"skills": ["phone"]}},
                     {"per_interval": {"a": [12] * 48, "b": [6] * 48}})
    mixed = scenario({"phone": live(240, 60, patience=180), "email": deferred(300, 20)},
                     {"p": {"skills": ["phone"]}, "m": {"skills": ["email", "phone"]}},
                     {"per_interval": {"p": [7] * 48, "m": [4] * 48}},
                     routing={"channels": {"phone": {"groups": ["p", "m"]}}})  # a policy
    return [*bundled, phone, mixed]


@pytest.mark.parametrize("index", range(4))
def test_arrivals_taken_without_the_queue_give_what_the_queue_gave(
        index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    scen = cases()[index]
    shortcut = frames_csv(scen, 3)
    monkeypatch.setattr(run, "ArrivalStream", QueuedArrivals)
    assert frames_csv(scen, 3) == shortcut


@pytest.mark.parametrize("index", range(5))
def test_one_channel_groups_and_one_group_channels_route_as_the_generic_steps_do(
        index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`GroupState.solo` (a free agent takes its channel's head) and `ChannelState.single`
    (an arrival takes its one pool's head), against the generic pull and search."""
    scen = [*cases(), single_queue(12, 0.95, 180.0, 20.0, patience=300.0)][index]
    shortcuts = []

    def without_shortcuts(scenario: Scenario) -> Any:
        channels, groups = built(scenario)
        shortcuts.extend(g.name for g in groups if g.solo is not None)
        shortcuts.extend(c.name for c in channels if c.single is not None)
        for group in groups:
            group.solo = None
        for channel in channels:
            channel.single = None
        return channels, groups

    built = engine.build_state
    shortcut = frames_csv(scen, 4)
    monkeypatch.setattr(engine, "build_state", without_shortcuts)
    assert frames_csv(scen, 4) == shortcut
    assert shortcuts  # each case has a group or a channel that takes one


def test_a_run_leaves_no_agent_to_the_cyclic_collector() -> None:
    scen = load_scenario(bundled_scenarios()["small_multichannel"])
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        run.simulate(scen, 1)
        gc.collect()
        kinds = Counter(type(thing).__name__ for thing in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert gc.isenabled()
    assert kinds["Agent"] == 0 and kinds["ShiftWork"] == 0


def team_cases() -> list[Scenario]:
    """Chat teams: busy enough that agents hold two and three at once and contacts wait and
    abandon; with breaks; escalating; deferred; beside another group on the channel."""
    bundled = [load_scenario(bundled_scenarios()[name])
               for name in ("cost_per_channel", "omni_vs_single")]
    chat = live(300, 160, threshold=60, patience=240, concurrency={"max": 3})
    busy = scenario({"chat": chat}, {"c": {"skills": ["chat"]}},
                    {"per_interval": {"c": [10, 14, 8, 12] * 12}})
    lunch = [{"after": "3h", "duration": "30min"}]
    shifts = scenario({"chat": chat}, {"c": {"skills": ["chat"], "shrinkage": 0.1}},
                      {"shifts": [{"group": "c", "start": "00:00", "length": "8h",
                                   "count": 12, "breaks": lunch},
                                  {"group": "c", "start": "08:00", "length": "8h",
                                   "count": 14, "breaks": lunch},
                                  {"group": "c", "start": "16:00", "length": "8h",
                                   "count": 12}]})
    escalating = scenario(
        {"chat": live(300, 120, patience=240, concurrency={"max": 2},
                      escalation=[{"to": "phone", "share": 0.2}]),
         "phone": live(200, 40, patience=180)},
        {"c": {"skills": ["chat"]}, "p": {"skills": ["phone"]}},
        {"per_interval": {"c": [12] * 48, "p": [6] * 48}})
    email = scenario({"email": deferred(600, 80, expiry=7200, concurrency={"max": 4})},
                     {"e": {"skills": ["email"]}}, {"per_interval": {"e": [6] * 48}})
    shared = scenario({"chat": chat},
                      {"c": {"skills": [{"channel": "chat", "proficiency": 1.25}]},
                       "m": {"skills": [{"channel": "chat", "proficiency": 0.8,
                                         "concurrency": 2}]}},
                      {"per_interval": {"c": [8] * 48, "m": [4] * 48}})
    return [*bundled, busy, shifts, escalating, email, shared]


@pytest.mark.parametrize("index", range(7))
def test_chat_teams_route_as_the_generic_steps_do(index: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """`GroupState.team` and `ChannelState.team` (`teams`), against the generic steps."""
    scen = team_cases()[index]
    teams = []

    def without_teams(scenario: Scenario) -> Any:
        channels, groups = built(scenario)
        teams.extend(g.name for g in groups if g.team is not None)
        for state in (*channels, *groups):
            state.team = None
        return channels, groups

    built = engine.build_state
    shortcut = frames_csv(scen, 5)
    monkeypatch.setattr(engine, "build_state", without_teams)
    assert frames_csv(scen, 5) == shortcut
    assert teams  # each case has a chat team
