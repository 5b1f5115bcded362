"""The roster checker: every labour rule of every contract, verified person by person on a
named roster, independently of how the roster was made.

The horizon repeats, so a person's last shift is followed by the first shift of the person
named in `next_agent` (themselves, unless they are on a rotation of several people): rest,
consecutive days and weekends are checked around that cycle.
"""

from __future__ import annotations

from collections import Counter

from omnistaff.optimize.roster_out import RosterShift
from omnistaff.scenarios.contracts import group_contracts
from omnistaff.scenarios.scenario import Scenario

DAY = 86400.0


def roster_violations(scenario: Scenario, roster: list[RosterShift]) -> list[str]:
    """Every rule the roster breaks, in words naming the person; empty when it keeps them
    all."""
    people: dict[str, list[RosterShift]] = {}
    for s in roster:
        people.setdefault(s.agent, []).append(s)
    problems: list[str] = []
    for agent, shifts in sorted(people.items()):
        problems += _person(scenario, agent, sorted(shifts, key=lambda s: s.day))
    for chain in _rotations(people):
        problems += _cyclic(scenario, chain, people)
    problems += _limits(scenario, people)
    return problems


def _person(scenario: Scenario, agent: str, shifts: list[RosterShift]) -> list[str]:
    """Rules within one person's horizon: contract, template, one shift a day, the same
    length every day and starts within the start band, days a week, days off together, paid
    hours a week."""
    first = shifts[0]
    contract = scenario.contracts.get(first.contract)
    if contract is None:
        return [f"{agent}: contract '{first.contract}' is not in the scenario"]
    problems = []
    if first.contract not in group_contracts(scenario.contracts, first.group):
        problems.append(f"{agent}: group {first.group} may not be on {first.contract}")
    if contract.templates and any(s.template not in contract.templates for s in shifts):
        problems.append(f"{agent}: works a template {first.contract} does not allow")
    if len({(s.group, s.contract, s.next_agent) for s in shifts}) > 1:
        problems.append(f"{agent}: changes group, contract or rotation within the horizon")
    if len({s.length for s in shifts}) > 1:
        problems.append(f"{agent}: works shifts of different lengths on different days")
    spread = max(s.start for s in shifts) - min(s.start for s in shifts)
    if spread > contract.start_band + 1e-6:
        problems.append(f"{agent}: starts at different times on different days, "
                        f"{spread / 3600:g} h apart, more than the start band of "
                        f"{contract.start_band / 3600:g} h")
    days = Counter(s.day for s in shifts)
    if any(n > 1 for n in days.values()):
        problems.append(f"{agent}: works two shifts on one day")
    weeks = scenario.horizon.days // 7
    for w in range(weeks):
        worked = [7 * w + d in days for d in range(7)]
        if sum(worked) != contract.days_per_week:
            problems.append(f"{agent}: works {sum(worked)} days in week {w}, not "
                            f"{contract.days_per_week}")
        if contract.days_off_together and not _off_together(worked, weeks == 1):
            problems.append(f"{agent}: days off in week {w} are not together")
        paid = sum(s.paid_seconds for s in shifts if s.day // 7 == w)
        if not contract.min_paid_hours - 1e-6 <= paid <= contract.max_paid_hours + 1e-6:
            problems.append(f"{agent}: {paid / 3600:g} paid hours in week {w}, outside "
                            f"{contract.min_paid_hours / 3600:g} to "
                            f"{contract.max_paid_hours / 3600:g}")
    return problems


def _off_together(worked: list[bool], cyclic: bool) -> bool:
    off = [d for d in range(7) if not worked[d]]
    if not off or len(off) == 7:
        return True
    starts = [d for d in off if (worked[d - 1] if cyclic or d else True)]
    return len(starts) == 1


def _rotations(people: dict[str, list[RosterShift]]) -> list[list[str]]:
    """The people in cycles of `next_agent`, each cycle once (a chain that does not close is
    one cycle cut short: checked as far as it goes)."""
    done: set[str] = set()
    chains = []
    for agent in sorted(people):
        chain = []
        while agent in people and agent not in done:
            done.add(agent)
            chain.append(agent)
            agent = people[agent][0].next_agent
        if chain:
            chains.append(chain)
    return chains


def _cyclic(scenario: Scenario, chain: list[str], people: dict[str, list[RosterShift]]
            ) -> list[str]:
    """Rules around a rotation's cycle: rest between shifts, consecutive days, weekends."""
    days = scenario.horizon.days
    contract = scenario.contracts.get(people[chain[0]][0].contract)
    if contract is None:
        return []
    if chain[-1] in people and people[chain[-1]][0].next_agent != chain[0]:
        return [f"{chain[0]}: rotation does not close ({chain[-1]} is followed by "
                f"{people[chain[-1]][0].next_agent})"]
    span = days * len(chain)
    timeline = sorted(((k * days + s.day) * DAY + s.start, s.length, agent)
                      for k, agent in enumerate(chain) for s in people[agent])
    problems = []
    following = [t for t, _, _ in timeline[1:]] + [timeline[0][0] + span * DAY]
    for (start, length, agent), after in zip(timeline, following, strict=True):
        rest = after - start - length
        if rest < contract.min_rest - 1e-6:
            problems.append(f"{agent}: {rest / 3600:g} h of rest after the shift on day "
                            f"{int(start // DAY) % days}, less than "
                            f"{contract.min_rest / 3600:g} h")
    worked = [False] * span
    for start, _, _ in timeline:
        worked[int(start // DAY)] = True
    problems += _runs(contract.max_consecutive_days, worked, chain[0])
    if contract.weekend_off_every is not None:
        problems += _weekends(scenario, contract.weekend_off_every, worked, chain[0])
    return problems


def _runs(most: int, worked: list[bool], agent: str) -> list[str]:
    if all(worked):
        return [f"{agent}: works every day of the rotation"]
    start = worked.index(False)
    run = longest = 0
    for k in range(len(worked)):
        run = run + 1 if worked[(start + k) % len(worked)] else 0
        longest = max(longest, run)
    return [f"{agent}: works {longest} days in a row, more than {most}"] if longest > most \
        else []


def _weekends(scenario: Scenario, every: int, worked: list[bool], agent: str) -> list[str]:
    weekdays = [scenario.horizon.weekday(d % 7) for d in range(len(worked))]
    weeks = len(worked) // 7
    off = [not any(worked[7 * w + d] for d in range(7) if weekdays[7 * w + d] in ("sat", "sun"))
           for w in range(weeks)]
    for w in range(weeks):
        if not any(off[(w + k) % weeks] for k in range(every)):
            return [f"{agent}: no weekend off in the {every} weeks from week {w % weeks}"]
    return []


def _limits(scenario: Scenario, people: dict[str, list[RosterShift]]) -> list[str]:
    problems = []
    by_group = Counter(shifts[0].group for shifts in people.values())
    by_contract = Counter(shifts[0].contract for shifts in people.values())
    for group, n in by_group.items():
        most = scenario.groups[group].max_headcount if group in scenario.groups else None
        if most is not None and n > most:
            problems.append(f"group {group}: {n} people, above its headcount {most}")
    for name, n in by_contract.items():
        contract = scenario.contracts.get(name)
        if contract is not None and contract.max_people is not None and n > contract.max_people:
            problems.append(f"contract {name}: {n} people, above its most {contract.max_people}")
    return problems
