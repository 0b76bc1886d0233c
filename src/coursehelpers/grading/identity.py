"""Qui a rendu quelle copie : identifiant d'élève, nom des retours, copie d'un autre devoir.

- Disposition nbgrader ``submitted/<élève>/<devoir>/<fichier>.ipynb`` : l'identifiant est
  ``<élève>`` (le nom du fichier, identique pour toute la classe, ne dit rien).
- Plus généralement, quand le fichier porte le nom du devoir (``06_rfm.ipynb``), l'élève est le
  dossier qui le contient (en sautant un dossier portant lui aussi le nom du devoir).
- Sinon, le nom du fichier sans extension (``dupont_lea.ipynb`` → ``dupont_lea``).

Deux copies différentes ne donnent jamais la même ligne : si deux fichiers donnent le même
identifiant (``groupeA/dupont.ipynb`` et ``groupeB/dupont.ipynb``), on ajoute les dossiers qui
les distinguent (``groupeA/dupont``, ``groupeB/dupont``).

>>> student_ids(["submitted/dupont/06_rfm/06_rfm.ipynb", "submitted/durand/06_rfm/06_rfm.ipynb"],
...             assignment="06_rfm")
['dupont', 'durand']
>>> student_ids(["groupeA/dupont.ipynb", "groupeB/dupont.ipynb", "martin.ipynb"], assignment="06_rfm")
['groupeA/dupont', 'groupeB/dupont', 'martin']
>>> feedback_name("groupeA/dupont")
'groupeA_dupont'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePath

from coursehelpers.grading import notebook_io


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _own_id(path: PurePath, assignment: str) -> tuple[str, list[str]]:
    """Identifiant propre au fichier et dossiers au-dessus (du plus proche au plus lointain)."""
    parents = [p.name for p in path.parents if p.name]
    generic = {_norm(assignment), _norm(path.stem)}
    if len(parents) >= 2 and parents[1] == "submitted":  # submitted/<élève>/<fichier>.ipynb
        return parents[0], parents[2:]
    if len(parents) >= 3 and parents[2] == "submitted":  # submitted/<élève>/<devoir>/<fichier>.ipynb
        return parents[1], parents[3:]
    if _norm(path.stem) == _norm(assignment) or _norm(path.stem) in {"exercice", "copie", "devoir"}:
        rest = list(parents)
        while rest and _norm(rest[0]) in generic:
            rest.pop(0)  # dossier nommé comme le devoir : on remonte d'un cran
        if rest:
            return rest[0], rest[1:]
    return path.stem, parents


def student_ids(paths: Sequence[str | Path], *, assignment: str) -> list[str]:
    """Un identifiant d'élève par copie, tous différents (voir le module).

    Paramètres
    ----------
    paths : chemins des copies, dans l'ordre de la correction.
    assignment : nom du devoir (nom du notebook solution sans ``.ipynb``).

    Renvoie
    -------
    list[str] : identifiants, dans l'ordre de ``paths``.
    """
    own = [_own_id(PurePath(p), assignment) for p in paths]
    ids = [base for base, _ in own]
    depth = [0] * len(ids)
    for _ in range(32):
        seen: dict[str, list[int]] = {}
        for i, name in enumerate(ids):
            seen.setdefault(name, []).append(i)
        clashes = [group for group in seen.values() if len(group) > 1]
        if not clashes:
            return ids
        for group in clashes:
            grown = False
            for i in group:
                base, above = own[i]
                if depth[i] < len(above):
                    depth[i] += 1
                    grown = True
                    ids[i] = "/".join([*reversed(above[: depth[i]]), base])
            if not grown:  # mêmes dossiers jusqu'en haut : numéroter
                for k, i in enumerate(group[1:], start=2):
                    ids[i] = f"{ids[i]} ({k})"
    return ids


def feedback_name(student: str) -> str:
    """Nom de fichier sûr pour le retour de ``student`` (sans ``/`` ni caractère spécial)."""
    name = re.sub(r"[^\w.-]+", "_", student.replace("/", "_")).strip("._")
    return name or "eleve"


def assignment_title(nb: dict) -> str | None:
    """Titre d'un cahier : ``metadata.coursehelpers.title`` sinon le premier titre Markdown."""
    title = (nb.get("metadata", {}).get("coursehelpers") or {}).get("title")
    if title:
        return str(title)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in cell.get("source", "").splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def _meta_title(nb: dict) -> str | None:
    return (nb.get("metadata", {}).get("coursehelpers") or {}).get("title")


def _locked_sources(nb: dict) -> set[str]:
    return {c.get("source", "").strip() for c in nb.get("cells", [])
            if notebook_io.cell_kind(c) == "locked" and c.get("source", "").strip()}


def other_assignment(student: dict, reference: dict, *, siblings: Sequence[str | Path] = ()) -> str | None:
    """Motif en une ligne si ``student`` est la copie d'un autre devoir que ``reference``, sinon ``None``.

    Une copie est d'un autre devoir si son titre (métadonnées) diffère de celui du devoir, ou si
    moins de la moitié des cellules fournies (énoncés, données) du devoir s'y trouvent. ``siblings`` : autres
    notebooks solutions, pour dire de quel devoir il s'agit.
    """
    mine, theirs = assignment_title(student), assignment_title(reference)
    cells = student.get("cells", [])
    locked = _locked_sources(reference)
    shared = locked & {c.get("source", "").strip() for c in cells}
    meta_mine, meta_theirs = _meta_title(student), _meta_title(reference)
    title_differs = bool(meta_mine and meta_theirs and _norm(meta_mine) != _norm(meta_theirs))
    if not cells or not (title_differs or len(shared) * 2 < len(locked)):
        return None
    which = f"« {mine} »" if mine else "un autre cahier"
    for path in siblings:
        try:
            other = notebook_io.read(path)
        except Exception:  # une solution illisible ne doit pas empêcher la correction
            continue
        same_title = mine and _norm(assignment_title(other) or "") == _norm(mine)
        theirs_locked = _locked_sources(other)
        found = theirs_locked & {c.get("source", "").strip() for c in cells}
        if same_title or (theirs_locked and len(found) * 2 >= len(theirs_locked)):
            which = f"« {assignment_title(other) or Path(path).stem} » ({Path(path).stem})"
            break
    return f"copie d'un autre devoir : {which}, pas « {theirs or 'ce devoir'} »"
