"""Texte : une seule maison pour ce que plusieurs modules en font.

* :func:`strip_accents` : texte comparable sans accents (en-têtes d'un export dans
  ``crm_export``, réponse d'élève dans ``grading.compare``) ;
* :func:`utf8_buffers` et :func:`fixed_width_bytes` : les octets UTF-8 d'une colonne de texte,
  lus sans copie quand pyarrow la stocke, pour des traitements vectorisés (numérotation des
  identifiants dans ``_core.ids``, dates à largeur fixe dans ``crm_export``).

Ce module ne charge ni numpy ni pandas à l'import : ``grading.compare`` l'utilise.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["fixed_width_bytes", "strip_accents", "utf8_buffers"]


def strip_accents(text: str) -> str:
    """Le texte sans ses accents ni signes diacritiques (décomposition NFKD).

    La décomposition NFKD sépare « é » en « e » + accent, puis l'accent est retiré ; elle
    remplace aussi les ligatures et formes de compatibilité (« ﬁ » → « fi », « ² » → « 2 »).

    Exemples
    --------
    >>> strip_accents("Catégorie Socio-Économique")
    'Categorie Socio-Economique'
    >>> strip_accents("Noël à l'île")
    "Noel a l'ile"
    """
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _arrow_buffers(array) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(octets, débuts, longueurs) d'un tableau de texte pyarrow, lus sans copie, ou None."""
    import numpy as np
    import pyarrow as pa  # déjà chargé : on a reçu un tableau pyarrow

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    _, offsets_buffer, data_buffer = array.buffers()
    kind = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=kind)[array.offset:array.offset + len(array) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None and \
        data_buffer.size else np.zeros(1, dtype=np.uint8)
    return data, offsets[:-1].astype(np.int64), np.diff(offsets).astype(np.int64)


def utf8_buffers(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(octets UTF-8 bout à bout, débuts, longueurs) des textes d'une Series ``str``, ou None.

    Stockage pyarrow : la mémoire d'Arrow, sans copie. Objets Python : convertis par pyarrow
    s'il est installé ; sinon une seule chaîne jointe puis encodée, si tout est ASCII (un octet
    par caractère).
    """
    import numpy as np

    try:
        import pyarrow as pa  # si pyarrow est installé, pandas l'a déjà chargé
    except ImportError:
        pa = None
    if text.dtype.storage == "pyarrow":
        return _arrow_buffers(pa.array(text.array))
    values = text.to_numpy()
    if pa is not None:
        try:
            return _arrow_buffers(pa.array(values, type=pa.large_string(), from_pandas=True))
        except (pa.ArrowException, TypeError, ValueError):
            return None
    try:
        data = "".join(values).encode("utf-8")
    except (TypeError, UnicodeEncodeError):  # valeur manquante, texte mal formé
        return None
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    if len(data) != int(lengths.sum()):  # caractères hors ASCII : longueurs en octets inconnues
        return None
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return np.frombuffer(data, dtype=np.uint8) if data else np.zeros(1, np.uint8), starts, lengths


def fixed_width_bytes(text: pd.Series) -> np.ndarray | None:
    """Matrice (n, largeur) des octets UTF-8 d'une colonne ``str`` dont tous les textes ont la
    même longueur en octets (vue sans copie sur la mémoire d'Arrow), ou None.

    Exemples
    --------
    >>> import pandas as pd
    >>> fixed_width_bytes(pd.Series(["05/03", "28/02"], dtype="str")).tobytes()
    b'05/0328/02'
    """
    import numpy as np

    if not len(text):
        return None
    buffers = utf8_buffers(text)
    if buffers is None:
        return None
    data, starts, lengths = buffers
    width = int(lengths[0])
    if not width or (lengths != width).any():
        return None
    first = int(starts[0])
    if not (starts == first + width * np.arange(len(starts))).all():
        return data[starts[:, None] + np.arange(width)]
    return data[first:first + width * len(starts)].reshape(len(starts), width)
