"""Le site web du cours : ``coursehelpers site --out DOSSIER``.

Le site est construit avec Sphinx, myst-nb et le thème sphinx-book-theme à partir des sorties
**enregistrées** dans ``chapters/`` (``nb_execution_mode = "off"`` : rien n'est ré-exécuté).
Il contient :

- une page d'accueil avec le plan du cours (chapitre, contenu, compétences BTS NDRC) ;
- une page par chapitre, avec ses figures et tableaux tels qu'enregistrés et la vue par défaut
  de chaque explorateur (l'image enregistrée : les curseurs ne bougent que dans JupyterLab
  ou en mode présentation) ;
- une page « Télécharger » : le notebook de chaque chapitre et chaque cahier d'exercices élève
  (``exercises/`` seulement : jamais ``solutions/`` ni les tests cachés) ;
- la fiche de données (``datasets/README.md``) et la bibliographie (``docs/bibliographie.md``) ;
- la navigation (barre latérale, précédent / suivant) et la recherche plein texte.

Rien n'est chargé depuis Internet, ni à la construction ni à la lecture : pas de police ni de
script sur un CDN (formules en MathML, widgets JavaScript désactivés). Le site se lit sur un
téléphone (thème adaptatif) comme sur un vidéoprojecteur.

Exemples
--------
>>> from coursehelpers.publishing.site import build_site
>>> build_site("site")            # doctest: +SKIP
SiteBuild(out=PosixPath('site'), pages=..., seconds=...)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from coursehelpers.publishing._site_files import CONF, CSS, FAVICON
from coursehelpers.publishing.catalog import (
    Chapter,
    PublishingError,
    chapters,
    course_map,
    course_root,
    workbooks,
)

MARKER = ".coursehelpers-site"
"""Fichier posé dans le dossier du site : on peut le reconstruire sans ``--force``."""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DOWNLOADS = "_telechargements"
CHAPTER_DIR = "chapitres"

# Modules nécessaires à la construction (extra « site » du paquet).
REQUIRED = {"sphinx": "sphinx", "myst_nb": "myst-nb", "sphinx_book_theme": "sphinx-book-theme",
            "latex2mathml": "latex2mathml"}

@dataclass
class SiteBuild:
    """Résultat de :func:`build_site`.

    Attributs
    ---------
    out : dossier du site (``index.html`` à sa racine)
    pages : pages des chapitres (chemin relatif à ``out`` → titre)
    downloads : fichiers proposés au téléchargement (nom → fichier d'origine)
    seconds : durée de la construction
    """

    out: Path
    pages: dict[str, str] = field(default_factory=dict)
    downloads: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0


def missing_tools() -> list[str]:
    """Paquets de l'extra ``[site]`` absents (liste vide si tout est installé)."""
    import importlib.util

    return [package for module, package in REQUIRED.items() if importlib.util.find_spec(module) is None]


def _require_tools() -> None:
    missing = missing_tools()
    if missing:
        raise PublishingError(
            "Il manque de quoi construire le site : " + ", ".join(missing)
            + '. Installez-les avec : python -m pip install -e ".[site]"'
        )


def prepare_output(out: Path, *, force: bool) -> None:
    """Crée ``out`` ou vide un ancien site ; refuse d'écraser un dossier qui n'est pas un site."""
    if out.exists() and not out.is_dir():
        raise PublishingError(f"{out} existe et n'est pas un dossier.")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).exists() and not force:
            raise PublishingError(
                f"{out} n'est pas vide et ne contient pas un site déjà construit par coursehelpers : "
                "choisissez un autre dossier ou ajoutez --force pour le remplacer."
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def cours_name(chapter: Chapter) -> str:
    """Nom du notebook de chapitre proposé au téléchargement (``cours_06_rfm.ipynb``)."""
    return f"cours_{chapter.slug}.ipynb"


def exercices_name(workbook: Path) -> str:
    """Nom du cahier élève proposé au téléchargement (``exercices_06_rfm.ipynb``)."""
    return f"exercices_{workbook.stem}.ipynb"


def _markdown_cell(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _rewrite_links(text: str, slugs: set[str]) -> str:
    """Liens relatifs du dépôt → pages du site ; un lien vers ``solutions/`` perd sa cible."""

    def repl(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        path = target.split("#")[0]
        name = Path(path).name
        if "solutions/" in path:
            return label
        if path.endswith("datasets/README.md"):
            return f"[{label}](../donnees.md)"
        if path.endswith("bibliographie.md"):
            return f"[{label}](../bibliographie.md)"
        if name.endswith(".ipynb") and Path(name).stem in slugs and "exercises/" not in path:
            return f"[{label}]({Path(name).stem}.ipynb)"
        if name.endswith(".ipynb") and "exercises/" in path:
            return f"{{download}}`{label} <../{DOWNLOADS}/exercices_{name}>`"
        return match.group(0)

    return re.sub(r"\[([^\]]+)\]\((?!https?:|mailto:|#)([^)\s]+)\)", repl, text)


def _explorer_note(chapter: Chapter) -> str:
    return (
        ":::{note}\n"
        "**Démonstration interactive** — ci-dessous, la vue par défaut de l'explorateur (image "
        "enregistrée). Pour déplacer ses curseurs, ouvrez le notebook dans JupyterLab "
        "(`coursehelpers ouvrir`) ; en classe, projetez-le sans code avec "
        f"`coursehelpers presenter {chapter.number}`.\n"
        ":::\n"
    )


def _downloads_block(chapter: Chapter) -> str:
    parts = [f"{{download}}`Notebook du chapitre ({cours_name(chapter)}) "
             f"<../{DOWNLOADS}/{cours_name(chapter)}>`"]
    if chapter.workbook is not None:
        name = exercices_name(chapter.workbook)
        parts.append(f"{{download}}`cahier d'exercices ({name}) <../{DOWNLOADS}/{name}>`")
    return ":::{container} ch-telechargements\n**Télécharger** : " + " · ".join(parts) + "\n:::\n"


def _is_blank(output: dict) -> bool:
    """Sortie d'affichage sans contenu (message vide d'un explorateur) : rien à publier."""
    data = output.get("data")
    return output.get("output_type") in ("display_data", "execute_result") and data is not None and all(
        not "".join(value).strip() for value in data.values() if isinstance(value, str | list))


def site_notebook(chapter: Chapter, slugs: set[str]) -> dict:
    """Le notebook d'un chapitre tel que le site le publie.

    Les sorties enregistrées sont gardées ; seules les vues de widgets (inutilisables sans
    noyau) et les sorties vides sont retirées : la vue par défaut de l'explorateur reste, en
    image. Une note précède chaque explorateur, un bandeau de téléchargement suit le titre.
    """
    notebook = json.loads(chapter.path.read_text(encoding="utf-8"))
    notebook["metadata"].pop("widgets", None)
    cells: list[dict] = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown":
            cell = {**cell, "source": _rewrite_links("".join(cell["source"]), slugs)}
        if cell["cell_type"] == "code":
            outputs = cell.get("outputs", [])
            kept = [o for o in outputs if WIDGET_VIEW not in o.get("data", {}) and not _is_blank(o)]
            if len(kept) != len(outputs):
                cells.append(_markdown_cell(_explorer_note(chapter)))
            cell = {**cell, "outputs": kept}
        cells.append(cell)
        if index == 0:
            cells.append(_markdown_cell(_downloads_block(chapter)))
    notebook["cells"] = cells
    return notebook


def _course_map_table(root: Path, all_chapters: list[Chapter], books: list[Path]) -> str:
    by_slug = {c.slug: c for c in all_chapters}
    book_names = {p.stem: p for p in books}
    lines = ["| Chapitre | Ce qu'il enseigne | Compétences BTS NDRC | Épreuves | Télécharger |",
             "|---|---|---|---|---|"]
    for row in course_map(root):
        slug = row["slug"]
        chapter = by_slug.get(slug)
        if chapter is not None:
            name = f"[{chapter.number} — {chapter.title}]({CHAPTER_DIR}/{slug}.ipynb)"
        else:
            from coursehelpers.course_map import entry

            name = f"{slug[:2]} — {entry(slug, 'cahier').title} (cahier seul)"
        links = []
        if chapter is not None:
            links.append(f"{{download}}`cours <{DOWNLOADS}/{cours_name(chapter)}>`")
        if slug in book_names:
            links.append(f"{{download}}`exercices <{DOWNLOADS}/{exercices_name(book_names[slug])}>`")
        lines.append(f"| {name} | {row['enseigne']} | {row['competences']} | {row['epreuves']} "
                     f"| {' · '.join(links)} |")
    return "\n".join(lines)


def _index_page(root: Path, all_chapters: list[Chapter], books: list[Path], extra_pages: list[str]) -> str:
    toc_chapters = "\n".join(f"{CHAPTER_DIR}/{c.slug}" for c in all_chapters)
    toc_extra = "\n".join(extra_pages)
    return f"""# GRC en notebooks

Un cours de **Gestion de la Relation Client** (GRC, en anglais CRM) pour les classes de BTS NDRC
(Négociation et Digitalisation de la Relation Client), écrit en notebooks Jupyter. Chaque chapitre
explique une notion, la calcule sur la base clients fictive de l'enseigne « Maison Lumière »
(voir la [fiche de données](donnees.md)) et propose une démonstration interactive.

Ce site montre les chapitres **tels qu'ils ont été exécutés** : figures, tableaux et vue par défaut
des explorateurs. Pour faire tourner le code et déplacer les curseurs, téléchargez le notebook du
chapitre et ouvrez-le dans JupyterLab, ou installez le cours (`coursehelpers ouvrir`).

## Plan du cours

:::{{container}} ch-plan
{_course_map_table(root, all_chapters, books)}
:::

Chaque chapitre suit le même plan : Objectifs · Compétences visées · Cours · Démonstration
interactive · À vous de jouer · À retenir. Les cahiers d'exercices se téléchargent sur la page
[Télécharger](telechargements.md).

```{{toctree}}
:hidden:
:caption: Chapitres

{toc_chapters}
```

```{{toctree}}
:hidden:
:caption: Ressources

{toc_extra}
```
"""


def _downloads_page(all_chapters: list[Chapter], books: list[Path]) -> str:
    lines = ["# Télécharger", "",
             "Les notebooks s'ouvrent dans JupyterLab une fois le cours installé "
             "(`python -m pip install -e .` dans le dossier du cours, puis `coursehelpers ouvrir`).", "",
             "## Les chapitres (cours, avec leurs résultats)", ""]
    lines += [f"- {{download}}`{c.number} — {c.title} <{DOWNLOADS}/{cours_name(c)}>`" for c in all_chapters]
    lines += ["", "## Les cahiers d'exercices (version élève)", "",
              "Les versions élèves ne contiennent ni les solutions ni les tests cachés ; chaque "
              "exercice se vérifie dans le cahier (✅ / ❌ et un indice).", ""]
    titles = {c.slug: c.title for c in all_chapters}
    for book in books:
        from coursehelpers.publishing.catalog import notebook_heading

        title = titles.get(book.stem) or notebook_heading(book)
        lines.append(f"- {{download}}`{book.stem[:2]} — {title} <{DOWNLOADS}/{exercices_name(book)}>`")
    return "\n".join(lines) + "\n"


def bibliography_page(root: Path, all_chapters: list[Chapter]) -> str | None:
    """``docs/bibliographie.md`` s'il existe, sinon les sections « Sources » des chapitres."""
    source = root / "docs" / "bibliographie.md"
    if source.exists():
        return _rewrite_links(source.read_text(encoding="utf-8"), {c.slug for c in all_chapters})
    sections = []
    for chapter in all_chapters:
        notebook = json.loads(chapter.path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            text = "".join(cell["source"])
            match = re.search(r"^##\s+(?:\d+\.\s*)?Sources\b.*?$(.*)", text, re.MULTILINE | re.DOTALL)
            if cell["cell_type"] == "markdown" and match:
                sections.append(f"## {chapter.number} — {chapter.title}\n\n{match.group(1).strip()}\n")
    if not sections:
        return None
    return "# Bibliographie\n\nLes sources citées dans chaque chapitre.\n\n" + "\n".join(sections)


def write_sources(root: Path, src: Path) -> SiteBuild:
    """Écrit dans ``src`` le projet Sphinx du site (pages, notebooks préparés, téléchargements)."""
    all_chapters = chapters(root)
    books = workbooks(root)
    slugs = {c.slug for c in all_chapters}
    result = SiteBuild(out=src)
    (src / CHAPTER_DIR).mkdir(parents=True)
    (src / DOWNLOADS).mkdir()
    (src / "_static").mkdir()
    for chapter in all_chapters:
        notebook = site_notebook(chapter, slugs)
        target = src / CHAPTER_DIR / f"{chapter.slug}.ipynb"
        target.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")
        result.pages[f"{CHAPTER_DIR}/{chapter.slug}.html"] = chapter.heading
        shutil.copyfile(chapter.path, src / DOWNLOADS / cours_name(chapter))
        result.downloads[cours_name(chapter)] = chapter.path
    for book in books:
        shutil.copyfile(book, src / DOWNLOADS / exercices_name(book))
        result.downloads[exercices_name(book)] = book
    extra = ["telechargements"]
    (src / "telechargements.md").write_text(_downloads_page(all_chapters, books), encoding="utf-8")
    data_card = root / "datasets" / "README.md"
    if data_card.exists():
        (src / "donnees.md").write_text(_rewrite_links(data_card.read_text(encoding="utf-8"), slugs),
                                        encoding="utf-8")
        extra.append("donnees")
    bibliography = bibliography_page(root, all_chapters)
    if bibliography is not None:
        (src / "bibliographie.md").write_text(bibliography, encoding="utf-8")
        extra.append("bibliographie")
    (src / "index.md").write_text(_index_page(root, all_chapters, books, extra), encoding="utf-8")
    (src / "conf.py").write_text(CONF.format(downloads=DOWNLOADS), encoding="utf-8")
    (src / "_static" / "cours.css").write_text(CSS, encoding="utf-8")
    (src / "_static" / "favicon.svg").write_text(FAVICON, encoding="utf-8")
    return result


def build_site(out: str | os.PathLike[str], *, root: str | os.PathLike[str] | None = None,
               force: bool = False, quiet: bool = True) -> SiteBuild:
    """Construit le site web statique du cours dans ``out``.

    Paramètres
    ----------
    out : dossier de sortie (``out/index.html`` est la page d'accueil)
    root : dossier du cours (par défaut : trouvé en remontant depuis le dossier courant)
    force : remplacer ``out`` même s'il contient autre chose qu'un site déjà construit
    quiet : n'afficher que les avertissements de Sphinx

    Renvoie
    -------
    SiteBuild : pages des chapitres, fichiers téléchargeables, durée

    Lève
    ----
    PublishingError : outils absents (extra ``[site]``), dossier occupé, erreur de Sphinx.
    """
    _require_tools()
    start = time.perf_counter()
    course = course_root(Path(root) if root else None)
    out = Path(out).resolve()
    prepare_output(out, force=force)
    with tempfile.TemporaryDirectory(prefix="coursehelpers-site-") as tmp:
        src = Path(tmp) / "source"
        src.mkdir()
        result = write_sources(course, src)
        cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(Path(tmp) / "doctrees"),
               "-j", "1", "--keep-going", str(src), str(out)]
        if quiet:
            cmd.insert(3, "-q")
        run = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                             env={**os.environ, "PYTHONWARNINGS": "ignore"})
        if run.stderr.strip():
            print(run.stderr.strip(), file=sys.stderr)
        if run.returncode != 0:
            raise PublishingError("La construction du site a échoué (Sphinx) :\n"
                                  + (run.stderr or run.stdout)[-3000:])
    (out / MARKER).write_text("Site construit par « coursehelpers site » : peut être remplacé.\n",
                              encoding="utf-8")
    result.out = out
    result.seconds = time.perf_counter() - start
    return result
