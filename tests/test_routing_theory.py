"""The routing policies held to exact Markov chains on small instances (`routing_chains`).

Each case: two channels (or one) at constant Poisson rates, two groups of a few agents,
exponential work, constant staffing, a warm-up of 30 mean handle times and a day observed;
time is scaled so a day holds some 20,000 contacts. Tolerance as in `test_engine_theory`:
the 99.9% Student t interval over seeded replications plus a slack of 0.002 on shares and
1% on mean waits (censoring of contacts still waiting at the end, and the warm-up's
transient, are below that here).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DAY, HALF_HOURS, Estimate, deferred, estimate, live, scenario, seed_for
from routing_chains import (
    overflow_chain,
    preemption_chain,
    redial_chain,
    reserved_chain,
)

from omnistaff.scenarios import Scenario
from omnistaff.sim import SimResult, simulate

SHARE_SLACK = 0.002
WAIT_RELATIVE_SLACK = 0.01
REPLICATIONS = 8


def staffed(counts: dict[str, int]) -> dict[str, object]:
    return {"per_interval": {g: [n] * HALF_HOURS for g, n in counts.items()}}


def runs(scen: Scenario, *case: object) -> list[SimResult]:
    seed = seed_for("routing", *case)
    return [simulate(scen, seed, r, contacts=True) for r in range(REPLICATIONS)]


def p_wait(results: list[SimResult], channel: str) -> Estimate:
    values = []
    for result in results:
        assert result.contacts is not None
        seen = result.contacts[(result.contacts["arrival"] >= 0)
                               & (result.contacts["channel"] == channel)
                               & result.contacts["outcome"].isin(["answered", "abandoned"])]
        values.append(float((seen["wait"] > 0).mean()))
    return estimate(values)


def answered_by(results: list[SimResult], channel: str, group: str) -> Estimate:
    values = []
    for result in results:
        assert result.contacts is not None
        seen = result.contacts[(result.contacts["arrival"] >= 0)
                               & (result.contacts["channel"] == channel)
                               & (result.contacts["outcome"] == "answered")]
        values.append(float((seen["group"] == group).mean()))
    return estimate(values)


def kpi(results: list[SimResult], frame: str, row: str, column: str) -> Estimate:
    return estimate([getattr(r, frame).loc[row, column] for r in results])


def check(failures: list[str], name: str, est: Estimate, reference: float,
          slack: float) -> None:
    if not est.agrees(reference, slack):
        failures.append(f"{name}: {est.describe(reference)}, slack {slack:.2g}")


def two_channel(aht: float, phone_load: float, email_load: float, groups: dict[str, object],
                counts: dict[str, int], routing: dict[str, object]) -> Scenario:
    """Phone (live, no abandonment) and email (deferred, never expires) with exponential
    work of mean `aht`, at `load` Erlangs each."""
    channels = {
        "phone": live(aht, phone_load / aht * 1800, threshold=0.2 * aht),
        "email": deferred(aht, email_load / aht * 1800, threshold=10 * aht),
    }
    return scenario(channels, groups, staffed(counts), warmup=30 * aht, routing=routing)


@pytest.mark.slow  # a few seconds: an exact chain and 8 replications
def test_reserved_agents_follow_the_exact_chain() -> None:
    """Phone specialists A (2) then generalists B (3) take phone; B keep one agent idle for
    phone, so email waits whenever fewer than two B agents are idle."""
    phone_load, email_load, a, b, kept = 2.0, 0.9, 2, 3, 1
    aht = (phone_load + email_load) * DAY / 20_000
    mu = 1 / aht
    chain = reserved_chain(a, b, kept, phone_load * mu, email_load * mu, mu, 40)
    scen = two_channel(aht, phone_load, email_load,
                       {"A": {"skills": ["phone"]}, "B": {"skills": ["phone", "email"]}},
                       {"A": a, "B": b},
                       {"channels": {"phone": {"groups": ["A", "B"],
                                               "reserve": [{"group": "B", "agents": kept}]}}})
    got = runs(scen, "reserve")
    all_busy = lambda s: s[0] == a and s[1] + s[2] == b  # noqa: E731
    failures: list[str] = []
    check(failures, "phone P(wait)", p_wait(got, "phone"), chain.mean(all_busy), SHARE_SLACK)
    check(failures, "email P(wait)", p_wait(got, "email"),
          chain.mean(lambda s: b - s[1] - s[2] <= kept), SHARE_SLACK)
    for name, queued, rate in (("phone", 3, phone_load), ("email", 4, email_load)):
        asa = chain.mean(lambda s, q=queued: s[q]) / (rate * mu)
        check(failures, f"{name} ASA", kpi(got, "channels", name, "asa_seconds"), asa,
              WAIT_RELATIVE_SLACK * asa)
    check(failures, "A occupancy", kpi(got, "groups", "A", "occupancy"),
          chain.mean(lambda s: s[0]) / a, SHARE_SLACK)
    check(failures, "B occupancy", kpi(got, "groups", "B", "occupancy"),
          chain.mean(lambda s: s[1] + s[2]) / b, SHARE_SLACK)
    check(failures, "phone answered by B", answered_by(got, "phone", "B"),
          chain.mean(lambda s: s[1]) / phone_load, SHARE_SLACK)
    assert not failures, "\n".join(failures)


@pytest.mark.slow  # a few seconds: an exact chain and 8 replications
def test_preemption_follows_the_exact_chain() -> None:
    """Phone interrupts generalists' email: phone waits only when every agent is on phone,
    the interrupted email resumes first, and interruptions happen at the chain's rate."""
    phone_load, email_load, a, b = 2.0, 0.7, 2, 2
    aht = (phone_load + email_load) * DAY / 20_000
    mu = 1 / aht
    chain = preemption_chain(a, b, phone_load * mu, email_load * mu, mu, 45)
    scen = two_channel(aht, phone_load, email_load,
                       {"A": {"skills": ["phone"]}, "B": {"skills": ["email", "phone"]}},
                       {"A": a, "B": b},
                       {"preemption": True, "channels": {"phone": {"groups": ["A", "B"]}}})
    got = runs(scen, "preemption")
    on_phone = lambda s: s[0] == a and s[1] == b  # noqa: E731
    failures: list[str] = []
    check(failures, "phone P(wait)", p_wait(got, "phone"), chain.mean(on_phone), SHARE_SLACK)
    check(failures, "email P(wait)", p_wait(got, "email"),
          chain.mean(lambda s: s[1] + s[2] == b), SHARE_SLACK)
    asa = chain.mean(lambda s: s[3]) / (phone_load * mu)
    check(failures, "phone ASA", kpi(got, "channels", "phone", "asa_seconds"), asa,
          WAIT_RELATIVE_SLACK * asa)
    interrupts = phone_load * mu * chain.mean(
        lambda s: s[0] == a and s[1] + s[2] == b and s[2] > 0) * DAY
    check(failures, "interruptions a day", kpi(got, "channels", "email", "interrupted"),
          interrupts, WAIT_RELATIVE_SLACK * interrupts)
    check(failures, "phone answered by B", answered_by(got, "phone", "B"),
          chain.mean(lambda s: s[1]) / phone_load, SHARE_SLACK)
    check(failures, "B occupancy", kpi(got, "groups", "B", "occupancy"),
          chain.mean(lambda s: s[1] + s[2]) / b, SHARE_SLACK)
    assert not failures, "\n".join(failures)


@pytest.mark.slow  # a few seconds: an exact chain and 8 replications
def test_overflow_after_a_random_delay_follows_the_exact_chain() -> None:
    """A (1) takes phone at once; B (2) only once a contact's exponential delay (mean half
    a handle time) has passed, then the first such contact in line. (Low load: the chain
    keeps the queue's order of passed and pending delays, 2^length states.)"""
    load, a, b = 0.8, 1, 2
    aht = load * DAY / 20_000
    mu = 1 / aht
    chain = overflow_chain(a, b, load * mu, mu, 2 * mu, 10)
    channels = {"phone": live(aht, load / aht * 1800, threshold=0.2 * aht)}
    routing = {"channels": {"phone": {"groups": ["A", "B"], "overflow_after": {
        "dist": "exponential", "mean": 0.5 * aht}}}}
    scen = scenario(channels, {"A": {"skills": ["phone"]}, "B": {"skills": ["phone"]}},
                    staffed({"A": a, "B": b}), warmup=30 * aht, routing=routing)
    got = runs(scen, "overflow")
    failures: list[str] = []
    check(failures, "P(wait)", p_wait(got, "phone"), chain.mean(lambda s: s[0] == a),
          SHARE_SLACK)
    asa = chain.mean(lambda s: len(s[2])) / (load * mu)
    check(failures, "ASA", kpi(got, "channels", "phone", "asa_seconds"), asa,
          WAIT_RELATIVE_SLACK * asa)
    check(failures, "answered by B", answered_by(got, "phone", "B"),
          chain.mean(lambda s: s[1]) / load, SHARE_SLACK)
    assert not failures, "\n".join(failures)


def test_overflow_after_a_fixed_delay_never_reaches_later_groups_early() -> None:
    """With a fixed delay T, every contact the second group answers waited at least T, and
    some waited exactly T (taken by an idle agent the moment its delay passed)."""
    aht, threshold = 300.0, 45.0
    routing = {"channels": {"phone": {"groups": ["A", "B"], "overflow_after": threshold}}}
    scen = scenario({"phone": live(aht, 14.0)}, {"A": {"skills": ["phone"]},
                                                 "B": {"skills": ["phone"]}},
                    staffed({"A": 2, "B": 2}), routing=routing)
    contacts = simulate(scen, 3, contacts=True).contacts
    assert contacts is not None
    by_b = contacts[(contacts["group"] == "B") & (contacts["outcome"] == "answered")]
    assert len(by_b) > 50
    assert (by_b["wait"] >= threshold - 1e-9).all()
    assert np.isclose(by_b["wait"], threshold).any()


@pytest.mark.slow  # a few seconds: an exact chain and 8 replications
def test_redials_follow_the_exact_chain() -> None:
    """M/M/c+M whose abandoners redial (share 0.6, exponential delay): redials a day,
    abandonment per attempt and P(wait) per attempt agree with the chain."""
    agents, load, share = 4, 4.4, 0.6
    aht = load * DAY / 20_000
    mu, theta, gamma = 1 / aht, 1 / aht, 1 / (2 * aht)
    chain = redial_chain(agents, load * mu, mu, theta, share, gamma, 60, 60)
    channel = live(aht, load / aht * 1800, threshold=0.2 * aht, patience=aht,
                   redial={"share": share, "delay": {"dist": "exponential", "mean": 2 * aht}})
    scen = scenario({"phone": channel}, {"g": {"skills": ["phone"]}},
                    staffed({"g": agents}), warmup=30 * aht)
    got = runs(scen, "redial")
    redial_rate = gamma * chain.mean(lambda s: s[1])
    attempts = load * mu + redial_rate
    abandon = theta * chain.mean(lambda s: max(s[0] - agents, 0)) / attempts
    waits = (load * mu * chain.mean(lambda s: s[0] >= agents)
             + gamma * chain.mean(lambda s: s[1] * (s[0] >= agents))) / attempts
    failures: list[str] = []
    check(failures, "redials a day", kpi(got, "channels", "phone", "redials"),
          redial_rate * DAY, WAIT_RELATIVE_SLACK * redial_rate * DAY)
    check(failures, "abandon rate", kpi(got, "channels", "phone", "abandon_rate"), abandon,
          SHARE_SLACK)
    check(failures, "P(wait)", p_wait(got, "phone"), waits, SHARE_SLACK)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("agents", [3, 6])
def test_chain_without_policies_reduces_to_erlang_c(agents: int) -> None:
    """The preemption chain with no email and no B agents is M/M/c: P(wait) is Erlang C,
    which checks the chain machinery itself."""
    from omnistaff.sim.erlang import erlang_c

    load = 0.8 * agents
    chain = preemption_chain(agents, 0, load, 0.0, 1.0, 200)
    assert chain.mean(lambda s: s[0] == agents) == pytest.approx(erlang_c(agents, load),
                                                                 rel=1e-8)
