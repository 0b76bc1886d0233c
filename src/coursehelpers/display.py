"""Affichage des nombres « à la française » : 12 345,60 € · 12,9 % · 5 000.

Séparateur de milliers : espace fine insécable (U+202F), comme le recommande l'Imprimerie
nationale ; virgule décimale ; espace insécable (U+00A0) avant « € » et « % ».

>>> eur(12345.6, decimals=2)
'12\u202f345,60\xa0€'
>>> pct(0.129)
'12,9\xa0%'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import partial

import pandas as pd

from coursehelpers.errors import DataError

THIN = "\u202f"  # espace fine insécable (milliers)
NBSP = "\u00a0"  # espace insécable (avant € et %)


def num(x: float | int | None, decimals: int = 0) -> str:
    """Nombre au format français : ``num(1234.5, 1)`` → ``'1 234,5'`` ; vide si manquant."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x):
        return ""
    text = f"{float(x):,.{decimals}f}"  # 1,234.50 (format anglo-saxon)
    return text.replace(",", THIN).replace(".", ",").replace("-", "−")


def eur(x: float | int | None, decimals: int = 0) -> str:
    """Montant en euros : ``eur(1234.5, 2)`` → ``'1 234,50 €'``."""
    text = num(x, decimals)
    return f"{text}{NBSP}€" if text else ""


def pct(x: float | None, decimals: int = 1) -> str:
    """Proportion (0..1) affichée en pourcentage : ``pct(0.5)`` → ``'50,0 %'``."""
    text = num(None if x is None else float(x) * 100, decimals)
    return f"{text}{NBSP}%" if text else ""


def french_table(
    df: pd.DataFrame,
    *,
    eur_columns: Iterable[str] = (),
    pct_columns: Iterable[str] = (),
    num_columns: Iterable[str] = (),
    decimals: int | Mapping[str, int] = 0,
    pct_decimals: int = 1,
    date_columns: Iterable[str] = (),
    bool_columns: Iterable[str] = (),
) -> pd.DataFrame:
    """Copie du tableau où les colonnes indiquées sont du texte au format français.

    Pour l'affichage seulement (les calculs se font sur le tableau d'origine).
    Les colonnes non citées sont laissées telles quelles. ``decimals`` vaut pour toutes les
    colonnes € et nombres, ou colonne par colonne : ``decimals={"satisfaction": 2}`` (0 sinon).
    ``date_columns`` : dates en jj/mm/aaaa ; ``bool_columns`` : vrai/faux en « oui »/« non »
    (une valeur manquante reste vide).

    Exemples
    --------
    >>> t = pd.DataFrame({"montant": [1234.5], "date": pd.to_datetime(["2024-03-05"]), "carte": [True]})
    >>> french_table(t, eur_columns=["montant"], decimals=2, date_columns=["date"],
    ...              bool_columns=["carte"]).iloc[0].tolist()
    ['1\u202f234,50\xa0€', '05/03/2024', 'oui']
    """

    def places(col: str) -> int:
        return decimals.get(col, 0) if isinstance(decimals, Mapping) else decimals

    if isinstance(decimals, Mapping):
        unknown = set(decimals) - set(eur_columns) - set(num_columns)
        if unknown:
            raise DataError(
                "« decimals » cite des colonnes qui ne sont ni dans eur_columns ni dans num_columns : "
                + ", ".join(sorted(map(str, unknown))) + ". Ajoutez-les à l'une de ces listes.")
    out = df.copy()
    for col in eur_columns:
        out[col] = df[col].map(partial(eur, decimals=places(col)))
    for col in pct_columns:
        out[col] = df[col].map(lambda v: pct(v, pct_decimals))
    for col in num_columns:
        out[col] = df[col].map(partial(num, decimals=places(col)))
    for col in date_columns:
        out[col] = pd.to_datetime(df[col]).dt.strftime("%d/%m/%Y").fillna("")
    for col in bool_columns:
        out[col] = df[col].map({True: "oui", False: "non"}).fillna("")
    return out
