"""Notation des réponses rédigées : une feuille de calcul écrite, remplie par le formateur, relue.

Pourquoi une feuille de calcul (et pas un notebook à widgets) : elle s'ouvre hors ligne dans
Excel ou LibreOffice, sur n'importe quel poste, sans noyau Python ; le formateur l'enregistre
quand il veut (Ctrl+S) et peut la noter en plusieurs fois ; on peut la copier, l'envoyer à un
collègue, l'imprimer. Chaque exercice rédigé a son onglet : le **barème** et la **réponse
modèle** (tirés de ``solutions/``) en haut, puis une ligne par élève avec sa réponse, une case
**points** (validée entre 0 et le maximum) et une case **commentaire** (recopiée dans le retour
de l'élève).

- ``.xlsx`` (par défaut si ``openpyxl`` est installé) ; sinon ``.csv`` (``;``, UTF-8 avec BOM,
  relu aussi s'il a été réenregistré par Excel en Windows-1252 ou avec des virgules).
- Relancer la correction en lot **réécrit la feuille en gardant tout ce qui a été saisi** :
  points et commentaires sont repris par (élève, exercice) ; une réponse modifiée depuis sa
  notation est signalée, jamais effacée ; une copie absente de la nouvelle série garde sa ligne.
- Une feuille illisible ou une case points invalide arrête tout avec un message qui nomme le
  fichier, l'onglet (colonne) et la ligne : rien n'est écrasé.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from coursehelpers.errors import DataError
from coursehelpers.grading import notebook_io
from coursehelpers.grading.gradebook import parse_points, points_text

HEADER = ["eleve", "fichier", "reponse", "points", "commentaire", "empreinte"]
CSV_HEADER = ["exercice", "eleve", "fichier", "sur", "reponse", "points", "commentaire", "bareme",
              "empreinte"]
ABSENT = "(copie absente de la dernière correction)"


def answer_sha(text: str) -> str:
    """Empreinte courte d'une réponse rédigée (espaces normalisés)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def is_blank(text: str) -> bool:
    """Vrai si la réponse est vide ou encore le texte de l'énoncé (« VOTRE RÉPONSE ICI »)."""
    return not text.strip() or text.strip() == notebook_io.MARKDOWN_STUB


def rubrics(solution: dict) -> dict[str, dict]:
    """``{grade_id: {"points", "bareme", "modele"}}`` des réponses rédigées du notebook solution."""
    out = {}
    for cell in solution["cells"]:
        if notebook_io.cell_kind(cell) != "manual":
            continue
        body = "\n".join(notebook_io.region_lines(cell.get("source", ""), "SOLUTION")) or cell["source"]
        model = re.search(r"\*\*Réponse modèle :\*\*(.*?)(?=\*\*Barème :\*\*|$)", body, re.S)
        rubric = re.search(r"\*\*Barème :\*\*(.*)$", body, re.S)
        out[notebook_io.grade_id(cell)] = {
            "points": float(notebook_io.nbgrader_meta(cell).get("points", 0)),
            "modele": (model.group(1) if model else "").strip(),
            "bareme": (rubric.group(1) if rubric else body).strip()}
    return out


def sheet_path(gradebook: str | Path) -> Path:
    """Feuille de notation à côté du carnet : ``notes.csv`` → ``notes-redactions.xlsx`` (ou ``.csv``)."""
    gradebook = Path(gradebook)
    for ext in (".xlsx", ".csv"):
        existing = gradebook.with_name(f"{gradebook.stem}-redactions{ext}")
        if existing.exists():
            return existing
    return gradebook.with_name(f"{gradebook.stem}-redactions{'.xlsx' if _has_openpyxl() else '.csv'}")


def _has_openpyxl() -> bool:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


def _points(value, *, path: Path, where: str, line: int, maximum: float | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        got = float(value) if isinstance(value, int | float) else parse_points(value)
    except ValueError:
        raise DataError(f"points illisibles « {value} » : écrivez un nombre (ex. 1,5).",
                        path=path, column=where, line=line) from None
    if got < 0 or (maximum is not None and got > maximum + 1e-9):
        raise DataError(f"{points_text(got)} points : la note doit être entre 0 et {points_text(maximum)}.",
                        path=path, column=where, line=line)
    return got


def read_entries(path: str | Path, maxima: Mapping[str, float] | None = None) -> dict[tuple[str, str], dict]:
    """Points et commentaires saisis : ``{(eleve, exercice): {"points", "commentaire", "empreinte"}}``.

    Une ligne sans points ni commentaire n'est pas une saisie. Lève ``DataError`` (fichier,
    onglet ou colonne, ligne) si la feuille est illisible ou une case points invalide.
    """
    path = Path(path)
    if not path.exists():
        return {}
    maxima = dict(maxima or {})
    rows = _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path)
    out: dict[tuple[str, str], dict] = {}
    for gid, line, rec in rows:
        where = f"{gid} / points" if path.suffix.lower() == ".xlsx" else "points"
        points = _points(rec.get("points"), path=path, where=where, line=line,
                         maximum=maxima.get(gid, _float_or_none(rec.get("sur"))))
        comment = str(rec.get("commentaire") or "").strip()
        if points is None and not comment:
            continue
        out[(str(rec.get("eleve") or "").strip(), gid)] = {
            "points": points, "commentaire": comment, "empreinte": str(rec.get("empreinte") or "").strip(),
            "reponse": str(rec.get("reponse") or "")}
    return out


def _float_or_none(value) -> float | None:
    try:
        return parse_points(value) if value not in (None, "") else None
    except ValueError:
        return None


def _read_xlsx(path: Path) -> list[tuple[str, int, dict]]:
    try:
        import openpyxl
    except ImportError:
        raise DataError("lire la feuille .xlsx demande le module openpyxl : pip install openpyxl.",
                        path=path) from None
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:
        raise DataError(f"feuille de notation illisible ({type(exc).__name__}) : rien n'a été écrasé.",
                        path=path) from None
    out = []
    for sheet in book.worksheets:
        header_row = None
        for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [str(c).strip().lower() if c is not None else "" for c in row]
            if header_row is None:
                if cells[:1] == ["élève"]:
                    header_row = r
                continue
            rec = dict(zip(HEADER, row, strict=False))
            if rec.get("eleve"):
                out.append((sheet.title, r, rec))
    return out


def _read_csv(path: Path) -> list[tuple[str, int, dict]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.splitlines()[0] if text else ""
    delimiter = max(";,\t", key=first.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = {"exercice", "eleve", "points"} - set(reader.fieldnames or [])
    if missing:
        raise DataError("feuille de notation illisible : colonnes manquantes " + ", ".join(sorted(missing))
                        + " (rien n'a été écrasé).", path=path, line=1)
    return [(rec["exercice"].strip(), i, rec) for i, rec in enumerate(reader, start=2)
            if (rec.get("eleve") or "").strip()]


def update_sheet(path: str | Path, solution: dict, results: Sequence[Mapping]) -> tuple[Path, int]:
    """(Ré)écrit la feuille de notation en gardant les saisies ; renvoie (chemin, réponses à noter).

    Une ligne par réponse rédigée non vide de chaque copie notable ; les saisies déjà faites
    (points, commentaire) sont reprises, y compris celles d'une copie absente de ``results``.
    """
    path = Path(path)
    specs = rubrics(solution)
    kept = read_entries(path, {g: s["points"] for g, s in specs.items()})  # lève si illisible
    lines: dict[str, list[dict]] = {gid: [] for gid in specs}
    seen = set()
    for res in results:
        for ex in res["exercices"]:
            if not ex["manual"] or ex["id"] not in specs or ex.get("got") is not None or "text" not in ex:
                continue
            key = (res["eleve"], ex["id"])
            seen.add(key)
            entry = kept.get(key, {})
            lines[ex["id"]].append({
                "eleve": res["eleve"], "fichier": res["fichier"], "reponse": ex["text"],
                "points": entry.get("points"), "commentaire": entry.get("commentaire", ""),
                "empreinte": entry.get("empreinte") or ex["empreinte"]})
    for (student, gid), entry in kept.items():
        if (student, gid) not in seen and gid in lines:
            lines[gid].append({"eleve": student, "fichier": "", "reponse": entry.get("reponse") or ABSENT,
                               "points": entry["points"], "commentaire": entry["commentaire"],
                               "empreinte": entry["empreinte"]})
    todo = sum(1 for rows in lines.values() for r in rows if r["points"] is None)
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path, specs, lines)
    else:
        _write_csv(path, specs, lines)
    return path, todo


def _atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    write(tmp)
    os.replace(tmp, path)


def _write_csv(path: Path, specs: dict, lines: dict[str, list[dict]]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_HEADER, delimiter=";", lineterminator="\n")
    writer.writeheader()
    for gid, rows in lines.items():
        for r in rows:
            writer.writerow({"exercice": gid, "eleve": r["eleve"], "fichier": r["fichier"],
                             "sur": points_text(specs[gid]["points"]), "reponse": r["reponse"],
                             "points": points_text(r["points"]), "commentaire": r["commentaire"],
                             "bareme": specs[gid]["bareme"], "empreinte": r["empreinte"]})
    _atomic(path, lambda tmp: tmp.write_text(buf.getvalue(), encoding="utf-8-sig"))


def _write_xlsx(path: Path, specs: dict, lines: dict[str, list[dict]]) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    guide = book.active
    guide.title = "mode d'emploi"
    guide["A1"] = "Notation des réponses rédigées"
    guide["A1"].font = Font(bold=True, size=14)
    for i, text in enumerate([
            "Un onglet par exercice rédigé : barème et réponse modèle en haut, une ligne par élève.",
            "Saisissez les points (colonne D, entre 0 et le maximum) et, si vous voulez, un commentaire "
            "(colonne E) : il sera recopié dans le retour de l'élève.",
            "Enregistrez quand vous voulez (format .xlsx), puis relancez « coursehelpers » pour le "
            "carnet de notes final : vos saisies sont gardées, même si vous relancez la correction.",
            "Ne modifiez pas les colonnes élève et empreinte : elles relient votre note à la copie.",
            ], start=3):
        guide.cell(row=i, column=1, value=text)
    guide.column_dimensions["A"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="FFF2CC")
    for gid, rows in lines.items():
        spec = specs[gid]
        sheet = book.create_sheet(gid[:31])
        sheet["A1"] = f"{gid} — réponse rédigée sur {points_text(spec['points'])} point(s)"
        sheet["A1"].font = Font(bold=True, size=13)
        sheet["A2"], sheet["B2"] = "Barème", spec["bareme"]
        sheet["A3"], sheet["B3"] = "Réponse modèle", spec["modele"]
        for r in (2, 3):
            sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=5)
            sheet.cell(row=r, column=1).font = Font(bold=True)
            sheet.cell(row=r, column=2).alignment = wrap
            length = len(sheet.cell(row=r, column=2).value or "")
            sheet.row_dimensions[r].height = min(409, 15 * (1 + length // 110))
        titles = ["élève", "fichier", "réponse de l'élève", f"points (sur {points_text(spec['points'])})",
                  "commentaire", "empreinte"]
        for c, title in enumerate(titles, start=1):
            sheet.cell(row=5, column=c, value=title).font = Font(bold=True)
        for i, r in enumerate(rows, start=6):
            values = [r["eleve"], r["fichier"], r["reponse"], r["points"], r["commentaire"], r["empreinte"]]
            for c, v in enumerate(values, start=1):
                cell = sheet.cell(row=i, column=c, value=v)
                cell.alignment = wrap
            sheet.cell(row=i, column=4).fill = fill
            sheet.cell(row=i, column=5).fill = fill
            sheet.row_dimensions[i].height = min(409, 15 * (1 + len(r["reponse"]) // 70))
        check = DataValidation(type="decimal", operator="between", formula1="0",
                               formula2=str(spec["points"]), allow_blank=True, showErrorMessage=True,
                               errorTitle="Points", error=f"Entre 0 et {points_text(spec['points'])}.")
        sheet.add_data_validation(check)
        check.add(f"D6:D{max(6, 5 + len(rows))}")
        for col, width in zip("ABCDEF", (18, 22, 80, 12, 45, 14), strict=True):
            sheet.column_dimensions[col].width = width
        sheet.column_dimensions["F"].hidden = True
        sheet.freeze_panes = "A6"
    _atomic(path, lambda tmp: book.save(tmp))
