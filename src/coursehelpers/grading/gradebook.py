"""Carnet de notes final : points automatiques + points des réponses rédigées → note sur 20.

Une ligne par copie : ``eleve``, ``fichier``, une colonne par exercice, ``total``, ``maximum``
(tous les points du devoir, rédactions comprises), ``note_sur_20`` (échelle réglable),
``statut``, ``motif``. Le CSV (séparateur ``;``, virgule décimale, UTF-8 avec BOM) s'ouvre
tel quel dans Excel ou LibreOffice et se colle dans le logiciel de vie scolaire.

Une copie n'a **pas de note** tant qu'une de ses réponses rédigées n'est pas notée (statut
``à noter``), ni quand la machine l'a empêchée d'être corrigée (``à regrader``), ni quand ce
n'est pas une copie de ce devoir (``autre devoir``, ``illisible``) : le motif dit pourquoi.

>>> mark(7, 9, scale=20, step=0.5)
15.5
>>> points_text(2.5), points_text(3.0)
('2,5', '3')
>>> pts(1), pts(2.5)
('1 pt', '2,5 pts')
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

# Statuts d'une copie, du plus grave au plus bénin.
NO_MARK = ("autre devoir", "illisible", "à regrader")
TO_MARK = "à noter"
STATUS_TEXT = {
    "ok": "copie exécutée jusqu'au bout",
    "à noter": "exécutée jusqu'au bout ; réponse rédigée pas encore notée",
    "non remplie": "aucun exercice commencé",
    "timeout": "une cellule a dépassé le délai d'exécution",
    "erreur": "l'exécution s'est arrêtée avant la fin",
    "illisible": "fichier illisible",
    "autre devoir": "copie d'un autre devoir",
    "à regrader": "la machine n'a pas pu corriger cette copie : à corriger de nouveau",
}


def points_text(x: float | None) -> str:
    """Points au format français (virgule décimale, sans zéro inutile) ; ``None`` → vide."""
    if x is None:
        return ""
    return f"{round(x, 2):g}".replace(".", ",")


def pts(x: float) -> str:
    """« 1 pt », « 2,5 pts »."""
    return f"{points_text(x)} {'pt' if abs(x) <= 1 else 'pts'}"


def parse_points(text: str) -> float:
    """« 1,5 » ou « 1.5 » → 1.5 ; lève ``ValueError`` sinon."""
    return float(str(text).strip().replace("\N{NO-BREAK SPACE}", "").replace(" ", "").replace(",", "."))


def mark(total: float, maximum: float, *, scale: float = 20, step: float = 0.5) -> float:
    """Note sur ``scale`` : total / maximum × scale, arrondie au ``step`` le plus proche (demi au-dessus).

    Paramètres
    ----------
    total, maximum : points obtenus et points possibles (maximum > 0).
    scale : note maximale (20 par défaut).
    step : pas d'arrondi (0,5 : au demi-point ; 0,01 : au centième).
    """
    if maximum <= 0:
        raise ValueError("maximum doit être positif")
    raw = total / maximum * scale
    return round(math.floor(raw / step + 0.5 + 1e-9) * step, 2)


def merge(results: Sequence[Mapping], entries: Mapping[tuple[str, str], Mapping], *,
          scale: float = 20, step: float = 0.5) -> list[dict]:
    """Lignes du carnet de notes : résultats de la correction en lot + points saisis à la main.

    Paramètres
    ----------
    results : résultats par copie (voir :func:`coursehelpers.grading.autograde.grade_one`).
    entries : ``{(eleve, exercice): {"points": float | None, "commentaire": str, "empreinte": str}}``
        lus dans la feuille de notation des réponses rédigées.
    scale, step : échelle et arrondi de la note (voir :func:`mark`).

    Renvoie
    -------
    list[dict] : une ligne (textes) par copie, dans l'ordre de ``results``.
    """
    label = f"note_sur_{points_text(scale)}"
    rows = []
    for res in results:
        row = {"eleve": res["eleve"], "fichier": res["fichier"]}
        status = res["statut"]
        reasons = list(res["motif"])
        total, maximum, pending, changed = 0.0, 0.0, [], []
        for ex in res["exercices"]:
            maximum += ex["points"]
            got = ex.get("got")
            if status in NO_MARK:
                row[ex["id"]] = ""
                continue
            if ex["manual"] and got is None:
                entry = entries.get((res["eleve"], ex["id"])) or {}
                got = entry.get("points")
                if got is None:
                    pending.append(ex)
                elif entry.get("empreinte") and entry["empreinte"] != ex.get("empreinte"):
                    changed.append(ex["id"])
            row[ex["id"]] = TO_MARK if got is None else points_text(got)
            total += got or 0.0
        if pending:
            todo = sum(ex["points"] for ex in pending)
            reasons.append("réponse(s) rédigée(s) à noter : " + ", ".join(ex["id"] for ex in pending)
                           + f" ({pts(todo)})")
            if status == "ok":
                status = TO_MARK
        if changed:
            reasons.append("réponse rédigée modifiée depuis votre notation (" + ", ".join(changed)
                           + ") : points gardés, vérifiez-les")
        final = status not in NO_MARK and not pending and maximum > 0
        row.update({"total": "" if status in NO_MARK else points_text(total),
                    "maximum": points_text(maximum),
                    label: points_text(mark(total, maximum, scale=scale, step=step)) if final else "",
                    "statut": status, "motif": " ; ".join(reasons)})
        rows.append(row)
    return rows


def columns(exercise_ids: Sequence[str], *, scale: float = 20) -> list[str]:
    return ["eleve", "fichier", *exercise_ids, "total", "maximum", f"note_sur_{points_text(scale)}",
            "statut", "motif"]


def write_csv(rows: Sequence[Mapping], columns: Sequence[str], out: str | Path) -> Path:
    """Écrit le carnet de notes de façon atomique (fichier temporaire puis ``os.replace``)."""
    out = Path(out)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), delimiter=";", lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8-sig")
    os.replace(tmp, out)
    return out
