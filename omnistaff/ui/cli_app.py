"""`omnistaff ui`: start the Streamlit app headless and print the address to open."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from omnistaff.ui.cli_common import app, console

MAIN = Path(__file__).parent / "app" / "main.py"
#: Largest upload the server accepts, in MB (the app refuses scenario files over 1 MB).
MAX_UPLOAD_MB = 1


def streamlit_command(port: int, address: str) -> list[str]:
    """The `streamlit run` command line of the app."""
    return [sys.executable, "-m", "streamlit", "run", str(MAIN),
            "--server.headless", "true", "--server.port", str(port),
            "--server.address", address, "--server.maxUploadSize", str(MAX_UPLOAD_MB),
            "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]


@app.command("ui")
def ui(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0: every "
                                         "one).")] = "localhost",
) -> None:
    """Start the web app (scenario, simulate, optimize, compare) and print its address."""
    shown = "localhost" if address in ("0.0.0.0", "::") else address
    console.print(f"omnistaff app: open [bold]http://{shown}:{port}[/bold] in a browser "
                  "(Ctrl+C stops it)")
    raise typer.Exit(serve(streamlit_command(port, address)))


def serve(command: list[str]) -> int:
    """Run the server until it stops; stopping this command (SIGTERM, Ctrl+C) stops it too."""
    child = subprocess.Popen(command)
    previous = signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        child.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
