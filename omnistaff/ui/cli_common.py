"""Shared pieces of the `omnistaff` command line: the app, scenario resolution, errors,
progress bars. Command modules register on `app`; `omnistaff.ui.cli` imports them all."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from omnistaff.scenarios.limits import MAX_REPLICATIONS

if TYPE_CHECKING:  # imported where used: the help and light commands start without them
    from rich.progress import Progress

    from omnistaff.scenarios import Scenario

app = typer.Typer(
    help="omnistaff: simulate, optimize and compare multichannel contact-center staffing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(width=None if sys.stdout.isatty() else 130)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 130)

ScenarioArg = Annotated[str, typer.Argument(
    help="A scenario YAML file, or the name of a bundled scenario (see `omnistaff library`).")]
VariantOpt = Annotated[str | None, typer.Option(help="Apply this named variant.")]
ReplicationsOpt = Annotated[int | None, typer.Option(
    min=1, max=MAX_REPLICATIONS, help="Replications (default: the scenario's).")]
WorkersOpt = Annotated[int, typer.Option(min=1, max=256, help="Local worker processes.")]
#: Local worker processes unless asked: two where the machine has them.
DEFAULT_WORKERS = min(2, os.cpu_count() or 1)
DaskOpt = Annotated[str | None, typer.Option(help="Run on the Dask scheduler at this address, "
                                             "e.g. tcp://10.0.0.5:8786.")]
_DASK_ADDRESS = re.compile(r"^(tcp|tls|ucx)://[A-Za-z0-9.\-\[\]:]{1,255}:\d{1,5}$")


def resolve_path(source: str) -> Path:
    """A scenario file by path, or by the name of a bundled scenario."""
    from omnistaff.scenarios import bundled_scenarios

    bundled = bundled_scenarios()
    path = Path(source)
    if not path.exists() and source.removesuffix(".yaml") in bundled:
        return bundled[source.removesuffix(".yaml")]
    return path


def resolve_scenario(source: str, variant: str | None = None) -> Scenario:
    """Load a file or bundled scenario and apply a variant; exit with clear problems."""
    from omnistaff.scenarios import ScenarioError, VariantError
    from omnistaff.scenarios import load_scenario as load_file

    try:
        scenario = load_file(resolve_path(source))
        return scenario.variant(variant) if variant else scenario
    except ScenarioError as exc:
        fail(str(exc))
    except VariantError as exc:
        fail(f"--variant: {exc}")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear error and exit (never a traceback)."""
    errors.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def progress_bar() -> Progress:
    """A progress bar on standard error."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=errors)


def check_out(folder: Path) -> Path:
    """The output folder, created and known writable before any work starts; else exit."""
    if folder.exists() and not folder.is_dir():
        fail(f"--out: '{folder}' is a file; give a folder path")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        fail(f"--out: cannot write to '{folder}' ({exc.strerror or exc}); choose a folder you "
             "can write to")
    return folder


def check_dask(address: str | None) -> None:
    """Exit with a clear message unless `address` looks like a Dask scheduler address."""
    if address is not None and not _DASK_ADDRESS.match(address):
        shown = address if len(address) <= 80 else f"{address[:80]}..."
        fail(f"--dask: '{shown}' is not a scheduler address; write it as tcp://HOST:PORT, e.g. "
             "tcp://10.0.0.5:8786")


@contextmanager
def executor_errors(dask: str | None) -> Iterator[None]:
    """Turn a Dask cluster that cannot be reached into one clear message."""
    try:
        yield
    except OSError as exc:
        if not dask:
            raise
        fail(f"--dask: cannot reach the scheduler at {dask} ({exc}); check the address and "
             "that the scheduler runs")


def announce_size(scenario: Scenario, replications: int, runs: int = 1) -> None:
    """Say how large a run is before it starts: contacts to simulate."""
    from omnistaff.scenarios.size import expected_contacts

    contacts = sum(expected_contacts(scenario).values())
    total = contacts * replications * runs
    errors.print(f"up to about {contacts:,.0f} contacts per replication; "
                 f"{replications * runs:,} replication(s), about {total:,.0f} contacts in all",
                 highlight=False)


def default_out(source: str, variant: str | None = None, suffix: str = "") -> Path:
    """omnistaff-out/<scenario>[-variant][-suffix]."""
    parts = [Path(source).stem, variant or "", suffix]
    return Path("omnistaff-out") / "-".join(p for p in parts if p)
