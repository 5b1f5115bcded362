"""A log is untrusted user data: every problem is one clear error naming the column, the
row and the fix; mappings, formats, zones and Parquet are read as documented."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from omnistaff.fit import LogError, LogMapping, read_contact_log, read_interval_report, readers
from omnistaff.fit.mapping import mapping_from, read_mapping

HEADER = "channel,arrived_at,answered_at,abandoned_at,handle_seconds\n"
GOOD = ("phone,2026-03-02T08:00:00,2026-03-02T08:00:10,,180\n"
        "phone,2026-03-02T08:01:00,,2026-03-02T08:02:00,\n")


def write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, mapping: LogMapping | None = None) -> str:
    with pytest.raises(LogError) as caught:
        read_contact_log(path, mapping)
    return str(caught.value)


def test_documented_columns_need_no_mapping(tmp_path: Path) -> None:
    log = read_contact_log(write(tmp_path, HEADER + GOOD))
    frame = log.frame
    assert list(frame["channel"]) == ["phone", "phone"]
    assert frame["answered_at"].iloc[0] == pd.Timestamp("2026-03-02 08:00:10")
    assert pd.isna(frame["answered_at"].iloc[1]) and pd.isna(frame["handle_seconds"].iloc[1])


@pytest.mark.parametrize(("text", "expected"), [
    ("channel,arrived_at,handle_seconds\n" + "phone,2026-03-02T08:00:00,1\n",
     "neither column 'answered_at' nor 'abandoned_at'"),
    ("chan,arrived_at,answered_at,handle_seconds\nphone,2026-03-02T08:00:00,,1\n",
     "no column 'channel' (its columns: 'chan'"),
    (HEADER + GOOD + "phone,02/03/2026 08:00,,,\n", "column 'arrived_at' at row 4 is not a "
     "timestamp in ISO 8601"),
    (HEADER + GOOD + "phone,2026-03-02T09:00:00,2026-03-02T09:00:05,,-3\n",
     "column 'handle_seconds' is negative at row 4"),
    (HEADER + "phone,2026-03-02T09:00:00,2026-03-02T09:00:05,,abc\n",
     "column 'handle_seconds' at row 2 is not a number"),
    (HEADER + "phone,2026-03-02T09:00:00,2026-03-02T08:00:05,,30\n",
     "'answered_at' is before 'arrived_at' at row 2"),
    (HEADER + "phone,2026-03-02T09:00:00,2026-03-02T09:00:05,2026-03-02T09:01:00,30\n",
     "row 2 has both 'answered_at' and 'abandoned_at'"),
    (HEADER + ",2026-03-02T09:00:00,,,\n", "column 'channel' is empty at row 2"),
    (HEADER + "phone,,,,\n", "column 'arrived_at' is empty at row 2"),
    (HEADER + "phone,2026-03-02T09:00:00,,,inf\n", "is infinite"),
])
def test_bad_rows_are_named_with_the_fix(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in error_of(write(tmp_path, text))


def test_size_row_and_encoding_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, HEADER + GOOD * 3)
    monkeypatch.setattr(readers, "MAX_LOG_ROWS", 5)
    assert "more than 5 rows" in error_of(path)
    monkeypatch.setattr(readers, "MAX_LOG_BYTES", 100)
    assert "larger than" in error_of(path)
    latin = tmp_path / "latin.csv"
    row = "t\xe9l\xe9phone,2026-03-02T08:00:00,,,\n"
    latin.write_bytes(HEADER.encode() + row.encode("latin-1"))
    monkeypatch.setattr(readers, "MAX_LOG_BYTES", 10**9)
    assert "not UTF-8" in error_of(latin)
    assert "no such file" in error_of(tmp_path / "missing.csv")
    assert "no rows" in error_of(write(tmp_path, HEADER, "empty.csv"))
    packed = tmp_path / "log.csv.gz"
    packed.write_bytes(gzip.compress((HEADER + GOOD * 2000).encode()))
    monkeypatch.setattr(readers, "MAX_LOG_BYTES", 50_000)  # the file is far smaller packed
    assert packed.stat().st_size < 50_000 and "unpacks to more than" in error_of(packed)
    monkeypatch.setattr(readers, "MAX_LOG_BYTES", 10**9)
    (tmp_path / "bad.csv.gz").write_bytes(b"not gzip")
    assert "not a readable gzip" in error_of(tmp_path / "bad.csv.gz")
    assert "compress a log with gzip" in error_of(write(tmp_path, "x", "log.csv.bz2"))
    garbage = tmp_path / "x.parquet"
    garbage.write_bytes(b"not parquet at all")
    assert "not a readable Parquet" in error_of(garbage)


def test_history_longer_than_three_years_is_refused(tmp_path: Path) -> None:
    text = HEADER + "phone,2020-01-01T08:00:00,,,\nphone,2026-01-01T08:00:00,,,\n"
    assert "fit at most three years" in error_of(write(tmp_path, text))


def test_columns_format_and_zone_by_options_and_file(tmp_path: Path) -> None:
    text = ("queue,start,answer,gone,talk\n"
            "chat,02/03/2026 08:00:00+01:00,02/03/2026 08:00:30+01:00,,200\n")
    mapping = LogMapping().with_options(
        ["channel=queue", "arrived_at=start", "answered_at=answer", "abandoned_at=gone",
         "handle_seconds=talk"], "%d/%m/%Y %H:%M:%S%z", "Europe/Paris", [])
    frame = read_contact_log(write(tmp_path, text), mapping).frame
    assert frame["arrived_at"].iloc[0] == pd.Timestamp("2026-03-02 08:00:00")  # Paris time
    file = write(tmp_path, "columns: {channel: queue, arrived_at: start, answered_at: answer,"
                 " abandoned_at: gone, handle_seconds: talk}\n"
                 "timestamp_format: '%d/%m/%Y %H:%M:%S%z'\n", "map.yaml")
    from_file = read_contact_log(tmp_path / "log.csv", read_mapping(file)).frame
    assert from_file["arrived_at"].iloc[0] == pd.Timestamp("2026-03-02 07:00:00")  # UTC


def test_mapping_mistakes_are_named(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="'arrival' is not a column role"):
        mapping_from({"columns": {"arrival": "x"}})
    with pytest.raises(LogError, match="unknown key 'colums'"):
        mapping_from({"colums": {}})
    with pytest.raises(LogError, match="not a time zone"):
        LogMapping(timezone="Mars/Olympus")
    with pytest.raises(LogError, match="write ROLE=NAME"):
        LogMapping().with_options(["arrived_at"], None, None, [])
    with pytest.raises(LogError, match="given twice"):
        read_mapping(write(tmp_path, "timezone: UTC\ntimezone: UTC\n", "dup.yaml"))


def test_parquet_reads_like_csv(tmp_path: Path) -> None:
    csv_log = read_contact_log(write(tmp_path, HEADER + GOOD)).frame
    path = tmp_path / "log.parquet"
    pd.read_csv(tmp_path / "log.csv").to_parquet(path)
    parquet_log = read_contact_log(path).frame
    pd.testing.assert_frame_equal(csv_log, parquet_log, check_dtype=False)


def test_interval_report_columns_grid_and_duplicates(tmp_path: Path) -> None:
    head = "channel,interval_start,offered,answered,abandoned,aht_seconds,agents\n"
    rows = ("phone,2026-03-02 08:00,10,9,1,200,3\n"
            "phone,2026-03-02 08:30,12,12,0,190,3\n")
    report = read_interval_report(write(tmp_path, head + rows))
    assert report.interval_minutes == 30 and report.frame["offered"].sum() == 22
    with pytest.raises(LogError, match="row 4 repeats a channel"):
        read_interval_report(write(tmp_path, head + rows + rows[:35] + "\n"))
    with pytest.raises(LogError, match="not on a 15-, 30- or 60-minute grid"):
        read_interval_report(write(tmp_path, head + "phone,2026-03-02 08:10,1,1,0,1,1\n"))
    with pytest.raises(LogError, match="'offered' is negative at row 2"):
        read_interval_report(write(tmp_path, head + "phone,2026-03-02 08:00,-1,1,0,1,1\n"))


def test_names_become_scenario_names_and_say_so(tmp_path: Path) -> None:
    text = ("channel,arrived_at,answered_at,abandoned_at,handle_seconds,group\n"
            "Phone - Sales,2026-03-02T08:00:00,2026-03-02T08:00:10,,180,Team 1\n"
            "24h chat,2026-03-02T08:00:00,2026-03-02T08:00:10,,180,Team 1\n")
    log = read_contact_log(write(tmp_path, text))
    assert log.channels == ["Phone_-_Sales", "c_24h_chat"]
    assert set(log.frame["group"]) == {"Team_1"}
    assert any("'Phone - Sales' renamed 'Phone_-_Sales'" in n for n in log.notes)
