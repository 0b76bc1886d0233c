"""Satisfaction et NPS : la seule définition du paquet (tableau de bord et canaux l'appellent).

* indice de satisfaction : moyenne = Σ notes / répondants ; part de satisfaits = notes ≥ seuil
  (4 sur 5 par défaut) / répondants ;
* Net Promoter Score : promoteurs 9–10, passifs 7–8, détracteurs 0–6 ;
  NPS = % promoteurs − % détracteurs, en points de −100 à +100.

Les non-réponses (note manquante) sont exclues des moyennes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._core.validate import (
    as_number,
    no_missing,
    numeric_column,
    ratio,
    require_columns,
    require_frame,
)
from coursehelpers.errors import DataError

__all__ = ["nps", "nps_from_counts", "nps_parts", "satisfaction_from_counts", "satisfaction_index",
           "satisfaction_parts"]


def satisfaction_parts(scores: pd.Series, *, threshold: float) -> pd.DataFrame:
    """Par réponse : ``moyenne`` (la note) et ``part_satisfaits`` (1 si note ≥ seuil, 0 sinon).

    Les deux colonnes sont vides (NaN) pour une non-réponse : une moyenne par groupe de ce
    tableau donne la note moyenne et la part de satisfaits des répondants.
    """
    answered = scores.notna()
    return pd.DataFrame({"moyenne": scores, "part_satisfaits": (scores >= threshold).where(answered)},
                        index=scores.index).astype("float64")


def nps_parts(scores: pd.Series) -> pd.DataFrame:
    """Par réponse (note de 0 à 10) : ``promoteurs`` (9–10), ``passifs`` (7–8), ``detracteurs`` (0–6)
    en 1/0, vides (NaN) pour une non-réponse : leurs moyennes sont les parts des répondants."""
    answered = scores.notna()
    parts = pd.DataFrame({"promoteurs": scores >= 9, "passifs": (scores >= 7) & (scores < 9),
                          "detracteurs": scores <= 6}, index=scores.index)
    return parts.astype("float64").where(answered)


def _scores(data, column: str, low: int, high: int, by: str | None) -> tuple[pd.Series, object]:
    if isinstance(data, pd.Series):
        if by is not None:
            raise DataError("« by » demande un tableau (DataFrame) qui contient la colonne de groupe.")
        frame, column = data.to_frame(name=data.name or column), data.name or column
    else:
        frame = require_frame(data, name="réponses")
        require_columns(frame, [column, by], name="réponses")
    scores = numeric_column(frame, column, name="réponses", allow_missing=True)
    bad = scores.notna() & ((scores < low) | (scores > high))
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"« réponses » : note {scores.iloc[pos]:g} hors de l'échelle {low} à {high}.",
                        column=column, line=pos + 1)
    if scores.notna().sum() == 0:
        raise DataError("« réponses » : aucune note renseignée.", column=column)
    keys = None if by is None else no_missing(frame, by, name="réponses").to_numpy()
    return scores, keys


def _summarise(parts: pd.DataFrame, keys, by: str | None):
    if keys is None:
        return parts.mean().rename(None)
    out = parts.groupby(keys, observed=True).mean()
    out.index.name = by
    return out


def satisfaction_index(data: pd.Series | pd.DataFrame, *, column: str = "satisfaction", threshold: int = 4,
                       scale: int = 5, by: str | None = None) -> pd.Series | pd.DataFrame:
    """Indice de satisfaction : note moyenne et part de clients satisfaits.

    moyenne = Σ notes / nombre de répondants ;
    part_satisfaits = répondants avec une note ≥ ``threshold`` (4 sur 5 par défaut) / répondants.
    Les notes manquantes (pas de réponse) sont exclues et comptées dans ``sans_reponse``.

    Paramètres
    ----------
    data : Series ou DataFrame
        Une Series de notes, ou un tableau avec la colonne ``column`` (et ``by``).
    column : str
        Colonne des notes (défaut ``"satisfaction"``).
    threshold : int
        Note à partir de laquelle le client est satisfait (défaut 4).
    scale : int
        Note maximale de l'échelle 1..scale (défaut 5).
    by : str, optionnel
        Colonne de regroupement : une ligne par groupe.

    Renvoie
    -------
    Series ou DataFrame
        ``moyenne``, ``part_satisfaits`` (0 à 1), ``repondants``, ``sans_reponse``.

    Lève
    ----
    DataError
        Note hors de l'échelle, aucune note, seuil hors de l'échelle.

    Exemples
    --------
    >>> satisfaction_index(pd.Series([5, 4, 2, None]))[["moyenne", "part_satisfaits"]].round(3).tolist()
    [3.667, 0.667]
    """
    if not 1 <= as_number(threshold, name="threshold") <= as_number(scale, name="scale", minimum=2):
        raise DataError(f"« threshold » doit être entre 1 et {scale} (reçu : {threshold!r}).")
    scores, keys = _scores(data, column, 1, scale, by)
    answered = scores.notna()
    parts = satisfaction_parts(scores, threshold=threshold)
    parts["repondants"] = answered.astype(float)
    parts["sans_reponse"] = (~answered).astype(float)
    out = _summarise(parts.astype("float64"), keys, by)
    n = answered.groupby(keys).size() if keys is not None else len(scores)
    out["repondants"] = out["repondants"] * n
    out["sans_reponse"] = out["sans_reponse"] * n
    return out


def satisfaction_from_counts(counts, *, threshold: int = 4) -> pd.Series:
    """Indice de satisfaction à partir du nombre de réponses par note.

    Paramètres
    ----------
    counts : dict ou Series
        ``{note: nombre de réponses}``, par ex. ``{1: 2, 2: 3, 3: 5, 4: 6, 5: 4}``.
    threshold : int
        Note à partir de laquelle le client est satisfait (défaut 4).

    Renvoie
    -------
    Series
        ``moyenne`` = Σ note × réponses / réponses, ``part_satisfaits``, ``repondants``.

    Exemples
    --------
    >>> float(satisfaction_from_counts({1: 2, 2: 3, 3: 5, 4: 6, 5: 4})["part_satisfaits"])
    0.5
    """
    counts = pd.Series(counts, dtype="float64")
    as_number(counts, name="counts", minimum=0)
    notes = pd.Series(counts.index.to_numpy(dtype="float64"), index=counts.index)
    total = counts.sum()
    if total == 0:
        raise DataError("« counts » : aucune réponse.")
    return pd.Series({"moyenne": (notes * counts).sum() / total,
                      "part_satisfaits": counts[notes >= threshold].sum() / total, "repondants": total})


def nps(data: pd.Series | pd.DataFrame, *, column: str = "nps",
        by: str | None = None) -> pd.Series | pd.DataFrame:
    """Net Promoter Score (NPS) à partir des réponses de 0 à 10.

    Promoteurs : 9 ou 10 ; passifs : 7 ou 8 ; détracteurs : 0 à 6.
    NPS = (% promoteurs − % détracteurs), en points, entre −100 et +100.

    Paramètres
    ----------
    data : Series ou DataFrame
        Une Series de notes de 0 à 10, ou un tableau avec la colonne ``column`` (et ``by``).
    column : str
        Colonne des notes (défaut ``"nps"``).
    by : str, optionnel
        Colonne de regroupement : une ligne par groupe.

    Renvoie
    -------
    Series ou DataFrame
        Parts ``promoteurs``, ``passifs``, ``detracteurs`` (0 à 1, non-réponses exclues),
        ``repondants`` et ``nps`` (en points).

    Exemples
    --------
    >>> float(nps(pd.Series([10, 9, 8, 3, None]))["nps"])
    25.0
    """
    scores, keys = _scores(data, column, 0, 10, by)
    answered = scores.notna()
    parts = nps_parts(scores)
    parts["repondants"] = answered.astype("float64")
    out = _summarise(parts, keys, by)
    n = answered.groupby(keys).size() if keys is not None else len(scores)
    out["repondants"] = out["repondants"] * n
    out["nps"] = 100 * (out["promoteurs"] - out["detracteurs"])
    return out


def nps_from_counts(*, promoters, passives, detractors) -> float:
    """NPS à partir des effectifs : 100 × (promoteurs − détracteurs) / répondants.

    Paramètres
    ----------
    promoters, passives, detractors : nombre, tableau ou Series
        Nombre de répondants de chaque sorte (≥ 0, pas tous nuls).

    Renvoie
    -------
    float (ou tableau / Series)
        NPS en points, de −100 à +100.

    Exemples
    --------
    >>> nps_from_counts(promoters=50, passives=30, detractors=20)
    30.0
    """
    p = as_number(promoters, name="promoters", minimum=0)
    a = as_number(passives, name="passives", minimum=0)
    d = as_number(detractors, name="detractors", minimum=0)
    total = np.asarray(p) + np.asarray(a) + np.asarray(d)
    if (total == 0).any():
        raise DataError("aucun répondant : le NPS n'est pas défini.")
    return ratio(100 * (np.asarray(p) - np.asarray(d)), total)
