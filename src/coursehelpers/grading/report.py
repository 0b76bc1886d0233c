"""Rapport de classe : une page HTML autonome (hors ligne, imprimable en A4) après la correction.

Contenu : moyenne, médiane et répartition des notes (histogramme), taux de réussite par exercice
(barres), erreurs les plus fréquentes par exercice (tirées des verdicts), copies non rendues ou
qui n'ont pas pu être notées, copies qui se ressemblent (signal réservé au formateur), tableau
par élève. Figures en SVG dans la page (aucun fichier ni réseau), nombres au format français.

Taux de réussite d'un exercice = somme des points obtenus / somme des points possibles, sur les
copies notées pour cet exercice (une réponse rédigée pas encore notée n'entre pas dans le calcul).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from coursehelpers.grading.gradebook import NO_MARK, parse_points, points_text

KIND_LABEL = {
    "valeur": "valeur fausse", "type": "mauvais type", "forme": "mauvaise taille", "index":
    "mauvaises étiquettes ou mauvais ordre", "nan": "valeurs manquantes", "a_faire": "pas de réponse",
    "absente": "variable absente", "tolerance": "presque (hors précision)", "non_evalue":
    "non évalué (exécution arrêtée)", "erreur": "la cellule de réponse s'arrête sur une erreur",
    "parentheses": "fonction sans parenthèses", "virgule": "virgule décimale au lieu du point",
    "ordre": "bon contenu, mauvais ordre", "pourcentage": "pourcentage au lieu de proportion (ou l'inverse)",
    "presque": "presque (hors précision)",
}
MAX_PAIRS = 15
CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #222; margin: 0 auto;
       max-width: 180mm; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; }
.meta { color: #555; margin-bottom: 4mm; }
.chiffres { display: flex; gap: 4mm; flex-wrap: wrap; }
.chiffres div { border: 1px solid #bbb; border-radius: 2mm; padding: 2mm 4mm; }
.chiffres b { display: block; font-size: 15pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; white-space: nowrap; }
tr, figure, .bloc { page-break-inside: avoid; break-inside: avoid; }
figure { margin: 2mm 0; } figcaption { font-size: 9pt; color: #555; }
.signal { background: #fff7e0; border-left: 3px solid #e0a000; padding: 2mm 3mm; }
"""


def fr(x: float, digits: int = 1) -> str:
    """Nombre au format français : ``12,5`` ; ``1 234,5`` (espace fine insécable des milliers)."""
    text = f"{x:,.{digits}f}".replace(",", "\N{NARROW NO-BREAK SPACE}").replace(".", ",")
    return text


def pct(x: float) -> str:
    """Pourcentage français : ``0.125`` → ``12,5 %``."""
    return f"{fr(100 * x)}\N{NO-BREAK SPACE}%"


def _e(text) -> str:
    return html.escape(str(text))


def _mark_of(row: Mapping, scale: float) -> float | None:
    text = row.get(f"note_sur_{points_text(scale)}", "")
    return parse_points(text) if text else None


def summary(rows: Sequence[Mapping], *, scale: float = 20) -> dict:
    """Chiffres de la classe : ``n`` copies, ``notees``, ``moyenne``, ``mediane``, ``min``, ``max``."""
    marks = [m for m in (_mark_of(r, scale) for r in rows) if m is not None]
    out = {"n": len(rows), "notees": len(marks), "moyenne": None, "mediane": None, "min": None, "max": None}
    if marks:
        out.update(moyenne=statistics.fmean(marks), mediane=statistics.median(marks), min=min(marks),
                   max=max(marks))
    return out


def histogram(rows: Sequence[Mapping], *, scale: float = 20,
              bins: int = 10) -> list[tuple[float, float, int]]:
    """Répartition des notes : ``(début, fin, effectif)`` ; classes [a ; b[, la dernière fermée."""
    width = scale / bins
    counts = [0] * bins
    for r in rows:
        m = _mark_of(r, scale)
        if m is not None:
            counts[min(bins - 1, int(m // width))] += 1
    return [(k * width, (k + 1) * width, c) for k, c in enumerate(counts)]


def success_rates(copies: Sequence[Mapping], rows: Sequence[Mapping]) -> list[tuple[str, float | None, int]]:
    """Par exercice : ``(exercice, points obtenus / points possibles, copies prises en compte)``."""
    by_ex: dict[str, list[float]] = {}
    for res, row in zip(copies, rows, strict=True):
        if row["statut"] in NO_MARK:
            continue
        for ex in res["exercices"]:
            cell = row.get(ex["id"], "")
            got = by_ex.setdefault(ex["id"], [0.0, 0.0, 0])
            if cell in ("", "à noter") or not ex["points"]:
                continue
            got[0] += parse_points(cell)
            got[1] += ex["points"]
            got[2] += 1
    return [(gid, (g / m if m else None), int(n)) for gid, (g, m, n) in by_ex.items()]


def frequent_errors(copies: Sequence[Mapping], *, top: int = 3) -> dict[str, list[tuple[str, int]]]:
    """Par exercice : les diagnostics d'échec les plus fréquents ``(diagnostic, nombre de copies)``."""
    out: dict[str, Counter] = {}
    for res in copies:
        for ex in res["exercices"]:
            if ex.get("manual") or not ex.get("verdicts"):
                continue
            seen = set()
            for var, ok, kind, _message in ex["verdicts"]:
                if ok:
                    continue
                label = (f"« {var} » : " if var else "") + KIND_LABEL.get(kind, kind)
                if label not in seen:
                    seen.add(label)
                    out.setdefault(ex["id"], Counter())[label] += 1
    return {gid: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:top] for gid, c in out.items()}


def _svg_histogram(hist: list[tuple[float, float, int]], scale: float) -> str:
    w, h, left, bottom = 620, 220, 36, 30
    top = max([c for *_, c in hist] + [1])
    bw = (w - left - 10) / len(hist)
    parts = [f'<svg class="histogramme" viewBox="0 0 {w} {h}" width="100%" role="img" '
             'aria-label="Répartition des notes" font-size="11">']
    for k in range(top + 1):
        y = h - bottom - (h - bottom - 16) * k / top
        parts.append(f'<line x1="{left}" x2="{w - 6}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{k}</text>')
    for k, (a, b, c) in enumerate(hist):
        x = left + k * bw
        bh = (h - bottom - 16) * c / top
        parts.append(f'<rect data-debut="{a:g}" data-effectif="{c}" x="{x + 2:.1f}" '
                     f'y="{h - bottom - bh:.1f}" width="{bw - 4:.1f}" height="{bh:.1f}" fill="#3a6ea5"/>')
        if c:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{h - bottom - bh - 3:.1f}" '
                         f'text-anchor="middle">{c}</text>')
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{h - bottom + 14}" text-anchor="middle">'
                     f'{fr(a, 0)}–{fr(b, 0)}</text>')
    parts.append(f'<text x="{w / 2}" y="{h - 2}" text-anchor="middle">note sur {points_text(scale)}</text>'
                 f'<text x="10" y="12">copies</text></svg>')
    return "".join(parts)


def _svg_rates(rates: list[tuple[str, float | None, int]]) -> str:
    row_h, left, w = 24, 110, 620
    h = row_h * len(rates) + 24
    parts = [f'<svg class="reussite" viewBox="0 0 {w} {h}" width="100%" role="img" '
             'aria-label="Taux de réussite par exercice" font-size="11">']
    span = w - left - 70
    for k in (0, 0.5, 1):
        x = left + span * k
        parts.append(f'<line x1="{x}" x2="{x}" y1="0" y2="{h - 18}" stroke="#ddd"/>'
                     f'<text x="{x}" y="{h - 4}" text-anchor="middle">{pct(k).replace(",0", "")}</text>')
    for i, (gid, rate, _n) in enumerate(rates):
        y = i * row_h + 4
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{_e(gid)}</text>')
        if rate is None:
            parts.append(f'<text x="{left + 4}" y="{y + 14}" fill="#777">pas encore noté</text>')
            continue
        parts.append(f'<rect data-exercice="{_e(gid)}" data-taux="{rate:.4f}" x="{left}" y="{y}" '
                     f'width="{span * rate:.1f}" height="{row_h - 8}" fill="#5a9e6f"/>'
                     f'<text x="{left + span * rate + 4:.1f}" y="{y + 13}">{pct(rate)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _roster(path: str | Path | None) -> list[str]:
    if not path:
        return []
    text = Path(path).read_text(encoding="utf-8-sig")
    return [line.split(";")[0].split(",")[0].strip() for line in text.splitlines() if line.strip()]


def render(details: Mapping, rows: Sequence[Mapping], *, scale: float = 20, roster: Sequence[str] = (),
           pairs: Sequence[Mapping] = (), title: str | None = None, today: dt.date | None = None) -> str:
    """Texte HTML du rapport (voir le module). ``roster`` : identifiants des élèves de la classe."""
    copies = details["copies"]
    stats = summary(rows, scale=scale)
    hist = histogram(rows, scale=scale)
    rates = success_rates(copies, rows)
    errors = frequent_errors(copies)
    today = today or dt.date.today()
    name = title or details.get("titre") or details.get("devoir", "devoir")
    s = points_text(scale)
    out = ["<!DOCTYPE html>", '<html lang="fr"><head><meta charset="utf-8">',
           f"<title>Rapport de classe — {_e(name)}</title><style>{CSS}</style></head><body>",
           f"<h1>Rapport de classe — {_e(name)}</h1>",
           f'<p class="meta">Corrigé le {today:%d/%m/%Y} · {stats["n"]} copie(s) · note sur {s}</p>',
           '<div class="chiffres">']

    def box(label: str, value: str) -> None:
        out.append(f'<div><b data-chiffre="{_e(label)}">{value}</b>{_e(label)}</div>')

    box("moyenne", f"{fr(stats['moyenne'], 2)} / {s}" if stats["notees"] else "—")
    box("médiane", f"{fr(stats['mediane'], 2)} / {s}" if stats["notees"] else "—")
    box("copies notées", f"{stats['notees']} / {stats['n']}")
    if stats["notees"]:
        box("note la plus basse / haute", f"{fr(stats['min'], 1)} – {fr(stats['max'], 1)}")
    out.append("</div>")
    out += ["<h2>Répartition des notes</h2>", '<figure>', _svg_histogram(hist, scale),
            f"<figcaption>Nombre de copies par tranche de {fr(scale / 10, 0)} points "
            f"({stats['notees']} copie(s) notée(s)).</figcaption></figure>",
            "<h2>Réussite par exercice</h2>", "<figure>", _svg_rates(rates),
            "<figcaption>Points obtenus / points possibles, sur les copies notées pour l'exercice."
            "</figcaption></figure>"]
    out.append("<h2>Erreurs les plus fréquentes</h2>")
    if errors:
        out.append("<table><tr><th>exercice</th><th>diagnostic</th><th>copies</th></tr>")
        for gid, items in errors.items():
            for label, count in items:
                out.append(f'<tr><td>{_e(gid)}</td><td>{_e(label)}</td><td class="n">{count}</td></tr>')
        out.append("</table>")
    else:
        out.append("<p>Aucune erreur relevée.</p>")
    out.append("<h2>Copies manquantes ou à reprendre</h2>")
    handed = {r["eleve"] for r in rows}
    missing = [st for st in roster if st not in handed]
    problems = [r for r in rows if r["statut"] in (*NO_MARK, "non remplie")]
    if not missing and not problems:
        out.append("<p>Toutes les copies ont été lues et corrigées.</p>")
    else:
        out.append("<table><tr><th>élève</th><th>situation</th><th>motif</th></tr>")
        out += [f'<tr class="manquant"><td>{_e(st)}</td><td>pas de copie rendue</td><td></td></tr>'
                for st in missing]
        out += [f'<tr class="a-reprendre"><td>{_e(r["eleve"])}</td><td>{_e(r["statut"])}</td>'
                f'<td>{_e(r["motif"])}</td></tr>' for r in problems]
        out.append("</table>")
    out.append("<h2>Copies qui se ressemblent</h2>")
    if pairs:
        out.append('<div class="signal bloc"><p>Réponses de code presque identiques une fois les noms, '
                   "les espaces et les commentaires effacés. C'est un <b>signal</b> à regarder, pas une "
                   "preuve : il n'apparaît dans aucun retour d'élève.</p><table><tr><th>copies</th>"
                   "<th>score</th><th>exercices presque identiques</th></tr>")
        for p in pairs[:MAX_PAIRS]:
            detail = ", ".join(f"{gid} (réponses {kind}, {pct(r)})" for gid, r, kind in p["exercices"])
            out.append(f'<tr class="paire"><td>{_e(p["a"])} et {_e(p["b"])}</td>'
                       f'<td class="n">{fr(p["score"], 1)}</td><td>{_e(detail)}</td></tr>')
        out.append("</table>")
        if len(pairs) > MAX_PAIRS:
            out.append(f"<p>… et {len(pairs) - MAX_PAIRS} autre(s) paire(s), de score plus faible.</p>")
        out.append("</div>")
    else:
        out.append("<p>Aucune paire de copies aux réponses presque identiques.</p>")
    ids = [ex["id"] for ex in copies[0]["exercices"]] if copies else []
    out.append("<h2>Tableau par élève</h2><table><tr><th>élève</th>"
               + "".join(f"<th>{_e(g)}</th>" for g in ids)
               + f"<th>total</th><th>max.</th><th>note / {s}</th><th>statut</th></tr>")
    for r in rows:
        cells = "".join(f'<td class="n">{_e(r.get(g, ""))}</td>' for g in ids)
        out.append(f'<tr><td>{_e(r["eleve"])}</td>{cells}<td class="n">{_e(r["total"])}</td>'
                   f'<td class="n">{_e(r["maximum"])}</td><td class="n">{_e(r[f"note_sur_{s}"])}</td>'
                   f'<td>{_e(r["statut"])}</td></tr>')
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"


def write_report(path: str | Path, details: Mapping, rows: Sequence[Mapping], *, scale: float = 20,
                 roster: str | Path | None = None, given: Mapping[str, str] | None = None) -> Path:
    """Écrit le rapport HTML de façon atomique ; renvoie son chemin.

    ``roster`` : fichier de la classe (un identifiant d'élève par ligne, ou CSV dont la première
    colonne est l'identifiant) pour lister les copies non rendues. ``given`` : code fourni par
    l'énoncé, par exercice (ignoré pour repérer les copies qui se ressemblent).
    """
    from coursehelpers.grading.similarity import similar_pairs

    path = Path(path)
    pairs = similar_pairs(details["copies"], given=given)
    text = render(details, rows, scale=scale, roster=_roster(roster), pairs=pairs)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
