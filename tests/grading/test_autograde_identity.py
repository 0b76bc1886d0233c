"""Qui a rendu quoi : disposition nbgrader, homonymes, copie d'un autre devoir, retours par élève."""

from __future__ import annotations

import copy

import pytest
from repo import ROOT
from tiny_course import edit, save, tiny_assignment, write_tiny

from coursehelpers.grading import identity, notebook_io
from coursehelpers.grading.autograde import grade

RIGHT_Q1 = "taux = 1 - 0.5 ** (1 / 5)"


def test_student_ids_from_nbgrader_layout_file_names_and_homonyms() -> None:
    paths = ["cours/submitted/dupont/06_rfm/06_rfm.ipynb", "cours/submitted/durand/06_rfm/06_rfm.ipynb",
             "groupeA/martin.ipynb", "groupeB/martin.ipynb", "rendus/06_rfm/petit/06_rfm.ipynb",
             "rendus/leroy.ipynb"]
    assert identity.student_ids(paths, assignment="06_rfm") == [
        "dupont", "durand", "groupeA/martin", "groupeB/martin", "petit", "leroy"]
    # même nom et mêmes dossiers au-dessus jusqu'à la racine : numérotés, jamais confondus
    assert identity.student_ids(["a/x.ipynb", "b/a/x.ipynb"], assignment="d") == ["a/x", "b/a/x"]
    assert len(set(identity.student_ids(["x.ipynb", "./x.ipynb"], assignment="d"))) == 2
    assert identity.feedback_name("groupeA/dupont") == "groupeA_dupont"


def test_a_copy_of_workbook_00_handed_in_for_06_is_named() -> None:
    reference = notebook_io.student_version(notebook_io.read(ROOT / "solutions" / "06_rfm.ipynb"))
    siblings = sorted(str(p) for p in (ROOT / "solutions").glob("*.ipynb") if "06_rfm" not in p.name)
    other = notebook_io.read(ROOT / "exercises" / "00_prise_en_main.ipynb")
    reason = identity.other_assignment(other, reference, siblings=siblings)
    assert reason == ("copie d'un autre devoir : « Prise en main des exercices notés » (00_prise_en_main), "
                      "pas « La méthode RFM : Récence, Fréquence, Montant »")
    other.metadata.pop("coursehelpers")  # métadonnées perdues : reconnue à ses énoncés
    assert "(00_prise_en_main)" in identity.other_assignment(other, reference, siblings=siblings)
    own = notebook_io.read(ROOT / "exercises" / "06_rfm.ipynb")
    assert identity.other_assignment(own, reference, siblings=siblings) is None
    own.metadata.pop("coursehelpers")
    assert identity.other_assignment(own, reference, siblings=siblings) is None


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("identite")
    solution = write_tiny(tmp)
    other = tiny_assignment()
    other["metadata"]["coursehelpers"]["title"] = "Un autre devoir"
    other["cells"][0]["source"] = "# Un autre devoir\n\nAutre chose."
    notebook_io.write(other, tmp / "solutions" / "02_autre.ipynb")
    exercise = notebook_io.student_version(notebook_io.read(solution))
    right = edit(exercise, "q1_reponse", RIGHT_Q1)
    layout = tmp / "cours" / "submitted"
    paths = []
    for student, nb in (("dupont", right), ("durand", exercise)):
        folder = layout / student / "01_test"
        folder.mkdir(parents=True)
        paths.append(save(nb, folder / "01_test.ipynb"))
    for group, nb in (("groupeA", right), ("groupeB", exercise)):
        (tmp / "cours" / group).mkdir()
        paths.append(save(copy.deepcopy(nb), tmp / "cours" / group / "martin.ipynb"))
    paths.append(save(notebook_io.student_version(other), tmp / "cours" / "leroy.ipynb"))
    paths.append(paths[0])  # le même fichier donné deux fois : une seule ligne
    rows = grade(solution, paths, out=tmp / "notes.csv", feedback=tmp / "retours", jobs=1, timeout=20,
                 cache_dir=tmp / "cache", show_progress=False)
    return {"rows": rows, "tmp": tmp}


def test_rows_are_named_by_student_and_never_collapse(graded: dict) -> None:
    rows = graded["rows"]
    assert [r["eleve"] for r in rows] == ["dupont", "durand", "groupeA/martin", "groupeB/martin", "leroy"]
    assert [r["fichier"] for r in rows] == [
        "cours/submitted/dupont/01_test/01_test.ipynb", "cours/submitted/durand/01_test/01_test.ipynb",
        "cours/groupeA/martin.ipynb", "cours/groupeB/martin.ipynb", "cours/leroy.ipynb"]
    assert [r["q1"] for r in rows[:4]] == ["2", "0", "2", "0"]


def test_another_assignment_gets_its_own_status_and_a_one_line_reason(graded: dict) -> None:
    leroy = graded["rows"][-1]
    assert leroy["statut"] == "autre devoir"
    assert leroy["motif"] == ("copie d'un autre devoir : « Un autre devoir » (02_autre), "
                              "pas « Devoir de test »")
    assert (leroy["q1"], leroy["total"], leroy["note_sur_20"]) == ("", "", "")  # pas de 0 inventé


def test_feedback_files_are_named_by_student(graded: dict) -> None:
    names = sorted(p.name for p in (graded["tmp"] / "retours").iterdir())
    assert names == ["dupont.md", "durand.md", "groupeA_martin.md", "groupeB_martin.md", "leroy.md"]
    text = (graded["tmp"] / "retours" / "groupeA_martin.md").read_text(encoding="utf-8")
    assert text.startswith("# Retour de correction — groupeA/martin\n")
    other = (graded["tmp"] / "retours" / "leroy.md").read_text(encoding="utf-8")
    assert "Pas de note pour l'instant" in other
