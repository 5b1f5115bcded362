"""Tests of omnistaff.sim.erlang against independent formulas, numerics and simulation.

References used here are computed independently of the module under test: direct
factorial sums for Erlang B/C, a numerically solved truncated generator plus matrix
exponentials of the phase-type wait for Erlang A, and a seeded Monte Carlo of M/M/c+M.
"""

from __future__ import annotations

import heapq
import math
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm
from scipy.special import logsumexp

from omnistaff.sim import erlang as erlang_module
from omnistaff.sim.erlang import (
    QueueMetrics,
    agents_for_target,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    queue_metrics,
)

# Classic worked example: 100 calls per 30 minutes, AHT 180 s, 80% answered in 20 s.
CLASSIC_RATE = 100 / 1800
CLASSIC_AHT = 180.0
CLASSIC_T = 20.0


# ----------------------------------------------------------------- independent references


def direct_erlang_b(c: int, a: float) -> float:
    """Textbook formula (a^c/c!) / sum_k a^k/k!, exact for small c."""
    terms = [a**k / math.factorial(k) for k in range(c + 1)]
    return terms[-1] / sum(terms)


def direct_erlang_c(c: int, a: float) -> float:
    """Textbook formula with factorials, valid for a < c and small c."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def log_space_erlang_c(c: int, a: float) -> float:
    """Erlang C with every term in log space (logsumexp), for thousands of agents."""
    k = np.arange(c)
    log_terms = k * math.log(a) - np.array([math.lgamma(i + 1) for i in k])
    log_top = c * math.log(a) - math.lgamma(c + 1) + math.log(c / (c - a))
    return math.exp(log_top - logsumexp(np.append(log_terms, log_top)))


def numeric_erlang_a(
    rate: float, aht: float, c: int, patience: float, threshold: float, size: int = 150
) -> dict[str, float]:
    """Erlang A by brute force: solve the truncated generator for the stationary law,
    then integrate the phase-type wait of each queue position (with abandonment as a
    killing rate) through a matrix exponential and linear solves."""
    mu, theta = 1.0 / aht, 1.0 / patience
    death = np.array([min(n, c) * mu + max(n - c, 0) * theta for n in range(size)])
    gen = np.zeros((size, size))
    for n in range(size - 1):
        gen[n, n + 1] = rate
        gen[n + 1, n] = death[n + 1]
    gen -= np.diag(gen.sum(axis=1))
    system = np.vstack([gen.T, np.ones(size)])
    rhs = np.zeros(size + 1)
    rhs[-1] = 1.0
    pi = np.linalg.lstsq(system, rhs, rcond=None)[0]
    # Phase-type wait of a queued contact: "position i" moves to i-1 at rate
    # c mu + (i-1) theta (to service from i = 1 at rate c mu) and is killed (abandons) at
    # rate theta. One generator serves every starting position k = n - c + 1.
    pos = np.arange(1, size - c + 1)
    sub = np.diag(-(c * mu + pos * theta)) + np.diag(c * mu + pos[1:] * theta - theta, -1)
    exit_served = np.zeros(pos.size)
    exit_served[0] = c * mu
    inv = np.linalg.inv(sub)
    within = inv @ (expm(sub * threshold) - np.eye(pos.size)) @ exit_served
    answered_k = -inv @ exit_served
    wait_k = inv @ inv @ exit_served
    immediate = float(pi[:c].sum())
    answered = immediate + float(pi[c:] @ answered_k)
    sl = immediate + float(pi[c:] @ within)
    wait = float(pi[c:] @ wait_k)
    return {
        "p_wait": float(pi[c:].sum()),
        "service_level": sl,
        "asa_seconds": wait / answered,
        "abandon_rate": 1.0 - answered,
    }


def simulate_mmc_m(
    rate: float,
    aht: float,
    c: int,
    patience: float,
    threshold: float,
    n: int,
    seed: int,
    batches: int = 20,
) -> dict[str, tuple[float, float]]:
    """Seeded Monte Carlo of FCFS M/M/c+M; returns (mean, standard error) per metric
    from batch means. Each contact takes the earliest-free agent if it would start before
    its patience runs out (abandoning contacts never hold an agent)."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1.0 / rate, n))
    services = rng.exponential(aht, n)
    patiences = rng.exponential(patience, n)
    free = [0.0] * c
    rows = np.zeros((n, 4))  # waited, answered within T, answered, wait if answered
    for i in range(n):
        t, earliest = arrivals[i], free[0]
        wait = max(0.0, earliest - t)
        if wait <= patiences[i]:
            heapq.heapreplace(free, t + wait + services[i])
            rows[i] = (earliest > t, wait <= threshold, 1.0, wait)
        else:
            rows[i, 0] = 1.0
    rows = rows[n // 10 :]  # warm-up
    chunks = np.array_split(rows, batches)
    stats = np.array(
        [
            [c_[:, 0].mean(), c_[:, 1].mean(), 1 - c_[:, 2].mean(), c_[:, 3].sum() / c_[:, 2].sum()]
            for c_ in chunks
        ]
    )
    means, errors = stats.mean(axis=0), stats.std(axis=0, ddof=1) / math.sqrt(batches)
    names = ["p_wait", "service_level", "abandon_rate", "asa_seconds"]
    return {k: (float(m), float(e)) for k, m, e in zip(names, means, errors, strict=True)}


# ------------------------------------------------------------------------ Erlang B and C


@pytest.mark.parametrize("c", [1, 2, 5, 10, 20, 40])
@pytest.mark.parametrize("ratio", [0.1, 0.5, 0.9, 1.0, 1.5])
def test_erlang_b_matches_direct_formula(c: int, ratio: float) -> None:
    assert erlang_b(c, ratio * c) == pytest.approx(direct_erlang_b(c, ratio * c), rel=1e-12)


@pytest.mark.parametrize("c", [1, 2, 5, 10, 20, 40])
@pytest.mark.parametrize("ratio", [0.1, 0.5, 0.8, 0.95, 0.999])
def test_erlang_c_matches_direct_formula(c: int, ratio: float) -> None:
    assert erlang_c(c, ratio * c) == pytest.approx(direct_erlang_c(c, ratio * c), rel=1e-10)


def test_published_values() -> None:
    # Erlang B tables: 10 trunks, 5 Erlangs -> 1.84% blocking; Erlang C: 10 agents,
    # 8 Erlangs -> P(wait) 0.4092 (both also match the factorial formulas above).
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-6)
    assert erlang_c(10, 8.0) == pytest.approx(0.409180, abs=5e-6)
    # Classic worked example (a = 10 Erlangs, 14 agents): P(wait) 17.4%, SL 88.8%,
    # ASA 7.8 s, occupancy 71.4%. Reference numbers from the direct formula.
    m = erlang_c_metrics(CLASSIC_RATE, CLASSIC_AHT, 14, CLASSIC_T)
    p_wait = direct_erlang_c(14, 10.0)
    assert p_wait == pytest.approx(0.174132, abs=1e-6)
    assert m.p_wait == pytest.approx(p_wait, rel=1e-12)
    assert m.service_level == pytest.approx(1 - p_wait * math.exp(-4 * 20 / 180), rel=1e-12)
    assert m.service_level == pytest.approx(0.888350, abs=1e-6)
    assert m.asa_seconds == pytest.approx(p_wait * 180 / 4, rel=1e-12)
    assert m.occupancy == pytest.approx(10 / 14)
    assert m.abandon_rate == 0.0


def test_erlang_b_and_c_edge_cases() -> None:
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_b(5, 0.0) == 0.0
    assert erlang_c(5, 0.0) == 0.0
    assert erlang_c(5, 5.0) == 1.0
    assert erlang_c(5, 7.5) == 1.0
    with pytest.raises(ValueError):
        erlang_c(0, 1.0)
    with pytest.raises(ValueError):
        erlang_b(3, -1.0)
    with pytest.raises(TypeError):
        erlang_c(2.5, 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        erlang_c(True, 1.0)
    with pytest.raises(TypeError):
        erlang_c(np.float64(3.0), 1.0)  # type: ignore[arg-type]
    assert erlang_c(np.int64(5), 2.0) == erlang_c(5, 2.0)  # numpy integers are counts too


def test_stability_up_to_2000_agents() -> None:
    for c in range(1, 2001):
        for ratio in (0.5, 0.99):
            b, cw = erlang_b(c, ratio * c), erlang_c(c, ratio * c)
            assert 0.0 <= b <= cw <= 1.0 and math.isfinite(cw)


def test_erlang_c_2000_agents_matches_log_space() -> None:
    value = erlang_c(2000, 1980.0)
    assert math.isfinite(value)
    assert value == pytest.approx(log_space_erlang_c(2000, 1980.0), rel=1e-9)


def test_erlang_c_metrics_saturated_and_idle() -> None:
    m = erlang_c_metrics(10 / 180, 180.0, 10, 20.0)
    assert m == QueueMetrics(
        p_wait=1.0, service_level=0.0, asa_seconds=math.inf, abandon_rate=0.0, occupancy=1.0
    )
    idle = erlang_c_metrics(0.0, 180.0, 3, 20.0)
    assert idle.service_level == 1.0 and idle.p_wait == 0.0 and idle.occupancy == 0.0


def test_to_dict_has_exactly_the_five_metrics() -> None:
    d = erlang_c_metrics(CLASSIC_RATE, CLASSIC_AHT, 14, CLASSIC_T).to_dict()
    assert set(d) == {"p_wait", "service_level", "asa_seconds", "abandon_rate", "occupancy"}


# ------------------------------------------------------------------------------ Erlang A


@pytest.mark.parametrize("c", [1, 2, 3])
@pytest.mark.parametrize(
    ("load", "patience", "threshold"), [(0.7, 120.0, 20.0), (1.6, 60.0, 10.0), (4.0, 300.0, 30.0)]
)
def test_erlang_a_matches_brute_force_numerics(
    c: int, load: float, patience: float, threshold: float
) -> None:
    aht = 100.0
    ref = numeric_erlang_a(load / aht, aht, c, patience, threshold)
    got = erlang_a_metrics(load / aht, aht, c, patience, threshold).to_dict()
    for key, value in ref.items():
        assert got[key] == pytest.approx(value, rel=1e-7, abs=1e-10), key


@pytest.mark.parametrize(
    ("rate", "c", "patience", "threshold"), [(1 / 60, 2, 150.0, 30.0), (0.036, 3, 80.0, 15.0)]
)
def test_erlang_a_matches_seeded_monte_carlo(
    rate: float, c: int, patience: float, threshold: float
) -> None:
    # Tolerance: 4.5 batch-means standard errors (20 batches, so t with 19 df).
    aht = 100.0
    sim = simulate_mmc_m(rate, aht, c, patience, threshold, n=300_000, seed=20240611)
    got = erlang_a_metrics(rate, aht, c, patience, threshold).to_dict()
    for key, (mean, se) in sim.items():
        assert abs(got[key] - mean) <= 4.5 * se, (key, got[key], mean, se)


@pytest.mark.parametrize("first", [1, 7, 3_000_000])
@pytest.mark.parametrize(("beta", "threshold_rate"), [(1.0, 0.05), (12.5, 0.4), (900.0, 3.0)])
def test_erlang_a_sums_match_scipy_special(first: int, beta: float, threshold_rate: float) -> None:
    """The finite sums that stand in for scipy's betainc and digamma (so `omnistaff erlang`
    starts without scipy), against scipy itself; `first` past a million sums in chunks."""
    from scipy.special import betainc, digamma

    k = np.arange(first, first + 40, dtype=float)
    got = erlang_module._tilted_wait_within(k, beta, threshold_rate)
    want = betainc(k, beta, -math.expm1(-threshold_rate))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9 if first > 1000 else 1e-13)
    chain = erlang_module._ChainParams(
        agents=5, log_load=0.0, log_x=0.0, ratio_b=beta - 1.0, theta=threshold_rate
    )
    harmonic = (digamma(beta + k) - digamma(beta)) / threshold_rate
    np.testing.assert_allclose(erlang_module._harmonic(k, chain), harmonic, rtol=1e-10)


def test_erlang_a_threshold_zero_and_infinite() -> None:
    never = erlang_a_metrics(CLASSIC_RATE, CLASSIC_AHT, 12, 120.0, 0.0)
    always = erlang_a_metrics(CLASSIC_RATE, CLASSIC_AHT, 12, 120.0, math.inf)
    assert never.service_level == pytest.approx(1.0 - never.p_wait, abs=1e-12)
    assert always.service_level == pytest.approx(1.0 - always.abandon_rate, abs=1e-12)


def test_erlang_a_huge_patience_tends_to_erlang_c() -> None:
    for c in (1, 14, 200):
        rate = 0.85 * c / CLASSIC_AHT
        a = erlang_a_metrics(rate, CLASSIC_AHT, c, 1e9, CLASSIC_T)
        e = erlang_c_metrics(rate, CLASSIC_AHT, c, CLASSIC_T)
        assert a.p_wait == pytest.approx(e.p_wait, abs=1e-5)
        assert a.service_level == pytest.approx(e.service_level, abs=1e-5)
        assert a.asa_seconds == pytest.approx(e.asa_seconds, rel=1e-4)
        # First order in 1/patience: abandon = theta E[Q] / rate = E[W] / patience.
        assert a.abandon_rate == pytest.approx(e.asa_seconds / 1e9, rel=0.05)


def test_erlang_a_tiny_patience_tends_to_erlang_b() -> None:
    m = erlang_a_metrics(CLASSIC_RATE, CLASSIC_AHT, 12, 1e-6, CLASSIC_T)
    blocking = erlang_b(12, 10.0)
    assert m.p_wait == pytest.approx(blocking, rel=1e-5)
    assert m.abandon_rate == pytest.approx(blocking, rel=1e-5)
    assert m.service_level == pytest.approx(1 - blocking, rel=1e-5)
    assert m.asa_seconds < 1e-5


@pytest.mark.parametrize("c", [500, 1000, 2000])
def test_erlang_a_overloaded_follows_fluid_limit(c: int) -> None:
    aht = 300.0
    m = erlang_a_metrics(1.2 * c / aht, aht, c, 120.0, 20.0)
    values = m.to_dict().values()
    assert all(math.isfinite(v) and v >= 0 for v in values)
    assert m.abandon_rate == pytest.approx(1 - 1 / 1.2, abs=0.01)
    assert m.occupancy == pytest.approx(1.0, abs=1e-3)
    assert m.p_wait == pytest.approx(1.0, abs=0.01)
    # Fluid wait w solves P(patience > w) = c / a, i.e. w = patience * ln(1.2) ~ 21.9 s.
    assert m.asa_seconds == pytest.approx(120.0 * math.log(1.2), rel=0.1)
    assert m.service_level <= 1.0 - m.abandon_rate


def test_erlang_a_finite_over_wide_range() -> None:
    for c in (1, 2, 5, 10, 50, 200, 1000, 2000):
        for ratio in (0.5, 0.9, 0.99, 1.0, 1.5):
            m = erlang_a_metrics(ratio * c / 240.0, 240.0, c, 90.0, 20.0)
            for key, value in m.to_dict().items():
                upper = math.inf if key == "asa_seconds" else 1.0
                assert 0.0 <= value <= upper and math.isfinite(value), (c, ratio, key)


def test_erlang_a_service_level_monotone_in_agents() -> None:
    rate, aht = 40 / 300, 300.0
    levels = [erlang_a_metrics(rate, aht, c, 100.0, 20.0).service_level for c in range(1, 80)]
    assert all(b >= a - 1e-12 for a, b in pairwise(levels))
    assert levels[0] < 0.05 and levels[-1] > 0.999


def test_erlang_a_at_2000_agents_tends_to_erlang_c_as_patience_grows() -> None:
    """At the size of a large centre the sums stay finite, and customers who hardly ever
    abandon give Erlang C's answer (its speed is a benchmark's business, not a test's)."""
    rate, aht = 1950 / 300, 300.0
    impatient = erlang_a_metrics(rate, aht, 2000, 180.0, 20.0)
    patient = erlang_a_metrics(rate, aht, 2000, 1e9, 20.0)
    classic = erlang_c_metrics(rate, aht, 2000, 20.0)
    assert all(math.isfinite(v) for v in impatient.to_dict().values())
    assert impatient.service_level >= classic.service_level - 1e-9
    assert patient.service_level == pytest.approx(classic.service_level, abs=1e-6)


def test_queue_metrics_dispatch() -> None:
    args = (CLASSIC_RATE, CLASSIC_AHT, 14, CLASSIC_T)
    classic = erlang_c_metrics(*args)
    assert queue_metrics(*args) == classic
    assert queue_metrics(*args, patience=math.inf) == classic
    assert queue_metrics(*args, patience=120.0) == erlang_a_metrics(*args[:3], 120.0, CLASSIC_T)
    for bad in (0.0, -5.0, math.nan):
        with pytest.raises(ValueError):
            queue_metrics(*args, patience=bad)


# ------------------------------------------------------------------------------ staffing


def test_agents_for_target_classic_example() -> None:
    assert agents_for_target(CLASSIC_RATE, CLASSIC_AHT, CLASSIC_T, 0.8) == 14
    # By hand with the direct formula: 13 agents give 79.6%, 14 give 88.8%.
    sl13 = 1 - direct_erlang_c(13, 10.0) * math.exp(-3 * 20 / 180)
    assert sl13 == pytest.approx(0.795595, abs=1e-6)


@pytest.mark.parametrize(
    ("load", "target", "patience", "max_abandon"),
    [
        (0.3, 0.8, None, None),
        (10.0, 0.9, None, None),
        (57.3, 0.8, 200.0, None),
        (250.0, 0.95, 60.0, 0.01),
        (2000.0, 0.8, None, None),
        (2000.0, 0.8, 180.0, 0.02),
        (45.0, 0.2, 30.0, None),
    ],
)
def test_agents_for_target_is_least(
    load: float, target: float, patience: float | None, max_abandon: float | None
) -> None:
    rate, aht, threshold = load / 300.0, 300.0, 20.0
    c = agents_for_target(rate, aht, threshold, target, patience, max_abandon)

    def meets(n: int) -> bool:
        m = queue_metrics(rate, aht, n, threshold, patience)
        return m.service_level >= target and (max_abandon is None or m.abandon_rate <= max_abandon)

    assert meets(c)
    assert c == 1 or not meets(c - 1)


def test_agents_for_target_edges() -> None:
    assert agents_for_target(0.0, 180.0, 20.0, 0.8) == 0
    assert agents_for_target(1e-6, 180.0, 20.0, 0.0) == 1
    with pytest.raises(ValueError):
        agents_for_target(1.0, 180.0, 20.0, 0.8, max_agents=50)
    with pytest.raises(ValueError):
        agents_for_target(1.0, 180.0, 20.0, 1.5)
    for load in (500.0, 1000.0, 2000.0):  # abandonment relieves the queue: never more agents
        assert agents_for_target(load / 300, 300.0, 20.0, 0.8, patience=180.0) <= (
            agents_for_target(load / 300, 300.0, 20.0, 0.8))


# --------------------------------------------------------------------- property tests

loads = st.floats(min_value=0.01, max_value=300.0)
patiences = st.one_of(st.none(), st.floats(min_value=1.0, max_value=3600.0))


@settings(max_examples=150, deadline=None)
@given(
    load=loads,
    aht=st.floats(min_value=5.0, max_value=1200.0),
    threshold=st.floats(min_value=0.0, max_value=600.0),
    patience=patiences,
    extra=st.integers(min_value=0, max_value=40),
)
def test_property_metrics_bounded_and_monotone(
    load: float, aht: float, threshold: float, patience: float | None, extra: int
) -> None:
    rate = load / aht
    c = max(1, int(load) - 3 + extra)
    m1 = queue_metrics(rate, aht, c, threshold, patience)
    m2 = queue_metrics(rate, aht, c + 1, threshold, patience)
    for m in (m1, m2):
        assert 0.0 <= m.service_level <= 1.0
        assert 0.0 <= m.p_wait <= 1.0 and 0.0 <= m.abandon_rate <= 1.0
        assert 0.0 <= m.occupancy <= 1.0 and m.asa_seconds >= 0.0
    assert m2.service_level >= m1.service_level - 1e-12
    assert m2.p_wait <= m1.p_wait + 1e-12
    assert m2.abandon_rate <= m1.abandon_rate + 1e-12
