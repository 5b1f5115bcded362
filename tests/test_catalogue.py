"""The KPI catalogue: every KPI the library reports has one entry, and values, intervals and
differences are written one way."""

from __future__ import annotations

import math

import pytest

from omnistaff.sim import compare, experiment, policy_kpis
from omnistaff.ui.catalogue import (
    CHANNEL_CATALOGUE,
    GROUP_CATALOGUE,
    NO_DIFFERENCE,
    describe,
    difference_text,
    with_ci,
)
from omnistaff.ui.report_format import CHANNEL_COLUMNS, GROUP_COLUMNS


@pytest.mark.parametrize(("scope", "keys"), [
    ("channel", compare.CHANNEL_KPIS), ("group", compare.GROUP_KPIS),
    ("channel", experiment.SUMMARY_CHANNEL_KPIS), ("group", experiment.SUMMARY_GROUP_KPIS),
    ("channel", CHANNEL_COLUMNS), ("group", GROUP_COLUMNS),
    ("channel", policy_kpis.POLICY_CHANNEL_KPIS), ("group", policy_kpis.POLICY_GROUP_KPIS)])
def test_every_reported_kpi_is_in_the_catalogue(scope: str, keys: list[str]) -> None:
    catalogue = CHANNEL_CATALOGUE if scope == "channel" else GROUP_CATALOGUE
    assert [k for k in keys if k not in catalogue] == []


def test_values_and_intervals_are_written_in_the_mean_s_unit() -> None:
    assert with_ci(0.812, 0.031, "share") == "81.2% ± 3.1 pts"
    assert with_ci(210.0, 24.0, "seconds") == "3.5 min ± 0.4 min"
    assert with_ci(4.1, 0.2, "money", "USD") == "USD 4.10 ± 0.20"
    assert with_ci(12_400.0, math.nan, "money", "USD") == "USD 12,400"


def test_differences_have_a_sign_an_interval_and_one_word_for_none() -> None:
    assert difference_text(0.021, 0.009, "share") == "+2.1 pts ± 0.9 pts"
    assert difference_text(-1200.0, 300.0, "money", "USD") == "−USD 1,200 ± 300"
    assert difference_text(0.0, 0.0, "share") == difference_text(0.0, None, "count") == (
        NO_DIFFERENCE)
    assert difference_text(math.nan, 1.0, "count") == "–"


def test_better_follows_the_kpi_s_direction_only_outside_the_interval() -> None:
    assert describe("channel", "service_level").verdict(0.05, 0.01) == "better"
    assert describe("channel", "total_cost").verdict(500.0, 100.0) == "worse"
    assert describe("channel", "total_cost").verdict(50.0, 100.0) == ""
    assert describe("channel", "offered").verdict(500.0, 1.0) == ""  # neither way is better
    # fewer agents or a busier team is no better in itself: cost and service say
    for kpi in ("fte", "paid_hours", "occupancy"):
        assert describe("group", kpi).verdict(-5.0, 1.0) == describe("group", kpi).verdict(
            5.0, 1.0) == ""
    assert describe("group", "labour_cost").verdict(-500.0, 100.0) == "better"
