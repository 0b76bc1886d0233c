"""Lecture d'un export : du fichier au tableau du cours (partie privée de ``crm_export``).

Enchaîne les étapes des autres modules du paquet : octets → texte (``_text``) ou classeur
(``_excel``), noms de colonnes (``_columns``), conversions et contrôles des valeurs
(``_values``), puis lignes vides, lignes « Total » et avertissements.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from coursehelpers._core.dates import parse_day_first
from coursehelpers.crm_export._columns import missing_required, resolve_columns
from coursehelpers.crm_export._excel import read_xlsx_table
from coursehelpers.crm_export._text import RawTable, choose_layout, decode, read_text_table
from coursehelpers.crm_export._values import (
    Column,
    choose_decimal,
    is_text_kind,
    parse_amounts,
    parse_dates,
    parse_text,
)
from coursehelpers.errors import DataError, DataWarning

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
ID_COLUMNS = ("client_id", "commande_id")
DATE_COLUMNS = ("date", "date_inscription")
NUMERIC_COLUMNS = ("montant", "age")
_TOTAL_LABEL = r"(?i)^(?:sous[- ]?)?total\b|^somme\b"


def read_crm_export(
    path: str | PathLike[str],
    *,
    mapping: Mapping[str, str] | None = None,
    required: Iterable[str] | None = ("client_id", "date", "montant"),
    dates: Iterable[str] | None = None,
    amounts: Iterable[str] | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    sheet: int | str = 0,
    today: object = None,
) -> pd.DataFrame:
    """Lit un export CRM ou Excel français et le met au format du cours.

    Paramètres
    ----------
    path : chemin du fichier ``.csv`` / ``.txt`` / ``.tsv`` ou ``.xlsx`` / ``.xlsm``.
    mapping : dict, facultatif
        Correspondance *nom du cours → en-tête du fichier*, prioritaire sur les synonymes,
        par ex. ``{"montant": "Total TTC (€)"}``. Utile quand deux colonnes pourraient
        convenir (le lecteur refuse alors de choisir) ou quand un en-tête n'est pas reconnu.
    required : noms (du cours) des colonnes obligatoires, par défaut
        ``("client_id", "date", "montant")`` ; aucune valeur n'y peut manquer.
        Pour un fichier clients, par ex. ``required=("client_id",)``.
    dates : colonnes *supplémentaires* à lire comme dates ; ``date`` et
        ``date_inscription`` le sont toujours.
    amounts : colonnes *supplémentaires* à lire comme nombres à la française ;
        ``montant`` et ``age`` le sont toujours.
    sep : séparateur ``";"``, ``","`` ou ``"\\t"`` ; détecté s'il est omis (DataError si deux
        lectures du fichier sont possibles).
    decimal : ``","`` ou ``"."`` ; détecté s'il est omis. « 1.234 » seul est ambigu → DataError.
    encoding : encodage imposé ; par défaut : BOM (UTF-8 ou UTF-16), puis UTF-8, puis
        Windows-1252 (cp1252, qui lit aussi le latin-1).
    sheet : feuille d'un classeur Excel, numéro (0 = première) ou nom.
    today : date de référence pour repérer les dates futures (par défaut : aujourd'hui).

    Renvoie
    -------
    DataFrame, index 0..n-1, colonnes dans l'ordre du fichier :

    - colonnes reconnues renommées au nom du cours (``client_id``, ``date``, ``montant``,
      ``commande_id``, ``canal``, ``categorie``, ``date_inscription``, ``age``, ``csp``...) ;
      voir ``SYNONYMS`` (en-têtes typiques des logiciels de gestion, boutiques en ligne et CRM
      français). Un en-tête « Client » seul est l'identifiant client s'il n'y a pas d'autre
      candidat ; avec un autre (« Code client », « N° client »), le lecteur refuse de choisir
      et indique le ``mapping=`` à écrire. Un montant **hors taxes** (« Total HT ») ou une
      adresse e-mail comme identifiant ne sont pris que faute de mieux
      (``FALLBACK_SYNONYMS``) : avec « Total HT » **et** « Total TTC », le TTC est retenu et
      un avertissement dit comment choisir le HT ;
    - identifiants en texte, zéros en tête conservés (``"00042"``) ;
    - dates en ``datetime64``, montants en ``float64`` : « 1 234,56 € » → 1234.56 ;
    - autres colonnes : en-tête d'origine **inchangé** (espaces autour retirés), valeurs en
      texte, cellule vide → manquante.

    ``df.attrs`` : ``source`` (chemin), ``encoding``, ``sep``, ``decimal`` (``None`` quand
    le fichier ne contient que des entiers ou des nombres Excel), ``header_line``, ``sheet``,
    ``columns`` (nom du cours → en-tête d'origine de chaque colonne renommée).

    Lève
    ----
    DataError
        Fichier vide ou réduit à l'en-tête, colonne obligatoire absente ou ambiguë, montant
        non numérique (« 12,5O »), date impossible (31/02/2024) ou au format mélangé, valeur
        obligatoire manquante, ligne trop longue, octets illisibles, extension non prise en
        charge. Le message cite le fichier, la colonne et la première ligne concernée.

    Avertit
    -------
    DataWarning
        Montants négatifs (**avoirs**), montants nuls (0 € : des **achats**, article offert ou
        commande à prix nul, signalés à part) et dates postérieures à ``today`` : conservés,
        comptés, première ligne citée. Lignes vides et ligne « Total » finale : écartées et
        signalées. Montant HT écarté au profit du TTC : signalé, avec le ``mapping=`` pour
        choisir le HT.

    Exemples
    --------
    Un fichier ``ventes.csv`` enregistré par Excel (cp1252) ::

        N° client;Date de commande;Montant TTC
        00042;05/03/2024;1 234,50 €

    >>> df = read_crm_export("ventes.csv")          # doctest: +SKIP
    >>> df.loc[0, "client_id"], df.loc[0, "montant"]  # doctest: +SKIP
    ('00042', 1234.5)
    """
    if not isinstance(path, (str, PathLike)):
        raise DataError(f"« path » doit être un chemin de fichier (reçu : {type(path).__name__}).")
    where = str(path)
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".xls":
        raise DataError("l'ancien format Excel .xls n'est pas pris en charge : dans Excel, « Enregistrer "
                        "sous » → « Classeur Excel (.xlsx) » ou « CSV (séparateur : point-virgule) ».",
                        path=where)
    if suffix not in TEXT_SUFFIXES | EXCEL_SUFFIXES:
        raise DataError(f"extension « {suffix or '(aucune)'} » non prise en charge. Formats acceptés : "
                        ".csv, .txt, .tsv (texte) et .xlsx (Excel).", path=where)
    if not file.is_file():
        raise DataError("fichier introuvable : vérifiez le nom et le dossier (chemin relatif au "
                        "notebook).", path=where)
    mapping = dict(mapping or {})
    warned: list[str] = []
    if suffix in EXCEL_SUFFIXES:
        raw = read_xlsx_table(where, sheet=sheet, mapping=mapping)
        raw.attrs = {"encoding": None, "sep": None, "sheet": sheet}
    else:
        text, used = decode(file.read_bytes(), path=where, encoding=encoding)
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise DataError("le fichier est vide : aucune ligne à lire. Vérifiez l'export.", path=where)
        chosen_sep, header_index = choose_layout(text, path=where, sep=sep, mapping=mapping)
        raw = read_text_table(text, path=where, sep=chosen_sep, header_index=header_index)
        raw.attrs = {"encoding": used, "sep": chosen_sep, "sheet": None}
    df, decimal_used, columns = _convert(raw, where, mapping=mapping, required=required, dates=dates,
                                amounts=amounts, decimal=decimal, today=today, warned=warned)
    df.attrs = {"source": where, "encoding": raw.attrs["encoding"], "sep": raw.attrs["sep"],
                "decimal": decimal_used, "header_line": raw.header_line, "sheet": raw.attrs["sheet"],
                "columns": columns}
    for message in warned:
        warnings.warn(message, DataWarning, stacklevel=2)
    return df


def _letter(j: int) -> str:
    name = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        name = chr(65 + r) + name
    return name


def _names(values: Iterable[str] | None, label: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    try:
        return [str(v) for v in values]
    except TypeError:
        raise DataError(f"« {label} » doit être une liste de noms de colonnes.") from None


def _today(today: object) -> pd.Timestamp:
    if today is None:
        return pd.Timestamp.today().normalize()
    return parse_day_first(today, name="today").normalize()  # "01/03/2024" = 1er mars


def _first_line(lines: np.ndarray, mask: np.ndarray) -> int:
    return int(lines[np.flatnonzero(mask)[0]])


def _convert(raw: RawTable, where: str, *, mapping, required, dates, amounts, decimal, today,
             warned: list[str]) -> tuple[pd.DataFrame, str | None, dict[str, str]]:
    """Colonnes reconnues, lignes vides et « Total », conversions, contrôles et avertissements."""
    lines = raw.lines
    every = [Column(raw.cells[j], h or f"colonne {_letter(j)}", lines, where)
             for j, h in enumerate(raw.header)]
    kept = [c for c, h in zip(every, raw.header, strict=True) if h or c.filled().any()]
    header = [c.label for c in kept]
    names = resolve_columns(header, mapping=mapping, path=where, header_line=raw.header_line,
                            notes=warned)
    required = _names(required, "required")
    missing_required(names, header, required, path=where, header_line=raw.header_line)
    extra_dates, extra_amounts = _names(dates, "dates"), _names(amounts, "amounts")
    for asked in extra_dates + extra_amounts:
        if asked not in names:
            listed = ", ".join(f"« {n} »" for n in names)
            raise DataError(f"colonne « {asked} » demandée dans dates/amounts introuvable. Colonnes "
                            f"disponibles (après renommage) : {listed}.", path=where, column=asked)
    date_cols = {n for n in names if n in DATE_COLUMNS} | set(extra_dates)
    num_cols = {n for n in names if n in NUMERIC_COLUMNS} | set(extra_amounts)
    cols = dict(zip(names, kept, strict=True))

    filled = np.column_stack([c.filled() for c in kept]).any(axis=1) if len(lines) else np.zeros(0, bool)
    if not filled.any():
        raise DataError(f"le fichier ne contient que la ligne d'en-tête (ligne {raw.header_line}) : "
                        "aucune ligne de données.", path=where, line=raw.header_line)
    if not filled.all():
        warned.append(f"Fichier « {where} » : {int((~filled).sum())} ligne(s) vide(s) ignorée(s) "
                      f"(première : ligne {_first_line(lines, ~filled)}).")
        cols, lines = {n: c.subset(filled) for n, c in cols.items()}, lines[filled]

    labels = [kept[0].label] + [n for n in (*ID_COLUMNS, "date") if n in cols]
    label_cols = [cols[names[0]]] + [cols[n] for n in (*ID_COLUMNS, "date") if n in cols]
    is_total = np.column_stack([c.text.str.contains(_TOTAL_LABEL, regex=True).to_numpy(bool)
                                & is_text_kind(c.raw) for c in label_cols]).any(axis=1)
    if is_total.any():
        tail = np.cumprod(is_total[::-1])[::-1].astype(bool)
        if (is_total & ~tail).any() or tail.all():
            k = int(np.flatnonzero(is_total)[0])
            raise DataError("ligne de total ou de sous-total au milieu des données : ce n'est pas un "
                            "client. Supprimez les lignes de (sous-)total dans le tableur avant "
                            "l'export.", path=where, column=labels[0], line=int(lines[k]))
        warned.append(f"Fichier « {where} » : ligne de total ignorée (ligne {_first_line(lines, tail)}) : "
                      "un total n'est pas un client et ne doit pas être compté.")
        cols, lines = {n: c.subset(~tail) for n, c in cols.items()}, lines[~tail]

    decimal_used = choose_decimal([cols[n] for n in names if n in num_cols], decimal=decimal)
    out = {n: parse_amounts(cols[n], decimal=decimal_used or ",") for n in names if n in num_cols}
    if "montant" in out and len(lines) > 1 and _is_unlabelled_total(out["montant"], cols):
        warned.append(f"Fichier « {where} » : ligne de total ignorée (ligne {int(lines[-1])}, sans "
                      "client ni date, montant égal à la somme des autres lignes).")
        last = np.arange(len(lines)) < len(lines) - 1
        out = {n: s[last] for n, s in out.items()}
        cols, lines = {n: c.subset(last) for n, c in cols.items()}, lines[last]
    for n in names:
        if n in date_cols and n not in num_cols:
            out[n] = parse_dates(cols[n], excel=raw.attrs.get("sep") is None)
        elif n not in num_cols:
            out[n] = parse_text(cols[n], unwrap_excel=n in ID_COLUMNS)
    df = pd.DataFrame({n: out[n] for n in names})
    for n in required:
        cols[n].fail(df[n].isna(), f"valeur manquante dans une colonne obligatoire (« {n} »). "
                     "Complétez la cellule ou retirez la ligne du fichier.")
    _report_oddities(df, cols, num_cols, date_cols, lines, where, _today(today), warned)
    renamed = {n: c.label for n, c in zip(names, kept, strict=True) if n != c.label}
    return df, decimal_used, renamed


def _is_unlabelled_total(amount: pd.Series, cols: dict[str, Column]) -> bool:
    """Dernière ligne sans client ni date dont le montant vaut la somme des autres : un total."""
    values = amount.to_numpy()
    if any(cols[n].filled()[-1] for n in (*ID_COLUMNS, "date") if n in cols):
        return False
    rest = np.nansum(values[:-1])
    return bool(np.isfinite(values[-1]) and abs(values[-1] - rest) <= 0.005 + 1e-9 * abs(rest))


def _report_oddities(df, cols, num_cols, date_cols, lines, where, today, warned) -> None:
    for n in df.columns:
        if n in num_cols:
            values = df[n].to_numpy()
            negative = values < 0
            if negative.any():
                what = "avoirs ou retours" if n == "montant" else "valeurs négatives"
                warned.append(f"Fichier « {where} », colonne « {cols[n].label} » : {int(negative.sum())} "
                              f"montant(s) négatif(s) ({what}) conservé(s) ; première : ligne "
                              f"{_first_line(lines, negative)}. Vérifiez qu'il ne s'agit pas d'une erreur.")
            zero = values == 0
            if n == "montant" and zero.any():
                warned.append(f"Fichier « {where} », colonne « {cols[n].label} » : {int(zero.sum())} "
                              "ligne(s) à montant nul (0 €) conservée(s) : ce sont des achats (article "
                              "offert, cadeau, commande à prix nul), pas des avoirs ; première : ligne "
                              f"{_first_line(lines, zero)}.")
        elif n in date_cols:
            future = (df[n] >= today + pd.Timedelta(days=1)).to_numpy(bool)
            if future.any():
                warned.append(f"Fichier « {where} », colonne « {cols[n].label} » : {int(future.sum())} "
                              f"date(s) postérieure(s) au {today:%d/%m/%Y} conservée(s) ; première : "
                              f"ligne {_first_line(lines, future)}. Date de saisie erronée ?")
