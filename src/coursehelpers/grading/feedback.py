"""Retour écrit à l'élève (Markdown, en français).

Le retour reprend le verdict de chaque exercice et l'indice de l'auteur, puis, pour une
réponse rédigée, les points et le commentaire du formateur dès qu'ils sont saisis. Il ne
montre jamais le code des tests cachés, le texte des solutions, les valeurs attendues, ni
les signaux réservés au formateur (copies qui se ressemblent).
"""

from __future__ import annotations

from collections.abc import Mapping

from coursehelpers.grading.gradebook import NO_MARK, STATUS_TEXT, points_text, pts

_UNSCORED = ("absente", "a_faire", "non_evalue")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _sentence(parts) -> str:
    text = " ; ".join(p.strip().rstrip(".") for p in parts if p.strip())
    return text[:1].upper() + text[1:] + "." if text else ""


def render_feedback(res: Mapping, row: Mapping, entries: Mapping[tuple[str, str], Mapping] | None = None,
                    *, scale: float = 20) -> str:
    """Texte Markdown du retour d'une copie.

    Paramètres
    ----------
    res : résultat de la correction de la copie (:func:`~coursehelpers.grading.autograde.grade_one`).
    row : sa ligne du carnet de notes (:func:`~coursehelpers.grading.gradebook.merge`).
    entries : points et commentaires saisis pour les réponses rédigées, par (élève, exercice).
    scale : échelle de la note.
    """
    entries = entries or {}
    note = row.get(f"note_sur_{points_text(scale)}", "")
    status = row["statut"]
    lines = [f"# Retour de correction — {res['eleve']}", ""]
    if note:
        lines.append(f"**Note : {note} / {points_text(scale)}** ({row['total']} / {row['maximum']} points).")
    elif status in NO_MARK:
        lines.append(f"**Pas de note pour l'instant** : {STATUS_TEXT[status]}.")
    else:
        lines.append(f"**Points automatiques : {row['total']} / {row['maximum']}** ; la note sur "
                     f"{points_text(scale)} viendra quand votre formateur aura noté vos réponses rédigées.")
    lines += ["", f"Statut de la copie : {status} ({STATUS_TEXT.get(status, '')})."]
    remarks = _sentence(res.get("motif", []))
    if remarks:
        lines += ["", f"Remarques du correcteur : {remarks}"]
    errors = res.get("erreurs", [])
    if errors:
        lines += ["", "Erreurs dans vos cellules (à corriger en premier) :", ""]
        lines += [f"- cellule « {cell} » : {ename} — {message}" if message
                  else f"- cellule « {cell} » : {ename}" for cell, ename, message in errors]
    if status in NO_MARK:
        return "\n".join(lines) + "\n"
    lines += ["", "| Exercice | Points | Résultat |", "|---|---|---|"]
    for ex in res["exercices"]:
        entry = entries.get((res["eleve"], ex["id"])) or {}
        if ex["manual"]:
            got = ex["got"] if ex["got"] is not None else entry.get("points")
            if ex["got"] is not None:
                verdict = "pas de réponse rédigée"
            elif got is None:
                verdict = "réponse rédigée, en attente de notation"
            else:
                verdict = "réponse rédigée, notée par votre formateur"
            shown = points_text(got) or "…"
            lines.append(f"| {ex['id']} | {shown} / {points_text(ex['points'])} | {verdict} |")
        else:
            mark = ("Juste : réussi" if ex["got"] == ex["points"] else
                    "Presque : en partie réussi" if ex["got"] else "À revoir")
            lines.append(f"| {ex['id']} | {points_text(ex['got'])} / {points_text(ex['points'])} | {mark} |")
    for ex in res["exercices"]:
        lines += ["", f"## {ex['id']} ({pts(ex['points'])})", ""]
        if ex["manual"]:
            entry = entries.get((res["eleve"], ex["id"])) or {}
            if ex["got"] is not None:
                lines.append("Pas de réponse rédigée : 0 point.")
                continue
            lines += ["Votre réponse :", "", _quote(ex.get("text", "").strip()), ""]
            if entry.get("points") is not None:
                lines.append(f"Points donnés par votre formateur : {points_text(entry['points'])} / "
                             f"{points_text(ex['points'])}.")
            else:
                lines.append("Elle sera notée par votre formateur.")
            if entry.get("commentaire"):
                lines += ["", f"Commentaire de votre formateur : {entry['commentaire']}"]
            continue
        if ex["got"] == ex["points"]:  # points par réponse : « juste » seulement si tout est juste
            lines.append("Juste : réponse juste.")
            continue
        for var, ok, kind, message in ex["verdicts"]:
            if ok:
                continue
            lines.append(f"- À revoir : {message}")
            hint = ex.get("hints", {}).get(var)
            if hint and kind not in _UNSCORED:
                lines.append(f"  - Indice : {hint}")
    return "\n".join(lines) + "\n"
