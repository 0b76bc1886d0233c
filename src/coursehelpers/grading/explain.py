"""Erreurs Python fréquentes des débutants expliquées en français ; variables affectées par une cellule."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

__all__ = ["assigned_names", "exercise_label", "explain_error"]


def exercise_label(grade_id: str | None) -> str:
    """``ex4`` → « exercice 4 » (identifiant gardé tel quel s'il n'a pas de numéro)."""
    m = re.fullmatch(r"ex(\d+)\w*", grade_id or "")
    return f"exercice {m.group(1)}" if m else f"exercice {grade_id}"


def explain_error(ename: str, evalue: str, *, owners: Mapping[str, str] | None = None,
                  exercise: str | None = None) -> str:
    """Explication courte, en français, d'une erreur Python fréquente chez un débutant.

    >>> explain_error("KeyError", "'client'")
    'colonne ou étiquette « client » introuvable : vérifiez son nom exact (ex. « client_id »).'
    >>> explain_error("NameError", "name 'table' is not defined", owners={"table": "ex1"}, exercise="ex3")
    "« table » n'existe pas encore : faites d'abord l'exercice 1."
    """
    first = (str(evalue).strip().splitlines() or [""])[0]
    if ename == "Dependance":  # variable d'un autre exercice encore à « ... »
        owner = (owners or {}).get(first)
        return (f"« {first} » n'est pas encore calculé : faites d'abord l'{exercise_label(owner)}."
                if owner else f"« {first} » n'est pas encore calculé.")
    if ename == "NameError":
        m = re.search(r"name '(\w+)' is not defined", first)
        var = m.group(1) if m else "?"
        owner = (owners or {}).get(var)
        if owner and owner != exercise:
            return f"« {var} » n'existe pas encore : faites d'abord l'{exercise_label(owner)}."
        return (f"« {var} » n'est pas défini : faute de frappe (majuscules, accents) ou cellule "
                "précédente pas encore exécutée ?")
    if ename == "KeyError":
        key = first.strip("'\"")
        return f"colonne ou étiquette « {key} » introuvable : vérifiez son nom exact (ex. « client_id »)."
    if ename == "TypeError" and re.search(r"does not support|could not convert|agg function failed|"
                                          r"unsupported operand|not supported between", first, re.I):
        return ("calcul impossible sur du texte (une moyenne ou une somme sur une colonne de noms ?) : "
                "sélectionnez d'abord la colonne de nombres, par exemple groupby(...)[\"montant\"].sum().")
    if ename == "UnicodeDecodeError":
        return ("le fichier n'est pas encodé en UTF-8 (export Windows) : lisez-le avec read_crm_export, "
                "ou read_csv(..., encoding=\"cp1252\").")
    if ename in ("SyntaxError", "IndentationError"):
        return "erreur de syntaxe : parenthèse, guillemet ou deux-points oublié ?"
    if ename == "AttributeError" and "ellipsis" in first:
        return "un « ... » n'a pas encore été remplacé par votre calcul (ici ou dans un exercice précédent)."
    if ename == "AttributeError" and "NoneType" in first:
        return "une variable vaut None : print() utilisé au lieu d'une affectation ?"
    if ename == "AttributeError":
        m = re.search(r"has no attribute '(\w+)'", first)
        return (f"« .{m.group(1)} » n'existe pas pour cet objet : faute de frappe, ou colonne à lire "
                f"avec [\"{m.group(1)}\"] ?") if m else f"{ename} : {first}"
    if ename == "ZeroDivisionError":
        return "division par zéro : le dénominateur vaut 0 (filtre qui ne garde aucune ligne ?)."
    return f"{ename} : {first}" if first else ename


def assigned_names(source: str) -> set[str]:
    """Variables affectées au premier niveau d'une cellule (``x = ...``, ``x += ...``, ``for x in``).

    >>> sorted(assigned_names("a = 1\\nb, c = 2, 3\\nd += 1"))
    ['a', 'b', 'c', 'd']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(re.findall(r"^\s*([A-Za-z_]\w*)\s*[+\-*/]?=(?!=)", source, flags=re.M))
    out: set[str] = set()
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.For | ast.With):
            targets = [node.target] if isinstance(node, ast.For) else [i.optional_vars for i in node.items
                                                                        if i.optional_vars]
        for t in targets:
            out.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
    return out
