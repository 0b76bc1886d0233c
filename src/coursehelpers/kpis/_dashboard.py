"""Tableau de bord de la relation client : les quatre indicateurs clés par période (et par segment).

Fonction :func:`kpi_dashboard`, réexportée par :mod:`coursehelpers.kpis`. Elle réunit sur une
ligne par période (année, trimestre ou mois) l'indice de satisfaction, le NPS, le taux de
réachat après contact et le taux d'attrition, calculés avec les fonctions de ``kpis``
(``satisfaction_index``, ``nps``, ``repurchase_after_contact`` : mêmes définitions, mêmes chiffres).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from coursehelpers._core.customers import purchases
from coursehelpers._core.ids import unique_ids
from coursehelpers._core.validate import datetime_column, no_missing, require_columns, require_frame
from coursehelpers.errors import DataError, DataWarning
from coursehelpers.kpis._conversion import rate_table, repurchase_after_contact, repurchased
from coursehelpers.kpis._satisfaction import nps, satisfaction_index

__all__ = ["kpi_dashboard"]

FREQS = {"Y": "année", "Q": "trimestre", "M": "mois"}
COLUMNS = ["contacts", "satisfaction", "part_satisfaits", "nps", "taux_reachat_apres_contact",
           "clients_actifs", "taux_attrition"]
_GROUP = "__groupe_tableau__"  # colonne technique (période × segment) passée aux fonctions de kpis


def _segments(by, clients, contacts, customer, customers_tx) -> tuple[pd.Series, pd.Series | None]:
    """Segment de chaque contact et, si le segment est une donnée client, de chaque achat."""
    if clients is not None:
        require_frame(clients, name="clients")
        if by in clients.columns:
            ids = unique_ids(clients, customer, name="clients")
            segment = pd.Series(clients[by].to_numpy(), index=ids.to_numpy())
            return contacts[customer].map(segment), customers_tx.map(segment)
    if by in contacts.columns:
        return contacts[by], None  # segment propre au contact (canal, motif) : pas d'attrition
    where = "de « clients » ni des contacts" if clients is not None else "des contacts (donnez clients=...)"
    raise DataError(f"« by » : la colonne {by!r} n'est ni une colonne {where}.", column=str(by))


def _drop_unknown(segment: pd.Series, what: str) -> np.ndarray:
    keep = segment.notna().to_numpy()
    if not keep.any():
        raise DataError(f"aucun segment trouvé pour les {what} : vérifiez que les identifiants "
                        "clients sont écrits de la même façon dans les deux tableaux.")
    if not keep.all():
        warnings.warn(f"{int((~keep).sum())} {what} sans segment (client absent de « clients » ou "
                      "valeur manquante) : ignorés.", DataWarning, stacklevel=3)
    return keep


def kpi_dashboard(transactions: pd.DataFrame, contacts: pd.DataFrame, *, freq: str = "Y",
                  by: str | None = None, clients: pd.DataFrame | None = None, within_days: int = 30,
                  customer: str = "client_id", date: str = "date",
                  amount: str | None = "montant", repurchased: pd.Series | None = None) -> pd.DataFrame:
    """Tableau de bord : satisfaction, NPS, réachat après contact et attrition par période (et segment).

    Une ligne par période ``freq`` (``"Y"`` année, ``"Q"`` trimestre, ``"M"`` mois), de la
    première à la dernière période des données ; avec ``by``, une ligne par période et par
    segment (index à deux niveaux). Colonnes :

    - ``contacts`` : nombre de contacts de la période ;
    - ``satisfaction`` = Σ notes / répondants (note de 1 à 5 des contacts de la période) ;
    - ``part_satisfaits`` = répondants ayant noté 4 ou 5 / répondants ;
    - ``nps`` = % promoteurs (9–10) − % détracteurs (0–6), en points (colonne ``nps`` des
      contacts ; vide si elle n'existe pas) ;
    - ``taux_reachat_apres_contact`` = contacts suivis d'un achat du même client dans les
      ``within_days`` jours / contacts (voir ``kpis.repurchase_after_contact``) ;
    - ``clients_actifs`` : clients ayant acheté (montant ≥ 0) dans la période ;
    - ``taux_attrition`` (période N) = clients actifs en N − 1 sans achat en N / clients actifs
      en N − 1 (comme ``kpis.customer_flows``) ; vide pour la première période.

    ``by`` : une colonne de ``clients`` (carte de fidélité, canal d'acquisition... : le segment
    suit le client, tous les indicateurs sont calculés par segment) ou, à défaut, une colonne
    des contacts (canal, motif : satisfaction, NPS et réachat par segment ; l'attrition
    reste vide, car un client a des contacts de plusieurs sortes).

    Attention : plus la période est courte, plus l'attrition est forte (un client qui n'achète
    pas ce trimestre-ci est compté comme perdu) ; la dernière période sous-estime la
    réachat après contact (fenêtre de ``within_days`` jours coupée par la fin des données).

    Calcul vectorisé : un seul regroupement par indicateur (pas de boucle sur les lignes ni
    sur les périodes).

    Paramètres
    ----------
    transactions : DataFrame
        Une ligne par achat (colonnes ``customer``, ``date``, ``amount``).
    contacts : DataFrame
        Une ligne par contact (colonnes ``customer``, ``date``, ``satisfaction`` et, si
        possible, ``nps``).
    freq : {"Y", "Q", "M"}
        Période : année, trimestre ou mois.
    by : str, optionnel
        Segment : colonne de ``clients`` ou des contacts (voir plus haut).
    clients : DataFrame, optionnel
        Une ligne par client (sans doublon), pour un segment client.
    within_days : int
        Fenêtre de la transformation, en jours (défaut 30).
    customer, date : str
        Noms des colonnes.
    amount : str ou None
        Colonne du montant (``None`` : toutes les lignes sont des achats).
    repurchased : Series de booléens, optional
        :func:`repurchase_flags` des mêmes ``transactions`` et ``contacts``, déjà calculé (il ne
        dépend ni de ``freq`` ni de ``by`` : plusieurs tableaux le calculent une seule fois).

    Renvoie
    -------
    DataFrame
        Une ligne par période (et segment), les colonnes ci-dessus.

    Lève
    ----
    DataError
        ``freq`` inconnue, colonne absente, client en double, aucun achat, segment introuvable.

    Exemples
    --------
    >>> tx = pd.DataFrame({"client_id": ["A", "B", "A", "C"], "montant": [10.0, 20.0, 30.0, 5.0],
    ...     "date": pd.to_datetime(["2024-02-01", "2024-03-01", "2025-01-10", "2025-06-01"])})
    >>> ct = pd.DataFrame({"client_id": ["A", "B", "C"], "satisfaction": [5, 2, 4],
    ...     "nps": [10, 3, 8], "date": pd.to_datetime(["2024-01-20", "2024-05-01", "2025-05-20"])})
    >>> t = kpi_dashboard(tx, ct)
    >>> t[["satisfaction", "nps", "taux_reachat_apres_contact", "taux_attrition"]].to_dict("index")
    {2024: {'satisfaction': 3.5, 'nps': 0.0, 'taux_reachat_apres_contact': 0.5, 'taux_attrition': nan}, \
2025: {'satisfaction': 4.0, 'nps': 0.0, 'taux_reachat_apres_contact': 1.0, 'taux_attrition': 0.5}}
    """
    return _kpi_dashboard(transactions, contacts, freq=freq, by=by, clients=clients, within_days=within_days,
                          customer=customer, date=date, amount=amount, repurchased=repurchased)


def repurchase_flags(transactions: pd.DataFrame, contacts: pd.DataFrame, *, within_days: int = 30,
                     customer: str = "client_id", date: str = "date",
                     amount: str | None = "montant") -> pd.Series:
    """Vrai pour chaque contact suivi d'un achat (voir ``kpis.repurchase_after_contact``).

    Ne dépend ni de la période ni du segment : l'explorateur du tableau de bord le calcule une
    fois et le passe à :func:`kpi_dashboard` (``repurchased=``) pour ses six tableaux (mêmes chiffres).
    """
    return repurchased(contacts, transactions, within_days=within_days, by=None, customer=customer,
                        date=date, amount=amount)


def _kpi_dashboard(transactions: pd.DataFrame, contacts: pd.DataFrame, *, freq: str, by: str | None,
                   clients: pd.DataFrame | None, within_days: int, customer: str, date: str,
                   amount: str | None, repurchased: pd.Series | None = None) -> pd.DataFrame:
    """:func:`kpi_dashboard` ; ``repurchased`` : :func:`repurchase_flags` des mêmes données, déjà calculé."""
    if not isinstance(freq, str) or freq.upper() not in FREQS:
        raise DataError(f"« freq » vaut \"Y\" (année), \"Q\" (trimestre) ou \"M\" (mois) (reçu : {freq!r}).")
    freq = freq.upper()
    require_frame(contacts, name="contacts")
    require_columns(contacts, [customer, date, "satisfaction"], name="contacts")
    no_missing(contacts, customer, name="contacts")
    contact_day = datetime_column(contacts, date, name="contacts")
    bought = purchases(transactions, customer, date, amount)
    if bought.empty:
        raise DataError("« transactions » : aucun achat de montant positif.", column=amount)

    contact_seg = purchase_seg = None
    kept = np.ones(len(contacts), dtype=bool)  # contacts gardés (position dans ``contacts``)
    if by is not None:
        contact_seg, purchase_seg = _segments(by, clients, contacts, customer, bought["client"])
        kept = keep = _drop_unknown(contact_seg, "contacts")
        contacts, contact_day, contact_seg = contacts[keep], contact_day[keep], contact_seg[keep]
        if purchase_seg is not None:
            keep = _drop_unknown(purchase_seg, "achats")
            bought, purchase_seg = bought[keep], purchase_seg[keep]

    # ---- contacts : satisfaction, NPS, réachat après contact (un groupe = une période × un segment)
    c_period = contact_day.dt.to_period(freq).array.asi8
    keys = [c_period] if contact_seg is None else [c_period, contact_seg.to_numpy()]
    index = pd.MultiIndex.from_arrays(keys)
    codes, uniques = index.factorize()
    data = contacts.assign(**{_GROUP: codes})
    sat = satisfaction_index(data, by=_GROUP)
    rows = pd.DataFrame({"contacts": np.bincount(codes, minlength=len(uniques)),
                         "satisfaction": sat["moyenne"].reindex(range(len(uniques))).to_numpy(),
                         "part_satisfaits": sat["part_satisfaits"].reindex(range(len(uniques))).to_numpy()},
                        index=uniques)
    if "nps" in contacts.columns and contacts["nps"].notna().any():
        rows["nps"] = nps(data, by=_GROUP)["nps"].reindex(range(len(uniques))).to_numpy()
    else:
        rows["nps"] = np.nan
    if repurchased is None:
        conv = repurchase_after_contact(data, transactions, within_days=within_days, by=_GROUP,
                                        customer=customer, date=date, amount=amount)
    else:  # drapeaux déjà calculés sur tous les contacts : ceux gardés ici
        flags = pd.Series(np.asarray(repurchased, dtype=bool)[kept], index=data.index)
        conv = rate_table(flags, data, _GROUP, name="contacts", hits="rachats",
                           rate="taux_reachat_apres_contact")
    rate = conv["taux_reachat_apres_contact"].reindex(range(len(uniques)))
    rows["taux_reachat_apres_contact"] = rate.to_numpy()

    # ---- achats : clients actifs par période, perdus d'une période à la suivante
    pairs = pd.DataFrame({"client": bought["client"].to_numpy(),
                          "p": bought["date"].dt.to_period(freq).array.asi8})
    if purchase_seg is not None:
        pairs["segment"] = purchase_seg.to_numpy()
    pairs = pairs.drop_duplicates(["client", "p"])
    active = pd.MultiIndex.from_arrays([pairs["client"], pairs["p"]])
    stays = pd.MultiIndex.from_arrays([pairs["client"], pairs["p"] + 1]).isin(active)
    last = int(pairs["p"].max())
    start = pairs.assign(p=pairs["p"] + 1, perdu=~stays)[pairs["p"].to_numpy() < last]
    level = ["p"] if purchase_seg is None else ["p", "segment"]
    actifs = pairs.groupby(level).size()
    flows = start.groupby(level)["perdu"].agg(["size", "sum"])

    # ---- assemblage : toutes les périodes de la première à la dernière (× tous les segments)
    first = int(min(c_period.min(), pairs["p"].min()))
    periods = np.arange(first, max(int(c_period.max()), last) + 1)
    if by is None:
        full = pd.Index(periods)
        rows.index = rows.index.get_level_values(0)
    else:
        seen = [contact_seg] if purchase_seg is None else [contact_seg, pairs["segment"]]
        segments = pd.Index(pd.unique(pd.concat(seen, ignore_index=True))).sort_values()
        full = pd.MultiIndex.from_product([periods, segments])
    out = rows.reindex(full)
    out["contacts"] = out["contacts"].fillna(0).astype("int64")
    if by is None or purchase_seg is not None:
        out["clients_actifs"] = actifs.reindex(full, fill_value=0).astype("int64").to_numpy()
        flows = flows.reindex(full)
        out["taux_attrition"] = (flows["sum"] / flows["size"]).astype("float64").to_numpy()
    else:  # segment d'un contact : les achats ne s'y rangent pas
        out["clients_actifs"] = pd.array([pd.NA] * len(full), dtype="Int64")
        out["taux_attrition"] = np.nan
    labels = pd.PeriodIndex.from_ordinals(periods, freq=freq)
    names = labels.year if freq == "Y" else labels.astype(str)
    if by is None:
        out.index = pd.Index(names, name="periode")
    else:
        position = full.get_level_values(0).to_numpy() - first
        out.index = pd.MultiIndex.from_arrays([names[position], full.get_level_values(1)],
                                              names=["periode", by])
    return out[COLUMNS]
