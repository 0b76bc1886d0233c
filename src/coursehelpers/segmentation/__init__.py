"""Segmentation de la clientèle : critères, méthode a priori (règles) et a posteriori (k-means).

Segmenter, c'est découper une population (clients, prospects) en sous-ensembles
homogènes, chacun pouvant recevoir une offre et une communication adaptées.

* **A priori** (par règles) : vous choisissez les critères et les seuils avant
  de regarder les groupes, par ex. « moins de 30 ans et employé ».
  → :func:`segment_by_rules`.
* **A posteriori** (analyse de groupes) : un algorithme (ici k-means) forme des
  groupes de clients proches sur des variables choisies ; vous interprétez
  ensuite chaque groupe. → :func:`kmeans_segments`, :func:`compare_k`.

Dans les deux cas, :func:`profile_table` décrit chaque segment (effectif, part,
moyennes) : c'est la base pour rédiger des *personas*.

Ce paquet n'importe ni matplotlib, ni ipywidgets, ni scikit-learn : k-means et silhouette
sont calculés en numpy (``_lloyd``, portage de l'algorithme de scikit-learn : mêmes groupes
pour la même graine). Façade sur ses modules privés : ``_criteria`` (catalogue des critères),
``_rules`` (a priori), ``_kmeans`` (a posteriori), ``_lloyd`` (calcul), ``_profile``
(profils, partagé par les deux méthodes).
"""

from __future__ import annotations

from coursehelpers._core.customers import customer_frame
from coursehelpers.segmentation._criteria import CRITERIA, Criterion, criteria_table
from coursehelpers.segmentation._kmeans import KMeansResult, compare_k, kmeans_segments
from coursehelpers.segmentation._profile import UNASSIGNED, ProfileSums, profile_table
from coursehelpers.segmentation._rules import Rule, RuleSegmentation, segment_by_rules

__all__ = [
    "CRITERIA",
    "UNASSIGNED",
    "Criterion",
    "KMeansResult",
    "ProfileSums",
    "Rule",
    "RuleSegmentation",
    "compare_k",
    "criteria_table",
    "customer_frame",
    "kmeans_segments",
    "profile_table",
    "segment_by_rules",
]
