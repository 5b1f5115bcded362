"""Properties of the policy engine over generated scenarios: the engine properties'
scenarios (`test_engine_properties.scenarios`) with random routing policies, call-backs and
redials on top. Every contact is accounted for, waits are sane, agents are busy only while
staffed, and one seed gives one result."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_properties import PROPERTY_SETTINGS, scenarios

from omnistaff.scenarios import Scenario, scenario_from_dict
from omnistaff.sim import simulate

OUTCOMES = ["answered", "abandoned", "expired", "deflected", "balked", "blocked",
            "triaged_out", "waiting", "called_back"]


@st.composite
def with_policies(draw: st.DrawFn) -> Scenario:
    """A generated scenario with some routing policies set."""
    base = draw(scenarios())
    data: dict[str, Any] = base.model_dump(mode="json")
    groups = list(data["groups"])
    routing = data["routing"]
    routing["selection"] = draw(st.sampled_from(["priority", "longest_weighted_wait"]))
    routing["preemption"] = draw(st.booleans())
    for name, channel in data["channels"].items():
        skilled = [g for g in groups
                   if any(s["channel"] == name for s in data["groups"][g]["skills"])]
        policy: dict[str, Any] = {"weight": draw(st.sampled_from([1.0, 3.0]))}
        if draw(st.booleans()):
            policy["groups"] = draw(st.permutations(skilled))
            if len(skilled) > 1 and draw(st.booleans()):
                policy["overflow_after"] = draw(st.sampled_from(
                    [30, {"dist": "exponential", "mean": 60}]))
        if draw(st.booleans()):
            policy["reserve"] = [{"group": draw(st.sampled_from(skilled)),
                                  **draw(st.sampled_from([{"agents": 1}, {"share": 0.3}]))}]
        if draw(st.booleans()):
            policy["queue_threshold"] = {draw(st.sampled_from(skilled)): draw(
                st.integers(0, 3))}
        routing["channels"][name] = policy
        deferred = [n for n, c in data["channels"].items() if c["mode"] == "deferred"]
        if channel["mode"] == "live" and deferred and draw(st.booleans()):
            channel["callback"] = {"to": draw(st.sampled_from(deferred)),
                                   "offer_above": draw(st.sampled_from([0, 60])),
                                   "accept_share": draw(st.sampled_from([0.3, 1.0]))}
        if channel["mode"] == "live" and channel.get("patience") and draw(st.booleans()):
            channel["redial"] = {"share": 0.5, "delay": draw(st.sampled_from(
                [60, {"dist": "exponential", "mean": 300}]))}
        most = channel["concurrency"]["max"]
        if draw(st.booleans()):
            channel["concurrency"]["by_period"] = [{
                "start": draw(st.sampled_from(["00:00", "06:00", "12:00"])), "end": "18:00",
                "max": draw(st.integers(1, most))}]
    return scenario_from_dict(data)


@pytest.mark.slow
@settings(PROPERTY_SETTINGS, max_examples=40)
@given(scen=with_policies(), seed=st.integers(0, 2**16))
def test_every_contact_is_accounted_for_under_any_policy(scen: Scenario, seed: int) -> None:
    result = simulate(scen, seed, contacts=True)
    frame = result.channel_intervals
    assert (frame["offered"] == frame[OUTCOMES].sum(axis=1)).all()
    assert result.contacts is not None
    contacts = result.contacts
    assert frame["offered"].sum() == (contacts["arrival"] >= 0).sum()
    assert (contacts["wait"] >= 0).all()
    assert (contacts.loc[contacts["outcome"] == "answered", "group"]).notna().all()
    groups = result.group_intervals
    eps = 1e-6
    assert (groups["busy_seconds"] <= groups["staffed_seconds"] + eps).all()
    assert (groups["busy_seconds"] <= groups["held_seconds"] + eps).all()
    assert (groups[["busy_seconds", "held_seconds"]] >= -eps).all().all()
    for name, spec in scen.channels.items():
        if spec.concurrency.by_period:
            limits = frame.loc[frame["channel"] == name, "concurrency_limit"]
            assert limits.between(1, spec.concurrency.max).all()
        if spec.callback is not None:
            row = result.channels.loc[name]
            assert row["called_back"] <= row["callbacks_offered"]
    assert np.isfinite(result.channels["handled"]).all()


@pytest.mark.slow
@settings(PROPERTY_SETTINGS, max_examples=10)
@given(scen=with_policies(), seed=st.integers(0, 2**16))
def test_same_seed_same_frames_under_any_policy(scen: Scenario, seed: int) -> None:
    first, second = (simulate(scen, seed, 1) for _ in range(2))
    pd.testing.assert_frame_equal(first.channel_intervals, second.channel_intervals)
    pd.testing.assert_frame_equal(first.group_intervals, second.group_intervals)
