"""Loi de Pareto et méthode ABC : qui fait l'essentiel du chiffre d'affaires ?

La « règle des 20/80 » dit qu'environ 20 % des clients font 80 % du chiffre
d'affaires. Ce module la *mesure* sur vos données : :func:`top_share` (part
du CA faite par les meilleurs clients), :func:`abc_classes` (classes A, B, C)
et :func:`pareto_table` (données de la courbe de concentration + synthèse).

Les valeurs sont une Series (un nombre par client, l'index = le client),
par exemple ``rfm_table(transactions)["montant"]``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from coursehelpers._core.validate import SHARE_TOLERANCE, check_fraction, value_series
from coursehelpers.errors import DataError

# Taux de rotation / renouvellement de la clientèle : une seule définition dans le cours,
# celle de kpis (rotation = ((nouveaux + perdus) / 2) / nombre moyen de clients).
from coursehelpers.kpis import customer_flows, rotation_rate

__all__ = ["CLASSES", "ParetoTable", "abc_classes", "customer_flows", "pareto_table", "rotation_rate",
           "top_share"]

#: Les trois classes, de la plus importante à la moins importante.
CLASSES: tuple[str, ...] = ("A", "B", "C")


def _check_thresholds(thresholds: object) -> tuple[float, float]:
    try:
        low, high = thresholds  # type: ignore[misc]
    except (TypeError, ValueError):
        raise DataError(f"« thresholds » doit contenir deux seuils, par ex. (0.80, 0.95) "
                        f"(reçu : {thresholds!r}).") from None
    low = check_fraction(low, name="thresholds (seuil A)", open_left=True)
    high = check_fraction(high, name="thresholds (seuil B)", open_left=True)
    if not low < high:
        raise DataError(f"« thresholds » : le seuil A ({low}) doit être plus petit que le "
                        f"seuil B ({high}).")
    return low, high


def _sorted_shares(clean: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Ordre décroissant (ex-aequo : ordre d'origine) et part cumulée *avant* chaque élément."""
    x = clean.to_numpy()
    order = np.argsort(-x, kind="stable")
    sorted_x = x[order]
    total = sorted_x.sum()
    before = (np.cumsum(sorted_x) - sorted_x) / total
    return order, before


def _classes_from_before(before: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.where(before < low - SHARE_TOLERANCE, 0, np.where(before < high - SHARE_TOLERANCE, 1, 2))


def abc_classes(values: object, *, thresholds: tuple[float, float] = (0.80, 0.95)) -> pd.Series:
    """Classe A, B ou C de chaque élément (client, produit...).

    Méthode : trier les valeurs de la plus grande à la plus petite, puis
    calculer pour chaque élément la part cumulée *avant* lui :

        avant(i) = (somme des valeurs classées avant i) / (somme totale)

    - A si avant(i) < 80 % (premier seuil) ;
    - B si 80 % ≤ avant(i) < 95 % (second seuil) ;
    - C sinon.

    Le plus gros élément est donc toujours A. Deux valeurs égales gardent leur
    ordre d'origine (tri stable) : le résultat est toujours le même. Les parts
    sont comparées aux seuils à 10⁻¹² près (arrondis des nombres à virgule).

    Paramètres
    ----------
    values : Series (ou liste) de nombres positifs ou nuls, index = les éléments.
    thresholds : (float, float)
        Les deux seuils de part cumulée, 0 < A < B ≤ 1.

    Renvoie
    -------
    Series catégorielle ordonnée (A < B < C) nommée ``classe``, alignée sur
    l'index de ``values``.

    Lève
    ----
    DataError : valeur manquante, non numérique, négative (déduisez d'abord les
    avoirs) ou toutes les valeurs nulles.

    Exemples
    --------
    >>> abc_classes(pd.Series([10, 70, 15, 5], index=["w", "x", "y", "z"])).tolist()
    ['B', 'A', 'A', 'C']
    """
    low, high = _check_thresholds(thresholds)
    clean = value_series(values)
    order, before = _sorted_shares(clean)
    codes = np.empty(len(clean), dtype=np.int8)
    codes[order] = _classes_from_before(before, low, high)
    labels = pd.Categorical.from_codes(codes, categories=list(CLASSES), ordered=True)
    return pd.Series(labels, index=clean.index, name="classe")


class ParetoTable(NamedTuple):
    """Résultat de :func:`pareto_table` : ``curve`` (un élément par ligne) et ``summary``."""

    curve: pd.DataFrame
    summary: pd.DataFrame


def pareto_table(values: object, *,
                 thresholds: tuple[float, float] = (0.80, 0.95)) -> ParetoTable:
    """Données de la courbe de concentration (Pareto) et synthèse par classe ABC.

    ``curve`` : un élément par ligne, du plus grand au plus petit, colonnes

    - ``rang`` : 1, 2, ..., n ;
    - ``valeur`` et ``part`` = valeur / total ;
    - ``part_cumulee_clients`` = rang / n (axe horizontal de la courbe) ;
    - ``part_cumulee_valeur`` = somme des valeurs jusqu'à ce rang / total
      (axe vertical) ;
    - ``classe`` : A, B ou C comme :func:`abc_classes`.

    ``summary`` : une ligne par classe (A, B, C, même vide) avec ``clients``,
    ``part_clients``, ``valeur`` et ``part_valeur`` ; les parts somment à 1.

    Exemples
    --------
    >>> courbe, synthese = pareto_table(pd.Series([10, 70, 15, 5], index=["w", "x", "y", "z"]))
    >>> courbe["part_cumulee_valeur"].tolist()
    [0.7, 0.85, 0.95, 1.0]
    >>> synthese["clients"].tolist()
    [2, 1, 1]
    """
    low, high = _check_thresholds(thresholds)
    clean = value_series(values)
    order, before = _sorted_shares(clean)
    x = clean.to_numpy()[order]
    total = x.sum()
    n = len(x)
    codes = _classes_from_before(before, low, high)
    curve = pd.DataFrame(
        {
            "rang": np.arange(1, n + 1),
            "valeur": x,
            "part": x / total,
            "part_cumulee_clients": np.arange(1, n + 1) / n,
            "part_cumulee_valeur": np.cumsum(x) / total,
            "classe": pd.Categorical.from_codes(codes, categories=list(CLASSES), ordered=True),
        },
        index=clean.index[order],
    )
    count = np.bincount(codes, minlength=3)
    amount = np.bincount(codes, weights=x, minlength=3)
    summary = pd.DataFrame(
        {"clients": count, "part_clients": count / n, "valeur": amount,
         "part_valeur": amount / total},
        index=pd.CategoricalIndex(list(CLASSES), categories=list(CLASSES), ordered=True,
                                  name="classe"),
    )
    return ParetoTable(curve, summary)


def top_share(values: object, *, share: float = 0.2) -> float:
    """Part du total réalisée par les meilleurs ``share`` × 100 % des éléments.

    Formule : avec n éléments, on garde les k plus grandes valeurs, où

        k = ⌈share × n⌉   (arrondi à l'entier supérieur, donc au moins 1)

    et le résultat vaut (somme des k plus grandes valeurs) / (somme totale).
    Le produit share × n est d'abord arrondi à 10⁻⁹ près, pour que 0,1 × 30
    donne bien k = 3 et non 4.

    Exemple : 10 clients, share = 0,2 → k = 2 ; 11 clients → k = ⌈2,2⌉ = 3.

    >>> top_share(pd.Series([50, 30, 10, 5, 5]), share=0.2)
    0.5
    """
    fraction = check_fraction(share, name="share", open_left=True)
    clean = value_series(values)
    x = np.sort(clean.to_numpy())[::-1]
    k = math.ceil(round(fraction * len(x), 9))
    return float(x[:k].sum() / x.sum())
