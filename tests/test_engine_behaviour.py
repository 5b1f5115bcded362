"""The engine's behaviour, feature by feature: backlog over a weekend, escalation, routing
(priority, live first, skill preference), breaks, absence and shrinkage, deflection,
triage, balking, queue capacity, surges, day-level volume noise, warm-up and common random
numbers. Counts drawn with a known probability are checked against a binomial or Poisson
interval at 99.9%; everything else is exact or a paired comparison.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import (
    DAY,
    HALF_HOURS,
    deferred,
    estimate,
    live,
    replicate,
    scenario,
    seed_for,
    single_queue,
)
from scipy import stats

from omnistaff.scenarios import Scenario, with_overrides
from omnistaff.sim import SimResult, simulate
from omnistaff.sim.erlang import erlang_c

Z = float(stats.norm.ppf(0.9995))  # two-sided 99.9%
HOUR = 3600.0


def within_binomial(successes: float, trials: float, share: float) -> bool:
    """Whether a count is within the 99.9% normal interval of Binomial(trials, share)."""
    return abs(successes - trials * share) <= Z * math.sqrt(trials * share * (1 - share)) + 1


def within_poisson(count: float, mean: float) -> bool:
    return abs(count - mean) <= Z * math.sqrt(mean) + 1


def no_traffic() -> dict[str, Any]:
    return live(per_interval=0.0)


def group_hours(result: SimResult, group: str = "g") -> float:
    return float(result.groups.loc[group, "staffed_hours"])


def answered(result: SimResult) -> pd.DataFrame:
    assert result.contacts is not None
    c = result.contacts
    return c[(c["arrival"] >= 0) & (c["outcome"] == "answered")]


# ----------------------------------------------------------------------- deferred backlog


def test_weekend_backlog_builds_and_drains_on_monday() -> None:
    """Social posts arrive 24/7 but agents work Monday to Friday only (round the clock): the
    backlog grows over Saturday and Sunday, then drains on Monday; Saturday's posts wait
    into Monday (p90 over 24 h) while Thursday's are answered within minutes."""
    shifts = [{"group": "g", "days": "weekdays", "start": f"{h:02d}:00", "length": "8h",
               "count": 8} for h in (0, 8, 16)]
    scen = scenario({"social": deferred(aht=300, per_interval=10, threshold=HOUR)},
                    staffing={"shifts": shifts}, days=5, horizon={"start_weekday": "thu"})
    result = simulate(scen, seed_for("weekend"), contacts=True)
    frame = result.channel_intervals
    backlog = frame.set_index(["weekday", "time"])["backlog_end"]
    assert backlog[("fri", "23:30")] < 10
    assert backlog[("sat", "23:30")] > 400
    assert backlog[("sun", "23:30")] > backlog[("sat", "23:30")] + 400
    assert backlog[("mon", "23:30")] < 10
    monday = frame[frame["weekday"] == "mon"]["backlog_end"].to_numpy()
    assert monday[0] > 700 and np.all(np.diff(monday[:20]) < 0)  # draining all morning
    done = answered(result)
    day_of = (done["arrival"] // DAY).astype(int)
    p90 = done.groupby(day_of)["wait"].quantile(0.9)
    assert p90[2] > DAY  # Saturday
    assert p90[0] < 0.25 * HOUR  # Thursday
    by_interval = frame.groupby("weekday")["response_p90_seconds"].median()
    assert by_interval["sat"] > DAY
    assert by_interval["thu"] < 0.25 * HOUR


# ---------------------------------------------------------------------------- escalation


def test_escalation_share_and_delay() -> None:
    """A share of handled posts continues as DMs a fixed delay after handling ends. With
    fixed handle time and ample agents nobody waits, so each DM arrives exactly handle +
    delay after some post; the DM count is Binomial(handled, share)."""
    work, delay, share = 120.0, 600.0, 0.3
    post = deferred(aht=work, per_interval=60, dist="fixed",
                    escalation=[{"to": "dm", "share": share, "delay": f"{delay:g}s"}])
    dm = deferred(aht=work, per_interval=0.0, dist="fixed")
    scen = scenario({"post": post, "dm": dm},
                    staffing={"per_interval": {"g": [30] * HALF_HOURS}})
    result = simulate(scen, seed_for("escalation"), contacts=True)
    assert result.contacts is not None
    posts = result.contacts[result.contacts["channel"] == "post"]
    dms = result.contacts[result.contacts["channel"] == "dm"]
    handled = int((posts["outcome"] == "answered").sum())
    assert (posts["wait"] == 0).all()
    escalated = result.channels.loc["post", "escalated"]
    assert within_binomial(escalated, handled, share)
    # escalated late in the day, some DMs are due after the horizon ends
    late = (posts["arrival"] > DAY - work - delay).sum()
    assert escalated - late <= len(dms) <= escalated
    sources = np.sort(posts["arrival"].to_numpy())
    implied = dms["arrival"].to_numpy() - work - delay
    after = np.clip(np.searchsorted(sources, implied), 1, len(sources) - 1)
    gap = np.minimum(abs(sources[after] - implied), abs(sources[after - 1] - implied))
    assert gap.max() < 1e-6


def test_escalation_chain_reaches_every_channel() -> None:
    """post -> dm -> phone: each hop receives its share of the previous hop's handled."""
    post = deferred(aht=60, per_interval=100, escalation=[{"to": "dm", "share": 0.5}])
    dm = deferred(aht=60, per_interval=0.0, escalation=[{"to": "phone", "share": 0.4}])
    phone = live(aht=60, per_interval=0.0)
    scen = scenario({"post": post, "dm": dm, "phone": phone},
                    staffing={"per_interval": {"g": [20] * HALF_HOURS}})
    summary = simulate(scen, seed_for("chain")).channels
    assert within_binomial(summary.loc["dm", "offered"], summary.loc["post", "handled"], 0.5)
    assert within_binomial(summary.loc["phone", "offered"], summary.loc["dm", "handled"], 0.4)
    assert summary.loc["phone", "offered"] > 0


# ------------------------------------------------------------------------------- routing


def test_priority_class_is_served_first_as_cobham_predicts() -> None:
    """Non-preemptive priority in M/M/c with one service rate (Cobham): with P(wait) = C,
    W0 = C/(c mu), VIPs wait W0/(1 - s rho) and the rest W0/((1 - s rho)(1 - rho))."""
    agents, load, share, aht = 10, 0.9, 0.2, 60.0
    scen = single_queue(agents, load, aht, 20.0)
    scen = with_overrides(scen, {"channels.phone.priority_classes": [
        {"name": "vip", "share": share, "priority": 0}]})
    w0 = erlang_c(agents, load * agents) * aht / agents
    expected = {0: w0 / (1 - share * load), 10: w0 / ((1 - share * load) * (1 - load))}
    waits: dict[int, list[float]] = {0: [], 10: []}
    for result in replicate(scen, 8, seed_for("priority"), contacts=True):
        means = answered(result).groupby("priority")["wait"].mean()
        for level in waits:
            waits[level].append(float(means[level]))
    for level, reference in expected.items():
        est = estimate(waits[level])
        assert est.agrees(reference, 0.01 * reference), (level, est.describe(reference))
    assert np.mean(waits[0]) < 0.2 * np.mean(waits[10])
    assert _started_while_waiting(result, "phone", "phone", priority=0) == 0


def _mixed_desk(live_first: bool) -> Scenario:
    """Agents skilled in email first, phone second, with a large email backlog."""
    return scenario(
        {"email": deferred(aht=300, per_interval=80, threshold=4 * HOUR),
         "phone": live(aht=180, per_interval=30, threshold=20)},
        {"g": {"skills": ["email", "phone"]}},
        {"per_interval": {"g": [8] * HALF_HOURS}},
        routing={"live_first": live_first},
    )


def test_live_contacts_go_before_deferred_work() -> None:
    """A free agent takes a waiting call before any email (live first), even though the
    agents list email as their first skill: no email is started while a call waits. Without
    live first, calls queue behind emails that are due sooner, and they wait far longer.
    (Routing is not preemptive: with live first a call still waits for the next agent to
    finish an email, so its service level is modest.)"""
    seed = seed_for("live first")
    first = simulate(_mixed_desk(True), seed, contacts=True)
    mixed = simulate(_mixed_desk(False), seed, contacts=True)
    assert first.channels.loc["email", "backlog_end"] > 100  # never short of email
    assert _started_while_waiting(first, "email", "phone") == 0
    assert _started_while_waiting(mixed, "email", "phone") > 100
    a, b = first.channels.loc["phone"], mixed.channels.loc["phone"]
    assert a["waiting"] == 0 and b["waiting"] > 100
    assert a["service_level"] > b["service_level"] + 0.15
    assert a["asa_seconds"] < 0.1 * b["asa_seconds"]


def _started_while_waiting(result: SimResult, started: str, waiting: str,
                           priority: int | None = None) -> int:
    """How many `started` contacts an agent took while a `waiting` contact (of the given
    priority, if any) was in the queue."""
    assert result.contacts is not None
    c = result.contacts
    took = c[(c["channel"] == started) & (c["outcome"] == "answered")]["left_queue"]
    queued = c[(c["channel"] == waiting) & (c["wait"] > 0)]
    if priority is not None:
        queued = queued[queued["priority"] == priority]
        took = took[c.loc[took.index, "priority"] != priority]
    t = took.to_numpy()[:, None]
    overlap = (queued["arrival"].to_numpy() < t) & (t < queued["left_queue"].to_numpy())
    return int(overlap.any(axis=1).sum())


@pytest.mark.parametrize("preferred", ["front", "back"])
def test_arriving_call_goes_to_group_with_most_preferred_skill(preferred: str) -> None:
    """Both groups can take calls and are mostly idle; a call goes to the group that lists
    phone first, so the other answers only when all of those are busy."""
    groups = {"front": {"skills": ["phone", "email"]}, "back": {"skills": ["email", "phone"]}}
    if preferred == "back":
        groups = {"front": {"skills": ["email", "phone"]}, "back": {"skills": ["phone",
                                                                                "email"]}}
    scen = scenario({"phone": live(aht=180, per_interval=20), "email": deferred(per_interval=0)},
                    groups, {"per_interval": {"front": [10] * HALF_HOURS,
                                              "back": [10] * HALF_HOURS}})
    done = answered(simulate(scen, seed_for("preference", preferred), contacts=True))
    shares = done["group"].value_counts(normalize=True)
    # 2 Erlangs on 10 preferred agents: all ten are busy with probability ~4e-5.
    assert shares[preferred] > 0.999


def test_mixed_slowed_and_linear_chats_all_complete() -> None:
    """Regression: an agent holding a chat slowed by f(n) took a contact of a channel with
    linear concurrency, whose completion was never scheduled, so the agent stayed stuck and
    the linear channel's queue grew all day."""
    chat = live(aht=300, per_interval=20, threshold=60, concurrency={"max": 3})
    sms = live(aht=300, per_interval=20, threshold=60,
               concurrency={"max": 2, "efficiency": "linear"})
    scen = scenario({"chat": chat, "sms": sms}, staffing={"per_interval": {"g": [6] * 48}})
    summary = simulate(scen, seed_for("mixed")).channels
    assert summary["waiting"].max() <= 3
    assert summary["service_level"].min() > 0.8


# ------------------------------------------------------------------ shifts and availability


def _shifts(count: int, **extra: Any) -> dict[str, Any]:
    return {"shifts": [{"group": "g", "days": "all", "start": "08:00", "length": "8h",
                        "count": count, **extra}]}


def test_breaks_take_agents_off_the_queue() -> None:
    """A 30-minute unpaid break at 12:00 removes every agent for that half-hour: staffed and
    paid time fall by exactly the break (no traffic, so breaks start on time)."""
    plain = scenario({"phone": no_traffic()}, staffing=_shifts(5))
    broken = scenario({"phone": no_traffic()}, staffing=_shifts(
        5, breaks=[{"after": "4h", "duration": "30min"}]))
    a, b = simulate(plain, 1), simulate(broken, 1)
    assert group_hours(a) == pytest.approx(40.0)
    assert group_hours(b) == pytest.approx(37.5)
    assert b.groups.loc["g", "paid_hours"] == pytest.approx(37.5)
    staffed = b.group_intervals.set_index("time")["staffed"]
    assert staffed["11:30"] == pytest.approx(5) and staffed["12:00"] == pytest.approx(0)
    assert staffed["12:30"] == pytest.approx(5)


def test_break_waits_for_the_contact_in_hand() -> None:
    """With every agent busy, breaks start late (when the contact ends), so the break still
    lasts its full length and staffed time still falls by about the break."""
    scen = scenario({"phone": live(aht=600, per_interval=200, threshold=20)},
                    staffing=_shifts(4, breaks=[{"after": "4h", "duration": "30min"}]))
    result = simulate(scen, seed_for("late break"))
    staffed = result.group_intervals.set_index("time")["staffed"]
    assert 0 < staffed["12:00"] < 4  # some still finishing their call when the break is due
    # every break lasts its 30 minutes however late it starts; calls in hand at 16:00 are
    # finished in overtime (4 exponential residuals of mean 10 min: over 3 h ~ 1e-5)
    assert 4 * 7.5 < result.groups.loc["g", "staffed_hours"] < 4 * 7.5 + 3


@pytest.mark.parametrize("warmup", [0.0, 4 * HOUR])
def test_night_shift_under_way_at_the_start_keeps_its_past_break_in_the_past(
        warmup: float) -> None:
    """Regression: a 22:00-06:00 shift with a break at 23:00 is already under way when the
    simulation starts (warm-up 0); its break is over, so its agents are on the queue at
    00:00 (they used to take the whole break again at the start). Staffed time is the same
    whatever the warm-up: 6 h + 7.5 h + 1.5 h for each of 4 agents over two days."""
    night = {"group": "g", "days": "all", "start": "22:00", "length": "8h", "count": 4,
             "breaks": [{"after": "1h", "duration": "30min"}]}
    scen = scenario({"phone": no_traffic()}, staffing={"shifts": [night]}, days=2,
                    warmup=warmup)
    result = simulate(scen, 1)
    staffed = result.group_intervals.set_index(["day", "time"])["staffed"]
    assert staffed[(0, "00:00")] == pytest.approx(4)
    assert staffed[(1, "23:00")] == pytest.approx(0)
    assert group_hours(result) == pytest.approx(4 * (6 + 7.5 + 1.5))


def test_absenteeism_removes_about_its_share_of_agent_shifts() -> None:
    """Each agent-shift is missed with probability 0.2: 700 agent-shifts over a week."""
    base = scenario({"phone": no_traffic()}, staffing=_shifts(100), days=7)
    absent = with_overrides(base, {"groups.g.absenteeism": 0.2})
    planned = group_hours(simulate(base, 3)) / 8
    worked = group_hours(simulate(absent, seed_for("absent"))) / 8
    assert planned == pytest.approx(700)
    assert within_binomial(planned - worked, planned, 0.2)


def test_shrinkage_takes_its_share_of_logged_in_time() -> None:
    """Off-queue blocks of 15 minutes add up to the shrinkage share of logged-in time (the
    fractional block is drawn, so the expectation is exact)."""
    base = scenario({"phone": no_traffic()}, staffing=_shifts(50), days=7)
    shrunk = with_overrides(base, {"groups.g.shrinkage": 0.2})
    full = group_hours(simulate(base, 3))
    kept = group_hours(simulate(shrunk, seed_for("shrinkage")))
    # 350 shifts x 32 slots: the drawn extra block is Bernoulli(0.4) per shift.
    assert kept / full == pytest.approx(0.8, abs=Z * math.sqrt(0.24 / 350) / 32 + 1e-9)


def test_proficiency_and_after_contact_work_set_the_time_in_service() -> None:
    """Handle time is divided by proficiency, then wrap-up is added: with fixed work and
    agents to spare, busy time is handled x (work / proficiency + wrap-up), give or take the
    calls still in service when the day ends."""
    work, proficiency, wrap = 200.0, 0.5, 25.0
    scen = scenario({"phone": live(aht=work, per_interval=20, dist="fixed",
                                   after_contact_work=wrap)},
                    {"g": {"skills": [{"channel": "phone", "proficiency": proficiency}]}},
                    {"per_interval": {"g": [20] * HALF_HOURS}})
    result = simulate(scen, seed_for("proficiency"))
    each = work / proficiency + wrap
    busy = result.groups.loc["g", "busy_hours"] * HOUR
    handled = result.channels.loc["phone", "handled"]
    assert handled * each - 20 * each <= busy <= handled * each


@pytest.mark.parametrize("mode", ["live", "deferred"])
def test_unanswered_contacts_leave_at_their_patience_or_expiry(mode: str) -> None:
    """With nobody staffed, live callers abandon after their patience (mean 2 min) and
    deferred posts expire after an hour; only posts of the last hour are still waiting."""
    channel = (live(per_interval=10, patience=120) if mode == "live"
               else deferred(per_interval=10, expiry=HOUR))
    scen = scenario({"c": channel}, staffing={"per_interval": {"g": [0] * HALF_HOURS}})
    result = simulate(scen, seed_for("leave", mode), contacts=True)
    assert result.contacts is not None
    c = result.contacts
    gone = c[c["outcome"] == ("abandoned" if mode == "live" else "expired")]
    still = c[c["outcome"] == "waiting"]
    assert len(gone) + len(still) == len(c) and len(gone) > 0
    if mode == "live":
        assert estimate(gone["wait"].to_numpy()).agrees(120.0, 0.0)
        assert (still["arrival"] > DAY - 30 * 120).all()
    else:
        assert np.allclose(gone["wait"], HOUR)
        assert (still["arrival"] >= DAY - HOUR).all() and (gone["arrival"] < DAY - HOUR).all()
    assert result.channels.loc["c", "service_level"] == 0


# ----------------------------------------------------------- deflection, triage, balking


def test_deflection_resolves_its_share_before_the_queue() -> None:
    scen = scenario({"chat": live(per_interval=40, deflection={"share": 0.35})})
    summary = simulate(scen, seed_for("deflection")).channels.loc["chat"]
    assert within_binomial(summary["deflected"], summary["offered"], 0.35)


@pytest.mark.parametrize("by", ["automated", "agents"])
def test_triage(by: str) -> None:
    """Automated triage drops the non-actionable share before the queue; triage by agents
    queues every mention (the non-actionable ones cost only the triage seconds)."""
    social = deferred(aht=300, per_interval=40,
                      triage={"actionable_share": 0.6, "seconds": 20, "by": by})
    summary = simulate(scenario({"social": social}), seed_for("triage", by)).channels
    row = summary.loc["social"]
    if by == "automated":
        assert within_binomial(row["triaged_out"], row["offered"], 0.4)
        assert row["handled"] + row["waiting"] + row["triaged_out"] == row["offered"]
    else:
        assert row["triaged_out"] == 0
        assert row["handled"] + row["waiting"] == row["offered"]


def test_balking_share_of_those_who_would_wait() -> None:
    """A contact that finds no free agent leaves at once with probability 0.3."""
    scen = scenario({"phone": live(aht=300, per_interval=60, balking=0.3)},
                    staffing={"per_interval": {"g": [8] * HALF_HOURS}})
    result = simulate(scen, seed_for("balking"), contacts=True)
    assert result.contacts is not None
    c = result.contacts[result.contacts["arrival"] >= 0]
    balked = int((c["outcome"] == "balked").sum())
    would_wait = balked + int(((c["outcome"] != "balked") & (c["wait"] > 0)).sum())
    assert balked > 100
    assert within_binomial(balked, would_wait, 0.3)


def test_queue_capacity_blocks_the_excess() -> None:
    """At most `queue_capacity` contacts wait; the rest get a busy signal."""
    scen = scenario({"phone": live(aht=300, per_interval=80, queue_capacity=5)},
                    staffing={"per_interval": {"g": [5] * HALF_HOURS}})
    frame = simulate(scen, seed_for("capacity")).channel_intervals
    assert frame["blocked"].sum() > 100
    assert frame["backlog_end"].max() <= 5


# ------------------------------------------------------------------------------- volumes


def test_surge_multiplies_arrivals_in_its_window() -> None:
    """A 5x surge from 10:00 for 2 hours: those four half-hours get 5x the volume."""
    surge = {"day": 0, "start": "10:00", "duration": "2h", "multiplier": 5}
    scen = scenario({"social": deferred(per_interval=20, arrivals={"surges": [surge]})})
    frame = simulate(scen, seed_for("surge")).channel_intervals.set_index("time")
    window = ["10:00", "10:30", "11:00", "11:30"]
    inside = frame.loc[window, "offered"].sum()
    outside = frame.drop(index=window)["offered"].sum()
    assert within_poisson(inside, 4 * 20 * 5)
    assert within_poisson(outside, 44 * 20)


@pytest.mark.parametrize("day_cv", [0.0, 0.3])
def test_day_cv_sets_the_spread_of_day_totals(day_cv: float) -> None:
    """Day totals over 28 days: Poisson spread without day_cv; with it, variance
    m + (cv m)^2, checked by the chi-square interval of the sample variance."""
    volume = 1000.0
    scen = scenario({"social": deferred(per_interval=volume / HALF_HOURS,
                                        arrivals={"day_cv": day_cv})},
                    staffing={"per_interval": {"g": [0] * HALF_HOURS}}, days=28)
    totals = simulate(scen, seed_for("day_cv", day_cv)).channel_intervals.groupby("day")[
        "offered"].sum().to_numpy()
    variance = volume + (day_cv * volume) ** 2
    ratio = totals.var(ddof=1) / variance
    df = len(totals) - 1
    low, high = stats.chi2.ppf([0.0005, 0.9995], df) / df
    assert low <= ratio <= high, (ratio, low, high)
    assert abs(totals.mean() - volume) <= Z * math.sqrt(variance / len(totals))


# ------------------------------------------------------------------ warm-up and CRN


def test_warmup_is_simulated_but_not_reported() -> None:
    """Contacts of the warm-up exist (and load the system) but no report counts them."""
    scen = scenario({"phone": live(per_interval=30)}, warmup=2 * HOUR,
                    staffing={"per_interval": {"g": [3] * HALF_HOURS}})
    result = simulate(scen, seed_for("warmup"), contacts=True)
    assert result.contacts is not None
    early = result.contacts["arrival"] < 0
    assert early.sum() > 50 and result.contacts.loc[early, "arrival"].min() >= -2 * HOUR
    assert result.channel_intervals["offered"].sum() == (~early).sum()
    assert len(result.group_intervals) == HALF_HOURS
    assert group_hours(result) == pytest.approx(3 * 24)
    # 5 Erlangs on 3 agents: the warm-up's queue is still there when reporting starts
    carried = early & (result.contacts["left_queue"] > 0)
    assert carried.sum() > 10


def test_staffing_variant_draws_identical_arrivals() -> None:
    """Common random numbers: changing only the staffing leaves every arrival as it was, so
    variant comparisons are paired."""
    base = scenario({"phone": live(per_interval=30), "email": deferred(per_interval=10)},
                    staffing={"per_interval": {"g": [3] * HALF_HOURS}})
    more = with_overrides(base, {"staffing.per_interval.g": [6] * HALF_HOURS})
    a = simulate(base, 11, 2, contacts=True)
    b = simulate(more, 11, 2, contacts=True)
    pd.testing.assert_series_equal(a.channel_intervals["offered"],
                                   b.channel_intervals["offered"])
    assert a.contacts is not None and b.contacts is not None
    key = ["channel", "arrival"]
    pd.testing.assert_frame_equal(a.contacts[key].sort_values(key).reset_index(drop=True),
                                  b.contacts[key].sort_values(key).reset_index(drop=True))
    assert b.channels.loc["phone", "asa_seconds"] < a.channels.loc["phone", "asa_seconds"]
