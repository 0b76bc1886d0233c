"""Contrôles des arguments, partagés par tout le paquet : une seule maison pour chaque contrôle.

Chaque contrôle lève une :class:`~coursehelpers.errors.DataError` en français
au lieu de laisser passer une trace pandas ou, pire, un chiffre faux.
Pour un DataFrame en mémoire, la « ligne » signalée est la position 1-based
de la ligne dans le tableau (l'étiquette d'index est citée dans le message).

* tableaux et colonnes : :func:`require_frame`, :func:`require_columns`, :func:`numeric_column`,
  :func:`datetime_column` (dates lues jour d'abord, voir :mod:`coursehelpers._core.dates`),
  :func:`no_missing`, :func:`value_series` (une valeur par client) ;
* paramètres : :func:`as_number` (nombre ou tableau de nombres, bornes), :func:`check_number`
  (un nombre fini), :func:`check_range` (un nombre entre deux bornes), :func:`check_positive_int`,
  :func:`check_fraction` ;
* relations : :func:`check_not_above` (pas plus de perdus que de clients), :func:`ratio`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from coursehelpers._core.dates import ACCEPTED, day_first_series
from coursehelpers.errors import DataError

__all__ = [
    "SHARE_TOLERANCE",
    "as_number",
    "check_fraction",
    "check_not_above",
    "check_number",
    "check_positive_int",
    "check_range",
    "datetime_column",
    "no_missing",
    "numeric_column",
    "ratio",
    "require_columns",
    "require_frame",
    "value_series",
]

#: Tolérance des comparaisons de parts (neutralise les arrondis : 0,1 + 0,2 ≠ 0,3 en binaire).
SHARE_TOLERANCE = 1e-12


def require_frame(obj: object, *, name: str = "données") -> pd.DataFrame:
    """Vérifie que ``obj`` est un DataFrame non vide."""
    if not isinstance(obj, pd.DataFrame):
        raise DataError(
            f"« {name} » doit être un tableau pandas (DataFrame), "
            f"pas un objet de type {type(obj).__name__}."
        )
    if obj.empty:
        raise DataError(f"Le tableau « {name} » est vide : il n'y a rien à analyser.")
    return obj


def require_columns(df: pd.DataFrame, columns: Iterable[str | None], *, name: str = "données") -> None:
    """Vérifie la présence des colonnes (les ``None`` sont ignorés)."""
    wanted = [c for c in columns if c is not None]
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        available = ", ".join(f"« {c} »" for c in map(str, df.columns))
        raise DataError(
            f"colonne introuvable dans « {name} ». Colonnes disponibles : {available}. "
            "Indiquez le bon nom avec l'argument correspondant (par ex. amount=\"montant\").",
            column=", ".join(missing),
        )


def _first_bad(mask: np.ndarray | pd.Series, index: pd.Index) -> tuple[int, object]:
    pos = int(np.flatnonzero(np.asarray(mask))[0])
    return pos + 1, index[pos]


def numeric_column(df: pd.DataFrame, column: str, *, name: str = "données",
                   allow_missing: bool = False) -> pd.Series:
    """Renvoie la colonne en float64, ou lève une DataError sur la première valeur fautive."""
    raw = df[column]
    if pd.api.types.is_bool_dtype(raw):
        raise DataError(f"« {name} » : valeurs vrai/faux là où un nombre est attendu.", column=column)
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna()
    if bad.any():
        line, label = _first_bad(bad, df.index)
        raise DataError(
            f"« {name} » : valeur non numérique {raw.iloc[line - 1]!r} (index {label!r}). "
            "Un nombre est attendu (utilisez le point comme séparateur décimal, "
            "ou read_crm_export pour un fichier français).",
            column=column, line=line,
        )
    values = values.astype("float64")
    if not allow_missing and values.isna().any():
        line, label = _first_bad(values.isna(), df.index)
        raise DataError(
            f"« {name} » : valeur manquante (index {label!r}). Complétez-la ou retirez la ligne.",
            column=column, line=line,
        )
    if np.isinf(values.to_numpy()).any():
        line, label = _first_bad(np.isinf(values.to_numpy()), df.index)
        raise DataError(f"« {name} » : valeur infinie (index {label!r}).", column=column, line=line)
    return values


def datetime_column(df: pd.DataFrame, column: str, *, name: str = "données") -> pd.Series:
    """Renvoie la colonne en datetime64 ; les textes ISO ou jj/mm/aaaa (jour d'abord) sont acceptés."""
    raw = df[column]
    values = day_first_series(raw)
    bad = values.isna() & raw.notna()
    if bad.any():
        line, label = _first_bad(bad, df.index)
        raise DataError(
            f"« {name} » : date illisible {raw.iloc[line - 1]!r} (index {label!r}). "
            f"Formats acceptés : {ACCEPTED}.",
            column=column, line=line,
        )
    if values.isna().any():
        line, label = _first_bad(values.isna(), df.index)
        raise DataError(f"« {name} » : date manquante (index {label!r}).", column=column, line=line)
    return values


def no_missing(df: pd.DataFrame, column: str, *, name: str = "données") -> pd.Series:
    """Vérifie qu'une colonne (identifiant, libellé) n'a pas de valeur manquante."""
    values = df[column]
    if values.isna().any():
        line, label = _first_bad(values.isna(), df.index)
        raise DataError(f"« {name} » : valeur manquante (index {label!r}).", column=column, line=line)
    return values


def check_positive_int(value: object, *, name: str, minimum: int = 1) -> int:
    """Vérifie un paramètre entier (nombre de classes, de groupes...)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise DataError(f"« {name} » doit être un entier supérieur ou égal à {minimum} (reçu : {value!r}).")
    return int(value)


def check_fraction(value: object, *, name: str, open_left: bool = False, open_right: bool = False) -> float:
    """Vérifie qu'un paramètre est une proportion entre 0 et 1 (ex. 0.2 pour 20 %)."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"« {name} » doit être un nombre entre 0 et 1 (reçu : {value!r}).") from None
    low_ok = x > 0 if open_left else x >= 0
    high_ok = x < 1 if open_right else x <= 1
    if not (low_ok and high_ok) or np.isnan(x):
        raise DataError(
            f"« {name} » doit être une proportion entre 0 et 1 (reçu : {value!r}). "
            "Écrivez 0.2 pour 20 %."
        )
    return x


def check_number(value: object, *, name: str) -> float:
    """Vérifie un réglage numérique : un seul nombre fini (pas vrai/faux, pas un tableau)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
        raise DataError(f"« {name} » doit être un nombre (reçu : {value!r}).")
    return float(value)


def check_range(value: object, *, name: str, low: float, high: float) -> float:
    """Vérifie un réglage numérique entre deux bornes incluses (valeur de départ d'un curseur...)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise DataError(f"« {name} » doit être un nombre entre {low:g} et {high:g} (reçu : {value!r}).")
    return float(value)


def as_number(value: object, *, name: str, minimum: float | None = None, maximum: float | None = None,
              strict_min: bool = False):
    """Convertit un nombre (ou un tableau de nombres) en float, avec contrôles en français.

    Renvoie un ``float`` pour un nombre, un ``ndarray`` pour une liste / un tableau,
    une ``Series`` (même index) pour une Series.

    Exemples
    --------
    >>> as_number(3, name="n")
    3.0
    >>> as_number(-1, name="lost", minimum=0)
    Traceback (most recent call last):
    ...
    coursehelpers.errors.DataError: « lost » doit être ≥ 0 (reçu : -1).
    """
    if isinstance(value, (bool, np.bool_)):
        raise DataError(f"« {name} » doit être un nombre, pas vrai/faux.")
    index = value.index if isinstance(value, pd.Series) else None
    try:
        arr = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        raise DataError(f"« {name} » doit être un nombre (reçu : {value!r}).") from None
    if arr.size == 0:
        raise DataError(f"« {name} » est vide.")
    if np.isnan(arr).any() or np.isinf(arr).any():
        raise DataError(f"« {name} » contient une valeur manquante ou infinie.")
    if minimum is not None and ((arr <= minimum).any() if strict_min else (arr < minimum).any()):
        sign = ">" if strict_min else "≥"
        raise DataError(f"« {name} » doit être {sign} {minimum:g} (reçu : {_first(arr, value)}).")
    if maximum is not None and (arr > maximum).any():
        raise DataError(f"« {name} » doit être ≤ {maximum:g} (reçu : {_first(arr, value, high=maximum)}).")
    if arr.ndim == 0:
        return float(arr)
    return pd.Series(arr, index=index) if index is not None else arr


def _first(arr: np.ndarray, original: object, high: float | None = None) -> object:
    if arr.ndim == 0:
        return original
    return arr.max() if high is not None else arr.min()


def ratio(numerator, denominator):
    """Quotient élément par élément ; un float pour deux nombres."""
    out = np.asarray(numerator, dtype="float64") / np.asarray(denominator, dtype="float64")
    if isinstance(numerator, pd.Series) or isinstance(denominator, pd.Series):
        idx = numerator.index if isinstance(numerator, pd.Series) else denominator.index
        return pd.Series(out, index=idx)
    return float(out) if np.ndim(out) == 0 else out


def check_not_above(small, big, *, small_name: str, big_name: str) -> None:
    """Lève une DataError si ``small > big`` (par ex. plus de perdus que de clients)."""
    if (np.asarray(small) > np.asarray(big)).any():
        raise DataError(f"« {small_name} » ne peut pas dépasser « {big_name} » : vérifiez vos effectifs.")


def value_series(values: object, *, name: str = "valeurs", allow_negative: bool = False) -> pd.Series:
    """Une valeur par client (Series, liste...) convertie en Series float64 validée (index conservé).

    Refuse un tableau entier, une série vide, une valeur non numérique ou manquante et, sauf
    ``allow_negative``, une valeur négative ou un total nul (aucune part ne serait calculable).
    """
    if isinstance(values, pd.DataFrame):
        raise DataError(f"« {name} » : donnez une seule colonne (une Series), par exemple "
                        "table[\"montant\"], et non un tableau entier.")
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if series.empty:
        raise DataError(f"« {name} » est vide : il n'y a rien à analyser.")
    column = str(series.name) if series.name is not None else name
    frame = pd.DataFrame({column: series.to_numpy()}, index=series.index)
    clean = numeric_column(frame, column, name=name)
    if not allow_negative and (clean < 0).any():
        pos = int(np.flatnonzero(clean.to_numpy() < 0)[0])
        raise DataError(
            f"« {name} » : valeur négative {clean.iloc[pos]:g} (index {series.index[pos]!r}). "
            "Une part de chiffre d'affaires n'a de sens qu'avec des montants positifs : "
            "additionnez d'abord achats et avoirs par client ; s'il reste un total négatif (avoir "
            "portant sur un achat d'une période antérieure), écartez ou corrigez ce client.",
            column=column, line=pos + 1,
        )
    if not allow_negative and clean.sum() == 0:
        raise DataError(f"« {name} » : toutes les valeurs sont nulles, aucune part ne peut "
                        "être calculée.", column=column)
    return clean.rename(series.name)
