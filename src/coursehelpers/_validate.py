"""Contrôles d'entrée partagés par les modules de concepts (rfm, pareto, tiers...).

Chaque contrôle lève une :class:`~coursehelpers.errors.DataError` en français
au lieu de laisser passer une trace pandas ou, pire, un chiffre faux.
Pour un DataFrame en mémoire, la « ligne » signalée est la position 1-based
de la ligne dans le tableau (l'étiquette d'index est citée dans le message).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from coursehelpers.errors import DataError


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
    """Retourne la colonne en float64, ou lève une DataError sur la première valeur fautive."""
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
    """Retourne la colonne en datetime64 ; les textes ISO ou jj/mm/aaaa sont acceptés."""
    raw = df[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        values = raw
    else:
        text = raw.astype("string")
        values = pd.to_datetime(text, errors="coerce", format="ISO8601")
        retry = values.isna() & text.notna()
        if retry.any():
            values = values.where(~retry, pd.to_datetime(text, errors="coerce", format="%d/%m/%Y"))
        bad = values.isna() & raw.notna()
        if bad.any():
            line, label = _first_bad(bad, df.index)
            raise DataError(
                f"« {name} » : date illisible {raw.iloc[line - 1]!r} (index {label!r}). "
                "Formats acceptés : 2024-03-31 ou 31/03/2024.",
                column=column, line=line,
            )
    if values.isna().any():
        line, label = _first_bad(values.isna(), df.index)
        raise DataError(f"« {name} » : date manquante (index {label!r}).", column=column, line=line)
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_localize(None)
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
