"""``exercices --check`` et ``exercices`` donnent la même consigne pour un exercice périmé.

Un exercice seulement ouvert et réenregistré (métadonnées du noyau ajoutées) est remplacé par la
commande que ``--check`` indique ; un exercice exécuté ou complété demande ``--force``, et
``--check`` le dit déjà (jamais « lancez X » suivi de X qui refuse).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tiny_course import write_tiny

from coursehelpers.grading import notebook_io
from coursehelpers.grading.build import build_exercises, solution_sha


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coursehelpers", "exercices", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180)


def _make_stale(tmp: Path) -> None:
    src = notebook_io.read(tmp / "solutions" / "01_test.ipynb")
    src["cells"][0]["source"] += "\n\nUne phrase de plus."
    src["metadata"]["coursehelpers"]["signed_sha"] = solution_sha(src)  # pas de ré-exécution
    notebook_io.write(src, tmp / "solutions" / "01_test.ipynb")


def test_check_and_build_agree_for_opened_and_for_edited_exercises(tmp_path: Path) -> None:
    write_tiny(tmp_path)
    assert build_exercises(tmp_path / "solutions", tmp_path / "exercises", cache_dir=tmp_path / "c").ok
    target = tmp_path / "exercises" / "01_test.ipynb"
    # 1. ouvert et réenregistré par JupyterLab : seules les métadonnées changent
    nb = json.loads(target.read_text(encoding="utf-8"))
    nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                    "language": "python"}
    target.write_text(json.dumps(nb, indent=2), encoding="utf-8")
    _make_stale(tmp_path)
    check = _cli("--check", cwd=tmp_path)
    assert check.returncode == 1 and "exercises/01_test.ipynb : périmé" in check.stderr
    assert "Lancez « coursehelpers exercices » puis" in check.stderr and "--force" not in check.stderr
    assert _cli(cwd=tmp_path).returncode == 0  # la commande indiquée fonctionne
    # 2. exécuté / complété par quelqu'un : --check annonce déjà --force
    nb = json.loads(target.read_text(encoding="utf-8"))
    nb["cells"][1]["source"] = "taux = 0.13  # mon travail"
    target.write_text(json.dumps(nb), encoding="utf-8")
    _make_stale(tmp_path)
    check = _cli("--check", cwd=tmp_path)
    assert check.returncode == 1
    assert "modifié depuis sa génération" in check.stderr
    assert "Lancez « coursehelpers exercices --force » puis" in check.stderr
    plain = _cli(cwd=tmp_path)
    assert plain.returncode == 1 and "REFUSÉ" in plain.stderr and "--force" in plain.stderr
    assert _cli("--force", cwd=tmp_path).returncode == 0
    assert _cli("--check", cwd=tmp_path).returncode == 0
