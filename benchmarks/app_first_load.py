"""The app's waits in a browser: `omnistaff ui`'s Streamlit server on a free port and Debian's
Chromium (Playwright) at 1280 x 800. Times the first load of the landing page (title shown,
page settled), the first opening of Simulate (which loads the engine), and after a run of
the bundled small scenario, the seconds from its verdict line to the first chart drawn and
to the page settled.

Wall time is what a user waits, but on a busy machine it includes waiting for a core: the
server's CPU seconds (user + system, from /proc) are shown beside each step, with the
machine's load average.

Run: `python benchmarks/app_first_load.py [--replications N]` (needs /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

MAIN = Path(__file__).resolve().parents[1] / "omnistaff" / "ui" / "app" / "main.py"
CHROMIUM = "/usr/bin/chromium"
SETTLED = ("() => !document.querySelector('[data-stale=\"true\"]') && "
           "!document.querySelector('[data-testid=\"stStatusWidget\"]')")
DRAWN = "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children that ended."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class Clock:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.wall, self.cpu = time.monotonic(), cpu_seconds(pid)

    def show(self, what: str) -> None:
        print(f"{what:<46} {time.monotonic() - self.wall:6.1f} s wall "
              f"{cpu_seconds(self.pid) - self.cpu:6.1f} s server CPU   "
              f"load {os.getloadavg()[0]:.1f}")


def serve() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(MAIN), "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://localhost:{port}"
    while True:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return server, url
        except OSError:
            time.sleep(0.2)


def walk(page: Page, url: str, pid: int, replications: int) -> None:
    clock = Clock(pid)
    page.goto(url)
    page.get_by_role("heading", name="Scenario", exact=True).wait_for()
    clock.show("first load: title shown")
    page.wait_for_function(SETTLED)
    clock.show("first load: settled")
    clock = Clock(pid)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Simulate").click()
    page.get_by_role("heading", name="Simulate", exact=True).wait_for()
    page.wait_for_function(SETTLED)
    clock.show("Simulate opened (engine loaded): settled")
    page.get_by_role("spinbutton", name="Replications").fill(str(replications))
    page.get_by_role("button", name="Run simulation").click()
    clock = Clock(pid)
    page.get_by_text("channel-days met their target").first.wait_for()
    clock.show("simulation: verdict line shown")
    clock = Clock(pid)
    page.wait_for_function(DRAWN)
    clock.show("  then the first chart drawn")
    page.wait_for_function(SETTLED)
    clock.show("  then the page settled")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=2)
    args = parser.parse_args()
    server, url = serve()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(300_000)
            walk(page, url, server.pid, args.replications)
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
