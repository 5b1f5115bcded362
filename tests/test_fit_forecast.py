"""The forecast: deterministic, closed days stay closed, the backtest scores model and
seasonal naive as defined, the interval report agrees with the contact log it sums."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import seed_for
from fit_helpers import shared_known_log

from omnistaff.fit import fit_contact_log, fit_interval_report, read_contact_log
from omnistaff.fit.arrivals import fit_arrivals
from omnistaff.fit.forecast import backtest, forecast_daily, forecast_horizon
from omnistaff.fit.readers import read_interval_report
from omnistaff.fit.writer import scenario_from_fit

SHAPE = np.array([1.2, 1.0, 1.0, 1.0, 0.9, 0.4, 0.0])


@pytest.fixture(scope="module")
def known_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_known_log(tmp_path_factory.getbasetemp())


def history(weeks: int = 10, cv: float = 0.08, mean: float = 1000) -> pd.DataFrame:
    g = np.random.default_rng(seed_for("forecast history", weeks, cv))
    days = pd.date_range("2026-01-05", periods=7 * weeks, freq="D")
    counts = g.poisson(mean * SHAPE[days.day_of_week] * g.gamma(1 / cv**2, cv**2, len(days)))
    return pd.DataFrame(counts[:, None] * np.full((1, 48), 1 / 48), index=days)


def test_forecast_is_deterministic_and_keeps_closed_days_closed() -> None:
    daily = history().sum(axis=1)
    first = forecast_daily(daily, 14).frame
    pd.testing.assert_frame_equal(first, forecast_daily(daily, 14).frame)
    sundays = first["date"].dt.day_of_week == 6
    assert (first.loc[sundays, ["mean", "low", "high"]] == 0).all().all()
    open_days = first[~sundays]
    assert (open_days["low"] < open_days["mean"]).all()
    assert (open_days["mean"] < open_days["high"]).all()
    # a stationary series: each forecast day near its weekday's mean (within 15%)
    expected = 1000 * SHAPE[open_days["date"].dt.day_of_week]
    assert np.all(np.abs(open_days["mean"] / expected - 1) < 0.15)


def test_prediction_interval_gives_a_day_cv_near_the_truth() -> None:
    daily = history(weeks=16, cv=0.10).sum(axis=1)
    cv = forecast_daily(daily, 7).day_cv
    assert 0.06 <= cv <= 0.16  # the truth 0.10 plus the model's own uncertainty


def test_backtest_scores_against_seasonal_naive_by_definition() -> None:
    fit = fit_arrivals("phone", history(), 30)
    test = backtest(fit, 2)
    days = test.days
    train = fit.daily.iloc[:-14]
    np.testing.assert_array_equal(days["naive"], np.tile(train.iloc[-7:].to_numpy(), 2))
    seen = days["actual"] > 0
    mape = np.mean(np.abs(days["naive"] - days["actual"])[seen] / days["actual"][seen])
    assert test.naive_mape == pytest.approx(mape)
    assert test.naive_wape == pytest.approx(
        np.abs(days["naive"] - days["actual"]).sum() / days["actual"].sum())
    assert 0 < test.wape < 0.2  # an 8% day CV: errors of that order, not wild


def test_too_short_a_history_is_refused_clearly() -> None:
    from omnistaff.fit import LogError

    with pytest.raises(LogError, match="at least 3 whole weeks"):
        forecast_daily(history(weeks=2).sum(axis=1), 7, "phone")
    with pytest.raises(LogError, match="needs at least 5 weeks"):
        backtest(fit_arrivals("phone", history(weeks=4), 30), 2)


def test_forecast_scenario_covers_the_next_weeks(known_log: Path) -> None:
    fitted = fit_contact_log(read_contact_log(known_log), 30, deferred=("email",))
    horizon, forecasts = forecast_horizon(fitted, 2)
    scenario, _ = scenario_from_fit(fitted, horizon)
    assert scenario.horizon.days == 14 and scenario.horizon.start_weekday == "mon"
    counts = np.asarray(scenario.channels["phone"].arrivals.counts)
    assert len(counts) == 14 * 48
    assert counts.sum() == pytest.approx(forecasts["phone"].frame["mean"].sum(), rel=1e-3)
    assert 0 < scenario.channels["phone"].arrivals.day_cv < 0.4
    assert len(scenario.staffing.per_interval["phone_team"]) == 14 * 48


def test_interval_report_agrees_with_the_contact_log_it_sums(known_log: Path,
                                                             tmp_path: Path) -> None:
    """Volume and AHT are the same sums; exponential patience the same MLE (waits of the
    few still waiting at the end aside)."""
    contacts = read_contact_log(known_log).frame
    contacts = contacts[contacts["channel"] == "phone"]
    left = contacts["answered_at"].fillna(contacts["abandoned_at"])
    contacts = contacts.assign(
        interval_start=contacts["arrived_at"].dt.floor("30min"),
        wait=(left - contacts["arrived_at"]).dt.total_seconds(),
        answered=contacts["answered_at"].notna(), abandoned=contacts["abandoned_at"].notna())
    report = contacts.groupby("interval_start").agg(
        offered=("channel", "size"), answered=("answered", "sum"),
        abandoned=("abandoned", "sum"), aht_seconds=("handle_seconds", "mean"),
        mean_wait_seconds=("wait", "mean")).reset_index()
    report.insert(0, "channel", "phone")
    path = tmp_path / "report.csv"
    report.to_csv(path, index=False)
    from_report = fit_interval_report(read_interval_report(path)).channels["phone"]
    from_log = fit_contact_log(read_contact_log(known_log), 30).channels["phone"]
    np.testing.assert_allclose(from_report.arrivals.weekday_counts,
                               from_log.arrivals.weekday_counts)
    assert from_report.handle.mean == pytest.approx(from_log.handle.mean, rel=1e-6)
    assert from_report.handle.cv_ci[0] <= from_log.handle.cv <= from_report.handle.cv_ci[1]
    assert from_report.patience.mean == pytest.approx(from_log.patience.mean, rel=0.02)


def test_a_channel_the_seasonal_naive_forecast_beats_gets_a_note() -> None:
    from omnistaff.fit.forecast import Backtest
    from omnistaff.fit.summary import backtest_notes

    days = pd.DataFrame(columns=["date", "actual", "forecast", "naive"])
    tests = [Backtest("phone", days, 0.065, 0.071, 0.073, 0.079),
             Backtest("chat", days, 0.150, 0.142, 0.077, 0.074)]
    notes = backtest_notes(tests, "ETS(M,Ad,M)")
    assert len(notes) == 1 and notes[0].startswith("chat: on the backtest the seasonal-naive")
    assert "WAPE 0.074 against 0.142" in notes[0]
