"""The engine's shortcuts give what the long way gives, contact for contact: arrivals taken
without the event queue when each is the next event anyway (`processes.ArrivalStream`), a
one-channel group's next contact taken inline (`GroupState.solo`); and a run leaves its
agents to reference counting, not to the cyclic collector (`run._unlink`)."""

from __future__ import annotations

import gc
from collections import Counter
from typing import Any

import pytest
from conftest import deferred, live, scenario

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


@pytest.mark.parametrize("index", range(3))
def test_a_solo_group_takes_the_contact_the_generic_pull_takes(
        index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    scen = cases()[index]
    solos = []

    def without_solo(scenario: Scenario) -> Any:
        channels, groups = built(scenario)
        solos.extend(g.name for g in groups if g.solo is not None)
        for group in groups:
            group.solo = None
        return channels, groups

    built = engine.build_state
    shortcut = frames_csv(scen, 4)
    monkeypatch.setattr(engine, "build_state", without_solo)
    assert frames_csv(scen, 4) == shortcut
    assert solos  # each case has a one-channel group


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
