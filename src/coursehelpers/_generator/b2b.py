"""Comptes professionnels (B2B) et leurs commandes.

Catégories d'entreprise au sens de la loi LME (2008) : TPE (< 10 salariés, CA ≤ 2 M€),
PME (< 250 salariés, CA ≤ 50 M€), ETI (< 5 000 salariés, CA ≤ 1,5 Md€), GE au-delà.
Les grands comptes (ETI, GE) sont peu nombreux mais commandent souvent et beaucoup ;
les TPE commandent rarement et peu. Fréquence (commandes/an) et montant médian (€ HT)
par catégorie : voir ``ORDERS_PER_YEAR`` et ``ORDER_MEDIAN``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._generator import reference_data as ref
from coursehelpers._generator.sampling import (
    DAYS_PER_YEAR,
    choice_rows,
    cumulative_years,
    luhn_check_digit,
    make_ids,
    months,
    sample_days,
    weekdays,
)

CATEGORY_SHARE = np.array([0.55, 0.33, 0.08, 0.04])          # TPE, PME, ETI, GE
# Tranches d'effectif possibles (indices dans TRANCHES_EFFECTIF) et leurs poids, par catégorie.
TRANCHE_CHOICES = [([0, 1, 2, 3], [0.30, 0.30, 0.25, 0.15]),
                   ([4, 5, 6, 7, 8], [0.35, 0.30, 0.17, 0.12, 0.06]),
                   ([9, 10, 11, 12], [0.35, 0.30, 0.20, 0.15]),
                   ([13, 14], [0.60, 0.40])]
CA_MAX = np.array([2e6, 50e6, 1.5e9, np.inf])
ORDERS_PER_YEAR = np.array([1.5, 5.0, 16.0, 36.0])
ORDER_MEDIAN = np.array([380.0, 1400.0, 4500.0, 9000.0])
B2B_CATEGORY = np.array([0.18, 0.22, 0.14, 0.22, 0.12, 0.07, 0.05])
LOST_SHARE = 0.10          # comptes TPE/PME perdus en cours de période
MONTH_WEIGHT = np.array([0.9, 1.0, 1.1, 1.05, 1.0, 1.0, 0.8, 0.45, 1.2, 1.1, 1.05, 0.85])
WEEKDAY_WEIGHT = np.array([1.1, 1.05, 1.05, 1.05, 1.0, 0.1, 0.0])


def _siren(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` numéros SIREN fictifs distincts à 9 chiffres, clé de Luhn valide."""
    body = np.unique(rng.integers(30_000_000, 99_999_999, 3 * n + 10))
    body = rng.permutation(body)[:n]
    return np.char.add(body.astype(str), luhn_check_digit(body).astype(str))


def make_accounts(rng: np.random.Generator, days: np.ndarray, n: int) -> pd.DataFrame:
    """Fiche des comptes B2B."""
    cat = choice_rows(rng, CATEGORY_SHARE[None, :], np.zeros(n, int))
    naf_w = np.array([w for _, _, w, _ in ref.NAF]).T            # (4 catégories, k codes)
    naf = choice_rows(rng, naf_w, cat)
    probs = np.zeros((4, len(ref.TRANCHES_EFFECTIF)))
    for k, (idx, w) in enumerate(TRANCHE_CHOICES):
        probs[k, idx] = w
    tranche = choice_rows(rng, probs, cat)
    low = np.array([t[1] for t in ref.TRANCHES_EFFECTIF])[tranche]
    high = np.minimum(np.array([t[2] for t in ref.TRANCHES_EFFECTIF])[tranche], 40_000)
    headcount = np.floor(np.exp(rng.uniform(np.log(low + 1), np.log(high + 2)))).astype(int) - 1
    headcount = np.clip(headcount, low, high)
    productivity = 120_000 * np.exp(0.4 * rng.standard_normal(n))
    ca = np.minimum(np.maximum(headcount, 1) * productivity, CA_MAX[cat] * 0.98)
    ca = (np.round(ca / 100) * 100).astype(np.int64)

    # Début de relation : avant ou pendant la période ; les grands comptes sont plus anciens.
    years_back = rng.exponential(np.array([3.5, 5.0, 8.0, 10.0])[cat])
    start = np.maximum(len(days) - 1 - np.round(years_back * DAYS_PER_YEAR).astype(int), -15 * 365)
    start = np.minimum(start, len(days) - 60)
    debut = days[0] + start
    anciennete = np.floor((days[-1] - debut).astype(int) / DAYS_PER_YEAR).astype(int)

    named = (cat >= 2) | (tranche >= 6)
    key = cat >= 2
    commercial = np.where(
        key, np.array(ref.COMMERCIAUX_GRANDS_COMPTES)[rng.integers(0, 2, n)],
        np.where(named, np.array(ref.COMMERCIAUX_TERRAIN)[rng.integers(0, 4, n)],
                 np.where(cat == 1, ref.POOL_SEDENTAIRE, ref.POOL_SERVICE)))

    region_w = np.array(list(ref.REGIONS.values()))
    idf = np.zeros_like(region_w)
    idf[0] = 1.0
    region = choice_rows(rng, np.vstack([region_w / region_w.sum(), 0.55 * region_w / region_w.sum()
                                         + 0.45 * idf]), key.astype(int))

    prefix = np.array([x[3] for x in ref.NAF])[naf]
    nom = np.array(ref.NOMS)[rng.integers(0, len(ref.NOMS), n)]
    forme_idx = rng.integers(0, 4, n)
    formes = np.array([[ref.FORMES[c][i % len(ref.FORMES[c])] for i in range(4)]
                       for c in ref.CATEGORIES_ENTREPRISE])   # 4 catégories × 4 variantes
    forme = formes[cat, forme_idx]
    base = pd.Series(np.char.add(np.char.add(prefix, " "), nom))
    rank = base.groupby(base).cumcount().to_numpy()
    suffix = np.array(["", " Ouest", " Sud", " Est", " Nord", " Centre", " Atlantique", " Alpes"])
    raison = np.char.add(np.char.add(base.to_numpy().astype(str), suffix[np.minimum(rank, 7)]),
                         np.where(rank >= 8, np.char.add(" ", (rank - 6).astype(str)), ""))
    raison = np.char.add(np.char.add(raison, " "), forme)

    accounts = pd.DataFrame({
        "compte_id": _siren(rng, n),
        "raison_sociale": raison,
        "code_naf": np.array([x[0] for x in ref.NAF])[naf],
        "libelle_naf": np.array([x[1] for x in ref.NAF])[naf],
        "tranche_effectif": np.array([t[0] for t in ref.TRANCHES_EFFECTIF])[tranche],
        "categorie_entreprise": np.array(ref.CATEGORIES_ENTREPRISE)[cat],
        "ca_annuel": ca,
        "date_debut_relation": debut,
        "anciennete_ans": anciennete,
        "commercial": commercial,
        "region": np.array(list(ref.REGIONS))[region],
    })
    return accounts.sort_values("compte_id", ignore_index=True)


def make_orders(rng: np.random.Generator, days: np.ndarray, accounts: pd.DataFrame) -> pd.DataFrame:
    """Commandes B2B (montants HT) de chaque compte, entre le début de relation et la fin."""
    n_days, n = len(days), len(accounts)
    cat = pd.Categorical(accounts["categorie_entreprise"], categories=ref.CATEGORIES_ENTREPRISE).codes
    w = MONTH_WEIGHT[months(days)] * WEEKDAY_WEIGHT[weekdays(days)]
    cum = cumulative_years(w)
    open_days = np.flatnonzero(w > 0)
    debut = (accounts["date_debut_relation"].to_numpy().astype("datetime64[D]") - days[0]).astype(int)
    first_possible = np.searchsorted(open_days, np.maximum(debut, 0))
    first = open_days[np.minimum(first_possible + rng.geometric(1 / 10, n), open_days.size - 1)]
    lost = (cat <= 1) & (rng.random(n) < LOST_SHARE)
    stop = np.where(lost, first + (rng.random(n) * (n_days - 1 - first)).astype(int), n_days - 1)
    rate = ORDERS_PER_YEAR[cat] * np.exp(0.5 * rng.standard_normal(n))
    extra = rng.poisson(rate * (cum[stop + 1] - cum[first + 1]))

    owner = np.concatenate([np.arange(n), np.repeat(np.arange(n), extra)])
    later = sample_days(rng, cum, np.minimum(np.repeat(first + 1, extra), np.repeat(stop, extra)),
                        np.repeat(stop, extra))
    day = np.concatenate([first, later])
    level = ORDER_MEDIAN[cat] * np.exp(0.4 * rng.standard_normal(n))
    category = choice_rows(rng, B2B_CATEGORY[None, :], np.zeros(owner.size, int))
    price = np.array(ref.CATEGORY_PRICE)[category] / 1.4
    cents = np.round(100 * level[owner] * price * np.exp(0.7 * rng.standard_normal(owner.size)))
    cents = np.maximum(cents, 2500).astype(np.int64)

    order = np.lexsort((cents, owner, day))
    return pd.DataFrame({
        "commande_id": make_ids("BC", np.arange(1, owner.size + 1), 6),
        "compte_id": accounts["compte_id"].to_numpy()[owner[order]],
        "date": days[day[order]],
        "montant": cents[order] / 100,
        "categorie": np.array(ref.CATEGORIES)[category[order]],
    })
