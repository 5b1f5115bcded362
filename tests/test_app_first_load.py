"""The app's first load: the landing page imports none of the engine's heavy libraries (they
take seconds to import); the first engine page to open loads them under a spinner and draws.
Checked in a fresh interpreter by the modules it loaded, not by time
(`benchmarks/app_first_load.py` times the first load in a browser)."""

from __future__ import annotations

import json
import subprocess
import sys

from omnistaff.ui import cli_app

#: Imported only by the pages that run the engine (Simulate, Optimize, Compare).
ENGINE_LIBRARIES = {"pyomo", "scipy", "simpy", "statsmodels", "dask", "distributed", "highspy"}


def first_load(page: str | None) -> dict[str, object]:
    """The app run once in a fresh interpreter (switched to `page` if given): its titles, any
    exception, and the top-level packages loaded."""
    switch = f"at.switch_page({page!r}).run()\n" if page else ""
    probe = ("import json, sys\n"
             "from streamlit.testing.v1 import AppTest\n"
             f"at = AppTest.from_file({str(cli_app.MAIN)!r}, default_timeout=120)\n"
             f"at.run()\n{switch}"
             "print(json.dumps({'titles': [t.value for t in at.title],\n"
             "                  'exception': [e.value for e in at.exception],\n"
             "                  'modules': sorted({m.split('.')[0] for m in sys.modules})}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=300)
    return json.loads(done.stdout.splitlines()[-1])


def test_the_landing_page_loads_without_the_engine() -> None:
    shown = first_load(None)
    assert shown["titles"] == ["Scenario"] and not shown["exception"]
    assert not set(shown["modules"]) & ENGINE_LIBRARIES


def test_the_first_engine_page_loads_the_engine_and_draws() -> None:
    shown = first_load("simulate_page.py")
    assert shown["titles"] == ["Simulate"] and not shown["exception"]
    assert {"pyomo", "scipy", "simpy"} <= set(shown["modules"])
