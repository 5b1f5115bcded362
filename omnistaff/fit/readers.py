"""Reading a center's own data: a contact-level export or an interval-level report, from CSV
or Parquet, into tidy frames with the documented column names.

A log file is untrusted user data: it is size- and row-limited, and every problem is one
`LogError` naming the column, the row and the fix (never a traceback, never the cell's text
echoed at length).
"""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from omnistaff.fit.mapping import LogError, LogMapping

#: Largest log file read: about ten million CSV rows of a contact export.
MAX_LOG_BYTES = 1_000_000_000
#: Most rows: years of a large center's contacts.
MAX_LOG_ROWS = 10_000_000
#: Most channels in one log (as in a scenario).
MAX_LOG_CHANNELS = 50
#: Longest history: three years of days.
MAX_HISTORY_DAYS = 3 * 366


@dataclass(frozen=True)
class ContactLog:
    """One row per contact: `channel`, `arrived_at`, `answered_at`, `abandoned_at` (NaT
    where not applicable), `handle_seconds` (NaN where not answered), optional `group`."""

    frame: pd.DataFrame
    source: str
    notes: tuple[str, ...] = ()

    @property
    def channels(self) -> list[str]:
        return sorted(self.frame["channel"].unique())


@dataclass(frozen=True)
class IntervalReport:
    """One row per channel and interval: `channel`, `interval_start`, `offered`, `answered`,
    `abandoned`, `aht_seconds`, and where given `agents` and `mean_wait_seconds`."""

    frame: pd.DataFrame
    interval_minutes: int
    source: str
    notes: tuple[str, ...] = field(default=())

    @property
    def channels(self) -> list[str]:
        return sorted(self.frame["channel"].unique())


def read_table(path: Path) -> pd.DataFrame:
    """A CSV or Parquet file as text-or-number columns, within the size and row limits."""
    if not path.is_file():
        raise LogError(f"no such file '{path}'; check the path")
    if path.stat().st_size > MAX_LOG_BYTES:
        raise LogError(f"'{path.name}' is larger than {MAX_LOG_BYTES / 1e9:g} GB; split it "
                       "by month and fit a shorter history")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path)
    if suffix in (".bz2", ".xz", ".zip", ".zst", ".tar"):
        raise LogError(f"'{path.name}': compress a log with gzip (.csv.gz), or give it as "
                       "plain CSV or Parquet")
    try:
        with _opened(path) as source:
            frame = pd.read_csv(source, dtype=str, keep_default_na=False,
                                nrows=MAX_LOG_ROWS + 1, encoding="utf-8-sig",
                                on_bad_lines="error")
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as exc:
        if not isinstance(exc, UnicodeDecodeError):
            raise LogError(f"'{path.name}' is not a readable gzip file; compress it again, "
                           "or give it as plain CSV") from None
        raise LogError(f"'{path.name}' is not UTF-8 text; save it as CSV (UTF-8) or Parquet"
                       ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise LogError(f"'{path.name}' is not a readable CSV ({str(exc).splitlines()[0][:120]});"
                       " save it as comma-separated values with one header line") from None
    return _within_rows(frame, path)


class _Bounded(io.RawIOBase):
    """A decompressed stream that stops past MAX_LOG_BYTES (a small .gz can unpack to
    terabytes)."""

    def __init__(self, raw: IO[bytes], name: str) -> None:
        self.raw, self.name, self.read_bytes = raw, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        self.read_bytes += len(data)
        if self.read_bytes > MAX_LOG_BYTES:
            raise LogError(f"'{self.name}' unpacks to more than {MAX_LOG_BYTES / 1e9:g} GB; "
                           "split it by month and fit a shorter history")
        buffer[: len(data)] = data
        return len(data)


@contextmanager
def _opened(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes, gunzipped (bounded) when it ends in .gz."""
    if path.suffix.lower() != ".gz":
        with path.open("rb") as plain:
            yield plain
        return
    with gzip.open(path, "rb") as packed:
        yield io.BufferedReader(_Bounded(packed, path.name))


def column_names(path: Path) -> list[str]:
    """The header of a CSV or Parquet log (to tell a contact log from an interval report)."""
    if not path.is_file():
        raise LogError(f"no such file '{path}'; check the path")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            return [str(c).strip() for c in pq.ParquetFile(path).schema_arrow.names]
        with _opened(path) as source:
            header = pd.read_csv(source, dtype=str, nrows=0, encoding="utf-8-sig")
    except Exception:  # any unreadable file is reported by the full read that follows
        return []
    return [str(c).strip() for c in header.columns]


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        rows = pq.ParquetFile(path).metadata.num_rows
        if rows > MAX_LOG_ROWS:
            raise LogError(f"'{path.name}' has {rows:,} rows, more than {MAX_LOG_ROWS:,}; "
                           "fit a shorter history")
        frame = pq.read_table(path).to_pandas()
    except LogError:
        raise
    except Exception as exc:  # pyarrow raises many kinds for a damaged file
        raise LogError(f"'{path.name}' is not a readable Parquet file ({type(exc).__name__});"
                       " export it again, or as CSV") from None
    return _within_rows(frame, path)


def _within_rows(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    if len(frame) > MAX_LOG_ROWS:
        raise LogError(f"'{path.name}' has more than {MAX_LOG_ROWS:,} rows; fit a shorter "
                       "history")
    if frame.empty:
        raise LogError(f"'{path.name}' has no rows below its header line")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_contact_log(path: Path, mapping: LogMapping | None = None) -> ContactLog:
    """A contact-level export, columns renamed by `mapping` (default: the documented names)."""
    mapping = mapping or LogMapping()
    raw = read_table(path)
    names = mapping.contact_columns()
    _require(raw, names, ("channel", "arrived_at", "handle_seconds"), path.name, mapping)
    if names["answered_at"] not in raw.columns and names["abandoned_at"] not in raw.columns:
        raise LogError(f"'{path.name}' has neither column '{names['answered_at']}' nor "
                       f"'{names['abandoned_at']}'; give at least one (answer time, "
                       "abandonment time), or map yours with --column answered_at=NAME")
    channels, renamed = plain_names(_channels(raw[names["channel"]], names["channel"]))
    frame = pd.DataFrame({"channel": channels})
    for key in ("arrived_at", "answered_at", "abandoned_at"):
        column = names[key]
        frame[key] = (mapping.timestamps(raw[column], column) if column in raw.columns
                      else pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]"))
    frame["handle_seconds"] = _numbers(raw[names["handle_seconds"]], names["handle_seconds"])
    if names["group"] in raw.columns:
        groups = raw[names["group"]].astype(str).str.strip()
        frame["group"], renamed_groups = plain_names(groups.where(groups != "", None))
        renamed += renamed_groups
    notes = (*_check_contacts(frame, names), *renamed)
    _check_span(frame["arrived_at"], names["arrived_at"])
    return ContactLog(frame, path.name, notes)


def read_interval_report(path: Path, mapping: LogMapping | None = None) -> IntervalReport:
    """An interval-level report: per channel and interval, offered, answered, abandoned, AHT
    (and agents staffed, mean wait where given)."""
    mapping = mapping or LogMapping()
    raw = read_table(path)
    names = mapping.interval_columns()
    _require(raw, names, ("channel", "interval_start", "offered"), path.name, mapping)
    channels, renamed = plain_names(_channels(raw[names["channel"]], names["channel"]))
    frame = pd.DataFrame({"channel": channels})
    frame["interval_start"] = mapping.timestamps(raw[names["interval_start"]],
                                                 names["interval_start"])
    if frame["interval_start"].isna().any():
        row = int(np.flatnonzero(frame["interval_start"].isna().to_numpy())[0]) + 2
        raise LogError(f"column '{names['interval_start']}' is empty at row {row}; every "
                       "interval needs its start time")
    for key in ("offered", "answered", "abandoned", "aht_seconds", "agents",
                "mean_wait_seconds"):
        column = names[key]
        if column in raw.columns:
            frame[key] = _numbers(raw[column], column)
            _non_negative(frame[key], column)
    if frame.duplicated(["channel", "interval_start"]).any():
        row = int(np.flatnonzero(frame.duplicated(["channel", "interval_start"]))[0]) + 2
        raise LogError(f"row {row} repeats a channel and '{names['interval_start']}' given "
                       "before; give each channel's interval once")
    _check_span(frame["interval_start"], names["interval_start"])
    return IntervalReport(frame, _interval_minutes(frame, names["interval_start"]), path.name,
                          tuple(renamed))


def _require(raw: pd.DataFrame, names: dict[str, str], keys: tuple[str, ...], source: str,
             mapping: LogMapping) -> None:
    for key in keys:
        if names[key] not in raw.columns:
            listed = ", ".join(f"'{c[:40]}'" for c in list(raw.columns)[:20])
            raise LogError(f"'{source}' has no column '{names[key]}' (its columns: {listed}); "
                           f"rename it, or map yours with --column {key}=NAME or a mapping "
                           "file")


def plain_name(text: str) -> str:
    """`text` as a name a scenario accepts."""
    plain = re.sub(r"[^A-Za-z0-9_-]+", "_", text.strip()).strip("_") or "unnamed"
    return (plain if plain[0].isalpha() else f"c_{plain}")[:60]


def plain_names(values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Names a scenario accepts (a letter, then letters, digits, _ or -): other characters
    become _, a leading non-letter gets `c_`; notes say what was renamed."""
    names: dict[str, str] = {}
    for original in values.dropna().unique():
        plain = plain_name(str(original))
        while plain in names.values():
            plain += "_"
        names[original] = plain
    notes = [f"'{o[:40]}' renamed '{p}' (a scenario name)" for o, p in names.items() if o != p]
    return values.map(names), notes


def _channels(column: pd.Series, name: str) -> pd.Series:
    values = column.astype(str).str.strip()
    empty = np.flatnonzero((values == "").to_numpy())
    if empty.size:
        raise LogError(f"column '{name}' is empty at row {empty[0] + 2}; every contact needs "
                       "its channel")
    if values.str.len().max() > 64:
        row = int(np.flatnonzero((values.str.len() > 64).to_numpy())[0]) + 2
        raise LogError(f"column '{name}' at row {row} is longer than 64 characters; a channel "
                       "name is short (phone, chat)")
    if values.nunique() > MAX_LOG_CHANNELS:
        raise LogError(f"column '{name}' names {values.nunique()} channels, more than "
                       f"{MAX_LOG_CHANNELS}; is it the channel column?")
    return values


def _numbers(column: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        values = column.astype(float)
        given = pd.Series(True, index=column.index)
    else:
        text = column.astype(str).str.strip()
        given = ~text.isin(["", "nan", "NaN", "None", "<NA>"])
        values = pd.to_numeric(text.where(given), errors="coerce").astype(float)
    bad = np.flatnonzero((values.isna() & given & column.notna()).to_numpy())
    if bad.size:
        raise LogError(f"column '{name}' at row {bad[0] + 2} is not a number; write seconds "
                       "(or counts) as plain numbers, e.g. 185.5")
    infinite = np.flatnonzero(np.isinf(values.to_numpy()))
    if infinite.size:
        raise LogError(f"column '{name}' at row {infinite[0] + 2} is infinite; give a finite "
                       "number")
    return values


def _non_negative(values: pd.Series, name: str) -> None:
    negative = np.flatnonzero((values < 0).to_numpy())
    if negative.size:
        raise LogError(f"column '{name}' is negative at row {negative[0] + 2}; give 0 or more")


def _check_contacts(frame: pd.DataFrame, names: dict[str, str]) -> tuple[str, ...]:
    """Refuse contacts that cannot be; note what is dropped or odd."""
    arrived, answered, abandoned = (frame[k] for k in ("arrived_at", "answered_at",
                                                       "abandoned_at"))
    checks = [
        (arrived.isna(), f"column '{names['arrived_at']}' is empty at row {{row}}; every "
         "contact needs its arrival time"),
        (answered.notna() & abandoned.notna(), f"row {{row}} has both '{names['answered_at']}'"
         f" and '{names['abandoned_at']}'; a contact is answered or abandoned, not both"),
        (answered < arrived, f"'{names['answered_at']}' is before '{names['arrived_at']}' at "
         "row {row}; check the columns are not swapped"),
        (abandoned < arrived, f"'{names['abandoned_at']}' is before '{names['arrived_at']}' "
         "at row {row}; check the columns are not swapped"),
        (frame["handle_seconds"] < 0, f"column '{names['handle_seconds']}' is negative at row "
         "{row}; handle times are 0 seconds or more"),
    ]
    for bad, message in checks:
        rows = np.flatnonzero(bad.to_numpy())
        if rows.size:
            raise LogError(message.format(row=rows[0] + 2))
    notes = []
    missing = answered.notna() & frame["handle_seconds"].isna()
    if missing.any():
        notes.append(f"{int(missing.sum()):,} answered contact(s) have no handle time: "
                     "left out of the handle-time fit")
    zero = answered.notna() & (frame["handle_seconds"] == 0)
    if zero.any():
        notes.append(f"{int(zero.sum()):,} answered contact(s) have a handle time of 0: left "
                     "out of the handle-time fit")
    return tuple(notes)


def _check_span(times: pd.Series, name: str) -> None:
    span = (times.max() - times.min()) / pd.Timedelta(days=1)
    if span > MAX_HISTORY_DAYS:
        raise LogError(f"column '{name}' spans {span:,.0f} days, more than {MAX_HISTORY_DAYS};"
                       " fit at most three years (recent weeks say most about next week)")


def _interval_minutes(frame: pd.DataFrame, name: str) -> int:
    starts = frame["interval_start"]
    minutes = (starts.dt.hour * 60 + starts.dt.minute).to_numpy()
    steps = np.diff(np.unique(minutes))
    step = int(np.gcd.reduce(np.concatenate([steps, minutes]).astype(np.int64))) or 30
    if (starts.dt.second != 0).any() or step not in (15, 30, 60):
        raise LogError(f"column '{name}': interval starts are not on a 15-, 30- or 60-minute "
                       "grid; give each interval's start time, e.g. 08:00, 08:30")
    return min(step, 30)
