"""The planner's figures by day (`omnistaff.ui.daily`): day verdicts as the optimizer judges,
service level by hour adding up to the day's, response-time percentiles per day, the
weekend's worst hour, and the verdict lines the Simulate page shows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from omnistaff.optimize.evaluate import Judging, period_verdicts
from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario, with_overrides
from omnistaff.sim.experiment import Replications, run_replications
from omnistaff.ui import daily
from omnistaff.ui.app import runs


@pytest.fixture(scope="module")
def weekend() -> Scenario:
    """Friday to Sunday of the bundled scenario without weekend social cover."""
    full = load_scenario(bundled_scenarios()["small_multichannel"]).variant("no_weekend_social")
    return with_overrides(full, {"horizon.days": 3, "horizon.start_weekday": "fri"})


@pytest.fixture(scope="module")
def one_run(weekend: Scenario) -> Replications:
    return run_replications(weekend, 1, 5)


def test_every_channel_is_judged_by_the_optimizers_rule(weekend: Scenario) -> None:
    some = with_overrides(weekend, {"optimizer.channels": ["phone"]})
    runs = run_replications(some, 2, 5)
    verdicts = daily.day_verdicts(runs)
    assert set(verdicts["channel"]) == set(some.channels)
    alone = period_verdicts(runs, daily.every_channel_judged(some),
                            Judging(confidence=0.95, period="day"))
    assert verdicts["verdict"].tolist() == alone["verdict"].tolist()
    assert verdicts["weekday"].tolist()[:3] == ["Fri", "Sat", "Sun"]


def test_hours_add_up_to_the_days_service_level(one_run: Replications,
                                                weekend: Scenario) -> None:
    """With one replication the mean of the day's share is the day's pooled share, which the
    hours' counts must give back."""
    hours = daily.hour_grid(one_run.channel_intervals())
    days = daily.day_verdicts(one_run).set_index(["channel", "day"])
    frame = one_run.channel_intervals()
    frame = frame.assign(within=frame["answered_within_sla"]).groupby(
        ["channel", "day"])[["within"]].sum()
    pooled = frame["within"] / hours.groupby(["channel", "day"])["sla_base"].sum()
    both = days["service_level"].dropna()
    assert np.allclose(both.to_numpy(), pooled.reindex(both.index).to_numpy())
    assert set(hours["hour"]) == set(range(24))


def test_the_weekend_is_missed_where_nobody_covers_social(one_run: Replications,
                                                         weekend: Scenario) -> None:
    days = daily.day_verdicts(one_run)
    social = days[(days["channel"] == "social")].set_index("day")
    assert social.loc[1, "service_level"] < weekend.channels["social"].sla.target
    lines = daily.verdict_lines(days, weekend)
    assert any(line.startswith("Saturday social: ") and line.endswith(": miss")
               for line in lines)


def test_a_verdict_line_reads_as_a_sentence(weekend: Scenario) -> None:
    row = pd.Series({"channel": "social", "day": 1, "service_level": 0.714, "verdict": "missed",
                     "lower_bound": 0.65, "upper_bound": 0.77, "target": 0.8})
    assert daily.verdict_line(row, weekend) == (
        "Saturday social: 71% within 1 h, target 80%: miss")
    unclear = row.copy()
    unclear["service_level"], unclear["verdict"] = 0.79, "unclear"
    unclear["upper_bound"] = 1.04
    assert daily.verdict_line(unclear, weekend).endswith(
        "target 80%: unclear (95% bounds 65% to 100%)")


def test_thresholds_are_written_as_people_say_them() -> None:
    assert [daily.threshold_text(s) for s in (20, 60, 1800, 3600, 14400, 86400, 90)] == [
        "20 s", "1 min", "30 min", "1 h", "4 h", "24 h", "90 s"]


def test_day_percentiles_are_those_of_the_days_answered_contacts(weekend: Scenario) -> None:
    day = 86400.0
    contacts = pd.DataFrame({
        "channel": pd.Categorical(["phone"] * 6 + ["chat"], categories=list(weekend.channels)),
        "arrival": [10.0, 20.0, 30.0, 40.0, day + 5, -50.0, 100.0],
        "outcome": ["answered", "answered", "answered", "abandoned", "answered", "answered",
                    "answered"],
        "wait": [10.0, 20.0, 30.0, 999.0, 7.0, 500.0, 4.0]})
    table = daily.day_waits(contacts, weekend).set_index(["channel", "day"])
    assert table.loc[("phone", 0), "p50"] == pytest.approx(20.0)
    assert table.loc[("phone", 0), "p90"] == pytest.approx(np.quantile([10, 20, 30], 0.9))
    assert table.loc[("phone", 1), "p90"] == pytest.approx(7.0)
    assert table.loc[("chat", 0), "p50"] == pytest.approx(4.0)
    both = daily.day_percentiles([table.reset_index(), table.reset_index()])
    assert both.set_index(["channel", "day"]).loc[("phone", 0), "p50_ci95"] == 0


def test_the_worst_weekend_hour_is_the_furthest_below_target(weekend: Scenario) -> None:
    hours = pd.DataFrame({
        "channel": ["social", "social", "social", "phone", "phone"],
        "day": [0, 1, 2, 1, 2], "hour": [9, 10, 11, 3, 14],
        "sla_base": [50.0, 40.0, 2.0, 30.0, 60.0],
        "service_level": [0.0, 0.3, 0.0, 0.7, 0.5]})
    worst = daily.worst_hours(hours, weekend)
    # Friday (day 0) is not the weekend, and an hour with two contacts says nothing
    assert worst[["channel", "day", "hour"]].values.tolist() == [["social", 1, 10],
                                                                 ["phone", 2, 14]]
    assert daily.worst_hour_line(worst.iloc[0], weekend) == (
        "social: Sat 10:00-11:00, 30% within 1 h (target 80%, 40 contacts)")


def test_the_apps_simulation_carries_the_day_figures(weekend: Scenario) -> None:
    sim = runs.simulate(weekend.model_dump_json(), 2, 5)
    assert len(sim.days) == len(weekend.channels) * weekend.horizon.days
    assert {"verdict", "lower_bound", "backlog_end", "backlog_peak", "p50", "p90"} <= set(
        sim.days.columns)
    replications = run_replications(weekend, 2, 5)
    expected = daily.day_verdicts(replications)
    merged = sim.days.merge(expected, on=["channel", "day"], suffixes=("", "_alone"))
    assert np.allclose(merged["service_level"], merged["service_level_alone"], equal_nan=True)


def test_the_cost_drivers_add_up_to_the_cost_per_resolved_contact(weekend: Scenario) -> None:
    from omnistaff.ui.app import display, finance_view

    sim = runs.simulate(weekend.model_dump_json(), 2, 5)
    parts = finance_view.drivers(sim.kpis, weekend).set_index("channel")
    for name in weekend.channels:
        per_resolved = display.kpi(sim.kpis, "channel", name, "cost_per_resolved")[0]
        assert parts.loc[name].sum() == pytest.approx(per_resolved)
    from omnistaff.ui.past_runs import PastRun, compare_runs

    again = [PastRun(name, weekend, 5, 2, sim.replication_kpis) for name in ("#1", "#2")]
    diffs = compare_runs(again).kpi_table()
    table = finance_view.cost_table(sim.kpis, weekend, diffs[diffs["variant"] == "#2"]).data
    assert list(table["channel"]) == [*weekend.channels, "all channels"]
    assert (table["Δ total cost"] == "no difference").all()  # against itself, paired


def test_the_simulation_report_holds_the_day_figures(weekend: Scenario) -> None:
    from omnistaff.ui.app import page_report, state

    sim = runs.simulate(weekend.model_dump_json(), 2, 5)
    run = state.Run("simulate", "test", weekend.model_dump_json(), {}, sim, id=1)
    page = page_report.simulate_report(run)()
    assert page.startswith("<!doctype html>") and page.count("plotly.js v") == 1
    for line in daily.verdict_lines(sim.days, weekend):
        assert line in page
    assert "Service level by day" in page and "Sat" in page and "per resolved" in page
    assert "Required against scheduled staffing" in page and "social_team" in page
