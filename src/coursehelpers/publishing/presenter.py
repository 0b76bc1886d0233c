"""Le mode présentation : ``coursehelpers presenter NN``.

Les explorateurs d'un chapitre sur **une seule page sans code, en gros caractères**, pour le
vidéoprojecteur. La page est un notebook construit à partir du chapitre :

1. le titre du chapitre ;
2. les cellules de code dont les explorateurs ont besoin (données, variables), trouvées en
   suivant les noms qu'ils utilisent — exécutées **sans rien afficher** (``%%capture``) ;
3. chaque cellule d'explorateur du chapitre (cellule dont la sortie enregistrée est un widget),
   dans l'ordre du chapitre : plusieurs explorateurs s'empilent sur la même page.

Voilà (0.5, sur JupyterLab 4) exécute ce notebook et n'en montre que les sorties, sur
127.0.0.1 seulement. Les contrôles sont des widgets ordinaires : la touche Tab passe de l'un à
l'autre, les flèches déplacent un curseur, Espace / Entrée choisissent un bouton.

Exemples
--------
>>> from coursehelpers.publishing.presenter import presenter_notebook
>>> nb = presenter_notebook("06")        # doctest: +SKIP
>>> [c["cell_type"] for c in nb["cells"]][:2]   # doctest: +SKIP
['markdown', 'code']
"""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from coursehelpers.publishing.catalog import Chapter, PublishingError, course_root, find_chapter

__all__ = ["PublishingError", "explorer_cells", "live", "presenter_notebook", "serve", "voila_command"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: Agrandissement de toute la page (comme Ctrl + dans le navigateur) : la mise en page des
#: explorateurs reste celle du notebook (rien n'est tronqué), tout est 1,5 fois plus grand.
PROJECTION_ZOOM = 1.5
#: Taille minimale du texte projeté, en pixels à l'écran : 14 px × 1,5 = 21 px (curseurs, menus) ;
#: le texte des sorties fait 15 px × 1,5 ≈ 22 px. Lisible du fond d'une salle en 1280 × 720.
PROJECTION_FONT_PX = 21

STYLE = f"""<style>
html {{ zoom: {PROJECTION_ZOOM}; }}
:root {{ --jp-widgets-font-size: 14px; --jp-content-font-size1: 15px; --jp-ui-font-size1: 14px; }}
.jp-RenderedMarkdown, .jp-RenderedHTMLCommon {{ font-size: 15px !important; }}
.jp-RenderedHTMLCommon table {{ font-size: 14px !important; }}
.jp-OutputArea-output img {{ max-width: 100%; height: auto; }}
:focus-visible, .noUi-handle:focus {{ outline: 3px solid #e8a200 !important; outline-offset: 2px; }}
.ch-explorer {{ margin: 8px 0 20px 0 !important; }}
</style>"""


def _code(cell: dict) -> str:
    return "".join(cell.get("source", ""))


def explorer_cells(notebook: dict) -> list[int]:
    """Indices des cellules d'explorateur : celles dont une sortie enregistrée est un widget."""
    return [i for i, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"
            and any(WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", []))]


def _names(source: str) -> tuple[set[str], set[str]]:
    """(noms définis ou modifiés, noms lus) par une cellule ; ``None`` si elle n'est pas du Python pur."""
    tree = ast.parse(source)
    defined: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, ast.Store | ast.Del) else used).add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            defined.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            # df["x"] = ... ou df.x = ... modifient df : la cellule compte pour qui lit df.
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                while isinstance(target, ast.Subscript | ast.Attribute):
                    target = target.value
                if isinstance(target, ast.Name):
                    defined.add(target.id)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func  # df.drop(..., inplace=True), liste.append(...)
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                defined.add(func.value.id)
    return defined, used


def _needed_cells(cells: list[dict], explorers: list[int]) -> list[int]:
    """Cellules de code, avant le dernier explorateur, dont dépendent les explorateurs (noms suivis)."""
    needed: set[str] = set()
    keep: set[int] = set()
    for index in range(explorers[-1], -1, -1):
        cell = cells[index]
        if cell["cell_type"] != "code" or "raises-exception" in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            defined, used = _names(_code(cell))
        except SyntaxError:  # magie IPython : gardée par prudence
            defined, used = {"*"}, set()
        if index in explorers:
            needed |= used
            continue
        if defined & needed or "*" in defined:
            keep.add(index)
            needed = (needed - defined) | used
    return sorted(keep)


def live(explorer: Any) -> Any:
    """Affiche un explorateur pour Voilà : ses résultats dans un widget ``Output`` redessiné à chaque réglage.

    Pourquoi : Voilà n'applique pas les mises à jour de sorties par ``display_id`` envoyées
    depuis un rappel de widget (limite connue de Voilà, ticket 498) ; un widget ``Output``
    dont on remplace les sorties, lui, se met à jour. Le calcul reste celui de l'explorateur.

    Les sorties sont écrites directement dans l'état du widget (``out.outputs``), jamais par
    ``with out:`` : la capture passe par des allers-retours entre l'exécuteur de Voilà et le
    noyau pendant le rendu de la page, et ils la bloquaient parfois (environ 1 chargement
    sur 10 mesuré ici, page jamais terminée).

    Renvoie
    -------
    l'explorateur (pour le piloter depuis une autre cellule)
    """
    import ipywidgets as w
    from IPython.display import display

    out = w.Output()

    def redraw(_change: object = None) -> None:
        out.outputs = tuple({"output_type": "display_data", "data": dict(bundle), "metadata": {}}
                            for bundle in explorer.bundles.values())

    for control in explorer.controls.values():
        control.observe(redraw, names="value")  # après le recalcul de l'explorateur (observé avant)
    display({"text/markdown": f"**{explorer.title}**", "text/plain": explorer.title}, raw=True)
    display(explorer.widget)
    display(out)
    redraw()
    return explorer


def _live_source(source: str) -> str:
    """La cellule d'un explorateur, sa dernière expression passée à :func:`live`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return source
    last = tree.body[-1]
    lines = source.splitlines()
    before = "\n".join(lines[:last.lineno - 1])
    expression = ast.get_source_segment(source, last)
    return (f"{before}\n" if before else "") + (
        "from coursehelpers.publishing.presenter import live\n\n"
        f"live({expression});")


def presenter_notebook(chapter: str | Chapter, *, root: str | os.PathLike[str] | None = None) -> dict:
    """Le notebook de présentation d'un chapitre (titre, préparation muette, explorateurs).

    Paramètres
    ----------
    chapter : « 06 », « 6 », « 06_rfm » ou un :class:`~coursehelpers.publishing.catalog.Chapter`
    root : dossier du cours (par défaut : trouvé depuis le dossier courant)

    Renvoie
    -------
    dict : un notebook nbformat 4 (cellules sans sorties)

    Lève
    ----
    PublishingError : chapitre introuvable, ou chapitre sans explorateur.
    """
    if not isinstance(chapter, Chapter):
        chapter = find_chapter(course_root(Path(root) if root else None), chapter)
    source = json.loads(chapter.path.read_text(encoding="utf-8"))
    cells = source["cells"]
    explorers = explorer_cells(source)
    if not explorers:
        raise PublishingError(f"{chapter.path.name} : aucun explorateur (cellule dont la sortie "
                              "enregistrée est un widget) à projeter.")

    def code(text: str, hidden: bool = False) -> dict:
        return {"cell_type": "code", "execution_count": None, "metadata": {"tags": ["presenter"]},
                "outputs": [], "source": ("%%capture\n" if hidden else "") + text}

    new = [{"cell_type": "markdown", "metadata": {}, "source": f"# {chapter.heading}"},
           code(f"from IPython.display import HTML, display\n\ndisplay(HTML({STYLE!r}))")]
    new += [code(_code(cells[i]), hidden=True) for i in _needed_cells(cells, explorers)]
    new += [code(_live_source(_code(cells[i]))) for i in explorers]
    for number, cell in enumerate(new):
        cell["id"] = f"presentation-{number:02d}"
    return {"cells": new, "metadata": {"kernelspec": source["metadata"].get("kernelspec", {
        "name": "python3", "display_name": "Python 3", "language": "python"}),
        "language_info": {"name": "python"}, "coursehelpers": {"presenter": chapter.slug}},
        "nbformat": 4, "nbformat_minor": 5}


def write_presenter_notebook(chapter: str | Chapter, folder: str | os.PathLike[str], *,
                             root: str | os.PathLike[str] | None = None) -> Path:
    """Écrit le notebook de présentation dans ``folder`` (``presenter_06_rfm.ipynb``) ; renvoie son chemin."""
    if not isinstance(chapter, Chapter):
        chapter = find_chapter(course_root(Path(root) if root else None), chapter)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"presenter_{chapter.slug}.ipynb"
    path.write_text(json.dumps(presenter_notebook(chapter), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def free_port() -> int:
    """Un port TCP libre sur 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


TEMPLATE = "coursehelpers-presenter"


def offline_template(folder: str | os.PathLike[str]) -> Path:
    """Écrit dans ``folder`` le gabarit Voilà de la présentation ; renvoie le dossier pour JUPYTER_PATH.

    C'est le gabarit « lab » de Voilà, sans ses deux feuilles de style Font Awesome chargées
    depuis un CDN : la page de présentation ne demande rien hors de 127.0.0.1.
    """
    import shutil

    import voila

    lab = Path(voila.__file__).resolve().parent
    candidates = [Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "lab",
                  lab.parent.parent.parent.parent / "share" / "jupyter" / "voila" / "templates" / "lab"]
    source = next((c for c in candidates if (c / "index.html.j2").exists()), None)
    if source is None:
        raise PublishingError("Gabarit « lab » de Voilà introuvable : réinstallez voila (extra [site]).")
    base = Path(folder) / "jupyter-path"
    target = base / "voila" / "templates" / TEMPLATE
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    index = target / "index.html.j2"
    kept = [line for line in index.read_text(encoding="utf-8").splitlines(keepends=True)
            if "cdn.jsdelivr.net" not in line and "unpkg.com" not in line]
    index.write_text("".join(kept), encoding="utf-8")
    # Le reste (macros, fichiers statiques, gabarit nbconvert) vient du gabarit « lab ».
    (target / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    return base


def voila_env(folder: str | os.PathLike[str], env: dict[str, str] | None = None) -> dict[str, str]:
    """L'environnement du serveur Voilà : ``JUPYTER_PATH`` avec le gabarit hors ligne en tête."""
    env = dict(os.environ if env is None else env)
    extra = str(offline_template(folder))
    env["JUPYTER_PATH"] = os.pathsep.join([extra, *filter(None, [env.get("JUPYTER_PATH")])])
    env.pop("MPLBACKEND", None)  # le noyau garde l'affichage en ligne de Jupyter
    return env


def voila_command(notebook: Path, *, port: int, open_browser: bool = False) -> list[str]:
    """La commande Voilà qui sert ``notebook`` sur 127.0.0.1:``port`` (sources masquées, thème clair).

    À lancer avec ``JUPYTER_PATH`` qui contient le dossier de :func:`offline_template`.
    """
    cmd = [sys.executable, "-m", "voila", str(notebook), f"--port={port}", "--Voila.ip=127.0.0.1",
           "--VoilaConfiguration.strip_sources=True", "--theme=light", f"--template={TEMPLATE}",
           # nbdime (installé avec les outils de test) n'a rien à faire dans une page sans code.
           "--VoilaConfiguration.extension_denylist=nbdime-jupyterlab"]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def serve(chapter: str, *, root: str | os.PathLike[str] | None = None, port: int | None = None,
          open_browser: bool = True, folder: str | os.PathLike[str] | None = None) -> int:
    """Sert la page de présentation d'un chapitre avec Voilà jusqu'à Ctrl+C ; renvoie le code de sortie.

    Lève
    ----
    PublishingError : Voilà n'est pas installé (extra ``[site]``), chapitre introuvable.
    """
    import importlib.util
    import tempfile

    if importlib.util.find_spec("voila") is None:
        raise PublishingError('Voilà n\'est pas installé : python -m pip install -e ".[site]"')
    course = course_root(Path(root) if root else None)
    found = find_chapter(course, chapter)
    with tempfile.TemporaryDirectory(prefix="coursehelpers-presenter-") as tmp:
        notebook = write_presenter_notebook(found, folder or tmp)
        port = port or free_port()
        env = voila_env(tmp)
        print(f"Présentation du {found.heading} : http://127.0.0.1:{port}/ (Ctrl+C pour arrêter)", flush=True)
        try:
            return subprocess.call(voila_command(notebook, port=port, open_browser=open_browser), cwd=course,
                                   env=env)
        except KeyboardInterrupt:
            return 0
