"""Cross-reference checks of the routing policies: every channel and group they name exists
and can do what the policy asks of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from omnistaff.scenarios.concurrency_periods import period_problems

if TYPE_CHECKING:
    from omnistaff.scenarios.scenario import Scenario

Problem = tuple[str, str]


def routing_problems(scenario: Scenario) -> list[Problem]:
    """Problems with `routing.channels` and channels' callbacks, as (field path, message)."""
    problems: list[Problem] = []
    skilled = {name: {s.channel for s in group.skills} for name, group in scenario.groups.items()}
    for cname, policy in scenario.routing.channels.items():
        path = f"routing.channels.{cname}"
        if cname not in scenario.channels:
            problems.append((path, f"no channel named '{cname}'; use one of "
                             f"{', '.join(sorted(scenario.channels))}"))
            continue
        named = [(f"groups.{i}", g) for i, g in enumerate(policy.groups)]
        named += [(f"reserve.{i}.group", r.group) for i, r in enumerate(policy.reserve)]
        named += [(f"queue_threshold.{g}", g) for g in policy.queue_threshold]
        for field, group in named:
            if group not in scenario.groups:
                problems.append((f"{path}.{field}", f"no agent group named '{group}'; use one "
                                 f"of {', '.join(sorted(scenario.groups))}"))
            elif cname not in skilled[group]:
                problems.append((f"{path}.{field}", f"group '{group}' has no skill for "
                                 f"'{cname}'; add it to the group's skills or name another "
                                 "group"))
    problems += _pacing_problems(scenario)
    for cname, channel in scenario.channels.items():
        concurrency = channel.concurrency
        problems += [(f"channels.{cname}.concurrency.by_period.{field}", message)
                     for field, message in period_problems(
                         concurrency.by_period, concurrency.max,
                         scenario.horizon.interval_seconds)]
        callback = channel.callback
        if callback is None:
            continue
        target = scenario.channels.get(callback.to)
        path = f"channels.{cname}.callback.to"
        if target is None:
            problems.append((path, f"no channel named '{callback.to}'; use a deferred "
                             "channel that holds the call-backs"))
        elif target.mode != "deferred":
            problems.append((path, f"channel '{callback.to}' is live; call-backs wait as "
                             "deferred work: name a deferred channel"))
    return problems


def _pacing_problems(scenario: Scenario) -> list[Problem]:
    """A pacing margin that leaves a capped group with deferred skills no deferred work."""
    margin = scenario.routing.pacing_margin
    return [("routing.pacing_margin", f"{margin:g} is not under the max_occupancy "
             f"{group.max_occupancy:g} of group '{name}', so the group would take no deferred "
             "work; use a smaller margin or a higher cap")
            for name, group in scenario.groups.items()
            if group.max_occupancy is not None and margin >= group.max_occupancy
            and any(scenario.channels[s.channel].mode == "deferred" for s in group.skills
                    if s.channel in scenario.channels)]
