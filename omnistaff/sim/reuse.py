"""What replications of one scenario share: computed once per scenario object in a process,
not once per replication (a worker runs a batch of replications of the same scenario).

A scenario is frozen, so whatever depends only on it (per-minute arrival rates, the planned
agent-shifts, the label columns of the interval frames) is the same for every replication;
`per_scenario` caches such a function's value by the scenario's identity.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from omnistaff.scenarios.scenario import Scenario

T = TypeVar("T")
KEPT = 8  # scenarios remembered per function: a comparison's variants, a sweep's points


def per_scenario(function: Callable[..., T]) -> Callable[..., T]:
    """`function(scenario, *args)`, computed once per scenario object and arguments.

    The cache holds the scenario itself, so its id cannot be reused by another object while
    the entry lives; callers must not modify what it returns.
    """
    cache: OrderedDict[tuple[Any, ...], tuple[Scenario, T]] = OrderedDict()

    @wraps(function)
    def cached(scenario: Scenario, *args: Any) -> T:
        key = (id(scenario), *args)
        entry = cache.get(key)
        if entry is not None and entry[0] is scenario:
            cache.move_to_end(key)
            return entry[1]
        value = function(scenario, *args)
        cache[key] = (scenario, value)
        while len(cache) > KEPT:
            cache.popitem(last=False)
        return value

    return cached
