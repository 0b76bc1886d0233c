"""Écrire un cahier d'exercices noté en Python (format nbgrader + métadonnées coursehelpers).

Exemple complet (voir aussi ``docs/formateur.md``) :

>>> cells = [
...     markdown_cell("# Exercices", grade_id="titre"),
...     solution_cell("taux = 1 - 0.5 ** (1 / 5)", grade_id="q1_reponse", answers=["taux"],
...                   prompt="Calculez le taux annuel de perte."),
...     test_cell(grade_id="q1", points=1, answers={"taux": "Pensez à une racine 5e."},
...               precision="au millième près"),
... ]
>>> nb = new_assignment(cells, title="Démo")
>>> [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]]
['titre', 'verifications', 'q1_reponse', 'q1']
>>> nb["cells"][3]["source"]
'check("q1")'

Les empreintes (cellule technique ``verifications``, ``load_checks("")``) sont remplies par
``coursehelpers build-exercises``, qui exécute la solution : aucune valeur attendue n'est tapée
à la main.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence

import nbformat

from coursehelpers.grading.assignment import SETUP_ID
from coursehelpers.grading.precision import parse_precision

__all__ = ["code_cell", "markdown_answer_cell", "markdown_cell", "new_assignment", "progress_cell",
           "quiz_cell", "setup_cell", "solution_cell", "test_cell"]


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
              points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points if points is not None else 0
    return meta


def _str_literal(text: str, indent: int) -> str:
    """Chaîne Python, coupée en morceaux concaténés pour rester sous 100 caractères."""
    chunks = textwrap.wrap(text, width=76, drop_whitespace=False) or [""]
    if len(chunks) == 1:
        return json.dumps(chunks[0], ensure_ascii=False)
    pad = " " * (indent + 4)
    body = "\n".join(pad + json.dumps(c, ensure_ascii=False) for c in chunks)
    return "(\n" + body + "\n" + " " * indent + ")"


def markdown_cell(text: str, *, grade_id: str | None = None) -> dict:
    """Texte de cours ou d'énoncé ; verrouillé (rétabli à la correction) si ``grade_id`` est donné."""
    cell = nbformat.v4.new_markdown_cell(text.strip())
    if grade_id:
        cell.metadata["nbgrader"] = _nbgrader(grade_id, locked=True)
    return cell


def code_cell(source: str, *, grade_id: str | None = None) -> dict:
    """Cellule de code fournie (imports, chargement des données) ; verrouillée si ``grade_id``."""
    cell = nbformat.v4.new_code_cell(source.strip())
    if grade_id:
        cell.metadata["nbgrader"] = _nbgrader(grade_id, locked=True)
    return cell


def solution_cell(solution: str, *, grade_id: str, answers: Sequence[str] = (), prompt: str = "",
                  given: str = "") -> dict:
    """Cellule à compléter par l'élève.

    Paramètres
    ----------
    solution : str
        Code de la solution (placé entre ``### BEGIN SOLUTION`` et ``### END SOLUTION``).
    grade_id : str
        Identifiant unique de la cellule.
    answers : sequence of str
        Variables réponses affectées par la solution : l'élève verra ``nom = ...``.
    prompt : str
        Consigne courte, écrite en commentaire au-dessus.
    given : str
        Code fourni à l'élève avant la région solution (gardé dans les deux versions).
    """
    lines = [f"# {line}" for line in textwrap.wrap(prompt, 96)] if prompt else []
    if given:
        lines.append(given.strip())
    lines += ["### BEGIN SOLUTION", solution.strip(), "### END SOLUTION"]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["nbgrader"] = _nbgrader(grade_id, solution=True)
    cell.metadata["coursehelpers"] = {"answers": list(answers)}
    return cell


def test_cell(*, grade_id: str, points: float, answers: Mapping[str, str],
              precision: str | Mapping[str, str] | None = None, ordered: bool = False,
              weights: Sequence[float] | None = None, fallback: Mapping[str, str] | None = None,
              hidden: str = "") -> dict:
    """Cellule de vérification verrouillée : une ligne ``check("ex3")`` vue par l'élève.

    Paramètres
    ----------
    answers : mapping
        ``{variable: indice}`` ; l'indice dit où regarder, jamais la réponse. Indices et
        empreintes sont rangés dans la cellule technique, pas dans cette cellule.
    precision : str or mapping, optional
        Précision des nombres en mots d'élève (« au centième près », « à 1 % près »,
        « lecture de graphique : à ±2 près ») ; un texte pour toutes les variables ou
        ``{variable: texte}``. Par défaut : valeur exacte pour un entier, « à 0,01 % près »
        pour un nombre à virgule.
    ordered : bool
        ``True`` seulement si l'ordre des lignes est la compétence notée (un classement).
    weights : sequence of float, optional
        Poids de chaque réponse dans les points de l'exercice (par défaut : parts égales).
    fallback : mapping, optional
        ``{variable: expression Python}`` : valeur de secours que ``secours("variable")`` donne
        aux cellules fournies suivantes quand la réponse de l'élève n'est pas juste (cahier en
        plusieurs étapes). Rangée dans la cellule technique, jamais dans une cellule visible.
    hidden : str
        Code de tests cachés (retiré de la version élève ; utile sous nbgrader).
    """
    lines = [f'check("{grade_id}")']
    if hidden:
        lines += ["### BEGIN HIDDEN TESTS", hidden.strip(), "### END HIDDEN TESTS"]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=True, locked=True, points=points)
    cell.metadata["tags"] = ["raises-exception"]
    meta: dict = {"answers": list(answers), "hints": {k: v for k, v in answers.items() if v}}
    if precision:
        parse = precision.values() if isinstance(precision, Mapping) else [precision]
        for text in parse:
            parse_precision(text)  # erreur claire dès l'écriture du cahier
        meta["precision"] = dict(precision) if isinstance(precision, Mapping) else precision
    if ordered:
        meta["ordered"] = True
    if fallback:
        meta["fallback"] = dict(fallback)
    if weights:
        if len(weights) != len(answers):
            raise ValueError("« weights » doit donner un poids par variable de « answers ».")
        meta["weights"] = list(weights)
    cell.metadata["coursehelpers"] = meta
    return cell


SETUP_SOURCE = ("# Cellule technique : prépare les vérifications (ne pas modifier).\n"
                "from coursehelpers.grading import check, load_checks, progress, secours\n\n"
                "check, progress, secours  # fonctions utilisées par les cellules du cahier\n")


def setup_cell() -> dict:
    """Cellule technique (repliée, verrouillée) : charge les empreintes et indices du cahier.

    ``build-exercises`` remplit ``load_checks("...")`` ; ``new_assignment`` l'ajoute après le titre.
    """
    source = SETUP_SOURCE + 'load_checks("")'
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = _nbgrader(SETUP_ID, locked=True)
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def markdown_answer_cell(*, grade_id: str, points: float, model_answer: str, rubric: str) -> dict:
    """Réponse rédigée, corrigée à la main : la réponse modèle et le barème restent côté formateur."""
    body = f"**Réponse modèle :** {model_answer.strip()}\n\n**Barème :** {rubric.strip()}"
    cell = nbformat.v4.new_markdown_cell(f"### BEGIN SOLUTION\n{body}\n### END SOLUTION")
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=True, solution=True, points=points)
    return cell


def quiz_cell(*, grade_id: str, variable: str, question: str, options: Mapping[str, str] | None = None,
              answer: str) -> dict:
    """Question à choix unique (``options`` : ``{"A": "...", ...}``) ou à réponse courte (``options=None``).

    L'élève répond en écrivant ``variable = "B"`` ou en cliquant dans le widget affiché.
    """
    call = "single_choice" if options else "short_answer"
    lines = ["from coursehelpers.grading import quiz", ""]
    lines.append("### BEGIN SOLUTION")
    lines.append(f"{variable} = {json.dumps(answer, ensure_ascii=False)}")
    lines.append("### END SOLUTION")
    lines.append(f"quiz.{call}(")
    lines.append(f'    "{variable}",')
    lines.append(f"    {_str_literal(question, 4)},")
    if options:
        lines.append("    {")
        lines += [f'        "{k}": {_str_literal(v, 8)},' for k, v in options.items()]
        lines.append("    },")
    lines.append(")")
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["nbgrader"] = _nbgrader(grade_id, solution=True)
    cell.metadata["coursehelpers"] = {"answers": [variable], "quiz": True}
    return cell


def progress_cell(cells: Sequence[dict] = (), *, grade_id: str = "bilan") -> dict:
    """Cellule « bilan » : points obtenus par exercice (lus dans la cellule technique)."""
    return code_cell("bilan = progress()", grade_id=grade_id)


def new_assignment(cells: Sequence[dict], *, title: str) -> nbformat.NotebookNode:
    """Notebook solution complet (noyau Python 3) à écrire avec ``notebook_io.write``."""
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    if not any((c.get("metadata", {}).get("nbgrader") or {}).get("grade_id") == SETUP_ID for c in nb.cells):
        nb.cells.insert(1 if nb.cells and nb.cells[0].get("cell_type") == "markdown" else 0, setup_cell())
    nb.metadata = {
        "coursehelpers": {"title": title},
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb
