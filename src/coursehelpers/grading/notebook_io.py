"""Lecture, écriture déterministe et transformation des notebooks d'exercices.

Les marqueurs et métadonnées sont ceux de nbgrader (``### BEGIN SOLUTION``,
``### BEGIN HIDDEN TESTS``, ``metadata.nbgrader``), complétés par
``metadata.coursehelpers`` (noms des variables réponses, tolérance, indices).

>>> strip_region("a = 1\\n### BEGIN SOLUTION\\nb = 2\\n### END SOLUTION\\n", "SOLUTION", "# ICI")
'a = 1\\n# ICI\\n'
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import nbformat

from coursehelpers.errors import DataError

NB_MINOR = 5
STUB_MARK = "# VOTRE CODE ICI"
QUIZ_MARK = '# VOTRE RÉPONSE ICI : écrivez la lettre choisie entre guillemets, par exemple "A"'
MARKDOWN_STUB = "VOTRE RÉPONSE ICI"
NOT_IMPLEMENTED = 'raise NotImplementedError("Écrivez votre code à la place de cette ligne.")'
_ID_OK = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def nbgrader_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def ch_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("coursehelpers", {}) or {}


def cell_kind(cell: dict) -> str:
    """Rôle d'une cellule : ``solution``, ``test``, ``manual``, ``locked`` ou ``free``."""
    meta = nbgrader_meta(cell)
    if meta.get("solution") and meta.get("grade"):
        return "manual" if cell.get("cell_type") == "markdown" else "solution"
    if meta.get("solution"):
        return "solution"
    if meta.get("grade"):
        return "test"
    if meta.get("locked"):
        return "locked"
    return "free"


def grade_id(cell: dict) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def strip_region(source: str, tag: str, replacement: str | None) -> str:
    """Remplace chaque région ``### BEGIN tag`` ... ``### END tag`` par ``replacement``.

    L'indentation de la ligne ``BEGIN`` est reportée sur le remplacement ;
    ``replacement=None`` supprime la région.
    """
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        marker = line.strip()
        if marker == f"### BEGIN {tag}":
            if inside:
                raise DataError(f"Marqueur « ### BEGIN {tag} » ouvert deux fois de suite.")
            inside = True
            if replacement is not None:
                indent = line[: len(line) - len(line.lstrip())]
                out.extend(indent + r if r else r for r in replacement.splitlines())
            continue
        if marker == f"### END {tag}":
            if not inside:
                raise DataError(f"Marqueur « ### END {tag} » sans « ### BEGIN {tag} ».")
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise DataError(f"Marqueur « ### BEGIN {tag} » jamais refermé par « ### END {tag} ».")
    return "\n".join(out) + ("\n" if source.endswith("\n") else "")


def region_lines(source: str, tag: str) -> list[str]:
    """Lignes situées à l'intérieur des régions ``tag`` (pour les tests de fuite)."""
    lines, inside = [], False
    for line in source.splitlines():
        if line.strip() == f"### BEGIN {tag}":
            inside = True
        elif line.strip() == f"### END {tag}":
            inside = False
        elif inside:
            lines.append(line)
    return lines


def code_stub(cell: dict) -> str:
    """Texte élève d'une région solution de code.

    Si la solution affecte des variables réponses (``taux = ...``), l'élève voit
    ``taux = ...`` : la vérification pourra dire « remplacez ... par votre calcul ».
    Sinon (fonction à écrire...), un ``raise NotImplementedError`` explicite.
    """
    answers = ch_meta(cell).get("answers", [])
    sol = "\n".join(region_lines(cell.get("source", ""), "SOLUTION"))
    assigned = [a for a in answers if re.search(rf"^{re.escape(a)}\s*=", sol, flags=re.M)]
    if assigned and ch_meta(cell).get("quiz"):
        return "\n".join([QUIZ_MARK, *(f"{a} = ..." for a in assigned)])
    if assigned:
        return "\n".join([STUB_MARK, *(f"{a} = ..." for a in assigned)])
    return f"{STUB_MARK}\n{NOT_IMPLEMENTED}"


def student_cell(cell: dict) -> dict | None:
    """Version élève d'une cellule (``None`` : cellule à ne pas distribuer)."""
    new = copy.deepcopy(dict(cell))
    source = cell.get("source", "")
    kind = cell_kind(cell)
    if kind == "manual" or (kind == "solution" and cell.get("cell_type") == "markdown"):
        new["source"] = MARKDOWN_STUB
    elif kind == "solution":
        if "### BEGIN SOLUTION" in source:
            new["source"] = strip_region(source, "SOLUTION", code_stub(cell))
        else:
            new["source"] = code_stub(cell)
    if new.get("cell_type") == "code":
        new["source"] = strip_region(new["source"], "HIDDEN TESTS", None).rstrip("\n")
        new["outputs"] = []
        new["execution_count"] = None
    meta = new.get("metadata", {})
    if "coursehelpers" in meta:  # indices et valeurs de secours : seulement dans la cellule technique
        meta["coursehelpers"] = {k: v for k, v in meta["coursehelpers"].items()
                                 if k not in ("model", "hints", "fallback")}
    for key in ("execution", "collapsed", "scrolled"):
        meta.pop(key, None)
    return new


def student_version(nb: dict) -> dict:
    """Notebook élève : solutions remplacées, tests cachés retirés, sorties effacées."""
    out = copy.deepcopy(dict(nb))
    out["cells"] = [c for c in (student_cell(c) for c in nb["cells"]) if c is not None]
    meta = out.setdefault("metadata", {})
    meta.pop("widgets", None)
    ch = meta.get("coursehelpers", {})
    meta["coursehelpers"] = {k: v for k, v in ch.items() if k in ("title",)}
    meta["coursehelpers"]["content_sha"] = content_sha(out)
    return out


def content_sha(nb: dict) -> str:
    """Empreinte du contenu des cellules (type, source, sorties) : repère une copie modifiée."""
    payload = [[c.get("cell_type"), c.get("source", ""), c.get("outputs", []),
                c.get("execution_count")] for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def normalize(nb: dict) -> dict:
    """Forme canonique : nbformat 4.5, sources en texte, identifiants de cellules stables."""
    nb = copy.deepcopy(dict(nb))
    nb["nbformat"], nb["nbformat_minor"] = 4, NB_MINOR
    seen: set[str] = set()
    for i, cell in enumerate(nb["cells"]):
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        gid = grade_id(cell)
        cid = gid if gid and _ID_OK.match(gid) and gid not in seen else f"cell-{i:03d}"
        cell["id"] = cid
        seen.add(cid)
        cell.setdefault("metadata", {})
        if cell["cell_type"] == "code":
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)
    return nb


def dumps(nb: dict) -> str:
    """Octets déterministes : clés triées, indentation 1, fin de ligne finale."""
    return json.dumps(normalize(nb), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write(nb: dict, path: str | Path) -> Path:
    """Écrit le notebook de façon atomique (fichier temporaire puis remplacement)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(dumps(nb), encoding="utf-8")
    tmp.replace(path)
    return path


def read(path: str | Path) -> nbformat.NotebookNode:
    """Lit un notebook (format 4) ; lève ``DataError`` en français s'il est illisible."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"notebook illisible ({type(exc).__name__}) : fichier corrompu ou qui "
                        "n'est pas un notebook Jupyter.", path=path) from None
    if not isinstance(nb.get("cells"), list):
        raise DataError("notebook illisible : pas de liste de cellules.", path=path)
    for cell in nb.cells:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return nb


def points_summary(nb: dict) -> dict:
    """Barème d'un cahier lu dans les métadonnées nbgrader.

    Retourne ``{"exercices": n, "auto": points corrigés automatiquement,
    "rediges": points des réponses rédigées, "manuels": [grade_id des réponses rédigées]}``.
    Un exercice = une cellule notée (``grade: true``) : cellule de test ou réponse rédigée.
    """
    auto, manual_points, manual = 0.0, 0.0, []
    for cell in nb.get("cells", []):
        meta = nbgrader_meta(cell)
        if not meta.get("grade"):
            continue
        if cell.get("cell_type") == "markdown":
            manual.append(meta.get("grade_id"))
            manual_points += float(meta.get("points", 0))
        else:
            auto += float(meta.get("points", 0))
    count = sum(1 for c in nb.get("cells", []) if nbgrader_meta(c).get("grade"))
    return {"exercices": count, "auto": auto, "rediges": manual_points, "manuels": manual}
