"""Shared pieces of the `omnistaff` command line: the app, scenario resolution, errors,
progress bars. Command modules register on `app`; `omnistaff.ui.cli` imports them all."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from omnistaff.scenarios import Scenario, ScenarioError, VariantError, bundled_scenarios
from omnistaff.scenarios import load_scenario as load_file

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


def resolve_path(source: str) -> Path:
    """A scenario file by path, or by the name of a bundled scenario."""
    bundled = bundled_scenarios()
    path = Path(source)
    if not path.exists() and source.removesuffix(".yaml") in bundled:
        return bundled[source.removesuffix(".yaml")]
    return path


def resolve_scenario(source: str, variant: str | None = None) -> Scenario:
    """Load a file or bundled scenario and apply a variant; exit with clear problems."""
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
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=errors)


def default_out(source: str, variant: str | None = None, suffix: str = "") -> Path:
    """omnistaff-out/<scenario>[-variant][-suffix]."""
    parts = [Path(source).stem, variant or "", suffix]
    return Path("omnistaff-out") / "-".join(p for p in parts if p)
