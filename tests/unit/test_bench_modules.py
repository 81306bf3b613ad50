"""Every benchmark under bench/ still imports: a helper renamed or moved elsewhere must not break one silently
(the benchmarks run by hand, not in the suite)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCH.glob("*.py") if p.stem != "__init__"))
def test_the_benchmark_imports_and_has_a_command_line(name):
    module = importlib.import_module(f"bench.{name}")
    if (BENCH / f"{name}.py").read_text(encoding="utf-8").count("if __name__ == \"__main__\""):
        assert callable(getattr(module, "main", None)), f"bench/{name}.py runs as a command but has no main()"
