"""Indicateurs par canal de contact : volume, délai, résolution, satisfaction et NPS.

Satisfaction et NPS viennent des définitions de :mod:`coursehelpers.kpis._satisfaction`
(mêmes seuils, mêmes non-réponses exclues), regroupées ici par canal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers.errors import DataError
from coursehelpers.kpis._satisfaction import nps_parts, satisfaction_parts

__all__ = ["channel_summary"]


def channel_summary(contacts: pd.DataFrame, *, threshold: int = 4, channel: str = "canal",
                    channels: list[str] | None = None) -> pd.DataFrame:
    """Indicateurs par canal sur des contacts déjà filtrés.

    Pour chaque canal c :
    part_volume = contacts(c) / contacts ; taux_resolution = résolus(c) / contacts(c) ;
    delai_median_h = médiane des délais de réponse (heures) ; satisfaction_moyenne = Σ notes /
    répondants ; part_satisfaits = notes ≥ ``threshold`` / répondants ;
    NPS = % promoteurs (9–10) − % détracteurs (0–6) (vide sans colonne ``nps``).

    Paramètres
    ----------
    contacts : DataFrame
        Colonnes ``channel``, ``delai_reponse_h``, ``resolu``, ``satisfaction`` (et ``nps``).
    threshold : int
        Note à partir de laquelle le client est satisfait (défaut 4).
    channel : str
        Colonne du canal (défaut ``"canal"``).
    channels : liste, optionnel
        Canaux à montrer même sans contact (0 contact, indicateurs vides).

    Renvoie
    -------
    DataFrame
        Indexé par canal : ``contacts``, ``part_volume``, ``delai_median_h``,
        ``taux_resolution``, ``satisfaction_moyenne``, ``part_satisfaits``, ``nps``.

    Lève
    ----
    DataError
        Aucun contact.

    Exemples
    --------
    >>> c = pd.DataFrame({"canal": ["chat", "chat", "mail"], "delai_reponse_h": [1.0, 3.0, 24.0],
    ...                   "resolu": [True, False, True], "satisfaction": [5, 2, 4], "nps": [10, 3, 8]})
    >>> channel_summary(c)[["contacts", "part_satisfaits", "nps"]].to_dict("index")
    {'chat': {'contacts': 2, 'part_satisfaits': 0.5, 'nps': 0.0}, 'mail': {'contacts': 1, \
'part_satisfaits': 1.0, 'nps': 0.0}}
    """
    if contacts.empty:
        raise DataError("aucun contact ne correspond à ces filtres : élargissez la période ou le motif.")
    note = contacts["satisfaction"].astype("float64")
    score = contacts["nps"].astype("float64") if "nps" in contacts else pd.Series(np.nan, contacts.index)
    satisfaction = satisfaction_parts(note, threshold=threshold)
    promoters = nps_parts(score)
    frame = pd.DataFrame({
        "canal": contacts[channel], "delai": contacts["delai_reponse_h"].astype("float64"),
        "resolu": contacts["resolu"].astype("float64"), "note": satisfaction["moyenne"],
        "satisfait": satisfaction["part_satisfaits"],
        "promoteur": promoters["promoteurs"], "detracteur": promoters["detracteurs"],
    })
    grouped = frame.groupby("canal", observed=False, sort=True)
    out = pd.DataFrame({
        "contacts": grouped.size(),
        "delai_median_h": grouped["delai"].median(),
        "taux_resolution": grouped["resolu"].mean(),
        "satisfaction_moyenne": grouped["note"].mean(),
        "part_satisfaits": grouped["satisfait"].mean(),
        "nps": (grouped["promoteur"].mean() - grouped["detracteur"].mean()) * 100,
    })
    if channels is not None:
        out = out.reindex(channels)
        out["contacts"] = out["contacts"].fillna(0).astype("int64")
    out.insert(1, "part_volume", out["contacts"] / out["contacts"].sum())
    out.index.name = "Canal"
    return out
