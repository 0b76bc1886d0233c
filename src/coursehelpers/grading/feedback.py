"""Retour écrit à l'élève (Markdown, en français).

Le retour reprend le verdict de chaque exercice et l'indice de l'auteur ; il ne montre
jamais le code des tests cachés, le texte des solutions ni les valeurs attendues.
"""

from __future__ import annotations

from collections.abc import Sequence

from coursehelpers.grading.notebook_io import MARKDOWN_STUB

STATUS_TEXT = {
    "ok": "copie exécutée jusqu'au bout",
    "timeout": "une cellule a dépassé le délai d'exécution",
    "erreur": "l'exécution s'est arrêtée avant la fin",
    "illisible": "copie illisible ou d'un autre devoir",
}


def _pts(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def render_feedback(name: str, row: dict, details: list[dict],
                    errors: Sequence[tuple[str, str, str]] = ()) -> str:
    """Texte Markdown du retour pour la copie ``name``.

    ``errors`` : erreurs Python levées par les cellules de l'élève (cellule, type, message) ;
    leur message, écrit par Python ou par la bibliothèque du cours, l'aide à se corriger.
    """
    lines = [f"# Retour de correction — {name}", ""]
    lines.append(f"**Note automatique : {row['total']} / {row['maximum']} points** "
                 f"(statut : {row['statut']} — {STATUS_TEXT.get(row['statut'], '')}).")
    if row.get("motif"):
        lines += ["", f"Remarques du correcteur : {row['motif']}."]
    if errors:
        lines += ["", "Erreurs dans vos cellules (à corriger en premier) :", ""]
        lines += [f"- cellule « {cell} » : {ename} — {message}" if message
                  else f"- cellule « {cell} » : {ename}" for cell, ename, message in errors]
    lines += ["", "| Exercice | Points | Résultat |", "|---|---|---|"]
    for d in details:
        if d["manual"]:
            lines.append(f"| {d['id']} | ? / {_pts(d['points'])} | réponse rédigée, à corriger |")
        else:
            mark = ("\N{WHITE HEAVY CHECK MARK} réussi" if d["got"] == d["points"] else
                    "en partie réussi" if d["got"] else "\N{CROSS MARK} à revoir")
            lines.append(f"| {d['id']} | {_pts(d['got'])} / {_pts(d['points'])} | {mark} |")
    for d in details:
        lines += ["", f"## {d['id']}", ""]
        if d["manual"]:
            text = d.get("text", "").strip()
            if not text or text == MARKDOWN_STUB:
                lines.append("Pas de réponse rédigée.")
            else:
                lines += ["Votre réponse (corrigée par votre formateur) :", "", _quote(text)]
            continue
        if d["got"] == d["points"]:  # points par réponse : « juste » seulement si tout est juste
            lines.append("\N{WHITE HEAVY CHECK MARK} Réponse juste.")
            continue
        for var, ok, kind, message in d["verdicts"]:
            if ok:
                continue
            lines.append(f"- \N{CROSS MARK} {message}")
            hint = d.get("hints", {}).get(var)
            if hint and kind not in ("absente", "a_faire", "non_evalue"):
                lines.append(f"  - \N{ELECTRIC LIGHT BULB} Indice : {hint}")
    return "\n".join(lines) + "\n"
