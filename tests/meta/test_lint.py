"""ruff vérifie le code ET les notebooks (configuration dans pyproject.toml)."""

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


def test_no_source_file_is_huge() -> None:
    """Un module = un concept : aucun fichier Python au-delà de ~400 lignes."""
    too_long = []
    for path in [*ROOT.glob("src/**/*.py"), *ROOT.glob("tests/**/*.py"),
                 *ROOT.glob("benchmarks/*.py")]:
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > 450:
            too_long.append(f"{path.relative_to(ROOT)} ({n} lignes)")
    assert not too_long, "fichiers trop longs : " + ", ".join(too_long)
