"""`omnistaff fit`, `omnistaff forecast` and `simulate --contact-log` end to end: a scenario
that validates, the HTML page, and bad input as one clear error, never a traceback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fit_helpers import shared_known_log
from typer.testing import CliRunner

from omnistaff.scenarios import load_scenario
from omnistaff.ui.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def known_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_known_log(tmp_path_factory.getbasetemp())


def test_fit_writes_a_scenario_that_validates_and_a_page(known_log: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "fitted.yaml"
    result = runner.invoke(app, ["fit", str(known_log), "--out", str(out), "--deferred",
                                 "email", "--hourly-cost", "30"])
    assert result.exit_code == 0, result.output
    for heading in ("Arrivals from contacts.csv", "Handle time", "Patience from censored",
                    "Day levels: correlation"):
        assert heading in result.output
    scenario = load_scenario(out)
    assert scenario.channels["email"].mode == "deferred"
    assert scenario.groups["phone_team"].hourly_cost == 30
    page = (tmp_path / "fitted-fit.html").read_text()
    assert "Kaplan-Meier" in page and "plotly" in page.lower()


@pytest.mark.slow
def test_forecast_prints_the_backtest(known_log: Path, tmp_path: Path) -> None:
    out = tmp_path / "next.yaml"
    result = runner.invoke(app, ["forecast", str(known_log), "--weeks", "1", "--out", str(out),
                                 "--deferred", "email", "--holdout", "2"])
    assert result.exit_code == 0, result.output
    assert "Backtest on the last 2 week(s)" in result.output and "naive" in result.output
    assert load_scenario(out).horizon.days == 7


@pytest.mark.parametrize(("text", "message"), [
    ("channel,arrived_at,answered_at,handle_seconds\nphone,yesterday,,\n",
     "column 'arrived_at' at row 2 is not a timestamp"),
    ("channel,arrived_at,answered_at,handle_seconds\nphone,2026-03-02T08:00,,\n",
     "covers 1 day(s); give at least one whole week"),
    ("a,b\n1,2\n", "no column 'channel'"),
])
def test_bad_logs_are_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    log = tmp_path / "bad.csv"
    log.write_text(text)
    result = runner.invoke(app, ["fit", str(log), "--out", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output and not (tmp_path / "x.yaml").exists()


def test_bad_options_are_named(known_log: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.yaml")
    cases = [(["--deferred", "fax"], "'fax' is not a channel of the log"),
             (["--column", "nonsense"], "write ROLE=NAME"),
             (["--interval", "20"], "give 15 or 30"),
             (["--timezone", "Nowhere/City"], "not a time zone")]
    for extra, message in cases:
        result = runner.invoke(app, ["fit", str(known_log), "--out", out, *extra])
        assert result.exit_code == 2 and message in " ".join(result.output.split()), extra


@pytest.mark.slow
def test_simulate_writes_a_contact_log_fit_reads(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    result = runner.invoke(app, ["simulate", "small_multichannel", "--replications", "1",
                                 "--workers", "1", "--out", str(tmp_path / "sim"),
                                 "--contact-log", str(log)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["fit", str(log), "--out", str(tmp_path / "f.yaml"),
                                 "--deferred", "email", "--deferred", "social"])
    assert result.exit_code == 0, result.output
    assert set(load_scenario(tmp_path / "f.yaml").channels) == {"phone", "chat", "email",
                                                                "social"}


def test_interval_report_with_staffing(tmp_path: Path) -> None:
    """A two-week hourly report: counts split into half hours, agents staffed per weekday
    and interval become the scenario's staffing."""
    starts = pd.date_range("2026-03-02", periods=14 * 24, freq="h")
    hour = starts.hour.to_numpy()
    open_hours = (hour >= 8) & (hour < 18)
    offered = np.where(open_hours, 40 + (starts.day % 3), 0)
    report = pd.DataFrame({
        "channel": "Phone Sales", "interval_start": starts.strftime("%Y-%m-%d %H:%M"),
        "offered": offered, "answered": (offered * 0.9).round(),
        "abandoned": offered - (offered * 0.9).round(),
        "aht_seconds": np.where(open_hours, 180 + 10 * (hour % 2), np.nan),
        "agents": np.where(open_hours, 4 + (hour >= 12), 0),
        "mean_wait_seconds": np.where(open_hours, 30.0, np.nan)})
    path = tmp_path / "report.csv"
    report.to_csv(path, index=False)
    out = tmp_path / "fitted.yaml"
    result = runner.invoke(app, ["fit", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "renamed 'Phone_Sales'" in " ".join(result.output.split())
    scenario = load_scenario(out)
    staffing = scenario.staffing.per_interval["Phone_Sales_agents"]
    assert len(staffing) == 7 * 48
    assert staffing[16] == 4 and staffing[24] == 5 and staffing[0] == 0  # 08:00, 12:00, 00:00
    counts = np.asarray(scenario.channels["Phone_Sales"].arrivals.counts)
    assert counts.sum() == pytest.approx(offered.sum() / 2)  # two weeks -> one mean week
    assert counts[16] == pytest.approx(counts[17])  # an hour split into two half hours
    patience = scenario.channels["Phone_Sales"].patience.mean
    waited = (report["mean_wait_seconds"].fillna(0) * offered).sum()
    assert patience == pytest.approx(waited / report["abandoned"].sum(), rel=1e-3)
