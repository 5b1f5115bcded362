"""The KPI catalogue: what each KPI is called, its unit, which way is better, and how a value,
its confidence interval and a difference are written (`amount`, `with_ci`,
`difference_text`). The CLI tables, the app and the HTML reports all read it, so a KPI has
one title and one format everywhere."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

#: The kinds of value: each decides a unit and a format (see `amount`).
Kind = Literal["share", "seconds", "money", "count", "hours", "number"]
NO_DIFFERENCE = "no difference"


@dataclass(frozen=True)
class Kpi:
    """One KPI as people read it. `better` is the direction of good news (None: neither)."""

    key: str
    title: str
    kind: Kind
    better: Literal["higher", "lower"] | None = "lower"

    def verdict(self, diff: float, half: float) -> str:
        """'better' or 'worse' when the difference's interval excludes zero, else ''."""
        if self.better is None or missing(diff) or missing(half) or abs(diff) <= half:
            return ""
        return "better" if (diff > 0) == (self.better == "higher") else "worse"


def _catalogue(*kpis: Kpi) -> dict[str, Kpi]:
    return {kpi.key: kpi for kpi in kpis}


CHANNEL_CATALOGUE = _catalogue(
    Kpi("service_level", "service level", "share", "higher"),
    Kpi("response_p90_seconds", "90% answered within", "seconds"),
    Kpi("asa_seconds", "mean wait / response", "seconds"),
    Kpi("response_mean_seconds", "mean wait / response", "seconds"),
    Kpi("mean_wait_seconds", "mean wait, every contact", "seconds"),
    Kpi("abandon_rate", "abandoned or expired", "share"),
    Kpi("backlog_end", "backlog at end", "count"),
    Kpi("offered", "offered", "count", None),
    Kpi("handled", "handled", "count", "higher"),
    Kpi("resolved", "resolved", "count", "higher"),
    Kpi("abandoned", "abandoned", "count"),
    Kpi("expired", "expired", "count"),
    Kpi("deflected", "deflected", "count", None),
    Kpi("triaged_out", "triaged out", "count", None),
    Kpi("balked", "balked", "count"),
    Kpi("blocked", "busy signal", "count"),
    Kpi("waiting", "waiting at end", "count"),
    Kpi("escalated", "escalated", "count", None),
    Kpi("total_cost", "cost", "money"),
    Kpi("cost_per_handled", "cost per handled", "money"),
    Kpi("cost_per_resolved", "cost per resolved", "money"),
    Kpi("idle_share", "idle share of cost", "share"),
    Kpi("labour_cost", "labour cost", "money"),
    Kpi("idle_cost", "idle time cost", "money"),
    Kpi("bot_cost", "bot and triage cost", "money"),
    Kpi("training_cost", "training cost", "money"),
    Kpi("callbacks_offered", "call-backs offered", "count", None),
    Kpi("called_back", "call-backs accepted", "count", None),
    Kpi("callback_accept_rate", "call-back acceptance", "share", None),
    Kpi("callbacks_in_window", "call-backs served in window", "count", "higher"),
    Kpi("callback_window_share", "call-backs in window, of accepted", "share", "higher"),
    Kpi("redials", "redials", "count"),
    Kpi("interrupted", "interrupted by live work", "count"),
)
#: Headcount, hours and occupancy have no direction of better: fewer agents cost less and
#: serve less, a busier team waits less for work and more for its breaks. Cost and service
#: KPIs say which is better.
GROUP_CATALOGUE = _catalogue(
    Kpi("fte", "full-time equivalents", "number", None),
    Kpi("paid_hours", "paid hours", "hours", None),
    Kpi("staffed_hours", "on-queue hours", "hours", None),
    Kpi("busy_hours", "busy hours", "hours", None),
    Kpi("occupancy", "occupancy", "share", None),
    Kpi("mean_concurrency", "mean contacts held", "number", None),
    Kpi("labour_cost", "labour cost", "money"),
    Kpi("training_cost", "training cost", "money"),
    Kpi("max_occupancy", "occupancy cap", "share", None),
    Kpi("load_occupancy", "occupancy as the cap counts it", "share", None),
    Kpi("intervals_over_cap", "intervals over the cap", "share"),
)


def duration(seconds: float) -> str:
    """A readable duration: 14 s, 3.5 min, 2.1 h."""
    if seconds is None or math.isnan(seconds):
        return "–"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.3g} min"
    return f"{seconds / 3600:.3g} h"


def amount(value: float, kind: str, currency: str = "", cents: bool | None = None) -> str:
    """A value in the unit its kind implies: 81.2%, 3.5 min, USD 4.10, USD 12,400, 403 h."""
    if value is None or math.isnan(value):
        return "–"
    if kind == "share":
        return f"{100 * value:.1f}%"
    if kind == "seconds":
        return duration(value)
    if kind == "money":
        cents = abs(value) < 100 if cents is None else cents
        return f"{currency} {value:,.{2 if cents else 0}f}".strip()
    if kind == "hours":
        return f"{value:,.0f} h"
    if kind == "number":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def describe(scope: str, key: str) -> Kpi:
    """The catalogue entry of a channel (scope 'channel') or group KPI."""
    return (CHANNEL_CATALOGUE if scope == "channel" else GROUP_CATALOGUE)[key]


def half_width_text(half: float, mean: float, kind: str) -> str:
    """`± 3.1 pts`: a half-width in the unit of its mean (shares in percentage points);
    empty when there is none (one replication)."""
    if missing(half) or missing(mean):
        return ""
    if kind == "share":
        return f"± {100 * half:.1f} pts"
    if kind == "seconds":
        unit, size = ("s", 1) if mean < 90 else ("min", 60) if mean < 5400 else ("h", 3600)
        return f"± {half / size:.3g} {unit}"
    if kind == "money":
        return f"± {amount(half, kind, cents=abs(mean) < 100)}"
    return f"± {amount(half, kind)}"


def with_ci(mean: float, half: float, kind: str, currency: str = "") -> str:
    """`81.2% ± 3.1 pts`, `3.5 min ± 0.4 min`, `USD 4.10 ± 0.20`."""
    return f"{amount(mean, kind, currency)} {half_width_text(half, mean, kind)}".strip()


def difference_text(diff: float, half: float | None, kind: str, currency: str = "") -> str:
    """`+2.1 pts ± 0.9 pts`, `−USD 1,200 ± 300`: a difference and its interval; `–` when
    there is none, `no difference` when it is exactly zero."""
    if missing(diff):
        return "–"
    if diff == 0 and (missing(half) or half == 0):
        return NO_DIFFERENCE
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    size = f"{100 * abs(diff):.1f} pts" if kind == "share" else amount(abs(diff), kind, currency)
    return f"{sign}{size} {half_width_text(half, abs(diff) or 1.0, kind)}".strip()


def missing(value: Any) -> bool:
    """No value: None or NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))
