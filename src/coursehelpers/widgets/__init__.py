"""Explorateurs interactifs (ipywidgets) construits sur les fonctions d'analyse du cours.

Chaque explorateur est une fonction qui prend des données (par défaut : les données du cours,
donc elle marche aussi sur votre propre fichier) et rend un objet à afficher :

>>> from coursehelpers import widgets
>>> simu = widgets.clv_simulator()            # dernière ligne d'une cellule → s'affiche
>>> print(simu.update(retention=0.8).outputs["resume"][:16])
CLV sur 10 ans :

- les contrôles (curseurs, menus) sont dans ``simu.controls`` ;
- les résultats (figures, tableaux au format français) sont des sorties Jupyter ordinaires,
  mises à jour sur place : un notebook exécuté montre la vue par défaut même sur GitHub
  ou dans un export HTML ;
- ``simu.update(nom=valeur, ...)`` change des contrôles et recalcule (sans navigateur) ; les
  noms des contrôles sont en anglais (``threshold_a``, ``lever``...), les anciens noms français
  (``seuil_a``, ``levier``...) restent acceptés ;
  ``simu.outputs`` contient les derniers résultats, ``simu.last_callback_ms`` la durée.

Les classes des explorateurs sont dans les modules privés (``_base`` : le socle commun, puis un
module par explorateur) ; les calculs sont ceux des modules de concepts (``kpis``, ``rfm``,
``clv``...) et les figures celles de ``plots``. ``channel_summary``, ``loyalty_frame``,
``loyalty_table``, ``clv_by_year``, ``customer_frame`` et ``customer_values`` restent
accessibles ici (même fonction qu'à leur place).
"""

from __future__ import annotations

import pandas as pd

from coursehelpers import datasets
from coursehelpers._core.customers import customer_frame, customer_values
from coursehelpers._core.validate import (
    check_positive_int,
    check_range,
    numeric_column,
    require_columns,
    require_frame,
)
from coursehelpers.clv import clv_by_year
from coursehelpers.errors import DataError
from coursehelpers.kpis import channel_summary, loyalty_frame, loyalty_table
from coursehelpers.personal_data import permission_counts
from coursehelpers.prospecting import class_table
from coursehelpers.widgets._base import Explorer, mime_bundle
from coursehelpers.widgets._channels import ChannelExplorer
from coursehelpers.widgets._customers import ABCExplorer, PyramidExplorer
from coursehelpers.widgets._dashboard import KPIDashboardExplorer
from coursehelpers.widgets._loyalty import LoyaltyExplorer, make_loyalty_explorer
from coursehelpers.widgets._privacy import PrivacyExplorer
from coursehelpers.widgets._prospecting import LeadScoringExplorer
from coursehelpers.widgets._reviews import ReviewsExplorer
from coursehelpers.widgets._rfm import RFMExplorer
from coursehelpers.widgets._segments import SegmentationExplorer
from coursehelpers.widgets._value import CLVSimulator

__all__ = [
    "Explorer",
    "abc_explorer",
    "channel_explorer",
    "channel_summary",
    "class_table",
    "clv_by_year",
    "clv_simulator",
    "customer_frame",
    "customer_values",
    "kpi_dashboard_explorer",
    "lead_scoring_explorer",
    "loyalty_explorer",
    "loyalty_frame",
    "loyalty_table",
    "mime_bundle",
    "permission_counts",
    "privacy_explorer",
    "pyramid_explorer",
    "reviews_explorer",
    "rfm_explorer",
    "segmentation_explorer",
]


def clv_simulator(*, margin: float = 120.0, retention: float = 0.70, discount_rate: float = 0.08,
                  acquisition_cost: float = 150.0, horizon: int = 10) -> CLVSimulator:
    """Simulateur de valeur vie client (CLV) et de seuil de rentabilité.

    ``CLV(T) = Σ_{t=1..T} m × r^(t−1) / (1 + d)^(t−1)`` avec m la marge annuelle par client,
    r le taux de fidélisation (probabilité de garder le client d'une année sur l'autre),
    d le taux d'actualisation et T l'horizon. Le client est rentable quand la CLV cumulée
    dépasse le coût d'acquisition ; la valeur nette est ``CLV − coût d'acquisition``.
    Les paramètres sont les valeurs de départ des curseurs.

    Paramètres
    ----------
    margin : marge annuelle par client, en € (10 à 500)
    retention : taux de fidélisation annuel (0,05 à 0,95)
    discount_rate : taux d'actualisation annuel (0 à 0,20)
    acquisition_cost : coût d'acquisition d'un client, en € (0 à 1 000)
    horizon : nombre d'années (1 à 20)

    Exemples
    --------
    >>> s = clv_simulator(margin=100, retention=0.5, discount_rate=0.0, horizon=3)
    >>> s.outputs["resume"].startswith("CLV sur 3 ans : **175")
    True
    """
    return CLVSimulator(
        margin=check_range(margin, name="margin", low=10, high=500),
        retention=check_range(retention, name="retention", low=0.05, high=0.95),
        discount_rate=check_range(discount_rate, name="discount_rate", low=0.0, high=0.20),
        acquisition_cost=check_range(acquisition_cost, name="acquisition_cost", low=0, high=1000),
        horizon=int(check_range(horizon, name="horizon", low=1, high=20)),
    )


def _values(values: pd.Series | pd.DataFrame | None) -> pd.Series:
    """Valeur par client : la Series donnée, ou le CA par client d'un tableau de transactions."""
    if values is None:
        return customer_values(datasets.load_transactions())
    if isinstance(values, pd.DataFrame):
        return customer_values(values)
    if not isinstance(values, pd.Series):
        raise DataError("« values » doit être une Series (une valeur par client) ou un tableau de "
                        f"transactions (DataFrame), pas un objet de type {type(values).__name__}.")
    return values


def channel_explorer(contacts: pd.DataFrame | None = None) -> ChannelExplorer:
    """Canaux de contact : volume, délai de réponse, résolution et satisfaction par canal.

    Filtres : motif du contact et période (trimestres) ; indicateur affiché en barres ;
    seuil de satisfaction (un client est « satisfait » si sa note ≥ seuil).
    Pour chaque canal c : part du volume = contacts(c) / contacts, taux de résolution =
    résolus(c) / contacts(c), satisfaction = moyenne des notes (1 à 5),
    NPS = % promoteurs (9–10) − % détracteurs (0–6).

    Paramètres
    ----------
    contacts : DataFrame, optionnel (défaut : ``datasets.load_contacts()``)
        Colonnes ``canal``, ``motif``, ``date``, ``delai_reponse_h``, ``resolu``,
        ``satisfaction`` (et ``nps`` si disponible).

    Exemples
    --------
    >>> e = channel_explorer()                                   # doctest: +SKIP
    >>> e.update(reason="réclamation", indicator="Taux de résolution")   # doctest: +SKIP
    """
    return ChannelExplorer(datasets.load_contacts() if contacts is None else contacts)


def pyramid_explorer(values: pd.Series | pd.DataFrame | None = None, *,
                     cutoffs: tuple[float, float, float] = (0.05, 0.20, 0.60)) -> PyramidExplorer:
    """Pyramide des clients (Platinum, Or, Fer, Plomb) avec des curseurs pour les seuils.

    Les clients sont classés du plus au moins rentable ; les seuils sont des parts cumulées
    de clients : Platinum = les 5 % premiers, Or jusqu'à 20 %, Fer jusqu'à 60 %, Plomb = le
    reste (valeurs de ``tiers.DEFAULT_CUTOFFS``). La figure et le tableau montrent, par niveau,
    part des clients et part du CA = CA(niveau) / CA total.

    Paramètres
    ----------
    values : Series (valeur par client) ou DataFrame de transactions (CA par client),
        optionnel (défaut : CA par client des données du cours)
    cutoffs : seuils de départ (Platinum, Or, Fer), croissants entre 0 et 1

    Exemples
    --------
    >>> p = pyramid_explorer(pd.Series([900.0, 50, 40, 30, 20, 10, 5, 5, 3, 2]), cutoffs=(0.1, 0.3, 0.6))
    >>> p.outputs["tableau"]["Clients"].tolist()
    ['1', '2', '3', '4']
    """
    return PyramidExplorer(_values(values), cutoffs=cutoffs)


def abc_explorer(values: pd.Series | pd.DataFrame | None = None, *,
                 thresholds: tuple[float, float] = (0.80, 0.95), share: float = 0.2) -> ABCExplorer:
    """Analyse ABC / loi de Pareto : seuils des classes et part des meilleurs clients en curseurs.

    Clients triés du plus gros au plus petit ; un client est A si la part cumulée du CA
    *avant* lui est < seuil A, B si < seuil B, sinon C. La phrase du haut donne la part du
    CA faite par les ``share`` × 100 % meilleurs clients (``pareto.top_share``).

    Paramètres
    ----------
    values : Series (valeur par client) ou DataFrame de transactions, optionnel
    thresholds : seuils de départ (A, B), défaut (0,80 ; 0,95)
    share : part des meilleurs clients, défaut 0,2

    Exemples
    --------
    >>> a = abc_explorer(pd.Series([70.0, 10, 15, 5], index=list("wxyz")))
    >>> a.outputs["tableau"]["Clients"].tolist()   # A : 70 et 15 (80 % atteint) ; B : 10 ; C : 5
    ['2', '1', '1']
    """
    return ABCExplorer(_values(values), thresholds=thresholds, share=share)


def rfm_explorer(transactions: pd.DataFrame | None = None, *, customer: str = "client_id",
                 date: str = "date", amount: str = "montant", order: str | None = None,
                 bins: int = 5, top: int = 10) -> RFMExplorer:
    """Analyse RFM interactive : date de référence, nombre de notes, carte R × F, segments.

    La table RFM (``rfm.rfm_table`` sur les achats antérieurs à la date de référence) est
    calculée une fois par date puis gardée en cache ; les notes 1..bins (``rfm.rfm_scores``),
    la carte R × F, la synthèse des segments et la liste des ``top`` plus gros clients du
    segment choisi suivent les curseurs.

    Paramètres
    ----------
    transactions : DataFrame, optionnel (défaut : ``datasets.load_transactions()``)
    customer, date, amount, order : noms des colonnes (comme ``rfm.rfm_table``)
    bins : nombre de notes de départ (3 à 9) ; top : nombre de clients listés

    Exemples
    --------
    >>> r = rfm_explorer()                                        # doctest: +SKIP
    >>> r.update(segment="À risque").outputs["clients"].head()   # doctest: +SKIP
    """
    data = datasets.load_transactions() if transactions is None else transactions
    return RFMExplorer(data, customer=customer, date=date, amount=amount, order=order,
                       bins=int(check_range(check_positive_int(bins, name="bins"), name="bins", low=3,
                                            high=9)),
                       top=check_positive_int(top, name="top"))


def segmentation_explorer(customers: pd.DataFrame | None = None, *, k: int = 4,
                          seed: int = 0) -> SegmentationExplorer:
    """Segmentation a priori (règles sur un critère) ou a posteriori (k-means), avec profils.

    A priori : choisissez un critère (tranche d'âge avec ses bornes, CSP, région...) ;
    chaque modalité devient une règle lisible (``segmentation.segment_by_rules``).
    A posteriori : k-means sur âge, CA, commandes et récence centrés-réduits
    (``segmentation.kmeans_segments``, graine ``seed``), k au choix (résultat gardé en cache).
    Sorties : poids de chaque segment (clients et CA) et profil moyen (``profile_table``).

    Paramètres
    ----------
    customers : DataFrame, une ligne par client, optionnel (défaut :
        ``customer_frame(load_clients(), load_transactions())``) ; doit contenir
        ``chiffre_affaires`` et, pour k-means, ``age``, ``commandes``, ``recence_jours``.
    k : nombre de segments de départ pour k-means (2 à 8) ; seed : graine

    Exemples
    --------
    >>> s = segmentation_explorer()                               # doctest: +SKIP
    >>> s.update(method="A posteriori (k-means)", k=3)            # doctest: +SKIP
    """
    if customers is None:
        customers = customer_frame(datasets.load_clients(), datasets.load_transactions())
    df = require_frame(customers, name="clients")
    require_columns(df, ["chiffre_affaires"], name="clients (voir widgets.customer_frame)")
    numeric_column(df, "chiffre_affaires", name="clients")
    return SegmentationExplorer(df, k=int(check_range(k, name="k", low=2, high=8)), seed=seed)


def _own_or_bundled(**frames: pd.DataFrame | None) -> dict[str, pd.DataFrame | None]:
    """Tous absents : les données du cours. Sinon, vos tableaux (jamais un mélange des deux)."""
    if all(f is None for f in frames.values()):
        loaders = {"clients": datasets.load_clients, "transactions": datasets.load_transactions,
                   "contacts": datasets.load_contacts}
        return {name: loaders[name]() for name in frames}
    return frames


def loyalty_explorer(clients: pd.DataFrame | None = None, transactions: pd.DataFrame | None = None,
                     contacts: pd.DataFrame | None = None, *, since: object = "2025-01-01",
                     signup_before: object | None = "2024-01-01") -> LoyaltyExplorer:
    """Leviers de la roue de la fidélité : part de clients partis selon le levier choisi.

    Population : clients inscrits avant ``signup_before`` ayant acheté avant ``since``.
    Un client est **parti** s'il n'a fait aucun achat à partir de ``since``
    (``kpis.churn_flags``) ; par groupe, part de partis = partis / clients (``kpis.churn_by``).
    Les leviers sont mesurés **avant** ``since`` (voir ``loyalty_frame``) : satisfaction
    moyenne (tranches), carte de fidélité, nombre de familles de produits achetées,
    réclamation résolue ou non, canal d'acquisition. Le curseur « Commandes avant départ »
    ne garde que les clients ayant passé ce nombre de commandes : comparez des clients
    comparables avant de conclure qu'un levier « marche ».

    Paramètres
    ----------
    clients, transactions, contacts : DataFrame, optionnels. Sans aucun des trois : les
        données du cours ; sinon ``clients`` et ``transactions`` sont obligatoires et
        ``contacts`` facultatif (sans lui : pas de levier satisfaction ni réclamation).
    since : date de début de l'observation du départ ; signup_before : date d'inscription
        maximale (``None`` : tous les clients).

    Exemples
    --------
    >>> e = loyalty_explorer()                                              # doctest: +SKIP
    >>> e.update(lever="Carte de fidélité", orders=(5, 9)).outputs["tableau"]   # doctest: +SKIP
    """
    data = _own_or_bundled(clients=clients, transactions=transactions, contacts=contacts)
    for name in ("clients", "transactions"):
        if data[name] is None:
            raise DataError(f"« {name} » manque : donnez clients et transactions (contacts en option), "
                            "ou aucun des trois pour les données du cours.")
    return make_loyalty_explorer(data["clients"], data["transactions"], data["contacts"], since=since,
                                 signup_before=signup_before)


def kpi_dashboard_explorer(transactions: pd.DataFrame | None = None, contacts: pd.DataFrame | None = None,
                           clients: pd.DataFrame | None = None) -> KPIDashboardExplorer:
    """Tableau de bord : satisfaction, NPS, transformation ou attrition par année / trimestre et segment.

    Les chiffres sont ceux de ``kpis.kpi_dashboard`` (formules dans son aide) : satisfaction
    = Σ notes / répondants ; part de satisfaits = notes ≥ 4 / répondants ; NPS = % promoteurs
    − % détracteurs ; taux de transformation = contacts suivis d'un achat sous 30 jours /
    contacts ; taux d'attrition (période N) = clients actifs en N − 1 sans achat en N /
    clients actifs en N − 1. Segments : aucun, carte de fidélité, canal d'acquisition
    (colonnes de ``clients``), une courbe par segment.

    Paramètres
    ----------
    transactions, contacts, clients : DataFrame, optionnels. Sans aucun des trois : les
        données du cours ; sinon ``transactions`` et ``contacts`` sont obligatoires et
        ``clients`` facultatif (sans lui : pas de segment).

    Exemples
    --------
    >>> e = kpi_dashboard_explorer()                                        # doctest: +SKIP
    >>> e.update(indicator="Taux d'attrition", segment="Carte de fidélité")  # doctest: +SKIP
    """
    data = _own_or_bundled(transactions=transactions, contacts=contacts, clients=clients)
    for name in ("transactions", "contacts"):
        if data[name] is None:
            raise DataError(f"« {name} » manque : donnez transactions et contacts (clients en option), "
                            "ou aucun des trois pour les données du cours.")
    return KPIDashboardExplorer(data["transactions"], data["contacts"], data["clients"])


def privacy_explorer(consents: pd.DataFrame | None = None,
                     last_contacts: pd.DataFrame | None = None) -> PrivacyExplorer:
    """Qui peut-on prospecter, sur quel canal et sur quelle base, selon la date et la durée de conservation ?

    Contrôles : date de campagne (avant / après le 11/08/2026, date à laquelle le téléphone
    passe au consentement préalable), fichier de clients (*soft opt-in* possible) ou de
    prospects, durée de conservation (1 à 5 ans, 3 ans recommandés par la CNIL). Sorties :
    un résumé, des barres empilées par canal (base légale ou motif de refus) et le tableau
    des effectifs (:func:`permission_counts`).

    Paramètres
    ----------
    consents : DataFrame, optionnel (défaut : ``datasets.load_consents()``)
    last_contacts : DataFrame, optionnel (défaut : ``datasets.load_last_contacts()``)

    Exemples
    --------
    >>> e = privacy_explorer()                                          # doctest: +SKIP
    >>> e.update(date="01/10/2026").outputs["tableau"].loc["téléphone"]  # doctest: +SKIP
    """
    return PrivacyExplorer(datasets.load_consents() if consents is None else consents,
                           datasets.load_last_contacts() if last_contacts is None else last_contacts)


def lead_scoring_explorer(prospects: pd.DataFrame | None = None, *,
                          grid: dict[str, dict[object, float]]) -> LeadScoringExplorer:
    """Grille de scoring interactive : seuils des classes chaud / tiède / froid, étape, coût d'un contact.

    Le score de chaque prospect est celui de :func:`coursehelpers.prospecting.lead_scores` avec
    ``grid`` ; le tableau (:func:`class_table`) donne par classe les effectifs de l'entonnoir,
    les taux et le coût de prospection par commande (contactés × coût / commandes).

    Paramètres
    ----------
    prospects : DataFrame, optionnel (défaut : ``datasets.load_prospects()``)
        Avec les colonnes oui/non ``contacte``, ``rdv``, ``devis``, ``commande`` et celles de la grille.
    grid : dict
        ``{colonne: {valeur: points}}`` (voir ``prospecting.lead_scores``).

    Exemples
    --------
    >>> e = lead_scoring_explorer(grid={"source": {"recommandation client": 20}})   # doctest: +SKIP
    >>> e.update(seuil_chaud=70).outputs["tableau"]                                 # doctest: +SKIP
    """
    return LeadScoringExplorer(datasets.load_prospects() if prospects is None else prospects, grid)


def reviews_explorer(reviews: pd.DataFrame | None = None) -> ReviewsExplorer:
    """E-réputation interactive : plateforme, période, avis négatifs ou positifs, seuil « négatif ».

    Sorties : un résumé (note moyenne, part de négatifs, part d'avis avec réponse, délai médian),
    la part des avis lus qui parlent de chaque thème (:func:`coursehelpers.reviews.keyword_counts`)
    et les indicateurs par année (:func:`coursehelpers.reviews.review_summary`).

    Paramètres
    ----------
    reviews : DataFrame, optionnel (défaut : ``datasets.load_reviews()``)

    Exemples
    --------
    >>> e = reviews_explorer()                                  # doctest: +SKIP
    >>> e.update(plateforme="Google").outputs["resume"]          # doctest: +SKIP
    """
    return ReviewsExplorer(datasets.load_reviews() if reviews is None else reviews)
