"""Une seule série de rubriques numpydoc, en français, dans toutes les docstrings du paquet.

Rubriques admises : ``Paramètres``, ``Renvoie``, ``Lève``, ``Avertit``, ``Exemples`` (et, pour
une classe, ``Attributs`` et ``Méthodes`` ; ``Notes``) dans les docstrings des fonctions et des
classes. Une rubrique est une ligne suivie d'un soulignement de tirets de la même longueur. (La
docstring d'un module est un texte libre : ses intertitres ne sont pas des rubriques numpydoc.)
"""

from __future__ import annotations

import ast
import re
from itertools import pairwise

from repo import ROOT

ALLOWED = {"Paramètres", "Renvoie", "Lève", "Avertit", "Exemples", "Attributs", "Méthodes", "Notes"}
#: Fichiers d'autres tickets pas encore passés aux rubriques françaises (chaque entrée nomme son
#: ticket) ; une entrée devenue inutile fait échouer le test.
KNOWN: dict[str, str] = {}


def _headers() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "src" / "coursehelpers").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            lines = (ast.get_docstring(node, clean=True) or "").split("\n")
            for title, rule in pairwise(lines):
                if re.fullmatch(r"-{3,}", rule.strip()) and title.strip():
                    name = str(path.relative_to(ROOT))
                    found.setdefault(name, set()).add(title.strip())
                    assert len(rule.strip()) == len(title.strip()), f"{name} : soulignement de « {title} »"
    return found


def test_numpydoc_headers_are_the_french_set() -> None:
    wrong = {path: sorted(titles - ALLOWED) for path, titles in _headers().items() if titles - ALLOWED}
    new = {path: titles for path, titles in wrong.items() if path not in KNOWN}
    assert not new, f"rubriques hors de la série française : {new}"
    fixed = sorted(set(KNOWN) - set(wrong))
    assert not fixed, f"retirez de KNOWN (rubriques déjà corrigées) : {fixed}"
