"""Pyramide des clients : Platinum, Or, Fer, Plomb.

Zeithaml, Rust et Lemon (2001) classent les clients par *rentabilité* en
quatre niveaux, du sommet à la base de la pyramide : Platinum, Gold, Iron et
Lead, soit en français Platinum, Or, Fer et Plomb (certains textes traduisent
mal « Lead » par « Responsable » : c'est bien le plomb). Chaque niveau attend
un service différent et n'a pas la même valeur pour l'entreprise.

Référence : V. A. Zeithaml, R. T. Rust, K. N. Lemon (2001), « The Customer
Pyramid: Creating and Serving Profitable Customers », *California Management
Review*, 43(4), p. 118-142.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._core.validate import SHARE_TOLERANCE, check_fraction, value_series
from coursehelpers.errors import DataError

__all__ = ["DEFAULT_CUTOFFS", "TIERS", "TIER_DESCRIPTIONS", "assign_tiers", "tier_table"]

#: Les niveaux, du sommet à la base de la pyramide.
TIERS: tuple[str, ...] = ("Platinum", "Or", "Fer", "Plomb")

#: Parts cumulées de clients (classés du plus au moins rentable) qui ferment
#: Platinum, Or et Fer : 5 %, 20 %, 60 % ; Plomb = les 40 % restants.
DEFAULT_CUTOFFS: tuple[float, float, float] = (0.05, 0.20, 0.60)

#: Ce que chaque niveau attend, et l'action commerciale qui en découle.
TIER_DESCRIPTIONS: dict[str, str] = {
    "Platinum": ("Les clients les plus rentables : gros volumes, fidèles, peu sensibles au prix, "
                 "prêts à essayer vos nouveautés. Ils attendent un interlocuteur dédié et un "
                 "service prioritaire : les garder est la priorité absolue."),
    "Or": ("Des clients rentables mais plus attentifs au prix, qui partagent leurs achats avec "
           "des concurrents. Ils attendent des avantages de fidélité : l'objectif est de les "
           "faire monter vers Platinum (ventes additionnelles, montée en gamme)."),
    "Fer": ("La masse des clients : ils apportent du volume et occupent les capacités, avec une "
            "rentabilité faible. Ils attendent un service standard, simple et efficace : "
            "servir au juste coût, repérer ceux qui peuvent devenir Or."),
    "Plomb": ("Clients qui laissent peu de marge, voire moins qu'ils ne coûtent : petits achats "
              "occasionnels, et parfois un coût de service élevé (réclamations, retours, impayés). "
              "Objectif : réduire le coût de service (canaux en libre-service, livraison payante "
              "sous un seuil), ne plus les démarcher par des campagnes coûteuses. On ne refuse pas "
              "de leur vendre : refuser une vente à un consommateur sans motif légitime est "
              "interdit (Code de la consommation, art. L121-11)."),
}


def _check_cutoffs(cutoffs: object) -> tuple[float, float, float]:
    try:
        parts = tuple(cutoffs)  # type: ignore[call-overload]
    except TypeError:
        parts = ()
    if len(parts) != 3:
        raise DataError(f"« cutoffs » doit contenir trois parts cumulées de clients, par ex. "
                        f"(0.05, 0.20, 0.60) (reçu : {cutoffs!r}).")
    checked = tuple(check_fraction(p, name="cutoffs", open_left=True, open_right=True)
                    for p in parts)
    if not checked[0] < checked[1] < checked[2]:
        raise DataError(f"« cutoffs » doit être strictement croissant (reçu : {cutoffs!r}) : "
                        "Platinum, puis Or, puis Fer.")
    return checked  # type: ignore[return-value]


def _tier_codes(x: np.ndarray, cutoffs: tuple[float, float, float]) -> np.ndarray:
    """0..3 : part des clients *strictement* plus rentables, comparée aux seuils."""
    better = pd.Series(-x).rank(method="min").to_numpy() - 1
    before = better / len(x)
    return np.searchsorted(np.asarray(cutoffs) - SHARE_TOLERANCE, before, side="right").astype(np.int8)


def assign_tiers(values: object, *,
                 cutoffs: tuple[float, float, float] = DEFAULT_CUTOFFS) -> pd.Series:
    """Place chaque client dans la pyramide : Platinum, Or, Fer ou Plomb.

    Les clients sont classés du plus rentable au moins rentable. Pour un client
    de valeur x parmi n clients :

        avant(x) = (nombre de clients de valeur strictement supérieure à x) / n

    Platinum si avant(x) < 5 %, Or si avant(x) < 20 %, Fer si avant(x) < 60 %,
    Plomb sinon (seuils = ``cutoffs``, comparés à 10⁻¹² près). Deux clients de
    même valeur sont donc toujours dans le même niveau.

    Pourquoi (5 %, 20 %, 60 %) par défaut ? Zeithaml, Rust et Lemon (2001)
    insistent : il n'existe pas de pourcentages universels, chaque entreprise
    fixe ses seuils d'après sa propre rentabilité client. Nous retenons un
    sommet étroit (5 % de Platinum), Platinum + Or = 20 % pour rejoindre les
    « 20 % » de la loi de Pareto vue avec la méthode ABC, et une base de 40 %
    (Plomb) où se concentrent souvent les clients dont le coût de service
    dépasse la marge. Adaptez ``cutoffs`` à votre entreprise.

    Paramètres
    ----------
    values : Series de nombres (chiffre d'affaires ou, mieux, marge ; une marge
        négative est acceptée), index = les clients.
    cutoffs : (float, float, float)
        Parts cumulées de clients fermant Platinum, Or et Fer (croissantes,
        entre 0 et 1 exclus).

    Renvoie
    -------
    Series catégorielle ordonnée (Platinum < Or < Fer < Plomb) nommée ``niveau``.

    Exemples
    --------
    >>> ca = pd.Series([500, 80, 300, 20, 100, 40, 60, 10, 200, 5], index=list("abcdefghij"))
    >>> assign_tiers(ca, cutoffs=(0.1, 0.3, 0.6)).tolist()
    ['Platinum', 'Fer', 'Or', 'Plomb', 'Fer', 'Plomb', 'Fer', 'Plomb', 'Or', 'Plomb']
    """
    limits = _check_cutoffs(cutoffs)
    clean = value_series(values, allow_negative=True)
    codes = _tier_codes(clean.to_numpy(), limits)
    labels = pd.Categorical.from_codes(codes, categories=list(TIERS), ordered=True)
    return pd.Series(labels, index=clean.index, name="niveau")


def _aligned(other: object, index: pd.Index, *, name: str) -> np.ndarray:
    series = value_series(other, name=name, allow_negative=True)
    if not isinstance(other, pd.Series):
        if len(series) != len(index):
            raise DataError(f"« {name} » : {len(series)} valeurs pour {len(index)} clients.")
        return series.to_numpy()
    if series.index.has_duplicates or not series.index.sort_values().equals(
            index.sort_values()):
        missing = index.difference(series.index)
        detail = f" (par ex. le client {missing[0]!r} manque)" if len(missing) else ""
        raise DataError(f"« {name} » doit avoir exactement les mêmes clients que les "
                        f"valeurs{detail}.")
    return series.reindex(index).to_numpy()


def tier_table(values: object, *, margin: object = None, cost_to_serve: object = None,
               cutoffs: tuple[float, float, float] = DEFAULT_CUTOFFS) -> pd.DataFrame:
    """Tableau de la pyramide : poids de chaque niveau dans les clients et la valeur.

    Les niveaux viennent de :func:`assign_tiers` appliquée à ``values``. Pour
    chaque niveau t :

    - ``clients``, ``part_clients`` = clients(t) / n ;
    - ``valeur`` = Σ values(t), ``part_valeur`` = valeur(t) / Σ values,
      ``valeur_moyenne`` = valeur(t) / clients(t) ;
    - si ``margin`` est donnée : ``marge`` = Σ marge(t) et ``part_marge`` =
      marge(t) / Σ marge (la part du profit apportée par le niveau) ;
    - si ``cost_to_serve`` est donné : ``cout_service`` = Σ coût(t) ; avec la
      marge en plus : ``profit_net`` = marge(t) − coût(t) et ``part_profit_net``
      = profit_net(t) / Σ profit_net.

    ``margin`` et ``cost_to_serve`` sont des Series avec les mêmes clients
    (index) que ``values``, ou des listes dans le même ordre.

    Exemples
    --------
    >>> ca = pd.Series([500, 80, 300, 20, 100, 40, 60, 10, 200, 5], index=list("abcdefghij"))
    >>> tier_table(ca, cutoffs=(0.1, 0.3, 0.6))[["clients", "valeur"]]  # doctest: +NORMALIZE_WHITESPACE
              clients  valeur
    niveau
    Platinum        1   500.0
    Or              2   500.0
    Fer             3   240.0
    Plomb           4    75.0
    """
    limits = _check_cutoffs(cutoffs)
    clean = value_series(values, allow_negative=True)
    x = clean.to_numpy()
    if x.sum() == 0:
        raise DataError("les valeurs somment à 0 : les parts de valeur ne peuvent pas être "
                        "calculées.")
    codes = _tier_codes(x, limits)
    count = np.bincount(codes, minlength=4)
    value = np.bincount(codes, weights=x, minlength=4)
    out = pd.DataFrame(
        {"clients": count, "part_clients": count / len(x), "valeur": value,
         "part_valeur": value / x.sum()},
        index=pd.CategoricalIndex(list(TIERS), categories=list(TIERS), ordered=True,
                                  name="niveau"),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out["valeur_moyenne"] = np.where(count > 0, value / np.maximum(count, 1), np.nan)
    if margin is not None:
        m = _aligned(margin, clean.index, name="margin")
        out["marge"] = np.bincount(codes, weights=m, minlength=4)
        out["part_marge"] = out["marge"] / m.sum() if m.sum() != 0 else np.nan
    if cost_to_serve is not None:
        c = _aligned(cost_to_serve, clean.index, name="cost_to_serve")
        if (c < 0).any():
            raise DataError("« cost_to_serve » : un coût de service ne peut pas être négatif.")
        out["cout_service"] = np.bincount(codes, weights=c, minlength=4)
        if margin is not None:
            out["profit_net"] = out["marge"] - out["cout_service"]
            total = out["profit_net"].sum()
            out["part_profit_net"] = out["profit_net"] / total if total != 0 else np.nan
    return out
