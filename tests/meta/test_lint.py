"""ruff vérifie le code ET les notebooks (configuration dans pyproject.toml).

La taille des modules n'est plus plafonnée (un module cohérent peut être long) : c'est
l'architecture qui est vérifiée, par tests/meta/test_architecture.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from repo import ROOT


def _ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ruff")
    assert found, "ruff est introuvable : installez les extras de test (pip install -e '.[test]')"
    return [found]


def test_ruff_code_and_notebooks() -> None:
    result = subprocess.run([*_ruff(), "check", "--no-cache", "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
