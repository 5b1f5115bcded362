"""Start-up: the command line's help and its light commands import only what they use
(heavy libraries are imported where they are used). Checked in a fresh interpreter, by the
modules it loaded, not by time (`benchmarks/startup.py` times the commands)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "scipy", "pyomo", "simpy", "plotly", "streamlit", "distributed")


def loaded_after(code: str) -> set[str]:
    """Top-level packages imported by a fresh interpreter running `code`."""
    probe = (f"import sys\n{code}\nimport json\n"
             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=120)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("code", [
    "import omnistaff.ui.cli",
    "import omnistaff",
    "from omnistaff.ui.cli_common import resolve_scenario\n"
    "resolve_scenario('small_multichannel')",
])
def test_the_cli_and_a_validate_import_no_heavy_library(code: str) -> None:
    assert not loaded_after(code) & set(HEAVY)


def test_erlang_c_needs_no_numpy_and_erlang_a_no_scipy_pandas_or_engine() -> None:
    erlang_c = loaded_after("from omnistaff.sim.erlang import agents_for_target, queue_metrics"
                            "\nqueue_metrics(0.1, 300.0, 40, 20.0, None)\n"
                            "agents_for_target(0.1, 300.0, 20.0, 0.8)")
    assert not erlang_c & {*HEAVY, "numpy"}
    erlang_a = loaded_after("from omnistaff.sim.erlang import queue_metrics\n"
                            "queue_metrics(0.1, 300.0, 40, 20.0, 120.0)")
    assert "numpy" in erlang_a and not erlang_a & {"scipy", "pandas", "simpy", "pyomo"}


def test_the_public_api_still_resolves_every_name() -> None:
    import omnistaff

    for name in omnistaff.__all__:
        assert getattr(omnistaff, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        omnistaff.nothing  # noqa: B018


def test_the_cli_total_is_costing_total() -> None:
    from omnistaff.sim.costing import TOTAL
    from omnistaff.ui.cli_study import TOTAL as CLI_TOTAL

    assert CLI_TOTAL == TOTAL


def test_the_fit_commands_limit_matches_the_forecast_module() -> None:
    from omnistaff.fit.forecast import MAX_FORECAST_WEEKS
    from omnistaff.ui import cli_fit

    assert cli_fit.MAX_FORECAST_WEEKS == MAX_FORECAST_WEEKS
