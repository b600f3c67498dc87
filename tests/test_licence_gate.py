"""The CI licence gate (.ci/licences) fails when a GPL or AGPL package enters the default install.

Throwaway packages are made as bare .dist-info folders on PYTHONPATH, each declaring
its licence one of the ways real packages do; a throwaway app depends on one of them.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

LICENCES = {
    "fake-expression": ("2.4", "License-Expression: GPL-3.0-or-later"),
    "fake-affero-classifier": (
        "2.1",
        "Classifier: License :: OSI Approved :: GNU Affero General Public License v3",
    ),
    "fake-license-field": ("2.1", "License: GNU General Public License v3"),
    "fake-mixed": (
        "2.1",
        "License: GNU General Public License v3\nClassifier: License :: OSI Approved :: MIT License",
    ),
    "fake-agpl-expression": ("2.4", "License-Expression: AGPL-3.0-only"),
    "fake-mit": ("2.4", "License-Expression: MIT"),
}


def dist(site, name: str, metadata: str, version: str = "2.1") -> None:
    folder = site / f"{name.replace('-', '_')}-1.0.dist-info"
    folder.mkdir()
    (folder / "METADATA").write_text(
        f"Metadata-Version: {version}\nName: {name}\nVersion: 1.0\n{metadata}\n"
    )
    (folder / "RECORD").write_text("")


def gate(site) -> subprocess.CompletedProcess[str]:
    # the gate runs this test's own Python, whatever `python` is first on PATH
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHON": sys.executable}
    return subprocess.run(
        ["bash", str(ROOT / ".ci" / "licences"), "fake-app"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("dependency", [n for n in LICENCES if n != "fake-mit"])
def test_the_gate_fails_on_a_gpl_dependency_however_it_is_declared(tmp_path, dependency):
    for name, (version, metadata) in LICENCES.items():
        dist(tmp_path, name, metadata, version)
    dist(
        tmp_path,
        "fake-app",
        f"Requires-Dist: fake-mit\nRequires-Dist: {dependency}\n"
        "Requires-Dist: fake-expression ; extra == 'dev'",
    )
    result = gate(tmp_path)
    assert result.returncode != 0, result.stdout
    # it failed because pip-licenses found the GPL package, not because the gate broke
    assert dependency in result.stdout + result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "No module named" not in result.stderr


def test_the_gate_passes_a_permissive_install_and_ignores_extras(tmp_path):
    for name, (version, metadata) in LICENCES.items():
        dist(tmp_path, name, metadata, version)
    dist(
        tmp_path,
        "fake-app",
        "Requires-Dist: fake-mit\nRequires-Dist: fake-expression ; extra == 'dev'",
    )
    result = gate(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "licence gate: 1 dependencies, none GPL or AGPL" in result.stdout
