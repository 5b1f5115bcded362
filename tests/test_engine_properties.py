"""Properties of the engine over generated small scenarios (Hypothesis).

The scenarios mix live and deferred channels with random volumes and shapes, handle-time
distributions, patience or expiry, concurrency with either efficiency curve, priority classes,
deflection, triage, escalation (only to later channels, so never a cycle), balking, queue
capacity, one or two agent groups with random skill sets (order, proficiency, concurrency
caps), shrinkage and absenteeism, and staffing by shifts with breaks and/or agents per
interval. Examples are derandomized (and no example database is kept) so CI sees the same
ones every run; each also draws the run's seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import paired_estimate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omnistaff.scenarios import Scenario, scenario_from_dict
from omnistaff.sim import SimResult, simulate

OUTCOME_COLUMNS = ["answered", "abandoned", "expired", "deflected", "balked", "blocked",
                   "triaged_out", "waiting"]
PROPERTY_SETTINGS = settings(deadline=None, derandomize=True, database=None,
                             suppress_health_check=[HealthCheck.too_slow])

durations = st.sampled_from([30, 90, 180, 300, 600])


@st.composite
def distributions(draw: st.DrawFn) -> dict[str, Any]:
    mean = draw(durations)
    kind = draw(st.sampled_from(["exponential", "lognormal", "fixed", "gamma", "empirical"]))
    if kind == "fixed":
        return {"dist": "fixed", "value": mean}
    if kind == "empirical":
        return {"dist": "empirical", "samples": [mean / 2, mean, 2 * mean]}
    if kind in ("lognormal", "gamma"):
        return {"dist": kind, "mean": mean, "cv": draw(st.sampled_from([0.5, 1.0, 1.5]))}
    return {"dist": "exponential", "mean": mean}


@st.composite
def channels(draw: st.DrawFn, index: int, count: int) -> dict[str, Any]:
    """Channel `index` of `count`; it may escalate only to channels after it."""
    live = draw(st.booleans())
    arrivals: dict[str, Any] = {
        "weekly_volume": 7 * draw(st.integers(0, 300)),
        "intraday": draw(st.sampled_from(["flat", "business_hours", "evening"])),
    }
    if draw(st.booleans()):
        arrivals["hours"] = {"open": "08:00", "close": "20:00", "days": "all"}
    arrivals["day_cv"] = draw(st.sampled_from([0, 0, 0.2]))
    channel: dict[str, Any] = {
        "mode": "live" if live else "deferred",
        "arrivals": arrivals,
        "handle_time": draw(distributions()),
        "after_contact_work": draw(st.sampled_from([0, 15])),
        "concurrency": {"max": draw(st.integers(1, 3)),
                        "efficiency": draw(st.sampled_from(["default", "linear"]))},
        "sla": {"target": 0.8, "threshold": 20 if live else 3600},
    }
    if live:
        if draw(st.booleans()):
            channel["patience"] = {"dist": "exponential", "mean": draw(durations)}
        channel["balking"] = draw(st.sampled_from([0, 0, 0.3]))
        channel["queue_capacity"] = draw(st.sampled_from([None, None, 0, 3]))
    elif draw(st.booleans()):
        channel["expiry"] = draw(st.sampled_from([1800, 4 * 3600]))
    if draw(st.booleans()):
        channel["priority_classes"] = [{"name": "vip", "share": 0.2, "priority": 0}]
    if draw(st.booleans()):
        channel["deflection"] = {"share": draw(st.sampled_from([0.1, 0.5]))}
    if draw(st.booleans()):
        channel["triage"] = {"actionable_share": draw(st.sampled_from([0.3, 0.8])),
                             "seconds": draw(st.sampled_from([0, 20])),
                             "by": draw(st.sampled_from(["agents", "automated"]))}
    if index + 1 < count and draw(st.booleans()):
        channel["escalation"] = [{
            "to": f"c{draw(st.integers(index + 1, count - 1))}",
            "share": draw(st.sampled_from([0.2, 0.6])),
            "delay": draw(st.sampled_from([0, "10min", {"dist": "exponential", "mean": 600}])),
        }]
    return channel


@st.composite
def staffing(draw: st.DrawFn, groups: list[str]) -> dict[str, Any]:
    """Shifts with breaks and/or agents per half-hour, at least one of them per group."""
    shifts: list[dict[str, Any]] = []
    per_interval: dict[str, list[int]] = {}
    for group in groups:
        use_shifts = draw(st.booleans())
        if use_shifts:
            for _ in range(draw(st.integers(1, 2))):
                hour, minute = draw(st.integers(0, 23)), draw(st.sampled_from([0, 30]))
                length = draw(st.sampled_from([4, 8, 10]))
                shift: dict[str, Any] = {"group": group, "days": "all",
                                         "start": f"{hour:02d}:{minute:02d}",
                                         "length": f"{length}h",
                                         "count": draw(st.integers(0, 3))}
                if draw(st.booleans()):
                    shift["breaks"] = [{"after": f"{length // 2}h", "duration": "30min"}]
                shifts.append(shift)
        if not use_shifts or draw(st.booleans()):
            level = draw(st.integers(0, 3))
            per_interval[group] = draw(st.lists(st.integers(max(level - 1, 0), level + 1),
                                                min_size=48, max_size=48))
    return {"shifts": shifts, "per_interval": per_interval}


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    count = draw(st.integers(1, 3))
    names = [f"c{i}" for i in range(count)]
    chans = {name: draw(channels(i, count)) for i, name in enumerate(names)}
    group_count = draw(st.integers(1, 2))
    groups: dict[str, Any] = {}
    for g in range(group_count):
        own = [n for i, n in enumerate(names) if i % group_count == g] or [names[g % count]]
        extra = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
        skills = [{"channel": n, "proficiency": draw(st.sampled_from([0.8, 1.0, 1.25]))}
                  for n in own + [n for n in extra if n not in own]]
        for skill in skills:
            if draw(st.booleans()):  # a skill may cap concurrency below the channel's
                skill["concurrency"] = draw(st.integers(
                    1, chans[skill["channel"]]["concurrency"]["max"]))
        groups[f"g{g}"] = {
            "skills": draw(st.permutations(skills)),
            "shrinkage": draw(st.sampled_from([0, 0.2])),
            "absenteeism": draw(st.sampled_from([0, 0.1])),
        }
    data = {
        "name": "generated",
        "horizon": {"days": 1, "warmup": draw(st.sampled_from([0, 3600]))},
        "channels": chans,
        "groups": groups,
        "staffing": draw(staffing(list(groups))),
        "routing": {"live_first": draw(st.booleans())},
    }
    return scenario_from_dict(data)


# ------------------------------------------------------------------------------ properties


@pytest.mark.slow
@settings(PROPERTY_SETTINGS, max_examples=60)
@given(scen=scenarios(), seed=st.integers(0, 2**16))
def test_every_contact_is_accounted_for(scen: Scenario, seed: int) -> None:
    """Per channel and interval: offered = answered + abandoned + expired + deflected +
    balked + blocked + triaged_out + still waiting; each contact has one outcome."""
    result = simulate(scen, seed, contacts=True)
    frame = result.channel_intervals
    assert (frame["offered"] == frame[OUTCOME_COLUMNS].sum(axis=1)).all()
    assert (frame[["offered", *OUTCOME_COLUMNS, "escalated", "backlog_end"]] >= 0).all().all()
    assert result.contacts is not None
    observed = result.contacts[result.contacts["arrival"] >= 0]
    assert frame["offered"].sum() == len(observed)
    assert (frame["escalated"] <= frame["answered"]).all()


@pytest.mark.slow
@settings(PROPERTY_SETTINGS, max_examples=60)
@given(scen=scenarios(), seed=st.integers(0, 2**16))
def test_waits_and_rates_are_sane(scen: Scenario, seed: int) -> None:
    """No negative wait; shares are shares; answered work starts after arrival."""
    result = simulate(scen, seed, contacts=True)
    contacts = result.contacts
    assert contacts is not None
    assert (contacts["wait"] >= 0).all()
    waiting = contacts["outcome"] == "waiting"
    assert np.isinf(contacts.loc[waiting, "left_queue"]).all()
    assert np.isfinite(contacts.loc[~waiting, "wait"]).all()
    instant = contacts["outcome"].isin(["deflected", "balked", "blocked", "triaged_out"])
    assert (contacts.loc[instant, "wait"] == 0).all()
    answered = contacts["outcome"] == "answered"
    assert contacts.loc[answered, "group"].notna().all()
    for column in ("service_level", "abandon_rate"):
        values = result.channel_intervals[column].dropna()
        assert values.between(0, 1).all(), column
    assert (result.channel_intervals["sla_base"]
            >= result.channel_intervals["answered_within_sla"]).all()


@pytest.mark.slow
@settings(PROPERTY_SETTINGS, max_examples=60)
@given(scen=scenarios(), seed=st.integers(0, 2**16))
def test_agents_are_busy_only_while_staffed(scen: Scenario, seed: int) -> None:
    """Agents take work only while on the queue and finish it before going off it (staffed
    time includes that overtime): busy <= staffed, and busy <= held <= most slots x busy."""
    groups = simulate(scen, seed).group_intervals
    eps = 1e-6
    assert (groups["busy_seconds"] <= groups["staffed_seconds"] + eps).all()
    assert (groups["busy_seconds"] <= groups["held_seconds"] + eps).all()
    slots = groups["group"].map({name: max(_limits(scen, name)) for name in scen.groups})
    assert (groups["held_seconds"] <= slots * groups["busy_seconds"] + eps).all()
    assert (groups[["staffed_seconds", "busy_seconds", "held_seconds"]] >= -eps).all().all()


@pytest.mark.slow
@settings(PROPERTY_SETTINGS, max_examples=15)
@given(scen=scenarios(), seed=st.integers(0, 2**16))
def test_same_seed_same_frames(scen: Scenario, seed: int) -> None:
    """Two runs with one seed and replication give identical frames."""
    first, second = (simulate(scen, seed, 1, contacts=True) for _ in range(2))
    _assert_same(first, second)


@pytest.mark.slow
@settings(PROPERTY_SETTINGS, max_examples=12)
@given(scen=scenarios(), seed=st.integers(0, 2**16))
def test_more_agents_never_worse_on_average(scen: Scenario, seed: int) -> None:
    """Adding agents (a clone of every group, one agent all day) does not lower any channel's
    mean service level over paired replications with common random numbers.

    The clone has its own roster stream, so arrivals, handle times and the original agents'
    absences and breaks are the same in both runs; the mean paired difference must not be
    below minus its 99.9% t half-width. Channels that receive escalations are left out: when
    their sources handle more, they get more work, so their service level may rightly drop.
    """
    more = _with_extra_agents(scen)
    targets = {e.to for c in scen.channels.values() for e in c.escalation}
    base_runs = [simulate(scen, seed, r).channels for r in range(6)]
    more_runs = [simulate(more, seed, r).channels for r in range(6)]
    for name in scen.channels:
        if name in targets:
            continue
        pairs = [(b.loc[name, "service_level"], m.loc[name, "service_level"])
                 for b, m in zip(base_runs, more_runs, strict=True)]
        pairs = [p for p in pairs if not np.isnan(p[0]) and not np.isnan(p[1])]
        if len(pairs) < 3:
            continue
        diff = paired_estimate([b for b, _ in pairs], [m for _, m in pairs])
        assert diff.mean >= -diff.half_width() - 1e-9, (name, diff)


def test_replications_and_seeds_differ() -> None:
    """Replications (and seeds) are independent draws, not copies."""
    scen = scenario_from_dict({
        "name": "busy", "horizon": {"days": 1},
        "channels": {"phone": {"mode": "live", "arrivals": {"weekly_volume": 7000},
                               "handle_time": {"mean": 300, "cv": 1},
                               "sla": {"target": 0.8, "threshold": 20}}},
        "groups": {"g": {"skills": ["phone"], "absenteeism": 0.1}},
        "staffing": {"per_interval": {"g": [2] * 48}},
    })
    base = simulate(scen, 7, 0, contacts=True)
    for other in (simulate(scen, 7, 1, contacts=True), simulate(scen, 8, 0, contacts=True)):
        assert other.contacts is not None and base.contacts is not None
        assert not other.contacts["arrival"].equals(base.contacts["arrival"])
        assert not other.channel_intervals["offered"].equals(base.channel_intervals["offered"])


# -------------------------------------------------------------------------------- helpers


def _limits(scen: Scenario, group: str) -> list[int]:
    return [s.concurrency or scen.channels[s.channel].concurrency.max
            for s in scen.groups[group].skills]


def _with_extra_agents(scen: Scenario) -> Scenario:
    data = scen.model_dump(mode="json")
    for name, group in scen.groups.items():
        data["groups"][f"{name}_x"] = group.model_dump(mode="json")
        data["staffing"]["per_interval"][f"{name}_x"] = [1] * scen.horizon.intervals_per_day
    return scenario_from_dict(data)


def _assert_same(first: SimResult, second: SimResult) -> None:
    pd.testing.assert_frame_equal(first.channel_intervals, second.channel_intervals)
    pd.testing.assert_frame_equal(first.group_intervals, second.group_intervals)
    pd.testing.assert_frame_equal(first.channels, second.channels)
    pd.testing.assert_frame_equal(first.groups, second.groups)
    assert first.contacts is not None and second.contacts is not None
    pd.testing.assert_frame_equal(first.contacts, second.contacts)
