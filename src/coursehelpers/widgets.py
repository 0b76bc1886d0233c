"""Explorateurs interactifs (ipywidgets) construits sur les fonctions d'analyse du cours.

Chaque explorateur est une fonction qui prend des données (par défaut : les données du cours,
donc elle marche aussi sur votre propre fichier) et rend un objet à afficher :

>>> from coursehelpers import widgets
>>> simu = widgets.clv_simulator()            # dernière ligne d'une cellule → s'affiche
>>> simu.update(retention=0.8).outputs["resume"]      # doctest: +ELLIPSIS
'CLV sur 10 ans : ...'

- les contrôles (curseurs, menus) sont dans ``simu.controls`` ;
- les résultats (figures, tableaux au format français) sont des sorties Jupyter ordinaires,
  mises à jour sur place : un notebook exécuté montre la vue par défaut même sur GitHub
  ou dans un export HTML ;
- ``simu.update(nom=valeur, ...)`` change des contrôles et recalcule (sans navigateur) ;
  ``simu.outputs`` contient les derniers résultats, ``simu.last_callback_ms`` la durée.
"""

from __future__ import annotations

from coursehelpers._widgets_base import Explorer
from coursehelpers._widgets_value import CLVSimulator, clv_by_year
from coursehelpers.errors import DataError

__all__ = ["Explorer", "clv_by_year", "clv_simulator"]


def _number(value: object, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise DataError(f"« {name} » doit être un nombre entre {low:g} et {high:g} (reçu : {value!r}).")
    return float(value)


def clv_simulator(*, margin: float = 120.0, retention: float = 0.70, discount_rate: float = 0.08,
                  acquisition_cost: float = 150.0, horizon: int = 10) -> CLVSimulator:
    """Simulateur de valeur vie client (CLV) et de seuil de rentabilité.

    ``CLV(T) = Σ_{t=1..T} m × r^(t−1) / (1 + d)^(t−1)`` avec m la marge annuelle par client,
    r le taux de fidélisation (probabilité de garder le client d'une année sur l'autre),
    d le taux d'actualisation et T l'horizon. Le client est rentable quand la CLV cumulée
    dépasse le coût d'acquisition ; la valeur nette est ``CLV − coût d'acquisition``.

    Paramètres (valeurs de départ des curseurs)
    ----------
    margin : marge annuelle par client, en € (10 à 500)
    retention : taux de fidélisation annuel (0,05 à 0,95)
    discount_rate : taux d'actualisation annuel (0 à 0,20)
    acquisition_cost : coût d'acquisition d'un client, en € (0 à 1 000)
    horizon : nombre d'années (1 à 20)

    Exemple
    -------
    >>> s = clv_simulator(margin=100, retention=0.5, discount_rate=0.0, horizon=3)
    >>> s.outputs["resume"].startswith("CLV sur 3 ans : **175")
    True
    """
    return CLVSimulator(
        margin=_number(margin, "margin", 10, 500),
        retention=_number(retention, "retention", 0.05, 0.95),
        discount_rate=_number(discount_rate, "discount_rate", 0.0, 0.20),
        acquisition_cost=_number(acquisition_cost, "acquisition_cost", 0, 1000),
        horizon=int(_number(horizon, "horizon", 1, 20)),
    )
