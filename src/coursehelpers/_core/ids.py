"""Identifiants de clients (et de commandes) : une maison pour ce qui les concerne.

* :func:`unique_ids` : une ligne par client, vérifiée une fois, avec un seul message ;
* :func:`factorize_ids` : numérotation rapide 0..k-1 triée, pour regrouper sans boucle Python
  (``np.bincount(codes, weights=...)`` donne ensuite les sommes par identifiant).

Les identifiants texte sont le cas normal d'un vrai fichier (« CL0012345 », « 00042 »). Pour
eux, pas de table de hachage d'objets Python : les octets UTF-8 de chaque identifiant,
complétés par des octets nuls, sont comparés colonne par colonne (tri par base mixte) ; l'ordre
des octets UTF-8 est celui des caractères, donc celui de ``sorted()``. Pour le texte stocké par
pyarrow (type ``str`` par défaut de pandas quand pyarrow est installé), ces octets sont lus
directement dans la mémoire d'Arrow, sans copie.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._core.text import utf8_buffers
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


_MAX_BYTES = 24  # octets utiles (après le préfixe commun) au-delà desquels pd.factorize est plus rapide
_MAX_FIXED = 32  # longueur fixe : les colonnes constantes (préfixe) ne coûtent qu'un comptage


def _sorted_codes(values: np.ndarray) -> np.ndarray:
    """Rang de chaque valeur parmi les valeurs distinctes triées (= np.unique(..., return_inverse)
    mais par table de hachage : O(n) puis tri des seules valeurs distinctes)."""
    codes, uniques = pd.factorize(values)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes]


def _dense(key: np.ndarray, span: int) -> np.ndarray:
    """Rang dense de clés entières de [0, span) : 0..k-1 dans l'ordre des clés."""
    if span > max(4 * len(key), 1 << 20):
        return _sorted_codes(key)
    present = np.zeros(span, dtype=bool)
    present[key] = True
    rank = np.cumsum(present, dtype=np.int64) - 1
    return rank.astype(np.int32 if len(key) < 1 << 31 else np.int64)[key].astype(np.intp)


def _matrix_digits(matrix: np.ndarray):
    """« Chiffres » d'une matrice d'octets (n, w) : paires d'octets (base 65 536), puis le
    dernier octet si la largeur est impaire (base 256). Même ordre que l'ordre lexical."""
    width = matrix.shape[1]
    if width >= 2:
        pairs = matrix[:, :width - width % 2].view(">u2")
        for j in range(pairs.shape[1]):
            yield pairs[:, j].astype(np.uint16), 1 << 16  # ordre natif des octets
    if width % 2:
        yield matrix[:, width - 1], 1 << 8


def _padded_digits(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray, width: int):
    """Comme :func:`_matrix_digits` pour des textes de longueurs différentes complétés par des
    octets nuls, colonne par colonne (jamais de matrice n × w d'indices). Lève ``ValueError``
    si un texte contient l'octet nul."""
    last = len(data) - 1
    held = None
    for j in range(width):
        inside = lengths > j
        byte = data[np.minimum(starts + j, last)]
        if (inside & (byte == 0)).any():
            raise ValueError("octet nul")
        byte = np.where(inside, byte, 0).astype(np.uint8)
        if held is None:
            held = byte
        else:
            yield (held.astype(np.uint16) << 8) | byte, 1 << 16
            held = None
    if held is not None:
        yield held, 1 << 8


_HAS_ZERO_BYTE = {256: np.arange(256) == 0,
                  65536: (np.arange(65536) >> 8 == 0) | (np.arange(65536) & 255 == 0)}


def _radix_codes(digits, n: int, *, refuse_zero: bool) -> np.ndarray | None:
    """Codes triés de n lignes données par leurs « chiffres » (colonnes, de gauche à droite).

    Tri par base mixte, sans table de hachage : chaque colonne de chiffres (paire d'octets)
    est remplacée par le rang de sa valeur parmi celles que la colonne contient, et la clé de la
    ligne s'écrit ``clé = clé × (nb de valeurs distinctes de la colonne) + rang`` : l'ordre des
    clés est l'ordre lexical des lignes. Une colonne constante (préfixe commun « CL00 ») ne coûte
    qu'un comptage. Quand la clé deviendrait trop grande, elle est d'abord renumérotée 0..k-1.
    ``refuse_zero`` : None si un octet nul apparaît (« A » et « A\0 » seraient confondus).
    """
    limit = max(4 * n, 1 << 20)
    key = np.zeros(n, dtype=np.int32)
    span = 1
    for column, size in digits:
        present = np.bincount(column, minlength=size) > 0
        if refuse_zero and present[_HAS_ZERO_BYTE[size]].any():
            return None
        base = int(np.count_nonzero(present))
        if base == 1:
            continue
        if span * base > limit:
            key = _dense(key, span)
            span = int(key.max()) + 1
        wide = np.int32 if span * base < 1 << 31 else np.int64
        rank = (np.cumsum(present, dtype=wide) - 1).astype(wide)
        key = key.astype(wide, copy=False) * wide(base) + rank[column]
        span *= base
    return _dense(key, span)


def _byte_codes(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray | None:
    """Codes triés de textes donnés par leurs octets UTF-8 (ou None : cas non pris en charge).

    ``data`` : tous les octets bout à bout ; le texte i occupe ``data[starts[i]:][:lengths[i]]``.
    Longueur fixe et textes contigus (le cas des identifiants) : la matrice (n, longueur) est une
    vue sur ``data``, sans copie. Sinon, chaque texte est lu sans le préfixe commun et complété
    par des octets nuls (qui se classent avant tout caractère : « A » < « AB »).
    """
    n = len(starts)
    shortest, longest = int(lengths.min()), int(lengths.max())
    if shortest == longest:
        first = int(starts[0])
        if longest == 0:
            return np.zeros(n, dtype=np.intp)
        if longest <= _MAX_FIXED and (starts == first + longest * np.arange(n)).all():
            matrix = data[first:first + n * longest].reshape(n, longest)
            return _radix_codes(_matrix_digits(matrix), n, refuse_zero=True)
    prefix = 0
    head = data[starts[0]:starts[0] + shortest]
    while prefix < shortest and (data[starts + prefix] == head[prefix]).all():
        prefix += 1
    if longest - prefix > _MAX_BYTES:
        return None
    digits = _padded_digits(data, starts + prefix, lengths - prefix, longest - prefix)
    try:
        return _radix_codes(digits, n, refuse_zero=False)
    except ValueError:
        return None


def _text_codes(ids: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes triés d'identifiants texte et position d'une occurrence de chaque code, ou None."""
    if not len(ids):
        return None
    buffers = utf8_buffers(ids)
    codes = None if buffers is None else _byte_codes(*buffers)
    if codes is None:
        return None
    where = np.empty(int(codes.max()) + 1, dtype=np.intp)
    where[codes] = np.arange(len(codes))  # n'importe quelle occurrence convient
    return codes, where


def factorize_ids(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..k-1 par client (ordre alphabétique si possible) et libellés.

    Renvoie ``(codes, libellés)`` : ``libellés[codes[i]]`` est l'identifiant de la ligne i, et
    les libellés sont triés (ordre d'apparition pour des identifiants de types mélangés).

    Exemples
    --------
    >>> codes, labels = factorize_ids(pd.Series(["CL002", "CL010", "CL002"], dtype="str"))
    >>> codes.tolist(), labels.tolist()
    ([0, 1, 0], ['CL002', 'CL010'])
    """
    if isinstance(ids.dtype, pd.CategoricalDtype):
        codes = ids.cat.codes.to_numpy().astype(np.intp)
        used = np.bincount(codes, minlength=len(ids.cat.categories)) > 0
        remap = np.cumsum(used) - 1
        return remap[codes], pd.Index(ids.cat.categories[used])
    if isinstance(ids.dtype, pd.StringDtype):
        fast = _text_codes(ids)
        if fast is not None:
            codes, where = fast
            return codes, pd.Index(ids.array.take(where), dtype=ids.dtype)
    codes, uniques = pd.factorize(ids, sort=False)
    try:
        order = uniques.argsort(kind="stable")
    except TypeError:  # identifiants de types mélangés : ordre d'apparition
        return codes, pd.Index(uniques)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes], pd.Index(uniques[order])
