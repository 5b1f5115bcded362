"""What an optimization in progress is doing, for the Optimize page: the phase (requirements
and the first solve, round k of at most n: solve then simulate, a lowering trial, the trim),
how the last round went in words that agree with the per-day rule, and an estimate of the
time left from the rounds so far. Turns the loop's `progress` and `notes` calls into the
page's (done, total, note)."""

from __future__ import annotations

import time
from collections.abc import Callable

from omnistaff.optimize import Iteration, lowering_trials
from omnistaff.scenarios import Scenario
from omnistaff.ui.catalogue import amount, duration

Report = Callable[..., None]


def iteration_line(iteration: Iteration) -> str:
    """'round 2: USD 10,800, 50 agent-shifts, within 0.4% of the lower bound; chat lowest day
    78.1% (95% lower bound, target 80%): missed; ...' — the per-day verdict, per channel."""
    kind = "lowering trial" if iteration.phase == "lower" else "round"
    checks = []
    for channel, met in iteration.met.items():
        bound, target = iteration.lower_bound[channel], iteration.target[channel]
        checks.append(f"{channel} lowest day {100 * bound:.1f}% against {100 * target:.0f}%"
                      f"{'' if met else ': a day missed'}")
    tail = ""
    if iteration.phase == "lower":
        tail = "; kept (cheaper, every SLA met)" if iteration.kept else (
            "; not kept: an SLA missed on fresh replications" if iteration.missed_afresh
            else "; not kept")
    tail += iteration.same_note()
    raised = sum(iteration.raised.values())
    if raised:
        tail += f"; {raised} interval(s) raised for the next round"
    return (f"{kind} {iteration.number}: {amount(iteration.cost, 'money', iteration.currency)}, "
            f"{iteration.agent_shifts} agent-shifts, {iteration.solve.headline()}; "
            f"{'; '.join(checks)} (95% lower bounds over {iteration.replications} "
            f"replications){tail}")


class OptimizeProgress:
    """Counts rounds against the most the scenario allows and says what runs now."""

    def __init__(self, scenario: Scenario, report: Report | None) -> None:
        settings = scenario.optimizer
        self.rounds, self.lowerings = settings.max_iterations, lowering_trials(scenario)
        self.trim = settings.trim
        self.report = report
        self.began = time.monotonic()
        self.done: list[Iteration] = []
        self.last = ""
        self._say("phase: requirements (Erlang and backlog), then solve round 1")

    @property
    def total(self) -> int:
        return self.rounds + self.lowerings

    def _say(self, phase: str) -> None:
        if self.report is not None:
            note = f"{phase}. {self.last}" if self.last else phase
            self.report(len(self.done), self.total, f"{note}{self._left()}")

    def _left(self) -> str:
        """' About 40 s left at most' from the mean time of the rounds so far."""
        if not self.done:
            return ""
        elapsed = time.monotonic() - self.began
        each = elapsed / len(self.done)
        raised = [i for i in self.done if i.phase == "raise"]
        left = 0 if raised and raised[-1].all_met else self.rounds - len(raised)
        left += self.lowerings - (len(self.done) - len(raised))
        return (f" Elapsed {duration(elapsed)}; each round about {duration(each)}, up to "
                f"{left} more: at most about {duration(each * left)} left"
                f"{', then the trim' if self.trim else ''}.")

    def iteration(self, iteration: Iteration) -> None:
        """The loop's `progress`: a round or a lowering trial ended."""
        self.done.append(iteration)
        self.last = iteration_line(iteration)
        if iteration.phase == "raise" and not iteration.all_met and iteration.raised:
            phase = f"phase: round {iteration.number + 1} of at most {self.rounds}: solve, " \
                    "then simulate"
        elif iteration.all_met and self.lowerings:
            phase = "phase: lowering trials (cheaper schedules on the days met)"
        else:
            phase = "phase: the trim" if self.trim and iteration.all_met else "phase: finishing"
        self._say(phase)

    def note(self, line: str) -> None:
        """The loop's `notes`: the trim's simulations (a round's start is said already)."""
        if line.startswith("trim: "):
            self._say(f"phase: the trim: {line.removeprefix('trim: ')}")
