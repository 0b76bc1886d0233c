"""Lecture des dates : une seule règle pour tout le paquet, le **jour d'abord**.

Un texte de date est lu d'abord au format ISO (``2024-03-01``, avec ou sans heure), puis au
format français ``jj/mm/aaaa`` (``01/03/2024`` = 1er mars 2024, jamais le 3 janvier). Un objet
date (``Timestamp``, ``datetime``, ``date``, ``datetime64``) est pris tel quel. Le fuseau
horaire éventuel est retiré (heure locale conservée). Toute autre écriture lève une
:class:`~coursehelpers.errors.DataError` en français.

Deux fonctions, une règle : :func:`parse_day_first` pour une date (``as_of``, ``since``...) et
:func:`day_first_series` pour une colonne (vectorisé).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from coursehelpers.errors import DataError

__all__ = ["ACCEPTED", "day_first_series", "parse_day_first"]

#: Les écritures acceptées, citées dans les messages d'erreur.
ACCEPTED = "2024-03-31 ou 31/03/2024"


def day_first_series(values: pd.Series) -> pd.Series:
    """Colonne en ``datetime64`` : ISO d'abord, puis ``jj/mm/aaaa`` ; NaT pour l'illisible.

    Une colonne déjà de type date est rendue telle quelle (fuseau retiré).

    Exemples
    --------
    >>> day_first_series(pd.Series(["2024-03-01", "01/03/2024", "mars"])).tolist()
    [Timestamp('2024-03-01 00:00:00'), Timestamp('2024-03-01 00:00:00'), NaT]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values
    else:
        text = values.astype("string")
        out = pd.to_datetime(text, errors="coerce", format="ISO8601")
        retry = out.isna() & text.notna()
        if retry.any():
            out = out.where(~retry, pd.to_datetime(text, errors="coerce", format="%d/%m/%Y"))
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out


def parse_day_first(value: object, *, name: str) -> pd.Timestamp:
    """Une date (texte ISO ou ``jj/mm/aaaa``, ou objet date) en ``Timestamp`` sans fuseau.

    Paramètres
    ----------
    value : str, Timestamp, datetime, date ou numpy.datetime64
        La date à lire.
    name : str
        Nom de l'argument, cité dans le message d'erreur (par ex. ``"as_of"``).

    Renvoie
    -------
    pandas.Timestamp

    Lève
    ----
    DataError
        Date manquante ou illisible.

    Exemples
    --------
    >>> parse_day_first("01/03/2024", name="as_of")      # 1er mars, pas 3 janvier
    Timestamp('2024-03-01 00:00:00')
    >>> parse_day_first("2024-03-01T12:30", name="as_of")
    Timestamp('2024-03-01 12:30:00')
    """
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
    elif isinstance(value, str):
        stamp = day_first_series(pd.Series([value]))[0]
    else:
        stamp = pd.NaT
    if pd.isna(stamp):
        raise DataError(f"« {name} » : date illisible ou manquante ({value!r}). "
                        f"Écritures acceptées : {ACCEPTED}.")
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp
