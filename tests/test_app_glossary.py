"""The glossary (`omnistaff.ui.glossary`): every technical term the app shows has an entry,
the Glossary page lists them all and finds them, and help tooltips quote the entries."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from omnistaff.ui import cli_app, glossary
from omnistaff.ui.glossary import TERMS, help_for, sorted_terms

MAIN = Path(cli_app.MAIN)
APP = Path(glossary.__file__).parent
#: Jargon the pages, tables and notes use, and the entry that explains each.
JARGON = {"resolved": "resolved", "handled": "handled", "optimality gap": "optimality gap",
          "lower bound": "lower bound", "channel-day": "channel-day",
          "service level": "service level",
          "occupancy": "occupancy", "FTE": "FTE", "full-time equivalents": "FTE",
          "agent-shift": "agent-shift", "shrinkage": "shrinkage",
          "lowering trial": "lowering trial", "trim": "trim", "paired": "paired difference",
          "Welch": "Welch", "half-width": "half-width", "replication": "replication",
          "Erlang A": "Erlang A", "deferred": "deferred channel", "concurrency": "concurrency",
          "premium": "premium", "idle share": "idle share", "deflect": "deflected",
          "escalat": "escalated", "backlog": "backlog", "proven": "proven", "seed": "seed",
          "variant": "variant", "requirement": "requirement", "heat map": "heat map"}


def shown_text() -> str:
    """The string literals of the app's pages and views (what a user may read)."""
    sources = [*APP.glob("app/*.py"), APP / "daily.py", APP / "verdict.py",
               APP.parent / "optimize" / "staffing_gap.py",
               APP / "past_runs.py"]
    return "\n".join(" ".join(re.findall(r'"([^"\n]*)"', p.read_text())) for p in sources)


def test_every_term_the_app_shows_has_an_entry() -> None:
    text = shown_text().lower()
    for word, entry in JARGON.items():
        assert word.lower() in text, f"{word!r} is no longer shown: drop it from JARGON"
        assert entry in TERMS, f"no glossary entry for {word!r}"


def test_help_quotes_the_entries_and_refuses_unknown_terms() -> None:
    said = help_for("FTE", "resolved")
    assert said == f"**FTE**: {TERMS['FTE']}  \n**resolved**: {TERMS['resolved']}"
    try:
        help_for("synergy")
    except KeyError:
        return
    raise AssertionError("an unknown term must not get an empty tooltip")


def test_the_glossary_page_lists_every_term_and_finds_one() -> None:
    at = AppTest.from_file(str(MAIN), default_timeout=60)
    at.run()
    at.switch_page("glossary_page.py").run()
    assert not at.exception and [t.value for t in at.title] == ["Glossary"]
    listed = "\n".join(m.value for m in at.markdown)
    assert all(f"**{term}**: {text}" in listed for term, text in sorted_terms())
    at.text_input[0].set_value("gap").run()
    listed = "\n".join(m.value for m in at.markdown)
    assert "**optimality gap**" in listed and "**resolved**" not in listed
    at.text_input[0].set_value("zzz").run()
    assert any("No entry mentions" in i.value for i in at.info)
