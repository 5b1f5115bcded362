"""Past runs compared without re-running (`omnistaff.ui.past_runs`): runs with the same seed,
replications, horizon and channels give the very differences a paired comparison of the
same variants gives; any other pair is compared as independent samples (Welch), on all of
each run's replications, and the reason is said."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario, with_overrides
from omnistaff.sim.compare import compare_scenarios
from omnistaff.sim.stats import welch_half_width
from omnistaff.ui.past_runs import (
    PAIRED,
    WELCH,
    PastRun,
    compare_runs,
    method_note,
    pairing_problems,
)


@pytest.fixture(scope="module")
def small() -> Scenario:
    full = load_scenario(bundled_scenarios()["small_multichannel"])
    return with_overrides(full, {"horizon.days": 1, "horizon.replications": 3})


def past(name: str, scenario: Scenario, values: list[float], seed: int = 7) -> PastRun:
    """A run whose one KPI (total cost) took these values, replication by replication."""
    kpis = pd.DataFrame({"replication": range(len(values)), "scope": "channel",
                         "name": "total", "kpi": "total_cost", "value": values})
    return PastRun(name, scenario, seed, len(values), kpis)


def test_runs_with_one_seed_are_paired_as_a_comparison_of_the_same_variants(
        small: Scenario) -> None:
    saturday = with_overrides(small, {"horizon.start_weekday": "sat"})
    variant = saturday.variant("no_weekend_social")
    comparison = compare_scenarios({"base": saturday, "no_weekend_social": variant}, 3, 11)
    runs = [PastRun(f"#{i} {name}", scenario, 11, 3,
                    comparison.runs[comparison.runs["variant"] == name])
            for i, (name, scenario) in enumerate(comparison.scenarios.items(), start=1)]
    table = compare_runs(runs).kpi_table()
    keys = ["scope", "name", "kpi"]
    mine = table[table["variant"] == "#2 no_weekend_social"].set_index(keys)
    theirs = comparison.kpi_table()
    theirs = theirs[theirs["variant"] == "no_weekend_social"].set_index(keys)
    both = mine.merge(theirs, left_index=True, right_index=True, suffixes=("", "_compare"))
    assert len(both) == len(theirs)
    for column in ("mean", "ci95", "diff", "diff_ci95"):
        assert np.allclose(both[column], both[f"{column}_compare"], equal_nan=True), column
    assert set(mine["method"]) == {PAIRED}
    social = mine.loc[("channel", "social", "service_level")]
    assert social["diff"] < 0 and abs(social["diff"]) > social["diff_ci95"]
    from omnistaff.ui.app import page_report

    report = page_report.past_runs_html(compare_runs(runs))
    assert report.startswith("<!doctype html>")
    assert "#2 no_weekend_social against #1 base: cost " in report
    assert "Paired by replication" in report and "Difference from the base" in report


def test_runs_from_two_seeds_are_compared_by_welch(small: Scenario) -> None:
    base, other = [10.0, 12.0, 11.0], [15.0, 13.0, 17.0]
    result = compare_runs([past("#1 base", small, base),
                           past("#2 base", small, other, seed=8)])
    row = result.kpi_table().iloc[-1]
    assert row["method"] == WELCH
    assert row["diff"] == pytest.approx(4.0)
    assert row["diff_ci95"] == pytest.approx(welch_half_width(np.array(other),
                                                              np.array(base)))
    assert result.unpaired == {"#2 base": ["seed 8 against 7"]}
    assert "Welch" in method_note(result) and "seed 8 against 7" in method_note(result)


def test_unequal_replications_use_every_replication_of_both(small: Scenario) -> None:
    result = compare_runs([past("#1", small, [1.0, 2.0, 3.0]),
                           past("#2", small, [2.0, 3.0, 4.0, 5.0, 6.0])])
    row = result.kpi_table().iloc[-1]
    assert row["diff"] == pytest.approx(4.0 - 2.0)
    assert row["method"] == WELCH
    assert result.unpaired["#2"] == ["5 replications against 3"]


def test_paired_runs_difference_is_the_mean_of_replication_differences(
        small: Scenario) -> None:
    result = compare_runs([past("#1", small, [10.0, 20.0, 30.0]),
                           past("#2", small, [11.0, 22.0, 33.0])])
    row = result.kpi_table().iloc[-1]
    assert row["method"] == PAIRED and row["diff"] == pytest.approx(2.0)
    differences = np.array([1.0, 2.0, 3.0])
    assert row["diff_ci95"] == pytest.approx(4.303 * differences.std(ddof=1) / np.sqrt(3),
                                             rel=1e-3)
    assert result.unpaired == {}
    assert method_note(result).startswith("Paired by replication")


def test_another_horizon_or_other_channels_are_not_paired(small: Scenario) -> None:
    base = past("#1", small, [1.0, 2.0])
    longer = past("#2", with_overrides(small, {"horizon.days": 2}), [1.0, 2.0])
    assert pairing_problems(base, longer) == ["another horizon"]
    fewer = small.model_copy(update={"channels": {
        k: v for k, v in small.channels.items() if k != "email"}})
    assert pairing_problems(base, past("#3", fewer, [1.0, 2.0])) == ["other channels"]
    again = with_overrides(small, {"horizon.replications": 9, "horizon.seed": 1})
    assert pairing_problems(base, past("#4", again, [3.0, 4.0])) == []


def test_a_comparison_needs_two_runs_with_distinct_names(small: Scenario) -> None:
    with pytest.raises(ValueError):
        compare_runs([past("#1", small, [1.0])])
    with pytest.raises(ValueError):
        compare_runs([past("#1", small, [1.0]), past("#1", small, [2.0])])
