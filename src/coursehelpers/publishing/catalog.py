"""Le catalogue du cours publié : trouver le cours, ses chapitres, ses cahiers, son plan.

Partagé par le site, les polycopiés et le mode présentation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_HEADING = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)
_CHAPTER_PREFIX = re.compile(r"^Chapitre\s+\d+\s*[—–-]\s*")


class PublishingError(Exception):
    """Publication impossible (cours introuvable, outil absent, dossier occupé...) : message en français."""


@dataclass(frozen=True)
class Chapter:
    """Un chapitre du cours : ``chapters/NN_sujet.ipynb``.

    Attributs
    ---------
    number : « 06 » ; slug : « 06_rfm » (nom du fichier sans extension)
    heading : titre complet (« Chapitre 06 — La méthode RFM : ... ») ; title : le titre sans « Chapitre NN — »
    path : le notebook ; workbook : le cahier d'exercices élève ``exercises/NN_sujet.ipynb`` s'il existe
    """

    number: str
    slug: str
    heading: str
    title: str
    path: Path
    workbook: Path | None


def course_root(start: Path | None = None) -> Path:
    """Dossier du cours (celui qui contient ``chapters/`` et ``datasets/``), en remontant depuis ``start``.

    Lève
    ----
    PublishingError : aucun dossier parent ne contient ``chapters/``.
    """
    here = (start or Path.cwd()).resolve()
    checkout = Path(__file__).resolve().parents[3]
    for folder in (here, *here.parents, checkout):
        if (folder / "chapters").is_dir() and (folder / "datasets").is_dir():
            return folder
    raise PublishingError(f"Dossier du cours introuvable depuis {here} : placez-vous dans le dossier cloné "
                    "(celui qui contient chapters/ et datasets/).")


def notebook_heading(path: Path) -> str:
    """Texte du premier titre de niveau 1 d'un notebook (« Chapitre 06 — ... »), sinon le nom du fichier."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PublishingError(f"{path} : notebook illisible ({err}).") from err
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", ""))
            match = _HEADING.search(source)
            if match:
                return match.group(1).strip()
    return path.stem


def chapters(root: Path) -> list[Chapter]:
    """Les chapitres de ``root/chapters`` dans l'ordre de leur numéro."""
    found = []
    for path in sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb")):
        heading = notebook_heading(path)
        workbook = root / "exercises" / path.name
        found.append(Chapter(number=path.name[:2], slug=path.stem, heading=heading,
                             title=_CHAPTER_PREFIX.sub("", heading), path=path,
                             workbook=workbook if workbook.exists() else None))
    if not found:
        raise PublishingError(f"Aucun chapitre dans {root / 'chapters'} (fichiers NN_sujet.ipynb attendus).")
    return found


def workbooks(root: Path) -> list[Path]:
    """Les cahiers d'exercices élèves (``exercises/*.ipynb``) : jamais ``solutions/``."""
    return sorted((root / "exercises").glob("[0-9][0-9]_*.ipynb"))


def find_chapter(root: Path, key: str) -> Chapter:
    """Le chapitre désigné par « 6 », « 06 » ou « 06_rfm ».

    Lève
    ----
    PublishingError : aucun chapitre ne correspond (le message liste les chapitres disponibles).
    """
    all_chapters = chapters(root)
    text = str(key).strip().removesuffix(".ipynb")
    for chapter in all_chapters:
        if text in (chapter.slug, chapter.number) or (text.isdigit() and int(text) == int(chapter.number)):
            return chapter
    known = ", ".join(c.number for c in all_chapters)
    raise PublishingError(f"Chapitre « {key} » introuvable dans {root / 'chapters'}. "
                          f"Chapitres disponibles : {known}.")


def course_map(root: Path) -> list[dict[str, str]]:
    """Plan du cours : une ligne par chapitre, puis chaque cahier sans chapitre (l'étude de cas).

    Tiré de :mod:`coursehelpers.course_map` (la seule source des blocs, compétences et épreuves) ;
    un chapitre de ``root/chapters`` qui n'y figure pas encore a une ligne avec son titre seul.

    Renvoie
    -------
    list de dict : ``slug``, ``kind`` (« chapitre » / « cahier »), ``enseigne``, ``competences``, ``epreuves``
    """
    from coursehelpers import course_map as referentiel

    def row(module) -> dict[str, str]:
        by_bloc: dict[int, list[str]] = {}
        for bloc, competence in module.competences:
            by_bloc.setdefault(bloc, []).append(competence)
        competences = " ; ".join(f"Bloc {b} — " + ", ".join(by_bloc[b]) for b in sorted(by_bloc))
        return {"slug": module.stem, "kind": module.kind, "enseigne": module.teaches,
                "competences": competences, "epreuves": ", ".join(module.exams)}

    known = {m.stem: m for m in referentiel.entries("chapitre")}
    rows = [row(known[c.slug]) if c.slug in known else
            {"slug": c.slug, "kind": "chapitre", "enseigne": c.title, "competences": "", "epreuves": ""}
            for c in chapters(root)]
    listed = {r["slug"] for r in rows}
    rows += [row(m) for m in referentiel.entries("cahier")
             if m.stem not in listed and (root / "exercises" / f"{m.stem}.ipynb").exists()]
    return rows
