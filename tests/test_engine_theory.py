"""The engine held to queueing theory: Erlang C, Erlang A, and chat concurrency.

Every case simulates one live channel with Poisson arrivals at a constant rate and
exponential handle times, with constant staffing, a warm-up of 30 mean handle times (several
relaxation times of the queue, so the empty start is forgotten) and a day of observation.
Time is scaled per case (the mean handle time is chosen so that a day holds the wanted number
of contacts); queueing results depend only on ratios to the mean handle time.

Tolerance: |simulated mean - theory| <= t_{0.9995, df} * SE + slack, the 99.9% Student t
interval over seeded replications. The slack covers the only systematic differences between a
finite run and the steady state: contacts still waiting at the end are left out of ASA and
P(wait) (censoring: about Lq of some 10^4 contacts), and the warm-up leaves a transient
decaying as exp(-30 aht / relaxation time). Both shift a day-long estimate by less than 1e-3
in these cases (the 0.97 load, relaxing over ~9 aht, is the worst); the slack is 0.002 on
shares and 1% of the theoretical ASA.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytest
from conftest import (
    DAY,
    Estimate,
    estimate,
    replicate,
    seed_for,
    single_queue,
)
from scipy import stats

from omnistaff.scenarios.channel import Concurrency
from omnistaff.sim import SimResult
from omnistaff.sim.erlang import queue_metrics

SHARE_SLACK = 0.002
ASA_RELATIVE_SLACK = 0.01

pytestmark = pytest.mark.slow  # every test here holds the engine to theory over many replications


@dataclass(frozen=True)
class Measured:
    """Per-replication KPIs of the single channel `phone` and its group `g`."""

    service_level: np.ndarray
    asa: np.ndarray
    p_wait: np.ndarray
    abandon_rate: np.ndarray
    occupancy: np.ndarray
    concurrency: np.ndarray


def measure(results: Sequence[SimResult]) -> Measured:
    """KPIs per replication; P(wait) is the share of answered (and abandoned) contacts that
    waited at all, i.e. found every agent busy on arrival (PASTA)."""
    p_wait = []
    for result in results:
        assert result.contacts is not None
        seen = result.contacts[(result.contacts["arrival"] >= 0)
                               & result.contacts["outcome"].isin(["answered", "abandoned"])]
        p_wait.append(float((seen["wait"] > 0).mean()))
    phone = [r.channels.loc["phone"] for r in results]
    group = [r.groups.loc["g"] for r in results]
    return Measured(
        service_level=np.array([p.service_level for p in phone]),
        asa=np.array([p.asa_seconds for p in phone]),
        p_wait=np.array(p_wait),
        abandon_rate=np.array([p.abandon_rate for p in phone]),
        occupancy=np.array([g.occupancy for g in group]),
        concurrency=np.array([g.mean_concurrency for g in group]),
    )


def check(failures: list[str], name: str, est: Estimate, reference: float,
          slack: float) -> None:
    if not est.agrees(reference, slack):
        failures.append(f"{name}: {est.describe(reference)}, slack {slack:.2g}")


def scaled_aht(agents: int, load: float, contacts_per_day: int) -> float:
    """The mean handle time that puts `contacts_per_day` arrivals in a day."""
    return agents * load * DAY / contacts_per_day


# ------------------------------------------------------------------------------ Erlang C

# (agents, load, contacts per replication, replications). Larger centres at higher load
# relax over more handle times and carry more contacts per relaxation time, so they need
# more contacts for the same precision.
ERLANG_C_CASES = [
    (5, 0.70, 15_000, 16),
    (10, 0.80, 15_000, 16),
    (20, 0.85, 20_000, 16),
    (50, 0.90, 25_000, 16),
    (100, 0.93, 30_000, 16),
    (500, 0.97, 45_000, 20),
]


@pytest.mark.parametrize(("agents", "load", "contacts", "replications"), ERLANG_C_CASES)
def test_erlang_c(agents: int, load: float, contacts: int, replications: int) -> None:
    """M/M/c without abandonment: SL, ASA and P(wait) agree with Erlang C, occupancy = load.

    The threshold is the median wait of a delayed contact, aht*ln2/(c - a), so SL sits near
    1 - P(wait)/2 where it is most sensitive. Precision per contact falls with the load: a
    queue at load rho relaxes over about 4*rho^2/(1-rho)^2 arrivals whatever c is, so the
    0.97 case needs the most contacts and still has the widest interval.
    """
    aht = scaled_aht(agents, load, contacts)
    threshold = aht * math.log(2) / (agents * (1 - load))
    theory = queue_metrics(load * agents / aht, aht, agents, threshold)
    got = measure(replicate(single_queue(agents, load, aht, threshold), replications,
                            seed_for(agents, load), contacts=True))
    failures: list[str] = []
    check(failures, "occupancy", estimate(got.occupancy), load, SHARE_SLACK)
    check(failures, "service level", estimate(got.service_level), theory.service_level,
          SHARE_SLACK)
    check(failures, "P(wait)", estimate(got.p_wait), theory.p_wait, SHARE_SLACK)
    check(failures, "ASA", estimate(got.asa), theory.asa_seconds,
          ASA_RELATIVE_SLACK * theory.asa_seconds)
    assert not failures, "\n".join(failures)
    assert np.all(got.abandon_rate == 0)


# ------------------------------------------------------------------------------ Erlang A

# (agents, load, patience / aht, threshold / aht, contacts per replication, replications)
ERLANG_A_CASES = [
    (5, 0.80, 1.0, 0.3, 15_000, 12),
    (20, 0.95, 2.0, 0.1, 20_000, 12),
    (50, 1.00, 1.0, 0.05, 25_000, 12),
    (50, 1.10, 0.6, 0.05, 25_000, 12),
    (100, 1.20, 1.0, 0.2, 25_000, 12),
    (300, 1.05, 0.5, 0.02, 40_000, 12),
    (500, 0.97, 2.0, 0.02, 40_000, 12),
]


@pytest.mark.parametrize(("agents", "load", "patience", "threshold", "contacts",
                          "replications"), ERLANG_A_CASES)
def test_erlang_a(agents: int, load: float, patience: float, threshold: float,
                  contacts: int, replications: int) -> None:
    """M/M/c+M with exponential patience, including overload (load > 1, where abandonment
    keeps the queue stable): SL, ASA, abandonment and P(wait) agree with Erlang A."""
    aht = scaled_aht(agents, load, contacts)
    patience, threshold = patience * aht, threshold * aht
    theory = queue_metrics(load * agents / aht, aht, agents, threshold, patience)
    got = measure(replicate(single_queue(agents, load, aht, threshold, patience),
                            replications, seed_for(agents, load, patience), contacts=True))
    failures: list[str] = []
    check(failures, "service level", estimate(got.service_level), theory.service_level,
          SHARE_SLACK)
    check(failures, "abandon rate", estimate(got.abandon_rate), theory.abandon_rate,
          SHARE_SLACK)
    check(failures, "P(wait)", estimate(got.p_wait), theory.p_wait, SHARE_SLACK)
    check(failures, "ASA", estimate(got.asa), theory.asa_seconds,
          ASA_RELATIVE_SLACK * theory.asa_seconds)
    check(failures, "occupancy", estimate(got.occupancy), theory.occupancy, SHARE_SLACK)
    assert not failures, "\n".join(failures)


# ----------------------------------------------------------------------------- concurrency


@pytest.mark.parametrize(("agents", "slots", "load", "patience"),
                         [(4, 3, 0.85, None), (10, 2, 0.9, None), (6, 4, 1.1, 0.5)])
def test_linear_concurrency_is_erlang_with_agents_times_slots(
        agents: int, slots: int, load: float, patience: float | None) -> None:
    """Chat with `slots` per agent and no slowdown (f(n) = n) is M/M/(c*k)(+M): every held
    chat progresses at full speed, so the agents act as c*k independent servers."""
    servers = agents * slots
    aht = scaled_aht(servers, load, 30_000)
    threshold = 0.1 * aht
    scen = single_queue(agents, load * slots, aht, threshold,
                        patience * aht if patience else None,
                        concurrency={"max": slots, "efficiency": "linear"})
    theory = queue_metrics(load * servers / aht, aht, servers, threshold,
                           patience * aht if patience else None)
    got = measure(replicate(scen, 8, seed_for(agents, slots, load), contacts=True))
    failures: list[str] = []
    check(failures, "service level", estimate(got.service_level), theory.service_level,
          SHARE_SLACK)
    check(failures, "P(wait)", estimate(got.p_wait), theory.p_wait, SHARE_SLACK)
    check(failures, "ASA", estimate(got.asa), theory.asa_seconds,
          ASA_RELATIVE_SLACK * theory.asa_seconds)
    check(failures, "abandon rate", estimate(got.abandon_rate), theory.abandon_rate,
          SHARE_SLACK)
    # held chats per staffed agent = carried load / c; here as busy share x mean held.
    carried = load * slots * (1 - theory.abandon_rate)
    check(failures, "held per agent", estimate(got.occupancy * got.concurrency), carried,
          SHARE_SLACK * slots)
    assert not failures, "\n".join(failures)


@dataclass(frozen=True)
class ChatQueue:
    """Exact steady state of c agents each holding up to k chats with efficiency f(n).

    An agent holding n chats completes work at total rate f(n)/aht (each chat at f(n)/n, and
    with exponential work the remaining work of every held chat is again exponential), an
    arrival joins the agent holding fewest (the engine's routing) or the FIFO queue when all
    hold k, and a completing agent takes the head of the queue. The histogram of agents by
    chats held, plus the queue length when all are full, is then a Markov chain; it is solved
    here directly, truncating the queue where its geometric tail is below 1e-13.
    """

    p_wait: float
    service_level: float
    asa: float
    occupancy: float
    mean_concurrency: float

    @classmethod
    def solve(cls, agents: int, slots: int, curve: Sequence[float], rate: float, aht: float,
              threshold: float) -> ChatQueue:
        hists = [h for h in itertools.product(range(agents + 1), repeat=slots + 1)
                 if sum(h) == agents]
        full_rate = agents * curve[slots - 1] / aht
        ratio = rate / full_rate
        assert ratio < 1, "unstable chat queue"
        queue_max = max(1, math.ceil(math.log(1e-13) / math.log(ratio)))
        full = tuple([0] * slots + [agents])
        states: list[tuple[tuple[int, ...], int]] = [(h, 0) for h in hists]
        states += [(full, q) for q in range(1, queue_max + 1)]
        index = {s: i for i, s in enumerate(states)}
        generator = np.zeros((len(states), len(states)))
        for (hist, queued), i in index.items():
            for target, flow in cls._moves(hist, queued, slots, curve, rate, aht, queue_max):
                generator[i, index[target]] += flow
                generator[i, i] -= flow
        pi = cls._stationary(generator)
        return cls._metrics(states, pi, agents, slots, rate, full_rate, threshold)

    @staticmethod
    def _moves(hist: tuple[int, ...], queued: int, slots: int, curve: Sequence[float],
               rate: float, aht: float,
               queue_max: int) -> list[tuple[tuple[tuple[int, ...], int], float]]:
        moves = []
        least = next((n for n in range(slots) if hist[n] > 0), None)
        if least is not None:
            moves.append(((_shift(hist, least, least + 1), 0), rate))
        elif queued < queue_max:
            moves.append(((hist, queued + 1), rate))
        for n in range(1, slots + 1):
            if hist[n]:
                flow = hist[n] * curve[n - 1] / aht
                target = (hist, queued - 1) if queued else (_shift(hist, n, n - 1), 0)
                moves.append((target, flow))
        return moves

    @staticmethod
    def _stationary(generator: np.ndarray) -> np.ndarray:
        size = generator.shape[0]
        system = np.vstack([generator.T, np.ones(size)])
        rhs = np.zeros(size + 1)
        rhs[-1] = 1.0
        pi, *_ = np.linalg.lstsq(system, rhs, rcond=None)
        return pi

    @classmethod
    def _metrics(cls, states: list[tuple[tuple[int, ...], int]], pi: np.ndarray, agents: int,
                 slots: int, rate: float, full_rate: float, threshold: float) -> ChatQueue:
        held = sum(p * sum(n * h[n] for n in range(slots + 1)) for (h, _), p in zip(
            states, pi, strict=True))
        idle = sum(p * h[0] for (h, _), p in zip(states, pi, strict=True))
        p_wait = late = queued = 0.0
        for (hist, q), p in zip(states, pi, strict=True):
            if hist[slots] == agents:
                p_wait += p
                # q ahead: the wait is Erlang(q+1, full_rate); all agents stay full meanwhile.
                late += p * stats.poisson.cdf(q, full_rate * threshold)
                queued += p * q
        busy = agents - idle
        return cls(p_wait=p_wait, service_level=1 - late, asa=queued / rate,
                   occupancy=busy / agents, mean_concurrency=held / busy)


def _shift(hist: tuple[int, ...], source: int, target: int) -> tuple[int, ...]:
    moved = list(hist)
    moved[source] -= 1
    moved[target] += 1
    return tuple(moved)


@pytest.mark.parametrize(("agents", "slots"), [(3, 3), (5, 2), (2, 4)])
def test_chat_reference_reduces_to_erlang_c_without_slowdown(agents: int, slots: int) -> None:
    """The chain above with f(n) = n is M/M/(c*k): it must reproduce Erlang C exactly, which
    validates the reference used for the slowed-down curve."""
    aht, rate, threshold = 300.0, 0.85 * agents * slots / 300.0, 20.0
    chain = ChatQueue.solve(agents, slots, [float(n) for n in range(1, slots + 1)], rate, aht,
                            threshold)
    erlang = queue_metrics(rate, aht, agents * slots, threshold)
    assert chain.p_wait == pytest.approx(erlang.p_wait, rel=1e-7)
    assert chain.service_level == pytest.approx(erlang.service_level, rel=1e-7)
    assert chain.asa == pytest.approx(erlang.asa_seconds, rel=1e-6)
    assert chain.occupancy * chain.mean_concurrency == pytest.approx(rate * aht / agents)


# (agents, slots, efficiency curve, arrival rate as a share of full capacity c*f(k)/aht)
CHAT_CASES = [
    (3, 3, "default", 0.85),
    (5, 2, "default", 0.9),
    (4, 4, (1.0, 1.5, 1.8, 2.0), 0.8),
]


@pytest.mark.parametrize(("agents", "slots", "efficiency", "utilisation"), CHAT_CASES)
def test_chat_slowdown_follows_efficiency_curve(
        agents: int, slots: int, efficiency: str | tuple[float, ...],
        utilisation: float) -> None:
    """With a concave f(n), chats held together progress at f(n)/n each; the engine's SL,
    ASA, P(wait), occupancy and mean concurrency (held / busy agent-seconds) agree with the
    exact Markov chain of `ChatQueue`. A wrong re-rating (no slowdown, a slowdown by 1/n, or
    work lost when n changes) moves all of these by many standard errors."""
    concurrency = {"max": slots, "efficiency": efficiency}
    curve = Concurrency.model_validate(concurrency).curve()
    rate = 30_000 / DAY
    aht = utilisation * agents * curve[slots - 1] / rate
    threshold = 0.5 * aht
    theory = ChatQueue.solve(agents, slots, curve, rate, aht, threshold)
    scen = single_queue(agents, rate * aht / agents, aht, threshold, concurrency=concurrency)
    got = measure(replicate(scen, 8, seed_for(agents, slots, efficiency), contacts=True))
    failures: list[str] = []
    check(failures, "service level", estimate(got.service_level), theory.service_level,
          SHARE_SLACK)
    check(failures, "P(wait)", estimate(got.p_wait), theory.p_wait, SHARE_SLACK)
    check(failures, "ASA", estimate(got.asa), theory.asa, ASA_RELATIVE_SLACK * theory.asa)
    check(failures, "occupancy", estimate(got.occupancy), theory.occupancy, SHARE_SLACK)
    check(failures, "mean concurrency", estimate(got.concurrency), theory.mean_concurrency,
          SHARE_SLACK * slots)
    assert not failures, "\n".join(failures)


def test_saturated_chat_time_in_service_is_work_times_k_over_f_k() -> None:
    """Overloaded chat (arrivals at twice capacity, impatient customers keep the queue
    finite): every agent always holds k chats, so each chat progresses at f(k)/k and spends
    aht*k/f(k) in service; by Little's law that time is held agent-seconds / chats started,
    and an agent completes f(k)/aht chats per second."""
    agents, slots = 10, 3
    curve = Concurrency(max=slots).curve()
    aht = 120.0
    capacity = agents * curve[-1] / aht  # chats per second when every agent holds k
    scen = single_queue(agents, 2 * capacity * aht / agents, aht, 60.0, patience=aht,
                        concurrency={"max": slots})
    in_service, throughput, held = [], [], []
    for result in replicate(scen, 10, seed_for(agents, slots), contacts=True):
        assert result.contacts is not None
        started = result.contacts[(result.contacts["outcome"] == "answered")
                                  & result.contacts["left_queue"].between(0, DAY)]
        group = result.groups.loc["g"]
        in_service.append(group.busy_hours * group.mean_concurrency * 3600 / len(started))
        throughput.append(len(started) / (group.staffed_hours * 3600))
        held.append(group.mean_concurrency)
    assert estimate(held).mean > slots - 0.01
    expected = aht * slots / curve[-1]
    # In steady state the chats cut by the window's edges cancel in expectation; the 0.2%
    # slack covers the ratio estimator's O(1/n) bias and the 30 chats at each edge.
    t_est, r_est = estimate(in_service), estimate(throughput)
    assert t_est.agrees(expected, 0.002 * expected), t_est.describe(expected)
    assert r_est.agrees(curve[-1] / aht, 0.002 * curve[-1] / aht), r_est.describe(
        curve[-1] / aht)
