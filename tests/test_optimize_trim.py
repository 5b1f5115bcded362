"""The trim on hand-made cases: a judge that passes a day when enough agents work it, so the
lean schedule is known by hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from omnistaff.optimize.evaluate import Evaluation, Judging
from omnistaff.optimize.parts import center_parts
from omnistaff.optimize.shifts import ShiftOption
from omnistaff.optimize.trim import Agents, trim
from tests.test_optimize_model import HOUR, tiny

OPTIONS = [ShiftOption("team", "t", "mon", 8 * 3600, 8 * HOUR, ()),   # 8 an agent
           ShiftOption("team", "t", "mon", 9 * 3600, 4 * HOUR, ()),   # 4 an agent
           ShiftOption("team", "t", "tue", 8 * 3600, 8 * HOUR, ())]   # 8 an agent
DAYS = {"mon": [0], "tue": [1], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []}


def data() -> object:
    base = tiny(OPTIONS, {"phone": [1.0] * 48})
    return replace(base, weekday_days=DAYS)


def verdicts(agents: Agents, need: tuple[int, int]) -> Evaluation:
    """Monday passes with at least need[0] agents, Tuesday with need[1]."""
    worked = (agents[0] + agents[1], agents[2])
    met = [w >= n for w, n in zip(worked, need, strict=True)]
    periods = pd.DataFrame({"channel": "phone", "period": [0, 1],
                            "verdict": ["met" if m else "missed" for m in met]})
    channels = pd.DataFrame({"met": [all(met)]}, index=["phone"])
    return Evaluation(channels, periods, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                      Judging(), 10)


class Recorded:
    """A judge by a rule, keeping every schedule it judged."""

    def __init__(self, rule: Callable[[Agents], Evaluation]) -> None:
        self.rule = rule
        self.judged: list[Agents] = []

    def __call__(self, agents: Agents) -> Evaluation:
        self.judged.append(agents)
        return self.rule(agents)


def test_the_trim_takes_away_the_surplus_dearest_first() -> None:
    judge = Recorded(lambda agents: verdicts(agents, (3, 2)))
    judged = judge.judged
    start = (3, 2, 4)
    agents, evaluation, report = trim(data(), start, verdicts(start, (3, 2)), judge, 50)
    assert agents == (1, 2, 2)  # Monday's dearer shift goes first; the cheap ones stay
    assert evaluation.all_met and report.complete
    assert report.removed == 4 and report.cost_after == 1 * 8 + 2 * 4 + 2 * 8
    # Monday and Tuesday candidates are judged together: fewer simulations than removals
    assert len(judged) == report.evaluations < 4 + 3


def test_a_failing_evaluation_is_never_kept() -> None:
    # Any removal on both days at once fails Tuesday; alone, only Tuesday's own rule counts.
    def judge(agents: Agents) -> Evaluation:
        both = agents[0] + agents[1] < 5 and agents[2] < 4
        return verdicts(agents, (3, 99 if both else 2))

    start = (3, 2, 4)
    agents, evaluation, report = trim(data(), start, verdicts(start, (3, 2)), judge, 50)
    assert evaluation.all_met and judge(agents).all_met
    assert report.cost_after < report.cost_before


def test_a_removal_must_pass_on_fresh_replications_too() -> None:
    start = (3, 2, 4)
    fresh: list[Agents] = []

    def verify(agents: Agents) -> Evaluation:
        fresh.append(agents)
        return verdicts(agents, (4, 2))  # the fresh replications need a fourth agent on Monday

    agents, evaluation, report = trim(
        data(), start, verdicts(start, (3, 2)), lambda a: verdicts(a, (3, 2)), 50,
        verify=verify)
    # Monday keeps the four the fresh replications need, the cheapest way (4-hour shifts and
    # the 8-hour one they cannot spare); Tuesday goes down to the two both samples need.
    assert agents == (2, 2, 2) and report.complete
    assert evaluation.all_met and verify(agents).all_met
    assert report.refused_afresh >= 1 and "refused" in report.describe("USD")
    # Each simulation of either sample counts.
    assert report.evaluations > len(fresh) - 1 >= report.refused_afresh


def test_the_sample_that_refused_last_is_simulated_first() -> None:
    # The fresh replications refuse every removal: after the first refusal they go first, so
    # each later refusal costs one simulation, and the judging ones are not run for it.
    start = (3, 2, 4)
    judged: list[Agents] = []
    fresh: list[Agents] = []

    def judge(agents: Agents) -> Evaluation:
        judged.append(agents)
        return verdicts(agents, (3, 2))

    def verify(agents: Agents) -> Evaluation:
        fresh.append(agents)
        return verdicts(agents, (5, 4))  # nothing can go

    agents, _, report = trim(data(), start, verdicts(start, (3, 2)), judge, 50, verify=verify)
    assert agents == start and report.complete and report.removed == 0
    assert report.refused_afresh == len(fresh) - 1 >= 2  # the first: the start's own check
    assert len(judged) == 1  # only the first try, before the fresh ones had refused any
    assert report.evaluations == len(judged) + len(fresh)


def test_a_large_surplus_goes_in_growing_steps_down_to_the_same_lean_schedule() -> None:
    judge = Recorded(lambda agents: verdicts(agents, (3, 2)))
    judged = judge.judged
    start = (40, 2, 35)
    agents, evaluation, report = trim(data(), start, verdicts(start, (3, 2)), judge, 200)
    assert agents == (1, 2, 2) and evaluation.all_met and report.complete
    assert report.removed == 39 + 33
    # One at a time would take at least one simulation per removal on the busier day (39);
    # doubling steps, refused tries retried with one, need far fewer.
    assert report.evaluations == len(judged) < 25


def test_channels_sharing_a_group_or_an_escalation_are_one_part_of_the_center() -> None:
    skills = [("phone_team", "phone"), ("office", "email"), ("office", "letters"),
              ("social", "posts"), ("chat_team", "chat")]
    parts = center_parts(skills, [("chat", "phone")])
    assert parts["email"] == parts["letters"]
    assert parts["chat"] == parts["phone"]  # chat escalates into phone
    assert len({parts["phone"], parts["email"], parts["posts"]}) == 3


def two_part_data() -> object:
    options = [ShiftOption("phone_team", "t", "mon", 8 * 3600, 8 * HOUR, ()),
               ShiftOption("office", "t", "mon", 8 * 3600, 8 * HOUR, ())]
    base = tiny(options, {"phone": [1.0] * 48, "email": [1.0] * 48},
                skills=[("phone_team", "phone"), ("office", "email")])
    return replace(base, weekday_days=DAYS)


def part_verdicts(agents: Agents, need: tuple[int, int]) -> Evaluation:
    """Monday's phone passes with need[0] phone agents, its email with need[1] office agents."""
    met = [a >= n for a, n in zip(agents, need, strict=True)]
    periods = pd.DataFrame({"channel": ["phone", "email"], "period": [0, 0],
                            "verdict": ["met" if m else "missed" for m in met]})
    channels = pd.DataFrame({"met": met}, index=["phone", "email"])
    return Evaluation(channels, periods, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                      Judging(), 10)


def test_candidates_of_separate_parts_share_a_simulation_on_the_same_day() -> None:
    parts = {"phone": 0, "email": 1}
    for together, most in ((parts, 3), (None, 5)):
        judged: list[Agents] = []

        def judge(agents: Agents, judged: list[Agents] = judged) -> Evaluation:
            judged.append(agents)
            return part_verdicts(agents, (2, 1))

        start = (3, 2)
        agents, evaluation, report = trim(two_part_data(), start, part_verdicts(start, (2, 1)),
                                          judge, 50, parts=together)
        assert agents == (2, 1) and evaluation.all_met and report.complete
        # apart: each removal and each refusal costs its own simulation; together, a phone
        # and an email removal share one, and a refusal of one keeps the other
        assert report.evaluations == len(judged) <= most
        if together:
            assert judged[0] == (2, 1)  # one simulation took a phone and an email agent away


def test_the_trim_never_runs_more_simulations_than_it_may() -> None:
    # Monday's and Tuesday's candidates share simulations, and a try of both that misses on
    # Monday alone is judged again without it: that second judging counts against the limit.
    for most in range(1, 30):
        runs: list[Agents] = []

        def judge(agents: Agents, need: tuple[int, int] = (3, 2),
                  runs: list[Agents] = runs) -> Evaluation:
            runs.append(agents)
            return verdicts(agents, need)

        start = (3, 2, 4)
        agents, evaluation, report = trim(data(), start, verdicts(start, (3, 2)), judge, most,
                                          verify=lambda a: judge(a, (4, 2)))
        assert len(runs) == report.evaluations <= most
        assert evaluation.all_met and verdicts(agents, (4, 2)).all_met


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
WEEK = [ShiftOption("team", "t", day, 8 * 3600, length * HOUR, ())
        for day in WEEKDAYS for length in (8, 4)]   # options 2d (8 an agent) and 2d + 1 (4)
WEEK_DAYS = {day: [d] for d, day in enumerate([*WEEKDAYS, "sat", "sun"])}


def week_data() -> object:
    return replace(tiny(WEEK, {"phone": [1.0] * 7 * 24}), weekday_days=WEEK_DAYS)


def backlog_verdicts(agents: Agents, need: int = 3, backlog: int = 14) -> Evaluation:
    """Each weekday passes with `need` agents; Saturday, which no shift works, clears the
    week's backlog only with at least `backlog` agent-shifts in the week."""
    worked = [agents[2 * d] + agents[2 * d + 1] for d in range(5)]
    met = [w >= need for w in worked] + [sum(worked) >= backlog]
    periods = pd.DataFrame({"channel": "phone", "period": range(6),
                            "verdict": ["met" if m else "missed" for m in met]})
    channels = pd.DataFrame({"met": [all(met)]}, index=["phone"])
    return Evaluation(channels, periods, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                      Judging(), 10)


def test_a_miss_on_a_day_no_candidate_works_is_traced_to_the_removals_before_it() -> None:
    # Removals on five weekdays share a simulation, and growing steps take several agents at
    # once; Saturday's backlog misses when fewer than 16 of the week's agent-shifts are left.
    # Such a miss is traced by narrowing the removals before it, and the others go on sharing
    # simulations: before, every candidate of a batch that missed so was judged alone from
    # then on, and the pass took 24 simulations.
    start = (4, 4) * 5
    judge = Recorded(lambda agents: backlog_verdicts(agents, 3, 16))
    judged = judge.judged

    agents, evaluation, report = trim(week_data(), start, judge(start), judge, 18,
                                      verify=judge)
    assert report.complete and evaluation.all_met and len(judged) - 1 == report.evaluations
    assert report.cost_after == 16 * 4  # every agent left works a 4-hour shift
    assert "every remaining agent-shift was tried" in report.describe("USD")
    # By hand: no single agent-shift of what is left can go.
    for s in range(len(agents)):
        if agents[s] > 0:
            fewer = tuple(a - (i == s) for i, a in enumerate(agents))
            assert not backlog_verdicts(fewer, 3, 16).all_met


def test_a_pass_stopped_at_its_budget_says_how_much_it_left_untried() -> None:
    start = (4, 4) * 5
    agents, _, report = trim(week_data(), start, backlog_verdicts(start, 3, 16),
                                      lambda a: backlog_verdicts(a, 3, 16), 3)
    assert not report.complete and report.untried > 0 and report.evaluations <= 3
    assert f"{report.untried} shift options untried" in report.describe("USD")
    assert backlog_verdicts(agents, 3, 16).all_met


def test_a_refusal_beside_an_earlier_removal_that_was_refused_is_tried_again() -> None:
    # A Monday short of staff carries its backlog into Tuesday, which then misses whatever
    # Tuesday has. A batch taking a Monday and a Tuesday agent misses both days: Monday's
    # removal is to blame for both, yet Tuesday's was refused too. Before, Tuesday's refusal
    # was final and the pass ended at (0, 3, 4) with two Tuesday agents to spare.
    def carry(agents: Agents) -> Evaluation:
        return verdicts(agents, (3, 2 if agents[0] + agents[1] >= 3 else 99))

    start = (0, 4, 5)
    agents, evaluation, report = trim(data(), start, carry(start), carry, 50)
    assert agents == (0, 3, 2) and evaluation.all_met and report.complete
    for s in range(len(agents)):  # by hand: no single agent-shift of what is left can go
        if agents[s] > 0:
            assert not carry(tuple(a - (i == s) for i, a in enumerate(agents))).all_met


def cap_verdicts(agents: Agents, need: tuple[int, int]) -> Evaluation:
    """Every SLA met; the team is clearly within its occupancy cap on Monday with at least
    need[0] agents and on Tuesday with need[1] (else unclear at the cap)."""
    easy = verdicts(agents, (0, 0))
    worked = (agents[0] + agents[1], agents[2])
    per_day = data().intervals_per_day
    caps = pd.DataFrame({"group": "team", "interval": [10, per_day + 10],
                         "verdict": ["held" if w >= n else "unclear"
                                     for w, n in zip(worked, need, strict=True)]})
    return replace(easy, caps=caps)


def test_a_miss_at_an_occupancy_cap_refuses_the_removals_of_its_day() -> None:
    judge = Recorded(lambda agents: cap_verdicts(agents, (3, 2)))
    judged = judge.judged

    start = (3, 2, 4)
    agents, evaluation, report = trim(data(), start, cap_verdicts(start, (3, 2)), judge, 50)
    # the same lean schedule as where the SLAs set the floor, and no try judged twice
    assert agents == (1, 2, 2) and evaluation.all_met and report.complete
    assert len(set(judged)) == len(judged) == report.evaluations < 10


def test_a_miss_that_names_no_period_refuses_its_whole_batch_once() -> None:
    # short of the SLA over the horizon, no day named
    judge = Recorded(lambda agents: replace(verdicts(agents, (0, 0)), channels=pd.DataFrame(
        {"met": [False]}, index=["phone"])))
    judged = judge.judged

    start = (3, 2, 4)
    agents, _, report = trim(data(), start, verdicts(start, (0, 0)), judge, 50)
    assert agents == start and report.complete and len(set(judged)) == len(judged) <= 3


def test_a_day_the_start_misses_on_fresh_replications_keeps_its_staff_and_blocks_no_other(
        ) -> None:
    # The fresh replications find Monday short even before any removal (it needs six there):
    # before, every try missed Monday on them and nothing was removed; now Monday's shifts are
    # kept and Tuesday is trimmed as both samples allow.
    start = (3, 2, 4)
    verify = Recorded(lambda agents: verdicts(agents, (6, 2)))
    agents, evaluation, report = trim(data(), start, verdicts(start, (3, 2)),
                                      lambda a: verdicts(a, (3, 2)), 50, verify=verify)
    assert agents == (3, 2, 2) and evaluation.all_met and report.complete
    assert report.missed_afresh == ("phone on day 1",) and report.kept_for_them == 2
    assert verify.judged[0] == start  # judged on the fresh replications first
    assert "the schedule itself did not clearly meet phone on day 1" in report.describe("USD")


def test_a_cap_the_start_misses_on_fresh_replications_is_named_with_its_day() -> None:
    start = (3, 2, 4)
    agents, _, report = trim(data(), start, cap_verdicts(start, (3, 2)),
                             lambda a: cap_verdicts(a, (3, 2)), 50,
                             verify=lambda a: cap_verdicts(a, (3, 5)))
    assert report.missed_afresh == ("team's occupancy cap on day 2",)
    # Tuesday's agents kept; Monday, before it, trimmed to the cap's three
    assert agents == (1, 2, 4) and report.kept_for_them == 1
    assert "every other remaining agent-shift was tried" in report.describe("USD")


def test_the_trim_line_names_one_day_or_several() -> None:
    from omnistaff.optimize.trim import TrimReport

    def line(*missed: str) -> str:
        return TrimReport(3, 100.0, 70.0, 9, True, missed_afresh=missed,
                          kept_for_them=4).describe("USD")

    assert "the 4 shift options working that day were kept" in line("phone on day 2",
                                                                     "chat on day 2")
    assert "the 4 shift options working those days were kept" in line("phone on day 2",
                                                                      "chat on day 3")
    assert line("phone on day 2").startswith("trim removed 3 agent-shifts (USD 30)")
