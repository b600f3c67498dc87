"""The benchmarks keep working: CI runs them once with tiny sizes. No time is ever asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_quick_benchmark_run_prints_every_measurement_with_its_floor():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("measurement"))
    for column in ("time", "per item", "peak MB", "floor", "floor MB", "× floor", "target"):
        assert column in header
    rows = lines[lines.index(header) + 2 :]
    for measurement in (
        "inspect, one process",
        "inspect (default)",
        "add 5 items",
        "pack",
        "pack writer alone",
        "build",
        "council-papers --help",
    ):
        assert any(row.startswith(measurement) for row in rows), measurement
