"""The next weeks from the history: daily totals per channel forecast by an ETS model
(statsmodels: multiplicative error and weekly seasonality, damped additive trend), spread
over each day by the history's intraday shape of that weekday (the daily seasonality).

Weekdays closed in the whole history stay closed; the model runs on the open days in order,
with one season per week of open days. The 95% prediction interval of each day's total,
less the Poisson noise the engine adds itself, gives the day-level volume CV:
c² = mean over forecast days of (sd² - m) / m², with sd the interval's half-width / 1.96.

A backtest holds out the last weeks, forecasts them from the rest and compares the error
(MAPE over days with contacts, WAPE = sum |error| / sum actual) with a seasonal-naive
forecast (the last week seen, repeated).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from omnistaff.fit.arrivals import ArrivalFit
from omnistaff.fit.fitting import LogFit
from omnistaff.fit.mapping import LogError
from omnistaff.fit.writer import Horizon
from omnistaff.scenarios.units import WEEKDAYS

#: Weeks of history the model needs (two seasons to start, one to learn from).
MIN_WEEKS = 3
MAX_FORECAST_WEEKS = 4  # a scenario's horizon is at most 28 days
MODEL = "ETS(M,Ad,M)"


@dataclass(frozen=True)
class DailyForecast:
    """Forecast totals per day: mean and 95% prediction interval."""

    frame: pd.DataFrame  # date, mean, low, high

    @property
    def day_cv(self) -> float:
        open_days = self.frame[self.frame["mean"] > 0]
        if open_days.empty:
            return 0.0
        sd = (open_days["high"] - open_days["low"]) / (2 * 1.959964)
        excess = np.clip(sd**2 - open_days["mean"], 0, None) / open_days["mean"] ** 2
        return float(math.sqrt(excess.mean()))


@dataclass(frozen=True)
class Backtest:
    """Held-out weeks of one channel: actual, model and seasonal-naive per day; errors."""

    channel: str
    days: pd.DataFrame  # date, actual, forecast, naive
    mape: float
    wape: float
    naive_mape: float
    naive_wape: float


def forecast_daily(daily: pd.Series, days: int, channel: str = "") -> DailyForecast:
    """The next `days` calendar days after the history's last day."""
    weeks = len(daily) // 7
    if weeks < MIN_WEEKS:
        raise LogError(f"channel '{channel}': {len(daily)} day(s) of history; forecasting "
                       f"needs at least {MIN_WEEKS} whole weeks")
    weekday_mean = daily.groupby(daily.index.day_of_week).mean()
    open_weekdays = [w for w in range(7) if weekday_mean.get(w, 0) > 0]
    dates = pd.date_range(daily.index[-1] + pd.Timedelta(days=1), periods=days, freq="D")
    frame = pd.DataFrame({"date": dates, "mean": 0.0, "low": 0.0, "high": 0.0})
    if not open_weekdays:
        return DailyForecast(frame)
    history = daily[daily.index.day_of_week.isin(open_weekdays)]
    ahead = np.flatnonzero(dates.day_of_week.isin(open_weekdays))
    predicted = _ets(history.to_numpy(dtype=float), len(open_weekdays), len(ahead))
    for column in ("mean", "low", "high"):
        frame.loc[ahead, column] = np.clip(predicted[column].to_numpy(), 0, None)
    return DailyForecast(frame)


def _ets(values: np.ndarray, period: int, steps: int) -> pd.DataFrame:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    seasonal = "mul" if period > 1 else None
    model = ETSModel(pd.Series(np.clip(values, 1.0, None)), error="mul", trend="add",
                     damped_trend=True, seasonal=seasonal,
                     seasonal_periods=period if seasonal else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; the backtest judges the fit
        result = model.fit(disp=False)
        prediction = result.get_prediction(start=len(values), end=len(values) + steps - 1,
                                           simulate_repetitions=500,
                                           rng=np.random.default_rng(0))
        frame = prediction.summary_frame(alpha=0.05)
    return frame.rename(columns={"pi_lower": "low", "pi_upper": "high"})


def forecast_counts(fit: ArrivalFit, forecast: DailyForecast) -> np.ndarray:
    """Expected contacts per interval over the forecast days: each day's total spread by
    its weekday's intraday shape in the history."""
    shares = fit.weekday_counts / np.where(fit.weekday_counts.sum(axis=1, keepdims=True) > 0,
                                           fit.weekday_counts.sum(axis=1, keepdims=True), 1)
    weekdays = forecast.frame["date"].dt.day_of_week.to_numpy()
    return (forecast.frame["mean"].to_numpy()[:, None] * shares[weekdays]).ravel()


def backtest(fit: ArrivalFit, weeks: int) -> Backtest:
    """Forecast the last `weeks` weeks from the rest and score it against seasonal naive."""
    daily = fit.daily
    held = weeks * 7
    if len(daily) // 7 < MIN_WEEKS + weeks:
        raise LogError(f"channel '{fit.channel}': a backtest of {weeks} week(s) needs at "
                       f"least {MIN_WEEKS + weeks} weeks of history; give --holdout fewer")
    train, test = daily.iloc[:-held], daily.iloc[-held:]
    model = forecast_daily(train, held, fit.channel).frame["mean"].to_numpy()
    naive = np.tile(train.iloc[-7:].to_numpy(), weeks)
    actual = test.to_numpy(dtype=float)
    days = pd.DataFrame({"date": test.index, "actual": actual, "forecast": model,
                         "naive": naive})
    return Backtest(fit.channel, days, *_errors(actual, model), *_errors(actual, naive))


def _errors(actual: np.ndarray, forecast: np.ndarray) -> tuple[float, float]:
    seen = actual > 0
    mape = float(np.mean(np.abs(forecast[seen] - actual[seen]) / actual[seen])) if seen.any() \
        else math.nan
    total = actual.sum()
    wape = float(np.abs(forecast - actual).sum() / total) if total > 0 else math.nan
    return mape, wape


def forecast_horizon(fit: LogFit, weeks: int) -> tuple[Horizon, dict[str, DailyForecast]]:
    """The scenario's horizon over the next `weeks` weeks: forecast counts per interval and
    the day-level CV each channel's prediction interval implies."""
    if not 1 <= weeks <= MAX_FORECAST_WEEKS:
        raise LogError(f"--weeks {weeks}: give 1 to {MAX_FORECAST_WEEKS} (a scenario covers "
                       "at most 28 days)")
    forecasts = {n: forecast_daily(c.arrivals.daily, 7 * weeks, n)
                 for n, c in fit.channels.items()}
    first = next(iter(forecasts.values())).frame["date"].iloc[0]
    return (Horizon(WEEKDAYS[first.day_of_week], 7 * weeks,
                    {n: forecast_counts(fit.channels[n].arrivals, f)
                     for n, f in forecasts.items()},
                    {n: f.day_cv for n, f in forecasts.items()}), forecasts)
