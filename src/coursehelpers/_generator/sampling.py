"""Outils de tirage vectorisés partagés par les générateurs (aucune boucle sur les lignes)."""

from __future__ import annotations

import numpy as np

DAYS_PER_YEAR = 365.25


def choice_rows(rng: np.random.Generator, probs: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Tire un indice de colonne par ligne : la ligne ``i`` suit la loi ``probs[row[i]]``.

    ``probs`` est un tableau (k, m) de lois (normalisées ici) ; renvoie des entiers 0..m-1.
    """
    p = np.asarray(probs, dtype=float)
    cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(row))
    return np.minimum((u[:, None] > cum[row]).sum(axis=1), p.shape[1] - 1)


def choice_logits(rng: np.random.Generator, logits: np.ndarray) -> np.ndarray:
    """Tire une modalité par ligne selon des logits (n, m) : P = softmax(logits)."""
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    cum = np.cumsum(z / z.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(logits))
    return np.minimum((u[:, None] > cum).sum(axis=1), logits.shape[1] - 1)


def make_ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Identifiants texte ``prefix`` + numéro complété de zéros (ex. « C00042 »)."""
    numbers = np.asarray(numbers)
    if numbers.size == 0:  # np.char.zfill échoue sur un tableau vide
        return np.array([], dtype=str)
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width))


def day_range(start: str, end: str) -> np.ndarray:
    """Tous les jours de ``start`` à ``end`` inclus (datetime64[D])."""
    first, last = np.datetime64(start, "D"), np.datetime64(end, "D")
    if last <= first:
        raise ValueError("la date de fin doit être postérieure à la date de début")
    return np.arange(first, last + 1)


def months(days: np.ndarray) -> np.ndarray:
    """Mois 0..11 (janvier = 0) de chaque jour."""
    return days.astype("datetime64[M]").astype(int) % 12


def weekdays(days: np.ndarray) -> np.ndarray:
    """Jour de la semaine 0..6 (lundi = 0) ; le 1970-01-01 était un jeudi."""
    return (days.astype(int) + 3) % 7


def cumulative_years(weights: np.ndarray) -> np.ndarray:
    """Intensité cumulée ``W`` (longueur n+1), normalisée à 1 par an en moyenne.

    Le nombre attendu d'événements d'un client de fréquence λ (par an) actif des jours
    a à b inclus vaut λ·(W[b+1] − W[a]).
    """
    w = weights / weights.mean() / DAYS_PER_YEAR
    return np.concatenate([[0.0], np.cumsum(w)])


def sample_days(rng: np.random.Generator, cum: np.ndarray, first: np.ndarray,
                last: np.ndarray) -> np.ndarray:
    """Un jour par ligne, tiré entre ``first`` et ``last`` inclus selon l'intensité ``cum``."""
    low, high = cum[first], cum[last + 1]
    u = low + rng.random(len(first)) * (high - low)
    day = np.searchsorted(cum, u, side="right") - 1
    return np.clip(day, first, last)


def luhn_check_digit(body: np.ndarray) -> np.ndarray:
    """Chiffre de contrôle de Luhn pour des corps à 8 chiffres (SIREN = corps + contrôle).

    Sur les 9 chiffres, ceux de rang pair en partant de la gauche (2e, 4e, 6e, 8e) sont
    doublés (moins 9 si le double dépasse 9) ; la somme totale doit être multiple de 10.
    """
    digits = (body[:, None] // 10 ** np.arange(7, -1, -1)) % 10
    doubled = digits[:, 1::2] * 2
    total = digits[:, 0::2].sum(axis=1) + np.where(doubled > 9, doubled - 9, doubled).sum(axis=1)
    return (10 - total % 10) % 10
