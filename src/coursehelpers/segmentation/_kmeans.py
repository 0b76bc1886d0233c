"""Segmentation a posteriori : k-means sur variables standardisées (réexporté par ``segmentation``).

Le calcul (standardisation, k-means++ et Lloyd, silhouette) est dans ``_lloyd`` : un portage
numpy de scikit-learn qui donne les mêmes groupes pour la même graine, sans importer
scikit-learn (environ 0,9 s).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coursehelpers._core.validate import check_positive_int, no_missing, require_frame
from coursehelpers.errors import DataError
from coursehelpers.segmentation._lloyd import kmeans, silhouettes, standardize
from coursehelpers.segmentation._profile import as_float, profile_table, split_features

__all__ = ["KMeansResult", "compare_k", "kmeans_segments"]

#: Au-delà de ce nombre de clients, la silhouette est estimée sur un échantillon de cette taille.
SILHOUETTE_SAMPLE = 3_000


@dataclass
class KMeansResult:
    """Résultat de :func:`kmeans_segments`.

    Attributs
    ---------
    labels : Series d'entiers 0..k-1 (0 = le plus grand segment), même index que les données.
    profile : DataFrame, voir :func:`profile_table`.
    centers : DataFrame, centre de chaque segment en unités d'origine (variables codées comprises).
    inertia : float, somme des carrés des distances au centre (sur données standardisées).
    silhouette : float entre -1 et 1 (proche de 1 = groupes bien séparés) ; calculée à la
        première lecture (c'est le calcul le plus long : distances entre 3 000 clients), puis gardée.
    """

    labels: pd.Series
    profile: pd.DataFrame
    centers: pd.DataFrame
    inertia: float
    k: int
    seed: int
    _silhouette: Callable[[], float] | float = field(default=float("nan"), repr=False, compare=False)

    @property
    def silhouette(self) -> float:
        """Silhouette moyenne des segments (voir :func:`compare_k`)."""
        if callable(self._silhouette):
            self._silhouette = self._silhouette()
        return self._silhouette


def _design_matrix(df: pd.DataFrame, features: Sequence[str], *, encode_categorical: bool) -> pd.DataFrame:
    require_frame(df, name="clients")
    numeric, categorical = split_features(df, features)
    parts = {}
    for col in numeric:
        parts[col] = as_float(df, col, allow_missing=False)
    if categorical and not encode_categorical:
        raise DataError(
            "k-means calcule des distances : il lui faut des nombres. Retirez cette colonne de "
            "« features », ou passez encode_categorical=True pour la coder en indicatrices 0/1 "
            "(une colonne par modalité).",
            column=", ".join(categorical),
        )
    matrix = pd.DataFrame(parts, index=df.index)
    for col in categorical:
        no_missing(df, col, name="clients")
        dummies = pd.get_dummies(df[col].astype(str), prefix=col, prefix_sep="=", dtype="float64")
        matrix = pd.concat([matrix, dummies], axis=1)
    return matrix


def _check_k(matrix: pd.DataFrame, k: int, n_distinct: int) -> None:
    if not 2 <= k < len(matrix) or k > n_distinct:
        raise DataError(
            f"k = {k} groupes impossible : il faut 2 ≤ k < nombre de clients ({len(matrix)}) "
            f"et au plus {n_distinct} profils distincts."
        )


def _fit(matrix: pd.DataFrame, ks: Sequence[int], seed: int
         ) -> tuple[list[tuple[np.ndarray, float]], Callable[[], list[float]]]:
    """k-means (10 départs) pour chaque k : [(groupes bruts 0..k-1, inertie)], et la fonction qui
    calcule leurs silhouettes (appelée seulement si on en a besoin).

    Les variables standardisées et les distances de la silhouette ne dépendent pas de k : elles
    sont calculées une fois pour toutes les valeurs de k (même résultat qu'un calcul par k, à
    l'arrondi près de la 12e décimale).
    """
    from threadpoolctl import threadpool_limits

    n_distinct = len(matrix.drop_duplicates())
    for k in ks:
        _check_k(matrix, k, n_distinct)
    scaled = standardize(matrix.to_numpy())
    sample = SILHOUETTE_SAMPLE if len(matrix) > SILHOUETTE_SAMPLE else None
    # Un seul fil de calcul pour les produits de matrices (BLAS) : ils sont petits, et sur une
    # machine chargée deux fils s'attendent l'un l'autre (mesuré dans un noyau, machine chargée :
    # kmeans_segments sur 5 000 clients 0,4 à 0,6 s avec deux fils, 0,1 s avec un seul). Le
    # résultat ne dépend pas du nombre de fils.
    with threadpool_limits(limits=1, user_api="blas"):
        fits = [kmeans(scaled, k, seed=seed, n_init=10) for k in ks]  # quelques valeurs de k

    def sils() -> list[float]:
        with threadpool_limits(limits=1, user_api="blas"):
            return silhouettes(scaled, [labels for labels, _ in fits], sample_size=sample, seed=seed)

    return fits, sils


def kmeans_segments(df: pd.DataFrame, *, features: Sequence[str], k: int = 4, seed: int = 0,
                    encode_categorical: bool = False) -> KMeansResult:
    """Segmentation a posteriori par k-means sur variables standardisées.

    Étapes : chaque variable est centrée-réduite, z = (x − moyenne) / écart-type
    (sinon le revenu en euros écraserait l'âge en années) ; k-means cherche k
    centres qui minimisent l'inertie Σ ‖z_i − centre(i)‖² (10 départs, graine
    ``seed`` : même graine, mêmes segments). Les segments sont renumérotés du plus
    grand (0) au plus petit. Le profil est donné en unités d'origine.

    Paramètres
    ----------
    df : DataFrame, une ligne par client.
    features : colonnes utilisées (numériques ; vrai/faux compté 0/1).
    k : nombre de segments (2 ≤ k < nombre de clients).
    seed : graine du hasard.
    encode_categorical : une colonne texte (CSP, région...) est refusée par défaut ;
        avec ``True`` elle est codée en indicatrices 0/1 (« one-hot »), puis standardisée.

    Une valeur manquante lève une DataError (colonne et ligne). La silhouette est
    calculée sur un échantillon tiré au hasard (graine ``seed``) de 3 000 clients au-delà de cette
    taille (le calcul exact croît comme le carré du nombre de clients).

    Exemples
    --------
    >>> df = pd.DataFrame({"age": [20, 21, 22, 60, 61], "panier": [30, 32, 31, 90, 95]})
    >>> kmeans_segments(df, features=["age", "panier"], k=2).labels.tolist()
    [0, 0, 0, 1, 1]
    """
    k = check_positive_int(k, name="k", minimum=2)
    seed = check_positive_int(seed, name="seed", minimum=0)
    matrix = _design_matrix(df, features, encode_categorical=encode_categorical)
    [(raw_labels, inertia)], sils = _fit(matrix, [k], seed)
    raw = pd.Series(raw_labels, index=df.index)
    sizes = raw.value_counts(sort=False)
    order = sorted(sizes.index, key=lambda c: (-sizes[c], int(np.flatnonzero(raw.to_numpy() == c)[0])))
    mapping = np.empty(k, dtype="int64")
    mapping[order] = np.arange(k)
    labels = pd.Series(mapping[raw_labels], index=df.index, name="segment")
    centers = matrix.groupby(labels).mean()
    centers.index.name = "segment"
    return KMeansResult(
        labels=labels,
        profile=profile_table(df, labels, features=features),
        centers=centers,
        inertia=inertia,
        k=k,
        seed=seed,
        _silhouette=lambda: sils()[0],
    )


def compare_k(df: pd.DataFrame, *, features: Sequence[str], k_values: Sequence[int] = range(2, 9),
              seed: int = 0, encode_categorical: bool = False) -> pd.DataFrame:
    """Inertie et silhouette pour plusieurs valeurs de k (méthode du « coude »).

    L'inertie baisse toujours quand k augmente : on cherche le « coude » où le
    gain devient faible, et une silhouette élevée. Le choix final reste un
    jugement de l'analyste (segments utiles et actionnables).

    Exemples
    --------
    >>> df = pd.DataFrame({"x": [0, 1, 2, 10, 11, 12, 20, 21]})
    >>> compare_k(df, features=["x"], k_values=[2, 3]).index.tolist()
    [2, 3]
    """
    seed = check_positive_int(seed, name="seed", minimum=0)
    ks = [check_positive_int(k, name="k", minimum=2) for k in k_values]
    if not ks:
        raise DataError("« k_values » est vide : donnez par ex. range(2, 9).")
    matrix = _design_matrix(df, features, encode_categorical=encode_categorical)
    fits, sils = _fit(matrix, ks, seed)
    rows = [(k, inertia, sil) for k, (_, inertia), sil in zip(ks, fits, sils(), strict=True)]
    return pd.DataFrame(rows, columns=["k", "inertie", "silhouette"]).set_index("k")
