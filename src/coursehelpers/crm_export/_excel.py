"""Lecture d'un classeur Excel ``.xlsx`` (partie privée de :mod:`coursehelpers.crm_export`).

openpyxl est facultatif : s'il manque, une DataError explique comment l'installer ou
comment enregistrer le classeur en CSV. Les cellules gardent leur type Excel (texte,
nombre, date) ; le numéro de ligne est celui qu'affiche Excel.
"""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd

from coursehelpers.crm_export._text import RawTable, header_candidate
from coursehelpers.errors import DataError


def _cell_text(value: object) -> str:
    return "" if value is None else str(value)


def read_xlsx_table(path: str, *, sheet: int | str, mapping: dict | None) -> RawTable:
    """Lit une feuille d'un classeur .xlsx et repère sa ligne d'en-tête."""
    try:
        import openpyxl
    except ImportError:
        raise DataError(
            "lire un classeur .xlsx demande le module openpyxl, absent de cet environnement. "
            "Installez-le (pip install openpyxl) ou, dans Excel, « Enregistrer sous » → "
            "« CSV (séparateur : point-virgule) ».", path=path) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(f"classeur .xlsx illisible ou abîmé ({type(exc).__name__}). Rouvrez-le "
                        "dans Excel et enregistrez-le de nouveau.", path=path) from None
    try:
        names = book.sheetnames
        if isinstance(sheet, bool) or not isinstance(sheet, (int, str)):
            raise DataError(f"« sheet » doit être un numéro (0 = première feuille) ou un nom de "
                            f"feuille (reçu : {sheet!r}).", path=path)
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise DataError(f"le classeur n'a pas de feuille numéro {sheet} (0 = la première). "
                                f"Feuilles : {', '.join(names)}.", path=path)
            ws = book.worksheets[sheet]
        else:
            if sheet not in names:
                raise DataError(f"feuille « {sheet} » introuvable. Feuilles : {', '.join(names)}.",
                                path=path)
            ws = book[sheet]
        rows = list(ws.iter_rows(min_row=1, values_only=True))
    finally:
        book.close()
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame(rows, columns=range(width), dtype=object) if width else pd.DataFrame()
    if frame.empty or frame.isna().all().all():
        raise DataError("la feuille est vide : aucune cellule remplie.", path=path)
    text_rows = [[_cell_text(v) for v in r] for r in rows[:200]]
    found = header_candidate(text_rows, mapping)
    if found is None:
        raise DataError("impossible de repérer la ligne d'en-tête (noms de colonnes) dans les "
                        "30 premières lignes de la feuille.", path=path)
    h = found[0]
    header = [_cell_text(v).strip() for v in rows[h]] + [""] * (width - len(rows[h]))
    data = frame.iloc[h + 1:].reset_index(drop=True)
    keep = [j for j in range(width) if header[j] or data[j].notna().any()]
    cells = data[keep]
    cells.columns = range(len(keep))
    return RawTable(header=[header[j] for j in keep], cells=cells,
                    lines=np.arange(h + 2, h + 2 + len(data), dtype=np.int64), header_line=h + 1)
