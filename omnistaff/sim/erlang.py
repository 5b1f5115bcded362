"""Analytic queueing: Erlang B, Erlang C (M/M/c) and Erlang A (M/M/c+M).

These formulas serve as the quick estimate in the CLI, as the ground truth the
discrete-event engine is tested against, and as the per-interval staffing rule of the
shift optimizer. The metric definitions are exactly the ones the engine reports, so the
two can be compared number for number:

* ``p_wait``: probability that an arriving contact finds every agent busy.
* ``service_level``: contacts answered within the threshold / (answered + abandoned).
* ``asa_seconds``: mean wait of *answered* contacts only (the ACD definition).
* ``abandon_rate``: abandoned / offered.
* ``occupancy``: mean busy agents / agents.

Units: ``rate`` in contacts per second, ``aht``, ``patience`` and ``threshold`` in
seconds (handle time and patience exponential), offered load ``rate * aht`` in Erlangs.

Erlang A is computed exactly on the birth-death chain of the number in system. The
stationary law is kept only on the window of states whose mass is within ``exp(-40)`` of
the mode (the law is log-concave, so this window is an interval found by bisection with
the closed form in ``math.lgamma``), where it is a cumulative product of birth over death
rates. Per queued state, the chance of being answered within the threshold has a closed
form through a regularized incomplete beta function, a finite sum here because its first
argument is an integer; see :func:`_erlang_a_from_chain`. Nothing here imports scipy, so
``omnistaff erlang`` with a patience starts quickly.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where Erlang A uses it: Erlang B and C start without it
    from numpy import float64
    from numpy.typing import NDArray

    FloatArray = NDArray[float64]

__all__ = [
    "QueueMetrics",
    "agents_for_target",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "queue_metrics",
]

# States whose stationary mass is below exp(-_LOG_CUTOFF) times the mode's are dropped:
# exp(-40) ~ 4e-18, and by log-concavity the dropped tails sum to a negligible amount.
_LOG_CUTOFF = 40.0
# Guard against pathological inputs (e.g. a patience of years under overload) whose
# stationary law spreads over more states than is sensible to enumerate.
_MAX_STATES = 2_000_000
# Terms summed at a time ahead of the mass window (a queue of millions under overload).
_CHUNK = 1 << 20

@dataclass(frozen=True)
class QueueMetrics:
    """Steady-state performance of one queue, in the engine's definitions."""

    p_wait: float
    service_level: float
    asa_seconds: float
    abandon_rate: float
    occupancy: float

    def to_dict(self) -> dict[str, float]:
        """The five metrics keyed by field name (for tables, JSON and DataFrames)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --------------------------------------------------------------------------- validation


def _is_integer(value: object) -> bool:
    """An int or a numpy integer, not a bool (a numpy integer can exist only once numpy is
    imported, so this looks for numpy's type without importing it)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.integer)


def _check_agents(agents: int, minimum: int = 1) -> int:
    """Reject non-integers (and bools) and counts below ``minimum``."""
    if not _is_integer(agents):
        raise TypeError(f"agents must be an int, got {type(agents).__name__}")
    if agents < minimum:
        raise ValueError(f"agents must be >= {minimum}, got {agents}")
    return int(agents)


def _check_nonneg(name: str, value: float, *, allow_inf: bool = False) -> float:
    """Reject NaN, negatives and (unless allowed) infinity."""
    value = float(value)
    if not value >= 0.0 or (math.isinf(value) and not allow_inf):
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return value


def _check_positive(name: str, value: float) -> float:
    """Reject anything that is not a finite number > 0."""
    value = float(value)
    if not (value > 0.0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return value


def _check_fraction(name: str, value: float) -> float:
    """Reject anything outside [0, 1]."""
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {value}")
    return value


# ------------------------------------------------------------------------ Erlang B and C


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of M/M/c/c with ``agents`` servers and ``load`` Erlangs.

    Uses the recursion B(n) = a B(n-1) / (n + a B(n-1)), B(0) = 1, whose terms stay in
    [0, 1]: no factorials, no overflow, accurate for thousands of servers.
    """
    c = _check_agents(agents, minimum=0)
    a = _check_nonneg("load", load)
    blocking = 1.0
    for n in range(1, c + 1):
        blocking = a * blocking / (n + a * blocking)
    return blocking


def erlang_c(agents: int, load: float) -> float:
    """Probability of waiting in M/M/c (Erlang C); 1.0 when ``load >= agents``.

    Derived from Erlang B: C = c B / (c - a (1 - B)), which inherits its stability.
    """
    c = _check_agents(agents)
    a = _check_nonneg("load", load)
    if a >= c:
        return 1.0
    blocking = erlang_b(c, a)
    return min(1.0, c * blocking / (c - a * (1.0 - blocking)))


def _idle_metrics() -> QueueMetrics:
    """Metrics of a queue that receives no contacts."""
    return QueueMetrics(
        p_wait=0.0, service_level=1.0, asa_seconds=0.0, abandon_rate=0.0, occupancy=0.0
    )


def erlang_c_metrics(rate: float, aht: float, agents: int, threshold: float) -> QueueMetrics:
    """M/M/c metrics (no abandonment): the classic Erlang C staffing formulas.

    When the load reaches the number of agents the queue grows without bound: waiting
    is certain, nobody is answered within any threshold and the ASA is infinite.
    """
    rate = _check_nonneg("rate", rate)
    aht = _check_positive("aht", aht)
    c = _check_agents(agents)
    threshold = _check_nonneg("threshold", threshold, allow_inf=True)
    if rate == 0.0:
        return _idle_metrics()
    load = rate * aht
    if load >= c:
        return QueueMetrics(
            p_wait=1.0, service_level=0.0, asa_seconds=math.inf, abandon_rate=0.0, occupancy=1.0
        )
    p_wait = erlang_c(c, load)
    decay = math.exp(-(c - load) / aht * threshold)
    return QueueMetrics(
        p_wait=p_wait,
        service_level=min(1.0, max(0.0, 1.0 - p_wait * decay)),
        asa_seconds=p_wait * aht / (c - load),
        abandon_rate=0.0,
        occupancy=load / c,
    )


# ------------------------------------------------------------------------------ Erlang A


@dataclass(frozen=True)
class _ChainParams:
    """Birth-death chain of M/M/c+M in the forms the closed formulas need.

    ``ratio_b`` is c mu / theta (queue departure rates are theta (ratio_b + j));
    ``log_x`` is log(rate / theta).
    """

    agents: int
    log_load: float
    log_x: float
    ratio_b: float
    theta: float

    def log_weight(self, n: int) -> float:
        """Unnormalized log pi(n): a^n/n! up to c, then times prod_j rate/(c mu + j theta)."""
        head = min(n, self.agents)
        queued = max(n - self.agents, 0)
        b1 = self.ratio_b + 1.0
        tail = queued * self.log_x + math.lgamma(b1) - math.lgamma(b1 + queued)
        return head * self.log_load - math.lgamma(head + 1.0) + tail

    def log_weights(self, low: int, high: int) -> FloatArray:
        """log pi(n) for n = low..high, up to one constant (all the normalization needs).

        Each step up multiplies by the birth rate over the death rate: a / n while an
        agent is free, rate / (theta (b + j)) at queue position j.
        """
        import numpy as np  # here, not above: Erlang B and C start without numpy

        n = np.arange(low + 1, high + 1, dtype=float)
        queued = np.maximum(n - self.agents, 0.0)
        steps = np.where(
            queued == 0.0,
            self.log_load - np.log(n),
            self.log_x - np.log(self.ratio_b + queued),
        )
        return np.concatenate(([0.0], np.cumsum(steps)))

    def mode(self) -> int:
        """A most likely state: where the birth rate stops exceeding the death rate."""
        load = math.exp(self.log_load)
        if load < self.agents:
            return int(load)
        excess = math.exp(self.log_x) - self.ratio_b  # (rate - c mu) / theta
        return self.agents + int(excess)


def _bisect_int(pred: Callable[[int], bool], false_at: int, true_at: int) -> int:
    """For pred monotone between ``false_at`` and ``true_at``, the point next to the flip
    on the ``true_at`` side (works in either direction)."""
    while abs(true_at - false_at) > 1:
        mid = (true_at + false_at) // 2
        if pred(mid):
            true_at = mid
        else:
            false_at = mid
    return true_at


def _mass_window(chain: _ChainParams) -> tuple[int, int]:
    """The interval of states whose mass is within exp(-_LOG_CUTOFF) of the mode's."""
    mode = chain.mode()
    floor = chain.log_weight(mode) - _LOG_CUTOFF

    def heavy(n: int) -> bool:
        return chain.log_weight(n) >= floor

    low = 0 if heavy(0) else _bisect_int(heavy, 0, mode)
    step = 16
    while heavy(mode + step):
        step *= 2
    high = _bisect_int(heavy, mode + step, mode + step // 2 if step > 16 else mode)
    if high - low + 1 > _MAX_STATES:
        raise ValueError(
            "Erlang A state space too large: patience is implausibly long "
            "for this load; use Erlang C (patience=None) instead"
        )
    return low, high


def _sum_in_chunks(part: Callable[[int, int], FloatArray], start: int, stop: int) -> float:
    """sum(part(lo, hi)) over [start, stop) taken a million terms at a time, so a long
    queue ahead of the mass window costs time but not memory."""
    total = 0.0
    for lo in range(start, stop, _CHUNK):
        total += float(part(lo, min(lo + _CHUNK, stop)).sum())
    return total


def _harmonic(k: FloatArray, chain: _ChainParams) -> FloatArray:
    """H_k = sum_{i=1..k} 1 / (c mu + i theta) for a contiguous run of positions k: the
    positions before the run summed once, the run itself a cumulative sum."""
    import numpy as np

    def terms(lo: int, hi: int) -> FloatArray:
        return 1.0 / (chain.theta * (chain.ratio_b + np.arange(lo, hi, dtype=float)))

    first, last = int(k[0]), int(k[-1])
    return _sum_in_chunks(terms, 1, first) + np.cumsum(terms(first, last + 1))


def _tilted_wait_within(k: FloatArray, beta: float, threshold_rate: float) -> FloatArray:
    """I_p(k, beta), p = 1 - exp(-threshold_rate), for a contiguous run of integers k >= 1.

    With an integer first argument the regularized incomplete beta function is a finite
    sum (DLMF 8.17.4 and 8.17.5): I_p(k, beta) = 1 - sum_{j<k} q^beta (beta)_j / j! p^j,
    q = 1 - p, whose terms are a negative binomial law. Its terms are taken in logs
    (against underflow), the first of each run in closed form through ``math.lgamma``,
    the rest as a cumulative sum.
    """
    import numpy as np

    if threshold_rate == 0.0:
        return np.zeros_like(k)
    if threshold_rate == math.inf:
        return np.ones_like(k)
    log_p = math.log(-math.expm1(-threshold_rate))
    log_start = -beta * threshold_rate - math.lgamma(beta)

    def terms(lo: int, hi: int) -> FloatArray:
        head = log_start + math.lgamma(beta + lo) - math.lgamma(lo + 1.0) + lo * log_p
        j = np.arange(lo + 1, hi, dtype=float)
        steps = np.log((beta + j - 1.0) / j) + log_p
        return np.exp(head + np.concatenate(([0.0], np.cumsum(steps))))

    first, last = int(k[0]), int(k[-1])
    before = _sum_in_chunks(terms, 0, first - 1)
    below = before + np.cumsum(terms(first - 1, last))
    return np.clip(1.0 - below, 0.0, 1.0)


def _erlang_a_from_chain(
    chain: _ChainParams, rate: float, aht: float, threshold: float
) -> QueueMetrics:
    """Metrics from the stationary law, one closed form per queue position k.

    An arrival at position k has virtual wait V = sum_{j<k} Exp(c mu + j theta) and
    patience tau ~ Exp(theta). With b = c mu / theta:

    * P(answered) = E[exp(-theta V)] = b / (b + k) (the product telescopes);
    * E[V; answered] = b / (b + k) * H_k (differentiate the Laplace transform);
    * P(answered, V <= T) = b / (b + k) * P(V' <= T), where V' is V tilted by
      exp(-theta V): phases Exp(theta (b + i)), i = 1..k. exp(-theta V') is a product of
      independent Beta(b + i, 1), which is Beta(b + 1, k); hence
      P(V' <= T) = I_p(k, b + 1) with p = 1 - exp(-theta T).
    """
    import numpy as np

    low, high = _mass_window(chain)
    states = np.arange(low, high + 1, dtype=float)
    log_w = chain.log_weights(low, high)
    weights = np.exp(log_w - log_w.max())
    weights /= weights.sum()
    c, b = chain.agents, chain.ratio_b
    queued = states >= c
    w_queue = weights[queued]
    p_immediate = float(weights[~queued].sum())
    p_answered_within = p_immediate
    p_answered, wait_answered = p_immediate, 0.0
    if w_queue.size:
        k = states[queued] - c + 1.0
        answered = w_queue * b / (b + k)
        within = _tilted_wait_within(k, b + 1.0, chain.theta * threshold)
        p_answered_within += float(np.sum(answered * within))
        p_answered += float(answered.sum())
        wait_answered = float(np.sum(answered * _harmonic(k, chain)))
    load_per_agent = rate * aht / c
    return QueueMetrics(
        p_wait=min(1.0, float(w_queue.sum())),
        service_level=min(1.0, max(0.0, p_answered_within)),
        asa_seconds=wait_answered / p_answered if p_answered > 0.0 else 0.0,
        abandon_rate=min(1.0, max(0.0, 1.0 - p_answered)),
        occupancy=min(1.0, load_per_agent * p_answered),
    )


def erlang_a_metrics(
    rate: float, aht: float, agents: int, patience: float, threshold: float
) -> QueueMetrics:
    """M/M/c+M (Erlang A) metrics: exponential patience with mean ``patience`` seconds.

    Abandonment keeps the queue stable, so this is finite for any load, including
    overload; it tends to Erlang C as patience grows and to Erlang B as it shrinks.
    """
    rate = _check_nonneg("rate", rate)
    aht = _check_positive("aht", aht)
    c = _check_agents(agents)
    patience = _check_positive("patience", patience)
    threshold = _check_nonneg("threshold", threshold, allow_inf=True)
    if rate == 0.0:
        return _idle_metrics()
    theta = 1.0 / patience
    chain = _ChainParams(
        agents=c,
        log_load=math.log(rate * aht),
        log_x=math.log(rate * patience),
        ratio_b=c * patience / aht,
        theta=theta,
    )
    return _erlang_a_from_chain(chain, rate, aht, threshold)


def queue_metrics(
    rate: float, aht: float, agents: int, threshold: float, patience: float | None = None
) -> QueueMetrics:
    """Erlang A when a finite patience is given, Erlang C when it is None or infinite.

    A patience that is zero, negative or NaN is an error rather than a silent switch of
    model.
    """
    if patience is None or patience == math.inf:
        return erlang_c_metrics(rate, aht, agents, threshold)
    return erlang_a_metrics(rate, aht, agents, patience, threshold)


# ------------------------------------------------------------------------------ staffing


def _least_true(pred: Callable[[int], bool], start: int, upper: int) -> int:
    """Least c in [1, upper] with pred(c), for pred monotone (false then true).

    Gallops from ``start`` with doubling steps to bracket the flip, then bisects, so a
    good start costs O(log distance) evaluations.
    """
    if pred(start):
        true_at, step = start, 1
        while true_at - step >= 1 and pred(true_at - step):
            true_at, step = true_at - step, step * 2
        return _bisect_int(pred, max(true_at - step, 0), true_at)
    false_at, step = start, 1
    while not pred(candidate := min(false_at + step, upper)):
        if candidate == upper:
            raise ValueError(f"target not reachable with max_agents={upper}")
        false_at, step = candidate, step * 2
    return _bisect_int(pred, false_at, candidate)


def agents_for_target(
    rate: float,
    aht: float,
    threshold: float,
    target_sl: float,
    patience: float | None = None,
    max_abandon: float | None = None,
    max_agents: int = 10_000,
) -> int:
    """Least agents with service_level >= target_sl (and abandon_rate <= max_abandon).

    Both metrics improve monotonically with agents, so the search starts just above the
    offered load (where Erlang C first gives a finite queue) and gallops then bisects:
    about a dozen evaluations even at 2,000 Erlangs. Returns 0 when nothing is offered;
    raises ValueError when ``max_agents`` is not enough.
    """
    rate = _check_nonneg("rate", rate)
    aht = _check_positive("aht", aht)
    target_sl = _check_fraction("target_sl", target_sl)
    max_agents = _check_agents(max_agents)
    if max_abandon is not None:
        max_abandon = _check_fraction("max_abandon", max_abandon)
    if rate == 0.0:
        return 0
    limit = max_abandon

    def meets(c: int) -> bool:
        m = queue_metrics(rate, aht, c, threshold, patience)
        return m.service_level >= target_sl and (limit is None or m.abandon_rate <= limit)

    start = min(max_agents, int(rate * aht) + 1)
    return _least_true(meets, start, max_agents)
