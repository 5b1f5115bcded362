"""The bundled sample log: what the README and docs/fit.md say of it holds, and the script
writes it again from its seed."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from omnistaff.fit import fit_contact_log, read_contact_log

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "examples/fit/sample_contacts.csv.gz"


def test_sample_fits_as_the_docs_say() -> None:
    fitted = fit_contact_log(read_contact_log(SAMPLE), 30, deferred=("email",))
    assert set(fitted.channels) == {"phone", "chat", "email"}
    assert sum(len(c.arrivals.observed) == 56 for c in fitted.channels.values()) == 3
    phone = fitted.channels["phone"]
    assert phone.arrivals.weekday_counts[6].sum() == 0  # phone is closed on Sundays
    # made with patience 240 s (phone) and 420 s (chat): inside the fitted intervals
    assert phone.patience.mean_low <= 240 <= phone.patience.mean_high
    chat = fitted.channels["chat"].patience
    assert chat.mean_low <= 420 <= chat.mean_high
    # a busy-day factor shared by every channel: every pair is linked
    assert len(fitted.shared.linked) == 3
    (factor,) = fitted.shared.factors
    assert factor.channels == ("chat", "email", "phone") and factor.low <= 0.10 <= factor.high
    assert fitted.groups == {"phone_team": ["phone"], "digital_team": ["chat", "email"]}


@pytest.mark.slow
def test_script_writes_the_sample_again(tmp_path: Path) -> None:
    out = tmp_path / "sample_contacts.csv.gz"
    subprocess.run([sys.executable, str(ROOT / "scripts/make_sample_log.py"), "--out",
                    str(out)], check=True, capture_output=True)
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(SAMPLE.read_bytes())
