"""The routing policies' KPIs where people read them: call-backs served within their window
(an identity with the callback channel's own SLA count), the run summary, and comparisons
whose base has no policy (zero call-backs, so the difference is the policy's count)."""

from __future__ import annotations

import math

import pytest
from conftest import HALF_HOURS, deferred, live, scenario

from omnistaff.sim import simulate
from omnistaff.sim.compare import compare_scenarios
from omnistaff.sim.experiment import run_replications


def staffed(counts: dict[str, int]) -> dict[str, object]:
    return {"per_interval": {g: [n] * HALF_HOURS for g, n in counts.items()}}


def callback(to: str = "cb", share: float = 0.5) -> dict[str, object]:
    return {"to": to, "offer_above": 60, "accept_share": share}


def two_phones_calling_back(fresh: float = 0.0) -> object:
    """Two live channels whose callers call back into one deferred channel, which also gets
    `fresh` contacts of its own per half-hour; one group for the phones, a few for the
    call-backs (so some miss the 20-minute window)."""
    channels = {"sales": live(300, 40, patience=300, callback=callback()),
                "care": live(300, 40, patience=300, callback=callback()),
                "cb": deferred(300, fresh, threshold=1200)}
    groups = {"a": {"skills": ["sales", "care"], "max_occupancy": 0.85},
              "c": {"skills": ["cb"]}}
    return scenario(channels, groups, staffed({"a": 13, "c": 2}))


def test_callbacks_in_window_are_the_callback_channels_answers_within_its_threshold() -> None:
    """The call-back channel gets nothing but call-backs: the call-backs served in the window,
    summed over the two phones, are exactly its answers within its SLA threshold."""
    result = simulate(two_phones_calling_back(), 3)
    phones, cb = result.channels.loc[["sales", "care"]], result.channels.loc["cb"]
    assert (phones["called_back"] > 50).all()
    assert phones["callbacks_in_window"].sum() == cb.answered_within_sla
    assert 0 < cb.answered_within_sla < cb.offered  # some call-backs miss the window
    share = phones["callbacks_in_window"] / phones["called_back"]
    assert phones["callback_window_share"].tolist() == pytest.approx(share.tolist())
    assert result.channels.loc["cb", "called_back"] == 0


def test_fresh_contacts_of_the_callback_channel_are_not_counted_as_call_backs() -> None:
    """With fresh contacts beside the call-backs, the call-backs in window are the same runs'
    call-backs (the phones draw the same numbers) and at most the channel's answers in time."""
    alone, mixed = (simulate(two_phones_calling_back(f), 3) for f in (0.0, 6.0))
    assert mixed.channels.loc["cb", "offered"] > alone.channels.loc["cb", "offered"] + 100
    for phone in ("sales", "care"):
        assert mixed.channels.loc[phone, "called_back"] == alone.channels.loc[
            phone, "called_back"]
    in_window = mixed.channels.loc[["sales", "care"], "callbacks_in_window"].sum()
    assert 0 < in_window < mixed.channels.loc["cb", "answered_within_sla"]


def test_the_run_summary_has_the_policy_kpis_the_scenario_uses() -> None:
    runs = run_replications(two_phones_calling_back(), 2, 1)
    summary = runs.summary()
    sales = summary["channels"]["sales"]
    for kpi in ("callbacks_offered", "called_back", "callback_accept_rate",
                "callbacks_in_window", "callback_window_share"):
        assert sales[kpi]["mean"] is not None and sales[kpi]["ci95"] is not None
    assert "redials" not in sales  # no channel redials
    group = summary["groups"]["a"]
    assert group["max_occupancy"]["mean"] == 0.85
    assert 0 <= group["intervals_over_cap"]["mean"] <= 1
    assert math.isnan(runs.group_table().loc["c", "max_occupancy"])
    plain = run_replications(scenario({"phone": live(300, 40)}), 1, 1).summary()
    assert "called_back" not in plain["channels"]["phone"]
    assert "intervals_over_cap" not in plain["groups"]["g"]


def test_a_comparison_counts_zero_call_backs_where_a_variant_has_none() -> None:
    """Base without call-backs, variant with: the base's counts are zero, the paired
    difference is the variant's own count (zero spread in the base), rates have no value in
    the base."""
    on = two_phones_calling_back()
    off = on.model_copy(update={"channels": {
        name: spec.model_copy(update={"callback": None}) for name, spec in on.channels.items()}})
    comparison = compare_scenarios({"off": off, "on": on}, replications=3, seed=2)
    table = comparison.kpi_table().set_index(["variant", "scope", "name", "kpi"])
    assert table.loc[("off", "channel", "sales", "called_back"), "mean"] == 0
    on_row = table.loc[("on", "channel", "sales", "called_back")]
    assert on_row["mean"] > 50 and on_row["diff"] == pytest.approx(on_row["mean"])
    total = table.loc[("on", "channel", "total", "called_back"), "mean"]
    assert total == pytest.approx(on_row["mean"] + table.loc[
        ("on", "channel", "care", "called_back"), "mean"])
    assert math.isnan(table.loc[("off", "channel", "sales", "callback_accept_rate"), "mean"])
    assert table.loc[("on", "group", "a", "max_occupancy"), "mean"] == 0.85
    summary = comparison.summary()
    assert summary["variants"]["on"]["channel"]["care"]["callbacks_in_window"]["diff"] > 0
