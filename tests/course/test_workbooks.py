"""Chaque cahier d'exercices, corrigé par `coursehelpers grade` :
la version élève intacte vaut 0 (statut « non remplie »), la solution complète a tous les points
automatiques, et ses réponses rédigées restent « à noter » par le formateur (pas encore de note sur 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo import ROOT, SOLUTIONS

from coursehelpers.grading import notebook_io
from coursehelpers.grading.autograde import grade


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
    summary = notebook_io.points_summary(notebook_io.read(solution))
    auto, manual = summary["auto"], summary["manuels"]
    assert auto > 0 and len(manual) >= 1, "un cahier a des points automatiques et une réponse rédigée"
    assert (_number(empty["total"]), empty["statut"]) == (0.0, "non remplie"), empty
    assert empty["note_sur_20"] == "0", empty
    assert empty["motif"].startswith("aucun exercice commencé"), empty
    assert full["statut"] == "à noter", full
    assert _number(full["total"]) == auto, full
    assert _number(full["maximum"]) == auto + summary["rediges"], full
    assert full["note_sur_20"] == "", full
    for grade_id in manual:
        assert full[grade_id] == "à noter"


def test_readme_lists_every_workbook_with_its_points() -> None:
    """Le plan du cours (README) donne, pour chaque cahier, le nombre d'exercices et le barème."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.groups()[1:4] for m in re.finditer(
        r"^\| `(\d\d_\w+)` \| (\d+) \| (\d+) \| (\d+) \|", readme, flags=re.MULTILINE)}
    assert sorted(rows) == [p.stem for p in SOLUTIONS]
    for path in SOLUTIONS:
        s = notebook_io.points_summary(notebook_io.read(path))
        expected = (str(s["exercices"]), f"{s['auto']:g}", f"{s['rediges']:g}")
        assert rows[path.stem] == expected, path.stem
