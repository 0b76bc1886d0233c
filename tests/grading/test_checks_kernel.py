"""Dans un vrai noyau : cellule de réponse en erreur, erreurs expliquées en français, même verdict au
correcteur en lot (revue 2026-12, section 1 « état périmé » et section 3 « traces en anglais »)."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from tiny_course import edit, save, write_tiny

from coursehelpers.grading import notebook_io
from coursehelpers.grading.autograde import grade
from coursehelpers.grading.build import build_exercises

RIGHT = "taux = 1 - 0.5 ** (1 / 5)"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("noyau")
    write_tiny(tmp)
    assert build_exercises(tmp / "solutions", tmp / "exercises").ok
    return tmp


def _run(nb: dict, tmp: Path) -> dict[str, list[str]]:
    """Exécute comme « tout exécuter » (sans s'arrêter) ; texte affiché par cellule (grade_id ou n°)."""
    run = nbformat.from_dict(copy.deepcopy(nb))
    NotebookClient(run, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp)}}).execute()
    out: dict[str, list[str]] = {}
    for i, cell in enumerate(run.cells):
        key = notebook_io.grade_id(cell) or f"cellule {i}"
        texts = out.setdefault(key, [])
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            texts.append(o.get("text", "") + data.get("text/plain", "") + data.get("text/html", "")
                         + "\n".join(o.get("traceback", [])))
    return out


def _student(course: Path, answer: str, *, extra: str | None = None) -> dict:
    nb = notebook_io.read(course / "exercises" / "01_test.ipynb")
    nb = edit(nb, "q1_reponse", answer)
    if extra is not None:  # cellule ajoutée par l'élève juste après sa réponse
        i = next(i for i, c in enumerate(nb["cells"]) if notebook_io.grade_id(c) == "q1_reponse")
        nb["cells"].insert(i + 1, nbformat.v4.new_code_cell(extra))
    return nb


def test_failed_answer_cell_is_reported_in_the_notebook_and_by_the_grader(course: Path,
                                                                          tmp_path: Path) -> None:
    # L'essai : la cellule lève, la vérification jugeait la valeur laissée par un essai précédent.
    nb = _student(course, RIGHT + '\nclients_fideles = ventes["client"]')
    shown = _run(nb, tmp_path)
    q1 = "".join(shown["q1"])
    assert "La cellule de l'exercice q1 s'est arrêtée sur une erreur : « ventes » n'est pas défini" in q1
    assert "c'est juste" not in q1 and "n'existe pas : exécutez" not in q1
    answer = "".join(shown["q1_reponse"])
    assert answer.index("Erreur — « ventes » n'est pas défini") < answer.index("NameError: name 'ventes'")
    assert "Traceback (most recent call last)" not in answer.split("<details")[0]  # trace repliée
    rows = grade(course / "solutions" / "01_test.ipynb", [save(nb, tmp_path / "copie.ipynb")],
                 out=tmp_path / "notes.csv", feedback=tmp_path / "retours", jobs=1,
                 cache_dir=tmp_path / "cache", show_progress=False)
    assert rows[0]["q1"] == "0"
    feedback = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "retours").rglob("*.md"))
    assert ("La cellule de l'exercice q1 s'est arrêtée sur une erreur : « ventes » n'est pas défini"
            in feedback)


def test_a_fix_in_a_new_cell_counts_on_both_sides(course: Path, tmp_path: Path) -> None:
    nb = _student(course, 'taux = {}["x"]', extra=RIGHT)
    shown = _run(nb, tmp_path)
    assert "".join(shown["q1"]).startswith("Juste — exercice q1 : 2 / 2 points")
    rows = grade(course / "solutions" / "01_test.ipynb", [save(nb, tmp_path / "copie.ipynb")],
                 out=tmp_path / "notes.csv", jobs=1, cache_dir=tmp_path / "cache", show_progress=False)
    assert rows[0]["q1"] == "2"


def test_common_errors_are_explained_in_french_first(course: Path, tmp_path: Path) -> None:
    nb = notebook_io.read(course / "exercises" / "01_test.ipynb")
    cases = {
        "import pandas as pd\npd.DataFrame({'client_id': [1]})['client']": "colonne ou étiquette « client »",
        "import pandas as pd\npd.DataFrame({'a': ['x', 'y'], 'b': ['u', 'v']}).groupby('a')['b'].mean()":
            "calcul impossible sur du texte",
        "b'\\xe9'.decode('utf-8')": "le fichier n'est pas encodé en UTF-8",
    }
    i = next(i for i, c in enumerate(nb["cells"]) if notebook_io.grade_id(c) == "q1_reponse")
    for k, source in enumerate(cases):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade_id": f"essai{k}"}
        nb["cells"].insert(i + 1 + k, cell)
    shown = _run(nb, tmp_path)
    for k, words in enumerate(cases.values()):
        text = "".join(shown[f"essai{k}"])
        assert text.startswith("Erreur — ") and words in text, text[:300]


def test_tampering_with_the_technical_cell_or_a_check_changes_nothing(course: Path, tmp_path: Path) -> None:
    """Cellule technique vidée et vérification remplacée : le correcteur remet les originaux."""
    nb = _student(course, "taux = 0.5")
    nb = edit(nb, "verifications",
              "from coursehelpers.grading import check, progress, secours\nload_checks = print")
    nb = edit(nb, "q1", 'print("Juste — exercice q1 : 2 / 2 points")')
    rows = grade(course / "solutions" / "01_test.ipynb", [save(nb, tmp_path / "triche.ipynb")],
                 out=tmp_path / "notes.csv", jobs=1, cache_dir=tmp_path / "cache", show_progress=False)
    assert rows[0]["q1"] == "0"
    assert "verifications" in rows[0]["motif"] and "q1" in rows[0]["motif"]
