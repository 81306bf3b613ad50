"""`make run` serves where PORT and HOST say, 127.0.0.1:5000 by default (issue 13, build 9)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _run_line(*overrides: str) -> str:
    out = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "run", *overrides], check=True, capture_output=True, text=True
    ).stdout
    lines = [line for line in out.splitlines() if "flask run" in line]
    assert len(lines) == 1, out
    return lines[0]


def test_make_run_defaults_to_localhost_5000():
    assert _run_line().endswith("flask run --host 127.0.0.1 --port 5000")


def test_make_run_takes_port_and_host():
    assert _run_line("PORT=8123", "HOST=0.0.0.0").endswith("flask run --host 0.0.0.0 --port 8123")


def test_make_run_prints_the_address_it_serves():
    out = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "run", "PORT=8124"], check=True, capture_output=True, text=True
    ).stdout
    assert "http://127.0.0.1:8124" in out
