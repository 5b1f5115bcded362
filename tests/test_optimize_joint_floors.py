"""Joint floors: the whole agents several live channels need together. By hand, the cut lifts
the LP bound to the whole-agent optimum; on random small centers it never cuts off the best
schedule (the MIP's optimum is the same with and without it)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from omnistaff.optimize import SolveSettings, build_model, solve
from omnistaff.optimize import model as schedule_model
from omnistaff.optimize.joint_floors import joint_floors
from omnistaff.optimize.runner import run
from tests.test_optimize_model import option, tiny

SHIFTS = [option(0, 4, "left"), option(0, 4, "both"), option(0, 4, "right"),
          option(0, 2, "both"), option(2, 2, "both")]


def center(phone: list[float], chat: list[float], availability: float = 1.0,
           both_on_chat: float = 1.0):
    """Phone served by `left` and `both`, chat by `both` (worth `both_on_chat` reference
    agents there) and `right`."""
    skills = [("left", "phone"), ("both", "phone"), ("both", "chat"), ("right", "chat")]
    data = tiny(SHIFTS, {"phone": phone, "chat": chat}, skills=skills)
    return replace(data, availability=dict.fromkeys(data.groups, availability),
                   efficiency={**data.efficiency, ("both", "chat"): both_on_chat},
                   cost=[4.0, 4.5, 4.0, 2.5, 2.5])


def lp_bound(data, joint: bool = True) -> float:
    model = build_model(data)
    if not joint:
        model.joint_floor.deactivate()
    outcome = run(model, "appsi_highs", 60, relaxed=True)
    assert outcome.objective is not None
    return outcome.objective


def test_two_channels_sharing_groups_need_whole_agents_together() -> None:
    # Each channel needs 0.6 of an agent every hour: alone, each is one agent's floor; the LP
    # serves them with 0.6 of `left` and 0.6 of `right` (4.8); together they need two agents.
    data = center([0.6] * 4, [0.6] * 4)
    floors = joint_floors(replace(data, least_agents={
        (c, t): 1 for c in ("phone", "chat") for t in range(4)}))
    assert floors == {(("both", "left", "right"), t): 2 for t in range(4)}
    assert lp_bound(data, joint=False) == pytest.approx(0.6 * 4 + 0.6 * 4)
    assert lp_bound(data) == pytest.approx(8.0)  # the LP bound is the whole-agent optimum
    report = solve(build_model(data), SolveSettings(mip_gap=1e-6))
    assert report.objective == pytest.approx(8.0)  # one `left` and one `right`


def test_a_set_of_channels_sharing_no_group_adds_no_floor() -> None:
    data = center([0.6] * 4, [0.6] * 4)
    skills = [("left", "phone"), ("right", "chat")]
    apart = replace(data, skills=skills, efficiency=dict.fromkeys(skills, 1.0))
    assert joint_floors(apart) == {}


def test_agents_worth_less_on_queue_need_more_of_them() -> None:
    # 85% of each agent on queue: 1.2 reference agents need ceil(1.2 / 0.85) = 2 agents, and
    # 1.8 need ceil(1.8 / 0.85) = 3, where 1.8 whole agents would be 2.
    data = center([0.9] * 4, [0.9] * 4, availability=0.85)
    assert set(joint_floors(data).values()) == {3}


requirement = st.lists(st.sampled_from([0.0, 0.3, 0.6, 1.0, 1.4, 2.2]), min_size=4, max_size=4)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(requirement, requirement, st.sampled_from([1.0, 0.85, 0.7]), st.sampled_from([1.0, 0.6]))
def test_the_cut_never_cuts_off_the_best_schedule(phone: list[float], chat: list[float],
                                                  availability: float, both_on_chat: float
                                                  ) -> None:
    assume(any(phone) or any(chat))
    data = center(phone, chat, availability, both_on_chat)
    with_cut = solve(build_model(data), SolveSettings(mip_gap=1e-9, strategy="direct"))
    original = schedule_model.joint_floors
    try:
        schedule_model.joint_floors = lambda _: {}
        without = solve(build_model(data), SolveSettings(mip_gap=1e-9, strategy="direct"))
    finally:
        schedule_model.joint_floors = original
    assert with_cut.objective == pytest.approx(without.objective)
    assert lp_bound(data) >= lp_bound(data, joint=False) - 1e-9
