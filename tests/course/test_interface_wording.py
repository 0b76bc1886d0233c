"""Les textes du cours nomment les menus exactement comme l'interface française les affiche.

Chapitres, cahiers (solutions et exercices), ``LISEZ-MOI.md`` de l'espace élève et README : tout chemin de
menu cité en gras ou en italique (« **Noyau → …** ») doit être l'un des chemins de
``interface_fr.menu_paths()``, dont les libellés sont calculés depuis le paquet de langue installé (et
vérifiés dans l'interface par ``test_browser_french.py``). Une seule façon de citer chaque action :
ni variante maison (« Redémarrer et tout exécuter »), ni libellé anglais.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from interface_fr import ENGLISH, MENU_BAR, buttons, menu_bar, menu_paths
from repo import ROOT

TEXTS = sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("solutions/*.ipynb"),
                *ROOT.glob("exercises/*.ipynb"), ROOT / "src" / "coursehelpers" / "_course" / "LISEZ-MOI.md",
                ROOT / "README.md"])
# Aparté pour une interface restée en anglais (JupyterHub d'un établissement…) : le chemin anglais exact.
ENGLISH_ASIDE = re.compile(r"\(en anglais : \*([^*]+)\*\)")
EMPHASIS = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1", re.S)
# Ce qui trahit une entrée de menu citée (français ou anglais), pour attraper les variantes.
UI_WORDS = re.compile(r"Redémarr|tout exécuter|Exécuter tout|Run All|Restart|Kernel|Noyau", re.I)


def _markdown(path: Path) -> list[tuple[str, str]]:
    """(repère, texte) de chaque cellule Markdown d'un notebook, ou du fichier Markdown entier."""
    if path.suffix != ".ipynb":
        return [(path.name, path.read_text(encoding="utf-8"))]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(f"{path.parent.name}/{path.name}, cellule {i}", "".join(c["source"]))
            for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def _citations(text: str) -> list[str]:
    return [" ".join(m.group(2).split()) for m in EMPHASIS.finditer(text)]


def test_menu_labels_come_from_the_language_pack() -> None:
    core = ["Fichier", "Édition", "Affichage", "Exécution", "Noyau", "Onglets", "Paramètres", "Aide"]
    # nbgrader (extra [hub], installé avec [test]) ajoute son menu juste après « Noyau »
    if importlib.util.find_spec("nbgrader") is not None:
        core.insert(core.index("Noyau") + 1, "Nbgrader")
    assert menu_bar() == core
    assert ("Noyau", "Redémarrer le noyau et Exécuter toutes les cellules…") in menu_paths()


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_texts_name_menus_as_the_french_interface_shows_them(path: Path) -> None:
    menus = set(menu_bar()) | set(MENU_BAR)
    allowed = set(menu_paths())
    labels = {label for chemin in allowed for label in chemin}
    english_paths = {english for _command, english in menu_paths().values()}
    problems = []
    for where, text in _markdown(path):
        for aside in ENGLISH_ASIDE.finditer(text):
            cited = " ".join(aside.group(1).split())
            if cited not in english_paths:
                problems.append(f"{where} : aparté anglais « {cited} » : l'interface anglaise affiche "
                                f"l'un de {sorted(english_paths)}")
        text = ENGLISH_ASIDE.sub("", text)
        for citation in _citations(text):
            parts = tuple(part.strip() for part in citation.split("→"))
            if len(parts) > 1 and parts[0] in menus and parts not in allowed:
                problems.append(f"{where} : « {citation} » n'est pas un chemin de l'interface française")
            elif len(parts) == 1 and UI_WORDS.search(citation) and citation not in labels:
                problems.append(f"{where} : « {citation} » n'est pas un libellé de l'interface française")
        for symbol, (tooltip, _command) in buttons().items():
            for cited in re.finditer(rf"bouton {symbol}(?: « ([^»]*) »)?", text):
                if cited.group(1) != tooltip:
                    problems.append(f"{where} : « {cited.group(0)} » : nommez-le « bouton {symbol} "
                                    f"« {tooltip} » » (son infobulle)")
        for english in ENGLISH:
            if english in text:
                problems.append(f"{where} : libellé anglais « {english} »")
    assert not problems, "\n".join(problems)
