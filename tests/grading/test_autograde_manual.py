"""Réponses rédigées : feuille de notation écrite, remplie, relue ; saisies jamais perdues ; note sur 20."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from tiny_course import edit, save, write_tiny

from coursehelpers.errors import DataError
from coursehelpers.grading import manual, notebook_io
from coursehelpers.grading.autograde import finalize, grade

ANSWERS = {"alice": "Fidéliser coûte moins cher qu'acquérir : exemple de la carte de fidélité.",
           "bruno": "Il faut fidéliser.", "chloe": None}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("redactions")
    solution = write_tiny(tmp)
    exercise = notebook_io.student_version(notebook_io.read(solution))
    (tmp / "rendus").mkdir()
    paths = []
    for name, text in ANSWERS.items():
        nb = edit(exercise, "q1_reponse", "taux = 1 - 0.5 ** (1 / 5)")  # 2 pts automatiques
        if text:
            nb = edit(nb, "q4", text)
        paths.append(save(nb, tmp / "rendus" / f"{name}.ipynb"))
    kw = {"jobs": 1, "timeout": 20, "cache_dir": tmp / "cache", "show_progress": False}
    return {"tmp": tmp, "solution": solution, "paths": paths, "kw": kw, "exercise": exercise}


def _fill(path: Path, student: str, points, comment: str = "") -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["q4"]
    for row in sheet.iter_rows(min_row=6):
        if row[0].value == student:
            row[3].value, row[4].value = points, comment
    book.save(path)


def test_sheet_lists_each_written_answer_beside_the_rubric(course: dict) -> None:
    out = course["tmp"] / "notes.csv"
    rows = grade(course["solution"], course["paths"], out=out, **course["kw"])
    assert [(r["eleve"], r["q4"], r["note_sur_20"], r["statut"]) for r in rows] == [
        ("alice", "à noter", "", "à noter"), ("bruno", "à noter", "", "à noter"), ("chloe", "0", "6,5", "ok")]
    sheet_file = out.with_name("notes-redactions.xlsx")
    sheet = openpyxl.load_workbook(sheet_file)["q4"]
    assert sheet["B2"].value == "1 pt : coût ; 1 pt : exemple."
    assert sheet["B3"].value.startswith("La fidélisation coûte moins cher")
    table = [[c.value for c in row[:4]] for row in sheet.iter_rows(min_row=6)]
    assert table == [["alice", "rendus/alice.ipynb", ANSWERS["alice"], None],
                     ["bruno", "rendus/bruno.ipynb", ANSWERS["bruno"], None]]  # chloé : rien à noter
    assert sheet.data_validations.dataValidation[0].formula2 == "2.0"


def test_points_entered_survive_a_new_batch_run_and_give_the_final_mark(course: dict, tmp_path: Path) -> None:
    out = tmp_path / "notes.csv"  # son propre dossier : ne dépend pas de l'ordre des tests (xdist)
    grade(course["solution"], course["paths"], out=out, **course["kw"])  # première correction
    sheet_file = out.with_name("notes-redactions.xlsx")
    _fill(sheet_file, "alice", 1.5, "Bon exemple, coût à chiffrer.")
    rows = grade(course["solution"], course["paths"], out=out, feedback=tmp_path / "retours",
                 **course["kw"])  # la correction en lot est relancée
    alice, bruno = rows[0], rows[1]
    assert (alice["q4"], alice["total"], alice["maximum"], alice["note_sur_20"], alice["statut"]) == (
        "1,5", "3,5", "6", "11,5", "ok")
    assert (bruno["q4"], bruno["note_sur_20"], bruno["statut"]) == ("à noter", "", "à noter")
    sheet = openpyxl.load_workbook(sheet_file)["q4"]
    assert [(r[0].value, r[3].value, r[4].value) for r in sheet.iter_rows(min_row=6)] == [
        ("alice", 1.5, "Bon exemple, coût à chiffrer."), ("bruno", None, None)]
    feedback = (tmp_path / "retours" / "alice.md").read_text(encoding="utf-8")
    assert "**Note : 11,5 / 20** (3,5 / 6 points)." in feedback
    assert "Points donnés par votre formateur : 1,5 / 2." in feedback
    assert "Commentaire de votre formateur : Bon exemple, coût à chiffrer." in feedback
    # Noter la dernière copie puis refaire le carnet SANS recorriger (finalize) ; échelle sur 10.
    _fill(sheet_file, "bruno", 0.5)
    rows = finalize(out, scale=10, step=0.01)
    assert [r["note_sur_10"] for r in rows] == ["5,83", "4,17", "3,33"]
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].endswith("maximum;note_sur_10;statut;motif")


def test_a_changed_answer_keeps_its_points_and_is_flagged(course: dict, tmp_path: Path) -> None:
    out = tmp_path / "notes.csv"
    paths = course["paths"][:1]
    grade(course["solution"], paths, out=out, **course["kw"])
    _fill(out.with_name("notes-redactions.xlsx"), "alice", 2)
    changed = save(edit(notebook_io.read(paths[0]), "q4", "Une autre réponse, rendue plus tard."),
                   tmp_path / "alice.ipynb")
    rows = grade(course["solution"], [changed], out=out, **course["kw"])
    assert rows[0]["q4"] == "2" and "réponse rédigée modifiée depuis votre notation (q4)" in rows[0]["motif"]


def test_invalid_points_stop_everything_and_name_the_cell(course: dict, tmp_path: Path) -> None:
    out = tmp_path / "notes.csv"
    grade(course["solution"], course["paths"][:2], out=out, **course["kw"])
    sheet_file = out.with_name("notes-redactions.xlsx")
    _fill(sheet_file, "bruno", 5)
    before = sheet_file.read_bytes()
    with pytest.raises(DataError) as err:
        grade(course["solution"], course["paths"][:2], out=out, **course["kw"])
    assert "entre 0 et 2" in str(err.value) and err.value.line == 7 and err.value.column == "q4 / points"
    assert sheet_file.read_bytes() == before  # rien n'est écrasé


def test_csv_sheet_read_back_after_excel_saved_it_in_cp1252(course: dict, tmp_path: Path) -> None:
    """Sans openpyxl, la feuille est un CSV ; Excel la réenregistre en Windows-1252 : elle se relit."""
    sheet_file = tmp_path / "notes-redactions.csv"
    res = [{"eleve": "élodie", "fichier": "e.ipynb", "statut": "ok", "exercices": [
        {"id": "q4", "points": 2, "manual": True, "got": None, "text": "Réponse d'Élodie.",
         "empreinte": manual.answer_sha("Réponse d'Élodie.")}]}]
    solution = notebook_io.read(course["solution"])
    manual.update_sheet(sheet_file, solution, res)
    records = list(csv.DictReader(io.StringIO(sheet_file.read_text(encoding="utf-8-sig")), delimiter=";"))
    records[0]["points"], records[0]["commentaire"] = "1,5", "Précis."
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(records[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(records)
    sheet_file.write_bytes(buf.getvalue().encode("cp1252"))
    entries = manual.read_entries(sheet_file, {"q4": 2})
    assert entries[("élodie", "q4")]["points"] == 1.5
    assert entries[("élodie", "q4")]["commentaire"] == "Précis."
    manual.update_sheet(sheet_file, solution, res)  # réécrite : la saisie reste
    assert manual.read_entries(sheet_file)[("élodie", "q4")]["points"] == 1.5
