"""Analyse RFM : Récence, Fréquence, Montant.

Trois questions sur chaque client : *quand* a-t-il acheté pour la dernière
fois (récence), *combien de fois* (fréquence), *pour combien* (montant) ?
:func:`rfm_table` calcule ces trois mesures, :func:`rfm_scores` les note de 1
à 5 et place chaque client dans un segment, :func:`rfm_segments` résume les
segments et :func:`segment_customers` liste les clients d'un segment.

>>> import coursehelpers as ch
>>> table = ch.rfm.rfm_table(ch.datasets.load_transactions())   # doctest: +SKIP
>>> scores = ch.rfm.rfm_scores(table)                            # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursehelpers._core.dates import parse_day_first
from coursehelpers._core.ids import factorize_ids
from coursehelpers._core.validate import (
    check_positive_int,
    datetime_column,
    no_missing,
    numeric_column,
    require_columns,
    require_frame,
)
from coursehelpers.errors import DataError, DataWarning

__all__ = [
    "SEGMENTS",
    "SEGMENT_RULES",
    "SegmentRule",
    "rfm_scores",
    "rfm_segments",
    "rfm_table",
    "segment_customers",
    "segment_grid",
]


@dataclass(frozen=True)
class SegmentRule:
    """Une règle de la carte des segments : plages de scores R et F (bornes incluses)."""

    segment: str
    r: tuple[int, int]
    f: tuple[int, int]
    action: str


#: Carte des segments sur (R, F), du meilleur au moins bon segment.
#: ``pd.DataFrame(SEGMENT_RULES)`` l'affiche comme un tableau.
SEGMENT_RULES: tuple[SegmentRule, ...] = (
    SegmentRule("Champions", (5, 5), (4, 5),
                "Récompenser : avant-premières, offres exclusives, en faire des ambassadeurs."),
    SegmentRule("Clients fidèles", (3, 4), (4, 5),
                "Entretenir la relation : programme de fidélité, montée en gamme, demander un avis."),
    SegmentRule("Fidèles potentiels", (4, 5), (2, 3),
                "Proposer le programme de fidélité et des recommandations personnalisées."),
    SegmentRule("Nouveaux clients", (5, 5), (1, 1),
                "Soigner l'accueil : message de bienvenue, aide à la prise en main, 2e achat."),
    SegmentRule("Prometteurs", (4, 4), (1, 1),
                "Créer la préférence : offre ciblée pour déclencher un nouvel achat."),
    SegmentRule("À surveiller", (3, 3), (3, 3),
                "Relancer avec une offre limitée dans le temps, mesurer la satisfaction."),
    SegmentRule("Sur le point de s'endormir", (3, 3), (1, 2),
                "Réactiver : conseils utiles, produits phares, remise modérée."),
    SegmentRule("À risque", (1, 2), (3, 4),
                "Reconquête personnalisée : comprendre pourquoi le client s'éloigne."),
    SegmentRule("À ne pas perdre", (1, 2), (5, 5),
                "Contact direct du commercial, traiter l'insatisfaction, offre forte."),
    SegmentRule("En hibernation", (2, 2), (1, 2),
                "Offre de réactivation peu coûteuse, sans surinvestir."),
    SegmentRule("Perdus", (1, 1), (1, 2),
                "Dernière tentative à faible coût, puis ne plus solliciter (RGPD)."),
)

#: Noms des segments, du meilleur au moins bon (ordre des catégories de ``segment``).
SEGMENTS: tuple[str, ...] = tuple(rule.segment for rule in SEGMENT_RULES)


def _build_grid() -> np.ndarray:
    grid = np.full((5, 5), -1, dtype=np.int8)
    for code, rule in enumerate(SEGMENT_RULES):
        grid[rule.r[0] - 1:rule.r[1], rule.f[0] - 1:rule.f[1]] = code
    return grid


_GRID = _build_grid()  # _GRID[R - 1, F - 1] = position du segment dans SEGMENTS


def segment_grid() -> pd.DataFrame:
    """Carte des segments en tableau : lignes R (5 en haut), colonnes F.

    >>> segment_grid().loc[5, 5]
    'Champions'
    """
    labels = np.asarray(SEGMENTS, dtype=object)[_GRID[::-1]]
    return pd.DataFrame(labels, index=pd.Index(range(5, 0, -1), name="R"),
                        columns=pd.Index(range(1, 6), name="F"))


# --------------------------------------------------------------------------- rfm_table

def _as_of_day(as_of: object) -> np.int64:
    """Jour d'analyse (entier) ; texte ISO, jj/mm/aaaa (jour d'abord), Timestamp ou date acceptés."""
    day = parse_day_first(as_of, name="as_of")
    return np.array([day.to_datetime64()]).astype("datetime64[D]").view(np.int64)[0]


def _days(stamps: np.ndarray, unit: np.dtype) -> np.ndarray:
    """Instants (entiers dans l'unité ``unit`` de datetime64) → numéros de jour calendaire."""
    return np.asarray(stamps).view(unit).astype("datetime64[D]").view(np.int64)


def rfm_table(transactions: pd.DataFrame, *, customer: str = "client_id", date: str = "date",
              amount: str = "montant", order: str | None = None,
              as_of: object = None, returns: str = "net") -> pd.DataFrame:
    """Calcule récence, fréquence et montant de chaque client.

    Paramètres
    ----------
    transactions : DataFrame
        Une ligne par achat (ou par ligne de commande si ``order`` est donné).
    customer, date, amount : str
        Noms des colonnes client, date et montant (€).
    order : str ou None
        Colonne du numéro de commande. Si elle est donnée, la fréquence compte
        les commandes *distinctes* du client ; sinon elle compte les lignes.
    as_of : date ou None
        Date d'analyse. Par défaut : le lendemain du dernier achat du fichier.
    returns : {"net", "count"}
        Traitement des avoirs (lignes de montant **négatif**). ``"net"`` (défaut) : un avoir est
        déduit du montant du client mais ne compte **ni** comme un achat dans la fréquence
        **ni** dans la date du dernier achat (un remboursement n'est pas une visite).
        ``"count"`` : chaque ligne compte comme un achat, quel que soit son signe.

    Renvoie
    -------
    DataFrame indexé par client (trié), colonnes :

    - ``recence`` (entier) = as_of − date du dernier achat, en jours calendaires
      (les heures sont ignorées : un achat le jour même donne 0) ;
    - ``frequence`` (entier) = nombre de commandes distinctes, ou de lignes ;
    - ``montant`` (€) = somme des montants.

    Une ligne à **0 €** (article offert, cadeau promotionnel, commande à prix nul) est un
    achat : elle compte dans la fréquence et la récence, et un client dont toutes les lignes
    sont à 0 € figure dans la table (montant 0). Seules les lignes **négatives** sont des
    avoirs. Les avoirs sont **déduits** du montant du client : c'est le chiffre d'affaires
    net. Avec ``returns="net"``, un client qui n'a que des avoirs dans le fichier (aucun
    achat) est écarté de la table, avec un avertissement
    :class:`~coursehelpers.errors.DataWarning` qui donne leur nombre.
    Un client peut n'avoir qu'un achat.

    Lève
    ----
    DataError : colonne absente, montant non numérique, date illisible, client
    manquant, ou ``as_of`` antérieure à un achat (la récence serait négative :
    gardez d'abord les achats faits AVANT la date d'analyse, qui est le premier jour
    après la période étudiée : ``transactions[transactions["date"] < as_of]``).

    Exemples
    --------
    >>> tx = pd.DataFrame({"client_id": ["A", "A", "B"],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-01-10", "2024-01-05"]),
    ...                    "montant": [100.0, 50.0, 30.0]})
    >>> rfm_table(tx)  # doctest: +NORMALIZE_WHITESPACE
               recence  frequence  montant
    client_id
    A                1          2    150.0
    B                6          1     30.0
    """
    df = require_frame(transactions, name="transactions")
    require_columns(df, [customer, date, amount, order], name="transactions")
    ids = no_missing(df, customer, name="transactions")
    amounts = numeric_column(df, amount, name="transactions").to_numpy()
    moments = datetime_column(df, date, name="transactions").to_numpy()

    if returns not in ("net", "count"):
        raise DataError(f"« returns » vaut \"net\" ou \"count\" (reçu : {returns!r}).")
    codes, labels = factorize_ids(ids)
    k = len(labels)
    total = np.bincount(codes, weights=amounts, minlength=k)
    purchase = amounts >= 0 if returns == "net" else None  # 0 € est un achat, < 0 un avoir
    p_codes = codes if purchase is None else codes[purchase]
    # max(⌊t / 1 jour⌋) = ⌊max(t) / 1 jour⌋ : on prend le maximum dans l'unité d'origine et l'on ne
    # convertit en jours que k valeurs au lieu de n
    stamps = moments.view(np.int64)
    last = np.full(k, np.iinfo(np.int64).min)
    np.maximum.at(last, p_codes, stamps if purchase is None else stamps[purchase])
    if order is None:
        frequency = np.bincount(p_codes, minlength=k)
    else:
        order_codes, order_labels = pd.factorize(no_missing(df, order, name="transactions"))
        if purchase is not None:
            order_codes = order_codes[purchase]
        pairs = pd.unique(p_codes.astype(np.int64) * len(order_labels) + order_codes)
        frequency = np.bincount(pairs // len(order_labels), minlength=k)
    buyers = frequency > 0
    if not buyers.any():
        raise DataError("aucun achat (montant ≥ 0) dans le fichier : que des avoirs (montants "
                        "négatifs).", column=amount)
    if not buyers.all():
        warnings.warn(
            f"{int((~buyers).sum())} client(s) sans aucun achat (uniquement des avoirs, montants "
            f"négatifs), par ex. {labels[int(np.argmin(buyers))]!r} : écarté(s) de la table RFM.",
            DataWarning, stacklevel=2)
        labels, last, frequency, total = (labels[buyers], last[buyers], frequency[buyers],
                                          total[buyers])
    last = _days(last, moments.dtype)
    reference = _days(stamps.max(), moments.dtype)[()] + 1 if as_of is None else _as_of_day(as_of)
    recency = reference - last
    if recency.min() < 0:
        worst = int(np.argmin(recency))
        raise DataError(
            f"la date d'analyse as_of ({np.datetime64(int(reference), 'D')}) est antérieure au "
            f"dernier achat du client {labels[worst]!r} ({np.datetime64(int(last[worst]), 'D')}) : "
            "la récence serait négative. Choisissez une date postérieure, ou gardez d'abord les "
            "achats faits avant la date d'analyse (le jour as_of lui-même est exclu, c'est le "
            "lendemain de la période étudiée) : transactions[transactions[\"date\"] < as_of].",
            column=date,
        )
    labels.name = customer
    return pd.DataFrame({"recence": recency, "frequence": frequency.astype(np.int64),
                         "montant": total}, index=labels)


# --------------------------------------------------------------------------- rfm_scores

_DECIMALS = 6  # valeurs égales à 10⁻⁶ près = ex-aequo (bruit des sommes de flottants)


def _below(values: np.ndarray) -> np.ndarray:
    """Pour chaque valeur, le nombre de valeurs strictement inférieures (ex-aequo comptés à part).

    Entiers d'étendue modérée (récence, fréquence) : un comptage par valeur (``np.bincount``),
    sans tri. Sinon : un tri stable, puis le début du groupe d'ex-aequo de chaque valeur.
    """
    n = len(values)
    if values.dtype.kind in "iu":
        low, high = int(values.min()), int(values.max())
        if high - low <= 4 * n + 1024:
            shifted = (values - low).astype(np.intp)
            counts = np.bincount(shifted, minlength=high - low + 1)
            return (np.cumsum(counts) - counts)[shifted]
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.zeros(n, dtype=np.int64)
    new = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1  # premier rang de chaque valeur
    starts[new] = new
    np.maximum.accumulate(starts, out=starts)
    below = np.empty(n, dtype=np.int64)
    below[order] = starts
    return below


def _score(values: np.ndarray, bins: int, *, reverse: bool) -> np.ndarray:
    """1 + ⌊bins × (part des clients strictement moins bons)⌋, en arithmétique entière."""
    if values.dtype.kind == "f":
        values = np.round(values, _DECIMALS)
    below = _below(-values if reverse else values)  # nombre de valeurs strictement inférieures
    return 1 + (bins * below.astype(np.int64)) // len(values)


def rfm_scores(table: pd.DataFrame, *, bins: int = 5) -> pd.DataFrame:
    """Note chaque client de 1 à ``bins`` en R, F et M et lui attribue un segment.

    Formule (rang, donc robuste aux ex-aequo) : pour un client de valeur x parmi
    n clients, avec b = ``bins``,

        score = 1 + ⌊ b × (nombre de clients strictement moins bons que x) / n ⌋

    « Moins bon » signifie une fréquence ou un montant plus petit, mais une
    récence plus *grande* (R est inversé : le client le plus récent a la note
    la plus haute). Conséquences :

    - deux clients de même valeur ont la même note (ex-aequo = même note) ;
    - la note ne baisse jamais quand la valeur s'améliore ;
    - toutes les notes sont entre 1 et b ; la valeur la moins bonne a 1 ;
    - les valeurs sont arrondies à 10⁻⁶ avant le classement : deux sommes de
      centimes égales, additionnées dans un ordre différent (0,1 + 0,2 n'est
      pas exactement 0,3 en binaire), restent ex-aequo ;
    - avec beaucoup d'ex-aequo, certaines notes ne sont pas utilisées (si 60 %
      des clients n'ont acheté qu'une fois, ils ont tous F = 1 et les clients
      à 2 achats passent directement à F = 4) : rien ne « casse ».

    ``RFM`` concatène les trois notes (« 545 »). ``segment`` vient de la carte
    ci-dessous (``SEGMENT_RULES``), appliquée aux notes R et F sur 1..5 :

    ==========================  =======  =======
    segment                     R        F
    ==========================  =======  =======
    Champions                   5        4 à 5
    Clients fidèles             3 à 4    4 à 5
    Fidèles potentiels          4 à 5    2 à 3
    Nouveaux clients            5        1
    Prometteurs                 4        1
    À surveiller                3        3
    Sur le point de s'endormir  3        1 à 2
    À risque                    1 à 2    3 à 4
    À ne pas perdre             1 à 2    5
    En hibernation              2        1 à 2
    Perdus                      1        1 à 2
    ==========================  =======  =======

    Si ``bins`` ≠ 5, le segment est calculé avec la même formule pour b = 5
    (quintiles du même rang) : un client garde donc son segment quel que soit
    ``bins``.

    Paramètres
    ----------
    table : DataFrame
        Sortie de :func:`rfm_table` (colonnes ``recence``, ``frequence``, ``montant``).
    bins : int, entre 2 et 9
        Nombre de notes (5 = quintiles).

    Renvoie
    -------
    Une copie de ``table`` avec les colonnes entières ``R``, ``F``, ``M``, le
    texte ``RFM`` et la catégorie ordonnée ``segment``.

    Exemples
    --------
    >>> t = pd.DataFrame({"recence": [1, 10, 30, 90, 300], "frequence": [8, 5, 2, 1, 1],
    ...                   "montant": [900.0, 400.0, 120.0, 40.0, 40.0]},
    ...                  index=["A", "B", "C", "D", "E"])
    >>> rfm_scores(t)[["R", "F", "M", "RFM", "segment"]]
       R  F  M  RFM          segment
    A  5  5  5  555        Champions
    B  4  4  4  444  Clients fidèles
    C  3  3  3  333     À surveiller
    D  2  1  1  211   En hibernation
    E  1  1  1  111           Perdus
    """
    df = require_frame(table, name="table RFM")
    require_columns(df, ["recence", "frequence", "montant"], name="table RFM")
    bins = check_positive_int(bins, name="bins", minimum=2)
    if bins > 9:
        raise DataError(f"« bins » doit être entre 2 et 9 (reçu : {bins}) : "
                        "au-delà, le code RFM à trois chiffres deviendrait ambigu.")
    raw = {}
    for col in ("recence", "frequence", "montant"):
        values = numeric_column(df, col, name="table RFM").to_numpy()
        if df[col].dtype.kind in "iu":  # entiers (sortie de rfm_table) : comptage sans tri
            values = df[col].to_numpy(np.int64)
        raw[col] = values
    out = df.copy()
    scores = {
        "R": _score(raw["recence"], bins, reverse=True),
        "F": _score(raw["frequence"], bins, reverse=False),
        "M": _score(raw["montant"], bins, reverse=False),
    }
    for name, values in scores.items():
        out[name] = values
    combos = pd.array([f"{r}{f}{m}" for r in range(1, bins + 1) for f in range(1, bins + 1)
                       for m in range(1, bins + 1)], dtype="str")
    code = (scores["R"] - 1) * bins * bins + (scores["F"] - 1) * bins + (scores["M"] - 1)
    out["RFM"] = combos.take(code)
    if bins == 5:
        r5, f5 = scores["R"], scores["F"]
    else:
        r5 = _score(raw["recence"], 5, reverse=True)
        f5 = _score(raw["frequence"], 5, reverse=False)
    out["segment"] = pd.Categorical.from_codes(_GRID[r5 - 1, f5 - 1], categories=list(SEGMENTS),
                                               ordered=True)
    return out


# --------------------------------------------------------------------------- synthèse

def _require_scores(scores: pd.DataFrame) -> pd.DataFrame:
    df = require_frame(scores, name="scores RFM")
    require_columns(df, ["recence", "frequence", "montant", "R", "F", "M", "segment"],
                    name="scores RFM (sortie de rfm_scores)")
    return df


def rfm_segments(scores: pd.DataFrame) -> pd.DataFrame:
    """Résume chaque segment : effectif, poids et profil moyen.

    Pour le segment s : ``part_clients`` = clients(s) / clients au total,
    ``part_ca`` = Σ montant(s) / Σ montant ; puis les moyennes de récence,
    fréquence, montant et des notes R, F, M ; et l'action CRM conseillée.
    Les onze segments sont toujours présents, du meilleur au moins bon
    (effectif 0 et moyennes vides pour un segment sans client).

    Exemples
    --------
    >>> t = pd.DataFrame({"recence": [1, 10, 30, 90, 300], "frequence": [8, 5, 2, 1, 1],
    ...                   "montant": [900.0, 400.0, 120.0, 40.0, 40.0]},
    ...                  index=["A", "B", "C", "D", "E"])
    >>> synthese = rfm_segments(rfm_scores(t))
    >>> int(synthese.loc["Champions", "clients"]), float(synthese.loc["Champions", "part_ca"])
    (1, 0.6)
    """
    df = _require_scores(scores)
    codes = np.asarray(pd.Categorical(df["segment"], categories=list(SEGMENTS)).codes)
    if (codes < 0).any():
        pos = int(np.flatnonzero(codes < 0)[0])
        raise DataError(f"segment inconnu ou manquant : {df['segment'].iloc[pos]!r}. Segments "
                        f"possibles : {', '.join(SEGMENTS)}.", column="segment", line=pos + 1)
    size = len(SEGMENTS)
    count = np.bincount(codes, minlength=size)
    out = pd.DataFrame(index=pd.Index(SEGMENTS, name="segment"))
    out["clients"] = count
    out["part_clients"] = count / count.sum()
    revenue = np.bincount(codes, weights=df["montant"].to_numpy(np.float64), minlength=size)
    out["chiffre_affaires"] = revenue
    total = revenue.sum()
    out["part_ca"] = revenue / total if total != 0 else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        for col, name in [("recence", "recence_moy"), ("frequence", "frequence_moy"),
                          ("montant", "montant_moy"), ("R", "R_moy"), ("F", "F_moy"),
                          ("M", "M_moy")]:
            sums = np.bincount(codes, weights=df[col].to_numpy(np.float64), minlength=size)
            out[name] = np.where(count > 0, sums / np.maximum(count, 1), np.nan)
    out["action"] = [rule.action for rule in SEGMENT_RULES]
    return out


def segment_customers(scores: pd.DataFrame, segment: str) -> pd.DataFrame:
    """Clients d'un segment, du plus gros montant au plus petit.

    >>> t = pd.DataFrame({"recence": [1, 10, 30, 90, 300], "frequence": [8, 5, 2, 1, 1],
    ...                   "montant": [900.0, 400.0, 120.0, 40.0, 40.0]},
    ...                  index=["A", "B", "C", "D", "E"])
    >>> segment_customers(rfm_scores(t), "Champions").index.tolist()
    ['A']
    """
    df = _require_scores(scores)
    if segment not in SEGMENTS:
        raise DataError(f"segment inconnu : {segment!r}. Segments possibles : "
                        f"{', '.join(SEGMENTS)}.")
    mask = (df["segment"] == segment).to_numpy()
    return df[mask].sort_values("montant", ascending=False, kind="stable")
