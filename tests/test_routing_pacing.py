"""Occupancy caps in the engine (`sim/pacing.py`): the load the cap counts, and deferred work
paced so that a capped group's intervals stay within the cap, with tolerances from the
confidence interval over seeded replications."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import HALF_HOURS, deferred, live, scenario, seed_for

from omnistaff.sim import simulate
from omnistaff.sim.stats import t_half_widths

CAP = 0.8
REPLICATIONS = 4


def staffed(counts: dict[str, int]) -> dict[str, object]:
    return {"per_interval": {g: [n] * HALF_HOURS for g, n in counts.items()}}


def loads(scen, case: str, column: str = "load_occupancy") -> np.ndarray:
    """Replications x intervals of a group's column (only group `g`)."""
    rows = []
    for r in range(REPLICATIONS):
        frame = simulate(scen, seed_for(case), r).group_intervals
        rows.append(frame.loc[frame["group"] == "g", column].to_numpy())
    return np.array(rows)


def test_the_cap_counts_each_contact_held_as_one_over_its_limit() -> None:
    """Phone and email held alone count whole, each of two chats a half: load occupancy is
    occupancy for a group of limit-1 routes, and held contacts over twice the staffed time
    for a chat-only group (two integrals of different logs that must agree)."""
    alone = simulate(scenario({"phone": live(240, 40), "email": deferred(300, 10)},
                              {"g": {"skills": ["phone", "email"], "max_occupancy": 0.9}},
                              staffed({"g": 8})), 3).group_intervals
    np.testing.assert_allclose(alone["load_occupancy"], alone["occupancy"], atol=1e-9)
    chats = simulate(scenario({"chat": live(400, 40, concurrency={"max": 2})},
                              {"g": {"skills": ["chat"], "max_occupancy": 0.9}},
                              staffed({"g": 8})), 3).group_intervals
    half = chats["held_seconds"] / (2 * chats["staffed_seconds"])
    np.testing.assert_allclose(chats["load_occupancy"], half, atol=1e-9)
    assert (chats["load_occupancy"] < chats["occupancy"] - 0.05).mean() > 0.5


def test_a_backlog_is_worked_at_the_cap_not_at_full_occupancy() -> None:
    """Email arriving faster than four agents can work it: under the standing rule they are
    busy all day; capped at 80% the router paces it, and every interval's mean load over
    the replications is within the cap (tolerance: its 99% half-width), while the day as a
    whole still runs close to the cap (pacing wastes little: the default margin of 3 points
    and no more)."""
    email = {"email": deferred(300, 30, threshold=86400)}
    plain = scenario(email, {"g": {"skills": ["email"]}}, staffed({"g": 4}))
    capped = scenario(email, {"g": {"skills": ["email"], "max_occupancy": CAP}},
                      staffed({"g": 4}))
    assert loads(plain, "backlog", "occupancy")[:, 2:].mean() > 0.99
    load = loads(capped, "backlog")
    mean = load.mean(axis=0)
    half = t_half_widths(load.std(axis=0, ddof=1), np.full(load.shape[1], REPLICATIONS),
                         0.99)
    assert (mean <= CAP + half + 1e-9).all(), np.max(mean - CAP - half)
    assert load.mean() > CAP - 0.05, load.mean()


def test_live_work_first_and_deferred_work_up_to_the_cap() -> None:
    """Phone keeps a blended group about half busy and email would fill the rest: capped at
    80%, the intervals' mean load stays within the cap (99% half-width), phone's service
    level is as good as without the cap (paired, same seeds), and email's is lower."""
    channels = {"phone": live(240, 50, threshold=20), "email": deferred(300, 20,
                                                                         threshold=86400)}
    groups = {"g": {"skills": ["phone", "email"]}}
    plain = scenario(channels, groups, staffed({"g": 10}))
    capped = scenario(channels, {"g": {**groups["g"], "max_occupancy": CAP}},
                      staffed({"g": 10}))
    load = loads(capped, "blended")
    mean = load.mean(axis=0)
    half = t_half_widths(load.std(axis=0, ddof=1), np.full(load.shape[1], REPLICATIONS),
                         0.99)
    assert (mean <= CAP + half + 1e-9).all(), np.max(mean - CAP - half)
    before = [simulate(plain, seed_for("blended"), r).channels for r in range(2)]
    after = [simulate(capped, seed_for("blended"), r).channels for r in range(2)]
    for b, a in zip(before, after, strict=True):
        assert a.loc["phone", "service_level"] >= b.loc["phone", "service_level"] - 0.01
        assert a.loc["email", "handled"] < b.loc["email", "handled"]


@pytest.mark.parametrize("margin", [0.0, 0.03, 0.1])
def test_deferred_work_is_paced_to_the_cap_less_the_margin(margin: float) -> None:
    """The email backlog of four agents capped at 80%, paced `margin` under the cap: every
    interval's mean load over the replications is within the cap less the margin
    (tolerance: its 99% half-width), and the day runs within 5 points of that level."""
    capped = scenario({"email": deferred(300, 30, threshold=86400)},
                      {"g": {"skills": ["email"], "max_occupancy": CAP}}, staffed({"g": 4}),
                      routing={"pacing_margin": margin})
    load = loads(capped, "backlog")
    mean = load.mean(axis=0)
    half = t_half_widths(load.std(axis=0, ddof=1), np.full(load.shape[1], REPLICATIONS),
                         0.99)
    assert (mean <= CAP - margin + half + 1e-9).all(), np.max(mean - CAP + margin - half)
    assert load.mean() > CAP - margin - 0.05, load.mean()


def test_the_default_margin_paces_three_points_under_the_cap() -> None:
    """Without a `pacing_margin`, deferred work is paced to the cap less 0.03: a paced
    email-only day runs under 77% (the cap less the margin), not at the cap."""
    capped = scenario({"email": deferred(300, 30, threshold=86400)},
                      {"g": {"skills": ["email"], "max_occupancy": CAP}}, staffed({"g": 4}))
    assert capped.routing.pacing_margin == pytest.approx(0.03)
    load = loads(capped, "backlog")
    assert CAP - 0.03 - 0.05 < load.mean() <= CAP - 0.03 + 1e-9, load.mean()


def test_a_margin_that_leaves_a_group_no_deferred_work_is_refused() -> None:
    with pytest.raises(ValueError, match=r"pacing_margin: 0\.5 is not under the max_occupancy"):
        scenario({"email": deferred(300, 30)}, {"g": {"skills": ["email"],
                                                      "max_occupancy": 0.5}},
                 staffed({"g": 4}), routing={"pacing_margin": 0.5})


@pytest.mark.parametrize("cap", [None, 0.8])
def test_pacing_is_reproducible(cap: float | None) -> None:
    scen = scenario({"email": deferred(300, 30)}, {"g": {"skills": ["email"],
                                                         "max_occupancy": cap}},
                    staffed({"g": 4}))
    first, second = simulate(scen, 9), simulate(scen, 9)
    assert first.group_intervals.equals(second.group_intervals)
