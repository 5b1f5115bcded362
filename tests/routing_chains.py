"""Exact continuous-time Markov chains of small routing instances, the references the
routing policies are held to (`test_routing_theory.py`).

Each chain is built from its transition rule: a state, and the (next state, rate) pairs
leaving it, enumerated from an initial state by breadth-first search; queues are truncated
where the stationary mass is negligible (each solve reports the mass on the truncation
boundary, which the tests bound). Work and delays are exponential, so the remaining work of
an interrupted contact is again exponential: preempt-resume is a Markov chain too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve
from scipy.stats import poisson

State = Hashable
Moves = Callable[[State], Iterable[tuple[State, float]]]


@dataclass(frozen=True)
class Chain:
    """States and their stationary probabilities."""

    states: list[State]
    pi: np.ndarray

    def mean(self, f: Callable[[State], float]) -> float:
        return float(sum(p * f(s) for s, p in zip(self.states, self.pi, strict=True)))


def stationary(start: State, moves: Moves, boundary: Callable[[State], bool]) -> Chain:
    """The stationary distribution of the chain reachable from `start`; asserts that the
    mass on truncated states (`boundary`) is below 1e-6."""
    index: dict[State, int] = {start: 0}
    order, rows, cols, rates = [start], [], [], []
    todo = deque([start])
    while todo:
        state = todo.popleft()
        i = index[state]
        for target, rate in moves(state):
            if rate <= 0 or target == state:
                continue
            if target not in index:
                index[target] = len(order)
                order.append(target)
                todo.append(target)
            rows.append(i)
            cols.append(index[target])
            rates.append(rate)
    n = len(order)
    q = sparse.coo_matrix((rates, (rows, cols)), shape=(n, n)).tocsr()
    q = q - sparse.diags(np.asarray(q.sum(axis=1)).ravel())
    system = q.T.tolil()
    system[0, :] = np.ones(n)  # one balance equation replaced by the normalization
    rhs = np.zeros(n)
    rhs[0] = 1.0
    pi = spsolve(system.tocsc(), rhs)
    chain = Chain(order, pi)
    edge = chain.mean(lambda s: float(boundary(s)))
    assert edge < 1e-6, f"truncation holds {edge:.2g} of the mass; raise the queue limit"
    return chain


def late_share(chain: Chain, waiting_ahead: Callable[[State], int | None], rate: float,
               threshold: float) -> float:
    """P(wait > threshold) of an arrival when each waiting contact leaves the queue at
    `rate` (every agent busy on this channel's queue); `waiting_ahead` is the contacts
    ahead of an arrival that waits in this state, or None when it is served at once."""
    late = 0.0
    for state, p in zip(chain.states, chain.pi, strict=True):
        ahead = waiting_ahead(state)
        if ahead is not None:
            late += p * poisson.cdf(ahead, rate * threshold)  # Erlang(ahead + 1) > t
    return late


# ------------------------------------------------------------------ reserved agents
def reserved_chain(a_agents: int, b_agents: int, kept: int, phone_rate: float,
                   email_rate: float, mu: float, limit: int) -> Chain:
    """Phone (live) served by A, then B (group order); email (deferred) by B only while
    more than `kept` B agents would stay idle. State (a, bp, be, qp, qe)."""
    def idle_b(bp: int, be: int) -> int:
        return b_agents - bp - be

    def moves(s: State) -> list[tuple[State, float]]:
        a, bp, be, qp, qe = s  # type: ignore[misc]
        out = []
        if a < a_agents:
            out.append(((a + 1, bp, be, qp, qe), phone_rate))
        elif idle_b(bp, be) > 0:
            out.append(((a, bp + 1, be, qp, qe), phone_rate))
        elif qp < limit:
            out.append(((a, bp, be, qp + 1, qe), phone_rate))
        if idle_b(bp, be) - 1 >= kept:
            out.append(((a, bp, be + 1, qp, qe), email_rate))
        elif qe < limit:
            out.append(((a, bp, be, qp, qe + 1), email_rate))
        if a:
            out.append(((a, bp, be, qp - 1, qe) if qp else (a - 1, bp, be, qp, qe), a * mu))
        for on_phone in (True, False):
            busy = bp if on_phone else be
            if not busy:
                continue
            nbp, nbe = (bp - 1, be) if on_phone else (bp, be - 1)  # the agent frees
            if qp:
                target = (a, nbp + 1, nbe, qp - 1, qe)
            elif qe and idle_b(nbp, nbe) - 1 >= kept:
                target = (a, nbp, nbe + 1, qp, qe - 1)
            else:
                target = (a, nbp, nbe, qp, qe)
            out.append((target, busy * mu))
        return out

    return stationary((0, 0, 0, 0, 0), moves, lambda s: s[3] == limit or s[4] == limit)


# ----------------------------------------------------------------------- preemption
def preemption_chain(a_agents: int, b_agents: int, phone_rate: float, email_rate: float,
                     mu: float, limit: int) -> Chain:
    """Phone served by A, then B; email by B; a phone finding no idle agent interrupts a B
    agent on email, whose email goes back to the head of its queue. State (a, bp, be, qp,
    qe)."""
    def moves(s: State) -> list[tuple[State, float]]:
        a, bp, be, qp, qe = s  # type: ignore[misc]
        idle = b_agents - bp - be
        out = []
        if a < a_agents:
            out.append(((a + 1, bp, be, qp, qe), phone_rate))
        elif idle:
            out.append(((a, bp + 1, be, qp, qe), phone_rate))
        elif be:
            out.append(((a, bp + 1, be - 1, qp, qe + 1), phone_rate))
        elif qp < limit:
            out.append(((a, bp, be, qp + 1, qe), phone_rate))
        if idle:
            out.append(((a, bp, be + 1, qp, qe), email_rate))
        elif qe < limit:
            out.append(((a, bp, be, qp, qe + 1), email_rate))
        if a:
            out.append(((a, bp, be, qp - 1, qe) if qp else (a - 1, bp, be, qp, qe), a * mu))
        if bp:
            target = ((a, bp, be, qp - 1, qe) if qp else
                      (a, bp - 1, be + 1, qp, qe - 1) if qe else (a, bp - 1, be, qp, qe))
            out.append((target, bp * mu))
        if be:
            target = ((a, bp + 1, be - 1, qp - 1, qe) if qp else
                      (a, bp, be, qp, qe - 1) if qe else (a, bp, be - 1, qp, qe))
            out.append((target, be * mu))
        return out

    return stationary((0, 0, 0, 0, 0), moves, lambda s: s[3] == limit or s[4] == limit)


# ------------------------------------------------------------------------- overflow
def overflow_chain(a_agents: int, b_agents: int, rate: float, mu: float, theta: float,
                   limit: int) -> Chain:
    """One channel: group A takes contacts at once, group B only once a contact's
    exponential delay (rate theta) has passed; A serves the queue's head, B the first
    contact whose delay has passed. State (a, b, flags), flags the queue in arrival
    order, 1 where the delay has passed."""
    def moves(s: State) -> list[tuple[State, float]]:
        a, b, flags = s  # type: ignore[misc]
        out = []
        if a < a_agents:
            out.append(((a + 1, b, flags), rate))
        elif len(flags) < limit:
            out.append(((a, b, (*flags, 0)), rate))
        for i, flag in enumerate(flags):
            if flag == 0:
                rest = flags[:i] + flags[i + 1:]
                target = (a, b + 1, rest) if b < b_agents else (a, b, (*flags[:i], 1,
                                                                         *flags[i + 1:]))
                out.append((target, theta))
        if a:
            out.append(((a, b, flags[1:]) if flags else (a - 1, b, flags), a * mu))
        if b:
            if 1 in flags:
                i = flags.index(1)
                target = (a, b, flags[:i] + flags[i + 1:])
            else:
                target = (a, b - 1, flags)
            out.append((target, b * mu))
        return out

    return stationary((0, 0, ()), moves, lambda s: len(s[2]) == limit)


# --------------------------------------------------------------------------- redials
def redial_chain(agents: int, rate: float, mu: float, theta: float, share: float,
                 gamma: float, queue_limit: int, orbit_limit: int) -> Chain:
    """M/M/c+M where a share of abandoners redial after an exponential delay (rate gamma
    each). State (n in the system, o waiting to redial)."""
    def moves(s: State) -> list[tuple[State, float]]:
        n, o = s  # type: ignore[misc]
        out = []
        arrive = (n + 1, o) if n < agents + queue_limit else (n, o)
        out.append((arrive, rate))
        if o:
            out.append(((arrive[0], o - 1), o * gamma))
        if n:
            out.append(((n - 1, o), min(n, agents) * mu))
        waiting = max(n - agents, 0)
        if waiting:
            out.append(((n - 1, min(o + 1, orbit_limit)), waiting * theta * share))
            out.append(((n - 1, o), waiting * theta * (1 - share)))
        return out

    return stationary((0, 0), moves,
                      lambda s: s[0] == agents + queue_limit or s[1] == orbit_limit)
