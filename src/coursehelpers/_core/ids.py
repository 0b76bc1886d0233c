"""Identifiants de clients (et de commandes) : une maison pour ce qui les concerne.

* :func:`unique_ids` : une ligne par client, vérifiée une fois, avec un seul message ;
* :func:`factorize_ids` : numérotation rapide 0..k-1 triée, pour regrouper sans boucle Python
  (``np.bincount(codes, weights=...)`` donne ensuite les sommes par identifiant).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._core.validate import no_missing, require_columns, require_frame
from coursehelpers.errors import DataError

__all__ = ["factorize_ids", "unique_ids"]


def unique_ids(df: pd.DataFrame, column: str, *, name: str = "clients") -> pd.Series:
    """Colonne d'identifiants sans valeur manquante ni doublon (une ligne par client).

    Paramètres
    ----------
    df : DataFrame
        Le tableau « une ligne par client ».
    column : str
        La colonne des identifiants (par ex. ``"client_id"``).
    name : str
        Nom du tableau dans les messages (défaut ``"clients"``).

    Renvoie
    -------
    Series
        La colonne ``column`` de ``df``, inchangée.

    Lève
    ----
    DataError
        Tableau vide, colonne absente, identifiant manquant ou en double (le message cite le
        client, la colonne et la ligne du premier doublon).

    Exemples
    --------
    >>> unique_ids(pd.DataFrame({"client_id": ["A", "B", "A"]}), "client_id")
    Traceback (most recent call last):
    ...
    coursehelpers.errors.DataError: Colonne « client_id », ligne 3 : « clients » : le client « A » \
apparaît plusieurs fois ; il faut une ligne par client.
    """
    require_frame(df, name=name)
    require_columns(df, [column], name=name)
    ids = no_missing(df, column, name=name)
    duplicated = ids.duplicated()
    if duplicated.any():
        pos = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise DataError(f"« {name} » : le client « {ids.iloc[pos]} » apparaît plusieurs fois ; "
                        "il faut une ligne par client.", column=column, line=pos + 1)
    return ids


def _sorted_codes(values: np.ndarray) -> np.ndarray:
    """Rang de chaque valeur parmi les valeurs distinctes triées (= np.unique(..., return_inverse)
    mais par table de hachage : O(n) puis tri des seules valeurs distinctes)."""
    codes, uniques = pd.factorize(values)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes]


def _ascii_codes(ids: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes triés d'identifiants texte ASCII, sans table de hachage Python.

    Chaque identifiant devient des octets complétés à un multiple de 8, lus comme
    des entiers gros-boutistes : l'ordre des entiers est l'ordre alphabétique.
    Retourne (codes, position d'une occurrence de chaque client).
    """
    try:
        raw = np.asarray(ids.to_numpy(), dtype=object).astype("S")
    except (UnicodeEncodeError, TypeError, ValueError):
        return None
    words = -(-raw.dtype.itemsize // 8)
    chunks = raw.astype(f"S{8 * words}").view(">u8").reshape(len(raw), words).astype(np.uint64)
    codes = _sorted_codes(chunks[:, 0])
    for j in range(1, words):
        part = _sorted_codes(chunks[:, j])
        codes = _sorted_codes(codes.astype(np.int64) * (int(part.max()) + 1) + part)
    where = np.empty(int(codes.max()) + 1, dtype=np.intp)
    where[codes] = np.arange(len(codes))  # n'importe quelle occurrence convient
    return codes, where


def factorize_ids(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..k-1 par client (ordre alphabétique si possible) et libellés."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        codes = ids.cat.codes.to_numpy().astype(np.intp)
        used = np.bincount(codes, minlength=len(ids.cat.categories)) > 0
        remap = np.cumsum(used) - 1
        return remap[codes], pd.Index(ids.cat.categories[used])
    if isinstance(ids.dtype, pd.StringDtype):
        fast = _ascii_codes(ids)
        if fast is not None:
            codes, where = fast
            return codes, pd.Index(ids.to_numpy()[where], dtype=ids.dtype)
    codes, uniques = pd.factorize(ids, sort=False)
    try:
        order = uniques.argsort(kind="stable")
    except TypeError:  # identifiants de types mélangés : ordre d'apparition
        return codes, pd.Index(uniques)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes], pd.Index(uniques[order])
