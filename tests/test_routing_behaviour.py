"""Routing policies, call-backs and redials: special cases with known answers, conservation,
paired comparisons, and the errors a bad setting gets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import DAY, HALF_HOURS, deferred, estimate, live, scenario, seed_for

from omnistaff.scenarios import ScenarioError
from omnistaff.sim import simulate
from omnistaff.sim.erlang import erlang_b, erlang_c
from omnistaff.sim.policies import uses_policies

CONFIDENCE_Z = 3.29  # 99.9% two-sided


def staffed(counts: dict[str, int]) -> dict[str, object]:
    return {"per_interval": {g: [n] * HALF_HOURS for g, n in counts.items()}}


def within_binomial(count: float, trials: float, share: float) -> bool:
    return abs(count - share * trials) <= CONFIDENCE_Z * math.sqrt(
        trials * share * (1 - share)) + 1


def test_policies_that_change_nothing_give_the_standing_rules_results_exactly() -> None:
    """Group order equal to the skill order, a reservation of a group that serves only the
    protected channel, and call-backs nobody accepts: the policy engine makes the standing
    rule's every decision, so the frames are identical (a check of `PolicyModel` itself)."""
    channels = {"phone": live(240, 60, patience=180), "chat": live(400, 20, concurrency={
        "max": 2}), "email": deferred(300, 8), "cb": deferred(240, 0)}
    groups = {"a": {"skills": ["phone", "chat"]}, "b": {"skills": ["email", "phone", "cb"]}}
    plain = scenario(channels, groups, staffed({"a": 6, "b": 4}))
    noop = scenario(channels, groups, staffed({"a": 6, "b": 4}),
                    routing={"channels": {"phone": {"groups": ["a", "b"]}}})
    declined = scenario({**channels, "phone": {**channels["phone"], "callback": {
        "to": "cb", "offer_above": 10, "accept_share": 0.0}}}, groups,
        staffed({"a": 6, "b": 4}))
    assert uses_policies(noop) and uses_policies(declined) and not uses_policies(plain)
    base = simulate(plain, 5)
    for other in (simulate(noop, 5), simulate(declined, 5)):
        pd.testing.assert_frame_equal(base.channel_intervals, other.channel_intervals)
        pd.testing.assert_frame_equal(base.groups, other.groups)
    assert simulate(declined, 5).channels.loc["phone", "callbacks_offered"] > 100


@pytest.mark.slow  # a few seconds: 8 replications of 15,000 calls
def test_callbacks_accepted_by_everyone_make_an_erlang_b_loss_system() -> None:
    """Offer at any expected wait, everyone accepts: a caller who finds all four agents
    busy takes a call-back, so the share called back is Erlang B(4, a)."""
    agents, load = 4, 3.5
    aht = load * DAY / 15_000
    channels = {"phone": live(aht, load / aht * 1800, callback={
        "to": "cb", "offer_above": 0, "accept_share": 1.0}), "cb": deferred(aht, 0)}
    scen = scenario(channels, {"a": {"skills": ["phone"]}, "c": {"skills": ["cb"]}},
                    staffed({"a": agents, "c": 10}), warmup=30 * aht)
    shares = []
    for r in range(8):
        result = simulate(scen, seed_for("erlang b"), r)
        phone, cb = result.channels.loc["phone"], result.channels.loc["cb"]
        assert phone.called_back == phone.callbacks_offered == cb.offered
        assert phone.handled + phone.called_back + phone.waiting == phone.offered
        shares.append(phone.called_back / phone.offered)
    est = estimate(shares)
    assert est.agrees(erlang_b(agents, load), 0.002), est.describe(erlang_b(agents, load))


def test_callbacks_conserve_contacts_and_meet_the_window_as_the_callback_channels_sla() -> None:
    """Half accept: accepted ~ Binomial(offered, 1/2); every call-back is a contact of the
    callback channel, whose SLA threshold is the window; the live SL counts only those who
    stayed in the queue."""
    channels = {"phone": live(300, 70, patience=300, callback={
        "to": "cb", "offer_above": 60, "accept_share": 0.5}),
        "cb": deferred(300, 0, threshold=1800)}
    groups = {"a": {"skills": ["phone", "cb"]}}
    result = simulate(scenario(channels, groups, staffed({"a": 11})), 2)
    phone, cb = result.channels.loc["phone"], result.channels.loc["cb"]
    assert phone.callbacks_offered > 200
    assert within_binomial(phone.called_back, phone.callbacks_offered, 0.5)
    assert cb.offered == phone.called_back
    outcomes = ["handled", "abandoned", "called_back", "waiting"]
    assert sum(phone[o] for o in outcomes) == phone.offered
    # the live SL's base: handled, abandoned and late still waiting, never the called back
    assert phone.handled + phone.abandoned <= phone.sla_base <= phone.offered - phone.called_back
    assert cb.answered_within_sla <= cb.handled


def test_redials_are_a_share_of_abandons() -> None:
    """Each abandon redials with probability 0.4: redials ~ Binomial(abandoned, 0.4), up to
    the abandons near the horizon's end whose redial falls after it."""
    channel = live(300, 90, patience=120, redial={"share": 0.4, "delay": "5min"})
    result = simulate(scenario({"phone": channel}, {"g": {"skills": ["phone"]}},
                               staffed({"g": 12})), 4)
    phone = result.channels.loc["phone"]
    assert phone.abandoned > 300
    assert within_binomial(phone.redials, phone.abandoned, 0.4)


def test_redial_share_zero_changes_nothing_but_the_engine() -> None:
    channel = live(300, 90, patience=120)
    groups = {"g": {"skills": ["phone"]}}
    plain = simulate(scenario({"phone": channel}, groups, staffed({"g": 12})), 4)
    never = simulate(scenario({"phone": {**channel, "redial": {"share": 0.0, "delay": 60}}},
                              groups, staffed({"g": 12})), 4)
    assert never.channels.loc["phone", "redials"] == 0
    pd.testing.assert_frame_equal(plain.channel_intervals, never.channel_intervals)


def two_phones(weights: tuple[float, float] | None) -> object:
    channels = {"p1": live(300, 45), "p2": live(300, 45)}
    routing: dict[str, object] = {}
    if weights is not None:
        routing = {"selection": "longest_weighted_wait", "channels": {
            "p1": {"weight": weights[0]}, "p2": {"weight": weights[1]}}}
    return scenario(channels, {"g": {"skills": ["p1", "p2"]}}, staffed({"g": 16}),
                    warmup=3600, routing=routing)


def test_longest_weighted_wait_with_equal_weights_is_one_fifo_queue() -> None:
    """Equal weights: the longest wait first across both channels is one FIFO queue, the
    standing rule's order for two live channels of one priority: identical runs, and both
    channels' P(wait) is Erlang C of the pooled load."""
    lwwt, plain = simulate(two_phones((1.0, 1.0)), 1), simulate(two_phones(None), 1)
    pd.testing.assert_frame_equal(lwwt.channel_intervals, plain.channel_intervals)
    assert erlang_c(16, 15.0) > 0.3  # a busy pooled queue: the comparison below matters


def test_longest_weighted_wait_favours_the_heavier_weight() -> None:
    """Weight 4 on p1: its ASA falls and p2's rises, on every paired replication."""
    for r in range(3):
        even = simulate(two_phones((1.0, 1.0)), 7, r).channels
        tilted = simulate(two_phones((4.0, 1.0)), 7, r).channels
        assert tilted.loc["p1", "asa_seconds"] < 0.6 * even.loc["p1", "asa_seconds"]
        assert tilted.loc["p2", "asa_seconds"] > even.loc["p2", "asa_seconds"]


def test_queue_threshold_calls_the_backup_group_only_when_the_queue_builds() -> None:
    """Backup agents take phone only while more than 3 wait: every call they answer found at
    least 3 waiting ahead of it, so it waited; and they answer fewer than without it."""
    channels = {"phone": live(300, 50)}
    groups = {"main": {"skills": ["phone"]}, "backup": {"skills": ["phone"]}}
    routing = {"channels": {"phone": {"groups": ["main", "backup"],
                                      "queue_threshold": {"backup": 3}}}}
    gated = simulate(scenario(channels, groups, staffed({"main": 9, "backup": 3}),
                              routing=routing), 2, contacts=True).contacts
    open_ = simulate(scenario(channels, groups, staffed({"main": 9, "backup": 3}),
                              routing={"channels": {"phone": {"groups": ["main", "backup"]}}}),
                     2, contacts=True).contacts
    assert gated is not None and open_ is not None
    by_backup = gated[(gated["group"] == "backup") & (gated["outcome"] == "answered")]
    assert len(by_backup) > 20
    assert (by_backup["wait"] > 0).all()
    assert len(by_backup) < 0.8 * ((open_["group"] == "backup").sum())


@pytest.mark.parametrize(("routing", "field", "words"), [
    ({"channels": {"phone": {"groups": ["nobody"]}}}, "routing.channels.phone.groups.0",
     "no agent group named 'nobody'"),
    ({"channels": {"phone": {"groups": ["b"]}}}, "routing.channels.phone.groups.0",
     "has no skill for 'phone'"),
    ({"channels": {"fax": {"weight": 2}}}, "routing.channels.fax", "no channel named"),
    ({"channels": {"phone": {"groups": ["a"], "overflow_after": 30}}}, "overflow_after needs",
     "more than first_groups"),
    ({"channels": {"phone": {"reserve": [{"group": "a"}]}}}, "reserve", "either agents"),
])
def test_bad_routing_is_named_with_its_fix(routing: dict[str, object], field: str,
                                           words: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario({"phone": live(), "email": deferred()},
                 {"a": {"skills": ["phone", "email"]}, "b": {"skills": ["email"]}},
                 staffed({"a": 2, "b": 1}), routing=routing)
    assert field in str(caught.value) and words in str(caught.value)


def test_callback_must_go_to_a_deferred_channel() -> None:
    with pytest.raises(ScenarioError, match=r"callback\.to: channel 'chat' is live"):
        scenario({"phone": live(callback={"to": "chat", "offer_above": 30,
                                          "accept_share": 0.5}), "chat": live()})
    with pytest.raises(ScenarioError, match="callback applies to live channels only"):
        scenario({"email": deferred(callback={"to": "email", "offer_above": 30,
                                              "accept_share": 0.5})})


def test_occupancy_cap_is_reported_against() -> None:
    result = simulate(scenario({"phone": live(300, 50)}, {"g": {"skills": ["phone"],
                                                                "max_occupancy": 0.8}},
                               staffed({"g": 10})), 1)
    row = result.groups.loc["g"]
    assert row.max_occupancy == 0.8
    over = result.group_intervals.query("staffed_seconds > 0")["occupancy"] > 0.8
    assert row.intervals_over_cap == pytest.approx(float(np.mean(over)))
    assert 0 < row.intervals_over_cap < 1
