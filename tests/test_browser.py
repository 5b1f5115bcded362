"""The app in a real browser: `omnistaff ui` serves it on localhost and Debian's Chromium,
driven by Playwright, clicks through scenario -> simulate -> compare on a bundled scenario, then
uploads a two-day cut of it and optimizes its schedule, checking what is shown and saving
screenshots.

Screenshots go to $OMNISTAFF_SCREENSHOTS when set (`OMNISTAFF_SCREENSHOTS=docs/images` makes
the README's pictures), else to pytest's temporary folder.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from omnistaff.scenarios import bundled_scenarios, load_scenario, parse_scenario, with_overrides
from omnistaff.ui.app.yaml_io import scenario_yaml

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_SECONDS = 60.0
#: Milliseconds the browser waits for a page element or a run (a bound for a machine busy
#: with other work, where a three-round optimization took over 300 s; not a speed check).
WAIT_MS = 600_000
PLOTS = "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n"
SETTLED = ("() => !document.querySelector('[data-stale=\"true\"]') && "
           "!document.querySelector('[data-testid=\"stStatusWidget\"]')")
#: The screen every story must answer on without scrolling.
VIEWPORT = {"width": 1280, "height": 800}
WIDE = {"width": 1920, "height": 1080}
#: Text cut off by its box: any element of the page holding text of its own whose overflow is
#: hidden or ellipsed while its text is wider than the box (metric values, button labels,
#: chosen options, chips, tabs); and tables wider than their frame (columns out of sight).
CUT_OFF = """() => {
  const cut = [];
  const main = document.querySelector('[data-testid="stMain"]');
  for (const el of main.querySelectorAll('*')) {
    if (el.offsetParent === null || el.closest('.js-plotly-plot, [data-testid="stDataFrame"]'))
      continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    const clips = s => s.textOverflow === 'ellipsis' || s.overflowX === 'hidden'
      || s.overflowX === 'clip';
    if (clips(style) && el.scrollWidth > el.clientWidth + 1) {
      cut.push(el.textContent.trim());
      continue;
    }
    const right = el.getBoundingClientRect().right;  // clipped by a box around it
    for (let up = el.parentElement, k = 0; up && k < 3; up = up.parentElement, k++) {
      if (clips(getComputedStyle(up)) && right > up.getBoundingClientRect().right + 1) {
        cut.push(el.textContent.trim());
        break;
      }
    }
  }
  for (const el of main.querySelectorAll('input')) {  // a chosen option, a number
    if (el.offsetParent !== null && el.type !== 'file' && el.type !== 'checkbox'
        && el.scrollWidth > el.clientWidth + 1) cut.push(el.value);
  }
  for (const el of main.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')) {
    if (el.offsetParent !== null && el.scrollWidth > el.clientWidth + 2)
      cut.push(`a table ${el.scrollWidth} px wide in ${el.clientWidth} px: `
        + [...el.closest('[data-testid="stDataFrame"]').querySelectorAll('th')]
          .map(th => th.textContent).join(', ').slice(0, 80));
  }
  return cut;
}"""
ONE_DAY_NAME = "Small multichannel, one day"
ONE_DAY = {"horizon.days": 1, "horizon.replications": 3, "optimizer": {
    "templates": [{"name": "full_time", "start_step": "1h", "breaks": [
        {"duration": "30min", "earliest": "3h", "latest": "5h", "step": "1h"}]}],
    "mip_gap": 0.02, "replications": 2, "max_replications": 2, "max_iterations": 1,
    "lowerings": 0, "trim": False}}
TWO_DAYS_NAME = "Small multichannel, two days"
TWO_DAYS = {"horizon.days": 2, "horizon.replications": 2, "optimizer": {
    "templates": [{"name": "full_time", "start_step": "1h", "breaks": [
        {"duration": "30min", "earliest": "3h", "latest": "5h", "step": "1h"}]}],
    "mip_gap": 0.02, "replications": 3, "max_replications": 6, "max_iterations": 3,
    "lowerings": 0, "trim_evaluations": 12}}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's Chromium at /usr/bin/chromium "
                       "(apt-get install -y chromium)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "omnistaff ui exited before serving"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"omnistaff ui did not answer at {url} within {START_SECONDS:.0f} s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`omnistaff ui` on a free localhost port, in its own process group, always stopped."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "ui.log"
    command = [sys.executable, "-c", "from omnistaff.ui.cli import main; main()", "ui",
               "--port", str(port)]
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                  cwd=tmp_path_factory.mktemp("cwd"), start_new_session=True)
    try:
        url = f"http://localhost:{port}"
        wait_until_up(url, server)
        assert f"open http://localhost:{port}" in log.read_text()
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("OMNISTAFF_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled small scenario cut to two days, with hourly shift starts: three
    solve-and-simulate iterations take seconds, so the browser run does not hang on how fast
    this machine solves a whole week."""
    full = load_scenario(bundled_scenarios()["small_multichannel"])
    scenario = with_overrides(full, {"name": TWO_DAYS_NAME, **TWO_DAYS})
    path = tmp_path_factory.mktemp("upload") / "two_days.yaml"
    path.write_text(scenario_yaml(scenario))
    return path


@pytest.fixture(scope="module")
def one_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled small scenario cut to one day, optimized in one round without a trim:
    each variant optimizes in seconds."""
    full = load_scenario(bundled_scenarios()["small_multichannel"])
    scenario = with_overrides(full, {"name": ONE_DAY_NAME, **ONE_DAY})
    path = tmp_path_factory.mktemp("upload") / "one_day.yaml"
    path.write_text(scenario_yaml(scenario))
    return path


@pytest.fixture(scope="module")
def page(app_url: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            tab = browser.new_page(viewport=VIEWPORT)
            tab.set_default_timeout(WAIT_MS)
            tab.goto(app_url)
            yield tab
        finally:
            browser.close()


def no_exception(page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def navigate(page: Page, title: str) -> None:
    """Go to a page by its link in the sidebar's navigation (not a link to one of its runs)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()


def metric(page: Page, label: str) -> str:
    shown = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
    return shown.get_by_test_id("stMetricValue").inner_text()


def full_height(page: Page, shots: Path, name: str, height: int) -> None:
    """Screenshot of the whole page: Streamlit scrolls inside its own container, so the
    viewport is made tall enough for everything instead, and scrolled back to the title."""
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    page.locator("h1").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    page.screenshot(path=shots / name)
    page.set_viewport_size(VIEWPORT)


def nothing_cut_off(page: Page) -> None:
    """No text on screen cut off by its box, no table wider than its frame."""
    settle(page)
    assert page.evaluate(CUT_OFF) == []


def test_scenario_page_loads_a_bundled_scenario_and_reports_a_bad_field(page: Page,
                                                                       shots: Path) -> None:
    page.get_by_role("heading", name="Scenario", exact=True).wait_for()
    # the landing page says where each user's answer is, and names scenarios by title
    guide = page.get_by_text("How to get your answer")
    guide.wait_for()
    expect(page.get_by_text("Planner: is every day covered?")).to_be_visible()
    page.get_by_label("Bundled scenario").click()
    page.get_by_role("option", name="Small multichannel (small_multichannel)").click()
    page.get_by_role("button", name="Load bundled scenario").click()
    page.get_by_text("Loaded small_multichannel").wait_for()  # the toast: the rerun is done
    page.get_by_role("heading", name="Small multichannel").wait_for()
    threshold = page.get_by_role("textbox", name="SLA threshold T").first
    threshold.fill("soon")
    page.get_by_role("button", name="Apply changes to phone").click()
    problem = page.get_by_text("is not a duration").first
    problem.wait_for()
    assert "channels.phone.sla.threshold" in problem.inner_text()
    page.get_by_role("textbox", name="SLA threshold T").first.fill("20s")
    page.get_by_role("button", name="Apply changes to phone").click()
    page.get_by_text("channel phone applied").wait_for()
    expect(page.get_by_text("is not a duration")).to_have_count(0)
    expect(page.get_by_text("small_multichannel (edited)").first).to_be_visible()
    expect(page.get_by_role("textbox", name="SLA threshold T").first).to_have_value("20s")
    no_exception(page)
    nothing_cut_off(page)
    page.get_by_text("channel phone applied").wait_for(state="detached")  # the toast's gone
    page.locator("h1").first.scroll_into_view_if_needed()
    page.screenshot(path=shots / "scenario.png")


def test_an_upload_shows_the_error_of_the_file_just_refused(page: Page,
                                                           tmp_path: Path) -> None:
    """Each refused upload replaces the last one's error; the scenario stays as it was."""
    first, second = tmp_path / "notes.txt", tmp_path / "broken.yaml"
    first.write_text("just some notes, not a scenario")
    second.write_text("name: [unclosed\n")
    uploader = page.get_by_test_id("stFileUploaderDropzoneInput")
    uploader.set_input_files(first)
    page.get_by_text("notes.txt was not loaded").wait_for()
    uploader.set_input_files(second)
    page.get_by_text("broken.yaml was not loaded").wait_for()
    settle(page)
    expect(page.get_by_text("notes.txt was not loaded")).to_have_count(0)
    page.get_by_role("heading", name="Small multichannel").wait_for()
    no_exception(page)


def settle(page: Page) -> None:
    """Wait until the app has finished its rerun: no stale element left, no run status."""
    page.wait_for_timeout(300)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


def above_the_fold(page: Page, text: str | Locator) -> None:
    """`text` (or an element) is shown within the first screen (1280 x 800), without
    scrolling."""
    shown = page.get_by_text(text).filter(visible=True).first if isinstance(text, str) \
        else text
    shown.wait_for()
    box = shown.bounding_box()
    assert box is not None and box["y"] + box["height"] <= VIEWPORT["height"], (text, box)


def open_run_form(page: Page) -> None:
    """Unfold the run form if it is folded (it folds away once there are runs). Whether it is
    open is read from its `<details>` element, not from whether its button shows yet: on a
    busy machine the form's fields arrive after its title, and clicking the title then would
    fold an open form shut."""
    title = page.get_by_text(re.compile(r"^(New run|Run again)"))
    title.wait_for()
    settle(page)
    details = page.get_by_test_id("stExpander").filter(has=title).locator("details")
    if not details.evaluate("element => element.open"):
        title.click()
    page.get_by_role("button", name="Run simulation").wait_for()
    settle(page)


def simulate(page: Page, variant: str, run: int) -> None:
    """Run the simulation of `variant` with three replications as the session's `run`-th."""
    open_run_form(page)
    page.get_by_role("combobox", name="Variant").click()
    page.get_by_role("option", name=variant, exact=True).click()
    page.get_by_role("spinbutton", name="Replications").fill("3")
    page.get_by_role("button", name="Run simulation").click()
    page.get_by_text(re.compile(f"#{run} simulate ·")).filter(visible=True).first.wait_for()
    settle(page)


def test_the_planner_reads_the_weekend_day_by_day(page: Page, shots: Path) -> None:
    """The weekend story: without weekend social cover, Saturday's and Sunday's social
    service level, backlog and worst hour are on the first screen, with a verdict line."""
    navigate(page, "Simulate")
    simulate(page, "base", 1)
    simulate(page, "no_weekend_social", 2)
    expect(page.get_by_role("tab", name="By day (planner)")).to_have_attribute(
        "aria-selected", "true")
    for day in ("Saturday", "Sunday"):
        line = page.get_by_text(re.compile(rf"^{day} social: \d+% within 1 h, target 80%: "
                                           "miss$")).first
        line.wait_for()
        assert int(re.search(r"(\d+)%", line.inner_text()).group(1)) < 80
        above_the_fold(page, f"{day} social: ")
    above_the_fold(page, "channel-days met their target")
    # the day table: a row per channel, a column per day, Saturday's social cell a miss
    table = page.get_by_test_id("stDataFrame").filter(visible=True).first
    header = table.locator("th")
    expect(header.nth(6)).to_have_text("Sat")
    expect(table.get_by_test_id("glide-cell-0-3")).to_have_text("social")
    for column in (6, 7):  # Saturday and Sunday
        expect(table.get_by_test_id(f"glide-cell-{column}-3")).to_contain_text("✗")
    above_the_fold(page, "Service level by day")
    # the heat map of the channel worst at the weekend, and the weekend's worst hours
    page.wait_for_function(PLOTS, arg=1, timeout=WAIT_MS)
    expect(page.get_by_text("service level by day and hour").first).to_be_visible()
    worst = page.get_by_text("Worst hour of the weekend").first
    worst.scroll_into_view_if_needed()
    expect(page.get_by_text(re.compile(r"social: Sat|social: Sun")).first).to_be_visible()
    page.locator("h1").first.scroll_into_view_if_needed()
    no_exception(page)
    nothing_cut_off(page)
    page.screenshot(path=shots / "simulate.png")


def test_the_planner_sees_required_against_scheduled_staffing(page: Page,
                                                             shots: Path) -> None:
    """Before any optimizing: without weekend social cover the social team is short all
    Saturday and Sunday, in the day table and the heat map."""
    page.get_by_role("tab", name="Required vs scheduled").click()
    said = page.get_by_text("Scheduled staffing falls short of the requirement").first
    said.wait_for()
    above_the_fold(page, "Scheduled staffing falls short of the requirement")
    expect(page.get_by_text(re.compile(r"^social_team: [\d.]+ h short over 7 day\(s\)")
                            ).first).to_be_visible()
    table = page.get_by_test_id("stDataFrame").filter(visible=True).first
    expect(table.locator("th").nth(6)).to_have_text("Sat")
    social = next(row for row in range(3)
                  if table.get_by_test_id(f"glide-cell-0-{row}").inner_text() == "social_team")
    for column in (6, 7):  # Saturday and Sunday: hours short, nothing over
        cell = table.get_by_test_id(f"glide-cell-{column}-{social}").inner_text()
        assert re.fullmatch(r"−\d+(\.\d+)? h", cell) and float(cell[1:-2]) >= 20, cell
    page.wait_for_function(PLOTS, arg=2, timeout=WAIT_MS)
    expect(page.get_by_text("agents over (+) or short (−), by day and hour").first
           ).to_be_visible()
    no_exception(page)
    nothing_cut_off(page)
    full_height(page, shots, "staffing.png", 1250)


def test_finance_reads_cost_per_contact_against_a_base(page: Page, shots: Path) -> None:
    """The finance story on the same runs: cost per handled and per resolved contact by
    channel, its drivers, and the change against the seven-day team's run."""
    page.get_by_role("tab", name="Cost (finance)").click()
    page.get_by_role("combobox", name="Change against").click()
    page.get_by_role("option", name=re.compile(r"^#1 ")).click()
    settle(page)
    table = page.get_by_test_id("stDataFrame").filter(visible=True).first
    expect(table.locator("th").nth(7)).to_have_text("Δ total cost")
    headers = table.locator("th").all_text_contents()
    assert headers[:5] == ["channel", "per handled", "per resolved", "idle share", "total cost"]
    assert headers[5:8] == ["Δ per handled", "Δ per resolved", "Δ total cost"]
    expect(table.get_by_test_id("glide-cell-0-4")).to_have_text("all channels")
    expect(table.get_by_test_id("glide-cell-2-4")).to_contain_text("USD ")
    above_the_fold(page, table)  # the whole table, its total row the last
    expect(page.get_by_text("What a resolved contact costs, by channel").first).to_be_visible()
    no_exception(page)
    nothing_cut_off(page)
    page.screenshot(path=shots / "finance.png")


def test_the_manager_compares_past_runs_without_running_them_again(page: Page,
                                                                  shots: Path) -> None:
    """The two simulations of the planner's story, from one seed, compared paired on the
    Compare page: nothing runs again."""
    navigate(page, "Compare")
    page.get_by_role("tab", name="Past runs, without re-running").click()
    page.get_by_role("button", name="Compare these runs").click()
    line = page.get_by_text(re.compile(r"^#2 no_weekend_social against #1 base: cost "
                                       r"[+−]USD [\d,]+ ± [\d,]+")).first
    line.wait_for()
    settle(page)
    above_the_fold(page, "#2 no_weekend_social against #1 base: cost")
    expect(page.get_by_text(re.compile("^Paired by replication")).first).to_be_visible()
    assert "full-time equivalents" in line.inner_text()
    table = page.get_by_test_id("stDataFrame").filter(visible=True).first
    expect(table.get_by_test_id("glide-cell-0-1")).to_have_text("#2 no_weekend_social")
    expect(page.get_by_text(re.compile(r"^#\d+ compare ·"))).to_have_count(0)  # no run
    no_exception(page)
    nothing_cut_off(page)
    page.screenshot(path=shots / "past-runs.png")
    with page.expect_download() as download:
        page.get_by_role("button", name="HTML report").filter(visible=True).click()
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert "#2 no_weekend_social against #1 base: cost " in report


def test_the_manager_compares_variants_optimized_to_the_same_slas(
        page: Page, shots: Path, one_day: Path) -> None:
    """The manager's story: each variant optimized first, then compared paired, with a
    verdict that names any variant missing a target and the paired differences."""
    navigate(page, "Scenario")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(one_day)
    page.get_by_text(f"Loaded {one_day.name}").wait_for()
    navigate(page, "Compare")
    settle(page)
    box = page.get_by_role("checkbox", name=re.compile("^Optimize each variant first"))
    page.get_by_text("Optimize each variant first").click()
    expect(box).to_be_checked()
    page.get_by_role("spinbutton", name="Replications").fill("3")
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_text("Each variant was optimized first").first.wait_for()
    settle(page)
    verdict = page.get_by_text(re.compile("^(Missing a target|Every variant meets)")).first
    above_the_fold(page, verdict.inner_text()[:40])
    said = verdict.inner_text()
    assert said.startswith("Every variant meets") or re.search(
        r"(base|chat_concurrency_2|no_weekend_social) misses", said)
    line = page.get_by_text(re.compile(r"^chat_concurrency_2 against base: cost [+−]USD "
                                       r"[\d,]+ ± [\d,]+")).first
    line.wait_for()
    above_the_fold(page, "chat_concurrency_2 against base: cost")
    expect(page.get_by_text("Difference from the base").filter(visible=True).first
           ).to_be_visible()
    expect(page.get_by_text(re.compile(r"^#\d+ compare ·")).first).to_be_visible()  # listed
    no_exception(page)
    nothing_cut_off(page)
    page.screenshot(path=shots / "compare.png")
    page.get_by_role("tab", name="Cost per channel").click()
    page.get_by_text("Cost per variant, stacked by channel").first.wait_for()
    no_exception(page)
    full_height(page, shots, "compare-cost.png", 1500)


def test_optimize_page_schedules_an_uploaded_scenario(page: Page, shots: Path,
                                                     two_days: Path) -> None:
    navigate(page, "Scenario")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(two_days)
    page.get_by_text(f"Loaded {two_days.name}").wait_for()
    page.get_by_role("heading", name=TWO_DAYS_NAME).wait_for()
    navigate(page, "Optimize")
    expect(page.get_by_role("spinbutton", name="Most iterations")).to_have_value("3")
    page.get_by_role("combobox", name="Variant to optimize").click()
    page.get_by_role("option", name="chat_concurrency_2").click()
    page.get_by_role("button", name="Optimize schedule").click()
    # live progress names the phase while it runs
    page.get_by_text(re.compile(r"^phase: ")).first.wait_for()
    page.get_by_role("heading", name="Iterations").wait_for()
    settle(page)
    page.wait_for_function(PLOTS, arg=3, timeout=WAIT_MS)
    cost = metric(page, "Schedule cost")
    assert cost.startswith("USD ") and int(cost[4:].replace(",", "")) > 0
    rounds = int(metric(page, "Rounds"))
    assert 1 <= rounds <= 3 and int(metric(page, "Agent-shifts")) > 0
    assert metric(page, "Every SLA met") in ("yes", "no")
    for k in range(1, rounds + 1):
        expect(page.get_by_text(re.compile(f"^round {k}: USD ")).first).to_be_visible()
    # the final check, per channel and day
    expect(page.get_by_text("Every channel, every day").first).to_be_visible()
    above_the_fold(page, "Every channel, every day")
    # the headline in words: every SLA met or not, and an unproven gap, first
    expect(page.get_by_text(re.compile(r"(SLA met in simulation|Not proven)")).first
           ).to_be_visible()
    for title in ("Schedule: shifts per group and day", "Coverage against requirement",
                  "Iterations: cost and SLA attainment"):
        expect(page.get_by_text(title).first).to_be_visible()
    legend = set(page.locator(".js-plotly-plot .legendtext").all_text_contents())
    assert {"phone_team", "chat_team", "required", "allocated", "cost"} <= legend
    # the iteration table (drawn on a canvas, which holds it as an accessible table): a column
    # per iteration, a row per figure; the headline's cost is the last one's less the trim's
    table = page.get_by_test_id("stDataFrame").last.locator("table[role='grid']")
    expect(table).to_have_attribute("aria-colcount", str(rounds + 1))
    expect(table.locator("th").first).to_have_text("figure")
    expect(table.locator("th").nth(rounds)).to_have_text(f"iteration {rounds}")
    expect(table.get_by_test_id("glide-cell-0-0")).to_have_text("step")
    expect(table.get_by_test_id("glide-cell-0-1")).to_have_text("cost")
    last = table.get_by_test_id(f"glide-cell-{rounds}-1").inner_text()
    assert int(cost[4:].replace(",", "")) <= int(last[4:].replace(",", ""))
    with page.expect_download() as download:
        page.get_by_role("button", name="optimized scenario (YAML)").click()
    optimized = parse_scenario(Path(download.value.path()).read_text())
    assert optimized.name.startswith(TWO_DAYS_NAME) and optimized.staffing.shifts
    assert optimized.channels["chat"].concurrency.max == 2  # the variant chosen
    expect(page.get_by_role("button", name="schedule.csv")).to_be_visible()
    run = page.get_by_text(re.compile(r"^#\d+ optimize ·")).first  # listed in the sidebar
    expect(run).to_be_visible()
    number = re.match(r"#(\d+)", run.inner_text()).group(1)
    no_exception(page)
    nothing_cut_off(page)
    full_height(page, shots, "optimize.png", 3900)
    # a confirmed choice holds when the page is left at once
    page.get_by_role("button", name="Work on the optimized scenario").click()
    navigate(page, "Scenario")
    expect(page.get_by_text(f"optimized (run #{number})").first).to_be_visible()


def test_every_page_fits_a_wide_screen(page: Page) -> None:
    """At 1920 x 1080 too, nothing is cut off on any page, the latest runs shown."""
    page.set_viewport_size(WIDE)
    try:
        for title in ("Scenario", "Simulate", "Optimize", "Compare", "Glossary"):
            navigate(page, title)
            nothing_cut_off(page)
            no_exception(page)
    finally:
        page.set_viewport_size(VIEWPORT)


#: A chart's grey box before the browser has drawn it, as Streamlit renders it.
DRAWING_BOX = """() => {
  const box = document.createElement('div');
  box.className = 'stPrintGraphic';
  const skeleton = document.createElement('div');
  skeleton.dataset.testid = 'stSkeleton';
  box.appendChild(skeleton);
  document.querySelector('[data-testid="stMain"]').appendChild(box);
  const words = getComputedStyle(skeleton, '::after').content;
  box.remove();
  return words;
}"""


def test_a_chart_not_yet_drawn_says_it_is_being_drawn(page: Page) -> None:
    """The first chart of a visit waits seconds for the chart library: its box says why."""
    navigate(page, "Simulate")
    assert page.evaluate(DRAWING_BOX) == '"Drawing the chart…"'
