"""Chaque cahier d'exercices, corrigé par `coursehelpers grade` :
la version élève intacte vaut 0 (« copie non remplie »), la solution complète vaut le maximum,
et les réponses rédigées restent « à corriger » par le formateur."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursehelpers.grading import notebook_io
from coursehelpers.grading.autograde import grade

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


def _points(path: Path) -> tuple[float, list[str]]:
    """Points automatiques attendus et exercices rédigés, lus dans les métadonnées nbgrader."""
    auto, manual = 0.0, []
    for cell in notebook_io.read(path)["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade"):
            continue
        if cell["cell_type"] == "markdown":
            manual.append(meta["grade_id"])
        else:
            auto += float(meta.get("points", 0))
    return auto, manual


def _number(text: str) -> float:
    return float(str(text).replace(",", "."))


@pytest.mark.notebook
@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_untouched_scores_zero_and_solved_scores_the_maximum(solution: Path, tmp_path: Path) -> None:
    exercise = ROOT / "exercises" / solution.name
    untouched = tmp_path / "intact.ipynb"
    untouched.write_bytes(exercise.read_bytes())
    solved = tmp_path / "resolu.ipynb"
    solved.write_bytes(solution.read_bytes())
    rows = grade(solution, [untouched, solved], out=tmp_path / "notes.csv", jobs=1,
                 cache_dir=tmp_path / "cache", show_progress=False)
    empty, full = rows
    auto, manual = _points(solution)
    assert auto > 0 and len(manual) >= 1, "un cahier a des points automatiques et une réponse rédigée"
    assert (_number(empty["total"]), empty["statut"]) == (0.0, "ok"), empty
    assert "copie non remplie" in empty["motif"]
    assert full["statut"] == "ok", full
    assert _number(full["total"]) == _number(full["maximum"]) == auto, full
    for grade_id in manual:
        assert full[grade_id] == "à corriger"
