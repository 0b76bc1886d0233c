"""Les libellés de l'interface française de JupyterLab, tirés du paquet de langue installé.

Les notebooks citent des chemins de menu (« **Noyau → Redémarrer le noyau et Exécuter toutes les
cellules…** »). Chaque chemin autorisé est décrit ici par les chaînes anglaises de JupyterLab (msgid) ;
son libellé français est calculé depuis ``jupyterlab.json`` du paquet ``jupyterlab-language-pack-fr-FR``,
exactement comme l'interface le compose. Le test navigateur vérifie que les menus affichent bien ces
libellés ; le test des notebooks vérifie que les notebooks n'en citent pas d'autres.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def pack() -> dict[str, str]:
    """msgid (avec contexte « ctx\\x04msgid ») → traduction française (forme du singulier)."""
    file = resources.files("jupyterlab_language_pack_fr_FR") / "locale" / "fr_FR" / "LC_MESSAGES" / \
        "jupyterlab.json"
    data = json.loads(file.read_text(encoding="utf-8"))
    return {key: value[0] for key, value in data.items() if key and isinstance(value, list)}


def tr(msgid: str, context: str | None = None) -> str:
    """Traduction d'une chaîne de JupyterLab ; KeyError si le paquet ne la traduit pas."""
    return pack()[f"{context}\x04{msgid}" if context else msgid]


def menu(msgid: str) -> str:
    """Nom d'un menu de la barre (chaînes du contexte « menu »)."""
    return tr(msgid, "menu")


def combined(*msgids: str) -> str:
    """Libellé d'une commande « sémantique » de JupyterLab 4, qui enchaîne plusieurs commandes.

    Règle de JupyterLab (``createSemanticCommand``) : les libellés des commandes actives, sans leurs
    « … » finaux, joints par « %1 and %2 » (traduit), avec « … » à la fin si l'un d'eux en avait.
    """
    labels = [tr(m) for m in msgids]
    ellipsis = any(label.endswith("…") for label in labels)
    head = ", ".join(label.removesuffix("…") for label in labels[:-1])
    tail = labels[-1].removesuffix("…") + ("…" if ellipsis else "")
    return tr("%1 and %2").replace("%1", head).replace("%2", tail)


def combined_english(*msgids: str) -> str:
    """Le même libellé dans l'interface anglaise (msgid, même règle de composition)."""
    ellipsis = any(m.endswith("…") for m in msgids)
    head = ", ".join(m.removesuffix("…") for m in msgids[:-1])
    return f"{head} and {msgids[-1].removesuffix('…')}" + ("…" if ellipsis else "")


#: Entrées de menu que les textes du cours peuvent citer : (menu, entrée) en msgid anglais, plusieurs
#: msgid pour une commande composée, et le ``data-command`` de l'entrée (vide pour un sous-menu).
ENTRIES = (
    ("Kernel", ("Restart Kernel…", "Run All Cells"), "runmenu:restart-and-run-all"),
    ("Kernel", ("Restart Kernel…",), "kernelmenu:restart"),
    ("Kernel", ("Interrupt Kernel",), "kernelmenu:interrupt"),
    ("Run", ("Run All Cells",), "runmenu:run-all"),
    ("File", ("Download",), "docmanager:download"),
    ("Settings", ("menu\x04Language",), ""),
)


def _french(msgids: tuple[str, ...]) -> str:
    if len(msgids) > 1:
        return combined(*msgids)
    context, _, msgid = msgids[0].rpartition("\x04")
    return tr(msgid, context or None)


@cache
def menu_paths() -> dict[tuple[str, str], tuple[str, str]]:
    """Chemins de menu citables : (menu, entrée) en français → (``data-command``, chemin anglais
    « Kernel → … », accepté seulement en aparté « (en anglais : *…*) »). Une seule façon de citer
    chaque action."""
    paths = {}
    for top, msgids, command in ENTRIES:
        english_item = combined_english(*msgids) if len(msgids) > 1 else msgids[0].rpartition("\x04")[2]
        paths[(menu(top), _french(msgids))] = (command, f"{top} → {english_item}")
    return paths


@cache
def buttons() -> dict[str, tuple[str, str]]:
    """Boutons de la barre d'outils du notebook cités par symbole : symbole → (infobulle française,
    ``data-command``). Un texte qui cite « le bouton ▶ » le nomme aussi par son infobulle."""
    return {"▶": (tr("Run this cell and advance"), "notebook:run-cell-and-select-next")}


#: Libellés anglais de ces entrées : un texte du cours qui les cite parle d'une interface que l'élève
#: n'a pas sous les yeux.
ENGLISH = ("Restart Kernel and Run All", "Run All Cells", "Restart Kernel", "Interrupt Kernel")


#: Les menus de la barre, dans l'ordre de l'interface (msgid anglais).
MENU_BAR = ("File", "Edit", "View", "Run", "Kernel", "Tabs", "Settings", "Help")


def menu_bar() -> list[str]:
    bar = [menu(m) for m in MENU_BAR]
    # nbgrader (extra [hub], installé avec [test]) ajoute son menu « Nbgrader » après « Noyau »
    import importlib.util

    if importlib.util.find_spec("nbgrader") is not None:
        bar.insert(MENU_BAR.index("Kernel") + 1, "Nbgrader")
    return bar
