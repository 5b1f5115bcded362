"""The bundled scenarios: they validate, every variant runs, their base runs match the golden
summaries in tests/golden/, and each answers its question the way its comments say."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario
from omnistaff.sim.compare import Comparison, compare_scenarios, compare_variants
from omnistaff.sim.costing import TOTAL, channel_costs
from omnistaff.sim.run import simulate

GOLDEN = Path(__file__).parent / "golden"
STUDIES = ("weekend_social", "cost_per_channel", "omni_vs_single")


def study(name: str) -> Scenario:
    return load_scenario(bundled_scenarios()[name])


def test_every_bundled_scenario_and_variant_validates() -> None:
    assert set(STUDIES) <= set(bundled_scenarios())
    for path in bundled_scenarios().values():
        scenario = load_scenario(path)
        for name in scenario.variants:
            assert scenario.variant(name).name.endswith(f"[{name}]")


@pytest.mark.slow
@pytest.mark.parametrize("name", STUDIES)
def test_every_variant_runs_and_its_costs_add_up(name: str) -> None:
    scenario = study(name)
    for variant in ["base", *scenario.variants]:
        spec = scenario.variant(variant)
        result = simulate(spec, replication=0)
        costs = channel_costs(result, spec)
        assert (result.channels["offered"] > 0).all(), variant
        assert costs.drop(index=TOTAL)["total_cost"].sum() == pytest.approx(
            costs.loc[TOTAL, "total_cost"])


@pytest.mark.slow
@pytest.mark.parametrize("name", STUDIES)
def test_base_matches_its_golden_summary(name: str) -> None:
    """Tolerance: |mean - golden| <= 2 x golden 95% half-width (+ a tiny float margin).
    The same seed reproduces the golden numbers exactly; an engine change that draws the
    random numbers differently moves each KPI by about half a half-width, so 2 half-widths
    flags a real change in behaviour rather than a reshuffle of the random numbers."""
    golden = json.loads((GOLDEN / f"{name}.json").read_text())
    scenario = study(name)
    assert golden["replications"] == scenario.horizon.replications
    table = compare_scenarios({"base": scenario}).kpi_table().set_index(["scope", "name",
                                                                          "kpi"])
    failures = []
    for scope, names in golden["kpis"].items():
        for item, kpis in names.items():
            for kpi, expected in kpis.items():
                actual = table.loc[(scope, item, kpi), "mean"]
                if not _within(actual, expected["mean"], expected["ci95"]):
                    failures.append(f"{scope} {item} {kpi}: {actual} vs {expected}")
    assert not failures, "\n".join(failures)


def _within(actual: float, mean: float | None, half: float | None) -> bool:
    if mean is None:
        return math.isnan(actual)
    allowed = 2 * (half or 0.0) + 1e-6 * abs(mean) + 1e-9
    return abs(actual - mean) <= allowed


def weekend_levels(comparison: Comparison) -> pd.DataFrame:
    """Per variant and replication: the service level of weekend social arrivals."""
    days = comparison.intervals
    days = days[days["weekday"].isin(["sat", "sun"])
                & days["channel"].isin(["social_posts", "social_dms"])]
    sums = days.groupby(["variant", "replication"])[["answered_within_sla", "sla_base"]].sum()
    return (sums["answered_within_sla"] / sums["sla_base"]).unstack("variant")


@pytest.fixture(scope="module")
def weekend() -> Comparison:
    return compare_variants(study("weekend_social"),
                            ["no_weekend_social", "optimized_1h", "optimized_4h", "outage"],
                            replications=3, workers=2)


@pytest.mark.slow
def test_weekend_story(weekend: Comparison) -> None:
    """Two agents miss a 1-hour SLA at the weekend; nobody is worse; the optimized schedules
    meet theirs; an outage hurts, every replication (paired on the same customers)."""
    levels = weekend_levels(weekend)
    assert (levels["optimized_1h"] > levels["base"] + 0.2).all()
    assert (levels["no_weekend_social"] < levels["base"]).all()
    assert (levels["outage"] < levels["base"]).all()
    assert levels["optimized_1h"].mean() > 0.8 and levels["optimized_4h"].mean() > 0.8
    assert levels["base"].mean() < 0.6


def channel_kpi(comparison: Comparison, variant: str, name: str, kpi: str) -> float:
    table = comparison.kpi_table()
    row = table[(table["variant"] == variant) & (table["name"] == name)
                & (table["kpi"] == kpi)]
    return float(row["mean"].iloc[0])


@pytest.mark.slow
def test_cost_per_channel_story() -> None:
    """More chat concurrency serves chat better; the bot costs money and takes load off;
    less social escalation makes social cheaper per resolved contact."""
    runs = compare_variants(study("cost_per_channel"), replications=2, workers=2)
    chat = [channel_kpi(runs, v, "chat", "service_level")
            for v in ("chat_concurrency_1", "base", "chat_concurrency_3")]
    assert chat[0] < chat[1] < chat[2]
    assert channel_kpi(runs, "bot_30", "chat", "bot_cost") > channel_kpi(
        runs, "base", "chat", "bot_cost") > 0 == channel_kpi(runs, "bot_0", "chat", "bot_cost")
    assert channel_kpi(runs, "bot_30", "chat", "handled") < channel_kpi(
        runs, "base", "chat", "handled")
    assert channel_kpi(runs, "social_escalation_40", "social", "cost_per_resolved") < 0.5 * (
        channel_kpi(runs, "base", "social", "cost_per_resolved"))


@pytest.mark.slow
def test_omni_vs_single_variants_meet_the_same_slas() -> None:
    """Each variant's staffing is the optimizer's schedule, judged on the same 10
    replications (same seed) as here."""
    runs = compare_variants(study("omni_vs_single"), replications=10, workers=2)
    scenario = study("omni_vs_single")
    for variant in runs.scenarios:
        if runs.scenarios[variant].contracts:  # planned in people by benchmarks/omni_people.py
            continue
        for channel, spec in scenario.channels.items():
            level = channel_kpi(runs, variant, channel, "service_level")
            assert level >= spec.sla.target, (variant, channel, level)


CAPPED = ("specialists_capped", "omni_capped", "hybrid_capped", "hybrid_capped_standing")


def test_omni_vs_single_capped_variants_share_the_cap_and_settings_and_state_routing() -> None:
    """The capped study's variants differ only in skilling and, for the two hybrids, in the
    stated routing: every group capped at 85% occupancy, the base's optimizer settings (its
    lowering trials and trim included)."""
    scenario = study("omni_vs_single")
    variants = {name: scenario.variant(name) for name in CAPPED if name in scenario.variants}
    assert variants, "the capped study's variants are in the library"
    settings = scenario.optimizer.model_dump(exclude={"templates"})
    assert scenario.optimizer.trim and scenario.optimizer.lowerings > 0
    for name, spec in variants.items():
        assert {g.max_occupancy for g in spec.groups.values()} == {0.85}, name
        assert spec.optimizer.model_dump(exclude={"templates"}) == settings, name
    if "hybrid_capped" in variants and "hybrid_capped_standing" in variants:
        first = variants["hybrid_capped"].routing.channels["phone"].groups
        assert first == ("phone_specialists", "omni")
        assert variants["hybrid_capped_standing"].routing.is_standing_rule()
