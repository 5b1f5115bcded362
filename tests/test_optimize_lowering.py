"""Lowering's brackets on hand-made verdicts: each channel-period's sizing target moves to the
middle of its bracket, down where the period was met and up where it was missed, until the
bracket is narrower than SETTLED."""

from __future__ import annotations

import numpy as np
import pandas as pd

from omnistaff.optimize.evaluate import Evaluation, Judging
from omnistaff.optimize.lowering import SETTLED, brackets, per_interval, room_of


def judged(verdicts: dict[str, list[str]]) -> Evaluation:
    periods = pd.DataFrame([{"channel": c, "period": p, "verdict": v}
                            for c, row in verdicts.items() for p, v in enumerate(row)])
    return Evaluation(pd.DataFrame(), periods, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                      Judging(), 10)


def test_each_period_bisects_its_own_bracket() -> None:
    bracket = brackets({"phone": 0.8}, periods=2)
    tried = bracket.trial()
    assert tried is not None and np.allclose(tried["phone"], [0.6, 0.6])
    bracket = bracket.judged(tried, judged({"phone": ["met", "missed"]}))
    # Monday passed at 0.6: its bracket is now 0.4-0.6; Tuesday failed: 0.6-0.8
    assert np.allclose(bracket.passing["phone"], [0.6, 0.8])
    assert np.allclose(bracket.failing["phone"], [0.4, 0.6])


def test_a_period_the_fresh_replications_find_short_moves_its_failing_end() -> None:
    # Met on the judging replications but not on fresh ones: the trial is not kept, and the
    # next does not size that period the same way again (it was, in a 28-day run).
    bracket = brackets({"phone": 0.8}, periods=2)
    tried = bracket.trial()
    assert tried is not None
    after = bracket.judged(tried, judged({"phone": ["met", "met"]}),
                           judged({"phone": ["met", "missed"]}))
    assert np.allclose(after.passing["phone"], [0.6, 0.8])
    assert np.allclose(after.failing["phone"], [0.4, 0.6])
    again = after.trial()
    assert again is not None and not np.isclose(again["phone"][1], tried["phone"][1])


def test_the_brackets_settle_within_a_few_trials() -> None:
    bracket = brackets({"phone": 0.8}, periods=1)
    # a period that passes at 0.65 and above: the passing end closes in on it from above
    trials = 0
    while (tried := bracket.trial()) is not None:
        trials += 1
        bracket = bracket.judged(tried, judged({"phone": [
            "met" if tried["phone"][0] >= 0.65 else "missed"]}))
    assert trials == int(np.ceil(np.log2(0.4 / SETTLED)))
    assert 0.65 <= bracket.passing["phone"][0] < 0.65 + SETTLED
    assert bracket.failing["phone"][0] < 0.65


def test_a_settled_period_keeps_its_passing_sizing_while_others_move() -> None:
    bracket = brackets({"chat": 0.8, "phone": 0.9}, periods=1)
    bracket = type(bracket)({**bracket.passing, "chat": np.array([0.70])},
                            {**bracket.failing, "chat": np.array([0.69])})
    tried = bracket.trial()
    assert tried is not None
    assert tried["chat"][0] == 0.70 and np.isclose(tried["phone"][0], 0.675)
    # a miss of the settled period (it was not moved) changes nothing of it
    after = bracket.judged(tried, judged({"chat": ["missed"], "phone": ["met"]}))
    assert after.passing["chat"][0] == 0.70 and after.failing["chat"][0] == 0.69


def test_per_day_sizing_is_spread_over_each_days_intervals() -> None:
    spread = per_interval({"phone": np.array([0.8, 0.6])}, intervals=8, intervals_per_day=4)
    assert spread["phone"].tolist() == [0.8] * 4 + [0.6] * 4
    whole = per_interval({"phone": np.array([0.7])}, intervals=8, intervals_per_day=4)
    assert whole["phone"].tolist() == [0.7] * 8


def test_a_period_that_missed_sits_the_next_trial_out_at_its_passing_level() -> None:
    bracket = brackets({"phone": 0.8}, periods=2)
    tried = bracket.trial()
    assert tried is not None
    bracket = bracket.judged(tried, judged({"phone": ["met", "missed"]}))
    tried = bracket.trial()
    # Monday probes lower; Tuesday, which missed at 0.6, waits at 0.8 so this trial can pass
    assert tried is not None and np.allclose(tried["phone"], [0.5, 0.8])
    bracket = bracket.judged(tried, judged({"phone": ["met", "met"]}))
    tried = bracket.trial()
    assert tried is not None and np.allclose(tried["phone"], [0.45, 0.7])


def test_the_apps_iteration_table_names_each_trial_and_whether_it_was_kept() -> None:
    from omnistaff.scenarios import bundled_scenarios, load_scenario
    from omnistaff.ui.app.display import iteration_table

    scenario = load_scenario(bundled_scenarios()["small_multichannel"])
    base = {"cost": 100.0, "agent_shifts": 10, "paid_hours": 80.0, "attainment": 1.0,
            "all_met": True, "solver_status": "proven", "gap": 0.0, "solve_seconds": 1.0,
            "simulate_seconds": 2.0}
    rows = pd.DataFrame([{**base, "iteration": 1, "phase": "raise", "kept": True},
                         {**base, "iteration": 2, "phase": "lower", "kept": True},
                         {**base, "iteration": 3, "phase": "lower", "kept": False,
                          "all_met": False}])
    table = iteration_table(rows, scenario)
    assert list(table["step"]) == ["round", "lowering trial, kept", "lowering trial, not kept"]


def test_the_first_trial_asks_each_period_for_the_room_it_had() -> None:
    # Monday's lower bound cleared 80% by 6 points, Tuesday's by 0.5, Wednesday's by 30
    bracket = brackets({"phone": 0.8}, periods=3,
                       room={"phone": np.array([0.06, 0.005, 0.30])})
    tried = bracket.trial()
    assert tried is not None
    # Monday sized for 74%; Tuesday's bracket (80%-79%) is settled; Wednesday stops at 40%
    assert np.allclose(tried["phone"], [0.74, 0.8, 0.6])


def test_room_is_the_lower_bound_over_the_target() -> None:
    periods = pd.DataFrame({"channel": ["phone", "phone"], "period": [0, 1],
                            "lower_bound": [0.86, 0.78], "target": [0.8, 0.8]})
    evaluation = Evaluation(pd.DataFrame(), periods, pd.DataFrame(), pd.DataFrame(),
                            pd.DataFrame(), Judging(), 10)
    room = room_of(evaluation, ["phone", "email"], 3)
    assert np.allclose(room["phone"], [0.06, 0.0, 0.0]) and np.allclose(room["email"], 0.0)
