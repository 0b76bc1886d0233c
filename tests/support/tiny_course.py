"""Petit devoir de test écrit avec l'aide à la rédaction, partagé par les tests de grading.

Volontairement sans pandas : un noyau démarre plus vite, la série de copies reste rapide.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from coursehelpers.grading import authoring as a
from coursehelpers.grading import notebook_io

SOLUTION_LINES = ["taux = 1 - 0.5 ** (1 / 5)", 'clients = sorted(["durand", "martin", "bernard"])',
                  "La fidélisation coûte moins cher"]
HIDDEN = "assert isinstance(clients, list), 'liste attendue'"


def tiny_assignment() -> dict:
    cells = [
        a.markdown_cell("# Devoir de test\n\nRépondez aux questions.", grade_id="titre"),
        a.solution_cell(SOLUTION_LINES[0], grade_id="q1_reponse", answers=["taux"],
                        prompt="Une entreprise perd la moitié de ses clients en 5 ans : taux annuel ?"),
        a.test_cell(grade_id="q1", points=2, answers={"taux": "Cherchez t tel que (1 - t)^5 = 0,5."}),
        a.solution_cell(SOLUTION_LINES[1], grade_id="q2_reponse", answers=["clients"],
                        prompt="Liste triée des clients."),
        a.test_cell(grade_id="q2", points=1, answers={"clients": "Utilisez sorted()."}, hidden=HIDDEN),
        a.quiz_cell(grade_id="q3_reponse", variable="reponse_q3", question="Quel outil mesure la "
                    "fidélité ?", options={"A": "Le CA", "B": "Le taux de réachat"}, answer="B"),
        a.test_cell(grade_id="q3", points=1, answers={"reponse_q3": ""}),
        a.markdown_answer_cell(grade_id="q4", points=2, model_answer=SOLUTION_LINES[2] + " qu'acquérir.",
                               rubric="1 pt : coût ; 1 pt : exemple."),
    ]
    cells.append(a.progress_cell(cells))
    return a.new_assignment(cells, title="Devoir de test")


def write_tiny(folder: Path) -> Path:
    return notebook_io.write(tiny_assignment(), folder / "solutions" / "01_test.ipynb")


def edit(nb: dict, grade_id: str, source: str | None) -> dict:
    """Copie de ``nb`` où la cellule ``grade_id`` reçoit ``source`` (``None`` : cellule supprimée)."""
    out = copy.deepcopy(nb)
    cells = []
    for cell in out["cells"]:
        if notebook_io.grade_id(cell) == grade_id:
            if source is None:
                continue
            cell["source"] = source
        cells.append(cell)
    out["cells"] = cells
    return out


def save(nb: dict, path: Path) -> Path:
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path
