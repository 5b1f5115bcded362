"""Concurrency limits by period of the day (`concurrency.by_period`): held to Erlang C, where
a linear efficiency curve makes N agents holding k chats N x k servers; honoured exactly
(no agent above the limit once the contacts taken before it are done); a no-op when the
period's limit is the channel's; planned for by the requirements; and refused clearly."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import HALF_HOURS, estimate, live, scenario, seed_for

from omnistaff.optimize.requirements import channel_requirements
from omnistaff.scenarios import ScenarioError
from omnistaff.sim import simulate
from omnistaff.sim.erlang import agents_for_target, erlang_c, erlang_c_metrics
from omnistaff.sim.policies import uses_policies

AGENTS, LOAD, AHT, THRESHOLD = 10, 8.0, 300.0, 1.0
#: Two chats each until noon, one from noon to midnight.
AFTERNOON_ALONE = [{"start": "12:00", "end": "00:00", "max": 1}]
#: The half-hours of each half-day judged: two hours after each change are left out, so
#: the queue has settled to the new number of servers.
MORNING, AFTERNOON = range(4, 24), range(28, 48)


def chat_day(periods: list[dict[str, object]], days: int = 2) -> object:
    """Chat at 8 Erlangs, exponential work, linear efficiency (each held chat at full
    speed), 10 agents; the SL is answered within a second (about 1 - P(wait))."""
    chat = live(AHT, LOAD / AHT * 1800, threshold=THRESHOLD,
                concurrency={"max": 2, "efficiency": "linear", "by_period": periods})
    return scenario({"chat": chat}, staffing={"per_interval": {"g": [AGENTS] * HALF_HOURS}},
                    days=days, warmup=7200)


def service_level(result: object, halves: range) -> float:
    """The SL of the chats arriving in the given half-hours of every day."""
    cells = result.channel_intervals
    mine = cells[(cells["interval"] % HALF_HOURS).isin(halves)]
    return mine["answered_within_sla"].sum() / mine["sla_base"].sum()


@pytest.mark.slow  # about 3 s: 30 replications of two days
def test_each_half_day_is_erlang_c_of_its_servers() -> None:
    """Mornings: 10 agents x 2 chats = 20 servers; afternoons 10: the SL of each half is
    Erlang C's for its servers (99.9% CI over 30 replications plus 0.01). Without the limit
    the afternoon would be the morning's (P(wait) 0.0003), with it 0.41."""
    scen = chat_day(AFTERNOON_ALONE)
    runs = [simulate(scen, seed_for("chat by period"), r) for r in range(30)]
    for halves, servers in ((MORNING, 2 * AGENTS), (AFTERNOON, AGENTS)):
        got = estimate([service_level(r, halves) for r in runs])
        reference = erlang_c_metrics(LOAD / AHT, AHT, servers, THRESHOLD).service_level
        assert got.agrees(reference, 0.01), (servers, got.describe(reference))
    assert erlang_c(AGENTS, LOAD) - erlang_c(2 * AGENTS, LOAD) > 0.4  # the test has power


def test_no_agent_holds_more_than_the_limit_once_earlier_chats_are_done() -> None:
    result = simulate(chat_day(AFTERNOON_ALONE, days=1), 3)
    limits = result.channel_intervals["concurrency_limit"].to_numpy()
    assert limits.tolist() == [2.0] * 24 + [1.0] * 24
    groups = result.group_intervals
    afternoon = groups[groups["interval"].isin(AFTERNOON)]
    assert (afternoon["mean_concurrency"] <= 1 + 1e-9).all()
    morning = groups[groups["interval"].isin(MORNING)]
    assert (morning["mean_concurrency"] > 1).any()  # two at once where the limit allows


def test_a_period_at_the_channels_own_max_changes_nothing() -> None:
    """The limit engine with a limit equal to the max makes the standing rule's every
    decision: identical frames."""
    same = chat_day([{"start": "12:00", "end": "00:00", "max": 2}], days=1)
    plain = chat_day([], days=1)
    assert uses_policies(same) and not uses_policies(plain)
    a, b = simulate(same, 4), simulate(plain, 4)
    pd.testing.assert_frame_equal(a.channel_intervals.drop(columns="concurrency_limit"),
                                  b.channel_intervals)
    pd.testing.assert_frame_equal(a.groups, b.groups)


def test_requirements_count_agents_at_each_intervals_limit() -> None:
    """Linear efficiency: an agent with k chats is k full-speed servers, so the requirement
    is the Erlang C servers over k: over 2 in the morning, over 1 in the afternoon."""
    scen = chat_day(AFTERNOON_ALONE, days=1)
    required = channel_requirements(scen).required["chat"]
    servers = agents_for_target(LOAD / AHT, AHT, THRESHOLD, 0.8, None, None)
    assert required[:24] == pytest.approx(np.full(24, servers / 2))
    assert required[24:] == pytest.approx(np.full(24, servers))
    assert math.isclose(servers, required[30])


@pytest.mark.parametrize(("period", "field", "words"), [
    ({"start": "12:10", "end": "00:00", "max": 1}, "by_period.0.start", "interval grid"),
    ({"start": "12:00", "end": "00:00", "max": 3}, "by_period.0.max", "above the channel"),
    ({"start": "12:00", "end": "10:00", "max": 1}, "by_period", "not after start"),
])
def test_a_bad_period_is_named_with_its_fix(period: dict[str, object], field: str,
                                            words: str) -> None:
    with pytest.raises(ScenarioError) as error:
        chat_day([period], days=1)
    assert f"channels.chat.concurrency.{field}" in str(error.value)
    assert words in str(error.value)


def test_overlapping_periods_are_refused() -> None:
    with pytest.raises(ScenarioError, match="overlap"):
        chat_day([{"start": "08:00", "end": "12:00", "max": 1},
                  {"start": "10:00", "end": "14:00", "max": 1}], days=1)
