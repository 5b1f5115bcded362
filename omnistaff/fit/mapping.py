"""How a log's columns and timestamps are named: the documented defaults, overridden by
command options or a small YAML mapping file.

A mapping file (all keys optional):

    columns: {channel: queue, arrived_at: call_start, answered_at: answer_time}
    timestamp_format: "%d/%m/%Y %H:%M:%S"   # default: any ISO 8601 form
    timezone: Europe/Paris                   # times with an offset are shown in this zone
    deferred: [email]                        # channels answered later (not live)
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from omnistaff.scenarios.yaml_text import YamlProblem, decode, load_yaml

#: The documented contact-log columns (a log named so needs no mapping).
CONTACT_COLUMNS = ("channel", "arrived_at", "answered_at", "abandoned_at", "handle_seconds",
                   "group")
#: The documented interval-report columns.
INTERVAL_COLUMNS = ("channel", "interval_start", "offered", "answered", "abandoned",
                    "aht_seconds", "agents", "mean_wait_seconds")
MAX_MAPPING_BYTES = 100_000


class LogError(ValueError):
    """A log (or its mapping) that cannot be fitted, and what to do about it."""


class MappingError(LogError):
    """A mapping (file or options) that cannot be used, and the fix."""


@dataclass(frozen=True)
class LogMapping:
    """Column names by role, the timestamp format and zone, and the deferred channels."""

    columns: dict[str, str] = field(default_factory=dict)
    timestamp_format: str | None = None
    timezone: str | None = None
    deferred: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        known = set(CONTACT_COLUMNS) | set(INTERVAL_COLUMNS)
        for role, name in self.columns.items():
            if role not in known:
                raise MappingError(f"columns: '{role}' is not a column role; use one of "
                                   f"{', '.join(sorted(known))}")
            if not isinstance(name, str) or not name.strip() or len(name) > 200:
                raise MappingError(f"columns.{role}: give the column's name as short text")
        if self.timezone is not None:
            try:
                zoneinfo.ZoneInfo(self.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise MappingError(f"timezone: '{self.timezone[:60]}' is not a time zone; use "
                                   "a name such as Europe/Paris or UTC") from None

    def contact_columns(self) -> dict[str, str]:
        return {role: self.columns.get(role, role) for role in CONTACT_COLUMNS}

    def interval_columns(self) -> dict[str, str]:
        return {role: self.columns.get(role, role) for role in INTERVAL_COLUMNS}

    def with_options(self, columns: list[str], timestamp_format: str | None,
                     timezone: str | None, deferred: list[str]) -> LogMapping:
        """This mapping with command-line options on top (`--column role=name`)."""
        pairs = dict(self.columns)
        for item in columns:
            role, sep, name = item.partition("=")
            if not sep:
                raise MappingError(f"--column '{item[:60]}': write ROLE=NAME, e.g. "
                                   "arrived_at=call_start")
            pairs[role.strip()] = name.strip()
        return replace(self, columns=pairs,
                       timestamp_format=timestamp_format or self.timestamp_format,
                       timezone=timezone or self.timezone,
                       deferred=tuple(deferred) or self.deferred)

    def timestamps(self, column: pd.Series, name: str) -> pd.Series:
        """Naive local timestamps from text (ISO 8601 or the stated format); empty is NaT.
        Times with an offset are converted to `timezone` (default UTC)."""
        if pd.api.types.is_datetime64_any_dtype(column):
            return _naive(column, self.timezone)
        text = column.astype(str).str.strip()
        empty = column.isna() | text.isin(["", "nan", "NaT", "None", "<NA>"])
        form = self.timestamp_format or "ISO8601"
        try:
            parsed = pd.to_datetime(text.where(~empty), format=form, errors="coerce",
                                    utc=_has_offset(text[~empty]))
        except (ValueError, TypeError):  # offsets further down than the rows looked at
            try:
                parsed = pd.to_datetime(text.where(~empty), format=form, errors="coerce",
                                        utc=True)
            except (ValueError, TypeError):
                parsed = pd.Series(pd.NaT, index=column.index)
        bad = np.flatnonzero((parsed.isna() & ~empty).to_numpy())
        if bad.size:
            form = (f"the format '{self.timestamp_format}'" if self.timestamp_format
                    else "ISO 8601 (e.g. 2026-03-02T08:15:00)")
            raise MappingError(f"column '{name}' at row {bad[0] + 2} is not a timestamp in "
                               f"{form}; fix the row, or state the format with "
                               "--timestamp-format, e.g. '%d/%m/%Y %H:%M'")
        return _naive(parsed, self.timezone)


def _has_offset(text: pd.Series) -> bool:
    sample = text.head(1000)
    return bool(sample.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True).any())


def _naive(times: pd.Series, timezone: str | None) -> pd.Series:
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
    return times.astype("datetime64[ns]")


def read_mapping(path: Path) -> LogMapping:
    """A mapping from a small YAML file."""
    if not path.is_file():
        raise MappingError(f"no such mapping file '{path}'; check the path")
    if path.stat().st_size > MAX_MAPPING_BYTES:
        raise MappingError(f"'{path.name}' is larger than 100 kB; a mapping is a few lines")
    try:
        data = load_yaml(decode(path.read_bytes()))
    except YamlProblem as exc:
        raise MappingError(f"'{path.name}': {exc}") from None
    return mapping_from(data or {}, path.name)


def mapping_from(data: Any, source: str = "mapping") -> LogMapping:
    if not isinstance(data, dict):
        raise MappingError(f"'{source}' is a mapping of keys columns, timestamp_format, "
                           "timezone, deferred")
    known = {"columns", "timestamp_format", "timezone", "deferred"}
    extra = sorted(set(map(str, data)) - known)
    if extra:
        raise MappingError(f"'{source}': unknown key '{extra[0][:40]}'; use "
                           f"{', '.join(sorted(known))}")
    columns = data.get("columns") or {}
    deferred = data.get("deferred") or []
    if not isinstance(columns, dict):
        raise MappingError(f"'{source}': columns is a mapping role: name")
    if not isinstance(deferred, list) or not all(isinstance(d, str) for d in deferred):
        raise MappingError(f"'{source}': deferred is a list of channel names")
    for key in ("timestamp_format", "timezone"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise MappingError(f"'{source}': {key} is text")
    return LogMapping(columns={str(k): v for k, v in columns.items()},
                      timestamp_format=data.get("timestamp_format"),
                      timezone=data.get("timezone"), deferred=tuple(deferred))
