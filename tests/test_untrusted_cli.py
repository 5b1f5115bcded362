"""The command line given bad or hostile input: one clear message naming the option or field,
a non-zero exit, no traceback, and nothing run before the output folder is known good."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from omnistaff.scenarios import bundled_scenarios
from omnistaff.ui.cli import app

runner = CliRunner()
SMALL = str(bundled_scenarios()["small_multichannel"])


def refused(args: list[str], *words: str) -> str:
    result = runner.invoke(app, args)
    text = result.output
    assert result.exit_code != 0, text
    assert result.exception is None or isinstance(result.exception, SystemExit), text
    assert "Traceback" not in text
    for word in words:
        assert word in text, text
    return text


@pytest.mark.parametrize(("args", "word"), [
    (["simulate", SMALL, "--replications", "1000000000"], "--replications"),
    (["simulate", SMALL, "--workers", "100000"], "--workers"),
    (["simulate", SMALL, "--dask", "not-an-address"], "--dask"),
    (["compare", SMALL, "--dask", "tcp://x:y"], "--dask"),
    (["optimize", SMALL, "--solver", "/bin/sh"], "--solver"),
    (["optimize", SMALL, "--solver", "nosuchsolver"], "--solver"),
    (["erlang", "--rate", "inf", "--aht", "180", "--agents", "3"], "--rate"),
    (["erlang", "--rate", "nan", "--aht", "180", "--agents", "3"], "--rate"),
    (["sweep", SMALL, "--param", "horizon.seed=" + ",".join(map(str, range(40))),
      "--param", "horizon.days=" + ",".join(map(str, range(1, 29)))], "--param"),
])
def test_bad_arguments_are_refused_cleanly(args: list[str], word: str) -> None:
    refused(args, word)


def test_out_at_a_file_is_refused_before_the_run(tmp_path: Path) -> None:
    file = tmp_path / "taken"
    file.write_text("")
    text = refused(["simulate", SMALL, "--out", str(file)], "--out", "is a file")
    assert "simulating" not in text


def test_out_in_an_unwritable_place_is_refused_before_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    refused(["optimize", SMALL, "--out", str(blocker / "below")], "--out")


def test_erlang_json_has_no_infinity() -> None:
    result = runner.invoke(app, ["erlang", "--rate", "100", "--aht", "180", "--target", "0",
                                 "--json"])
    assert result.exit_code == 0 and "Infinity" not in result.stdout
    figures = json.loads(result.stdout)
    assert figures["agents"] >= 1 and figures["asa_seconds"] is None


def test_erlang_says_when_the_queue_is_unstable() -> None:
    result = runner.invoke(app, ["erlang", "--rate", "100", "--aht", "180", "--agents", "3"])
    assert result.exit_code == 0 and "unstable" in result.stdout


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00binary", b"name: caf\xe9\n",
                                     b"name: " + b"[" * 20_000 + b"]" * 20_000])
def test_validate_refuses_unreadable_files(tmp_path: Path, content: bytes) -> None:
    file = tmp_path / "scenario.yaml"
    file.write_bytes(content)
    refused(["validate", str(file)], "error")


def test_a_variant_name_cannot_lead_outside_the_output_folder(tmp_path: Path) -> None:
    data = yaml.safe_load(Path(SMALL).read_text())
    data["variants"] = {"x/../../..": {"horizon.days": 1}}
    file = tmp_path / "scenario.yaml"
    file.write_text(yaml.safe_dump(data))
    refused(["compare", str(file), "--out", str(tmp_path / "out")], "variants.x/../../..")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_simulate_says_how_large_the_run_is(tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", SMALL, "--replications", "1", "--workers", "1",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "contacts per replication" in result.output
    assert "triaged out" in result.output and "escalated" in result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert {"triaged_out", "deflected", "escalated", "waiting"} <= set(
        summary["channels"]["social"])
